-- Campaigns as data the supervising committee keeps (issue 11): a campaign may be closed;
-- new leads go to the latest open one.
ALTER TABLE campaigns ADD COLUMN closed_at BIGINT;
