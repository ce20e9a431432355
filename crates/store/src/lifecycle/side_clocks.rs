//! The clocks beside a lead's stage clock (`domain::lifecycle::side_clock`; migration 18).

use domain::lifecycle::deadline::RuleCode;
use sqlx::Row;

use crate::{Conn, LeadHandle, StoreError, Tx, sql::code, sql::date_text, sql::parse_stored_date};

/// One side clock of a lead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SideClock {
    pub rule: RuleCode,
    pub started_on: time::Date,
    pub due_on: time::Date,
    pub provisional: bool,
    pub running: bool,
}

/// Starts (or restarts) `rule`'s clock on the lead.
pub async fn start(
    tx: &mut Tx,
    lead: &LeadHandle,
    rule: RuleCode,
    started: time::Date,
    due: time::Date,
    provisional: bool,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO lead_clocks (lead_id, rule, started_on, due_on, provisional, stopped_at) VALUES ($1, $2, $3, $4, $5, NULL)
         ON CONFLICT (lead_id, rule) DO UPDATE SET started_on = excluded.started_on, due_on = excluded.due_on,
            provisional = excluded.provisional, stopped_at = NULL",
    )
    .bind(lead.raw())
    .bind(rule.code())
    .bind(date_text(started))
    .bind(date_text(due))
    .bind(i64::from(provisional))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Stops `rule`'s clock if it runs.
pub async fn stop(tx: &mut Tx, lead: &LeadHandle, rule: RuleCode, at: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE lead_clocks SET stopped_at = $1 WHERE lead_id = $2 AND rule = $3 AND stopped_at IS NULL")
        .bind(at)
        .bind(lead.raw())
        .bind(rule.code())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Every side clock the lead has had, running first, then by due date.
pub async fn of_lead(c: &mut Conn, lead: &LeadHandle) -> Result<Vec<SideClock>, StoreError> {
    sqlx::query(
        "SELECT rule, started_on, due_on, provisional, stopped_at FROM lead_clocks WHERE lead_id = $1
         ORDER BY CASE WHEN stopped_at IS NULL THEN 0 ELSE 1 END, due_on",
    )
    .bind(lead.raw())
    .fetch_all(&mut *c)
    .await?
    .iter()
    .map(|r| {
        Ok(SideClock {
            rule: code(&r.try_get::<String, _>("rule")?, RuleCode::from_code)?,
            started_on: parse_stored_date(&r.try_get::<String, _>("started_on")?)?,
            due_on: parse_stored_date(&r.try_get::<String, _>("due_on")?)?,
            provisional: r.try_get::<i64, _>("provisional")? != 0,
            running: r.try_get::<Option<i64>, _>("stopped_at")?.is_none(),
        })
    })
    .collect()
}
