//! The statistics' figures (design brief §9; issue 17), each defined once: the counts the store
//! makes per unit, the rates made of them, and what each means, shown beside it on the page and
//! in print. A unit's figures are its own and its subtree's, summed.
//!
//! For a period: `received` and `closed` count what happened in it; the cumulative counts (to
//! date) count from the campaign's start to the period's last day, so the rates a bulletin ranks
//! on never pass 100%.

use std::collections::HashMap;

use serde::Serialize;

use crate::{UnitId, labelled_enum, reporters::satisfaction::rate_of};

labelled_enum!(
    /// A count kept per unit for a period.
    Count {
        Received = ("received", "本期受理", "Received"),
        NewReceived = ("new_received", "其中增量", "Of them new"),
        Closed = ("closed", "本期办结", "Closed"),
        StockTotal = ("stock_total", "存量线索", "Stock leads"),
        StockCleared = ("stock_cleared", "存量已清零", "Stock cleared"),
        ReceivedToDate = ("received_to_date", "累计受理", "Received to date"),
        ClosedToDate = ("closed_to_date", "累计办结", "Closed to date"),
        ConfirmedToDate = ("confirmed_to_date", "累计查实", "Confirmed to date"),
        OverdueNow = ("overdue_now", "当前逾期", "Overdue now"),
        OverdueEver = ("overdue_ever", "曾经逾期", "Ever overdue"),
        Extensions = ("extensions", "批准延期", "Extensions approved"),
        FlaggedExtensions = ("flagged_extensions", "其中超一个月或多次", "Of them over a month or repeated"),
        TalkInquiry = ("talk_inquiry", "谈话函询", "Talk or inquiry"),
        PreliminaryVerification = ("preliminary_verification", "初步核实", "Preliminary verification"),
        Shelved = ("shelved", "暂存待查", "Shelved"),
        Settled = ("settled", "予以了结", "Settled"),
        CaseFiled = ("case_filed", "立案审查调查", "Case filed"),
        Form1 = ("form1", "第一种形态", "First form"),
        Form2 = ("form2", "第二种形态", "Second form"),
        Form3 = ("form3", "第三种形态", "Third form"),
        Form4 = ("form4", "第四种形态", "Fourth form"),
        ReviewsDone = ("reviews_done", "复审复核完成", "Reviews done"),
        ReviewsUpheld = ("reviews_upheld", "维持原结论", "Reviews upheld"),
        ReviewsReturned = ("reviews_returned", "退回重查", "Reviews returned"),
        RectificationsIssued = ("rectifications_issued", "发出建议书", "Letters issued"),
        RectificationsOnTime = ("rectifications_on_time", "按期回复", "Replied on time"),
        RectificationsRechecked = ("rectifications_rechecked", "完成回头看", "Re-checked"),
        Institutions = ("institutions", "建章立制", "Institutions"),
        EarlyWarnings = ("early_warnings", "抓早抓小", "Early warnings"),
        Accountability = ("accountability", "问责", "Accountability"),
        FeedbackDue = ("feedback_due", "应反馈", "Feedback due"),
        FeedbackOnTime = ("feedback_on_time", "按期反馈", "Feedback on time"),
        FollowedUp = ("followed_up", "满意度回访", "Followed up"),
        Satisfied = ("satisfied", "满意和基本满意", "Satisfied or basically"),
    }
);

impl Count {
    /// What it counts, shown on hover and in print.
    pub const fn explain(self, english: bool) -> &'static str {
        use Count as C;
        let (zh, en) = match self {
            C::Received => (
                "本期内收到（受理日期在本期）的线索，不含并入的重复件。",
                "Leads received in the period (by the day received), repeats merged into another left out.",
            ),
            C::NewReceived => (
                "本期受理中，受理日期晚于存量截止日的增量线索。",
                "Of those received, the new ones (received after the campaign's stock cut-off).",
            ),
            C::Closed => (
                "本期内办结、予以了结、销号或移交（需回执的以回执日计）的线索。",
                "Leads concluded, settled, struck off or transferred in the period (a transfer that needs a receipt on the day of the receipt).",
            ),
            C::StockTotal => (
                "本专项工作的存量线索（受理日期不晚于存量截止日）。",
                "The campaign's stock leads (received up to its stock cut-off).",
            ),
            C::StockCleared => {
                ("存量线索中，截至期末已清零的。", "Of the stock leads, those cleared by the period's last day.")
            }
            C::ReceivedToDate => ("截至期末累计受理的线索。", "Leads received up to the period's last day."),
            C::ClosedToDate => ("截至期末累计办结的线索。", "Leads closed up to the period's last day."),
            C::ConfirmedToDate => (
                "截至期末办结的线索中，结论为属实或部分属实的。",
                "Of those closed by the period's last day, the ones found true or partly true.",
            ),
            C::OverdueNow => ("今天仍未办结且已过办理期限的线索。", "Leads open today past their deadline."),
            C::OverdueEver => (
                "截至期末受理的线索中，办结晚于期限或至今逾期的。",
                "Of those received by the period's end, the ones closed after their deadline or open past it.",
            ),
            C::Extensions => ("本期批准的延期申请。", "Extensions approved in the period."),
            C::FlaggedExtensions => (
                "其中超过一个月或同一线索多次延期、须单位主要负责人签字的。",
                "Of them, over a month or repeated, which the unit head signs.",
            ),
            C::FeedbackDue => (
                "期限落在本期的受理告知和结果反馈（实名举报）。",
                "Acceptance and result notices to signed reporters due in the period.",
            ),
            C::FeedbackOnTime => ("其中在期限内告知的。", "Of them, given by their due day."),
            C::TalkInquiry | C::PreliminaryVerification | C::Shelved | C::Settled | C::CaseFiled => (
                "本期按该方式处置的线索（处置意见经批准之日在本期）。",
                "Leads given this disposition in the period (on the day it was approved).",
            ),
            C::Form1 | C::Form2 | C::Form3 | C::Form4 => (
                "本期办结的线索中，按该形态处理的人次。",
                "People dealt with in this form, in leads closed in the period.",
            ),
            C::ReviewsDone => {
                ("本期作出结论的查否复审复核。", "Reviews of unfounded closures given their result in the period.")
            }
            C::ReviewsUpheld => ("其中维持原结论的。", "Of them, upheld."),
            C::ReviewsReturned => ("其中退回重新调查的。", "Of them, returned for more investigation."),
            C::RectificationsIssued => {
                ("本期发出的纪律检查建议书和监察建议书。", "Letters of advice issued in the period.")
            }
            C::RectificationsOnTime => {
                ("本期回复且不晚于回复期限的。", "Replies given in the period, by their due day.")
            }
            C::RectificationsRechecked => ("本期完成回头看的。", "Re-checks recorded in the period."),
            C::Institutions => ("本期印发的制度。", "Rules or mechanisms issued in the period."),
            C::EarlyWarnings => ("本期记录的苗头性问题。", "Incipient problems recorded in the period."),
            C::Accountability => ("本期作出的问责。", "Accountability decisions made in the period."),
            C::FollowedUp => ("本期进行的满意度回访。", "Satisfaction follow-ups made in the period."),
            C::Satisfied => ("其中满意或基本满意的。", "Of them, satisfied or basically satisfied."),
        };
        if english { en } else { zh }
    }
}

labelled_enum!(
    /// A rate made of two counts.
    Rate {
        Clearance = ("clearance_rate", "清零率", "Clearance rate"),
        Closure = ("closure_rate", "查结率", "Closure rate"),
        Confirmation = ("confirmation_rate", "查实率", "Confirmation rate"),
        Satisfaction = ("satisfaction_rate", "满意率", "Satisfaction rate"),
        Feedback = ("feedback_rate", "反馈及时率", "Feedback on time"),
    }
);

impl Rate {
    /// Its numerator and denominator.
    pub const fn parts(self) -> (Count, Count) {
        match self {
            Rate::Clearance => (Count::StockCleared, Count::StockTotal),
            Rate::Closure => (Count::ClosedToDate, Count::ReceivedToDate),
            Rate::Confirmation => (Count::ConfirmedToDate, Count::ClosedToDate),
            Rate::Satisfaction => (Count::Satisfied, Count::FollowedUp),
            Rate::Feedback => (Count::FeedbackOnTime, Count::FeedbackDue),
        }
    }

    pub const fn explain(self, english: bool) -> &'static str {
        let (zh, en) = match self {
            Rate::Clearance => ("存量已清零 ÷ 存量线索。", "Stock cleared ÷ stock leads."),
            Rate::Closure => ("累计办结 ÷ 累计受理。", "Closed to date ÷ received to date."),
            Rate::Confirmation => ("累计查实 ÷ 累计办结。", "Confirmed to date ÷ closed to date."),
            Rate::Satisfaction => ("满意和基本满意 ÷ 满意度回访。", "Satisfied or basically ÷ followed up."),
            Rate::Feedback => ("按期反馈 ÷ 应反馈。", "Feedback on time ÷ feedback due."),
        };
        if english { en } else { zh }
    }
}

/// How many counts there are.
pub const COUNTS: usize = Count::ALL.len();

/// One unit's counts (or a sum of several), by [`Count`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counts([i64; COUNTS]);

impl Default for Counts {
    fn default() -> Self {
        Self([0; COUNTS])
    }
}

impl Counts {
    pub fn get(&self, c: Count) -> i64 {
        self.0[c as usize]
    }

    pub fn set(&mut self, c: Count, n: i64) {
        self.0[c as usize] = n;
    }

    pub fn add(&mut self, other: &Counts) {
        for (a, b) in self.0.iter_mut().zip(other.0) {
            *a += b;
        }
    }

    /// The rate in tenths of a percent, rounded half up; `None` when its denominator is 0.
    pub fn rate(&self, r: Rate) -> Option<u32> {
        let (num, den) = r.parts();
        rate_of(self.get(num).max(0) as u64, self.get(den).max(0) as u64)
    }
}

/// Written as an object of counts by their codes.
impl Serialize for Counts {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(COUNTS))?;
        for c in Count::ALL {
            m.serialize_entry(c.code(), &self.get(*c))?;
        }
        m.end()
    }
}

/// Read back from such an object (a bulletin keeps the counts it was drafted with): a code
/// no longer known is skipped, a count not written is 0.
impl<'de> serde::Deserialize<'de> for Counts {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let m = <std::collections::BTreeMap<String, i64> as serde::Deserialize>::deserialize(d)?;
        let mut c = Counts::default();
        for (code, n) in m {
            if let Some(k) = Count::from_code(&code) {
                c.set(k, n);
            }
        }
        Ok(c)
    }
}

/// A unit and those above it, nearest first (a unit tree is shallow — committee, units,
/// departments — and the bound guards a cycle).
pub fn ancestors(parent: &HashMap<UnitId, Option<UnitId>>, unit: UnitId) -> impl Iterator<Item = UnitId> + '_ {
    std::iter::successors(Some(unit), |u| parent.get(u).copied().flatten()).take(64)
}

/// Each unit of `rows` with its own counts and those of every unit below it: `parent` gives a
/// unit's parent, `own` what each unit counted itself. A unit is summed into every row above it,
/// so a row holds its whole subtree.
pub fn roll_up(
    parent: &HashMap<UnitId, Option<UnitId>>,
    own: &HashMap<UnitId, Counts>,
    rows: &[UnitId],
) -> Vec<Counts> {
    let at: HashMap<UnitId, usize> = rows.iter().enumerate().map(|(i, u)| (*u, i)).collect();
    let mut out = vec![Counts::default(); rows.len()];
    for (unit, counts) in own {
        for i in ancestors(parent, *unit).filter_map(|u| at.get(&u)) {
            out[*i].add(counts);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(pairs: &[(Count, i64)]) -> Counts {
        let mut c = Counts::default();
        for (k, n) in pairs {
            c.set(*k, *n);
        }
        c
    }

    /// A hand-counted fixture: 40 stock leads of which 30 cleared; 25 received to date of which
    /// 20 closed, 15 of those confirmed; 8 followed up, 7 satisfied.
    #[test]
    fn the_rates_are_their_counts_divided_as_defined() {
        let c = counts(&[
            (Count::StockTotal, 40),
            (Count::StockCleared, 30),
            (Count::ReceivedToDate, 25),
            (Count::ClosedToDate, 20),
            (Count::ConfirmedToDate, 15),
            (Count::FollowedUp, 8),
            (Count::Satisfied, 7),
            (Count::FeedbackDue, 4),
            (Count::FeedbackOnTime, 3),
        ]);
        assert_eq!(c.rate(Rate::Clearance), Some(750));
        assert_eq!(c.rate(Rate::Closure), Some(800));
        assert_eq!(c.rate(Rate::Confirmation), Some(750));
        assert_eq!(c.rate(Rate::Satisfaction), Some(875));
        assert_eq!(c.rate(Rate::Feedback), Some(750));
        assert_eq!(Counts::default().rate(Rate::Clearance), None, "no stock, no rate (not 0%)");
        let third = counts(&[(Count::StockTotal, 3), (Count::StockCleared, 1)]);
        assert_eq!(third.rate(Rate::Clearance), Some(333));
        let json = serde_json::to_value(c).unwrap();
        assert_eq!((json["stock_total"].as_i64(), json["received"].as_i64()), (Some(40), Some(0)));
        assert_eq!(json.as_object().unwrap().len(), COUNTS, "every count, by its code");
    }

    #[test]
    fn every_figure_says_what_it_counts_in_both_languages() {
        for c in Count::ALL {
            assert!(!c.explain(false).is_empty() && c.explain(true).is_ascii(), "{c:?}");
        }
        for r in Rate::ALL {
            let (num, den) = r.parts();
            assert_ne!(num, den);
            assert!(r.explain(false).contains('÷') && r.explain(true).contains('÷'));
        }
    }

    /// committee(1) → hospitals 2, 3; hospital 2 → department 4. Rows: the hospitals.
    #[test]
    fn a_row_holds_its_whole_subtree() {
        let u = UnitId::from_raw;
        let parent: HashMap<UnitId, Option<UnitId>> =
            [(u(1), None), (u(2), Some(u(1))), (u(3), Some(u(1))), (u(4), Some(u(2)))].into();
        let own: HashMap<UnitId, Counts> = [
            (u(1), counts(&[(Count::Received, 100)])),
            (u(2), counts(&[(Count::Received, 5)])),
            (u(3), counts(&[(Count::Received, 7)])),
            (u(4), counts(&[(Count::Received, 2)])),
        ]
        .into();
        let rows = roll_up(&parent, &own, &[u(2), u(3)]);
        assert_eq!(rows.iter().map(|c| c.get(Count::Received)).collect::<Vec<_>>(), [7, 7]);
        let all = roll_up(&parent, &own, &[u(1)]);
        assert_eq!(all[0].get(Count::Received), 114, "the committee's own and everything below");
    }
}
