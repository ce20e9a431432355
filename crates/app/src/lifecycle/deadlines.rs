//! The deadline setup in force (calendar and rules), and the use cases that change it.

use super::Lifecycle;
use std::sync::RwLock;

use domain::{
    FieldError, dates::beijing_date, ledger::campaign::Campaign, ledger::campaign::StockClass,
    ledger::lead::LeadStatus, lifecycle::calendar::CalendarDate, lifecycle::calendar::WorkCalendar,
    lifecycle::deadline::DeadlineRule, lifecycle::deadline::schedule, protection::role::Role,
};
use store::{StoreError, ledger::leads::Timing, to_micros};
use time::Date;

use crate::{Actor, App, AppError, protection::audit::Event, protection::audit::Who, protection::audit::record};

/// The calendar (shipped days plus those administrators added) and the rules in force;
/// shared, since every deadline computed reads them (an import computes 100,000).
pub struct DeadlineSetup {
    pub calendar: std::sync::Arc<WorkCalendar>,
    pub rules: std::sync::Arc<Vec<DeadlineRule>>,
}

impl Default for DeadlineSetup {
    fn default() -> Self {
        Self { calendar: WorkCalendar::shipped().into(), rules: DeadlineRule::DEFAULTS.to_vec().into() }
    }
}

pub(crate) type SharedSetup = std::sync::Arc<RwLock<DeadlineSetup>>;

impl Lifecycle<'_> {
    pub fn calendar(&self) -> std::sync::Arc<WorkCalendar> {
        self.deadlines.read().unwrap_or_else(std::sync::PoisonError::into_inner).calendar.clone()
    }

    pub fn deadline_rules(&self) -> std::sync::Arc<Vec<DeadlineRule>> {
        self.deadlines.read().unwrap_or_else(std::sync::PoisonError::into_inner).rules.clone()
    }

    /// Adds (or corrects) a year's holidays and make-up days from `date,kind,name_en,name_zh`
    /// lines, then recomputes every provisional deadline. For administrators, each December.
    #[tracing::instrument(name = "lifecycle.load_calendar_days", skip_all)]
    pub async fn load_calendar_days(&self, actor: &Actor, csv: &str) -> Result<(usize, u64), AppError> {
        if !actor.has_role(Role::Sysadmin) {
            return Err(AppError::Forbidden);
        }
        self.load_calendar_days_as(Who::User(actor), Some(actor.id.get()), csv).await
    }

    /// As [`App::load_calendar_days`], from the command line (recorded as the system).
    #[tracing::instrument(name = "lifecycle.load_calendar_days_from_cli", skip_all)]
    pub async fn load_calendar_days_from_cli(&self, csv: &str) -> Result<(usize, u64), AppError> {
        self.load_calendar_days_as(Who::System, None, csv).await
    }

    async fn load_calendar_days_as(&self, who: Who<'_>, by: Option<i64>, csv: &str) -> Result<(usize, u64), AppError> {
        let days = WorkCalendar::parse_csv(csv).map_err(AppError::field)?;
        if days.is_empty() {
            return Err(AppError::field(FieldError::new(
                "calendar",
                "required",
                "没有可导入的日期。",
                "No days to load.",
            )));
        }
        let now = self.now();
        let mut tx = self.db().begin_write().await?;
        for d in &days {
            store::lifecycle::deadlines::put_calendar_day(&mut tx, d, by, to_micros(now)).await?;
        }
        record(
            &mut tx,
            self,
            now,
            who,
            Event::new("calendar.load", "calendar", days[0].date.year()).detail(format!("{} days", days.len())),
        )
        .await?;
        tx.commit().await.map_err(StoreError::from)?;
        self.reload_deadline_setup().await?;
        // The timeline names who moved each deadline: the administrator who loaded the year,
        // or from the command line the system administrator account (the console's operator).
        let by = match by {
            Some(id) => Some(domain::UserId::from_raw(id)),
            None => {
                let mut c = self.db().read().await?;
                store::protection::users::first_holder_of(&mut c, Role::Sysadmin).await?
            }
        };
        let recomputed = self.lifecycle().recompute_provisional_deadlines(by).await?;
        Ok((days.len(), recomputed))
    }

    /// Recomputes deadlines marked provisional (computed before their year was loaded); each
    /// deadline that moves is on its lead's timeline, old → new, as the calendar `by` loaded.
    #[tracing::instrument(name = "lifecycle.recompute_provisional_deadlines", skip_all)]
    pub async fn recompute_provisional_deadlines(&self, by: Option<domain::UserId>) -> Result<u64, AppError> {
        let now = self.now();
        let cal = self.lifecycle().calendar();
        let rules = self.lifecycle().deadline_rules();
        let mut tx = self.db().begin_write().await?;
        let mut n = 0;
        for p in store::lifecycle::deadlines::provisional(&mut tx).await? {
            let rule =
                rules.iter().find(|x| x.code == p.rule).copied().unwrap_or_else(|| DeadlineRule::default_for(p.rule));
            let due = domain::lifecycle::deadline::capped(rule.due(p.started, &cal), p.cap);
            store::lifecycle::deadlines::set_deadline(&mut tx, &p.lead, due.date, due.provisional).await?;
            if let Some(by) = by.filter(|_| due.date != p.deadline) {
                use domain::lifecycle::timeline::{Activity, EventKind, Payload};
                let payload = Payload::Recomputed { rule: p.rule, old_deadline: p.deadline, new_deadline: due.date };
                let mut e = store::lifecycle::timeline::NewEvent::done(
                    EventKind::Activity(Activity::Clock),
                    by,
                    to_micros(now),
                );
                e.payload = Some(&payload);
                store::lifecycle::timeline::insert(&mut tx, &p.lead, &e).await?;
            }
            n += 1;
        }
        record(
            &mut tx,
            self,
            now,
            Who::System,
            Event::new("deadline.recompute", "calendar", "-").detail(format!("{n} leads")),
        )
        .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(n)
    }

    pub fn warning_of(&self, lead: &domain::ledger::lead::Lead) -> Option<domain::lifecycle::deadline::Warning> {
        // Open leads run against their step's deadline; a closed one only while its signed
        // reporter waits to be told the result.
        let telling = lead.deadline_rule == Some(domain::lifecycle::deadline::RuleCode::ResultNotice);
        if !lead.status.is_open() && !telling {
            return None;
        }
        let setup = self.deadlines.read().unwrap_or_else(std::sync::PoisonError::into_inner);
        let code = lead.deadline_rule.or_else(|| domain::lifecycle::deadline::rule_for(lead.status))?;
        let rule =
            setup.rules.iter().find(|r| r.code == code).copied().unwrap_or_else(|| DeadlineRule::default_for(code));
        let started = lead.clock_started_on.unwrap_or(lead.received_on);
        domain::lifecycle::deadline::warning(self.today(), started, lead.deadline, &rule, &setup.calendar)
    }

    /// The lead's two deadlines as the lead page shows them: the stage's clock (环节期限) and
    /// the day it must be closed by (办结期限), each with the time left.
    pub fn deadline_view(&self, lead: &domain::ledger::lead::Lead, clearance: Option<Date>) -> DeadlineView {
        use domain::lifecycle::clock::{Running, TimeLeft, final_deadline};
        let today = self.today();
        let cal = self.calendar();
        let timed =
            lead.status.is_open() || lead.deadline_rule == Some(domain::lifecycle::deadline::RuleCode::ResultNotice);
        let stage_rule = lead.deadline_rule.or_else(|| domain::lifecycle::deadline::rule_for(lead.status));
        let running = Running { deadline: lead.deadline, rule: lead.deadline_rule };
        let clearance = clearance.filter(|_| lead.stock_class == StockClass::Stock);
        let final_due = final_deadline(lead.status, running, clearance);
        DeadlineView {
            stage_due: timed.then_some(lead.deadline),
            stage_rule: stage_rule.filter(|_| timed),
            stage_left: timed.then(|| TimeLeft::of(today, lead.deadline, &cal)),
            final_due,
            final_left: final_due.map(|d| TimeLeft::of(today, d, &cal)),
        }
    }

    /// A supervisor edits a deadline rule; it applies to deadlines set from now on.
    #[tracing::instrument(name = "lifecycle.update_rule", skip_all)]
    pub async fn update_rule(
        &self,
        actor: &Actor,
        code: &str,
        amount: &str,
        unit: &str,
        blue: &str,
        yellow: &str,
    ) -> Result<(), AppError> {
        if !actor.has_role(Role::Supervisor) {
            return Err(AppError::Forbidden);
        }
        let mut e = domain::Invalid::default();
        let code = e.take(domain::lifecycle::deadline::RuleCode::parse("code", code));
        let unit = e.take(domain::lifecycle::deadline::TimeUnit::parse("unit", unit));
        let number = |field: &'static str, raw: &str, max: u32| {
            raw.trim().parse::<u32>().ok().filter(|n| (1..=max).contains(n)).ok_or_else(|| {
                FieldError::new(
                    field,
                    "out_of_range",
                    format!("须为 1 到 {max} 之间的整数。"),
                    format!("Must be a whole number from 1 to {max}."),
                )
            })
        };
        let amount = e.take(number("amount", amount, 3650));
        let blue = e.take(number("blue_at_percent", blue, 100));
        let yellow = e.take(number("yellow_working_days", yellow, 60));
        let (Some(code), Some(unit), Some(amount), Some(blue), Some(yellow)) = (code, unit, amount, blue, yellow)
        else {
            return Err(e.into());
        };
        let rule = DeadlineRule { code, amount, unit, blue_at_percent: blue, yellow_working_days: yellow };
        let now = self.now();
        let mut tx = self.db().begin_write().await?;
        store::lifecycle::deadlines::put_rule(&mut tx, &rule, actor.id.get(), to_micros(now)).await?;
        record(&mut tx, self, now, Who::User(actor), Event::new("deadline.rule", "rule", code).after(&rule)).await?;
        tx.commit().await.map_err(StoreError::from)?;
        self.reload_deadline_setup().await
    }

    /// Reverse scheduling for an open stock lead: the latest date of each remaining step.
    #[tracing::instrument(name = "lifecycle.reverse_plan", skip_all)]
    pub async fn reverse_plan(
        &self,
        lead: &domain::ledger::lead::Lead,
    ) -> Result<Vec<(domain::lifecycle::step::Step, Date)>, AppError> {
        if lead.stock_class != StockClass::Stock || !lead.status.is_open() {
            return Ok(Vec::new());
        }
        let mut c = self.reader().await?;
        let Some(id) = lead.campaign_id else { return Ok(Vec::new()) };
        let Some(campaign) = store::ledger::campaigns::get(&mut c, id).await? else {
            return Ok(Vec::new());
        };
        Ok(domain::lifecycle::deadline::reverse_schedule(
            lead.status,
            campaign.plan.clearance_deadline,
            &self.lifecycle().deadline_rules(),
        ))
    }
}

impl App {
    /// Re-reads administrators' calendar days and edited rules.
    pub async fn reload_deadline_setup(&self) -> Result<(), AppError> {
        let mut c = self.reader().await?;
        let calendar = WorkCalendar::shipped_with(store::lifecycle::deadlines::calendar_days(&mut c).await?);
        let mut rules = DeadlineRule::DEFAULTS.to_vec();
        for edited in store::lifecycle::deadlines::rules(&mut c).await? {
            if let Some(slot) = rules.iter_mut().find(|x| x.code == edited.code) {
                *slot = edited;
            }
        }
        *self.deadlines.write().unwrap_or_else(std::sync::PoisonError::into_inner) =
            DeadlineSetup { calendar: calendar.into(), rules: rules.into() };
        Ok(())
    }

    /// The deadline of a lead entering `status` on `base` under the rules in force.
    pub(crate) fn schedule(
        &self,
        status: LeadStatus,
        base: Date,
        campaign: Option<&Campaign>,
        stock: StockClass,
    ) -> Option<(Date, Timing)> {
        let setup = self.deadlines.read().unwrap_or_else(std::sync::PoisonError::into_inner);
        let cap = campaign.filter(|_| stock == StockClass::Stock).map(|k| k.plan.clearance_deadline);
        schedule(status, base, &setup.rules, &setup.calendar, cap).map(|(CalendarDate { date, provisional }, rule)| {
            (date, Timing { rule: Some(rule), started: base, provisional })
        })
    }

    /// The lead's clock after a step into `to` on `today` (`domain::lifecycle::clock`): `None`
    /// when the deadline stays as it is.
    pub(crate) fn clock_after_step(
        &self,
        lead: &domain::ledger::lead::Lead,
        to: LeadStatus,
        today: Date,
        campaign: Option<&Campaign>,
    ) -> Option<(Date, Timing)> {
        use domain::lifecycle::clock::{Next, Running, after_step};
        let setup = self.deadlines.read().unwrap_or_else(std::sync::PoisonError::into_inner);
        let cap = campaign.filter(|_| lead.stock_class == StockClass::Stock).map(|k| k.plan.clearance_deadline);
        let running = Running { deadline: lead.deadline, rule: lead.deadline_rule };
        match after_step(to, running, lead.received_on, today, &setup.rules, &setup.calendar, cap) {
            Next::Start { due, rule, started } => {
                Some((due.date, Timing { rule: Some(rule), started, provisional: due.provisional }))
            }
            Next::Keep | Next::Stop => None,
        }
    }

    /// When a signed reporter must be told the result of a lead concluded on `base`.
    pub(crate) fn result_notice_due(&self, base: Date) -> (Date, Timing) {
        self.rule_due(domain::lifecycle::deadline::RuleCode::ResultNotice, base)
    }

    /// The due date of a rule counted from `base`, under the rules and calendar in force.
    pub(crate) fn rule_due(&self, code: domain::lifecycle::deadline::RuleCode, base: Date) -> (Date, Timing) {
        let setup = self.deadlines.read().unwrap_or_else(std::sync::PoisonError::into_inner);
        let rule =
            setup.rules.iter().find(|r| r.code == code).copied().unwrap_or_else(|| DeadlineRule::default_for(code));
        let due = rule.due(base, &setup.calendar);
        (due.date, Timing { rule: Some(code), started: base, provisional: due.provisional })
    }

    /// Today, as a Beijing date.
    pub fn today(&self) -> Date {
        beijing_date(self.now())
    }
}

/// A lead's stage deadline (环节期限) and final deadline (办结期限), each with the time left;
/// `None` where the lead has no such deadline (closed, or its handling not chosen yet).
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct DeadlineView {
    pub stage_due: Option<Date>,
    pub stage_rule: Option<domain::lifecycle::deadline::RuleCode>,
    pub stage_left: Option<domain::lifecycle::clock::TimeLeft>,
    pub final_due: Option<Date>,
    pub final_left: Option<domain::lifecycle::clock::TimeLeft>,
}
