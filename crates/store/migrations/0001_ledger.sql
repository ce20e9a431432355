-- One schema for both backends. Two tokens are translated per backend by migrate.rs:
--   ID_PK  an auto-generated 64-bit primary key whose values are never reused
--   BYTES  a byte string
-- Dates users see are TEXT 'YYYY-MM-DD' (Beijing dates; they sort correctly as text);
-- instants are BIGINT microseconds since the Unix epoch, UTC; flags are BIGINT 0/1 (the
-- Any driver reads no SQLite BOOLEAN).

CREATE TABLE units (
    id ID_PK,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    parent_id BIGINT REFERENCES units(id),
    created_at BIGINT NOT NULL,
    CONSTRAINT units_code_unique UNIQUE (code)
);
CREATE INDEX units_parent ON units(parent_id);

-- Every (ancestor, descendant) pair including (u, u); scope checks are one indexed lookup.
CREATE TABLE unit_closure (
    ancestor_id BIGINT NOT NULL REFERENCES units(id),
    descendant_id BIGINT NOT NULL REFERENCES units(id),
    depth BIGINT NOT NULL,
    PRIMARY KEY (ancestor_id, descendant_id)
);
CREATE INDEX unit_closure_descendant ON unit_closure(descendant_id);

CREATE TABLE users (
    id ID_PK,
    username TEXT NOT NULL,
    display_name TEXT NOT NULL,
    unit_id BIGINT NOT NULL REFERENCES units(id),
    password_hash TEXT NOT NULL,
    must_change_password BIGINT NOT NULL CHECK (must_change_password IN (0, 1)),
    disabled BIGINT NOT NULL CHECK (disabled IN (0, 1)),
    created_at BIGINT NOT NULL,
    CONSTRAINT users_username_unique UNIQUE (username)
);

CREATE TABLE grants (
    id ID_PK,
    user_id BIGINT NOT NULL REFERENCES users(id),
    role TEXT NOT NULL,
    unit_id BIGINT NOT NULL REFERENCES units(id),
    created_at BIGINT NOT NULL,
    CONSTRAINT grants_unique UNIQUE (user_id, role, unit_id)
);

-- Only a hash of the session token is stored: a database dump does not yield live sessions.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id),
    kind TEXT NOT NULL,
    csrf_token TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE campaigns (
    id ID_PK,
    name TEXT NOT NULL,
    stock_cutoff TEXT NOT NULL,
    clearance_deadline TEXT NOT NULL,
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    report_due TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE campaign_phases (
    campaign_id BIGINT NOT NULL REFERENCES campaigns(id),
    ordinal BIGINT NOT NULL,
    name TEXT NOT NULL,
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    PRIMARY KEY (campaign_id, ordinal)
);

-- The last sequence number handed out per unit and year. Numbers are taken inside the
-- registering transaction, so a rolled-back registration leaves no gap.
CREATE TABLE lead_sequences (
    unit_id BIGINT NOT NULL REFERENCES units(id),
    year BIGINT NOT NULL,
    last_value BIGINT NOT NULL,
    PRIMARY KEY (unit_id, year)
);

CREATE TABLE leads (
    id ID_PK,
    number TEXT NOT NULL,
    unit_id BIGINT NOT NULL REFERENCES units(id),
    campaign_id BIGINT NOT NULL REFERENCES campaigns(id),
    source TEXT NOT NULL,
    source_doc_no TEXT,
    assigning_body TEXT,
    received_on TEXT NOT NULL,
    category TEXT NOT NULL,
    problem_domain TEXT NOT NULL,
    summary TEXT NOT NULL,
    important BIGINT NOT NULL CHECK (important IN (0, 1)),
    handling_mode TEXT NOT NULL,
    responsible_leader TEXT,
    responsible_person TEXT,
    deadline TEXT NOT NULL,
    status TEXT NOT NULL,
    stock_class TEXT NOT NULL,
    search_text TEXT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL,
    updated_by BIGINT NOT NULL REFERENCES users(id),
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL,
    CONSTRAINT leads_number_unique UNIQUE (number)
);
-- Unit-scoped lists sort by received date, deadline or number; each has its index so a
-- unit's page is an index range scan, never a table scan.
CREATE INDEX leads_unit_received ON leads(unit_id, received_on, id);
CREATE INDEX leads_unit_deadline ON leads(unit_id, deadline, id);
CREATE INDEX leads_unit_status_received ON leads(unit_id, status, received_on);
CREATE INDEX leads_received ON leads(received_on, id);
CREATE INDEX leads_deadline ON leads(deadline, id);

CREATE TABLE lead_subjects (
    lead_id BIGINT NOT NULL REFERENCES leads(id),
    ordinal BIGINT NOT NULL,
    name TEXT NOT NULL,
    unit_name TEXT NOT NULL,
    post TEXT NOT NULL,
    subject_rank TEXT NOT NULL,
    political_status TEXT NOT NULL,
    is_unit_head BIGINT NOT NULL CHECK (is_unit_head IN (0, 1)),
    cadre_level TEXT NOT NULL,
    PRIMARY KEY (lead_id, ordinal)
);

-- Reporter identity lives apart from the lead so that it can be protected on its own.
CREATE TABLE reporters (
    lead_id BIGINT PRIMARY KEY REFERENCES leads(id),
    kind TEXT NOT NULL,
    name TEXT,
    contact TEXT
);
