//! Reporting's records: the statistics' counts and the dashboard's series; bulletins and work
//! reports follow.

pub mod dashboard;
pub mod statistics;
