//! The ledger over the API: list, register, read, edit, the unit tree, handler assignment,
//! and importing a unit's own spreadsheet ledger ([`import`]).

pub mod import;
pub mod repeats;
pub mod search;

use app::{Dossier, LeadDetail, LeadPage, Registered, SaveLead};
use axum::{
    Json,
    extract::{Query, State, rejection::QueryRejection},
    http::StatusCode,
    response::{IntoResponse, Response},
};
use domain::ledger::campaign_input::CampaignInput;
use domain::{
    LeadId, UserId,
    ledger::{lead::Handler, lead::LeadInput, query::LedgerParams, unit::Unit},
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::extract::{ApiJson, ApiPath};
use crate::{
    AppState,
    error::{ApiError, ErrorBody, Problem},
    session::ApiUser,
};

/// The ledger, filtered, sorted and paged, within the caller's scope. Each call is one
/// entry in the audit trail (filters and count).
///
/// Every filter alike: an empty value (`unit_id=`) is the same as leaving the parameter out,
/// no filter. A value that is given must be valid, or the answer is 422 naming the field;
/// `received_to` must not be before `received_from`.
#[utoipa::path(get, path = "/api/v1/leads", tag = "ledger", operation_id = "listLeads",
    security(("bearer" = [])), params(LedgerParams),
    responses(
        (status = 200, description = "One page of leads", body = LeadPage),
        (status = 400, description = "The query string cannot be read", body = ErrorBody),
        (status = 422, description = "A filter is not valid", body = ErrorBody),
        (status = 403, description = "The caller reads no ledger", body = ErrorBody),
    ))]
pub async fn api_leads_list(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    q: Result<Query<LedgerParams>, QueryRejection>,
) -> Result<Json<LeadPage>, ApiError> {
    let Query(params) = q.map_err(|e| ApiError(Problem::malformed(&e.body_text())))?;
    let reader = actor.ledger()?;
    Ok(Json(state.app.ledger().list_recorded(&reader, &params).await?))
}

/// The ledger view as an xlsx 台账 in the layout sent upward (title, 填报单位, 导出时间, frozen
/// header, dates as dates, 合计): the same filters and scope as `listLeads`, every lead (not
/// a page), never the reporter's identity. One audit entry per export. Imports back to the
/// same leads (`uploadImport`).
#[utoipa::path(get, path = "/api/v1/leads/export.xlsx", tag = "ledger", operation_id = "exportLeads",
    security(("bearer" = [])), params(LedgerParams),
    responses(
        (status = 200, description = "The workbook", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 400, description = "The query string cannot be read", body = ErrorBody),
        (status = 422, description = "A filter is not valid", body = ErrorBody),
        (status = 403, description = "The caller reads no ledger", body = ErrorBody),
    ))]
pub async fn api_leads_export(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    q: Result<Query<LedgerParams>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(params) = q.map_err(|e| ApiError(Problem::malformed(&e.body_text())))?;
    let reader = actor.ledger()?;
    let (bytes, _) = state.app.ledger().export_xlsx(&reader, &params).await?;
    Ok(crate::pages::ledger::list::ledger_download(bytes))
}

/// One lead, as the caller may see it (the reporter's identity stays sealed).
#[utoipa::path(get, path = "/api/v1/leads/{id}", tag = "ledger", operation_id = "getLead",
    security(("bearer" = [])), params(("id" = i64, Path, description = "The lead's id")),
    responses(
        (status = 200, description = "The lead", body = LeadDetail),
        (status = 404, description = "No such lead in the caller's scope", body = ErrorBody),
    ))]
pub async fn api_lead_get(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<LeadDetail>, ApiError> {
    Ok(Json(state.app.ledger().detail(&actor, LeadId::from_raw(id)).await?))
}

/// Everything the lead page shows, with what the caller may do now (`permissions`).
#[utoipa::path(get, path = "/api/v1/leads/{id}/dossier", tag = "ledger", operation_id = "leadDossier",
    security(("bearer" = [])), params(("id" = i64, Path, description = "The lead's id")),
    responses(
        (status = 200, description = "The dossier", body = Dossier),
        (status = 404, description = "No such lead in the caller's scope", body = ErrorBody),
    ))]
pub async fn api_dossier(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Dossier>, ApiError> {
    Ok(Json(state.app.ledger().dossier(&actor, LeadId::from_raw(id)).await?))
}

/// Where a write left the lead: the record (the caller still sees it), or `202 Accepted` with
/// its number and where it went (it names the unit's head and went up a level, out of the
/// caller's sight).
async fn written(
    state: &AppState,
    actor: &app::Actor,
    saved: Registered,
    visible: StatusCode,
) -> Result<Response, ApiError> {
    Ok(match saved {
        Registered::Visible { lead } => {
            (visible, Json(state.app.ledger().detail(actor, lead.id).await?)).into_response()
        }
        gone @ (Registered::SentUp { .. } | Registered::Recused { .. }) => {
            (StatusCode::ACCEPTED, Json(gone)).into_response()
        }
    })
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct RegisterParams {
    /// The decision on the earlier leads it may repeat (`POST /api/v1/leads/repeat-candidates`):
    /// `new`, or the number of the lead it repeats (merged into it as it is registered). Left
    /// out, candidates found are recorded as undecided.
    #[serde(default)]
    pub repeat: String,
}

/// Registers a lead.
#[utoipa::path(post, path = "/api/v1/leads", tag = "ledger", operation_id = "registerLead",
    security(("bearer" = [])), request_body = LeadInput, params(RegisterParams),
    responses(
        (status = 201, description = "Registered", body = LeadDetail),
        (status = 202, description = "Out of the caller's sight (回避): it names the unit's head and went to the body above, or it may name the caller", body = Registered),
        (status = 400, description = "The body is not JSON of this shape", body = ErrorBody),
        (status = 422, description = "Invalid fields, all listed", body = ErrorBody),
        (status = 403, description = "The caller keeps no ledger", body = ErrorBody),
    ))]
pub async fn api_leads_create(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    q: Result<Query<RegisterParams>, QueryRejection>,
    ApiJson(input): ApiJson<LeadInput>,
) -> Result<Response, ApiError> {
    let Query(p) = q.map_err(|e| ApiError(Problem::malformed(&e.body_text())))?;
    let keeper = actor.ledger_keeper()?;
    let decision = domain::ledger::repeats::RepeatDecision::parse("repeat", &p.repeat).map_err(app::AppError::field)?;
    let saved = state.app.ledger().register_decided(&keeper, &input, decision).await?;
    written(&state, &actor, saved, StatusCode::CREATED).await
}

/// An update carries the version it was based on next to the lead's fields.
#[derive(Deserialize, ToSchema)]
pub struct LeadUpdate {
    /// The `version` read; a newer one on the server answers `409 stale_version`.
    version: i64,
    #[serde(flatten)]
    input: LeadInput,
}

/// Edits a lead.
#[utoipa::path(put, path = "/api/v1/leads/{id}", tag = "ledger", operation_id = "updateLead",
    security(("bearer" = [])), params(("id" = i64, Path, description = "The lead's id")), request_body = LeadUpdate,
    responses(
        (status = 200, description = "Saved", body = LeadDetail),
        (status = 202, description = "Now names the unit's head and went to the body above", body = Registered),
        (status = 400, description = "The body is not JSON of this shape", body = ErrorBody),
        (status = 422, description = "Invalid fields", body = ErrorBody),
        (status = 404, description = "No such lead in the caller's scope", body = ErrorBody),
        (status = 409, description = "Changed since it was read", body = ErrorBody),
    ))]
pub async fn api_lead_update(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<LeadUpdate>,
) -> Result<Response, ApiError> {
    let keeper = actor.ledger_keeper()?;
    let id = LeadId::from_raw(id);
    let saved =
        state.app.ledger().update(&keeper, id, &SaveLead { input: body.input, expected_version: body.version }).await?;
    written(&state, &actor, saved, StatusCode::OK).await
}

#[derive(Serialize, ToSchema)]
pub struct Units {
    items: Vec<Unit>,
}

/// The unit tree (names and codes only).
#[utoipa::path(get, path = "/api/v1/units", tag = "ledger", operation_id = "listUnits",
    security(("bearer" = [])), responses((status = 200, description = "Every unit", body = Units)))]
pub async fn api_units(State(state): State<AppState>, ApiUser(actor): ApiUser) -> Result<Json<Units>, ApiError> {
    Ok(Json(Units { items: state.app.ledger().unit_tree(&actor).await? }))
}

#[derive(Serialize, ToSchema)]
pub struct Handlers {
    items: Vec<Handler>,
}

/// The handler accounts in the caller's units (to filter the ledger by).
#[utoipa::path(get, path = "/api/v1/handlers", tag = "ledger", operation_id = "listHandlers",
    security(("bearer" = [])), responses((status = 200, description = "Handler accounts", body = Handlers)))]
pub async fn api_handlers(State(state): State<AppState>, ApiUser(actor): ApiUser) -> Result<Json<Handlers>, ApiError> {
    Ok(Json(Handlers { items: state.app.ledger().handlers_in_scope(&actor).await? }))
}

#[derive(Deserialize, ToSchema)]
pub struct Assignment {
    /// Handler accounts of the lead's unit; empty withdraws the assignment.
    handlers: Vec<UserId>,
}

/// 分办: assigns the lead to handler accounts of its unit (replacing the previous ones).
#[utoipa::path(put, path = "/api/v1/leads/{id}/handlers", tag = "ledger", operation_id = "assignHandlers",
    security(("bearer" = [])), params(("id" = i64, Path, description = "The lead's id")), request_body = Assignment,
    responses(
        (status = 200, description = "Assigned", body = Handlers),
        (status = 400, description = "The body is not JSON of this shape", body = ErrorBody),
        (status = 422, description = "Not a handler of the unit, or the lead is closed", body = ErrorBody),
        (status = 403, description = "The caller keeps no ledger", body = ErrorBody),
        (status = 404, description = "No such lead in the caller's scope", body = ErrorBody),
    ))]
pub async fn api_lead_handlers(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<Assignment>,
) -> Result<Json<Handlers>, ApiError> {
    let keeper = actor.ledger_keeper()?;
    let users: Vec<String> = body.handlers.iter().map(UserId::to_string).collect();
    let items = state.app.ledger().assign_handlers(&keeper, LeadId::from_raw(id), &users).await?;
    Ok(Json(Handlers { items }))
}

/// The campaigns (专项工作), newest first, with a new campaign's template (supervisors and
/// committee heads).
#[utoipa::path(get, path = "/api/v1/campaigns", tag = "ledger", operation_id = "listCampaigns",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The campaigns", body = app::CampaignBook),
        (status = 403, description = "Neither a supervisor nor a committee head", body = ErrorBody),
    ))]
pub async fn api_campaigns(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
) -> Result<Json<app::CampaignBook>, ApiError> {
    Ok(Json(state.app.ledger().campaigns(&actor).await?))
}

/// Creates a campaign; new leads go to it (a supervisor).
#[utoipa::path(post, path = "/api/v1/campaigns", tag = "ledger", operation_id = "createCampaign",
    security(("bearer" = [])), request_body = CampaignInput,
    responses(
        (status = 201, description = "Created", body = crate::api::lifecycle::Created),
        (status = 400, description = "The body is not JSON of this shape", body = ErrorBody),
        (status = 403, description = "Only a supervisor", body = ErrorBody),
        (status = 422, description = "Fields wrong, all listed", body = ErrorBody),
    ))]
pub async fn api_campaign_create(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiJson(input): ApiJson<CampaignInput>,
) -> Result<(StatusCode, Json<crate::api::lifecycle::Created>), ApiError> {
    let id = state.app.ledger().create_campaign(&actor, &input).await?;
    Ok((StatusCode::CREATED, Json(crate::api::lifecycle::Created { id: id.get() })))
}

/// Corrects a campaign (a supervisor). Once it holds leads its cut-off and clearance
/// deadline stay.
#[utoipa::path(put, path = "/api/v1/campaigns/{id}", tag = "ledger", operation_id = "updateCampaign",
    security(("bearer" = [])), params(("id" = i64, Path, description = "The campaign's id")),
    request_body = CampaignInput,
    responses(
        (status = 204, description = "Saved"),
        (status = 400, description = "The body is not JSON of this shape", body = ErrorBody),
        (status = 403, description = "Only a supervisor", body = ErrorBody),
        (status = 404, description = "No such campaign", body = ErrorBody),
        (status = 422, description = "Fields wrong, the campaign closed, or fixed dates changed", body = ErrorBody),
    ))]
pub async fn api_campaign_update(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<CampaignInput>,
) -> Result<StatusCode, ApiError> {
    state.app.ledger().update_campaign(&actor, domain::CampaignId::from_raw(id), &input).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Closes a campaign: new leads no longer go to it (a supervisor).
#[utoipa::path(post, path = "/api/v1/campaigns/{id}/close", tag = "ledger", operation_id = "closeCampaign",
    security(("bearer" = [])), params(("id" = i64, Path, description = "The campaign's id")),
    responses(
        (status = 204, description = "Closed"),
        (status = 403, description = "Only a supervisor", body = ErrorBody),
        (status = 404, description = "No such campaign", body = ErrorBody),
        (status = 422, description = "Closed already", body = ErrorBody),
    ))]
pub async fn api_campaign_close(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    state.app.ledger().close_campaign(&actor, domain::CampaignId::from_raw(id)).await?;
    Ok(StatusCode::NO_CONTENT)
}
