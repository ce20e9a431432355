//! The libraries: typical cases (written in the committee's unit), good practices and
//! warning-education events (a unit's). Drafts are seen within the writer's units; published
//! entries by every reader.

use domain::{
    LeadId, UnitId, UserId,
    ledger::lead::Category,
    oversight::library::{Education, EducationForm, Practice, TypicalCase},
    protection::scope::Scope,
};
use sqlx::Row;

use crate::{
    Conn, StoreError, Tx, scope,
    sql::{SqlBuilder, Value, code, date_text, like_pattern, parse_stored_date},
};

pub async fn insert_case(
    tx: &mut Tx,
    unit: UnitId,
    c: &TypicalCase,
    lead: Option<LeadId>,
    (actor, at): (UserId, i64),
) -> Result<i64, StoreError> {
    Ok(sqlx::query(
        "INSERT INTO typical_cases (title, category, lead_id, text, lessons, published, unit_id, actor, at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(c.title.as_str())
    .bind(c.category.code())
    .bind(lead.map(|l| l.get()))
    .bind(c.text.as_str())
    .bind(c.lessons.as_str())
    .bind(i64::from(c.publish))
    .bind(unit.get())
    .bind(actor.get())
    .bind(at)
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)?)
}

pub async fn insert_practice(
    tx: &mut Tx,
    unit: UnitId,
    p: &Practice,
    (actor, at): (UserId, i64),
) -> Result<i64, StoreError> {
    Ok(sqlx::query(
        "INSERT INTO good_practices (unit_id, title, practised_on, text, published, actor, at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(unit.get())
    .bind(p.title.as_str())
    .bind(date_text(p.practised_on))
    .bind(p.text.as_str())
    .bind(i64::from(p.publish))
    .bind(actor.get())
    .bind(at)
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)?)
}

/// An entry of either library as listed.
#[derive(Debug, Clone)]
pub struct Entry {
    pub id: i64,
    pub unit_id: UnitId,
    pub unit_name: String,
    pub title: String,
    pub category: Option<Category>,
    pub on: Option<time::Date>,
    pub text: String,
    pub lessons: String,
    pub published: bool,
}

/// `table` is `typical_cases` or `good_practices` (the program's, never a user's).
async fn entries(c: &mut Conn, table: &str, scope: &Scope, q: &str) -> Result<Vec<Entry>, StoreError> {
    debug_assert!(matches!(table, "typical_cases" | "good_practices"));
    let cases = table == "typical_cases";
    let extra = if cases {
        "x.category, x.lessons, NULL AS practised_on"
    } else {
        "NULL AS category, '' AS lessons, x.practised_on"
    };
    let mut b = SqlBuilder::new(&format!(
        "SELECT x.id, x.unit_id, u.name AS unit_name, x.title, x.text, x.published, {extra}
         FROM {table} x JOIN units u ON u.id = x.unit_id WHERE (x.published = 1"
    ));
    b.push(" OR (1 = 1");
    scope::push_units(&mut b, scope, "x.unit_id");
    b.push("))");
    if !q.trim().is_empty() {
        let p = like_pattern(q.trim());
        b.push(" AND (x.title LIKE ").bind(Value::Text(p.clone())).push(" ESCAPE '\\' OR x.text LIKE ");
        b.bind(Value::Text(p)).push(" ESCAPE '\\')");
    }
    b.push(" ORDER BY x.id DESC LIMIT 200");
    b.build()
        .fetch_all(&mut *c)
        .await?
        .iter()
        .map(|r| {
            Ok(Entry {
                id: r.try_get("id")?,
                unit_id: UnitId::from_raw(r.try_get("unit_id")?),
                unit_name: r.try_get("unit_name")?,
                title: r.try_get("title")?,
                category: r
                    .try_get::<Option<String>, _>("category")?
                    .map(|s| code(&s, Category::from_code))
                    .transpose()?,
                on: r.try_get::<Option<String>, _>("practised_on")?.map(|d| parse_stored_date(&d)).transpose()?,
                text: r.try_get("text")?,
                lessons: r.try_get("lessons")?,
                published: r.try_get::<i64, _>("published")? != 0,
            })
        })
        .collect()
}

pub async fn cases(c: &mut Conn, scope: &Scope, q: &str) -> Result<Vec<Entry>, StoreError> {
    entries(c, "typical_cases", scope, q).await
}

pub async fn practices(c: &mut Conn, scope: &Scope, q: &str) -> Result<Vec<Entry>, StoreError> {
    entries(c, "good_practices", scope, q).await
}

/// Publishes an entry of a unit in `scope` (again is no change); false when there is no such entry.
pub async fn publish(tx: &mut Tx, table: &str, scope: &Scope, id: i64) -> Result<bool, StoreError> {
    debug_assert!(matches!(table, "typical_cases" | "good_practices"));
    let mut b = SqlBuilder::new(&format!("UPDATE {table} SET published = 1 WHERE id = "));
    b.bind(Value::Int(id));
    scope::push_units(&mut b, scope, "unit_id");
    Ok(b.build().execute(&mut **tx).await?.rows_affected() == 1)
}

/// A published typical case, or one of a unit in `scope` (for an education event to cite).
pub async fn case_readable(c: &mut Conn, scope: &Scope, id: i64) -> Result<bool, StoreError> {
    let mut b = SqlBuilder::new("SELECT COUNT(*) FROM typical_cases x WHERE x.id = ");
    b.bind(Value::Int(id)).push(" AND (x.published = 1 OR (1 = 1");
    scope::push_units(&mut b, scope, "x.unit_id");
    b.push("))");
    Ok(b.build().fetch_one(&mut *c).await?.try_get::<i64, _>(0)? > 0)
}

pub async fn insert_education(
    tx: &mut Tx,
    unit: UnitId,
    e: &Education,
    case: Option<i64>,
    (actor, at): (UserId, i64),
) -> Result<i64, StoreError> {
    Ok(sqlx::query(
        "INSERT INTO education_events (unit_id, held_on, form, attendance, case_id, actor, at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(unit.get())
    .bind(date_text(e.held_on))
    .bind(e.form.code())
    .bind(i64::from(e.attendance))
    .bind(case)
    .bind(actor.get())
    .bind(at)
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)?)
}

/// An education event as listed, with the case it used.
#[derive(Debug, Clone)]
pub struct EducationRow {
    pub id: i64,
    pub unit_id: UnitId,
    pub unit_name: String,
    pub held_on: time::Date,
    pub form: EducationForm,
    pub attendance: i64,
    pub case: Option<(i64, String)>,
}

pub async fn education(c: &mut Conn, scope: &Scope) -> Result<Vec<EducationRow>, StoreError> {
    let mut b = SqlBuilder::new(
        "SELECT e.id, e.unit_id, u.name AS unit_name, e.held_on, e.form, e.attendance, e.case_id, t.title
         FROM education_events e JOIN units u ON u.id = e.unit_id LEFT JOIN typical_cases t ON t.id = e.case_id WHERE 1 = 1",
    );
    scope::push_units(&mut b, scope, "e.unit_id");
    b.push(" ORDER BY e.held_on DESC, e.id DESC");
    b.build()
        .fetch_all(&mut *c)
        .await?
        .iter()
        .map(|r| {
            let case: Option<i64> = r.try_get("case_id")?;
            let title: Option<String> = r.try_get("title")?;
            Ok(EducationRow {
                id: r.try_get("id")?,
                unit_id: UnitId::from_raw(r.try_get("unit_id")?),
                unit_name: r.try_get("unit_name")?,
                held_on: parse_stored_date(&r.try_get::<String, _>("held_on")?)?,
                form: code(&r.try_get::<String, _>("form")?, EducationForm::from_code)?,
                attendance: r.try_get("attendance")?,
                case: case.zip(title),
            })
        })
        .collect()
}
