-- Handling modes (issue 4 §5): listed supervision with follow-up orders, and moves of
-- jurisdiction (提级办理 / 指定管辖) that leave the original unit a read-only view.

ALTER TABLE leads ADD COLUMN previous_unit_id BIGINT REFERENCES units(id);
CREATE INDEX leads_previous_unit ON leads(previous_unit_id);

-- A follow-up order (督办单) with its reply deadline.
CREATE TABLE follow_up_orders (
    id ID_PK,
    lead_id BIGINT NOT NULL REFERENCES leads(id),
    issued_by BIGINT NOT NULL REFERENCES users(id),
    issued_at BIGINT NOT NULL,
    requirement TEXT NOT NULL,
    reply_due TEXT NOT NULL,
    closed_at BIGINT
);
CREATE INDEX follow_up_orders_lead ON follow_up_orders(lead_id, id);

-- Staged reports on an order: first, progress (any number), final.
CREATE TABLE follow_up_reports (
    id ID_PK,
    order_id BIGINT NOT NULL REFERENCES follow_up_orders(id),
    stage TEXT NOT NULL,
    content TEXT NOT NULL,
    reported_by BIGINT NOT NULL REFERENCES users(id),
    reported_at BIGINT NOT NULL
);
CREATE INDEX follow_up_reports_order ON follow_up_reports(order_id, id);
