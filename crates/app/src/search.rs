//! This instance's search index, kept in step with the database: built from it when missing,
//! damaged or of another version, then following the outbox (`store::search`) that every
//! write adds to in its own transaction. A search first applies what the outbox holds beyond
//! the index (a user finds what they just saved); a background job does the same every half
//! second for the writes of other instances.
//!
//! On PostgreSQL, sequence numbers are taken when a row is written but seen when its
//! transaction commits, so a later number can be seen first. A number skipped that way is
//! kept as missing and looked for again on every pass; the index records as applied only
//! what precedes the first one still missing. A number missing for `GIVE_UP` was a rolled-back
//! transaction.

use std::{
    collections::BTreeMap,
    path::Path,
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
    time::{Duration, Instant},
};

use domain::LeadId;
use search::{Found, Index, Piece, Request};
use tokio::sync::Mutex;

use crate::{App, AppError};

/// Leads read from the database per batch, while building or following.
const BATCH: i64 = 2_000;
/// How long a skipped sequence number is waited for.
const GIVE_UP: Duration = Duration::from_secs(600);

pub struct SearchIndex {
    index: Index,
    follow: Mutex<Follow>,
    /// A build from the database is under way: searches meanwhile are the database's.
    building: AtomicBool,
}

#[derive(Default)]
struct Follow {
    built: bool,
    /// Every change up to here is in the index.
    applied: i64,
    /// The last change read.
    read_to: i64,
    /// Numbers at or below `read_to` not seen yet, with when they were first missed.
    missing: BTreeMap<i64, Instant>,
}

fn search_err(e: search::SearchError) -> AppError {
    AppError::internal(e.to_string())
}

impl SearchIndex {
    /// The index kept in `dir`; in memory when `None`.
    pub fn open(dir: Option<&Path>) -> Result<Self, AppError> {
        let index = match dir {
            Some(d) => Index::open(d),
            None => Index::in_memory(),
        }
        .map_err(search_err)?;
        let applied = index.applied().map_err(search_err)?;
        let follow = Follow {
            built: applied.is_some(),
            applied: applied.unwrap_or(0),
            read_to: applied.unwrap_or(0),
            missing: BTreeMap::new(),
        };
        Ok(Self { index, follow: Mutex::new(follow), building: AtomicBool::new(false) })
    }

    /// An empty index in memory, built at the first search.
    pub(crate) fn in_memory() -> Self {
        let index = Index::in_memory().unwrap_or_else(|e| panic!("an index in memory cannot fail to open: {e}"));
        Self { index, follow: Mutex::new(Follow::default()), building: AtomicBool::new(false) }
    }

    pub fn find(&self, r: &Request<'_>) -> Result<Found, AppError> {
        self.index.find(r).map_err(search_err)
    }

    pub fn snippets(&self, r: &Request<'_>, ids: &[LeadId]) -> Result<Vec<Vec<Piece>>, AppError> {
        self.index.snippets(r, ids).map_err(search_err)
    }

    /// Leads in `scope` whose summary is like `text`, best first (none while a build is under
    /// way: a half-built index would miss some).
    pub fn similar(
        &self,
        scope: &domain::protection::scope::Scope,
        text: &str,
        limit: usize,
    ) -> Result<Vec<LeadId>, AppError> {
        if self.is_building() {
            return Ok(Vec::new());
        }
        self.index.similar(scope, text, limit).map_err(search_err)
    }

    /// Whether a build is under way (a search meanwhile is answered by the database).
    pub fn is_building(&self) -> bool {
        self.building.load(Ordering::Acquire)
    }

    pub fn len(&self) -> u64 {
        self.index.len()
    }

    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }
}

/// What a catch-up did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CatchUp {
    pub rebuilt: bool,
    pub leads: u64,
}

impl App {
    pub fn search_index(&self) -> &Arc<SearchIndex> {
        &self.search
    }

    /// Builds the index from the database anew (`qingling search rebuild`, a damaged index).
    pub async fn search_rebuild(&self) -> Result<u64, AppError> {
        let mut f = self.search.follow.lock().await;
        f.built = false;
        self.search_step(&mut f).await.map(|c| c.leads)
    }

    /// Applies every change the database holds beyond the index.
    pub async fn search_catch_up(&self) -> Result<CatchUp, AppError> {
        let mut f = self.search.follow.lock().await;
        self.search_step(&mut f).await
    }

    /// Every lead into an emptied index; the change it is built as of, and how many leads.
    async fn search_build(&self, c: &mut store::Conn) -> Result<(i64, u64), AppError> {
        let index = &self.search.index;
        let from = store::search::latest(c).await?;
        index.clear().map_err(search_err)?;
        let (mut after, mut leads) = (0, 0);
        loop {
            let ids = store::search::lead_ids_after(c, after, BATCH).await?;
            let Some(last) = ids.last() else { break };
            after = last.get();
            let docs = store::search::docs(c, &ids).await?;
            index.stage(&docs).map_err(search_err)?;
            leads += docs.len() as u64;
        }
        index.apply(&[], &[], from).map_err(search_err)?;
        Ok((from, leads))
    }

    async fn search_step(&self, f: &mut Follow) -> Result<CatchUp, AppError> {
        let index = &self.search.index;
        let mut c = self.reader().await?;
        let mut done = CatchUp::default();
        if !f.built {
            self.search.building.store(true, Ordering::Release);
            // Changes after this one are followed once the build is done, so none is lost to
            // a write made while it runs (applying a lead twice is harmless).
            let built = self.search_build(&mut c).await;
            self.search.building.store(false, Ordering::Release);
            let (from, leads) = built?;
            *f = Follow { built: true, applied: from, read_to: from, missing: BTreeMap::new() };
            done = CatchUp { rebuilt: true, leads };
        }
        loop {
            let mut changes = store::search::changes_after(&mut c, f.read_to, BATCH).await?;
            let more = changes.len() as i64 == BATCH;
            if !f.missing.is_empty() {
                let wanted: Vec<i64> = f.missing.keys().copied().collect();
                changes.extend(store::search::changes_in(&mut c, &wanted).await?);
            }
            if changes.is_empty() {
                break;
            }
            for ch in &changes {
                f.missing.remove(&ch.seq);
                if ch.seq > f.read_to {
                    let now = Instant::now();
                    f.missing.extend((f.read_to + 1..ch.seq).map(|s| (s, now)));
                    f.read_to = ch.seq;
                }
            }
            f.missing.retain(|_, since| since.elapsed() < GIVE_UP);
            let mut ids: Vec<LeadId> = changes.iter().map(|ch| ch.lead).collect();
            ids.sort_unstable();
            ids.dedup();
            let docs = store::search::docs(&mut c, &ids).await?;
            let found: std::collections::HashSet<LeadId> = docs.iter().map(|d| d.id).collect();
            let gone: Vec<LeadId> = ids.iter().filter(|id| !found.contains(id)).copied().collect();
            f.applied = f.missing.keys().next().map_or(f.read_to, |first| first - 1);
            index.apply(&docs, &gone, f.applied).map_err(search_err)?;
            done.leads += docs.len() as u64;
            if !more {
                break;
            }
        }
        Ok(done)
    }
}
