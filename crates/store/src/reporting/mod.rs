//! Reporting's records: the statistics' counts, the dashboard's series, bulletins and their
//! score rules, and work reports.

pub mod bulletins;
pub mod dashboard;
pub mod statistics;
pub mod work_reports;
