//! Statistics (统计, issue 17): a campaign's figures for a period, per unit of the caller's
//! scope with each unit's subtree summed, beside the period before and the whole system.

use std::collections::HashMap;

use domain::{
    CampaignId, UnitId,
    ledger::lead::{Category, Source},
    lifecycle::conclusion::Sanction,
    protection::{
        role::{Grant, Role},
        scope::Scope,
    },
    reporting::{
        figures::{Count, Counts, Rate, ancestors, roll_up},
        period::{Period, PeriodInput, PeriodKind, campaign_before},
    },
};
use serde::Serialize;
use store::{
    ledger::{campaigns, units},
    reporting::statistics::Window,
};

use super::{
    Reporting,
    counting::{Counting, Prefixes, SharesOf},
};
use crate::{
    Actor, AppError,
    protection::audit::{Event, Who, record},
};

/// A rate with the same rate of the period before and of the whole system (tenths of a percent;
/// `None` where the denominator is 0).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RateFigure {
    pub rate: Rate,
    pub permille: Option<u32>,
    pub previous: Option<u32>,
}

/// One row: a unit with its subtree (or, `own_only`, the unit's own leads apart from the units
/// below it, the 本级 row).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct StatRow {
    pub unit_id: UnitId,
    pub unit_name: String,
    pub own_only: bool,
    /// Every count by its code.
    #[schema(value_type = std::collections::BTreeMap<String, i64>)]
    pub counts: Counts,
    /// The same counts for the period before.
    #[schema(value_type = std::collections::BTreeMap<String, i64>)]
    pub previous: Counts,
    pub rates: Vec<RateFigure>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Statistics {
    pub campaign_id: CampaignId,
    pub campaign: String,
    /// Every campaign, newest first: (id, name, closed).
    pub campaigns: Vec<(i64, String, bool)>,
    pub period: Period,
    pub previous_period: Period,
    /// Over the campaign, the campaign compared with (the one that started last before it),
    /// whose own dates `previous_period` then spans.
    pub previous_campaign: Option<String>,
    /// The unit whose units are the rows, and the units one may go down to.
    pub unit_id: UnitId,
    pub unit_name: String,
    /// The unit above it, when the caller sees it too.
    pub up: Option<UnitId>,
    pub rows: Vec<StatRow>,
    /// The unit's whole subtree.
    pub total: StatRow,
    /// The whole system's rates for the same period, to compare with (without the period
    /// before).
    pub system: Vec<RateFigure>,
    /// The unit's subtree: leads received in the period by category and by source, and the
    /// subjects of leads closed in it by sanction, largest first.
    pub by_category: Vec<ByCategory>,
    pub by_source: Vec<BySource>,
    pub by_sanction: Vec<BySanction>,
}

/// How many of the unit's subtree fall under each category, source or sanction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ByCategory {
    pub category: Category,
    pub count: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct BySource {
    pub source: Source,
    pub count: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct BySanction {
    pub sanction: Sanction,
    pub count: i64,
}

/// Sums the units of `at`'s subtree by code, largest first, in the vocabulary `parse`.
fn subtree_shares<T>(
    parent: &HashMap<UnitId, Option<UnitId>>,
    at: UnitId,
    own: HashMap<UnitId, Vec<(String, i64)>>,
    parse: impl Fn(&str) -> Option<T>,
) -> Vec<(T, i64)> {
    let mut sums: Vec<(String, i64)> = Vec::new();
    for (unit, codes) in own {
        if !ancestors(parent, unit).any(|u| u == at) {
            continue;
        }
        for (code, n) in codes {
            match sums.iter_mut().find(|(c, _)| *c == code) {
                Some((_, m)) => *m += n,
                None => sums.push((code, n)),
            }
        }
    }
    sums.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    sums.into_iter().filter_map(|(c, n)| parse(&c).map(|t| (t, n))).collect()
}

/// Whether the statistics count the period before, to compare with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Compared {
    WithBefore,
    Alone,
}

fn rates(now: &Counts, before: &Counts) -> Vec<RateFigure> {
    Rate::ALL.iter().map(|r| RateFigure { rate: *r, permille: now.rate(*r), previous: before.rate(*r) }).collect()
}

/// The system's own scope over its top units, for the comparison figures alone (counts leave
/// it, never a lead).
fn whole_system(top: &[UnitId]) -> Option<Scope> {
    let grants: Vec<Grant> = top.iter().map(|u| Grant { role: Role::Supervisor, unit: *u }).collect();
    Scope::from_grants(&grants, |_| true)
}

impl Reporting<'_> {
    /// The statistics of `campaign` (default: the latest open one) for `period`, the rows being
    /// the units just below `unit` (default: the top of the caller's scope).
    #[tracing::instrument(name = "reporting.statistics", skip_all)]
    pub async fn statistics(
        &self,
        actor: &Actor,
        campaign: Option<CampaignId>,
        unit: Option<UnitId>,
        period: &PeriodInput,
    ) -> Result<Statistics, AppError> {
        self.statistics_from(actor, campaign, unit, period, Counting::Kept).await
    }

    /// [`Self::statistics`] with its counts from `counting`.
    #[tracing::instrument(name = "reporting.statistics_from", skip_all)]
    pub async fn statistics_from(
        &self,
        actor: &Actor,
        campaign: Option<CampaignId>,
        unit: Option<UnitId>,
        period: &PeriodInput,
        counting: Counting,
    ) -> Result<Statistics, AppError> {
        self.figures_of(actor, (campaign, unit), period, counting, Compared::WithBefore).await
    }

    /// The statistics, with the period before counted or (for the dashboard, which does not
    /// show it) left at nothing.
    pub(crate) async fn figures_of(
        &self,
        actor: &Actor,
        (campaign, unit): (Option<CampaignId>, Option<UnitId>),
        period: &PeriodInput,
        counting: Counting,
        compared: Compared,
    ) -> Result<Statistics, AppError> {
        let reader = actor.ledger()?;
        let scope = reader.scope.clone().own_units();
        let today = self.today();
        if counting == Counting::Kept {
            self.ensure_kept().await?;
        }
        let mut c = self.reader().await?;
        let k = super::chosen_campaign(&mut c, campaign).await?;
        let period = period.parse(today, (k.plan.starts_on, k.plan.ends_on))?;
        let mut previous_period = period.previous();
        let mut before_campaign = (k.id, None);
        if period.kind == PeriodKind::Campaign {
            let spans = campaigns::spans(&mut c).await?;
            let starts: Vec<(CampaignId, time::Date)> = spans.iter().map(|s| (s.0, s.2)).collect();
            if let Some(p) = campaign_before((k.id, k.plan.starts_on), &starts)
                && let Some((id, name, from, to)) = spans.into_iter().find(|s| s.0 == p)
            {
                previous_period = Period { kind: PeriodKind::Campaign, from, to };
                before_campaign = (id, Some(name));
            }
        }
        let visible = units::list_within(&mut c, reader.scope.roots()).await?;
        let parent: HashMap<UnitId, Option<UnitId>> = visible.iter().map(|u| (u.id, u.parent)).collect();
        let top =
            visible.iter().find(|u| u.parent.is_none_or(|p| !parent.contains_key(&p))).ok_or(AppError::NotFound)?;
        let at = match unit {
            Some(u) => visible.iter().find(|x| x.id == u).ok_or(AppError::NotFound)?,
            None => top,
        };
        let window = |p: &Period| Window { campaign: k.id, from: p.from, to: p.to, today };
        let mut memo = Prefixes::default();
        let everything = units::top_level(&mut c).await?;
        let shares = if everything == [at.id] && scope.roots().contains(&at.id) && !scope.narrowed() {
            SharesOf::Everything(at.id)
        } else {
            SharesOf::Subtree(at.id)
        };
        let figures = self.unit_figures(&mut c, &scope, &window(&period), counting, shares, &mut memo).await?;
        let now = figures.counts;
        let before_window = Window { campaign: before_campaign.0, ..window(&previous_period) };
        let before = match compared {
            Compared::WithBefore => {
                self.unit_figures(&mut c, &scope, &before_window, counting, SharesOf::None, &mut memo).await?.counts
            }
            Compared::Alone => HashMap::new(),
        };
        let children: Vec<&domain::ledger::unit::Unit> = visible.iter().filter(|u| u.parent == Some(at.id)).collect();
        let ids: Vec<UnitId> = children.iter().map(|u| u.id).collect();
        let (sum_now, sum_before) = (roll_up(&parent, &now, &ids), roll_up(&parent, &before, &ids));
        let mut rows: Vec<StatRow> = children
            .iter()
            .zip(sum_now.into_iter().zip(sum_before))
            .map(|(u, (n, b))| StatRow {
                unit_id: u.id,
                unit_name: u.name.clone(),
                own_only: false,
                rates: rates(&n, &b),
                counts: n,
                previous: b,
            })
            .collect();
        let own = (now.get(&at.id).copied().unwrap_or_default(), before.get(&at.id).copied().unwrap_or_default());
        if own.0 != Counts::default() || children.is_empty() {
            rows.insert(
                0,
                StatRow {
                    unit_id: at.id,
                    unit_name: at.name.clone(),
                    own_only: true,
                    rates: rates(&own.0, &own.1),
                    counts: own.0,
                    previous: own.1,
                },
            );
        }
        let (t_now, t_before) = (roll_up(&parent, &now, &[at.id]), roll_up(&parent, &before, &[at.id]));
        let total = StatRow {
            unit_id: at.id,
            unit_name: at.name.clone(),
            own_only: false,
            rates: rates(&t_now[0], &t_before[0]),
            counts: t_now[0],
            previous: t_before[0],
        };
        // The whole system's rates for the period: the caller's own total when they see every
        // unit (the committee), counted apart otherwise.
        let sees_all = everything.iter().all(|u| parent.contains_key(u))
            && reader.scope.owner().is_none()
            && reader.scope.handler().is_none();
        let system = if sees_all {
            total.rates.iter().map(|r| RateFigure { previous: None, ..r.clone() }).collect()
        } else {
            match (whole_system(&everything), everything.first()) {
                (Some(scope), Some(top)) => {
                    let sum = self.system_counts(&mut c, (&scope, *top), &window(&period), counting).await?;
                    rates(&sum, &Counts::default()).into_iter().map(|r| RateFigure { previous: None, ..r }).collect()
                }
                _ => Vec::new(),
            }
        };
        let mut shares = vec![figures.by_category, figures.by_source];
        let by_sanction = subtree_shares(&parent, at.id, figures.by_sanction, Sanction::from_code)
            .into_iter()
            .map(|(sanction, count)| BySanction { sanction, count })
            .collect();
        let by_source = subtree_shares(&parent, at.id, shares.pop().unwrap_or_default(), Source::from_code)
            .into_iter()
            .map(|(source, count)| BySource { source, count })
            .collect();
        let by_category = subtree_shares(&parent, at.id, shares.pop().unwrap_or_default(), Category::from_code)
            .into_iter()
            .map(|(category, count)| ByCategory { category, count })
            .collect();
        Ok(Statistics {
            campaign_id: k.id,
            campaign: k.plan.name.clone(),
            campaigns: campaigns::choices(&mut c)
                .await?
                .into_iter()
                .map(|(id, n, closed)| (id.get(), n, closed))
                .collect(),
            period,
            previous_period,
            previous_campaign: before_campaign.1,
            unit_id: at.id,
            unit_name: at.name.clone(),
            up: at.parent.filter(|p| parent.contains_key(p)),
            rows,
            total,
            system,
            by_category,
            by_source,
            by_sanction,
        })
    }
}

impl Reporting<'_> {
    /// The statistics for a 统计表 download: as [`Self::statistics`], the export audited.
    #[tracing::instrument(name = "reporting.statistics_export", skip_all)]
    pub async fn statistics_export(
        &self,
        actor: &Actor,
        campaign: Option<CampaignId>,
        unit: Option<UnitId>,
        period: &PeriodInput,
    ) -> Result<Statistics, AppError> {
        let s = self.statistics(actor, campaign, unit, period).await?;
        let now = self.now();
        let mut tx = self.db().begin_write().await?;
        let event = Event::new("statistics.export", "unit", s.unit_id).detail(format!(
            "campaign {}, {}",
            s.campaign_id,
            s.period.code()
        ));
        record(&mut tx, self, now, Who::User(actor), event).await?;
        tx.commit().await.map_err(store::StoreError::from)?;
        Ok(s)
    }
}

impl StatRow {
    pub fn count(&self, c: Count) -> i64 {
        self.counts.get(c)
    }
}
