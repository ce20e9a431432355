//! Extension requests and their signatures.

use domain::{LeadId, UserId, lifecycle::extension::ExtensionState, protection::scope::Scope};
use sqlx::{Row, any::AnyRow};

use crate::{Conn, LeadHandle, StoreError, Tx, sql::SqlBuilder, sql::Value, sql::code, sql::parse_stored_date};

#[derive(Debug, Clone)]
pub struct Extension {
    pub id: i64,
    pub lead_id: LeadId,
    pub number: String,
    pub requested_by: UserId,
    pub requested_by_name: String,
    pub requested_at: i64,
    pub reason: String,
    pub days: i64,
    pub state: ExtensionState,
    pub needs_head: bool,
    pub signed_by_name: Option<String>,
    pub signed_at: Option<i64>,
    pub signature: Option<String>,
    pub filed_at: Option<i64>,
    pub approved_at: Option<i64>,
    pub old_deadline: Option<time::Date>,
    pub new_deadline: Option<time::Date>,
    /// The lead's deadline now (what an open request would move).
    pub lead_deadline: time::Date,
}

const SELECT: &str =
    "SELECT x.id, x.lead_id, l.number, x.requested_by, ur.display_name AS requested_by_name, x.requested_at,
    x.reason, x.days, x.state, x.needs_head, us.display_name AS signed_by_name, x.signed_at, x.signature, x.filed_at,
    x.approved_at, x.old_deadline, x.new_deadline, l.deadline AS lead_deadline
    FROM extensions x JOIN leads l ON l.id = x.lead_id JOIN users ur ON ur.id = x.requested_by
    LEFT JOIN users us ON us.id = x.signed_by";

fn from_row(r: &AnyRow) -> Result<Extension, StoreError> {
    Ok(Extension {
        id: r.try_get("id")?,
        lead_id: LeadId::from_raw(r.try_get("lead_id")?),
        number: r.try_get("number")?,
        requested_by: UserId::from_raw(r.try_get("requested_by")?),
        requested_by_name: r.try_get("requested_by_name")?,
        requested_at: r.try_get("requested_at")?,
        reason: r.try_get("reason")?,
        days: r.try_get("days")?,
        state: code(&r.try_get::<String, _>("state")?, ExtensionState::from_code)?,
        needs_head: r.try_get::<i64, _>("needs_head")? != 0,
        signed_by_name: r.try_get("signed_by_name")?,
        signed_at: r.try_get("signed_at")?,
        signature: r.try_get("signature")?,
        filed_at: r.try_get("filed_at")?,
        approved_at: r.try_get("approved_at")?,
        old_deadline: r.try_get::<Option<String>, _>("old_deadline")?.map(|d| parse_stored_date(&d)).transpose()?,
        new_deadline: r.try_get::<Option<String>, _>("new_deadline")?.map(|d| parse_stored_date(&d)).transpose()?,
        lead_deadline: parse_stored_date(&r.try_get::<String, _>("lead_deadline")?)?,
    })
}

pub async fn insert(
    tx: &mut Tx,
    lead: &LeadHandle,
    by: UserId,
    at: i64,
    reason: &str,
    days: u32,
    needs_head: bool,
) -> Result<i64, StoreError> {
    let before = crate::supervision::tallies::before_change(tx, lead.id()).await?;
    let id = sqlx::query(
        "INSERT INTO extensions (lead_id, requested_by, requested_at, reason, days, state, needs_head)
         VALUES ($1, $2, $3, $4, $5, 'requested', $6) RETURNING id",
    )
    .bind(lead.raw())
    .bind(by.get())
    .bind(at)
    .bind(reason)
    .bind(i64::from(days))
    .bind(i64::from(needs_head))
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)?;
    crate::supervision::tallies::after_change(tx, lead.id(), before).await?;
    Ok(id)
}

/// One extension whose lead lies in `scope`, with its lead's handle.
pub async fn get(c: &mut Conn, scope: &Scope, id: i64) -> Result<Option<(LeadHandle, Extension)>, StoreError> {
    let mut b = SqlBuilder::new(&format!("{SELECT} WHERE x.id = "));
    b.bind(Value::Int(id));
    crate::scope::push(&mut b, scope);
    let Some(r) = b.build().fetch_optional(&mut *c).await? else { return Ok(None) };
    let x = from_row(&r)?;
    Ok(Some((LeadHandle::found(x.lead_id), x)))
}

pub async fn of_lead(c: &mut Conn, lead: &LeadHandle) -> Result<Vec<Extension>, StoreError> {
    sqlx::query(sqlx::AssertSqlSafe(format!("{SELECT} WHERE x.lead_id = $1 ORDER BY x.id")))
        .bind(lead.raw())
        .fetch_all(&mut *c)
        .await?
        .iter()
        .map(from_row)
        .collect()
}

/// Extensions in `state` on leads within `scope`.
///
/// The state is written into the statement, not bound: PostgreSQL plans our statements once for
/// every value (`force_generic_plan`), and without the value it started from every lead of the
/// caller's scope (1.8 s for a supervisor at 1M leads, on every page's 待办 badge) rather than from
/// the few extensions in that state (0.6 ms). A state's code is the program's, never a user's.
pub async fn in_state(c: &mut Conn, scope: &Scope, state: ExtensionState) -> Result<Vec<Extension>, StoreError> {
    let code = state.code();
    debug_assert!(code.chars().all(|ch| ch.is_ascii_lowercase() || ch == '_'));
    let mut b = SqlBuilder::new(&format!("{SELECT} WHERE x.state = '{code}'"));
    crate::scope::push(&mut b, scope);
    b.push(" ORDER BY x.id");
    b.build().fetch_all(&mut *c).await?.iter().map(from_row).collect()
}

/// An extension's move from one state to the next, by whom and when.
pub struct Advance<'a> {
    pub id: i64,
    pub from: ExtensionState,
    pub to: ExtensionState,
    pub by: UserId,
    pub at: i64,
    /// The unit head's signature, when signing.
    pub signature: Option<&'a str>,
}

/// Moves an extension from `from` to `to`, recording who and when; false if it was no
/// longer in `from` (someone acted first).
pub async fn advance(tx: &mut Tx, lead: &LeadHandle, a: &Advance<'_>) -> Result<bool, StoreError> {
    let Advance { id, from, to, by, at, signature } = *a;
    let (who, when) = match (from, to) {
        // A return is a decision on the request, not a signature.
        (_, ExtensionState::Returned) => ("approved_by", "approved_at"),
        (ExtensionState::Requested, _) => ("signed_by", "signed_at"),
        (ExtensionState::Signed, _) => ("filed_by", "filed_at"),
        _ => ("approved_by", "approved_at"),
    };
    let before = crate::supervision::tallies::before_change(tx, lead.id()).await?;
    let mut b = SqlBuilder::new("UPDATE extensions SET state = ");
    b.bind(Value::Text(to.code().into()));
    b.push(&format!(", {who} = ")).bind(Value::Int(by.get()));
    b.push(&format!(", {when} = ")).bind(Value::Int(at));
    if let Some(s) = signature {
        b.push(", signature = ").bind(Value::Text(s.into()));
    }
    b.push(" WHERE id = ").bind(Value::Int(id));
    b.push(" AND lead_id = ").bind(Value::Int(lead.raw()));
    b.push(" AND state = ").bind(Value::Text(from.code().into()));
    let advanced = b.build().execute(&mut **tx).await?.rows_affected() == 1;
    if advanced {
        crate::supervision::tallies::after_change(tx, lead.id(), before).await?;
    }
    Ok(advanced)
}

pub async fn set_deadlines(tx: &mut Tx, id: i64, old: time::Date, new: time::Date) -> Result<(), StoreError> {
    sqlx::query("UPDATE extensions SET old_deadline = $1, new_deadline = $2 WHERE id = $3")
        .bind(crate::sql::date_text(old))
        .bind(crate::sql::date_text(new))
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Extensions of a lead now in effect.
pub async fn in_effect(c: &mut Conn, lead: &LeadHandle) -> Result<usize, StoreError> {
    // Only `lead_id` in WHERE, so SQLite takes the lead's index, not every granted extension.
    let n: i64 = sqlx::query(
        "SELECT COALESCE(SUM(CASE WHEN state = 'approved' THEN 1 ELSE 0 END), 0) FROM extensions WHERE lead_id = $1",
    )
    .bind(lead.raw())
    .fetch_one(&mut *c)
    .await?
    .try_get(0)?;
    Ok(n as usize)
}
