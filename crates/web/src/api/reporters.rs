//! Reporters over the API: revealing a signed reporter's identity, for a custodian only.

use axum::{Json, extract::State};
use domain::{LeadId, reporters::Reporter};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::extract::{ApiJson, ApiPath};
use crate::{
    AppState,
    error::{ApiError, ErrorBody},
    session::ApiUser,
};

#[derive(Deserialize, ToSchema)]
pub struct Reveal {
    /// Why the identity is needed; kept in the audit trail.
    #[schema(min_length = 1, max_length = 200)]
    reason: String,
}

/// Reveals the signed reporter's name and contact (custodian only, with a reason; audited).
#[utoipa::path(post, path = "/api/v1/leads/{id}/reveal", tag = "reporters", operation_id = "revealReporter",
    security(("bearer" = [])), params(("id" = i64, Path, description = "The lead's id")), request_body = Reveal,
    responses(
        (status = 200, description = "The identity, on this response only", body = Reporter),
        (status = 400, description = "The body is not JSON of this shape", body = ErrorBody),
        (status = 403, description = "The caller is no custodian", body = ErrorBody),
        (status = 404, description = "No such lead in the caller's scope", body = ErrorBody),
        (status = 422, description = "No reason given, or the reporter is anonymous", body = ErrorBody),
    ))]
pub async fn api_reveal(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<Reveal>,
) -> Result<Json<Reporter>, ApiError> {
    let custodian = actor.identity_custodian()?;
    Ok(Json(state.app.reporters().reveal(&custodian, LeadId::from_raw(id), &b.reason).await?))
}
