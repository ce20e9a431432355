//! Who is calling: a browser session (cookie) for pages, a bearer token for the API.
//! The API never honours cookies, so cross-site requests cannot ride on ambient
//! credentials there; pages are covered by the global CSRF check.

use app::{Actor, LoginKind, SessionInfo};
use axum::{
    extract::FromRequestParts,
    http::{HeaderMap, HeaderValue, header, request::Parts},
};

use crate::{
    AppState,
    error::{ApiError, PageError},
};

pub const SESSION_COOKIE: &str = "ql_session";
/// Before sign-in there is no session; the login form is protected by this random value
/// (double submit: cookie and form field must match).
pub const PRE_CSRF_COOKIE: &str = "ql_pre";
pub const LANG_COOKIE: &str = "lang";

pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers.get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()).find_map(|line| {
        line.split(';').find_map(|pair| {
            let (k, v) = pair.trim().split_once('=')?;
            (k == name).then(|| v.to_owned())
        })
    })
}

/// A `Set-Cookie` value; `max_age` 0 deletes the cookie.
pub fn set_cookie(name: &str, value: &str, max_age_secs: i64, secure: bool, http_only: bool) -> HeaderValue {
    let mut c = format!("{name}={value}; Path=/; SameSite=Lax; Max-Age={max_age_secs}");
    if http_only {
        c.push_str("; HttpOnly");
    }
    if secure {
        c.push_str("; Secure");
    }
    HeaderValue::from_str(&c).expect("cookie values are ASCII tokens")
}

/// A signed-in browser user. Pages that take this redirect anonymous visitors to login.
pub struct Signed(pub SessionInfo);

impl<S: Send + Sync> FromRequestParts<S> for Signed {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, PageError> {
        parts
            .extensions
            .get::<SessionInfo>()
            .cloned()
            .map(Signed)
            .ok_or_else(|| PageError::from(app::AppError::Unauthenticated))
    }
}

/// An API caller authenticated by `Authorization: Bearer <token>`.
pub struct ApiUser(pub Actor);

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or(app::AppError::Unauthenticated)?;
        let s = state.app.authenticate(token, LoginKind::Api).await?.ok_or(app::AppError::Unauthenticated)?;
        // An initial or reset password must be changed (in the browser) before any API use.
        if s.actor.must_change_password {
            return Err(app::AppError::PasswordChangeRequired.into());
        }
        Ok(ApiUser(s.actor))
    }
}

/// The bearer token itself, for logout.
pub fn bearer(headers: &HeaderMap) -> Option<String> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|t| t.trim().to_owned())
}

impl<S: Send + Sync> axum::extract::OptionalFromRequestParts<S> for Signed {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Option<Self>, Self::Rejection> {
        Ok(parts.extensions.get::<SessionInfo>().cloned().map(Signed))
    }
}

/// The client's address, for throttling sign-in attempts. Taken from the connection (a
/// reverse proxy in front would make every client look alike: see docs on deployment).
pub struct ClientAddr(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let addr = parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|c| c.0.ip().to_string())
            .unwrap_or_else(|| "unknown".into());
        Ok(ClientAddr(addr))
    }
}
