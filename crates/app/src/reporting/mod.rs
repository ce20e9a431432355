//! Reporting (design brief §9): statistics over a period and the dashboard; bulletins that rank
//! units and signed work reports follow.

pub(crate) mod dashboard;
pub(crate) mod statistics;

pub use dashboard::{AgeingFigure, Dashboard, StockLeft, UnitOutlook};
pub use statistics::{ByCategory, BySanction, BySource, RateFigure, StatRow, Statistics};

crate::facade!(
    /// Reporting's use cases: `app.reporting()`.
    Reporting,
    reporting
);
