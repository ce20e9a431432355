//! Reporting's records: the statistics' counts, the dashboard's series, bulletins and their
//! score rules; work reports follow.

pub mod bulletins;
pub mod dashboard;
pub mod statistics;
