-- The lifecycle (issue 4): steps and approvals, conclusions, follow-through, extensions,
-- deadlines on the working-day calendar, notifications.

-- When the current deadline's clock started, which rule set it, and whether it rests on a
-- year whose calendar is not loaded yet.
ALTER TABLE leads ADD COLUMN clock_started_on TEXT;
ALTER TABLE leads ADD COLUMN deadline_rule TEXT;
ALTER TABLE leads ADD COLUMN deadline_provisional BIGINT NOT NULL DEFAULT 0;
ALTER TABLE leads ADD COLUMN finding TEXT;
ALTER TABLE leads ADD COLUMN merged_into BIGINT REFERENCES leads(id);
ALTER TABLE leads ADD COLUMN transferred_to TEXT;
-- The warning colour last notified, so each colour is announced once.
ALTER TABLE leads ADD COLUMN notified_warning TEXT;

-- Every step, proposal, approval and follow-through record: the lead's timeline (全程留痕).
CREATE TABLE lead_events (
    id ID_PK,
    lead_id BIGINT NOT NULL REFERENCES leads(id),
    kind TEXT NOT NULL,
    disposition TEXT,
    from_status TEXT,
    to_status TEXT,
    state TEXT NOT NULL,
    actor_id BIGINT NOT NULL REFERENCES users(id),
    at BIGINT NOT NULL,
    approver_id BIGINT REFERENCES users(id),
    decided_at BIGINT,
    note TEXT NOT NULL,
    decision_note TEXT,
    payload TEXT
);
CREATE INDEX lead_events_lead ON lead_events(lead_id, id);
CREATE INDEX lead_events_state ON lead_events(state, lead_id);

CREATE TABLE subject_outcomes (
    lead_id BIGINT NOT NULL REFERENCES leads(id),
    ordinal BIGINT NOT NULL,
    nature TEXT NOT NULL,
    form BIGINT,
    sanction TEXT,
    PRIMARY KEY (lead_id, ordinal)
);

CREATE TABLE extensions (
    id ID_PK,
    lead_id BIGINT NOT NULL REFERENCES leads(id),
    requested_by BIGINT NOT NULL REFERENCES users(id),
    requested_at BIGINT NOT NULL,
    reason TEXT NOT NULL,
    days BIGINT NOT NULL,
    state TEXT NOT NULL,
    needs_head BIGINT NOT NULL,
    signed_by BIGINT REFERENCES users(id),
    signed_at BIGINT,
    signature TEXT,
    filed_by BIGINT REFERENCES users(id),
    filed_at BIGINT,
    approved_by BIGINT REFERENCES users(id),
    approved_at BIGINT,
    old_deadline TEXT,
    new_deadline TEXT
);
CREATE INDEX extensions_lead ON extensions(lead_id, id);
CREATE INDEX extensions_state ON extensions(state);

-- Days added by administrators for years not shipped (and corrections).
CREATE TABLE calendar_days (
    day TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    name_en TEXT NOT NULL,
    name_zh TEXT NOT NULL,
    added_by BIGINT REFERENCES users(id),
    added_at BIGINT NOT NULL
);

-- Deadline rules as data; absent rules use the defaults of design brief §4.
CREATE TABLE deadline_rules (
    code TEXT PRIMARY KEY,
    amount BIGINT NOT NULL,
    unit TEXT NOT NULL,
    blue_at_percent BIGINT NOT NULL,
    yellow_working_days BIGINT NOT NULL,
    updated_by BIGINT REFERENCES users(id),
    updated_at BIGINT NOT NULL
);

CREATE TABLE notifications (
    id ID_PK,
    user_id BIGINT NOT NULL REFERENCES users(id),
    lead_id BIGINT REFERENCES leads(id),
    kind TEXT NOT NULL,
    message_zh TEXT NOT NULL,
    message_en TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    read_at BIGINT
);
CREATE INDEX notifications_user ON notifications(user_id, read_at, id);

-- Background jobs take a lease so that one instance runs each.
CREATE TABLE job_leases (
    name TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    until BIGINT NOT NULL
);
