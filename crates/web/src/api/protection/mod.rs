//! Signing in and out over the API, and who the caller is; the caller's account, the audit
//! trail and administration in `admin`.

pub(super) mod admin;
pub(super) mod recusal;

use app::{Credentials, LoginKind};
use axum::{
    Json,
    extract::State,
    http::{HeaderMap, StatusCode},
};
use domain::{UnitId, UserId, protection::role::Role};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::extract::ApiJson;
use crate::{
    AppState,
    error::{ApiError, ErrorBody},
    session::{ApiUser, ClientAddr, bearer},
};

#[derive(Deserialize, ToSchema)]
pub struct LoginBody {
    username: String,
    password: String,
    /// The six-digit code, for accounts with a second factor.
    #[serde(default)]
    otp: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct TokenBody {
    /// Send as `Authorization: Bearer <token>`.
    token: String,
    /// Always `Bearer`.
    token_type: &'static str,
}

/// Signs in and returns a bearer token for the API session.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "protection", operation_id = "login",
    request_body = LoginBody,
    responses(
        (status = 200, description = "Signed in", body = TokenBody),
        (status = 401, description = "Wrong credentials", body = ErrorBody),
        (status = 429, description = "Too many failed attempts", body = ErrorBody),
    ))]
pub async fn api_login(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    ApiJson(b): ApiJson<LoginBody>,
) -> Result<Json<TokenBody>, ApiError> {
    let cred = Credentials { username: &b.username, password: &b.password, otp: b.otp.as_deref(), client: &client };
    let s = state.app.protection().login(&cred, LoginKind::Api).await?;
    Ok(Json(TokenBody { token: s.token, token_type: "Bearer" }))
}

/// Ends the API session of the token sent.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "protection", operation_id = "logout",
    security(("bearer" = [])),
    responses((status = 204, description = "Signed out"), (status = 401, description = "No valid token", body = ErrorBody)))]
pub async fn api_logout(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    headers: HeaderMap,
) -> Result<StatusCode, ApiError> {
    if let Some(token) = bearer(&headers) {
        state.app.protection().logout(&token, &actor).await?;
    }
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct Grant {
    role: Role,
    /// The unit whose subtree the role covers.
    unit_id: UnitId,
}

#[derive(Serialize, ToSchema)]
pub struct Me {
    id: UserId,
    username: String,
    display_name: String,
    unit_id: UnitId,
    unit_name: String,
    grants: Vec<Grant>,
}

/// The caller's account and grants.
#[utoipa::path(get, path = "/api/v1/me", tag = "protection", operation_id = "me",
    security(("bearer" = [])),
    responses((status = 200, description = "The caller", body = Me), (status = 401, description = "No valid token", body = ErrorBody)))]
pub async fn api_me(ApiUser(actor): ApiUser) -> Json<Me> {
    Json(Me {
        id: actor.id,
        username: actor.username.clone(),
        display_name: actor.display_name.clone(),
        unit_id: actor.unit_id,
        unit_name: actor.unit_name.clone(),
        grants: actor.grants.iter().map(|g| Grant { role: g.role, unit_id: g.unit }).collect(),
    })
}
