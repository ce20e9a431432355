//! Relations (关系网) over the API: the graph around a person, a lead or a unit, laid out as the
//! page draws it, and the supervisors' list of persons named again and again.

use app::relations::{Centre, Frequent};
use axum::{
    Json,
    extract::{Query, State, rejection::QueryRejection},
};
use domain::{LeadId, UnitId, relations::Graph};
use serde::Deserialize;

use crate::extract::ApiPath;
use crate::{
    AppState,
    error::{ApiError, ErrorBody, Problem},
    session::ApiUser,
};

async fn graph(state: &AppState, actor: &app::Actor, centre: Centre) -> Result<Json<Graph>, ApiError> {
    let reader = actor.ledger()?;
    let english = crate::context::RequestContext::current().english;
    Ok(Json(state.app.relations().graph(&reader, centre, english).await?))
}

/// The graph to depth 2 around a person of the registry: the leads naming them, and beside
/// each its unit, co-subjects and reporter (by a keyed hash only). Leads the caller may not
/// read are left out; a person in none of theirs is not found. Audited.
#[utoipa::path(get, path = "/api/v1/relations/persons/{id}", tag = "relations", operation_id = "personGraph",
    security(("bearer" = [])), params(("id" = i64, Path, description = "The person's id in the registry")),
    responses(
        (status = 200, description = "Nodes (with their place and link) and edges", body = Graph),
        (status = 403, description = "The caller reads no ledger", body = ErrorBody),
        (status = 404, description = "No lead the caller may read names this person", body = ErrorBody),
    ))]
pub async fn api_person_graph(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Graph>, ApiError> {
    graph(&state, &actor, Centre::Person(id)).await
}

/// The graph to depth 2 around a lead: its subjects, unit and reporter, and their other leads.
/// Reporters (by a keyed hash only) are drawn for supervisors, committee heads and custodians.
#[utoipa::path(get, path = "/api/v1/relations/leads/{id}", tag = "relations", operation_id = "leadGraph",
    security(("bearer" = [])), params(("id" = i64, Path, description = "The lead's id")),
    responses(
        (status = 200, description = "Nodes (with their place and link) and edges", body = Graph),
        (status = 403, description = "The caller reads no ledger", body = ErrorBody),
        (status = 404, description = "No such lead in the caller's scope", body = ErrorBody),
    ))]
pub async fn api_lead_graph(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Graph>, ApiError> {
    graph(&state, &actor, Centre::Lead(LeadId::from_raw(id))).await
}

/// The graph to depth 2 around a unit: the leads it holds (the latest 120) and their subjects
/// and reporters.
#[utoipa::path(get, path = "/api/v1/relations/units/{id}", tag = "relations", operation_id = "unitGraph",
    security(("bearer" = [])), params(("id" = i64, Path, description = "The unit's id")),
    responses(
        (status = 200, description = "Nodes (with their place and link) and edges", body = Graph),
        (status = 403, description = "The caller reads no ledger", body = ErrorBody),
        (status = 404, description = "The unit holds no lead the caller may read", body = ErrorBody),
    ))]
pub async fn api_unit_graph(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Graph>, ApiError> {
    graph(&state, &actor, Centre::Unit(UnitId::from_raw(id))).await
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct FrequentParams {
    /// The least number of leads a person is named in (2 to 1000; 2 by default).
    #[param(minimum = 2, maximum = 1000)]
    pub min: Option<i64>,
    /// 1-based; 50 persons a page.
    #[param(minimum = 1)]
    pub page: Option<u32>,
}

/// Persons named in at least `min` leads within the supervisor's scope, most first, and the
/// units whose leads name the same person most often. Supervisors and committee heads; one
/// audit entry a call.
#[utoipa::path(get, path = "/api/v1/relations/frequent", tag = "relations", operation_id = "frequentPersons",
    security(("bearer" = [])), params(FrequentParams),
    responses(
        (status = 200, description = "One page of persons, and the units", body = Frequent),
        (status = 400, description = "The query string cannot be read", body = ErrorBody),
        (status = 403, description = "Not a supervisor or committee head", body = ErrorBody),
    ))]
pub async fn api_frequent(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    q: Result<Query<FrequentParams>, QueryRejection>,
) -> Result<Json<Frequent>, ApiError> {
    let Query(p) = q.map_err(|e| ApiError(Problem::malformed(&e.body_text())))?;
    Ok(Json(state.app.relations().frequent_recorded(&actor, p.min.unwrap_or(2), p.page.unwrap_or(1)).await?))
}
