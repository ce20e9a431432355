//! A campaign's score rules over the API: the same use cases as the page.

use app::{RulesInput, RulesView};
use axum::{
    Json,
    extract::{Query, State, rejection::QueryRejection},
};
use serde::Serialize;
use utoipa::ToSchema;

use super::CampaignQuery;
use crate::{
    AppState,
    error::{ApiError, ErrorBody, Problem},
    extract::ApiJson,
    session::ApiUser,
};

/// A campaign's score rules (its bulletins score by them) and the versions saved before.
#[utoipa::path(get, path = "/api/v1/score-rules", tag = "reporting", operation_id = "scoreRules",
    security(("bearer" = [])), params(CampaignQuery),
    responses(
        (status = 200, description = "The rules", body = RulesView),
        (status = 400, description = "A query parameter is malformed", body = ErrorBody),
        (status = 403, description = "The caller is not of a committee", body = ErrorBody),
        (status = 404, description = "No such campaign (or none yet)", body = ErrorBody),
    ))]
pub async fn api_score_rules(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    q: Result<Query<CampaignQuery>, QueryRejection>,
) -> Result<Json<RulesView>, ApiError> {
    let Query(q) = q.map_err(|e| ApiError(Problem::malformed(&e.body_text())))?;
    Ok(Json(state.app.reporting().score_rules(&actor, q.campaign()).await?))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Saved {
    pub version: i32,
}

/// The committee saves new rules as the next version, for the campaign alone. Audited.
#[utoipa::path(put, path = "/api/v1/score-rules", tag = "reporting", operation_id = "saveScoreRules",
    security(("bearer" = [])), params(CampaignQuery), request_body = RulesInput,
    responses(
        (status = 200, description = "Saved", body = Saved),
        (status = 400, description = "The body is not JSON of this shape", body = ErrorBody),
        (status = 403, description = "The caller does not supervise", body = ErrorBody),
        (status = 404, description = "No such campaign (or none yet)", body = ErrorBody),
        (status = 422, description = "Points not adding up to 100, thresholds out of order, no note, or the campaign closed", body = ErrorBody),
    ))]
pub async fn api_save_score_rules(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    q: Result<Query<CampaignQuery>, QueryRejection>,
    ApiJson(r): ApiJson<RulesInput>,
) -> Result<Json<Saved>, ApiError> {
    let Query(q) = q.map_err(|e| ApiError(Problem::malformed(&e.body_text())))?;
    let campaign = q.campaign();
    Ok(Json(Saved { version: state.app.reporting().save_score_rules(&actor, campaign, &r).await? }))
}
