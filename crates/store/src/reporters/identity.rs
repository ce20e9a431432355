//! A lead's reporter as stored: the kind in clear, the identity sealed by the app layer.

use domain::{LeadId, protection::scope::Scope, reporters::ReporterKind};
use sqlx::{Row, any::AnyRow};

use crate::{
    Conn, StoreError, scope,
    sql::{SqlBuilder, Value, code},
};

/// A reporter as stored: the kind in clear, identity sealed by the app layer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredReporter {
    pub kind: ReporterKind,
    pub name_sealed: Option<String>,
    pub contact_sealed: Option<String>,
    pub key_id: Option<String>,
    /// Identity written before sealing existed (issue 2 databases), until sealed.
    pub legacy_name: Option<String>,
    pub legacy_contact: Option<String>,
}

/// Writes (or replaces) a lead's reporter. Identity arrives already sealed.
pub async fn set_reporter(c: &mut Conn, lead: LeadId, r: &StoredReporter) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM reporters WHERE lead_id = $1").bind(lead.get()).execute(&mut *c).await?;
    sqlx::query(
        "INSERT INTO reporters (lead_id, kind, name, contact, name_sealed, contact_sealed, key_id)
         VALUES ($1, $2, NULL, NULL, $3, $4, $5)",
    )
    .bind(lead.get())
    .bind(r.kind.code())
    .bind(r.name_sealed.clone())
    .bind(r.contact_sealed.clone())
    .bind(r.key_id.clone())
    .execute(&mut *c)
    .await?;
    Ok(())
}

fn reporter_from_row(r: &AnyRow) -> Result<StoredReporter, StoreError> {
    Ok(StoredReporter {
        kind: code(&r.try_get::<String, _>("kind")?, ReporterKind::from_code)?,
        name_sealed: r.try_get("name_sealed")?,
        contact_sealed: r.try_get("contact_sealed")?,
        key_id: r.try_get("key_id")?,
        legacy_name: r.try_get("name")?,
        legacy_contact: r.try_get("contact")?,
    })
}

/// The stored reporter of a lead in scope.
pub async fn reporter(c: &mut Conn, scope: &Scope, id: LeadId) -> Result<Option<StoredReporter>, StoreError> {
    let mut b = SqlBuilder::new(
        "SELECT r.kind, r.name, r.contact, r.name_sealed, r.contact_sealed, r.key_id
         FROM reporters r JOIN leads l ON l.id = r.lead_id WHERE l.id = ",
    );
    b.bind(Value::Int(id.get()));
    scope::push(&mut b, scope);
    b.build().fetch_optional(&mut *c).await?.as_ref().map(reporter_from_row).transpose()
}

/// Reporters not sealed under `key_id` (legacy plaintext, or an older key), in id order
/// after `after`: the work list of sealing and key rotation.
pub async fn reporters_to_reseal(
    c: &mut Conn,
    key_id: &str,
    after: i64,
    limit: i64,
) -> Result<Vec<(LeadId, StoredReporter)>, StoreError> {
    sqlx::query(
        "SELECT lead_id, kind, name, contact, name_sealed, contact_sealed, key_id FROM reporters
         WHERE lead_id > $1 AND (name IS NOT NULL OR contact IS NOT NULL
               OR ((name_sealed IS NOT NULL OR contact_sealed IS NOT NULL) AND key_id <> $2))
         ORDER BY lead_id LIMIT $3",
    )
    .bind(after)
    .bind(key_id)
    .bind(limit)
    .fetch_all(&mut *c)
    .await?
    .iter()
    .map(|r| Ok((LeadId::from_raw(r.try_get("lead_id")?), reporter_from_row(r)?)))
    .collect()
}
