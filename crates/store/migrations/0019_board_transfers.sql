-- The board shows transferred stock leads apart, and those still awaiting their receipt
-- (issue 12); the kept figures are recounted on the next board.
ALTER TABLE board_tallies ADD COLUMN stock_transferred BIGINT NOT NULL DEFAULT 0;
ALTER TABLE board_tallies ADD COLUMN stock_awaiting_receipt BIGINT NOT NULL DEFAULT 0;
UPDATE board_tally_state SET as_of = '' WHERE id = 1
