//! Ownership (包案) by a leadership member, guidance visits, sign-off, and collective study
//! meetings (集体研判).

use app::AppError;
use askama::Template;
use axum::{
    Form,
    extract::State,
    response::{Html, IntoResponse, Response},
};
use domain::LeadId;
use serde::Deserialize;

use crate::{
    AppState,
    context::RequestContext,
    error::PageError,
    extract::PagePath,
    i18n::{self, Texts},
    pages::{Chrome, outcome_to_lead as outcome, render},
    session::Signed,
};

#[derive(Deserialize)]
pub struct OwnershipForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    leader: String,
}

pub async fn view_ownership_post(
    State(state): State<AppState>,
    Signed(s): Signed,
    PagePath(id): PagePath<i64>,
    Form(f): Form<OwnershipForm>,
) -> Result<Response, PageError> {
    let r = state.app.supervision().mark_key_lead(&s.actor, LeadId::from_raw(id), &f.kind, &f.leader).await;
    outcome(r, id)
}

#[derive(Deserialize)]
pub struct VisitForm {
    #[serde(default)]
    visited_on: String,
    #[serde(default)]
    place: String,
    #[serde(default)]
    decision: String,
}

pub async fn view_visit_post(
    State(state): State<AppState>,
    Signed(s): Signed,
    PagePath(id): PagePath<i64>,
    Form(f): Form<VisitForm>,
) -> Result<Response, PageError> {
    let r = state
        .app
        .supervision()
        .record_visit(&s.actor, LeadId::from_raw(id), &f.visited_on, &f.place, &f.decision)
        .await;
    outcome(r, id)
}

#[derive(Deserialize)]
pub struct NoteForm {
    #[serde(default)]
    note: String,
}

pub async fn view_sign_off_post(
    State(state): State<AppState>,
    Signed(s): Signed,
    PagePath(id): PagePath<i64>,
    Form(f): Form<NoteForm>,
) -> Result<Response, PageError> {
    let r = state.app.supervision().sign_off_conclusion(&s.actor, LeadId::from_raw(id), &f.note).await;
    outcome(r, id)
}

/// Back to the lead with the outcome, or the error page for refusals that are not input.
#[derive(Template)]
#[template(path = "supervision/meetings.html")]
struct MeetingsPage {
    t: &'static Texts,
    chrome: Chrome,
    v: domain::supervision::meeting::MeetingInput,
    errors: Vec<String>,
    notice: Option<&'static str>,
}

pub async fn view_meetings_get(Signed(s): Signed) -> Result<Html<String>, PageError> {
    s.actor.ledger_keeper()?;
    let t = i18n::texts(RequestContext::current().english);
    render(MeetingsPage {
        t,
        chrome: Chrome::new(&s, t, "/meetings".into(), "meetings"),
        v: Default::default(),
        errors: Vec::new(),
        notice: None,
    })
    .map(Html)
}

pub async fn view_meetings_post(
    State(state): State<AppState>,
    Signed(s): Signed,
    Form(v): Form<domain::supervision::meeting::MeetingInput>,
) -> Result<Response, PageError> {
    let keeper = s.actor.ledger_keeper()?;
    let en = RequestContext::current().english;
    let t = i18n::texts(en);
    let chrome = Chrome::new(&s, t, "/meetings".into(), "meetings");
    match state.app.supervision().record_meeting(&keeper, &v).await {
        Ok(_) => render(MeetingsPage {
            t,
            chrome,
            v: Default::default(),
            errors: Vec::new(),
            notice: Some(t.supervision.meeting_recorded),
        })
        .map(|h| Html(h).into_response()),
        Err(AppError::Invalid(i)) => {
            let errors = crate::pages::error_lines(&i.0, en);
            let html = render(MeetingsPage { t, chrome, v, errors, notice: None })?;
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
