//! Search over the API: what the box at the top of every page finds, as JSON.

use app::SearchResults;
use axum::{
    Json,
    extract::{Query, State, rejection::QueryRejection},
};
use serde::Deserialize;

use crate::{
    AppState,
    error::{ApiError, ErrorBody, Problem},
    session::ApiUser,
};

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct SearchParams {
    /// What to look for: a phrase of the summary, a lead number, 原编号 or 来源文号, a
    /// subject's name, a part of it or its pinyin initials (`wmm`). Every part (split at spaces)
    /// must match. Query syntax is text; past 100 characters the rest is not read.
    #[serde(default)]
    pub q: String,
    /// 1-based; 20 results a page.
    #[param(minimum = 1)]
    pub page: Option<u32>,
}

/// The leads a text finds in the caller's scope (the leads naming the caller left out), best
/// match first, each with its summary cut around what matched. One audit entry per call.
#[utoipa::path(get, path = "/api/v1/search", tag = "ledger", operation_id = "searchLeads",
    security(("bearer" = [])), params(SearchParams),
    responses(
        (status = 200, description = "One page of results and how many leads match in all", body = SearchResults),
        (status = 400, description = "The query string cannot be read", body = ErrorBody),
        (status = 403, description = "The caller reads no ledger", body = ErrorBody),
    ))]
pub async fn api_search(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    q: Result<Query<SearchParams>, QueryRejection>,
) -> Result<Json<SearchResults>, ApiError> {
    let Query(p) = q.map_err(|e| ApiError(Problem::malformed(&e.body_text())))?;
    let reader = actor.ledger()?;
    Ok(Json(state.app.ledger().search_recorded(&reader, &p.q, p.page.unwrap_or(1)).await?))
}
