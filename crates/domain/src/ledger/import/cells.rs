//! Reading the cells of a unit's own spreadsheet ledger (issue 13): dates as people write
//! them, several subjects in one cell, the rows that are not leads, and where a cell is as
//! Excel names it.

use time::{Date, Month};

use crate::FieldError;

/// A column's letters as Excel shows them: 0 → A, 25 → Z, 26 → AA.
pub fn column_letters(index: usize) -> String {
    let mut n = index + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        out.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// An Excel date serial (days since 1899-12-30, the 1900 leap-year bug included) as a date.
pub fn excel_serial_date(serial: f64) -> Option<Date> {
    if !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let base = Date::from_calendar_date(1899, Month::December, 30).ok()?;
    base.checked_add(time::Duration::days(serial.floor() as i64))
}

fn invalid(field: &str, written: &str) -> FieldError {
    FieldError::new(
        field,
        "invalid_date",
        format!("「{written}」不是有效日期（可写作 2019-07-01、2019.7.1、2019/07/01 或 2019年7月1日）。"),
        format!("\"{written}\" is not a valid date (write 2019-07-01, 2019.7.1, 2019/07/01 or 2019年7月1日)."),
    )
}

/// A date as spreadsheet ledgers write it: `2019-7-1`, `2019.7.1`, `2019/07/01`, `2019年7月1日`,
/// with a trailing 前 ("by") for deadlines (`2019年12月31日前`). Impossible dates (2019-02-30)
/// are refused, as the register form refuses them.
pub fn parse_sheet_date(field: &str, written: &str) -> Result<Date, FieldError> {
    let s = written.trim();
    if s.is_empty() {
        return Err(FieldError::required(field));
    }
    // A date cell whose date format was lost shows its Excel serial (43647 for 2019-07-01);
    // five digits between 1990 and 2100 are read as one.
    if s.len() == 5
        && s.bytes().all(|b| b.is_ascii_digit())
        && let Some(d) = s.parse::<f64>().ok().filter(|n| (32_874.0..=73_051.0).contains(n)).and_then(excel_serial_date)
    {
        return Ok(d);
    }
    let s = s.strip_suffix('前').unwrap_or(s).trim();
    let s = s.strip_suffix('日').or_else(|| s.strip_suffix('号')).unwrap_or(s);
    let parts: Vec<&str> = s.split(['-', '.', '/', '年', '月']).map(str::trim).collect();
    let [y, m, d] = parts.as_slice() else { return Err(invalid(field, written)) };
    let num = |p: &str, max_len: usize| (!p.is_empty() && p.len() <= max_len).then(|| p.parse::<u16>().ok()).flatten();
    let (Some(y), Some(m), Some(d)) = (num(y, 4), num(m, 2), num(d, 2)) else { return Err(invalid(field, written)) };
    if y < 1900 {
        return Err(invalid(field, written));
    }
    let month = Month::try_from(u8::try_from(m).unwrap_or(0)).map_err(|_| invalid(field, written))?;
    Date::from_calendar_date(i32::from(y), month, u8::try_from(d).unwrap_or(0)).map_err(|_| invalid(field, written))
}

/// Several subjects written in one cell: `张某、李某`, `张某，李某`, `张某,李某`, `张某;李某`.
pub fn split_subjects(cell: &str) -> Vec<String> {
    cell.split(SEPARATORS).map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect()
}

/// What ledgers put between several subjects in one cell.
pub const SEPARATORS: [char; 6] = ['、', '，', ',', ';', '；', '\n'];

/// What a sheet row below the header is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowKind {
    /// A lead.
    Lead,
    /// Every cell empty.
    Blank,
    /// A total line (合计：N件, 总计).
    Total,
    /// A signature line (填表人、审核人、负责人签字).
    Signature,
}

/// Tells a lead row from the lines ledgers put around their leads.
pub fn row_kind(cells: &[String]) -> RowKind {
    let filled: Vec<&str> = cells.iter().map(|c| c.trim()).filter(|c| !c.is_empty()).collect();
    let Some(first) = filled.first() else { return RowKind::Blank };
    let squeezed: String = first.chars().filter(|c| !c.is_whitespace()).collect();
    if ["合计", "总计", "小计"].iter().any(|w| squeezed.starts_with(w)) {
        return RowKind::Total;
    }
    let signs = ["填表人", "填报人", "审核人", "负责人签字", "单位负责人", "制表人"];
    if filled.iter().all(|c| signs.iter().any(|w| c.replace(char::is_whitespace, "").starts_with(w))) {
        return RowKind::Signature;
    }
    RowKind::Lead
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u8, day: u8) -> Date {
        Date::from_calendar_date(y, Month::try_from(m).unwrap(), day).unwrap()
    }

    #[test]
    fn columns_are_lettered_as_excel_shows_them() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(4), "E");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
    }

    #[test]
    fn dates_as_ledgers_write_them() {
        for written in ["2019-7-1", "2019.7.1", "2019/07/01", "2019年7月1日", " 2019-07-01 ", "2019年7月1号"] {
            assert_eq!(parse_sheet_date("received_on", written).unwrap(), d(2019, 7, 1), "{written}");
        }
        assert_eq!(parse_sheet_date("deadline", "2019年12月31日前").unwrap(), d(2019, 12, 31));
        assert_eq!(excel_serial_date(43647.0), Some(d(2019, 7, 1)));
        assert_eq!(excel_serial_date(43647.75), Some(d(2019, 7, 1)), "a time of day is dropped");
        assert_eq!(excel_serial_date(-3.0), None);
        assert_eq!(parse_sheet_date("received_on", "43647"), Ok(d(2019, 7, 1)), "a serial that lost its format");
        assert!(parse_sheet_date("received_on", "12345").is_err(), "not a plausible ledger date");
    }

    #[test]
    fn impossible_or_unreadable_dates_are_refused_naming_what_was_written() {
        for written in ["2019-02-30", "2019.13.1", "19.7.1", "下月", "2019-7", "2019-07-01-02", "0001-01-01"] {
            let e = parse_sheet_date("received_on", written).unwrap_err();
            assert_eq!(e.code, "invalid_date", "{written}");
            assert!(e.message_zh.contains(written.trim()), "{}", e.message_zh);
        }
        assert_eq!(parse_sheet_date("received_on", "  ").unwrap_err().code, "required");
    }

    #[test]
    fn several_subjects_in_one_cell() {
        assert_eq!(
            split_subjects("张某、李某某，王某,赵某;钱某；孙某"),
            ["张某", "李某某", "王某", "赵某", "钱某", "孙某"]
        );
        assert_eq!(split_subjects(" 张某 "), ["张某"]);
        assert!(split_subjects("、 ，").is_empty());
    }

    #[test]
    fn totals_signatures_and_blank_lines_are_not_leads() {
        let row = |cells: &[&str]| row_kind(&cells.iter().map(|c| c.to_string()).collect::<Vec<_>>());
        assert_eq!(row(&["", " ", ""]), RowKind::Blank);
        assert_eq!(row(&["合计：12件", "", ""]), RowKind::Total);
        assert_eq!(row(&["合 计", "12"]), RowKind::Total);
        assert_eq!(row(&["填表人：李某", "", "审核人：王某"]), RowKind::Signature);
        assert_eq!(row(&["1", "张某", "反映收受回扣"]), RowKind::Lead);
        assert_eq!(row(&["3", "填表人张某的问题"]), RowKind::Lead, "a lead that mentions a signer is a lead");
    }
}
