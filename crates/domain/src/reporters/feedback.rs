//! Feedback to a reporter (反馈) and the satisfaction follow-up (回访): the acceptance notice
//! (受理告知), the result notice (结果反馈) and the follow-up, each with its date, method and who
//! gave it (domain rules §1.8: "record that feedback was given"). Repeat reports get no
//! acceptance notice; the follow-up comes after the result is told and asks how satisfied the
//! reporter is, with reasons when not.

use time::Date;

use crate::{
    FieldError, Invalid,
    dates::parse_past_date,
    labelled_enum,
    ledger::lead::LeadStatus,
    lifecycle::follow_up::FollowUp,
    reporters::satisfaction::Satisfaction,
    text::{Name, Prose},
};

labelled_enum!(
    /// Which feedback a contact with the reporter gave.
    FeedbackKind {
        Acceptance = ("acceptance", "受理告知", "Acceptance notice"),
        Result = ("result", "结果反馈", "Result notice"),
        FollowUp = ("follow_up", "满意度回访", "Satisfaction follow-up"),
    }
);

impl FeedbackKind {
    /// The lead's follow-through it records (and the side clocks that follow from it).
    pub const fn follow_up(self) -> FollowUp {
        match self {
            FeedbackKind::Acceptance => FollowUp::AcceptanceNotice,
            FeedbackKind::Result => FollowUp::ResultFeedback,
            FeedbackKind::FollowUp => FollowUp::Satisfaction,
        }
    }
}

/// Follow-through that is feedback to the reporter: recorded with its method here, not as a bare
/// note.
pub fn is_feedback(f: FollowUp) -> bool {
    FeedbackKind::ALL.iter().any(|k| k.follow_up() == f)
}

labelled_enum!(
    /// How the reporter was reached.
    ContactMethod {
        Phone = ("phone", "电话", "Phone"),
        Letter = ("letter", "书面", "Letter"),
        InPerson = ("in_person", "当面", "In person"),
        Portal = ("portal", "网上举报平台", "Online portal"),
    }
);

#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct FeedbackInput {
    /// acceptance, result or follow_up.
    pub kind: String,
    /// YYYY-MM-DD, not after today.
    pub contacted_on: String,
    /// phone, letter, in_person or portal.
    pub method: String,
    /// Who gave it; the recorder when blank.
    pub given_by: String,
    pub note: String,
    /// For a follow-up: satisfied, basically_satisfied or unsatisfied.
    pub rating: String,
    /// Why, at a follow-up (required when unsatisfied).
    pub reasons: String,
}

/// What the rules need to know of the lead.
#[derive(Debug, Clone, Copy)]
pub struct FeedbackFacts {
    pub signed: bool,
    pub status: LeadStatus,
    pub received_on: Date,
    /// The day of its latest conclusion or settlement, if closed.
    pub closed_on: Option<Date>,
    /// The day the result was told, since that closure.
    pub result_told_on: Option<Date>,
    /// Whether the reporter was told of acceptance already (once a lead).
    pub acceptance_told: bool,
    /// Whether the follow-up was held since the result was told (once a closure: the rate
    /// counts each closure once).
    pub followed_up: bool,
    pub today: Date,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feedback {
    pub kind: FeedbackKind,
    pub contacted_on: Date,
    pub method: ContactMethod,
    pub given_by: Option<Name>,
    pub note: Option<Prose<1000>>,
    pub rating: Option<Satisfaction>,
    pub reasons: Option<Prose<1000>>,
}

fn once() -> FieldError {
    refusal(
        "kind",
        "already_given",
        "该项反馈已经登记（受理告知每件一次，结果反馈和回访每次办结一次）。",
        "That feedback is recorded already (acceptance once a lead; result and follow-up once a closure).",
    )
}

fn refusal(field: &str, code: &'static str, zh: &str, en: &str) -> FieldError {
    FieldError::new(field, code, zh, en)
}

impl FeedbackInput {
    pub fn parse(&self, f: &FeedbackFacts) -> Result<Feedback, Invalid> {
        let mut e = Invalid::default();
        let kind = e.take(FeedbackKind::parse("kind", &self.kind));
        let method = e.take(ContactMethod::parse("method", &self.method));
        // An anonymous reporter left no contact: only the portal reaches them.
        if !f.signed && method.is_some_and(|m| m != ContactMethod::Portal) {
            e.push(refusal(
                "method",
                "anonymous",
                "匿名举报没有联系方式，只能通过网上举报平台反馈。",
                "An anonymous reporter left no contact; only the portal reaches them.",
            ));
        }
        let mut contacted_on = e.take(parse_past_date("contacted_on", &self.contacted_on, f.today));
        let earliest = match kind {
            Some(FeedbackKind::Acceptance) => Some(f.received_on),
            Some(FeedbackKind::Result) => f.closed_on,
            Some(FeedbackKind::FollowUp) => f.result_told_on,
            None => None,
        };
        if let (Some(d), Some(first)) = (contacted_on, earliest)
            && d < first
        {
            e.push(refusal(
                "contacted_on",
                "too_early",
                "反馈日期早于其所依据的事项（收到举报、办结或反馈结果）的日期。",
                "The date is before what it follows (the report's receipt, the closure or the result notice).",
            ));
            contacted_on = None;
        }
        match kind {
            Some(FeedbackKind::Acceptance) if f.status == LeadStatus::Merged => e.push(refusal(
                "kind",
                "repeat_report",
                "重复举报不再告知受理情况。",
                "A repeat report gets no acceptance notice.",
            )),
            Some(FeedbackKind::Acceptance) if !f.status.is_open() => e.push(refusal(
                "kind",
                "closed",
                "线索已办结，请反馈办理结果。",
                "The lead is closed; give the result notice instead.",
            )),
            Some(FeedbackKind::Result) if f.closed_on.is_none() => e.push(refusal(
                "kind",
                "not_concluded",
                "办结或予以了结后才能反馈办理结果。",
                "The result is told once the lead is concluded or settled.",
            )),
            Some(FeedbackKind::FollowUp) if f.result_told_on.is_none() => e.push(refusal(
                "kind",
                "no_result_notice",
                "先向举报人反馈办理结果，再进行满意度回访。",
                "Tell the reporter the result before the satisfaction follow-up.",
            )),
            Some(FeedbackKind::Acceptance) if f.acceptance_told => e.push(once()),
            Some(FeedbackKind::Result) if f.result_told_on.is_some() => e.push(once()),
            Some(FeedbackKind::FollowUp) if f.followed_up => e.push(once()),
            _ => {}
        }
        let rating = if kind == Some(FeedbackKind::FollowUp) {
            e.take(Satisfaction::parse("rating", &self.rating)).map(Some)
        } else if self.rating.trim().is_empty() {
            Some(None)
        } else {
            e.push(refusal(
                "rating",
                "not_follow_up",
                "满意度只在回访时登记。",
                "Satisfaction is recorded at the follow-up only.",
            ));
            None
        };
        let reasons = e.take(Prose::<1000>::parse_optional("reasons", &self.reasons));
        if rating == Some(Some(Satisfaction::Unsatisfied)) && reasons.as_ref().is_some_and(Option::is_none) {
            e.push(refusal(
                "reasons",
                "reasons_required",
                "举报人不满意的，请记录其理由。",
                "Record why the reporter is not satisfied.",
            ));
        }
        let given_by = e.take(Name::parse_optional("given_by", &self.given_by));
        let note = e.take(Prose::<1000>::parse_optional("note", &self.note));
        match (kind, contacted_on, method, given_by, note, rating, reasons) {
            (Some(kind), Some(contacted_on), Some(method), Some(given_by), Some(note), Some(rating), Some(reasons))
                if e.is_empty() =>
            {
                Ok(Feedback { kind, contacted_on, method, given_by, note, rating, reasons })
            }
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn facts(status: LeadStatus) -> FeedbackFacts {
        let closed = !status.is_open();
        FeedbackFacts {
            signed: true,
            status,
            received_on: date!(2019 - 10 - 08),
            closed_on: closed.then_some(date!(2019 - 11 - 20)),
            result_told_on: None,
            acceptance_told: false,
            followed_up: false,
            today: date!(2019 - 12 - 02),
        }
    }

    fn input(kind: &str, on: &str) -> FeedbackInput {
        FeedbackInput { kind: kind.into(), contacted_on: on.into(), method: "phone".into(), ..Default::default() }
    }

    fn codes(r: Result<Feedback, Invalid>) -> Vec<&'static str> {
        r.err().map(|e| e.0.into_iter().map(|f| f.code).collect()).unwrap_or_default()
    }

    #[test]
    fn each_notice_follows_its_event_and_repeats_get_no_acceptance_notice() {
        let open = facts(LeadStatus::Assessed);
        let told = input("acceptance", "2019-10-10").parse(&open).unwrap();
        assert_eq!((told.kind.follow_up(), told.rating), (FollowUp::AcceptanceNotice, None));
        assert_eq!(codes(input("acceptance", "2019-10-07").parse(&open)), ["too_early"], "before receipt");
        assert_eq!(codes(input("acceptance", "2019-12-03").parse(&open)), ["future"]);
        assert_eq!(codes(input("acceptance", "2019-10-10").parse(&facts(LeadStatus::Merged))), ["repeat_report"]);
        assert_eq!(codes(input("result", "2019-10-10").parse(&open)), ["not_concluded"]);
        let closed = facts(LeadStatus::Concluded);
        assert_eq!(codes(input("acceptance", "2019-11-21").parse(&closed)), ["closed"]);
        assert_eq!(codes(input("result", "2019-11-19").parse(&closed)), ["too_early"], "before the closure");
        assert!(input("result", "2019-11-20").parse(&closed).is_ok());
        let told = FeedbackFacts { acceptance_told: true, ..open };
        assert_eq!(codes(input("acceptance", "2019-10-10").parse(&told)), ["already_given"]);
    }

    #[test]
    fn the_follow_up_comes_after_the_result_with_a_rating_and_reasons_when_unsatisfied() {
        let mut closed = facts(LeadStatus::Concluded);
        let mut f = input("follow_up", "2019-11-25");
        f.rating = "satisfied".into();
        assert_eq!(codes(f.parse(&closed)), ["no_result_notice"]);
        closed.result_told_on = Some(date!(2019 - 11 - 22));
        assert_eq!(f.parse(&closed).unwrap().rating, Some(Satisfaction::Satisfied));
        f.contacted_on = "2019-11-21".into();
        assert_eq!(codes(f.parse(&closed)), ["too_early"], "before the result was told");
        f.contacted_on = "2019-11-25".into();
        f.rating = "unsatisfied".into();
        assert_eq!(codes(f.parse(&closed)), ["reasons_required"]);
        f.reasons = "认为处理过轻".into();
        assert!(f.parse(&closed).is_ok());
        f.rating.clear();
        assert_eq!(codes(f.parse(&closed)), ["required"], "a follow-up without a rating");
        f.rating = "satisfied".into();
        closed.followed_up = true;
        assert_eq!(codes(f.parse(&closed)), ["already_given"], "one follow-up a closure");
        assert_eq!(codes(input("result", "2019-11-25").parse(&closed)), ["already_given"], "one result notice");
        let mut r = input("result", "2019-11-22");
        r.rating = "satisfied".into();
        assert_eq!(codes(r.parse(&facts(LeadStatus::Concluded))), ["not_follow_up"]);
    }

    #[test]
    fn an_anonymous_reporter_is_reached_only_through_the_portal() {
        let mut closed = facts(LeadStatus::Concluded);
        closed.signed = false;
        assert_eq!(codes(input("result", "2019-11-22").parse(&closed)), ["anonymous"]);
        let mut portal = input("result", "2019-11-22");
        portal.method = "portal".into();
        assert!(portal.parse(&closed).is_ok());
    }

    #[test]
    fn the_reporter_kinds_of_follow_through_are_feedback() {
        assert!(is_feedback(FollowUp::ResultFeedback) && is_feedback(FollowUp::Satisfaction));
        assert!(is_feedback(FollowUp::AcceptanceNotice));
        assert!(!is_feedback(FollowUp::Clearing) && !is_feedback(FollowUp::ReportBack));
    }
}
