//! A lead's reporter as stored: the kind in clear, the identity sealed by the app layer.

use domain::{LeadId, reporters::ReporterKind};
use sqlx::Row;

use crate::{
    Conn, LeadHandle, StoreError, Tx, columns::Cols, sql::SqlBuilder, sql::Value, sql::code, sql::rows_per_statement,
};

/// A reporter as stored: the kind in clear, identity sealed by the app layer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredReporter {
    pub kind: ReporterKind,
    pub name_sealed: Option<String>,
    pub contact_sealed: Option<String>,
    pub key_id: Option<String>,
    /// The keyed hash that links this reporter's reports (relations), never their identity;
    /// empty when there is nothing to link by (anonymous, or no phone or mail).
    pub identity_key: Option<String>,
    /// Identity written before sealing existed (issue 2 databases), until sealed.
    pub legacy_name: Option<String>,
    pub legacy_contact: Option<String>,
}

/// Writes (or replaces) a lead's reporter. Identity arrives already sealed.
pub async fn set_reporter(tx: &mut Tx, lead: &LeadHandle, r: &StoredReporter) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM reporters WHERE lead_id = $1").bind(lead.raw()).execute(&mut **tx).await?;
    add_reporters(tx, &[(lead, r)]).await
}

/// Writes the reporters of leads that have none yet (new leads), many per statement.
pub async fn add_reporters(tx: &mut Tx, rows: &[(&LeadHandle, &StoredReporter)]) -> Result<(), StoreError> {
    for chunk in rows.chunks(rows_per_statement(8)) {
        let mut b = SqlBuilder::bulk(
            tx,
            "INSERT INTO reporters (lead_id, kind, name, contact, name_sealed, contact_sealed, key_id, identity_key) \
             VALUES ",
        );
        for (i, (lead, r)) in chunk.iter().enumerate() {
            b.push_row(
                i == 0,
                [
                    Value::Int(lead.raw()),
                    Value::Text(r.kind.code().to_owned()),
                    Value::TextOpt(None),
                    Value::TextOpt(None),
                    Value::TextOpt(r.name_sealed.clone()),
                    Value::TextOpt(r.contact_sealed.clone()),
                    Value::TextOpt(r.key_id.clone()),
                    Value::TextOpt(r.identity_key.clone()),
                ],
            );
        }
        b.build().execute(&mut **tx).await?;
    }
    Ok(())
}

/// The reporter columns selected beside a lead's, each prefixed `r_` (the export's join).
pub(crate) const REPORTER_COLUMNS: &str = "r.kind AS r_kind, r.name AS r_name, r.contact AS r_contact, \
    r.name_sealed AS r_name_sealed, r.contact_sealed AS r_contact_sealed, r.key_id AS r_key_id, \
    r.identity_key AS r_identity_key";

/// A reporter from columns named with `prefix` (empty for the reporters table's own).
pub(crate) fn reporter_from_row<R: Cols>(r: &R, prefix: &str) -> Result<StoredReporter, StoreError> {
    let col = |name: &str| format!("{prefix}{name}");
    Ok(StoredReporter {
        kind: code(&r.col::<String>(col("kind").as_str())?, ReporterKind::from_code)?,
        name_sealed: r.col(col("name_sealed").as_str())?,
        contact_sealed: r.col(col("contact_sealed").as_str())?,
        key_id: r.col(col("key_id").as_str())?,
        identity_key: r.col(col("identity_key").as_str())?,
        legacy_name: r.col(col("name").as_str())?,
        legacy_contact: r.col(col("contact").as_str())?,
    })
}

/// A lead's stored reporter (every registered lead has one).
pub async fn reporter(c: &mut Conn, lead: &LeadHandle) -> Result<Option<StoredReporter>, StoreError> {
    sqlx::query(
        "SELECT kind, name, contact, name_sealed, contact_sealed, key_id, identity_key FROM reporters WHERE lead_id = $1",
    )
        .bind(lead.raw())
        .fetch_optional(&mut *c)
        .await?
        .as_ref()
        .map(|r| reporter_from_row(r, ""))
        .transpose()
}

/// Reporters not sealed under `key_id` (legacy plaintext, or an older key) or sealed before
/// identities were linked (no identity key; "" is "nothing to link by"), in id order
/// after `after`: the work list of sealing and key rotation (a system job, over every lead).
pub async fn reporters_to_reseal(
    c: &mut Conn,
    key_id: &str,
    after: i64,
    limit: i64,
) -> Result<Vec<(LeadHandle, StoredReporter)>, StoreError> {
    sqlx::query(
        "SELECT lead_id, kind, name, contact, name_sealed, contact_sealed, key_id, identity_key FROM reporters
         WHERE lead_id > $1 AND (name IS NOT NULL OR contact IS NOT NULL
               OR ((name_sealed IS NOT NULL OR contact_sealed IS NOT NULL) AND (key_id <> $2 OR identity_key IS NULL)))
         ORDER BY lead_id LIMIT $3",
    )
    .bind(after)
    .bind(key_id)
    .bind(limit)
    .fetch_all(&mut *c)
    .await?
    .iter()
    .map(|r| Ok((LeadHandle::found(LeadId::from_raw(r.try_get("lead_id")?)), reporter_from_row(r, "")?)))
    .collect()
}
