//! Which closures the committee re-reviews (查否案件复审复核, seed 二(四), design brief §7), and who
//! may review one. Leads concluded 查否 or 无法查实 are picked by rule — all of them, a sample per
//! unit that can be drawn again from its recorded seed, and the closures most likely to hide a
//! protective umbrella — each pick with its reasons.

use std::collections::BTreeMap;

use crate::{
    FieldError, LeadId, UnitId, labelled_enum,
    ledger::lead::{Category, LeadStatus},
    lifecycle::conclusion::Finding,
};

labelled_enum!(
    /// Why a closure is in the review queue.
    ReviewReason {
        All = ("all", "全部复审", "Every closure is reviewed"),
        Sample = ("sample", "按比例抽查", "Drawn in the sample"),
        RepeatReports = ("repeat_reports", "同一对象被重复反映", "Reported again"),
        Category = ("category", "涉黑涉恶腐败或“保护伞”", "Organised-crime corruption or protective umbrella"),
        StillComplaining = ("still_complaining", "办结后群众仍在反映", "The public still complains"),
        ReturnedBefore = ("returned_before", "该单位曾被退回重查", "The unit had a review returned before"),
    }
);

/// The rules that fill the queue; every one can be switched. Defaults: a 10% sample per unit and
/// every rule pick on (the work plan names repeat reports, the two categories and complaints).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewPolicy {
    pub all: bool,
    /// Percent of each unit's closures drawn, at least one where a unit has any (0: none).
    pub sample_percent: u8,
    /// The draw's seed, recorded with the queue so that the same draw can be made again.
    pub seed: u64,
    pub repeat_reports: bool,
    pub categories: bool,
    pub still_complaining: bool,
    pub returned_before: bool,
}

impl ReviewPolicy {
    pub fn with_seed(seed: u64) -> Self {
        Self {
            all: false,
            sample_percent: 10,
            seed,
            repeat_reports: true,
            categories: true,
            still_complaining: true,
            returned_before: true,
        }
    }
}

/// A draw as typed on the queue page or sent to the API. Unticked rules are off; a blank
/// seed takes a fresh one (recorded, so the draw can be made again).
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct DrawInput {
    pub all: bool,
    /// 0–100; blank is none.
    pub sample_percent: String,
    /// A number up to 18446744073709551615; blank for a fresh one.
    pub seed: String,
    pub repeat_reports: bool,
    pub categories: bool,
    pub still_complaining: bool,
    pub returned_before: bool,
}

impl DrawInput {
    pub fn parse(&self, fresh_seed: u64) -> Result<ReviewPolicy, crate::Invalid> {
        let mut e = crate::Invalid::default();
        let percent = match self.sample_percent.trim() {
            "" => Some(0),
            s => e.take(s.parse::<u8>().ok().filter(|p| *p <= 100).ok_or_else(|| {
                FieldError::new(
                    "sample_percent",
                    "invalid",
                    "抽查比例应为 0 到 100 的整数。",
                    "The sample is a whole percent from 0 to 100.",
                )
            })),
        };
        let seed = match self.seed.trim() {
            "" => Some(fresh_seed),
            s => e.take(s.parse::<u64>().map_err(|_| {
                FieldError::new("seed", "invalid", "随机种子应为非负整数。", "The seed is a whole number of 0 or more.")
            })),
        };
        let (Some(sample_percent), Some(seed)) = (percent, seed) else { return Err(e) };
        let policy = ReviewPolicy {
            all: self.all,
            sample_percent,
            seed,
            repeat_reports: self.repeat_reports,
            categories: self.categories,
            still_complaining: self.still_complaining,
            returned_before: self.returned_before,
        };
        let none = !policy.all
            && policy.sample_percent == 0
            && !(policy.repeat_reports || policy.categories || policy.still_complaining || policy.returned_before);
        if none {
            e.push(FieldError::new(
                "all",
                "no_rule",
                "请至少选择一种列入方式（全部、抽查或按规则）。",
                "Choose at least one way to pick closures (all, a sample or a rule).",
            ));
        }
        e.into_result(|| policy)
    }
}

/// What the queue knows of a closed lead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Closure {
    pub lead: LeadId,
    pub unit: UnitId,
    pub status: LeadStatus,
    pub finding: Option<Finding>,
    pub category: Category,
    /// Later reports found to repeat it (`repeat_reports`, or the person registry).
    pub reported_again: bool,
    /// A lead on the same subject registered after the closure.
    pub complaint_after: bool,
    /// The reporter said 不满意 at the follow-up after the closure: the public still complaining
    /// too, whatever the finding.
    pub unsatisfied: bool,
    /// Its unit had a review returned for re-investigation before.
    pub unit_returned_before: bool,
}

/// Whether a closure is one the committee re-reviews: concluded (or struck off) as 查否 or 无法查实.
pub fn reviewable(status: LeadStatus, finding: Option<Finding>) -> bool {
    matches!(status, LeadStatus::Concluded | LeadStatus::StruckOff)
        && matches!(finding, Some(Finding::Unfounded | Finding::Unverifiable))
}

/// A number from the seed and the lead alone (SplitMix64), so a lead's place in the draw does
/// not depend on which other leads are closed or in what order they are read.
fn draw(seed: u64, lead: LeadId) -> u64 {
    let mut z = seed ^ (lead.get() as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The closures the policy puts in the queue, in lead order, each with every reason that picked it.
pub fn pick(policy: &ReviewPolicy, closures: &[Closure]) -> Vec<(LeadId, Vec<ReviewReason>)> {
    let unfounded = |c: &Closure| reviewable(c.status, c.finding);
    let closed = |c: &Closure| matches!(c.status, LeadStatus::Concluded | LeadStatus::StruckOff);
    // An unsatisfied reporter brings any closure in; the sample and the other rules draw from
    // the 查否 closures only.
    let unsatisfied = |c: &Closure| policy.still_complaining && c.unsatisfied && closed(c);
    let reviewable: Vec<&Closure> = closures.iter().filter(|c| unfounded(c) || unsatisfied(c)).collect();
    let mut sampled = std::collections::HashSet::new();
    if policy.sample_percent > 0 {
        let mut by_unit: BTreeMap<UnitId, Vec<&Closure>> = BTreeMap::new();
        for c in reviewable.iter().filter(|c| unfounded(c)) {
            by_unit.entry(c.unit).or_default().push(c);
        }
        for list in by_unit.values_mut() {
            let n = (list.len() * usize::from(policy.sample_percent.min(100))).div_ceil(100).max(1);
            list.sort_by_key(|c| (draw(policy.seed, c.lead), c.lead));
            sampled.extend(list.iter().take(n).map(|c| c.lead));
        }
    }
    let mut out: Vec<(LeadId, Vec<ReviewReason>)> = reviewable
        .iter()
        .filter_map(|c| {
            let mut why = Vec::new();
            let mut add = |on: bool, r: ReviewReason| {
                if on {
                    why.push(r);
                }
            };
            let u = unfounded(c);
            add(policy.all && u, ReviewReason::All);
            add(sampled.contains(&c.lead), ReviewReason::Sample);
            add(policy.repeat_reports && c.reported_again && u, ReviewReason::RepeatReports);
            let counted = matches!(c.category, Category::GangCorruption | Category::ProtectiveUmbrella);
            add(policy.categories && counted && u, ReviewReason::Category);
            let complaining = (c.complaint_after && u) || unsatisfied(c);
            add(policy.still_complaining && complaining, ReviewReason::StillComplaining);
            add(policy.returned_before && c.unit_returned_before && u, ReviewReason::ReturnedBefore);
            (!why.is_empty()).then_some((c.lead, why))
        })
        .collect();
    out.sort_by_key(|(lead, _)| *lead);
    out
}

/// Refuses a reviewer who belongs to the unit that handled the lead (or one below it) or who
/// is named in it: nobody reviews their own unit's closure or a report about themselves.
pub fn check_reviewer(handled_by_their_unit: bool, named_in_lead: bool) -> Result<(), FieldError> {
    if named_in_lead {
        return Err(FieldError::new(
            "reviewer",
            "named_in_lead",
            "复审人员是该线索的被反映人，应当回避。",
            "The reviewer is named in the lead and must stand aside.",
        ));
    }
    if handled_by_their_unit {
        return Err(FieldError::new(
            "reviewer",
            "handling_unit",
            "复审人员不能来自办理该线索的单位。",
            "The reviewer may not come from the unit that handled the lead.",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn closure(id: i64, unit: i64) -> Closure {
        Closure {
            lead: LeadId::from_raw(id),
            unit: UnitId::from_raw(unit),
            status: LeadStatus::Concluded,
            finding: Some(Finding::Unfounded),
            category: Category::WorkStyle,
            reported_again: false,
            complaint_after: false,
            unsatisfied: false,
            unit_returned_before: false,
        }
    }

    fn nothing_but_the_sample(percent: u8, seed: u64) -> ReviewPolicy {
        ReviewPolicy {
            all: false,
            sample_percent: percent,
            seed,
            repeat_reports: false,
            categories: false,
            still_complaining: false,
            returned_before: false,
        }
    }

    #[test]
    fn only_closures_as_unfounded_or_unverifiable_are_reviewed() {
        assert!(reviewable(LeadStatus::Concluded, Some(Finding::Unfounded)));
        assert!(reviewable(LeadStatus::StruckOff, Some(Finding::Unverifiable)));
        assert!(!reviewable(LeadStatus::Concluded, Some(Finding::Confirmed)));
        assert!(!reviewable(LeadStatus::PreliminaryVerification, Some(Finding::Unfounded)));
        let mut confirmed = closure(1, 1);
        confirmed.finding = Some(Finding::PartlyConfirmed);
        let all = ReviewPolicy { all: true, ..nothing_but_the_sample(0, 1) };
        assert!(pick(&all, &[confirmed]).is_empty());
    }

    #[test]
    fn the_sample_is_a_share_of_each_unit_drawn_again_the_same_from_its_seed() {
        // 40 closures in unit 1, 3 in unit 2: 10% is 4 of unit 1 and (at least) 1 of unit 2.
        let closures: Vec<Closure> = (1..=40).map(|i| closure(i, 1)).chain((41..=43).map(|i| closure(i, 2))).collect();
        let policy = nothing_but_the_sample(10, 2026);
        let first = pick(&policy, &closures);
        let units = |picked: &[(LeadId, Vec<ReviewReason>)]| picked.iter().filter(|(l, _)| l.get() <= 40).count();
        assert_eq!((units(&first), first.len()), (4, 5));
        assert!(first.iter().all(|(_, why)| why == &[ReviewReason::Sample]));
        // The same seed draws the same leads, whatever order the closures come in.
        let mut reversed = closures.clone();
        reversed.reverse();
        assert_eq!(pick(&policy, &reversed), first);
        // Another seed draws others; no sample, none.
        assert_ne!(pick(&nothing_but_the_sample(10, 7), &closures), first);
        assert!(pick(&nothing_but_the_sample(0, 2026), &closures).is_empty());
    }

    #[test]
    fn rule_picks_give_their_reasons() {
        let mut repeat = closure(1, 1);
        repeat.reported_again = true;
        repeat.category = Category::ProtectiveUmbrella;
        let mut complaint = closure(2, 1);
        complaint.complaint_after = true;
        let mut returned = closure(3, 2);
        returned.unit_returned_before = true;
        let plain = closure(4, 2);
        let policy = ReviewPolicy { sample_percent: 0, ..ReviewPolicy::with_seed(1) };
        let picked = pick(&policy, &[repeat, complaint, returned, plain]);
        assert_eq!(
            picked,
            [
                (LeadId::from_raw(1), vec![ReviewReason::RepeatReports, ReviewReason::Category]),
                (LeadId::from_raw(2), vec![ReviewReason::StillComplaining]),
                (LeadId::from_raw(3), vec![ReviewReason::ReturnedBefore]),
            ]
        );
        assert_eq!(ReviewPolicy::with_seed(9).sample_percent, 10, "the default sample");
    }

    #[test]
    fn an_unsatisfied_reporter_brings_any_closure_into_the_queue() {
        let mut confirmed = closure(5, 1);
        confirmed.finding = Some(Finding::Confirmed);
        confirmed.category = Category::ProtectiveUmbrella;
        confirmed.unit_returned_before = true;
        let all = ReviewPolicy { all: true, ..ReviewPolicy::with_seed(1) };
        assert!(pick(&all, std::slice::from_ref(&confirmed)).is_empty(), "a confirmed closure, nobody complaining");
        confirmed.unsatisfied = true;
        assert_eq!(
            pick(&all, std::slice::from_ref(&confirmed)),
            [(LeadId::from_raw(5), vec![ReviewReason::StillComplaining])]
        );
        let off = ReviewPolicy { still_complaining: false, ..all };
        assert!(pick(&off, &[confirmed.clone()]).is_empty(), "the rule switched off");
        let mut open = confirmed;
        open.status = LeadStatus::Assessed;
        assert!(pick(&all, &[open]).is_empty(), "reopened already");
        let mut unfounded = closure(6, 1);
        unfounded.unsatisfied = true;
        let only_rule = ReviewPolicy { sample_percent: 0, ..ReviewPolicy::with_seed(1) };
        assert_eq!(pick(&only_rule, &[unfounded]), [(LeadId::from_raw(6), vec![ReviewReason::StillComplaining])]);
    }

    #[test]
    fn a_draw_as_typed_keeps_its_seed_or_takes_a_fresh_one() {
        let typed =
            DrawInput { sample_percent: "20".into(), seed: "18446744073709551615".into(), ..Default::default() };
        let p = typed.parse(5).unwrap();
        assert_eq!((p.sample_percent, p.seed, p.categories), (20, u64::MAX, false));
        assert_eq!(DrawInput { seed: String::new(), ..typed.clone() }.parse(5).unwrap().seed, 5);
        let bad = DrawInput { sample_percent: "101".into(), seed: "-1".into(), ..Default::default() };
        let fields: Vec<String> = bad.parse(5).unwrap_err().0.into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["sample_percent", "seed"]);
        assert_eq!(DrawInput::default().parse(5).unwrap_err().0[0].code, "no_rule");
    }

    #[test]
    fn nobody_reviews_their_own_units_closure_or_a_report_about_themselves() {
        assert!(check_reviewer(false, false).is_ok());
        assert_eq!(check_reviewer(true, false).unwrap_err().code, "handling_unit");
        assert_eq!(check_reviewer(false, true).unwrap_err().code, "named_in_lead");
    }
}
