//! The satisfaction rate per unit over a period (满意 and 基本满意 over those followed up), the
//! figure the work plan's fourth goal is measured by and the bulletins rank on.

use domain::{
    UnitId,
    dates::{format_date, parse_optional_date},
    reporters::satisfaction::{format_rate, rate_of},
};
use serde::Serialize;
use time::Date;

use super::Reporters;
use crate::{Actor, AppError};

/// One unit's follow-ups in the period.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SatisfactionRow {
    pub unit_id: UnitId,
    pub unit_name: String,
    pub satisfied: i64,
    pub basically_satisfied: i64,
    pub unsatisfied: i64,
    pub followed_up: i64,
    /// Tenths of a percent; absent when nobody was followed up.
    pub rate_permille: Option<u32>,
    /// As the pages show it ("87.5%", or "—").
    pub rate: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SatisfactionFigures {
    #[serde(serialize_with = "domain::dates::serde_date::serialize")]
    pub from: Date,
    #[serde(serialize_with = "domain::dates::serde_date::serialize")]
    pub to: Date,
    /// Units in the caller's scope with follow-ups in the period, best rate first.
    pub units: Vec<SatisfactionRow>,
    pub total: SatisfactionRow,
}

fn row(unit_id: UnitId, unit_name: String, [s, b, u]: [i64; 3]) -> SatisfactionRow {
    let permille = rate_of((s + b).max(0) as u64, (s + b + u).max(0) as u64);
    SatisfactionRow {
        unit_id,
        unit_name,
        satisfied: s,
        basically_satisfied: b,
        unsatisfied: u,
        followed_up: s + b + u,
        rate_permille: permille,
        rate: format_rate(permille),
    }
}

impl Reporters<'_> {
    /// Follow-ups held from `from` to `to` (this year so far when blank) on leads in the
    /// caller's scope, per handling unit.
    #[tracing::instrument(name = "reporters.satisfaction", skip_all)]
    pub async fn satisfaction(&self, actor: &Actor, from: &str, to: &str) -> Result<SatisfactionFigures, AppError> {
        let reader = actor.ledger()?;
        let today = self.today();
        let mut e = domain::Invalid::default();
        let first = e.take(parse_optional_date("from", from)).flatten();
        let last = e.take(parse_optional_date("to", to)).flatten();
        if !e.is_empty() {
            return Err(e.into());
        }
        let from =
            first.unwrap_or_else(|| Date::from_calendar_date(today.year(), time::Month::January, 1).unwrap_or(today));
        let to = last.unwrap_or(today);
        if to < from {
            return Err(AppError::field(domain::FieldError::new(
                "to",
                "before_from",
                format!("截止日期早于起始日期（{}）。", format_date(from)),
                format!("The end is before the start ({}).", format_date(from)),
            )));
        }
        let mut c = self.reader().await?;
        let rows = store::reporters::feedback::satisfaction_by_unit(&mut c, &reader.scope, (from, to)).await?;
        let mut sum = [0i64; 3];
        let mut units: Vec<SatisfactionRow> = rows
            .into_iter()
            .map(|(id, name, n)| {
                for (acc, x) in sum.iter_mut().zip(n) {
                    *acc += x;
                }
                row(id, name, n)
            })
            .collect();
        units.sort_by(|a, b| b.rate_permille.cmp(&a.rate_permille).then(b.followed_up.cmp(&a.followed_up)));
        let total = row(actor.unit_id, String::new(), sum);
        Ok(SatisfactionFigures { from, to, units, total })
    }
}
