//! Repeat reports (重复件) in an imported ledger: each new row is checked against the leads
//! already registered, by its source document number and by the person registry (the exact
//! signs; a summary compared row by row against the index would cost a query per row), before
//! anything is saved. The preview lists them; the write keeps them with each new lead.

use std::collections::{BTreeMap, HashMap};

use domain::{
    LeadId,
    ledger::{
        lead::LeadStatus,
        lead_no::LeadNo,
        repeats::{RepeatCandidate, RepeatReason, closed_unfounded, rank},
        unit::Unit,
    },
    lifecycle::conclusion::Finding,
    protection::scope::Scope,
};
use store::{Conn, ledger::repeats};

use domain::ledger::import::matching::Fate;

use super::analysis::Analysis;
use crate::AppError;

/// The opening of a candidate's summary shown beside it.
const SUMMARY_CHARS: usize = 60;

/// The candidates of each new row of `a` (by its row number), strongest first.
pub(super) async fn of_rows(
    c: &mut Conn,
    scope: &Scope,
    unit: &Unit,
    a: &Analysis,
) -> Result<BTreeMap<u32, Vec<RepeatCandidate>>, AppError> {
    let new_rows: Vec<_> = a
        .rows
        .iter()
        .filter(|r| matches!(r.fate, Some(Fate::New)))
        .filter_map(|r| r.read.as_ref().map(|(_, d)| (r.row, d)))
        .collect();
    // A subject without a unit is the importing unit's, as the write files it.
    let unit_of = |s: &domain::ledger::subject::Subject| {
        if s.unit_name.trim().is_empty() { unit.name.clone() } else { s.unit_name.clone() }
    };
    let doc_nos: Vec<&str> = new_rows.iter().filter_map(|(_, d)| d.source_doc_no.as_deref()).collect();
    let named: Vec<(String, String)> =
        new_rows.iter().flat_map(|(_, d)| d.subjects.iter().map(|s| (s.name.clone(), unit_of(s)))).collect();
    let named_refs: Vec<(&str, &str)> = named.iter().map(|(n, u)| (n.as_str(), u.as_str())).collect();
    let mut by_doc: HashMap<String, Vec<LeadId>> = HashMap::new();
    for (doc, id) in repeats::by_doc_nos(c, scope, &doc_nos).await? {
        by_doc.entry(doc).or_default().push(id);
    }
    let mut by_person: HashMap<(String, String), Vec<LeadId>> = HashMap::new();
    for (name, unit_name, id) in repeats::by_names(c, scope, &named_refs).await? {
        by_person.entry((name, unit_name)).or_default().push(id);
    }
    if by_doc.is_empty() && by_person.is_empty() {
        return Ok(BTreeMap::new());
    }
    let mut per_row: BTreeMap<u32, BTreeMap<LeadId, Vec<RepeatReason>>> = BTreeMap::new();
    for (row, d) in &new_rows {
        let found = per_row.entry(*row).or_default();
        if let Some(doc) = &d.source_doc_no {
            for id in by_doc.get(doc).into_iter().flatten() {
                found.entry(*id).or_default().push(RepeatReason::SameDocNo { doc_no: doc.clone() });
            }
        }
        for s in &d.subjects {
            let key = (s.name.clone(), unit_of(s));
            for id in by_person.get(&key).into_iter().flatten() {
                let reason = RepeatReason::SamePerson { name: key.0.clone(), unit_name: key.1.clone() };
                let list = found.entry(*id).or_default();
                if !list.contains(&reason) {
                    list.push(reason);
                }
            }
        }
    }
    per_row.retain(|_, found| !found.is_empty());
    let mut ids: Vec<LeadId> = per_row.values().flat_map(|f| f.keys().copied()).collect();
    ids.sort_unstable();
    ids.dedup();
    let briefs: HashMap<LeadId, repeats::Brief> =
        repeats::briefs(c, scope, &ids).await?.into_iter().map(|b| (b.id, b)).collect();
    let mut out = BTreeMap::new();
    for (row, found) in per_row {
        let mut list = Vec::new();
        for (id, reasons) in found {
            let Some(b) = briefs.get(&id) else { continue };
            let status = store_code(&b.status, LeadStatus::from_code)?;
            // A merged repeat is not an original: its own original is found the same way.
            if status == LeadStatus::Merged {
                continue;
            }
            let finding = b.finding.as_deref().map(|f| store_code(f, Finding::from_code)).transpose()?;
            list.push(RepeatCandidate {
                lead: id,
                number: LeadNo::from_stored(b.number.clone()),
                unit_name: b.unit_name.clone(),
                received_on: domain::dates::parse_date("received_on", &b.received_on)
                    .map_err(|_| AppError::internal(format!("lead {id} has an unreadable received date")))?,
                status,
                finding,
                summary: b.summary.chars().take(SUMMARY_CHARS).collect(),
                reasons,
                closed_unfounded: closed_unfounded(status, finding),
            });
        }
        if !list.is_empty() {
            out.insert(row, rank(list));
        }
    }
    Ok(out)
}

impl crate::ledger::Ledger<'_> {
    /// Keeps with each newly written lead the earlier leads its row may repeat: the rows of
    /// `repeat_reports` (a 查否 original flagged for re-review) and a timeline entry, a batch at
    /// a time. Merging is left to the inspector (the 合并 step on the lead's page).
    pub(super) async fn keep_repeats(
        &self,
        tx: &mut store::Tx,
        a: &Analysis,
        written: impl Iterator<Item = (u32, &store::LeadHandle)>,
        (actor, at): (domain::UserId, i64),
    ) -> Result<(), AppError> {
        use domain::{
            ledger::repeats::RepeatOutcome,
            lifecycle::timeline::{Activity, EventKind, Payload},
        };
        let mut rows: Vec<(&store::LeadHandle, repeats::Found<'_>)> = Vec::new();
        let mut checked: Vec<(&store::LeadHandle, Payload)> = Vec::new();
        for (row, handle) in written {
            let Some(found) = a.repeats.get(&row) else { continue };
            for c in found {
                let f = repeats::Found {
                    original: c.lead,
                    reasons: &c.reasons,
                    original_unfounded: c.closed_unfounded,
                    outcome: RepeatOutcome::Imported,
                };
                rows.push((handle, f));
            }
            let payload = Payload::RepeatCheck {
                outcome: RepeatOutcome::Imported,
                candidates: found.iter().map(|c| c.number.to_string()).collect(),
                unfounded: found.iter().filter(|c| c.closed_unfounded).map(|c| c.number.to_string()).collect(),
            };
            checked.push((handle, payload));
        }
        if rows.is_empty() {
            return Ok(());
        }
        repeats::record_many(tx, &rows, (actor.get(), at)).await?;
        let events: Vec<store::lifecycle::timeline::NewEvent<'_>> = checked
            .iter()
            .map(|(_, p)| {
                let mut e =
                    store::lifecycle::timeline::NewEvent::done(EventKind::Activity(Activity::RepeatCheck), actor, at);
                e.payload = Some(p);
                e
            })
            .collect();
        let pairs: Vec<_> = checked.iter().map(|(h, _)| *h).zip(&events).collect();
        store::lifecycle::timeline::insert_many(tx, &pairs).await?;
        Ok(())
    }
}

fn store_code<T>(code: &str, from: fn(&str) -> Option<T>) -> Result<T, AppError> {
    from(code).ok_or_else(|| AppError::internal(format!("unknown stored code {code:?}")))
}
