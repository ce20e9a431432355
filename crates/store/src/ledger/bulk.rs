//! New leads many at a time: an imported ledger's rows numbered, inserted, their subjects
//! linked to persons, in a few statements per batch instead of a score per lead. A single
//! registration is a batch of one, so there is one way of writing a lead.

use std::collections::HashMap;

use domain::{LeadId, UnitId, ledger::lead::LeadDraft};
use sqlx::Row;

use crate::{LeadHandle, StoreError, Tx, sql::SqlBuilder, sql::Value, sql::date_text, sql::rows_per_statement};

use super::leads::{NewLead, search_text};

/// Hands out `n` consecutive sequence numbers of `unit` in `year`; returns the first. Runs
/// inside the registering transaction: the row lock serialises concurrent registrations
/// and a rollback returns the numbers, so numbers are unique and gap-free.
pub async fn reserve_sequences(tx: &mut Tx, unit: UnitId, year: i32, n: u32) -> Result<u32, StoreError> {
    let last: i64 = sqlx::query(
        "INSERT INTO lead_sequences (unit_id, year, last_value) VALUES ($1, $2, $3)
         ON CONFLICT (unit_id, year) DO UPDATE SET last_value = lead_sequences.last_value + excluded.last_value
         RETURNING last_value",
    )
    .bind(unit.get())
    .bind(i64::from(year))
    .bind(i64::from(n))
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)?;
    u32::try_from(last - i64::from(n) + 1).map_err(|_| StoreError::corrupt("sequence overflow"))
}

fn opt_text(v: Option<&str>) -> Value {
    Value::TextOpt(v.map(str::to_owned))
}

/// Inserts new leads with their subjects; the board's figures follow. Handles come back in
/// the order of `rows`.
pub async fn insert_many(tx: &mut Tx, rows: &[NewLead<'_>]) -> Result<Vec<LeadHandle>, StoreError> {
    let mut ids = Vec::with_capacity(rows.len());
    for chunk in rows.chunks(rows_per_statement(30)) {
        let mut b = SqlBuilder::bulk(
            tx,
            "INSERT INTO leads (number, unit_id, campaign_id, source, source_doc_no, assigning_body, received_on,
                category, problem_domain, summary, important, handling_mode, responsible_leader, responsible_person,
                deadline, status, stock_class, search_text, created_by, created_at, updated_by, updated_at, version,
                routed_from_unit_id, deadline_rule, clock_started_on, deadline_provisional, number_order, original_no,
                closed_on)
             VALUES ",
        );
        for (i, n) in chunk.iter().enumerate() {
            let d = n.draft;
            b.push_row(
                i == 0,
                [
                    Value::Text(n.number.as_str().to_owned()),
                    Value::Int(n.unit.get()),
                    Value::IntOpt(n.campaign_id.map(|c| c.get())),
                    Value::Text(d.source.code().to_owned()),
                    opt_text(d.source_doc_no.as_deref()),
                    opt_text(d.assigning_body.as_deref()),
                    Value::Text(date_text(d.received_on)),
                    Value::Text(d.category.code().to_owned()),
                    Value::Text(d.problem_domain.code().to_owned()),
                    Value::Text(d.summary.clone()),
                    Value::Int(i64::from(d.important)),
                    Value::Text(d.handling_mode.code().to_owned()),
                    opt_text(d.responsible_leader.as_deref()),
                    opt_text(d.responsible_person.as_deref()),
                    Value::Text(date_text(n.deadline)),
                    Value::Text(n.status.code().to_owned()),
                    Value::Text(n.stock_class.code().to_owned()),
                    Value::Text(search_text(n.number.as_str(), d)),
                    Value::Int(n.actor.get()),
                    Value::Int(n.now),
                    Value::Int(n.actor.get()),
                    Value::Int(n.now),
                    Value::Int(1),
                    Value::IntOpt(n.routed_from.map(UnitId::get)),
                    opt_text(n.timing.rule.map(|r| r.code())),
                    Value::Text(date_text(n.timing.started)),
                    Value::Int(i64::from(n.timing.provisional)),
                    Value::Text(n.number.sort_key()),
                    opt_text(n.original_no),
                    // An imported lead already closed closes on the day it is imported.
                    Value::TextOpt(
                        domain::supervision::clearance::closes(n.status)
                            .then(|| date_text(domain::dates::beijing_date(crate::from_micros(n.now)))),
                    ),
                ],
            );
        }
        b.push(" RETURNING id, number");
        // The order RETURNING hands rows back in is not promised: matched by number.
        let mut by_number: HashMap<String, i64> = HashMap::with_capacity(chunk.len());
        for r in b.build().fetch_all(&mut **tx).await? {
            by_number.insert(r.try_get("number")?, r.try_get("id")?);
        }
        for n in chunk {
            let id =
                by_number.get(n.number.as_str()).ok_or_else(|| StoreError::corrupt("an inserted lead is missing"))?;
            ids.push(LeadId::from_raw(*id));
        }
    }
    let people: Vec<(LeadId, UnitId, &LeadDraft)> =
        rows.iter().zip(&ids).map(|(n, id)| (*id, n.unit, n.draft)).collect();
    if let Some(first) = rows.first() {
        write_subjects(tx, &people, first.person_key, first.now).await?;
    }
    if let (Some(lo), Some(hi)) = (ids.iter().min(), ids.iter().max()) {
        crate::protection::recusals::rematch_leads(tx, *lo, *hi).await?;
    }
    crate::supervision::tallies::after_insert(tx, &ids).await?;
    // Every lead comes in this way (a form, an import, the demo): the search index learns of it.
    crate::search::touch(tx, ids.iter().map(|id| id.get())).await?;
    Ok(ids.into_iter().map(LeadHandle::found).collect())
}

/// Writes the subjects of leads that have none yet, each linked to its person (a subject
/// without a unit is taken to belong to the lead's unit).
pub(crate) async fn write_subjects(
    tx: &mut Tx,
    leads: &[(LeadId, UnitId, &LeadDraft)],
    key_id: &str,
    now: i64,
) -> Result<(), StoreError> {
    let mut unit_names: HashMap<UnitId, String> = HashMap::new();
    let mut unit_refs: HashMap<(UnitId, String), UnitId> = HashMap::new();
    let mut wanted = Vec::new();
    for (_, unit, d) in leads {
        if !unit_names.contains_key(unit) {
            let name: String = sqlx::query("SELECT name FROM units WHERE id = $1")
                .bind(unit.get())
                .fetch_one(&mut **tx)
                .await?
                .try_get(0)?;
            unit_names.insert(*unit, name);
        }
        for s in &d.subjects {
            let text = s.unit_name.trim().to_owned();
            if !unit_refs.contains_key(&(*unit, text.clone())) {
                let r = crate::protection::recusals::subject_unit(tx, *unit, &text).await?;
                unit_refs.insert((*unit, text), r);
            }
            let person_unit =
                if s.unit_name.trim().is_empty() { unit_names[unit].clone() } else { s.unit_name.clone() };
            wanted.push(crate::protection::persons::Wanted {
                id_hash: s.id_number_hash.clone(),
                name: s.name.clone(),
                unit_name: person_unit,
            });
        }
    }
    let persons = crate::protection::persons::resolve_many(tx, &wanted, key_id, now).await?;
    let mut rows = Vec::with_capacity(wanted.len());
    let mut k = 0;
    for (id, unit, d) in leads {
        for (i, s) in d.subjects.iter().enumerate() {
            rows.push((*id, i, s, persons[k], unit_refs[&(*unit, s.unit_name.trim().to_owned())]));
            k += 1;
        }
    }
    for chunk in rows.chunks(rows_per_statement(13)) {
        let mut b = SqlBuilder::bulk(
            tx,
            "INSERT INTO lead_subjects (lead_id, ordinal, name, unit_name, post, subject_rank, political_status,
                is_unit_head, cadre_level, person_id, name_key, unit_ref, id_number_hash) VALUES ",
        );
        for (i, (lead, ordinal, s, person, unit_ref)) in chunk.iter().enumerate() {
            b.push_row(
                i == 0,
                [
                    Value::Int(lead.get()),
                    Value::Int(*ordinal as i64),
                    Value::Text(s.name.clone()),
                    Value::Text(s.unit_name.clone()),
                    Value::Text(s.post.clone()),
                    Value::Text(s.rank.clone()),
                    Value::Text(s.political_status.code().to_owned()),
                    Value::Int(i64::from(s.is_unit_head)),
                    Value::Text(s.cadre_level.code().to_owned()),
                    Value::Int(*person),
                    Value::Text(domain::protection::person::name_key(&s.name)),
                    Value::Int(unit_ref.get()),
                    Value::TextOpt(s.id_number_hash.clone()),
                ],
            );
        }
        b.build().execute(&mut **tx).await?;
    }
    Ok(())
}
