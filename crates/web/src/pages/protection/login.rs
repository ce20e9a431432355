use app::{Credentials, LoginKind};
use askama::Template;
use axum::{
    Form,
    extract::{Path, Query, State},
    http::{HeaderMap, header},
    response::{Html, IntoResponse, Redirect, Response},
};
use serde::Deserialize;

use crate::{
    AppState,
    context::RequestContext,
    error::PageError,
    i18n::{self, Texts},
    session::{ClientAddr, LANG_COOKIE, PRE_CSRF_COOKIE, SESSION_COOKIE, Signed, cookie, set_cookie},
};

#[derive(Template)]
#[template(path = "protection/login.html")]
struct LoginPage<'a> {
    t: &'static Texts,
    csrf_token: &'a str,
    username: &'a str,
    failed: bool,
    throttled: bool,
    /// A form kept when the session ended by idling, taken back after sign-in.
    resume: &'a str,
}

/// Where a signed-in user starts: the ledger, or the administrators' own pages.
pub fn home_of(actor: &app::Actor) -> &'static str {
    // The committee head works from the approvals waiting, not the ledger.
    if actor.approver().is_ok() {
        "/queue"
    } else if let Ok(reader) = actor.ledger() {
        // Who reads a unit's ledger starts from its dashboard; an owning leader or a handler,
        // from the leads given to them.
        if reader.reads_units() { "/reporting/dashboard" } else { "/ledger" }
    } else if actor.audit_reader().is_ok() {
        "/audit"
    } else if actor.has_role(domain::protection::role::Role::Sysadmin)
        || actor.has_role(domain::protection::role::Role::Secadmin)
    {
        "/admin"
    } else {
        "/account"
    }
}

pub async fn view_home_get(signed: Option<Signed>) -> Redirect {
    Redirect::to(match &signed {
        Some(Signed(s)) => home_of(&s.actor),
        None => "/login",
    })
}

fn fresh_pre_token() -> String {
    let mut b = [0u8; 32];
    rand::RngCore::fill_bytes(&mut rand::rng(), &mut b);
    hex::encode(b)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum LoginState {
    Fresh,
    Failed,
    Throttled,
}

/// A kept form's id as the login page passes it on: 64 hex digits, or nothing.
fn resume_id(s: &str) -> &str {
    if s.len() == 64 && s.chars().all(|c| c.is_ascii_hexdigit()) { s } else { "" }
}

fn render_login(
    state: &AppState,
    headers: &HeaderMap,
    username: &str,
    login_state: LoginState,
    resume: &str,
) -> Result<Response, PageError> {
    let failed = login_state == LoginState::Failed;
    let throttled = login_state == LoginState::Throttled;
    let t = i18n::texts(RequestContext::current().english);
    let existing =
        cookie(headers, PRE_CSRF_COOKIE).filter(|c| c.len() == 64 && c.chars().all(|c| c.is_ascii_hexdigit()));
    let token = existing.clone().unwrap_or_else(fresh_pre_token);
    let html = LoginPage { t, csrf_token: &token, username, failed, throttled, resume: resume_id(resume) }
        .render()
        .map_err(|e| app::AppError::Internal(Box::new(e)))?;
    let status = match login_state {
        LoginState::Fresh => axum::http::StatusCode::OK,
        LoginState::Failed => axum::http::StatusCode::UNAUTHORIZED,
        LoginState::Throttled => axum::http::StatusCode::TOO_MANY_REQUESTS,
    };
    let mut res = (status, Html(html)).into_response();
    if existing.is_none() {
        res.headers_mut()
            .append(header::SET_COOKIE, set_cookie(PRE_CSRF_COOKIE, &token, 3600 * 12, state.secure_cookies, true));
    }
    Ok(res)
}

#[derive(Deserialize)]
pub struct LoginQuery {
    #[serde(default)]
    resume: String,
}

pub async fn view_login_get(
    State(state): State<AppState>,
    headers: HeaderMap,
    signed: Option<Signed>,
    Query(q): Query<LoginQuery>,
) -> Result<Response, PageError> {
    if signed.is_some() {
        return Ok(Redirect::to("/").into_response());
    }
    render_login(&state, &headers, "", LoginState::Fresh, &q.resume)
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    otp: String,
    #[serde(default)]
    resume: String,
}

pub async fn view_login_post(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    headers: HeaderMap,
    Form(f): Form<LoginForm>,
) -> Result<Response, PageError> {
    let cred = Credentials {
        username: &f.username,
        password: &f.password,
        otp: Some(f.otp.as_str()).filter(|o| !o.trim().is_empty()),
        client: &client,
    };
    match state.app.protection().login(&cred, LoginKind::Browser).await {
        Ok(s) => {
            let resume = resume_id(&f.resume);
            let to = if s.actor.must_change_password {
                "/account/password".to_owned()
            } else if !resume.is_empty() {
                format!("/resume/{resume}")
            } else {
                home_of(&s.actor).to_owned()
            };
            let mut res = Redirect::to(&to).into_response();
            res.headers_mut().append(
                header::SET_COOKIE,
                set_cookie(SESSION_COOKIE, &s.token, 12 * 3600, state.secure_cookies, true),
            );
            Ok(res)
        }
        Err(app::AppError::Unauthenticated) => {
            render_login(&state, &headers, &f.username, LoginState::Failed, &f.resume)
        }
        Err(app::AppError::Throttled) => render_login(&state, &headers, &f.username, LoginState::Throttled, &f.resume),
        Err(e) => Err(e.into()),
    }
}

pub async fn view_logout_post(State(state): State<AppState>, signed: Option<Signed>) -> Result<Response, PageError> {
    if let Some(Signed(session)) = signed {
        state.app.protection().logout(&session.token, &session.actor).await?;
    }
    let mut res = Redirect::to("/login").into_response();
    res.headers_mut().append(header::SET_COOKIE, set_cookie(SESSION_COOKIE, "", 0, state.secure_cookies, true));
    Ok(res)
}

#[derive(Deserialize)]
pub struct LangQuery {
    #[serde(default)]
    next: String,
}

/// Switches the interface language and returns to the page the user was on.
pub async fn view_lang_get(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(q): Query<LangQuery>,
) -> Response {
    let lang = if code == "en" { "en" } else { "zh" };
    // Only local paths: never an open redirect.
    let local = q.next.starts_with('/')
        && !q.next.starts_with("//")
        && q.next.chars().all(|c| c.is_ascii_graphic() && c != '\\');
    let next = if local { q.next } else { "/".to_owned() };
    let mut res = Redirect::to(&next).into_response();
    res.headers_mut()
        .append(header::SET_COOKIE, set_cookie(LANG_COOKIE, lang, 365 * 24 * 3600, state.secure_cookies, false));
    res
}
