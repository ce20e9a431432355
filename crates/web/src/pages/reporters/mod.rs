//! Reporters' pages: the custodian's reveal of a reporter's identity, from the lead page.

use app::AppError;
use axum::{
    Form,
    extract::State,
    http::StatusCode,
    response::{Html, IntoResponse, Response},
};
use domain::LeadId;
use serde::Deserialize;

use crate::{
    AppState, context::RequestContext, error::PageError, extract::PagePath, i18n, pages::ledger::lead::lead_page,
    session::Signed,
};

#[derive(Deserialize)]
pub struct RevealForm {
    #[serde(default)]
    reason: String,
}

/// A custodian reveals the reporter's identity, giving a reason; shown on this response only.
pub async fn view_lead_reveal(
    State(state): State<AppState>,
    Signed(session): Signed,
    PagePath(id): PagePath<i64>,
    Form(f): Form<RevealForm>,
) -> Result<Response, PageError> {
    let en = RequestContext::current().english;
    let t = i18n::texts(en);
    let custodian = session.actor.identity_custodian()?;
    let lead = LeadId::from_raw(id);
    match state.app.reporters().reveal(&custodian, lead, &f.reason).await {
        Ok(reporter) => {
            let mut d = state.app.ledger().dossier(&session.actor, lead).await?;
            d.detail.reporter = reporter;
            let notice = Some(t.reporters.revealed_notice.into());
            Ok(Html(lead_page(&session, d, notice, None, (true, None))?).into_response())
        }
        Err(AppError::Invalid(i)) => {
            let d = state.app.ledger().dossier(&session.actor, lead).await?;
            let msg = i.0.first().map(|e| if en { e.message_en.clone() } else { e.message_zh.clone() });
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(lead_page(&session, d, None, None, (false, msg))?))
                .into_response())
        }
        Err(e) => Err(e.into()),
    }
}
