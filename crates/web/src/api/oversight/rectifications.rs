//! Rectification (以案促改) and institutions over the API: the same `app` calls as the pages.

use app::oversight::{InstitutionView, RectificationDetail, RectificationList};
use axum::{
    Json,
    extract::{Query, State, rejection::QueryRejection},
    http::StatusCode,
    response::Response,
};
use domain::oversight::rectification::{AnalysisInput, InstitutionInput, LetterInput, MeasureInput};
use serde::{Deserialize, Serialize};
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

/// Rectifications of the leads the caller reads, newest first.
#[utoipa::path(get, path = "/api/v1/rectifications", tag = "oversight", operation_id = "rectifications",
    security(("bearer" = [])), params(PageQuery),
    responses(
        (status = 200, description = "A page of rectifications", body = RectificationList),
        (status = 400, description = "A query parameter is malformed", body = ErrorBody),
        (status = 403, description = "The caller reads no ledger", body = ErrorBody),
    ))]
pub async fn api_rectifications(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    q: Result<Query<PageQuery>, QueryRejection>,
) -> Result<Json<RectificationList>, ApiError> {
    let Query(q) = q.map_err(|e| ApiError(Problem::malformed(&e.body_text())))?;
    Ok(Json(state.app.oversight().rectifications(&actor, q.page.unwrap_or(1)).await?))
}

/// The committee issues a recommendation letter on a concluded case (one per case), numbered
/// by kind and year, with a reply deadline (one month unless given). Audited.
#[utoipa::path(post, path = "/api/v1/rectifications", tag = "oversight", operation_id = "issueLetter",
    security(("bearer" = [])), request_body = LetterInput,
    responses(
        (status = 201, description = "Issued", body = Created),
        (status = 400, description = "The body is not JSON of this shape", body = ErrorBody),
        (status = 403, description = "The caller does not supervise", body = ErrorBody),
        (status = 422, description = "Fields wrong, the lead not concluded or not the caller's, or rectified already", body = ErrorBody),
    ))]
pub async fn api_issue_letter(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiJson(l): ApiJson<LetterInput>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    Ok((StatusCode::CREATED, Json(Created { id: state.app.oversight().issue_letter(&actor, &l).await? })))
}

/// One rectification whole, with its measures and what the caller may do.
#[utoipa::path(get, path = "/api/v1/rectifications/{id}", tag = "oversight", operation_id = "rectification",
    security(("bearer" = [])), params(("id" = i64, Path, description = "The rectification's id")),
    responses(
        (status = 200, description = "The rectification", body = RectificationDetail),
        (status = 403, description = "The caller reads no ledger", body = ErrorBody),
        (status = 404, description = "No such rectification of a lead in the caller's scope", body = ErrorBody),
    ))]
pub async fn api_rectification(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<RectificationDetail>, ApiError> {
    Ok(Json(state.app.oversight().rectification(&actor, id).await?))
}

/// The letter as a Word file (公文 layout).
#[utoipa::path(get, path = "/api/v1/rectifications/{id}/letter.docx", tag = "oversight", operation_id = "letterDocx",
    security(("bearer" = [])), params(("id" = i64, Path, description = "The rectification's id")),
    responses(
        (status = 200, description = "The letter", content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (status = 403, description = "The caller reads no ledger", body = ErrorBody),
        (status = 404, description = "No such rectification of a lead in the caller's scope", body = ErrorBody),
    ))]
pub async fn api_letter_docx(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Response, ApiError> {
    let r = state.app.oversight().letter(&actor, id).await?;
    Ok(crate::pages::oversight::rectifications::letter_docx(&r)?)
}

/// The unit records (or rewrites) its analysis: causes, risk points, loopholes. Audited.
#[utoipa::path(put, path = "/api/v1/rectifications/{id}/analysis", tag = "oversight", operation_id = "recordAnalysis",
    security(("bearer" = [])), params(("id" = i64, Path, description = "The rectification's id")), request_body = AnalysisInput,
    responses(
        (status = 204, description = "Saved"),
        (status = 400, description = "The body is not JSON of this shape", body = ErrorBody),
        (status = 403, description = "The caller keeps no ledger", body = ErrorBody),
        (status = 404, description = "No such rectification in the caller's units", body = ErrorBody),
        (status = 422, description = "A part missing, or replied already", body = ErrorBody),
    ))]
pub async fn api_analysis(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(a): ApiJson<AnalysisInput>,
) -> Result<StatusCode, ApiError> {
    state.app.oversight().record_analysis(&actor, id, &a).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The unit adds a measure (owner, due date, progress, evidence). Audited.
#[utoipa::path(post, path = "/api/v1/rectifications/{id}/measures", tag = "oversight", operation_id = "addMeasure",
    security(("bearer" = [])), params(("id" = i64, Path, description = "The rectification's id")), request_body = MeasureInput,
    responses(
        (status = 201, description = "Added", body = Created),
        (status = 400, description = "The body is not JSON of this shape", body = ErrorBody),
        (status = 403, description = "The caller keeps no ledger", body = ErrorBody),
        (status = 404, description = "No such rectification in the caller's units", body = ErrorBody),
        (status = 422, description = "Fields wrong (due before it was set; done without evidence), or replied already", body = ErrorBody),
    ))]
pub async fn api_add_measure(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(m): ApiJson<MeasureInput>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    Ok((StatusCode::CREATED, Json(Created { id: state.app.oversight().add_measure(&actor, id, &m).await? })))
}

/// The unit updates a measure's progress (until the re-check). Audited.
#[utoipa::path(put, path = "/api/v1/measures/{id}", tag = "oversight", operation_id = "updateMeasure",
    security(("bearer" = [])), params(("id" = i64, Path, description = "The measure's id")), request_body = MeasureInput,
    responses(
        (status = 204, description = "Updated"),
        (status = 400, description = "The body is not JSON of this shape", body = ErrorBody),
        (status = 403, description = "The caller keeps no ledger", body = ErrorBody),
        (status = 404, description = "No such measure in the caller's units", body = ErrorBody),
        (status = 422, description = "Fields wrong, or re-checked already", body = ErrorBody),
    ))]
pub async fn api_update_measure(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(m): ApiJson<MeasureInput>,
) -> Result<StatusCode, ApiError> {
    state.app.oversight().update_measure(&actor, id, &m).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct Reply {
    #[schema(min_length = 1, max_length = 4000)]
    reply: String,
}

/// The unit head signs and sends the reply. Audited.
#[utoipa::path(post, path = "/api/v1/rectifications/{id}/reply", tag = "oversight", operation_id = "replyRectification",
    security(("bearer" = [])), params(("id" = i64, Path, description = "The rectification's id")), request_body = Reply,
    responses(
        (status = 204, description = "Signed and sent"),
        (status = 400, description = "The body is not JSON of this shape", body = ErrorBody),
        (status = 403, description = "The caller is no unit head", body = ErrorBody),
        (status = 404, description = "No such rectification in the caller's units", body = ErrorBody),
        (status = 422, description = "No analysis or measure yet, or replied or accepted already", body = ErrorBody),
    ))]
pub async fn api_reply(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(r): ApiJson<Reply>,
) -> Result<StatusCode, ApiError> {
    state.app.oversight().reply_rectification(&actor, id, &r.reply).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct Decision {
    accept: bool,
    /// Required when returning.
    #[serde(default)]
    note: String,
}

/// The committee accepts the reply or returns it with reasons. Audited.
#[utoipa::path(post, path = "/api/v1/rectifications/{id}/decision", tag = "oversight", operation_id = "decideRectification",
    security(("bearer" = [])), params(("id" = i64, Path, description = "The rectification's id")), request_body = Decision,
    responses(
        (status = 204, description = "Decided"),
        (status = 400, description = "The body is not JSON of this shape", body = ErrorBody),
        (status = 403, description = "The caller does not supervise", body = ErrorBody),
        (status = 404, description = "No such rectification under the caller's supervision", body = ErrorBody),
        (status = 422, description = "Not awaiting a decision, or a return without reasons", body = ErrorBody),
    ))]
pub async fn api_decide(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(d): ApiJson<Decision>,
) -> Result<StatusCode, ApiError> {
    state.app.oversight().decide_rectification(&actor, id, d.accept, &d.note).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct Recheck {
    held: bool,
    #[schema(min_length = 1, max_length = 2000)]
    notes: String,
}

/// The committee's re-check (回头看) of an accepted rectification. Audited.
#[utoipa::path(post, path = "/api/v1/rectifications/{id}/recheck", tag = "oversight", operation_id = "recheckRectification",
    security(("bearer" = [])), params(("id" = i64, Path, description = "The rectification's id")), request_body = Recheck,
    responses(
        (status = 204, description = "Recorded"),
        (status = 400, description = "The body is not JSON of this shape", body = ErrorBody),
        (status = 403, description = "The caller does not supervise", body = ErrorBody),
        (status = 404, description = "No such rectification under the caller's supervision", body = ErrorBody),
        (status = 422, description = "Not accepted yet, or no findings", body = ErrorBody),
    ))]
pub async fn api_recheck(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(r): ApiJson<Recheck>,
) -> Result<StatusCode, ApiError> {
    state.app.oversight().recheck_rectification(&actor, id, r.held, &r.notes).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Institutions {
    items: Vec<InstitutionView>,
}

/// Institutions established (建章立制) in the units the caller reads.
#[utoipa::path(get, path = "/api/v1/institutions", tag = "oversight", operation_id = "institutions",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "By unit and date", body = Institutions),
        (status = 403, description = "The caller reads no ledger", body = ErrorBody),
    ))]
pub async fn api_institutions(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
) -> Result<Json<Institutions>, ApiError> {
    Ok(Json(Institutions { items: state.app.oversight().institutions(&actor).await? }))
}

/// A unit's keeper records an institution, linked to the unit's rectification if any. Audited.
#[utoipa::path(post, path = "/api/v1/institutions", tag = "oversight", operation_id = "addInstitution",
    security(("bearer" = [])), request_body = InstitutionInput,
    responses(
        (status = 201, description = "Recorded", body = Created),
        (status = 400, description = "The body is not JSON of this shape", body = ErrorBody),
        (status = 403, description = "The caller keeps no ledger", body = ErrorBody),
        (status = 422, description = "Fields wrong, another unit, or another unit's rectification", body = ErrorBody),
    ))]
pub async fn api_add_institution(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiJson(i): ApiJson<InstitutionInput>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    Ok((StatusCode::CREATED, Json(Created { id: state.app.oversight().add_institution(&actor, &i).await? })))
}
