//! In-app notifications, the warning scan's inputs, and job leases.

use domain::{LeadId, UnitId, UserId, ledger::lead::LeadStatus, protection::role::Role};
use sqlx::Row;

use crate::{Conn, LeadHandle, StoreError, Tx, sql::SqlBuilder, sql::Value, sql::parse_stored_date};

#[derive(Debug, Clone)]
pub struct Notice {
    pub id: i64,
    pub lead_id: Option<LeadId>,
    pub kind: String,
    pub message_zh: String,
    pub message_en: String,
    pub created_at: i64,
    pub read: bool,
}

pub struct NewNotice<'a> {
    pub user: UserId,
    pub lead: Option<&'a LeadHandle>,
    pub kind: &'a str,
    pub zh: &'a str,
    pub en: &'a str,
    pub at: i64,
}

pub async fn insert(tx: &mut Tx, n: &NewNotice<'_>) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO notifications (user_id, lead_id, unit_id, kind, message_zh, message_en, created_at)
         VALUES ($1, $2, (SELECT l.unit_id FROM leads l WHERE l.id = $2), $3, $4, $5, $6)",
    )
    .bind(n.user.get())
    .bind(n.lead.map(LeadHandle::raw))
    .bind(n.kind)
    .bind(n.zh)
    .bind(n.en)
    .bind(n.at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn unread(c: &mut Conn, user: UserId) -> Result<i64, StoreError> {
    Ok(sqlx::query("SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL")
        .bind(user.get())
        .fetch_one(&mut *c)
        .await?
        .try_get(0)?)
}

/// Which of a user's notices to list.
#[derive(Debug, Clone, Default)]
pub struct NoticeFilter {
    /// A warning colour (`blue`, `yellow`, `red`): stage-clock notices of that colour and
    /// side-clock ones (`rule:colour`).
    pub colour: Option<String>,
    pub unit: Option<UnitId>,
    pub unread_only: bool,
}

/// One notice as 待办 lists it: with the lead's number and unit.
#[derive(Debug, Clone)]
pub struct NoticeRow {
    pub notice: Notice,
    pub number: Option<String>,
    pub unit_id: Option<UnitId>,
    pub unit_name: Option<String>,
}

fn push_filter(b: &mut SqlBuilder, user: UserId, f: &NoticeFilter) {
    b.push(" WHERE n.user_id = ").bind(Value::Int(user.get()));
    if let Some(c) = &f.colour {
        b.push(" AND (n.kind = ").bind(Value::Text(c.clone()));
        b.push(" OR n.kind LIKE ").bind(Value::Text(format!("%:{c}"))).push(")");
    }
    if let Some(u) = f.unit {
        b.push(" AND n.unit_id = ").bind(Value::Int(u.get()));
    }
    if f.unread_only {
        b.push(" AND n.read_at IS NULL");
    }
}

/// One page of a user's notices, newest first, and how many match. (A user's own notices:
/// the scope is the recipient, as each was addressed when written.)
pub async fn page(
    c: &mut Conn,
    user: UserId,
    f: &NoticeFilter,
    offset: i64,
    limit: i64,
) -> Result<(Vec<NoticeRow>, i64), StoreError> {
    const FROM: &str =
        " FROM notifications n LEFT JOIN leads l ON l.id = n.lead_id LEFT JOIN units u ON u.id = l.unit_id";
    // Counted on the notices alone (their unit is kept with them): through the leads it took
    // seconds for a supervisor's 40,000 notices at 1M leads.
    let mut count = SqlBuilder::new("SELECT COUNT(*) FROM notifications n");
    push_filter(&mut count, user, f);
    let total: i64 = count.build().fetch_one(&mut *c).await?.try_get(0)?;
    let mut b = SqlBuilder::new(&format!(
        "SELECT n.id, n.lead_id, n.kind, n.message_zh, n.message_en, n.created_at, n.read_at, l.number, l.unit_id, u.name AS unit_name{FROM}"
    ));
    push_filter(&mut b, user, f);
    b.push(" ORDER BY n.id DESC LIMIT ").push_int(limit).push(" OFFSET ").push_int(offset);
    let rows = b
        .build()
        .fetch_all(&mut *c)
        .await?
        .iter()
        .map(|r| {
            Ok(NoticeRow {
                notice: Notice {
                    id: r.try_get("id")?,
                    lead_id: r.try_get::<Option<i64>, _>("lead_id")?.map(LeadId::from_raw),
                    kind: r.try_get("kind")?,
                    message_zh: r.try_get("message_zh")?,
                    message_en: r.try_get("message_en")?,
                    created_at: r.try_get("created_at")?,
                    read: r.try_get::<Option<i64>, _>("read_at")?.is_some(),
                },
                number: r.try_get("number")?,
                unit_id: r.try_get::<Option<i64>, _>("unit_id")?.map(UnitId::from_raw),
                unit_name: r.try_get("unit_name")?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    Ok((rows, total))
}

/// The units a user's notices are about, for the filter (id, name), by name.
pub async fn units_of(c: &mut Conn, user: UserId) -> Result<Vec<(UnitId, String)>, StoreError> {
    sqlx::query(
        "SELECT u.id, u.name FROM units u
         WHERE u.id IN (SELECT n.unit_id FROM notifications n WHERE n.user_id = $1) ORDER BY u.name",
    )
    .bind(user.get())
    .fetch_all(&mut *c)
    .await?
    .iter()
    .map(|r| Ok((UnitId::from_raw(r.try_get("id")?), r.try_get("name")?)))
    .collect()
}

/// Marks one of the user's notices read (opening it); its lead, if it has one and it is the
/// user's notice.
pub async fn open(tx: &mut Tx, user: UserId, id: i64, at: i64) -> Result<Option<Option<LeadId>>, StoreError> {
    let row = sqlx::query("SELECT lead_id FROM notifications WHERE id = $1 AND user_id = $2")
        .bind(id)
        .bind(user.get())
        .fetch_optional(&mut **tx)
        .await?;
    let Some(row) = row else { return Ok(None) };
    sqlx::query("UPDATE notifications SET read_at = $1 WHERE id = $2 AND user_id = $3 AND read_at IS NULL")
        .bind(at)
        .bind(id)
        .bind(user.get())
        .execute(&mut **tx)
        .await?;
    Ok(Some(row.try_get::<Option<i64>, _>("lead_id")?.map(LeadId::from_raw)))
}

pub async fn mark_read(tx: &mut Tx, user: UserId, at: i64) -> Result<u64, StoreError> {
    Ok(sqlx::query("UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL")
        .bind(at)
        .bind(user.get())
        .execute(&mut **tx)
        .await?
        .rows_affected())
}

/// What the warning scan needs of an open lead.
pub struct Timed {
    pub lead: LeadHandle,
    pub unit: UnitId,
    pub number: String,
    pub status: LeadStatus,
    pub deadline: time::Date,
    pub started: Option<time::Date>,
    pub received_on: time::Date,
    pub rule: Option<String>,
    pub notified: Option<String>,
    pub owner: Option<UserId>,
}

/// One page, in id order, of the leads whose clock runs: pages keep the scan's memory flat
/// however large the ledger grows.
/// (The warning scan is the system's own job over every lead: its rows carry handles.)
pub async fn open_leads(c: &mut Conn, after: Option<LeadId>, limit: i64) -> Result<Vec<Timed>, StoreError> {
    let mut b = SqlBuilder::new(
        "SELECT id, unit_id, number, status, deadline, clock_started_on, received_on, deadline_rule, notified_warning,
            owning_leader_id FROM leads WHERE (status IN ",
    );
    crate::sql::push_statuses(&mut b, true);
    b.push(" OR deadline_rule = 'result_notice') AND id > ");
    b.bind(Value::Int(after.map_or(0, |l| l.get())));
    b.push(" ORDER BY id LIMIT ").push_int(limit);
    b.build()
        .fetch_all(&mut *c)
        .await?
        .iter()
        .map(|r| {
            Ok(Timed {
                lead: LeadHandle::found(LeadId::from_raw(r.try_get("id")?)),
                unit: UnitId::from_raw(r.try_get("unit_id")?),
                number: r.try_get("number")?,
                status: crate::sql::code(&r.try_get::<String, _>("status")?, LeadStatus::from_code)?,
                deadline: parse_stored_date(&r.try_get::<String, _>("deadline")?)?,
                started: r
                    .try_get::<Option<String>, _>("clock_started_on")?
                    .map(|d| parse_stored_date(&d))
                    .transpose()?,
                received_on: parse_stored_date(&r.try_get::<String, _>("received_on")?)?,
                rule: r.try_get("deadline_rule")?,
                notified: r.try_get("notified_warning")?,
                owner: r.try_get::<Option<i64>, _>("owning_leader_id")?.map(UserId::from_raw),
            })
        })
        .collect()
}

/// Records that `lead` was announced in `colour`, if it is still as the scan read it (same
/// status, deadline and last colour): a step taken since the read wins, and the next scan
/// looks again. False when it changed.
pub async fn claim_colour(tx: &mut Tx, read: &Timed, colour: &str) -> Result<bool, StoreError> {
    Ok(sqlx::query(
        "UPDATE leads SET notified_warning = $1
         WHERE id = $2 AND status = $3 AND deadline = $4 AND COALESCE(notified_warning, '') = $5",
    )
    .bind(colour)
    .bind(read.lead.raw())
    .bind(read.status.code())
    .bind(crate::sql::date_text(read.deadline))
    .bind(read.notified.clone().unwrap_or_default())
    .execute(&mut **tx)
    .await?
    .rows_affected()
        == 1)
}

/// Users holding `role` over `unit` (directly or through an ancestor) who are not kept from
/// `lead` (recusal): the people a warning escalates to.
pub async fn holders(c: &mut Conn, role: Role, unit: UnitId, lead: &LeadHandle) -> Result<Vec<UserId>, StoreError> {
    sqlx::query(
        "SELECT DISTINCT g.user_id FROM grants g
         JOIN unit_closure uc ON uc.ancestor_id = g.unit_id AND uc.descendant_id = $1
         JOIN users u ON u.id = g.user_id
         WHERE g.role = $2 AND u.disabled = 0
           AND NOT EXISTS (SELECT 1 FROM recusals r WHERE r.lead_id = $3 AND r.user_id = u.id)",
    )
    .bind(unit.get())
    .bind(role.code())
    .bind(lead.raw())
    .fetch_all(&mut *c)
    .await?
    .iter()
    .map(|r| Ok(UserId::from_raw(r.try_get(0)?)))
    .collect()
}
