//! The public portal's reports, their messages, the reporters' sessions and spent proofs of
//! work. A report is found by its receipt code's keyed hash; staff reach it through the intake
//! scope (unrouted ones are the committee's, routed ones their unit's).

use domain::{
    LeadId, UnitId, UserId,
    protection::scope::Scope,
    reporters::{ReporterKind, intake::IntakeState},
};
use sqlx::{Row, any::AnyRow};
use time::Date;

use crate::{
    Conn, StoreError, Tx, scope,
    sql::{SqlBuilder, Value, code, date_text, parse_stored_date},
};

/// A report as stored (sealed parts still sealed).
#[derive(Debug, Clone)]
pub struct ReportRow {
    pub id: i64,
    pub passphrase_hash: String,
    pub kind: ReporterKind,
    pub key_id: String,
    pub sealed_report: String,
    pub sealed_reporter: Option<String>,
    pub received_on: Date,
    pub state: IntakeState,
    pub unit_id: Option<UnitId>,
    pub unit_name: Option<String>,
    pub lead_id: Option<LeadId>,
    pub lead_number: Option<String>,
    pub reason: Option<String>,
}

const SELECT: &str = "SELECT r.*, u.name AS unit_name, l.number AS lead_number FROM portal_reports r
    LEFT JOIN units u ON u.id = r.unit_id LEFT JOIN leads l ON l.id = r.lead_id";

fn row(r: &AnyRow) -> Result<ReportRow, StoreError> {
    Ok(ReportRow {
        id: r.try_get("id")?,
        passphrase_hash: r.try_get("passphrase_hash")?,
        kind: code(&r.try_get::<String, _>("kind")?, ReporterKind::from_code)?,
        key_id: r.try_get("key_id")?,
        sealed_report: r.try_get("sealed_report")?,
        sealed_reporter: r.try_get("sealed_reporter")?,
        received_on: parse_stored_date(&r.try_get::<String, _>("received_on")?)?,
        state: code(&r.try_get::<String, _>("state")?, IntakeState::from_code)?,
        unit_id: r.try_get::<Option<i64>, _>("unit_id")?.map(UnitId::from_raw),
        unit_name: r.try_get("unit_name")?,
        lead_id: r.try_get::<Option<i64>, _>("lead_id")?.map(LeadId::from_raw),
        lead_number: r.try_get("lead_number")?,
        reason: r.try_get("reason")?,
    })
}

/// What a new report stores.
pub struct NewReport<'a> {
    pub receipt_hash: &'a str,
    pub passphrase_hash: &'a str,
    pub kind: ReporterKind,
    pub key_id: &'a str,
    pub sealed_report: &'a str,
    pub sealed_reporter: Option<&'a str>,
    pub received_on: Date,
}

pub async fn insert(tx: &mut Tx, n: &NewReport<'_>) -> Result<i64, StoreError> {
    Ok(sqlx::query(
        "INSERT INTO portal_reports (receipt_hash, passphrase_hash, kind, key_id, sealed_report, sealed_reporter,
           received_on, state) VALUES ($1, $2, $3, $4, $5, $6, $7, 'submitted') RETURNING id",
    )
    .bind(n.receipt_hash)
    .bind(n.passphrase_hash)
    .bind(n.kind.code())
    .bind(n.key_id)
    .bind(n.sealed_report)
    .bind(n.sealed_reporter)
    .bind(date_text(n.received_on))
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)?)
}

/// The report a receipt code's hash names (the reporter's way in).
pub async fn by_receipt(c: &mut Conn, receipt_hash: &str) -> Result<Option<ReportRow>, StoreError> {
    let mut b = SqlBuilder::new(SELECT);
    b.push(" WHERE r.receipt_hash = ").bind(Value::Text(receipt_hash.into()));
    b.build().fetch_optional(&mut *c).await?.as_ref().map(row).transpose()
}

/// The report `id` as the reporter holding a session for it reads it.
pub async fn own(c: &mut Conn, id: i64) -> Result<Option<ReportRow>, StoreError> {
    let mut b = SqlBuilder::new(SELECT);
    b.push(" WHERE r.id = ").bind(Value::Int(id));
    b.build().fetch_optional(&mut *c).await?.as_ref().map(row).transpose()
}

/// The intake's reach: before it is a lead, an unrouted report is the committee's
/// (`committee`) and a routed one its unit's keepers'; once a lead, it is whoever the lead's
/// scope lets read it (its holder now, less anyone it names), so recusal and later moves hold.
fn push_reach(b: &mut SqlBuilder, scope: &Scope, committee: bool) {
    b.push(" AND ((r.lead_id IS NULL AND (");
    if committee {
        b.push("r.unit_id IS NULL OR ");
    }
    b.push("(r.unit_id IS NOT NULL");
    scope::push_units(b, scope, "r.unit_id");
    b.push("))) OR (r.lead_id IS NOT NULL");
    scope::push(b, scope);
    b.push("))");
}

/// A report within the intake's reach.
pub async fn get(c: &mut Conn, scope: &Scope, committee: bool, id: i64) -> Result<Option<ReportRow>, StoreError> {
    let mut b = SqlBuilder::new(SELECT);
    b.push(" WHERE r.id = ").bind(Value::Int(id));
    push_reach(&mut b, scope, committee);
    b.build().fetch_optional(&mut *c).await?.as_ref().map(row).transpose()
}

/// Reports within reach, `open` ones (awaiting a decision) or decided ones, newest first.
pub async fn list(
    c: &mut Conn,
    scope: &Scope,
    committee: bool,
    open: bool,
    (limit, offset): (i64, i64),
) -> Result<(Vec<ReportRow>, i64), StoreError> {
    let states = if open { "('submitted', 'routed')" } else { "('registered', 'not_accepted')" };
    let filter = |b: &mut SqlBuilder| {
        b.push(" WHERE r.state IN ").push(states);
        push_reach(b, scope, committee);
    };
    let mut count = SqlBuilder::new("SELECT COUNT(*) FROM portal_reports r LEFT JOIN leads l ON l.id = r.lead_id");
    filter(&mut count);
    let total: i64 = count.build().fetch_one(&mut *c).await?.try_get(0)?;
    let mut b = SqlBuilder::new(SELECT);
    filter(&mut b);
    b.push(" ORDER BY r.id DESC LIMIT ").bind(Value::Int(limit)).push(" OFFSET ").bind(Value::Int(offset));
    let rows = b.build().fetch_all(&mut *c).await?.iter().map(row).collect::<Result<_, _>>()?;
    Ok((rows, total))
}

/// Moves an open report on; false when someone decided it first.
pub async fn decide(
    tx: &mut Tx,
    id: i64,
    to: IntakeState,
    (unit, lead, reason): (Option<UnitId>, Option<LeadId>, Option<&str>),
    (by, at): (UserId, i64),
) -> Result<bool, StoreError> {
    Ok(sqlx::query(
        "UPDATE portal_reports SET state = $1, unit_id = COALESCE($2, unit_id), lead_id = $3, reason = $4,
           decided_by = $5, decided_at = $6 WHERE id = $7 AND state IN ('submitted', 'routed')",
    )
    .bind(to.code())
    .bind(unit.map(|u| u.get()))
    .bind(lead.map(|l| l.get()))
    .bind(reason)
    .bind(by.get())
    .bind(at)
    .bind(id)
    .execute(&mut **tx)
    .await?
    .rows_affected()
        == 1)
}

/// The portal report a lead was registered from, if any.
pub async fn of_lead(c: &mut Conn, lead: LeadId) -> Result<Option<i64>, StoreError> {
    let r = sqlx::query("SELECT id FROM portal_reports WHERE lead_id = $1")
        .bind(lead.get())
        .fetch_optional(&mut *c)
        .await?;
    r.map(|r| r.try_get(0).map_err(StoreError::from)).transpose()
}

/// A message as stored.
#[derive(Debug, Clone)]
pub struct MessageRow {
    pub id: i64,
    pub from_reporter: bool,
    pub key_id: String,
    pub sealed_text: String,
    pub sent_on: Date,
    pub staff_name: Option<String>,
}

pub async fn add_message(
    tx: &mut Tx,
    report: i64,
    (key_id, sealed): (&str, &str),
    sent_on: Date,
    staff: Option<(UserId, i64)>,
) -> Result<i64, StoreError> {
    Ok(sqlx::query(
        "INSERT INTO portal_messages (report_id, from_reporter, key_id, sealed_text, sent_on, staff_id, staff_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(report)
    .bind(i64::from(staff.is_none()))
    .bind(key_id)
    .bind(sealed)
    .bind(date_text(sent_on))
    .bind(staff.map(|(u, _)| u.get()))
    .bind(staff.map(|(_, at)| at))
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)?)
}

pub async fn messages(c: &mut Conn, report: i64) -> Result<Vec<MessageRow>, StoreError> {
    sqlx::query(
        "SELECT m.id, m.from_reporter, m.key_id, m.sealed_text, m.sent_on, u.display_name FROM portal_messages m
         LEFT JOIN users u ON u.id = m.staff_id WHERE m.report_id = $1 ORDER BY m.id",
    )
    .bind(report)
    .fetch_all(&mut *c)
    .await?
    .iter()
    .map(|r| {
        Ok(MessageRow {
            id: r.try_get(0)?,
            from_reporter: r.try_get::<i64, _>(1)? != 0,
            key_id: r.try_get(2)?,
            sealed_text: r.try_get(3)?,
            sent_on: parse_stored_date(&r.try_get::<String, _>(4)?)?,
            staff_name: r.try_get(5)?,
        })
    })
    .collect()
}

pub async fn count_from_reporter(c: &mut Conn, report: i64) -> Result<i64, StoreError> {
    Ok(sqlx::query("SELECT COUNT(*) FROM portal_messages WHERE report_id = $1 AND from_reporter = 1")
        .bind(report)
        .fetch_one(&mut *c)
        .await?
        .try_get(0)?)
}

pub async fn start_session(
    tx: &mut Tx,
    token_hash: &str,
    report: i64,
    csrf: &str,
    expires_at: i64,
) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO portal_sessions (token_hash, report_id, csrf, expires_at) VALUES ($1, $2, $3, $4)")
        .bind(token_hash)
        .bind(report)
        .bind(csrf)
        .bind(expires_at)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The report and CSRF token of a live session.
pub async fn session(c: &mut Conn, token_hash: &str, now: i64) -> Result<Option<(i64, String)>, StoreError> {
    let r = sqlx::query("SELECT report_id, csrf FROM portal_sessions WHERE token_hash = $1 AND expires_at > $2")
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&mut *c)
        .await?;
    r.map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).transpose()
}

pub async fn end_session(tx: &mut Tx, token_hash: &str, now: i64) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM portal_sessions WHERE token_hash = $1 OR expires_at <= $2")
        .bind(token_hash)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Spends a proof of work's challenge; false when it was spent before. A spent challenge is
/// kept an hour past the latest it could expire, so it cannot be spent again in its last second.
pub async fn spend_challenge(tx: &mut Tx, token_hash: &str, expires_at: i64, now: i64) -> Result<bool, StoreError> {
    sqlx::query("DELETE FROM portal_challenges WHERE expires_at < $1").bind(now - 3600).execute(&mut **tx).await?;
    Ok(sqlx::query("INSERT INTO portal_challenges (token_hash, expires_at) VALUES ($1, $2) ON CONFLICT DO NOTHING")
        .bind(token_hash)
        .bind(expires_at)
        .execute(&mut **tx)
        .await?
        .rows_affected()
        == 1)
}

/// The lead a report was registered as, with its status: the reporter's own lead, reached
/// through their report (the portal has no scope of its own).
pub async fn lead_of_report(
    c: &mut Conn,
    report: i64,
) -> Result<Option<(crate::LeadHandle, domain::ledger::lead::LeadStatus)>, StoreError> {
    let r = sqlx::query("SELECT l.id, l.status FROM portal_reports r JOIN leads l ON l.id = r.lead_id WHERE r.id = $1")
        .bind(report)
        .fetch_optional(&mut *c)
        .await?;
    r.map(|r| {
        Ok((
            crate::LeadHandle::found(LeadId::from_raw(r.try_get(0)?)),
            code(&r.try_get::<String, _>(1)?, domain::ledger::lead::LeadStatus::from_code)?,
        ))
    })
    .transpose()
}
