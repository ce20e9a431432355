//! People named in leads (被反映人), recognised across leads by a hash of their ID number.

use sha2::{Digest, Sha256};

use crate::FieldError;

/// The digest of an ID number (居民身份证号码, 15 or 18 characters, the last of 18 may be X),
/// which the app keys (HMAC with the server's person key) before it is stored: the number
/// itself is never kept. Empty input means none was given.
pub fn id_number_digest(field: &str, raw: &str) -> Result<Option<String>, FieldError> {
    let s: String = raw.trim().to_uppercase();
    if s.is_empty() {
        return Ok(None);
    }
    // Characters, not bytes: a multi-byte character must not split a slice.
    let chars: Vec<char> = s.chars().collect();
    let ok = match chars.len() {
        15 => chars.iter().all(|c| c.is_ascii_digit()),
        18 => chars[..17].iter().all(|c| c.is_ascii_digit()) && (chars[17].is_ascii_digit() || chars[17] == 'X'),
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
        let a = id_number_digest("f", "11010519491231002x").unwrap().unwrap();
        assert_eq!(a, id_number_digest("f", " 11010519491231002X ").unwrap().unwrap(), "normalised");
        assert!(!a.contains("1101051949"));
        assert_eq!(id_number_digest("f", "").unwrap(), None);
        for bad in ["123", "11010519491231002Y", "1101051949123100XX"] {
            assert!(id_number_digest("f", bad).is_err(), "{bad}");
        }
        // 18 bytes whose 17th falls inside a multi-byte character: refused, never a panic.
        let crafted = "1234567890123456é";
        assert_eq!(crafted.len(), 18);
        assert!(id_number_digest("f", crafted).is_err());
    }
}
