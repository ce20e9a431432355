-- Feedback to reporters (受理告知, 结果反馈, 满意度回访) and their objections (异议), issue 16.
-- Each feedback row also records the lead's follow-through event, which moves its side clocks.
CREATE TABLE reporter_feedback (
    id ID_PK,
    lead_id BIGINT NOT NULL REFERENCES leads(id),
    event_id BIGINT NOT NULL REFERENCES lead_events(id),
    kind TEXT NOT NULL,
    contacted_on TEXT NOT NULL,
    method TEXT NOT NULL,
    given_by TEXT NOT NULL,
    note TEXT,
    rating TEXT,
    reasons TEXT,
    recorded_by BIGINT NOT NULL REFERENCES users(id),
    recorded_at BIGINT NOT NULL
);
CREATE INDEX reporter_feedback_lead ON reporter_feedback(lead_id, id);
-- The satisfaction rate counts follow-ups by the day they were held.
CREATE INDEX reporter_feedback_rated ON reporter_feedback(kind, contacted_on);
CREATE TABLE objections (
    id ID_PK,
    lead_id BIGINT NOT NULL REFERENCES leads(id),
    received_on TEXT NOT NULL,
    method TEXT NOT NULL,
    content TEXT NOT NULL,
    new_material INTEGER NOT NULL,
    state TEXT NOT NULL,
    recorded_by BIGINT NOT NULL REFERENCES users(id),
    recorded_at BIGINT NOT NULL,
    answered_on TEXT,
    answer TEXT,
    material_checked TEXT,
    given_by TEXT,
    answered_by BIGINT REFERENCES users(id),
    answered_at BIGINT
);
CREATE INDEX objections_lead ON objections(lead_id, id);
