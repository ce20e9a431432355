-- Repeat reports and relations (issue 14).
-- A signed reporter is linked across leads only by a keyed hash of their identity, computed when
-- it is sealed; who they are stays sealed.
ALTER TABLE reporters ADD COLUMN identity_key TEXT;
CREATE INDEX reporters_identity_key ON reporters(identity_key);
-- The same source document number is the strongest sign of a repeat (the same assignment sent
-- again): looked up at every registration.
CREATE INDEX leads_source_doc_no ON leads(source_doc_no);
-- Each earlier lead a new report was found to repeat, and what became of it. The re-review of
-- unfounded closures reads `original_unfounded`: a lead closed as 查否 that is reported again.
CREATE TABLE repeat_reports (
    id ID_PK,
    lead_id BIGINT NOT NULL REFERENCES leads(id),
    original_id BIGINT NOT NULL REFERENCES leads(id),
    outcome TEXT NOT NULL,
    reasons TEXT NOT NULL,
    original_unfounded BIGINT NOT NULL CHECK (original_unfounded IN (0, 1)),
    actor BIGINT NOT NULL REFERENCES users(id),
    at BIGINT NOT NULL
);
CREATE INDEX repeat_reports_lead ON repeat_reports(lead_id);
CREATE INDEX repeat_reports_original ON repeat_reports(original_id, original_unfounded);
