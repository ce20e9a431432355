//! The campaigns page (专项工作): the list, a new campaign from last year's copy, corrections,
//! closing. What the caller may do comes from `app`.

use std::collections::HashMap;

use app::{AppError, CampaignBook};
use askama::Template;
use axum::{
    Form,
    extract::State,
    http::StatusCode,
    response::{Html, IntoResponse, Response},
};
use domain::{
    CampaignId,
    dates::format_date,
    ledger::campaign::CampaignScope,
    ledger::campaign_input::{CampaignInput, MAX_PHASES, PhaseInput},
    ledger::lead::{Category, Source},
};

use crate::pages::{Chrome, field_messages, render};
use crate::{
    AppState,
    context::RequestContext,
    error::PageError,
    extract::PagePath,
    i18n::{self, Texts},
    session::Signed,
};

/// Phase rows a form shows: the ones given, then blank ones up to four.
const ROWS: usize = 4;

#[derive(Template)]
#[template(path = "ledger/campaigns.html")]
struct CampaignsPage {
    t: &'static Texts,
    chrome: Chrome,
    book: CampaignBook,
    /// (campaign id or none for a new one, the form's values, its errors by field)
    form: (Option<i64>, CampaignInput, HashMap<String, String>),
    /// The errors as the summary at the top of the form lists them, each linking to its field.
    summary: crate::forms::FormState,
    notice: Option<String>,
}

/// The campaign form's fields as their labels name them.
fn label(field: &str, t: &Texts) -> Option<&'static str> {
    let l = &t.ledger;
    let phase = field.strip_prefix("phases[").and_then(|r| r.split_once("].")).map(|(_, f)| f);
    Some(match (field, phase) {
        (_, Some("name")) => l.phase_name,
        (_, Some("starts_on")) | ("starts_on", _) => l.campaign_starts,
        (_, Some("ends_on")) | ("ends_on", _) => l.campaign_ends,
        ("name", _) => l.campaign_name,
        ("stock_cutoff", _) => l.stock_cutoff,
        ("clearance_deadline", _) => l.clearance_deadline,
        ("report_due", _) => l.report_due,
        ("scope_unit_id", _) => l.scope_unit,
        ("extension_cap_months", _) => l.extension_cap_months,
        ("categories", _) => l.counted_categories,
        ("sources", _) => l.counted_sources,
        _ => return None,
    })
}

impl CampaignsPage {
    fn err(&self, field: &str) -> Option<&str> {
        self.form.2.get(field).map(String::as_str)
    }

    fn phase_err(&self, i: &usize, field: &str) -> Option<&str> {
        self.form.2.get(&format!("phases[{i}].{field}")).map(String::as_str)
    }

    fn phase_rows(&self) -> Vec<(usize, PhaseInput)> {
        let mut rows = self.form.1.phases.clone();
        while rows.len() < ROWS.max(self.form.1.phases.len()) {
            rows.push(PhaseInput::default());
        }
        rows.into_iter().take(MAX_PHASES).enumerate().collect()
    }

    fn action(&self) -> String {
        match self.form.0 {
            Some(id) => format!("/campaigns/{id}"),
            None => "/campaigns".into(),
        }
    }

    /// The five dates as (field, label, value typed).
    fn date_fields(&self) -> Vec<(&'static str, &'static str, &str)> {
        let (l, f) = (&self.t.ledger, &self.form.1);
        vec![
            ("stock_cutoff", l.stock_cutoff, f.stock_cutoff.as_str()),
            ("clearance_deadline", l.clearance_deadline, f.clearance_deadline.as_str()),
            ("starts_on", l.campaign_starts, f.starts_on.as_str()),
            ("ends_on", l.campaign_ends, f.ends_on.as_str()),
            ("report_due", l.report_due, f.report_due.as_str()),
        ]
    }

    fn date(d: &time::Date) -> String {
        format_date(*d)
    }

    /// Every category as (code, label, ticked).
    fn categories(&self) -> Vec<(&'static str, &'static str, bool)> {
        let en = RequestContext::current().english;
        Category::ALL
            .iter()
            .map(|c| (c.code(), c.label(en), self.form.1.categories.iter().any(|x| x == c.code())))
            .collect()
    }

    fn sources(&self) -> Vec<(&'static str, &'static str, bool)> {
        let en = RequestContext::current().english;
        Source::ALL.iter().map(|c| (c.code(), c.label(en), self.form.1.sources.iter().any(|x| x == c.code()))).collect()
    }

    /// 「市第一人民医院；涉黑涉恶腐败、充当“保护伞”；全部来源」
    fn scope_summary(&self, s: &CampaignScope) -> String {
        let (l, en) = (&self.t.ledger, RequestContext::current().english);
        let unit = s
            .unit
            .and_then(|u| self.book.units.iter().find(|x| x.id == u))
            .map_or(l.scope_all_units.to_owned(), |u| u.name.clone());
        let sep = if en { ", " } else { "、" };
        let cats: Vec<&str> = s.categories.iter().map(|c| c.label(en)).collect();
        let srcs: Vec<&str> = s.sources.iter().map(|c| c.label(en)).collect();
        let srcs = if srcs.is_empty() { l.scope_summary_all_sources.to_owned() } else { srcs.join(sep) };
        let part = if en { "; " } else { "；" };
        format!("{unit}{part}{}{part}{srcs}", cats.join(sep))
    }
}

fn input_from_form(pairs: &[(String, String)]) -> CampaignInput {
    // A form sends only the boxes ticked: start from none.
    let mut i = CampaignInput {
        categories: Vec::new(),
        sources: Vec::new(),
        transfer_needs_receipt: false,
        ..CampaignInput::default()
    };
    let mut phases: Vec<PhaseInput> = vec![PhaseInput::default(); MAX_PHASES];
    for (k, v) in pairs {
        let v = v.clone();
        match k.as_str() {
            "scope_unit_id" => i.scope_unit_id = v,
            "categories" => i.categories.push(v),
            "sources" => i.sources.push(v),
            "transfer_needs_receipt" => i.transfer_needs_receipt = v == "on",
            "extension_cap_months" => i.extension_cap_months = v,
            "name" => i.name = v,
            "stock_cutoff" => i.stock_cutoff = v,
            "clearance_deadline" => i.clearance_deadline = v,
            "starts_on" => i.starts_on = v,
            "ends_on" => i.ends_on = v,
            "report_due" => i.report_due = v,
            "copy_of" => i.copy_of = v,
            other => {
                let Some((n, field)) = other
                    .strip_prefix("phases[")
                    .and_then(|r| r.split_once("]."))
                    .and_then(|(n, f)| Some((n.parse::<usize>().ok()?, f)))
                else {
                    continue;
                };
                let Some(p) = phases.get_mut(n) else { continue };
                match field {
                    "name" => p.name = v,
                    "starts_on" => p.starts_on = v,
                    "ends_on" => p.ends_on = v,
                    _ => {}
                }
            }
        }
    }
    i.phases = phases;
    i
}

async fn page(
    state: &AppState,
    s: &app::SessionInfo,
    form: (Option<i64>, CampaignInput, &[domain::FieldError]),
    notice: Option<String>,
) -> Result<String, PageError> {
    let en = RequestContext::current().english;
    let t = i18n::texts(en);
    let book = state.app.ledger().campaigns(&s.actor).await?;
    let (id, input, errors) = form;
    let mut input = input;
    // Trailing blank rows are the form's own, not what was typed.
    while input.phases.last().is_some_and(|p| p.name.is_empty() && p.starts_on.is_empty() && p.ends_on.is_empty()) {
        input.phases.pop();
    }
    let summary = crate::forms::FormState::blank("c").refused(errors, en, |f| label(f, t));
    let form = (id, input, field_messages(errors, en));
    let chrome = Chrome::new(s, t, "/campaigns".into(), "campaigns");
    render(CampaignsPage { t, chrome, book, form, summary, notice })
}

pub async fn view_campaigns_get(State(state): State<AppState>, Signed(s): Signed) -> Result<Html<String>, PageError> {
    let template = state.app.ledger().campaigns(&s.actor).await?.template;
    // What the last action did, left with the session by its redirect.
    let notice =
        state.app.protection().take_flash(&s).await?.filter(|f| f.kind == app::FlashKind::Done).map(|f| f.text);
    Ok(Html(page(&state, &s, (None, template, &[]), notice).await?))
}

/// Back to the list, which says what was done.
fn done(msg: &str) -> Response {
    crate::pages::redirect_with("/campaigns", app::FlashKind::Done, msg)
}

pub async fn view_campaign_edit(
    State(state): State<AppState>,
    Signed(s): Signed,
    PagePath(id): PagePath<i64>,
) -> Result<Html<String>, PageError> {
    let book = state.app.ledger().campaigns(&s.actor).await?;
    let row = book.items.iter().find(|r| r.campaign.id.get() == id).ok_or(AppError::NotFound)?;
    let input = CampaignInput::of_plan(&row.campaign.plan);
    Ok(Html(page(&state, &s, (Some(id), input, &[]), None).await?))
}

/// A refused form comes back as typed, with each field's error beside it.
async fn refused(
    state: &AppState,
    s: &app::SessionInfo,
    id: Option<i64>,
    input: CampaignInput,
    e: AppError,
) -> Result<Response, PageError> {
    match e {
        AppError::Invalid(i) => {
            let html = page(state, s, (id, input, &i.0), None).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
        }
        other => Err(other.into()),
    }
}

pub async fn view_campaign_create(
    State(state): State<AppState>,
    Signed(s): Signed,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let input = input_from_form(&pairs);
    match state.app.ledger().create_campaign(&s.actor, &input).await {
        Ok(_) => Ok(done(i18n::texts(RequestContext::current().english).ledger.campaign_created)),
        Err(e) => refused(&state, &s, None, input, e).await,
    }
}

pub async fn view_campaign_update(
    State(state): State<AppState>,
    Signed(s): Signed,
    PagePath(id): PagePath<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let input = input_from_form(&pairs);
    match state.app.ledger().update_campaign(&s.actor, CampaignId::from_raw(id), &input).await {
        Ok(()) => Ok(done(i18n::texts(RequestContext::current().english).saved_ok)),
        Err(e) => refused(&state, &s, Some(id), input, e).await,
    }
}

pub async fn view_campaign_close(
    State(state): State<AppState>,
    Signed(s): Signed,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    match state.app.ledger().close_campaign(&s.actor, CampaignId::from_raw(id)).await {
        Ok(()) => Ok(done(i18n::texts(RequestContext::current().english).ledger.campaign_closed)),
        Err(AppError::Invalid(i)) => {
            let template = state.app.ledger().campaigns(&s.actor).await?.template;
            let html = page(&state, &s, (None, template, &i.0), None).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
