//! Recusal over the API: a supervisor's finding that an account a lead is kept from is a
//! different person.

use axum::{extract::State, http::StatusCode};
use domain::{LeadId, UserId};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::extract::{ApiJson, ApiPath};
use crate::{
    AppState,
    error::{ApiError, ErrorBody},
    session::ApiUser,
};

#[derive(Deserialize, ToSchema)]
pub struct RecusalClearance {
    /// The account found to be someone else (one of the dossier's `recusals`).
    user_id: UserId,
    /// What was checked; kept with the finding and in the audit trail.
    #[schema(min_length = 1, max_length = 200)]
    reason: String,
}

/// Marks an account the lead is kept from (回避) as a different person: the lead becomes
/// visible to them, and the match is not made again (a supervisor over the lead; audited).
#[utoipa::path(post, path = "/api/v1/leads/{id}/recusal-clearances", tag = "protection",
    operation_id = "clearRecusal", security(("bearer" = [])),
    params(("id" = i64, Path, description = "The lead's id")), request_body = RecusalClearance,
    responses(
        (status = 204, description = "Cleared"),
        (status = 400, description = "The body is not JSON of this shape", body = ErrorBody),
        (status = 403, description = "The caller supervises no unit", body = ErrorBody),
        (status = 404, description = "No such lead in the caller's supervision", body = ErrorBody),
        (status = 422, description = "No reason, or the lead is not kept from that account", body = ErrorBody),
    ))]
pub async fn api_recusal_clear(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<RecusalClearance>,
) -> Result<StatusCode, ApiError> {
    state.app.protection().clear_recusal(&actor, LeadId::from_raw(id), b.user_id, &b.reason).await?;
    Ok(StatusCode::NO_CONTENT)
}
