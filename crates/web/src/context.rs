//! Per-request facts every response may need (request id, language), available to error
//! responses without threading them through every handler.

use axum::http::HeaderMap;

#[derive(Debug, Clone)]
pub struct RequestContext {
    pub request_id: String,
    pub english: bool,
}

tokio::task_local! {
    static CURRENT: RequestContext;
}

impl RequestContext {
    pub fn from_headers(headers: &HeaderMap) -> Self {
        let mut id = [0u8; 8];
        rand::RngCore::fill_bytes(&mut rand::rng(), &mut id);
        Self { request_id: hex::encode(id), english: english_from(headers) }
    }

    /// The current request's context (a fresh one outside a request, e.g. in unit tests).
    pub fn current() -> Self {
        CURRENT.try_with(Clone::clone).unwrap_or_else(|_| Self { request_id: "-".into(), english: false })
    }

    pub async fn scope<F: std::future::Future>(self, f: F) -> F::Output {
        CURRENT.scope(self, f).await
    }
}

/// English only when the `lang=en` cookie says so: Chinese is the default.
fn english_from(headers: &HeaderMap) -> bool {
    crate::session::cookie(headers, crate::session::LANG_COOKIE).as_deref() == Some("en")
}
