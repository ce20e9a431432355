-- The timeline is typed (issue 9): kinds, states and payloads are stable codes and JSON, and
-- the system's own words are rendered from them in the reader's language. Rows written
-- before are converted by this migration's data step (store::lifecycle::legacy). The old
-- catch-all kind 'extension' becomes one kind per step of an extension.
CREATE INDEX lead_events_kind ON lead_events(lead_id, kind);
