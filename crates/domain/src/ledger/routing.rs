//! Where a lead is held: a lead about the handling unit's own head goes up a level.

use crate::ledger::subject::Subject;

/// Whether a lead handled by the unit named `unit_name` is about that unit's own head (一把手):
/// such a lead must go up a level (seed 一(一); 《监督执纪工作规则》).
pub fn names_head_of(subjects: &[Subject], unit_name: &str) -> bool {
    subjects.iter().any(|s| s.is_unit_head && (s.unit_name.trim().is_empty() || s.unit_name.trim() == unit_name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::subject::{CadreLevel, PoliticalStatus};

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

    #[test]
    fn only_the_handling_units_own_head_sends_a_lead_up() {
        assert!(names_head_of(&[subject(true, "")], "甲医院"));
        assert!(names_head_of(&[subject(false, ""), subject(true, "甲医院")], "甲医院"));
        assert!(!names_head_of(&[subject(true, "乙医院")], "甲医院"), "another unit's head");
        assert!(!names_head_of(&[subject(false, "甲医院")], "甲医院"));
    }
}
