-- Recusal by person, not by label (issue 10). Each subject carries the key its name is
-- compared by and the unit it belongs to; each account's person carries its name key. The
-- possible matches between accounts and leads are kept in `recusals` (rebuilt whenever a
-- lead's subjects or an account's person change), and every scoped read leaves those leads
-- out. A supervisor may mark a match as two different people (`recusal_clearances`).
ALTER TABLE lead_subjects ADD COLUMN name_key TEXT;
ALTER TABLE lead_subjects ADD COLUMN unit_ref BIGINT REFERENCES units(id);
-- The keyed hash of the ID number given for this subject, if one was: the person registry
-- may have joined an ID-less subject to a namesake who has one, and recusal must not take
-- that namesake's number as the subject's.
ALTER TABLE lead_subjects ADD COLUMN id_number_hash TEXT;
CREATE INDEX lead_subjects_name_key ON lead_subjects(name_key);
ALTER TABLE persons ADD COLUMN name_key TEXT;
CREATE INDEX persons_name_key ON persons(name_key);
CREATE TABLE recusals (
    user_id BIGINT NOT NULL REFERENCES users(id),
    lead_id BIGINT NOT NULL REFERENCES leads(id),
    basis TEXT NOT NULL,
    PRIMARY KEY (user_id, lead_id)
);
CREATE INDEX recusals_lead ON recusals(lead_id);
CREATE TABLE recusal_clearances (
    lead_id BIGINT NOT NULL REFERENCES leads(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    cleared_by BIGINT NOT NULL REFERENCES users(id),
    reason TEXT NOT NULL,
    cleared_at BIGINT NOT NULL,
    PRIMARY KEY (lead_id, user_id)
);
