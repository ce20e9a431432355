//! What a re-review of an unfounded closure records (design brief §7): the methods used, each
//! check answered with reasons, and the result — upheld, or returned for re-investigation with
//! a resubmission deadline. Also the closer's endorsement (查否背书) a review reads.

use sha2::{Digest, Sha256};
use time::Date;

use crate::{
    FieldError, Invalid,
    dates::parse_date,
    labelled_enum,
    text::{Line, Prose},
};

labelled_enum!(
    /// Where a review stands.
    ReviewState {
        Queued = ("queued", "待复审", "Queued"),
        InReview = ("in_review", "复审中", "Under review"),
        Upheld = ("upheld", "维持原结论", "Upheld"),
        Returned = ("returned", "退回重新调查", "Returned for re-investigation"),
    }
);

impl ReviewState {
    pub const fn is_open(self) -> bool {
        matches!(self, ReviewState::Queued | ReviewState::InReview)
    }
}

labelled_enum!(
    /// How the reviewers looked again (seed 二(四)).
    ReviewMethod {
        Hearing = ("hearing", "听取汇报", "Heard the unit's report"),
        Files = ("files", "查阅案卷", "Read the files"),
        Reporter = ("reporter", "会见举报人", "Met the reporter"),
        Victims = ("victims", "会见受害人", "Met the victims"),
        KeyLeads = ("key_leads", "核查重点线索", "Re-checked key leads"),
    }
);

labelled_enum!(
    /// What every review answers (seed 二(四)): whether the unit took the campaign seriously,
    /// checked carefully, and dug out the protective umbrella and its network.
    ReviewCheck {
        Political = ("political", "政治责任是否落实到位", "Was political responsibility carried out"),
        Dereliction = ("dereliction", "是否存在核查不细、不认真、敷衍应付等失职失责问题", "Was checking careless, not serious or perfunctory"),
        Depth = ("depth", "是否深挖彻查“保护伞”和关系网", "Were the protective umbrella and its network dug out"),
    }
);

labelled_enum!(
    /// A check's answer.
    CheckAnswer {
        NoProblem = ("no_problem", "未发现问题", "No problem found"),
        Problem = ("problem", "发现问题", "Problem found"),
    }
);

labelled_enum!(
    /// The review's result.
    ReviewResult {
        Upheld = ("upheld", "维持原结论", "Upheld"),
        Returned = ("returned", "退回重新调查", "Returned for re-investigation"),
    }
);

/// A method as typed: which, on what day, who took part, and what was found.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct MethodInput {
    pub method: String,
    /// YYYY-MM-DD.
    pub held_on: String,
    pub persons: String,
    pub notes: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MethodRecord {
    pub method: ReviewMethod,
    pub held_on: Date,
    pub persons: Line,
    pub notes: Prose<2000>,
}

impl MethodInput {
    /// Refuses a day after `today` (a method is recorded once used).
    pub fn parse(&self, today: Date) -> Result<MethodRecord, Invalid> {
        let mut e = Invalid::default();
        let method = e.take(ReviewMethod::parse("method", &self.method));
        let held_on = e.take(parse_date("held_on", &self.held_on).and_then(|d| {
            if d > today {
                Err(FieldError::new("held_on", "future", "日期不能晚于今天。", "The date cannot be after today."))
            } else {
                Ok(d)
            }
        }));
        let persons = e.take(Line::parse("persons", &self.persons));
        let notes = e.take(Prose::parse("notes", &self.notes));
        match (method, held_on, persons, notes) {
            (Some(method), Some(held_on), Some(persons), Some(notes)) if e.is_empty() => {
                Ok(MethodRecord { method, held_on, persons, notes })
            }
            _ => Err(e),
        }
    }
}

/// The three checks as typed: an answer and the reasons for each.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ChecksInput {
    pub political: String,
    pub political_reason: String,
    pub dereliction: String,
    pub dereliction_reason: String,
    pub depth: String,
    pub depth_reason: String,
}

/// One check answered, with its reasons.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Answered {
    pub check: ReviewCheck,
    pub answer: CheckAnswer,
    pub reason: String,
}

impl ChecksInput {
    /// Every check must be answered, each with its reasons (at least 4 characters: "无" is no reason).
    pub fn parse(&self) -> Result<Vec<Answered>, Invalid> {
        let mut e = Invalid::default();
        let mut out = Vec::new();
        for (check, answer, reason) in [
            (ReviewCheck::Political, &self.political, &self.political_reason),
            (ReviewCheck::Dereliction, &self.dereliction, &self.dereliction_reason),
            (ReviewCheck::Depth, &self.depth, &self.depth_reason),
        ] {
            let field = check.code();
            let a = e.take(CheckAnswer::parse(field, answer));
            let reason_field = format!("{field}_reason");
            let r = e.take(Prose::<2000>::parse(&reason_field, reason).and_then(|r| {
                if r.as_str().chars().count() < 4 {
                    Err(FieldError::new(
                        reason_field.as_str(),
                        "too_short",
                        "请写明理由（至少 4 个字）。",
                        "Give the reasons (at least 4 characters).",
                    ))
                } else {
                    Ok(r)
                }
            }));
            if let (Some(answer), Some(reason)) = (a, r) {
                out.push(Answered { check, answer, reason: reason.into_string() });
            }
        }
        e.into_result(|| out)
    }
}

/// The result as typed.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ResultInput {
    pub result: String,
    pub note: String,
    /// Whether the review found grounds for holding someone accountable (问责).
    pub accountability: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub result: ReviewResult,
    pub note: Prose<2000>,
    pub accountability: bool,
}

/// What a review must hold before its result is recorded.
pub struct ReviewSoFar {
    pub state: ReviewState,
    pub reviewers: usize,
    pub methods: usize,
    pub checks_answered: bool,
}

impl ResultInput {
    /// The result, refused until the review has reviewers, at least one method and every check
    /// answered, and once it has a result.
    pub fn parse(&self, so_far: &ReviewSoFar) -> Result<Decision, Invalid> {
        let mut e = Invalid::default();
        if !so_far.state.is_open() {
            return Err(Invalid::one(FieldError::new(
                "result",
                "decided",
                "该复审已有结论。",
                "This review has its result already.",
            )));
        }
        let result = e.take(ReviewResult::parse("result", &self.result));
        let note = e.take(Prose::parse("note", &self.note));
        if so_far.reviewers == 0 {
            e.push(FieldError::new("result", "no_reviewers", "请先指定复审人员。", "Assign the reviewers first."));
        }
        if so_far.methods == 0 {
            e.push(FieldError::new(
                "result",
                "no_methods",
                "请先记录至少一种复审方式（听取汇报、查阅案卷等）。",
                "Record at least one method (hearing, reading the files, …) first.",
            ));
        }
        if !so_far.checks_answered {
            e.push(FieldError::new(
                "result",
                "checks_missing",
                "请先逐项回答三项检查并写明理由。",
                "Answer each of the three checks, with reasons, first.",
            ));
        }
        match (result, note) {
            (Some(result), Some(note)) if e.is_empty() => {
                Ok(Decision { result, note, accountability: self.accountability })
            }
            _ => Err(e),
        }
    }
}

/// The closer's endorsement of a 查否 conclusion: a hash of exactly what was concluded, by whom
/// and when, so a later change to any of it shows.
pub fn endorsement_hash(lead_number: &str, conclusion_json: &str, signer: i64, signed_at: i64) -> String {
    let text = format!("endorsement\nlead={lead_number}\nsigner={signer}\nsigned_at={signed_at}\n{conclusion_json}");
    hex::encode(Sha256::digest(text.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> Date {
        time::macros::date!(2026 - 12 - 07)
    }

    #[test]
    fn a_method_needs_its_kind_a_day_not_in_the_future_who_and_notes() {
        let ok = MethodInput {
            method: "files".into(),
            held_on: "2026-12-07".into(),
            persons: "复审组 王某、李某".into(),
            notes: "调阅初核卷宗 3 册".into(),
        };
        assert_eq!(ok.parse(today()).unwrap().method, ReviewMethod::Files);
        let future = MethodInput { held_on: "2026-12-08".into(), ..ok.clone() };
        assert_eq!(future.parse(today()).unwrap_err().0[0].code, "future");
        let blank = MethodInput::default().parse(today()).unwrap_err();
        let fields: Vec<&str> = blank.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["method", "held_on", "persons", "notes"]);
    }

    #[test]
    fn every_check_is_answered_with_reasons() {
        let all = ChecksInput {
            political: "no_problem".into(),
            political_reason: "单位党委专题研究两次".into(),
            dereliction: "problem".into(),
            dereliction_reason: "未调取银行流水即作查否".into(),
            depth: "problem".into(),
            depth_reason: "未核查其亲属经营的公司".into(),
        };
        let answered = all.parse().unwrap();
        assert_eq!(answered.len(), 3);
        assert_eq!(answered[1].answer, CheckAnswer::Problem);
        let short = ChecksInput { depth_reason: "无".into(), ..all.clone() };
        assert_eq!(short.parse().unwrap_err().0[0].field, "depth_reason");
        let missing = ChecksInput { political: String::new(), ..all };
        assert_eq!(missing.parse().unwrap_err().0[0].field, "political");
    }

    #[test]
    fn a_result_waits_for_reviewers_methods_and_checks_and_is_given_once() {
        let input =
            ResultInput { result: "returned".into(), note: "核查不细，退回重查".into(), accountability: true };
        let ready = ReviewSoFar { state: ReviewState::InReview, reviewers: 2, methods: 1, checks_answered: true };
        assert_eq!(input.parse(&ready).unwrap().result, ReviewResult::Returned);
        let bare = ReviewSoFar { state: ReviewState::Queued, reviewers: 0, methods: 0, checks_answered: false };
        let codes: Vec<&str> = input.parse(&bare).unwrap_err().0.iter().map(|e| e.code).collect();
        assert_eq!(codes, ["no_reviewers", "no_methods", "checks_missing"]);
        let done = ReviewSoFar { state: ReviewState::Upheld, ..ready };
        assert_eq!(input.parse(&done).unwrap_err().0[0].code, "decided");
    }

    #[test]
    fn the_endorsement_changes_with_anything_it_covers() {
        let h = endorsement_hash("WJ-2026-0001", r#"{"finding":"unfounded"}"#, 7, 100);
        assert_eq!(h.len(), 64);
        assert_ne!(h, endorsement_hash("WJ-2026-0001", r#"{"finding":"unverifiable"}"#, 7, 100));
        assert_ne!(h, endorsement_hash("WJ-2026-0001", r#"{"finding":"unfounded"}"#, 8, 100));
    }
}
