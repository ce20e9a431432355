//! The statistics' kept figures (issue 17, R1–R4): what each lead adds, on which day, to its
//! unit's figures, so that a period's statistics are sums of kept rows instead of a count over
//! every lead. The store keeps them per unit by day, and as running sums through each day, for
//! each unit and for all units together; it changes them in the same transaction as the lead (as
//! the board's tallies are), so a sum up to any day is one row a unit.
//!
//! Every figure of `figures::Count` that is counted from the leads alone is one of these,
//! summed over a range of days (see `Sums`):
//! received and new in the period by the day received; closed by the day closed (a transfer
//! that waits for its receipt on the day of the receipt); stock, stock cleared and confirmed
//! up to the period's end; overdue now by the deadline of the leads still open; ever overdue by
//! the day a lead became overdue, if it did.

use time::{Date, Duration};

use crate::{
    CampaignId, UnitId,
    ledger::{
        campaign::StockClass,
        lead::{Category, LeadStatus, Source},
    },
    lifecycle::conclusion::{Finding, FourForms, Sanction},
    reporting::figures::{Count, Counts},
};

/// What is kept for a day, a month or a unit in all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// By the day received.
    Received,
    NewReceived,
    StockReceived,
    /// By the day closed.
    Closed,
    StockClosed,
    Confirmed,
    /// Open leads, by their deadline.
    OpenDue,
    /// Leads that were or are overdue, by the day after which they count as overdue.
    OverdueFrom,
    /// By the day received.
    Category(Category),
    Source(Source),
    /// The lead's subjects dealt with in each of the four forms, by the day closed.
    Form(FourForms),
    /// Its subjects given each sanction, by the day closed.
    Sanction(Sanction),
}

const CORE: [Field; 8] = [
    Field::Received,
    Field::NewReceived,
    Field::StockReceived,
    Field::Closed,
    Field::StockClosed,
    Field::Confirmed,
    Field::OpenDue,
    Field::OverdueFrom,
];

/// How many sanctions there are.
pub const SANCTIONS: usize = Sanction::ALL.len();

/// How many fields a kept row has.
pub const FIELDS: usize = CORE.len() + Category::ALL.len() + Source::ALL.len() + FourForms::ALL.len() + SANCTIONS;

impl Field {
    /// Every field, in column order.
    pub fn all() -> impl Iterator<Item = Field> {
        CORE.into_iter()
            .chain(Category::ALL.iter().map(|c| Field::Category(*c)))
            .chain(Source::ALL.iter().map(|s| Field::Source(*s)))
            .chain(FourForms::ALL.iter().map(|f| Field::Form(*f)))
            .chain(Sanction::ALL.iter().map(|s| Field::Sanction(*s)))
    }

    pub fn index(self) -> usize {
        let at = |all: &[Field]| all.iter().position(|f| *f == self).unwrap_or(0);
        match self {
            Field::Category(c) => CORE.len() + Category::ALL.iter().position(|x| *x == c).unwrap_or(0),
            Field::Source(s) => {
                CORE.len() + Category::ALL.len() + Source::ALL.iter().position(|x| *x == s).unwrap_or(0)
            }
            Field::Form(f) => {
                CORE.len()
                    + Category::ALL.len()
                    + Source::ALL.len()
                    + FourForms::ALL.iter().position(|x| *x == f).unwrap_or(0)
            }
            Field::Sanction(s) => FIELDS - SANCTIONS + Sanction::ALL.iter().position(|x| *x == s).unwrap_or(0),
            _ => at(&CORE),
        }
    }

    /// Its column in the kept tables (the migration names the same; a test checks it).
    pub fn column(self) -> String {
        match self {
            Field::Received => "received".into(),
            Field::NewReceived => "new_received".into(),
            Field::StockReceived => "stock_received".into(),
            Field::Closed => "closed".into(),
            Field::StockClosed => "stock_closed".into(),
            Field::Confirmed => "confirmed".into(),
            Field::OpenDue => "open_due".into(),
            Field::OverdueFrom => "overdue_from".into(),
            Field::Category(c) => format!("cat_{}", c.code()),
            Field::Source(s) => format!("src_{}", s.code()),
            Field::Form(f) => format!("form{}", f.code()),
            Field::Sanction(s) => format!("san_{}", s.code()),
        }
    }
}

/// One kept row's figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Kept(pub [i64; FIELDS]);

impl Default for Kept {
    fn default() -> Self {
        Self([0; FIELDS])
    }
}

impl Kept {
    pub fn get(&self, f: Field) -> i64 {
        self.0[f.index()]
    }

    pub fn add(&mut self, other: &Kept, sign: i64) {
        for (a, b) in self.0.iter_mut().zip(other.0) {
            *a += sign * b;
        }
    }

    pub fn is_zero(&self) -> bool {
        self.0.iter().all(|v| *v == 0)
    }
}

/// What a lead's share of the statistics depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LeadFacts {
    pub campaign: CampaignId,
    pub unit: UnitId,
    pub status: LeadStatus,
    pub stock_class: StockClass,
    pub received_on: Date,
    /// The day it closed as clearance counts it (a transfer waiting for its receipt: the
    /// receipt's day); `None` while not closed.
    pub closed_on: Option<Date>,
    pub deadline: Date,
    pub finding: Option<Finding>,
    pub category: Category,
    pub source: Source,
    /// Its subjects by form and by sanction (in `FourForms::ALL`'s and `Sanction::ALL`'s order).
    pub forms: [i64; 4],
    pub sanctions: [i64; SANCTIONS],
}

impl LeadFacts {
    /// The day after which it counts as overdue — past both its deadline and the day it came
    /// in — if it was not closed by its deadline.
    pub fn overdue_from(&self) -> Option<Date> {
        self.closed_on.is_none_or(|c| c > self.deadline).then(|| self.deadline.max(self.received_on))
    }

    /// What it adds to its unit's figures, by day (a merged repeat adds only its subjects'
    /// forms and sanctions, as the outcomes are counted by the closing day alone).
    pub fn shares(&self) -> Vec<(Date, Kept)> {
        let mut out: Vec<(Date, Kept)> = Vec::with_capacity(4);
        let mut at = |day: Date, f: Field, n: i64| {
            if n == 0 {
                return;
            }
            match out.iter_mut().find(|(d, _)| *d == day) {
                Some((_, k)) => k.0[f.index()] += n,
                None => {
                    let mut k = Kept::default();
                    k.0[f.index()] = n;
                    out.push((day, k));
                }
            }
        };
        if let Some(closed) = self.closed_on {
            for (f, n) in FourForms::ALL.iter().zip(self.forms) {
                at(closed, Field::Form(*f), n);
            }
            for (s, n) in Sanction::ALL.iter().zip(self.sanctions) {
                at(closed, Field::Sanction(*s), n);
            }
        }
        if self.status == LeadStatus::Merged {
            return out;
        }
        let mut at = |day: Date, f: Field| at(day, f, 1);
        at(self.received_on, Field::Received);
        at(self.received_on, Field::Category(self.category));
        at(self.received_on, Field::Source(self.source));
        match self.stock_class {
            StockClass::Stock => at(self.received_on, Field::StockReceived),
            StockClass::New => at(self.received_on, Field::NewReceived),
            StockClass::Ordinary => {}
        }
        if let Some(closed) = self.closed_on {
            at(closed, Field::Closed);
            if self.stock_class == StockClass::Stock {
                at(closed, Field::StockClosed);
            }
            if matches!(self.finding, Some(Finding::Confirmed | Finding::PartlyConfirmed)) {
                at(closed, Field::Confirmed);
            }
        }
        if self.status.is_open() {
            at(self.deadline, Field::OpenDue);
        }
        if let Some(from) = self.overdue_from() {
            at(from, Field::OverdueFrom);
        }
        out
    }
}

/// A period's shares: leads received by category and by source, subjects by sanction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shares {
    pub categories: Vec<(Category, i64)>,
    pub sources: Vec<(Source, i64)>,
    pub sanctions: Vec<(Sanction, i64)>,
}

/// The sums a period's lead counts are made of: each a sum up to a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sums {
    /// Up to the period's last day.
    pub to: Kept,
    /// Up to the day before the period's first.
    pub before: Kept,
    /// Up to the day before today.
    pub before_today: Kept,
    /// Up to the day before the period's last day or today, whichever is earlier.
    pub before_as_of: Kept,
}

impl Sums {
    /// The days each sum runs up to (inclusive), for a period `from`–`to` as of `today`.
    pub fn days(from: Date, to: Date, today: Date) -> [Date; 4] {
        let day = Duration::days(1);
        [to, from - day, today - day, to.min(today) - day]
    }

    /// The fields each sum (in the order of [`Sums::days`]) needs for [`Sums::counts`]: what
    /// the store reads per unit.
    pub fn count_fields() -> [Vec<Field>; 4] {
        let window = [Field::Received, Field::NewReceived, Field::Closed].into_iter();
        let forms = || FourForms::ALL.iter().map(|f| Field::Form(*f));
        let to_date = [Field::StockReceived, Field::StockClosed, Field::Confirmed].into_iter();
        [
            window.clone().chain(to_date).chain(forms()).collect(),
            window.chain(forms()).collect(),
            vec![Field::OpenDue],
            vec![Field::OverdueFrom],
        ]
    }

    /// The fields `to` and `before` need for [`Sums::shares`].
    pub fn share_fields() -> Vec<Field> {
        Field::all().filter(|f| matches!(f, Field::Category(_) | Field::Source(_) | Field::Sanction(_))).collect()
    }

    /// The lead counts of the period.
    pub fn counts(&self) -> Counts {
        let window = |f: Field| self.to.get(f) - self.before.get(f);
        let mut c = Counts::default();
        c.set(Count::Received, window(Field::Received));
        c.set(Count::NewReceived, window(Field::NewReceived));
        c.set(Count::Closed, window(Field::Closed));
        c.set(Count::StockTotal, self.to.get(Field::StockReceived));
        c.set(Count::StockCleared, self.to.get(Field::StockClosed));
        c.set(Count::ReceivedToDate, self.to.get(Field::Received));
        c.set(Count::ClosedToDate, self.to.get(Field::Closed));
        c.set(Count::ConfirmedToDate, self.to.get(Field::Confirmed));
        c.set(Count::OverdueNow, self.before_today.get(Field::OpenDue));
        c.set(Count::OverdueEver, self.before_as_of.get(Field::OverdueFrom));
        let forms = [Count::Form1, Count::Form2, Count::Form3, Count::Form4];
        for (count, f) in forms.into_iter().zip(FourForms::ALL) {
            c.set(count, window(Field::Form(*f)));
        }
        c
    }

    /// Leads received in the period by category and by source, and the subjects of those
    /// closed in it by sanction (those with none left out).
    pub fn shares(&self) -> Shares {
        let window = |f: Field| self.to.get(f) - self.before.get(f);
        let cats = Category::ALL.iter().map(|c| (*c, window(Field::Category(*c)))).filter(|x| x.1 != 0);
        let srcs = Source::ALL.iter().map(|s| (*s, window(Field::Source(*s)))).filter(|x| x.1 != 0);
        let sans = Sanction::ALL.iter().map(|s| (*s, window(Field::Sanction(*s)))).filter(|x| x.1 != 0);
        Shares { categories: cats.collect(), sources: srcs.collect(), sanctions: sans.collect() }
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    fn facts() -> LeadFacts {
        LeadFacts {
            campaign: CampaignId::from_raw(1),
            unit: UnitId::from_raw(2),
            status: LeadStatus::Concluded,
            stock_class: StockClass::Stock,
            received_on: date!(2019 - 03 - 01),
            closed_on: Some(date!(2019 - 09 - 10)),
            deadline: date!(2019 - 12 - 31),
            finding: Some(Finding::PartlyConfirmed),
            category: Category::ProtectiveUmbrella,
            source: Source::PetitionReport,
            forms: [1, 0, 0, 0],
            sanctions: {
                let mut s = [0; SANCTIONS];
                s[0] = 1;
                s
            },
        }
    }

    fn on(shares: &[(Date, Kept)], day: Date, f: Field) -> i64 {
        shares.iter().filter(|(d, _)| *d == day).map(|(_, k)| k.get(f)).sum()
    }

    #[test]
    fn a_closed_stock_lead_adds_on_the_day_received_and_the_day_closed() {
        let s = facts().shares();
        assert_eq!(s.len(), 2, "{s:?}");
        let received = date!(2019 - 03 - 01);
        for f in [
            Field::Received,
            Field::StockReceived,
            Field::Category(Category::ProtectiveUmbrella),
            Field::Source(Source::PetitionReport),
        ] {
            assert_eq!(on(&s, received, f), 1, "{f:?}");
        }
        let closed = date!(2019 - 09 - 10);
        for f in [
            Field::Closed,
            Field::StockClosed,
            Field::Confirmed,
            Field::Form(FourForms::First),
            Field::Sanction(Sanction::ALL[0]),
        ] {
            assert_eq!(on(&s, closed, f), 1, "{f:?}");
        }
        assert_eq!(on(&s, closed, Field::Form(FourForms::Second)), 0);
        assert_eq!(on(&s, closed, Field::OverdueFrom) + on(&s, received, Field::OpenDue), 0);
    }

    #[test]
    fn an_open_lead_past_its_deadline_is_due_and_overdue_from_the_later_of_deadline_and_receipt() {
        let open = LeadFacts {
            status: LeadStatus::PreliminaryVerification,
            stock_class: StockClass::New,
            closed_on: None,
            finding: None,
            received_on: date!(2019 - 08 - 01),
            deadline: date!(2019 - 09 - 01),
            ..facts()
        };
        let s = open.shares();
        assert_eq!(on(&s, date!(2019 - 09 - 01), Field::OpenDue), 1);
        assert_eq!(on(&s, date!(2019 - 09 - 01), Field::OverdueFrom), 1);
        assert_eq!(on(&s, date!(2019 - 08 - 01), Field::NewReceived), 1);
        let before_receipt = LeadFacts { deadline: date!(2019 - 07 - 01), ..open };
        assert_eq!(before_receipt.overdue_from(), Some(date!(2019 - 08 - 01)));
        // Closed after its deadline: it was overdue; closed by it: never.
        let late = LeadFacts { closed_on: Some(date!(2019 - 09 - 05)), status: LeadStatus::Concluded, ..open };
        assert_eq!(late.overdue_from(), Some(date!(2019 - 09 - 01)));
        let on_time = LeadFacts { closed_on: Some(date!(2019 - 09 - 01)), ..late };
        assert_eq!(on_time.overdue_from(), None);
        assert!(LeadFacts { status: LeadStatus::Merged, ..open }.shares().is_empty());
        // An open lead's subjects have no outcome yet that counts.
        assert_eq!(on(&s, date!(2019 - 09 - 01), Field::Form(FourForms::First)), 0);
    }

    #[test]
    fn sums_make_the_period_counts() {
        let mut to = Kept::default();
        let mut before = Kept::default();
        to.0[Field::Received.index()] = 10;
        before.0[Field::Received.index()] = 4;
        to.0[Field::StockReceived.index()] = 7;
        to.0[Field::Category(Category::WorkStyle).index()] = 3;
        let mut today = Kept::default();
        today.0[Field::OpenDue.index()] = 2;
        let s = Sums { to, before, before_today: today, before_as_of: Kept::default() };
        let c = s.counts();
        assert_eq!((c.get(Count::Received), c.get(Count::ReceivedToDate)), (6, 10));
        assert_eq!((c.get(Count::StockTotal), c.get(Count::OverdueNow)), (7, 2));
        assert_eq!(s.shares().categories, vec![(Category::WorkStyle, 3)]);
        let days = Sums::days(date!(2019 - 08 - 01), date!(2019 - 12 - 31), date!(2019 - 11 - 28));
        assert_eq!(days, [date!(2019 - 12 - 31), date!(2019 - 07 - 31), date!(2019 - 11 - 27), date!(2019 - 11 - 27)]);
    }

    /// The store reads only these fields; the counts and shares made from them are the ones
    /// made from every field.
    #[test]
    fn the_fields_each_sum_needs_make_the_same_counts_and_shares() {
        let full = |seed: i64| Kept(std::array::from_fn(|i| seed * 100 + i as i64 * 7 % 13));
        let only = |k: Kept, fields: &[Field]| {
            let mut out = Kept::default();
            for f in fields {
                out.0[f.index()] = k.get(*f);
            }
            out
        };
        let sums = Sums { to: full(9), before: full(3), before_today: full(5), before_as_of: full(4) };
        let [to, before, today, as_of] = Sums::count_fields();
        let counted = Sums {
            to: only(sums.to, &to),
            before: only(sums.before, &before),
            before_today: only(sums.before_today, &today),
            before_as_of: only(sums.before_as_of, &as_of),
        };
        assert_eq!(counted.counts(), sums.counts());
        let shared = Sums {
            to: only(sums.to, &Sums::share_fields()),
            before: only(sums.before, &Sums::share_fields()),
            ..Sums {
                to: Kept::default(),
                before: Kept::default(),
                before_today: Kept::default(),
                before_as_of: Kept::default(),
            }
        };
        assert_eq!(shared.shares(), sums.shares());
    }

    #[test]
    fn columns_are_distinct_and_indexes_follow_their_order() {
        let all: Vec<Field> = Field::all().collect();
        assert_eq!(all.len(), FIELDS);
        for (i, f) in all.iter().enumerate() {
            assert_eq!(f.index(), i, "{f:?}");
        }
        let mut cols: Vec<String> = all.iter().map(|f| f.column()).collect();
        cols.sort();
        cols.dedup();
        assert_eq!(cols.len(), FIELDS);
    }
}
