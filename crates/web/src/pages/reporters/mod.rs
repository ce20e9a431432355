//! Reporters' pages: the custodian's reveal of a reporter's identity, from the lead page, and
//! their export of a ledger view with identities.

pub(crate) mod attachments;
pub(crate) mod export;
pub(crate) mod feedback;
pub(crate) mod intake;

use axum::{
    Form,
    extract::State,
    response::{Html, IntoResponse, Response},
};
use domain::LeadId;

use crate::{
    AppState, context::RequestContext, error::PageError, extract::PagePath, forms::field, i18n,
    pages::ledger::lead::lead_page, session::Signed,
};

/// A custodian reveals the reporter's identity, giving a reason; shown on this response only.
pub async fn view_lead_reveal(
    State(state): State<AppState>,
    Signed(session): Signed,
    PagePath(id): PagePath<i64>,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let en = RequestContext::current().english;
    let t = i18n::texts(en);
    let custodian = session.actor.identity_custodian()?;
    let lead = LeadId::from_raw(id);
    match state.app.reporters().reveal(&custodian, lead, field(&f, "reason")).await {
        Ok(reporter) => {
            let mut d = state.app.ledger().dossier(&session.actor, lead).await?;
            d.detail.reporter = reporter;
            let notice = Some(t.reporters.revealed_notice.into());
            Ok(Html(lead_page(&session, d, notice, None, true)?).into_response())
        }
        // Refused: the page again with the reason as typed and the error under it.
        Err(e) => crate::pages::lead_form_outcome(&state, &session, (id, "reveal"), &f, Err(e)).await,
    }
}
