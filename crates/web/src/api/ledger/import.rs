//! Importing a unit's own spreadsheet ledger over the API: upload (the preview comes back),
//! the user's choices, the confirmation, the error workbook; the same `app` calls as the page.

use app::{ImportConfirm, ImportDone, ImportPreview, ImportSettings, ProgressView};
use axum::{
    Json,
    body::Body,
    extract::{Query, State, rejection::QueryRejection},
    http::StatusCode,
    response::{IntoResponse, Response},
};
use domain::{ImportId, UnitId};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::extract::{ApiJson, ApiPath};
use crate::{
    AppState,
    error::{ApiError, ErrorBody, Problem},
    session::ApiUser,
};

/// Where an uploaded file goes and what it is called (its extension says its format).
#[derive(Deserialize, IntoParams)]
pub struct UploadParams {
    /// The unit whose ledger it is (in the caller's subtrees).
    pub unit_id: i64,
    /// The file's name, e.g. `台账.xlsx`: xlsx, xls, ods or csv.
    pub file_name: String,
}

/// Uploads a ledger (the request body is the file itself) and answers with its preview.
/// Nothing reaches the ledger until the import is confirmed.
#[utoipa::path(post, path = "/api/v1/imports", tag = "ledger", operation_id = "uploadImport",
    security(("bearer" = [])), params(UploadParams),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The ledger file"),
    responses(
        (status = 201, description = "Kept for its preview", body = ImportPreview),
        (status = 400, description = "The query string cannot be read", body = ErrorBody),
        (status = 413, description = "Over 32 MB", body = ErrorBody),
        (status = 422, description = "Not a readable spreadsheet, or the unit is not the caller's", body = ErrorBody),
        (status = 403, description = "The caller keeps no ledger", body = ErrorBody),
    ))]
pub async fn api_import_upload(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    q: Result<Query<UploadParams>, QueryRejection>,
    headers: axum::http::HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let keeper = actor.ledger_keeper()?;
    let Query(p) = q.map_err(|e| ApiError(Problem::malformed(&e.body_text())))?;
    let bytes = crate::upload::body(&headers, body).await.map_err(ApiError)?;
    let en = crate::RequestContext::current().english;
    let id = state.app.ledger().import_upload(&keeper, UnitId::from_raw(p.unit_id), &p.file_name, &bytes).await?;
    let preview = state.app.ledger().import_preview(&keeper, id, en).await?;
    Ok((StatusCode::CREATED, Json(preview)).into_response())
}

/// An import's preview (before it is written) or its record (after).
#[utoipa::path(get, path = "/api/v1/imports/{id}", tag = "ledger", operation_id = "getImport",
    security(("bearer" = [])), params(("id" = i64, Path, description = "The import's id")),
    responses(
        (status = 200, description = "The preview", body = ImportPreview),
        (status = 404, description = "No such import of the caller's", body = ErrorBody),
    ))]
pub async fn api_import_get(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ImportPreview>, ApiError> {
    let keeper = actor.ledger_keeper()?;
    let en = crate::RequestContext::current().english;
    Ok(Json(state.app.ledger().import_preview(&keeper, ImportId::from_raw(id), en).await?))
}

/// The caller's choices: the sheet, the column mapping, the values chosen for the ones the
/// vocabularies could not map. Answers with the preview read again.
#[utoipa::path(put, path = "/api/v1/imports/{id}/settings", tag = "ledger", operation_id = "setImportSettings",
    security(("bearer" = [])), params(("id" = i64, Path, description = "The import's id")),
    request_body = ImportSettings,
    responses(
        (status = 200, description = "The preview with these choices", body = ImportPreview),
        (status = 404, description = "No such import of the caller's", body = ErrorBody),
        (status = 422, description = "A value chosen is not one of ours, or the import is written already", body = ErrorBody),
    ))]
pub async fn api_import_settings(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(settings): ApiJson<ImportSettings>,
) -> Result<Json<ImportPreview>, ApiError> {
    let keeper = actor.ledger_keeper()?;
    let id = ImportId::from_raw(id);
    state.app.ledger().import_settings(&keeper, id, &settings).await?;
    let en = crate::RequestContext::current().english;
    Ok(Json(state.app.ledger().import_preview(&keeper, id, en).await?))
}

/// Writes the import: every row in one transaction, one audit entry. Refused (nothing
/// written) while rows have errors, unless `skip_invalid`.
#[utoipa::path(post, path = "/api/v1/imports/{id}/confirm", tag = "ledger", operation_id = "confirmImport",
    security(("bearer" = [])), params(("id" = i64, Path, description = "The import's id")),
    request_body = ImportConfirm,
    responses(
        (status = 200, description = "Written", body = ImportDone),
        (status = 404, description = "No such import of the caller's", body = ErrorBody),
        (status = 422, description = "Rows with errors, unsolved mapping, nothing to write, or written already", body = ErrorBody),
    ))]
pub async fn api_import_confirm(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(confirm): ApiJson<ImportConfirm>,
) -> Result<Json<ImportDone>, ApiError> {
    let keeper = actor.ledger_keeper()?;
    Ok(Json(state.app.ledger().import_confirm(&keeper, ImportId::from_raw(id), confirm).await?))
}

/// The rows a written import left out, as they were, with a column saying why (xlsx).
#[utoipa::path(get, path = "/api/v1/imports/{id}/errors.xlsx", tag = "ledger", operation_id = "importErrorBook",
    security(("bearer" = [])), params(("id" = i64, Path, description = "The import's id")),
    responses(
        (status = 200, description = "The error workbook", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 404, description = "No such import of the caller's, or none of its rows was left out", body = ErrorBody),
    ))]
pub async fn api_import_errors(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Response, ApiError> {
    let keeper = actor.ledger_keeper()?;
    let bytes = state.app.ledger().import_error_book(&keeper, ImportId::from_raw(id)).await?;
    Ok(crate::pages::ledger::import::error_book_download(bytes, id))
}

/// Whether a cancel was taken.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct CancelOutcome {
    /// True: the write stops and rolls back; false: it is committing or ended, too late.
    pub cancelled: bool,
}

/// The progress of the caller's import being written (while a confirm runs, and for 15
/// minutes after it ended): rows done of rows to write, time elapsed and left.
#[utoipa::path(get, path = "/api/v1/imports/{id}/progress", tag = "ledger", operation_id = "importProgress",
    security(("bearer" = [])), params(("id" = i64, Path, description = "The import's id")),
    responses(
        (status = 200, description = "Its progress", body = ProgressView),
        (status = 404, description = "No write of this import of the caller's is followed here", body = ErrorBody),
    ))]
pub async fn api_import_progress(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ProgressView>, ApiError> {
    let keeper = actor.ledger_keeper()?;
    Ok(Json(state.app.ledger().import_progress(&keeper, ImportId::from_raw(id)).ok_or(app::AppError::NotFound)?))
}

/// Cancels the caller's import being written; nothing is written. Too late once it commits.
#[utoipa::path(post, path = "/api/v1/imports/{id}/cancel", tag = "ledger", operation_id = "cancelImport",
    security(("bearer" = [])), params(("id" = i64, Path, description = "The import's id")),
    responses(
        (status = 200, description = "Whether the cancel was taken", body = CancelOutcome),
        (status = 404, description = "No write of this import of the caller's is followed here", body = ErrorBody),
    ))]
pub async fn api_import_cancel(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<CancelOutcome>, ApiError> {
    let keeper = actor.ledger_keeper()?;
    Ok(Json(CancelOutcome { cancelled: state.app.ledger().import_cancel(&keeper, ImportId::from_raw(id))? }))
}
