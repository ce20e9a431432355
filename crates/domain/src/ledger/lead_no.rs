//! Lead numbers: `<unit code>-<year>-<sequence of 4+ digits>`, e.g. `ZWJ-2019-0042`.

use serde::Serialize;

use crate::ledger::unit::UnitCode;

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, utoipa::ToSchema)]
#[serde(transparent)]
pub struct LeadNo(String);

impl LeadNo {
    pub fn new(unit: &UnitCode, year: i32, sequence: u32) -> Self {
        Self(format!("{}-{year}-{sequence:04}", unit.as_str()))
    }

    /// Parses a number as written, so that searches can tell a number from free text.
    pub fn parse(s: &str) -> Option<Self> {
        let mut parts = s.trim().rsplitn(3, '-');
        let (seq, year, unit) = (parts.next()?, parts.next()?, parts.next()?);
        UnitCode::parse("", unit).ok()?;
        let year_ok = year.len() == 4 && year.chars().all(|c| c.is_ascii_digit());
        let seq_ok = seq.len() >= 4 && seq.chars().all(|c| c.is_ascii_digit()) && seq != "0000";
        (year_ok && seq_ok).then(|| Self(s.trim().to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Only for values read back from the database, where the number was built by `new`.
    pub fn from_stored(s: String) -> Self {
        Self(s)
    }

    /// The key numbers sort by: unit and year as written, then the sequence as a number, so
    /// `-10000` follows `-9999` (as text it would not) on every database.
    pub fn sort_key(&self) -> String {
        match self.0.rsplit_once('-') {
            Some((prefix, seq)) if seq.chars().all(|c| c.is_ascii_digit()) && seq.len() <= 12 => {
                format!("{prefix}-{seq:0>12}")
            }
            _ => self.0.clone(),
        }
    }
}

impl std::fmt::Display for LeadNo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pads_to_four_digits_and_grows_beyond() {
        let u = UnitCode::parse("u", "ZWJ").unwrap();
        assert_eq!(LeadNo::new(&u, 2019, 42).as_str(), "ZWJ-2019-0042");
        assert_eq!(LeadNo::new(&u, 2019, 12345).as_str(), "ZWJ-2019-12345");
    }

    #[test]
    fn numbers_sort_by_their_sequence() {
        let u = UnitCode::parse("u", "ZWJ").unwrap();
        let (a, b) = (LeadNo::new(&u, 2019, 9999), LeadNo::new(&u, 2019, 10000));
        assert!(a.as_str() > b.as_str(), "as text, -10000 sorts first");
        assert!(a.sort_key() < b.sort_key(), "by sequence it comes after");
        assert!(LeadNo::new(&u, 2019, 10000).sort_key() < LeadNo::new(&u, 2020, 1).sort_key(), "years first");
    }

    #[test]
    fn parse_round_trips_and_rejects_free_text() {
        assert_eq!(LeadNo::parse("ZWJ-2019-0042").unwrap().as_str(), "ZWJ-2019-0042");
        for bad in ["ZWJ-2019-42", "zwj-2019-0042", "ZWJ-19-0042", "张三", "ZWJ-2019-0000"] {
            assert!(LeadNo::parse(bad).is_none(), "{bad}");
        }
    }
}
