//! The clearance board (清零进度) for the supervising committee.

use domain::{campaign::Campaign, dates::format_date, tally::Tally};
use serde::Serialize;
use store::{StoreError, board, campaigns, tallies};

use crate::{Actor, App, AppError};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BoardRow {
    pub unit_id: i64,
    pub unit_name: String,
    pub stock_total: i64,
    pub stock_cleared: i64,
    pub stock_remaining: i64,
    pub stock_overdue: i64,
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
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Board {
    pub campaign: String,
    pub clearance_deadline: String,
    /// The phase today falls in, if any.
    pub phase: Option<String>,
    /// Calendar days from today to the clearance deadline (negative once past).
    pub days_left: i64,
    pub rows: Vec<BoardRow>,
    pub totals: BoardRow,
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

impl App {
    /// Per unit: stock leads total / cleared / remaining / overdue, new leads, extensions;
    /// lagging units (lowest clearance rate, then most overdue) first.
    pub async fn clearance_board(&self, actor: &Actor) -> Result<Board, AppError> {
        self.clearance_board_from(actor, Source::Kept).await
    }

    /// Recounts the kept figures as of today if they are of an earlier day (the first board
    /// of the day, or the background job after midnight); true if it counted.
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

    pub async fn clearance_board_from(&self, actor: &Actor, source: Source) -> Result<Board, AppError> {
        let scope = actor.board_scope()?;
        let today = self.today();
        let kept = source == Source::Kept && tallies::answers(&scope);
        if kept {
            self.refresh_board_figures().await?;
        }
        let mut c = self.reader().await?;
        let campaign = campaigns::current(&mut c).await?.ok_or(AppError::NotFound)?;
        let figures = if kept {
            let mut figures = tallies::figures(&mut c, &scope, campaign.id).await?;
            // The kept figures include leads naming the caller; take their share away.
            if let Some(person) = scope.excluded_person() {
                for lead in tallies::naming(&mut c, &scope, campaign.id, person).await? {
                    if let Some(f) = figures.iter_mut().find(|f| f.unit_id == lead.unit) {
                        f.tally = f.tally.minus(Tally::of(&lead.facts, today));
                    }
                }
                figures.retain(|f| f.tally.has_leads());
            }
            figures
        } else {
            board::recount(&mut c, &scope, campaign.id, today).await?
        };
        let mut rows: Vec<BoardRow> = figures
            .into_iter()
            .map(|f| {
                let t = f.tally;
                BoardRow {
                    unit_id: f.unit_id.get(),
                    unit_name: f.unit_name,
                    stock_total: t.stock_total,
                    stock_cleared: t.stock_cleared,
                    stock_remaining: t.stock_total - t.stock_cleared,
                    stock_overdue: t.stock_overdue,
                    clearance_rate: rate(t.stock_cleared, t.stock_total),
                    new_total: t.new_total,
                    new_open: t.new_open,
                    new_overdue: t.new_overdue,
                    new_routed_in_time: t.new_total - t.new_routed_late,
                    new_routed_late: t.new_routed_late,
                    extensions: t.extensions,
                    flagged_extensions: t.flagged_extensions,
                }
            })
            .collect();
        rows.sort_by(|a, b| {
            a.clearance_rate
                .total_cmp(&b.clearance_rate)
                .then(b.stock_overdue.cmp(&a.stock_overdue))
                .then(a.unit_name.cmp(&b.unit_name))
        });
        let sum = |f: fn(&BoardRow) -> i64| rows.iter().map(f).sum::<i64>();
        let totals = BoardRow {
            unit_id: 0,
            unit_name: String::new(),
            stock_total: sum(|r| r.stock_total),
            stock_cleared: sum(|r| r.stock_cleared),
            stock_remaining: sum(|r| r.stock_remaining),
            stock_overdue: sum(|r| r.stock_overdue),
            clearance_rate: rate(sum(|r| r.stock_cleared), sum(|r| r.stock_total)),
            new_total: sum(|r| r.new_total),
            new_open: sum(|r| r.new_open),
            new_overdue: sum(|r| r.new_overdue),
            new_routed_in_time: sum(|r| r.new_routed_in_time),
            new_routed_late: sum(|r| r.new_routed_late),
            extensions: sum(|r| r.extensions),
            flagged_extensions: sum(|r| r.flagged_extensions),
        };
        Ok(Board {
            campaign: campaign.plan.name.clone(),
            clearance_deadline: format_date(campaign.plan.clearance_deadline),
            phase: phase_of(&campaign, today),
            days_left: (campaign.plan.clearance_deadline - today).whole_days(),
            rows,
            totals,
        })
    }
}

fn rate(done: i64, total: i64) -> f64 {
    if total == 0 { 100.0 } else { (done as f64 * 1000.0 / total as f64).round() / 10.0 }
}
