//! Migration 17's data step: leads belong to the campaign whose scope they fall in, or to
//! none; old 提级 leads move up to the body that took them; open clocks are recomputed under
//! the rules of issue 11 (the disposition clock runs from receipt; an ordinary lead is not
//! capped at any clearance deadline; an approved extension or a typed deadline stays).

use domain::{
    ledger::lead::LeadStatus,
    lifecycle::{
        calendar::WorkCalendar,
        deadline::{DeadlineRule, RuleCode, schedule},
    },
};
use sqlx::Row;

use crate::{StoreError, Tx, sql::date_text, sql::parse_stored_date};

/// Safe to run again (the tests run it on rows set back to their old shape).
pub async fn migrate(tx: &mut Tx) -> Result<(), StoreError> {
    allow_no_campaign(tx).await?;
    // Every campaign so far counted the seed's two categories (the column's default).
    sqlx::query(
        "UPDATE leads SET campaign_id = NULL, stock_class = 'ordinary'
         WHERE campaign_id IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM campaigns k WHERE k.id = leads.campaign_id
              AND (' ' || k.counted_categories || ' ') LIKE ('% ' || leads.category || ' %'))",
    )
    .execute(&mut **tx)
    .await?;
    escalations_move_up(tx).await?;
    recompute_clocks(tx).await
}

/// Drops the NOT NULL of `leads.campaign_id`. SQLite cannot alter a column; removing a NOT
/// NULL changes no stored row, so its schema text is edited in place (the procedure SQLite's
/// documentation gives for exactly this change), and the schema cookie bumped so that every
/// connection re-reads it.
async fn allow_no_campaign(tx: &mut Tx) -> Result<(), StoreError> {
    if tx.backend_name() != "SQLite" {
        sqlx::query("ALTER TABLE leads ALTER COLUMN campaign_id DROP NOT NULL").execute(&mut **tx).await?;
        return Ok(());
    }
    let sql: String = sqlx::query("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'leads'")
        .fetch_one(&mut **tx)
        .await?
        .try_get(0)?;
    let (strict, loose) =
        ("campaign_id BIGINT NOT NULL REFERENCES campaigns(id)", "campaign_id BIGINT REFERENCES campaigns(id)");
    if !sql.contains(strict) {
        // Run once already (the data step is safe to run again).
        return if sql.contains(loose) { Ok(()) } else { Err(StoreError::corrupt("leads.campaign_id not as created")) };
    }
    let version: i64 = sqlx::query("PRAGMA schema_version").fetch_one(&mut **tx).await?.try_get(0)?;
    sqlx::query("PRAGMA writable_schema = ON").execute(&mut **tx).await?;
    sqlx::query("UPDATE sqlite_schema SET sql = $1 WHERE type = 'table' AND name = 'leads'")
        .bind(sql.replace(strict, loose))
        .execute(&mut **tx)
        .await?;
    sqlx::query(sqlx::AssertSqlSafe(format!("PRAGMA schema_version = {}", version + 1))).execute(&mut **tx).await?;
    sqlx::query("PRAGMA writable_schema = OFF").execute(&mut **tx).await?;
    Ok(())
}

/// 提级 was a lifecycle step that left the lead with its unit as 已提级; it now moves the lead to
/// the parent body (the one meaning of 提级办理). Each old one goes back to the status it was
/// escalated from and to its unit's parent; one at the top of the tree stays with its unit.
async fn escalations_move_up(tx: &mut Tx) -> Result<(), StoreError> {
    let rows = sqlx::query(
        "SELECT l.id, u.parent_id,
            (SELECT e.from_status FROM lead_events e WHERE e.lead_id = l.id AND e.kind = 'escalate'
              AND e.state = 'done' ORDER BY e.id DESC LIMIT 1) AS before
         FROM leads l JOIN units u ON u.id = l.unit_id WHERE l.status = 'escalated_away'",
    )
    .fetch_all(&mut **tx)
    .await?;
    for r in rows {
        let id: i64 = r.try_get("id")?;
        let parent: Option<i64> = r.try_get("parent_id")?;
        let before = r
            .try_get::<Option<String>, _>("before")?
            .and_then(|s| LeadStatus::from_code(&s))
            .filter(|s| s.is_open())
            .unwrap_or(LeadStatus::Assessed);
        sqlx::query(
            "UPDATE leads SET status = $1, handling_mode = 'escalated', previous_unit_id = unit_id,
                unit_id = COALESCE($2, unit_id), version = version + 1 WHERE id = $3",
        )
        .bind(before.code())
        .bind(parent)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

async fn recompute_clocks(tx: &mut Tx) -> Result<(), StoreError> {
    let cal = WorkCalendar::shipped_with(crate::lifecycle::deadlines::calendar_days(tx).await?);
    let mut rules = DeadlineRule::DEFAULTS.to_vec();
    for edited in crate::lifecycle::deadlines::rules(tx).await? {
        if let Some(slot) = rules.iter_mut().find(|x| x.code == edited.code) {
            *slot = edited;
        }
    }
    let rows = sqlx::query(
        "SELECT l.id, l.status, l.received_on, l.clock_started_on, l.deadline, l.stock_class, k.clearance_deadline
         FROM leads l LEFT JOIN campaigns k ON k.id = l.campaign_id
         WHERE l.deadline_rule IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM extensions x WHERE x.lead_id = l.id AND x.state = 'approved')",
    )
    .fetch_all(&mut **tx)
    .await?;
    for r in rows {
        let Some(status) = LeadStatus::from_code(&r.try_get::<String, _>("status")?) else { continue };
        if !status.is_open() {
            continue;
        }
        let received = parse_stored_date(&r.try_get::<String, _>("received_on")?)?;
        let started = match r.try_get::<Option<String>, _>("clock_started_on")? {
            Some(s) => parse_stored_date(&s)?,
            None => received,
        };
        let cap = match (
            r.try_get::<String, _>("stock_class")?.as_str(),
            r.try_get::<Option<String>, _>("clearance_deadline")?,
        ) {
            ("stock", Some(c)) => Some(parse_stored_date(&c)?),
            _ => None,
        };
        let base = if domain::lifecycle::deadline::rule_for(status) == Some(RuleCode::Disposition) {
            received
        } else {
            started
        };
        let Some((due, rule)) = schedule(status, base, &rules, &cal, cap) else { continue };
        if date_text(due.date) == r.try_get::<String, _>("deadline")? && base == started {
            continue;
        }
        sqlx::query(
            "UPDATE leads SET deadline = $1, deadline_rule = $2, clock_started_on = $3, deadline_provisional = $4,
                notified_warning = NULL WHERE id = $5",
        )
        .bind(date_text(due.date))
        .bind(rule.code())
        .bind(date_text(base))
        .bind(i64::from(due.provisional))
        .bind(r.try_get::<i64, _>("id")?)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}
