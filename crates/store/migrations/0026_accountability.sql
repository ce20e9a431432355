-- Accountability (问责) and early intervention (抓早抓小), issue 15: records kept per unit.
CREATE TABLE accountabilities (
    id ID_PK,
    unit_id BIGINT NOT NULL REFERENCES units(id),
    target TEXT NOT NULL,
    person TEXT NOT NULL,
    ground TEXT NOT NULL,
    form TEXT NOT NULL,
    decided_on TEXT NOT NULL,
    doc_no TEXT NOT NULL,
    source TEXT NOT NULL,
    source_ref TEXT NOT NULL,
    actor BIGINT NOT NULL REFERENCES users(id),
    at BIGINT NOT NULL
);
CREATE INDEX accountabilities_unit ON accountabilities(unit_id, decided_on);
CREATE TABLE early_warnings (
    id ID_PK,
    unit_id BIGINT NOT NULL REFERENCES units(id),
    person TEXT NOT NULL,
    post TEXT NOT NULL,
    problem TEXT NOT NULL,
    source TEXT NOT NULL,
    intervention TEXT NOT NULL,
    given_on TEXT NOT NULL,
    given_by TEXT NOT NULL,
    follow_up TEXT,
    lead_id BIGINT REFERENCES leads(id),
    actor BIGINT NOT NULL REFERENCES users(id),
    at BIGINT NOT NULL
);
CREATE INDEX early_warnings_unit ON early_warnings(unit_id, given_on);
