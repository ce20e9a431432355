//! Reporting pages: statistics, the dashboard, bulletins and their score rules, work reports and
//! their outline.

pub(crate) mod bulletins;
pub(crate) mod charts;
pub(crate) mod dashboard;
pub(crate) mod outline;
pub(crate) mod score_rules;
pub(crate) mod statistics;
pub(crate) mod work_reports;
