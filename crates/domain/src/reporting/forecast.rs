//! The clearance forecast (issue 17, point 2): at a unit's pace over the last weeks, the day its
//! stock reaches zero against the clearance deadline, and the leads a week it needs from now.
//! Units that will miss are told so before they miss.

use serde::Serialize;
use time::{Date, Duration};

/// Weeks of pace the forecast looks back on by default.
pub const PACE_WEEKS: u32 = 4;

/// What the forecast says of one unit.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Forecast {
    /// Stock not cleared today.
    pub remaining: i64,
    /// Stock leads cleared a week, over the last weeks.
    pub pace_per_week: f64,
    /// The day the stock reaches zero at that pace; `None` when nothing is being cleared.
    #[serde(with = "crate::dates::serde_opt_date")]
    #[schema(value_type = Option<String>, format = Date)]
    pub zero_on: Option<Date>,
    /// Leads a week needed from today to be clear by the deadline (all of them when it is past).
    pub needed_per_week: f64,
    /// It will not be clear by the deadline at this pace.
    pub will_miss: bool,
}

/// The forecast from the stock remaining today, the stock cleared over the last `weeks` weeks,
/// and the clearance deadline.
pub fn forecast(remaining: i64, cleared_recently: i64, weeks: u32, today: Date, deadline: Date) -> Forecast {
    let remaining = remaining.max(0);
    let pace = if weeks == 0 { 0.0 } else { cleared_recently.max(0) as f64 / f64::from(weeks) };
    let zero_on = if remaining == 0 {
        Some(today)
    } else if pace > 0.0 {
        let days = (remaining as f64 / pace * 7.0).ceil() as i64;
        Some(today + Duration::days(days))
    } else {
        None
    };
    let days_left = (deadline - today).whole_days();
    let needed = if remaining == 0 {
        0.0
    } else if days_left <= 0 {
        remaining as f64
    } else {
        remaining as f64 / (days_left as f64 / 7.0)
    };
    let will_miss = remaining > 0 && zero_on.is_none_or(|d| d > deadline);
    Forecast { remaining, pace_per_week: pace, zero_on, needed_per_week: needed, will_miss }
}

/// The stock left at the end of each week from `from` to `to` (the last point on `to`), from
/// how many stock leads closed on each day (`None`: not closed). Leads counted are the stock:
/// all of them at the start.
pub fn burn_down(closings: &[(Option<Date>, i64)], from: Date, to: Date) -> Vec<(Date, i64)> {
    let total: i64 = closings.iter().map(|(_, n)| n).sum();
    let left_on =
        |d: Date| total - closings.iter().filter(|(c, _)| c.is_some_and(|c| c <= d)).map(|(_, n)| n).sum::<i64>();
    let mut out = Vec::new();
    let mut day = from;
    while day < to {
        out.push((day, left_on(day)));
        day += Duration::days(7);
    }
    out.push((to, left_on(to)));
    out
}

/// Stock leads closed in the `weeks` weeks up to `today` (the pace's numerator).
pub fn cleared_in_last_weeks(closings: &[(Option<Date>, i64)], today: Date, weeks: u32) -> i64 {
    let since = today - Duration::days(7 * i64::from(weeks));
    closings.iter().filter(|(c, _)| c.is_some_and(|c| c > since && c <= today)).map(|(_, n)| n).sum()
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    /// 2019-11-28, deadline 2019-12-31 (33 days, 4.71 weeks).
    #[test]
    fn the_pace_of_the_last_weeks_says_when_the_stock_reaches_zero() {
        let (today, deadline) = (date!(2019 - 11 - 28), date!(2019 - 12 - 31));
        // 12 left, 8 cleared in 4 weeks: 2 a week, 6 weeks → 42 days → 2020-01-09, a miss.
        let f = forecast(12, 8, 4, today, deadline);
        assert_eq!((f.pace_per_week, f.zero_on, f.will_miss), (2.0, Some(date!(2020 - 01 - 09)), true));
        assert!((f.needed_per_week - 12.0 / (33.0 / 7.0)).abs() < 1e-9, "{}", f.needed_per_week);
        // 6 left at 2 a week: 21 days → 2019-12-19, in time.
        let f = forecast(6, 8, 4, today, deadline);
        assert_eq!((f.zero_on, f.will_miss), (Some(date!(2019 - 12 - 19)), false));
        // Nothing cleared lately: no date, a miss; nothing left: clear today, no miss.
        assert_eq!(forecast(3, 0, 4, today, deadline).zero_on, None);
        assert!(forecast(3, 0, 4, today, deadline).will_miss);
        let clear = forecast(0, 0, 4, today, deadline);
        assert_eq!((clear.zero_on, clear.will_miss, clear.needed_per_week), (Some(today), false, 0.0));
        // Past the deadline: everything left is needed now.
        assert_eq!(forecast(5, 4, 4, date!(2020 - 01 - 02), deadline).needed_per_week, 5.0);
    }

    #[test]
    fn the_burn_down_steps_down_as_leads_close() {
        let d = |s: &str| crate::dates::parse_date("d", s).unwrap();
        let closings = [(Some(d("2019-08-05")), 2), (Some(d("2019-08-20")), 3), (None, 5)];
        let series = burn_down(&closings, d("2019-08-01"), d("2019-08-22"));
        assert_eq!(series, [(d("2019-08-01"), 10), (d("2019-08-08"), 8), (d("2019-08-15"), 8), (d("2019-08-22"), 5)]);
        assert_eq!(cleared_in_last_weeks(&closings, d("2019-08-22"), 3), 5, "both closings within 21 days");
        assert_eq!(cleared_in_last_weeks(&closings, d("2019-08-22"), 2), 3, "17 days back is out of two weeks");
        assert_eq!(cleared_in_last_weeks(&closings, d("2019-08-22"), 1), 3);
    }
}
