//! Listed supervision (挂牌督办) and moves of jurisdiction, from the lead page.

use axum::{Form, extract::State, response::Response};
use domain::LeadId;
use serde::Deserialize;

use crate::pages::outcome_to_lead;
use crate::{AppState, error::PageError, extract::PagePath, session::Signed};

#[derive(Deserialize)]
pub struct OrderForm {
    #[serde(default)]
    requirement: String,
    #[serde(default)]
    reply_due: String,
}

pub async fn view_order_post(
    State(state): State<AppState>,
    Signed(s): Signed,
    PagePath(id): PagePath<i64>,
    Form(f): Form<OrderForm>,
) -> Result<Response, PageError> {
    let r = state
        .app
        .supervision()
        .issue_order(&s.actor, LeadId::from_raw(id), &f.requirement, &f.reply_due)
        .await
        .map(|_| ());
    outcome_to_lead(r, id)
}

#[derive(Deserialize)]
pub struct ReportForm {
    #[serde(default)]
    stage: String,
    #[serde(default)]
    content: String,
    #[serde(default)]
    lead: i64,
}

pub async fn view_report_post(
    State(state): State<AppState>,
    Signed(s): Signed,
    PagePath(order): PagePath<i64>,
    Form(f): Form<ReportForm>,
) -> Result<Response, PageError> {
    let keeper = s.actor.ledger_keeper()?;
    let r = state.app.supervision().report_on_order(&keeper, order, &f.stage, &f.content).await;
    outcome_to_lead(r, f.lead)
}

#[derive(Deserialize)]
pub struct MoveForm {
    #[serde(default)]
    mode: String,
    #[serde(default)]
    to: String,
}

pub async fn view_move_post(
    State(state): State<AppState>,
    Signed(s): Signed,
    PagePath(id): PagePath<i64>,
    Form(f): Form<MoveForm>,
) -> Result<Response, PageError> {
    // The target lies in the supervisor's scope, so the lead stays visible: back to it.
    let r = state.app.supervision().move_jurisdiction(&s.actor, LeadId::from_raw(id), &f.mode, &f.to).await.map(|_| ());
    outcome_to_lead(r, id)
}
