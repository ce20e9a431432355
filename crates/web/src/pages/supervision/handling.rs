//! Listed supervision (挂牌督办) and moves of jurisdiction, from the lead page.

use axum::{Form, extract::State, response::Response};
use domain::LeadId;

use crate::forms::field;
use crate::pages::{done, lead_form_outcome};
use crate::{AppState, error::PageError, extract::PagePath, session::Signed};

pub async fn view_order_post(
    State(state): State<AppState>,
    Signed(s): Signed,
    PagePath(id): PagePath<i64>,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let r = state
        .app
        .supervision()
        .issue_order(&s.actor, LeadId::from_raw(id), field(&f, "requirement"), field(&f, "reply_due"))
        .await;
    lead_form_outcome(&state, &s, (id, "order"), &f, done(r, |t| t.supervision.done_order)).await
}

pub async fn view_report_post(
    State(state): State<AppState>,
    Signed(s): Signed,
    PagePath(order): PagePath<i64>,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let keeper = s.actor.ledger_keeper()?;
    let lead = field(&f, "lead").parse().unwrap_or(0);
    let r = state.app.supervision().report_on_order(&keeper, order, field(&f, "stage"), field(&f, "content")).await;
    let form = format!("report-{order}");
    lead_form_outcome(&state, &s, (lead, &form), &f, done(r, |t| t.supervision.done_report)).await
}

pub async fn view_move_post(
    State(state): State<AppState>,
    Signed(s): Signed,
    PagePath(id): PagePath<i64>,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    // The target lies in the supervisor's scope, so the lead stays visible: back to it.
    let r = state
        .app
        .supervision()
        .move_jurisdiction(&s.actor, LeadId::from_raw(id), field(&f, "mode"), field(&f, "to"))
        .await;
    lead_form_outcome(&state, &s, (id, "move"), &f, done(r, |t| t.supervision.done_move)).await
}
