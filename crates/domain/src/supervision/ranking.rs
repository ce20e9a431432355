//! The board's orders and its rank (排名): units are ranked by the share of stock cleared
//! (清零率), exactly (not as rounded for display), ties sharing a rank (1, 2, 2, 4); a unit
//! without stock leads counts as all cleared. The board may be sorted by another column, the
//! rank stays the 清零率's.

use std::cmp::Ordering;

use crate::{labelled_enum, supervision::tally::Tally};

labelled_enum!(
    /// How the board lists its units.
    BoardSort {
        Lagging = ("lagging", "滞后单位在前", "Lagging units first"),
        Rate = ("rate", "清零率从高到低", "Clearance rate, highest first"),
        Remaining = ("remaining", "未清零从多到少", "Most stock remaining first"),
        StockOverdue = ("stock_overdue", "存量逾期从多到少", "Most stock overdue first"),
        NewOverdue = ("new_overdue", "增量逾期从多到少", "Most new leads overdue first"),
        Transferred = ("transferred", "移交从多到少", "Most transferred first"),
        Unit = ("unit", "按单位名称", "By unit name"),
    }
);

fn share(t: &Tally) -> (i64, i64) {
    if t.stock_total == 0 { (1, 1) } else { (t.stock_cleared, t.stock_total) }
}

/// Higher share of stock cleared first.
fn by_rate(a: &Tally, b: &Tally) -> Ordering {
    let ((an, ad), (bn, bd)) = (share(a), share(b));
    (i128::from(bn) * i128::from(ad)).cmp(&(i128::from(an) * i128::from(bd)))
}

/// Each unit's rank by 清零率 (1 = highest), in the order given.
pub fn ranks(tallies: &[&Tally]) -> Vec<u32> {
    // Sorted once, not each unit against every other: 2,000 units made 4 million comparisons
    // on every board page (57 ms at provincial scale).
    let mut order: Vec<usize> = (0..tallies.len()).collect();
    order.sort_by(|&a, &b| by_rate(tallies[a], tallies[b]));
    let mut out = vec![0; tallies.len()];
    for (pos, &i) in order.iter().enumerate() {
        let tied = pos > 0 && by_rate(tallies[order[pos - 1]], tallies[i]) == Ordering::Equal;
        out[i] = if tied { out[order[pos - 1]] } else { pos as u32 + 1 };
    }
    out
}

/// Sorts `(name, tally)` rows by `sort`; ties in unit-name order, so a page is stable.
pub fn sort_rows<T>(rows: &mut [T], sort: BoardSort, key: impl Fn(&T) -> (&str, &Tally)) {
    rows.sort_by(|a, b| {
        let ((an, at), (bn, bt)) = (key(a), key(b));
        let desc = |f: fn(&Tally) -> i64| f(bt).cmp(&f(at));
        match sort {
            BoardSort::Lagging => Tally::lagging_first(at, bt),
            BoardSort::Rate => by_rate(at, bt),
            BoardSort::Remaining => desc(|t| t.stock_total - t.stock_cleared),
            BoardSort::StockOverdue => desc(|t| t.stock_overdue),
            BoardSort::NewOverdue => desc(|t| t.new_overdue),
            BoardSort::Transferred => desc(|t| t.stock_transferred),
            BoardSort::Unit => Ordering::Equal,
        }
        .then_with(|| an.cmp(bn))
    });
}

/// New leads routed (研判) in time, as a share of new leads, in percent (100 with none).
pub fn routed_in_time_rate(t: &Tally) -> f64 {
    if t.new_total == 0 {
        100.0
    } else {
        ((t.new_total - t.new_routed_late) as f64 * 1000.0 / t.new_total as f64).round() / 10.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(cleared: i64, total: i64, overdue: i64) -> Tally {
        Tally { stock_cleared: cleared, stock_total: total, stock_overdue: overdue, ..Default::default() }
    }

    #[test]
    fn ranks_share_ties_and_count_no_stock_as_cleared() {
        let (a, b, c, d) = (t(1, 3, 0), t(2, 6, 5), t(3, 3, 0), t(0, 0, 0));
        // c and d (all cleared) share first; a and b (one third each, exactly) share third.
        assert_eq!(ranks(&[&a, &b, &c, &d]), [3, 3, 1, 1]);
    }

    #[test]
    fn ranks_are_one_more_than_the_units_strictly_ahead() {
        // Many ties and equal fractions written differently (1/3, 2/6, 3/9).
        let all: Vec<Tally> = (0..300).map(|i| t((i * 7) % 4, 3 * (1 + i % 3), 0)).collect();
        let refs: Vec<&Tally> = all.iter().collect();
        let naive: Vec<u32> =
            refs.iter().map(|a| 1 + refs.iter().filter(|o| by_rate(o, a) == Ordering::Less).count() as u32).collect();
        assert_eq!(ranks(&refs), naive);
    }

    #[test]
    fn sorts_by_the_chosen_column_ties_by_name() {
        let mut rows = vec![("乙", t(1, 3, 2)), ("甲", t(1, 3, 2)), ("丙", t(3, 3, 0)), ("丁", t(0, 4, 1))];
        sort_rows(&mut rows, BoardSort::Lagging, |r| (r.0, &r.1));
        assert_eq!(rows.iter().map(|r| r.0).collect::<Vec<_>>(), ["丁", "乙", "甲", "丙"]);
        sort_rows(&mut rows, BoardSort::Rate, |r| (r.0, &r.1));
        assert_eq!(rows[0].0, "丙");
        sort_rows(&mut rows, BoardSort::Remaining, |r| (r.0, &r.1));
        assert_eq!(rows[0].0, "丁", "four remaining");
        let mut new = Tally { new_total: 3, new_routed_late: 1, ..Default::default() };
        assert_eq!(routed_in_time_rate(&new), 66.7);
        new.new_total = 0;
        assert_eq!(routed_in_time_rate(&new), 100.0);
    }
}
