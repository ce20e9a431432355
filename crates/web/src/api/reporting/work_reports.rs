//! Work reports (工作情况报告) over the API: the same use cases as the pages.

use app::{WorkReportBook, WorkReportVerification, WorkReportView};
use axum::{
    Json,
    extract::{Query, State, rejection::QueryRejection},
    http::StatusCode,
    response::Response,
};
use domain::{CampaignId, UnitId, reporting::work_report::ReportInput};
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
pub struct BookQuery {
    /// The campaign; the latest open one when absent.
    campaign: Option<i64>,
}

/// Where each unit's report stands for a campaign: the committee sees the units below it, a
/// unit its own; who submitted, when, and who is late.
#[utoipa::path(get, path = "/api/v1/work-reports", tag = "reporting", operation_id = "workReports",
    security(("bearer" = [])), params(BookQuery),
    responses(
        (status = 200, description = "One line per unit", body = WorkReportBook),
        (status = 400, description = "A query parameter is malformed", body = ErrorBody),
        (status = 403, description = "The caller reads no ledger", body = ErrorBody),
        (status = 404, description = "No such campaign (or none yet)", body = ErrorBody),
    ))]
pub async fn api_work_reports(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    q: Result<Query<BookQuery>, QueryRejection>,
) -> Result<Json<WorkReportBook>, ApiError> {
    let Query(q) = q.map_err(|e| ApiError(Problem::malformed(&e.body_text())))?;
    Ok(Json(state.app.reporting().work_reports(&actor, q.campaign.map(CampaignId::from_raw)).await?))
}

/// A unit's report for the current campaign: figures (as signed, or live while unsigned), the
/// seven sections, the signature and whether the document still yields it, and what the caller
/// may do.
#[utoipa::path(get, path = "/api/v1/work-reports/{id}", tag = "reporting", operation_id = "workReport",
    security(("bearer" = [])), params(("id" = i64, Path, description = "The unit's id")),
    responses(
        (status = 200, description = "The report (blank when not started)", body = WorkReportView),
        (status = 404, description = "No such unit the caller reaches, or no campaign", body = ErrorBody),
    ))]
pub async fn api_work_report(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(unit): ApiPath<i64>,
) -> Result<Json<WorkReportView>, ApiError> {
    Ok(Json(state.app.reporting().work_report(&actor, UnitId::from_raw(unit)).await?))
}

/// The unit's keepers write the sections; an edit after signing voids the signature. Audited.
#[utoipa::path(put, path = "/api/v1/work-reports/{id}", tag = "reporting", operation_id = "saveWorkReport",
    security(("bearer" = [])), params(("id" = i64, Path, description = "The unit's id")), request_body = ReportInput,
    responses(
        (status = 204, description = "Saved"),
        (status = 400, description = "The body is not JSON of this shape", body = ErrorBody),
        (status = 403, description = "The caller keeps no ledger of the unit", body = ErrorBody),
        (status = 404, description = "No such unit the caller reaches", body = ErrorBody),
        (status = 422, description = "A section too long or unknown, or the report already submitted", body = ErrorBody),
    ))]
pub async fn api_save_work_report(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(unit): ApiPath<i64>,
    ApiJson(input): ApiJson<ReportInput>,
) -> Result<StatusCode, ApiError> {
    state.app.reporting().save_work_report(&actor, UnitId::from_raw(unit), &input).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WorkReportSigned {
    /// The verification code the printed copy carries.
    pub code: String,
}

/// The unit's head signs the exact document (SM3 over its words and figures, the signer and
/// the time). Audited.
#[utoipa::path(post, path = "/api/v1/work-reports/{id}/sign", tag = "reporting", operation_id = "signWorkReport",
    security(("bearer" = [])), params(("id" = i64, Path, description = "The unit's id")),
    responses(
        (status = 200, description = "Signed", body = WorkReportSigned),
        (status = 403, description = "The caller is not the unit's head", body = ErrorBody),
        (status = 404, description = "No such unit the caller reaches", body = ErrorBody),
        (status = 422, description = "Nothing written yet, a section empty, already signed or submitted", body = ErrorBody),
    ))]
pub async fn api_sign_work_report(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(unit): ApiPath<i64>,
) -> Result<Json<WorkReportSigned>, ApiError> {
    Ok(Json(WorkReportSigned { code: state.app.reporting().sign_work_report(&actor, UnitId::from_raw(unit)).await? }))
}

/// The signed report goes to the committee; late after the campaign's report date. Audited.
#[utoipa::path(post, path = "/api/v1/work-reports/{id}/submit", tag = "reporting", operation_id = "submitWorkReport",
    security(("bearer" = [])), params(("id" = i64, Path, description = "The unit's id")),
    responses(
        (status = 204, description = "Submitted"),
        (status = 403, description = "The caller neither keeps the unit's ledger nor heads it", body = ErrorBody),
        (status = 404, description = "No such unit the caller reaches", body = ErrorBody),
        (status = 422, description = "Not signed, or already submitted", body = ErrorBody),
    ))]
pub async fn api_submit_work_report(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(unit): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    state.app.reporting().submit_work_report(&actor, UnitId::from_raw(unit)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The report as a Word file, the verification code under the signature.
#[utoipa::path(get, path = "/api/v1/work-reports/{id}/document.docx", tag = "reporting", operation_id = "workReportDocx",
    security(("bearer" = [])), params(("id" = i64, Path, description = "The unit's id")),
    responses(
        (status = 200, description = "The document", content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (status = 404, description = "No such unit the caller reaches", body = ErrorBody),
    ))]
pub async fn api_work_report_docx(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(unit): ApiPath<i64>,
) -> Result<Response, ApiError> {
    let r = state.app.reporting().work_report(&actor, UnitId::from_raw(unit)).await?;
    Ok(crate::pages::reporting::work_reports::docx(&r)?)
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VerifyQuery {
    /// The code as printed (case, spaces and the hyphen do not matter).
    #[serde(default)]
    code: String,
}

/// The committee checks a printed copy's code: the signed report it names within the caller's
/// scope (none when the code names nothing, or a signature since voided), and whether the
/// stored document still yields the signature. Audited.
#[utoipa::path(get, path = "/api/v1/work-reports/verify", tag = "reporting", operation_id = "verifyWorkReport",
    security(("bearer" = [])), params(VerifyQuery),
    responses(
        (status = 200, description = "The outcome; `report` is null when the code names no signed report", body = WorkReportVerification),
        (status = 400, description = "A query parameter is malformed", body = ErrorBody),
        (status = 403, description = "The caller is not of a committee", body = ErrorBody),
        (status = 422, description = "Not a code of this shape", body = ErrorBody),
    ))]
pub async fn api_verify_work_report(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    q: Result<Query<VerifyQuery>, QueryRejection>,
) -> Result<Json<WorkReportVerification>, ApiError> {
    let Query(q) = q.map_err(|e| ApiError(Problem::malformed(&e.body_text())))?;
    Ok(Json(state.app.reporting().verify_work_report(&actor, &q.code).await?))
}
