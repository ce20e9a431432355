-- Leadership ownership (包案) and collective study meetings (集体研判).

-- A key / difficult / hot lead (重点、难点、焦点) owned by a leadership member.
ALTER TABLE leads ADD COLUMN key_kind TEXT;
ALTER TABLE leads ADD COLUMN owning_leader_id BIGINT REFERENCES users(id);
CREATE INDEX leads_owning_leader ON leads(owning_leader_id);

-- The owning leader's guidance visits (沉到一线): when, where, what was decided.
CREATE TABLE guidance_visits (
    id ID_PK,
    lead_id BIGINT NOT NULL REFERENCES leads(id),
    leader_id BIGINT NOT NULL REFERENCES users(id),
    visited_on TEXT NOT NULL,
    place TEXT NOT NULL,
    decision TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX guidance_visits_lead ON guidance_visits(lead_id, id);

CREATE TABLE meetings (
    id ID_PK,
    unit_id BIGINT NOT NULL REFERENCES units(id),
    held_on TEXT NOT NULL,
    title TEXT NOT NULL,
    attendees TEXT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL
);
CREATE INDEX meetings_unit ON meetings(unit_id, held_on);

-- Each lead a meeting discussed, and what it decided about it.
CREATE TABLE meeting_items (
    meeting_id BIGINT NOT NULL REFERENCES meetings(id),
    lead_id BIGINT NOT NULL REFERENCES leads(id),
    decision TEXT NOT NULL,
    PRIMARY KEY (meeting_id, lead_id)
);
CREATE INDEX meeting_items_lead ON meeting_items(lead_id);
