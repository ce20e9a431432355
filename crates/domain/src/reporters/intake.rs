//! A report filed on the public portal (网上举报) and its way through the committee's intake
//! (信访受理): registered as a lead, routed to a unit, or not accepted with a reason the
//! reporter reads. What the reporter sees of it is only its status, never internal notes.

use serde::{Deserialize, Serialize};

use crate::{
    FieldError, Invalid, labelled_enum,
    ledger::lead::LeadStatus,
    reporters::{Reporter, ReporterInput, ReporterKind},
    text::Prose,
};

/// A passphrase is the reporter's own: long enough not to be guessed with the code.
pub const PASSPHRASE_MIN: usize = 8;
pub const PASSPHRASE_MAX: usize = 128;
/// Messages a reporter may send on one report (a flood of them is refused, not stored).
pub const MESSAGES_MAX: usize = 200;

/// The report exactly as the form sent it.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct PortalReportInput {
    /// signed or anonymous.
    pub kind: String,
    /// A signed reporter's name and contact (sealed; never shown to the handlers).
    pub name: String,
    pub contact: String,
    /// About whom: name, unit, post.
    pub about_name: String,
    pub about_unit: String,
    pub about_post: String,
    /// What happened.
    pub what: String,
    /// When and where, as the reporter puts it.
    pub when: String,
    pub place: String,
    /// Evidence the reporter has or can point to.
    pub evidence: String,
    pub passphrase: String,
    pub passphrase_again: String,
    /// The reporter read the notice on false accusation ("on").
    pub acknowledged: String,
}

/// A report as filed: what is sealed and kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortalReport {
    pub about_name: String,
    pub about_unit: String,
    pub about_post: String,
    pub what: String,
    pub when: String,
    pub place: String,
    pub evidence: String,
}

impl PortalReport {
    /// The summary a lead registered from it starts with.
    pub fn summary(&self) -> String {
        let mut s = self.what.clone();
        for (zh, v) in [("时间", &self.when), ("地点", &self.place), ("证据", &self.evidence)] {
            if !v.is_empty() {
                s.push_str(&format!("\n{zh}：{v}"));
            }
        }
        s
    }
}

/// The report and the reporter's identity, checked; the passphrase apart (only its hash is kept).
#[derive(Debug, Clone)]
pub struct Filed {
    pub report: PortalReport,
    pub reporter: Reporter,
    pub passphrase: String,
}

fn text<const MAX: usize>(e: &mut Invalid, field: &str, v: &str) -> String {
    e.take(crate::text::Text::<MAX>::parse_optional(field, v)).flatten().map(|t| t.into_string()).unwrap_or_default()
}

impl PortalReportInput {
    pub fn parse(&self) -> Result<Filed, Invalid> {
        let mut e = Invalid::default();
        let kind = if self.kind.trim().is_empty() { "anonymous" } else { self.kind.as_str() };
        let reporter = ReporterInput { kind: kind.into(), name: self.name.clone(), contact: self.contact.clone() }
            .parse(&mut e, false);
        if let Some(r) = &reporter
            && r.kind == ReporterKind::Signed
            && r.contact.is_none()
        {
            e.push(FieldError::new(
                "reporter.contact",
                "required",
                "实名举报请留下联系方式，以便告知受理和办理结果。",
                "A signed report needs a contact, to be told of acceptance and the result.",
            ));
        }
        let what = e.take(Prose::<4000>::parse("what", &self.what).and_then(|w| {
            if w.as_str().chars().count() < 10 {
                Err(FieldError::new(
                    "what",
                    "too_short",
                    "请具体写明反映的问题（至少10个字）。",
                    "Say what happened (at least 10 characters).",
                ))
            } else {
                Ok(w)
            }
        }));
        let about_name = text::<60>(&mut e, "about_name", &self.about_name);
        let about_unit = text::<120>(&mut e, "about_unit", &self.about_unit);
        let about_post = text::<60>(&mut e, "about_post", &self.about_post);
        let when = text::<120>(&mut e, "when", &self.when);
        let place = text::<120>(&mut e, "place", &self.place);
        let evidence = text::<2000>(&mut e, "evidence", &self.evidence);
        let n = self.passphrase.chars().count();
        if !(PASSPHRASE_MIN..=PASSPHRASE_MAX).contains(&n) {
            e.push(FieldError::new(
                "passphrase",
                "passphrase_length",
                format!("查询密码须为{PASSPHRASE_MIN}至{PASSPHRASE_MAX}个字符。"),
                format!("The passphrase is {PASSPHRASE_MIN} to {PASSPHRASE_MAX} characters."),
            ));
        } else if self.passphrase != self.passphrase_again {
            e.push(FieldError::new(
                "passphrase_again",
                "mismatch",
                "两次输入的查询密码不一致。",
                "The two passphrases differ.",
            ));
        }
        if !matches!(self.acknowledged.trim(), "on" | "true" | "1") {
            e.push(FieldError::new(
                "acknowledged",
                "required",
                "请确认已阅读关于如实举报、诬告陷害须承担责任的告知。",
                "Confirm you have read the notice on honest reporting and false accusation.",
            ));
        }
        match (reporter, what) {
            (Some(reporter), Some(what)) if e.is_empty() => Ok(Filed {
                report: PortalReport {
                    about_name,
                    about_unit,
                    about_post,
                    what: what.into_string(),
                    when,
                    place,
                    evidence,
                },
                reporter,
                passphrase: self.passphrase.clone(),
            }),
            _ => Err(e),
        }
    }
}

labelled_enum!(
    /// Where a portal report stands in the committee's intake.
    IntakeState {
        Submitted = ("submitted", "待受理", "Awaiting intake"),
        Routed = ("routed", "已转办单位", "Routed to a unit"),
        Registered = ("registered", "已登记为线索", "Registered as a lead"),
        NotAccepted = ("not_accepted", "不予受理", "Not accepted"),
    }
);

impl IntakeState {
    /// Still to be decided: registered, or not accepted, by the committee or the unit.
    pub const fn is_open(self) -> bool {
        matches!(self, IntakeState::Submitted | IntakeState::Routed)
    }
}

labelled_enum!(
    /// What the reporter sees: never more than this.
    PortalStatus {
        Submitted = ("submitted", "已提交，待受理", "Submitted, awaiting intake"),
        Accepted = ("accepted", "已受理", "Accepted"),
        InProgress = ("in_progress", "办理中", "Being handled"),
        Concluded = ("concluded", "已办结", "Concluded"),
        NotAccepted = ("not_accepted", "不予受理", "Not accepted"),
    }
);

/// The reporter's status from the intake and, once registered, the lead's.
pub fn portal_status(state: IntakeState, lead: Option<LeadStatus>) -> PortalStatus {
    match (state, lead) {
        (IntakeState::NotAccepted, _) => PortalStatus::NotAccepted,
        (IntakeState::Registered, Some(s)) => match s {
            LeadStatus::Registered | LeadStatus::Assessed => PortalStatus::Accepted,
            LeadStatus::Concluded | LeadStatus::Settled | LeadStatus::StruckOff | LeadStatus::Transferred => {
                PortalStatus::Concluded
            }
            _ => PortalStatus::InProgress,
        },
        _ => PortalStatus::Submitted,
    }
}

/// The reason a report is not accepted, which the reporter reads.
pub fn not_accepted_reason(input: &str) -> Result<Prose<1000>, FieldError> {
    Prose::parse("reason", input)
}

/// A message on a report, from the reporter or the handlers.
pub fn message(input: &str) -> Result<Prose<2000>, FieldError> {
    Prose::parse("text", input)
}

/// Whether the reporter may send another message.
pub fn may_send(sent: usize) -> Result<(), FieldError> {
    if sent >= MESSAGES_MAX {
        Err(FieldError::new(
            "text",
            "too_many",
            format!("每件举报最多发送{MESSAGES_MAX}条留言，请等待答复。"),
            format!("At most {MESSAGES_MAX} messages a report; wait for an answer."),
        ))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filled() -> PortalReportInput {
        PortalReportInput {
            about_name: "某科长".into(),
            about_unit: "某医院".into(),
            what: "收受医药代表回扣，每月数千元".into(),
            passphrase: "我的查询密码2026".into(),
            passphrase_again: "我的查询密码2026".into(),
            acknowledged: "on".into(),
            ..Default::default()
        }
    }

    fn codes(r: Result<Filed, Invalid>) -> Vec<&'static str> {
        r.err().map(|e| e.0.into_iter().map(|f| f.code).collect()).unwrap_or_default()
    }

    #[test]
    fn a_report_says_what_happened_and_the_reporter_keeps_a_passphrase() {
        let f = filled().parse().unwrap();
        assert_eq!(f.reporter.kind, ReporterKind::Anonymous, "anonymous unless signed");
        assert!(f.report.summary().starts_with("收受医药代表回扣"));
        let empty = PortalReportInput::default();
        assert_eq!(codes(empty.parse()), ["required", "passphrase_length", "required"]);
        let mut short = filled();
        short.what = "有问题".into();
        assert_eq!(codes(short.parse()), ["too_short"]);
        let mut differ = filled();
        differ.passphrase_again = "另一个密码xx".into();
        assert_eq!(codes(differ.parse()), ["mismatch"]);
        let mut signed = filled();
        signed.kind = "signed".into();
        signed.name = "王某".into();
        assert_eq!(codes(signed.parse()), ["required"], "a signed reporter leaves a contact");
        signed.contact = "13900001111".into();
        assert_eq!(signed.parse().unwrap().reporter.kind, ReporterKind::Signed);
    }

    #[test]
    fn html_is_kept_as_text() {
        let mut f = filled();
        f.what = "<script>alert(1)</script> 收受回扣的问题".into();
        assert_eq!(f.parse().unwrap().report.what, "<script>alert(1)</script> 收受回扣的问题");
    }

    #[test]
    fn the_reporter_sees_only_the_status() {
        use IntakeState as I;
        assert_eq!(portal_status(I::Submitted, None), PortalStatus::Submitted);
        assert_eq!(portal_status(I::Routed, None), PortalStatus::Submitted);
        assert_eq!(portal_status(I::NotAccepted, None), PortalStatus::NotAccepted);
        assert_eq!(portal_status(I::Registered, Some(LeadStatus::Assessed)), PortalStatus::Accepted);
        assert_eq!(portal_status(I::Registered, Some(LeadStatus::TalkInquiry)), PortalStatus::InProgress);
        assert_eq!(portal_status(I::Registered, Some(LeadStatus::StruckOff)), PortalStatus::Concluded);
        assert!(may_send(MESSAGES_MAX - 1).is_ok());
        assert_eq!(may_send(MESSAGES_MAX).unwrap_err().code, "too_many");
    }
}
