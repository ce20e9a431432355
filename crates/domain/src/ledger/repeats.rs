//! Repeat reports (重复件). The same report arrives from several channels (信访, 交办, 巡察); the
//! rules register each and keep it for the record, merged under the first (domain rules §1.2,
//! design brief §3). Before a report is saved, the earlier leads it may repeat are put before
//! the inspector with the reasons each was suggested; the inspector merges it (the 合并 step) or
//! confirms it as new, and that decision stays on the timeline.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use time::Date;

use crate::{
    FieldError, LeadId, labelled_enum,
    ledger::{lead::LeadStatus, lead_no::LeadNo},
    lifecycle::conclusion::Finding,
};

labelled_enum!(
    /// What became of a report that had candidates, as the timeline and `repeat_reports` keep it
    /// (for each candidate: the one chosen to merge into is `merged`, the others `undecided`).
    RepeatOutcome {
        New = ("new", "确认为新线索", "Confirmed as a new lead"),
        Merged = ("merged", "认定为重复件，提请合并", "Judged a repeat; merge proposed"),
        Undecided = ("undecided", "登记人未作判断", "No decision taken"),
        Imported = ("imported", "导入时提示，待核对", "Flagged on import, to be checked"),
    }
);

/// Why an earlier lead was suggested.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RepeatReason {
    /// The same source document number (来源文号): the same assignment sent again.
    SameDocNo { doc_no: String },
    /// A subject who is the same person in the registry (by ID number, or name and unit).
    SamePerson { name: String, unit_name: String },
    /// A summary sharing this share of its character pairs with the new one.
    SimilarSummary { percent: u8 },
}

impl RepeatReason {
    /// How strongly the reason suggests a repeat, for ordering (higher first).
    fn weight(&self) -> u32 {
        match self {
            RepeatReason::SameDocNo { .. } => 300,
            RepeatReason::SamePerson { .. } => 200,
            RepeatReason::SimilarSummary { percent } => u32::from(*percent),
        }
    }

    pub fn describe(&self, english: bool) -> String {
        match (self, english) {
            (RepeatReason::SameDocNo { doc_no }, false) => format!("来源文号相同（{doc_no}）"),
            (RepeatReason::SameDocNo { doc_no }, true) => format!("Same source document number ({doc_no})"),
            (RepeatReason::SamePerson { name, unit_name }, false) => {
                format!("同一被反映人（{name}，{unit_name}）")
            }
            (RepeatReason::SamePerson { name, unit_name }, true) => format!("Same person named ({name}, {unit_name})"),
            (RepeatReason::SimilarSummary { percent }, false) => format!("问题摘要相似（{percent}%）"),
            (RepeatReason::SimilarSummary { percent }, true) => format!("Similar summary ({percent}%)"),
        }
    }
}

/// An earlier lead the new report may repeat, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct RepeatCandidate {
    pub lead: LeadId,
    pub number: LeadNo,
    pub unit_name: String,
    #[serde(with = "crate::dates::serde_date")]
    #[schema(value_type = String, format = Date)]
    pub received_on: Date,
    pub status: LeadStatus,
    pub finding: Option<Finding>,
    /// The opening of its summary.
    pub summary: String,
    pub reasons: Vec<RepeatReason>,
    /// Closed as unfounded (查否): a new report about it goes to the review queue (design
    /// brief §7: "public still complaining").
    pub closed_unfounded: bool,
}

/// Whether a lead is closed with the finding 查否 (unfounded).
pub fn closed_unfounded(status: LeadStatus, finding: Option<Finding>) -> bool {
    !status.is_open() && finding == Some(Finding::Unfounded)
}

/// The most candidates shown: beyond this an inspector stops reading.
pub const MAX_CANDIDATES: usize = 8;

/// A summary at least this similar (percent) is suggested.
pub const SIMILAR_AT: u8 = 45;

/// Orders candidates strongest first (the sum of their reasons' weights, then the latest
/// received, then the number) and keeps the first [`MAX_CANDIDATES`].
pub fn rank(mut candidates: Vec<RepeatCandidate>) -> Vec<RepeatCandidate> {
    let strength = |c: &RepeatCandidate| c.reasons.iter().map(RepeatReason::weight).sum::<u32>();
    candidates.sort_by(|a, b| {
        strength(b)
            .cmp(&strength(a))
            .then(b.received_on.cmp(&a.received_on))
            .then(a.number.sort_key().cmp(&b.number.sort_key()))
    });
    candidates.truncate(MAX_CANDIDATES);
    candidates
}

/// The letters and digits of a text as overlapping character pairs (a lone character is its
/// own pair), case folded: how Chinese text compares without a dictionary.
fn pairs(text: &str) -> HashSet<(char, char)> {
    let mut out = HashSet::new();
    let kept: Vec<char> = text.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect();
    if let [c] = kept.as_slice() {
        out.insert((*c, *c));
    }
    for w in kept.windows(2) {
        out.insert((w[0], w[1]));
    }
    out
}

/// How alike two summaries are, 0–100: the share of character pairs they have in common
/// (Dice's coefficient), which an inspector can check by reading both.
pub fn summary_similarity(a: &str, b: &str) -> u8 {
    let (x, y) = (pairs(a), pairs(b));
    if x.is_empty() || y.is_empty() {
        return 0;
    }
    let common = x.intersection(&y).count();
    ((200 * common) / (x.len() + y.len())) as u8
}

/// What the inspector decided about the candidates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RepeatDecision {
    /// A new report, not a repeat of any candidate.
    New,
    /// A repeat of the earlier lead with this number: merged into it (合并).
    Merge(LeadNo),
}

impl RepeatDecision {
    /// Reads a decision as a form or the API sends it: empty (none taken), `new`, or the number
    /// of the lead it repeats.
    pub fn parse(field: &str, typed: &str) -> Result<Option<Self>, FieldError> {
        match typed.trim() {
            "" => Ok(None),
            "new" => Ok(Some(Self::New)),
            other => LeadNo::parse(other).map(|n| Some(Self::Merge(n))).ok_or_else(|| {
                FieldError::new(
                    field,
                    "invalid",
                    "请选择“确认为新线索”，或选择它重复的原线索。",
                    "Choose \"a new lead\", or the earlier lead it repeats.",
                )
            }),
        }
    }

    /// The refusal of a form sent back without a decision after its candidates were shown.
    pub fn missing(field: &str) -> FieldError {
        FieldError::new(
            field,
            "required",
            "请选择：并入其中一条原线索，或确认为新线索。",
            "Choose an earlier lead to merge into, or confirm it as a new lead.",
        )
    }

    pub fn outcome(&self) -> RepeatOutcome {
        match self {
            RepeatDecision::New => RepeatOutcome::New,
            RepeatDecision::Merge(_) => RepeatOutcome::Merged,
        }
    }

    /// What the decision says of one candidate: merged into the one chosen, not judged about the
    /// others when merging (a report repeats one lead), confirmed new against all otherwise.
    pub fn outcome_for(&self, candidate: &LeadNo) -> RepeatOutcome {
        match self {
            RepeatDecision::New => RepeatOutcome::New,
            RepeatDecision::Merge(into) if into == candidate => RepeatOutcome::Merged,
            RepeatDecision::Merge(_) => RepeatOutcome::Undecided,
        }
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    fn candidate(id: i64, received_on: Date, reasons: Vec<RepeatReason>) -> RepeatCandidate {
        RepeatCandidate {
            lead: LeadId::from_raw(id),
            number: LeadNo::from_stored(format!("RMYY1-2026-{id:04}")),
            unit_name: "市第一人民医院".into(),
            received_on,
            status: LeadStatus::Registered,
            finding: None,
            summary: String::new(),
            reasons,
            closed_unfounded: false,
        }
    }

    #[test]
    fn alike_summaries_score_high_and_unrelated_ones_low() {
        let a = "反映某医院药剂科主任王某某收受医药代表回扣";
        assert_eq!(summary_similarity(a, a), 100);
        let b = "举报药剂科主任王某某收受医药代表的回扣";
        assert!(summary_similarity(a, b) >= 70, "{}", summary_similarity(a, b));
        let c = "反映食堂承包经营存在违规转包问题";
        assert!(summary_similarity(a, c) < 20, "{}", summary_similarity(a, c));
        assert_eq!(summary_similarity("", a), 0);
        assert_eq!(summary_similarity("😀!!", a), 0, "only letters and digits count");
        assert_eq!(summary_similarity("ABC", "abc"), 100, "case folded");
    }

    #[test]
    fn the_strongest_candidates_come_first_and_few() {
        let doc = RepeatReason::SameDocNo { doc_no: "卫纪交〔2026〕3号".into() };
        let person = RepeatReason::SamePerson { name: "王某某".into(), unit_name: "药剂科".into() };
        let similar = |percent| RepeatReason::SimilarSummary { percent };
        let ranked = rank(vec![
            candidate(1, date!(2026 - 01 - 01), vec![similar(90)]),
            candidate(2, date!(2026 - 01 - 01), vec![person.clone()]),
            candidate(3, date!(2026 - 01 - 01), vec![doc, person.clone()]),
            candidate(4, date!(2026 - 03 - 01), vec![person]),
            candidate(5, date!(2026 - 01 - 01), vec![similar(60)]),
        ]);
        let order: Vec<i64> = ranked.iter().map(|c| c.lead.get()).collect();
        assert_eq!(order, [3, 4, 2, 1, 5], "both reasons, then a person (latest first), then by similarity");
        let many = (0..20).map(|i| candidate(i, date!(2026 - 01 - 01), vec![similar(50)])).collect();
        assert_eq!(rank(many).len(), MAX_CANDIDATES);
    }

    #[test]
    fn only_a_closed_unfounded_lead_goes_to_the_review_queue() {
        assert!(closed_unfounded(LeadStatus::Concluded, Some(Finding::Unfounded)));
        assert!(closed_unfounded(LeadStatus::StruckOff, Some(Finding::Unfounded)));
        assert!(!closed_unfounded(LeadStatus::Concluded, Some(Finding::Confirmed)));
        assert!(!closed_unfounded(LeadStatus::PreliminaryVerification, None));
    }

    #[test]
    fn a_decision_is_new_or_a_lead_number() {
        assert_eq!(RepeatDecision::parse("repeat", " ").unwrap(), None);
        assert_eq!(RepeatDecision::parse("repeat", "new").unwrap(), Some(RepeatDecision::New));
        assert_eq!(
            RepeatDecision::parse("repeat", "RMYY1-2026-0007").unwrap(),
            Some(RepeatDecision::Merge(LeadNo::from_stored("RMYY1-2026-0007".into())))
        );
        assert_eq!(RepeatDecision::parse("repeat", "merge please").unwrap_err().field, "repeat");
        let (a, b) = (LeadNo::from_stored("A-2026-0001".into()), LeadNo::from_stored("A-2026-0002".into()));
        let merge = RepeatDecision::Merge(a.clone());
        assert_eq!((merge.outcome_for(&a), merge.outcome_for(&b)), (RepeatOutcome::Merged, RepeatOutcome::Undecided));
        assert_eq!(RepeatDecision::New.outcome_for(&b), RepeatOutcome::New);
    }
}
