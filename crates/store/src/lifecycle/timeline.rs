//! Lifecycle records: steps (proposed, approved, rejected, done), follow-through, outcomes,
//! and the status changes they make.

use domain::{
    LeadId, UserId, ledger::lead::LeadStatus, lifecycle::conclusion::Finding, lifecycle::conclusion::SubjectOutcome,
    protection::scope::Scope,
};
use sqlx::{Row, any::AnyRow};

use crate::{Conn, StoreError, ledger::leads::Timing, sql::SqlBuilder, sql::Value, sql::date_text};

/// One entry of a lead's timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub id: i64,
    pub lead_id: LeadId,
    /// A step code (`assess`, `conclude`, …), a follow-up code, or `extension`.
    pub kind: String,
    pub disposition: Option<String>,
    pub from_status: Option<String>,
    pub to_status: Option<String>,
    /// `pending`, `done` or `rejected`.
    pub state: String,
    pub actor_id: UserId,
    pub actor_name: String,
    pub at: i64,
    pub approver_id: Option<UserId>,
    pub approver_name: Option<String>,
    pub decided_at: Option<i64>,
    pub note: String,
    pub decision_note: Option<String>,
    pub payload: Option<String>,
}

pub struct NewEvent<'a> {
    pub lead: LeadId,
    pub kind: &'a str,
    pub disposition: Option<&'a str>,
    pub from_status: Option<LeadStatus>,
    pub to_status: Option<LeadStatus>,
    pub state: &'a str,
    pub actor: UserId,
    pub at: i64,
    pub note: &'a str,
    pub payload: Option<String>,
}

pub async fn insert(c: &mut Conn, e: &NewEvent<'_>) -> Result<i64, StoreError> {
    Ok(sqlx::query(
        "INSERT INTO lead_events (lead_id, kind, disposition, from_status, to_status, state, actor_id, at, note, payload)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(e.lead.get())
    .bind(e.kind)
    .bind(e.disposition)
    .bind(e.from_status.map(|s| s.code()))
    .bind(e.to_status.map(|s| s.code()))
    .bind(e.state)
    .bind(e.actor.get())
    .bind(e.at)
    .bind(e.note)
    .bind(e.payload.clone())
    .fetch_one(&mut *c)
    .await?
    .try_get(0)?)
}

const COLUMNS: &str = "e.id, e.lead_id, e.kind, e.disposition, e.from_status, e.to_status, e.state, e.actor_id, \
                       ua.display_name AS actor_name, e.at, e.approver_id, ub.display_name AS approver_name, e.decided_at, \
                       e.note, e.decision_note, e.payload";
const FROM: &str = "lead_events e JOIN users ua ON ua.id = e.actor_id LEFT JOIN users ub ON ub.id = e.approver_id";

fn from_row(r: &AnyRow) -> Result<Event, StoreError> {
    Ok(Event {
        id: r.try_get("id")?,
        lead_id: LeadId::from_raw(r.try_get("lead_id")?),
        kind: r.try_get("kind")?,
        disposition: r.try_get("disposition")?,
        from_status: r.try_get("from_status")?,
        to_status: r.try_get("to_status")?,
        state: r.try_get("state")?,
        actor_id: UserId::from_raw(r.try_get("actor_id")?),
        actor_name: r.try_get("actor_name")?,
        at: r.try_get("at")?,
        approver_id: r.try_get::<Option<i64>, _>("approver_id")?.map(UserId::from_raw),
        approver_name: r.try_get("approver_name")?,
        decided_at: r.try_get("decided_at")?,
        note: r.try_get("note")?,
        decision_note: r.try_get("decision_note")?,
        payload: r.try_get("payload")?,
    })
}

/// The whole timeline of a lead, oldest first. The caller has checked the lead's scope.
pub async fn of_lead(c: &mut Conn, lead: LeadId) -> Result<Vec<Event>, StoreError> {
    sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM {FROM} WHERE e.lead_id = $1 ORDER BY e.id")))
        .bind(lead.get())
        .fetch_all(&mut *c)
        .await?
        .iter()
        .map(from_row)
        .collect()
}

pub async fn get(c: &mut Conn, id: i64) -> Result<Option<Event>, StoreError> {
    sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM {FROM} WHERE e.id = $1")))
        .bind(id)
        .fetch_optional(&mut *c)
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
}

pub async fn pending_of_lead(c: &mut Conn, lead: LeadId) -> Result<Option<Event>, StoreError> {
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM {FROM} WHERE e.lead_id = $1 AND e.state = 'pending' ORDER BY e.id LIMIT 1"
    )))
    .bind(lead.get())
    .fetch_optional(&mut *c)
    .await?
    .as_ref()
    .map(from_row)
    .transpose()
}

/// Steps waiting for approval on leads within `scope`, oldest first, with lead number.
pub async fn pending_in_scope(c: &mut Conn, scope: &Scope) -> Result<Vec<(Event, String)>, StoreError> {
    let mut b = SqlBuilder::new(&format!(
        "SELECT {COLUMNS}, l.number FROM {FROM} JOIN leads l ON l.id = e.lead_id WHERE e.state = 'pending'"
    ));
    crate::scope::push(&mut b, scope);
    b.push(" ORDER BY e.id");
    b.build().fetch_all(&mut *c).await?.iter().map(|r| Ok((from_row(r)?, r.try_get("number")?))).collect()
}

/// Marks a pending step approved (`done`) or `rejected`; false if it was no longer pending.
pub async fn decide(
    c: &mut Conn,
    id: i64,
    state: &str,
    approver: UserId,
    at: i64,
    note: &str,
) -> Result<bool, StoreError> {
    Ok(sqlx::query(
        "UPDATE lead_events SET state = $1, approver_id = $2, decided_at = $3, decision_note = $4
         WHERE id = $5 AND state = 'pending'",
    )
    .bind(state)
    .bind(approver.get())
    .bind(at)
    .bind(note)
    .bind(id)
    .execute(&mut *c)
    .await?
    .rows_affected()
        == 1)
}

/// The follow-through kinds recorded for a lead since it was last concluded or settled
/// (work done before a reopening does not count for the new outcome).
pub async fn follow_ups_done(c: &mut Conn, lead: LeadId) -> Result<Vec<String>, StoreError> {
    sqlx::query(
        "SELECT kind FROM lead_events WHERE lead_id = $1 AND state = 'done' AND id > COALESCE(
            (SELECT MAX(id) FROM lead_events WHERE lead_id = $1 AND state = 'done' AND kind IN ('conclude', 'dispose', 'reopen')), 0)",
    )
    .bind(lead.get())
        .fetch_all(&mut *c)
        .await?
        .iter()
        .map(|r| Ok(r.try_get(0)?))
        .collect()
}

/// A status change and its consequences, applied only if the lead is still `from` at
/// `expected_version`; false when someone moved it first.
pub struct StatusChange<'a> {
    pub lead: LeadId,
    pub from: LeadStatus,
    pub to: LeadStatus,
    pub expected_version: i64,
    pub deadline: Option<(time::Date, Timing)>,
    pub finding: Option<Finding>,
    pub merged_into: Option<LeadId>,
    pub transferred_to: Option<&'a str>,
    pub actor: UserId,
    pub at: i64,
}

pub async fn change_status(c: &mut Conn, ch: &StatusChange<'_>) -> Result<bool, StoreError> {
    let before = crate::supervision::tallies::before_change(c, ch.lead).await?;
    let mut b = SqlBuilder::new("UPDATE leads SET status = ");
    b.bind(Value::Text(ch.to.code().into()));
    b.push(", version = version + 1, updated_by = ").bind(Value::Int(ch.actor.get()));
    b.push(", updated_at = ").bind(Value::Int(ch.at));
    if let Some((d, t)) = ch.deadline {
        b.push(", deadline = ").bind(Value::Text(date_text(d)));
        b.push(", clock_started_on = ").bind(Value::Text(date_text(t.started)));
        b.push(", deadline_rule = ").bind(Value::Text(t.rule.map(|r| r.code()).unwrap_or_default().into()));
        b.push(", deadline_provisional = ").bind(Value::Int(i64::from(t.provisional)));
        b.push(", notified_warning = NULL");
    }
    if let Some(f) = ch.finding {
        b.push(", finding = ").bind(Value::Text(f.code().into()));
    } else if ch.to == LeadStatus::Assessed {
        // Reopened (or assessed anew): the old finding no longer stands.
        b.push(", finding = NULL");
    }
    if let Some(m) = ch.merged_into {
        b.push(", merged_into = ").bind(Value::Int(m.get()));
    }
    if let Some(t) = ch.transferred_to {
        b.push(", transferred_to = ").bind(Value::Text(t.into()));
    }
    b.push(" WHERE id = ").bind(Value::Int(ch.lead.get()));
    b.push(" AND status = ").bind(Value::Text(ch.from.code().into()));
    b.push(" AND version = ").bind(Value::Int(ch.expected_version));
    let changed = b.build().execute(&mut *c).await?.rows_affected() == 1;
    if changed {
        crate::supervision::tallies::after_change(c, ch.lead, before).await?;
    }
    Ok(changed)
}

pub async fn set_outcomes(c: &mut Conn, lead: LeadId, outcomes: &[SubjectOutcome]) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM subject_outcomes WHERE lead_id = $1").bind(lead.get()).execute(&mut *c).await?;
    for o in outcomes {
        sqlx::query(
            "INSERT INTO subject_outcomes (lead_id, ordinal, nature, form, sanction) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(lead.get())
        .bind(o.ordinal as i64)
        .bind(o.nature.code())
        .bind(o.form.map(i64::from))
        .bind(o.sanction.map(|s| s.code()))
        .execute(&mut *c)
        .await?;
    }
    Ok(())
}

/// Moves a lead's deadline (a completed extension).
pub async fn move_deadline(c: &mut Conn, lead: LeadId, to: time::Date, at: i64) -> Result<(), StoreError> {
    // A deadline moved by an extension is a decision, not a computation: never provisional.
    let before = crate::supervision::tallies::before_change(c, lead).await?;
    sqlx::query(
        "UPDATE leads SET deadline = $1, deadline_provisional = 0, notified_warning = NULL, updated_at = $2,
         version = version + 1 WHERE id = $3",
    )
    .bind(date_text(to))
    .bind(at)
    .bind(lead.get())
    .execute(&mut *c)
    .await?;
    crate::supervision::tallies::after_change(c, lead, before).await
}

/// The reporter has been told the result: the result-notice clock stops.
pub async fn stop_result_clock(c: &mut Conn, lead: LeadId) -> Result<(), StoreError> {
    sqlx::query("UPDATE leads SET deadline_rule = NULL, notified_warning = NULL WHERE id = $1 AND deadline_rule = 'result_notice'")
        .bind(lead.get())
        .execute(&mut *c)
        .await?;
    Ok(())
}
