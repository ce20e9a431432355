//! A campaign (专项工作) as the supervising committee types it, checked into a
//! [`CampaignPlan`]; and the copy of a plan for the next year, the usual template.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::{
    FieldError, Invalid,
    dates::{add_months, format_date, parse_date},
    ledger::campaign::{CampaignPlan, CampaignScope, Phase},
    ledger::lead::{Category, Source},
    text::Text,
};

/// One extension may be at most this many months without the committee head.
pub const MAX_EXTENSION_CAP_MONTHS: u32 = 6;

/// At most this many phases (the seed has two).
pub const MAX_PHASES: usize = 6;

#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct PhaseInput {
    #[schema(max_length = 60)]
    pub name: String,
    #[schema(format = Date)]
    pub starts_on: String,
    #[schema(format = Date)]
    pub ends_on: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct CampaignInput {
    #[schema(min_length = 1, max_length = 120)]
    pub name: String,
    /// Leads received up to and including this day are stock (存量).
    #[schema(format = Date)]
    pub stock_cutoff: String,
    /// Stock leads are to be cleared (清零) by this day.
    #[schema(format = Date)]
    pub clearance_deadline: String,
    #[schema(format = Date)]
    pub starts_on: String,
    #[schema(format = Date)]
    pub ends_on: String,
    /// Units' work reports are due on this day.
    #[schema(format = Date)]
    pub report_due: String,
    /// Rows with every field blank are ignored.
    pub phases: Vec<PhaseInput>,
    /// The unit whose subtree the campaign covers; blank: every unit.
    pub scope_unit_id: String,
    /// Category codes counted; at least one (default 涉黑涉恶腐败 and 充当“保护伞”).
    pub categories: Vec<String>,
    /// Source codes counted; none: every source.
    pub sources: Vec<String>,
    /// A transfer counts as cleared only with the receiving body's receipt (default yes).
    pub transfer_needs_receipt: bool,
    /// Months one extension may run without the committee head, 1–6 (default 1).
    #[schema(pattern = r"^[1-6]$")]
    pub extension_cap_months: String,
    /// When creating: the id of the campaign this one copies, whose score rules and report
    /// outline come with it; blank: the newest rules and the plan's seven sections.
    #[serde(default)]
    pub copy_of: String,
}

impl Default for CampaignInput {
    fn default() -> Self {
        let scope = CampaignScope::default();
        Self {
            name: String::new(),
            stock_cutoff: String::new(),
            clearance_deadline: String::new(),
            starts_on: String::new(),
            ends_on: String::new(),
            report_due: String::new(),
            phases: Vec::new(),
            scope_unit_id: String::new(),
            categories: scope.categories.iter().map(|c| c.code().to_owned()).collect(),
            sources: Vec::new(),
            transfer_needs_receipt: scope.transfer_needs_receipt,
            extension_cap_months: scope.extension_cap_months.to_string(),
            copy_of: String::new(),
        }
    }
}

fn err(field: &str, code: &'static str, zh: &str, en: &str) -> FieldError {
    FieldError::new(field, code, zh, en)
}

impl CampaignInput {
    /// The plan, or every reason it is refused.
    pub fn parse(&self) -> Result<CampaignPlan, Invalid> {
        let mut e = Invalid::default();
        let name = e.take(Text::<120>::parse("name", &self.name));
        let date = |e: &mut Invalid, field: &str, v: &str| e.take(parse_date(field, v));
        let cutoff = date(&mut e, "stock_cutoff", &self.stock_cutoff);
        let clearance = date(&mut e, "clearance_deadline", &self.clearance_deadline);
        let starts = date(&mut e, "starts_on", &self.starts_on);
        let ends = date(&mut e, "ends_on", &self.ends_on);
        let report = date(&mut e, "report_due", &self.report_due);
        if let (Some(c), Some(d)) = (cutoff, clearance)
            && d <= c
        {
            e.push(err(
                "clearance_deadline",
                "before_cutoff",
                "清零期限应晚于存量截止日。",
                "The clearance deadline must come after the stock cut-off.",
            ));
        }
        if let (Some(s), Some(t)) = (starts, ends) {
            if t < s {
                e.push(err(
                    "ends_on",
                    "before_start",
                    "结束日期不能早于开始日期。",
                    "The end cannot come before the start.",
                ));
            }
            let outside = |d: Option<Date>| d.is_some_and(|d| d < s || d > t);
            if outside(report) {
                e.push(err(
                    "report_due",
                    "outside_period",
                    "报告报送日期应在工作期间内。",
                    "The report due date must fall within the campaign's period.",
                ));
            }
            if outside(clearance) {
                e.push(err(
                    "clearance_deadline",
                    "outside_period",
                    "清零期限应在工作期间内。",
                    "The clearance deadline must fall within the campaign's period.",
                ));
            }
        }
        let phases = self.phases(&mut e, starts.zip(ends));
        let scope = self.scope(&mut e);
        match (name, cutoff, clearance, starts, ends, report, scope) {
            (
                Some(name),
                Some(stock_cutoff),
                Some(clearance_deadline),
                Some(starts_on),
                Some(ends_on),
                Some(report_due),
                Some(scope),
            ) if e.is_empty() => Ok(CampaignPlan {
                name: name.into_string(),
                stock_cutoff,
                clearance_deadline,
                starts_on,
                ends_on,
                report_due,
                phases,
                scope,
            }),
            _ => Err(e),
        }
    }

    fn scope(&self, e: &mut Invalid) -> Option<CampaignScope> {
        let unit = match self.scope_unit_id.trim() {
            "" => Some(None),
            v => e.take(v.parse::<i64>().ok().filter(|n| *n > 0).map(|n| Some(crate::UnitId::from_raw(n))).ok_or_else(
                || err("scope_unit_id", "invalid", "请选择范围内的单位。", "Choose the unit the campaign covers."),
            )),
        };
        let mut categories = Vec::new();
        for c in &self.categories {
            if let Some(c) = e.take(Category::parse("categories", c))
                && !categories.contains(&c)
            {
                categories.push(c);
            }
        }
        if self.categories.is_empty() {
            e.push(err(
                "categories",
                "required",
                "请至少选择一个计入清零的线索类别。",
                "Choose at least one category the clearance counts.",
            ));
        }
        let mut sources = Vec::new();
        for c in &self.sources {
            if let Some(c) = e.take(Source::parse("sources", c))
                && !sources.contains(&c)
            {
                sources.push(c);
            }
        }
        let months = e.take(match self.extension_cap_months.trim().parse::<u32>() {
            Ok(n @ 1..=MAX_EXTENSION_CAP_MONTHS) => Ok(n),
            _ => Err(err(
                "extension_cap_months",
                "out_of_range",
                &format!("单次延期上限须为 1 到 {MAX_EXTENSION_CAP_MONTHS} 个月。"),
                &format!("The cap on one extension is 1 to {MAX_EXTENSION_CAP_MONTHS} months."),
            )),
        });
        Some(CampaignScope {
            unit: unit?,
            categories,
            sources,
            transfer_needs_receipt: self.transfer_needs_receipt,
            extension_cap_months: months?,
        })
    }

    fn phases(&self, e: &mut Invalid, period: Option<(Date, Date)>) -> Vec<Phase> {
        let given: Vec<(usize, &PhaseInput)> = self
            .phases
            .iter()
            .enumerate()
            .filter(|(_, p)| {
                !(p.name.trim().is_empty() && p.starts_on.trim().is_empty() && p.ends_on.trim().is_empty())
            })
            .collect();
        if given.len() > MAX_PHASES {
            e.push(err(
                "phases",
                "too_many",
                &format!("阶段最多 {MAX_PHASES} 个。"),
                &format!("At most {MAX_PHASES} phases."),
            ));
            return Vec::new();
        }
        let mut out: Vec<Phase> = Vec::new();
        for (i, p) in given {
            let f = |x: &str| format!("phases[{i}].{x}");
            let name = e.take(Text::<60>::parse(&f("name"), &p.name));
            let s = e.take(parse_date(&f("starts_on"), &p.starts_on));
            let t = e.take(parse_date(&f("ends_on"), &p.ends_on));
            let (Some(name), Some(s), Some(t)) = (name, s, t) else { continue };
            if t < s {
                e.push(err(
                    &f("ends_on"),
                    "before_start",
                    "阶段结束不能早于开始。",
                    "A phase cannot end before it starts.",
                ));
            } else if period.is_some_and(|(a, b)| s < a || t > b) {
                e.push(err(
                    &f("starts_on"),
                    "outside_period",
                    "阶段应在工作期间内。",
                    "A phase must fall within the campaign's period.",
                ));
            } else if out.last().is_some_and(|prev| s <= prev.ends_on) {
                e.push(err(
                    &f("starts_on"),
                    "overlaps",
                    "阶段应按时间先后排列，且互不重叠。",
                    "Phases must follow one another without overlapping.",
                ));
            } else {
                out.push(Phase { name: name.into_string(), starts_on: s, ends_on: t });
            }
        }
        out
    }

    /// The form for an existing plan.
    pub fn of_plan(p: &CampaignPlan) -> Self {
        Self {
            name: p.name.clone(),
            stock_cutoff: format_date(p.stock_cutoff),
            clearance_deadline: format_date(p.clearance_deadline),
            starts_on: format_date(p.starts_on),
            ends_on: format_date(p.ends_on),
            report_due: format_date(p.report_due),
            phases: p
                .phases
                .iter()
                .map(|ph| PhaseInput {
                    name: ph.name.clone(),
                    starts_on: format_date(ph.starts_on),
                    ends_on: format_date(ph.ends_on),
                })
                .collect(),
            scope_unit_id: p.scope.unit.map(|u| u.get().to_string()).unwrap_or_default(),
            categories: p.scope.categories.iter().map(|c| c.code().to_owned()).collect(),
            sources: p.scope.sources.iter().map(|c| c.code().to_owned()).collect(),
            transfer_needs_receipt: p.scope.transfer_needs_receipt,
            extension_cap_months: p.scope.extension_cap_months.to_string(),
            copy_of: String::new(),
        }
    }

    /// The campaign this one copies (`copy_of`), if any.
    pub fn copied_from(&self) -> Result<Option<crate::CampaignId>, FieldError> {
        match self.copy_of.trim() {
            "" => Ok(None),
            id => {
                id.parse::<i64>().ok().filter(|n| *n > 0).map(crate::CampaignId::from_raw).map(Some).ok_or_else(|| {
                    err("copy_of", "unknown", "要复制的专项不存在。", "The campaign to copy does not exist.")
                })
            }
        }
    }

    /// Last year's campaign as this year's template: every date a year later, the year in
    /// its name moved on (「2019年…」 → 「2020年…」).
    pub fn a_year_after(p: &CampaignPlan) -> Self {
        let y = |d: Date| add_months(d, 12);
        let next = format!("{}", p.starts_on.year() + 1);
        let name = p.name.replacen(&format!("{}", p.starts_on.year()), &next, 1);
        Self::of_plan(&CampaignPlan {
            name,
            stock_cutoff: y(p.stock_cutoff),
            clearance_deadline: y(p.clearance_deadline),
            starts_on: y(p.starts_on),
            ends_on: y(p.ends_on),
            report_due: y(p.report_due),
            phases: p
                .phases
                .iter()
                .map(|ph| Phase { name: ph.name.clone(), starts_on: y(ph.starts_on), ends_on: y(ph.ends_on) })
                .collect(),
            scope: p.scope.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn the_seeds_plan_round_trips_and_copies_to_the_next_year() {
        let seed = CampaignPlan::preset_2019();
        assert_eq!(CampaignInput::of_plan(&seed).parse().unwrap(), seed);
        let next = CampaignInput::a_year_after(&seed).parse().unwrap();
        assert_eq!(next.name, "2020年扫黑除恶“排头兵”创建");
        assert_eq!((next.stock_cutoff, next.clearance_deadline), (date!(2020 - 06 - 30), date!(2020 - 12 - 31)));
        assert_eq!(next.phases[1].starts_on, date!(2020 - 11 - 01));
        assert_eq!(next.scope, seed.scope, "the copy counts what last year's counted");
        let mut custom = seed.clone();
        custom.scope = CampaignScope {
            unit: Some(crate::UnitId::from_raw(4)),
            categories: vec![Category::ProtectiveUmbrella],
            sources: vec![Source::AuditTransfer, Source::PetitionReport],
            transfer_needs_receipt: false,
            extension_cap_months: 2,
        };
        assert_eq!(CampaignInput::of_plan(&custom).parse().unwrap(), custom);
    }

    #[test]
    fn a_copy_names_the_campaign_it_copies_by_id() {
        let mut i = CampaignInput::default();
        assert_eq!(i.copied_from(), Ok(None));
        i.copy_of = " 7 ".into();
        assert_eq!(i.copied_from(), Ok(Some(crate::CampaignId::from_raw(7))));
        for bad in ["x", "-1", "0"] {
            i.copy_of = bad.into();
            assert_eq!(i.copied_from().unwrap_err().code, "unknown");
        }
    }

    #[test]
    fn dates_must_make_sense_together() {
        let mut i = CampaignInput::of_plan(&CampaignPlan::preset_2019());
        i.clearance_deadline = "2019-06-30".into();
        i.report_due = "2020-01-10".into();
        i.phases[1].starts_on = "2019-10-15".into();
        i.phases
            .push(PhaseInput { name: "收尾".into(), starts_on: "2019-12-01".into(), ends_on: "2020-02-01".into() });
        i.phases.push(PhaseInput::default()); // a blank row is no phase
        let codes: Vec<(String, &str)> = i.parse().unwrap_err().0.into_iter().map(|e| (e.field, e.code)).collect();
        assert_eq!(
            codes,
            [
                ("clearance_deadline".to_owned(), "before_cutoff"),
                ("report_due".to_owned(), "outside_period"),
                ("clearance_deadline".to_owned(), "outside_period"),
                ("phases[1].starts_on".to_owned(), "overlaps"),
                ("phases[2].starts_on".to_owned(), "outside_period"),
            ]
        );
        let mut scope = CampaignInput::of_plan(&CampaignPlan::preset_2019());
        scope.categories = vec![];
        scope.sources = vec!["nonsense".into()];
        scope.extension_cap_months = "7".into();
        scope.scope_unit_id = "x".into();
        let codes: Vec<(String, &str)> = scope.parse().unwrap_err().0.into_iter().map(|e| (e.field, e.code)).collect();
        assert_eq!(
            codes,
            [
                ("scope_unit_id".to_owned(), "invalid"),
                ("categories".to_owned(), "required"),
                ("sources".to_owned(), "unknown_value"),
                ("extension_cap_months".to_owned(), "out_of_range"),
            ]
        );
        let blank = CampaignInput { categories: vec![], ..CampaignInput::default() }.parse().unwrap_err();
        let fields: Vec<&str> = blank.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            ["name", "stock_cutoff", "clearance_deadline", "starts_on", "ends_on", "report_due", "categories"]
        );
    }
}
