//! 谈话函询 (talk or written inquiry) and its clocks (design brief §4; domain rules §1.5): a
//! letter of inquiry starts the subject's 15-working-day reply clock; the 30 days to
//! conclude run from the talk, or from receiving the written reply. Until then, the 30 days
//! from the disposition's approval stand as the outer limit.

use time::Date;

use crate::{
    FieldError, labelled_enum,
    ledger::lead::LeadStatus,
    lifecycle::{
        calendar::{CalendarDate, WorkCalendar},
        clock::Running,
        deadline::{DeadlineRule, RuleCode},
    },
};

labelled_enum!(
    /// What happened in a talk or inquiry, each with its day.
    InquiryEvent {
        TalkHeld = ("talk_held", "已谈话", "Talk held"),
        LetterSent = ("letter_sent", "已发函询函", "Inquiry letter sent"),
        ReplyReceived = ("reply_received", "收到书面回复", "Written reply received"),
    }
);

/// The clock an inquiry event leaves running.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Restart {
    pub due: CalendarDate,
    pub rule: RuleCode,
    pub started: Date,
}

fn refuse(code: &'static str, zh: &str, en: &str) -> FieldError {
    FieldError::new("on", code, zh, en)
}

/// The clock after `event` on day `on`, for a lead in `status` whose current clock is
/// `running` and started on `started`. `clearance` caps a stock lead, as in
/// [`crate::lifecycle::clock::after_step`] (never below an extension, never in the past).
#[allow(clippy::too_many_arguments)]
pub fn clock_after(
    event: InquiryEvent,
    on: Date,
    status: LeadStatus,
    (running, started): (Running, Date),
    today: Date,
    rules: &[DeadlineRule],
    cal: &WorkCalendar,
    clearance: Option<Date>,
) -> Result<Restart, FieldError> {
    if status != LeadStatus::TalkInquiry {
        return Err(refuse(
            "not_inquiry",
            "只有谈话函询中的线索记录谈话、函询。",
            "Only a lead in talk or inquiry records these.",
        ));
    }
    if on > today || on < started {
        return Err(refuse(
            "out_of_range",
            "日期应在本次谈话函询开始之后、今天或以前。",
            "The day falls between the start of this talk or inquiry and today.",
        ));
    }
    if event == InquiryEvent::ReplyReceived && running.rule != Some(RuleCode::InquiryReply) {
        return Err(refuse(
            "no_letter",
            "尚未记录发出函询函，不能记录回复。",
            "No inquiry letter is recorded yet, so no reply.",
        ));
    }
    let code = if event == InquiryEvent::LetterSent { RuleCode::InquiryReply } else { RuleCode::TalkInquiry };
    let rule = rules.iter().find(|r| r.code == code).copied().unwrap_or_else(|| DeadlineRule::default_for(code));
    let due = rule.due(on, cal);
    let cap = clearance.filter(|c| *c >= today);
    let due = match cap {
        Some(c) if c < due.date => CalendarDate { date: c, provisional: false },
        _ => due,
    };
    Ok(Restart { due, rule: code, started: on })
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn at(
        event: InquiryEvent,
        on: Date,
        running: Option<RuleCode>,
        clearance: Option<Date>,
    ) -> Result<Date, &'static str> {
        let running = Running { deadline: date!(2026 - 11 - 30), rule: running };
        let cal = WorkCalendar::shipped();
        clock_after(
            event,
            on,
            LeadStatus::TalkInquiry,
            (running, date!(2026 - 10 - 31)),
            date!(2026 - 11 - 20),
            DeadlineRule::DEFAULTS,
            &cal,
            clearance,
        )
        .map(|r| r.due.date)
        .map_err(|e| e.code)
    }

    #[test]
    fn a_letter_starts_the_reply_clock_and_the_reply_the_thirty_days() {
        use InquiryEvent as E;
        // Approved 10-31 (due 11-30). Letter sent Monday 11-02: 15 working days are 11-03..06,
        // 09..13, 16..20 and 23.
        assert_eq!(
            at(E::LetterSent, date!(2026 - 11 - 02), Some(RuleCode::TalkInquiry), None),
            Ok(date!(2026 - 11 - 23))
        );
        // Reply received 11-16: 30 days to conclude from it.
        assert_eq!(
            at(E::ReplyReceived, date!(2026 - 11 - 16), Some(RuleCode::InquiryReply), None),
            Ok(date!(2026 - 12 - 16))
        );
        // A talk on 11-05: 30 days from the talk.
        assert_eq!(
            at(E::TalkHeld, date!(2026 - 11 - 05), Some(RuleCode::TalkInquiry), None),
            Ok(date!(2026 - 12 - 05))
        );
    }

    #[test]
    fn events_are_dated_and_ordered() {
        use InquiryEvent as E;
        let d = date!(2026 - 11 - 05);
        assert_eq!(at(E::ReplyReceived, d, Some(RuleCode::TalkInquiry), None), Err("no_letter"));
        assert_eq!(
            at(E::TalkHeld, date!(2026 - 11 - 21), Some(RuleCode::TalkInquiry), None),
            Err("out_of_range"),
            "tomorrow"
        );
        assert_eq!(
            at(E::TalkHeld, date!(2026 - 10 - 30), Some(RuleCode::TalkInquiry), None),
            Err("out_of_range"),
            "before it began"
        );
        let cal = WorkCalendar::shipped();
        let running = (Running { deadline: d, rule: None }, d);
        let e = clock_after(E::TalkHeld, d, LeadStatus::Assessed, running, d, DeadlineRule::DEFAULTS, &cal, None);
        assert_eq!(e.unwrap_err().code, "not_inquiry");
    }

    #[test]
    fn a_stock_lead_is_capped_at_clearance_unless_that_is_past() {
        use InquiryEvent as E;
        let talk = date!(2026 - 11 - 05);
        assert_eq!(
            at(E::TalkHeld, talk, Some(RuleCode::TalkInquiry), Some(date!(2026 - 11 - 30))),
            Ok(date!(2026 - 11 - 30))
        );
        assert_eq!(
            at(E::TalkHeld, talk, Some(RuleCode::TalkInquiry), Some(date!(2026 - 11 - 10))),
            Ok(date!(2026 - 12 - 05)),
            "a cap already behind today would make it late at once"
        );
    }
}
