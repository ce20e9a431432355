//! Dates as users see them: Beijing calendar dates written YYYY-MM-DD.
//!
//! Instants are stored in UTC; a "date" is always the Beijing (UTC+8) calendar date.

use time::{
    Date, OffsetDateTime, UtcOffset, format_description::BorrowedFormatItem, macros::format_description, macros::offset,
};

use crate::FieldError;

pub const BEIJING: UtcOffset = offset!(+8);
const ISO_DATE: &[BorrowedFormatItem<'static>] = format_description!("[year]-[month]-[day]");

/// The Beijing calendar date at instant `now`.
pub fn beijing_date(now: OffsetDateTime) -> Date {
    now.to_offset(BEIJING).date()
}

pub fn format_date(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month() as u8, d.day())
}

/// A date as a document writes it under its signature: 2026年12月7日.
pub fn format_date_zh(d: Date) -> String {
    format!("{}年{}月{}日", d.year(), u8::from(d.month()), d.day())
}

/// Parses YYYY-MM-DD, refusing impossible dates like 2019-02-30.
pub fn parse_date(field: &str, input: &str) -> Result<Date, FieldError> {
    let s = input.trim();
    if s.is_empty() {
        return Err(FieldError::required(field));
    }
    // Exactly four-digit year, two-digit month and day: no sign, no wider year, no time.
    let plain = s.len() == 10
        && s.bytes().enumerate().all(|(i, b)| if i == 4 || i == 7 { b == b'-' } else { b.is_ascii_digit() });
    plain.then_some(()).and_then(|()| Date::parse(s, ISO_DATE).ok()).ok_or_else(|| {
        FieldError::new(
            field,
            "invalid_date",
            "不是有效日期，请按 YYYY-MM-DD 填写（如 2019-06-30）。",
            "Not a valid date; write it as YYYY-MM-DD (e.g. 2019-06-30).",
        )
    })
}

/// Parses a date that has already happened: not after `today`.
pub fn parse_past_date(field: &str, input: &str, today: Date) -> Result<Date, FieldError> {
    parse_date(field, input).and_then(|d| {
        if d > today {
            Err(FieldError::new(field, "future", "日期不能晚于今天。", "The date cannot be after today."))
        } else {
            Ok(d)
        }
    })
}

pub fn parse_optional_date(field: &str, input: &str) -> Result<Option<Date>, FieldError> {
    if input.trim().is_empty() { Ok(None) } else { parse_date(field, input).map(Some) }
}

/// Adds calendar months, clamping to the month's last day (01-31 + 1 month = 02-28/29).
pub fn add_months(d: Date, months: u32) -> Date {
    let total = d.year() * 12 + (d.month() as i32 - 1) + months as i32;
    let (year, month0) = (total.div_euclid(12), total.rem_euclid(12));
    // month0 is 0..=11 and the day is clamped to the month's last, so every step is valid;
    // the fallbacks are never taken.
    let month = time::Month::try_from(month0 as u8 + 1).unwrap_or(time::Month::December);
    let last = time::util::days_in_month(month, year);
    Date::from_calendar_date(year, month, d.day().min(last)).unwrap_or(d)
}

/// Renders an instant as Beijing "YYYY-MM-DD HH:MM".
pub fn format_instant(t: OffsetDateTime) -> String {
    let b = t.to_offset(BEIJING);
    format!("{} {:02}:{:02}", format_date(b.date()), b.hour(), b.minute())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    #[test]
    fn only_plain_dates_parse() {
        assert_eq!(parse_date("d", " 2026-11-20 ").unwrap(), date!(2026 - 11 - 20));
        for bad in [
            "+2026-11-20",
            "2026-1-20",
            "02026-11-20",
            "2026-11-20T00:00",
            "2026/11/20",
            "２０２６-11-20",
            "2019-02-30",
        ] {
            assert_eq!(parse_date("d", bad).unwrap_err().code, "invalid_date", "{bad}");
        }
    }

    #[test]
    fn beijing_date_turns_over_at_1600_utc() {
        assert_eq!(beijing_date(datetime!(2019-06-30 15:59 UTC)), date!(2019 - 06 - 30));
        assert_eq!(beijing_date(datetime!(2019-06-30 16:00 UTC)), date!(2019 - 07 - 01));
    }

    #[test]
    fn impossible_dates_are_refused() {
        assert_eq!(parse_date("d", "2019-02-30").unwrap_err().code, "invalid_date");
        assert_eq!(parse_date("d", "2019/06/30").unwrap_err().code, "invalid_date");
        assert_eq!(parse_date("d", "2020-02-29").unwrap(), date!(2020 - 02 - 29));
    }

    #[test]
    fn months_clamp_to_the_last_day() {
        assert_eq!(add_months(date!(2019 - 01 - 31), 1), date!(2019 - 02 - 28));
        assert_eq!(add_months(date!(2019 - 12 - 15), 1), date!(2020 - 01 - 15));
        assert_eq!(add_months(date!(2020 - 01 - 31), 1), date!(2020 - 02 - 29));
    }
}

/// Serde for Beijing calendar dates as "YYYY-MM-DD".
pub mod serde_date {
    use serde::Serializer;
    use time::Date;

    pub fn serialize<S: Serializer>(d: &Date, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::format_date(*d))
    }
}

/// Serde for optional dates as "YYYY-MM-DD" or null.
pub mod serde_opt_date {
    use serde::Serializer;
    use time::Date;

    pub fn serialize<S: Serializer>(d: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => s.serialize_str(&super::format_date(*d)),
            None => s.serialize_none(),
        }
    }
}
