//! Follow-through after a conclusion (not steps: they do not change the status), and what the
//! rules require before a lead is struck off (销号).

use crate::{FieldError, labelled_enum, lifecycle::conclusion::Finding};

labelled_enum!(
    /// Follow-through after conclusion (not steps: they do not change the status).
    FollowUp {
        ResultFeedback = ("result_feedback", "向实名举报人反馈办理结果", "Result told to the signed reporter"),
        Clearing = ("clearing", "澄清正名", "Wrongly reported person cleared"),
        ClearingNotNeeded = ("clearing_not_needed", "经研究无需澄清", "Clearing found unnecessary"),
        Satisfaction = ("satisfaction", "满意度回访", "Satisfaction follow-up"),
        Rectification = ("rectification", "以案促改", "Case-driven reform"),
        AcceptanceNotice = ("acceptance_notice", "告知实名举报人受理情况", "Signed reporter told of acceptance"),
        ReportBack = ("report_back", "向交办机关报结", "Result reported back to the assigning body"),
    }
);

impl FollowUp {
    /// Telling a signed reporter the report was accepted comes while the lead is open; the rest
    /// follows the conclusion.
    pub const fn while_open(self) -> bool {
        matches!(self, FollowUp::AcceptanceNotice)
    }
}

/// What the rules require before a concluded lead is struck off.
pub struct StrikeOffFacts<'a> {
    pub signed_reporter: bool,
    pub finding: Option<Finding>,
    /// Settled (予以了结) with a person named: whether to clear them is asked too (检举控告规则:
    /// 予以了结 may warrant 澄清).
    pub settled_naming: bool,
    pub done: &'a [FollowUp],
}

/// A lead settled (予以了结) that names someone: whether to clear them is to be decided.
pub fn settled_naming(status: crate::ledger::lead::LeadStatus, subjects: &[crate::ledger::subject::Subject]) -> bool {
    status == crate::ledger::lead::LeadStatus::Settled && !subjects.is_empty()
}

/// The 澄清 question is open: a lead found unfounded, or settled with a person named, and no
/// decision (cleared, or found unnecessary) recorded yet.
pub fn clearing_question_open(f: &StrikeOffFacts<'_>) -> bool {
    (f.finding == Some(Finding::Unfounded) || f.settled_naming)
        && !f.done.iter().any(|d| matches!(d, FollowUp::Clearing | FollowUp::ClearingNotNeeded))
}

/// Why a lead may not yet be struck off; empty means it may.
pub fn strike_off_blockers(f: &StrikeOffFacts<'_>) -> Vec<FieldError> {
    let mut out = Vec::new();
    if f.signed_reporter && !f.done.contains(&FollowUp::ResultFeedback) {
        out.push(FieldError::new(
            "step",
            "feedback_missing",
            "实名举报的线索，须先向举报人反馈办理结果，才能销号。",
            "Tell the signed reporter the result before striking the lead off.",
        ));
    }
    if clearing_question_open(f) {
        out.push(FieldError::new(
            "step",
            "clearing_missing",
            "查否或予以了结的线索，须先作出澄清正名决定（澄清或经研究无需澄清），才能销号。",
            "Decide on clearing the reported person (cleared, or found unnecessary) before striking off.",
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strike_off_waits_for_follow_through() {
        let f = |signed, finding, done: &[FollowUp]| {
            strike_off_blockers(&StrikeOffFacts { signed_reporter: signed, finding, settled_naming: false, done })
                .iter()
                .map(|e| e.code)
                .collect::<Vec<_>>()
        };
        assert_eq!(f(true, Some(Finding::Confirmed), &[]), ["feedback_missing"]);
        assert!(f(true, Some(Finding::Confirmed), &[FollowUp::ResultFeedback]).is_empty());
        assert_eq!(f(false, Some(Finding::Unfounded), &[]), ["clearing_missing"]);
        assert!(f(false, Some(Finding::Unfounded), &[FollowUp::ClearingNotNeeded]).is_empty());
        assert_eq!(f(true, Some(Finding::Unfounded), &[FollowUp::Clearing]), ["feedback_missing"]);
        assert!(f(false, None, &[]).is_empty(), "a settled lead naming nobody needs nothing more");
    }

    #[test]
    fn settling_a_lead_that_names_someone_asks_the_clearing_question() {
        let facts = |done: &'static [FollowUp]| StrikeOffFacts {
            signed_reporter: false,
            finding: None,
            settled_naming: true,
            done,
        };
        assert!(clearing_question_open(&facts(&[])));
        assert_eq!(strike_off_blockers(&facts(&[]))[0].code, "clearing_missing");
        assert!(!clearing_question_open(&facts(&[FollowUp::ClearingNotNeeded])));
        assert!(strike_off_blockers(&facts(&[FollowUp::Clearing])).is_empty());
    }
}
