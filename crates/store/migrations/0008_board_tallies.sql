-- The clearance board's figures per campaign and unit, changed in the same transaction as
-- every lead (and extension) they count, so the board reads one row per unit instead of
-- counting every lead. Overdue figures depend on the day: the rows are as of
-- board_tally_state.as_of ('' = not counted yet) and are recounted when the day changes.
CREATE TABLE board_tallies (
    campaign_id BIGINT NOT NULL REFERENCES campaigns(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    stock_total BIGINT NOT NULL,
    stock_cleared BIGINT NOT NULL,
    stock_overdue BIGINT NOT NULL,
    new_total BIGINT NOT NULL,
    new_open BIGINT NOT NULL,
    new_overdue BIGINT NOT NULL,
    new_routed_late BIGINT NOT NULL,
    extensions BIGINT NOT NULL,
    flagged_extensions BIGINT NOT NULL,
    PRIMARY KEY (campaign_id, unit_id)
);
CREATE TABLE board_tally_state (
    id BIGINT PRIMARY KEY,
    as_of TEXT NOT NULL
);
INSERT INTO board_tally_state (id, as_of) VALUES (1, '');
