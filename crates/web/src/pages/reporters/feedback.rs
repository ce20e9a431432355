//! A lead's feedback to its reporter, the satisfaction follow-up and the reporter's
//! objections (one page, reached from the lead), and the satisfaction rate per unit.

use app::{LeadFeedback, SatisfactionFigures};
use askama::Template;
use axum::{
    Form,
    extract::{Query, State},
    http::StatusCode,
    response::{Html, IntoResponse, Response},
};
use domain::{
    LeadId,
    dates::format_date,
    reporters::{
        feedback::{ContactMethod, FeedbackInput},
        objection::{AnswerInput, ObjectionInput, ObjectionState},
        satisfaction::Satisfaction,
    },
};
use serde::Deserialize;

use crate::{
    AppState,
    context::RequestContext,
    error::PageError,
    extract::PagePath,
    forms::{FormState, field},
    i18n::{self, Texts},
    pages::{Chrome, Opt, options, oversight::form_outcome, render},
    session::Signed,
};

fn label(field: &str, t: &Texts) -> Option<&'static str> {
    let r = &t.reporters;
    Some(match field {
        "kind" => r.fb_kind,
        "contacted_on" => r.fb_on,
        "method" => r.fb_method,
        "given_by" => r.fb_given_by,
        "note" => r.fb_note,
        "rating" => r.fb_rating,
        "reasons" => r.fb_reasons,
        "received_on" => r.ob_received_on,
        "content" => r.ob_content,
        "answered_on" => r.ob_answered_on,
        "outcome" => r.ob_outcome,
        "answer" => r.ob_answer,
        "material_checked" => r.ob_material_checked,
        _ => return None,
    })
}

#[derive(Template)]
#[template(path = "reporters/feedback.html")]
struct FeedbackPage {
    t: &'static Texts,
    chrome: Chrome,
    d: LeadFeedback,
    fs: FormState,
    /// Fresh forms start from today.
    today: String,
    notice: Option<String>,
    kinds: Vec<Opt>,
    methods: Vec<Opt>,
    ratings: Vec<Opt>,
    outcomes: Vec<Opt>,
}

async fn feedback_page(
    state: &AppState,
    s: &app::SessionInfo,
    id: i64,
    fs: FormState,
    notice: Option<String>,
) -> Result<String, PageError> {
    let en = RequestContext::current().english;
    let t = i18n::texts(en);
    let d = state.app.reporters().feedback(&s.actor, LeadId::from_raw(id)).await?;
    let first = d.may_record.first().map(|k| k.code()).unwrap_or_default();
    let method = if d.signed { "phone" } else { "portal" };
    render(FeedbackPage {
        t,
        chrome: Chrome::new(s, t, format!("/leads/{id}/feedback"), "ledger"),
        fs,
        today: format_date(state.app.today()),
        notice,
        kinds: options(d.may_record.iter().map(|k| (k.code(), k.label(en))), first),
        methods: options(ContactMethod::ALL.iter().map(|m| (m.code(), m.label(en))), method),
        ratings: options(Satisfaction::ALL.iter().map(|r| (r.code(), r.label(en))), ""),
        outcomes: options(
            [ObjectionState::Upheld, ObjectionState::Reopened].iter().map(|o| (o.code(), o.label(en))),
            "upheld",
        ),
        d,
    })
}

pub async fn view_feedback_get(
    State(state): State<AppState>,
    Signed(s): Signed,
    PagePath(id): PagePath<i64>,
) -> Result<Html<String>, PageError> {
    let notice = crate::pages::oversight::notice(&state, &s).await?;
    Ok(Html(feedback_page(&state, &s, id, FormState::default(), notice).await?))
}

async fn outcome(
    state: &AppState,
    s: &app::SessionInfo,
    (id, form): (i64, &str),
    f: &[(String, String)],
    r: Result<&'static str, app::AppError>,
) -> Result<Response, PageError> {
    let to = format!("/leads/{id}/feedback");
    form_outcome(r, &to, (form, f), label, |fs| feedback_page(state, s, id, fs, None)).await
}

pub async fn view_feedback_post(
    State(state): State<AppState>,
    Signed(s): Signed,
    PagePath(id): PagePath<i64>,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let t = i18n::texts(RequestContext::current().english);
    let v = |k: &str| field(&f, k).to_owned();
    let input = FeedbackInput {
        kind: v("kind"),
        contacted_on: v("contacted_on"),
        method: v("method"),
        given_by: v("given_by"),
        note: v("note"),
        rating: v("rating"),
        reasons: v("reasons"),
    };
    let r = state.app.reporters().record_feedback(&s.actor, LeadId::from_raw(id), &input).await;
    outcome(&state, &s, (id, "fb"), &f, r.map(|_| t.reporters.done_feedback)).await
}

pub async fn view_objection_post(
    State(state): State<AppState>,
    Signed(s): Signed,
    PagePath(id): PagePath<i64>,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let t = i18n::texts(RequestContext::current().english);
    let v = |k: &str| field(&f, k).to_owned();
    let input = ObjectionInput {
        received_on: v("received_on"),
        method: v("method"),
        content: v("content"),
        new_material: v("new_material"),
    };
    let r = state.app.reporters().record_objection(&s.actor, LeadId::from_raw(id), &input).await;
    outcome(&state, &s, (id, "ob"), &f, r.map(|_| t.reporters.done_objection)).await
}

pub async fn view_objection_answer(
    State(state): State<AppState>,
    Signed(s): Signed,
    PagePath((id, objection)): PagePath<(i64, i64)>,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let t = i18n::texts(RequestContext::current().english);
    let v = |k: &str| field(&f, k).to_owned();
    let input = AnswerInput {
        answered_on: v("answered_on"),
        outcome: v("outcome"),
        answer: v("answer"),
        material_checked: v("material_checked"),
        given_by: v("given_by"),
    };
    let r = state.app.reporters().answer_objection(&s.actor, LeadId::from_raw(id), objection, &input).await;
    let r =
        r.map(|o| if o == ObjectionState::Reopened { t.reporters.done_answer_reopen } else { t.reporters.done_answer });
    outcome(&state, &s, (id, &format!("an{objection}")), &f, r).await
}

#[derive(Debug, Default, Deserialize)]
pub struct Period {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

#[derive(Template)]
#[template(path = "reporters/satisfaction.html")]
struct SatisfactionPage {
    t: &'static Texts,
    chrome: Chrome,
    fs: FormState,
    figures: Option<SatisfactionFigures>,
}

pub async fn view_satisfaction_get(
    State(state): State<AppState>,
    Signed(s): Signed,
    Query(p): Query<Period>,
) -> Result<Response, PageError> {
    let en = RequestContext::current().english;
    let t = i18n::texts(en);
    let typed = vec![("from".to_owned(), p.from.clone()), ("to".to_owned(), p.to.clone())];
    let (status, fs, figures) = match state.app.reporters().satisfaction(&s.actor, &p.from, &p.to).await {
        Ok(f) => {
            let shown = vec![("from".to_owned(), format_date(f.from)), ("to".to_owned(), format_date(f.to))];
            (StatusCode::OK, FormState::typed("sat", &shown), Some(f))
        }
        Err(app::AppError::Invalid(i)) => {
            let fs = FormState::typed("sat", &typed).refused(&i.0, en, |x| label_period(x, t));
            (StatusCode::UNPROCESSABLE_ENTITY, fs, None)
        }
        Err(e) => return Err(e.into()),
    };
    let html = render(SatisfactionPage {
        t,
        chrome: Chrome::new(&s, t, "/reporters/satisfaction".into(), "satisfaction"),
        fs,
        figures,
    })?;
    Ok((status, Html(html)).into_response())
}

fn label_period(field: &str, t: &Texts) -> Option<&'static str> {
    match field {
        "from" => Some(t.reporters.sat_from),
        "to" => Some(t.reporters.sat_to),
        _ => None,
    }
}
