//! The clocks beside the stage clock (`domain::lifecycle::side_clock`): started and stopped
//! in the transaction of the event that moves them; shown, with their colour, on the lead page.

use domain::{
    ledger::lead::Source,
    lifecycle::{
        deadline::{DeadlineRule, RuleCode, Warning, warning},
        side_clock::{Trigger, on},
    },
};
use serde::Serialize;
use store::{Conn, LeadHandle, Tx, lifecycle::side_clocks};
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
        self.deadline_rules().into_iter().find(|r| r.code == code).unwrap_or_else(|| DeadlineRule::default_for(code))
    }

    /// Starts and stops the lead's side clocks for `trigger`, counting new ones from `base`.
    pub(crate) async fn move_side_clocks(
        &self,
        tx: &mut Tx,
        lead: &LeadHandle,
        source: Source,
        trigger: Trigger,
        base: Date,
        at: i64,
    ) -> Result<(), AppError> {
        let change = on(trigger, source);
        let cal = self.calendar();
        for code in change.stop {
            side_clocks::stop(tx, lead, code, at).await?;
        }
        for code in change.start {
            let due = self.rule(code).due(base, &cal);
            side_clocks::start(tx, lead, code, base, due.date, due.provisional).await?;
        }
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
