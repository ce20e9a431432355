//! The unit tree: 市纪委 → 委直属机关纪委 → units → departments, any depth.

use serde::Serialize;

use crate::{FieldError, UnitId, labelled_enum, text::Name};

/// A unit's short code, the first part of every lead number: 2–12 ASCII capitals or digits,
/// starting with a letter (e.g. `ZWJ`, `SRMYY1`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, utoipa::ToSchema)]
#[serde(transparent)]
pub struct UnitCode(String);

impl UnitCode {
    pub fn parse(field: &str, input: &str) -> Result<Self, FieldError> {
        let s = input.trim();
        if s.is_empty() {
            return Err(FieldError::required(field));
        }
        let ok = (2..=12).contains(&s.len())
            && s.starts_with(|c: char| c.is_ascii_uppercase())
            && s.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
        if !ok {
            return Err(FieldError::new(
                field,
                "invalid_unit_code",
                "单位代码须为 2–12 位大写字母或数字，并以字母开头。",
                "A unit code is 2–12 capital letters or digits, starting with a letter.",
            ));
        }
        Ok(Self(s.to_owned()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for UnitCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

labelled_enum!(
    UnitKind {
        DisciplineCommission = ("discipline_commission", "纪委监委", "Discipline commission"),
        DisciplineCommittee = ("discipline_committee", "机关纪委", "Discipline committee"),
        Hospital = ("hospital", "医院", "Hospital"),
        PublicHealth = ("public_health", "公共卫生机构", "Public-health institution"),
        School = ("school", "学校", "School"),
        Institution = ("institution", "事业单位", "Public institution"),
        Department = ("department", "内设部门", "Department"),
    }
);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Unit {
    pub id: UnitId,
    pub code: UnitCode,
    pub name: String,
    pub kind: UnitKind,
    pub parent: Option<UnitId>,
}

/// A unit about to be created.
#[derive(Debug, Clone)]
pub struct NewUnit {
    pub code: UnitCode,
    pub name: Name,
    pub kind: UnitKind,
    pub parent: Option<UnitId>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_codes() {
        assert!(UnitCode::parse("c", "ZWJ").is_ok());
        assert!(UnitCode::parse("c", "SRMYY1").is_ok());
        for bad in ["", "Z", "zwj", "1ABC", "ZW-J", "ABCDEFGHIJKLM", "中心"] {
            assert!(UnitCode::parse("c", bad).is_err(), "{bad}");
        }
    }
}
