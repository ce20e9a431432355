//! Feedback to reporters, their objections and the satisfaction rate over the API.

use app::{LeadFeedback, SatisfactionFigures};
use axum::{
    Json,
    extract::{Query, State, rejection::QueryRejection},
    http::StatusCode,
};
use domain::{
    LeadId,
    reporters::{
        feedback::FeedbackInput,
        objection::{AnswerInput, ObjectionInput, ObjectionState},
    },
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::lifecycle::Created;
use crate::{
    AppState,
    error::{ApiError, ErrorBody, Problem},
    extract::{ApiJson, ApiPath},
    session::ApiUser,
};

/// The lead's feedback and objections, and what the caller may record now.
#[utoipa::path(get, path = "/api/v1/leads/{id}/feedback", tag = "reporters", operation_id = "leadFeedback",
    security(("bearer" = [])), params(("id" = i64, Path, description = "The lead's id")),
    responses(
        (status = 200, description = "Feedback and objections", body = LeadFeedback),
        (status = 403, description = "The caller reads no ledger", body = ErrorBody),
        (status = 404, description = "No such lead in the caller's scope", body = ErrorBody),
    ))]
pub async fn api_feedback(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<LeadFeedback>, ApiError> {
    Ok(Json(state.app.reporters().feedback(&actor, LeadId::from_raw(id)).await?))
}

/// Records feedback given to the reporter (acceptance, result, or the satisfaction follow-up),
/// and with it the lead's follow-through and clocks. Audited.
#[utoipa::path(post, path = "/api/v1/leads/{id}/feedback", tag = "reporters", operation_id = "recordFeedback",
    security(("bearer" = [])), params(("id" = i64, Path, description = "The lead's id")), request_body = FeedbackInput,
    responses(
        (status = 201, description = "Recorded", body = Created),
        (status = 400, description = "The body is not JSON of this shape", body = ErrorBody),
        (status = 403, description = "The caller keeps no ledger", body = ErrorBody),
        (status = 404, description = "No such lead in the caller's custody", body = ErrorBody),
        (status = 422, description = "Fields wrong, or not owed now (a repeat report, not closed, no result told, an anonymous reporter off the portal)", body = ErrorBody),
    ))]
pub async fn api_record_feedback(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(f): ApiJson<FeedbackInput>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let id = state.app.reporters().record_feedback(&actor, LeadId::from_raw(id), &f).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// Records the reporter's objection to the result. Audited.
#[utoipa::path(post, path = "/api/v1/leads/{id}/objections", tag = "reporters", operation_id = "recordObjection",
    security(("bearer" = [])), params(("id" = i64, Path, description = "The lead's id")), request_body = ObjectionInput,
    responses(
        (status = 201, description = "Recorded", body = Created),
        (status = 400, description = "The body is not JSON of this shape", body = ErrorBody),
        (status = 403, description = "The caller keeps no ledger", body = ErrorBody),
        (status = 404, description = "No such lead in the caller's custody", body = ErrorBody),
        (status = 422, description = "Fields wrong, or the lead is not closed", body = ErrorBody),
    ))]
pub async fn api_record_objection(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(o): ApiJson<ObjectionInput>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let id = state.app.reporters().record_objection(&actor, LeadId::from_raw(id), &o).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

#[derive(Serialize, ToSchema)]
pub struct ObjectionAnswered {
    /// upheld, or reopened (a 重新启动 step proposed, awaiting approval).
    state: ObjectionState,
}

/// Answers an objection; `reopened` proposes the lead's 重新启动 step. Audited.
#[utoipa::path(post, path = "/api/v1/leads/{id}/objections/{objection}/answer", tag = "reporters",
    operation_id = "answerObjection", security(("bearer" = [])),
    params(("id" = i64, Path, description = "The lead's id"), ("objection" = i64, Path, description = "The objection's id")),
    request_body = AnswerInput,
    responses(
        (status = 200, description = "ObjectionAnswered", body = ObjectionAnswered),
        (status = 400, description = "The body is not JSON of this shape", body = ErrorBody),
        (status = 403, description = "The caller keeps no ledger", body = ErrorBody),
        (status = 404, description = "No such objection on a lead in the caller's custody", body = ErrorBody),
        (status = 422, description = "Fields wrong, new material unchecked, answered already, or the lead cannot reopen now", body = ErrorBody),
    ))]
pub async fn api_answer_objection(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath((id, objection)): ApiPath<(i64, i64)>,
    ApiJson(a): ApiJson<AnswerInput>,
) -> Result<Json<ObjectionAnswered>, ApiError> {
    let state = state.app.reporters().answer_objection(&actor, LeadId::from_raw(id), objection, &a).await?;
    Ok(Json(ObjectionAnswered { state }))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PeriodQuery {
    /// YYYY-MM-DD; 1 January of this year when absent.
    #[serde(default)]
    from: String,
    /// YYYY-MM-DD; today when absent.
    #[serde(default)]
    to: String,
}

/// The satisfaction rate per handling unit over a period (满意 + 基本满意 over those followed up).
#[utoipa::path(get, path = "/api/v1/satisfaction", tag = "reporters", operation_id = "satisfaction",
    security(("bearer" = [])), params(PeriodQuery),
    responses(
        (status = 200, description = "The rate per unit and in total", body = SatisfactionFigures),
        (status = 400, description = "A query parameter is malformed", body = ErrorBody),
        (status = 403, description = "The caller reads no ledger", body = ErrorBody),
        (status = 422, description = "A date is not valid, or the end is before the start", body = ErrorBody),
    ))]
pub async fn api_satisfaction(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    q: Result<Query<PeriodQuery>, QueryRejection>,
) -> Result<Json<SatisfactionFigures>, ApiError> {
    let Query(q) = q.map_err(|e| ApiError(Problem::malformed(&e.body_text())))?;
    Ok(Json(state.app.reporters().satisfaction(&actor, &q.from, &q.to).await?))
}
