//! Repeat reports (重复件) over the API: the earlier leads a report may repeat, asked for before
//! it is registered; the decision goes with the registration (`POST /api/v1/leads?repeat=`).

use axum::{Json, extract::State};
use domain::ledger::{lead::LeadInput, repeats::RepeatCandidate};

use crate::extract::ApiJson;
use crate::{
    AppState,
    error::{ApiError, ErrorBody},
    session::ApiUser,
};

/// The earlier leads in the caller's sight that this report may repeat, strongest first, each
/// with why (same source document number, same person in the registry, similar summary) and
/// whether it was closed as unfounded. Nothing is written but one audit entry.
#[utoipa::path(post, path = "/api/v1/leads/repeat-candidates", tag = "ledger", operation_id = "repeatCandidates",
    security(("bearer" = [])), request_body = LeadInput,
    responses(
        (status = 200, description = "The candidates (empty when none)", body = Vec<RepeatCandidate>),
        (status = 400, description = "The body is not JSON of this shape", body = ErrorBody),
        (status = 422, description = "Invalid fields, all listed (as registering would answer)", body = ErrorBody),
        (status = 403, description = "The caller keeps no ledger", body = ErrorBody),
    ))]
pub async fn api_repeat_candidates(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiJson(input): ApiJson<LeadInput>,
) -> Result<Json<Vec<RepeatCandidate>>, ApiError> {
    let keeper = actor.ledger_keeper()?;
    Ok(Json(state.app.ledger().repeat_candidates_recorded(&keeper, &input).await?))
}
