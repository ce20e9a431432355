//! Reporters over the API: revealing a signed reporter's identity, and exporting a ledger view
//! with the identities, for a custodian only.

use axum::{
    Json,
    extract::{Query, State, rejection::QueryRejection},
    response::Response,
};
use domain::{LeadId, ledger::query::LedgerParams, reporters::Reporter};
use serde::Deserialize;
use utoipa::ToSchema;

pub(crate) mod attachments;
pub(crate) mod feedback;
pub(crate) mod intake;

use crate::extract::{ApiJson, ApiPath};
use crate::{
    AppState,
    error::{ApiError, ErrorBody, Problem},
    session::ApiUser,
};

#[derive(Deserialize, ToSchema)]
pub struct Reveal {
    /// Why the identity is needed; kept in the audit trail.
    #[schema(min_length = 1, max_length = 200)]
    reason: String,
}

/// Reveals the signed reporter's name and contact (custodian only, with a reason; audited).
#[utoipa::path(post, path = "/api/v1/leads/{id}/reveal", tag = "reporters", operation_id = "revealReporter",
    security(("bearer" = [])), params(("id" = i64, Path, description = "The lead's id")), request_body = Reveal,
    responses(
        (status = 200, description = "The identity, on this response only", body = Reporter),
        (status = 400, description = "The body is not JSON of this shape", body = ErrorBody),
        (status = 403, description = "The caller is no custodian", body = ErrorBody),
        (status = 404, description = "No such lead in the caller's scope", body = ErrorBody),
        (status = 422, description = "No reason given, or the reporter is anonymous", body = ErrorBody),
    ))]
pub async fn api_reveal(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<Reveal>,
) -> Result<Json<Reporter>, ApiError> {
    let custodian = actor.identity_custodian()?;
    Ok(Json(state.app.reporters().reveal(&custodian, LeadId::from_raw(id), &b.reason).await?))
}

/// The ledger view `listLeads` would select, limited to the leads in the custodian's custody,
/// as `exportLeads`' workbook with three more columns: 举报方式, 举报人姓名, 举报人联系方式
/// (custodian only, with a reason; one audit entry, `reporter.export`, with the reason, the
/// filters and the count).
#[utoipa::path(post, path = "/api/v1/leads/export-identities.xlsx", tag = "reporters",
    operation_id = "exportLeadsWithIdentities", security(("bearer" = [])), params(LedgerParams),
    request_body = Reveal,
    responses(
        (status = 200, description = "The workbook", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 400, description = "The query string or the body cannot be read", body = ErrorBody),
        (status = 403, description = "The caller is no custodian", body = ErrorBody),
        (status = 422, description = "No reason given, or a filter is not valid", body = ErrorBody),
    ))]
pub async fn api_identity_export(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    q: Result<Query<LedgerParams>, QueryRejection>,
    ApiJson(b): ApiJson<Reveal>,
) -> Result<Response, ApiError> {
    let Query(params) = q.map_err(|e| ApiError(Problem::malformed(&e.body_text())))?;
    let asked = actor.identity_custodian()?.identity_export(&b.reason)?;
    let (bytes, _) = state.app.ledger().export_identities_xlsx(&actor.ledger()?, &params, &asked).await?;
    Ok(crate::pages::reporters::export::identity_download(bytes))
}
