//! Rectification after a case (以案促改): the letter and what follows it, its measures, and the
//! institutions units establish. A rectification is reached through its scoped lead.

use domain::{
    LeadId, UnitId, UserId,
    oversight::rectification::{Analysis, Institution, LetterKind, Measure, MeasureStatus, RectificationState},
    protection::scope::Scope,
};
use sqlx::{Row, any::AnyRow};

use crate::{
    Conn, LeadHandle, StoreError, Tx, scope,
    sql::{SqlBuilder, Value, code, date_text, parse_stored_date},
};

/// The next number of a kind's letters in a year.
pub async fn next_seq(c: &mut Conn, kind: LetterKind, year: i32) -> Result<i64, StoreError> {
    Ok(sqlx::query("SELECT COALESCE(MAX(seq), 0) + 1 FROM rectifications WHERE kind = $1 AND year = $2")
        .bind(kind.code())
        .bind(i64::from(year))
        .fetch_one(&mut *c)
        .await?
        .try_get(0)?)
}

/// A new letter, as issued.
pub struct NewLetter<'a> {
    pub unit: UnitId,
    pub kind: LetterKind,
    pub year: i32,
    pub seq: i64,
    pub number: &'a str,
    pub content: &'a str,
    pub reply_due: time::Date,
    pub by: UserId,
    pub at: i64,
}

pub async fn insert(tx: &mut Tx, lead: &LeadHandle, l: &NewLetter<'_>) -> Result<i64, StoreError> {
    Ok(sqlx::query(
        "INSERT INTO rectifications (lead_id, unit_id, kind, year, seq, number, content, reply_due, state, issued_by, issued_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'issued', $9, $10) RETURNING id",
    )
    .bind(lead.raw())
    .bind(l.unit.get())
    .bind(l.kind.code())
    .bind(i64::from(l.year))
    .bind(l.seq)
    .bind(l.number)
    .bind(l.content)
    .bind(date_text(l.reply_due))
    .bind(l.by.get())
    .bind(l.at)
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)?)
}

/// A rectification as stored, with its lead's number and unit.
#[derive(Debug, Clone)]
pub struct Rectification {
    pub id: i64,
    pub lead_id: LeadId,
    pub lead_number: String,
    pub lead_summary: String,
    pub unit_id: UnitId,
    pub unit_name: String,
    pub kind: LetterKind,
    pub number: String,
    pub content: String,
    pub reply_due: time::Date,
    pub state: RectificationState,
    pub causes: Option<String>,
    pub risk_points: Option<String>,
    pub loopholes: Option<String>,
    pub reply: Option<String>,
    pub reply_signature: Option<String>,
    pub replied_by: Option<String>,
    pub replied_at: Option<i64>,
    pub decision_note: Option<String>,
    pub decided_by: Option<String>,
    pub decided_at: Option<i64>,
    pub recheck_held: Option<bool>,
    pub recheck_notes: Option<String>,
    pub rechecked_by: Option<String>,
    pub rechecked_at: Option<i64>,
    pub issued_by: String,
    /// The issuer's unit: the body whose letter it is.
    pub issuer_unit: String,
    pub issued_at: i64,
    /// Measures not done whose date has passed (counted against `today` by the caller's query).
    pub overdue: i64,
    pub measures: i64,
}

fn select(today: time::Date) -> String {
    format!(
        "SELECT x.*, l.number AS lead_number, l.summary AS lead_summary, u.name AS unit_name,
           ur.display_name AS replied_by_name, ud.display_name AS decided_by_name,
           uc.display_name AS rechecked_by_name, ui.display_name AS issued_by_name, iu.name AS issuer_unit,
           (SELECT COUNT(*) FROM rectification_measures m WHERE m.rectification_id = x.id) AS measures,
           (SELECT COUNT(*) FROM rectification_measures m WHERE m.rectification_id = x.id AND m.status <> 'done'
              AND m.due_on < '{}') AS overdue
         FROM rectifications x JOIN leads l ON l.id = x.lead_id JOIN units u ON u.id = x.unit_id
         JOIN users ui ON ui.id = x.issued_by JOIN units iu ON iu.id = ui.unit_id LEFT JOIN users ur ON ur.id = x.replied_by
         LEFT JOIN users ud ON ud.id = x.decided_by LEFT JOIN users uc ON uc.id = x.rechecked_by",
        // A date the program formats (YYYY-MM-DD), never a user's text.
        date_text(today)
    )
}

fn from_row(r: &AnyRow) -> Result<Rectification, StoreError> {
    Ok(Rectification {
        id: r.try_get("id")?,
        lead_id: LeadId::from_raw(r.try_get("lead_id")?),
        lead_number: r.try_get("lead_number")?,
        lead_summary: r.try_get("lead_summary")?,
        unit_id: UnitId::from_raw(r.try_get("unit_id")?),
        unit_name: r.try_get("unit_name")?,
        kind: code(&r.try_get::<String, _>("kind")?, LetterKind::from_code)?,
        number: r.try_get("number")?,
        content: r.try_get("content")?,
        reply_due: parse_stored_date(&r.try_get::<String, _>("reply_due")?)?,
        state: code(&r.try_get::<String, _>("state")?, RectificationState::from_code)?,
        causes: r.try_get("causes")?,
        risk_points: r.try_get("risk_points")?,
        loopholes: r.try_get("loopholes")?,
        reply: r.try_get("reply")?,
        reply_signature: r.try_get("reply_signature")?,
        replied_by: r.try_get("replied_by_name")?,
        replied_at: r.try_get("replied_at")?,
        decision_note: r.try_get("decision_note")?,
        decided_by: r.try_get("decided_by_name")?,
        decided_at: r.try_get("decided_at")?,
        recheck_held: r.try_get::<Option<i64>, _>("recheck_held")?.map(|v| v != 0),
        recheck_notes: r.try_get("recheck_notes")?,
        rechecked_by: r.try_get("rechecked_by_name")?,
        rechecked_at: r.try_get("rechecked_at")?,
        issued_by: r.try_get("issued_by_name")?,
        issuer_unit: r.try_get("issuer_unit")?,
        issued_at: r.try_get("issued_at")?,
        overdue: r.try_get("overdue")?,
        measures: r.try_get("measures")?,
    })
}

/// One rectification whose lead lies in `scope`, with the lead's handle.
pub async fn get(
    c: &mut Conn,
    scope: &Scope,
    id: i64,
    today: time::Date,
) -> Result<Option<(LeadHandle, Rectification)>, StoreError> {
    let mut b = SqlBuilder::new(&format!("{} WHERE x.id = ", select(today)));
    b.bind(Value::Int(id));
    scope::push(&mut b, scope);
    let Some(r) = b.build().fetch_optional(&mut *c).await? else { return Ok(None) };
    let x = from_row(&r)?;
    Ok(Some((LeadHandle::found(x.lead_id), x)))
}

/// The lead's rectification, if it has one.
pub async fn of_lead(c: &mut Conn, lead: &LeadHandle, today: time::Date) -> Result<Option<Rectification>, StoreError> {
    let r = sqlx::query(sqlx::AssertSqlSafe(format!("{} WHERE x.lead_id = $1", select(today))))
        .bind(lead.raw())
        .fetch_optional(&mut *c)
        .await?;
    r.as_ref().map(from_row).transpose()
}

/// Rectifications of leads in scope, newest first: a page and the total.
pub async fn list(
    c: &mut Conn,
    scope: &Scope,
    today: time::Date,
    (limit, offset): (i64, i64),
) -> Result<(Vec<Rectification>, i64), StoreError> {
    let mut count =
        SqlBuilder::new("SELECT COUNT(*) FROM rectifications x JOIN leads l ON l.id = x.lead_id WHERE 1 = 1");
    scope::push(&mut count, scope);
    let total: i64 = count.build().fetch_one(&mut *c).await?.try_get(0)?;
    let mut b = SqlBuilder::new(&format!("{} WHERE 1 = 1", select(today)));
    scope::push(&mut b, scope);
    b.push(" ORDER BY x.id DESC LIMIT ").push_int(limit).push(" OFFSET ").push_int(offset);
    let rows = b.build().fetch_all(&mut *c).await?.iter().map(from_row).collect::<Result<_, _>>()?;
    Ok((rows, total))
}

pub async fn set_analysis(tx: &mut Tx, id: i64, a: &Analysis) -> Result<bool, StoreError> {
    Ok(sqlx::query(
        "UPDATE rectifications SET causes = $1, risk_points = $2, loopholes = $3
         WHERE id = $4 AND state IN ('issued', 'returned')",
    )
    .bind(a.causes.as_str())
    .bind(a.risk_points.as_str())
    .bind(a.loopholes.as_str())
    .bind(id)
    .execute(&mut **tx)
    .await?
    .rows_affected()
        == 1)
}

/// A measure as stored.
#[derive(Debug, Clone)]
pub struct MeasureRow {
    pub id: i64,
    pub rectification_id: i64,
    pub content: String,
    pub owner: String,
    pub due_on: time::Date,
    pub status: MeasureStatus,
    pub evidence: String,
    pub set_on: time::Date,
}

fn measure(r: &AnyRow) -> Result<MeasureRow, StoreError> {
    Ok(MeasureRow {
        id: r.try_get("id")?,
        rectification_id: r.try_get("rectification_id")?,
        content: r.try_get("content")?,
        owner: r.try_get("owner")?,
        due_on: parse_stored_date(&r.try_get::<String, _>("due_on")?)?,
        status: code(&r.try_get::<String, _>("status")?, MeasureStatus::from_code)?,
        evidence: r.try_get("evidence")?,
        set_on: parse_stored_date(&r.try_get::<String, _>("set_on")?)?,
    })
}

pub async fn measures(c: &mut Conn, rectification: i64) -> Result<Vec<MeasureRow>, StoreError> {
    sqlx::query("SELECT * FROM rectification_measures WHERE rectification_id = $1 ORDER BY due_on, id")
        .bind(rectification)
        .fetch_all(&mut *c)
        .await?
        .iter()
        .map(measure)
        .collect()
}

/// One measure whose rectification's lead lies in `scope`, with the lead's handle.
pub async fn get_measure(c: &mut Conn, scope: &Scope, id: i64) -> Result<Option<(LeadHandle, MeasureRow)>, StoreError> {
    let mut b = SqlBuilder::new(
        "SELECT m.*, x.lead_id FROM rectification_measures m JOIN rectifications x ON x.id = m.rectification_id
         JOIN leads l ON l.id = x.lead_id WHERE m.id = ",
    );
    b.bind(Value::Int(id));
    scope::push(&mut b, scope);
    let Some(r) = b.build().fetch_optional(&mut *c).await? else { return Ok(None) };
    Ok(Some((LeadHandle::found(LeadId::from_raw(r.try_get("lead_id")?)), measure(&r)?)))
}

/// Adds a measure while the unit may still write (the state is checked in the statement, so a
/// reply that got in first wins); `None` when it may not.
pub async fn add_measure(
    tx: &mut Tx,
    rectification: i64,
    m: &Measure,
    set_on: time::Date,
    (actor, at): (UserId, i64),
) -> Result<Option<i64>, StoreError> {
    let row = sqlx::query(
        "INSERT INTO rectification_measures (rectification_id, content, owner, due_on, status, evidence, set_on, actor, at)
         SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9 FROM rectifications x
         WHERE x.id = $1 AND x.state IN ('issued', 'returned') RETURNING id",
    )
    .bind(rectification)
    .bind(m.content.as_str())
    .bind(m.owner.as_str())
    .bind(date_text(m.due_on))
    .bind(m.status.code())
    .bind(m.evidence.as_str())
    .bind(date_text(set_on))
    .bind(actor.get())
    .bind(at)
    .fetch_optional(&mut **tx)
    .await?;
    row.map(|r| r.try_get(0)).transpose().map_err(StoreError::from)
}

/// Updates a measure until its rectification is re-checked; false once it is.
pub async fn update_measure(tx: &mut Tx, id: i64, m: &Measure, (actor, at): (UserId, i64)) -> Result<bool, StoreError> {
    Ok(sqlx::query(
        "UPDATE rectification_measures SET content = $1, owner = $2, due_on = $3, status = $4, evidence = $5,
           actor = $6, at = $7,
           overdue_announced = CASE WHEN due_on = $3 THEN overdue_announced ELSE 0 END WHERE id = $8
           AND EXISTS (SELECT 1 FROM rectifications x WHERE x.id = rectification_id AND x.state <> 'rechecked')",
    )
    .bind(m.content.as_str())
    .bind(m.owner.as_str())
    .bind(date_text(m.due_on))
    .bind(m.status.code())
    .bind(m.evidence.as_str())
    .bind(actor.get())
    .bind(at)
    .bind(id)
    .execute(&mut **tx)
    .await?
    .rows_affected()
        == 1)
}

/// Whether a notice about `lead` may go to `user`: an enabled account the lead does not name.
pub async fn may_be_told(c: &mut Conn, user: UserId, lead: &LeadHandle) -> Result<bool, StoreError> {
    let n: i64 = sqlx::query(
        "SELECT COUNT(*) FROM users u WHERE u.id = $1 AND u.disabled = 0
           AND NOT EXISTS (SELECT 1 FROM recusals r WHERE r.lead_id = $2 AND r.user_id = u.id)",
    )
    .bind(user.get())
    .bind(lead.raw())
    .fetch_one(&mut *c)
    .await?
    .try_get(0)?;
    Ok(n > 0)
}

/// The unit head's reply; false when the state moved on first.
pub async fn reply(
    tx: &mut Tx,
    id: i64,
    text: &str,
    signature: &str,
    (by, at): (UserId, i64),
) -> Result<bool, StoreError> {
    Ok(sqlx::query(
        "UPDATE rectifications SET state = 'replied', reply = $1, reply_signature = $2, replied_by = $3, replied_at = $4
         WHERE id = $5 AND state IN ('issued', 'returned')",
    )
    .bind(text)
    .bind(signature)
    .bind(by.get())
    .bind(at)
    .bind(id)
    .execute(&mut **tx)
    .await?
    .rows_affected()
        == 1)
}

/// The committee accepts or returns a reply; false when it was not awaiting a decision.
pub async fn decide(
    tx: &mut Tx,
    id: i64,
    to: RectificationState,
    note: &str,
    (by, at): (UserId, i64),
) -> Result<bool, StoreError> {
    Ok(sqlx::query(
        "UPDATE rectifications SET state = $1, decision_note = $2, decided_by = $3, decided_at = $4
         WHERE id = $5 AND state = 'replied'",
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

/// The re-check (回头看) of an accepted rectification; false when it was not accepted.
pub async fn recheck(
    tx: &mut Tx,
    id: i64,
    held: bool,
    notes: &str,
    (by, at): (UserId, i64),
) -> Result<bool, StoreError> {
    Ok(sqlx::query(
        "UPDATE rectifications SET state = 'rechecked', recheck_held = $1, recheck_notes = $2, rechecked_by = $3,
           rechecked_at = $4 WHERE id = $5 AND state = 'accepted'",
    )
    .bind(i64::from(held))
    .bind(notes)
    .bind(by.get())
    .bind(at)
    .bind(id)
    .execute(&mut **tx)
    .await?
    .rows_affected()
        == 1)
}

/// An institution as listed.
#[derive(Debug, Clone)]
pub struct InstitutionRow {
    pub id: i64,
    pub unit_id: UnitId,
    pub unit_name: String,
    pub name: String,
    pub doc_no: String,
    pub issued_on: time::Date,
    pub rectification: Option<(i64, String)>,
}

pub async fn add_institution(
    tx: &mut Tx,
    unit: UnitId,
    i: &Institution,
    rectification: Option<i64>,
    (actor, at): (UserId, i64),
) -> Result<i64, StoreError> {
    Ok(sqlx::query(
        "INSERT INTO institutions (unit_id, name, doc_no, issued_on, rectification_id, actor, at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(unit.get())
    .bind(i.name.as_str())
    .bind(i.doc_no.as_str())
    .bind(date_text(i.issued_on))
    .bind(rectification)
    .bind(actor.get())
    .bind(at)
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)?)
}

/// Institutions of the units in scope, by unit and date.
pub async fn institutions(c: &mut Conn, scope: &Scope) -> Result<Vec<InstitutionRow>, StoreError> {
    let mut b = SqlBuilder::new(
        "SELECT i.id, i.unit_id, u.name AS unit_name, i.name, i.doc_no, i.issued_on, x.id AS rid, x.number
         FROM institutions i JOIN units u ON u.id = i.unit_id LEFT JOIN rectifications x ON x.id = i.rectification_id
         WHERE 1 = 1",
    );
    scope::push_units(&mut b, scope, "i.unit_id");
    b.push(" ORDER BY u.name, i.issued_on DESC, i.id");
    b.build()
        .fetch_all(&mut *c)
        .await?
        .iter()
        .map(|r| {
            let rid: Option<i64> = r.try_get("rid")?;
            let number: Option<String> = r.try_get("number")?;
            Ok(InstitutionRow {
                id: r.try_get("id")?,
                unit_id: UnitId::from_raw(r.try_get("unit_id")?),
                unit_name: r.try_get("unit_name")?,
                name: r.try_get("name")?,
                doc_no: r.try_get("doc_no")?,
                issued_on: parse_stored_date(&r.try_get::<String, _>("issued_on")?)?,
                rectification: rid.zip(number),
            })
        })
        .collect()
}

/// Whether the unit lies in the scope's subtrees.
pub async fn unit_in_scope(c: &mut Conn, scope: &Scope, unit: UnitId) -> Result<bool, StoreError> {
    let mut b = SqlBuilder::new("SELECT COUNT(*) FROM units u WHERE u.id = ");
    b.bind(Value::Int(unit.get()));
    scope::push_units(&mut b, scope, "u.id");
    Ok(b.build().fetch_one(&mut *c).await?.try_get::<i64, _>(0)? > 0)
}

/// A measure past its date and not done, or a letter past its reply deadline, not yet announced.
#[derive(Debug, Clone)]
pub struct Overdue {
    /// The measure's id, or `None` for a letter's reply.
    pub measure: Option<i64>,
    pub rectification: i64,
    pub lead: LeadHandle,
    pub unit: UnitId,
    pub number: String,
    pub what: String,
    pub due: time::Date,
    pub issued_by: UserId,
}

/// What the scan announces: measures and replies overdue on `today` that were not announced yet
/// (a system scan: every unit).
pub async fn overdue_unannounced(c: &mut Conn, today: time::Date) -> Result<Vec<Overdue>, StoreError> {
    let day = date_text(today);
    let mut out = Vec::new();
    let measures = sqlx::query(
        "SELECT m.id, x.id AS rid, x.lead_id, x.unit_id, x.number, m.content, m.due_on, x.issued_by
         FROM rectification_measures m JOIN rectifications x ON x.id = m.rectification_id
         WHERE m.status <> 'done' AND m.due_on < $1 AND m.overdue_announced = 0 AND x.state <> 'rechecked'
         ORDER BY m.id",
    )
    .bind(&day)
    .fetch_all(&mut *c)
    .await?;
    for r in &measures {
        out.push(Overdue {
            measure: Some(r.try_get("id")?),
            rectification: r.try_get("rid")?,
            lead: LeadHandle::found(LeadId::from_raw(r.try_get("lead_id")?)),
            unit: UnitId::from_raw(r.try_get("unit_id")?),
            number: r.try_get("number")?,
            what: r.try_get("content")?,
            due: parse_stored_date(&r.try_get::<String, _>("due_on")?)?,
            issued_by: UserId::from_raw(r.try_get("issued_by")?),
        });
    }
    let replies = sqlx::query(
        "SELECT x.id, x.lead_id, x.unit_id, x.number, x.reply_due, x.issued_by FROM rectifications x
         WHERE x.state IN ('issued', 'returned') AND x.reply_due < $1 AND x.reply_overdue_announced = 0 ORDER BY x.id",
    )
    .bind(&day)
    .fetch_all(&mut *c)
    .await?;
    for r in &replies {
        out.push(Overdue {
            measure: None,
            rectification: r.try_get("id")?,
            lead: LeadHandle::found(LeadId::from_raw(r.try_get("lead_id")?)),
            unit: UnitId::from_raw(r.try_get("unit_id")?),
            number: r.try_get("number")?,
            what: String::new(),
            due: parse_stored_date(&r.try_get::<String, _>("reply_due")?)?,
            issued_by: UserId::from_raw(r.try_get("issued_by")?),
        });
    }
    Ok(out)
}

/// Marks one overdue item announced; false when another scan did first.
pub async fn mark_announced(tx: &mut Tx, o: &Overdue) -> Result<bool, StoreError> {
    let q = match o.measure {
        Some(m) => sqlx::query(
            "UPDATE rectification_measures SET overdue_announced = 1 WHERE id = $1 AND overdue_announced = 0",
        )
        .bind(m),
        None => sqlx::query(
            "UPDATE rectifications SET reply_overdue_announced = 1 WHERE id = $1 AND reply_overdue_announced = 0",
        )
        .bind(o.rectification),
    };
    Ok(q.execute(&mut **tx).await?.rows_affected() == 1)
}
