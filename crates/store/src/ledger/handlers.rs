//! The handler accounts a lead is assigned to (分办).

use domain::{LeadId, UnitId, UserId, ledger::lead::Handler, protection::role::Role};
use sqlx::Row;

use crate::{Conn, LeadHandle, StoreError, Tx};

fn handler(r: &sqlx::any::AnyRow) -> Result<Handler, StoreError> {
    Ok(Handler { id: UserId::from_raw(r.try_get("user_id")?), name: r.try_get("display_name")? })
}

pub async fn of_lead(c: &mut Conn, lead: &LeadHandle) -> Result<Vec<Handler>, StoreError> {
    sqlx::query(
        "SELECT h.user_id, u.display_name FROM lead_handlers h JOIN users u ON u.id = h.user_id
         WHERE h.lead_id = $1 ORDER BY h.assigned_at, h.user_id",
    )
    .bind(lead.raw())
    .fetch_all(&mut *c)
    .await?
    .iter()
    .map(handler)
    .collect()
}

/// The handlers of leads a scoped query returned (the ledger's page), by lead.
pub(crate) async fn of_found(c: &mut Conn, leads: &[LeadId]) -> Result<Vec<(LeadId, Handler)>, StoreError> {
    if leads.is_empty() {
        return Ok(Vec::new());
    }
    let mut b = crate::sql::SqlBuilder::new(
        "SELECT h.lead_id, h.user_id, u.display_name FROM lead_handlers h JOIN users u ON u.id = h.user_id
         WHERE h.lead_id IN (",
    );
    for (i, l) in leads.iter().enumerate() {
        if i > 0 {
            b.push(", ");
        }
        b.bind(crate::sql::Value::Int(l.get()));
    }
    b.push(") ORDER BY h.lead_id, h.assigned_at, h.user_id");
    b.build()
        .fetch_all(&mut *c)
        .await?
        .iter()
        .map(|r| Ok((LeadId::from_raw(r.try_get("lead_id")?), handler(r)?)))
        .collect()
}

/// Replaces the lead's handlers with `users`.
pub async fn set(tx: &mut Tx, lead: &LeadHandle, users: &[UserId], by: UserId, at: i64) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM lead_handlers WHERE lead_id = $1").bind(lead.raw()).execute(&mut **tx).await?;
    for u in users {
        sqlx::query("INSERT INTO lead_handlers (lead_id, user_id, assigned_by, assigned_at) VALUES ($1, $2, $3, $4)")
            .bind(lead.raw())
            .bind(u.get())
            .bind(by.get())
            .bind(at)
            .execute(&mut **tx)
            .await?;
    }
    crate::search::touch(tx, [lead.raw()]).await
}

/// Handler accounts over any unit in the subtrees of `roots` (the ledger's filter by handler).
pub async fn within(c: &mut Conn, roots: &[UnitId]) -> Result<Vec<Handler>, StoreError> {
    let mut b = crate::sql::SqlBuilder::new(
        "SELECT DISTINCT u.id AS user_id, u.display_name FROM grants g JOIN users u ON u.id = g.user_id
         WHERE g.role = ",
    );
    b.bind(crate::sql::Value::Text(Role::Handler.code().into()));
    b.push(" AND u.disabled = 0 AND g.unit_id IN (SELECT descendant_id FROM unit_closure WHERE ancestor_id IN (");
    for (i, r) in roots.iter().enumerate() {
        if i > 0 {
            b.push(", ");
        }
        b.bind(crate::sql::Value::Int(r.get()));
    }
    b.push(")) ORDER BY u.display_name");
    b.build().fetch_all(&mut *c).await?.iter().map(handler).collect()
}

/// Enabled accounts holding the handler role over `unit` (directly or through an ancestor):
/// whom a lead of that unit may be assigned to.
pub async fn candidates(c: &mut Conn, unit: UnitId) -> Result<Vec<Handler>, StoreError> {
    sqlx::query(
        "SELECT DISTINCT u.id AS user_id, u.display_name FROM grants g
         JOIN unit_closure uc ON uc.ancestor_id = g.unit_id AND uc.descendant_id = $1
         JOIN users u ON u.id = g.user_id
         WHERE g.role = $2 AND u.disabled = 0 ORDER BY u.display_name",
    )
    .bind(unit.get())
    .bind(Role::Handler.code())
    .fetch_all(&mut *c)
    .await?
    .iter()
    .map(handler)
    .collect()
}
