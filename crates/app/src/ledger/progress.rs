//! Where a long import or export is: rows done of rows to do, the time it has taken and is
//! likely to take, and a cancel that holds until the write commits. The page and the API read
//! it while the work runs; the command line draws it as a bar.
//!
//! Kept in the memory of the instance doing the work: on SQLite there is one writer, and the
//! write's own transaction cannot report on itself to other connections until it commits.
//! Behind a load balancer, the page that follows a long import needs the same instance
//! (sticky sessions), as the note on issue 13 says.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex, PoisonError},
    time::{Duration, Instant},
};

use domain::UserId;

use crate::AppError;
use serde::Serialize;

/// What the work is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Reading the file and checking every row again (inside the write's transaction).
    Checking,
    /// Writing rows (an import) or leads to the sheet (an export).
    Writing,
    /// Committing: too late to cancel.
    Committing,
    Done,
    Failed,
    Cancelled,
}

impl Phase {
    pub fn finished(self) -> bool {
        matches!(self, Phase::Done | Phase::Failed | Phase::Cancelled)
    }
    pub fn code(self) -> &'static str {
        match self {
            Phase::Checking => "checking",
            Phase::Writing => "writing",
            Phase::Committing => "committing",
            Phase::Done => "done",
            Phase::Failed => "failed",
            Phase::Cancelled => "cancelled",
        }
    }
}

#[derive(Debug)]
struct State {
    phase: Phase,
    total: u64,
    done: u64,
    cancel: bool,
    /// Why it failed, in Chinese and English.
    failure: Option<(String, String)>,
    /// When the writing began (the estimate counts from there, not from the checks).
    writing_since: Option<Instant>,
    finished_at: Option<Instant>,
}

/// A handle on one piece of work's progress; clones share it.
#[derive(Debug, Clone)]
pub struct Progress {
    state: Arc<Mutex<State>>,
    started: Instant,
}

/// What a reader of the progress sees.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ProgressView {
    /// checking, writing, committing, done, failed or cancelled.
    #[schema(value_type = String, example = "writing")]
    pub phase: Phase,
    /// Rows (or leads) to do; 0 until known.
    pub total: u64,
    pub done: u64,
    pub elapsed_s: u64,
    /// The time left at the pace so far; absent until there is a pace.
    pub left_s: Option<u64>,
    /// Whether a cancel would still stop it (until the write commits).
    pub cancellable: bool,
    pub failure_zh: Option<String>,
    pub failure_en: Option<String>,
}

impl ProgressView {
    /// Done as a whole percentage, for the bar.
    pub fn percent(&self) -> u64 {
        (self.done.min(self.total) * 100).checked_div(self.total).unwrap_or(0)
    }
}

/// The work was cancelled: the caller rolls back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cancelled;

impl Default for Progress {
    fn default() -> Self {
        Self::new()
    }
}

impl Progress {
    pub fn new() -> Self {
        Self {
            state: Arc::new(Mutex::new(State {
                phase: Phase::Checking,
                total: 0,
                done: 0,
                cancel: false,
                failure: None,
                writing_since: None,
                finished_at: None,
            })),
            started: Instant::now(),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The writing begins: `total` rows to go.
    pub fn writing(&self, total: u64) -> Result<(), Cancelled> {
        let mut s = self.lock();
        if s.cancel {
            return Err(Cancelled);
        }
        s.phase = Phase::Writing;
        s.total = total;
        s.done = 0;
        s.writing_since = Some(Instant::now());
        Ok(())
    }

    /// `n` more rows done; refused once a cancel was asked for.
    pub fn advance(&self, n: u64) -> Result<(), Cancelled> {
        let mut s = self.lock();
        s.done += n;
        if s.cancel { Err(Cancelled) } else { Ok(()) }
    }

    /// Whether a cancel was asked for.
    pub fn check(&self) -> Result<(), Cancelled> {
        if self.lock().cancel { Err(Cancelled) } else { Ok(()) }
    }

    /// The commit begins: from here on a cancel is refused. Refused itself if a cancel came
    /// first.
    pub fn committing(&self) -> Result<(), Cancelled> {
        let mut s = self.lock();
        if s.cancel {
            return Err(Cancelled);
        }
        s.phase = Phase::Committing;
        Ok(())
    }

    /// Asks the work to stop; false when it is too late (committing or finished).
    pub fn cancel(&self) -> bool {
        let mut s = self.lock();
        if s.phase >= Phase::Committing {
            return false;
        }
        s.cancel = true;
        true
    }

    /// The work ended: done, cancelled, or failed with a reason.
    pub fn finish(&self, outcome: Result<(), Option<(String, String)>>) {
        let mut s = self.lock();
        s.phase = match &outcome {
            Ok(()) => Phase::Done,
            Err(_) if s.cancel => Phase::Cancelled,
            Err(_) => Phase::Failed,
        };
        if let Err(Some(why)) = outcome {
            s.failure = Some(why);
        }
        s.finished_at = Some(Instant::now());
    }

    pub fn view(&self) -> ProgressView {
        let s = self.lock();
        let left_s = s.writing_since.filter(|_| s.done > 0 && s.total > s.done && !s.phase.finished()).map(|since| {
            let per_row = since.elapsed().as_secs_f64() / s.done as f64;
            (per_row * (s.total - s.done) as f64).ceil() as u64
        });
        let end = s.finished_at.unwrap_or_else(Instant::now);
        ProgressView {
            phase: s.phase,
            total: s.total,
            done: s.done,
            elapsed_s: end.duration_since(self.started).as_secs(),
            left_s,
            cancellable: s.phase < Phase::Committing,
            failure_zh: s.failure.as_ref().map(|f| f.0.clone()),
            failure_en: s.failure.as_ref().map(|f| f.1.clone()),
        }
    }

    fn finished_for(&self) -> Option<Duration> {
        self.lock().finished_at.map(|t| t.elapsed())
    }
}

/// Why a write failed, as the progress shows it: the refusal's own words, or, for a fault,
/// words that reveal nothing (the fault itself is logged).
pub(crate) fn failure(e: &AppError) -> (String, String) {
    match e {
        AppError::Invalid(i) => (
            i.0.iter().map(|f| f.message_zh.as_str()).collect::<Vec<_>>().join("；"),
            i.0.iter().map(|f| f.message_en.as_str()).collect::<Vec<_>>().join("; "),
        ),
        AppError::Stale { .. } => (
            "期间有线索被他人修改，未写入任何数据，请重试。".into(),
            "A lead was changed by someone else meanwhile; nothing was written. Try again.".into(),
        ),
        other => {
            tracing::error!(error = %other, "long work failed");
            (
                "操作失败，未写入任何数据。请稍后重试或联系系统管理员。".into(),
                "It failed; nothing was written. Try again later or ask the system administrator.".into(),
            )
        }
    }
}

/// What a piece of work is: an import (by its id) or an export (by a number of its own).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Work {
    Import(domain::ImportId),
    Export(u64),
}

/// A finished piece of work is forgotten this long after it ended.
const KEPT_FOR: Duration = Duration::from_secs(15 * 60);

struct Entry {
    owner: UserId,
    progress: Progress,
    /// An export's file, kept for its download.
    file: Option<Arc<ExportFile>>,
}

/// A finished export's workbook.
#[derive(Debug)]
pub struct ExportFile {
    pub bytes: Vec<u8>,
    pub leads: u64,
}

/// The work running (or just finished) in this instance, each readable only by whoever
/// started it.
#[derive(Clone, Default)]
pub(crate) struct WorkBoard {
    entries: Arc<Mutex<HashMap<Work, Entry>>>,
    next_export: Arc<std::sync::atomic::AtomicU64>,
}

impl WorkBoard {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Work, Entry>> {
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Starts tracking `work` for `owner`; refused while the same work is still running.
    pub(crate) fn start(&self, work: Work, owner: UserId) -> Option<Progress> {
        let mut all = self.lock();
        all.retain(|_, e| e.progress.finished_for().is_none_or(|d| d < KEPT_FOR));
        if all.get(&work).is_some_and(|e| !e.progress.view().phase.finished()) {
            return None;
        }
        let progress = Progress::new();
        all.insert(work, Entry { owner, progress: progress.clone(), file: None });
        Some(progress)
    }

    /// A number for a new export, unique in this instance.
    pub(crate) fn new_export(&self) -> u64 {
        self.next_export.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1
    }

    pub(crate) fn get(&self, work: Work, owner: UserId) -> Option<Progress> {
        self.lock().get(&work).filter(|e| e.owner == owner).map(|e| e.progress.clone())
    }

    pub(crate) fn keep_file(&self, work: Work, file: ExportFile) {
        if let Some(e) = self.lock().get_mut(&work) {
            e.file = Some(Arc::new(file));
        }
    }

    pub(crate) fn file(&self, work: Work, owner: UserId) -> Option<Arc<ExportFile>> {
        self.lock().get(&work).filter(|e| e.owner == owner).and_then(|e| e.file.clone())
    }

    /// Forgets a finished piece of work once its outcome was shown.
    pub(crate) fn forget(&self, work: Work, owner: UserId) {
        let mut all = self.lock();
        if all.get(&work).is_some_and(|e| e.owner == owner && e.progress.view().phase.finished()) {
            all.remove(&work);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cancel_holds_until_the_commit_and_not_after() {
        let p = Progress::new();
        p.writing(10).unwrap();
        p.advance(4).unwrap();
        assert_eq!(p.view().done, 4);
        assert!(p.cancel());
        assert_eq!(p.advance(1), Err(Cancelled));
        assert_eq!(p.committing(), Err(Cancelled));
        p.finish(Err(None));
        assert_eq!(p.view().phase, Phase::Cancelled);

        let q = Progress::new();
        q.writing(2).unwrap();
        q.committing().unwrap();
        assert!(!q.cancel(), "too late once committing");
        q.finish(Ok(()));
        assert_eq!(q.view().phase, Phase::Done);
        assert!(!q.view().cancellable);
    }

    #[test]
    fn the_time_left_follows_the_pace() {
        let p = Progress::new();
        assert_eq!(p.view().left_s, None, "no pace yet");
        p.writing(1000).unwrap();
        std::thread::sleep(Duration::from_millis(20));
        p.advance(500).unwrap();
        let v = p.view();
        assert_eq!(v.percent(), 50);
        assert!(v.left_s.is_some_and(|s| s <= 1), "{v:?}");
    }

    #[test]
    fn work_is_read_only_by_who_started_it_and_once_at_a_time() {
        let board = WorkBoard::default();
        let (me, other) = (UserId::from_raw(1), UserId::from_raw(2));
        let work = Work::Import(domain::ImportId::from_raw(7));
        let p = board.start(work, me).unwrap();
        assert!(board.start(work, me).is_none(), "the same import twice at once");
        assert!(board.get(work, other).is_none());
        assert!(board.get(work, me).is_some());
        p.finish(Ok(()));
        assert!(board.start(work, me).is_some(), "finished: may run again");
    }
}
