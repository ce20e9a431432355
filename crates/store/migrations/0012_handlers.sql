-- Handler assignment (分办, issue 9): the handler accounts a lead is assigned to. They see only
-- these leads, are told of their warnings and show as its 责任人.
CREATE TABLE lead_handlers (
    lead_id BIGINT NOT NULL REFERENCES leads(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    assigned_by BIGINT NOT NULL REFERENCES users(id),
    assigned_at BIGINT NOT NULL,
    PRIMARY KEY (lead_id, user_id)
);
CREATE INDEX lead_handlers_user ON lead_handlers(user_id, lead_id);
