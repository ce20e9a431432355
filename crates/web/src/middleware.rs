//! Layers applied to every route: request context and security headers, session loading,
//! and CSRF verification of every unsafe method.

use app::LoginKind;
use axum::{
    body::{Body, to_bytes},
    extract::{Request, State},
    http::{HeaderValue, Method, header},
    middleware::Next,
    response::{IntoResponse, Redirect, Response},
};
use tracing::Instrument;

use crate::{
    AppState, BODY_LIMIT,
    context::RequestContext,
    error::{PageError, Problem},
    session::{PRE_CSRF_COOKIE, SESSION_COOKIE, cookie},
};

const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                   form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

fn is_api(path: &str) -> bool {
    path.starts_with("/api/")
}

/// Gives the request an id and language, and every response the security headers.
pub async fn request_context(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let ctx = RequestContext::from_headers(req.headers());
    let id = ctx.request_id.clone();
    let is_static = req.uri().path().starts_with("/static/");
    // Everything logged while serving the request, use cases included, carries its id. The
    // query string is left out: ledger filters are lead content.
    let span = tracing::info_span!("request", request_id = %id, method = %req.method(), path = %req.uri().path());
    let mut res = ctx.scope(next.run(req)).instrument(span).await;
    let h = res.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&id) {
        h.insert("x-request-id", v);
    }
    // A handler's own, stricter policy (an attachment's sandbox) stands.
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    }
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    if !is_static {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if state.secure_cookies {
        // Served over TLS (directly or behind a proxy): browsers must keep to HTTPS.
        h.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000"));
    }
    res
}

/// A handler that panics still answers: a 500 (page or JSON) with the request id, and the
/// panic is logged under that id. Without this the connection drops with no answer at all.
pub async fn catch_panic(req: Request, next: Next) -> Response {
    use futures_util::FutureExt;
    let api = is_api(req.uri().path());
    match std::panic::AssertUnwindSafe(next.run(req)).catch_unwind().await {
        Ok(res) => res,
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            tracing::error!(panic = %what, "a handler panicked");
            let problem = Problem::from(app::AppError::internal("a handler panicked"));
            if api { crate::error::ApiError(problem).into_response() } else { PageError(problem).into_response() }
        }
    }
}

/// Loads the browser session named by the cookie into the request, if it is live; keeps a
/// message the handler left for the next page ([`crate::pages::Flashed`]) with the session.
pub async fn load_session(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let mut token = None;
    if !is_api(req.uri().path())
        && let Some(t) = cookie(req.headers(), SESSION_COOKIE)
    {
        match state.app.protection().authenticate(&t, LoginKind::Browser).await {
            Ok(Some(s)) => {
                // An initial or reset password must be changed before anything else.
                if s.actor.must_change_password && !allowed_before_password_change(req.uri().path()) {
                    return axum::response::Redirect::to("/account/password").into_response();
                }
                req.extensions_mut().insert(s);
                token = Some(t);
            }
            Ok(None) => {}
            Err(e) => return PageError::from(e).into_response(),
        }
    }
    let mut res = next.run(req).await;
    if let Some(crate::pages::Flashed(flash)) = res.extensions_mut().remove::<crate::pages::Flashed>()
        && let Some(t) = token
        && let Err(e) = state.app.protection().set_flash(&t, &flash).await
    {
        return PageError::from(e).into_response();
    }
    res
}

fn allowed_before_password_change(path: &str) -> bool {
    path == "/account/password" || path == "/logout" || path.starts_with("/static/") || path.starts_with("/lang/")
}

/// Refuses unsafe requests to pages unless they carry the session's CSRF token (or, before
/// sign-in, the pre-session token) in the `x-csrf-token` header or the `csrf_token` field.
/// A form posted with the cookie and token of a session that has since ended by idling is
/// kept instead, and the user is sent to sign in again to take it back.
pub async fn csrf(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if safe || is_api(req.uri().path()) {
        return next.run(req).await;
    }
    let live = req.extensions().get::<app::SessionInfo>().map(|s| s.csrf_token.clone());
    let ended_session = if live.is_none() { cookie(req.headers(), SESSION_COOKIE) } else { None };
    let expected = live.or_else(|| cookie(req.headers(), PRE_CSRF_COOKIE));
    let header_token = req.headers().get("x-csrf-token").and_then(|v| v.to_str().ok()).map(str::to_owned);
    if crate::upload::streams(req.method(), req.uri().path()) {
        // The body is a file streamed to its handler, not read here: the form's action URL
        // carries the token (the query string is never logged, and no Referer leaves).
        let query = req.uri().query().unwrap_or_default();
        let given =
            form_urlencoded::parse(query.as_bytes()).find(|(k, _)| k == "csrf_token").map(|(_, v)| v.into_owned());
        let given = header_token.or(given);
        return match (given, expected.filter(|t| t.len() >= 32)) {
            (Some(g), Some(e)) if app::constant_time_eq(g.as_bytes(), e.as_bytes()) => next.run(req).await,
            _ => PageError(Problem::csrf()).into_response(),
        };
    }
    let limit = if crate::upload::takes_files(req.uri().path()) { crate::upload::UPLOAD_LIMIT } else { BODY_LIMIT };
    let (parts, body) = req.into_parts();
    let bytes = match to_bytes(body, limit).await {
        Ok(b) => b,
        Err(_) => return PageError(Problem::too_large()).into_response(),
    };
    let multipart = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/"));
    if !multipart && !form_is_utf8(&bytes) {
        // Decoding would put U+FFFD where the bytes were: refuse, as the API does.
        return PageError(Problem::malformed("a form field is not valid UTF-8")).into_response();
    }
    let submitted = match (header_token, multipart) {
        (Some(t), _) => Some(t),
        (None, true) => {
            let ct = parts.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
            let form = crate::upload::parts(ct, bytes.clone()).await.unwrap_or_default();
            crate::upload::text(&form, "csrf_token").map(str::to_owned)
        }
        (None, false) => form_urlencoded::parse(&bytes).find(|(k, _)| k == "csrf_token").map(|(_, v)| v.into_owned()),
    };
    let path = parts.uri.path();
    if let (Some(token), Some(csrf)) = (&ended_session, &submitted)
        && !multipart
        && path != "/login"
        && path != "/logout"
    {
        match state.app.protection().keep_form(token, csrf, path, &bytes).await {
            Ok(Some(id)) => return Redirect::to(&format!("/login?resume={id}")).into_response(),
            Ok(None) => {}
            Err(e) => return PageError::from(e).into_response(),
        }
    }
    match (submitted, expected.filter(|t| t.len() >= 32)) {
        (Some(s), Some(expected)) if app::constant_time_eq(s.as_bytes(), expected.as_bytes()) => {
            next.run(Request::from_parts(parts, Body::from(bytes))).await
        }
        _ => {
            tracing::warn!(path = %parts.uri.path(), "CSRF check failed");
            PageError(Problem::csrf()).into_response()
        }
    }
}

/// Whether every name and value of a url-encoded body decodes to valid UTF-8.
fn form_is_utf8(body: &[u8]) -> bool {
    fn hex(b: u8) -> Option<u8> {
        (b as char).to_digit(16).map(|d| d as u8)
    }
    body.split(|b| *b == b'&').flat_map(|pair| pair.split(|b| *b == b'=')).all(|part| {
        let mut out = Vec::with_capacity(part.len());
        let mut i = 0;
        while i < part.len() {
            match (part[i], part.get(i + 1).copied().and_then(hex), part.get(i + 2).copied().and_then(hex)) {
                (b'%', Some(h), Some(l)) => {
                    out.push(h << 4 | l);
                    i += 3;
                }
                (b, _, _) => {
                    out.push(b);
                    i += 1;
                }
            }
        }
        std::str::from_utf8(&out).is_ok()
    })
}

#[cfg(test)]
mod tests {
    use super::form_is_utf8;

    #[test]
    fn forms_must_be_utf8() {
        assert!(form_is_utf8(b"name=%E6%9D%8E%E6%9F%90&post=a+b&x=100%"));
        assert!(!form_is_utf8(b"name=%E6%9D&post=x"), "a cut multi-byte character");
        assert!(!form_is_utf8(b"na%FFme=x"), "in a name too");
        assert!(!form_is_utf8(&[b'a', b'=', 0xC3]), "raw bytes");
    }
}
