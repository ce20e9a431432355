//! Use cases against real databases: every test runs on SQLite and on PostgreSQL.

mod board;
mod ledger;
mod lifecycle;
mod oversight;
mod protection;
mod support;
