use app::{Credentials, LoginKind};
use axum::{
    Json,
    extract::State,
    http::{HeaderMap, StatusCode},
};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::extract::ApiJson;
use crate::{
    AppState,
    error::ApiError,
    session::{ApiUser, ClientAddr, bearer},
};

#[derive(Deserialize)]
pub struct LoginBody {
    username: String,
    password: String,
    #[serde(default)]
    otp: Option<String>,
}

#[derive(Serialize)]
pub struct TokenBody {
    token: String,
    token_type: &'static str,
}

pub async fn api_login(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    ApiJson(b): ApiJson<LoginBody>,
) -> Result<Json<TokenBody>, ApiError> {
    let cred = Credentials { username: &b.username, password: &b.password, otp: b.otp.as_deref(), client: &client };
    let s = state.app.protection().login(&cred, LoginKind::Api).await?;
    Ok(Json(TokenBody { token: s.token, token_type: "Bearer" }))
}

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

pub async fn api_me(ApiUser(actor): ApiUser) -> Json<Value> {
    let grants: Vec<Value> =
        actor.grants.iter().map(|g| json!({"role": g.role.code(), "unit_id": g.unit.get()})).collect();
    Json(json!({
        "id": actor.id.get(),
        "username": actor.username,
        "display_name": actor.display_name,
        "unit_id": actor.unit_id.get(),
        "unit_name": actor.unit_name,
        "grants": grants,
    }))
}
