//! Feedback to a lead's reporter and their objections, reached through the scoped lead; the
//! satisfaction figures per unit over a period.

use domain::{
    LeadId, UnitId, UserId,
    protection::scope::Scope,
    reporters::{
        feedback::{ContactMethod, Feedback, FeedbackKind},
        objection::{Answer, Objection, ObjectionState},
        satisfaction::Satisfaction,
    },
};
use sqlx::{Row, any::AnyRow};
use time::Date;

use crate::{
    Conn, LeadHandle, StoreError, Tx, scope,
    sql::{SqlBuilder, Value, code, date_text, parse_stored_date},
};

pub async fn insert(
    tx: &mut Tx,
    lead: &LeadHandle,
    event: i64,
    f: &Feedback,
    given_by: &str,
    (by, at): (UserId, i64),
) -> Result<i64, StoreError> {
    Ok(sqlx::query(
        "INSERT INTO reporter_feedback (lead_id, event_id, kind, contacted_on, method, given_by, note, rating, reasons,
           recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(lead.raw())
    .bind(event)
    .bind(f.kind.code())
    .bind(date_text(f.contacted_on))
    .bind(f.method.code())
    .bind(given_by)
    .bind(f.note.as_ref().map(|n| n.as_str()))
    .bind(f.rating.map(|r| r.code()))
    .bind(f.reasons.as_ref().map(|n| n.as_str()))
    .bind(by.get())
    .bind(at)
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)?)
}

/// A feedback as recorded.
#[derive(Debug, Clone)]
pub struct FeedbackRow {
    pub id: i64,
    pub event_id: i64,
    pub kind: FeedbackKind,
    pub contacted_on: Date,
    pub method: ContactMethod,
    pub given_by: String,
    pub note: Option<String>,
    pub rating: Option<Satisfaction>,
    pub reasons: Option<String>,
    pub recorded_by: String,
    /// Who recorded it (a portal rating is recorded under the handler who told the result).
    pub recorder: UserId,
}

fn feedback_row(r: &AnyRow) -> Result<FeedbackRow, StoreError> {
    Ok(FeedbackRow {
        id: r.try_get("id")?,
        event_id: r.try_get("event_id")?,
        kind: code(&r.try_get::<String, _>("kind")?, FeedbackKind::from_code)?,
        contacted_on: parse_stored_date(&r.try_get::<String, _>("contacted_on")?)?,
        method: code(&r.try_get::<String, _>("method")?, ContactMethod::from_code)?,
        given_by: r.try_get("given_by")?,
        note: r.try_get("note")?,
        rating: r.try_get::<Option<String>, _>("rating")?.map(|c| code(&c, Satisfaction::from_code)).transpose()?,
        reasons: r.try_get("reasons")?,
        recorded_by: r.try_get("recorded_by_name")?,
        recorder: UserId::from_raw(r.try_get("recorded_by")?),
    })
}

/// The lead's feedback, oldest first.
pub async fn of_lead(c: &mut Conn, lead: &LeadHandle) -> Result<Vec<FeedbackRow>, StoreError> {
    sqlx::query(
        "SELECT f.*, u.display_name AS recorded_by_name FROM reporter_feedback f JOIN users u ON u.id = f.recorded_by
         WHERE f.lead_id = $1 ORDER BY f.id",
    )
    .bind(lead.raw())
    .fetch_all(&mut *c)
    .await?
    .iter()
    .map(feedback_row)
    .collect()
}

pub async fn insert_objection(
    tx: &mut Tx,
    lead: &LeadHandle,
    o: &Objection,
    (by, at): (UserId, i64),
) -> Result<i64, StoreError> {
    Ok(sqlx::query(
        "INSERT INTO objections (lead_id, received_on, method, content, new_material, state, recorded_by, recorded_at)
         VALUES ($1, $2, $3, $4, $5, 'open', $6, $7) RETURNING id",
    )
    .bind(lead.raw())
    .bind(date_text(o.received_on))
    .bind(o.method.code())
    .bind(o.content.as_str())
    .bind(i64::from(o.new_material))
    .bind(by.get())
    .bind(at)
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)?)
}

/// An objection as recorded, with its answer once given.
#[derive(Debug, Clone)]
pub struct ObjectionRow {
    pub id: i64,
    pub received_on: Date,
    pub method: ContactMethod,
    pub content: String,
    pub new_material: bool,
    pub state: ObjectionState,
    pub recorded_by: String,
    pub answered_on: Option<Date>,
    pub answer: Option<String>,
    pub material_checked: Option<String>,
    pub given_by: Option<String>,
}

fn objection_row(r: &AnyRow) -> Result<ObjectionRow, StoreError> {
    Ok(ObjectionRow {
        id: r.try_get("id")?,
        received_on: parse_stored_date(&r.try_get::<String, _>("received_on")?)?,
        method: code(&r.try_get::<String, _>("method")?, ContactMethod::from_code)?,
        content: r.try_get("content")?,
        new_material: r.try_get::<i64, _>("new_material")? != 0,
        state: code(&r.try_get::<String, _>("state")?, ObjectionState::from_code)?,
        recorded_by: r.try_get("recorded_by_name")?,
        answered_on: r.try_get::<Option<String>, _>("answered_on")?.map(|d| parse_stored_date(&d)).transpose()?,
        answer: r.try_get("answer")?,
        material_checked: r.try_get("material_checked")?,
        given_by: r.try_get("given_by")?,
    })
}

fn objections(lead: &LeadHandle) -> SqlBuilder {
    let mut b = SqlBuilder::new(
        "SELECT o.*, u.display_name AS recorded_by_name FROM objections o
         JOIN users u ON u.id = o.recorded_by WHERE o.lead_id = ",
    );
    b.bind(Value::Int(lead.raw()));
    b
}

pub async fn objections_of_lead(c: &mut Conn, lead: &LeadHandle) -> Result<Vec<ObjectionRow>, StoreError> {
    let mut b = objections(lead);
    b.push(" ORDER BY o.id");
    b.build().fetch_all(&mut *c).await?.iter().map(objection_row).collect()
}

/// The lead's objection `id`: a child record, read only through its lead.
pub async fn objection(c: &mut Conn, lead: &LeadHandle, id: i64) -> Result<Option<ObjectionRow>, StoreError> {
    let mut b = objections(lead);
    b.push(" AND o.id = ").bind(Value::Int(id));
    b.build().fetch_optional(&mut *c).await?.as_ref().map(objection_row).transpose()
}

/// Records the answer if the objection is still open; false when someone answered first.
pub async fn answer(
    tx: &mut Tx,
    lead: &LeadHandle,
    id: i64,
    a: &Answer,
    given_by: &str,
    (by, at): (UserId, i64),
) -> Result<bool, StoreError> {
    Ok(sqlx::query(
        "UPDATE objections SET state = $1, answered_on = $2, answer = $3, material_checked = $4, given_by = $5,
           answered_by = $6, answered_at = $7 WHERE id = $8 AND lead_id = $9 AND state = 'open'",
    )
    .bind(a.outcome.code())
    .bind(date_text(a.answered_on))
    .bind(a.answer.as_str())
    .bind(a.material_checked.as_ref().map(|m| m.as_str()))
    .bind(given_by)
    .bind(by.get())
    .bind(at)
    .bind(id)
    .bind(lead.raw())
    .execute(&mut **tx)
    .await?
    .rows_affected()
        == 1)
}

/// Of the leads given, those whose latest follow-up after `closure event` found the reporter
/// 不满意.
pub async fn unsatisfied_since(c: &mut Conn, closures: &[(LeadId, i64)]) -> Result<Vec<LeadId>, StoreError> {
    let mut out = Vec::new();
    for chunk in closures.chunks(500) {
        let mut b = SqlBuilder::new(
            "SELECT f.lead_id, f.event_id, f.rating FROM reporter_feedback f WHERE f.kind = 'follow_up' AND f.lead_id IN (",
        );
        b.push_ints(chunk.iter().map(|(l, _)| l.get())).push(") ORDER BY f.lead_id, f.id");
        let mut latest = std::collections::HashMap::new();
        for r in b.build().fetch_all(&mut *c).await? {
            let lead: i64 = r.try_get(0)?;
            let event: i64 = r.try_get(1)?;
            latest.insert(lead, (event, r.try_get::<Option<String>, _>(2)?));
        }
        for (lead, closure) in chunk {
            if let Some((event, Some(rating))) = latest.get(&lead.get())
                && event > closure
                && rating == Satisfaction::Unsatisfied.code()
            {
                out.push(*lead);
            }
        }
    }
    Ok(out)
}

/// Follow-ups held in `[from, to]` on leads in scope, per handling unit: (unit, name, satisfied,
/// basically satisfied, unsatisfied).
pub async fn satisfaction_by_unit(
    c: &mut Conn,
    scope: &Scope,
    (from, to): (Date, Date),
) -> Result<Vec<(UnitId, String, [i64; 3])>, StoreError> {
    let mut b = SqlBuilder::new(
        "SELECT l.unit_id, u.name,
           SUM(CASE WHEN f.rating = 'satisfied' THEN 1 ELSE 0 END),
           SUM(CASE WHEN f.rating = 'basically_satisfied' THEN 1 ELSE 0 END),
           SUM(CASE WHEN f.rating = 'unsatisfied' THEN 1 ELSE 0 END)
         FROM reporter_feedback f JOIN leads l ON l.id = f.lead_id JOIN units u ON u.id = l.unit_id
         WHERE f.kind = 'follow_up' AND f.contacted_on >= ",
    );
    b.bind(Value::Text(date_text(from))).push(" AND f.contacted_on <= ").bind(Value::Text(date_text(to)));
    scope::push(&mut b, scope);
    b.push(" GROUP BY l.unit_id, u.name ORDER BY l.unit_id");
    b.build()
        .fetch_all(&mut *c)
        .await?
        .iter()
        .map(|r| Ok((UnitId::from_raw(r.try_get(0)?), r.try_get(1)?, [r.try_get(2)?, r.try_get(3)?, r.try_get(4)?])))
        .collect()
}

/// The lead's latest closure (the event that concluded or settled it) and when it took effect.
pub async fn latest_closure(c: &mut Conn, lead: &LeadHandle) -> Result<Option<(i64, i64)>, StoreError> {
    let row = sqlx::query(
        "SELECT id, COALESCE(decided_at, at) FROM lead_events WHERE lead_id = $1 AND state = 'done'
           AND to_status IN ('concluded', 'settled') ORDER BY id DESC LIMIT 1",
    )
    .bind(lead.raw())
    .fetch_optional(&mut *c)
    .await?;
    row.map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).transpose()
}
