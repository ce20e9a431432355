//! The lead's timeline (全程留痕), typed: what kind of entry, in which state, and the facts the
//! system records with it. Entries are stored as stable codes plus a JSON payload; the words
//! a reader sees are made here, in the reader's language, from those codes. The only free
//! text an entry keeps is what a person wrote (a step's note, a reason, a decision).

use serde::{Deserialize, Serialize};
use time::Date;

use crate::{
    LeadId, UnitId,
    dates::format_date,
    labelled_enum,
    ledger::lead::HandlingMode,
    lifecycle::{conclusion::Conclusion, follow_up::FollowUp, step::Step},
    supervision::ownership::KeyKind,
};

labelled_enum!(
    /// Where an entry stands: a proposal waiting for approval, done, or refused.
    EventState {
        Pending = ("pending", "待审批", "Awaiting approval"),
        Done = ("done", "已完成", "Done"),
        Rejected = ("rejected", "未同意", "Refused"),
    }
);

labelled_enum!(
    /// Timeline entries that are neither steps nor follow-through.
    Activity {
        ExtensionRequested = ("extension_requested", "申请延期", "Extension requested"),
        ExtensionSigned = ("extension_signed", "单位主要负责人签字", "Extension signed by the unit head"),
        ExtensionReturned = ("extension_returned", "单位主要负责人退回延期申请", "Extension returned by the unit head"),
        ExtensionFiled = ("extension_filed", "报委直属机关纪委备案", "Extension filed with the committee"),
        ExtensionApproved = ("extension_approved", "纪委书记同意延期", "Extension approved by the committee head"),
        ExtensionRejected = ("extension_rejected", "纪委书记未同意延期", "Extension refused by the committee head"),
        Ownership = ("ownership", "包案", "Leadership ownership"),
        Visit = ("visit", "包案领导指导", "Owning leader's visit"),
        Meeting = ("meeting", "集体研判", "Collective study"),
        SignOff = ("sign_off", "包案领导签署", "Owning leader's sign-off"),
        Jurisdiction = ("jurisdiction", "管辖变更", "Jurisdiction"),
        Order = ("order", "挂牌督办", "Listed for supervision"),
        Report = ("report", "督办报告", "Report on an order"),
        Assignment = ("assignment", "分办", "Handlers assigned"),
        TransferReceipt = ("transfer_receipt", "移交回执", "Receipt of a transfer"),
        Inquiry = ("inquiry_event", "谈话函询进展", "Talk or inquiry"),
        Clock = ("clock", "期限", "Clock"),
        Imported = ("imported", "从台账导入", "Imported from a spreadsheet ledger"),
        RepeatCheck = ("repeat_check", "重复件比对", "Check for repeat reports"),
        Review = ("review", "查否复审复核", "Review of an unfounded closure"),
        Endorsement = ("endorsement", "查否背书", "Endorsement of an unfounded finding"),
        Rectification = ("rectification_stage", "以案促改进展", "Rectification progress"),
        Clearing = ("clearing_stage", "澄清正名进展", "Clearing progress"),
        FalseAccusation = ("false_accusation", "诬告陷害", "False accusation"),
        Objection = ("objection", "举报人异议", "Reporter's objection"),
        EarlyWarning = ("early_warning", "抓早抓小：由苗头性问题发展而来", "Grew from an early warning"),
    }
);

/// What kind of entry: a lifecycle step, follow-through, or another activity. Stored as the
/// code of the step, follow-through or activity (the three sets of codes are disjoint).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventKind {
    Step(Step),
    FollowUp(FollowUp),
    Activity(Activity),
}

impl EventKind {
    pub const fn code(self) -> &'static str {
        match self {
            EventKind::Step(s) => s.code(),
            EventKind::FollowUp(f) => f.code(),
            EventKind::Activity(a) => a.code(),
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Step::from_code(code)
            .map(EventKind::Step)
            .or_else(|| FollowUp::from_code(code).map(EventKind::FollowUp))
            .or_else(|| Activity::from_code(code).map(EventKind::Activity))
    }

    pub fn label(self, english: bool) -> &'static str {
        match self {
            EventKind::Step(s) => s.label(english),
            EventKind::FollowUp(f) => f.label(english),
            EventKind::Activity(a) => a.label(english),
        }
    }

    pub const fn step(self) -> Option<Step> {
        match self {
            EventKind::Step(s) => Some(s),
            _ => None,
        }
    }
}

impl Serialize for EventKind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

/// Every step, follow-through and activity code.
impl utoipa::PartialSchema for EventKind {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        let codes = Step::ALL
            .iter()
            .map(|s| s.code())
            .chain(FollowUp::ALL.iter().map(|f| f.code()))
            .chain(Activity::ALL.iter().map(|a| a.code()));
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .enum_values(Some(codes))
            .description(Some("A step (see Step), a follow-through (FollowUp) or another activity (Activity)"))
            .into()
    }
}

impl utoipa::ToSchema for EventKind {}

impl<'de> Deserialize<'de> for EventKind {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str> as Deserialize>::deserialize(d)?;
        Self::from_code(&s).ok_or_else(|| serde::de::Error::custom(format!("unknown event kind {s:?}")))
    }
}

labelled_enum!(
    /// The stages of a report on a follow-up order (回告): first, progress (any number), final.
    ReportStage {
        First = ("first", "首次报告", "First report"),
        Progress = ("progress", "进展报告", "Progress report"),
        Final = ("final", "办结报告", "Final report"),
    }
);

/// The facts the system records with an entry, beyond its kind, state and a person's note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Payload {
    /// A conclusion as proposed (and applied once approved).
    Conclusion(Conclusion),
    /// 移交: the body that receives the lead.
    Transfer {
        receiving_body: String,
    },
    /// 合并: the earlier lead this one repeats.
    Merge {
        original: LeadId,
        number: String,
    },
    /// A disposition decided at a collective study meeting.
    CitesMeeting {
        meeting: Option<i64>,
        held_on: Option<Date>,
        title: String,
        decision: String,
    },
    /// 提级办理 proposed: the body it would go to.
    Escalation {
        to_unit: Option<UnitId>,
        from_name: String,
        to_name: String,
    },
    /// Jurisdiction moved (提级办理 approved, 指定管辖).
    Moved {
        mode: HandlingMode,
        from_name: String,
        to_name: String,
    },
    ExtensionRequested {
        extension: Option<i64>,
        days: u32,
    },
    ExtensionSigned {
        extension: Option<i64>,
        signature: String,
    },
    ExtensionDecided {
        extension: Option<i64>,
        old_deadline: Option<Date>,
        new_deadline: Option<Date>,
    },
    Ownership {
        kind: KeyKind,
        leader: String,
    },
    Visit {
        on: Date,
        place: String,
    },
    Meeting {
        meeting: Option<i64>,
        held_on: Date,
        title: String,
        attendees: String,
    },
    Order {
        order: Option<i64>,
        reply_due: Date,
    },
    Report {
        order: Option<i64>,
        stage: ReportStage,
    },
    Handlers {
        names: Vec<String>,
    },
    /// The receiving body's receipt of a transfer, and the day it was received.
    TransferReceipt {
        received_on: Date,
    },
    /// A clock a step started or moved: the stage clock (old deadline → new) or a side clock
    /// (no old deadline), with the rule and the day it counts from.
    Clock {
        rule: crate::lifecycle::deadline::RuleCode,
        old_deadline: Option<Date>,
        new_deadline: Date,
        started: Date,
    },
    /// A deadline typed in by the keeper on an edit (no rule: the keeper's own), old → new.
    DeadlineSet {
        old_deadline: Date,
        new_deadline: Date,
    },
    /// A provisional deadline recomputed once its year's work calendar was loaded, old → new.
    Recomputed {
        rule: crate::lifecycle::deadline::RuleCode,
        old_deadline: Date,
        new_deadline: Date,
    },
    /// Imported from a unit's spreadsheet ledger: the file and the row it came from, and
    /// where the sheet said it stood.
    Imported {
        file: String,
        row: u32,
        status: crate::ledger::lead::LeadStatus,
    },
    /// The earlier leads a new report may repeat, as put before the person registering it,
    /// and what they decided; `unfounded` are those of them closed as 查否 (for re-review).
    RepeatCheck {
        outcome: crate::ledger::repeats::RepeatOutcome,
        candidates: Vec<String>,
        unfounded: Vec<String>,
    },
    /// The closure entered the review queue, and why.
    ReviewQueued {
        review: Option<i64>,
        reasons: Vec<crate::oversight::review::ReviewReason>,
    },
    /// The review's result; a returned lead reopens with a resubmission deadline.
    ReviewDecided {
        review: Option<i64>,
        result: crate::oversight::reviewing::ReviewResult,
        resubmit_due: Option<Date>,
    },
    /// A rectification's letter, reply, decision or re-check: where it stands now.
    Rectification {
        rectification: Option<i64>,
        number: String,
        state: crate::oversight::rectification::RectificationState,
    },
    /// A clearing of a person proposed, approved or refused.
    ClearingStage {
        clearing: Option<i64>,
        person: String,
        state: crate::oversight::clearing::ClearingState,
    },
    /// The lead is a deliberate false accusation. The lead opened on the accuser is not named
    /// here: it would tell every reader of this lead who reported it.
    FalseAccusation,
    /// Whoever proposed a 查否 conclusion signed for it: the hash of what they concluded.
    Endorsed {
        hash: String,
    },
    /// A talk held, a letter sent or a reply received, and the clock it restarted.
    Inquiry {
        event: crate::lifecycle::inquiry::InquiryEvent,
        on: Date,
        old_deadline: Date,
        new_deadline: Date,
        rule: crate::lifecycle::deadline::RuleCode,
    },
}

impl Payload {
    /// What the system says of this entry, in the reader's language (empty when the kind's
    /// label says it all).
    pub fn describe(&self, english: bool) -> String {
        let d = |x: &Date| format_date(*x);
        match (self, english) {
            (Payload::Conclusion(c), false) => format!("办结结果：{}", c.finding.zh()),
            (Payload::Conclusion(c), true) => format!("Finding: {}", c.finding.en()),
            (Payload::Transfer { receiving_body }, false) => format!("移交至 {receiving_body}"),
            (Payload::Transfer { receiving_body }, true) => format!("To {receiving_body}"),
            (Payload::Clock { rule, old_deadline: Some(old), new_deadline, started }, false) => {
                format!("{}：期限 {} → {}（自 {} 起算）", rule.zh(), d(old), d(new_deadline), d(started))
            }
            (Payload::Clock { rule, old_deadline: Some(old), new_deadline, started }, true) => {
                format!("{}: deadline {} → {} (counted from {})", rule.en(), d(old), d(new_deadline), d(started))
            }
            (Payload::Clock { rule, old_deadline: None, new_deadline, started }, false) => {
                format!("{}：自 {} 起算，{} 前完成", rule.zh(), d(started), d(new_deadline))
            }
            (Payload::Clock { rule, old_deadline: None, new_deadline, started }, true) => {
                format!("{}: from {}, due {}", rule.en(), d(started), d(new_deadline))
            }
            (Payload::Inquiry { event, on, old_deadline, new_deadline, rule }, en) => format!(
                "{} {}{}{} {} → {}（{}）",
                event.label(en),
                d(on),
                if en { "; " } else { "；" },
                if en { "deadline" } else { "期限" },
                d(old_deadline),
                d(new_deadline),
                rule.label(en)
            ),
            (Payload::Recomputed { rule, old_deadline, new_deadline }, false) => {
                format!("{}：期限 {} → {}（按新导入的工作日历重新计算）", rule.zh(), d(old_deadline), d(new_deadline))
            }
            (Payload::Recomputed { rule, old_deadline, new_deadline }, true) => format!(
                "{}: deadline {} → {} (recomputed on the newly loaded work calendar)",
                rule.en(),
                d(old_deadline),
                d(new_deadline)
            ),
            (Payload::DeadlineSet { old_deadline, new_deadline }, false) => {
                format!("环节期限 {} → {}（修改线索时填写）", d(old_deadline), d(new_deadline))
            }
            (Payload::DeadlineSet { old_deadline, new_deadline }, true) => {
                format!("Stage deadline {} → {} (typed in on an edit)", d(old_deadline), d(new_deadline))
            }
            (Payload::TransferReceipt { received_on }, false) => format!("接收单位 {} 签收", d(received_on)),
            (Payload::TransferReceipt { received_on }, true) => {
                format!("Received by the receiving body on {}", d(received_on))
            }
            (Payload::RepeatCheck { outcome, candidates, unfounded }, en) => {
                let sep = if en { ", " } else { "、" };
                let mut out = match (candidates.is_empty(), en) {
                    // The earlier leads are out of the reader's sight: only the decision shows.
                    (true, false) => format!("与已登记线索比对：{}", outcome.zh()),
                    (true, true) => format!("Compared with leads already registered: {}", outcome.en()),
                    (false, false) => format!("可能重复的线索 {}：{}", candidates.join(sep), outcome.zh()),
                    (false, true) => format!("Possible repeat of {}: {}", candidates.join(sep), outcome.en()),
                };
                if !unfounded.is_empty() {
                    out += &if en {
                        format!("; {} closed as unfounded, listed for re-review", unfounded.join(sep))
                    } else {
                        format!("；其中 {} 已查否办结，列入复审复核", unfounded.join(sep))
                    };
                }
                out
            }
            (Payload::ReviewQueued { reasons, .. }, en) => {
                let why: Vec<&str> = reasons.iter().map(|r| r.label(en)).collect();
                if en {
                    format!("Listed for re-review: {}", why.join(", "))
                } else {
                    format!("列入查否复审复核：{}", why.join("、"))
                }
            }
            (Payload::ReviewDecided { result, resubmit_due: Some(due), .. }, false) => {
                format!("复审结论：{}，{} 前重新报结", result.zh(), d(due))
            }
            (Payload::ReviewDecided { result, resubmit_due: Some(due), .. }, true) => {
                format!("Review: {}; resubmit by {}", result.en(), d(due))
            }
            (Payload::ReviewDecided { result, .. }, false) => format!("复审结论：{}", result.zh()),
            (Payload::ReviewDecided { result, .. }, true) => format!("Review: {}", result.en()),
            (Payload::Rectification { number, state, .. }, en) => {
                format!("{number}{}{}", if en { ": " } else { "：" }, state.label(en))
            }
            (Payload::ClearingStage { person, state, .. }, en) => {
                format!("{person}{}{}", if en { ": " } else { "：" }, state.label(en))
            }
            (Payload::FalseAccusation, false) => "经查系诬告陷害，已对诬告者另行登记".to_owned(),
            (Payload::FalseAccusation, true) => {
                "Found a false accusation; the accuser is dealt with separately".to_owned()
            }
            (Payload::Endorsed { hash }, false) => format!("办结人对查否结论签字背书，摘要 {}", short(hash)),
            (Payload::Endorsed { hash }, true) => {
                format!("The closer endorsed the unfounded finding, digest {}", short(hash))
            }
            (Payload::Merge { number, .. }, false) => format!("并入原线索 {number}"),
            (Payload::Merge { number, .. }, true) => format!("Merged into the earlier lead {number}"),
            (Payload::CitesMeeting { held_on, title, decision, .. }, false) => {
                format!("依据 {}「{title}」：{decision}", held_on.as_ref().map(d).unwrap_or_default())
            }
            (Payload::CitesMeeting { held_on, title, decision, .. }, true) => {
                format!("As decided at \"{title}\" {}: {decision}", held_on.as_ref().map(d).unwrap_or_default())
            }
            (Payload::Escalation { from_name, to_name, .. }, false) => format!("提级办理：{from_name} → {to_name}"),
            (Payload::Escalation { from_name, to_name, .. }, true) => format!("Escalation: {from_name} → {to_name}"),
            (Payload::Moved { mode, from_name, to_name }, en) => {
                format!("{}{}{from_name} → {to_name}", mode.label(en), if en { ": " } else { "：" })
            }
            (Payload::ExtensionRequested { days, .. }, false) => format!("申请延期 {days} 天"),
            (Payload::ExtensionRequested { days, .. }, true) => format!("{days} more days requested"),
            (Payload::ExtensionSigned { signature, .. }, false) => format!("签名摘要 {}", short(signature)),
            (Payload::ExtensionSigned { signature, .. }, true) => format!("signature digest {}", short(signature)),
            (Payload::ExtensionDecided { old_deadline: Some(a), new_deadline: Some(b), .. }, false) => {
                format!("延期：环节期限 {} → {}", d(a), d(b))
            }
            (Payload::ExtensionDecided { old_deadline: Some(a), new_deadline: Some(b), .. }, true) => {
                format!("extension: stage deadline {} → {}", d(a), d(b))
            }
            (Payload::ExtensionDecided { .. }, _) => String::new(),
            (Payload::Ownership { kind, leader }, false) => format!("{}，包案领导：{leader}", kind.zh()),
            (Payload::Ownership { kind, leader }, true) => format!("{}, owned by {leader}", kind.en()),
            (Payload::Visit { on, place }, _) => format!("{} {place}", d(on)),
            (Payload::Meeting { held_on, title, attendees, .. }, false) => {
                format!("{}「{title}」（{attendees}）", d(held_on))
            }
            (Payload::Meeting { held_on, title, attendees, .. }, true) => {
                format!("{} \"{title}\" ({attendees})", d(held_on))
            }
            (Payload::Order { reply_due, .. }, false) => format!("{} 前回复", d(reply_due)),
            (Payload::Order { reply_due, .. }, true) => format!("reply by {}", d(reply_due)),
            (Payload::Report { stage, .. }, en) => stage.label(en).to_owned(),
            (Payload::Imported { file, row, status }, false) => {
                format!("自「{file}」第 {row} 行导入，台账所列办理情况：{}", status.zh())
            }
            (Payload::Imported { file, row, status }, true) => {
                format!("Imported from \"{file}\", row {row}; the sheet's progress: {}", status.en())
            }
            (Payload::Handlers { names }, false) => format!("承办人：{}", names.join("、")),
            (Payload::Handlers { names }, true) => format!("Handlers: {}", names.join(", ")),
        }
    }
}

/// The first 16 characters of a hash: enough to tell signatures apart when reading.
fn short(hash: &str) -> &str {
    hash.get(..16).unwrap_or(hash)
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;
    use crate::lifecycle::conclusion::Finding;

    #[test]
    fn kinds_round_trip_through_their_codes_and_the_three_sets_are_disjoint() {
        let mut seen = std::collections::HashSet::new();
        let all = Step::ALL
            .iter()
            .map(|s| EventKind::Step(*s))
            .chain(FollowUp::ALL.iter().map(|f| EventKind::FollowUp(*f)))
            .chain(Activity::ALL.iter().map(|a| EventKind::Activity(*a)));
        for k in all {
            assert!(seen.insert(k.code()), "code {} used twice", k.code());
            assert_eq!(EventKind::from_code(k.code()), Some(k));
        }
        assert_eq!(EventKind::from_code("extension"), None, "the old catch-all kind is gone");
    }

    #[test]
    fn payloads_are_stable_json_and_speak_both_languages() {
        let p = Payload::ExtensionRequested { extension: Some(7), days: 20 };
        let json = serde_json::to_string(&p).unwrap();
        assert_eq!(json, r#"{"type":"extension_requested","extension":7,"days":20}"#);
        assert_eq!(serde_json::from_str::<Payload>(&json).unwrap(), p);
        assert_eq!(p.describe(false), "申请延期 20 天");
        assert_eq!(p.describe(true), "20 more days requested");
        let moved = Payload::Moved {
            mode: HandlingMode::Escalated,
            from_name: "市第一人民医院".into(),
            to_name: "直属机关纪委".into(),
        };
        assert_eq!(moved.describe(false), "提级办理：市第一人民医院 → 直属机关纪委");
        assert!(moved.describe(true).starts_with("Escalated: "));
        let c = Payload::Conclusion(Conclusion { finding: Finding::Unfounded, outcomes: Vec::new() });
        assert!(c.describe(true).contains("Unfounded") && !c.describe(true).contains('查'));
        let o = Payload::Order { order: None, reply_due: date!(2026 - 12 - 10) };
        assert_eq!(o.describe(true), "reply by 2026-12-10");
        assert_eq!(serde_json::to_string(&o).unwrap(), r#"{"type":"order","order":null,"reply_due":"2026-12-10"}"#);
    }

    #[test]
    fn every_payload_describes_itself_without_chinese_in_english() {
        let samples = [
            Payload::Transfer { receiving_body: "X".into() },
            Payload::Merge { original: LeadId::from_raw(1), number: "A-2019-0001".into() },
            Payload::CitesMeeting {
                meeting: Some(1),
                held_on: Some(date!(2019 - 11 - 20)),
                title: "T".into(),
                decision: "D".into(),
            },
            Payload::Escalation { to_unit: None, from_name: "A".into(), to_name: "B".into() },
            Payload::ExtensionSigned { extension: None, signature: "ab".repeat(32) },
            Payload::ExtensionDecided {
                extension: None,
                old_deadline: Some(date!(2019 - 12 - 01)),
                new_deadline: Some(date!(2019 - 12 - 21)),
            },
            Payload::Ownership { kind: KeyKind::Key, leader: "L".into() },
            Payload::Visit { on: date!(2019 - 11 - 01), place: "P".into() },
            Payload::Meeting {
                meeting: None,
                held_on: date!(2019 - 11 - 01),
                title: "T".into(),
                attendees: "A".into(),
            },
            Payload::Report { order: None, stage: ReportStage::Final },
            Payload::Handlers { names: vec!["H".into()] },
        ];
        for p in samples {
            let en = p.describe(true);
            assert!(!en.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "{en}");
            assert!(!p.describe(false).is_empty() || matches!(p, Payload::ExtensionDecided { .. }));
        }
    }
}
