//! Static assets, embedded in the binary: intranet deployments have no CDN.

use axum::{
    Router,
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
    routing::get,
};

use crate::AppState;

const CSS: &str = include_str!("../static/app.css");
const JS: &str = include_str!("../static/app.js");

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/static/app.css", get(|| async { asset(CSS, "text/css; charset=utf-8") }))
        .route("/static/app.js", get(|| async { asset(JS, "text/javascript; charset=utf-8") }))
}

pub fn asset(body: &'static str, content_type: &'static str) -> Response {
    let mut r = body.into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=3600"));
    r
}
