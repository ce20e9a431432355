//! Clearings (澄清正名) and false-accusation flags (诬告陷害), reached through their scoped lead.

use domain::{
    LeadId, UnitId, UserId,
    oversight::clearing::{CarriedOut, Clearing, ClearingMode, ClearingOrigin, ClearingState},
    protection::scope::Scope,
};
use sqlx::{Row, any::AnyRow};

use crate::{
    Conn, LeadHandle, StoreError, Tx, scope,
    sql::{SqlBuilder, Value, code, date_text, parse_stored_date},
};

pub async fn insert(
    tx: &mut Tx,
    lead: &LeadHandle,
    unit: UnitId,
    c: &Clearing,
    (by, at): (UserId, i64),
) -> Result<i64, StoreError> {
    Ok(sqlx::query(
        "INSERT INTO clearings (lead_id, unit_id, origin, person, applied_on, reason, state, proposed_by, proposed_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'proposed', $7, $8) RETURNING id",
    )
    .bind(lead.raw())
    .bind(unit.get())
    .bind(c.origin.code())
    .bind(c.person.as_str())
    .bind(c.applied_on.map(date_text))
    .bind(c.reason.as_str())
    .bind(by.get())
    .bind(at)
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)?)
}

/// A clearing as stored, with its lead's number and unit.
#[derive(Debug, Clone)]
pub struct ClearingRow {
    pub id: i64,
    pub lead_id: LeadId,
    pub lead_number: String,
    pub unit_id: UnitId,
    pub unit_name: String,
    pub origin: ClearingOrigin,
    pub person: String,
    pub applied_on: Option<time::Date>,
    pub reason: String,
    pub state: ClearingState,
    pub proposed_by: String,
    pub proposed_at: i64,
    pub decided_by: Option<String>,
    pub decision_note: Option<String>,
    pub mode: Option<ClearingMode>,
    pub held_on: Option<time::Date>,
    pub scope_note: Option<String>,
    pub letter: Option<String>,
    pub done_by: Option<String>,
}

const SELECT: &str = "SELECT x.*, l.number AS lead_number, u.name AS unit_name, up.display_name AS proposed_by_name,
    ud.display_name AS decided_by_name, uo.display_name AS done_by_name
    FROM clearings x JOIN leads l ON l.id = x.lead_id JOIN units u ON u.id = x.unit_id
    JOIN users up ON up.id = x.proposed_by LEFT JOIN users ud ON ud.id = x.decided_by LEFT JOIN users uo ON uo.id = x.done_by";

fn from_row(r: &AnyRow) -> Result<ClearingRow, StoreError> {
    let date = |col: &str| -> Result<Option<time::Date>, StoreError> {
        r.try_get::<Option<String>, _>(col)?.map(|d| parse_stored_date(&d)).transpose()
    };
    Ok(ClearingRow {
        id: r.try_get("id")?,
        lead_id: LeadId::from_raw(r.try_get("lead_id")?),
        lead_number: r.try_get("lead_number")?,
        unit_id: UnitId::from_raw(r.try_get("unit_id")?),
        unit_name: r.try_get("unit_name")?,
        origin: code(&r.try_get::<String, _>("origin")?, ClearingOrigin::from_code)?,
        person: r.try_get("person")?,
        applied_on: date("applied_on")?,
        reason: r.try_get("reason")?,
        state: code(&r.try_get::<String, _>("state")?, ClearingState::from_code)?,
        proposed_by: r.try_get("proposed_by_name")?,
        proposed_at: r.try_get("proposed_at")?,
        decided_by: r.try_get("decided_by_name")?,
        decision_note: r.try_get("decision_note")?,
        mode: r.try_get::<Option<String>, _>("mode")?.map(|m| code(&m, ClearingMode::from_code)).transpose()?,
        held_on: date("held_on")?,
        scope_note: r.try_get("scope_note")?,
        letter: r.try_get("letter")?,
        done_by: r.try_get("done_by_name")?,
    })
}

pub async fn get(c: &mut Conn, scope: &Scope, id: i64) -> Result<Option<(LeadHandle, ClearingRow)>, StoreError> {
    let mut b = SqlBuilder::new(&format!("{SELECT} WHERE x.id = "));
    b.bind(Value::Int(id));
    scope::push(&mut b, scope);
    let Some(r) = b.build().fetch_optional(&mut *c).await? else { return Ok(None) };
    let x = from_row(&r)?;
    Ok(Some((LeadHandle::found(x.lead_id), x)))
}

pub async fn list(
    c: &mut Conn,
    scope: &Scope,
    (limit, offset): (i64, i64),
) -> Result<(Vec<ClearingRow>, i64), StoreError> {
    let mut count = SqlBuilder::new("SELECT COUNT(*) FROM clearings x JOIN leads l ON l.id = x.lead_id WHERE 1 = 1");
    scope::push(&mut count, scope);
    let total: i64 = count.build().fetch_one(&mut *c).await?.try_get(0)?;
    let mut b = SqlBuilder::new(&format!("{SELECT} WHERE 1 = 1"));
    scope::push(&mut b, scope);
    b.push(" ORDER BY x.id DESC LIMIT ").push_int(limit).push(" OFFSET ").push_int(offset);
    let rows = b.build().fetch_all(&mut *c).await?.iter().map(from_row).collect::<Result<_, _>>()?;
    Ok((rows, total))
}

/// The committee head's decision; false when it was not awaiting one.
pub async fn decide(
    tx: &mut Tx,
    id: i64,
    approve: bool,
    note: &str,
    (by, at): (UserId, i64),
) -> Result<bool, StoreError> {
    let to = if approve { ClearingState::Approved } else { ClearingState::Rejected };
    Ok(sqlx::query(
        "UPDATE clearings SET state = $1, decision_note = $2, decided_by = $3, decided_at = $4
         WHERE id = $5 AND state = 'proposed'",
    )
    .bind(to.code())
    .bind(note)
    .bind(by.get())
    .bind(at)
    .bind(id)
    .execute(&mut **tx)
    .await?
    .rows_affected()
        == 1)
}

/// Records the clearing as carried out; false when it was not approved (or done already).
pub async fn carry_out(tx: &mut Tx, id: i64, d: &CarriedOut, (by, at): (UserId, i64)) -> Result<bool, StoreError> {
    Ok(sqlx::query(
        "UPDATE clearings SET state = 'done', mode = $1, held_on = $2, scope_note = $3, letter = $4, done_by = $5,
           done_at = $6 WHERE id = $7 AND state = 'approved'",
    )
    .bind(d.mode.code())
    .bind(date_text(d.held_on))
    .bind(d.scope_note.as_str())
    .bind(d.letter.as_str())
    .bind(by.get())
    .bind(at)
    .bind(id)
    .execute(&mut **tx)
    .await?
    .rows_affected()
        == 1)
}

/// Whether `unit` is `ancestor` or below it.
pub async fn unit_within(c: &mut Conn, unit: UnitId, ancestor: UnitId) -> Result<bool, StoreError> {
    let n: i64 = sqlx::query("SELECT COUNT(*) FROM unit_closure WHERE ancestor_id = $1 AND descendant_id = $2")
        .bind(ancestor.get())
        .bind(unit.get())
        .fetch_one(&mut *c)
        .await?
        .try_get(0)?;
    Ok(n > 0)
}

/// Flags the lead as a false accusation, linked to the lead opened on the accuser (replacing an
/// earlier flag).
pub async fn flag(
    tx: &mut Tx,
    lead: &LeadHandle,
    accuser: &LeadHandle,
    note: &str,
    (by, at): (UserId, i64),
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM false_accusations WHERE lead_id = $1").bind(lead.raw()).execute(&mut **tx).await?;
    sqlx::query(
        "INSERT INTO false_accusations (lead_id, accuser_lead_id, note, actor, at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(lead.raw())
    .bind(accuser.raw())
    .bind(note)
    .bind(by.get())
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The lead's false-accusation flag: the accuser's lead (id, number), if it lies in `scope`, and the note.
pub async fn flag_of(
    c: &mut Conn,
    scope: &Scope,
    lead: &LeadHandle,
) -> Result<Option<(LeadId, String, String)>, StoreError> {
    let mut b = SqlBuilder::new(
        "SELECT f.accuser_lead_id, l.number, f.note FROM false_accusations f JOIN leads l ON l.id = f.accuser_lead_id
         WHERE f.lead_id = ",
    );
    b.bind(Value::Int(lead.raw()));
    scope::push(&mut b, scope);
    let r = b.build().fetch_optional(&mut *c).await?;
    r.map(|r| Ok((LeadId::from_raw(r.try_get(0)?), r.try_get(1)?, r.try_get(2)?))).transpose()
}
