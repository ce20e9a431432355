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

use crate::{
    AppState,
    context::RequestContext,
    error::PageError,
    extract::PagePath,
    forms::{FormState, field},
    i18n::{self, Texts},
    pages::{Chrome, done, lead_form_outcome, render},
    session::Signed,
};

pub async fn view_ownership_post(
    State(state): State<AppState>,
    Signed(s): Signed,
    PagePath(id): PagePath<i64>,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let r = state
        .app
        .supervision()
        .mark_key_lead(&s.actor, LeadId::from_raw(id), field(&f, "kind"), field(&f, "leader"))
        .await;
    lead_form_outcome(&state, &s, (id, "ownership"), &f, done(r, |t| t.supervision.done_ownership)).await
}

pub async fn view_visit_post(
    State(state): State<AppState>,
    Signed(s): Signed,
    PagePath(id): PagePath<i64>,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let (on, place, decision) = (field(&f, "visited_on"), field(&f, "place"), field(&f, "decision"));
    let r = state.app.supervision().record_visit(&s.actor, LeadId::from_raw(id), on, place, decision).await;
    lead_form_outcome(&state, &s, (id, "visit"), &f, done(r, |t| t.supervision.done_visit)).await
}

pub async fn view_sign_off_post(
    State(state): State<AppState>,
    Signed(s): Signed,
    PagePath(id): PagePath<i64>,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let r = state.app.supervision().sign_off_conclusion(&s.actor, LeadId::from_raw(id), field(&f, "note")).await;
    lead_form_outcome(&state, &s, (id, "sign-off"), &f, done(r, |t| t.supervision.done_sign_off)).await
}

#[derive(Template)]
#[template(path = "supervision/meetings.html")]
struct MeetingsPage {
    t: &'static Texts,
    chrome: Chrome,
    fs: FormState,
    notice: Option<&'static str>,
}

fn meeting_label(field: &str, t: &Texts) -> Option<&'static str> {
    let sv = &t.supervision;
    Some(match field {
        "held_on" => sv.visit_date,
        "title" => sv.meeting_title,
        "attendees" => sv.meeting_attendees,
        "items" => sv.meeting_items,
        _ => return None,
    })
}

pub async fn view_meetings_get(Signed(s): Signed) -> Result<Html<String>, PageError> {
    s.actor.ledger_keeper()?;
    let t = i18n::texts(RequestContext::current().english);
    render(MeetingsPage {
        t,
        chrome: Chrome::new(&s, t, "/meetings".into(), "meetings"),
        fs: FormState::blank("meeting"),
        notice: None,
    })
    .map(Html)
}

pub async fn view_meetings_post(
    State(state): State<AppState>,
    Signed(s): Signed,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let v = domain::supervision::meeting::MeetingInput {
        held_on: field(&f, "held_on").into(),
        title: field(&f, "title").into(),
        attendees: field(&f, "attendees").into(),
        items: field(&f, "items").into(),
    };
    let keeper = s.actor.ledger_keeper()?;
    let en = RequestContext::current().english;
    let t = i18n::texts(en);
    let chrome = Chrome::new(&s, t, "/meetings".into(), "meetings");
    match state.app.supervision().record_meeting(&keeper, &v).await {
        Ok(_) => render(MeetingsPage {
            t,
            chrome,
            fs: FormState::blank("meeting"),
            notice: Some(t.supervision.meeting_recorded),
        })
        .map(|h| Html(h).into_response()),
        Err(AppError::Invalid(i)) => {
            let fs = FormState::typed("meeting", &f).refused(&i.0, en, |x| meeting_label(x, t));
            let html = render(MeetingsPage { t, chrome, fs, notice: None })?;
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
