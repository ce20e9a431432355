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

/// [`chosen_campaign`], to change what it follows (its score rules, its report outline): a
/// closed campaign stays as it was.
pub(crate) async fn open_campaign(
    tx: &mut store::Tx,
    id: Option<domain::CampaignId>,
) -> Result<domain::ledger::campaign::Campaign, crate::AppError> {
    let k = chosen_campaign(tx, id).await?;
    if store::ledger::campaigns::closed(tx, k.id).await? == Some(true) {
        return Err(crate::AppError::field(domain::FieldError::new(
            "campaign",
            "closed",
            "专项工作已结束，其评分规则和报告提纲不能再改；请选择进行中的专项。",
            "The campaign is closed: its score rules and report outline no longer change. Choose an open one.",
        )));
    }
    Ok(k)
}

/// Every campaign as (id, name, closed), for choosing one, and whether `k` is closed.
pub(crate) async fn campaign_choices(
    c: &mut store::Conn,
    k: domain::CampaignId,
) -> Result<(Vec<(i64, String, bool)>, bool), crate::AppError> {
    let list = store::ledger::campaigns::choices(c).await?;
    let closed = list.iter().any(|(id, _, closed)| *id == k && *closed);
    Ok((list.into_iter().map(|(id, name, closed)| (id.get(), name, closed)).collect(), closed))
}

crate::facade!(
    /// Reporting's use cases: `app.reporting()`.
    Reporting,
    reporting
);
