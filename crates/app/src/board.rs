//! The clearance board (清零进度) for the supervising committee.

use domain::{campaign::Campaign, dates::format_date};
use serde::Serialize;
use store::{board, campaigns};

use crate::{Actor, App, AppError};

#[derive(Debug, Clone, Serialize)]
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

#[derive(Debug, Clone, Serialize)]
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

impl App {
    /// Per unit: stock leads total / cleared / remaining / overdue, new leads, extensions;
    /// lagging units (lowest clearance rate, then most overdue) first.
    pub async fn clearance_board(&self, actor: &Actor) -> Result<Board, AppError> {
        let scope = actor.board_scope()?;
        let today = self.today();
        let mut c = self.reader().await?;
        let campaign = campaigns::current(&mut c).await?.ok_or(AppError::NotFound)?;
        let figures = board::figures(&mut c, &scope, campaign.id, today).await?;
        let mut rows: Vec<BoardRow> = figures
            .into_iter()
            .map(|f| BoardRow {
                unit_id: f.unit_id.get(),
                unit_name: f.unit_name,
                stock_total: f.stock_total,
                stock_cleared: f.stock_cleared,
                stock_remaining: f.stock_total - f.stock_cleared,
                stock_overdue: f.stock_overdue,
                clearance_rate: rate(f.stock_cleared, f.stock_total),
                new_total: f.new_total,
                new_open: f.new_open,
                new_overdue: f.new_overdue,
                new_routed_in_time: f.new_total - f.new_routed_late,
                new_routed_late: f.new_routed_late,
                extensions: f.extensions,
                flagged_extensions: f.flagged_extensions,
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
