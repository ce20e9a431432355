//! Use cases. Each takes the actor (as a capability), the clock's "now" and a transaction,
//! and does authorization, rules and the write together; [`App`] wraps them so callers get
//! a transaction per action.

/// Declares a room's facade: a borrowed view of the [`App`] that carries that concept's use
/// cases (as lldap splits its backend handler by concern), so `App` itself stays small.
#[macro_export]
#[doc(hidden)]
macro_rules! facade {
    ($(#[$meta:meta])* $name:ident, $method:ident) => {
        $(#[$meta])*
        #[derive(Clone, Copy)]
        pub struct $name<'a> {
            app: &'a $crate::App,
        }

        impl std::ops::Deref for $name<'_> {
            type Target = $crate::App;
            fn deref(&self) -> &$crate::App {
                self.app
            }
        }

        impl $crate::App {
            pub fn $method(&self) -> $name<'_> {
                $name { app: self }
            }
        }
    };
}

mod access;
pub mod bench_data;
pub mod demo;
mod error;
pub mod jobs;
pub mod mail;
pub mod search;

pub mod ledger;
pub mod lifecycle;
pub mod oversight;
pub mod protection;
pub mod relations;
pub mod reporters;
pub mod reporting;
pub mod supervision;

pub use access::{Actor, Approver, AuditReader, IdentityCustodian, LedgerKeeper, LedgerReader};
pub use error::AppError;
pub use ledger::{
    CampaignBook, CampaignRow, Dossier, ExportStart, ImportConfirm, ImportCounts, ImportDone, ImportErrorView,
    ImportPreview, ImportSettings, LeadDetail, LeadPage, MappedColumn, Permissions, Phase, PreviewRow, Progress,
    ProgressView, Registered, SEARCH_PAGE, SaveLead, SearchHit, SearchResults, SheetChoice, SnippetPiece, ValueChoice,
};
pub use lifecycle::{
    DeadlineSetup, DeadlineView, ExtensionQueue, ExtensionView, FormOf, InboxFilter, InboxItem, InboxPage, QueueItem,
    SideClockView, StepInput, StepOutcome, TimelineEntry,
};
pub use protection::{
    AccountRequest, AccountRow, AuditNames, AuditPage, AuditQuery, BootAccount, Bootstrap, CLIENT_LIMIT, CipherKind,
    Credentials, FIRST_STEPS, Flash, FlashKind, GrantAdmin, KeptForm, Keyring, LoginKind, NewAccount, RecusalView,
    Sealed, SessionInfo, SetupProgress, TokenInfo, TotpOffer, UnitAdmin, constant_time_eq, totp_code_at, unbase32,
};
pub use reporters::{
    attachments::{AttachmentView, CHUNK as ATTACHMENT_CHUNK, Download, Place as AttachPlace, Upload},
    export::IdentityExport,
    feedback::{FeedbackView, LeadFeedback, ObjectionView},
    intake::{IntakeDetail, IntakeItem, IntakeList, IntakeMessage, IntakeRegisterInput},
    portal::{PortalChallenge, PortalMessage, PortalView, Receipt},
    satisfaction::{SatisfactionFigures, SatisfactionRow},
};
pub use reporting::{
    AgeingFigure, BulletinLine, BulletinList, BulletinSummary, BulletinView, ByCategory, BySanction, BySource,
    Counting, Dashboard, OutlineView, RateFigure, RulesInput, RulesVersion, RulesView, SignatureView, StatRow,
    Statistics, StockLeft, SummonsView, UnitOutlook, WorkReportBook, WorkReportVerification, WorkReportView,
};
pub use store::{from_micros, protection::audit::Entry as AuditEntry, protection::audit::Verification};
pub use supervision::{BOARD_PAGE, Board, BoardRow, BoardSource, OrderView, OwnershipView};

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
        *self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = t;
    }
}

impl Clock for FixedClock {
    fn now(&self) -> OffsetDateTime {
        *self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
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
    deadlines: lifecycle::SharedSetup,
    mailer: Option<Arc<mail::Mailer>>,
    top_units: ledger::TopUnits,
    work: ledger::WorkBoard,
    /// How long a page waits for long work before showing its progress instead.
    progress_wait: std::time::Duration,
    search: Arc<search::SearchIndex>,
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
            work: Default::default(),
            progress_wait: std::time::Duration::from_secs(1),
            search: Arc::new(search::SearchIndex::in_memory()),
        }
    }

    /// Keeps the search index in `dir` (it is built there from the database when missing).
    pub fn with_search_dir(mut self, dir: &std::path::Path) -> Result<Self, AppError> {
        self.search = Arc::new(search::SearchIndex::open(Some(dir))?);
        Ok(self)
    }

    /// Chains new audit entries with `algo` (SM3 for 国密 deployments).
    pub fn with_audit_algo(mut self, algo: domain::protection::audit::HashAlgo) -> Self {
        self.audit_algo = algo;
        self
    }

    /// Pages wait `wait` for an import or export before showing its progress (a second
    /// unless told; tests that follow the progress page set none).
    pub fn with_progress_wait(mut self, wait: std::time::Duration) -> Self {
        self.progress_wait = wait;
        self
    }

    /// Waits the page's time for long work; `None` when it goes on. A page that does not wait
    /// never polls: a task that happened to finish first must still be followed on its page.
    async fn wait_for<T>(&self, task: tokio::task::JoinHandle<T>) -> Option<Result<T, AppError>> {
        if self.progress_wait.is_zero() {
            return None;
        }
        let joined = tokio::time::timeout(self.progress_wait, task).await.ok()?;
        Some(joined.map_err(|e| AppError::internal(e.to_string())))
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
        // ID-number hashes from before the person key are keyed now (a no-op once done).
        self.protection().rekey_person_hashes().await?;
        self.reload_deadline_setup().await?;
        Ok(applied)
    }

    async fn reader(&self) -> Result<store::PoolConn, AppError> {
        Ok(self.db.read().await?)
    }
}
