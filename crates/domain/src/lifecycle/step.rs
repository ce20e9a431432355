//! The lead lifecycle (design brief §3) as a state machine: which step may follow which,
//! which steps wait for approval, and who may propose and approve them.

use crate::{FieldError, labelled_enum, ledger::lead::LeadStatus, protection::role::Role, text::Text};

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
        (Step::Transfer | Step::Merge, s) if s.is_open() => {
            Some(if step == Step::Transfer { S::Transferred } else { S::Merged })
        }
        // 提级办理 moves the lead to the parent body, with the committee head's approval (the
        // handling panel's 管辖 change); it is not a state the lead enters where it is. The
        // step's code stays for the timeline entries written before.
        (Step::Escalate, _) => {
            return Err(FieldError::new(
                "step",
                "escalate_moves",
                "提级办理请在「督办」栏的「改变管辖」中选择提级办理，经纪委书记审批后线索移至上级单位办理。",
                "To escalate, choose it under Supervision → Move jurisdiction: once the committee head approves, the lead moves to the parent body.",
            ));
        }
        (Step::Reopen, S::Shelved | S::Settled | S::Concluded | S::StruckOff) => Some(S::Assessed),
        _ => None,
    };
    to.ok_or_else(|| {
        FieldError::new(
            "step",
            "not_allowed",
            format!("处于「{}」的线索不能进行「{}」。", from.zh(), step.zh()),
            format!("The step \"{}\" is not possible for a lead that is {}.", step.en(), from.en().to_lowercase()),
        )
    })
}

/// Steps that wait in an approver's queue: disposition, conclusion, escalation, the side
/// exits (移交 and 合并 take a lead off the unit's books for good: without approval a unit could
/// raise its 清零率 by sending leads away), and reopening a lead that was closed (concluded,
/// settled or struck off: its closure was approved, so undoing it is too). Reopening a shelved
/// lead (暂存待查) is routine.
pub const fn needs_approval(step: Step, from: LeadStatus) -> bool {
    match step {
        Step::Dispose
        | Step::ToVerification
        | Step::FileCase
        | Step::Conclude
        | Step::Escalate
        | Step::Transfer
        | Step::Merge => true,
        Step::Reopen => matches!(from, LeadStatus::Concluded | LeadStatus::Settled | LeadStatus::StruckOff),
        _ => false,
    }
}

impl Step {
    /// Steps the user confirms before submitting: the side exits cannot be undone (no step
    /// leads back from 已移交 or 已合并), and 销号 closes the lead (reopening it needs approval).
    pub const fn confirm_first(self) -> bool {
        matches!(self, Step::Transfer | Step::Merge | Step::StrikeOff)
    }
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
/// A note on a step: required, at most 1,000 characters.
pub fn parse_note(input: &str) -> Result<String, FieldError> {
    crate::text::Prose::<1000>::parse("note", input).map(Text::into_string)
}

/// A repeat report (重复件) is merged into the lead it repeats: one registered before it (received
/// earlier, or the same day and numbered earlier) and not itself merged, so that the original
/// is counted once and the chain has one end.
pub fn check_merge(
    repeat: (time::Date, crate::LeadId),
    original: (time::Date, crate::LeadId, crate::ledger::lead::LeadStatus),
) -> Result<(), crate::FieldError> {
    let (rec, id) = repeat;
    let (orec, oid, ostatus) = original;
    if oid == id || orec > rec || (orec == rec && oid > id) {
        return Err(crate::FieldError::new(
            "merge_into",
            "not_earlier",
            "只能合并到更早登记的原线索。",
            "A repeat merges only into a lead registered before it.",
        ));
    }
    if ostatus == crate::ledger::lead::LeadStatus::Merged {
        return Err(crate::FieldError::new(
            "merge_into",
            "merged_already",
            "该线索本身已作为重复件合并，请合并到它的原线索。",
            "That lead is itself a merged repeat; merge into its original.",
        ));
    }
    Ok(())
}

/// The receiving body's receipt of a transfer (回执): recorded once, on a transferred lead,
/// dated between its receipt by us and today.
pub fn check_receipt(
    status: LeadStatus,
    recorded: Option<time::Date>,
    received_on: time::Date,
    receipt: &str,
    today: time::Date,
) -> Result<time::Date, FieldError> {
    let f = "received_on";
    if status != LeadStatus::Transferred {
        return Err(FieldError::new(
            f,
            "not_transferred",
            "只有已移交的线索登记回执。",
            "Only a transferred lead has a receipt.",
        ));
    }
    if recorded.is_some() {
        return Err(FieldError::new(
            f,
            "recorded",
            "该线索的回执已登记。",
            "This transfer's receipt is recorded already.",
        ));
    }
    let d = crate::dates::parse_date(f, receipt)?;
    if d > today || d < received_on {
        return Err(FieldError::new(
            f,
            "out_of_range",
            "签收日期应在受理之后、今天或以前。",
            "The receipt date falls between our receipt of the lead and today.",
        ));
    }
    Ok(d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::lead::LeadStatus as S;

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
        assert_eq!(e.message_en, "The step \"Conclude\" is not possible for a lead that is registered.");
        let e = target(S::Concluded, Step::Assess, None).unwrap_err();
        assert!(!e.message_en.contains("assessd") && e.message_en.contains("\"Assess\""), "{}", e.message_en);
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
        // + 4 reopen + 2 side exits × 6 open states.
        assert_eq!(allowed, 1 + 1 + 2 + 1 + 3 + 2 + 4 + 12);
    }

    #[test]
    fn side_exits_from_any_open_state_only() {
        for from in S::ALL {
            for step in [Step::Transfer, Step::Merge] {
                assert_eq!(target(*from, step, None).is_ok(), from.is_open(), "{from} {step}");
            }
            assert_eq!(target(*from, Step::Escalate, None).unwrap_err().code, "escalate_moves", "one meaning: a move");
        }
    }

    #[test]
    fn approvals() {
        for s in [Step::Transfer, Step::Merge] {
            assert!(needs_approval(s, S::Registered), "{s}: a lead leaves the unit's books only when approved");
            assert!(s.confirm_first() && Step::StrikeOff.confirm_first() && !Step::Assess.confirm_first());
        }
        for s in [Step::Dispose, Step::ToVerification, Step::FileCase, Step::Conclude, Step::Escalate] {
            assert!(needs_approval(s, S::Assessed));
        }
        for s in [Step::Assess, Step::SecondInquiry, Step::StrikeOff] {
            assert!(!needs_approval(s, S::Assessed));
        }
        // Reopening undoes an approved closure only with approval; a shelved lead is routine.
        for from in [S::Concluded, S::Settled, S::StruckOff] {
            assert!(needs_approval(Step::Reopen, from), "{from}");
        }
        assert!(!needs_approval(Step::Reopen, S::Shelved));
        assert!(may_approve(Role::CommitteeHead) && !may_approve(Role::Inspector));
        assert!(may_propose(Role::Inspector, Step::Assess) && !may_propose(Role::UnitHead, Step::Assess));
    }

    #[test]
    fn a_receipt_is_recorded_once_on_a_transfer() {
        use time::macros::date;
        let (rec, today) = (date!(2019 - 06 - 01), date!(2019 - 11 - 28));
        let c = |s, done, d| check_receipt(s, done, rec, d, today).map_err(|e| e.code);
        assert_eq!(c(S::Transferred, None, "2019-11-01"), Ok(date!(2019 - 11 - 01)));
        assert_eq!(c(S::Assessed, None, "2019-11-01"), Err("not_transferred"));
        assert_eq!(c(S::Transferred, Some(rec), "2019-11-01"), Err("recorded"));
        assert_eq!(c(S::Transferred, None, "2019-11-29"), Err("out_of_range"), "not in the future");
        assert_eq!(c(S::Transferred, None, "2019-05-31"), Err("out_of_range"), "not before we had it");
        assert_eq!(c(S::Transferred, None, "").unwrap_err(), "required");
    }

    #[test]
    fn a_repeat_merges_only_into_an_earlier_unmerged_lead() {
        use crate::{LeadId, ledger::lead::LeadStatus as S};
        use time::macros::date;
        let repeat = (date!(2019 - 11 - 20), LeadId::from_raw(50));
        assert!(
            check_merge(repeat, (date!(2019 - 10 - 01), LeadId::from_raw(70), S::Registered)).is_ok(),
            "received earlier"
        );
        assert!(
            check_merge(repeat, (date!(2019 - 11 - 20), LeadId::from_raw(49), S::Assessed)).is_ok(),
            "same day, earlier"
        );
        let later = check_merge(repeat, (date!(2019 - 11 - 21), LeadId::from_raw(10), S::Registered)).unwrap_err();
        assert_eq!(later.code, "not_earlier");
        assert_eq!(
            check_merge(repeat, (date!(2019 - 11 - 20), LeadId::from_raw(51), S::Registered)).unwrap_err().code,
            "not_earlier"
        );
        assert_eq!(
            check_merge(repeat, (date!(2019 - 11 - 20), LeadId::from_raw(50), S::Registered)).unwrap_err().code,
            "not_earlier"
        );
        assert_eq!(
            check_merge(repeat, (date!(2019 - 01 - 01), LeadId::from_raw(1), S::Merged)).unwrap_err().code,
            "merged_already"
        );
    }
}
