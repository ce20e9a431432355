-- Lead numbers sort by their sequence as a number (-10000 after -9999), the same on both
-- databases: number_order is the number with its sequence zero-padded (domain LeadNo::sort_key),
-- filled for existing rows by this migration's data step.
ALTER TABLE leads ADD COLUMN number_order TEXT NOT NULL DEFAULT '';
CREATE INDEX leads_number_order ON leads(number_order);
CREATE INDEX leads_unit_number_order ON leads(unit_id, number_order);
