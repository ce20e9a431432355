//! Static assets, embedded in the binary: intranet deployments have no CDN.

use axum::{
    Router,
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
    routing::get,
};

use crate::AppState;

pub(crate) const CSS: &str = include_str!("../static/app.css");
const JS: &str = include_str!("../static/app.js");
/// Swagger UI, vendored from npm (static/swagger/README): no CDN, no download at build time.
const API_DOCS: &str = include_str!("../static/api-docs.html");
const SWAGGER_INIT: &str = include_str!("../static/swagger-init.js");
const SWAGGER_JS: &str = include_str!("../static/swagger/swagger-ui-bundle.js");
const SWAGGER_CSS: &str = include_str!("../static/swagger/swagger-ui.css");

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/static/app.css", get(|| async { asset(CSS, "text/css; charset=utf-8") }))
        .route("/static/app.js", get(|| async { asset(JS, "text/javascript; charset=utf-8") }))
        .route("/api/docs", get(|| async { asset(API_DOCS, "text/html; charset=utf-8") }))
        .route("/static/swagger-init.js", get(|| async { asset(SWAGGER_INIT, "text/javascript; charset=utf-8") }))
        .route(
            "/static/swagger/swagger-ui-bundle.js",
            get(|| async { asset(SWAGGER_JS, "text/javascript; charset=utf-8") }),
        )
        .route("/static/swagger/swagger-ui.css", get(|| async { asset(SWAGGER_CSS, "text/css; charset=utf-8") }))
}

pub fn asset(body: &'static str, content_type: &'static str) -> Response {
    let mut r = body.into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=3600"));
    r
}
