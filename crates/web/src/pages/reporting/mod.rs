//! Reporting pages: statistics, the dashboard, bulletins and their score rules (work reports
//! follow).

pub(crate) mod bulletins;
pub(crate) mod charts;
pub(crate) mod dashboard;
pub(crate) mod score_rules;
pub(crate) mod statistics;
