-- The day a lead was closed (办结, 予以了结, 移交; a later 销号 keeps it), which the statistics
-- count by (issue 17); NULL while it is open. Kept by the status change itself; filled for
-- leads closed before from their timeline (the migration's data step).
ALTER TABLE leads ADD COLUMN closed_on TEXT;
CREATE INDEX leads_unit_closed ON leads(unit_id, closed_on);
