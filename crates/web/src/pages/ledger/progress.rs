//! Long imports and exports followed on a page: the progress panel (rows done, time left, a
//! cancel until the write commits), the JSON its script polls, and an export's download
//! once it is done. Whether the work runs, and whether it may still be cancelled, is `app`'s.

use app::{AppError, ExportStart, Phase, ProgressView};
use askama::Template;
use axum::{
    Json,
    extract::{Query, State},
    response::{Html, IntoResponse, Redirect, Response},
};
use domain::{ImportId, ledger::query::LedgerParams};
use serde::Serialize;

use crate::pages::{Chrome, redirect_with, render};
use crate::{
    AppState,
    context::RequestContext,
    error::PageError,
    extract::PagePath,
    i18n::{self, Texts},
    session::Signed,
};

/// What the panel shows, in the page's language; the script gets the same as JSON.
#[derive(Debug, Serialize)]
pub struct Shown {
    pub phase: Phase,
    pub finished: bool,
    pub cancellable: bool,
    pub done: u64,
    pub total: u64,
    pub percent: u64,
    pub phase_text: String,
    pub elapsed_text: String,
    pub left_text: String,
    pub failure: Option<String>,
}

fn duration(t: &Texts, s: u64) -> String {
    let l = &t.ledger;
    if s < 60 {
        l.work_seconds.replace("{s}", &s.to_string())
    } else {
        l.work_minutes.replace("{m}", &(s / 60).to_string()).replace("{s}", &format!("{:02}", s % 60))
    }
}

pub fn shown(t: &Texts, v: &ProgressView, export: bool) -> Shown {
    let l = &t.ledger;
    let phase_text = match v.phase {
        Phase::Checking => l.work_checking,
        Phase::Writing if export => l.work_exporting,
        Phase::Writing => l.work_writing,
        Phase::Committing => l.work_committing,
        Phase::Done => l.work_done,
        Phase::Failed => l.work_failed,
        Phase::Cancelled => l.work_cancelled,
    };
    let failure = if t.english { v.failure_en.clone() } else { v.failure_zh.clone() };
    Shown {
        phase: v.phase,
        finished: v.phase.finished(),
        cancellable: v.cancellable,
        done: v.done,
        total: v.total,
        percent: v.percent(),
        phase_text: phase_text.to_owned(),
        elapsed_text: duration(t, v.elapsed_s),
        left_text: v.left_s.map_or_else(|| l.work_left_unknown.to_owned(), |s| duration(t, s)),
        failure,
    }
}

#[derive(Template)]
#[template(path = "ledger/progress.html")]
pub struct ProgressPage {
    pub t: &'static Texts,
    pub chrome: Chrome,
    pub title: &'static str,
    pub notice: Option<(bool, String)>,
    pub v: Shown,
    /// Where the script polls, where it goes once the work ended, where a cancel posts.
    pub poll: String,
    pub next: String,
    pub cancel: String,
    /// A finished export's download and count.
    pub download: Option<(String, String)>,
}

/// An import's progress, for the panel's script; 404 once it is no longer followed.
pub async fn view_import_progress(
    State(state): State<AppState>,
    Signed(s): Signed,
    PagePath(id): PagePath<i64>,
) -> Result<Json<Shown>, PageError> {
    let keeper = s.actor.ledger_keeper()?;
    let t = i18n::texts(RequestContext::current().english);
    let v = state.app.ledger().import_progress(&keeper, ImportId::from_raw(id)).ok_or(AppError::NotFound)?;
    Ok(Json(shown(t, &v, false)))
}

pub async fn view_import_cancel(
    State(state): State<AppState>,
    Signed(s): Signed,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    let keeper = s.actor.ledger_keeper()?;
    let t = i18n::texts(RequestContext::current().english);
    let here = format!("/ledger/import/{id}");
    Ok(if state.app.ledger().import_cancel(&keeper, ImportId::from_raw(id))? {
        redirect_with(&here, app::FlashKind::Done, t.ledger.work_cancel_asked)
    } else {
        redirect_with(&here, app::FlashKind::Refused, t.ledger.work_too_late)
    })
}

/// The view as an xlsx 台账: the same filters and scope, every lead, one audit entry. A
/// small ledger downloads at once; a long export shows its progress page.
pub async fn view_ledger_export(
    State(state): State<AppState>,
    Signed(session): Signed,
    Query(p): Query<LedgerParams>,
) -> Result<Response, PageError> {
    let reader = session.actor.ledger()?;
    Ok(match state.app.ledger().export_begin(&reader, &p, None).await? {
        ExportStart::Ready { bytes, .. } => super::list::ledger_download(bytes),
        ExportStart::Running(n) => Redirect::to(&format!("/ledger/exports/{n}")).into_response(),
    })
}

pub async fn view_export_show(
    State(state): State<AppState>,
    Signed(s): Signed,
    PagePath(n): PagePath<u64>,
) -> Result<Html<String>, PageError> {
    let reader = s.actor.ledger()?;
    let t = i18n::texts(RequestContext::current().english);
    let v = state.app.ledger().export_progress(&reader, n).ok_or(AppError::NotFound)?;
    let notice = state.app.protection().take_flash(&s).await?.map(|f| (f.kind == app::FlashKind::Done, f.text));
    let done = v.phase == Phase::Done;
    let download = done.then(|| {
        let count = t.ledger.work_export_ready.replace("{n}", &v.done.to_string());
        (format!("/ledger/exports/{n}/ledger.xlsx"), count)
    });
    let chrome = Chrome::new(&s, t, format!("/ledger/exports/{n}"), "ledger");
    render(ProgressPage {
        t,
        chrome,
        title: if done { t.ledger.work_export_done_title } else { t.ledger.work_export_title },
        notice,
        v: shown(t, &v, true),
        poll: format!("/ledger/exports/{n}/progress"),
        next: format!("/ledger/exports/{n}"),
        cancel: format!("/ledger/exports/{n}/cancel"),
        download,
    })
    .map(Html)
}

pub async fn view_export_progress(
    State(state): State<AppState>,
    Signed(s): Signed,
    PagePath(n): PagePath<u64>,
) -> Result<Json<Shown>, PageError> {
    let reader = s.actor.ledger()?;
    let t = i18n::texts(RequestContext::current().english);
    let v = state.app.ledger().export_progress(&reader, n).ok_or(AppError::NotFound)?;
    Ok(Json(shown(t, &v, true)))
}

pub async fn view_export_cancel(
    State(state): State<AppState>,
    Signed(s): Signed,
    PagePath(n): PagePath<u64>,
) -> Result<Response, PageError> {
    let reader = s.actor.ledger()?;
    let t = i18n::texts(RequestContext::current().english);
    let here = format!("/ledger/exports/{n}");
    Ok(if state.app.ledger().export_cancel(&reader, n)? {
        redirect_with(&here, app::FlashKind::Done, t.ledger.work_cancel_asked)
    } else {
        redirect_with(&here, app::FlashKind::Refused, t.ledger.work_too_late)
    })
}

pub async fn view_export_download(
    State(state): State<AppState>,
    Signed(s): Signed,
    PagePath(n): PagePath<u64>,
) -> Result<Response, PageError> {
    let reader = s.actor.ledger()?;
    let (bytes, _) = state.app.ledger().export_file(&reader, n)?;
    Ok(super::list::ledger_download(bytes))
}
