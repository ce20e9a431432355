-- The public intake portal (网上举报), issue 16. A report keeps no address, user agent or time of
-- day: only the day it came in. The receipt code is kept as a keyed hash, the passphrase as an
-- argon2 hash, the report and every message sealed.
CREATE TABLE portal_reports (
    id ID_PK,
    receipt_hash TEXT NOT NULL,
    passphrase_hash TEXT NOT NULL,
    kind TEXT NOT NULL,
    key_id TEXT NOT NULL,
    sealed_report TEXT NOT NULL,
    sealed_reporter TEXT,
    received_on TEXT NOT NULL,
    state TEXT NOT NULL,
    unit_id BIGINT REFERENCES units(id),
    lead_id BIGINT REFERENCES leads(id),
    reason TEXT,
    decided_by BIGINT REFERENCES users(id),
    decided_at BIGINT
);
CREATE UNIQUE INDEX portal_reports_receipt ON portal_reports(receipt_hash);
CREATE INDEX portal_reports_state ON portal_reports(state, unit_id);
CREATE UNIQUE INDEX portal_reports_lead ON portal_reports(lead_id);
CREATE TABLE portal_messages (
    id ID_PK,
    report_id BIGINT NOT NULL REFERENCES portal_reports(id),
    from_reporter INTEGER NOT NULL,
    key_id TEXT NOT NULL,
    sealed_text TEXT NOT NULL,
    sent_on TEXT NOT NULL,
    staff_id BIGINT REFERENCES users(id),
    staff_at BIGINT
);
CREATE INDEX portal_messages_report ON portal_messages(report_id, id);
-- A reporter signed in with code and passphrase: a random token's hash, until it expires.
CREATE TABLE portal_sessions (
    token_hash TEXT NOT NULL,
    report_id BIGINT NOT NULL REFERENCES portal_reports(id),
    csrf TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    CONSTRAINT portal_sessions_pkey PRIMARY KEY (token_hash)
);
-- Proofs of work already spent (each challenge once), until they would have expired anyway.
CREATE TABLE portal_challenges (
    token_hash TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    CONSTRAINT portal_challenges_pkey PRIMARY KEY (token_hash)
);
