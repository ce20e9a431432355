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
    // Names are constants and values hex tokens or language codes, so this always succeeds;
    // were it ever not so, no cookie is better than a wrong one.
    HeaderValue::from_str(&c).unwrap_or_else(|_| HeaderValue::from_static("ql_invalid=; Path=/; Max-Age=0"))
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
        ApiSession::from_request_parts(parts, state).await.map(|ApiSession(s)| ApiUser(s.actor))
    }
}

/// The API session itself, for the caller's own account (tokens, password, second factor).
pub struct ApiSession(pub app::SessionInfo);

impl FromRequestParts<AppState> for ApiSession {
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
        let s =
            state.app.protection().authenticate(token, LoginKind::Api).await?.ok_or(app::AppError::Unauthenticated)?;
        // An initial or reset password must be changed (in the browser) before any API use.
        if s.actor.must_change_password {
            return Err(app::AppError::PasswordChangeRequired.into());
        }
        Ok(ApiSession(s))
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

/// The client's address, for throttling sign-in attempts: the connection's, or, when the
/// connection comes from a trusted reverse proxy, the nearest address in `X-Forwarded-For`
/// that is not itself a trusted proxy (entries further left can be forged by the client).
pub struct ClientAddr(pub String);

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let Some(peer) = parts.extensions.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().map(|c| c.0.ip())
        else {
            return Ok(ClientAddr("unknown".into()));
        };
        Ok(ClientAddr(client_ip(peer, &parts.headers, &state.trusted_proxies).to_string()))
    }
}

fn client_ip(peer: std::net::IpAddr, headers: &HeaderMap, trusted: &[std::net::IpAddr]) -> std::net::IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    let forwarded: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    for entry in forwarded.iter().rev() {
        match entry.parse::<std::net::IpAddr>() {
            Ok(ip) if trusted.contains(&ip) => continue,
            Ok(ip) => return ip,
            Err(_) => return peer,
        }
    }
    peer
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_xff(v: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", HeaderValue::from_str(v).unwrap());
        h
    }

    #[test]
    fn forwarded_addresses_count_only_from_trusted_proxies() {
        let proxy: std::net::IpAddr = "10.0.0.5".parse().unwrap();
        let client: std::net::IpAddr = "203.0.113.7".parse().unwrap();
        // The client forged the left entry; the proxy appended the real one.
        let h = with_xff("198.51.100.1, 203.0.113.7");
        assert_eq!(client_ip(proxy, &h, &[proxy]), client);
        assert_eq!(client_ip(client, &h, &[proxy]), client, "not from the proxy: the header is ignored");
        assert_eq!(client_ip(proxy, &h, &[]), proxy, "no trusted proxies: the header is ignored");
        // Two proxies in a row: skip both.
        let inner: std::net::IpAddr = "10.0.0.6".parse().unwrap();
        assert_eq!(client_ip(inner, &with_xff("203.0.113.7, 10.0.0.5"), &[proxy, inner]), client);
        assert_eq!(client_ip(proxy, &with_xff("garbage"), &[proxy]), proxy);
        assert_eq!(client_ip(proxy, &HeaderMap::new(), &[proxy]), proxy);
    }
}
