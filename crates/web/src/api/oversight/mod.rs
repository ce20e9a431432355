//! Oversight over the API: the review of unfounded closures (查否复审复核) here, rectification
//! in `rectifications`; the same `app` calls as the pages.

pub(super) mod accountability;
pub(super) mod clearings;
pub(super) mod library;
pub(super) mod rectifications;

use app::oversight::{DrawDone, ReviewDetail, ReviewQueue};
use axum::{
    Json,
    extract::{Query, State, rejection::QueryRejection},
    http::StatusCode,
};
use domain::oversight::{
    review::DrawInput,
    reviewing::{ChecksInput, MethodInput, ResultInput, ReviewState},
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::{
    AppState,
    error::{ApiError, ErrorBody, Problem},
    extract::{ApiJson, ApiPath},
    session::ApiUser,
};

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QueueQuery {
    /// queued | in_review | upheld | returned; all when absent.
    #[serde(default)]
    state: Option<String>,
    /// From 1 (30 a page).
    #[serde(default)]
    page: Option<u32>,
}

/// The review queue as the caller may see it (a unit its own leads', the committee its
/// subtree's), newest first, with the figures per unit and the latest draws.
#[utoipa::path(get, path = "/api/v1/reviews", tag = "oversight", operation_id = "reviewQueue",
    security(("bearer" = [])), params(QueueQuery),
    responses(
        (status = 200, description = "A page of reviews, figures per unit, the latest draws", body = ReviewQueue),
        (status = 400, description = "A query parameter is malformed", body = ErrorBody),
        (status = 403, description = "The caller reads no ledger", body = ErrorBody),
        (status = 422, description = "No such state", body = ErrorBody),
    ))]
pub async fn api_reviews(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    q: Result<Query<QueueQuery>, QueryRejection>,
) -> Result<Json<ReviewQueue>, ApiError> {
    let Query(q) = q.map_err(|e| ApiError(Problem::malformed(&e.body_text())))?;
    let filter = match q.state.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => Some(ReviewState::parse("state", s).map_err(app::AppError::field)?),
        None => None,
    };
    Ok(Json(state.app.oversight().review_queue(&actor, filter, q.page.unwrap_or(1)).await?))
}

/// Fills the queue from the unreviewed 查否 closures in the caller's supervision, by rule; the
/// seed is recorded (a blank one is drawn fresh). Audited.
#[utoipa::path(post, path = "/api/v1/reviews/draw", tag = "oversight", operation_id = "drawReviews",
    security(("bearer" = [])), request_body = DrawInput,
    responses(
        (status = 201, description = "Drawn: how many looked at and queued, and the seed", body = DrawDone),
        (status = 400, description = "The body is not JSON of this shape", body = ErrorBody),
        (status = 403, description = "The caller does not supervise", body = ErrorBody),
        (status = 422, description = "No rule chosen, or a share or seed out of range", body = ErrorBody),
    ))]
pub async fn api_reviews_draw(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiJson(input): ApiJson<DrawInput>,
) -> Result<(StatusCode, Json<DrawDone>), ApiError> {
    Ok((StatusCode::CREATED, Json(state.app.oversight().draw_reviews(&actor, &input).await?)))
}

/// One review whole: reviewers, methods, checks, result, the closer's endorsement, and what the
/// caller may do on it.
#[utoipa::path(get, path = "/api/v1/reviews/{id}", tag = "oversight", operation_id = "review",
    security(("bearer" = [])), params(("id" = i64, Path, description = "The review's id")),
    responses(
        (status = 200, description = "The review", body = ReviewDetail),
        (status = 403, description = "The caller reads no ledger", body = ErrorBody),
        (status = 404, description = "No such review of a lead in the caller's scope", body = ErrorBody),
    ))]
pub async fn api_review(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ReviewDetail>, ApiError> {
    Ok(Json(state.app.oversight().review(&actor, id).await?))
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct Reviewers {
    /// Account ids: supervisors over the lead, of neither the handling unit nor named in it.
    users: Vec<i64>,
}

/// Assigns reviewers (added to those already assigned). Audited.
#[utoipa::path(post, path = "/api/v1/reviews/{id}/reviewers", tag = "oversight", operation_id = "assignReviewers",
    security(("bearer" = [])), params(("id" = i64, Path, description = "The review's id")), request_body = Reviewers,
    responses(
        (status = 204, description = "Assigned"),
        (status = 400, description = "The body is not JSON of this shape", body = ErrorBody),
        (status = 403, description = "The caller does not supervise", body = ErrorBody),
        (status = 404, description = "No such review in the caller's supervision", body = ErrorBody),
        (status = 422, description = "A reviewer of the handling unit, named in the lead, or not a supervisor over it; or the review is decided", body = ErrorBody),
    ))]
pub async fn api_review_assign(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<Reviewers>,
) -> Result<StatusCode, ApiError> {
    state.app.oversight().assign_reviewers(&actor, id, &b.users).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// An assigned reviewer records a method used. Audited.
#[utoipa::path(post, path = "/api/v1/reviews/{id}/methods", tag = "oversight", operation_id = "recordReviewMethod",
    security(("bearer" = [])), params(("id" = i64, Path, description = "The review's id")), request_body = MethodInput,
    responses(
        (status = 204, description = "Recorded"),
        (status = 400, description = "The body is not JSON of this shape", body = ErrorBody),
        (status = 403, description = "The caller does not supervise", body = ErrorBody),
        (status = 404, description = "No such review in the caller's supervision", body = ErrorBody),
        (status = 422, description = "Fields missing or wrong, not an assigned reviewer, or decided", body = ErrorBody),
    ))]
pub async fn api_review_method(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(m): ApiJson<MethodInput>,
) -> Result<StatusCode, ApiError> {
    state.app.oversight().record_method(&actor, id, &m).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// An assigned reviewer answers the three checks, each with reasons (replacing earlier answers). Audited.
#[utoipa::path(put, path = "/api/v1/reviews/{id}/checks", tag = "oversight", operation_id = "recordReviewChecks",
    security(("bearer" = [])), params(("id" = i64, Path, description = "The review's id")), request_body = ChecksInput,
    responses(
        (status = 204, description = "Saved"),
        (status = 400, description = "The body is not JSON of this shape", body = ErrorBody),
        (status = 403, description = "The caller does not supervise", body = ErrorBody),
        (status = 404, description = "No such review in the caller's supervision", body = ErrorBody),
        (status = 422, description = "A check unanswered or without reasons, not an assigned reviewer, or decided", body = ErrorBody),
    ))]
pub async fn api_review_checks(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(c): ApiJson<ChecksInput>,
) -> Result<StatusCode, ApiError> {
    state.app.oversight().record_checks(&actor, id, &c).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Decided {
    state: ReviewState,
}

/// An assigned reviewer gives the result: upheld, or returned — the lead reopens at its unit
/// with the resubmission deadline. Audited.
#[utoipa::path(post, path = "/api/v1/reviews/{id}/result", tag = "oversight", operation_id = "decideReview",
    security(("bearer" = [])), params(("id" = i64, Path, description = "The review's id")), request_body = ResultInput,
    responses(
        (status = 200, description = "The review's state now", body = Decided),
        (status = 400, description = "The body is not JSON of this shape", body = ErrorBody),
        (status = 403, description = "The caller does not supervise", body = ErrorBody),
        (status = 404, description = "No such review in the caller's supervision", body = ErrorBody),
        (status = 422, description = "No reviewers, methods or checks yet; decided already; or the lead moved on", body = ErrorBody),
    ))]
pub async fn api_review_decide(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(r): ApiJson<ResultInput>,
) -> Result<Json<Decided>, ApiError> {
    Ok(Json(Decided { state: state.app.oversight().decide_review(&actor, id, &r).await? }))
}
