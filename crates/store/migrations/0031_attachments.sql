-- Attachments (附件), issue 16: kept in the database (so backups and several instances hold
-- them), each file encrypted at rest under its own key, which is sealed by the key file. Stored
-- in chunks, so a 50 MB file goes in and out without being held whole in memory.
-- A file is a lead's, or (sent by a reporter on the portal) a portal report's until the report
-- is registered as a lead, when it becomes the lead's.
CREATE TABLE attachments (
    id ID_PK,
    lead_id BIGINT REFERENCES leads(id),
    portal_report_id BIGINT REFERENCES portal_reports(id),
    sealed_name TEXT NOT NULL,
    kind TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT,
    key_id TEXT NOT NULL,
    sealed_key TEXT NOT NULL,
    state TEXT NOT NULL,
    uploaded_by BIGINT REFERENCES users(id),
    uploaded_at BIGINT NOT NULL
);
CREATE INDEX attachments_lead ON attachments(lead_id, state);
CREATE INDEX attachments_report ON attachments(portal_report_id, state);
CREATE TABLE attachment_chunks (
    attachment_id BIGINT NOT NULL REFERENCES attachments(id),
    seq INTEGER NOT NULL,
    bytes BYTES NOT NULL,
    CONSTRAINT attachment_chunks_pkey PRIMARY KEY (attachment_id, seq)
);
