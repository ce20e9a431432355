//! Where a lead is held: a lead about the handling unit's own head goes up a level; one about
//! a cadre managed by a higher body goes to that body (干部管理权限, 检举控告规则 art. 15).

use crate::{
    UnitId,
    ledger::subject::{CadreLevel, Subject},
    ledger::unit::{Unit, UnitKind},
};

/// The kind of body whose discipline organ handles a cadre of this level: the commission's
/// own discipline committee for 委管干部, the city's commission for 市管 (and, from here, for
/// 省管: passed on from there); `None` for the unit's own.
pub const fn handled_by(level: CadreLevel) -> Option<UnitKind> {
    match level {
        CadreLevel::Commission => Some(UnitKind::DisciplineCommittee),
        CadreLevel::Municipal | CadreLevel::Provincial => Some(UnitKind::DisciplineCommission),
        CadreLevel::Unit | CadreLevel::NotCadre => None,
    }
}

/// Why a lead went up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SentUp {
    /// It names the unit's own head (一把手).
    UnitHead,
    /// A subject is a cadre managed by that body.
    CadreLevel(CadreLevel),
}

/// Where a lead registered at `chain[0]` is held. `chain` runs from the registering unit up to
/// the root. The highest body any rule asks for wins; `None`: the registering unit keeps it.
pub fn holder(subjects: &[Subject], chain: &[Unit]) -> Option<(UnitId, SentUp)> {
    let here = chain.first()?;
    let mut best: Option<(usize, SentUp)> = None;
    let mut raise = |at: usize, why: SentUp| {
        if at > 0 && best.is_none_or(|(b, _)| at > b) {
            best = Some((at, why));
        }
    };
    if names_head_of(subjects, &here.name) && chain.len() > 1 {
        raise(1, SentUp::UnitHead);
    }
    for s in subjects {
        if let Some(kind) = handled_by(s.cadre_level) {
            // The nearest body of that kind at or above the unit; the root if there is none.
            let at = chain.iter().position(|u| u.kind == kind).unwrap_or(chain.len() - 1);
            raise(at, SentUp::CadreLevel(s.cadre_level));
        }
    }
    best.map(|(at, why)| (chain[at].id, why))
}

/// Whether a lead handled by the unit named `unit_name` is about that unit's own head (一把手):
/// such a lead must go up a level (seed 一(一); 《监督执纪工作规则》).
pub fn names_head_of(subjects: &[Subject], unit_name: &str) -> bool {
    subjects.iter().any(|s| s.is_unit_head && (s.unit_name.trim().is_empty() || s.unit_name.trim() == unit_name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::subject::PoliticalStatus;

    fn subject(head: bool, unit: &str) -> Subject {
        Subject {
            name: "王某".into(),
            unit_name: unit.into(),
            post: "院长".into(),
            rank: String::new(),
            political_status: PoliticalStatus::Unknown,
            is_unit_head: head,
            cadre_level: CadreLevel::NotCadre,
            id_number_hash: None,
        }
    }

    fn unit(id: i64, name: &str, kind: UnitKind) -> Unit {
        Unit {
            id: UnitId::from_raw(id),
            code: crate::ledger::unit::UnitCode::parse("code", "ABC").unwrap(),
            name: name.into(),
            kind,
            parent: None,
        }
    }

    #[test]
    fn a_cadre_goes_to_the_body_that_manages_them() {
        // 内设部门 → 医院 → 委直属机关纪委 → 市纪委监委
        let chain = [
            unit(4, "药剂科", UnitKind::Department),
            unit(3, "甲医院", UnitKind::Hospital),
            unit(2, "委直属机关纪委", UnitKind::DisciplineCommittee),
            unit(1, "市纪委监委", UnitKind::DisciplineCommission),
        ];
        let with = |level, head| {
            let mut s = subject(head, "");
            s.cadre_level = level;
            holder(&[s], &chain).map(|(u, why)| (u.get(), why))
        };
        assert_eq!(with(CadreLevel::NotCadre, false), None, "the unit keeps it");
        assert_eq!(with(CadreLevel::Unit, false), None);
        assert_eq!(with(CadreLevel::Commission, false), Some((2, SentUp::CadreLevel(CadreLevel::Commission))));
        assert_eq!(with(CadreLevel::Municipal, false), Some((1, SentUp::CadreLevel(CadreLevel::Municipal))));
        assert_eq!(with(CadreLevel::Provincial, false), Some((1, SentUp::CadreLevel(CadreLevel::Provincial))));
        assert_eq!(with(CadreLevel::NotCadre, true), Some((3, SentUp::UnitHead)), "the department's head: a level up");
        assert_eq!(
            with(CadreLevel::Commission, true),
            Some((2, SentUp::CadreLevel(CadreLevel::Commission))),
            "the higher of the two"
        );
        // Registered at the committee itself: a 委管 cadre stays there.
        assert_eq!(holder(&[Subject { cadre_level: CadreLevel::Commission, ..subject(false, "") }], &chain[2..]), None);
        // No commission in the tree: the root.
        let short = [unit(3, "甲医院", UnitKind::Hospital), unit(2, "委直属机关纪委", UnitKind::DisciplineCommittee)];
        assert_eq!(
            holder(&[Subject { cadre_level: CadreLevel::Municipal, ..subject(false, "") }], &short)
                .map(|(u, _)| u.get()),
            Some(2)
        );
    }

    #[test]
    fn only_the_handling_units_own_head_sends_a_lead_up() {
        assert!(names_head_of(&[subject(true, "")], "甲医院"));
        assert!(names_head_of(&[subject(false, ""), subject(true, "甲医院")], "甲医院"));
        assert!(!names_head_of(&[subject(true, "乙医院")], "甲医院"), "another unit's head");
        assert!(!names_head_of(&[subject(false, "甲医院")], "甲医院"));
    }
}
