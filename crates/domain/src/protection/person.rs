//! People named in leads (被反映人), recognised across leads by a hash of their ID number.

use sha2::{Digest, Sha256};

use crate::FieldError;

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

#[cfg(test)]
mod tests {
    use super::*;

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
