//! Accountability (问责) and early intervention (抓早抓小): each a register with its form and
//! the count per unit.

use app::{
    AppError, FlashKind,
    oversight::{AccountabilityBook, EarlyWarningBook},
};
use askama::Template;
use axum::{
    Form,
    extract::{Query, State},
    http::StatusCode,
    response::{Html, IntoResponse, Response},
};
use domain::oversight::{
    accountability::{
        AccountabilityForm, AccountabilityGround, AccountabilityInput, AccountabilitySource, AccountabilityTarget,
    },
    early_warning::{EarlyWarningInput, Intervention, WarningSource},
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
        "target" => o.acc_target,
        "unit_id" => o.inst_unit,
        "person" => o.acc_person,
        "ground" => o.acc_ground,
        "form" => o.acc_form,
        "decided_on" => o.acc_decided_on,
        "doc_no" => o.acc_doc_no,
        "source" => o.acc_source,
        "source_ref" => o.acc_source_ref,
        "post" => o.ew_post,
        "problem" => o.ew_problem,
        "intervention" => o.ew_intervention,
        "given_on" => o.ew_given_on,
        "given_by" => o.ew_given_by,
        "follow_up" => o.ew_follow_up,
        "lead" => o.ew_lead,
        _ => return None,
    })
}

#[derive(Debug, Default, Deserialize)]
pub struct AccountabilityParams {
    #[serde(default)]
    pub year: String,
    /// A form filled from where the user came (a review returned): source, its reference, the unit.
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub source_ref: String,
    #[serde(default)]
    pub unit_id: String,
}

#[derive(Template)]
#[template(path = "oversight/accountability.html")]
struct AccountabilityPage {
    t: &'static Texts,
    chrome: Chrome,
    b: AccountabilityBook,
    fs: FormState,
    notice: Option<String>,
    units: Vec<Opt>,
    targets: Vec<Opt>,
    grounds: Vec<Opt>,
    forms: Vec<Opt>,
    sources: Vec<Opt>,
}

async fn accountability_page(
    state: &AppState,
    s: &app::SessionInfo,
    year: Option<i32>,
    fs: FormState,
    notice: Option<String>,
) -> Result<String, PageError> {
    let en = RequestContext::current().english;
    let t = i18n::texts(en);
    let b = state.app.oversight().accountability(&s.actor, year).await?;
    let units = if b.may_record { super::unit_options(state, s).await? } else { Vec::new() };
    render(AccountabilityPage {
        t,
        chrome: Chrome::new(s, t, format!("/oversight/accountability?year={}", b.year), "accountability"),
        fs,
        notice,
        units,
        targets: options(AccountabilityTarget::ALL.iter().map(|x| (x.code(), x.label(en))), "organisation"),
        grounds: options(AccountabilityGround::ALL.iter().map(|x| (x.code(), x.label(en))), ""),
        forms: options(AccountabilityForm::ALL.iter().map(|x| (x.code(), x.label(en))), ""),
        sources: options(AccountabilitySource::ALL.iter().map(|x| (x.code(), x.label(en))), ""),
        b,
    })
}

pub async fn view_accountability_get(
    State(state): State<AppState>,
    Signed(s): Signed,
    Query(p): Query<AccountabilityParams>,
) -> Result<Html<String>, PageError> {
    let notice = super::notice(&state, &s).await?;
    let given: Vec<(String, String)> = [("source", &p.source), ("source_ref", &p.source_ref), ("unit_id", &p.unit_id)]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| (k.to_owned(), v.clone()))
        .collect();
    let fs = FormState::typed("acc", &given);
    Ok(Html(accountability_page(&state, &s, p.year.trim().parse().ok(), fs, notice).await?))
}

pub async fn view_accountability_post(
    State(state): State<AppState>,
    Signed(s): Signed,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let en = RequestContext::current().english;
    let t = i18n::texts(en);
    let v = |k: &str| field(&f, k).to_owned();
    let input = AccountabilityInput {
        target: v("target"),
        unit_id: v("unit_id"),
        person: v("person"),
        ground: v("ground"),
        form: v("form"),
        decided_on: v("decided_on"),
        doc_no: v("doc_no"),
        source: v("source"),
        source_ref: v("source_ref"),
    };
    match state.app.oversight().record_accountability(&s.actor, &input).await {
        Ok(_) => Ok(redirect_with("/oversight/accountability", FlashKind::Done, t.oversight.done_accountability)),
        Err(AppError::Invalid(i)) => {
            let fs = FormState::typed("acc", &f).refused(&i.0, en, |x| label(x, t));
            let html = accountability_page(&state, &s, None, fs, None).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "oversight/early_warnings.html")]
struct WarningsPage {
    t: &'static Texts,
    chrome: Chrome,
    b: EarlyWarningBook,
    fs: FormState,
    notice: Option<String>,
    units: Vec<Opt>,
    sources: Vec<Opt>,
    interventions: Vec<Opt>,
}

async fn warnings_page(
    state: &AppState,
    s: &app::SessionInfo,
    fs: FormState,
    notice: Option<String>,
) -> Result<String, PageError> {
    let en = RequestContext::current().english;
    let t = i18n::texts(en);
    let b = state.app.oversight().early_warnings(&s.actor).await?;
    let units = if b.may_record { super::unit_options(state, s).await? } else { Vec::new() };
    render(WarningsPage {
        t,
        chrome: Chrome::new(s, t, "/oversight/early-warnings".into(), "early_warnings"),
        fs,
        notice,
        units,
        sources: options(WarningSource::ALL.iter().map(|x| (x.code(), x.label(en))), ""),
        interventions: options(Intervention::ALL.iter().map(|x| (x.code(), x.label(en))), ""),
        b,
    })
}

pub async fn view_early_warnings_get(
    State(state): State<AppState>,
    Signed(s): Signed,
) -> Result<Html<String>, PageError> {
    let notice = super::notice(&state, &s).await?;
    Ok(Html(warnings_page(&state, &s, FormState::blank("ew"), notice).await?))
}

async fn warnings_outcome(
    state: &AppState,
    s: &app::SessionInfo,
    (form, f): (&str, &[(String, String)]),
    r: Result<&'static str, AppError>,
) -> Result<Response, PageError> {
    super::form_outcome(r, "/oversight/early-warnings", (form, f), label, |fs| warnings_page(state, s, fs, None)).await
}

pub async fn view_early_warnings_post(
    State(state): State<AppState>,
    Signed(s): Signed,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let t = i18n::texts(RequestContext::current().english);
    let v = |k: &str| field(&f, k).to_owned();
    let input = EarlyWarningInput {
        unit_id: v("unit_id"),
        person: v("person"),
        post: v("post"),
        problem: v("problem"),
        source: v("source"),
        intervention: v("intervention"),
        given_on: v("given_on"),
        given_by: v("given_by"),
    };
    let r = state.app.oversight().record_early_warning(&s.actor, &input).await.map(|_| t.oversight.done_early_warning);
    warnings_outcome(&state, &s, ("ew", &f), r).await
}

pub async fn view_early_warning_follow_up(
    State(state): State<AppState>,
    Signed(s): Signed,
    PagePath(id): PagePath<i64>,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let t = i18n::texts(RequestContext::current().english);
    let r = state.app.oversight().follow_up_warning(&s.actor, id, field(&f, "follow_up"), field(&f, "lead")).await;
    warnings_outcome(&state, &s, (&format!("ew{id}"), &f), r.map(|_| t.oversight.done_follow_up)).await
}
