//! Persistence for SQLite and PostgreSQL through one code path (sqlx's `Any` driver).
//!
//! Queries use `$n` placeholders, which both backends accept; the only per-backend text is
//! the two DDL tokens translated in [`migrate`].

pub mod bulk;
mod columns;
mod db;
mod error;
pub mod jobs;
pub mod migrate;
mod scope;
pub mod search;
mod sql;

pub mod ledger;
pub mod lifecycle;
pub mod oversight;
pub mod protection;
pub mod relations;
pub mod reporters;
pub mod reporting;
pub mod supervision;

pub use db::{Backend, Db, Tx, long_write_cache};
pub use error::{Constraint, StoreError};
pub use scope::LeadHandle;
pub use sql::{from_micros, to_micros};

/// A read or write handle: a pooled connection or an open transaction.
pub type Conn = sqlx::AnyConnection;
/// A connection borrowed from the read pool.
pub type PoolConn = sqlx::pool::PoolConnection<sqlx::Any>;
