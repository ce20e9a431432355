//! The lead lifecycle (design brief §3) as a state machine: which step may follow which,
//! which steps wait for approval, what a conclusion must record, and what must be done
//! before a lead is struck off (销号).

use serde::Serialize;

use crate::{FieldError, Invalid, labelled_enum, lead::LeadStatus, role::Role, text::Text};

labelled_enum!(
    Disposition {
        TalkInquiry = ("talk_inquiry", "谈话函询", "Talk or written inquiry"),
        PreliminaryVerification = ("preliminary_verification", "初步核实", "Preliminary verification"),
        Shelve = ("shelve", "暂存待查", "Shelve pending"),
        Settle = ("settle", "予以了结", "Settle"),
        FileCase = ("file_case", "立案审查调查", "File a case"),
    }
);

labelled_enum!(
    Finding {
        Confirmed = ("confirmed", "属实", "Confirmed"),
        PartlyConfirmed = ("partly_confirmed", "部分属实", "Partly confirmed"),
        Unfounded = ("unfounded", "查否（失实）", "Unfounded"),
        Unverifiable = ("unverifiable", "无法查实", "Cannot be verified"),
    }
);

labelled_enum!(
    Nature {
        Disciplinary = ("disciplinary", "违纪", "Breach of discipline"),
        Illegal = ("illegal", "违法", "Breach of law"),
        Criminal = ("criminal", "涉嫌犯罪", "Suspected crime"),
        NoViolation = ("no_violation", "不构成违纪违法", "No breach"),
    }
);

labelled_enum!(
    Sanction {
        Criticism = ("criticism", "批评教育", "Criticism and education"),
        Admonition = ("admonition", "诫勉", "Admonition"),
        PartyWarning = ("party_warning", "党纪警告", "Party warning"),
        PartySerious = ("party_serious", "党纪严重警告", "Serious Party warning"),
        PartyRemoval = ("party_removal", "撤销党内职务", "Removal from Party posts"),
        PartyProbation = ("party_probation", "留党察看", "Party probation"),
        PartyExpulsion = ("party_expulsion", "开除党籍", "Expulsion from the Party"),
        GovernmentSanction = ("government_sanction", "政务处分", "Government sanction"),
        OrganisationalMeasure = ("organisational_measure", "组织处理", "Organisational measure"),
        Prosecution = ("prosecution", "移送司法机关", "Referred for prosecution"),
    }
);

labelled_enum!(
    /// A step in the lifecycle.
    Step {
        Assess = ("assess", "研判", "Assess"),
        Dispose = ("dispose", "提出处置意见", "Dispose"),
        SecondInquiry = ("second_inquiry", "再次函询", "Second inquiry"),
        ToVerification = ("to_verification", "转初步核实", "Move to verification"),
        FileCase = ("file_case", "立案审查调查", "File a case"),
        Conclude = ("conclude", "办结", "Conclude"),
        StrikeOff = ("strike_off", "销号", "Strike off"),
        Transfer = ("transfer", "移交", "Transfer"),
        Escalate = ("escalate", "提级办理", "Escalate"),
        Merge = ("merge", "合并为重复件", "Merge as a repeat"),
        Reopen = ("reopen", "重新启动", "Reopen"),
    }
);

/// Where a step leads from `from`, or why it may not be taken.
pub fn target(from: LeadStatus, step: Step, disposition: Option<Disposition>) -> Result<LeadStatus, FieldError> {
    use LeadStatus as S;
    let to = match (step, from) {
        (Step::Assess, S::Registered) => Some(S::Assessed),
        (Step::Dispose, S::Assessed) => Some(match disposition {
            Some(Disposition::TalkInquiry) => S::TalkInquiry,
            Some(Disposition::PreliminaryVerification) => S::PreliminaryVerification,
            Some(Disposition::Shelve) => S::Shelved,
            Some(Disposition::Settle) => S::Settled,
            Some(Disposition::FileCase) => S::CaseFiled,
            None => {
                return Err(FieldError::new("disposition", "required", "请选择处置方式。", "Choose a disposition."));
            }
        }),
        (Step::SecondInquiry, S::TalkInquiry) => Some(S::TalkInquiry),
        (Step::ToVerification, S::TalkInquiry) => Some(S::PreliminaryVerification),
        (Step::FileCase, S::PreliminaryVerification) => Some(S::CaseFiled),
        (Step::Conclude, S::TalkInquiry | S::PreliminaryVerification | S::CaseFiled) => Some(S::Concluded),
        (Step::StrikeOff, S::Concluded | S::Settled) => Some(S::StruckOff),
        (Step::Transfer | Step::Escalate | Step::Merge, s) if s.is_open() => Some(match step {
            Step::Transfer => S::Transferred,
            Step::Escalate => S::EscalatedAway,
            _ => S::Merged,
        }),
        (Step::Reopen, S::Shelved | S::Settled | S::Concluded | S::StruckOff) => Some(S::Assessed),
        _ => None,
    };
    to.ok_or_else(|| {
        FieldError::new(
            "step",
            "not_allowed",
            format!("处于「{}」的线索不能进行「{}」。", from.zh(), step.zh()),
            format!("A lead that is {} cannot be {}d here.", from.en().to_lowercase(), step.en().to_lowercase()),
        )
    })
}

/// Steps that wait in an approver's queue (disposition, conclusion, escalation).
pub const fn needs_approval(step: Step) -> bool {
    matches!(step, Step::Dispose | Step::ToVerification | Step::FileCase | Step::Conclude | Step::Escalate)
}

/// Roles that may propose a step (within their scope).
pub const fn may_propose(role: Role, _step: Step) -> bool {
    matches!(role, Role::Inspector | Role::Supervisor)
}

/// Roles that approve steps waiting for approval (纪委书记/负责人).
pub const fn may_approve(role: Role) -> bool {
    matches!(role, Role::CommitteeHead)
}

/// Every step that may be taken from `from`, for offering them in the UI.
pub fn steps_from(from: LeadStatus) -> Vec<Step> {
    Step::ALL.iter().copied().filter(|s| target(from, *s, Some(Disposition::TalkInquiry)).is_ok()).collect()
}

/// The outcome for one subject at conclusion (per subject: nature, form, sanction).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct SubjectOutcome {
    pub ordinal: usize,
    pub nature: Nature,
    /// 四种形态, 1–4; required unless there was no breach.
    pub form: Option<u8>,
    pub sanction: Option<Sanction>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Conclusion {
    pub finding: Finding,
    pub outcomes: Vec<SubjectOutcome>,
}

/// A conclusion as submitted.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct ConclusionInput {
    pub finding: String,
    /// Per subject in order: (nature, form, sanction) codes.
    pub outcomes: Vec<(String, String, String)>,
}

impl ConclusionInput {
    pub fn parse(&self, subjects: usize) -> Result<Conclusion, Invalid> {
        let mut e = Invalid::default();
        let finding = e.take(Finding::parse("finding", &self.finding));
        let mut outcomes = Vec::new();
        for i in 0..subjects {
            let (nature, form, sanction) = self.outcomes.get(i).cloned().unwrap_or_default();
            let f = |name: &str| format!("outcomes[{i}].{name}");
            let Some(nature) = e.take(Nature::parse(&f("nature"), &nature)) else { continue };
            let form = match form.trim() {
                "" if nature == Nature::NoViolation => None,
                "" => {
                    e.push(FieldError::new(f("form"), "required", "请选择四种形态。", "Choose the form (1–4)."));
                    None
                }
                s => match s.parse::<u8>() {
                    Ok(n @ 1..=4) => Some(n),
                    _ => {
                        e.push(FieldError::new(
                            f("form"),
                            "out_of_range",
                            "四种形态为 1 至 4。",
                            "The form is 1 to 4.",
                        ));
                        None
                    }
                },
            };
            let sanction =
                if sanction.trim().is_empty() { None } else { e.take(Sanction::parse(&f("sanction"), &sanction)) };
            outcomes.push(SubjectOutcome { ordinal: i, nature, form, sanction });
        }
        let finding = finding.unwrap_or(Finding::Unverifiable);
        e.into_result(|| Conclusion { finding, outcomes })
    }
}

labelled_enum!(
    /// Why a lead is owned by a leadership member (seed 二(三)).
    KeyKind {
        Key = ("key", "重点案件", "Key case"),
        Difficult = ("difficult", "难点案件", "Difficult case"),
        Hot = ("hot", "焦点案件", "Case of public concern"),
    }
);

/// A collective study meeting (集体研判) as submitted: the leads discussed are given by
/// number, one per line, each followed by the decision after a colon.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct MeetingInput {
    pub held_on: String,
    pub title: String,
    pub attendees: String,
    pub items: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meeting {
    pub held_on: time::Date,
    pub title: String,
    pub attendees: String,
    /// (lead number, decision)
    pub items: Vec<(crate::lead_no::LeadNo, String)>,
}

impl MeetingInput {
    pub fn parse(&self, today: time::Date) -> Result<Meeting, Invalid> {
        let mut e = Invalid::default();
        let held_on = e.take(crate::dates::parse_date("held_on", &self.held_on).and_then(|d| {
            if d > today {
                Err(FieldError::new(
                    "held_on",
                    "future_date",
                    "会议日期不能晚于今天。",
                    "The meeting cannot be in the future.",
                ))
            } else {
                Ok(d)
            }
        }));
        let title = e.take(Text::<120>::parse("title", &self.title));
        let attendees = e.take(Text::<500>::parse("attendees", &self.attendees));
        let mut items = Vec::new();
        for (i, line) in self.items.lines().map(str::trim).filter(|l| !l.is_empty()).enumerate() {
            let (no, decision) = line.split_once(['：', ':']).unwrap_or((line, ""));
            match (crate::lead_no::LeadNo::parse(no.trim()), Text::<500>::parse("items", decision)) {
                (Some(no), Ok(d)) => items.push((no, d.into_string())),
                _ => e.push(FieldError::new(
                    "items",
                    "invalid_item",
                    format!("第 {} 行应为“线索编号：研判意见”。", i + 1),
                    format!("Line {} should read \"lead number: decision\".", i + 1),
                )),
            }
        }
        if items.is_empty() && e.is_empty() {
            e.push(FieldError::new(
                "items",
                "required",
                "请至少填写一件研判的线索。",
                "List at least one lead discussed.",
            ));
        }
        let (Some(held_on), Some(title), Some(attendees)) = (held_on, title, attendees) else { return Err(e) };
        e.into_result(|| Meeting { held_on, title: title.into_string(), attendees: attendees.into_string(), items })
    }
}

labelled_enum!(
    /// Follow-through after conclusion (not steps: they do not change the status).
    FollowUp {
        ResultFeedback = ("result_feedback", "向实名举报人反馈办理结果", "Result told to the signed reporter"),
        Clearing = ("clearing", "澄清正名", "Wrongly reported person cleared"),
        ClearingNotNeeded = ("clearing_not_needed", "经研究无需澄清", "Clearing found unnecessary"),
        Satisfaction = ("satisfaction", "满意度回访", "Satisfaction follow-up"),
        Rectification = ("rectification", "以案促改", "Case-driven reform"),
    }
);

/// What the rules require before a concluded lead is struck off.
pub struct StrikeOffFacts<'a> {
    pub signed_reporter: bool,
    pub finding: Option<Finding>,
    pub done: &'a [FollowUp],
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
    if f.finding == Some(Finding::Unfounded)
        && !f.done.iter().any(|d| matches!(d, FollowUp::Clearing | FollowUp::ClearingNotNeeded))
    {
        out.push(FieldError::new(
            "step",
            "clearing_missing",
            "查否的线索，须先作出澄清正名决定（澄清或经研究无需澄清），才能销号。",
            "Decide on clearing the reported person (cleared, or found unnecessary) before striking off.",
        ));
    }
    out
}

/// A note on a step: required, at most 1,000 characters.
pub fn parse_note(input: &str) -> Result<String, FieldError> {
    Text::<1000>::parse("note", input).map(Text::into_string)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lead::LeadStatus as S;

    #[test]
    fn the_transitions_table() {
        let t = |from, step, d| target(from, step, d).ok();
        assert_eq!(t(S::Registered, Step::Assess, None), Some(S::Assessed));
        for (d, to) in [
            (Disposition::TalkInquiry, S::TalkInquiry),
            (Disposition::PreliminaryVerification, S::PreliminaryVerification),
            (Disposition::Shelve, S::Shelved),
            (Disposition::Settle, S::Settled),
            (Disposition::FileCase, S::CaseFiled),
        ] {
            assert_eq!(t(S::Assessed, Step::Dispose, Some(d)), Some(to));
        }
        assert_eq!(t(S::TalkInquiry, Step::SecondInquiry, None), Some(S::TalkInquiry), "函询 may loop");
        assert_eq!(t(S::TalkInquiry, Step::ToVerification, None), Some(S::PreliminaryVerification));
        assert_eq!(t(S::PreliminaryVerification, Step::FileCase, None), Some(S::CaseFiled));
        for from in [S::TalkInquiry, S::PreliminaryVerification, S::CaseFiled] {
            assert_eq!(t(from, Step::Conclude, None), Some(S::Concluded));
        }
        assert_eq!(t(S::Concluded, Step::StrikeOff, None), Some(S::StruckOff));
        assert_eq!(t(S::Settled, Step::StrikeOff, None), Some(S::StruckOff));
        assert_eq!(t(S::Shelved, Step::Reopen, None), Some(S::Assessed), "new material for 暂存待查");
        assert_eq!(t(S::StruckOff, Step::Reopen, None), Some(S::Assessed), "after review");
    }

    #[test]
    fn forbidden_steps_say_why() {
        let e = target(S::Registered, Step::Conclude, None).unwrap_err();
        assert_eq!(e.code, "not_allowed");
        assert!(e.message_zh.contains("已登记") && e.message_zh.contains("办结"));
        assert!(target(S::Assessed, Step::Dispose, None).is_err(), "a disposition must be chosen");
        assert!(target(S::Registered, Step::Dispose, Some(Disposition::Settle)).is_err(), "assess first");
        assert!(target(S::Shelved, Step::Conclude, None).is_err());
        assert!(target(S::TalkInquiry, Step::StrikeOff, None).is_err(), "conclude first");
    }

    #[test]
    fn every_status_and_step_combination_is_decided() {
        let mut allowed = 0;
        for from in S::ALL {
            for step in Step::ALL {
                if target(*from, *step, Some(Disposition::TalkInquiry)).is_ok() {
                    allowed += 1;
                    assert!(from.is_open() || matches!(step, Step::StrikeOff | Step::Reopen), "{from} {step}");
                }
            }
        }
        // 1 assess + 1 dispose + 2 talk-inquiry steps + 1 file case + 3 conclude + 2 strike off
        // + 4 reopen + 3 side exits × 6 open states.
        assert_eq!(allowed, 1 + 1 + 2 + 1 + 3 + 2 + 4 + 18);
    }

    #[test]
    fn side_exits_from_any_open_state_only() {
        for from in S::ALL {
            for step in [Step::Transfer, Step::Escalate, Step::Merge] {
                assert_eq!(target(*from, step, None).is_ok(), from.is_open(), "{from} {step}");
            }
        }
    }

    #[test]
    fn approvals() {
        for s in [Step::Dispose, Step::ToVerification, Step::FileCase, Step::Conclude, Step::Escalate] {
            assert!(needs_approval(s));
        }
        for s in [Step::Assess, Step::SecondInquiry, Step::StrikeOff, Step::Transfer, Step::Merge, Step::Reopen] {
            assert!(!needs_approval(s));
        }
        assert!(may_approve(Role::CommitteeHead) && !may_approve(Role::Inspector));
        assert!(may_propose(Role::Inspector, Step::Assess) && !may_propose(Role::UnitHead, Step::Assess));
    }

    #[test]
    fn conclusions_need_a_finding_and_per_subject_outcomes() {
        let c = ConclusionInput::default().parse(1).unwrap_err();
        let fields: Vec<_> = c.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["finding", "outcomes[0].nature"]);
        let ok = ConclusionInput {
            finding: "confirmed".into(),
            outcomes: vec![
                ("disciplinary".into(), "2".into(), "party_warning".into()),
                ("no_violation".into(), "".into(), "".into()),
            ],
        }
        .parse(2)
        .unwrap();
        assert_eq!(ok.outcomes[0].form, Some(2));
        assert_eq!(ok.outcomes[1].form, None);
        let bad =
            ConclusionInput { finding: "confirmed".into(), outcomes: vec![("illegal".into(), "5".into(), "".into())] };
        assert_eq!(bad.parse(1).unwrap_err().0[0].code, "out_of_range");
        let missing =
            ConclusionInput { finding: "confirmed".into(), outcomes: vec![("illegal".into(), "".into(), "".into())] };
        assert_eq!(missing.parse(1).unwrap_err().0[0].code, "required");
    }

    #[test]
    fn meetings_list_leads_with_decisions() {
        let today = time::macros::date!(2019 - 11 - 28);
        let m = MeetingInput {
            held_on: "2019-11-20".into(),
            title: "第三次集体研判会".into(),
            attendees: "钱某、周某某、李某".into(),
            items: "ZWJ-2019-0001：初步核实\nYYA-2019-0002: 谈话函询\n".into(),
        }
        .parse(today)
        .unwrap();
        assert_eq!(m.items.len(), 2);
        assert_eq!(m.items[1].1, "谈话函询");
        let bad = MeetingInput { held_on: "2019-12-01".into(), items: "not a number：x".into(), ..Default::default() };
        let codes: Vec<_> = bad.parse(today).unwrap_err().0.iter().map(|e| e.code).collect();
        assert!(codes.contains(&"future_date") && codes.contains(&"invalid_item"), "{codes:?}");
    }

    #[test]
    fn strike_off_waits_for_follow_through() {
        let f = |signed, finding, done: &[FollowUp]| {
            strike_off_blockers(&StrikeOffFacts { signed_reporter: signed, finding, done })
                .iter()
                .map(|e| e.code)
                .collect::<Vec<_>>()
        };
        assert_eq!(f(true, Some(Finding::Confirmed), &[]), ["feedback_missing"]);
        assert!(f(true, Some(Finding::Confirmed), &[FollowUp::ResultFeedback]).is_empty());
        assert_eq!(f(false, Some(Finding::Unfounded), &[]), ["clearing_missing"]);
        assert!(f(false, Some(Finding::Unfounded), &[FollowUp::ClearingNotNeeded]).is_empty());
        assert_eq!(f(true, Some(Finding::Unfounded), &[FollowUp::Clearing]), ["feedback_missing"]);
        assert!(f(false, None, &[]).is_empty(), "a settled anonymous lead needs nothing more");
    }
}
