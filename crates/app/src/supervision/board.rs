//! The clearance board (清零进度) for the supervising committee.

use super::Supervision;
use domain::{
    dates::format_date, ledger::campaign::Campaign, supervision::ranking::BoardSort, supervision::tally::Tally,
};
use serde::Serialize;
use store::{StoreError, ledger::campaigns, supervision::board, supervision::tallies, supervision::tallies::UnitTally};

use crate::{Actor, AppError};

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct BoardRow {
    pub unit_id: i64,
    pub unit_name: String,
    pub stock_total: i64,
    pub stock_cleared: i64,
    pub stock_remaining: i64,
    pub stock_overdue: i64,
    /// Stock leads not cleared that name no responsible leader or person.
    pub stock_unowned: i64,
    /// Cleared share of stock leads, in percent (100 when a unit has none).
    pub clearance_rate: f64,
    pub new_total: i64,
    pub new_open: i64,
    pub new_overdue: i64,
    /// New leads routed (assessed) within their deadline, and those that were not.
    pub new_routed_in_time: i64,
    pub new_routed_late: i64,
    pub extensions: i64,
    pub flagged_extensions: i64,
    /// Stock leads transferred, and those still awaiting the receipt the campaign asks for.
    pub stock_transferred: i64,
    pub stock_awaiting_receipt: i64,
    /// New leads routed in time, in percent.
    pub routed_in_time_rate: f64,
    /// Rank by 清零率 among all units on the board (1 = highest; ties share a rank).
    pub rank: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Board {
    pub campaign_id: i64,
    pub campaign: String,
    /// Every campaign, newest first, to choose another board from: (id, name, closed).
    pub campaigns: Vec<(i64, String, bool)>,
    pub clearance_deadline: String,
    /// The phase today falls in, if any.
    pub phase: Option<String>,
    /// Calendar days from today to the clearance deadline (negative once past).
    pub days_left: i64,
    /// This page's units.
    pub rows: Vec<BoardRow>,
    /// Over all units, not only this page's.
    pub totals: BoardRow,
    pub page: u32,
    pub page_count: u32,
    /// The order of the rows.
    pub sort: domain::supervision::ranking::BoardSort,
    /// How many units have leads in the campaign (within the caller's scope).
    pub units: i64,
}

fn phase_of(c: &Campaign, today: time::Date) -> Option<String> {
    c.plan.phases.iter().find(|p| p.starts_on <= today && today <= p.ends_on).map(|p| p.name.clone())
}

/// Where the board's figures come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The per-unit figures kept in step with every change (the page).
    Kept,
    /// Every lead counted afresh (what the kept figures must equal).
    Recount,
}

/// Units per page of the board.
pub const BOARD_PAGE: u32 = 100;

fn row(unit_id: i64, unit_name: String, t: &Tally, rank: u32) -> BoardRow {
    BoardRow {
        unit_id,
        unit_name,
        stock_total: t.stock_total,
        stock_cleared: t.stock_cleared,
        stock_remaining: t.stock_total - t.stock_cleared,
        stock_overdue: t.stock_overdue,
        stock_unowned: t.stock_unowned,
        clearance_rate: rate(t.stock_cleared, t.stock_total),
        new_total: t.new_total,
        new_open: t.new_open,
        new_overdue: t.new_overdue,
        new_routed_in_time: t.new_total - t.new_routed_late,
        new_routed_late: t.new_routed_late,
        extensions: t.extensions,
        flagged_extensions: t.flagged_extensions,
        stock_transferred: t.stock_transferred,
        stock_awaiting_receipt: t.stock_awaiting_receipt,
        routed_in_time_rate: domain::supervision::ranking::routed_in_time_rate(t),
        rank,
    }
}

/// Ranks every unit by 清零率, orders them by `sort` and cuts out `page`; with the totals
/// over all units and how many there are.
fn rank_and_cut(
    all: Vec<UnitTally>,
    sort: domain::supervision::ranking::BoardSort,
    page: u32,
    per_page: u32,
) -> (Vec<(UnitTally, u32)>, Tally, i64) {
    use domain::supervision::ranking::{ranks, sort_rows};
    let totals = all.iter().fold(Tally::default(), |acc, u| acc.plus(u.tally));
    let units = all.len() as i64;
    let rank = ranks(&all.iter().map(|u| &u.tally).collect::<Vec<_>>());
    let mut ranked: Vec<(UnitTally, u32)> = all.into_iter().zip(rank).collect();
    sort_rows(&mut ranked, sort, |(u, _)| (u.unit_name.as_str(), &u.tally));
    let skip = (page as usize - 1) * per_page as usize;
    (ranked.into_iter().skip(skip).take(per_page as usize).collect(), totals, units)
}

impl Supervision<'_> {
    /// Per unit: stock leads total / cleared / remaining / overdue, new leads, extensions;
    /// lagging units (lowest clearance rate, then most overdue) first, [`BOARD_PAGE`] to a
    /// page, with totals over all units.
    #[tracing::instrument(name = "supervision.clearance_board", skip_all)]
    pub async fn clearance_board(&self, actor: &Actor, page: u32) -> Result<Board, AppError> {
        self.supervision().board(actor, None, Source::Kept, (page, BOARD_PAGE), BoardSort::Lagging).await
    }

    /// The board of `campaign` (any, closed ones included), or of the latest open one;
    /// `NotFound` when there is no such campaign (a new install has none).
    #[tracing::instrument(name = "supervision.clearance_board_of", skip_all)]
    pub async fn clearance_board_of(
        &self,
        actor: &Actor,
        campaign: Option<domain::CampaignId>,
        page: u32,
        sort: domain::supervision::ranking::BoardSort,
    ) -> Result<Board, AppError> {
        self.supervision().board(actor, campaign, Source::Kept, (page, BOARD_PAGE), sort).await
    }

    /// Every unit of the board of `campaign` (or the latest open one) in one list, in the
    /// order `sort`: for the xlsx export (a province's 2,000 units and more).
    #[tracing::instrument(name = "supervision.clearance_board_all", skip_all)]
    pub async fn clearance_board_all(
        &self,
        actor: &Actor,
        campaign: Option<domain::CampaignId>,
        sort: domain::supervision::ranking::BoardSort,
    ) -> Result<Board, AppError> {
        self.supervision().board(actor, campaign, Source::Kept, (1, u32::MAX), sort).await
    }

    /// Recounts the kept figures as of today if they are of an earlier day (the first board
    /// of the day, or the background job after midnight); true if it counted.
    #[tracing::instrument(name = "supervision.refresh_board_figures", skip_all)]
    pub async fn refresh_board_figures(&self) -> Result<bool, AppError> {
        let today = self.today();
        {
            let mut c = self.reader().await?;
            if tallies::as_of(&mut c).await? == Some(today) {
                return Ok(false);
            }
        }
        let mut tx = self.db().begin_write().await?;
        let counted = tallies::recount(&mut tx, today).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(counted)
    }

    /// The board from `source`, `per_page` units to a page.
    #[tracing::instrument(name = "supervision.clearance_board_from", skip_all)]
    pub async fn clearance_board_from(
        &self,
        actor: &Actor,
        source: Source,
        page: u32,
        per_page: u32,
    ) -> Result<Board, AppError> {
        self.supervision().board(actor, None, source, (page, per_page), BoardSort::Lagging).await
    }

    async fn board(
        &self,
        actor: &Actor,
        which: Option<domain::CampaignId>,
        source: Source,
        (page, per_page): (u32, u32),
        sort: domain::supervision::ranking::BoardSort,
    ) -> Result<Board, AppError> {
        let scope = actor.board_scope()?;
        let today = self.today();
        let (page, per_page) = (page.max(1), per_page.max(1));
        let kept = source == Source::Kept && tallies::answers(&scope);
        if kept {
            self.supervision().refresh_board_figures().await?;
        }
        let mut c = self.reader().await?;
        let campaign = match which {
            Some(id) => campaigns::get(&mut c, id).await?,
            None => campaigns::current(&mut c).await?,
        }
        .ok_or(AppError::NotFound)?;
        let all = campaigns::choices(&mut c).await?;
        let naming = match scope.recused_user() {
            Some(user) if kept => tallies::naming(&mut c, &scope, campaign.id, user).await?,
            _ => Vec::new(),
        };
        // One row per unit with leads: every unit is read to rank it, whatever the page.
        let figures = if kept {
            let mut all = tallies::figures(&mut c, &scope, campaign.id).await?;
            // The kept figures include leads naming the caller: take their share away.
            for lead in naming {
                if let Some(f) = all.iter_mut().find(|f| f.unit_id == lead.unit) {
                    f.tally = f.tally.minus(Tally::of(&lead.facts, today));
                }
            }
            all.retain(|f| f.tally.has_leads());
            all
        } else {
            board::recount(&mut c, &scope, campaign.id, today).await?
        };
        let (rows, totals, units) = rank_and_cut(figures, sort, page, per_page);
        Ok(Board {
            campaign_id: campaign.id.get(),
            campaigns: all.into_iter().map(|(id, name, closed)| (id.get(), name, closed)).collect(),
            campaign: campaign.plan.name.clone(),
            clearance_deadline: format_date(campaign.plan.clearance_deadline),
            phase: phase_of(&campaign, today),
            days_left: (campaign.plan.clearance_deadline - today).whole_days(),
            rows: rows.into_iter().map(|(u, rank)| row(u.unit_id.get(), u.unit_name, &u.tally, rank)).collect(),
            totals: row(0, String::new(), &totals, 0),
            sort,
            page,
            page_count: ((units + i64::from(per_page) - 1) / i64::from(per_page)).max(1) as u32,
            units,
        })
    }
}

fn rate(done: i64, total: i64) -> f64 {
    if total == 0 { 100.0 } else { (done as f64 * 1000.0 / total as f64).round() / 10.0 }
}
