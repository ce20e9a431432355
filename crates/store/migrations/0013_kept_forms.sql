-- Forms posted after the browser session ended by idling (issue 9): what was typed is kept,
-- sealed, for the same user to take back once after signing in again.
CREATE TABLE kept_forms (
    id TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id),
    path TEXT NOT NULL,
    key_id TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX kept_forms_user ON kept_forms(user_id, created_at);
