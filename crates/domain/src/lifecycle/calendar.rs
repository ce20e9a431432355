//! The working-day calendar: Chinese public holidays and make-up working days (调休).
//!
//! A day is a working day when it is a make-up working day, or a Monday–Friday that is not
//! a holiday. Years not loaded fall back to Monday–Friday, and every date computed through
//! such a year is marked provisional until the year is loaded.

use std::collections::{BTreeSet, HashSet};

use time::{Date, Duration, Weekday};

use crate::FieldError;

/// The calendar shipped with Qingling (State Council announcements, 2004 onward).
pub const SHIPPED_CSV: &str = include_str!("../../data/cn-holidays.csv");

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DayKind {
    Holiday,
    Workday,
}

impl DayKind {
    pub fn code(self) -> &'static str {
        match self {
            DayKind::Holiday => "holiday",
            DayKind::Workday => "workday",
        }
    }
    pub fn from_code(s: &str) -> Option<Self> {
        match s {
            "holiday" => Some(DayKind::Holiday),
            "workday" => Some(DayKind::Workday),
            _ => None,
        }
    }
}

/// One special day: a holiday, or a weekend day worked instead (调休).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecialDay {
    pub date: Date,
    pub kind: DayKind,
    pub name_en: String,
    pub name_zh: String,
}

/// A computed date and whether it rests on a year whose calendar is not loaded yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CalendarDate {
    pub date: Date,
    pub provisional: bool,
}

#[derive(Debug, Clone, Default)]
pub struct WorkCalendar {
    holidays: HashSet<Date>,
    workdays: HashSet<Date>,
    years: BTreeSet<i32>,
    days: Vec<SpecialDay>,
}

impl WorkCalendar {
    /// Parses `date,kind,name_en,name_zh` lines (a header line is skipped).
    pub fn parse_csv(text: &str) -> Result<Vec<SpecialDay>, FieldError> {
        let mut out = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with("date,") {
                continue;
            }
            let bad = |why: &str| {
                FieldError::new(
                    "calendar",
                    "invalid_calendar",
                    format!("第 {} 行有误：{why}", i + 1),
                    format!("Line {}: {why}", i + 1),
                )
            };
            let cols: Vec<&str> = line.splitn(4, ',').collect();
            if cols.len() != 4 {
                return Err(bad("expected date,kind,name_en,name_zh"));
            }
            let date = crate::dates::parse_date("date", cols[0]).map_err(|_| bad("bad date"))?;
            let kind = DayKind::from_code(cols[1]).ok_or_else(|| bad("kind must be holiday or workday"))?;
            out.push(SpecialDay { date, kind, name_en: cols[2].to_owned(), name_zh: cols[3].to_owned() });
        }
        Ok(out)
    }

    /// A calendar of the given special days; the years they fall in count as loaded.
    pub fn new(days: Vec<SpecialDay>) -> Self {
        let mut c = Self::default();
        for d in days {
            c.years.insert(d.date.year());
            match d.kind {
                DayKind::Holiday => c.holidays.insert(d.date),
                DayKind::Workday => c.workdays.insert(d.date),
            };
            c.days.push(d);
        }
        c.days.sort_by_key(|d| d.date);
        c
    }

    /// The shipped calendar with the days administrators added (an added day replaces a shipped
    /// one on the same date).
    pub fn shipped_with(added: Vec<SpecialDay>) -> Self {
        let mut days = Self::parse_csv(SHIPPED_CSV).unwrap_or_default();
        for a in added {
            days.retain(|d| d.date != a.date);
            days.push(a);
        }
        Self::new(days)
    }

    /// The shipped calendar.
    pub fn shipped() -> Self {
        // A unit test proves the shipped file parses; should it ever not, Monday to Friday
        // counts and every date is provisional, which is the safe way to be wrong.
        Self::new(Self::parse_csv(SHIPPED_CSV).unwrap_or_default())
    }

    pub fn is_loaded(&self, year: i32) -> bool {
        self.years.contains(&year)
    }

    pub fn last_loaded_year(&self) -> Option<i32> {
        self.years.iter().next_back().copied()
    }

    pub fn is_working_day(&self, d: Date) -> bool {
        if self.workdays.contains(&d) {
            return true;
        }
        !self.holidays.contains(&d) && !matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday)
    }

    /// The `n`th working day after `from` (n = 0 is `from` itself).
    pub fn add_working_days(&self, from: Date, n: u32) -> CalendarDate {
        let mut d = from;
        let mut left = n;
        let mut provisional = !self.is_loaded(from.year());
        while left > 0 {
            d += Duration::days(1);
            provisional |= !self.is_loaded(d.year());
            if self.is_working_day(d) {
                left -= 1;
            }
        }
        CalendarDate { date: d, provisional }
    }

    /// Working days after `from` up to and including `to` (0 if `to` is not after `from`).
    pub fn working_days_between(&self, from: Date, to: Date) -> i64 {
        let mut n = 0;
        let mut d = from;
        while d < to {
            d += Duration::days(1);
            if self.is_working_day(d) {
                n += 1;
            }
        }
        n
    }

    /// The special days of one year, in date order.
    pub fn year(&self, year: i32) -> Vec<&SpecialDay> {
        self.days.iter().filter(|d| d.date.year() == year).collect()
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    fn cal() -> WorkCalendar {
        WorkCalendar::shipped()
    }

    #[test]
    fn shipped_calendar_covers_2004_to_2026() {
        let c = cal();
        assert!(c.is_loaded(2004) && c.is_loaded(2019) && c.is_loaded(2026));
        assert!(!c.is_loaded(2027));
        assert_eq!(c.last_loaded_year(), Some(2026));
    }

    #[test]
    fn holidays_weekends_and_make_up_days() {
        let c = cal();
        assert!(!c.is_working_day(date!(2019 - 10 - 01)), "National Day");
        assert!(!c.is_working_day(date!(2019 - 10 - 07)), "a Monday inside the Golden Week");
        assert!(c.is_working_day(date!(2019 - 09 - 29)), "Sunday worked instead (调休)");
        assert!(c.is_working_day(date!(2019 - 10 - 12)), "Saturday worked instead (调休)");
        assert!(!c.is_working_day(date!(2019 - 10 - 13)), "an ordinary Sunday");
        assert!(c.is_working_day(date!(2019 - 10 - 08)));
        assert!(!c.is_working_day(date!(2020 - 01 - 31)), "the 2020 Spring Festival extension");
    }

    #[test]
    fn adding_working_days_across_golden_week() {
        let c = cal();
        // Friday 2019-09-27 + 1 working day = Sunday 09-29 (a make-up working day).
        assert_eq!(c.add_working_days(date!(2019 - 09 - 27), 1).date, date!(2019 - 09 - 29));
        // Monday 09-30 + 1 = Tuesday 10-08: 10-01..10-07 are holidays.
        assert_eq!(c.add_working_days(date!(2019 - 09 - 30), 1).date, date!(2019 - 10 - 08));
        // 5 working days for passing a report up, received on the eve of the holiday.
        let r = c.add_working_days(date!(2019 - 09 - 30), 5);
        assert_eq!((r.date, r.provisional), (date!(2019 - 10 - 12), false), "10-08..10-11, then Saturday 10-12");
        assert_eq!(c.add_working_days(date!(2019 - 06 - 03), 0).date, date!(2019 - 06 - 03));
    }

    #[test]
    fn fifteen_working_days_over_spring_festival_and_new_year() {
        let c = cal();
        // 2019-12-25 + 15 working days: 12-26,27,30,31, 01-02,03,06..10, 13..16 → 2020-01-16
        let r = c.add_working_days(date!(2019 - 12 - 25), 15);
        assert_eq!(r.date, date!(2020 - 01 - 16));
        assert!(!r.provisional);
        // Multi-year span: 600 working days from 2019-01-02 stays within loaded years.
        let far = c.add_working_days(date!(2019 - 01 - 02), 600);
        assert!(far.date.year() == 2021 && !far.provisional, "{:?}", far);
    }

    #[test]
    fn unloaded_years_fall_back_to_monday_to_friday_and_are_provisional() {
        let c = cal();
        let r = c.add_working_days(date!(2026 - 12 - 30), 5);
        assert!(r.provisional, "crosses into 2027");
        // 12-31 (Thu), then 2027: 01-01 Fri counts (not loaded!), 01-04..06.
        assert_eq!(r.date, date!(2027 - 01 - 06));
        let mut days = WorkCalendar::parse_csv(SHIPPED_CSV).unwrap();
        days.extend(WorkCalendar::parse_csv("2027-01-01,holiday,New Year's Day,元旦\n").unwrap());
        let loaded = WorkCalendar::new(days);
        let r = loaded.add_working_days(date!(2026 - 12 - 30), 5);
        assert_eq!((r.date, r.provisional), (date!(2027 - 01 - 07), false), "recomputed once 2027 is loaded");
    }

    #[test]
    fn working_days_between() {
        let c = cal();
        assert_eq!(c.working_days_between(date!(2019 - 09 - 27), date!(2019 - 10 - 08)), 3, "09-29, 09-30, 10-08");
        assert_eq!(c.working_days_between(date!(2019 - 10 - 08), date!(2019 - 10 - 08)), 0);
        assert_eq!(c.working_days_between(date!(2019 - 10 - 09), date!(2019 - 10 - 08)), 0);
    }

    #[test]
    fn bad_csv_lines_are_named() {
        let e = WorkCalendar::parse_csv("date,kind,name_en,name_zh\n2027-02-30,holiday,x,y\n").unwrap_err();
        assert!(e.message_en.starts_with("Line 2"), "{}", e.message_en);
        assert!(WorkCalendar::parse_csv("2027-02-03,vacation,x,y").is_err());
    }
}
