//! Repeat reports (重复件): the earlier leads in the caller's scope a new report may repeat, by
//! source document number and by the person registry, and the record of what became of them.

use domain::{
    LeadId,
    ledger::repeats::{RepeatOutcome, RepeatReason},
    protection::scope::Scope,
};
use sqlx::Row;

use crate::{
    Conn, LeadHandle, StoreError, Tx, scope,
    sql::{SqlBuilder, Value},
};

/// How many earlier leads each way of looking finds at most (the latest).
const LOOK_AT: i64 = 20;

/// The leads in scope with this source document number, latest first.
pub async fn by_doc_no(c: &mut Conn, scope: &Scope, doc_no: &str) -> Result<Vec<LeadId>, StoreError> {
    let mut b = SqlBuilder::new("SELECT l.id FROM leads l WHERE l.source_doc_no = ");
    b.bind(Value::Text(doc_no.to_owned()));
    scope::push(&mut b, scope);
    b.push(" ORDER BY l.received_on DESC, l.id DESC LIMIT ").push_int(LOOK_AT);
    let rows = b.build().fetch_all(&mut *c).await?;
    rows.iter().map(|r| Ok(LeadId::from_raw(r.try_get(0)?))).collect()
}

/// A subject of the new report, as the person registry would match them.
#[derive(Debug, Clone)]
pub struct Named<'a> {
    pub id_hash: Option<&'a str>,
    pub name: &'a str,
    pub unit_name: &'a str,
}

/// The leads in scope naming a person of the registry who is one of `named` (by ID-number hash,
/// else by name and unit, as the registry matches them), latest first, each with the
/// registry's name and unit of the person.
pub async fn by_persons(
    c: &mut Conn,
    scope: &Scope,
    named: &[Named<'_>],
) -> Result<Vec<(LeadId, String, String)>, StoreError> {
    let mut persons: Vec<i64> = Vec::new();
    for n in named {
        let rows = match n.id_hash {
            Some(h) => {
                sqlx::query("SELECT id FROM persons WHERE id_number_hash = $1").bind(h).fetch_all(&mut *c).await?
            }
            None => Vec::new(),
        };
        let rows = if rows.is_empty() {
            sqlx::query("SELECT id FROM persons WHERE name = $1 AND unit_name = $2")
                .bind(n.name)
                .bind(n.unit_name)
                .fetch_all(&mut *c)
                .await?
        } else {
            rows
        };
        for r in rows {
            persons.push(r.try_get(0)?);
        }
    }
    if persons.is_empty() {
        return Ok(Vec::new());
    }
    let mut b = SqlBuilder::new(
        "SELECT l.id, p.name, p.unit_name FROM lead_subjects s JOIN leads l ON l.id = s.lead_id
         JOIN persons p ON p.id = s.person_id WHERE s.person_id IN (",
    );
    b.push_ints(persons).push(")");
    scope::push(&mut b, scope);
    b.push(" ORDER BY l.received_on DESC, l.id DESC LIMIT ").push_int(LOOK_AT);
    let rows = b.build().fetch_all(&mut *c).await?;
    rows.iter().map(|r| Ok((LeadId::from_raw(r.try_get(0)?), r.try_get(1)?, r.try_get(2)?))).collect()
}

/// One earlier lead a new report was found to repeat.
#[derive(Debug, Clone)]
pub struct Found<'a> {
    pub original: LeadId,
    pub reasons: &'a [RepeatReason],
    pub original_unfounded: bool,
}

/// Records what became of a new report's candidates (in the transaction that registered it).
pub async fn record(
    tx: &mut Tx,
    lead: &LeadHandle,
    found: &[Found<'_>],
    outcome: RepeatOutcome,
    (actor, at): (i64, i64),
) -> Result<(), StoreError> {
    for f in found {
        let reasons: Vec<&str> = f
            .reasons
            .iter()
            .map(|r| match r {
                RepeatReason::SameDocNo { .. } => "doc_no",
                RepeatReason::SamePerson { .. } => "person",
                RepeatReason::SimilarSummary { .. } => "summary",
            })
            .collect();
        sqlx::query(
            "INSERT INTO repeat_reports (lead_id, original_id, outcome, reasons, original_unfounded, actor, at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(lead.raw())
        .bind(f.original.get())
        .bind(outcome.code())
        .bind(reasons.join(","))
        .bind(i64::from(f.original_unfounded))
        .bind(actor)
        .bind(at)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// The leads in scope closed as 查否 that a later report repeats, with how many such reports:
/// what the re-review of unfounded closures takes up (design brief §7).
pub async fn reported_again(c: &mut Conn, scope: &Scope) -> Result<Vec<(LeadId, i64)>, StoreError> {
    let mut b = SqlBuilder::new(
        "SELECT l.id, COUNT(DISTINCT rr.lead_id) FROM repeat_reports rr JOIN leads l ON l.id = rr.original_id
         WHERE rr.original_unfounded = 1",
    );
    scope::push(&mut b, scope);
    b.push(" GROUP BY l.id ORDER BY l.id");
    let rows = b.build().fetch_all(&mut *c).await?;
    rows.iter().map(|r| Ok((LeadId::from_raw(r.try_get(0)?), r.try_get(1)?))).collect()
}
