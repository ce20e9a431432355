-- Files on a lead's steps, reviews and rectifications (issue 16): still the lead's (as visible
-- as it), marked with the one record they belong to. The cipher the file's chunks are sealed
-- with follows the key file's (AES-256-GCM, or SM4-GCM for 国密 deployments); files kept before
-- this were all AES-256-GCM.
ALTER TABLE attachments ADD COLUMN step_id BIGINT REFERENCES lead_events(id);
ALTER TABLE attachments ADD COLUMN review_id BIGINT REFERENCES reviews(id);
ALTER TABLE attachments ADD COLUMN rectification_id BIGINT REFERENCES rectifications(id);
ALTER TABLE attachments ADD COLUMN cipher TEXT NOT NULL DEFAULT 'aes256gcm';
CREATE INDEX attachments_review ON attachments(review_id);
CREATE INDEX attachments_rectification ON attachments(rectification_id);
