//! The clocks beside the stage clock (`domain::lifecycle::side_clock`): started and stopped
//! in the transaction of the event that moves them; shown, with their colour, on the lead page.

use domain::lifecycle::timeline::{Activity, EventKind, Payload};
use domain::{
    ledger::lead::Source,
    lifecycle::{
        deadline::{DeadlineRule, RuleCode, Warning, warning},
        side_clock::{Trigger, on},
    },
};
use serde::Serialize;
use store::{Conn, LeadHandle, Tx, lifecycle::side_clocks, lifecycle::timeline};
use time::Date;

use super::Lifecycle;
use crate::AppError;

/// A side clock as the lead page shows it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SideClockView {
    pub rule: RuleCode,
    #[schema(value_type = String, format = Date)]
    pub started_on: Date,
    #[schema(value_type = String, format = Date)]
    pub due_on: Date,
    pub running: bool,
    /// Its colour today, while it runs.
    pub warning: Option<Warning>,
}

impl Lifecycle<'_> {
    fn rule(&self, code: RuleCode) -> DeadlineRule {
        self.deadline_rules()
            .iter()
            .find(|r| r.code == code)
            .cloned()
            .unwrap_or_else(|| DeadlineRule::default_for(code))
    }

    /// Starts and stops the lead's side clocks for `trigger`, counting new ones from `base`.
    pub(crate) async fn move_side_clocks(
        &self,
        tx: &mut Tx,
        lead: &LeadHandle,
        source: Source,
        trigger: Trigger,
        base: Date,
        (actor, at): (domain::UserId, i64),
    ) -> Result<(), AppError> {
        let change = on(trigger, source);
        let cal = self.calendar();
        for code in change.stop {
            side_clocks::stop(tx, lead, code, at).await?;
        }
        for code in change.start {
            let due = self.rule(code).due(base, &cal);
            side_clocks::start(tx, lead, code, base, due.date, due.provisional).await?;
            let payload = Payload::Clock { rule: code, old_deadline: None, new_deadline: due.date, started: base };
            let mut e = timeline::NewEvent::done(EventKind::Activity(Activity::Clock), actor, at);
            e.payload = Some(&payload);
            timeline::insert(tx, lead, &e).await?;
        }
        Ok(())
    }

    /// [`Lifecycle::move_side_clocks`] for leads written in this transaction, which have no
    /// clock to stop yet: an imported ledger's registered rows start theirs, and write their
    /// timeline entries, in a few statements instead of two per lead.
    pub(crate) async fn start_side_clocks_of_new(
        &self,
        tx: &mut Tx,
        leads: &[(&LeadHandle, Source, Trigger, Date)],
        (actor, at): (domain::UserId, i64),
    ) -> Result<(), AppError> {
        let cal = self.calendar();
        let mut clocks = Vec::new();
        for &(lead, source, trigger, base) in leads {
            for code in on(trigger, source).start {
                let due = self.rule(code).due(base, &cal);
                clocks.push(side_clocks::NewClock {
                    lead,
                    rule: code,
                    started: base,
                    due: due.date,
                    provisional: due.provisional,
                });
            }
        }
        side_clocks::start_new(tx, &clocks).await?;
        let payloads: Vec<Payload> = clocks
            .iter()
            .map(|k| Payload::Clock { rule: k.rule, old_deadline: None, new_deadline: k.due, started: k.started })
            .collect();
        let events: Vec<_> = payloads
            .iter()
            .map(|p| {
                let mut e = timeline::NewEvent::done(EventKind::Activity(Activity::Clock), actor, at);
                e.payload = Some(p);
                e
            })
            .collect();
        let rows: Vec<_> = clocks.iter().zip(&events).map(|(k, e)| (k.lead, e)).collect();
        timeline::insert_many(tx, &rows).await?;
        Ok(())
    }

    pub(crate) async fn side_clock_views(
        &self,
        c: &mut Conn,
        lead: &LeadHandle,
    ) -> Result<Vec<SideClockView>, AppError> {
        let (today, cal) = (self.today(), self.calendar());
        Ok(side_clocks::of_lead(c, lead)
            .await?
            .into_iter()
            .map(|k| SideClockView {
                warning: k.running.then(|| warning(today, k.started_on, k.due_on, &self.rule(k.rule), &cal)).flatten(),
                rule: k.rule,
                started_on: k.started_on,
                due_on: k.due_on,
                running: k.running,
            })
            .collect())
    }
}

impl Lifecycle<'_> {
    /// The warning scan's share for side clocks: each colour told once, to the unit's
    /// inspectors (blue, yellow) or its head and the supervising office (red). Returns how
    /// many notices were written.
    pub(crate) async fn scan_side_clocks(&self, page: i64) -> Result<usize, AppError> {
        use domain::protection::role::Role;
        let (today, cal) = (self.today(), self.calendar());
        let mut sent = 0;
        let mut after = None;
        loop {
            let batch = side_clocks::running(&mut *self.reader().await?, after.clone(), page.max(1)).await?;
            let last = (batch.len() as i64) < page.max(1);
            after = batch.last().map(|r| (r.lead.id().get(), r.clock.rule.code().to_owned()));
            let due: Vec<_> = batch
                .into_iter()
                .filter_map(|r| {
                    let colour = warning(today, r.clock.started_on, r.clock.due_on, &self.rule(r.clock.rule), &cal)?;
                    (r.notified.as_deref() != Some(colour.code())).then_some((r, colour))
                })
                .collect();
            if !due.is_empty() {
                let at = store::to_micros(self.now());
                let mut tx = self.db().begin_write().await?;
                for (r, colour) in due {
                    if !side_clocks::claim_colour(&mut tx, &r, colour.code()).await? {
                        continue;
                    }
                    let d = domain::dates::format_date(r.clock.due_on);
                    let zh = format!("线索 {}「{}」{}，期限 {d}。", r.number, r.clock.rule.zh(), colour.zh());
                    let en = format!("Lead {}, {}: {}; due {d}.", r.number, r.clock.rule.en(), colour.en());
                    let roles: &[Role] =
                        if colour == Warning::Red { &[Role::UnitHead, Role::Supervisor] } else { &[Role::Inspector] };
                    // Its own kind: a lead's stage clock and side clock may both be red.
                    let kind = format!("{}:{}", r.clock.rule.code(), colour.code());
                    let mut told = Vec::new();
                    for role in roles {
                        for user in store::lifecycle::notices::holders(&mut tx, *role, r.unit, &r.lead).await? {
                            if told.contains(&user) {
                                continue;
                            }
                            told.push(user);
                            let n = store::lifecycle::notices::NewNotice {
                                user,
                                lead: Some(&r.lead),
                                kind: &kind,
                                zh: &zh,
                                en: &en,
                                at,
                            };
                            store::lifecycle::notices::insert(&mut tx, &n).await?;
                            sent += 1;
                        }
                    }
                }
                tx.commit().await.map_err(store::StoreError::from)?;
            }
            if last {
                return Ok(sent);
            }
        }
    }
}
