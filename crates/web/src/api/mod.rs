//! `/api/v1`: JSON over the same `app` calls as the pages. Authenticated by bearer tokens
//! only (never cookies), so cross-site requests carry no credentials here.

mod account;
mod leads;

use axum::{
    Router,
    extract::{FromRequest, Request, rejection::JsonRejection},
    routing::{get, post},
};
use serde::de::DeserializeOwned;

use crate::{
    AppState,
    error::{ApiError, Problem},
};

pub const OPENAPI: &str = include_str!("../../openapi.json");

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/auth/login", post(account::api_login))
        .route("/auth/logout", post(account::api_logout))
        .route("/me", get(account::api_me))
        .route("/units", get(account::api_units))
        .route(
            "/leads",
            get(leads::api_leads_list).post(leads::api_leads_create),
        )
        .route(
            "/leads/{id}",
            get(leads::api_lead_get).put(leads::api_lead_update),
        )
        .route(
            "/openapi.json",
            get(|| async { crate::assets::asset(OPENAPI, "application/json") }),
        )
}

/// A JSON body whose parse failures are answered in the API's error format.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(ApiJson(v)),
            Err(JsonRejection::BytesRejection(_)) => Err(ApiError(Problem::too_large())),
            Err(e) => Err(ApiError(Problem::malformed(&e.body_text()))),
        }
    }
}
