//! The libraries and warning-education events over the API.

use app::oversight::{EducationBook, Library};
use axum::{
    Json,
    extract::{Query, State},
    http::StatusCode,
};
use domain::oversight::library::{CaseInput, EducationInput, PracticeInput};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::api::lifecycle::Created;
use crate::{
    AppState,
    error::{ApiError, ErrorBody},
    extract::{ApiJson, ApiPath},
    session::ApiUser,
};

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// Words to find in the title or text.
    #[serde(default)]
    q: String,
}

/// Typical cases the caller may read: published ones, and the drafts of the caller's committee.
#[utoipa::path(get, path = "/api/v1/library/cases", tag = "oversight", operation_id = "typicalCases",
    security(("bearer" = [])), params(SearchQuery),
    responses(
        (status = 200, description = "Newest first (at most 200)", body = Library),
        (status = 403, description = "The caller reads no ledger", body = ErrorBody),
    ))]
pub async fn api_cases(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Query(q): Query<SearchQuery>,
) -> Result<Json<Library>, ApiError> {
    Ok(Json(state.app.oversight().typical_cases(&actor, &q.q).await?))
}

/// The committee writes a typical case (anonymised against the case it names). Audited.
#[utoipa::path(post, path = "/api/v1/library/cases", tag = "oversight", operation_id = "addTypicalCase",
    security(("bearer" = [])), request_body = CaseInput,
    responses(
        (status = 201, description = "Saved", body = Created),
        (status = 400, description = "The body is not JSON of this shape", body = ErrorBody),
        (status = 403, description = "The caller does not supervise", body = ErrorBody),
        (status = 422, description = "Fields wrong, a name of the case left in, or the case not concluded", body = ErrorBody),
    ))]
pub async fn api_add_case(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiJson(c): ApiJson<CaseInput>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    Ok((StatusCode::CREATED, Json(Created { id: state.app.oversight().add_typical_case(&actor, &c).await? })))
}

/// Publishes a draft typical case. Audited.
#[utoipa::path(post, path = "/api/v1/library/cases/{id}/publish", tag = "oversight", operation_id = "publishTypicalCase",
    security(("bearer" = [])), params(("id" = i64, Path, description = "The case's id")),
    responses(
        (status = 204, description = "Published"),
        (status = 403, description = "The caller does not supervise", body = ErrorBody),
        (status = 404, description = "No such case of the caller's committee", body = ErrorBody),
    ))]
pub async fn api_publish_case(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    state.app.oversight().publish_entry(&actor, true, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Good practices the caller may read: published ones, and the drafts of the caller's units.
#[utoipa::path(get, path = "/api/v1/library/practices", tag = "oversight", operation_id = "goodPractices",
    security(("bearer" = [])), params(SearchQuery),
    responses(
        (status = 200, description = "Newest first (at most 200)", body = Library),
        (status = 403, description = "The caller reads no ledger", body = ErrorBody),
    ))]
pub async fn api_practices(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    Query(q): Query<SearchQuery>,
) -> Result<Json<Library>, ApiError> {
    Ok(Json(state.app.oversight().good_practices(&actor, &q.q).await?))
}

/// A unit's keeper writes a good practice. Audited.
#[utoipa::path(post, path = "/api/v1/library/practices", tag = "oversight", operation_id = "addGoodPractice",
    security(("bearer" = [])), request_body = PracticeInput,
    responses(
        (status = 201, description = "Saved", body = Created),
        (status = 400, description = "The body is not JSON of this shape", body = ErrorBody),
        (status = 403, description = "The caller keeps no ledger", body = ErrorBody),
        (status = 422, description = "Fields wrong, or another unit", body = ErrorBody),
    ))]
pub async fn api_add_practice(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiJson(p): ApiJson<PracticeInput>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    Ok((StatusCode::CREATED, Json(Created { id: state.app.oversight().add_good_practice(&actor, &p).await? })))
}

/// Publishes a draft good practice of the caller's units. Audited.
#[utoipa::path(post, path = "/api/v1/library/practices/{id}/publish", tag = "oversight", operation_id = "publishGoodPractice",
    security(("bearer" = [])), params(("id" = i64, Path, description = "The practice's id")),
    responses(
        (status = 204, description = "Published"),
        (status = 403, description = "The caller keeps no ledger", body = ErrorBody),
        (status = 404, description = "No such practice of the caller's units", body = ErrorBody),
    ))]
pub async fn api_publish_practice(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    state.app.oversight().publish_entry(&actor, false, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Warning-education events of the units the caller reads.
#[utoipa::path(get, path = "/api/v1/education-events", tag = "oversight", operation_id = "educationEvents",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Newest first", body = EducationBook),
        (status = 403, description = "The caller reads no ledger", body = ErrorBody),
    ))]
pub async fn api_education(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
) -> Result<Json<EducationBook>, ApiError> {
    Ok(Json(state.app.oversight().education(&actor).await?))
}

/// A unit's keeper records a warning-education event. Audited.
#[utoipa::path(post, path = "/api/v1/education-events", tag = "oversight", operation_id = "recordEducationEvent",
    security(("bearer" = [])), request_body = EducationInput,
    responses(
        (status = 201, description = "Recorded", body = Created),
        (status = 400, description = "The body is not JSON of this shape", body = ErrorBody),
        (status = 403, description = "The caller keeps no ledger", body = ErrorBody),
        (status = 422, description = "Fields wrong, another unit, or a case the caller cannot read", body = ErrorBody),
    ))]
pub async fn api_record_education(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiJson(e): ApiJson<EducationInput>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    Ok((StatusCode::CREATED, Json(Created { id: state.app.oversight().record_education(&actor, &e).await? })))
}
