//! The printed forms every decision is signed on (issue 13): the approval form (呈批表) of a
//! disposition, a conclusion or an extension, and a lead's whole record (卷宗). What a form
//! holds is decided here; the page prints it and office writes it as docx.

use serde::Serialize;

use crate::{labelled_enum, lifecycle::step::Step};

labelled_enum!(
    /// Which form.
    FormKind {
        Disposition = ("disposition", "问题线索处置呈批表", "Lead disposition approval form"),
        Conclusion = ("conclusion", "问题线索办结呈批表", "Lead conclusion approval form"),
        Extension = ("extension", "问题线索延期办理审批表", "Extension approval form"),
        Record = ("record", "问题线索办理卷宗", "Lead record"),
    }
);

/// The form a step is approved on, if it waits for approval at all. Moving a lead on
/// (转初核, 立案, 移交, 合并, reopening a closed lead) is a disposition too.
pub const fn form_for_step(step: Step) -> Option<FormKind> {
    match step {
        Step::Dispose
        | Step::ToVerification
        | Step::FileCase
        | Step::Transfer
        | Step::Merge
        | Step::Escalate
        | Step::Reopen => Some(FormKind::Disposition),
        Step::Conclude => Some(FormKind::Conclusion),
        Step::Assess | Step::SecondInquiry | Step::StrikeOff => None,
    }
}

/// One signature block: who gives an opinion, in which capacity, what and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Opinion {
    /// 承办人意见, 单位主要负责人意见, 纪委书记审批意见…
    pub role: String,
    pub text: String,
    pub name: String,
    pub date: String,
}

/// A form as printed: its title and number, the facts as label–value rows, the proposal,
/// and the opinions in the order they are signed. A blank opinion is a line to sign by hand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FormDoc {
    pub kind: FormKind,
    pub title: String,
    /// 编号: the lead's number and the entry's.
    pub number: String,
    /// 填报单位.
    pub unit: String,
    pub facts: Vec<(String, String)>,
    /// The record's steps (卷宗 only): date, step, who, what was written.
    pub steps: Vec<[String; 4]>,
    pub opinions: Vec<Opinion>,
    pub printed: String,
}

/// The form's number: the lead's, the form's kind and the entry it prints, so that two forms
/// of one lead never share one (`RMYY1-2026-0001-D17`); the same in either language.
pub fn form_number(lead_no: &str, kind: FormKind, entry: i64) -> String {
    let tag = match kind {
        FormKind::Disposition => "D",
        FormKind::Conclusion => "C",
        FormKind::Extension => "E",
        FormKind::Record => "R",
    };
    if entry > 0 { format!("{lead_no}-{tag}{entry}") } else { format!("{lead_no}-{tag}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_steps_that_wait_for_approval_are_printed_on_a_form_and_only_those() {
        for s in Step::ALL {
            let waits = crate::lifecycle::step::needs_approval(*s, crate::ledger::lead::LeadStatus::Concluded)
                || crate::lifecycle::step::needs_approval(*s, crate::ledger::lead::LeadStatus::Assessed);
            assert_eq!(form_for_step(*s).is_some(), waits, "{s:?}");
        }
        assert_eq!(form_for_step(Step::Conclude), Some(FormKind::Conclusion));
        assert_eq!(form_for_step(Step::Dispose), Some(FormKind::Disposition));
    }

    #[test]
    fn form_numbers_tell_forms_of_one_lead_apart() {
        let a = form_number("RMYY1-2026-0001", FormKind::Disposition, 17);
        let b = form_number("RMYY1-2026-0001", FormKind::Conclusion, 17);
        assert_eq!(a, "RMYY1-2026-0001-D17");
        assert_ne!(a, b);
        assert_eq!(form_number("RMYY1-2026-0001", FormKind::Record, 0), "RMYY1-2026-0001-R");
    }
}
