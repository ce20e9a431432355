//! Campaigns (专项工作) hold the dates of design brief §5.

use serde::Serialize;
use time::{Date, macros::date};

use crate::{CampaignId, labelled_enum};

labelled_enum!(
    /// Whether a lead predates the campaign's stock cut-off. Derived, never typed in.
    StockClass {
        Stock = ("stock", "存量", "Stock"),
        New = ("new", "增量", "New"),
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
        }
    }

    /// Stock leads are those received up to and including the cut-off day.
    pub fn stock_class(&self, received_on: Date) -> StockClass {
        if received_on <= self.stock_cutoff { StockClass::Stock } else { StockClass::New }
    }
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
    fn shifting_keeps_intervals() {
        let p = CampaignPlan::preset_2019();
        let s = p.shifted("x".into(), 100);
        assert_eq!(s.clearance_deadline - s.stock_cutoff, p.clearance_deadline - p.stock_cutoff);
        assert_eq!(s.phases[0].starts_on, p.phases[0].starts_on + time::Duration::days(100));
    }
}
