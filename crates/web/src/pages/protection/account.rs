//! My account: password, personal API tokens, second factor.

use std::collections::HashMap;

use app::{AppError, SessionInfo, TokenInfo};
use askama::Template;
use axum::{
    Form,
    extract::{Query, State},
    http::StatusCode,
    response::{Html, IntoResponse, Redirect, Response},
};
use serde::Deserialize;

use crate::forms::FormState;
use crate::pages::{Chrome, field_messages, render};
use crate::{
    AppState,
    context::RequestContext,
    error::PageError,
    extract::PagePath,
    i18n::{self, Texts},
    session::Signed,
};

#[derive(Template)]
#[template(path = "protection/account.html")]
struct AccountPage {
    t: &'static Texts,
    chrome: Chrome,
    forced: bool,
    notice: Option<&'static str>,
    errors: HashMap<String, String>,
    /// The refused form's errors as the summary at the top lists them, each linking to its field.
    summary: FormState,
    new_token: Option<String>,
    tokens: Vec<TokenRow>,
    totp_on: bool,
    totp_secret: String,
    totp_uri: String,
    email: String,
}

impl AccountPage {
    fn err(&self, field: &str) -> Option<&str> {
        self.errors.get(field).map(String::as_str)
    }
}

/// The account forms' fields as their labels name them.
fn label(field: &str, t: &Texts) -> Option<&'static str> {
    let p = &t.protection;
    Some(match field {
        "current_password" => p.current_password,
        "new_password" => p.new_password,
        "confirm_password" => p.confirm_password,
        "name" => p.token_name,
        "days" => p.token_days,
        "email" => p.email_label,
        "code" => p.totp_code,
        _ => return None,
    })
}

struct TokenRow {
    id: i64,
    name: String,
    created: String,
    expires: String,
    state: &'static str,
    live: bool,
}

#[derive(Default)]
struct Extra {
    notice: Option<&'static str>,
    /// The prefix of the refused form's field ids (`token`, `totp`; none for the others).
    form: &'static str,
    errors: Vec<domain::FieldError>,
    new_token: Option<String>,
    /// The secret being enrolled, kept when the code was mistyped (the user's app has it).
    totp_secret: Option<String>,
}

async fn page(state: &AppState, s: &SessionInfo, forced: bool, extra: Extra) -> Result<String, PageError> {
    let en = RequestContext::current().english;
    let t = i18n::texts(en);
    let tokens = state.app.protection().api_tokens(s).await?;
    let offer = match &extra.totp_secret {
        Some(secret) => state.app.protection().totp_offer_again(s, secret),
        None => None,
    }
    .unwrap_or_else(|| state.app.protection().totp_offer(s));
    let row = |k: TokenInfo| TokenRow {
        id: k.id,
        name: k.name,
        created: domain::dates::format_instant(k.created_at),
        expires: domain::dates::format_instant(k.expires_at),
        state: if k.revoked {
            t.protection.token_revoked
        } else if k.expired {
            t.protection.token_expired
        } else {
            t.protection.token_live
        },
        live: !k.revoked && !k.expired,
    };
    render(AccountPage {
        t,
        chrome: Chrome::new(s, t, "/account".into(), "account"),
        forced,
        notice: extra.notice,
        errors: field_messages(&extra.errors, en),
        summary: FormState::blank(extra.form).refused(&extra.errors, en, |f| label(f, t)),
        new_token: extra.new_token,
        tokens: tokens.into_iter().map(row).collect(),
        totp_on: s.actor.has_second_factor,
        email: state.app.protection().email_of(&s.actor).await?,
        totp_uri: offer.uri,
        totp_secret: offer.secret,
    })
}

#[derive(Deserialize, Default)]
pub struct AccountFlash {
    #[serde(default)]
    done: String,
}

pub async fn view_account_get(
    State(state): State<AppState>,
    Signed(s): Signed,
    Query(f): Query<AccountFlash>,
) -> Result<Html<String>, PageError> {
    let t = i18n::texts(RequestContext::current().english);
    let notice = match f.done.as_str() {
        "password" => Some(t.protection.password_changed),
        "totp" => Some(t.protection.totp_enabled),
        "email" => Some(t.saved_ok),
        _ => None,
    };
    Ok(Html(page(&state, &s, false, Extra { notice, ..Default::default() }).await?))
}

pub async fn view_password_get(State(state): State<AppState>, Signed(s): Signed) -> Result<Html<String>, PageError> {
    let forced = s.actor.must_change_password;
    Ok(Html(page(&state, &s, forced, Extra::default()).await?))
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    confirm_password: String,
}

fn invalid(status: StatusCode, html: String) -> Response {
    (status, Html(html)).into_response()
}

pub async fn view_password_post(
    State(state): State<AppState>,
    Signed(s): Signed,
    Form(f): Form<PasswordForm>,
) -> Result<Response, PageError> {
    let t = i18n::texts(RequestContext::current().english);
    let forced = s.actor.must_change_password;
    if f.new_password != f.confirm_password {
        let e = domain::FieldError::new(
            "confirm_password",
            "differs",
            t.protection.passwords_differ,
            t.protection.passwords_differ,
        );
        let html = page(&state, &s, forced, Extra { errors: vec![e], ..Default::default() }).await?;
        return Ok(invalid(StatusCode::UNPROCESSABLE_ENTITY, html));
    }
    match state.app.protection().change_password(&s, &f.current_password, &f.new_password).await {
        Ok(()) => Ok(Redirect::to("/account?done=password").into_response()),
        Err(AppError::Invalid(i)) => {
            let html = page(&state, &s, forced, Extra { errors: i.0, ..Default::default() }).await?;
            Ok(invalid(StatusCode::UNPROCESSABLE_ENTITY, html))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    days: String,
}

pub async fn view_token_create(
    State(state): State<AppState>,
    Signed(s): Signed,
    Form(f): Form<TokenForm>,
) -> Result<Response, PageError> {
    let days = f.days.trim().parse::<i64>().unwrap_or(0);
    match state.app.protection().create_api_token(&s, &f.name, days).await {
        Ok((_, secret)) => {
            Ok(Html(page(&state, &s, false, Extra { new_token: Some(secret), ..Default::default() }).await?)
                .into_response())
        }
        Err(AppError::Invalid(i)) => {
            let html = page(&state, &s, false, Extra { form: "token", errors: i.0, ..Default::default() }).await?;
            Ok(invalid(StatusCode::UNPROCESSABLE_ENTITY, html))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn view_token_revoke(
    State(state): State<AppState>,
    Signed(s): Signed,
    PagePath(id): PagePath<i64>,
) -> Result<Redirect, PageError> {
    state.app.protection().revoke_api_token(&s, id).await?;
    Ok(Redirect::to("/account"))
}

#[derive(Deserialize)]
pub struct TotpForm {
    #[serde(default)]
    secret: String,
    #[serde(default)]
    code: String,
}

pub async fn view_totp_post(
    State(state): State<AppState>,
    Signed(s): Signed,
    Form(f): Form<TotpForm>,
) -> Result<Response, PageError> {
    match state.app.protection().totp_enable(&s, &f.secret, &f.code).await {
        Ok(()) => Ok(Redirect::to("/account?done=totp").into_response()),
        Err(AppError::Invalid(i)) => {
            let keep = Some(f.secret.trim().to_owned());
            let html =
                page(&state, &s, false, Extra { form: "totp", errors: i.0, totp_secret: keep, ..Default::default() })
                    .await?;
            Ok(invalid(StatusCode::UNPROCESSABLE_ENTITY, html))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct EmailForm {
    #[serde(default)]
    email: String,
}

pub async fn view_email_post(
    State(state): State<AppState>,
    Signed(s): Signed,
    Form(f): Form<EmailForm>,
) -> Result<Response, PageError> {
    match state.app.protection().set_email(&s.actor, &f.email).await {
        Ok(()) => Ok(Redirect::to("/account?done=email").into_response()),
        Err(AppError::Invalid(i)) => {
            let html = page(&state, &s, false, Extra { errors: i.0, ..Default::default() }).await?;
            Ok(invalid(StatusCode::UNPROCESSABLE_ENTITY, html))
        }
        Err(e) => Err(e.into()),
    }
}
