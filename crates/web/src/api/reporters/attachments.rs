//! Attachments over the API: listed, uploaded as the request's body (streamed, never held
//! whole), downloaded as a file.

use app::{AttachPlace, AttachmentView};
use axum::{
    Json,
    body::Body,
    extract::{Query, State, rejection::QueryRejection},
    http::StatusCode,
    response::Response,
};
use domain::LeadId;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::{
    AppState,
    error::{ApiError, ErrorBody, Problem},
    extract::ApiPath,
    session::ApiUser,
};

/// The lead's attachments.
#[utoipa::path(get, path = "/api/v1/leads/{id}/attachments", tag = "reporters", operation_id = "attachments",
    security(("bearer" = [])), params(("id" = i64, Path, description = "The lead's id")),
    responses(
        (status = 200, description = "Its attachments, oldest first", body = [AttachmentView]),
        (status = 403, description = "The caller reads no ledger", body = ErrorBody),
        (status = 404, description = "No such lead in the caller's scope", body = ErrorBody),
    ))]
pub async fn api_attachments(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<AttachmentView>>, ApiError> {
    Ok(Json(state.app.reporters().attachments(&actor, LeadId::from_raw(id)).await?))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UploadQuery {
    /// The file's name (its extension must agree with its content).
    #[serde(default)]
    name: String,
    /// The lead's step (timeline entry) to put it on; the lead itself when absent.
    step: Option<i64>,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NameQuery {
    /// The file's name (its extension must agree with its content).
    #[serde(default)]
    name: String,
}

/// Uploads a file (the body, up to 50 MB; PDF, JPEG, PNG, OFD, docx, xlsx, doc, xls or UTF-8
/// text, checked by content). Audited.
#[utoipa::path(post, path = "/api/v1/leads/{id}/attachments", tag = "reporters", operation_id = "uploadAttachment",
    security(("bearer" = [])), params(("id" = i64, Path, description = "The lead's id"), UploadQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses(
        (status = 201, description = "Kept", body = AttachmentView),
        (status = 400, description = "A query parameter is malformed", body = ErrorBody),
        (status = 403, description = "The caller keeps no ledger", body = ErrorBody),
        (status = 404, description = "No such lead in the caller's custody", body = ErrorBody),
        (status = 422, description = "No name, a type not kept, content not its name's type, empty or too large; a step not the lead's", body = ErrorBody),
    ))]
pub async fn api_upload_attachment(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<i64>,
    q: Result<Query<UploadQuery>, QueryRejection>,
    body: Body,
) -> Result<(StatusCode, Json<AttachmentView>), ApiError> {
    let Query(q) = q.map_err(|e| ApiError(Problem::malformed(&e.body_text())))?;
    let lead = LeadId::from_raw(id);
    let place = q.step.map_or(AttachPlace::Lead(lead), |s| AttachPlace::Step(lead, s));
    upload(&state, &actor, place, &q.name, body).await
}

async fn upload(
    state: &AppState,
    actor: &app::Actor,
    place: AttachPlace,
    name: &str,
    body: Body,
) -> Result<(StatusCode, Json<AttachmentView>), ApiError> {
    state.app.reporters().may_attach(actor, place).await?;
    let view = crate::upload::stream_body(state, actor, place, name, body).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// Uploads a file to a review (an assigned reviewer, while it is open; the body, as for a
/// lead's files). Downloaded through its lead. Audited.
#[utoipa::path(post, path = "/api/v1/reviews/{id}/attachments", tag = "reporters", operation_id = "uploadReviewAttachment",
    security(("bearer" = [])), params(("id" = i64, Path, description = "The review's id"), NameQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses(
        (status = 201, description = "Kept", body = AttachmentView),
        (status = 403, description = "The caller supervises no unit", body = ErrorBody),
        (status = 404, description = "No such review in the caller's supervision", body = ErrorBody),
        (status = 422, description = "Not an assigned reviewer, the review decided, or the file refused", body = ErrorBody),
    ))]
pub async fn api_upload_review_attachment(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<i64>,
    q: Result<Query<NameQuery>, QueryRejection>,
    body: Body,
) -> Result<(StatusCode, Json<AttachmentView>), ApiError> {
    let Query(q) = q.map_err(|e| ApiError(Problem::malformed(&e.body_text())))?;
    upload(&state, &actor, AttachPlace::Review(id), &q.name, body).await
}

/// Uploads a file to a rectification (the unit's keepers until it replies; the committee until
/// the re-check). Downloaded through its lead. Audited.
#[utoipa::path(post, path = "/api/v1/rectifications/{id}/attachments", tag = "reporters", operation_id = "uploadRectificationAttachment",
    security(("bearer" = [])), params(("id" = i64, Path, description = "The rectification's id"), NameQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses(
        (status = 201, description = "Kept", body = AttachmentView),
        (status = 404, description = "No such rectification in the caller's custody or supervision", body = ErrorBody),
        (status = 422, description = "The rectification takes no more files from the caller, or the file refused", body = ErrorBody),
    ))]
pub async fn api_upload_rectification_attachment(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<i64>,
    q: Result<Query<NameQuery>, QueryRejection>,
    body: Body,
) -> Result<(StatusCode, Json<AttachmentView>), ApiError> {
    let Query(q) = q.map_err(|e| ApiError(Problem::malformed(&e.body_text())))?;
    upload(&state, &actor, AttachPlace::Rectification(id), &q.name, body).await
}

/// Downloads a file (audited).
#[utoipa::path(get, path = "/api/v1/leads/{id}/attachments/{attachment}", tag = "reporters", operation_id = "downloadAttachment",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The lead's id"), ("attachment" = i64, Path, description = "The attachment's id")),
    responses(
        (status = 200, description = "The file, as an attachment", content_type = "application/octet-stream"),
        (status = 403, description = "The caller reads no ledger", body = ErrorBody),
        (status = 404, description = "No such attachment of a lead in the caller's scope", body = ErrorBody),
    ))]
pub async fn api_download_attachment(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath((id, attachment)): ApiPath<(i64, i64)>,
) -> Result<Response, ApiError> {
    let d = state.app.reporters().attachment_open(&actor, LeadId::from_raw(id), attachment, false).await?;
    Ok(crate::pages::reporters::attachments::file_response(d, false))
}
