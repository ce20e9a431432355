//! The periods statistics are counted over: a month (the bulletins' default), a quarter, a
//! year, the campaign, or any range of days. Each is a closed range of Beijing dates, and each
//! has the period before it, to compare with.

use serde::Serialize;
use time::{Date, Duration, Month};

use crate::{FieldError, Invalid, dates::parse_date, labelled_enum};

labelled_enum!(
    /// What kind of period it is.
    PeriodKind {
        Month = ("month", "月度", "Month"),
        Quarter = ("quarter", "季度", "Quarter"),
        Year = ("year", "年度", "Year"),
        Campaign = ("campaign", "专项工作期间", "The campaign"),
        Range = ("range", "自定义期间", "Range"),
    }
);

/// A closed range of days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Period {
    pub kind: PeriodKind,
    #[schema(value_type = String, format = Date)]
    pub from: Date,
    #[schema(value_type = String, format = Date)]
    pub to: Date,
}

/// The longest range counted at once (ten years): a typo like 2206 is refused, not counted.
pub const MAX_DAYS: i64 = 3_660;

fn first_of(year: i32, month: u8) -> Option<Date> {
    Date::from_calendar_date(year, Month::try_from(month).ok()?, 1).ok()
}

fn last_of(year: i32, month: u8) -> Option<Date> {
    let m = Month::try_from(month).ok()?;
    Date::from_calendar_date(year, m, time::util::days_in_month(m, year)).ok()
}

fn bad(field: &str) -> FieldError {
    FieldError::new(
        field,
        "invalid_period",
        "期间格式不对：请写 2026-11（月）、2026-Q4（季度）、2026（年）或 campaign（专项工作期间）。",
        "Not a period: write 2026-11 (a month), 2026-Q4 (a quarter), 2026 (a year) or campaign.",
    )
}

impl Period {
    pub fn month(year: i32, month: u8) -> Option<Self> {
        Some(Self { kind: PeriodKind::Month, from: first_of(year, month)?, to: last_of(year, month)? })
    }

    pub fn quarter(year: i32, q: u8) -> Option<Self> {
        if !(1..=4).contains(&q) {
            return None;
        }
        Some(Self { kind: PeriodKind::Quarter, from: first_of(year, q * 3 - 2)?, to: last_of(year, q * 3)? })
    }

    pub fn year(year: i32) -> Option<Self> {
        Some(Self { kind: PeriodKind::Year, from: first_of(year, 1)?, to: last_of(year, 12)? })
    }

    /// The month `today` falls in: the default.
    pub fn month_of(today: Date) -> Self {
        Self::month(today.year(), today.month() as u8).unwrap_or(Self {
            kind: PeriodKind::Month,
            from: today,
            to: today,
        })
    }

    pub fn days(&self) -> i64 {
        (self.to - self.from).whole_days() + 1
    }

    pub fn contains(&self, d: Date) -> bool {
        self.from <= d && d <= self.to
    }

    /// The period before it, of the same kind and length: the month, quarter or year before;
    /// for a campaign or a range, as many days just before.
    pub fn previous(&self) -> Self {
        let (y, m) = (self.from.year(), self.from.month() as u8);
        let back = |months: i32| {
            let total = y * 12 + i32::from(m) - 1 - months;
            (total.div_euclid(12), (total.rem_euclid(12) + 1) as u8)
        };
        // Before a campaign is a range of days (named by its dates, not as the campaign).
        let same_length = || {
            let to = self.from - Duration::days(1);
            Self { kind: PeriodKind::Range, from: to - Duration::days(self.days() - 1), to }
        };
        match self.kind {
            PeriodKind::Month => {
                let (y, m) = back(1);
                Self::month(y, m)
            }
            PeriodKind::Quarter => {
                let (y, m) = back(3);
                Self::quarter(y, m.div_ceil(3))
            }
            PeriodKind::Year => Self::year(y - 1),
            PeriodKind::Campaign | PeriodKind::Range => None,
        }
        .unwrap_or_else(same_length)
    }

    /// What the period is called: 2026年11月, 2026年第四季度, 2026年, 2026-01-01至2026-03-31.
    pub fn label(&self, english: bool) -> String {
        let y = self.from.year();
        match (self.kind, english) {
            (PeriodKind::Month, false) => format!("{y}年{}月", self.from.month() as u8),
            (PeriodKind::Month, true) => format!("{} {y}", self.from.month()),
            (PeriodKind::Quarter, false) => {
                format!("{y}年第{}季度", ["一", "二", "三", "四"][usize::from((self.from.month() as u8 - 1) / 3)])
            }
            (PeriodKind::Quarter, true) => format!("Q{} {y}", (self.from.month() as u8 - 1) / 3 + 1),
            (PeriodKind::Year, false) => format!("{y}年"),
            (PeriodKind::Year, true) => format!("{y}"),
            (PeriodKind::Campaign, _) => self.kind.label(english).to_owned(),
            (_, false) => format!("{}至{}", crate::dates::format_date(self.from), crate::dates::format_date(self.to)),
            (_, true) => format!("{} to {}", crate::dates::format_date(self.from), crate::dates::format_date(self.to)),
        }
    }

    /// The value that names it in a link (`period=`), or the range's ends.
    pub fn code(&self) -> String {
        match self.kind {
            PeriodKind::Month => format!("{}-{:02}", self.from.year(), self.from.month() as u8),
            PeriodKind::Quarter => format!("{}-Q{}", self.from.year(), (self.from.month() as u8 - 1) / 3 + 1),
            PeriodKind::Year => self.from.year().to_string(),
            PeriodKind::Campaign => "campaign".into(),
            PeriodKind::Range => {
                format!("{}..{}", crate::dates::format_date(self.from), crate::dates::format_date(self.to))
            }
        }
    }
}

/// A period as asked for: `period` (2026-11, 2026-Q4, 2026, campaign; empty: this month), or a
/// range `from`–`to`, which wins when given.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PeriodInput {
    /// 2026-11, 2026-Q4, 2026 or campaign; empty for this month.
    #[serde(default)]
    pub period: String,
    /// A range's first day (YYYY-MM-DD), with `to`.
    #[serde(default)]
    pub from: String,
    /// A range's last day (YYYY-MM-DD), with `from`.
    #[serde(default)]
    pub to: String,
}

impl PeriodInput {
    /// The period meant, given today and the campaign's own dates.
    pub fn parse(&self, today: Date, campaign: (Date, Date)) -> Result<Period, Invalid> {
        if !self.from.trim().is_empty() || !self.to.trim().is_empty() {
            let mut e = Invalid::default();
            let from = parse_date("from", &self.from).map_err(|x| e.push(x)).ok();
            let to = parse_date("to", &self.to).map_err(|x| e.push(x)).ok();
            let (Some(from), Some(to)) = (from, to) else { return Err(e) };
            if to < from {
                e.push(FieldError::new(
                    "to",
                    "before_from",
                    "结束日期早于开始日期。",
                    "The last day is before the first.",
                ));
            } else if (to - from).whole_days() + 1 > MAX_DAYS {
                e.push(FieldError::new("to", "too_long", "期间不能超过十年。", "A period is at most ten years."));
            }
            return if e.0.is_empty() { Ok(Period { kind: PeriodKind::Range, from, to }) } else { Err(e) };
        }
        let p = self.period.trim();
        let one = |e: FieldError| Invalid(vec![e]);
        if p.is_empty() {
            return Ok(Period::month_of(today));
        }
        if p == "campaign" {
            return Ok(Period { kind: PeriodKind::Campaign, from: campaign.0, to: campaign.1 });
        }
        let year = |s: &str| s.parse::<i32>().ok().filter(|y| (2000..=2100).contains(y) && s.len() == 4);
        let found = match p.split_once('-') {
            None => year(p).and_then(Period::year),
            Some((y, q)) if q.starts_with(['Q', 'q']) => {
                year(y).zip(q[1..].parse::<u8>().ok()).and_then(|(y, q)| Period::quarter(y, q))
            }
            Some((y, m)) if m.len() == 2 => year(y).zip(m.parse::<u8>().ok()).and_then(|(y, m)| Period::month(y, m)),
            Some(_) => None,
        };
        found.ok_or_else(|| one(bad("period")))
    }
}

/// What a campaign's statistics over the campaign are compared with: the campaign that started
/// last before it (last year's, when each year's is copied from the one before), over its own
/// dates and leads; `None` for the first. `others` are every campaign's id and first day.
pub fn campaign_before<I: Copy + PartialEq>(this: (I, Date), others: &[(I, Date)]) -> Option<I> {
    others
        .iter()
        .filter(|(id, starts)| *id != this.0 && *starts < this.1)
        .max_by_key(|(_, starts)| *starts)
        .map(|(id, _)| *id)
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    fn parse(period: &str) -> Result<Period, Invalid> {
        let i = PeriodInput { period: period.into(), ..Default::default() };
        i.parse(date!(2026 - 12 - 07), (date!(2026 - 03 - 01), date!(2026 - 12 - 31)))
    }

    #[test]
    fn periods_are_named_the_way_the_committee_writes_them() {
        let m = parse("2026-02").unwrap();
        assert_eq!((m.from, m.to, m.days()), (date!(2026 - 02 - 01), date!(2026 - 02 - 28), 28));
        assert_eq!(m.label(false), "2026年2月");
        let q = parse("2026-Q4").unwrap();
        assert_eq!((q.from, q.to), (date!(2026 - 10 - 01), date!(2026 - 12 - 31)));
        assert_eq!((q.label(false), q.code()), ("2026年第四季度".into(), "2026-Q4".into()));
        assert_eq!(parse("2025").unwrap().to, date!(2025 - 12 - 31));
        assert_eq!(parse("").unwrap(), Period::month(2026, 12).unwrap(), "this month by default");
        let c = parse("campaign").unwrap();
        assert_eq!((c.kind, c.from, c.to), (PeriodKind::Campaign, date!(2026 - 03 - 01), date!(2026 - 12 - 31)));
        assert_eq!(c.label(false), "专项工作期间");
        assert_eq!(c.previous().label(false), "2025-04-29至2026-02-28", "as many days (306) before, by its dates");
        for bad in ["2026-13", "2026-Q5", "26-11", "2026-1", "二〇二六", "2026-11-01", "9999"] {
            assert_eq!(parse(bad).unwrap_err().0[0].code, "invalid_period", "{bad}");
        }
    }

    #[test]
    fn each_period_has_the_one_before_it() {
        assert_eq!(parse("2026-01").unwrap().previous(), Period::month(2025, 12).unwrap());
        assert_eq!(parse("2026-03").unwrap().previous().to, date!(2026 - 02 - 28));
        assert_eq!(parse("2026-Q1").unwrap().previous(), Period::quarter(2025, 4).unwrap());
        assert_eq!(parse("2026").unwrap().previous(), Period::year(2025).unwrap());
        // A range: as many days just before (10 days → the 10 before).
        let r = PeriodInput { from: "2026-03-11".into(), to: "2026-03-20".into(), ..Default::default() };
        let r = r.parse(date!(2026 - 12 - 07), (date!(2026 - 01 - 01), date!(2026 - 12 - 31))).unwrap();
        let p = r.previous();
        assert_eq!((p.from, p.to, p.kind), (date!(2026 - 03 - 01), date!(2026 - 03 - 10), PeriodKind::Range));
    }

    #[test]
    fn a_campaign_is_compared_with_the_one_that_started_last_before_it() {
        let all = [
            (1, date!(2019 - 08 - 01)),
            (2, date!(2026 - 08 - 01)),
            (3, date!(2025 - 08 - 01)),
            (4, date!(2027 - 01 - 01)),
        ];
        assert_eq!(campaign_before((2, date!(2026 - 08 - 01)), &all), Some(3), "last year's, not the first");
        assert_eq!(campaign_before((3, date!(2025 - 08 - 01)), &all), Some(1));
        assert_eq!(campaign_before((1, date!(2019 - 08 - 01)), &all), None, "the first has none");
        // One started the same day is no campaign before it.
        assert_eq!(campaign_before((5, date!(2019 - 08 - 01)), &all), None);
    }

    #[test]
    fn a_range_is_checked_whole() {
        let at = |from: &str, to: &str| {
            PeriodInput { from: from.into(), to: to.into(), ..Default::default() }
                .parse(date!(2026 - 12 - 07), (date!(2026 - 01 - 01), date!(2026 - 12 - 31)))
        };
        let codes = |r: Result<Period, Invalid>| r.unwrap_err().0.iter().map(|e| e.code).collect::<Vec<_>>();
        assert_eq!(codes(at("2026-02-30", "")), ["invalid_date", "required"]);
        assert_eq!(codes(at("2026-03-02", "2026-03-01")), ["before_from"]);
        assert_eq!(codes(at("2000-01-01", "2026-01-01")), ["too_long"]);
        assert_eq!(at("2026-03-01", "2026-03-01").unwrap().days(), 1);
    }
}
