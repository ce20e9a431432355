//! Clearing the names of people reported falsely (澄清正名) and false accusation (诬告陷害),
//! after a 查否 conclusion (design brief §3's follow-through; the national rules in
//! `domain-rules.md` §1.7). Proposed by the unit that verified, or applied for in writing by
//! the person; approved by the committee head; carried out by the unit that verified (谁核实谁
//! 澄清) by letter, in person, at a meeting or by bulletin — always with a written clearing.

use time::Date;

use crate::{
    FieldError, Invalid,
    dates::parse_date,
    labelled_enum,
    text::{Name, Prose},
};

labelled_enum!(
    /// How a clearing began.
    ClearingOrigin {
        Unit = ("unit", "核实单位提出", "Proposed by the unit that verified"),
        Application = ("application", "本人书面申请", "Applied for in writing by the person"),
    }
);

labelled_enum!(
    /// How it is carried out; every way comes with a written clearing.
    ClearingMode {
        Letter = ("letter", "书面澄清", "By letter"),
        InPerson = ("in_person", "当面澄清", "In person"),
        Meeting = ("meeting", "会议澄清", "At a meeting"),
        Bulletin = ("bulletin", "通报澄清", "By bulletin"),
    }
);

labelled_enum!(
    /// Where a clearing stands.
    ClearingState {
        Proposed = ("proposed", "待审批", "Awaiting approval"),
        Approved = ("approved", "已批准，待澄清", "Approved, to be carried out"),
        Rejected = ("rejected", "未批准", "Not approved"),
        Done = ("done", "已澄清", "Cleared"),
    }
);

/// A clearing as proposed.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ClearingInput {
    /// The concluded lead's number.
    pub lead: String,
    pub origin: String,
    /// The person cleared (one the lead names).
    pub person: String,
    /// For an application: the day it was received, YYYY-MM-DD.
    pub applied_on: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clearing {
    pub origin: ClearingOrigin,
    pub person: Name,
    pub applied_on: Option<Date>,
    pub reason: Prose<2000>,
}

impl ClearingInput {
    /// `named`: whether the lead names the person.
    pub fn parse(&self, today: Date, named: impl Fn(&str) -> bool) -> Result<Clearing, Invalid> {
        let mut e = Invalid::default();
        let origin = e.take(ClearingOrigin::parse("origin", &self.origin));
        let person = e.take(Name::parse("person", &self.person).and_then(|p| {
            if named(p.as_str()) {
                Ok(p)
            } else {
                Err(FieldError::new("person", "not_named", "该线索未反映此人。", "The lead does not name this person."))
            }
        }));
        let applied_on = match origin {
            Some(ClearingOrigin::Application) => e
                .take(parse_date("applied_on", &self.applied_on).and_then(|d| {
                    if d > today {
                        Err(FieldError::new(
                            "applied_on",
                            "future",
                            "日期不能晚于今天。",
                            "The date cannot be after today.",
                        ))
                    } else {
                        Ok(d)
                    }
                }))
                .map(Some),
            _ => Some(None),
        };
        let reason = e.take(Prose::parse("reason", &self.reason));
        match (origin, person, applied_on, reason) {
            (Some(origin), Some(person), Some(applied_on), Some(reason)) if e.is_empty() => {
                Ok(Clearing { origin, person, applied_on, reason })
            }
            _ => Err(e),
        }
    }
}

/// The carrying out as typed.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct CarryOutInput {
    pub mode: String,
    /// YYYY-MM-DD, not after today.
    pub held_on: String,
    /// Where and before whom (meeting, bulletin): free text.
    pub scope_note: String,
    /// The written clearing (澄清正名函), printed and kept; required whatever the mode.
    pub letter: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CarriedOut {
    pub mode: ClearingMode,
    pub held_on: Date,
    pub scope_note: String,
    pub letter: Prose<4000>,
}

impl CarryOutInput {
    pub fn parse(&self, state: ClearingState, today: Date) -> Result<CarriedOut, Invalid> {
        if state != ClearingState::Approved {
            return Err(Invalid::one(FieldError::new(
                "mode",
                "not_approved",
                "澄清正名须经纪委书记（负责人）批准后实施。",
                "A clearing is carried out once the committee head approves it.",
            )));
        }
        let mut e = Invalid::default();
        let mode = e.take(ClearingMode::parse("mode", &self.mode));
        let held_on = e.take(parse_date("held_on", &self.held_on).and_then(|d| {
            if d > today {
                Err(FieldError::new("held_on", "future", "日期不能晚于今天。", "The date cannot be after today."))
            } else {
                Ok(d)
            }
        }));
        let letter = e.take(Prose::parse("letter", &self.letter).map_err(|_| {
            FieldError::new(
                "letter",
                "letter_required",
                "澄清正名须有书面澄清材料（当面、会议、通报澄清也应同时出具）。",
                "Every clearing comes with a written clearing (in person, at a meeting or by bulletin too).",
            )
        }));
        let needs_scope = matches!(mode, Some(ClearingMode::Meeting | ClearingMode::Bulletin));
        if needs_scope && self.scope_note.trim().is_empty() {
            e.push(FieldError::new(
                "scope_note",
                "required",
                "会议或通报澄清请写明会议名称或通报范围。",
                "Name the meeting, or the bulletin's readers.",
            ));
        }
        match (mode, held_on, letter) {
            (Some(mode), Some(held_on), Some(letter)) if e.is_empty() => {
                Ok(CarriedOut { mode, held_on, scope_note: self.scope_note.trim().to_owned(), letter })
            }
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
    fn a_clearing_names_a_person_the_lead_names_and_an_application_its_date() {
        let input = ClearingInput {
            lead: "RMYY1-2026-0001".into(),
            origin: "application".into(),
            person: "褚某某".into(),
            applied_on: "2026-12-01".into(),
            reason: "经初核反映问题失实，本人申请澄清".into(),
        };
        let named = |p: &str| p == "褚某某";
        assert_eq!(input.parse(TODAY, named).unwrap().applied_on, Some(date!(2026 - 12 - 01)));
        let other = ClearingInput { person: "卫某".into(), ..input.clone() };
        assert_eq!(other.parse(TODAY, named).unwrap_err().0[0].code, "not_named");
        let undated = ClearingInput { applied_on: String::new(), ..input.clone() };
        assert_eq!(undated.parse(TODAY, named).unwrap_err().0[0].field, "applied_on");
        let by_unit = ClearingInput { origin: "unit".into(), applied_on: String::new(), ..input };
        assert_eq!(by_unit.parse(TODAY, named).unwrap().applied_on, None);
    }

    #[test]
    fn every_clearing_comes_with_the_written_letter_and_only_once_approved() {
        let typed = CarryOutInput {
            mode: "meeting".into(),
            held_on: "2026-12-05".into(),
            scope_note: "设备科全体职工会议".into(),
            letter: "经核查，反映褚某某收受回扣问题失实，予以澄清。".into(),
        };
        assert_eq!(typed.parse(ClearingState::Approved, TODAY).unwrap().mode, ClearingMode::Meeting);
        let bare = CarryOutInput { letter: String::new(), ..typed.clone() };
        assert_eq!(bare.parse(ClearingState::Approved, TODAY).unwrap_err().0[0].code, "letter_required");
        let in_person = CarryOutInput { mode: "in_person".into(), letter: String::new(), ..typed.clone() };
        assert_eq!(in_person.parse(ClearingState::Approved, TODAY).unwrap_err().0[0].code, "letter_required");
        let nowhere = CarryOutInput { scope_note: String::new(), ..typed.clone() };
        assert_eq!(nowhere.parse(ClearingState::Approved, TODAY).unwrap_err().0[0].field, "scope_note");
        assert_eq!(typed.parse(ClearingState::Proposed, TODAY).unwrap_err().0[0].code, "not_approved");
    }
}
