-- Clearing the names of people reported falsely (澄清正名) and false accusation (诬告陷害),
-- issue 15.
CREATE TABLE clearings (
    id ID_PK,
    lead_id BIGINT NOT NULL REFERENCES leads(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    origin TEXT NOT NULL,
    person TEXT NOT NULL,
    applied_on TEXT,
    reason TEXT NOT NULL,
    state TEXT NOT NULL,
    proposed_by BIGINT NOT NULL REFERENCES users(id),
    proposed_at BIGINT NOT NULL,
    decided_by BIGINT REFERENCES users(id),
    decided_at BIGINT,
    decision_note TEXT,
    mode TEXT,
    held_on TEXT,
    scope_note TEXT,
    letter TEXT,
    done_by BIGINT REFERENCES users(id),
    done_at BIGINT
);
CREATE INDEX clearings_lead ON clearings(lead_id);
CREATE INDEX clearings_unit ON clearings(unit_id, state);
-- One clearing of a person in progress at a time.
CREATE UNIQUE INDEX clearings_one_open ON clearings(lead_id, person) WHERE state IN ('proposed', 'approved');
-- A lead found to be a deliberate false accusation, and the lead or case opened on the accuser.
CREATE TABLE false_accusations (
    lead_id BIGINT NOT NULL REFERENCES leads(id),
    accuser_lead_id BIGINT NOT NULL REFERENCES leads(id),
    note TEXT NOT NULL,
    actor BIGINT NOT NULL REFERENCES users(id),
    at BIGINT NOT NULL,
    CONSTRAINT false_accusations_pkey PRIMARY KEY (lead_id)
);
