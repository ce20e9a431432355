//! Numbering and writing new leads, one (the register form) or many (an imported ledger):
//! the same deadline, numbering, sealing and side-clock rules either way, since a single
//! registration is a batch of one.

use domain::{
    UnitId,
    dates::beijing_date,
    ledger::{
        campaign::Campaign,
        lead::{LeadDraft, LeadStatus},
        lead_no::LeadNo,
        unit::Unit,
    },
};
use store::{
    LeadHandle,
    ledger::{bulk, leads::NewLead},
    to_micros,
};

use super::{Ledger, registration::stock_class};
use crate::{AppError, LedgerKeeper};

/// How a new lead arrives in the ledger: registered on the form, or imported from a unit's
/// own spreadsheet where it may already stand further on (or be concluded).
pub(super) struct Arrival<'a> {
    pub status: LeadStatus,
    pub original_no: Option<&'a str>,
    /// Sent up by the routing rules: the receiving body takes it in on the pass-up clock.
    pub sent_up: bool,
    /// The campaign it belongs to, if any.
    pub campaign: Option<&'a Campaign>,
}

impl Ledger<'_> {
    /// Numbers and writes a checked lead at its holder, with its deadline, sealed reporter and
    /// side clocks; the caller audits.
    pub(super) async fn insert_new(
        &self,
        tx: &mut store::Tx,
        keeper: &LedgerKeeper,
        draft: &LeadDraft,
        holder: (&Unit, Option<UnitId>),
        arrival: &Arrival<'_>,
        now: time::OffsetDateTime,
    ) -> Result<(LeadHandle, time::Date), AppError> {
        let mut one = self.insert_many(tx, keeper, holder, &[(draft, arrival)], now).await?;
        one.pop().ok_or_else(|| AppError::internal("the registered lead is missing"))
    }

    /// [`Ledger::insert_new`] for many leads at one holder, numbered in their order; their
    /// handles and deadlines come back in that order.
    pub(super) async fn insert_many(
        &self,
        tx: &mut store::Tx,
        keeper: &LedgerKeeper,
        (holder, routed_from): (&Unit, Option<UnitId>),
        items: &[(&LeadDraft, &Arrival<'_>)],
        now: time::OffsetDateTime,
    ) -> Result<Vec<(LeadHandle, time::Date)>, AppError> {
        if items.is_empty() {
            return Ok(Vec::new());
        }
        let today = beijing_date(now);
        let count = u32::try_from(items.len()).map_err(|_| AppError::internal("too many leads at once"))?;
        let first = bulk::reserve_sequences(tx, holder.id, today.year(), count).await?;
        let numbers: Vec<LeadNo> = (0..count).map(|i| LeadNo::new(&holder.code, today.year(), first + i)).collect();
        let mut rows = Vec::with_capacity(items.len());
        for ((draft, arrival), number) in items.iter().zip(&numbers) {
            let campaign = arrival.campaign;
            let (deadline, timing) = if arrival.sent_up && draft.deadline.is_none() {
                // A typed deadline is the keeper's own and stays.
                self.pass_up_clock(draft.received_on)
            } else {
                self.initial_deadline(draft, campaign, arrival.status, None)?
            };
            rows.push(NewLead {
                draft,
                person_key: self.keyring().person_key_id(),
                unit: holder.id,
                routed_from,
                number,
                original_no: arrival.original_no,
                campaign_id: campaign.map(|k| k.id),
                deadline,
                timing,
                status: arrival.status,
                stock_class: stock_class(campaign, draft),
                actor: keeper.actor.id,
                now: to_micros(now),
            });
        }
        let handles = bulk::insert_many(tx, &rows).await?;
        let sealed = items
            .iter()
            .zip(&handles)
            .map(|((draft, _), h)| self.seal_reporter(h.id(), &draft.reporter))
            .collect::<Result<Vec<_>, _>>()?;
        let pairs: Vec<_> = handles.iter().zip(&sealed).collect();
        store::reporters::identity::add_reporters(tx, &pairs).await?;
        // A lead imported further on was taken in long ago: its intake clocks are done.
        let registered: Vec<_> = items
            .iter()
            .zip(&handles)
            .filter(|((_, arrival), _)| arrival.status == LeadStatus::Registered)
            .map(|((draft, _), h)| {
                let signed = draft.reporter.kind == domain::reporters::ReporterKind::Signed;
                let trigger = domain::lifecycle::side_clock::Trigger::Registered {
                    source: draft.source,
                    signed_reporter: signed,
                };
                (h, draft.source, trigger, draft.received_on)
            })
            .collect();
        self.lifecycle().start_side_clocks_of_new(tx, &registered, (keeper.actor.id, to_micros(now))).await?;
        Ok(handles.into_iter().zip(rows.iter().map(|r| r.deadline)).collect())
    }
}
