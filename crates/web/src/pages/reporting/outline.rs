//! A campaign's report outline (报告提纲): which sections its work reports have and what each
//! must cover, as a form the committee saves; units see the guidance as they write.

use app::{AppError, FlashKind, OutlineView};
use askama::Template;
use axum::{
    Form,
    extract::{Query, State},
    http::StatusCode,
    response::{Html, IntoResponse, Response},
};
use domain::{
    CampaignId,
    reporting::{outline::OutlineInput, work_report::Section},
};

use super::score_rules::CampaignQuery;
use crate::{
    AppState,
    context::RequestContext,
    error::PageError,
    forms::{FormState, field},
    i18n::{self, Texts},
    pages::{Chrome, redirect_with, render},
    session::Signed,
};

#[derive(Template)]
#[template(path = "reporting/report_outline.html")]
struct OutlinePage {
    t: &'static Texts,
    chrome: Chrome,
    o: OutlineView,
    fs: FormState,
    /// (section, its tick box's field, its guidance's field).
    rows: Vec<(Section, String, String)>,
}

fn label(f: &str, t: &Texts) -> Option<&'static str> {
    if let Some(code) = f.strip_prefix("guidance_") {
        return Section::from_code(code).map(|s| s.label(t.english));
    }
    match f {
        "sections" => Some(t.reporting.o_asked),
        "campaign" => Some(t.reporting.campaign),
        _ => None,
    }
}

/// The form's fields: asked_<code> (ticked: "on") and guidance_<code>.
fn pairs(i: &OutlineInput) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = i.sections.iter().map(|c| (format!("asked_{c}"), "on".to_owned())).collect();
    out.extend(i.guidance.iter().map(|(c, g)| (format!("guidance_{c}"), g.clone())));
    out
}

fn input_from(f: &[(String, String)]) -> OutlineInput {
    let mut i = OutlineInput::default();
    for s in Section::ALL {
        if !field(f, &format!("asked_{}", s.code())).is_empty() {
            i.sections.push(s.code().to_owned());
        }
        i.guidance.insert(s.code().to_owned(), field(f, &format!("guidance_{}", s.code())).to_owned());
    }
    i
}

async fn page(
    state: &AppState,
    s: &app::SessionInfo,
    campaign: Option<CampaignId>,
    fs: Option<FormState>,
) -> Result<String, PageError> {
    let t = i18n::texts(RequestContext::current().english);
    let o = state.app.reporting().report_outline(&s.actor, campaign).await?;
    let fs = fs.unwrap_or_else(|| FormState::typed("outline", &pairs(&OutlineInput::of(&o.outline))));
    let rows =
        Section::ALL.iter().map(|s| (*s, format!("asked_{}", s.code()), format!("guidance_{}", s.code()))).collect();
    render(OutlinePage {
        t,
        chrome: Chrome::new(s, t, "/reporting/report-outline".into(), "work_reports"),
        o,
        fs,
        rows,
    })
}

pub async fn view_report_outline_get(
    State(state): State<AppState>,
    Signed(s): Signed,
    Query(q): Query<CampaignQuery>,
) -> Result<Html<String>, PageError> {
    Ok(Html(page(&state, &s, q.campaign(), None).await?))
}

pub async fn view_report_outline_post(
    State(state): State<AppState>,
    Signed(s): Signed,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let en = RequestContext::current().english;
    let t = i18n::texts(en);
    let campaign = CampaignQuery { campaign: field(&f, "campaign").into() }.campaign();
    match state.app.reporting().save_report_outline(&s.actor, campaign, &input_from(&f)).await {
        Ok(()) => {
            let to = match campaign {
                Some(c) => format!("/reporting/report-outline?campaign={c}"),
                None => "/reporting/report-outline".to_owned(),
            };
            Ok(redirect_with(&to, FlashKind::Done, t.reporting.o_saved))
        }
        Err(AppError::Invalid(i)) => {
            let fs = FormState::typed("outline", &f).refused(&i.0, en, |x| label(x, t));
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page(&state, &s, campaign, Some(fs)).await?)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
