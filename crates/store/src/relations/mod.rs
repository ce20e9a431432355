//! Relations (关系网): the leads in the caller's scope around a person, a lead, a unit or a
//! reporter's hash, read as facts for `domain::relations` to draw; and the supervisors' lists
//! of persons named again and again.

use domain::{
    LeadId, UnitId,
    ledger::{lead::LeadStatus, lead_no::LeadNo},
    lifecycle::conclusion::Finding,
    protection::scope::Scope,
    relations::{FrequentPerson, LeadFact, PersonFact},
};
use sqlx::Row;

use crate::{
    Conn, StoreError, scope,
    sql::{SqlBuilder, Value, code, parse_stored_date},
};

/// The leads in scope naming `person`, latest first, at most `limit`.
pub async fn leads_naming(c: &mut Conn, scope: &Scope, person: i64, limit: i64) -> Result<Vec<LeadId>, StoreError> {
    let mut b =
        SqlBuilder::new("SELECT l.id FROM lead_subjects s JOIN leads l ON l.id = s.lead_id WHERE s.person_id = ");
    b.bind(Value::Int(person));
    scope::push(&mut b, scope);
    latest(c, b, limit).await
}

/// The leads in scope whose reporter has the identity key `key` (never empty), latest first.
pub async fn leads_reported_by(c: &mut Conn, scope: &Scope, key: &str, limit: i64) -> Result<Vec<LeadId>, StoreError> {
    let mut b =
        SqlBuilder::new("SELECT l.id FROM reporters r JOIN leads l ON l.id = r.lead_id WHERE r.identity_key = ");
    b.bind(Value::Text(key.to_owned()));
    scope::push(&mut b, scope);
    latest(c, b, limit).await
}

/// The leads in scope the unit holds, latest first.
pub async fn leads_of_unit(c: &mut Conn, scope: &Scope, unit: UnitId, limit: i64) -> Result<Vec<LeadId>, StoreError> {
    let mut b = SqlBuilder::new("SELECT l.id FROM leads l WHERE l.unit_id = ");
    b.bind(Value::Int(unit.get()));
    scope::push(&mut b, scope);
    latest(c, b, limit).await
}

/// How many leads in scope name `person`.
pub async fn count_naming(c: &mut Conn, scope: &Scope, person: i64) -> Result<i64, StoreError> {
    let mut b = SqlBuilder::new(
        "SELECT COUNT(DISTINCT l.id) FROM lead_subjects s JOIN leads l ON l.id = s.lead_id WHERE s.person_id = ",
    );
    b.bind(Value::Int(person));
    scope::push(&mut b, scope);
    Ok(b.build().fetch_one(&mut *c).await?.try_get(0)?)
}

/// How many leads in scope the unit holds.
pub async fn count_of_unit(c: &mut Conn, scope: &Scope, unit: UnitId) -> Result<i64, StoreError> {
    let mut b = SqlBuilder::new("SELECT COUNT(*) FROM leads l WHERE l.unit_id = ");
    b.bind(Value::Int(unit.get()));
    scope::push(&mut b, scope);
    Ok(b.build().fetch_one(&mut *c).await?.try_get(0)?)
}

async fn latest(c: &mut Conn, mut b: SqlBuilder, limit: i64) -> Result<Vec<LeadId>, StoreError> {
    b.push(" ORDER BY l.received_on DESC, l.id DESC LIMIT ").push_int(limit);
    let rows = b.build().fetch_all(&mut *c).await?;
    let mut ids: Vec<LeadId> =
        rows.iter().map(|r| Ok(LeadId::from_raw(r.try_get(0)?))).collect::<Result<_, StoreError>>()?;
    ids.dedup();
    Ok(ids)
}

/// What the graph knows of each lead of `ids` that is in scope: its unit, subjects (the person
/// registry's id, the name and unit as this lead gives them: the registry's own row may come
/// from a lead out of scope) and the identity key of its reporter.
pub async fn facts(c: &mut Conn, scope: &Scope, ids: &[LeadId]) -> Result<Vec<LeadFact>, StoreError> {
    let mut out: Vec<LeadFact> = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        let mut b = SqlBuilder::new(
            "SELECT l.id, l.number, l.unit_id, u.name AS unit_name, l.received_on, l.status, l.finding,
                    r.identity_key, s.person_id, s.name AS p_name, s.unit_name AS p_unit
             FROM leads l JOIN units u ON u.id = l.unit_id
             LEFT JOIN reporters r ON r.lead_id = l.id
             LEFT JOIN lead_subjects s ON s.lead_id = l.id
             WHERE l.id IN (",
        );
        b.push_ints(chunk.iter().map(|id| id.get())).push(")");
        scope::push(&mut b, scope);
        b.push(" ORDER BY l.id, s.ordinal");
        for r in b.build().fetch_all(&mut *c).await? {
            let id = LeadId::from_raw(r.try_get("id")?);
            if out.last().is_none_or(|f| f.id != id) {
                let finding: Option<String> = r.try_get("finding")?;
                out.push(LeadFact {
                    id,
                    number: LeadNo::from_stored(r.try_get("number")?),
                    unit_id: UnitId::from_raw(r.try_get("unit_id")?),
                    unit_name: r.try_get("unit_name")?,
                    received_on: parse_stored_date(&r.try_get::<String, _>("received_on")?)?,
                    status: code(&r.try_get::<String, _>("status")?, LeadStatus::from_code)?,
                    finding: finding.map(|f| code(&f, Finding::from_code)).transpose()?,
                    subjects: Vec::new(),
                    reporter: r.try_get::<Option<String>, _>("identity_key")?.filter(|k| !k.is_empty()),
                });
            }
            if let (Some(person), Some(f)) = (r.try_get::<Option<i64>, _>("person_id")?, out.last_mut()) {
                f.subjects.push(PersonFact {
                    person,
                    name: r.try_get::<Option<String>, _>("p_name")?.unwrap_or_default(),
                    unit_name: r.try_get::<Option<String>, _>("p_unit")?.unwrap_or_default(),
                });
            }
        }
    }
    Ok(out)
}

/// Persons named in at least `min` leads in scope; and how many there are. Those named across
/// the most units come first (the same person turning up in several units is what a network
/// looks like), then by how many leads.
pub async fn frequent_persons(
    c: &mut Conn,
    scope: &Scope,
    min: i64,
    (offset, limit): (i64, i64),
) -> Result<(Vec<FrequentPerson>, i64), StoreError> {
    let grouped = |select: &str| {
        let mut b = SqlBuilder::new(select);
        // Driven from the registry's subjects (CROSS JOIN keeps SQLite from walking every lead in
        // scope first: 14 s at 1M leads, against 2 ms).
        b.push(" FROM lead_subjects s CROSS JOIN leads l WHERE l.id = s.lead_id AND s.person_id IS NOT NULL");
        scope::push(&mut b, scope);
        b.push(" GROUP BY s.person_id HAVING COUNT(DISTINCT l.id) >= ").push_int(min);
        b
    };
    // The name and unit as the leads in scope give them (the registry's row may come from a
    // lead out of scope).
    let mut b = grouped(
        "SELECT s.person_id, MAX(s.name) AS name, MAX(s.unit_name) AS unit_name, COUNT(DISTINCT l.id) AS leads,
                COUNT(DISTINCT l.unit_id) AS units, MIN(l.received_on) AS first_received,
                MAX(l.received_on) AS last_received",
    );
    b.push(" ORDER BY units DESC, leads DESC, s.person_id LIMIT ").push_int(limit).push(" OFFSET ").push_int(offset);
    let rows = b.build().fetch_all(&mut *c).await?;
    let items = rows
        .iter()
        .map(|r| {
            Ok(FrequentPerson {
                person: r.try_get(0)?,
                name: r.try_get(1)?,
                unit_name: r.try_get(2)?,
                leads: r.try_get(3)?,
                units: r.try_get(4)?,
                first_received: r.try_get(5)?,
                last_received: r.try_get(6)?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    let mut counted = grouped("SELECT COUNT(*) FROM (SELECT s.person_id");
    counted.push(") t");
    let total: i64 = counted.build().fetch_one(&mut *c).await?.try_get(0)?;
    Ok((items, total))
}

/// Units whose leads name the same person more than once, most such persons first.
pub async fn units_with_repeat_subjects(
    c: &mut Conn,
    scope: &Scope,
    limit: i64,
) -> Result<Vec<(UnitId, String, i64)>, StoreError> {
    let mut b = SqlBuilder::new(
        "SELECT t.unit_id, u.name, COUNT(*) AS persons FROM (
           SELECT l.unit_id, s.person_id FROM lead_subjects s CROSS JOIN leads l
           WHERE l.id = s.lead_id AND s.person_id IS NOT NULL",
    );
    scope::push(&mut b, scope);
    b.push(
        " GROUP BY l.unit_id, s.person_id HAVING COUNT(DISTINCT l.id) >= 2) t
          JOIN units u ON u.id = t.unit_id GROUP BY t.unit_id, u.name ORDER BY persons DESC, t.unit_id LIMIT ",
    )
    .push_int(limit);
    let rows = b.build().fetch_all(&mut *c).await?;
    rows.iter().map(|r| Ok((UnitId::from_raw(r.try_get(0)?), r.try_get(1)?, r.try_get(2)?))).collect()
}
