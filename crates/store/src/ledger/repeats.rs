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
    sql::{SqlBuilder, Value, rows_per_statement},
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
/// else by name and unit, as the registry matches them), latest first, each with the person's
/// name and unit as that lead gives them.
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
    // The name and unit as the lead in scope gives them (the registry's row may come from a
    // lead out of scope).
    let mut b = SqlBuilder::new(
        "SELECT l.id, s.name, s.unit_name FROM lead_subjects s JOIN leads l ON l.id = s.lead_id WHERE s.person_id IN (",
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
    /// What the decision says of this candidate.
    pub outcome: RepeatOutcome,
}

/// Records what became of a new report's candidates (in the transaction that registered it).
pub async fn record(tx: &mut Tx, lead: &LeadHandle, found: &[Found<'_>], at: (i64, i64)) -> Result<(), StoreError> {
    let rows: Vec<(&LeadHandle, Found<'_>)> = found.iter().map(|f| (lead, f.clone())).collect();
    record_many(tx, &rows, at).await
}

/// The leads in scope closed as 查否 that a later report repeats, with how many such reports:
/// what the re-review of unfounded closures takes up (design brief §7).
pub async fn reported_again(c: &mut Conn, scope: &Scope) -> Result<Vec<(LeadId, i64)>, StoreError> {
    let mut b = SqlBuilder::new(
        // Driven from the (few) flags: SQLite would walk every lead in scope first (350 ms at 1M).
        "SELECT l.id, COUNT(DISTINCT rr.lead_id) FROM repeat_reports rr CROSS JOIN leads l
         WHERE l.id = rr.original_id AND rr.original_unfounded = 1",
    );
    scope::push(&mut b, scope);
    b.push(" GROUP BY l.id ORDER BY l.id");
    let rows = b.build().fetch_all(&mut *c).await?;
    rows.iter().map(|r| Ok((LeadId::from_raw(r.try_get(0)?), r.try_get(1)?))).collect()
}

/// For an imported ledger: the leads in scope with any of these source document numbers, as
/// (number, lead), a batch of numbers per statement.
pub async fn by_doc_nos(c: &mut Conn, scope: &Scope, doc_nos: &[&str]) -> Result<Vec<(String, LeadId)>, StoreError> {
    let mut out = Vec::new();
    for chunk in doc_nos.chunks(500) {
        let mut b = SqlBuilder::new("SELECT l.source_doc_no, l.id FROM leads l WHERE l.source_doc_no IN (");
        b.bind_texts(chunk.iter().copied()).push(")");
        scope::push(&mut b, scope);
        for r in b.build().fetch_all(&mut *c).await? {
            out.push((r.try_get(0)?, LeadId::from_raw(r.try_get(1)?)));
        }
    }
    Ok(out)
}

/// How many earlier leads of one person an imported row is shown at most (the latest).
const PER_PERSON: usize = 5;

/// For an imported ledger: the leads in scope naming a person of the registry with one of these
/// (name, unit) pairs, as (name, unit, lead), the latest few of each person.
pub async fn by_names(
    c: &mut Conn,
    scope: &Scope,
    named: &[(&str, &str)],
) -> Result<Vec<(String, String, LeadId)>, StoreError> {
    let wanted: std::collections::HashSet<(&str, &str)> = named.iter().copied().collect();
    let mut names: Vec<&str> = named.iter().map(|(n, _)| *n).collect();
    names.sort_unstable();
    names.dedup();
    let mut persons: std::collections::HashMap<i64, (String, String)> = std::collections::HashMap::new();
    for chunk in names.chunks(500) {
        let mut b = SqlBuilder::new("SELECT id, name, unit_name FROM persons WHERE name IN (");
        b.bind_texts(chunk.iter().copied()).push(")");
        for r in b.build().fetch_all(&mut *c).await? {
            let (name, unit): (String, String) = (r.try_get(1)?, r.try_get(2)?);
            if wanted.contains(&(name.as_str(), unit.as_str())) {
                persons.insert(r.try_get(0)?, (name, unit));
            }
        }
    }
    let ids: Vec<i64> = persons.keys().copied().collect();
    let mut out = Vec::new();
    let mut seen: std::collections::HashMap<i64, usize> = std::collections::HashMap::new();
    for chunk in ids.chunks(500) {
        let mut b = SqlBuilder::new(
            "SELECT s.person_id, l.id FROM lead_subjects s JOIN leads l ON l.id = s.lead_id WHERE s.person_id IN (",
        );
        b.push_ints(chunk.iter().copied()).push(")");
        scope::push(&mut b, scope);
        b.push(" ORDER BY s.person_id, l.received_on DESC, l.id DESC");
        for r in b.build().fetch_all(&mut *c).await? {
            let person: i64 = r.try_get(0)?;
            let n = seen.entry(person).or_default();
            *n += 1;
            if *n <= PER_PERSON
                && let Some((name, unit)) = persons.get(&person)
            {
                out.push((name.clone(), unit.clone(), LeadId::from_raw(r.try_get(1)?)));
            }
        }
    }
    Ok(out)
}

/// What a candidate shows of an earlier lead, for many at once (an imported ledger's).
#[derive(Debug, Clone)]
pub struct Brief {
    pub id: LeadId,
    pub number: String,
    pub unit_name: String,
    pub received_on: String,
    pub status: String,
    pub finding: Option<String>,
    pub summary: String,
}

/// The leads of `ids` in scope, briefly.
pub async fn briefs(c: &mut Conn, scope: &Scope, ids: &[LeadId]) -> Result<Vec<Brief>, StoreError> {
    let mut out = Vec::new();
    for chunk in ids.chunks(500) {
        let mut b = SqlBuilder::new(
            "SELECT l.id, l.number, u.name, l.received_on, l.status, l.finding, l.summary
             FROM leads l JOIN units u ON u.id = l.unit_id WHERE l.id IN (",
        );
        b.push_ints(chunk.iter().map(|id| id.get())).push(")");
        scope::push(&mut b, scope);
        for r in b.build().fetch_all(&mut *c).await? {
            out.push(Brief {
                id: LeadId::from_raw(r.try_get(0)?),
                number: r.try_get(1)?,
                unit_name: r.try_get(2)?,
                received_on: r.try_get(3)?,
                status: r.try_get(4)?,
                finding: r.try_get(5)?,
                summary: r.try_get(6)?,
            });
        }
    }
    Ok(out)
}

/// [`record`] for many new leads at once (an imported ledger's rows), a batch per statement.
pub async fn record_many(
    tx: &mut Tx,
    rows: &[(&LeadHandle, Found<'_>)],
    (actor, at): (i64, i64),
) -> Result<(), StoreError> {
    for chunk in rows.chunks(rows_per_statement(7)) {
        let mut b = SqlBuilder::bulk(
            tx,
            "INSERT INTO repeat_reports (lead_id, original_id, outcome, reasons, original_unfounded, actor, at) VALUES ",
        );
        for (i, (lead, f)) in chunk.iter().enumerate() {
            b.push_row(
                i == 0,
                [
                    Value::Int(lead.raw()),
                    Value::Int(f.original.get()),
                    Value::Text(f.outcome.code().to_owned()),
                    Value::Text(reason_codes(f.reasons)),
                    Value::Int(i64::from(f.original_unfounded)),
                    Value::Int(actor),
                    Value::Int(at),
                ],
            );
        }
        b.build().execute(&mut **tx).await?;
    }
    Ok(())
}

fn reason_codes(reasons: &[RepeatReason]) -> String {
    reasons
        .iter()
        .map(|r| match r {
            RepeatReason::SameDocNo { .. } => "doc_no",
            RepeatReason::SamePerson { .. } => "person",
            RepeatReason::SimilarSummary { .. } => "summary",
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// Which of these lead numbers name leads in scope (a timeline shows only those of the earlier
/// leads a report was compared with).
pub async fn visible_numbers(
    c: &mut Conn,
    scope: &Scope,
    numbers: &[&str],
) -> Result<std::collections::HashSet<String>, StoreError> {
    let mut out = std::collections::HashSet::new();
    for chunk in numbers.chunks(500) {
        let mut b = SqlBuilder::new("SELECT l.number FROM leads l WHERE l.number IN (");
        b.bind_texts(chunk.iter().copied()).push(")");
        scope::push(&mut b, scope);
        for r in b.build().fetch_all(&mut *c).await? {
            out.insert(r.try_get(0)?);
        }
    }
    Ok(out)
}
