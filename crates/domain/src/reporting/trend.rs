//! The dashboard's other series (issue 17, point 2): leads received and closed month by month,
//! and the open leads past their deadline by how long they have been overdue.

use serde::Serialize;
use time::{Date, Month};

/// A calendar month, as the trend counts by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearMonth {
    pub year: i32,
    pub month: u8,
}

impl YearMonth {
    pub fn of(d: Date) -> Self {
        Self { year: d.year(), month: d.month() as u8 }
    }

    /// From the first seven characters of a stored day ("2019-08-05" → 2019-08).
    pub fn parse(s: &str) -> Option<Self> {
        let (y, m) = s.get(..7)?.split_once('-')?;
        let (year, month) = (y.parse().ok()?, m.parse().ok()?);
        Month::try_from(month).ok()?;
        Some(Self { year, month })
    }

    pub fn next(self) -> Self {
        if self.month == 12 { Self { year: self.year + 1, month: 1 } } else { Self { month: self.month + 1, ..self } }
    }

    pub fn label(self) -> String {
        format!("{}-{:02}", self.year, self.month)
    }
}

/// One month of the trend.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct MonthFigures {
    /// "YYYY-MM".
    pub month: String,
    pub received: i64,
    pub closed: i64,
}

/// Every month from `from`'s to `to`'s (none missing, zeros where nothing happened), from counts
/// of leads received and closed by month. Months outside the range are left out.
pub fn monthly(received: &[(YearMonth, i64)], closed: &[(YearMonth, i64)], from: Date, to: Date) -> Vec<MonthFigures> {
    let (first, last) = (YearMonth::of(from), YearMonth::of(to.max(from)));
    let sum = |v: &[(YearMonth, i64)], m: YearMonth| v.iter().filter(|(k, _)| *k == m).map(|(_, n)| n).sum();
    let mut out = Vec::new();
    let mut m = first;
    while m <= last {
        out.push(MonthFigures { month: m.label(), received: sum(received, m), closed: sum(closed, m) });
        m = m.next();
    }
    out
}

/// How long an open lead has been past its deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Ageing {
    /// 1–7 days.
    Week,
    /// 8–30 days.
    Month,
    /// 31–90 days.
    Quarter,
    /// More than 90 days.
    Longer,
}

impl Ageing {
    pub const ALL: [Ageing; 4] = [Ageing::Week, Ageing::Month, Ageing::Quarter, Ageing::Longer];

    /// The bucket of a lead whose deadline was `deadline`, as of `today`; `None` when it is not
    /// overdue (a deadline today is still in time).
    pub fn of(deadline: Date, today: Date) -> Option<Self> {
        match (today - deadline).whole_days() {
            ..=0 => None,
            1..=7 => Some(Ageing::Week),
            8..=30 => Some(Ageing::Month),
            31..=90 => Some(Ageing::Quarter),
            _ => Some(Ageing::Longer),
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Ageing::Week => "week",
            Ageing::Month => "month",
            Ageing::Quarter => "quarter",
            Ageing::Longer => "longer",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Ageing::Week => "超期1–7天",
            Ageing::Month => "超期8–30天",
            Ageing::Quarter => "超期31–90天",
            Ageing::Longer => "超期90天以上",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Ageing::Week => "1–7 days overdue",
            Ageing::Month => "8–30 days overdue",
            Ageing::Quarter => "31–90 days overdue",
            Ageing::Longer => "over 90 days overdue",
        }
    }

    /// The oldest day a deadline of this bucket may be, and the newest, as of `today`: the
    /// ledger's deadline filter that shows exactly these leads.
    pub fn deadlines(self, today: Date) -> (Option<Date>, Date) {
        let day = |n: i64| today - time::Duration::days(n);
        match self {
            Ageing::Week => (Some(day(7)), day(1)),
            Ageing::Month => (Some(day(30)), day(8)),
            Ageing::Quarter => (Some(day(90)), day(31)),
            Ageing::Longer => (None, day(91)),
        }
    }
}

/// Open overdue leads by bucket, from their counts by deadline.
pub fn ageing(by_deadline: &[(Date, i64)], today: Date) -> [(Ageing, i64); 4] {
    let mut out = Ageing::ALL.map(|a| (a, 0));
    for (d, n) in by_deadline {
        if let Some(a) = Ageing::of(*d, today) {
            out[a as usize].1 += n;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    #[test]
    fn every_month_of_the_range_is_there_once() {
        let m = |s: &str| YearMonth::parse(s).unwrap();
        let received = [(m("2019-08-05"), 3), (m("2019-10"), 2), (m("2019-08"), 1), (m("2020-02"), 9)];
        let closed = [(m("2019-09-30"), 4)];
        let t = monthly(&received, &closed, date!(2019 - 08 - 01), date!(2019 - 11 - 15));
        let got: Vec<(&str, i64, i64)> = t.iter().map(|f| (f.month.as_str(), f.received, f.closed)).collect();
        assert_eq!(got, [("2019-08", 4, 0), ("2019-09", 0, 4), ("2019-10", 2, 0), ("2019-11", 0, 0)]);
        let over_new_year = monthly(&[], &[], date!(2019 - 12 - 20), date!(2020 - 01 - 02));
        assert_eq!(over_new_year.iter().map(|f| f.month.as_str()).collect::<Vec<_>>(), ["2019-12", "2020-01"]);
        assert_eq!(YearMonth::parse("2019-13-01"), None);
        assert_eq!(YearMonth::parse("2019"), None);
    }

    #[test]
    fn overdue_leads_fall_in_one_bucket_by_their_days_past_the_deadline() {
        let today = date!(2019 - 12 - 01);
        let d = |n: i64| today - time::Duration::days(n);
        assert_eq!(Ageing::of(today, today), None, "due today is in time");
        assert_eq!(Ageing::of(d(-3), today), None);
        assert_eq!(
            [1, 7, 8, 30, 31, 90, 91].map(|n| Ageing::of(d(n), today).unwrap()),
            [
                Ageing::Week,
                Ageing::Week,
                Ageing::Month,
                Ageing::Month,
                Ageing::Quarter,
                Ageing::Quarter,
                Ageing::Longer
            ]
        );
        let got = ageing(&[(d(0), 5), (d(2), 1), (d(7), 2), (d(45), 3), (d(400), 4)], today);
        assert_eq!(got.map(|(_, n)| n), [3, 0, 3, 4]);
        // Each bucket's deadline range holds its edges and nothing of its neighbours'.
        for a in Ageing::ALL {
            let (oldest, newest) = a.deadlines(today);
            assert_eq!(Ageing::of(newest, today), Some(a));
            if let Some(o) = oldest {
                assert_eq!(Ageing::of(o, today), Some(a));
                assert_ne!(Ageing::of(o - time::Duration::days(1), today), Some(a));
            }
            assert_ne!(Ageing::of(newest + time::Duration::days(1), today), Some(a));
        }
    }
}
