//! Clearing (澄清正名) and false accusation (诬告陷害) over the API.

use app::oversight::{ClearingDetail, ClearingList};
use axum::{
    Json,
    extract::{Query, State, rejection::QueryRejection},
    http::StatusCode,
    response::Response,
};
use domain::oversight::clearing::{CarryOutInput, ClearingInput};
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
pub struct PageQuery {
    /// From 1 (30 a page).
    #[serde(default)]
    page: Option<u32>,
}

/// Clearings of the leads the caller reads, newest first.
#[utoipa::path(get, path = "/api/v1/clearings", tag = "oversight", operation_id = "clearings",
    security(("bearer" = [])), params(PageQuery),
    responses(
        (status = 200, description = "A page of clearings", body = ClearingList),
        (status = 400, description = "A query parameter is malformed", body = ErrorBody),
        (status = 403, description = "The caller reads no ledger", body = ErrorBody),
    ))]
pub async fn api_clearings(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    q: Result<Query<PageQuery>, QueryRejection>,
) -> Result<Json<ClearingList>, ApiError> {
    let Query(q) = q.map_err(|e| ApiError(Problem::malformed(&e.body_text())))?;
    Ok(Json(state.app.oversight().clearings(&actor, q.page.unwrap_or(1)).await?))
}

/// The unit that verified proposes a clearing (or records the person's application). Audited.
#[utoipa::path(post, path = "/api/v1/clearings", tag = "oversight", operation_id = "proposeClearing",
    security(("bearer" = [])), request_body = ClearingInput,
    responses(
        (status = 201, description = "Proposed", body = Created),
        (status = 400, description = "The body is not JSON of this shape", body = ErrorBody),
        (status = 403, description = "The caller keeps no ledger", body = ErrorBody),
        (status = 422, description = "Fields wrong; the lead not concluded as unfounded or not naming the person; one in progress", body = ErrorBody),
    ))]
pub async fn api_propose_clearing(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiJson(c): ApiJson<ClearingInput>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    Ok((StatusCode::CREATED, Json(Created { id: state.app.oversight().propose_clearing(&actor, &c).await? })))
}

/// One clearing, the lead's false-accusation flag, and what the caller may do.
#[utoipa::path(get, path = "/api/v1/clearings/{id}", tag = "oversight", operation_id = "clearing",
    security(("bearer" = [])), params(("id" = i64, Path, description = "The clearing's id")),
    responses(
        (status = 200, description = "The clearing", body = ClearingDetail),
        (status = 403, description = "The caller reads no ledger", body = ErrorBody),
        (status = 404, description = "No such clearing of a lead in the caller's scope", body = ErrorBody),
    ))]
pub async fn api_clearing(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ClearingDetail>, ApiError> {
    Ok(Json(state.app.oversight().clearing(&actor, id).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct Decision {
    approve: bool,
    /// Required when refusing.
    #[serde(default)]
    note: String,
}

/// The committee head approves or refuses the clearing. Audited.
#[utoipa::path(post, path = "/api/v1/clearings/{id}/decision", tag = "oversight", operation_id = "decideClearing",
    security(("bearer" = [])), params(("id" = i64, Path, description = "The clearing's id")), request_body = Decision,
    responses(
        (status = 204, description = "Decided"),
        (status = 400, description = "The body is not JSON of this shape", body = ErrorBody),
        (status = 403, description = "The caller is no committee head", body = ErrorBody),
        (status = 404, description = "No such clearing in the caller's scope", body = ErrorBody),
        (status = 422, description = "Decided already, or refused without reasons", body = ErrorBody),
    ))]
pub async fn api_decide_clearing(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(d): ApiJson<Decision>,
) -> Result<StatusCode, ApiError> {
    state.app.oversight().decide_clearing(&actor, id, d.approve, &d.note).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The unit that verified carries the clearing out, with the written clearing. Audited.
#[utoipa::path(post, path = "/api/v1/clearings/{id}/done", tag = "oversight", operation_id = "carryOutClearing",
    security(("bearer" = [])), params(("id" = i64, Path, description = "The clearing's id")), request_body = CarryOutInput,
    responses(
        (status = 204, description = "Recorded"),
        (status = 400, description = "The body is not JSON of this shape", body = ErrorBody),
        (status = 403, description = "The caller keeps no ledger", body = ErrorBody),
        (status = 404, description = "No such clearing in the caller's units", body = ErrorBody),
        (status = 422, description = "Not approved, not the unit that verified, or no written clearing", body = ErrorBody),
    ))]
pub async fn api_carry_out_clearing(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(c): ApiJson<CarryOutInput>,
) -> Result<StatusCode, ApiError> {
    state.app.oversight().carry_out_clearing(&actor, id, &c).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The written clearing as a Word file, once carried out.
#[utoipa::path(get, path = "/api/v1/clearings/{id}/letter.docx", tag = "oversight", operation_id = "clearingDocx",
    security(("bearer" = [])), params(("id" = i64, Path, description = "The clearing's id")),
    responses(
        (status = 200, description = "The written clearing", content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (status = 403, description = "The caller reads no ledger", body = ErrorBody),
        (status = 404, description = "No such clearing in the caller's scope", body = ErrorBody),
        (status = 422, description = "Not carried out yet", body = ErrorBody),
    ))]
pub async fn api_clearing_docx(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Response, ApiError> {
    let d = state.app.oversight().clearing(&actor, id).await?;
    Ok(crate::pages::oversight::clearings::clearing_docx(&d)?)
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct Flag {
    /// The number of the lead opened on the accuser.
    accuser_lead: String,
    #[schema(min_length = 1, max_length = 2000)]
    note: String,
}

/// The committee flags the clearing's lead as a false accusation, linked to the accuser's lead. Audited.
#[utoipa::path(post, path = "/api/v1/clearings/{id}/false-accusation", tag = "oversight", operation_id = "flagFalseAccusation",
    security(("bearer" = [])), params(("id" = i64, Path, description = "The clearing's id")), request_body = Flag,
    responses(
        (status = 204, description = "Flagged"),
        (status = 400, description = "The body is not JSON of this shape", body = ErrorBody),
        (status = 403, description = "The caller does not supervise", body = ErrorBody),
        (status = 404, description = "No such clearing under the caller's supervision", body = ErrorBody),
        (status = 422, description = "No such accuser's lead, or no note", body = ErrorBody),
    ))]
pub async fn api_flag_false_accusation(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(f): ApiJson<Flag>,
) -> Result<StatusCode, ApiError> {
    state.app.oversight().flag_false_accusation(&actor, id, &f.accuser_lead, &f.note).await?;
    Ok(StatusCode::NO_CONTENT)
}
