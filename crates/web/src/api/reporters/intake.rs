//! The committee's intake of portal reports over the API.

use app::{IntakeDetail, IntakeList, IntakeRegisterInput};
use axum::{
    Json,
    extract::{Query, State, rejection::QueryRejection},
    http::StatusCode,
};
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
pub struct IntakeQuery {
    /// true: the reports dealt with; otherwise those awaiting a decision.
    #[serde(default)]
    decided: Option<bool>,
    /// From 1 (30 a page).
    #[serde(default)]
    page: Option<u32>,
}

/// Portal reports within the caller's reach: unrouted ones for the committee, routed ones for
/// their unit's keepers.
#[utoipa::path(get, path = "/api/v1/portal-reports", tag = "reporters", operation_id = "portalReports",
    security(("bearer" = [])), params(IntakeQuery),
    responses(
        (status = 200, description = "A page of reports", body = IntakeList),
        (status = 400, description = "A query parameter is malformed", body = ErrorBody),
        (status = 403, description = "The caller keeps no ledger", body = ErrorBody),
    ))]
pub async fn api_intake(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    q: Result<Query<IntakeQuery>, QueryRejection>,
) -> Result<Json<IntakeList>, ApiError> {
    let Query(q) = q.map_err(|e| ApiError(Problem::malformed(&e.body_text())))?;
    let open = !q.decided.unwrap_or(false);
    Ok(Json(state.app.reporters().intake(&actor, open, q.page.unwrap_or(1)).await?))
}

/// One report (its text, never its reporter's identity), messages and possible repeats.
#[utoipa::path(get, path = "/api/v1/portal-reports/{id}", tag = "reporters", operation_id = "portalReport",
    security(("bearer" = [])), params(("id" = i64, Path, description = "The report's id")),
    responses(
        (status = 200, description = "The report", body = IntakeDetail),
        (status = 403, description = "The caller keeps no ledger", body = ErrorBody),
        (status = 404, description = "No such report within the caller's reach", body = ErrorBody),
    ))]
pub async fn api_intake_report(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<IntakeDetail>, ApiError> {
    Ok(Json(state.app.reporters().intake_report(&actor, id).await?))
}

/// Registers the report as a lead (its sealed identity moving into the lead's). Audited.
#[utoipa::path(post, path = "/api/v1/portal-reports/{id}/register", tag = "reporters", operation_id = "registerPortalReport",
    security(("bearer" = [])), params(("id" = i64, Path, description = "The report's id")), request_body = IntakeRegisterInput,
    responses(
        (status = 201, description = "Registered: the lead's id", body = Created),
        (status = 400, description = "The body is not JSON of this shape", body = ErrorBody),
        (status = 403, description = "The caller keeps no ledger", body = ErrorBody),
        (status = 404, description = "No such report within the caller's reach", body = ErrorBody),
        (status = 422, description = "The lead's fields are refused, or the report was dealt with", body = ErrorBody),
    ))]
pub async fn api_intake_register(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<IntakeRegisterInput>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let lead = state.app.reporters().intake_register(&actor, id, &b).await?;
    Ok((StatusCode::CREATED, Json(Created { id: lead.get() })))
}

#[derive(Deserialize, ToSchema)]
pub struct RouteBody {
    /// The unit whose keepers decide on it.
    unit_id: String,
}

/// The committee routes an unrouted report to a unit. Audited.
#[utoipa::path(post, path = "/api/v1/portal-reports/{id}/route", tag = "reporters", operation_id = "routePortalReport",
    security(("bearer" = [])), params(("id" = i64, Path, description = "The report's id")), request_body = RouteBody,
    responses(
        (status = 204, description = "Routed"),
        (status = 400, description = "The body is not JSON of this shape", body = ErrorBody),
        (status = 403, description = "The caller is not of the committee", body = ErrorBody),
        (status = 404, description = "No such report within the caller's reach", body = ErrorBody),
        (status = 422, description = "The unit is outside the caller's jurisdiction, or the report was routed or dealt with", body = ErrorBody),
    ))]
pub async fn api_intake_route(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<RouteBody>,
) -> Result<StatusCode, ApiError> {
    state.app.reporters().intake_route(&actor, id, &b.unit_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
pub struct NotAccepted {
    /// Why, in words the reporter reads.
    reason: String,
}

/// Not accepted, with the reason the reporter reads. Audited.
#[utoipa::path(post, path = "/api/v1/portal-reports/{id}/not-accepted", tag = "reporters", operation_id = "refusePortalReport",
    security(("bearer" = [])), params(("id" = i64, Path, description = "The report's id")), request_body = NotAccepted,
    responses(
        (status = 204, description = "Not accepted"),
        (status = 400, description = "The body is not JSON of this shape", body = ErrorBody),
        (status = 403, description = "The caller keeps no ledger", body = ErrorBody),
        (status = 404, description = "No such report within the caller's reach", body = ErrorBody),
        (status = 422, description = "No reason, or the report was dealt with", body = ErrorBody),
    ))]
pub async fn api_intake_reject(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<NotAccepted>,
) -> Result<StatusCode, ApiError> {
    state.app.reporters().intake_reject(&actor, id, &b.reason).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
pub struct Message {
    text: String,
}

/// A message to the reporter (sealed; they read it with their receipt code). Audited.
#[utoipa::path(post, path = "/api/v1/portal-reports/{id}/messages", tag = "reporters", operation_id = "messagePortalReporter",
    security(("bearer" = [])), params(("id" = i64, Path, description = "The report's id")), request_body = Message,
    responses(
        (status = 204, description = "Sent"),
        (status = 400, description = "The body is not JSON of this shape", body = ErrorBody),
        (status = 403, description = "The caller keeps no ledger", body = ErrorBody),
        (status = 404, description = "No such report within the caller's reach", body = ErrorBody),
        (status = 422, description = "No text", body = ErrorBody),
    ))]
pub async fn api_intake_ask(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<Message>,
) -> Result<StatusCode, ApiError> {
    state.app.reporters().intake_ask(&actor, id, &b.text).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A file the reporter sent with the report (audited); once a lead, its files are the lead's.
#[utoipa::path(get, path = "/api/v1/portal-reports/{id}/files/{file}", tag = "reporters", operation_id = "portalReportFile",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The report's id"), ("file" = i64, Path, description = "The file's id")),
    responses(
        (status = 200, description = "The file, as an attachment", content_type = "application/octet-stream"),
        (status = 403, description = "The caller keeps no ledger", body = ErrorBody),
        (status = 404, description = "No such file of a report within the caller's reach", body = ErrorBody),
    ))]
pub async fn api_intake_file(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath((id, file)): ApiPath<(i64, i64)>,
) -> Result<axum::response::Response, ApiError> {
    let d = state.app.reporters().intake_file_open(&actor, id, file).await?;
    Ok(crate::pages::reporters::attachments::file_response(d, false))
}
