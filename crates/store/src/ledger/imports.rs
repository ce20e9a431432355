//! Uploaded spreadsheet ledgers between their preview and their confirmation, and the leads
//! a re-import matches against. An import is its uploader's: every read takes the user.

use domain::{ImportId, UnitId, UserId, ledger::import::matching::KnownLead, protection::scope::Scope};
use sqlx::Row;

use crate::{
    Conn, StoreError, Tx, scope,
    sql::{SqlBuilder, Value, parse_stored_date},
};

/// Where an import stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Uploaded, previewed, not written.
    Uploaded,
    /// Written in one transaction; the file is gone, its SHA-256 and counts stay.
    Written,
}

impl State {
    const fn code(self) -> &'static str {
        match self {
            State::Uploaded => "uploaded",
            State::Written => "written",
        }
    }
}

pub struct NewImport<'a> {
    pub unit: UnitId,
    pub file_name: &'a str,
    pub sha256: &'a str,
    pub content: &'a [u8],
    /// JSON: the sheet, mapping and value choices.
    pub settings: &'a str,
    pub actor: UserId,
    pub now: i64,
}

/// An import as stored.
#[derive(Debug, Clone)]
pub struct StoredImport {
    pub id: ImportId,
    pub unit_id: UnitId,
    pub file_name: String,
    pub sha256: String,
    /// The file, until it is written.
    pub content: Option<Vec<u8>>,
    pub settings: String,
    pub state: State,
    pub rows_read: i64,
    pub written: i64,
    pub updated: i64,
    pub skipped: i64,
    pub has_error_book: bool,
    pub created_at: i64,
    pub written_at: Option<i64>,
}

pub async fn insert(tx: &mut Tx, n: &NewImport<'_>) -> Result<ImportId, StoreError> {
    let id: i64 = sqlx::query(
        "INSERT INTO imports (unit_id, file_name, sha256, content, settings, state, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(n.unit.get())
    .bind(n.file_name)
    .bind(n.sha256)
    .bind(n.content.to_vec())
    .bind(n.settings)
    .bind(State::Uploaded.code())
    .bind(n.actor.get())
    .bind(n.now)
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)?;
    Ok(ImportId::from_raw(id))
}

/// The import `id`, if `actor` uploaded it.
pub async fn get(c: &mut Conn, id: ImportId, actor: UserId) -> Result<Option<StoredImport>, StoreError> {
    let row = sqlx::query(
        "SELECT id, unit_id, file_name, sha256, content, settings, state, rows_read, written, updated, skipped,
            CASE WHEN error_book IS NULL THEN 0 ELSE 1 END AS has_error_book, created_at, written_at
         FROM imports WHERE id = $1 AND created_by = $2",
    )
    .bind(id.get())
    .bind(actor.get())
    .fetch_optional(&mut *c)
    .await?;
    let Some(r) = row else { return Ok(None) };
    let state = match r.try_get::<String, _>("state")?.as_str() {
        "uploaded" => State::Uploaded,
        "written" => State::Written,
        other => return Err(StoreError::corrupt(format!("import state {other:?}"))),
    };
    Ok(Some(StoredImport {
        id,
        unit_id: UnitId::from_raw(r.try_get("unit_id")?),
        file_name: r.try_get("file_name")?,
        sha256: r.try_get("sha256")?,
        content: r.try_get("content")?,
        settings: r.try_get("settings")?,
        state,
        rows_read: r.try_get("rows_read")?,
        written: r.try_get("written")?,
        updated: r.try_get("updated")?,
        skipped: r.try_get("skipped")?,
        has_error_book: r.try_get::<i64, _>("has_error_book")? != 0,
        created_at: r.try_get("created_at")?,
        written_at: r.try_get("written_at")?,
    }))
}

/// Keeps the user's mapping and value choices with an import not yet written.
pub async fn set_settings(tx: &mut Tx, id: ImportId, actor: UserId, settings: &str) -> Result<bool, StoreError> {
    let n = sqlx::query("UPDATE imports SET settings = $1 WHERE id = $2 AND created_by = $3 AND state = $4")
        .bind(settings)
        .bind(id.get())
        .bind(actor.get())
        .bind(State::Uploaded.code())
        .execute(&mut **tx)
        .await?
        .rows_affected();
    Ok(n == 1)
}

/// What a written import did.
pub struct Outcome<'a> {
    pub rows_read: i64,
    pub written: i64,
    pub updated: i64,
    pub skipped: i64,
    pub error_book: Option<&'a [u8]>,
}

/// Marks an import written, in the writing transaction; false if it was written already (a
/// second confirmation, or another instance).
pub async fn finish(tx: &mut Tx, id: ImportId, actor: UserId, o: &Outcome<'_>, now: i64) -> Result<bool, StoreError> {
    let n = sqlx::query(
        "UPDATE imports SET state = $1, content = NULL, rows_read = $2, written = $3, updated = $4, skipped = $5,
            error_book = $6, written_at = $7
         WHERE id = $8 AND created_by = $9 AND state = $10",
    )
    .bind(State::Written.code())
    .bind(o.rows_read)
    .bind(o.written)
    .bind(o.updated)
    .bind(o.skipped)
    .bind(o.error_book.map(<[u8]>::to_vec))
    .bind(now)
    .bind(id.get())
    .bind(actor.get())
    .bind(State::Uploaded.code())
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// The workbook of the rows an import did not write, if `actor` made it.
pub async fn error_book(c: &mut Conn, id: ImportId, actor: UserId) -> Result<Option<Vec<u8>>, StoreError> {
    let row = sqlx::query("SELECT error_book FROM imports WHERE id = $1 AND created_by = $2")
        .bind(id.get())
        .bind(actor.get())
        .fetch_optional(&mut *c)
        .await?;
    Ok(row.map(|r| r.try_get::<Option<Vec<u8>>, _>(0)).transpose()?.flatten())
}

/// The leads of `unit` (which lies in `scope`'s subtrees), by every key a re-imported row may
/// match on. Leads kept from the caller (回避) are among them: a row repeating one is still
/// not a new lead, though the caller learns nothing of it beyond that.
pub async fn known_leads(c: &mut Conn, scope: &Scope, unit: UnitId) -> Result<Vec<KnownLead>, StoreError> {
    let mut b = SqlBuilder::new(
        "SELECT l.id, l.number, l.original_no, l.source_doc_no, l.received_on,
            (SELECT s.name FROM lead_subjects s WHERE s.lead_id = l.id AND s.ordinal = 0) AS first_subject
         FROM leads l WHERE l.unit_id = ",
    );
    b.bind(Value::Int(unit.get()));
    scope::push_units(&mut b, scope, "l.unit_id");
    b.build()
        .fetch_all(&mut *c)
        .await?
        .iter()
        .map(|r| {
            Ok(KnownLead {
                id: domain::LeadId::from_raw(r.try_get("id")?),
                number: r.try_get("number")?,
                original_no: r.try_get("original_no")?,
                source_doc_no: r.try_get("source_doc_no")?,
                first_subject: r.try_get("first_subject")?,
                received_on: parse_stored_date(&r.try_get::<String, _>("received_on")?)?,
            })
        })
        .collect()
}
