//! Relations (关系网): the leads in the caller's scope around a person, a lead, a unit or a
//! reporter's hash, read as facts for `domain::relations` to draw; and the supervisors' lists
//! of persons named again and again.

use domain::{
    LeadId, UnitId,
    ledger::{lead::LeadStatus, lead_no::LeadNo},
    lifecycle::conclusion::Finding,
    protection::scope::Scope,
    relations::{LeadFact, PersonFact},
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

/// The leads in scope whose reporter has the identity key `key`, latest first.
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

async fn latest(c: &mut Conn, mut b: SqlBuilder, limit: i64) -> Result<Vec<LeadId>, StoreError> {
    b.push(" ORDER BY l.received_on DESC, l.id DESC LIMIT ").push_int(limit);
    let rows = b.build().fetch_all(&mut *c).await?;
    let mut ids: Vec<LeadId> =
        rows.iter().map(|r| Ok(LeadId::from_raw(r.try_get(0)?))).collect::<Result<_, StoreError>>()?;
    ids.dedup();
    Ok(ids)
}

/// What the graph knows of each lead of `ids` that is in scope: its unit, subjects (as the
/// person registry knows them) and the identity key of its reporter.
pub async fn facts(c: &mut Conn, scope: &Scope, ids: &[LeadId]) -> Result<Vec<LeadFact>, StoreError> {
    let mut out: Vec<LeadFact> = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        let mut b = SqlBuilder::new(
            "SELECT l.id, l.number, l.unit_id, u.name AS unit_name, l.received_on, l.status, l.finding,
                    r.identity_key, s.person_id, p.name AS p_name, p.unit_name AS p_unit
             FROM leads l JOIN units u ON u.id = l.unit_id
             LEFT JOIN reporters r ON r.lead_id = l.id
             LEFT JOIN lead_subjects s ON s.lead_id = l.id
             LEFT JOIN persons p ON p.id = s.person_id
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
                    reporter: r.try_get("identity_key")?,
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

/// The persons named by the leads of `ids` (in scope or not: the caller filters leads first).
pub async fn persons_of(c: &mut Conn, ids: &[LeadId]) -> Result<Vec<i64>, StoreError> {
    let mut out = Vec::new();
    for chunk in ids.chunks(500) {
        let mut b = SqlBuilder::new(
            "SELECT DISTINCT person_id FROM lead_subjects WHERE person_id IS NOT NULL AND lead_id IN (",
        );
        b.push_ints(chunk.iter().map(|id| id.get())).push(")");
        for r in b.build().fetch_all(&mut *c).await? {
            out.push(r.try_get(0)?);
        }
    }
    out.sort_unstable();
    out.dedup();
    Ok(out)
}

/// A person named in several leads in the caller's scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frequent {
    pub person: i64,
    pub name: String,
    pub unit_name: String,
    pub leads: i64,
    pub units: i64,
    pub first_received: String,
    pub last_received: String,
}

/// Persons named in at least `min` leads in scope; and how many there are. Those named across
/// the most units come first (the same person turning up in several units is what a network
/// looks like), then by how many leads.
pub async fn frequent_persons(
    c: &mut Conn,
    scope: &Scope,
    min: i64,
    (offset, limit): (i64, i64),
) -> Result<(Vec<Frequent>, i64), StoreError> {
    let grouped = |select: &str| {
        let mut b = SqlBuilder::new(select);
        b.push(
            " FROM lead_subjects s JOIN leads l ON l.id = s.lead_id JOIN persons p ON p.id = s.person_id
              WHERE 1 = 1",
        );
        scope::push(&mut b, scope);
        b.push(" GROUP BY p.id, p.name, p.unit_name HAVING COUNT(DISTINCT l.id) >= ").push_int(min);
        b
    };
    let mut b = grouped(
        "SELECT p.id, p.name, p.unit_name, COUNT(DISTINCT l.id) AS leads, COUNT(DISTINCT l.unit_id) AS units,
                MIN(l.received_on) AS first_received, MAX(l.received_on) AS last_received",
    );
    b.push(" ORDER BY units DESC, leads DESC, p.id LIMIT ").push_int(limit).push(" OFFSET ").push_int(offset);
    let rows = b.build().fetch_all(&mut *c).await?;
    let items = rows
        .iter()
        .map(|r| {
            Ok(Frequent {
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
    let mut counted = grouped("SELECT COUNT(*) FROM (SELECT p.id");
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
           SELECT l.unit_id, s.person_id FROM lead_subjects s JOIN leads l ON l.id = s.lead_id
           WHERE s.person_id IS NOT NULL",
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
