//! The clocks beside a lead's stage clock (`domain::lifecycle::side_clock`; migration 18).

use domain::lifecycle::deadline::RuleCode;
use sqlx::Row;

use crate::{
    Conn, LeadHandle, StoreError, Tx,
    sql::{SqlBuilder, Value, code, date_text, parse_stored_date, rows_per_statement},
};

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
            provisional = excluded.provisional, stopped_at = NULL, notified = NULL",
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

/// A clock to start on a lead that has none yet.
pub struct NewClock<'a> {
    pub lead: &'a LeadHandle,
    pub rule: RuleCode,
    pub started: time::Date,
    pub due: time::Date,
    pub provisional: bool,
}

/// Starts clocks on leads written in this transaction (an imported ledger's registered rows)
/// in few statements; [`start`] is the one-lead form that may restart a clock.
pub async fn start_new(tx: &mut Tx, clocks: &[NewClock<'_>]) -> Result<(), StoreError> {
    for chunk in clocks.chunks(rows_per_statement(5)) {
        let mut b =
            SqlBuilder::bulk(tx, "INSERT INTO lead_clocks (lead_id, rule, started_on, due_on, provisional) VALUES ");
        for (i, k) in chunk.iter().enumerate() {
            b.push_row(
                i == 0,
                [
                    Value::Int(k.lead.raw()),
                    Value::Text(k.rule.code().to_owned()),
                    Value::Text(date_text(k.started)),
                    Value::Text(date_text(k.due)),
                    Value::Int(i64::from(k.provisional)),
                ],
            );
        }
        b.build().execute(&mut **tx).await?;
    }
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

/// A running side clock, for the warning scan (a system job over every lead: rows carry
/// handles).
#[derive(Debug, Clone)]
pub struct Running {
    pub lead: LeadHandle,
    pub unit: domain::UnitId,
    pub number: String,
    pub clock: SideClock,
    pub notified: Option<String>,
}

/// Running side clocks, `limit` at a time after `after` (lead id, rule). They are few: each
/// runs for days, not months.
pub async fn running(c: &mut Conn, after: Option<(i64, String)>, limit: i64) -> Result<Vec<Running>, StoreError> {
    let (lead, rule) = after.unwrap_or((0, String::new()));
    sqlx::query(
        "SELECT k.lead_id, l.unit_id, l.number, k.rule, k.started_on, k.due_on, k.provisional, k.notified
         FROM lead_clocks k JOIN leads l ON l.id = k.lead_id
         WHERE k.stopped_at IS NULL AND (k.lead_id > $1 OR (k.lead_id = $1 AND k.rule > $2))
         ORDER BY k.lead_id, k.rule LIMIT $3",
    )
    .bind(lead)
    .bind(rule)
    .bind(limit)
    .fetch_all(&mut *c)
    .await?
    .iter()
    .map(|r| {
        Ok(Running {
            lead: LeadHandle::found(domain::LeadId::from_raw(r.try_get("lead_id")?)),
            unit: domain::UnitId::from_raw(r.try_get("unit_id")?),
            number: r.try_get("number")?,
            notified: r.try_get("notified")?,
            clock: SideClock {
                rule: code(&r.try_get::<String, _>("rule")?, RuleCode::from_code)?,
                started_on: parse_stored_date(&r.try_get::<String, _>("started_on")?)?,
                due_on: parse_stored_date(&r.try_get::<String, _>("due_on")?)?,
                provisional: r.try_get::<i64, _>("provisional")? != 0,
                running: true,
            },
        })
    })
    .collect()
}

/// Marks `colour` told for the clock; false if another scan told it first.
pub async fn claim_colour(tx: &mut Tx, r: &Running, colour: &str) -> Result<bool, StoreError> {
    Ok(sqlx::query(
        "UPDATE lead_clocks SET notified = $1 WHERE lead_id = $2 AND rule = $3 AND stopped_at IS NULL
           AND (notified IS NULL OR notified <> $1)",
    )
    .bind(colour)
    .bind(r.lead.raw())
    .bind(r.clock.rule.code())
    .execute(&mut **tx)
    .await?
    .rows_affected()
        == 1)
}
