//! Deadline rules as data (design brief §4) and the warning colours derived from them.

use serde::Serialize;
use time::{Date, Duration};

use crate::{dates::add_months, labelled_enum, lifecycle::calendar::CalendarDate, lifecycle::calendar::WorkCalendar};

labelled_enum!(
    /// How a rule's amount counts.
    TimeUnit {
        CalendarDays = ("calendar_days", "自然日", "calendar days"),
        WorkingDays = ("working_days", "工作日", "working days"),
        Months = ("months", "个月", "months"),
    }
);

labelled_enum!(
    /// What a rule times, and from which event.
    RuleCode {
        PassUp = ("pass_up", "属上级管辖的报送上级", "Pass a higher body's report up"),
        TransferredIntake = ("transferred_intake", "移交件登记受理或转办", "Register or re-route a transferred report"),
        Disposition = ("disposition", "受理后提出处置意见", "Propose a disposition after receipt"),
        InquiryReply = ("inquiry_reply", "函询书面回复", "Written reply to an inquiry letter"),
        TalkInquiry = ("talk_inquiry", "谈话函询办结", "Conclude a talk or inquiry"),
        Verification = ("verification", "初步核实", "Preliminary verification"),
        ShelvedRecheck = ("shelved_recheck", "暂存待查复查", "Re-check a shelved lead"),
        CaseInvestigation = ("case_investigation", "立案审查调查", "Case investigation"),
        AcceptanceNotice = ("acceptance_notice", "告知实名举报人受理情况", "Tell a signed reporter of acceptance"),
        ResultNotice = ("result_notice", "告知实名举报人办理结果", "Tell a signed reporter of the result"),
        SatisfactionFollowUp = ("satisfaction_follow_up", "满意度回访", "Satisfaction follow-up"),
        ReportBack = ("report_back", "向交办机关报结", "Report back to the assigning body"),
        ReviewResubmission = ("review_resubmission", "复审退回后重新报结", "Resubmit after a review returned the lead"),
        RectificationReply = ("rectification_reply", "以案促改建议书回复", "Reply to a rectification letter"),
    }
);

/// One rule: `amount` `unit`s after its base event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct DeadlineRule {
    pub code: RuleCode,
    pub amount: u32,
    pub unit: TimeUnit,
    /// Blue once this share of the time is used, in percent (default 67: two thirds).
    pub blue_at_percent: u32,
    /// Yellow when at most this many working days remain (default 3).
    pub yellow_working_days: u32,
}

impl DeadlineRule {
    const fn new(code: RuleCode, amount: u32, unit: TimeUnit) -> Self {
        Self { code, amount, unit, blue_at_percent: 67, yellow_working_days: 3 }
    }

    /// The brief's default for each rule; configuration, not law.
    pub const fn default_for(code: RuleCode) -> DeadlineRule {
        use {RuleCode as R, TimeUnit as U};
        match code {
            R::PassUp => Self::new(code, 5, U::WorkingDays),
            R::TransferredIntake => Self::new(code, 5, U::WorkingDays),
            R::Disposition => Self::new(code, 1, U::Months),
            R::InquiryReply => Self::new(code, 15, U::WorkingDays),
            R::TalkInquiry => Self::new(code, 30, U::CalendarDays),
            R::Verification => Self::new(code, 60, U::CalendarDays),
            R::ShelvedRecheck => Self::new(code, 90, U::CalendarDays),
            R::CaseInvestigation => Self::new(code, 90, U::CalendarDays),
            R::AcceptanceNotice => Self::new(code, 15, U::WorkingDays),
            R::ResultNotice => Self::new(code, 15, U::WorkingDays),
            R::SatisfactionFollowUp => Self::new(code, 5, U::WorkingDays),
            // Local practice: the assigning body's letter usually sets it; configurable.
            R::ReportBack => Self::new(code, 15, U::WorkingDays),
            // 黄石's practice for a key lead returned by review as unclear: resubmitted within 2 days.
            R::ReviewResubmission => Self::new(code, 2, U::WorkingDays),
            R::RectificationReply => Self::new(code, 1, U::Months),
        }
    }

    /// Every rule's default, in the order of [`RuleCode::ALL`].
    pub const DEFAULTS: &'static [DeadlineRule] = &[
        Self::default_for(RuleCode::PassUp),
        Self::default_for(RuleCode::TransferredIntake),
        Self::default_for(RuleCode::Disposition),
        Self::default_for(RuleCode::InquiryReply),
        Self::default_for(RuleCode::TalkInquiry),
        Self::default_for(RuleCode::Verification),
        Self::default_for(RuleCode::ShelvedRecheck),
        Self::default_for(RuleCode::CaseInvestigation),
        Self::default_for(RuleCode::AcceptanceNotice),
        Self::default_for(RuleCode::ResultNotice),
        Self::default_for(RuleCode::SatisfactionFollowUp),
        Self::default_for(RuleCode::ReportBack),
        Self::default_for(RuleCode::ReviewResubmission),
        Self::default_for(RuleCode::RectificationReply),
    ];

    /// The due date counted from `base`.
    pub fn due(&self, base: Date, cal: &WorkCalendar) -> CalendarDate {
        match self.unit {
            TimeUnit::WorkingDays => cal.add_working_days(base, self.amount),
            TimeUnit::CalendarDays => {
                CalendarDate { date: base + Duration::days(i64::from(self.amount)), provisional: false }
            }
            TimeUnit::Months => CalendarDate { date: add_months(base, self.amount), provisional: false },
        }
    }
}

/// The rule that times a lead in `status`; closed leads are not timed.
pub fn rule_for(status: crate::ledger::lead::LeadStatus) -> Option<RuleCode> {
    use crate::ledger::lead::LeadStatus as S;
    match status {
        S::Registered | S::Assessed => Some(RuleCode::Disposition),
        S::TalkInquiry => Some(RuleCode::TalkInquiry),
        S::PreliminaryVerification => Some(RuleCode::Verification),
        S::Shelved => Some(RuleCode::ShelvedRecheck),
        S::CaseFiled => Some(RuleCode::CaseInvestigation),
        _ => None,
    }
}

/// The deadline of a lead entering `status` on `base`: its rule's due date, capped at the
/// clearance deadline for stock leads. `None` for closed states (the deadline stays).
pub fn schedule(
    status: crate::ledger::lead::LeadStatus,
    base: Date,
    rules: &[DeadlineRule],
    cal: &WorkCalendar,
    clearance_cap: Option<Date>,
) -> Option<(CalendarDate, RuleCode)> {
    let code = rule_for(status)?;
    let rule = rules.iter().find(|r| r.code == code).copied().unwrap_or_else(|| DeadlineRule::default_for(code));
    Some((capped(rule.due(base, cal), clearance_cap), code))
}

/// Reverse scheduling (倒排时间) for an open stock lead: the latest date each remaining step
/// must happen so that the lead is concluded by the clearance deadline, assuming the usual
/// path through preliminary verification (its rule's length is reserved for it).
pub fn reverse_schedule(
    status: crate::ledger::lead::LeadStatus,
    clearance: Date,
    rules: &[DeadlineRule],
) -> Vec<(crate::lifecycle::step::Step, Date)> {
    use crate::{ledger::lead::LeadStatus as S, lifecycle::step::Step};
    let verification = rules
        .iter()
        .find(|r| r.code == RuleCode::Verification)
        .copied()
        .unwrap_or_else(|| DeadlineRule::default_for(RuleCode::Verification));
    let days = match verification.unit {
        TimeUnit::CalendarDays => i64::from(verification.amount),
        TimeUnit::WorkingDays => i64::from(verification.amount) * 7 / 5,
        TimeUnit::Months => i64::from(verification.amount) * 30,
    };
    let start_verification = clearance - Duration::days(days);
    match status {
        S::Registered => {
            vec![(Step::Assess, start_verification), (Step::Dispose, start_verification), (Step::Conclude, clearance)]
        }
        S::Assessed => vec![(Step::Dispose, start_verification), (Step::Conclude, clearance)],
        S::Shelved => vec![(Step::Reopen, start_verification), (Step::Conclude, clearance)],
        S::TalkInquiry | S::PreliminaryVerification | S::CaseFiled => vec![(Step::Conclude, clearance)],
        _ => Vec::new(),
    }
}

/// Caps a stock lead's deadline at the campaign's clearance deadline (seed 一(一)).
pub fn capped(due: CalendarDate, clearance_deadline: Option<Date>) -> CalendarDate {
    match clearance_deadline {
        Some(c) if c < due.date => CalendarDate { date: c, provisional: false },
        _ => due,
    }
}

labelled_enum!(
    /// Warning colours (design brief §4); each carries its text, never colour alone.
    Warning {
        Blue = ("blue", "蓝色预警：已用时三分之二", "Blue: two thirds of the time used"),
        Yellow = ("yellow", "黄色预警：剩余不足 3 个工作日", "Yellow: 3 working days or fewer left"),
        Red = ("red", "红色预警：已逾期", "Red: overdue"),
    }
);

impl Warning {
    /// Who is told at this colour: the handler and inspector always, then the owning leader
    /// (yellow), then the unit head and supervisor (red).
    pub fn escalation_target(self) -> &'static [crate::protection::role::Role] {
        use crate::protection::role::Role;
        match self {
            // The lead's own people hear of every colour; each colour adds whom it escalates
            // to (a red warning reaches the handler as well as the unit head).
            Warning::Blue => &[Role::Handler, Role::Inspector],
            Warning::Yellow => &[Role::Handler, Role::Inspector, Role::OwningLeader],
            Warning::Red => &[Role::Handler, Role::Inspector, Role::OwningLeader, Role::UnitHead, Role::Supervisor],
        }
    }
}

/// The colour of an open lead whose clock started on `started` and runs to `deadline`.
pub fn warning(today: Date, started: Date, deadline: Date, rule: &DeadlineRule, cal: &WorkCalendar) -> Option<Warning> {
    if today > deadline {
        return Some(Warning::Red);
    }
    if cal.working_days_between(today, deadline) <= i64::from(rule.yellow_working_days) {
        return Some(Warning::Yellow);
    }
    let total = (deadline - started).whole_days().max(1);
    let used = (today - started).whole_days().max(0);
    if used * 100 >= total * i64::from(rule.blue_at_percent) {
        return Some(Warning::Blue);
    }
    None
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    #[test]
    fn defaults_match_the_brief() {
        let c = WorkCalendar::shipped();
        let d = DeadlineRule::default_for;
        assert_eq!(d(RuleCode::Disposition).due(date!(2019 - 01 - 31), &c).date, date!(2019 - 02 - 28));
        assert_eq!(d(RuleCode::Verification).due(date!(2019 - 08 - 01), &c).date, date!(2019 - 09 - 30));
        assert_eq!(
            d(RuleCode::InquiryReply).due(date!(2019 - 09 - 20), &c).date,
            date!(2019 - 10 - 16),
            "over Golden Week, with two 调休 days"
        );
        assert_eq!(d(RuleCode::PassUp).due(date!(2019 - 09 - 30), &c).date, date!(2019 - 10 - 12));
        // Oversight: a lead a review returned is resubmitted within 2 working days (黄石's
        // practice), a rectification letter answered within a month.
        assert_eq!(d(RuleCode::ReviewResubmission).due(date!(2019 - 09 - 30), &c).date, date!(2019 - 10 - 09));
        assert_eq!(d(RuleCode::ReviewResubmission).due(date!(2019 - 11 - 28), &c).date, date!(2019 - 12 - 02));
        assert_eq!(d(RuleCode::RectificationReply).due(date!(2019 - 01 - 31), &c).date, date!(2019 - 02 - 28));
        assert_eq!(DeadlineRule::DEFAULTS.len(), RuleCode::ALL.len());
    }

    #[test]
    fn each_open_state_has_its_clock() {
        use crate::ledger::lead::LeadStatus as S;
        let c = WorkCalendar::shipped();
        let base = date!(2019 - 08 - 01);
        let due = |s| schedule(s, base, DeadlineRule::DEFAULTS, &c, None).map(|(d, _)| d.date);
        assert_eq!(due(S::Registered), Some(date!(2019 - 09 - 01)));
        assert_eq!(due(S::TalkInquiry), Some(date!(2019 - 08 - 31)));
        assert_eq!(due(S::PreliminaryVerification), Some(date!(2019 - 09 - 30)));
        assert_eq!(due(S::Shelved), Some(date!(2019 - 10 - 30)));
        assert_eq!(due(S::CaseFiled), Some(date!(2019 - 10 - 30)));
        assert_eq!(due(S::Concluded), None);
        let capped_due = schedule(S::CaseFiled, base, DeadlineRule::DEFAULTS, &c, Some(date!(2019 - 09 - 15)));
        assert_eq!(capped_due.unwrap().0.date, date!(2019 - 09 - 15), "stock leads: no later than clearance");
        let edited = [DeadlineRule { amount: 10, ..DeadlineRule::default_for(RuleCode::Verification) }];
        assert_eq!(
            schedule(S::PreliminaryVerification, base, &edited, &c, None).unwrap().0.date,
            date!(2019 - 08 - 11)
        );
    }

    #[test]
    fn reverse_scheduling_counts_back_from_clearance() {
        use crate::{ledger::lead::LeadStatus as S, lifecycle::step::Step};
        let c = date!(2019 - 12 - 31);
        let plan = reverse_schedule(S::Registered, c, DeadlineRule::DEFAULTS);
        assert_eq!(
            plan,
            vec![(Step::Assess, date!(2019 - 11 - 01)), (Step::Dispose, date!(2019 - 11 - 01)), (Step::Conclude, c)]
        );
        assert_eq!(reverse_schedule(S::CaseFiled, c, DeadlineRule::DEFAULTS), vec![(Step::Conclude, c)]);
        assert!(reverse_schedule(S::Concluded, c, DeadlineRule::DEFAULTS).is_empty());
    }

    #[test]
    fn stock_leads_are_capped_at_clearance() {
        let due = CalendarDate { date: date!(2020 - 02 - 01), provisional: true };
        assert_eq!(capped(due, Some(date!(2019 - 12 - 31))).date, date!(2019 - 12 - 31));
        assert!(!capped(due, Some(date!(2019 - 12 - 31))).provisional);
        assert_eq!(capped(due, None), due);
        assert_eq!(capped(due, Some(date!(2020 - 03 - 01))), due);
    }

    #[test]
    fn warning_colours() {
        let c = WorkCalendar::shipped();
        let rule = DeadlineRule::default_for(RuleCode::Verification); // 60 days
        let (start, due) = (date!(2019 - 08 - 01), date!(2019 - 09 - 30));
        let w = |today| warning(today, start, due, &rule, &c);
        assert_eq!(w(date!(2019 - 08 - 20)), None);
        assert_eq!(w(date!(2019 - 09 - 10)), None, "40 of 60 days: just under two thirds");
        assert_eq!(w(date!(2019 - 09 - 11)), Some(Warning::Blue), "41 of 60 days used");
        assert_eq!(w(date!(2019 - 09 - 25)), Some(Warning::Blue), "4 working days left: 26, 27, 29 (调休), 30");
        assert_eq!(w(date!(2019 - 09 - 26)), Some(Warning::Yellow), "3 working days left");
        assert_eq!(w(date!(2019 - 09 - 30)), Some(Warning::Yellow), "due today");
        assert_eq!(w(date!(2019 - 10 - 01)), Some(Warning::Red));
        use crate::protection::role::Role as R;
        for w in Warning::ALL {
            assert!(w.escalation_target().starts_with(&[R::Handler, R::Inspector]), "{w:?}: the lead's own people");
        }
        assert!(Warning::Red.escalation_target().ends_with(&[R::UnitHead, R::Supervisor]));
        assert!(!Warning::Blue.escalation_target().contains(&R::UnitHead));
    }
}
