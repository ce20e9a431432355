-- Clocks beside a lead's stage clock (issue 11): transferred intake, acceptance notice,
-- satisfaction follow-up, report back. One row per lead and rule; stopped_at set when its
-- work is recorded (the row stays: when it ran is part of the record).
CREATE TABLE lead_clocks (
    lead_id BIGINT NOT NULL REFERENCES leads(id),
    rule TEXT NOT NULL,
    started_on TEXT NOT NULL,
    due_on TEXT NOT NULL,
    provisional BIGINT NOT NULL,
    stopped_at BIGINT,
    -- The warning colour last notified (the scan tells each colour once).
    notified TEXT,
    PRIMARY KEY (lead_id, rule)
);
CREATE INDEX lead_clocks_running ON lead_clocks(due_on) WHERE stopped_at IS NULL
