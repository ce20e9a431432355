//! The lead page's recusal panel: a supervisor marks an account as a different person.

use axum::{Form, extract::State, response::Response};
use domain::{LeadId, UserId};

use crate::forms::field;
use crate::pages::{done, lead_form_outcome};
use crate::{AppState, error::PageError, extract::PagePath, session::Signed};

pub async fn view_recusal_clear(
    State(state): State<AppState>,
    Signed(session): Signed,
    PagePath(id): PagePath<i64>,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    // An id that is no number is no account the lead is kept from.
    let user = UserId::from_raw(field(&f, "user_id").trim().parse().unwrap_or(0));
    let r = state.app.protection().clear_recusal(&session.actor, LeadId::from_raw(id), user, field(&f, "reason")).await;
    lead_form_outcome(&state, &session, (id, "recusal"), &f, done(r, |t| t.protection.done_recusal)).await
}
