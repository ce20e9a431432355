-- Protection (issue 3): the audit chain, encrypted reporter identity, implicated persons,
-- login throttling and personal API tokens.

-- The chain's head: one row whose lock serialises appenders, so entries get contiguous
-- sequence numbers and each links to the one before.
CREATE TABLE audit_head (
    id BIGINT PRIMARY KEY,
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE audit_log (
    seq BIGINT PRIMARY KEY,
    at BIGINT NOT NULL,
    actor_id BIGINT,
    actor_name TEXT NOT NULL,
    action TEXT NOT NULL,
    record_type TEXT NOT NULL,
    record_id TEXT NOT NULL,
    before_state TEXT,
    after_state TEXT,
    detail TEXT,
    algo TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_log_actor ON audit_log(actor_id, seq);
CREATE INDEX audit_log_record ON audit_log(record_type, record_id, seq);
CREATE INDEX audit_log_action ON audit_log(action, seq);
CREATE INDEX audit_log_at ON audit_log(at);

-- Reporter identity, sealed: nonce and ciphertext (hex) under the key named by key_id.
ALTER TABLE reporters ADD COLUMN name_sealed TEXT;
ALTER TABLE reporters ADD COLUMN contact_sealed TEXT;
ALTER TABLE reporters ADD COLUMN key_id TEXT;

-- People named as subjects, so that repeat subjects link up and users who are themselves
-- subjects can be kept away from those leads.
CREATE TABLE persons (
    id ID_PK,
    id_number_hash TEXT,
    name TEXT NOT NULL,
    unit_name TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX persons_id_number ON persons(id_number_hash);
CREATE INDEX persons_name_unit ON persons(name, unit_name);
ALTER TABLE lead_subjects ADD COLUMN person_id BIGINT REFERENCES persons(id);
CREATE INDEX lead_subjects_person ON lead_subjects(person_id);
ALTER TABLE users ADD COLUMN person_id BIGINT REFERENCES persons(id);
-- A lead about the handling unit's own head goes up a level; this remembers from where.
ALTER TABLE leads ADD COLUMN routed_from_unit_id BIGINT REFERENCES units(id);

-- Login throttling per account and per client address.
ALTER TABLE users ADD COLUMN failed_logins BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN locked_until BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN totp_secret TEXT;
CREATE TABLE login_failures (
    client TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX login_failures_client ON login_failures(client, at);

-- Personal API tokens: shown once, stored hashed, with expiry and revocation.
CREATE TABLE api_tokens (
    id ID_PK,
    user_id BIGINT NOT NULL REFERENCES users(id),
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    revoked_at BIGINT,
    last_used_at BIGINT,
    CONSTRAINT api_tokens_hash_unique UNIQUE (token_hash)
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);
