//! Reporting (design brief §9): statistics over a period (`period`, `figures`); the dashboard's
//! clearance forecast and series (`forecast`, `trend`); bulletins that rank units and signed work
//! reports follow.

pub mod bulletin;
pub mod figures;
pub mod forecast;
pub mod kept;
pub mod outline;
pub mod period;
pub mod score;
pub mod trend;
pub mod work_report;
