//! The receiving body's receipt of a transfer (移交回执): until it is recorded, a transferred
//! lead is not cleared where the campaign asks for it (`domain::supervision::clearance`).

use domain::{
    LeadId,
    lifecycle::{
        step::check_receipt,
        timeline::{Activity, EventKind, Payload},
    },
};
use store::{StoreError, ledger::leads, lifecycle::timeline, to_micros};

use super::Lifecycle;
use crate::{
    AppError, LedgerKeeper,
    protection::audit::{Event, Who, record},
};

impl Lifecycle<'_> {
    /// Records the day the receiving body signed for a transferred lead, on the timeline and
    /// in the audit trail, in one transaction.
    #[tracing::instrument(name = "lifecycle.record_transfer_receipt", skip_all)]
    pub async fn record_transfer_receipt(
        &self,
        keeper: &LedgerKeeper,
        id: LeadId,
        received_on: &str,
    ) -> Result<(), AppError> {
        let now = self.now();
        let mut tx = self.db().begin_write().await?;
        let (handle, lead) = leads::get(&mut tx, &keeper.scope, id).await?.ok_or(AppError::NotFound)?;
        let on = check_receipt(lead.status, lead.transfer_received_on, lead.received_on, received_on, self.today())
            .map_err(AppError::field)?;
        timeline::set_transfer_receipt(&mut tx, &handle, on, (keeper.actor.id, to_micros(now))).await?;
        let payload = Payload::TransferReceipt { received_on: on };
        let mut e =
            timeline::NewEvent::done(EventKind::Activity(Activity::TransferReceipt), keeper.actor.id, to_micros(now));
        e.payload = Some(&payload);
        timeline::insert(&mut tx, &handle, &e).await?;
        record(
            &mut tx,
            self,
            now,
            Who::User(&keeper.actor),
            Event::new("lead.transfer_receipt", "lead", id).detail(domain::dates::format_date(on)),
        )
        .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }
}
