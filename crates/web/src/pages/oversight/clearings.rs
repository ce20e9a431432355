//! Clearing the names of people reported falsely (澄清正名): the list with the proposal form,
//! one clearing with the forms its reader may use, and the written clearing as a Word file.

use app::{
    AppError, FlashKind,
    oversight::{ClearingDetail, ClearingList},
};
use askama::Template;
use axum::{
    Form,
    extract::{Query, State},
    http::StatusCode,
    response::{Html, IntoResponse, Response},
};
use domain::oversight::clearing::{CarryOutInput, ClearingInput, ClearingMode, ClearingOrigin};
use serde::Deserialize;

use crate::{
    AppState,
    context::RequestContext,
    error::PageError,
    extract::PagePath,
    forms::{FormState, field},
    i18n::{self, Texts},
    pages::{Chrome, DOCX, Opt, attachment, options, redirect_with, render},
    session::Signed,
};

fn label(field: &str, t: &Texts) -> Option<&'static str> {
    let o = &t.oversight;
    Some(match field {
        "lead" => o.lead_number,
        "origin" => o.cl_origin,
        "person" => o.cl_person,
        "applied_on" => o.cl_applied_on,
        "reason" => o.cl_reason,
        "note" => o.decision_note,
        "mode" => o.cl_mode,
        "held_on" => o.cl_held_on,
        "scope_note" => o.cl_scope_note,
        "letter" => o.cl_letter,
        "accuser_lead" => o.cl_accuser_lead,
        _ => return None,
    })
}

#[derive(Debug, Default, Deserialize)]
pub struct ListParams {
    #[serde(default)]
    pub page: String,
}

#[derive(Template)]
#[template(path = "oversight/clearings.html")]
struct ListPage {
    t: &'static Texts,
    chrome: Chrome,
    l: ClearingList,
    fs: FormState,
    notice: Option<String>,
    origins: Vec<Opt>,
    page_count: u32,
    prev_link: Option<String>,
    next_link: Option<String>,
}

async fn list_page(
    state: &AppState,
    s: &app::SessionInfo,
    page: u32,
    fs: FormState,
    notice: Option<String>,
) -> Result<String, PageError> {
    let en = RequestContext::current().english;
    let t = i18n::texts(en);
    let l = state.app.oversight().clearings(&s.actor, page).await?;
    let page_count = l.page_count();
    let link = |p: u32| format!("/oversight/clearings?page={p}");
    render(ListPage {
        t,
        chrome: Chrome::new(s, t, link(l.page), "clearings"),
        fs,
        notice,
        origins: options(ClearingOrigin::ALL.iter().map(|x| (x.code(), x.label(en))), "unit"),
        page_count,
        prev_link: (l.page > 1).then(|| link(l.page - 1)),
        next_link: (l.page < page_count).then(|| link(l.page + 1)),
        l,
    })
}

pub async fn view_clearings_get(
    State(state): State<AppState>,
    Signed(s): Signed,
    Query(p): Query<ListParams>,
) -> Result<Html<String>, PageError> {
    let notice = super::notice(&state, &s).await?;
    Ok(Html(list_page(&state, &s, p.page.trim().parse().unwrap_or(1), FormState::blank("cl"), notice).await?))
}

pub async fn view_clearings_propose(
    State(state): State<AppState>,
    Signed(s): Signed,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let en = RequestContext::current().english;
    let t = i18n::texts(en);
    let v = |k: &str| field(&f, k).to_owned();
    let input = ClearingInput {
        lead: v("lead"),
        origin: v("origin"),
        person: v("person"),
        applied_on: v("applied_on"),
        reason: v("reason"),
    };
    match state.app.oversight().propose_clearing(&s.actor, &input).await {
        Ok(id) => Ok(redirect_with(
            &format!("/oversight/clearings/{id}"),
            FlashKind::Done,
            t.oversight.done_clearing_proposed,
        )),
        Err(AppError::Invalid(i)) => {
            let fs = FormState::typed("cl", &f).refused(&i.0, en, |x| label(x, t));
            let html = list_page(&state, &s, 1, fs, None).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "oversight/clearing.html")]
struct DetailPage {
    t: &'static Texts,
    chrome: Chrome,
    d: ClearingDetail,
    fs: FormState,
    notice: Option<String>,
    modes: Vec<Opt>,
}

async fn detail_page(
    state: &AppState,
    s: &app::SessionInfo,
    id: i64,
    fs: FormState,
    notice: Option<String>,
) -> Result<String, PageError> {
    let en = RequestContext::current().english;
    let t = i18n::texts(en);
    let d = state.app.oversight().clearing(&s.actor, id).await?;
    render(DetailPage {
        t,
        chrome: Chrome::new(s, t, format!("/oversight/clearings/{id}"), "clearings"),
        fs,
        notice,
        modes: options(ClearingMode::ALL.iter().map(|x| (x.code(), x.label(en))), ""),
        d,
    })
}

pub async fn view_clearing_show(
    State(state): State<AppState>,
    Signed(s): Signed,
    PagePath(id): PagePath<i64>,
) -> Result<Html<String>, PageError> {
    let notice = super::notice(&state, &s).await?;
    Ok(Html(detail_page(&state, &s, id, FormState::default(), notice).await?))
}

async fn outcome(
    state: &AppState,
    s: &app::SessionInfo,
    (id, form): (i64, &str),
    f: &[(String, String)],
    r: Result<&'static str, AppError>,
) -> Result<Response, PageError> {
    let to = format!("/oversight/clearings/{id}");
    super::form_outcome(r, &to, (form, f), label, |fs| detail_page(state, s, id, fs, None)).await
}

pub async fn view_clearing_decide(
    State(state): State<AppState>,
    Signed(s): Signed,
    PagePath(id): PagePath<i64>,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let t = i18n::texts(RequestContext::current().english);
    let approve = field(&f, "approve") == "1";
    let r = state.app.oversight().decide_clearing(&s.actor, id, approve, field(&f, "note")).await;
    let r = r.map(|_| if approve { t.oversight.done_clearing_approved } else { t.oversight.done_clearing_rejected });
    outcome(&state, &s, (id, "decision"), &f, r).await
}

pub async fn view_clearing_done(
    State(state): State<AppState>,
    Signed(s): Signed,
    PagePath(id): PagePath<i64>,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let t = i18n::texts(RequestContext::current().english);
    let input = CarryOutInput {
        mode: field(&f, "mode").into(),
        held_on: field(&f, "held_on").into(),
        scope_note: field(&f, "scope_note").into(),
        letter: field(&f, "letter").into(),
    };
    let r = state.app.oversight().carry_out_clearing(&s.actor, id, &input).await;
    outcome(&state, &s, (id, "done"), &f, r.map(|_| t.oversight.done_clearing_done)).await
}

pub async fn view_clearing_flag(
    State(state): State<AppState>,
    Signed(s): Signed,
    PagePath(id): PagePath<i64>,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let t = i18n::texts(RequestContext::current().english);
    let r =
        state.app.oversight().flag_false_accusation(&s.actor, id, field(&f, "accuser_lead"), field(&f, "note")).await;
    outcome(&state, &s, (id, "flag"), &f, r.map(|_| t.oversight.done_flag)).await
}

pub async fn view_clearing_docx(
    State(state): State<AppState>,
    Signed(s): Signed,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    let d = state.app.oversight().clearing(&s.actor, id).await?;
    Ok(clearing_docx(&d)?)
}

/// The written clearing (澄清正名函) as a Word file, once carried out (the page and the API).
pub fn clearing_docx(d: &ClearingDetail) -> Result<Response, AppError> {
    let c = &d.clearing;
    let (Some(letter), Some(on)) = (&c.letter, c.held_on) else {
        return Err(AppError::field(domain::FieldError::new(
            "letter",
            "not_done",
            "澄清正名实施后才有书面澄清材料。",
            "The written clearing exists once the clearing is carried out.",
        )));
    };
    let paragraphs: Vec<String> = letter.lines().map(str::to_owned).collect();
    let number = format!("澄〔{}〕{}号", on.year(), c.id);
    let sheet = office::docx::LetterSheet {
        title: "澄清正名函",
        number: &number,
        addressee: &format!("{}同志", c.person),
        paragraphs: &paragraphs,
        issuer: &c.unit_name,
        date: &format!("{}年{}月{}日", on.year(), u8::from(on.month()), on.day()),
    };
    let bytes = office::docx::letter_docx(&sheet).map_err(AppError::internal)?;
    Ok(attachment(bytes, DOCX, (&format!("clearing-{}", c.id), &format!("澄清正名函{number}"))))
}
