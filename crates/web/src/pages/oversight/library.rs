//! The libraries (典型案例, 好做法) and warning-education events (警示教育): a list with search,
//! the form for those who write, and publishing drafts.

use app::{
    AppError, FlashKind,
    oversight::{EducationBook, Library},
};
use askama::Template;
use axum::{
    Form,
    extract::{Query, State},
    http::StatusCode,
    response::{Html, IntoResponse, Response},
};
use domain::{
    ledger::lead::Category,
    oversight::library::{CaseInput, EducationForm, EducationInput, PracticeInput},
};
use serde::Deserialize;

use crate::{
    AppState,
    context::RequestContext,
    error::PageError,
    extract::PagePath,
    forms::{FormState, field},
    i18n::{self, Texts},
    pages::{Chrome, Opt, options, redirect_with, render},
    session::Signed,
};

fn label(field: &str, t: &Texts) -> Option<&'static str> {
    let o = &t.oversight;
    Some(match field {
        "title" => o.lib_title,
        "category" => o.lib_category,
        "lead" => o.lib_lead,
        "text" => o.lib_text,
        "lessons" => o.lib_lessons,
        "practised_on" => o.lib_practised_on,
        "unit_id" => o.inst_unit,
        "held_on" => o.edu_held_on,
        "form" => o.edu_form,
        "attendance" => o.edu_attendance,
        "case" => o.edu_case,
        _ => return None,
    })
}

#[derive(Debug, Default, Deserialize)]
pub struct SearchParams {
    #[serde(default)]
    pub q: String,
}

#[derive(Template)]
#[template(path = "oversight/library.html")]
struct LibraryPage {
    t: &'static Texts,
    chrome: Chrome,
    cases: bool,
    l: Library,
    fs: FormState,
    notice: Option<String>,
    categories: Vec<Opt>,
    units: Vec<Opt>,
}

async fn library_page(
    state: &AppState,
    s: &app::SessionInfo,
    (cases, q): (bool, &str),
    fs: FormState,
    notice: Option<String>,
) -> Result<String, PageError> {
    let en = RequestContext::current().english;
    let t = i18n::texts(en);
    let o = state.app.oversight();
    let l = if cases { o.typical_cases(&s.actor, q).await? } else { o.good_practices(&s.actor, q).await? };
    let units = if !cases && l.may_write { super::unit_options(state, s).await? } else { Vec::new() };
    let (here, nav) = if cases { ("/library/cases", "cases") } else { ("/library/practices", "practices") };
    render(LibraryPage {
        t,
        chrome: Chrome::new(s, t, here.into(), nav),
        cases,
        l,
        fs,
        notice,
        categories: options(Category::ALL.iter().map(|c| (c.code(), c.label(en))), ""),
        units,
    })
}

pub async fn view_cases_get(
    State(state): State<AppState>,
    Signed(s): Signed,
    Query(p): Query<SearchParams>,
) -> Result<Html<String>, PageError> {
    let notice = super::notice(&state, &s).await?;
    Ok(Html(library_page(&state, &s, (true, &p.q), FormState::blank("lib"), notice).await?))
}

pub async fn view_practices_get(
    State(state): State<AppState>,
    Signed(s): Signed,
    Query(p): Query<SearchParams>,
) -> Result<Html<String>, PageError> {
    let notice = super::notice(&state, &s).await?;
    Ok(Html(library_page(&state, &s, (false, &p.q), FormState::blank("lib"), notice).await?))
}

async fn saved(
    state: &AppState,
    s: &app::SessionInfo,
    cases: bool,
    f: &[(String, String)],
    r: Result<i64, AppError>,
) -> Result<Response, PageError> {
    let t = i18n::texts(RequestContext::current().english);
    let to = if cases { "/library/cases" } else { "/library/practices" };
    let r = r.map(|_| t.oversight.done_lib_saved);
    super::form_outcome(r, to, ("lib", f), label, |fs| library_page(state, s, (cases, ""), fs, None)).await
}

pub async fn view_cases_post(
    State(state): State<AppState>,
    Signed(s): Signed,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let input = CaseInput {
        title: field(&f, "title").into(),
        category: field(&f, "category").into(),
        lead: field(&f, "lead").into(),
        text: field(&f, "text").into(),
        lessons: field(&f, "lessons").into(),
        publish: !field(&f, "publish").is_empty(),
    };
    let r = state.app.oversight().add_typical_case(&s.actor, &input).await;
    saved(&state, &s, true, &f, r).await
}

pub async fn view_practices_post(
    State(state): State<AppState>,
    Signed(s): Signed,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let input = PracticeInput {
        unit_id: field(&f, "unit_id").into(),
        title: field(&f, "title").into(),
        practised_on: field(&f, "practised_on").into(),
        text: field(&f, "text").into(),
        publish: !field(&f, "publish").is_empty(),
    };
    let r = state.app.oversight().add_good_practice(&s.actor, &input).await;
    saved(&state, &s, false, &f, r).await
}

async fn published(state: &AppState, s: &app::SessionInfo, cases: bool, id: i64) -> Result<Response, PageError> {
    let t = i18n::texts(RequestContext::current().english);
    state.app.oversight().publish_entry(&s.actor, cases, id).await?;
    Ok(redirect_with(
        if cases { "/library/cases" } else { "/library/practices" },
        FlashKind::Done,
        t.oversight.done_lib_published,
    ))
}

pub async fn view_case_publish(
    State(state): State<AppState>,
    Signed(s): Signed,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    published(&state, &s, true, id).await
}

pub async fn view_practice_publish(
    State(state): State<AppState>,
    Signed(s): Signed,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    published(&state, &s, false, id).await
}

#[derive(Template)]
#[template(path = "oversight/education.html")]
struct EducationPage {
    t: &'static Texts,
    chrome: Chrome,
    b: EducationBook,
    fs: FormState,
    notice: Option<String>,
    units: Vec<Opt>,
    forms: Vec<Opt>,
}

async fn education_page(
    state: &AppState,
    s: &app::SessionInfo,
    fs: FormState,
    notice: Option<String>,
) -> Result<String, PageError> {
    let en = RequestContext::current().english;
    let t = i18n::texts(en);
    let b = state.app.oversight().education(&s.actor).await?;
    let units = if b.may_record { super::unit_options(state, s).await? } else { Vec::new() };
    render(EducationPage {
        t,
        chrome: Chrome::new(s, t, "/oversight/education".into(), "education"),
        fs,
        notice,
        units,
        forms: options(EducationForm::ALL.iter().map(|x| (x.code(), x.label(en))), ""),
        b,
    })
}

pub async fn view_education_get(State(state): State<AppState>, Signed(s): Signed) -> Result<Html<String>, PageError> {
    let notice = super::notice(&state, &s).await?;
    Ok(Html(education_page(&state, &s, FormState::blank("edu"), notice).await?))
}

pub async fn view_education_post(
    State(state): State<AppState>,
    Signed(s): Signed,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let en = RequestContext::current().english;
    let t = i18n::texts(en);
    let v = |k: &str| field(&f, k).to_owned();
    let input = EducationInput {
        unit_id: v("unit_id"),
        held_on: v("held_on"),
        form: v("form"),
        attendance: v("attendance"),
        case: v("case"),
    };
    match state.app.oversight().record_education(&s.actor, &input).await {
        Ok(_) => Ok(redirect_with("/oversight/education", FlashKind::Done, t.oversight.done_education)),
        Err(AppError::Invalid(i)) => {
            let fs = FormState::typed("edu", &f).refused(&i.0, en, |x| label(x, t));
            let html = education_page(&state, &s, fs, None).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
