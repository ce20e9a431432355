-- Attachments (附件), issue 16: kept in the database (so backups and several instances hold
-- them), each file encrypted at rest under its own key, which is sealed by the key file. Stored
-- in chunks, so a 50 MB file goes in and out without being held whole in memory.
CREATE TABLE attachments (
    id ID_PK,
    lead_id BIGINT NOT NULL REFERENCES leads(id),
    sealed_name TEXT NOT NULL,
    kind TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT,
    key_id TEXT NOT NULL,
    sealed_key TEXT NOT NULL,
    state TEXT NOT NULL,
    uploaded_by BIGINT NOT NULL REFERENCES users(id),
    uploaded_at BIGINT NOT NULL
);
CREATE INDEX attachments_lead ON attachments(lead_id, state);
CREATE TABLE attachment_chunks (
    attachment_id BIGINT NOT NULL REFERENCES attachments(id),
    seq INTEGER NOT NULL,
    bytes BYTES NOT NULL,
    CONSTRAINT attachment_chunks_pkey PRIMARY KEY (attachment_id, seq)
);
