-- Bulletins (通报, issue 17): versioned score rules; each bulletin with the rules it used, the
-- figures it was drafted with, its units' lines as scored and as the committee confirmed them,
-- the committee head's signature over the exact document, and the summons that follow it.
CREATE TABLE score_rules (
    id ID_PK,
    version INTEGER NOT NULL,
    rules TEXT NOT NULL,
    note TEXT,
    created_by BIGINT REFERENCES users(id),
    created_at BIGINT NOT NULL,
    CONSTRAINT score_rules_version_unique UNIQUE (version)
);
CREATE TABLE bulletins (
    id ID_PK,
    campaign_id BIGINT NOT NULL REFERENCES campaigns(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    rules_id BIGINT NOT NULL REFERENCES score_rules(id),
    period_code TEXT NOT NULL,
    period_from TEXT NOT NULL,
    period_to TEXT NOT NULL,
    period_label TEXT NOT NULL,
    title TEXT NOT NULL,
    doc_no TEXT NOT NULL,
    addressees TEXT NOT NULL,
    remarks TEXT,
    overall TEXT NOT NULL,
    dated TEXT NOT NULL,
    state TEXT NOT NULL,
    drafted_by BIGINT NOT NULL REFERENCES users(id),
    drafted_at BIGINT NOT NULL,
    signed_by BIGINT REFERENCES users(id),
    signed_at BIGINT,
    signature TEXT,
    issued_by BIGINT REFERENCES users(id),
    issued_at BIGINT,
    CONSTRAINT bulletins_doc_no_unique UNIQUE (doc_no)
);
CREATE INDEX bulletins_unit ON bulletins(unit_id, id);
CREATE TABLE bulletin_lines (
    bulletin_id BIGINT NOT NULL REFERENCES bulletins(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    unit_name TEXT NOT NULL,
    rank INTEGER NOT NULL,
    score INTEGER NOT NULL,
    parts TEXT NOT NULL,
    counts TEXT NOT NULL,
    report TEXT NOT NULL,
    proposed TEXT,
    list TEXT,
    reason TEXT,
    changed_by BIGINT REFERENCES users(id),
    changed_at BIGINT,
    PRIMARY KEY (bulletin_id, unit_id)
);
CREATE TABLE summons (
    id ID_PK,
    bulletin_id BIGINT NOT NULL REFERENCES bulletins(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    held_on TEXT NOT NULL,
    summoned_by TEXT NOT NULL,
    summoned TEXT NOT NULL,
    notes TEXT NOT NULL,
    follow_up TEXT,
    recorded_by BIGINT NOT NULL REFERENCES users(id),
    recorded_at BIGINT NOT NULL
);
CREATE INDEX summons_bulletin ON summons(bulletin_id, id);
