-- Leads imported from a unit's own spreadsheet ledger keep the sheet's number (原编号), by
-- which a re-import of the same or an updated sheet finds them (issue 13).
ALTER TABLE leads ADD COLUMN original_no TEXT;
CREATE INDEX leads_unit_original_no ON leads(unit_id, original_no);
-- An uploaded sheet waits here between its preview and the user's confirmation, with the
-- mapping and value choices made so far; once written (or abandoned) the file itself is
-- dropped and only its SHA-256 stays, with the error workbook of the rows not written.
CREATE TABLE imports (
    id ID_PK,
    unit_id BIGINT NOT NULL REFERENCES units(id),
    file_name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    content BYTES,
    settings TEXT NOT NULL,
    state TEXT NOT NULL,
    rows_read BIGINT NOT NULL DEFAULT 0,
    written BIGINT NOT NULL DEFAULT 0,
    updated BIGINT NOT NULL DEFAULT 0,
    skipped BIGINT NOT NULL DEFAULT 0,
    error_book BYTES,
    created_by BIGINT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL,
    written_at BIGINT
);
CREATE INDEX imports_created_by ON imports(created_by, id)
