//! The deadline setup as stored: calendar days added by administrators, edited rules, and
//! the leads whose deadlines are provisional.

use domain::{
    LeadId, lifecycle::calendar::DayKind, lifecycle::calendar::SpecialDay, lifecycle::deadline::DeadlineRule,
    lifecycle::deadline::RuleCode, lifecycle::deadline::TimeUnit,
};
use sqlx::Row;

use crate::{Conn, LeadHandle, StoreError, Tx, sql::code, sql::date_text, sql::parse_stored_date};

pub async fn calendar_days(c: &mut Conn) -> Result<Vec<SpecialDay>, StoreError> {
    sqlx::query("SELECT day, kind, name_en, name_zh FROM calendar_days ORDER BY day")
        .fetch_all(&mut *c)
        .await?
        .iter()
        .map(|r| {
            Ok(SpecialDay {
                date: parse_stored_date(&r.try_get::<String, _>("day")?)?,
                kind: code(&r.try_get::<String, _>("kind")?, DayKind::from_code)?,
                name_en: r.try_get("name_en")?,
                name_zh: r.try_get("name_zh")?,
            })
        })
        .collect()
}

pub async fn put_calendar_day(tx: &mut Tx, d: &SpecialDay, by: Option<i64>, at: i64) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM calendar_days WHERE day = $1").bind(date_text(d.date)).execute(&mut **tx).await?;
    sqlx::query(
        "INSERT INTO calendar_days (day, kind, name_en, name_zh, added_by, added_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(date_text(d.date))
    .bind(d.kind.code())
    .bind(&d.name_en)
    .bind(&d.name_zh)
    .bind(by)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn rules(c: &mut Conn) -> Result<Vec<DeadlineRule>, StoreError> {
    let to_u32 = |v: i64| u32::try_from(v).map_err(|_| StoreError::corrupt("rule amount"));
    sqlx::query("SELECT code, amount, unit, blue_at_percent, yellow_working_days FROM deadline_rules")
        .fetch_all(&mut *c)
        .await?
        .iter()
        .map(|r| {
            Ok(DeadlineRule {
                code: code(&r.try_get::<String, _>("code")?, RuleCode::from_code)?,
                amount: to_u32(r.try_get("amount")?)?,
                unit: code(&r.try_get::<String, _>("unit")?, TimeUnit::from_code)?,
                blue_at_percent: to_u32(r.try_get("blue_at_percent")?)?,
                yellow_working_days: to_u32(r.try_get("yellow_working_days")?)?,
            })
        })
        .collect()
}

pub async fn put_rule(tx: &mut Tx, r: &DeadlineRule, by: i64, at: i64) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM deadline_rules WHERE code = $1").bind(r.code.code()).execute(&mut **tx).await?;
    sqlx::query(
        "INSERT INTO deadline_rules (code, amount, unit, blue_at_percent, yellow_working_days, updated_by, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(r.code.code())
    .bind(i64::from(r.amount))
    .bind(r.unit.code())
    .bind(i64::from(r.blue_at_percent))
    .bind(i64::from(r.yellow_working_days))
    .bind(by)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A lead whose deadline rests on a year whose calendar was not loaded when it was set.
pub struct Provisional {
    pub lead: LeadHandle,
    pub rule: RuleCode,
    pub started: time::Date,
    /// The deadline as it stands (provisional).
    pub deadline: time::Date,
    /// The clearance deadline, for stock leads.
    pub cap: Option<time::Date>,
}

/// (A system job over every lead: its rows carry handles.)
pub async fn provisional(c: &mut Conn) -> Result<Vec<Provisional>, StoreError> {
    let rows = sqlx::query(
        "SELECT l.id, l.deadline_rule, l.clock_started_on, l.deadline, l.stock_class, c.clearance_deadline FROM leads l
         LEFT JOIN campaigns c ON c.id = l.campaign_id
         WHERE l.deadline_provisional = 1 AND l.deadline_rule IS NOT NULL AND l.clock_started_on IS NOT NULL
           AND l.status NOT IN ('concluded', 'struck_off', 'transferred', 'escalated_away', 'merged', 'settled')",
    )
    .fetch_all(&mut *c)
    .await?;
    let mut out = Vec::new();
    for r in rows {
        let rule: String = r.try_get("deadline_rule")?;
        let Some(rule) = RuleCode::from_code(&rule) else { continue };
        let stock: String = r.try_get("stock_class")?;
        out.push(Provisional {
            lead: LeadHandle::found(LeadId::from_raw(r.try_get("id")?)),
            rule,
            started: parse_stored_date(&r.try_get::<String, _>("clock_started_on")?)?,
            deadline: parse_stored_date(&r.try_get::<String, _>("deadline")?)?,
            cap: match (stock.as_str(), r.try_get::<Option<String>, _>("clearance_deadline")?) {
                ("stock", Some(c)) => Some(parse_stored_date(&c)?),
                _ => None,
            },
        });
    }
    Ok(out)
}

pub async fn set_deadline(
    tx: &mut Tx,
    lead: &LeadHandle,
    date: time::Date,
    provisional: bool,
) -> Result<(), StoreError> {
    let before = crate::supervision::tallies::before_change(tx, lead.id()).await?;
    sqlx::query("UPDATE leads SET deadline = $1, deadline_provisional = $2 WHERE id = $3")
        .bind(date_text(date))
        .bind(i64::from(provisional))
        .bind(lead.raw())
        .execute(&mut **tx)
        .await?;
    crate::supervision::tallies::after_change(tx, lead.id(), before).await
}
