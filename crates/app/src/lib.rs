//! Use cases. Each takes the actor (as a capability), the clock's "now" and a transaction,
//! and does authorization, rules and the write together; [`App`] wraps them so callers get
//! a transaction per action.

mod access;
mod admin;
mod audit;
mod auth;
pub mod bench_data;
mod board;
mod deadlines;
pub mod demo;
mod error;
mod extensions;
mod ledger;
mod lifecycle;
pub mod mail;
mod ownership;
mod reporters;
mod secrets;
mod setup;
mod supervision;
mod tokens;
mod totp;
mod units;
mod warnings;

pub use access::{Actor, Approver, AuditReader, IdentityCustodian, LedgerKeeper, LedgerReader};
pub use admin::{AccountRow, GrantAdmin, UnitAdmin};
pub use audit::{AuditPage, AuditQuery};
pub use auth::{CLIENT_LIMIT, Credentials, LoginKind, SessionInfo};
pub use board::{BOARD_PAGE, Board, BoardRow, Source as BoardSource};
pub use deadlines::DeadlineSetup;
pub use error::AppError;
pub use extensions::{ExtensionQueue, ExtensionView};
pub use ledger::{LeadDetail, LeadPage, SaveLead};
pub use lifecycle::{QueueItem, StepInput, StepOutcome, TimelineEntry};
pub use ownership::OwnershipView;
pub use secrets::{CipherKind, Keyring, Sealed};
pub use setup::{Bootstrap, NewAccount};
pub use store::{from_micros, protection::audit::Entry as AuditEntry, protection::audit::Verification};
pub use supervision::OrderView;
pub use tokens::TokenInfo;
pub use totp::{TotpOffer, code_at as totp_code_at, unbase32};
pub use warnings::InboxItem;

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

/// The application: the database, the clock, the keys that seal reporter identity and the
/// audit chain's hash. Cheap to clone.
#[derive(Clone)]
pub struct App {
    db: Db,
    clock: Arc<dyn Clock>,
    keyring: Arc<Keyring>,
    audit_algo: domain::protection::audit::HashAlgo,
    deadlines: deadlines::SharedSetup,
    mailer: Option<Arc<mail::Mailer>>,
    top_units: ledger::TopUnits,
}

impl App {
    pub fn new(db: Db, clock: Arc<dyn Clock>, keyring: Arc<Keyring>) -> Self {
        Self {
            db,
            clock,
            keyring,
            audit_algo: domain::protection::audit::HashAlgo::Sha256,
            deadlines: Default::default(),
            mailer: None,
            top_units: Default::default(),
        }
    }

    /// Chains new audit entries with `algo` (SM3 for 国密 deployments).
    pub fn with_audit_algo(mut self, algo: domain::protection::audit::HashAlgo) -> Self {
        self.audit_algo = algo;
        self
    }

    /// Sends warning notices by e-mail through `mailer` as well (off unless configured).
    pub fn with_mailer(mut self, mailer: mail::Mailer) -> Self {
        self.mailer = Some(Arc::new(mailer));
        self
    }

    pub fn keyring(&self) -> &Keyring {
        &self.keyring
    }

    pub fn db(&self) -> &Db {
        &self.db
    }

    pub fn now(&self) -> OffsetDateTime {
        self.clock.now()
    }

    /// Brings the schema up to date.
    pub async fn migrate(&self) -> Result<Vec<i64>, AppError> {
        let applied = store::migrate::run(&self.db, store::to_micros(self.now())).await?;
        self.reload_deadline_setup().await?;
        Ok(applied)
    }

    async fn reader(&self) -> Result<store::PoolConn, AppError> {
        Ok(self.db.read().await?)
    }
}
