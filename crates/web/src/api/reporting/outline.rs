//! A campaign's report outline over the API: the same use cases as the page.

use app::OutlineView;
use axum::{
    Json,
    extract::{Query, State, rejection::QueryRejection},
    http::StatusCode,
};
use domain::reporting::outline::OutlineInput;

use super::CampaignQuery;
use crate::{
    AppState,
    error::{ApiError, ErrorBody, Problem},
    extract::ApiJson,
    session::ApiUser,
};

/// The sections a campaign's work reports have and what each must cover.
#[utoipa::path(get, path = "/api/v1/report-outline", tag = "reporting", operation_id = "reportOutline",
    security(("bearer" = [])), params(CampaignQuery),
    responses(
        (status = 200, description = "The outline", body = OutlineView),
        (status = 400, description = "A query parameter is malformed", body = ErrorBody),
        (status = 403, description = "The caller is not of a committee", body = ErrorBody),
        (status = 404, description = "No such campaign (or none yet)", body = ErrorBody),
    ))]
pub async fn api_report_outline(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    q: Result<Query<CampaignQuery>, QueryRejection>,
) -> Result<Json<OutlineView>, ApiError> {
    let Query(q) = q.map_err(|e| ApiError(Problem::malformed(&e.body_text())))?;
    Ok(Json(state.app.reporting().report_outline(&actor, q.campaign()).await?))
}

/// The committee sets an open campaign's outline. Audited.
#[utoipa::path(put, path = "/api/v1/report-outline", tag = "reporting", operation_id = "saveReportOutline",
    security(("bearer" = [])), params(CampaignQuery), request_body = OutlineInput,
    responses(
        (status = 204, description = "Saved"),
        (status = 400, description = "The body is not JSON of this shape", body = ErrorBody),
        (status = 403, description = "The caller does not supervise", body = ErrorBody),
        (status = 404, description = "No such campaign (or none yet)", body = ErrorBody),
        (status = 422, description = "No section, an unknown one, guidance too long, or the campaign closed", body = ErrorBody),
    ))]
pub async fn api_save_report_outline(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    q: Result<Query<CampaignQuery>, QueryRejection>,
    ApiJson(input): ApiJson<OutlineInput>,
) -> Result<StatusCode, ApiError> {
    let Query(q) = q.map_err(|e| ApiError(Problem::malformed(&e.body_text())))?;
    state.app.reporting().save_report_outline(&actor, q.campaign(), &input).await?;
    Ok(StatusCode::NO_CONTENT)
}
