//! The committee's intake of portal reports (网上举报受理): the list, awaiting or dealt with, and
//! one report with its possible repeats and the forms to register it, route it, refuse it or
//! write to the reporter.

use app::{IntakeDetail, IntakeList, IntakeRegisterInput};
use askama::Template;
use axum::{
    Form,
    extract::{Query, State},
    response::{Html, Response},
};
use domain::ledger::lead::Category;
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
    let p = &t.portal;
    Some(match field {
        "unit_id" => p.intake_unit,
        "category" => p.intake_category,
        "summary" => p.intake_summary,
        "subject" | "subjects" => p.about_name,
        "responsible_leader" => p.intake_leader,
        "responsible_person" => p.intake_person,
        "reason" => p.intake_reject_reason,
        "text" => p.intake_ask,
        _ => return None,
    })
}

#[derive(Debug, Default, Deserialize)]
pub struct ListParams {
    #[serde(default)]
    page: String,
    #[serde(default)]
    decided: String,
}

#[derive(Template)]
#[template(path = "reporters/intake.html")]
struct ListPage {
    t: &'static Texts,
    chrome: Chrome,
    l: IntakeList,
    notice: Option<String>,
    prev_link: Option<String>,
    next_link: Option<String>,
}

pub async fn view_intake_get(
    State(state): State<AppState>,
    Signed(s): Signed,
    Query(p): Query<ListParams>,
) -> Result<Html<String>, PageError> {
    let t = i18n::texts(RequestContext::current().english);
    let notice = crate::pages::oversight::notice(&state, &s).await?;
    let open = p.decided.is_empty();
    let l = state.app.reporters().intake(&s.actor, open, p.page.trim().parse().unwrap_or(1)).await?;
    let pages = l.page_count();
    let link = |n: u32| format!("/reporters/intake?page={n}{}", if open { "" } else { "&decided=1" });
    Ok(Html(render(ListPage {
        t,
        chrome: Chrome::new(&s, t, link(l.page), "intake"),
        notice,
        prev_link: (l.page > 1).then(|| link(l.page - 1)),
        next_link: (l.page < pages).then(|| link(l.page + 1)),
        l,
    })?))
}

#[derive(Template)]
#[template(path = "reporters/intake_report.html")]
struct DetailPage {
    t: &'static Texts,
    chrome: Chrome,
    d: IntakeDetail,
    fs: FormState,
    notice: Option<String>,
    units: Vec<Opt>,
    categories: Vec<Opt>,
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
    let d = state.app.reporters().intake_report(&s.actor, id).await?;
    // The registration form starts from the report: the person it names.
    let fs = if fs.has_errors() {
        fs
    } else {
        FormState::typed("reg", &[("subject".to_owned(), d.report.about_name.clone())])
    };
    render(DetailPage {
        t,
        chrome: Chrome::new(s, t, format!("/reporters/intake/{id}"), "intake"),
        fs,
        notice,
        units: crate::pages::oversight::unit_options(state, s).await?,
        categories: options(Category::ALL.iter().map(|c| (c.code(), c.label(en))), ""),
        d,
    })
}

pub async fn view_intake_show(
    State(state): State<AppState>,
    Signed(s): Signed,
    PagePath(id): PagePath<i64>,
) -> Result<Html<String>, PageError> {
    let notice = crate::pages::oversight::notice(&state, &s).await?;
    Ok(Html(detail_page(&state, &s, id, FormState::default(), notice).await?))
}

async fn outcome(
    state: &AppState,
    s: &app::SessionInfo,
    (id, form): (i64, &str),
    f: &[(String, String)],
    r: Result<&'static str, app::AppError>,
    to: Option<String>,
) -> Result<Response, PageError> {
    let to = to.unwrap_or_else(|| format!("/reporters/intake/{id}"));
    form_outcome(r, &to, (form, f), label, |fs| detail_page(state, s, id, fs, None)).await
}

pub async fn view_intake_register(
    State(state): State<AppState>,
    Signed(s): Signed,
    PagePath(id): PagePath<i64>,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let t = i18n::texts(RequestContext::current().english);
    let v = |k: &str| field(&f, k).to_owned();
    let input = IntakeRegisterInput {
        unit_id: v("unit_id"),
        category: v("category"),
        summary: v("summary"),
        subject: v("subject"),
        responsible_leader: v("responsible_leader"),
        responsible_person: v("responsible_person"),
    };
    let r = state.app.reporters().intake_register(&s.actor, id, &input).await;
    let to = r.as_ref().ok().map(|lead| format!("/leads/{lead}"));
    outcome(&state, &s, (id, "reg"), &f, r.map(|_| t.portal.done_registered), to).await
}

pub async fn view_intake_route(
    State(state): State<AppState>,
    Signed(s): Signed,
    PagePath(id): PagePath<i64>,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let t = i18n::texts(RequestContext::current().english);
    let r = state.app.reporters().intake_route(&s.actor, id, field(&f, "unit_id")).await;
    outcome(&state, &s, (id, "route"), &f, r.map(|_| t.portal.done_routed), None).await
}

pub async fn view_intake_reject(
    State(state): State<AppState>,
    Signed(s): Signed,
    PagePath(id): PagePath<i64>,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let t = i18n::texts(RequestContext::current().english);
    let r = state.app.reporters().intake_reject(&s.actor, id, field(&f, "reason")).await;
    outcome(&state, &s, (id, "reject"), &f, r.map(|_| t.portal.done_rejected), None).await
}

pub async fn view_intake_ask(
    State(state): State<AppState>,
    Signed(s): Signed,
    PagePath(id): PagePath<i64>,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let t = i18n::texts(RequestContext::current().english);
    let r = state.app.reporters().intake_ask(&s.actor, id, field(&f, "text")).await;
    outcome(&state, &s, (id, "ask"), &f, r.map(|_| t.portal.done_asked), None).await
}

/// A file the reporter sent, downloaded by the intake that may read the report (audited).
pub async fn view_intake_file(
    State(state): State<AppState>,
    Signed(s): Signed,
    PagePath((id, file)): PagePath<(i64, i64)>,
) -> Result<Response, PageError> {
    let d = state.app.reporters().intake_file_open(&s.actor, id, file).await?;
    Ok(crate::pages::reporters::attachments::file_response(d, false))
}
