//! The lead page's recusal panel: a supervisor marks an account as a different person.

use axum::{Form, extract::State, response::Response};
use domain::{LeadId, UserId};
use serde::Deserialize;

use crate::{AppState, error::PageError, extract::PagePath, pages::outcome_to_lead, session::Signed};

#[derive(Deserialize)]
pub struct ClearanceForm {
    #[serde(default)]
    user_id: String,
    #[serde(default)]
    reason: String,
}

pub async fn view_recusal_clear(
    State(state): State<AppState>,
    Signed(session): Signed,
    PagePath(id): PagePath<i64>,
    Form(f): Form<ClearanceForm>,
) -> Result<Response, PageError> {
    // An id that is no number is no account the lead is kept from.
    let user = UserId::from_raw(f.user_id.trim().parse().unwrap_or(0));
    let r = state.app.protection().clear_recusal(&session.actor, LeadId::from_raw(id), user, &f.reason).await;
    outcome_to_lead(r, id)
}
