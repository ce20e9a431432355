//! A custodian's export of a ledger view with the reporters' identities: a page that says how
//! many leads and signed reporters it holds and asks the reason, then the export as any other
//! (downloaded at once, or followed on its progress page). Who may, over which leads, and the
//! audit are `app`'s.

use app::{AppError, ExportStart};
use askama::Template;
use axum::{
    Form,
    extract::{Query, State},
    http::StatusCode,
    response::{Html, IntoResponse, Redirect, Response},
};
use domain::ledger::query::LedgerParams;

use crate::forms::{FormState, field};
use crate::pages::{Chrome, ledger::list::link, render};
use crate::{AppState, context::RequestContext, error::PageError, i18n, i18n::Texts, session::Signed};
use app::SessionInfo;

const FORM: &str = "identity-export";

#[derive(Template)]
#[template(path = "reporters/identity_export.html")]
struct IdentityExportPage {
    t: &'static Texts,
    chrome: Chrome,
    fs: FormState,
    leads: i64,
    signed: i64,
    /// The ledger view it exports, and where the form posts (the same filters).
    back: String,
    action: String,
}

async fn page(state: &AppState, s: &SessionInfo, p: &LedgerParams, fs: FormState) -> Result<String, PageError> {
    let t = i18n::texts(RequestContext::current().english);
    let custodian = s.actor.identity_custodian()?;
    let (leads, signed) = state.app.reporters().identity_export_count(&custodian, p).await?;
    let back = link(p, None, None);
    let action = back.replacen("/ledger?", "/ledger/export-identities?", 1);
    let chrome = Chrome::new(s, t, action.clone(), "ledger");
    render(IdentityExportPage { t, chrome, fs, leads, signed, back, action })
}

pub async fn view_identity_export_show(
    State(state): State<AppState>,
    Signed(s): Signed,
    Query(p): Query<LedgerParams>,
) -> Result<Html<String>, PageError> {
    page(&state, &s, &p, FormState::blank(FORM)).await.map(Html)
}

/// The export asked with a reason: refused on this page with the reason as typed, or begun.
pub async fn view_identity_export_submit(
    State(state): State<AppState>,
    Signed(s): Signed,
    Query(p): Query<LedgerParams>,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let en = RequestContext::current().english;
    let t = i18n::texts(en);
    let custodian = s.actor.identity_custodian()?;
    let reader = s.actor.ledger()?;
    let begun = match custodian.identity_export(field(&f, "reason")) {
        Ok(asked) => state.app.ledger().export_begin(&reader, &p, Some(asked)).await,
        Err(e) => Err(e),
    };
    match begun {
        Ok(ExportStart::Ready { bytes, .. }) => Ok(identity_download(bytes)),
        Ok(ExportStart::Running(n)) => Ok(Redirect::to(&format!("/ledger/exports/{n}")).into_response()),
        Err(AppError::Invalid(i)) => {
            let label = |name: &str| (name == "reason").then_some(t.reporters.export_reason);
            let fs = FormState::typed(FORM, &f).refused(&i.0, en, label);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page(&state, &s, &p, fs).await?)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// The workbook under a name that says what it holds.
pub fn identity_download(bytes: Vec<u8>) -> Response {
    crate::pages::attachment(bytes, crate::pages::XLSX, ("ledger-identities", "问题线索台账（含举报人身份）"))
}
