//! Accountability decisions (问责) and early warnings (抓早抓小): records of a unit, read and
//! written within the caller's units.

use domain::{
    LeadId, UnitId, UserId,
    oversight::{
        accountability::{
            Accountability, AccountabilityForm, AccountabilityGround, AccountabilitySource, AccountabilityTarget,
        },
        early_warning::{EarlyWarning, Intervention, WarningSource},
    },
    protection::scope::Scope,
};
use sqlx::Row;

use crate::{
    Conn, LeadHandle, StoreError, Tx, scope,
    sql::{SqlBuilder, Value, code, date_text, parse_stored_date},
};

pub async fn insert(
    tx: &mut Tx,
    unit: UnitId,
    a: &Accountability,
    (actor, at): (UserId, i64),
) -> Result<i64, StoreError> {
    Ok(sqlx::query(
        "INSERT INTO accountabilities (unit_id, target, person, ground, form, decided_on, doc_no, source, source_ref, actor, at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(unit.get())
    .bind(a.target.code())
    .bind(a.person.as_str())
    .bind(a.ground.code())
    .bind(a.form.code())
    .bind(date_text(a.decided_on))
    .bind(a.doc_no.as_str())
    .bind(a.source.code())
    .bind(a.source_ref.as_str())
    .bind(actor.get())
    .bind(at)
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)?)
}

/// A decision as listed.
#[derive(Debug, Clone)]
pub struct AccountabilityRow {
    pub id: i64,
    pub unit_id: UnitId,
    pub unit_name: String,
    pub a: Accountability,
}

/// Decisions over the units in scope dated within `[from, to]`, newest first.
pub async fn list(
    c: &mut Conn,
    scope: &Scope,
    (from, to): (time::Date, time::Date),
) -> Result<Vec<AccountabilityRow>, StoreError> {
    let mut b = SqlBuilder::new(
        "SELECT a.*, u.name AS unit_name FROM accountabilities a JOIN units u ON u.id = a.unit_id WHERE a.decided_on >= ",
    );
    b.bind(Value::Text(date_text(from))).push(" AND a.decided_on <= ").bind(Value::Text(date_text(to)));
    scope::push_units(&mut b, scope, "a.unit_id");
    b.push(" ORDER BY a.decided_on DESC, a.id DESC");
    b.build()
        .fetch_all(&mut *c)
        .await?
        .iter()
        .map(|r| {
            Ok(AccountabilityRow {
                id: r.try_get("id")?,
                unit_id: UnitId::from_raw(r.try_get("unit_id")?),
                unit_name: r.try_get("unit_name")?,
                a: Accountability {
                    target: code(&r.try_get::<String, _>("target")?, AccountabilityTarget::from_code)?,
                    person: r.try_get("person")?,
                    ground: code(&r.try_get::<String, _>("ground")?, AccountabilityGround::from_code)?,
                    form: code(&r.try_get::<String, _>("form")?, AccountabilityForm::from_code)?,
                    decided_on: parse_stored_date(&r.try_get::<String, _>("decided_on")?)?,
                    doc_no: domain::text::Line::parse("doc_no", &r.try_get::<String, _>("doc_no")?)
                        .map_err(|_| StoreError::corrupt("accountability doc_no"))?,
                    source: code(&r.try_get::<String, _>("source")?, AccountabilitySource::from_code)?,
                    source_ref: r.try_get("source_ref")?,
                },
            })
        })
        .collect()
}

pub async fn insert_warning(
    tx: &mut Tx,
    unit: UnitId,
    w: &EarlyWarning,
    (actor, at): (UserId, i64),
) -> Result<i64, StoreError> {
    Ok(sqlx::query(
        "INSERT INTO early_warnings (unit_id, person, post, problem, source, intervention, given_on, given_by, actor, at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(unit.get())
    .bind(w.person.as_str())
    .bind(w.post.as_str())
    .bind(w.problem.as_str())
    .bind(w.source.code())
    .bind(w.intervention.code())
    .bind(date_text(w.given_on))
    .bind(w.given_by.as_str())
    .bind(actor.get())
    .bind(at)
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)?)
}

/// An early warning as listed.
#[derive(Debug, Clone)]
pub struct WarningRow {
    pub id: i64,
    pub unit_id: UnitId,
    pub unit_name: String,
    pub person: String,
    pub post: String,
    pub problem: String,
    pub source: WarningSource,
    pub intervention: Intervention,
    pub given_on: time::Date,
    pub given_by: String,
    pub follow_up: Option<String>,
    pub lead: Option<(LeadId, String)>,
}

const WARNINGS: &str = "SELECT w.*, u.name AS unit_name, l.number AS lead_number FROM early_warnings w
    JOIN units u ON u.id = w.unit_id LEFT JOIN leads l ON l.id = w.lead_id WHERE 1 = 1";

fn warning(r: &sqlx::any::AnyRow) -> Result<WarningRow, StoreError> {
    let lead: Option<i64> = r.try_get("lead_id")?;
    let number: Option<String> = r.try_get("lead_number")?;
    Ok(WarningRow {
        id: r.try_get("id")?,
        unit_id: UnitId::from_raw(r.try_get("unit_id")?),
        unit_name: r.try_get("unit_name")?,
        person: r.try_get("person")?,
        post: r.try_get("post")?,
        problem: r.try_get("problem")?,
        source: code(&r.try_get::<String, _>("source")?, WarningSource::from_code)?,
        intervention: code(&r.try_get::<String, _>("intervention")?, Intervention::from_code)?,
        given_on: parse_stored_date(&r.try_get::<String, _>("given_on")?)?,
        given_by: r.try_get("given_by")?,
        follow_up: r.try_get("follow_up")?,
        lead: lead.map(LeadId::from_raw).zip(number),
    })
}

/// Early warnings of the units in scope, newest first.
pub async fn warnings(c: &mut Conn, scope: &Scope) -> Result<Vec<WarningRow>, StoreError> {
    let mut b = SqlBuilder::new(WARNINGS);
    scope::push_units(&mut b, scope, "w.unit_id");
    b.push(" ORDER BY w.given_on DESC, w.id DESC");
    b.build().fetch_all(&mut *c).await?.iter().map(warning).collect()
}

/// One early warning of a unit in scope.
pub async fn get_warning(c: &mut Conn, scope: &Scope, id: i64) -> Result<Option<WarningRow>, StoreError> {
    let mut b = SqlBuilder::new(&format!("{WARNINGS} AND w.id = "));
    b.bind(Value::Int(id));
    scope::push_units(&mut b, scope, "w.unit_id");
    b.build().fetch_optional(&mut *c).await?.as_ref().map(warning).transpose()
}

/// Records the follow-up, and the lead the problem grew into (found in the caller's scope).
pub async fn follow_up(tx: &mut Tx, id: i64, text: &str, lead: Option<&LeadHandle>) -> Result<(), StoreError> {
    sqlx::query("UPDATE early_warnings SET follow_up = $1, lead_id = $2 WHERE id = $3")
        .bind(text)
        .bind(lead.map(|l| l.id().get()))
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
