-- One definition of cleared (issue 11). A campaign says what it counts: the units (a subtree,
-- none = all), the categories (space-separated codes), the sources (none = all), whether a
-- transfer needs the receiving body's receipt, and how long one extension may run. A lead in
-- no campaign's scope is ordinary handling (campaign_id NULL: the data step drops the NOT
-- NULL). The data step also moves old 提级 leads up, and recomputes open clocks.
ALTER TABLE campaigns ADD COLUMN scope_unit_id BIGINT REFERENCES units(id);
ALTER TABLE campaigns ADD COLUMN counted_categories TEXT NOT NULL DEFAULT 'gang_corruption protective_umbrella';
ALTER TABLE campaigns ADD COLUMN counted_sources TEXT NOT NULL DEFAULT '';
ALTER TABLE campaigns ADD COLUMN transfer_needs_receipt BIGINT NOT NULL DEFAULT 1;
ALTER TABLE campaigns ADD COLUMN extension_cap_months BIGINT NOT NULL DEFAULT 1;
ALTER TABLE leads ADD COLUMN transfer_received_on TEXT;
ALTER TABLE leads ADD COLUMN routed_late BIGINT NOT NULL DEFAULT 0;
ALTER TABLE board_tallies ADD COLUMN stock_unowned BIGINT NOT NULL DEFAULT 0;
CREATE INDEX leads_campaign ON leads(campaign_id, unit_id);
UPDATE board_tally_state SET as_of = '' WHERE id = 1
