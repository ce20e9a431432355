//! People named in leads (被反映人), recognised across leads, and the rules that keep a
//! lead away from the people it is about.

use sha2::{Digest, Sha256};

use crate::{FieldError, subject::Subject};

/// The hash under which an ID number (居民身份证号码, 15 or 18 characters, the last of 18
/// may be X) is kept. Empty input means none was given.
pub fn id_number_hash(field: &str, raw: &str) -> Result<Option<String>, FieldError> {
    let s: String = raw.trim().to_uppercase();
    if s.is_empty() {
        return Ok(None);
    }
    let ok = match s.len() {
        15 => s.chars().all(|c| c.is_ascii_digit()),
        18 => s[..17].chars().all(|c| c.is_ascii_digit()) && s[17..].chars().all(|c| c.is_ascii_digit() || c == 'X'),
        _ => false,
    };
    if !ok {
        return Err(FieldError::new(
            field,
            "invalid_id_number",
            "身份证号应为 15 位数字或 18 位（末位可为 X）。",
            "An ID number has 15 digits, or 18 characters ending in a digit or X.",
        ));
    }
    Ok(Some(hex::encode(Sha256::digest(format!("qingling-person-id:{s}").as_bytes()))))
}

/// Whether a lead handled by the unit named `unit_name` is about that unit's own head (一把手):
/// such a lead must go up a level (seed 一(一); 《监督执纪工作规则》).
pub fn names_head_of(subjects: &[Subject], unit_name: &str) -> bool {
    subjects.iter().any(|s| s.is_unit_head && (s.unit_name.trim().is_empty() || s.unit_name.trim() == unit_name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::subject::{CadreLevel, PoliticalStatus};

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

    #[test]
    fn id_numbers() {
        let a = id_number_hash("f", "11010519491231002x").unwrap().unwrap();
        assert_eq!(a, id_number_hash("f", " 11010519491231002X ").unwrap().unwrap(), "normalised");
        assert!(!a.contains("1101051949"));
        assert_eq!(id_number_hash("f", "").unwrap(), None);
        for bad in ["123", "11010519491231002Y", "1101051949123100XX"] {
            assert!(id_number_hash("f", bad).is_err(), "{bad}");
        }
    }
}
