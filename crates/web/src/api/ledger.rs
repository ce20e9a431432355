use app::{LeadDetail, LeadPage, Registered, SaveLead};
use axum::{
    Json,
    extract::{Query, State, rejection::QueryRejection},
    http::StatusCode,
};
use domain::{LeadId, ledger::lead::LeadInput, ledger::query::LedgerParams};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::extract::{ApiJson, ApiPath};
use crate::{
    AppState,
    error::{ApiError, Problem},
    session::ApiUser,
};

pub async fn api_leads_list(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    q: Result<Query<LedgerParams>, QueryRejection>,
) -> Result<Json<LeadPage>, ApiError> {
    let Query(params) = q.map_err(|e| ApiError(Problem::malformed(&e.body_text())))?;
    let reader = actor.ledger()?;
    Ok(Json(state.app.ledger().list_recorded(&reader, &params).await?))
}

pub async fn api_lead_get(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<LeadDetail>, ApiError> {
    Ok(Json(state.app.ledger().detail(&actor, LeadId::from_raw(id)).await?))
}

/// Where a write left the lead: the record (the caller still sees it), or `202 Accepted` with
/// its number and where it went (it names the unit's head and went up a level, out of the
/// caller's sight).
async fn written(
    state: &AppState,
    actor: &app::Actor,
    saved: Registered,
    visible: StatusCode,
) -> Result<axum::response::Response, ApiError> {
    use axum::response::IntoResponse;
    Ok(match saved {
        Registered::Visible { lead } => {
            (visible, Json(state.app.ledger().detail(actor, lead.id).await?)).into_response()
        }
        sent @ Registered::SentUp { .. } => (StatusCode::ACCEPTED, Json(sent)).into_response(),
    })
}

pub async fn api_leads_create(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiJson(input): ApiJson<LeadInput>,
) -> Result<axum::response::Response, ApiError> {
    let keeper = actor.ledger_keeper()?;
    let saved = state.app.ledger().register(&keeper, &input).await?;
    written(&state, &actor, saved, StatusCode::CREATED).await
}

/// An update carries the version it was based on next to the lead's fields.
#[derive(Deserialize)]
pub struct UpdateBody {
    version: i64,
    #[serde(flatten)]
    input: LeadInput,
}

pub async fn api_lead_update(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<UpdateBody>,
) -> Result<axum::response::Response, ApiError> {
    let keeper = actor.ledger_keeper()?;
    let id = LeadId::from_raw(id);
    let saved =
        state.app.ledger().update(&keeper, id, &SaveLead { input: body.input, expected_version: body.version }).await?;
    written(&state, &actor, saved, StatusCode::OK).await
}

pub async fn api_units(State(state): State<AppState>, ApiUser(actor): ApiUser) -> Result<Json<Value>, ApiError> {
    let units = state.app.ledger().unit_tree(&actor).await?;
    Ok(Json(json!({ "items": units })))
}
