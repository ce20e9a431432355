//! Follow-up orders with staged reports, and moves of jurisdiction.

use domain::{LeadId, UnitId, UserId, ledger::lead::HandlingMode, protection::scope::Scope};
use sqlx::Row;

use crate::{Conn, LeadHandle, StoreError, Tx, sql::date_text, sql::parse_stored_date};

#[derive(Debug, Clone)]
pub struct Order {
    pub id: i64,
    pub lead_id: LeadId,
    pub issued_by_name: String,
    pub issued_at: i64,
    pub requirement: String,
    pub reply_due: time::Date,
    pub closed_at: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct Report {
    pub order_id: i64,
    pub stage: domain::lifecycle::timeline::ReportStage,
    pub content: String,
    pub by_name: String,
    pub at: i64,
}

pub async fn insert_order(
    tx: &mut Tx,
    lead: &LeadHandle,
    by: UserId,
    at: i64,
    requirement: &str,
    due: time::Date,
) -> Result<i64, StoreError> {
    Ok(sqlx::query(
        "INSERT INTO follow_up_orders (lead_id, issued_by, issued_at, requirement, reply_due) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(lead.raw())
    .bind(by.get())
    .bind(at)
    .bind(requirement)
    .bind(date_text(due))
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)?)
}

fn order(r: &sqlx::any::AnyRow) -> Result<Order, StoreError> {
    Ok(Order {
        id: r.try_get("id")?,
        lead_id: LeadId::from_raw(r.try_get("lead_id")?),
        issued_by_name: r.try_get("issued_by_name")?,
        issued_at: r.try_get("issued_at")?,
        requirement: r.try_get("requirement")?,
        reply_due: parse_stored_date(&r.try_get::<String, _>("reply_due")?)?,
        closed_at: r.try_get("closed_at")?,
    })
}

const ORDER: &str =
    "SELECT o.id, o.lead_id, u.display_name AS issued_by_name, o.issued_at, o.requirement, o.reply_due, o.closed_at
    FROM follow_up_orders o JOIN users u ON u.id = o.issued_by";

pub async fn orders_of(c: &mut Conn, lead: &LeadHandle) -> Result<Vec<Order>, StoreError> {
    sqlx::query(sqlx::AssertSqlSafe(format!("{ORDER} WHERE o.lead_id = $1 ORDER BY o.id")))
        .bind(lead.raw())
        .fetch_all(&mut *c)
        .await?
        .iter()
        .map(order)
        .collect()
}

/// An order whose lead lies in `scope`, with the lead's handle.
pub async fn order_by_id(c: &mut Conn, scope: &Scope, id: i64) -> Result<Option<(LeadHandle, Order)>, StoreError> {
    let mut b = crate::sql::SqlBuilder::new(&format!("{ORDER} JOIN leads l ON l.id = o.lead_id WHERE o.id = "));
    b.bind(crate::sql::Value::Int(id));
    crate::scope::push(&mut b, scope);
    let Some(r) = b.build().fetch_optional(&mut *c).await? else { return Ok(None) };
    let o = order(&r)?;
    Ok(Some((LeadHandle::found(o.lead_id), o)))
}

pub async fn reports_of(c: &mut Conn, lead: &LeadHandle) -> Result<Vec<Report>, StoreError> {
    sqlx::query(
        "SELECT r.order_id, r.stage, r.content, u.display_name, r.reported_at FROM follow_up_reports r
         JOIN follow_up_orders o ON o.id = r.order_id JOIN users u ON u.id = r.reported_by
         WHERE o.lead_id = $1 ORDER BY r.id",
    )
    .bind(lead.raw())
    .fetch_all(&mut *c)
    .await?
    .iter()
    .map(|r| {
        Ok(Report {
            order_id: r.try_get(0)?,
            stage: crate::sql::code(&r.try_get::<String, _>(1)?, domain::lifecycle::timeline::ReportStage::from_code)?,
            content: r.try_get(2)?,
            by_name: r.try_get(3)?,
            at: r.try_get(4)?,
        })
    })
    .collect()
}

pub async fn insert_report(
    tx: &mut Tx,
    order: i64,
    stage: domain::lifecycle::timeline::ReportStage,
    content: &str,
    by: UserId,
    at: i64,
) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO follow_up_reports (order_id, stage, content, reported_by, reported_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(order)
        .bind(stage.code())
        .bind(content)
        .bind(by.get())
        .bind(at)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn close_order(tx: &mut Tx, order: i64, at: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE follow_up_orders SET closed_at = $1 WHERE id = $2")
        .bind(at)
        .bind(order)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn set_handling_mode(
    tx: &mut Tx,
    lead: &LeadHandle,
    mode: HandlingMode,
    (by, at): (UserId, i64),
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE leads SET handling_mode = $1, updated_at = $2, updated_by = $4, version = version + 1 WHERE id = $3",
    )
    .bind(mode.code())
    .bind(at)
    .bind(lead.raw())
    .bind(by.get())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Moves jurisdiction to `to`, remembering the unit it came from.
pub async fn move_lead(
    tx: &mut Tx,
    lead: &LeadHandle,
    from: UnitId,
    to: UnitId,
    mode: HandlingMode,
    (by, at): (UserId, i64),
) -> Result<(), StoreError> {
    let before = crate::supervision::tallies::before_change(tx, lead.id()).await?;
    sqlx::query(
        "UPDATE leads SET unit_id = $1, previous_unit_id = $2, handling_mode = $3, updated_at = $4, updated_by = $6,
         version = version + 1 WHERE id = $5",
    )
    .bind(to.get())
    .bind(from.get())
    .bind(mode.code())
    .bind(at)
    .bind(lead.raw())
    .bind(by.get())
    .execute(&mut **tx)
    .await?;
    crate::supervision::tallies::after_change(tx, lead.id(), before).await
}
