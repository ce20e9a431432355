//! 谈话函询 as it happens: the talk, the letter and the reply each restart the lead's clock
//! (`domain::lifecycle::inquiry`), and the timeline says how (old → new, with the rule).

use domain::{
    LeadId,
    ledger::campaign::StockClass,
    lifecycle::{
        clock::Running,
        inquiry::{InquiryEvent, clock_after},
        timeline::{Activity, EventKind, Payload},
    },
};
use store::{StoreError, ledger::leads, ledger::leads::Timing, lifecycle::timeline, to_micros};

use super::Lifecycle;
use crate::{
    AppError, LedgerKeeper,
    protection::audit::{Event, Who, record},
};

impl Lifecycle<'_> {
    /// Records a talk held, a letter sent or a reply received on day `on`, restarting the
    /// lead's clock; on the timeline and in the audit trail, in one transaction.
    #[tracing::instrument(name = "lifecycle.record_inquiry_event", skip_all)]
    pub async fn record_inquiry_event(
        &self,
        keeper: &LedgerKeeper,
        id: LeadId,
        event: &str,
        on: &str,
    ) -> Result<(), AppError> {
        let now = self.now();
        let today = self.today();
        let mut tx = self.db().begin_write().await?;
        // The lead first: out of scope is "not found", whatever was typed.
        let (handle, lead) = leads::get(&mut tx, &keeper.scope, id).await?.ok_or(AppError::NotFound)?;
        let mut e = domain::Invalid::default();
        let event = e.take(InquiryEvent::parse("event", event));
        let on = e.take(domain::dates::parse_date("on", on));
        let (Some(event), Some(on)) = (event, on) else { return Err(e.into()) };
        let clearance = match lead.campaign_id {
            Some(k) if lead.stock_class == StockClass::Stock => {
                store::ledger::campaigns::get(&mut tx, k).await?.map(|k| k.plan.clearance_deadline)
            }
            _ => None,
        };
        let running = Running { deadline: lead.deadline, rule: lead.deadline_rule };
        let started = lead.clock_started_on.unwrap_or(lead.received_on);
        let (rules, cal) = (self.deadline_rules(), self.calendar());
        let restart = clock_after(event, on, lead.status, (running, started), today, &rules, &cal, clearance)
            .map_err(AppError::field)?;
        let timing =
            Timing { rule: Some(restart.rule), started: restart.started, provisional: restart.due.provisional };
        timeline::restart_clock(&mut tx, &handle, restart.due.date, &timing, (keeper.actor.id, to_micros(now))).await?;
        let payload = Payload::Inquiry {
            event,
            on,
            old_deadline: lead.deadline,
            new_deadline: restart.due.date,
            rule: restart.rule,
        };
        let mut entry =
            timeline::NewEvent::done(EventKind::Activity(Activity::Inquiry), keeper.actor.id, to_micros(now));
        entry.payload = Some(&payload);
        timeline::insert(&mut tx, &handle, &entry).await?;
        record(
            &mut tx,
            self,
            now,
            Who::User(&keeper.actor),
            Event::new("lead.inquiry_event", "lead", id).detail(format!("{event} {}", domain::dates::format_date(on))),
        )
        .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }
}
