//! Campaigns (专项工作) hold the dates of design brief §5.

use serde::Serialize;
use time::{Date, macros::date};

use crate::{
    CampaignId, UnitId, labelled_enum,
    ledger::lead::{Category, Source},
};

labelled_enum!(
    /// Whether a lead predates its campaign's stock cut-off; a lead in no campaign's scope is
    /// ordinary handling. Derived, never typed in.
    StockClass {
        Stock = ("stock", "存量", "Stock"),
        New = ("new", "增量", "New"),
        Ordinary = ("ordinary", "常规", "Ordinary"),
    }
);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Phase {
    pub name: String,
    #[schema(value_type = String, format = Date)]
    pub starts_on: Date,
    #[schema(value_type = String, format = Date)]
    pub ends_on: Date,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct CampaignPlan {
    pub name: String,
    #[schema(value_type = String, format = Date)]
    pub stock_cutoff: Date,
    #[schema(value_type = String, format = Date)]
    pub clearance_deadline: Date,
    #[schema(value_type = String, format = Date)]
    pub starts_on: Date,
    #[schema(value_type = String, format = Date)]
    pub ends_on: Date,
    #[schema(value_type = String, format = Date)]
    pub report_due: Date,
    pub phases: Vec<Phase>,
    pub scope: CampaignScope,
}

/// What a campaign counts (its 范围) and how (seed 一(一)): the leads of which units, of which
/// categories and sources. A lead outside every open campaign's scope is ordinary handling.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct CampaignScope {
    /// The unit whose subtree the campaign covers; `None`: every unit.
    #[schema(value_type = Option<i64>)]
    pub unit: Option<UnitId>,
    /// Never empty; the seed counts 涉黑涉恶腐败 and 充当“保护伞”.
    #[schema(value_type = Vec<String>)]
    pub categories: Vec<Category>,
    /// Empty: every source.
    #[schema(value_type = Vec<String>)]
    pub sources: Vec<Source>,
    /// A transferred lead (移交) counts as cleared only once the receiving body's receipt is
    /// recorded.
    pub transfer_needs_receipt: bool,
    /// How long one extension may be without the committee head, in calendar months.
    pub extension_cap_months: u32,
}

impl Default for CampaignScope {
    fn default() -> Self {
        Self {
            unit: None,
            categories: vec![Category::GangCorruption, Category::ProtectiveUmbrella],
            sources: Vec::new(),
            transfer_needs_receipt: true,
            extension_cap_months: 1,
        }
    }
}

/// What decides whether a lead falls in a campaign's scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Membership {
    pub category: Category,
    pub source: Source,
    pub received_on: Date,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Campaign {
    pub id: CampaignId,
    #[serde(flatten)]
    pub plan: CampaignPlan,
}

impl CampaignPlan {
    /// The seed's plan (郑卫直机纪〔2019〕5号): stock up to 2019-06-30, cleared by 2019-12-31.
    pub fn preset_2019() -> Self {
        Self {
            name: "2019年扫黑除恶“排头兵”创建".into(),
            stock_cutoff: date!(2019 - 06 - 30),
            clearance_deadline: date!(2019 - 12 - 31),
            starts_on: date!(2019 - 08 - 01),
            ends_on: date!(2019 - 12 - 31),
            report_due: date!(2019 - 12 - 10),
            phases: vec![
                Phase {
                    name: "全面梳理、深挖根治".into(),
                    starts_on: date!(2019 - 08 - 01),
                    ends_on: date!(2019 - 10 - 31),
                },
                Phase {
                    name: "督促检查、建章立制".into(),
                    starts_on: date!(2019 - 11 - 01),
                    ends_on: date!(2019 - 12 - 31),
                },
            ],
            scope: CampaignScope::default(),
        }
    }

    /// The same plan moved by whole days, keeping every interval (used for the demo and
    /// for copying a preset to a new year).
    pub fn shifted(&self, name: String, days: i64) -> Self {
        let d = |x: Date| x + time::Duration::days(days);
        Self {
            name,
            stock_cutoff: d(self.stock_cutoff),
            clearance_deadline: d(self.clearance_deadline),
            starts_on: d(self.starts_on),
            ends_on: d(self.ends_on),
            report_due: d(self.report_due),
            phases: self
                .phases
                .iter()
                .map(|p| Phase { name: p.name.clone(), starts_on: d(p.starts_on), ends_on: d(p.ends_on) })
                .collect(),
            scope: self.scope.clone(),
        }
    }

    /// Whether a lead falls in this campaign's scope; `in_unit_scope` is whether its unit is
    /// in the campaign's subtree (the unit tree is the store's). A lead received after the
    /// campaign ended is not its business.
    pub fn covers(&self, lead: &Membership, in_unit_scope: bool) -> bool {
        in_unit_scope
            && lead.received_on <= self.ends_on
            && self.scope.categories.contains(&lead.category)
            && (self.scope.sources.is_empty() || self.scope.sources.contains(&lead.source))
    }

    /// Stock leads are those received up to and including the cut-off day.
    pub fn stock_class(&self, received_on: Date) -> StockClass {
        if received_on <= self.stock_cutoff { StockClass::Stock } else { StockClass::New }
    }
}

/// The campaign a lead belongs to: of the open campaigns given with whether the lead's unit is
/// in their subtree, the most recently created one whose scope covers it; `None`: ordinary
/// handling (the lead is never refused for want of a campaign).
pub fn campaign_for<'a>(
    open: impl IntoIterator<Item = (&'a Campaign, bool)>,
    lead: &Membership,
) -> Option<&'a Campaign> {
    open.into_iter().filter(|(k, in_unit)| k.plan.covers(lead, *in_unit)).map(|(k, _)| k).max_by_key(|k| k.id)
}

/// A stock lead names its responsible leader and person (逐件明确责任领导和责任人, seed 二(一)):
/// the field errors for whichever is missing.
pub fn owners_required(stock: StockClass, leader: Option<&str>, person: Option<&str>) -> Vec<crate::FieldError> {
    if stock != StockClass::Stock {
        return Vec::new();
    }
    let missing = |v: Option<&str>| v.is_none_or(|v| v.trim().is_empty());
    let mut out = Vec::new();
    if missing(leader) {
        out.push(crate::FieldError::new(
            "responsible_leader",
            "required_for_stock",
            "存量线索须逐件明确责任领导。",
            "A stock lead must name its responsible leader.",
        ));
    }
    if missing(person) {
        out.push(crate::FieldError::new(
            "responsible_person",
            "required_for_stock",
            "存量线索须逐件明确责任人。",
            "A stock lead must name its responsible person.",
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cutoff_day_itself_is_stock() {
        let p = CampaignPlan::preset_2019();
        assert_eq!(p.stock_class(date!(2019 - 06 - 30)), StockClass::Stock);
        assert_eq!(p.stock_class(date!(2019 - 07 - 01)), StockClass::New);
        assert_eq!(p.stock_class(date!(2018 - 01 - 01)), StockClass::Stock);
    }

    #[test]
    fn preset_matches_the_seed() {
        let p = CampaignPlan::preset_2019();
        assert_eq!(p.report_due, date!(2019 - 12 - 10));
        assert_eq!(p.phases.len(), 2);
        assert_eq!(p.phases[1].starts_on, date!(2019 - 11 - 01));
    }

    #[test]
    fn a_lead_belongs_to_the_latest_campaign_that_covers_it_or_to_none() {
        let plan = CampaignPlan::preset_2019();
        let seed = Campaign { id: CampaignId::from_raw(1), plan: plan.clone() };
        let mut wide = plan.clone();
        wide.scope.categories.push(Category::HarmToPublic);
        wide.scope.sources = vec![Source::PetitionReport];
        let wide = Campaign { id: CampaignId::from_raw(2), plan: wide };
        let lead = |category, source, received_on| Membership { category, source, received_on };
        let gang = lead(Category::GangCorruption, Source::PetitionReport, date!(2019 - 05 - 01));
        let pick =
            |l: &Membership, in_unit: bool| campaign_for([(&seed, in_unit), (&wide, in_unit)], l).map(|k| k.id.get());
        assert_eq!(pick(&gang, true), Some(2), "both cover it: the later one");
        assert_eq!(pick(&gang, false), None, "outside both subtrees");
        let audit = lead(Category::GangCorruption, Source::AuditTransfer, date!(2019 - 05 - 01));
        assert_eq!(pick(&audit, true), Some(1), "the second counts petitions only");
        let style = lead(Category::WorkStyle, Source::PetitionReport, date!(2019 - 05 - 01));
        assert_eq!(pick(&style, true), None, "a category neither counts: ordinary handling");
        let harm = lead(Category::HarmToPublic, Source::PetitionReport, date!(2019 - 05 - 01));
        assert_eq!(pick(&harm, true), Some(2));
        let late = lead(Category::GangCorruption, Source::PetitionReport, date!(2020 - 01 - 01));
        assert_eq!(pick(&late, true), None, "received after both ended");
    }

    #[test]
    fn stock_leads_name_their_leader_and_person() {
        let fields = |stock, l, p| owners_required(stock, l, p).into_iter().map(|e| e.field).collect::<Vec<_>>();
        assert_eq!(fields(StockClass::Stock, None, Some(" ")), ["responsible_leader", "responsible_person"]);
        assert_eq!(fields(StockClass::Stock, Some("张书记"), None), ["responsible_person"]);
        assert!(fields(StockClass::Stock, Some("张书记"), Some("李某")).is_empty());
        assert!(fields(StockClass::New, None, None).is_empty(), "new leads: the plan asks it of stock");
    }

    #[test]
    fn shifting_keeps_intervals() {
        let p = CampaignPlan::preset_2019();
        let s = p.shifted("x".into(), 100);
        assert_eq!(s.clearance_deadline - s.stock_cutoff, p.clearance_deadline - p.stock_cutoff);
        assert_eq!(s.phases[0].starts_on, p.phases[0].starts_on + time::Duration::days(100));
    }
}
