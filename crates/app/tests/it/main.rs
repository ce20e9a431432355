//! Use cases against real databases: every test runs on SQLite and on PostgreSQL.

// Tests: a value that is not there is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod accountability;
mod attachments;
mod board;
mod bulletins;
mod campaign_copy;
mod campaigns;
mod clearance;
mod clearance_counts;
mod clearing;
mod clocks;
mod daily_work;
mod dashboard;
mod feedback;
mod forms;
mod handlers;
mod import;
mod kept_statistics;
mod ledger;
mod library;
pub(crate) mod lifecycle;
mod mail;
mod oversight;
mod portal;
mod protection;
mod rectification;
mod recusal;
mod recusal_by_person;
mod relations;
mod reporters;
mod reviews;
mod routing;
mod search;
mod statistics;
mod support;
mod work_reports;
