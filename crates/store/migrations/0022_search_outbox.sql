-- Every write that changes what the search index holds of a lead records the lead here, in its
-- own transaction; each instance follows the sequence and re-reads those leads into its index
-- (issue 14). The index itself is derived and rebuilt from the database.
CREATE TABLE search_outbox (
    seq ID_PK,
    lead_id BIGINT NOT NULL
)
