//! The web layer: server-rendered pages and the `/api/v1` JSON API over the same `app`
//! calls. Security headers, request ids, sessions and CSRF are applied here globally, as
//! layers around every route, never per handler.

/// Declares a route table once: the router is built from it and tests read it, so a
/// route cannot exist without appearing in the table (OpenAPI and authorization tests).
macro_rules! route_table {
    ($table:ident, $router:ident { $($method:ident $path:literal => $handler:path;)+ }) => {
        pub const $table: &[(&str, &str)] = &[$((stringify!($method), $path)),+];
        pub fn $router() -> axum::Router<crate::AppState> {
            axum::Router::new()$(.route($path, axum::routing::$method($handler)))+
        }
    };
}

mod api;
mod assets;
mod context;
mod error;
mod extract;
mod forms;
mod i18n;
mod middleware;
mod pages;
pub mod portal;
mod session;
mod upload;

use std::net::SocketAddr;

use app::App;
use axum::{Router, extract::DefaultBodyLimit};
use tokio::net::TcpListener;

pub use api::{API_ROUTES, openapi};
pub use context::RequestContext;
pub use pages::PAGE_ROUTES;

/// Largest request body accepted anywhere (a lead with 20 subjects is far below this).
pub const BODY_LIMIT: usize = 256 * 1024;

#[derive(Clone)]
pub struct AppState {
    pub app: App,
    /// Set `Secure` on cookies (when served over TLS, directly or behind a proxy).
    pub secure_cookies: bool,
    /// Reverse proxies whose `X-Forwarded-For` names the client (see docs/deployment.md);
    /// from anyone else the header is ignored, so a client cannot choose its own address.
    pub trusted_proxies: std::sync::Arc<[std::net::IpAddr]>,
}

impl AppState {
    pub fn new(app: App, secure_cookies: bool) -> Self {
        Self { app, secure_cookies, trusted_proxies: std::sync::Arc::new([]) }
    }

    pub fn trusting(mut self, proxies: Vec<std::net::IpAddr>) -> Self {
        self.trusted_proxies = proxies.into();
        self
    }
}

/// Every route of the product. The authorization matrix and OpenAPI tests read this table.
pub fn router(state: AppState) -> Router {
    let routes = Router::new()
        .merge(pages::routes())
        .nest("/api/v1", api::routes())
        .route("/api/v1/openapi.json", axum::routing::get(api::openapi_document))
        .merge(assets::routes())
        .fallback(extract::view_fallback);
    with_layers(routes, state)
}

/// The layers around every route (the product's, or a test's).
pub fn with_layers(routes: Router<AppState>, state: AppState) -> Router {
    routes
        .layer(axum::middleware::from_fn(middleware::catch_panic))
        .layer(axum::middleware::from_fn_with_state(state.clone(), middleware::csrf))
        .layer(axum::middleware::from_fn_with_state(state.clone(), middleware::load_session))
        .layer(axum::middleware::from_fn_with_state(state.clone(), middleware::request_context))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .with_state(state)
}

/// Serves until the process is told to stop.
pub async fn serve(listener: TcpListener, state: AppState) -> std::io::Result<()> {
    let addr: SocketAddr = listener.local_addr()?;
    tracing::info!(%addr, "serving");
    axum::serve(listener, router(state).into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown_signal())
        .await
}

async fn shutdown_signal() {
    let _ = tokio::signal::ctrl_c().await;
}
