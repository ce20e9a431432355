-- The statistics' kept figures (issue 17): what the leads of each campaign add to each unit's
-- figures, by day, by month ('YYYY-MM') and in all, changed in the same transaction as every lead
-- they count (domain::reporting::kept), so a period's statistics read a few rows per unit instead
-- of counting every lead. Unlike the board's, they do not depend on the day. stat_tally_state.counted
-- is 0 until they are first counted and after a bulk load; the next reader counts them afresh.
CREATE TABLE stat_days (
    campaign_id BIGINT NOT NULL REFERENCES campaigns(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    day TEXT NOT NULL,
    received BIGINT NOT NULL DEFAULT 0,
    new_received BIGINT NOT NULL DEFAULT 0,
    stock_received BIGINT NOT NULL DEFAULT 0,
    closed BIGINT NOT NULL DEFAULT 0,
    stock_closed BIGINT NOT NULL DEFAULT 0,
    confirmed BIGINT NOT NULL DEFAULT 0,
    open_due BIGINT NOT NULL DEFAULT 0,
    overdue_from BIGINT NOT NULL DEFAULT 0,
    cat_gang_corruption BIGINT NOT NULL DEFAULT 0,
    cat_protective_umbrella BIGINT NOT NULL DEFAULT 0,
    cat_harm_to_public BIGINT NOT NULL DEFAULT 0,
    cat_work_style BIGINT NOT NULL DEFAULT 0,
    cat_work_error BIGINT NOT NULL DEFAULT 0,
    cat_other BIGINT NOT NULL DEFAULT 0,
    src_assigned_by_higher BIGINT NOT NULL DEFAULT 0,
    src_supervised_by_higher BIGINT NOT NULL DEFAULT 0,
    src_petition_report BIGINT NOT NULL DEFAULT 0,
    src_inspection_transfer BIGINT NOT NULL DEFAULT 0,
    src_audit_transfer BIGINT NOT NULL DEFAULT 0,
    src_judicial_transfer BIGINT NOT NULL DEFAULT 0,
    src_found_in_supervision BIGINT NOT NULL DEFAULT 0,
    src_found_in_investigation BIGINT NOT NULL DEFAULT 0,
    src_other BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (campaign_id, unit_id, day)
);
CREATE TABLE stat_months (
    campaign_id BIGINT NOT NULL REFERENCES campaigns(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    month TEXT NOT NULL,
    received BIGINT NOT NULL DEFAULT 0,
    new_received BIGINT NOT NULL DEFAULT 0,
    stock_received BIGINT NOT NULL DEFAULT 0,
    closed BIGINT NOT NULL DEFAULT 0,
    stock_closed BIGINT NOT NULL DEFAULT 0,
    confirmed BIGINT NOT NULL DEFAULT 0,
    open_due BIGINT NOT NULL DEFAULT 0,
    overdue_from BIGINT NOT NULL DEFAULT 0,
    cat_gang_corruption BIGINT NOT NULL DEFAULT 0,
    cat_protective_umbrella BIGINT NOT NULL DEFAULT 0,
    cat_harm_to_public BIGINT NOT NULL DEFAULT 0,
    cat_work_style BIGINT NOT NULL DEFAULT 0,
    cat_work_error BIGINT NOT NULL DEFAULT 0,
    cat_other BIGINT NOT NULL DEFAULT 0,
    src_assigned_by_higher BIGINT NOT NULL DEFAULT 0,
    src_supervised_by_higher BIGINT NOT NULL DEFAULT 0,
    src_petition_report BIGINT NOT NULL DEFAULT 0,
    src_inspection_transfer BIGINT NOT NULL DEFAULT 0,
    src_audit_transfer BIGINT NOT NULL DEFAULT 0,
    src_judicial_transfer BIGINT NOT NULL DEFAULT 0,
    src_found_in_supervision BIGINT NOT NULL DEFAULT 0,
    src_found_in_investigation BIGINT NOT NULL DEFAULT 0,
    src_other BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (campaign_id, unit_id, month)
);
CREATE TABLE stat_totals (
    campaign_id BIGINT NOT NULL REFERENCES campaigns(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    received BIGINT NOT NULL DEFAULT 0,
    new_received BIGINT NOT NULL DEFAULT 0,
    stock_received BIGINT NOT NULL DEFAULT 0,
    closed BIGINT NOT NULL DEFAULT 0,
    stock_closed BIGINT NOT NULL DEFAULT 0,
    confirmed BIGINT NOT NULL DEFAULT 0,
    open_due BIGINT NOT NULL DEFAULT 0,
    overdue_from BIGINT NOT NULL DEFAULT 0,
    cat_gang_corruption BIGINT NOT NULL DEFAULT 0,
    cat_protective_umbrella BIGINT NOT NULL DEFAULT 0,
    cat_harm_to_public BIGINT NOT NULL DEFAULT 0,
    cat_work_style BIGINT NOT NULL DEFAULT 0,
    cat_work_error BIGINT NOT NULL DEFAULT 0,
    cat_other BIGINT NOT NULL DEFAULT 0,
    src_assigned_by_higher BIGINT NOT NULL DEFAULT 0,
    src_supervised_by_higher BIGINT NOT NULL DEFAULT 0,
    src_petition_report BIGINT NOT NULL DEFAULT 0,
    src_inspection_transfer BIGINT NOT NULL DEFAULT 0,
    src_audit_transfer BIGINT NOT NULL DEFAULT 0,
    src_judicial_transfer BIGINT NOT NULL DEFAULT 0,
    src_found_in_supervision BIGINT NOT NULL DEFAULT 0,
    src_found_in_investigation BIGINT NOT NULL DEFAULT 0,
    src_other BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (campaign_id, unit_id)
);
CREATE TABLE stat_tally_state (
    id BIGINT PRIMARY KEY,
    counted BIGINT NOT NULL
);
INSERT INTO stat_tally_state (id, counted) VALUES (1, 0);
-- The first and last months kept, and a month's rows over every unit.
CREATE INDEX stat_months_by_month ON stat_months(campaign_id, month);
-- The statistics' counts of other records start from the records of the period (see
-- store::reporting::statistics): these find them by their day.
CREATE INDEX extensions_approved ON extensions(state, approved_at);
CREATE INDEX lead_events_decided ON lead_events(kind, state, (COALESCE(decided_at, at)));
CREATE INDEX lead_clocks_due ON lead_clocks(due_on);
