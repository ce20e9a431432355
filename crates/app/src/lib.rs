//! Use cases. Each takes the actor (as a capability), the clock's "now" and a transaction,
//! and does authorization, rules and the write together; [`App`] wraps them so callers get
//! a transaction per action.

mod access;
mod auth;
pub mod demo;
mod error;
mod ledger;
mod setup;
mod units;

pub use access::{Actor, LedgerKeeper, LedgerReader};
pub use auth::{LoginKind, SessionInfo};
pub use error::AppError;
pub use ledger::{LeadDetail, LeadPage, SaveLead};
pub use setup::{Bootstrap, NewAccount};

use std::sync::{Arc, Mutex};

use store::Db;
use time::OffsetDateTime;

/// The source of "now". Never read deep inside logic: use cases receive the instant.
pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> OffsetDateTime;
}

#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc()
    }
}

/// A clock tests can set and move.
#[derive(Debug)]
pub struct FixedClock(Mutex<OffsetDateTime>);

impl FixedClock {
    pub fn new(t: OffsetDateTime) -> Self {
        Self(Mutex::new(t))
    }
    pub fn set(&self, t: OffsetDateTime) {
        *self.0.lock().expect("clock lock") = t;
    }
}

impl Clock for FixedClock {
    fn now(&self) -> OffsetDateTime {
        *self.0.lock().expect("clock lock")
    }
}

/// The application: the database and the clock. Cheap to clone.
#[derive(Clone)]
pub struct App {
    db: Db,
    clock: Arc<dyn Clock>,
}

impl App {
    pub fn new(db: Db, clock: Arc<dyn Clock>) -> Self {
        Self { db, clock }
    }

    pub fn db(&self) -> &Db {
        &self.db
    }

    pub fn now(&self) -> OffsetDateTime {
        self.clock.now()
    }

    /// Brings the schema up to date.
    pub async fn migrate(&self) -> Result<Vec<i64>, AppError> {
        Ok(store::migrate::run(&self.db, store::to_micros(self.now())).await?)
    }

    async fn reader(&self) -> Result<store::PoolConn, AppError> {
        Ok(self.db.read().await?)
    }
}
