use app::{LeadDetail, LeadPage, SaveLead};
use axum::{
    Json,
    extract::{Query, State, rejection::QueryRejection},
    http::StatusCode,
};
use domain::{LeadId, ledger::lead::LeadInput, ledger::query::LedgerParams};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::extract::{ApiJson, ApiPath};
use crate::{
    AppState,
    error::{ApiError, Problem},
    session::ApiUser,
};

pub async fn api_leads_list(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    q: Result<Query<LedgerParams>, QueryRejection>,
) -> Result<Json<LeadPage>, ApiError> {
    let Query(params) = q.map_err(|e| ApiError(Problem::malformed(&e.body_text())))?;
    let reader = actor.ledger()?;
    Ok(Json(state.app.ledger().list(&reader, &params).await?))
}

pub async fn api_lead_get(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<LeadDetail>, ApiError> {
    Ok(Json(state.app.ledger().detail(&actor, LeadId::from_raw(id)).await?))
}

pub async fn api_leads_create(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiJson(input): ApiJson<LeadInput>,
) -> Result<(StatusCode, Json<LeadDetail>), ApiError> {
    let keeper = actor.ledger_keeper()?;
    let lead = state.app.ledger().register(&keeper, &input).await?;
    match state.app.ledger().detail(&actor, lead.id).await {
        Ok(d) => Ok((StatusCode::CREATED, Json(d))),
        // Sent up a level (it names the unit's head): registered, but no longer the
        // caller's to read; answer with what they submitted, not with "not found".
        Err(app::AppError::NotFound) if lead.routed_from_unit_id.is_some() => {
            let reporter = domain::reporters::Reporter { kind: lead_reporter_kind(&input), name: None, contact: None };
            let name = actor.display_name.clone();
            Ok((
                StatusCode::CREATED,
                Json(LeadDetail {
                    lead,
                    reporter,
                    created_by_name: name.clone(),
                    updated_by_name: name,
                    campaign_name: String::new(),
                    can_edit: false,
                }),
            ))
        }
        Err(e) => Err(e.into()),
    }
}

fn lead_reporter_kind(input: &LeadInput) -> domain::reporters::ReporterKind {
    domain::reporters::ReporterKind::from_code(input.reporter.kind.trim())
        .unwrap_or(domain::reporters::ReporterKind::Anonymous)
}

/// An update carries the version it was based on next to the lead's fields.
#[derive(Deserialize)]
pub struct UpdateBody {
    version: i64,
    #[serde(flatten)]
    input: LeadInput,
}

pub async fn api_lead_update(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<UpdateBody>,
) -> Result<Json<LeadDetail>, ApiError> {
    let keeper = actor.ledger_keeper()?;
    let id = LeadId::from_raw(id);
    state.app.ledger().update(&keeper, id, &SaveLead { input: body.input, expected_version: body.version }).await?;
    Ok(Json(state.app.ledger().detail(&actor, id).await?))
}

pub async fn api_units(State(state): State<AppState>, ApiUser(actor): ApiUser) -> Result<Json<Value>, ApiError> {
    let units = state.app.ledger().unit_tree(&actor).await?;
    Ok(Json(json!({ "items": units })))
}
