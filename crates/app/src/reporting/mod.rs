//! Reporting (design brief §9): statistics over a period; bulletins that rank units and signed
//! work reports follow.

pub(crate) mod statistics;

pub use statistics::{RateFigure, StatRow, Statistics};

crate::facade!(
    /// Reporting's use cases: `app.reporting()`.
    Reporting,
    reporting
);
