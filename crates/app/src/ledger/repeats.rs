//! Repeat reports (重复件) at registration: the earlier leads a report may repeat, found before it
//! is saved, and the inspector's decision kept with it (timeline, `repeat_reports`).

use std::collections::BTreeMap;

use domain::{
    LeadId,
    dates::beijing_date,
    ledger::{
        lead::{LeadDraft, LeadInput, LeadStatus},
        repeats::{
            RepeatCandidate, RepeatDecision, RepeatOutcome, RepeatReason, SIMILAR_AT, closed_unfounded, rank,
            summary_similarity,
        },
    },
    lifecycle::timeline::{Activity, EventKind, Payload},
    protection::scope::Scope,
};
use store::{
    Conn, LeadHandle, Tx,
    ledger::{pages, repeats},
    lifecycle::timeline,
};

use super::Ledger;
use crate::{AppError, LedgerKeeper};

/// How many similar summaries the index is asked for.
const SIMILAR_LOOKED_AT: usize = 10;
/// The opening of a candidate's summary shown beside it.
const SUMMARY_CHARS: usize = 80;

impl Ledger<'_> {
    /// The earlier leads in the keeper's sight that `input` may repeat, strongest first, each
    /// with why; nothing is written. Input that would be refused is refused here too.
    #[tracing::instrument(name = "ledger.repeat_candidates", skip_all)]
    pub async fn repeat_candidates(
        &self,
        keeper: &LedgerKeeper,
        input: &LeadInput,
    ) -> Result<Vec<RepeatCandidate>, AppError> {
        let mut draft = input.parse(beijing_date(self.now()))?;
        self.key_id_numbers(&mut draft);
        let mut c = self.reader().await?;
        let unit = super::registration::unit_in_scope(&mut c, keeper, draft.unit_id).await?;
        for s in draft.subjects.iter_mut().filter(|s| s.unit_name.trim().is_empty()) {
            s.unit_name = unit.name.clone();
        }
        self.candidates(&mut c, &keeper.reader.scope, &draft, None).await
    }

    /// As [`Ledger::repeat_candidates`], for the API: one audit entry a call with how many were
    /// found (it reads other leads' numbers, summaries and subjects).
    pub async fn repeat_candidates_recorded(
        &self,
        keeper: &LedgerKeeper,
        input: &LeadInput,
    ) -> Result<Vec<RepeatCandidate>, AppError> {
        let found = self.repeat_candidates(keeper, input).await?;
        let detail = serde_json::json!({ "found": found.len() });
        self.record_read(&keeper.reader, "lead.repeat_candidates", &detail).await?;
        Ok(found)
    }

    /// The leads in the reader's scope closed as 查否 that later reports repeat, with how many:
    /// what the re-review of unfounded closures takes up first (design brief §7).
    pub async fn reported_again(&self, reader: &crate::LedgerReader) -> Result<Vec<(LeadId, i64)>, AppError> {
        let mut c = self.reader().await?;
        Ok(repeats::reported_again(&mut c, &reader.scope).await?)
    }

    /// The candidates of `draft` in `scope` (leaving out `itself` once registered): by source
    /// document number, by the person registry and by summary.
    pub(super) async fn candidates(
        &self,
        c: &mut Conn,
        scope: &Scope,
        draft: &LeadDraft,
        itself: Option<LeadId>,
    ) -> Result<Vec<RepeatCandidate>, AppError> {
        let mut reasons: BTreeMap<LeadId, Vec<RepeatReason>> = BTreeMap::new();
        if let Some(doc_no) = draft.source_doc_no.as_deref().filter(|d| !d.trim().is_empty()) {
            for id in repeats::by_doc_no(c, scope, doc_no).await? {
                reasons.entry(id).or_default().push(RepeatReason::SameDocNo { doc_no: doc_no.to_owned() });
            }
        }
        let named: Vec<repeats::Named<'_>> = draft
            .subjects
            .iter()
            .map(|s| repeats::Named { id_hash: s.id_number_hash.as_deref(), name: &s.name, unit_name: &s.unit_name })
            .collect();
        for (id, name, unit_name) in repeats::by_persons(c, scope, &named).await? {
            let reason = RepeatReason::SamePerson { name, unit_name };
            let list = reasons.entry(id).or_default();
            if !list.contains(&reason) {
                list.push(reason);
            }
        }
        let similar = self.search_index().similar(scope, &draft.summary, SIMILAR_LOOKED_AT).unwrap_or_else(|e| {
            // A repeat check is advice: a broken index leaves the other two ways of looking.
            tracing::error!(error = %e, "similar summaries not looked up");
            Vec::new()
        });
        let mut ids: Vec<LeadId> = reasons.keys().copied().chain(similar.iter().copied()).collect();
        ids.sort_unstable();
        ids.dedup();
        ids.retain(|id| Some(*id) != itself);
        let leads = pages::of_ids(c, scope, &ids).await?;
        let mut out = Vec::new();
        for lead in leads {
            // A merged repeat is not an original: its own original is found the same way.
            if lead.status == LeadStatus::Merged {
                continue;
            }
            let mut why = reasons.remove(&lead.id).unwrap_or_default();
            let percent = summary_similarity(&draft.summary, &lead.summary);
            if percent >= SIMILAR_AT {
                why.push(RepeatReason::SimilarSummary { percent });
            }
            if why.is_empty() {
                continue;
            }
            out.push(RepeatCandidate {
                lead: lead.id,
                closed_unfounded: closed_unfounded(lead.status, lead.finding),
                number: lead.number,
                unit_name: lead.unit_name,
                received_on: lead.received_on,
                status: lead.status,
                finding: lead.finding,
                summary: lead.summary.chars().take(SUMMARY_CHARS).collect(),
                reasons: why,
            });
        }
        Ok(rank(out))
    }

    /// Keeps what became of a registered report's candidates: one row per candidate with what
    /// the decision says of it (those closed as 查否 flagged for re-review), and one timeline
    /// entry. Nothing when there were none.
    pub(super) async fn record_repeats(
        &self,
        tx: &mut Tx,
        handle: &LeadHandle,
        found: &[RepeatCandidate],
        decision: Option<&RepeatDecision>,
        (actor, at): (domain::UserId, i64),
    ) -> Result<(), AppError> {
        if found.is_empty() {
            return Ok(());
        }
        let outcome = decision.map_or(RepeatOutcome::Undecided, RepeatDecision::outcome);
        let rows: Vec<repeats::Found<'_>> = found
            .iter()
            .map(|c| repeats::Found {
                original: c.lead,
                reasons: &c.reasons,
                original_unfounded: c.closed_unfounded,
                outcome: decision.map_or(RepeatOutcome::Undecided, |d| d.outcome_for(&c.number)),
            })
            .collect();
        repeats::record(tx, handle, &rows, (actor.get(), at)).await?;
        let payload = Payload::RepeatCheck {
            outcome,
            candidates: found.iter().map(|c| c.number.to_string()).collect(),
            unfounded: found.iter().filter(|c| c.closed_unfounded).map(|c| c.number.to_string()).collect(),
        };
        let mut e = timeline::NewEvent::done(EventKind::Activity(Activity::RepeatCheck), actor, at);
        e.payload = Some(&payload);
        timeline::insert(tx, handle, &e).await?;
        Ok(())
    }
}
