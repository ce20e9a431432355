//! The dashboard (issue 17, point 2): a unit's clearance burn-down over the campaign with the
//! forecast at its pace, the units below it ranked and those that will miss listed first, shares
//! by category and source, the monthly trend and overdue ageing. Its figures are the statistics'
//! (the campaign as the period) and the dashboard's own series, all within the caller's scope.

use std::collections::HashMap;

use domain::{
    CampaignId, UnitId,
    reporting::{
        figures::Rate,
        forecast::{Forecast, PACE_WEEKS, burn_down, cleared_in_last_weeks, forecast},
        period::PeriodInput,
        trend::{Ageing, MonthFigures, ageing, monthly},
    },
};
use serde::Serialize;
use time::Date;

use super::{
    Reporting,
    counting::Counting,
    series::{Span, series, subtrees},
    statistics::{ByCategory, BySource, Compared},
};
use crate::{Actor, AppError};

/// One point of the burn-down: the stock left at the end of a week.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct StockLeft {
    #[serde(with = "domain::dates::serde_date")]
    #[schema(value_type = String, format = Date)]
    pub day: Date,
    pub left: i64,
}

/// A unit below the dashboard's unit, with its subtree's forecast and clearance.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct UnitOutlook {
    pub unit_id: UnitId,
    pub unit_name: String,
    pub forecast: Forecast,
    pub stock_total: i64,
    pub stock_cleared: i64,
    /// 清零率 in tenths of a percent; `None` without stock.
    pub clearance: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct AgeingFigure {
    pub ageing: Ageing,
    pub count: i64,
    /// The ledger's deadline range that lists these leads.
    #[serde(with = "domain::dates::serde_opt_date")]
    #[schema(value_type = Option<String>, format = Date)]
    pub deadline_from: Option<Date>,
    #[serde(with = "domain::dates::serde_date")]
    #[schema(value_type = String, format = Date)]
    pub deadline_to: Date,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Dashboard {
    pub campaign_id: CampaignId,
    pub campaign: String,
    /// Every campaign, newest first: (id, name, closed).
    pub campaigns: Vec<(i64, String, bool)>,
    pub unit_id: UnitId,
    pub unit_name: String,
    pub up: Option<UnitId>,
    #[serde(with = "domain::dates::serde_date")]
    #[schema(value_type = String, format = Date)]
    pub today: Date,
    #[serde(with = "domain::dates::serde_date")]
    #[schema(value_type = String, format = Date)]
    pub clearance_deadline: Date,
    /// The weeks of pace the forecast looks back on.
    pub pace_weeks: u32,
    /// The unit's stock left week by week since the campaign began (the last point today).
    pub burn_down: Vec<StockLeft>,
    /// The unit's whole subtree.
    pub forecast: Forecast,
    pub clearance: Option<u32>,
    /// The units below it: those that will miss first, then by what they need a week.
    pub units: Vec<UnitOutlook>,
    /// The same units by 清零率, best first (units without stock last).
    pub ranking: Vec<UnitOutlook>,
    pub by_category: Vec<ByCategory>,
    pub by_source: Vec<BySource>,
    /// Leads received and closed each month of the campaign up to today.
    pub trend: Vec<MonthFigures>,
    /// Open leads past their deadline today, by how long.
    pub ageing: Vec<AgeingFigure>,
}

impl Reporting<'_> {
    /// The dashboard of `campaign` (default: the latest open one) for `unit` (default: the top of
    /// the caller's scope).
    #[tracing::instrument(name = "reporting.dashboard", skip_all)]
    pub async fn dashboard(
        &self,
        actor: &Actor,
        campaign: Option<CampaignId>,
        unit: Option<UnitId>,
    ) -> Result<Dashboard, AppError> {
        self.dashboard_from(actor, campaign, unit, Counting::Kept).await
    }

    /// [`Self::dashboard`] with its counts from `counting`.
    #[tracing::instrument(name = "reporting.dashboard_from", skip_all)]
    pub async fn dashboard_from(
        &self,
        actor: &Actor,
        campaign: Option<CampaignId>,
        unit: Option<UnitId>,
        counting: Counting,
    ) -> Result<Dashboard, AppError> {
        let reader = actor.ledger()?;
        let today = self.today();
        if counting == Counting::Kept {
            self.ensure_kept().await?;
        }
        let mut c = self.reader().await?;
        let k = super::chosen_campaign(&mut c, campaign).await?;
        let (starts_on, deadline) = (k.plan.starts_on, k.plan.clearance_deadline);
        let visible = store::ledger::units::list_within(&mut c, reader.scope.roots()).await?;
        let parent: HashMap<UnitId, Option<UnitId>> = visible.iter().map(|u| (u.id, u.parent)).collect();
        // The unit shown, as the statistics choose it: asked for, or the top of the scope.
        let top = visible.iter().find(|u| u.parent.is_none_or(|p| !parent.contains_key(&p))).map(|u| u.id);
        let shown = unit.or(top).ok_or(AppError::NotFound)?;
        let own = reader.scope.clone().own_units();
        let tops = store::ledger::units::top_level(&mut c).await?;
        let whole = tops == [shown] && own.roots().contains(&shown) && !own.narrowed();
        let span = Span { campaign: k.id, starts_on, today, whole };
        drop(c);
        // The figures and the series read apart, on two connections at once; each holds one
        // at a time, so requests waiting for the pool never wait on each other.
        let figures = PeriodInput { period: "campaign".into(), ..PeriodInput::default() };
        let (stats, s) =
            tokio::join!(self.figures_of(actor, (Some(k.id), unit), &figures, counting, Compared::Alone), async {
                let mut c = self.reader().await?;
                series(&mut c, &own, (&parent, shown), &span, counting).await
            },);
        let (stats, s) = (stats?, s?);
        let outlook = |all: &[(Option<Date>, i64)]| {
            let left: i64 = all.iter().filter(|(d, _)| d.is_none_or(|d| d > today)).map(|(_, n)| n).sum();
            let recent = cleared_in_last_weeks(all, today, PACE_WEEKS);
            forecast(left, recent, PACE_WEEKS, today, deadline)
        };
        let by_root = subtrees(&s.closings, &parent);
        let outlook_of = |root: UnitId| outlook(by_root.get(&root).map_or(&[][..], Vec::as_slice));
        let (all, total) = (&s.shown, outlook(&s.shown));
        let end = today.min(k.plan.ends_on).max(starts_on);
        let mut units: Vec<UnitOutlook> = stats
            .rows
            .iter()
            .filter(|r| !r.own_only)
            .map(|r| UnitOutlook {
                unit_id: r.unit_id,
                unit_name: r.unit_name.clone(),
                forecast: outlook_of(r.unit_id),
                stock_total: r.count(domain::reporting::figures::Count::StockTotal),
                stock_cleared: r.count(domain::reporting::figures::Count::StockCleared),
                clearance: r.counts.rate(Rate::Clearance),
            })
            .collect();
        let mut ranking = units.clone();
        ranking.sort_by(|a, b| {
            b.clearance
                .is_some()
                .cmp(&a.clearance.is_some())
                .then(b.clearance.cmp(&a.clearance))
                .then(b.stock_total.cmp(&a.stock_total))
        });
        units.retain(|u| u.forecast.remaining > 0 || u.forecast.pace_per_week > 0.0);
        units.sort_by(|a, b| {
            b.forecast
                .will_miss
                .cmp(&a.forecast.will_miss)
                .then(b.forecast.needed_per_week.total_cmp(&a.forecast.needed_per_week))
        });
        let trend = monthly(&s.received, &s.closed, starts_on, end);
        let ageing = ageing(&s.overdue, today)
            .into_iter()
            .map(|(a, count)| {
                let (deadline_from, deadline_to) = a.deadlines(today);
                AgeingFigure { ageing: a, count, deadline_from, deadline_to }
            })
            .collect();
        Ok(Dashboard {
            campaign_id: k.id,
            campaign: k.plan.name.clone(),
            campaigns: stats.campaigns.clone(),
            unit_id: stats.unit_id,
            unit_name: stats.unit_name.clone(),
            up: stats.up,
            today,
            clearance_deadline: deadline,
            pace_weeks: PACE_WEEKS,
            burn_down: burn_down(all, starts_on, end).into_iter().map(|(day, left)| StockLeft { day, left }).collect(),
            forecast: total,
            clearance: stats.total.counts.rate(Rate::Clearance),
            units,
            ranking,
            by_category: stats.by_category,
            by_source: stats.by_source,
            trend,
            ageing,
        })
    }
}
