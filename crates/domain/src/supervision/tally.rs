//! What one lead adds to its unit's figures on the clearance board (清零进度).
//!
//! The board is the sum of these over a campaign's leads. Qingling keeps that sum per unit,
//! changed in the same transaction as each lead, so the board never scans every lead;
//! "overdue" depends on the day, so the kept sum is as of a date and is recounted when the
//! day changes.

use serde::Serialize;
use time::Date;

use crate::{
    ledger::campaign::StockClass,
    ledger::lead::LeadStatus,
    supervision::clearance::{ClearanceFacts, Counting, counting},
};

/// The facts about a lead that the board counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BoardFacts {
    pub stock_class: StockClass,
    pub status: LeadStatus,
    pub deadline: Date,
    pub approved_extensions: i64,
    pub flagged_extensions: i64,
    pub transfer_received: bool,
    pub transfer_needs_receipt: bool,
    /// Both a responsible leader and a responsible person are named (逐件明确责任领导和责任人).
    pub owned: bool,
    /// 研判 came after the disposition clock ran out.
    pub routed_late: bool,
}

/// One unit's figures (or one lead's share of them).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Tally {
    pub stock_total: i64,
    pub stock_cleared: i64,
    pub stock_overdue: i64,
    pub new_total: i64,
    pub new_open: i64,
    pub new_overdue: i64,
    /// New leads still unassessed past their deadline (not routed in time).
    pub new_routed_late: i64,
    pub extensions: i64,
    pub flagged_extensions: i64,
    /// Stock leads not cleared that lack a responsible leader or person.
    pub stock_unowned: i64,
    /// Stock leads transferred (移交), and of those the ones whose receipt is still awaited
    /// where the campaign asks for it: shown apart, so that a unit's 清零率 shows how much of
    /// it was sent away.
    pub stock_transferred: i64,
    pub stock_awaiting_receipt: i64,
}

impl Tally {
    /// The counters in a fixed order (the order of the stored columns).
    pub const FIELDS: [&'static str; 12] = [
        "stock_total",
        "stock_cleared",
        "stock_overdue",
        "new_total",
        "new_open",
        "new_overdue",
        "new_routed_late",
        "extensions",
        "flagged_extensions",
        "stock_unowned",
        "stock_transferred",
        "stock_awaiting_receipt",
    ];

    /// What a lead with these facts adds to its unit's figures as of `today`.
    pub fn of(f: &BoardFacts, today: Date) -> Tally {
        let one = |b: bool| i64::from(b);
        let counts = counting(&ClearanceFacts {
            status: f.status,
            transfer_received: f.transfer_received,
            transfer_needs_receipt: f.transfer_needs_receipt,
        });
        if counts == Counting::Excluded {
            return Tally::default();
        }
        let pending = counts == Counting::Pending;
        // Overdue is the lifecycle's: a transfer awaiting its receipt has no clock here.
        let timed = f.status.is_open();
        let late = f.deadline < today;
        let stock = f.stock_class == StockClass::Stock;
        Tally {
            stock_total: one(stock),
            stock_cleared: one(stock && !pending),
            stock_overdue: one(stock && timed && late),
            new_total: one(!stock),
            new_open: one(!stock && pending),
            new_overdue: one(!stock && timed && late),
            new_routed_late: one(!stock && (f.routed_late || (f.status == LeadStatus::Registered && late))),
            extensions: f.approved_extensions,
            flagged_extensions: f.flagged_extensions,
            stock_unowned: one(stock && pending && !f.owned),
            stock_transferred: one(stock && f.status == LeadStatus::Transferred),
            stock_awaiting_receipt: one(stock && f.status == LeadStatus::Transferred && pending),
        }
    }

    pub fn values(&self) -> [i64; 12] {
        [
            self.stock_total,
            self.stock_cleared,
            self.stock_overdue,
            self.new_total,
            self.new_open,
            self.new_overdue,
            self.new_routed_late,
            self.extensions,
            self.flagged_extensions,
            self.stock_unowned,
            self.stock_transferred,
            self.stock_awaiting_receipt,
        ]
    }

    pub fn from_values(v: [i64; 12]) -> Tally {
        Tally {
            stock_total: v[0],
            stock_cleared: v[1],
            stock_overdue: v[2],
            new_total: v[3],
            new_open: v[4],
            new_overdue: v[5],
            new_routed_late: v[6],
            extensions: v[7],
            flagged_extensions: v[8],
            stock_unowned: v[9],
            stock_transferred: v[10],
            stock_awaiting_receipt: v[11],
        }
    }

    fn zip(self, other: Tally, f: impl Fn(i64, i64) -> i64) -> Tally {
        let (a, b) = (self.values(), other.values());
        Tally::from_values(std::array::from_fn(|i| f(a[i], b[i])))
    }

    pub fn plus(self, other: Tally) -> Tally {
        self.zip(other, |a, b| a + b)
    }

    pub fn minus(self, other: Tally) -> Tally {
        self.zip(other, |a, b| a - b)
    }

    pub fn is_zero(&self) -> bool {
        self.values().iter().all(|v| *v == 0)
    }

    /// The board's order: the lowest share of stock cleared first (exactly, not as rounded
    /// for display; a unit without stock leads counts as all cleared), then the most stock
    /// overdue. The database sorts the kept figures the same way.
    pub fn lagging_first(a: &Tally, b: &Tally) -> std::cmp::Ordering {
        let share = |t: &Tally| if t.stock_total == 0 { (1, 1) } else { (t.stock_cleared, t.stock_total) };
        let ((an, ad), (bn, bd)) = (share(a), share(b));
        (i128::from(an) * i128::from(bd))
            .cmp(&(i128::from(bn) * i128::from(ad)))
            .then(b.stock_overdue.cmp(&a.stock_overdue))
    }

    /// Whether a unit with these figures has any lead in the campaign.
    pub fn has_leads(&self) -> bool {
        self.stock_total + self.new_total > 0
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    fn facts(stock_class: StockClass, status: LeadStatus, deadline: Date) -> BoardFacts {
        BoardFacts {
            stock_class,
            status,
            deadline,
            approved_extensions: 0,
            flagged_extensions: 0,
            transfer_received: false,
            transfer_needs_receipt: true,
            owned: true,
            routed_late: false,
        }
    }

    const TODAY: Date = date!(2026 - 11 - 28);

    #[test]
    fn an_open_stock_lead_past_its_deadline_is_overdue_and_not_cleared() {
        let t = Tally::of(&facts(StockClass::Stock, LeadStatus::CaseFiled, date!(2026 - 11 - 27)), TODAY);
        assert_eq!(t, Tally { stock_total: 1, stock_overdue: 1, ..Tally::default() });
    }

    #[test]
    fn the_deadline_day_itself_is_not_late() {
        let t = Tally::of(&facts(StockClass::Stock, LeadStatus::CaseFiled, TODAY), TODAY);
        assert_eq!(t.stock_overdue, 0);
        let t = Tally::of(&facts(StockClass::Stock, LeadStatus::CaseFiled, TODAY), date!(2026 - 11 - 29));
        assert_eq!(t.stock_overdue, 1, "the next day it is");
    }

    #[test]
    fn a_concluded_lead_is_cleared_and_never_overdue() {
        for s in [LeadStatus::Concluded, LeadStatus::StruckOff, LeadStatus::Settled] {
            let t = Tally::of(&facts(StockClass::Stock, s, date!(2020 - 01 - 01)), TODAY);
            assert_eq!(t, Tally { stock_total: 1, stock_cleared: 1, ..Tally::default() }, "{s:?}");
            let t = Tally::of(&facts(StockClass::New, s, date!(2020 - 01 - 01)), TODAY);
            assert_eq!(t, Tally { new_total: 1, ..Tally::default() }, "{s:?}");
        }
    }

    #[test]
    fn a_transfer_waits_for_its_receipt_and_a_repeat_is_not_counted() {
        let mut f = facts(StockClass::Stock, LeadStatus::Transferred, date!(2020 - 01 - 01));
        let sent = Tally { stock_total: 1, stock_transferred: 1, ..Tally::default() };
        assert_eq!(Tally::of(&f, TODAY), Tally { stock_awaiting_receipt: 1, ..sent }, "pending, not overdue");
        f.owned = false;
        assert_eq!(Tally::of(&f, TODAY).stock_unowned, 1);
        f.transfer_received = true;
        assert_eq!(Tally::of(&f, TODAY), Tally { stock_cleared: 1, ..sent }, "its own column, cleared");
        let merged = facts(StockClass::Stock, LeadStatus::Merged, date!(2020 - 01 - 01));
        assert!(Tally::of(&merged, TODAY).is_zero(), "counted once, under its original");
    }

    #[test]
    fn open_stock_leads_without_owners_are_counted() {
        let mut f = facts(StockClass::Stock, LeadStatus::Assessed, TODAY);
        f.owned = false;
        assert_eq!(Tally::of(&f, TODAY).stock_unowned, 1);
        f.status = LeadStatus::Concluded;
        assert_eq!(Tally::of(&f, TODAY).stock_unowned, 0, "cleared: nothing to own");
        let mut n = facts(StockClass::New, LeadStatus::Assessed, TODAY);
        n.owned = false;
        assert_eq!(Tally::of(&n, TODAY).stock_unowned, 0, "the plan asks it of stock leads");
    }

    #[test]
    fn a_new_lead_left_unassessed_past_its_deadline_was_not_routed_in_time() {
        let t = Tally::of(&facts(StockClass::New, LeadStatus::Registered, date!(2026 - 11 - 01)), TODAY);
        assert_eq!(t, Tally { new_total: 1, new_open: 1, new_overdue: 1, new_routed_late: 1, ..Tally::default() });
        let t = Tally::of(&facts(StockClass::New, LeadStatus::Assessed, date!(2026 - 11 - 01)), TODAY);
        assert_eq!(t.new_routed_late, 0, "assessed in time means routed");
        let mut late = facts(StockClass::New, LeadStatus::Concluded, date!(2026 - 12 - 31));
        late.routed_late = true;
        assert_eq!(Tally::of(&late, TODAY).new_routed_late, 1, "assessed after the clock ran out stays late");
    }

    #[test]
    fn extensions_count_as_they_stand_on_the_lead() {
        let mut f = facts(StockClass::New, LeadStatus::Assessed, TODAY);
        f.approved_extensions = 2;
        f.flagged_extensions = 1;
        let t = Tally::of(&f, TODAY);
        assert_eq!((t.extensions, t.flagged_extensions), (2, 1));
    }

    #[test]
    fn lagging_units_come_first_by_exact_share_then_overdue() {
        let t = |cleared, total, overdue| Tally {
            stock_cleared: cleared,
            stock_total: total,
            stock_overdue: overdue,
            ..Tally::default()
        };
        use std::cmp::Ordering::*;
        assert_eq!(Tally::lagging_first(&t(1, 3, 0), &t(1, 2, 0)), Less, "a third before a half");
        // 333/1000 and 1/3 both show as 33.3%, but are not the same share.
        assert_eq!(Tally::lagging_first(&t(333, 1000, 0), &t(1, 3, 0)), Less);
        assert_eq!(Tally::lagging_first(&t(2, 6, 1), &t(1, 3, 5)), Greater, "equal shares: more overdue first");
        assert_eq!(Tally::lagging_first(&t(0, 0, 0), &t(5, 5, 0)), Equal, "no stock counts as all cleared");
        assert_eq!(Tally::lagging_first(&t(4, 5, 0), &t(0, 0, 0)), Less);
    }

    #[test]
    fn a_change_is_the_difference_of_before_and_after() {
        let before = Tally::of(&facts(StockClass::Stock, LeadStatus::CaseFiled, date!(2026 - 01 - 01)), TODAY);
        let after = Tally::of(&facts(StockClass::Stock, LeadStatus::Concluded, date!(2026 - 01 - 01)), TODAY);
        let delta = after.minus(before);
        assert_eq!(delta, Tally { stock_cleared: 1, stock_overdue: -1, ..Tally::default() });
        assert_eq!(before.plus(delta), after);
        assert!(after.minus(after).is_zero());
        assert!(after.has_leads() && !Tally::default().has_leads());
    }
}
