-- At most one step awaiting approval, and one extension in progress, per lead: enforced by
-- the database, so concurrent requests cannot both get through (PostgreSQL has no
-- single-writer queue to rely on).
CREATE UNIQUE INDEX lead_events_one_pending ON lead_events(lead_id) WHERE state = 'pending';
CREATE UNIQUE INDEX extensions_one_open ON extensions(lead_id) WHERE state IN ('requested', 'signed', 'filed');
