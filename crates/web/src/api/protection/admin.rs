//! Protection over the API, continued: the caller's own account (tokens, password, second
//! factor, e-mail), the audit trail for the auditor, and the administrators' work (三员分立:
//! the system administrator keeps units and accounts, the security administrator grants,
//! unlocks and resets).

use app::{AuditQuery, from_micros};
use axum::{
    Json,
    extract::{Query, State, rejection::QueryRejection},
    http::StatusCode,
    response::Response,
};
use domain::{UnitId, UserId, protection::role::Role};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;

use super::super::lifecycle::Created;
use crate::extract::{ApiJson, ApiPath};
use crate::{
    AppState, RequestContext,
    error::{ApiError, ErrorBody, Problem},
    session::{ApiSession, ApiUser},
};

fn query<T>(q: Result<Query<T>, QueryRejection>) -> Result<T, ApiError> {
    q.map(|Query(v)| v).map_err(|e| ApiError(Problem::malformed(&e.body_text())))
}

#[derive(Serialize, ToSchema)]
pub struct Tokens {
    items: Vec<app::TokenInfo>,
}

/// The caller's API tokens (never their secrets).
#[utoipa::path(get, path = "/api/v1/account/tokens", tag = "protection", operation_id = "listTokens",
    security(("bearer" = [])), responses((status = 200, description = "The caller's tokens", body = Tokens)))]
pub async fn api_tokens(State(state): State<AppState>, ApiSession(s): ApiSession) -> Result<Json<Tokens>, ApiError> {
    Ok(Json(Tokens { items: state.app.protection().api_tokens(&s).await? }))
}

#[derive(Deserialize, ToSchema)]
pub struct NewToken {
    #[schema(min_length = 1, max_length = 60)]
    name: String,
    /// Days until it expires (1 to 365).
    days: i64,
}

#[derive(Serialize, ToSchema)]
pub struct IssuedToken {
    id: i64,
    /// Shown this once.
    token: String,
}

/// Creates an API token for the caller.
#[utoipa::path(post, path = "/api/v1/account/tokens", tag = "protection", operation_id = "createToken",
    security(("bearer" = [])), request_body = NewToken,
    responses(
        (status = 201, description = "Created", body = IssuedToken),
        (status = 400, description = "The body is not JSON of this shape", body = ErrorBody),
        (status = 422, description = "No name, or a lifetime out of range", body = ErrorBody),
    ))]
pub async fn api_token_create(
    State(state): State<AppState>,
    ApiSession(s): ApiSession,
    ApiJson(b): ApiJson<NewToken>,
) -> Result<(StatusCode, Json<IssuedToken>), ApiError> {
    let (id, token) = state.app.protection().create_api_token(&s, &b.name, b.days).await?;
    Ok((StatusCode::CREATED, Json(IssuedToken { id, token })))
}

/// Revokes one of the caller's tokens.
#[utoipa::path(delete, path = "/api/v1/account/tokens/{id}", tag = "protection", operation_id = "revokeToken",
    security(("bearer" = [])), params(("id" = i64, Path, description = "The token's id")),
    responses(
        (status = 204, description = "Revoked"),
        (status = 404, description = "Not a token of the caller's", body = ErrorBody),
    ))]
pub async fn api_token_revoke(
    State(state): State<AppState>,
    ApiSession(s): ApiSession,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    state.app.protection().revoke_api_token(&s, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
pub struct PasswordChange {
    current_password: String,
    new_password: String,
}

/// Changes the caller's password.
#[utoipa::path(post, path = "/api/v1/account/password", tag = "protection", operation_id = "changePassword",
    security(("bearer" = [])), request_body = PasswordChange,
    responses(
        (status = 204, description = "Changed"),
        (status = 400, description = "The body is not JSON of this shape", body = ErrorBody),
        (status = 422, description = "The current password is wrong, or the new one too weak", body = ErrorBody),
    ))]
pub async fn api_password(
    State(state): State<AppState>,
    ApiSession(s): ApiSession,
    ApiJson(b): ApiJson<PasswordChange>,
) -> Result<StatusCode, ApiError> {
    state.app.protection().change_password(&s, &b.current_password, &b.new_password).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct TotpOffer {
    /// Base32, for typing into an authenticator app.
    secret: String,
    /// The `otpauth://` URI authenticator apps read.
    uri: String,
}

/// A new second-factor secret to enrol (nothing is stored until it is confirmed).
#[utoipa::path(post, path = "/api/v1/account/totp/offer", tag = "protection", operation_id = "offerTotp",
    security(("bearer" = [])), responses((status = 200, description = "A secret to enrol", body = TotpOffer)))]
pub async fn api_totp_offer(State(state): State<AppState>, ApiSession(s): ApiSession) -> Json<TotpOffer> {
    let o = state.app.protection().totp_offer(&s);
    Json(TotpOffer { secret: o.secret, uri: o.uri })
}

#[derive(Deserialize, ToSchema)]
pub struct TotpEnable {
    secret: String,
    /// The six digits the app shows now.
    code: String,
}

/// Turns the second factor on with an offered secret and a current code.
#[utoipa::path(post, path = "/api/v1/account/totp", tag = "protection", operation_id = "enableTotp",
    security(("bearer" = [])), request_body = TotpEnable,
    responses(
        (status = 204, description = "On"),
        (status = 400, description = "The body is not JSON of this shape", body = ErrorBody),
        (status = 422, description = "The code does not match", body = ErrorBody),
    ))]
pub async fn api_totp_enable(
    State(state): State<AppState>,
    ApiSession(s): ApiSession,
    ApiJson(b): ApiJson<TotpEnable>,
) -> Result<StatusCode, ApiError> {
    state.app.protection().totp_enable(&s, &b.secret, &b.code).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct Email {
    /// Where warning mail goes; empty for none.
    email: String,
}

/// The caller's e-mail address for warning mail.
#[utoipa::path(get, path = "/api/v1/account/email", tag = "protection", operation_id = "getEmail",
    security(("bearer" = [])), responses((status = 200, description = "The address", body = Email)))]
pub async fn api_email_get(State(state): State<AppState>, ApiUser(actor): ApiUser) -> Result<Json<Email>, ApiError> {
    Ok(Json(Email { email: state.app.protection().email_of(&actor).await? }))
}

/// Sets (or clears) the caller's e-mail address.
#[utoipa::path(put, path = "/api/v1/account/email", tag = "protection", operation_id = "setEmail",
    security(("bearer" = [])), request_body = Email,
    responses(
        (status = 204, description = "Saved"),
        (status = 400, description = "The body is not JSON of this shape", body = ErrorBody),
        (status = 422, description = "Not an e-mail address", body = ErrorBody),
    ))]
pub async fn api_email_put(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiJson(b): ApiJson<Email>,
) -> Result<StatusCode, ApiError> {
    state.app.protection().set_email(&actor, &b.email).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct AuditEntry {
    seq: i64,
    #[serde(with = "time::serde::rfc3339")]
    at: OffsetDateTime,
    actor_name: String,
    action: String,
    record_type: String,
    record_id: String,
    before: Option<String>,
    after: Option<String>,
    detail: Option<String>,
    /// This entry's link in the hash chain.
    hash: String,
}

#[derive(Serialize, ToSchema)]
pub struct AuditPage {
    items: Vec<AuditEntry>,
    total: i64,
    page: i64,
    per_page: i64,
}

/// The audit trail, filtered and paged (the security auditor).
#[utoipa::path(get, path = "/api/v1/audit", tag = "protection", operation_id = "auditTrail",
    security(("bearer" = [])), params(AuditQuery),
    responses(
        (status = 200, description = "One page of entries, newest first", body = AuditPage),
        (status = 403, description = "Only the security auditor", body = ErrorBody),
        (status = 422, description = "A filter is not valid", body = ErrorBody),
    ))]
pub async fn api_audit(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    q: Result<Query<AuditQuery>, QueryRejection>,
) -> Result<Json<AuditPage>, ApiError> {
    let q = query(q)?;
    let cap = actor.audit_reader()?;
    let p = state.app.protection().audit_entries(&cap, &q).await?;
    let items = p
        .entries
        .into_iter()
        .map(|e| AuditEntry {
            seq: e.seq,
            at: from_micros(e.at),
            actor_name: e.actor_name,
            action: e.action,
            record_type: e.record_type,
            record_id: e.record_id,
            before: e.before,
            after: e.after,
            detail: e.detail,
            hash: e.hash,
        })
        .collect();
    Ok(Json(AuditPage { items, total: p.total, page: p.page, per_page: p.per_page }))
}

/// The filtered audit trail as an xlsx workbook (the export is itself audited).
#[utoipa::path(get, path = "/api/v1/audit/export", tag = "protection", operation_id = "auditExport",
    security(("bearer" = [])), params(AuditQuery),
    responses(
        (status = 200, description = "The workbook", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 403, description = "Only the security auditor", body = ErrorBody),
        (status = 422, description = "A filter is not valid", body = ErrorBody),
    ))]
pub async fn api_audit_export(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    q: Result<Query<AuditQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let q = query(q)?;
    let cap = actor.audit_reader()?;
    let entries = state.app.protection().audit_export(&cap, &q).await?;
    let (entries, names) = entries;
    Ok(crate::pages::protection::audit::workbook(
        &entries,
        &names,
        crate::i18n::texts(RequestContext::current().english),
    )?)
}

#[derive(Serialize, ToSchema)]
pub struct Verification {
    entries: i64,
    /// The first broken entry's sequence number, if any.
    first_broken: Option<i64>,
    /// Why it is broken.
    reason: Option<String>,
}

/// Re-computes the whole hash chain (the security auditor).
#[utoipa::path(get, path = "/api/v1/audit/verify", tag = "protection", operation_id = "auditVerify",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The outcome", body = Verification),
        (status = 403, description = "Only the security auditor", body = ErrorBody),
    ))]
pub async fn api_audit_verify(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
) -> Result<Json<Verification>, ApiError> {
    actor.audit_reader()?;
    let v = state.app.protection().verify_audit().await?;
    let (first_broken, reason) = v.first_broken.map_or((None, None), |(seq, why)| (Some(seq), Some(why)));
    Ok(Json(Verification { entries: v.entries, first_broken, reason }))
}

#[derive(Serialize, ToSchema)]
pub struct AccountGrant {
    role: Role,
    unit_id: UnitId,
    unit_name: String,
}

#[derive(Serialize, ToSchema)]
pub struct Account {
    id: UserId,
    username: String,
    display_name: String,
    unit_name: String,
    grants: Vec<AccountGrant>,
    /// Held back from at least one address after failed sign-ins.
    locked: bool,
    /// Failed sign-ins in the last quarter hour, over all addresses.
    failed_sign_ins: i64,
    must_change_password: bool,
}

#[derive(Serialize, ToSchema)]
pub struct Accounts {
    items: Vec<Account>,
}

/// Every account, without password material (the system and security administrators).
#[utoipa::path(get, path = "/api/v1/admin/accounts", tag = "protection", operation_id = "adminAccounts",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Every account", body = Accounts),
        (status = 403, description = "Only the administrators", body = ErrorBody),
    ))]
pub async fn api_accounts(State(state): State<AppState>, ApiUser(actor): ApiUser) -> Result<Json<Accounts>, ApiError> {
    let rows = state.app.protection().admin_accounts(&actor).await?;
    let items = rows
        .into_iter()
        .map(|a| Account {
            id: a.id,
            username: a.username,
            display_name: a.display_name,
            unit_name: a.unit_name,
            grants: a
                .grants
                .into_iter()
                .map(|(role, unit_id, unit_name)| AccountGrant { role, unit_id, unit_name })
                .collect(),
            locked: a.locked,
            failed_sign_ins: a.failed_sign_ins,
            must_change_password: a.must_change_password,
        })
        .collect();
    Ok(Json(Accounts { items }))
}

#[derive(Deserialize, ToSchema)]
pub struct NewUnit {
    #[schema(min_length = 1)]
    code: String,
    #[schema(min_length = 1, max_length = 60)]
    name: String,
    kind: domain::ledger::unit::UnitKind,
    parent: Option<UnitId>,
}

/// Creates a unit (the system administrator).
#[utoipa::path(post, path = "/api/v1/admin/units", tag = "protection", operation_id = "createUnit",
    security(("bearer" = [])), request_body = NewUnit,
    responses(
        (status = 201, description = "Created", body = Created),
        (status = 400, description = "The body is not JSON of this shape", body = ErrorBody),
        (status = 403, description = "Only the system administrator", body = ErrorBody),
        (status = 422, description = "Fields wrong, or the code is taken", body = ErrorBody),
    ))]
pub async fn api_unit_create(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiJson(u): ApiJson<NewUnit>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let cap = actor.unit_admin()?;
    let parent = u.parent.map(|p| p.to_string()).unwrap_or_default();
    let id = state.app.protection().admin_create_unit(&cap, &u.code, &u.name, u.kind.code(), &parent).await?;
    Ok((StatusCode::CREATED, Json(Created { id: id.get() })))
}

#[derive(Deserialize, ToSchema)]
pub struct NewAccount {
    #[schema(min_length = 1, max_length = 40, pattern = "^[A-Za-z0-9._-]+$")]
    username: String,
    #[schema(min_length = 1, max_length = 60)]
    display_name: String,
    /// The holder's real name, for recusal (回避); omitted or empty: the display name.
    #[serde(default)]
    #[schema(max_length = 60)]
    real_name: String,
    /// The holder's ID number (15 or 18 characters), kept only as a keyed hash.
    #[serde(default)]
    #[schema(pattern = "^([0-9]{15}|[0-9]{17}[0-9Xx])?$")]
    id_number: String,
    unit_id: UnitId,
    /// To be changed at first sign-in.
    initial_password: String,
}

/// Creates an account with no roles (the system administrator; the security administrator
/// grants roles).
#[utoipa::path(post, path = "/api/v1/admin/accounts", tag = "protection", operation_id = "createAccount",
    security(("bearer" = [])), request_body = NewAccount,
    responses(
        (status = 201, description = "Created", body = Created),
        (status = 400, description = "The body is not JSON of this shape", body = ErrorBody),
        (status = 403, description = "Only the system administrator", body = ErrorBody),
        (status = 422, description = "Fields wrong, or the username is taken", body = ErrorBody),
    ))]
pub async fn api_account_create(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiJson(a): ApiJson<NewAccount>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let cap = actor.unit_admin()?;
    let unit = a.unit_id.to_string();
    let request = app::AccountRequest {
        username: &a.username,
        display_name: &a.display_name,
        real_name: &a.real_name,
        id_number: &a.id_number,
        unit: &unit,
        initial_password: &a.initial_password,
    };
    let id = state.app.protection().admin_create_account(&cap, &request).await?;
    Ok((StatusCode::CREATED, Json(Created { id: id.get() })))
}

#[derive(Deserialize, ToSchema)]
pub struct GrantChange {
    role: Role,
    unit_id: UnitId,
}

/// Grants a role over a unit's subtree (the security administrator).
#[utoipa::path(post, path = "/api/v1/admin/accounts/{id}/grants", tag = "protection", operation_id = "grantRole",
    security(("bearer" = [])), params(("id" = i64, Path, description = "The account's id")), request_body = GrantChange,
    responses(
        (status = 204, description = "Granted"),
        (status = 400, description = "The body is not JSON of this shape", body = ErrorBody),
        (status = 403, description = "Only the security administrator", body = ErrorBody),
        (status = 404, description = "No such account", body = ErrorBody),
        (status = 422, description = "Not allowed (e.g. mixing administrator roles)", body = ErrorBody),
    ))]
pub async fn api_grant(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(g): ApiJson<GrantChange>,
) -> Result<StatusCode, ApiError> {
    let cap = actor.grant_admin()?;
    let unit = g.unit_id.to_string();
    state.app.protection().admin_grant(&cap, UserId::from_raw(id), g.role.code(), &unit).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Revokes a role (the security administrator).
#[utoipa::path(post, path = "/api/v1/admin/accounts/{id}/grants/revoke", tag = "protection", operation_id = "revokeRole",
    security(("bearer" = [])), params(("id" = i64, Path, description = "The account's id")), request_body = GrantChange,
    responses(
        (status = 204, description = "Revoked"),
        (status = 400, description = "The body is not JSON of this shape", body = ErrorBody),
        (status = 403, description = "Only the security administrator", body = ErrorBody),
        (status = 404, description = "No such account", body = ErrorBody),
        (status = 422, description = "The account holds no such grant", body = ErrorBody),
    ))]
pub async fn api_revoke(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(g): ApiJson<GrantChange>,
) -> Result<StatusCode, ApiError> {
    let cap = actor.grant_admin()?;
    let unit = g.unit_id.to_string();
    state.app.protection().admin_revoke(&cap, UserId::from_raw(id), g.role.code(), &unit).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Unlocks an account locked by failed sign-ins (the security administrator).
#[utoipa::path(post, path = "/api/v1/admin/accounts/{id}/unlock", tag = "protection", operation_id = "unlockAccount",
    security(("bearer" = [])), params(("id" = i64, Path, description = "The account's id")),
    responses(
        (status = 204, description = "Unlocked"),
        (status = 403, description = "Only the security administrator", body = ErrorBody),
        (status = 404, description = "No such account", body = ErrorBody),
    ))]
pub async fn api_unlock(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    let cap = actor.grant_admin()?;
    state.app.protection().admin_unlock(&cap, UserId::from_raw(id)).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct Reset {
    /// A one-time password, to be changed at the next sign-in; shown this once.
    password: String,
}

/// Resets an account's password (the security administrator; not their own).
#[utoipa::path(post, path = "/api/v1/admin/accounts/{id}/reset", tag = "protection", operation_id = "resetPassword",
    security(("bearer" = [])), params(("id" = i64, Path, description = "The account's id")),
    responses(
        (status = 200, description = "Reset", body = Reset),
        (status = 403, description = "Only the security administrator", body = ErrorBody),
        (status = 404, description = "No such account", body = ErrorBody),
        (status = 422, description = "Not one's own account", body = ErrorBody),
    ))]
pub async fn api_reset(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Reset>, ApiError> {
    let cap = actor.grant_admin()?;
    let password = state.app.protection().admin_reset_password(&cap, UserId::from_raw(id)).await?;
    Ok(Json(Reset { password }))
}
