-- Hardening (issue 10).
-- A message for the next page a session opens: kept with the session and shown once, never
-- carried in the URL where a link could set it.
ALTER TABLE sessions ADD COLUMN flash TEXT;
-- Failed sign-ins per (claimed username, client address): a name that does not exist is
-- counted exactly like one that does, and one address cannot lock an account for everyone.
CREATE TABLE sign_in_throttle (
    username TEXT NOT NULL,
    client TEXT NOT NULL,
    failures BIGINT NOT NULL,
    locked_until BIGINT NOT NULL,
    last_failed_at BIGINT NOT NULL,
    PRIMARY KEY (username, client)
);
