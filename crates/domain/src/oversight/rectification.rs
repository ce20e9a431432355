//! One rectification per case (以案促改、一案一整改, seed 二(五), design brief §8): the
//! committee's numbered recommendation letter with a reply deadline; the unit's analysis
//! (causes, risk points, institutional loopholes) and measures, its reply signed by the unit
//! head; the committee's acceptance or return; and a later re-check (回头看) of whether the
//! measures held. Institutions established (建章立制) are kept per unit.

use sha2::{Digest, Sha256};
use time::Date;

use crate::{
    FieldError, Invalid,
    dates::parse_date,
    labelled_enum,
    text::{Line, Prose},
};

labelled_enum!(
    /// Which letter the committee issues: to a party organisation, or to a public body.
    LetterKind {
        Discipline = ("discipline", "纪律检查建议书", "Discipline inspection recommendation"),
        Supervision = ("supervision", "监察建议书", "Supervision recommendation"),
    }
);

impl LetterKind {
    /// The short form in a letter's number: 纪建〔2026〕3号, 监建〔2026〕1号.
    pub const fn number_prefix(self) -> &'static str {
        match self {
            LetterKind::Discipline => "纪建",
            LetterKind::Supervision => "监建",
        }
    }
}

/// A letter's number: its kind's prefix, the year, and its place in that year's letters of the kind.
pub fn letter_number(kind: LetterKind, year: i32, seq: i64) -> String {
    format!("{}〔{year}〕{seq}号", kind.number_prefix())
}

labelled_enum!(
    /// Where a rectification stands.
    RectificationState {
        Issued = ("issued", "已发建议书，待回复", "Letter issued, awaiting the reply"),
        Replied = ("replied", "已回复，待验收", "Replied, awaiting acceptance"),
        Returned = ("returned", "退回补充整改", "Returned for more"),
        Accepted = ("accepted", "已验收", "Accepted"),
        Rechecked = ("rechecked", "已回头看", "Re-checked"),
    }
);

impl RectificationState {
    /// While the unit may still change its analysis, measures and reply.
    pub const fn unit_may_write(self) -> bool {
        matches!(self, RectificationState::Issued | RectificationState::Returned)
    }

    /// Whether a file may be attached now: the unit's evidence while it may write; the
    /// committee's (its acceptance and re-check) until the re-check closes the rectification.
    pub const fn takes_files(self, from_unit: bool) -> bool {
        if from_unit { self.unit_may_write() } else { !matches!(self, RectificationState::Rechecked) }
    }
}

labelled_enum!(
    /// A measure's progress.
    MeasureStatus {
        Planned = ("planned", "未开始", "Not started"),
        InProgress = ("in_progress", "推进中", "In progress"),
        Done = ("done", "已完成", "Done"),
    }
);

/// A measure is overdue once its due date has passed and it is not done.
pub fn measure_overdue(status: MeasureStatus, due_on: Date, today: Date) -> bool {
    status != MeasureStatus::Done && due_on < today
}

/// The letter as typed by the committee.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct LetterInput {
    /// The concluded lead's number.
    pub lead: String,
    pub kind: String,
    /// The recommendations, one paragraph per line.
    pub content: String,
    /// YYYY-MM-DD; blank for the rule's default (one month from today).
    pub reply_due: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Letter {
    pub kind: LetterKind,
    pub content: Prose<4000>,
    pub reply_due: Option<Date>,
}

impl LetterInput {
    pub fn parse(&self, today: Date) -> Result<Letter, Invalid> {
        let mut e = Invalid::default();
        let kind = e.take(LetterKind::parse("kind", &self.kind));
        let content = e.take(Prose::parse("content", &self.content));
        let reply_due = match self.reply_due.trim() {
            "" => None,
            s => e.take(parse_date("reply_due", s).and_then(|d| {
                if d <= today {
                    Err(FieldError::new(
                        "reply_due",
                        "not_after_today",
                        "回复期限应晚于今天。",
                        "The reply deadline must be after today.",
                    ))
                } else {
                    Ok(d)
                }
            })),
        };
        match (kind, content) {
            (Some(kind), Some(content)) if e.is_empty() => Ok(Letter { kind, content, reply_due }),
            _ => Err(e),
        }
    }
}

/// The unit's analysis as typed.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct AnalysisInput {
    pub causes: String,
    pub risk_points: String,
    pub loopholes: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Analysis {
    pub causes: Prose<4000>,
    pub risk_points: Prose<4000>,
    pub loopholes: Prose<4000>,
}

impl AnalysisInput {
    pub fn parse(&self) -> Result<Analysis, Invalid> {
        let mut e = Invalid::default();
        let causes = e.take(Prose::parse("causes", &self.causes));
        let risk_points = e.take(Prose::parse("risk_points", &self.risk_points));
        let loopholes = e.take(Prose::parse("loopholes", &self.loopholes));
        match (causes, risk_points, loopholes) {
            (Some(causes), Some(risk_points), Some(loopholes)) => Ok(Analysis { causes, risk_points, loopholes }),
            _ => Err(e),
        }
    }
}

/// A measure as typed (added, or its progress updated).
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct MeasureInput {
    pub content: String,
    pub owner: String,
    /// YYYY-MM-DD.
    pub due_on: String,
    /// planned | in_progress | done; blank is planned.
    pub status: String,
    /// What shows it was done (documents, minutes…); required once done.
    pub evidence: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Measure {
    pub content: Prose<1000>,
    pub owner: Line,
    pub due_on: Date,
    pub status: MeasureStatus,
    pub evidence: String,
}

impl MeasureInput {
    /// `set_on` is the day the measure was (first) set: it cannot be due before it.
    pub fn parse(&self, set_on: Date) -> Result<Measure, Invalid> {
        let mut e = Invalid::default();
        let content = e.take(Prose::parse("content", &self.content));
        let owner = e.take(Line::parse("owner", &self.owner));
        let due_on = e.take(parse_date("due_on", &self.due_on).and_then(|d| {
            if d < set_on {
                Err(FieldError::new(
                    "due_on",
                    "before_set",
                    "完成时限不能早于提出该措施的日期。",
                    "A measure cannot be due before the day it was set.",
                ))
            } else {
                Ok(d)
            }
        }));
        let status = match self.status.trim() {
            "" => Some(MeasureStatus::Planned),
            s => e.take(MeasureStatus::parse("status", s)),
        };
        let evidence = e.take(Prose::<2000>::parse_optional("evidence", &self.evidence));
        if status == Some(MeasureStatus::Done) && evidence.as_ref().is_some_and(Option::is_none) {
            e.push(FieldError::new(
                "evidence",
                "required_when_done",
                "措施已完成的，请写明完成佐证。",
                "Say what shows the measure is done.",
            ));
        }
        match (content, owner, due_on, status, evidence) {
            (Some(content), Some(owner), Some(due_on), Some(status), Some(evidence)) if e.is_empty() => Ok(Measure {
                content,
                owner,
                due_on,
                status,
                evidence: evidence.map(|x| x.into_string()).unwrap_or_default(),
            }),
            _ => Err(e),
        }
    }
}

/// Whether the unit's reply may go: an analysis and at least one measure, while the unit may write.
pub fn check_reply(state: RectificationState, analysed: bool, measures: usize) -> Result<(), Invalid> {
    if !state.unit_may_write() {
        return Err(Invalid::one(FieldError::new(
            "reply",
            "closed",
            "整改已回复或已验收，不能再回复。",
            "The rectification has been replied to or accepted; no further reply.",
        )));
    }
    let mut e = Invalid::default();
    if !analysed {
        e.push(FieldError::new(
            "reply",
            "no_analysis",
            "请先填写原因、风险点和制度漏洞分析。",
            "Record the analysis (causes, risk points, loopholes) first.",
        ));
    }
    if measures == 0 {
        e.push(FieldError::new(
            "reply",
            "no_measures",
            "请先制定至少一项整改措施。",
            "Set at least one measure first.",
        ));
    }
    e.into_result(|| ())
}

/// The unit head's signature on the reply: a hash of the reply, the letter and the signer.
pub fn reply_signature(number: &str, reply: &str, signer: i64, at: i64) -> String {
    let text = format!("rectification-reply\nletter={number}\nsigner={signer}\nat={at}\n{reply}");
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// An institution established (建章立制) as typed.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct InstitutionInput {
    pub unit_id: String,
    pub name: String,
    pub doc_no: String,
    /// YYYY-MM-DD, not after today.
    pub issued_on: String,
    /// The rectification it came from (its id), if any.
    pub rectification: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Institution {
    pub name: Line,
    pub doc_no: Line,
    pub issued_on: Date,
}

impl InstitutionInput {
    pub fn parse(&self, today: Date) -> Result<Institution, Invalid> {
        let mut e = Invalid::default();
        let name = e.take(Line::parse("name", &self.name));
        let doc_no = e.take(Line::parse("doc_no", &self.doc_no));
        let issued_on = e.take(parse_date("issued_on", &self.issued_on).and_then(|d| {
            if d > today {
                Err(FieldError::new("issued_on", "future", "日期不能晚于今天。", "The date cannot be after today."))
            } else {
                Ok(d)
            }
        }));
        match (name, doc_no, issued_on) {
            (Some(name), Some(doc_no), Some(issued_on)) => Ok(Institution { name, doc_no, issued_on }),
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 12 - 07);

    #[test]
    fn letters_are_numbered_by_kind_and_year() {
        assert_eq!(letter_number(LetterKind::Discipline, 2026, 3), "纪建〔2026〕3号");
        assert_eq!(letter_number(LetterKind::Supervision, 2027, 1), "监建〔2027〕1号");
    }

    #[test]
    fn a_letter_needs_its_kind_and_text_and_a_deadline_after_today() {
        let ok = LetterInput {
            lead: String::new(),
            kind: "discipline".into(),
            content: "建立采购回避制度".into(),
            reply_due: String::new(),
        };
        assert_eq!(ok.parse(TODAY).unwrap().reply_due, None, "blank: the rule's default");
        let past = LetterInput { reply_due: "2026-12-07".into(), ..ok.clone() };
        assert_eq!(past.parse(TODAY).unwrap_err().0[0].code, "not_after_today");
        let blank = LetterInput::default().parse(TODAY).unwrap_err();
        assert_eq!(blank.0.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(), ["kind", "content"]);
    }

    #[test]
    fn a_measure_is_not_due_before_it_was_set_and_done_needs_evidence() {
        let m = MeasureInput {
            content: "修订药品采购管理办法".into(),
            owner: "药剂科 王某".into(),
            due_on: "2027-01-31".into(),
            status: String::new(),
            evidence: String::new(),
        };
        assert_eq!(m.parse(TODAY).unwrap().status, MeasureStatus::Planned);
        let early = MeasureInput { due_on: "2026-12-06".into(), ..m.clone() };
        assert_eq!(early.parse(TODAY).unwrap_err().0[0].code, "before_set");
        let done = MeasureInput { status: "done".into(), ..m.clone() };
        assert_eq!(done.parse(TODAY).unwrap_err().0[0].code, "required_when_done");
        let shown = MeasureInput { status: "done".into(), evidence: "院办〔2026〕45号".into(), ..m };
        assert_eq!(shown.parse(TODAY).unwrap().evidence, "院办〔2026〕45号");
    }

    #[test]
    fn overdue_is_past_due_and_not_done() {
        let due = date!(2026 - 12 - 06);
        assert!(measure_overdue(MeasureStatus::InProgress, due, TODAY));
        assert!(!measure_overdue(MeasureStatus::Done, due, TODAY));
        assert!(!measure_overdue(MeasureStatus::Planned, TODAY, TODAY), "due today is not late yet");
    }

    #[test]
    fn a_reply_needs_the_analysis_and_a_measure_and_none_after_acceptance() {
        assert!(check_reply(RectificationState::Issued, true, 1).is_ok());
        assert!(check_reply(RectificationState::Returned, true, 2).is_ok());
        let codes: Vec<&str> =
            check_reply(RectificationState::Issued, false, 0).unwrap_err().0.iter().map(|e| e.code).collect();
        assert_eq!(codes, ["no_analysis", "no_measures"]);
        assert_eq!(check_reply(RectificationState::Accepted, true, 1).unwrap_err().0[0].code, "closed");
        assert_eq!(check_reply(RectificationState::Replied, true, 1).unwrap_err().0[0].code, "closed");
    }

    #[test]
    fn an_institution_has_a_name_a_number_and_a_date_not_in_the_future() {
        let i = InstitutionInput {
            unit_id: "1".into(),
            name: "药品耗材采购回避制度".into(),
            doc_no: "院发〔2026〕12号".into(),
            issued_on: "2026-12-01".into(),
            rectification: String::new(),
        };
        assert!(i.parse(TODAY).is_ok());
        let later = InstitutionInput { issued_on: "2026-12-08".into(), ..i };
        assert_eq!(later.parse(TODAY).unwrap_err().0[0].code, "future");
    }

    #[test]
    fn files_come_from_the_unit_while_it_writes_and_from_the_committee_until_the_recheck() {
        use RectificationState::*;
        assert!(Issued.takes_files(true) && Returned.takes_files(true));
        assert!(!Replied.takes_files(true) && !Accepted.takes_files(true) && !Rechecked.takes_files(true));
        assert!(Replied.takes_files(false) && Accepted.takes_files(false));
        assert!(!Rechecked.takes_files(false));
    }
}
