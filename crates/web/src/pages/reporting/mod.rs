//! Reporting pages: statistics and the dashboard (bulletins and work reports follow).

pub(crate) mod charts;
pub(crate) mod dashboard;
pub(crate) mod statistics;
