//! The tables whose values the key file seals, each row marked with the key it is sealed
//! under, read and rewritten in batches when the keys rotate (so old keys can be retired
//! without losing a report, a message, a file or a kept form).

use sqlx::Row;

use crate::{Conn, StoreError, Tx};

/// A table of sealed values (the reporters' identities and second factors have their own).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SealedTable {
    PortalReports,
    PortalMessages,
    Attachments,
    KeptForms,
}

impl SealedTable {
    pub const ALL: [SealedTable; 4] =
        [SealedTable::PortalReports, SealedTable::PortalMessages, SealedTable::Attachments, SealedTable::KeptForms];

    pub const fn name(self) -> &'static str {
        match self {
            SealedTable::PortalReports => "portal_reports",
            SealedTable::PortalMessages => "portal_messages",
            SealedTable::Attachments => "attachments",
            SealedTable::KeptForms => "kept_forms",
        }
    }

    /// Its sealed columns (each may be empty).
    pub const fn columns(self) -> &'static [&'static str] {
        match self {
            SealedTable::PortalReports => &["sealed_report", "sealed_reporter"],
            SealedTable::PortalMessages => &["sealed_text"],
            SealedTable::Attachments => &["sealed_key", "sealed_name"],
            SealedTable::KeptForms => &["body"],
        }
    }

    /// Kept forms are keyed by a random text id; the rest by number.
    const fn text_id(self) -> bool {
        matches!(self, SealedTable::KeptForms)
    }
}

/// A row's id, as its table keys it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowId {
    Int(i64),
    Text(String),
}

impl std::fmt::Display for RowId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RowId::Int(i) => write!(f, "{i}"),
            RowId::Text(t) => f.write_str(t),
        }
    }
}

/// A row sealed under another key than the current: its id, the key, and its sealed values in
/// the order of [`SealedTable::columns`].
#[derive(Debug, Clone)]
pub struct StaleRow {
    pub id: RowId,
    pub key_id: String,
    pub values: Vec<Option<String>>,
}

/// Up to `limit` rows of `t` not sealed under `current`.
pub async fn stale(c: &mut Conn, t: SealedTable, current: &str, limit: i64) -> Result<Vec<StaleRow>, StoreError> {
    let sql = format!(
        "SELECT id, key_id, {} FROM {} WHERE key_id <> $1 ORDER BY id LIMIT $2",
        t.columns().join(", "),
        t.name()
    );
    // Table and column names are the constants above, never input.
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(current).bind(limit).fetch_all(&mut *c).await?;
    rows.iter()
        .map(|r| {
            let id = if t.text_id() { RowId::Text(r.try_get("id")?) } else { RowId::Int(r.try_get("id")?) };
            let values =
                t.columns().iter().map(|col| r.try_get::<Option<String>, _>(*col)).collect::<Result<_, _>>()?;
            Ok(StaleRow { id, key_id: r.try_get("key_id")?, values })
        })
        .collect()
}

/// Rewrites a row's values sealed under `key_id`, unless it changed key meanwhile (then
/// false: the next batch sees it again).
pub async fn reseal(
    tx: &mut Tx,
    t: SealedTable,
    row: &StaleRow,
    key_id: &str,
    values: &[Option<String>],
) -> Result<bool, StoreError> {
    let sets: Vec<String> = t.columns().iter().enumerate().map(|(i, c)| format!("{c} = ${}", i + 2)).collect();
    let n = t.columns().len();
    let sql = format!(
        "UPDATE {} SET key_id = $1, {} WHERE id = ${} AND key_id = ${}",
        t.name(),
        sets.join(", "),
        n + 2,
        n + 3
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(key_id);
    for v in values {
        q = q.bind(v.clone());
    }
    q = match &row.id {
        RowId::Int(i) => q.bind(*i),
        RowId::Text(s) => q.bind(s.clone()),
    };
    Ok(q.bind(row.key_id.clone()).execute(&mut **tx).await?.rows_affected() == 1)
}
