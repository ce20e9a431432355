//! The timeline (全程留痕) as stored: steps (proposed, approved, rejected, done), follow-through
//! and other activities, typed (`domain::lifecycle::timeline`) and kept as stable codes plus a
//! JSON payload; and the status changes steps make.

use domain::{
    LeadId, UserId,
    dates::beijing_date,
    ledger::lead::LeadStatus,
    lifecycle::{
        conclusion::{Finding, SubjectOutcome},
        follow_up::FollowUp,
        step::Disposition,
        timeline::{EventKind, EventState, Payload},
    },
    protection::scope::Scope,
    supervision::clearance::closes,
};
use sqlx::{Row, any::AnyRow};

use crate::{
    Conn, LeadHandle, StoreError, Tx,
    ledger::leads::Timing,
    sql::{SqlBuilder, Value, code, date_text, rows_per_statement},
};

/// One entry of a lead's timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub id: i64,
    pub lead_id: LeadId,
    pub kind: EventKind,
    pub disposition: Option<Disposition>,
    pub from_status: Option<LeadStatus>,
    pub to_status: Option<LeadStatus>,
    pub state: EventState,
    pub actor_id: UserId,
    pub actor_name: String,
    pub at: i64,
    pub approver_id: Option<UserId>,
    pub approver_name: Option<String>,
    pub decided_at: Option<i64>,
    /// What the person who took the step wrote, if anything.
    pub note: Option<String>,
    /// What the approver wrote with the decision, if anything.
    pub decision_note: Option<String>,
    pub payload: Option<Payload>,
}

pub struct NewEvent<'a> {
    pub kind: EventKind,
    pub disposition: Option<Disposition>,
    pub from_status: Option<LeadStatus>,
    pub to_status: Option<LeadStatus>,
    pub state: EventState,
    pub actor: UserId,
    pub at: i64,
    pub note: Option<&'a str>,
    pub payload: Option<&'a Payload>,
}

impl<'a> NewEvent<'a> {
    /// A done entry of `kind` (not a step): the shape of most activities.
    pub fn done(kind: EventKind, actor: UserId, at: i64) -> Self {
        Self {
            kind,
            disposition: None,
            from_status: None,
            to_status: None,
            state: EventState::Done,
            actor,
            at,
            note: None,
            payload: None,
        }
    }
    pub fn note(mut self, note: &'a str) -> Self {
        self.note = Some(note);
        self
    }
    pub fn payload(mut self, payload: &'a Payload) -> Self {
        self.payload = Some(payload);
        self
    }
}

fn payload_json(p: Option<&Payload>) -> Result<Option<String>, StoreError> {
    p.map(|p| serde_json::to_string(p).map_err(|e| StoreError::corrupt(format!("payload: {e}")))).transpose()
}

pub async fn insert(tx: &mut Tx, lead: &LeadHandle, e: &NewEvent<'_>) -> Result<i64, StoreError> {
    insert_many(tx, &[(lead, e)]).await?.pop().ok_or_else(|| StoreError::corrupt("the inserted event is missing"))
}

/// Records many entries (an imported ledger's "imported" entries) in few statements; their
/// ids come back, in no promised order.
pub async fn insert_many(tx: &mut Tx, rows: &[(&LeadHandle, &NewEvent<'_>)]) -> Result<Vec<i64>, StoreError> {
    let mut ids = Vec::with_capacity(rows.len());
    for chunk in rows.chunks(rows_per_statement(10)) {
        let mut b = SqlBuilder::bulk(tx,
            "INSERT INTO lead_events (lead_id, kind, disposition, from_status, to_status, state, actor_id, at, note, payload)
             VALUES ",
        );
        for (i, (lead, e)) in chunk.iter().enumerate() {
            b.push_row(
                i == 0,
                [
                    Value::Int(lead.raw()),
                    Value::Text(e.kind.code().to_owned()),
                    Value::TextOpt(e.disposition.map(|d| d.code().to_owned())),
                    Value::TextOpt(e.from_status.map(|s| s.code().to_owned())),
                    Value::TextOpt(e.to_status.map(|s| s.code().to_owned())),
                    Value::Text(e.state.code().to_owned()),
                    Value::Int(e.actor.get()),
                    Value::Int(e.at),
                    Value::Text(e.note.unwrap_or_default().to_owned()),
                    Value::TextOpt(payload_json(e.payload)?),
                ],
            );
        }
        b.push(" RETURNING id");
        for r in b.build().fetch_all(&mut **tx).await? {
            ids.push(r.try_get(0)?);
        }
    }
    // Every change to a lead leaves an entry here (全程留痕), so this is where the search
    // index learns of it.
    let mut leads: Vec<i64> = rows.iter().map(|(l, _)| l.raw()).collect();
    leads.sort_unstable();
    leads.dedup();
    crate::search::touch(tx, leads).await?;
    Ok(ids)
}

const COLUMNS: &str = "e.id, e.lead_id, e.kind, e.disposition, e.from_status, e.to_status, e.state, e.actor_id, \
                       ua.display_name AS actor_name, e.at, e.approver_id, ub.display_name AS approver_name, e.decided_at, \
                       e.note, e.decision_note, e.payload";
const FROM: &str = "lead_events e JOIN users ua ON ua.id = e.actor_id LEFT JOIN users ub ON ub.id = e.approver_id";

fn opt_code<T>(r: &AnyRow, col: &str, from: fn(&str) -> Option<T>) -> Result<Option<T>, StoreError> {
    r.try_get::<Option<String>, _>(col)?.map(|c| code(&c, from)).transpose()
}

fn from_row(r: &AnyRow) -> Result<Event, StoreError> {
    let text = |col: &str| -> Result<Option<String>, StoreError> {
        Ok(r.try_get::<Option<String>, _>(col)?.filter(|s| !s.is_empty()))
    };
    Ok(Event {
        id: r.try_get("id")?,
        lead_id: LeadId::from_raw(r.try_get("lead_id")?),
        kind: code(&r.try_get::<String, _>("kind")?, EventKind::from_code)?,
        disposition: opt_code(r, "disposition", Disposition::from_code)?,
        from_status: opt_code(r, "from_status", LeadStatus::from_code)?,
        to_status: opt_code(r, "to_status", LeadStatus::from_code)?,
        state: code(&r.try_get::<String, _>("state")?, EventState::from_code)?,
        actor_id: UserId::from_raw(r.try_get("actor_id")?),
        actor_name: r.try_get("actor_name")?,
        at: r.try_get("at")?,
        approver_id: r.try_get::<Option<i64>, _>("approver_id")?.map(UserId::from_raw),
        approver_name: r.try_get("approver_name")?,
        decided_at: r.try_get("decided_at")?,
        note: text("note")?,
        decision_note: text("decision_note")?,
        payload: r
            .try_get::<Option<String>, _>("payload")?
            .map(|p| serde_json::from_str(&p).map_err(|e| StoreError::corrupt(format!("event payload: {e}"))))
            .transpose()?,
    })
}

/// The whole timeline of a lead, oldest first.
pub async fn of_lead(c: &mut Conn, lead: &LeadHandle) -> Result<Vec<Event>, StoreError> {
    sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM {FROM} WHERE e.lead_id = $1 ORDER BY e.id")))
        .bind(lead.raw())
        .fetch_all(&mut *c)
        .await?
        .iter()
        .map(from_row)
        .collect()
}

pub async fn pending_of_lead(c: &mut Conn, lead: &LeadHandle) -> Result<Option<Event>, StoreError> {
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM {FROM} WHERE e.lead_id = $1 AND e.state = 'pending' ORDER BY e.id LIMIT 1"
    )))
    .bind(lead.raw())
    .fetch_optional(&mut *c)
    .await?
    .as_ref()
    .map(from_row)
    .transpose()
}

/// An entry whose lead lies in `scope`, with the lead's handle.
pub async fn by_id(c: &mut Conn, scope: &Scope, id: i64) -> Result<Option<(LeadHandle, Event)>, StoreError> {
    let mut b =
        SqlBuilder::new(&format!("SELECT {COLUMNS} FROM {FROM} JOIN leads l ON l.id = e.lead_id WHERE e.id = "));
    b.bind(Value::Int(id));
    crate::scope::push(&mut b, scope);
    let Some(r) = b.build().fetch_optional(&mut *c).await? else { return Ok(None) };
    let e = from_row(&r)?;
    Ok(Some((LeadHandle::found(e.lead_id), e)))
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
    tx: &mut Tx,
    lead: &LeadHandle,
    id: i64,
    approve: bool,
    approver: UserId,
    at: i64,
    note: Option<&str>,
) -> Result<bool, StoreError> {
    let state = if approve { EventState::Done } else { EventState::Rejected };
    Ok(sqlx::query(
        "UPDATE lead_events SET state = $1, approver_id = $2, decided_at = $3, decision_note = $4
         WHERE id = $5 AND lead_id = $6 AND state = 'pending'",
    )
    .bind(state.code())
    .bind(approver.get())
    .bind(at)
    .bind(note)
    .bind(id)
    .bind(lead.raw())
    .execute(&mut **tx)
    .await?
    .rows_affected()
        == 1)
}

/// The follow-through recorded for a lead since it was last concluded or settled (work done
/// before a reopening does not count for the new outcome).
pub async fn follow_ups_done(c: &mut Conn, lead: &LeadHandle) -> Result<Vec<FollowUp>, StoreError> {
    let rows = sqlx::query(
        "SELECT kind FROM lead_events WHERE lead_id = $1 AND state = 'done' AND id > COALESCE(
            (SELECT MAX(id) FROM lead_events WHERE lead_id = $1 AND state = 'done' AND kind IN ('conclude', 'dispose', 'reopen')), 0)",
    )
    .bind(lead.raw())
    .fetch_all(&mut *c)
    .await?;
    let mut out = Vec::new();
    for r in rows {
        if let EventKind::FollowUp(f) = code(&r.try_get::<String, _>(0)?, EventKind::from_code)? {
            out.push(f);
        }
    }
    Ok(out)
}

/// A status change and its consequences, applied only if the lead is still `from` at
/// `expected_version`; false when someone moved it first.
pub struct StatusChange<'a> {
    pub from: LeadStatus,
    pub to: LeadStatus,
    pub expected_version: i64,
    pub deadline: Option<(time::Date, Timing)>,
    pub finding: Option<Finding>,
    pub merged_into: Option<LeadId>,
    pub transferred_to: Option<&'a str>,
    /// Set on 研判: whether it came after the disposition clock ran out.
    pub routed_late: Option<bool>,
    pub actor: UserId,
    pub at: i64,
}

pub async fn change_status(tx: &mut Tx, lead: &LeadHandle, ch: &StatusChange<'_>) -> Result<bool, StoreError> {
    let before = crate::supervision::tallies::before_change(tx, lead.id()).await?;
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
    // The closing day: set on the step that closes an open lead, kept by 销号 after it, gone
    // when the lead reopens.
    if closes(ch.to) && !closes(ch.from) {
        b.push(", closed_on = ").bind(Value::Text(date_text(beijing_date(crate::from_micros(ch.at)))));
    } else if !closes(ch.to) {
        b.push(", closed_on = NULL");
    }
    if let Some(m) = ch.merged_into {
        b.push(", merged_into = ").bind(Value::Int(m.get()));
    }
    if let Some(t) = ch.transferred_to {
        b.push(", transferred_to = ").bind(Value::Text(t.into()));
    }
    if let Some(late) = ch.routed_late {
        b.push(", routed_late = ").bind(Value::Int(i64::from(late)));
    }
    b.push(" WHERE id = ").bind(Value::Int(lead.raw()));
    b.push(" AND status = ").bind(Value::Text(ch.from.code().into()));
    b.push(" AND version = ").bind(Value::Int(ch.expected_version));
    let changed = b.build().execute(&mut **tx).await?.rows_affected() == 1;
    if changed {
        crate::supervision::tallies::after_change(tx, lead.id(), before).await?;
    }
    Ok(changed)
}

pub async fn set_outcomes(tx: &mut Tx, lead: &LeadHandle, outcomes: &[SubjectOutcome]) -> Result<(), StoreError> {
    // The statistics count the subjects' forms and sanctions.
    let before = crate::supervision::tallies::before_change(tx, lead.id()).await?;
    sqlx::query("DELETE FROM subject_outcomes WHERE lead_id = $1").bind(lead.raw()).execute(&mut **tx).await?;
    for o in outcomes {
        sqlx::query(
            "INSERT INTO subject_outcomes (lead_id, ordinal, nature, form, sanction) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(lead.raw())
        .bind(o.ordinal as i64)
        .bind(o.nature.code())
        .bind(o.form.map(i64::from))
        .bind(o.sanction.map(|s| s.code()))
        .execute(&mut **tx)
        .await?;
    }
    crate::supervision::tallies::after_change(tx, lead.id(), before).await
}

/// Moves a lead's deadline (a completed extension).
pub async fn move_deadline(
    tx: &mut Tx,
    lead: &LeadHandle,
    to: time::Date,
    (by, at): (UserId, i64),
) -> Result<(), StoreError> {
    // A deadline moved by an extension is a decision, not a computation: never provisional.
    let before = crate::supervision::tallies::before_change(tx, lead.id()).await?;
    sqlx::query(
        "UPDATE leads SET deadline = $1, deadline_provisional = 0, notified_warning = NULL, updated_at = $2,
         updated_by = $4, version = version + 1 WHERE id = $3",
    )
    .bind(date_text(to))
    .bind(at)
    .bind(lead.raw())
    .bind(by.get())
    .execute(&mut **tx)
    .await?;
    crate::supervision::tallies::after_change(tx, lead.id(), before).await
}

/// The reporter has been told the result: the result-notice clock stops.
pub async fn stop_result_clock(tx: &mut Tx, lead: &LeadHandle) -> Result<(), StoreError> {
    sqlx::query("UPDATE leads SET deadline_rule = NULL, notified_warning = NULL WHERE id = $1 AND deadline_rule = 'result_notice'")
        .bind(lead.raw())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Records the receiving body's receipt of a transfer; the board follows (a transfer is
/// cleared once its receipt is in, `domain::supervision::clearance`).
pub async fn set_transfer_receipt(
    tx: &mut Tx,
    lead: &LeadHandle,
    on: time::Date,
    (by, at): (UserId, i64),
) -> Result<(), StoreError> {
    let before = crate::supervision::tallies::before_change(tx, lead.id()).await?;
    sqlx::query(
        "UPDATE leads SET transfer_received_on = $1, updated_at = $2, updated_by = $4, version = version + 1 WHERE id = $3",
    )
    .bind(date_text(on))
    .bind(at)
    .bind(lead.raw())
    .bind(by.get())
        .execute(&mut **tx)
        .await?;
    crate::supervision::tallies::after_change(tx, lead.id(), before).await
}

/// Restarts a lead's clock (an inquiry event: a talk, a letter, a reply); the board follows.
pub async fn restart_clock(
    tx: &mut Tx,
    lead: &LeadHandle,
    due: time::Date,
    timing: &crate::ledger::leads::Timing,
    (by, at): (UserId, i64),
) -> Result<(), StoreError> {
    let before = crate::supervision::tallies::before_change(tx, lead.id()).await?;
    sqlx::query(
        "UPDATE leads SET deadline = $1, deadline_rule = $2, clock_started_on = $3, deadline_provisional = $4,
            notified_warning = NULL, updated_at = $5, updated_by = $7, version = version + 1 WHERE id = $6",
    )
    .bind(date_text(due))
    .bind(timing.rule.map(|r| r.code()))
    .bind(date_text(timing.started))
    .bind(i64::from(timing.provisional))
    .bind(at)
    .bind(lead.raw())
    .bind(by.get())
    .execute(&mut **tx)
    .await?;
    crate::supervision::tallies::after_change(tx, lead.id(), before).await
}

/// Sets a concluded lead's finding (a loader registering a lead already concluded: the demo).
pub async fn set_finding(tx: &mut Tx, lead: &LeadHandle, finding: Finding) -> Result<(), StoreError> {
    // The statistics count confirmed leads.
    let before = crate::supervision::tallies::before_change(tx, lead.id()).await?;
    sqlx::query("UPDATE leads SET finding = $1 WHERE id = $2")
        .bind(finding.code())
        .bind(lead.raw())
        .execute(&mut **tx)
        .await?;
    crate::supervision::tallies::after_change(tx, lead.id(), before).await
}

/// The migration's data step: each closed lead's closing day, from the latest step that took
/// it from an open status to a closing one (an import's entry counts; a lead with no such
/// entry closes on the day it was last changed).
pub async fn fill_closed_on(tx: &mut Tx) -> Result<(), StoreError> {
    let closing: Vec<&str> = LeadStatus::ALL.iter().filter(|s| closes(**s)).map(|s| s.code()).collect();
    let list = closing.iter().map(|c| format!("'{c}'")).collect::<Vec<_>>().join(", ");
    // The list is the domain's own status codes, never input.
    let sql = format!(
        "SELECT l.id, MAX(COALESCE(e.decided_at, e.at)) AS closed_at, l.updated_at FROM leads l
         LEFT JOIN lead_events e ON e.lead_id = l.id AND e.state = 'done' AND e.to_status IN ({list})
           AND (e.from_status IS NULL OR e.from_status NOT IN ({list}))
         WHERE l.status IN ({list}) GROUP BY l.id, l.updated_at"
    );
    let mut by_day: std::collections::BTreeMap<String, Vec<i64>> = std::collections::BTreeMap::new();
    for r in sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(&mut **tx).await? {
        let at: Option<i64> = r.try_get("closed_at")?;
        let at = at.unwrap_or(r.try_get("updated_at")?);
        by_day.entry(date_text(beijing_date(crate::from_micros(at)))).or_default().push(r.try_get("id")?);
    }
    for (day, ids) in by_day {
        for chunk in ids.chunks(500) {
            let mut b = SqlBuilder::new("UPDATE leads SET closed_on = ");
            b.bind(Value::Text(day.clone())).push(" WHERE id IN (").push_ints(chunk.iter().copied()).push(")");
            b.build().execute(&mut **tx).await?;
        }
    }
    Ok(())
}
