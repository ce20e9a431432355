-- The libraries (issue 15): typical cases, good practices, and warning-education events.
CREATE TABLE typical_cases (
    id ID_PK,
    title TEXT NOT NULL,
    category TEXT NOT NULL,
    lead_id BIGINT REFERENCES leads(id),
    text TEXT NOT NULL,
    lessons TEXT NOT NULL,
    published BIGINT NOT NULL CHECK (published IN (0, 1)),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    actor BIGINT NOT NULL REFERENCES users(id),
    at BIGINT NOT NULL
);
CREATE INDEX typical_cases_published ON typical_cases(published, id);
CREATE TABLE good_practices (
    id ID_PK,
    unit_id BIGINT NOT NULL REFERENCES units(id),
    title TEXT NOT NULL,
    practised_on TEXT NOT NULL,
    text TEXT NOT NULL,
    published BIGINT NOT NULL CHECK (published IN (0, 1)),
    actor BIGINT NOT NULL REFERENCES users(id),
    at BIGINT NOT NULL
);
CREATE INDEX good_practices_unit ON good_practices(unit_id, practised_on);
CREATE TABLE education_events (
    id ID_PK,
    unit_id BIGINT NOT NULL REFERENCES units(id),
    held_on TEXT NOT NULL,
    form TEXT NOT NULL,
    attendance BIGINT NOT NULL,
    case_id BIGINT REFERENCES typical_cases(id),
    actor BIGINT NOT NULL REFERENCES users(id),
    at BIGINT NOT NULL
);
CREATE INDEX education_events_unit ON education_events(unit_id, held_on);
