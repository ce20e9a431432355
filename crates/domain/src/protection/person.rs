//! People named in leads (被反映人), recognised across leads by a hash of their ID number.

use sha2::{Digest, Sha256};

use crate::{FieldError, labelled_enum};

labelled_enum!(
    /// Why an account may be the person a lead names (see `store::protection::recusals`).
    MatchBasis {
        Person = ("person", "已登记为同一人", "Registered as the same person"),
        IdNumber = ("id_number", "身份证号相同", "The same ID number"),
        Name = ("name", "姓名相同，单位相同或为上下级", "The same name, in the same unit or the unit above or below"),
    }
);

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

/// The key two names are compared by for recusal (回避): a display name is a label, so what
/// is compared is the person's name with everything that varies in writing taken away —
/// NFKC (full and half width fold), invisible and format characters, all white space, a
/// bracketed suffix such as 「（纪检监察室）」 or 「(科长)」, and letter case. Matching errs on the
/// side of recusal: two keys that are equal are a possible match.
pub fn name_key(name: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let folded: String = name.nfkc().filter(|c| !crate::text::is_invisible(*c) && !c.is_whitespace()).collect();
    let mut key = folded.as_str();
    // Bracketed suffixes, repeatedly: 「李某(纪检)(主任)」 is 李某. NFKC has turned （） into ().
    loop {
        let trimmed = key.trim_end();
        let cut = [('(', ')'), ('[', ']'), ('【', '】'), ('〔', '〕'), ('<', '>'), ('《', '》')]
            .iter()
            .find_map(|(open, close)| trimmed.strip_suffix(*close).and_then(|rest| rest.rfind(*open)))
            .filter(|at| *at > 0);
        match cut {
            Some(at) => key = &key[..at],
            None => break,
        }
    }
    key.to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_compare_by_person_not_by_label() {
        let key = name_key("李某（纪检监察室）");
        assert_eq!(key, "李某");
        for spelling in ["李某", "李某(纪检监察室)", "李某\u{200B}", " 李 某 ", "李某【主任】(纪检)", "ＬＩ Mou"]
        {
            let k = name_key(spelling);
            assert!(k == key || spelling.starts_with('Ｌ'), "{spelling:?} → {k:?}");
        }
        assert_eq!(name_key("ＬＩ Mou"), "limou", "width and case fold");
        assert_ne!(name_key("李某某"), key, "a different name stays different");
        assert_eq!(name_key("(李某)"), "(李某)", "a name that is all brackets keeps them");
    }

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
