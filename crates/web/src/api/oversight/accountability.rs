//! Accountability (问责) and early intervention (抓早抓小) over the API.

use app::oversight::{AccountabilityBook, EarlyWarningBook};
use axum::{
    Json,
    extract::{Query, State, rejection::QueryRejection},
    http::StatusCode,
};
use domain::oversight::{accountability::AccountabilityInput, early_warning::EarlyWarningInput};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::api::lifecycle::Created;
use crate::{
    AppState,
    error::{ApiError, ErrorBody, Problem},
    extract::{ApiJson, ApiPath},
    session::ApiUser,
};

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct YearQuery {
    /// The year (this year when absent or out of 2000–2100).
    #[serde(default)]
    year: Option<i32>,
}

/// Accountability decisions of a year over the units the caller reads, with the count per unit.
#[utoipa::path(get, path = "/api/v1/accountability", tag = "oversight", operation_id = "accountability",
    security(("bearer" = [])), params(YearQuery),
    responses(
        (status = 200, description = "The year's decisions and the count per unit", body = AccountabilityBook),
        (status = 400, description = "The year is not a number", body = ErrorBody),
        (status = 403, description = "The caller reads no ledger", body = ErrorBody),
    ))]
pub async fn api_accountability(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    q: Result<Query<YearQuery>, QueryRejection>,
) -> Result<Json<AccountabilityBook>, ApiError> {
    let Query(q) = q.map_err(|e| ApiError(Problem::malformed(&e.body_text())))?;
    Ok(Json(state.app.oversight().accountability(&actor, q.year).await?))
}

/// The committee records an accountability decision over a unit of its subtree. Audited.
#[utoipa::path(post, path = "/api/v1/accountability", tag = "oversight", operation_id = "recordAccountability",
    security(("bearer" = [])), request_body = AccountabilityInput,
    responses(
        (status = 201, description = "Recorded", body = Created),
        (status = 400, description = "The body is not JSON of this shape", body = ErrorBody),
        (status = 403, description = "The caller does not supervise", body = ErrorBody),
        (status = 422, description = "Fields wrong, a unit or source outside the caller's supervision", body = ErrorBody),
    ))]
pub async fn api_record_accountability(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiJson(a): ApiJson<AccountabilityInput>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    Ok((StatusCode::CREATED, Json(Created { id: state.app.oversight().record_accountability(&actor, &a).await? })))
}

/// Early warnings of the units the caller reads, with the count per unit.
#[utoipa::path(get, path = "/api/v1/early-warnings", tag = "oversight", operation_id = "earlyWarnings",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Newest first, and the count per unit", body = EarlyWarningBook),
        (status = 403, description = "The caller reads no ledger", body = ErrorBody),
    ))]
pub async fn api_early_warnings(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
) -> Result<Json<EarlyWarningBook>, ApiError> {
    Ok(Json(state.app.oversight().early_warnings(&actor).await?))
}

/// A unit's keeper records an early warning given. Audited.
#[utoipa::path(post, path = "/api/v1/early-warnings", tag = "oversight", operation_id = "recordEarlyWarning",
    security(("bearer" = [])), request_body = EarlyWarningInput,
    responses(
        (status = 201, description = "Recorded", body = Created),
        (status = 400, description = "The body is not JSON of this shape", body = ErrorBody),
        (status = 403, description = "The caller keeps no ledger", body = ErrorBody),
        (status = 422, description = "Fields wrong, or another unit", body = ErrorBody),
    ))]
pub async fn api_record_early_warning(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiJson(w): ApiJson<EarlyWarningInput>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    Ok((StatusCode::CREATED, Json(Created { id: state.app.oversight().record_early_warning(&actor, &w).await? })))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct FollowUp {
    #[schema(min_length = 1, max_length = 2000)]
    follow_up: String,
    /// The number of the lead it grew into, if any.
    #[serde(default)]
    lead: String,
}

/// The keeper records the follow-up and the lead it grew into. Audited.
#[utoipa::path(post, path = "/api/v1/early-warnings/{id}/follow-up", tag = "oversight", operation_id = "followUpEarlyWarning",
    security(("bearer" = [])), params(("id" = i64, Path, description = "The early warning's id")), request_body = FollowUp,
    responses(
        (status = 204, description = "Saved"),
        (status = 400, description = "The body is not JSON of this shape", body = ErrorBody),
        (status = 403, description = "The caller keeps no ledger", body = ErrorBody),
        (status = 404, description = "No such early warning in the caller's units", body = ErrorBody),
        (status = 422, description = "No follow-up, or a lead not in the caller's jurisdiction", body = ErrorBody),
    ))]
pub async fn api_follow_up_early_warning(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(f): ApiJson<FollowUp>,
) -> Result<StatusCode, ApiError> {
    state.app.oversight().follow_up_warning(&actor, id, &f.follow_up, &f.lead).await?;
    Ok(StatusCode::NO_CONTENT)
}
