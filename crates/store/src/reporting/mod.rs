//! Reporting's records: the statistics' counts, the dashboard's series, bulletins and their
//! score rules, and work reports.

pub mod bulletins;
pub mod dashboard;
pub mod kept;
mod running;
pub mod statistics;
pub mod sums;
pub mod work_reports;
