//! Listed supervision (挂牌督办) and moves of jurisdiction, from the lead page.

use axum::{
    Form,
    extract::State,
    response::{IntoResponse, Redirect, Response},
};
use domain::LeadId;
use serde::Deserialize;

use super::urlencode;
use crate::{AppState, context::RequestContext, error::PageError, extract::PagePath, i18n, session::Signed};

fn back(lead: i64, r: Result<(), app::AppError>) -> Result<Response, PageError> {
    let en = RequestContext::current().english;
    let t = i18n::texts(en);
    match r {
        Ok(()) => Ok(Redirect::to(&format!("/leads/{lead}?done={}", urlencode(t.step_applied))).into_response()),
        Err(app::AppError::Invalid(i)) => {
            let msg: Vec<String> =
                i.0.iter().map(|e| if en { e.message_en.clone() } else { e.message_zh.clone() }).collect();
            Ok(Redirect::to(&format!("/leads/{lead}?step_error={}", urlencode(&msg.join(" ")))).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

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
    back(id, r)
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
    back(f.lead, r)
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
    back(id, r)
}
