//! A bulletin's score (issue 17, point 3): 100 points per unit over the criteria the plan
//! names, by rules that are data — the points of each criterion, a deduction per item where
//! items count against the unit, and the thresholds of the three lists. Rules are versioned
//! (a bulletin records the version it used); the committee edits them into a new version.

use serde::{Deserialize, Serialize};

use crate::{
    FieldError, Invalid, labelled_enum,
    reporting::figures::{Count, Counts, Rate},
};

labelled_enum!(
    /// What a unit is scored on.
    Criterion {
        Clearance = ("clearance", "清零率", "Clearance rate"),
        Closure = ("closure", "查结率", "Closure rate"),
        Timeliness = ("timeliness", "按期办结", "Handled within deadlines"),
        Overdue = ("overdue", "超期未办结（每件扣分）", "Overdue now (per lead)"),
        FlaggedExtensions = ("flagged_extensions", "异常延期（每件扣分）", "Flagged extensions (each)"),
        ReviewsReturned = ("reviews_returned", "复审退回重查（每件扣分）", "Reviews returned (each)"),
        Feedback = ("feedback", "反馈及时率", "Feedback on time"),
        Satisfaction = ("satisfaction", "群众满意率", "Satisfaction rate"),
        RectificationOnTime = ("rectification_on_time", "整改按期回复", "Rectifications replied on time"),
        WorkReport = ("work_report", "工作情况报告按时报送", "Work report on time"),
    }
);

impl Criterion {
    /// Items that count against the unit: each takes `per_item` points off, down to 0.
    pub fn deducts(self) -> bool {
        matches!(self, Criterion::Overdue | Criterion::FlaggedExtensions | Criterion::ReviewsReturned)
    }

    /// The items counted against the unit, for a deduction.
    fn items(self, c: &Counts) -> i64 {
        match self {
            Criterion::Overdue => c.get(Count::OverdueNow),
            Criterion::FlaggedExtensions => c.get(Count::FlaggedExtensions),
            Criterion::ReviewsReturned => c.get(Count::ReviewsReturned),
            _ => 0,
        }
    }

    /// The share earned (numerator, denominator) of a rate criterion; nothing to count earns
    /// the full points (a unit with no stock has nothing left to clear).
    fn share(self, c: &Counts, report: ReportTimeliness) -> (i64, i64) {
        let rate = |r: Rate| {
            let (n, d) = r.parts();
            (c.get(n), c.get(d))
        };
        match self {
            Criterion::Clearance => rate(Rate::Clearance),
            Criterion::Closure => rate(Rate::Closure),
            Criterion::Feedback => rate(Rate::Feedback),
            Criterion::Satisfaction => rate(Rate::Satisfaction),
            Criterion::Timeliness => {
                let all = c.get(Count::ReceivedToDate);
                (all - c.get(Count::OverdueEver).min(all), all)
            }
            Criterion::RectificationOnTime => (c.get(Count::RectificationsOnTime), c.get(Count::RectificationsIssued)),
            Criterion::WorkReport => match report {
                ReportTimeliness::NotDue | ReportTimeliness::OnTime => (1, 1),
                ReportTimeliness::Late => (1, 2),
                ReportTimeliness::Missing => (0, 1),
            },
            Criterion::Overdue | Criterion::FlaggedExtensions | Criterion::ReviewsReturned => (0, 0),
        }
    }
}

labelled_enum!(
    /// Where a unit's work report stands at the period's end (half the points when late).
    ReportTimeliness {
        NotDue = ("not_due", "未到报送时间", "Not due yet"),
        OnTime = ("on_time", "按时报送", "On time"),
        Late = ("late", "逾期报送", "Late"),
        Missing = ("missing", "未报送", "Not submitted"),
    }
);

impl ReportTimeliness {
    /// Where a report due on `due` stands at `as_of`, submitted on `submitted` (if ever).
    pub fn of(due: time::Date, as_of: time::Date, submitted: Option<time::Date>) -> Self {
        match submitted.filter(|s| *s <= as_of) {
            Some(s) if s <= due => ReportTimeliness::OnTime,
            Some(_) => ReportTimeliness::Late,
            None if as_of <= due => ReportTimeliness::NotDue,
            None => ReportTimeliness::Missing,
        }
    }
}

labelled_enum!(
    /// The lists a bulletin proposes and the committee confirms.
    ListKind {
        Praise = ("praise", "通报表扬", "Praised"),
        Criticism = ("criticism", "通报批评", "Criticised"),
        Summons = ("summons", "约谈主要负责人", "Head summoned"),
    }
);

/// One criterion's points and, for a deduction, the points each item takes off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Weight {
    pub criterion: Criterion,
    pub points: u32,
    #[serde(default)]
    pub per_item: u32,
}

/// The rules of a score: weights summing to 100 and the lists' thresholds (in points).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ScoreRules {
    pub weights: Vec<Weight>,
    /// A score at or above it proposes praise.
    pub praise_at: u32,
    /// A score below it proposes criticism.
    pub criticise_below: u32,
    /// A score below it proposes summoning the unit's head …
    pub summon_below: u32,
    /// … as does this many leads overdue now (0: never by that alone).
    pub summon_overdue: u32,
}

impl Default for ScoreRules {
    /// The first version: clearance weighs most, as the campaign is judged by it.
    fn default() -> Self {
        let w = |criterion, points, per_item| Weight { criterion, points, per_item };
        Self {
            weights: vec![
                w(Criterion::Clearance, 30, 0),
                w(Criterion::Closure, 15, 0),
                w(Criterion::Timeliness, 10, 0),
                w(Criterion::Overdue, 10, 2),
                w(Criterion::FlaggedExtensions, 5, 1),
                w(Criterion::ReviewsReturned, 10, 2),
                w(Criterion::Feedback, 5, 0),
                w(Criterion::Satisfaction, 5, 0),
                w(Criterion::RectificationOnTime, 5, 0),
                w(Criterion::WorkReport, 5, 0),
            ],
            praise_at: 95,
            criticise_below: 80,
            summon_below: 60,
            summon_overdue: 5,
        }
    }
}

/// One criterion's share of a unit's score, in tenths of a point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Part {
    pub criterion: Criterion,
    pub tenths: u32,
    pub max: u32,
}

/// A unit's score: its parts and their sum, in tenths of a point.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Scored {
    pub tenths: u32,
    pub parts: Vec<Part>,
}

fn invalid(field: &str, code: &'static str, zh: &str, en: &str) -> FieldError {
    FieldError::new(field, code, zh, en)
}

impl ScoreRules {
    /// Refuses rules that do not add up to 100 points, name a criterion twice, deduct nothing
    /// for a deduction, or whose thresholds are out of order.
    pub fn check(&self) -> Result<(), Invalid> {
        let mut e = Invalid::default();
        let sum: u32 = self.weights.iter().map(|w| w.points).sum();
        if sum != 100 {
            e.push(invalid(
                "weights",
                "not_100",
                &format!("各项分值合计应为100分，现为{sum}分。"),
                &format!("The points must add up to 100; they add up to {sum}."),
            ));
        }
        for (i, w) in self.weights.iter().enumerate() {
            if self.weights[..i].iter().any(|x| x.criterion == w.criterion) {
                e.push(invalid("weights", "repeated", "同一指标只能出现一次。", "A criterion is listed twice."));
            }
            if w.criterion.deducts() && w.points > 0 && w.per_item == 0 {
                e.push(invalid(
                    &format!("per_item_{}", w.criterion.code()),
                    "no_deduction",
                    "扣分项须填写每件扣分。",
                    "A deduction needs the points each item takes off.",
                ));
            }
        }
        if !(self.summon_below <= self.criticise_below
            && self.criticise_below <= self.praise_at
            && self.praise_at <= 100)
        {
            e.push(invalid(
                "praise_at",
                "thresholds",
                "分数线应为：约谈线 ≤ 批评线 ≤ 表扬线 ≤ 100。",
                "The thresholds must be: summons ≤ criticism ≤ praise ≤ 100.",
            ));
        }
        if e.is_empty() { Ok(()) } else { Err(e) }
    }

    /// A unit's score from its counts for the period and where its work report stands.
    pub fn score(&self, c: &Counts, report: ReportTimeliness) -> Scored {
        let parts: Vec<Part> = self
            .weights
            .iter()
            .map(|w| {
                let max = w.points * 10;
                let tenths = if w.criterion.deducts() {
                    let off = (w.criterion.items(c).max(0) as u64).saturating_mul(u64::from(w.per_item) * 10);
                    max.saturating_sub(off.min(u64::from(max)) as u32)
                } else {
                    match w.criterion.share(c, report) {
                        (_, d) if d <= 0 => max,
                        // Rounded half up, as a percentage is.
                        (n, d) => ((u64::from(max) * n.clamp(0, d) as u64 * 2 + d as u64) / (2 * d as u64)) as u32,
                    }
                };
                Part { criterion: w.criterion, tenths, max: w.points }
            })
            .collect();
        Scored { tenths: parts.iter().map(|p| p.tenths).sum(), parts }
    }

    /// The list a score proposes, if any: summons before criticism.
    pub fn propose(&self, s: &Scored, c: &Counts) -> Option<ListKind> {
        let overdue = c.get(Count::OverdueNow);
        if s.tenths < self.summon_below * 10 || (self.summon_overdue > 0 && overdue >= i64::from(self.summon_overdue)) {
            Some(ListKind::Summons)
        } else if s.tenths < self.criticise_below * 10 {
            Some(ListKind::Criticism)
        } else if s.tenths >= self.praise_at * 10 {
            Some(ListKind::Praise)
        } else {
            None
        }
    }
}

/// Ranks scores, best first: equal scores share a rank (1, 2, 2, 4).
pub fn ranks(tenths: &[u32]) -> Vec<u32> {
    tenths.iter().map(|t| 1 + tenths.iter().filter(|o| *o > t).count() as u32).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(v: &[(Count, i64)]) -> Counts {
        let mut c = Counts::default();
        for (k, n) in v {
            c.set(*k, *n);
        }
        c
    }

    #[test]
    fn the_default_rules_add_up_and_a_clean_unit_scores_100() {
        let r = ScoreRules::default();
        r.check().unwrap();
        let s = r.score(&Counts::default(), ReportTimeliness::NotDue);
        assert_eq!(s.tenths, 1000, "nothing to count earns every point");
        assert_eq!(r.propose(&s, &Counts::default()), Some(ListKind::Praise));
    }

    /// A hand-computed unit: stock 10 of which 6 cleared (30 × 0.6 = 18), received 20 closed 8
    /// (15 × 0.4 = 6), 4 ever overdue of 20 (10 × 0.8 = 8), 3 overdue now (10 − 6 = 4), one
    /// flagged extension (5 − 1 = 4), 6 returned reviews (10 − 12 → 0), feedback 2 of 3
    /// (5 × 2/3 = 3.3), no follow-ups (5), a rectification of 2 on time (2.5), report late (2.5).
    #[test]
    fn a_units_score_is_the_sum_of_its_hand_computed_parts() {
        let c = counts(&[
            (Count::StockTotal, 10),
            (Count::StockCleared, 6),
            (Count::ReceivedToDate, 20),
            (Count::ClosedToDate, 8),
            (Count::OverdueEver, 4),
            (Count::OverdueNow, 3),
            (Count::FlaggedExtensions, 1),
            (Count::ReviewsReturned, 6),
            (Count::FeedbackDue, 3),
            (Count::FeedbackOnTime, 2),
            (Count::RectificationsIssued, 2),
            (Count::RectificationsOnTime, 1),
        ]);
        let r = ScoreRules::default();
        let s = r.score(&c, ReportTimeliness::Late);
        let parts: Vec<u32> = s.parts.iter().map(|p| p.tenths).collect();
        assert_eq!(parts, [180, 60, 80, 40, 40, 0, 33, 50, 25, 25]);
        assert_eq!(s.tenths, 533);
        assert_eq!(r.propose(&s, &c), Some(ListKind::Summons), "53.3 is below 60");
        let missing = r.score(&c, ReportTimeliness::Missing);
        assert_eq!(missing.tenths, 508);
        // Five overdue leads summon the head whatever the score: 100 − 10 (overdue) − 15 (none
        // of the five closed) = 75, above the criticism line.
        let many = counts(&[(Count::OverdueNow, 5), (Count::ReceivedToDate, 5)]);
        let s = r.score(&many, ReportTimeliness::OnTime);
        assert_eq!((s.tenths, r.propose(&s, &many)), (750, Some(ListKind::Summons)));
        let criticised = Scored { tenths: 799, parts: Vec::new() };
        assert_eq!(r.propose(&criticised, &Counts::default()), Some(ListKind::Criticism));
        assert_eq!(r.propose(&Scored { tenths: 800, parts: Vec::new() }, &Counts::default()), None);
    }

    #[test]
    fn rules_that_do_not_add_up_or_are_out_of_order_are_refused() {
        let mut r = ScoreRules::default();
        r.weights[0].points = 25;
        let e = r.check().unwrap_err();
        assert_eq!(e.0[0].code, "not_100");
        assert!(e.0[0].message_zh.contains("95"), "{:?}", e.0[0]);
        let mut r = ScoreRules::default();
        r.weights[3].per_item = 0;
        assert_eq!(r.check().unwrap_err().0[0].field, "per_item_overdue");
        let r = ScoreRules { criticise_below: 96, ..ScoreRules::default() };
        assert_eq!(r.check().unwrap_err().0[0].code, "thresholds");
        let mut r = ScoreRules::default();
        r.weights[1].criterion = Criterion::Clearance;
        assert!(r.check().unwrap_err().0.iter().any(|e| e.code == "repeated"));
    }

    #[test]
    fn a_report_is_on_time_late_missing_or_not_yet_due() {
        use time::macros::date;
        let due = date!(2026 - 12 - 10);
        let of = |as_of, s| ReportTimeliness::of(due, as_of, s);
        assert_eq!(of(date!(2026 - 11 - 30), None), ReportTimeliness::NotDue);
        assert_eq!(of(date!(2026 - 12 - 31), Some(date!(2026 - 12 - 10))), ReportTimeliness::OnTime);
        assert_eq!(of(date!(2026 - 12 - 31), Some(date!(2026 - 12 - 11))), ReportTimeliness::Late);
        assert_eq!(of(date!(2026 - 12 - 31), None), ReportTimeliness::Missing);
        // Sent after the period's end: not there yet at its end.
        assert_eq!(of(date!(2026 - 12 - 31), Some(date!(2027 - 01 - 05))), ReportTimeliness::Missing);
    }

    #[test]
    fn equal_scores_share_a_rank() {
        assert_eq!(ranks(&[900, 950, 900, 700]), [2, 1, 2, 4]);
    }
}
