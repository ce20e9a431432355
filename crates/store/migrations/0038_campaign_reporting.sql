-- What a campaign's reporting follows (issue 17, point 5): the score rules its bulletins use and
-- the outline of the work reports it asks for (JSON, domain::reporting::outline; NULL: the plan's
-- seven sections). Both travel with the campaign when it is copied as next year's template.
-- Campaigns made before this take the rules in force today, so their bulletins do not change.
ALTER TABLE campaigns ADD COLUMN score_rules_id BIGINT REFERENCES score_rules(id);
ALTER TABLE campaigns ADD COLUMN report_outline TEXT;
UPDATE campaigns SET score_rules_id = (SELECT MAX(id) FROM score_rules);
