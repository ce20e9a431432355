//! Reporting (design brief §9): statistics over a period, the dashboard, bulletins that rank
//! units by versioned score rules, and signed work reports.

pub(crate) mod bulletin_steps;
pub(crate) mod bulletins;
pub(crate) mod counting;
pub(crate) mod dashboard;
pub(crate) mod outline;
pub(crate) mod score_rules;
pub(crate) mod series;
pub(crate) mod statistics;
pub(crate) mod work_reports;

pub use bulletins::{BulletinLine, BulletinList, BulletinSummary, BulletinView, SignatureView, SummonsView};
pub use counting::Counting;
pub use dashboard::{AgeingFigure, Dashboard, StockLeft, UnitOutlook};
pub use outline::OutlineView;
pub use score_rules::{RulesInput, RulesVersion, RulesView};
pub use statistics::{ByCategory, BySanction, BySource, RateFigure, StatRow, Statistics};
pub use work_reports::{
    WorkReportBook, WorkReportFigure, WorkReportLine, WorkReportSection, WorkReportSignature, WorkReportVerification,
    WorkReportView,
};

/// The campaign asked for, or the current one (the latest open).
pub(crate) async fn chosen_campaign(
    c: &mut store::Conn,
    id: Option<domain::CampaignId>,
) -> Result<domain::ledger::campaign::Campaign, crate::AppError> {
    match id {
        Some(id) => store::ledger::campaigns::get(c, id).await?,
        None => store::ledger::campaigns::current(c).await?,
    }
    .ok_or(crate::AppError::NotFound)
}

crate::facade!(
    /// Reporting's use cases: `app.reporting()`.
    Reporting,
    reporting
);
