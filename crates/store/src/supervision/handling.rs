//! Follow-up orders with staged reports, and moves of jurisdiction.

use domain::{LeadId, UnitId, UserId, ledger::lead::HandlingMode};
use sqlx::Row;

use crate::{Conn, StoreError, sql::date_text, sql::parse_stored_date};

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
    pub stage: String,
    pub content: String,
    pub by_name: String,
    pub at: i64,
}

pub async fn insert_order(
    c: &mut Conn,
    lead: LeadId,
    by: UserId,
    at: i64,
    requirement: &str,
    due: time::Date,
) -> Result<i64, StoreError> {
    Ok(sqlx::query(
        "INSERT INTO follow_up_orders (lead_id, issued_by, issued_at, requirement, reply_due) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(lead.get())
    .bind(by.get())
    .bind(at)
    .bind(requirement)
    .bind(date_text(due))
    .fetch_one(&mut *c)
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

pub async fn orders_of(c: &mut Conn, lead: LeadId) -> Result<Vec<Order>, StoreError> {
    sqlx::query(sqlx::AssertSqlSafe(format!("{ORDER} WHERE o.lead_id = $1 ORDER BY o.id")))
        .bind(lead.get())
        .fetch_all(&mut *c)
        .await?
        .iter()
        .map(order)
        .collect()
}

pub async fn order_by_id(c: &mut Conn, id: i64) -> Result<Option<Order>, StoreError> {
    sqlx::query(sqlx::AssertSqlSafe(format!("{ORDER} WHERE o.id = $1")))
        .bind(id)
        .fetch_optional(&mut *c)
        .await?
        .as_ref()
        .map(order)
        .transpose()
}

pub async fn reports_of(c: &mut Conn, lead: LeadId) -> Result<Vec<Report>, StoreError> {
    sqlx::query(
        "SELECT r.order_id, r.stage, r.content, u.display_name, r.reported_at FROM follow_up_reports r
         JOIN follow_up_orders o ON o.id = r.order_id JOIN users u ON u.id = r.reported_by
         WHERE o.lead_id = $1 ORDER BY r.id",
    )
    .bind(lead.get())
    .fetch_all(&mut *c)
    .await?
    .iter()
    .map(|r| {
        Ok(Report {
            order_id: r.try_get(0)?,
            stage: r.try_get(1)?,
            content: r.try_get(2)?,
            by_name: r.try_get(3)?,
            at: r.try_get(4)?,
        })
    })
    .collect()
}

pub async fn insert_report(
    c: &mut Conn,
    order: i64,
    stage: &str,
    content: &str,
    by: UserId,
    at: i64,
) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO follow_up_reports (order_id, stage, content, reported_by, reported_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(order)
        .bind(stage)
        .bind(content)
        .bind(by.get())
        .bind(at)
        .execute(&mut *c)
        .await?;
    Ok(())
}

pub async fn close_order(c: &mut Conn, order: i64, at: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE follow_up_orders SET closed_at = $1 WHERE id = $2")
        .bind(at)
        .bind(order)
        .execute(&mut *c)
        .await?;
    Ok(())
}

pub async fn set_handling_mode(c: &mut Conn, lead: LeadId, mode: HandlingMode, at: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE leads SET handling_mode = $1, updated_at = $2, version = version + 1 WHERE id = $3")
        .bind(mode.code())
        .bind(at)
        .bind(lead.get())
        .execute(&mut *c)
        .await?;
    Ok(())
}

/// Moves jurisdiction to `to`, remembering the unit it came from.
pub async fn move_lead(
    c: &mut Conn,
    lead: LeadId,
    from: UnitId,
    to: UnitId,
    mode: HandlingMode,
    at: i64,
) -> Result<(), StoreError> {
    let before = crate::supervision::tallies::before_change(c, lead).await?;
    sqlx::query(
        "UPDATE leads SET unit_id = $1, previous_unit_id = $2, handling_mode = $3, updated_at = $4, version = version + 1 WHERE id = $5",
    )
    .bind(to.get())
    .bind(from.get())
    .bind(mode.code())
    .bind(at)
    .bind(lead.get())
    .execute(&mut *c)
    .await?;
    crate::supervision::tallies::after_change(c, lead, before).await
}
