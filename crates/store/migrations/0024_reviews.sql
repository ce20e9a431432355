-- Re-review of leads closed as unfounded (查否复审复核, issue 15).
-- Whoever proposes a 查否 (or 无法查实) conclusion signs for it (查否背书): a hash of what was
-- concluded, by whom and when, kept with the conclusion's timeline entry.
CREATE TABLE unfounded_endorsements (
    id ID_PK,
    lead_id BIGINT NOT NULL REFERENCES leads(id),
    event_id BIGINT NOT NULL REFERENCES lead_events(id),
    signer BIGINT NOT NULL REFERENCES users(id),
    signed_at BIGINT NOT NULL,
    conclusion_hash TEXT NOT NULL
);
CREATE UNIQUE INDEX unfounded_endorsements_event ON unfounded_endorsements(event_id);
CREATE INDEX unfounded_endorsements_lead ON unfounded_endorsements(lead_id);
-- Each filling of the queue, with the rules and the seed of its sample, so the same draw can
-- be made again.
CREATE TABLE review_draws (
    id ID_PK,
    unit_id BIGINT NOT NULL REFERENCES units(id),
    seed TEXT NOT NULL,
    rule_all BIGINT NOT NULL CHECK (rule_all IN (0, 1)),
    sample_percent BIGINT NOT NULL,
    rule_repeat BIGINT NOT NULL CHECK (rule_repeat IN (0, 1)),
    rule_category BIGINT NOT NULL CHECK (rule_category IN (0, 1)),
    rule_complaint BIGINT NOT NULL CHECK (rule_complaint IN (0, 1)),
    rule_returned BIGINT NOT NULL CHECK (rule_returned IN (0, 1)),
    considered BIGINT NOT NULL,
    picked BIGINT NOT NULL,
    actor BIGINT NOT NULL REFERENCES users(id),
    at BIGINT NOT NULL
);
-- One review per closure (the conclusion's timeline entry), and one open review per lead.
CREATE TABLE reviews (
    id ID_PK,
    lead_id BIGINT NOT NULL REFERENCES leads(id),
    closure_event BIGINT NOT NULL REFERENCES lead_events(id),
    draw_id BIGINT NOT NULL REFERENCES review_draws(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    reasons TEXT NOT NULL,
    -- The finding reviewed (the lead's own goes when a returned review reopens it).
    finding TEXT,
    state TEXT NOT NULL,
    political TEXT,
    political_reason TEXT,
    dereliction TEXT,
    dereliction_reason TEXT,
    depth TEXT,
    depth_reason TEXT,
    result_note TEXT,
    accountability BIGINT NOT NULL DEFAULT 0 CHECK (accountability IN (0, 1)),
    resubmit_due TEXT,
    decided_by BIGINT REFERENCES users(id),
    decided_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX reviews_one_per_closure ON reviews(closure_event);
CREATE UNIQUE INDEX reviews_one_open ON reviews(lead_id) WHERE state IN ('queued', 'in_review');
CREATE INDEX reviews_lead ON reviews(lead_id);
CREATE INDEX reviews_unit_state ON reviews(unit_id, state);
CREATE TABLE review_reviewers (
    review_id BIGINT NOT NULL REFERENCES reviews(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    assigned_by BIGINT NOT NULL REFERENCES users(id),
    assigned_at BIGINT NOT NULL,
    CONSTRAINT review_reviewers_pkey PRIMARY KEY (review_id, user_id)
);
CREATE TABLE review_methods (
    id ID_PK,
    review_id BIGINT NOT NULL REFERENCES reviews(id),
    method TEXT NOT NULL,
    held_on TEXT NOT NULL,
    persons TEXT NOT NULL,
    notes TEXT NOT NULL,
    actor BIGINT NOT NULL REFERENCES users(id),
    at BIGINT NOT NULL
);
CREATE INDEX review_methods_review ON review_methods(review_id, id);
