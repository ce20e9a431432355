-- 待办 filters a user's notices by unit and pages them newest first (issue 12). At a
-- province's scale a supervisor holds tens of thousands of notices: counting them through
-- the leads table took seconds. Each notice keeps the unit of its lead as it was written.
ALTER TABLE notifications ADD COLUMN unit_id BIGINT REFERENCES units(id);
UPDATE notifications SET unit_id = (SELECT l.unit_id FROM leads l WHERE l.id = notifications.lead_id)
    WHERE lead_id IS NOT NULL;
CREATE INDEX notifications_user_id ON notifications(user_id, id);
CREATE INDEX notifications_user_unit ON notifications(user_id, unit_id);
