//! Persistence for SQLite and PostgreSQL through one code path (sqlx's `Any` driver).
//!
//! Queries use `$n` placeholders, which both backends accept; the only per-backend text is
//! the two DDL tokens translated in [`migrate`].

pub mod audit;
pub mod board;
pub mod bulk;
pub mod campaigns;
mod db;
pub mod deadlines;
mod error;
pub mod extensions;
pub mod leads;
pub mod ledger;
pub mod migrate;
pub mod notices;
pub mod ownership;
pub mod persons;
mod scope;
pub mod sessions;
mod sql;
pub mod steps;
pub mod supervision;
pub mod tallies;
pub mod tokens;
pub mod units;
pub mod users;

pub use db::{Backend, Db, Tx};
pub use error::StoreError;
pub use sql::{from_micros, to_micros};

/// A read or write handle: a pooled connection or an open transaction.
pub type Conn = sqlx::AnyConnection;
/// A connection borrowed from the read pool.
pub type PoolConn = sqlx::pool::PoolConnection<sqlx::Any>;
