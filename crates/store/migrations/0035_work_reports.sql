-- Work reports (工作情况报告, issue 17): one per unit and campaign; its sections as written, and
-- once the unit head signs, the figures as signed, the SM3 signature and its verification code.
-- An edit after signing voids the signature (voided_at says when it last happened).
CREATE TABLE work_reports (
    id ID_PK,
    campaign_id BIGINT NOT NULL REFERENCES campaigns(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    sections TEXT NOT NULL,
    state TEXT NOT NULL,
    edited_by BIGINT NOT NULL REFERENCES users(id),
    edited_at BIGINT NOT NULL,
    voided_at BIGINT,
    figures TEXT,
    signed_by BIGINT REFERENCES users(id),
    signed_at BIGINT,
    signature TEXT,
    code TEXT,
    submitted_by BIGINT REFERENCES users(id),
    submitted_at BIGINT,
    submitted_on TEXT,
    CONSTRAINT work_reports_one_per_unit UNIQUE (campaign_id, unit_id)
);
CREATE INDEX work_reports_code ON work_reports(code);
