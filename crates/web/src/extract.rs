//! Extractors whose rejections speak the product's error formats (JSON for the API, an
//! HTML page with a request id for pages) instead of axum's plain-text defaults.

use axum::{
    extract::{FromRequest, FromRequestParts, Path, Request, rejection::JsonRejection},
    http::{StatusCode, Uri, request::Parts},
    response::{IntoResponse, Response},
};
use serde::de::DeserializeOwned;

use crate::error::{ApiError, PageError, Problem};

/// A JSON body; parse failures answer `malformed_request`, oversized bodies 413.
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

async fn path<T: DeserializeOwned + Send, S: Send + Sync>(parts: &mut Parts, state: &S) -> Result<T, Problem> {
    Path::<T>::from_request_parts(parts, state).await.map(|Path(v)| v).map_err(|e| Problem::malformed(&e.body_text()))
}

/// A path parameter for the API.
pub struct ApiPath<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        path(parts, state).await.map(ApiPath).map_err(ApiError)
    }
}

/// A path parameter for pages.
pub struct PagePath<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for PagePath<T> {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, PageError> {
        path(parts, state).await.map(PagePath).map_err(PageError)
    }
}

/// Unknown addresses: JSON under `/api/`, an error page elsewhere.
pub async fn view_fallback(uri: Uri) -> Response {
    let p = Problem::new(StatusCode::NOT_FOUND, "not_found", "页面不存在。", "There is no such page.");
    if uri.path().starts_with("/api/") { ApiError(p).into_response() } else { PageError(p).into_response() }
}
