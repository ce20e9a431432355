-- Rectification after a case (以案促改、一案一整改, issue 15): one per lead, from the committee's
-- numbered recommendation letter to the re-check; its measures; institutions established.
CREATE TABLE rectifications (
    id ID_PK,
    lead_id BIGINT NOT NULL REFERENCES leads(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    kind TEXT NOT NULL,
    year BIGINT NOT NULL,
    seq BIGINT NOT NULL,
    number TEXT NOT NULL,
    content TEXT NOT NULL,
    reply_due TEXT NOT NULL,
    state TEXT NOT NULL,
    causes TEXT,
    risk_points TEXT,
    loopholes TEXT,
    reply TEXT,
    reply_signature TEXT,
    replied_by BIGINT REFERENCES users(id),
    replied_at BIGINT,
    decision_note TEXT,
    decided_by BIGINT REFERENCES users(id),
    decided_at BIGINT,
    recheck_held BIGINT CHECK (recheck_held IN (0, 1)),
    recheck_notes TEXT,
    rechecked_by BIGINT REFERENCES users(id),
    rechecked_at BIGINT,
    issued_by BIGINT NOT NULL REFERENCES users(id),
    issued_at BIGINT NOT NULL,
    -- The reply deadline passed without a reply: announced once.
    reply_overdue_announced BIGINT NOT NULL DEFAULT 0 CHECK (reply_overdue_announced IN (0, 1)),
    CONSTRAINT rectifications_one_per_lead UNIQUE (lead_id),
    CONSTRAINT rectifications_number_unique UNIQUE (kind, year, seq)
);
CREATE INDEX rectifications_unit_state ON rectifications(unit_id, state);
CREATE TABLE rectification_measures (
    id ID_PK,
    rectification_id BIGINT NOT NULL REFERENCES rectifications(id),
    content TEXT NOT NULL,
    owner TEXT NOT NULL,
    due_on TEXT NOT NULL,
    status TEXT NOT NULL,
    evidence TEXT NOT NULL,
    set_on TEXT NOT NULL,
    -- Past its date and not done: announced once (a later date set again announces again).
    overdue_announced BIGINT NOT NULL DEFAULT 0 CHECK (overdue_announced IN (0, 1)),
    actor BIGINT NOT NULL REFERENCES users(id),
    at BIGINT NOT NULL
);
CREATE INDEX rectification_measures_of ON rectification_measures(rectification_id, id);
CREATE INDEX rectification_measures_due ON rectification_measures(status, due_on);
CREATE TABLE institutions (
    id ID_PK,
    unit_id BIGINT NOT NULL REFERENCES units(id),
    name TEXT NOT NULL,
    doc_no TEXT NOT NULL,
    issued_on TEXT NOT NULL,
    rectification_id BIGINT REFERENCES rectifications(id),
    actor BIGINT NOT NULL REFERENCES users(id),
    at BIGINT NOT NULL
);
CREATE INDEX institutions_unit ON institutions(unit_id, issued_on);
