//! Which clock a step leaves running (design brief §4, issue 11). The disposition clock runs
//! from receipt whatever happens before the disposition (研判 does not restart the month, nor
//! drop an extension granted on it); any other step starts its stage's clock on the day (a
//! second talk or inquiry gets its own 30 days). A stock lead's new clock is
//! capped at the clearance deadline, but never below an extension already granted past it,
//! and never so that it is due before the day it starts.

use time::Date;

use crate::{
    ledger::lead::LeadStatus,
    lifecycle::{
        calendar::{CalendarDate, WorkCalendar},
        deadline::{DeadlineRule, RuleCode, rule_for},
    },
};

/// The clock a lead runs under now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Running {
    pub deadline: Date,
    pub rule: Option<RuleCode>,
}

/// What a step does to the lead's clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    /// The disposition clock goes on: deadline, start and any extension stay.
    Keep,
    /// A new stage's clock.
    Start { due: CalendarDate, rule: RuleCode, started: Date },
    /// The lead is closed: no stage clock (the result notice is timed apart).
    Stop,
}

/// The lead's clock after a step into `to` taken on `today`. `clearance` is the campaign's
/// clearance deadline for a stock lead, `None` for a new one.
pub fn after_step(
    to: LeadStatus,
    running: Running,
    received_on: Date,
    today: Date,
    rules: &[DeadlineRule],
    cal: &WorkCalendar,
    clearance: Option<Date>,
) -> Next {
    let Some(code) = rule_for(to) else { return Next::Stop };
    // A deadline typed in at registration (no rule) is the keeper's own for this stage.
    if code == RuleCode::Disposition && running.rule.is_none_or(|r| r == code) {
        return Next::Keep;
    }
    let started = if code == RuleCode::Disposition { received_on } else { today };
    let rule = rules.iter().find(|r| r.code == code).copied().unwrap_or_else(|| DeadlineRule::default_for(code));
    let due = rule.due(started, cal);
    // An extension granted past the clearance deadline moved the lead's deadline there: the
    // cap never undoes it. A cap already behind today would make the lead late the day the
    // stage starts: then the stage's own length counts.
    let cap = clearance.map(|c| c.max(running.deadline)).filter(|c| *c >= today);
    let due = match cap {
        Some(c) if c < due.date => CalendarDate { date: c, provisional: false },
        _ => due,
    };
    Next::Start { due, rule: code, started }
}

/// Whether 研判 on `today` routes the lead late: after its disposition clock (running to
/// `deadline`, extensions included) ran out. The board's "routed in time" counts the others.
pub fn routed_late(running: Running, today: Date) -> bool {
    running.rule.is_none_or(|r| r == RuleCode::Disposition) && today > running.deadline
}

/// 办结期限, the day the lead must be closed by, apart from the stage's clock (环节期限). A
/// stock lead in a campaign: the clearance deadline, or later where an extension moved its
/// clock past it. Any other lead once its handling is chosen (谈话函询, 初步核实, 立案): the
/// deadline of that handling. Before the disposition, and while shelved, it is not set yet; a
/// closed lead has none.
pub fn final_deadline(status: LeadStatus, running: Running, clearance: Option<Date>) -> Option<Date> {
    use LeadStatus as S;
    if !status.is_open() {
        return None;
    }
    match (clearance, status) {
        (Some(c), _) => Some(c.max(running.deadline)),
        (None, S::TalkInquiry | S::PreliminaryVerification | S::CaseFiled) => Some(running.deadline),
        (None, _) => None,
    }
}

/// How long a deadline has left, as the lead page says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(tag = "kind", content = "days", rename_all = "snake_case")]
pub enum TimeLeft {
    /// Working days after today up to the deadline (0: due today).
    WorkingDays(i64),
    /// Calendar days past it.
    Overdue(i64),
}

impl TimeLeft {
    pub fn of(today: Date, due: Date, cal: &WorkCalendar) -> TimeLeft {
        if due < today {
            TimeLeft::Overdue((today - due).whole_days())
        } else {
            TimeLeft::WorkingDays(cal.working_days_between(today, due))
        }
    }

    pub fn describe(self, english: bool) -> String {
        match (self, english) {
            (TimeLeft::WorkingDays(0), false) => "今日到期".into(),
            (TimeLeft::WorkingDays(0), true) => "due today".into(),
            (TimeLeft::WorkingDays(n), false) => format!("剩 {n} 个工作日"),
            (TimeLeft::WorkingDays(n), true) => format!("{n} working days left"),
            (TimeLeft::Overdue(n), false) => format!("已逾期 {n} 天"),
            (TimeLeft::Overdue(n), true) => format!("{n} days overdue"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use LeadStatus as S;
    use time::macros::date;

    fn next(to: S, running: Running, today: Date, clearance: Option<Date>) -> Next {
        let cal = WorkCalendar::shipped();
        after_step(to, running, date!(2026 - 10 - 01), today, DeadlineRule::DEFAULTS, &cal, clearance)
    }

    fn due_of(n: Next) -> Date {
        match n {
            Next::Start { due, .. } => due.date,
            other => panic!("expected a new clock, got {other:?}"),
        }
    }

    #[test]
    fn assessing_keeps_the_disposition_clock_from_receipt() {
        // Received 2026-10-01: due 2026-11-01; 研判 on 2026-10-20 does not restart it.
        let running = Running { deadline: date!(2026 - 11 - 01), rule: Some(RuleCode::Disposition) };
        assert_eq!(next(S::Assessed, running, date!(2026 - 10 - 20), None), Next::Keep);
        // An extension on it survives too (the clock, not its date, decides).
        let extended = Running { deadline: date!(2026 - 11 - 20), ..running };
        assert_eq!(next(S::Assessed, extended, date!(2026 - 10 - 20), None), Next::Keep);
        let typed = Running { deadline: date!(2026 - 10 - 15), rule: None };
        assert_eq!(next(S::Assessed, typed, date!(2026 - 10 - 10), None), Next::Keep, "a typed deadline stays");
    }

    #[test]
    fn assessing_after_the_clock_ran_out_is_routing_late() {
        let running = Running { deadline: date!(2026 - 11 - 01), rule: Some(RuleCode::Disposition) };
        assert!(!routed_late(running, date!(2026 - 11 - 01)), "on the day is in time");
        assert!(routed_late(running, date!(2027 - 01 - 02)), "two months late");
        let typed = Running { rule: None, ..running };
        assert!(routed_late(typed, date!(2026 - 11 - 02)), "a typed deadline is the clock too");
    }

    #[test]
    fn a_new_stage_starts_its_own_clock_on_the_day() {
        let running = Running { deadline: date!(2026 - 11 - 01), rule: Some(RuleCode::Disposition) };
        let n = next(S::PreliminaryVerification, running, date!(2026 - 10 - 20), None);
        assert_eq!(
            n,
            Next::Start {
                due: CalendarDate { date: date!(2026 - 12 - 19), provisional: false },
                rule: RuleCode::Verification,
                started: date!(2026 - 10 - 20)
            }
        );
        assert_eq!(next(S::Concluded, running, date!(2026 - 10 - 20), None), Next::Stop);
    }

    #[test]
    fn the_clearance_cap_never_undoes_an_extension_nor_dates_a_stage_in_the_past() {
        let clearance = Some(date!(2027 - 01 - 01));
        // Capped at clearance as usual.
        let plain = Running { deadline: date!(2026 - 12 - 01), rule: Some(RuleCode::TalkInquiry) };
        assert_eq!(
            due_of(next(S::PreliminaryVerification, plain, date!(2026 - 12 - 01), clearance)),
            date!(2027 - 01 - 01)
        );
        // The probe's case: extended to 2027-01-19, then a second inquiry: not back to 01-01.
        let extended = Running { deadline: date!(2027 - 01 - 19), rule: Some(RuleCode::TalkInquiry) };
        assert_eq!(due_of(next(S::TalkInquiry, extended, date!(2026 - 12 - 25), clearance)), date!(2027 - 01 - 19));
        assert_eq!(
            due_of(next(S::PreliminaryVerification, extended, date!(2026 - 12 - 10), clearance)),
            date!(2027 - 01 - 19)
        );
        // A second inquiry on a new lead gets its own 30 days.
        assert_eq!(due_of(next(S::TalkInquiry, extended, date!(2026 - 12 - 10), None)), date!(2027 - 01 - 09));
        // A step after the clearance date: the stage's own length, not a date already past.
        let late = Running { deadline: date!(2027 - 01 - 01), rule: Some(RuleCode::TalkInquiry) };
        assert_eq!(
            due_of(next(S::PreliminaryVerification, late, date!(2027 - 01 - 10), clearance)),
            date!(2027 - 03 - 11)
        );
    }

    #[test]
    fn the_final_deadline_apart_from_the_stage_clock() {
        let r = |d| Running { deadline: d, rule: Some(RuleCode::Verification) };
        let c = Some(date!(2026 - 12 - 31));
        assert_eq!(final_deadline(S::Registered, r(date!(2026 - 11 - 01)), c), c, "stock: the clearance deadline");
        assert_eq!(
            final_deadline(S::PreliminaryVerification, r(date!(2027 - 01 - 15)), c),
            Some(date!(2027 - 01 - 15)),
            "an extension past the clearance deadline moves it"
        );
        assert_eq!(final_deadline(S::Assessed, r(date!(2026 - 11 - 01)), None), None, "new: set by the disposition");
        assert_eq!(final_deadline(S::TalkInquiry, r(date!(2026 - 11 - 20)), None), Some(date!(2026 - 11 - 20)));
        assert_eq!(final_deadline(S::Concluded, r(date!(2026 - 11 - 20)), c), None, "closed");
        let cal = WorkCalendar::shipped();
        // 2026-10-01..07 is the National Day holiday: Friday 09-30 to Thursday 10-08 is one working day.
        assert_eq!(TimeLeft::of(date!(2026 - 09 - 30), date!(2026 - 10 - 08), &cal), TimeLeft::WorkingDays(1));
        assert_eq!(TimeLeft::of(date!(2026 - 10 - 10), date!(2026 - 10 - 08), &cal), TimeLeft::Overdue(2));
        assert_eq!(TimeLeft::WorkingDays(0).describe(false), "今日到期");
    }
}
