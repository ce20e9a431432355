//! Administration: the system administrator's units and accounts, the security
//! administrator's grants, unlocks and resets. Each section needs its own capability.

use app::{AccountRow, AppError, SessionInfo};
use askama::Template;
use axum::{
    Form,
    extract::State,
    http::StatusCode,
    response::{Html, IntoResponse, Redirect, Response},
};
use domain::{UserId, ledger::unit::UnitKind, protection::role::Role};
use serde::Deserialize;

use crate::forms::{FormState, field};
use crate::pages::{Chrome, Opt, options, render};
use crate::{
    AppState,
    context::RequestContext,
    error::PageError,
    extract::PagePath,
    i18n::{self, Texts},
    session::Signed,
};

struct AccountView {
    id: i64,
    username: String,
    display_name: String,
    unit_name: String,
    grants: Vec<(String, String, String, String)>,
    locked: bool,
    failed_sign_ins: i64,
    must_change: bool,
}

#[derive(Template)]
#[template(path = "protection/admin.html")]
struct AdminPage {
    t: &'static Texts,
    chrome: Chrome,
    /// The first steps of a new install, each (text, done), until all are done.
    first_steps: Vec<(&'static str, bool)>,
    runs_units: bool,
    grants_roles: bool,
    notice: Option<String>,
    secret: Option<String>,
    /// The form refused, as typed: `unit`, `account`, or `action` (a row's button).
    failed: FormState,
    accounts: Vec<AccountView>,
    units: Vec<Opt>,
    unit_rows: Vec<(String, String, String)>,
    kinds: Vec<Opt>,
    roles: Vec<Opt>,
    /// The account search, and each role with what a grant of it allows.
    q: String,
    role_help: Vec<(&'static str, &'static str)>,
}

impl AdminPage {
    fn fs(&self, name: &str) -> FormState {
        self.failed.or_blank(name)
    }
}

/// The administration forms' fields as their labels name them, for the error summary.
fn label(form: &str, field: &str, t: &Texts) -> Option<&'static str> {
    let p = &t.protection;
    Some(match (form, field) {
        ("unit", "code") => p.unit_code,
        ("unit", "name") => p.unit_name,
        ("unit", "kind") => p.unit_kind,
        ("unit", "parent") => p.parent_unit,
        ("account", "username") => p.username,
        ("account", "display_name") => p.display_name,
        ("account", "real_name") => p.real_name,
        ("account", "id_number") => p.account_id_number,
        ("account", "unit_id") => t.unit,
        ("account", "password") => p.initial_password,
        _ => return None,
    })
}

#[derive(Default)]
struct Extra {
    notice: Option<String>,
    secret: Option<String>,
    /// The form refused, as typed (never the password) and with its errors.
    failed: Option<FormState>,
    /// The account search (username or name contains it).
    q: String,
}

async fn page(state: &AppState, s: &SessionInfo, extra: Extra) -> Result<String, PageError> {
    let en = RequestContext::current().english;
    let t = i18n::texts(en);
    let runs_units = s.actor.unit_admin().is_ok();
    let grants_roles = s.actor.grant_admin().is_ok();
    if !runs_units && !grants_roles {
        return Err(AppError::Forbidden.into());
    }
    let q = extra.q.trim().to_lowercase();
    let accounts: Vec<AccountRow> = state
        .app
        .protection()
        .admin_accounts(&s.actor)
        .await?
        .into_iter()
        .filter(|a| q.is_empty() || a.username.to_lowercase().contains(&q) || a.display_name.contains(q.as_str()))
        .collect();
    let tree = state.app.ledger().unit_tree(&s.actor).await?;
    let view = |a: AccountRow| AccountView {
        id: a.id.get(),
        username: a.username,
        display_name: a.display_name,
        unit_name: a.unit_name,
        grants: a
            .grants
            .iter()
            .map(|(r, u, name)| (r.code().to_owned(), u.to_string(), r.label(en).to_owned(), name.clone()))
            .collect(),
        locked: a.locked,
        failed_sign_ins: a.failed_sign_ins,
        must_change: a.must_change_password,
    };
    let unit_labels: Vec<(String, String)> =
        tree.iter().map(|u| (u.id.to_string(), format!("{} {}", u.code, u.name))).collect();
    let first_steps = match state.app.protection().setup_progress(&s.actor).await? {
        Some(p) if !p.complete() => app::FIRST_STEPS
            .iter()
            .zip(p.done)
            .map(|((zh, en_text), done)| (if en { *en_text } else { *zh }, done))
            .collect(),
        _ => Vec::new(),
    };
    render(AdminPage {
        t,
        first_steps,
        chrome: Chrome::new(s, t, "/admin".into(), "admin"),
        runs_units,
        grants_roles,
        notice: extra.notice,
        secret: extra.secret,
        failed: extra.failed.unwrap_or_default(),
        accounts: accounts.into_iter().map(view).collect(),
        units: options(unit_labels.iter().map(|(a, b)| (a.as_str(), b.as_str())), ""),
        unit_rows: tree
            .iter()
            .map(|u| {
                let parent =
                    u.parent.and_then(|p| tree.iter().find(|x| x.id == p)).map(|p| p.name.clone()).unwrap_or_default();
                (u.code.to_string(), u.name.clone(), parent)
            })
            .collect(),
        kinds: options(UnitKind::ALL.iter().map(|k| (k.code(), k.label(en))), "hospital"),
        roles: options(Role::ALL.iter().map(|r| (r.code(), r.label(en))), ""),
        q: extra.q,
        role_help: Role::ALL.iter().map(|r| (r.label(en), r.allows(en))).collect(),
    })
}

#[derive(Deserialize, Default)]
pub struct AdminQuery {
    #[serde(default)]
    q: String,
}

pub async fn view_admin_get(
    State(state): State<AppState>,
    Signed(s): Signed,
    axum::extract::Query(aq): axum::extract::Query<AdminQuery>,
) -> Result<Html<String>, PageError> {
    Ok(Html(page(&state, &s, Extra { q: aq.q, ..Extra::default() }).await?))
}

/// Re-renders with the refused form `(name, as typed)` and its errors (422), or passes other
/// failures on.
async fn outcome<T>(
    state: &AppState,
    s: &SessionInfo,
    r: Result<T, AppError>,
    ok: impl FnOnce(T) -> Extra,
    (form, typed): (&str, &[(String, String)]),
) -> Result<Response, PageError> {
    match r {
        Ok(v) => Ok(Html(page(state, s, ok(v)).await?).into_response()),
        Err(AppError::Invalid(i)) => {
            let en = RequestContext::current().english;
            let t = i18n::texts(en);
            let fs = FormState::typed(form, typed).refused(&i.0, en, |f| label(form, f, t));
            let html = page(state, s, Extra { failed: Some(fs), ..Extra::default() }).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn view_admin_unit_create(
    State(state): State<AppState>,
    Signed(s): Signed,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let cap = s.actor.unit_admin()?;
    let t = i18n::texts(RequestContext::current().english);
    let (code, name, kind, parent) = (field(&f, "code"), field(&f, "name"), field(&f, "kind"), field(&f, "parent"));
    let r = state.app.protection().admin_create_unit(&cap, code, name, kind, parent).await;
    let ok = |_| Extra { notice: Some(t.protection.created_ok.into()), ..Default::default() };
    outcome(&state, &s, r, ok, ("unit", &f)).await
}

pub async fn view_admin_account_create(
    State(state): State<AppState>,
    Signed(s): Signed,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let cap = s.actor.unit_admin()?;
    let t = i18n::texts(RequestContext::current().english);
    let request = app::AccountRequest {
        username: field(&f, "username"),
        display_name: field(&f, "display_name"),
        real_name: field(&f, "real_name"),
        id_number: field(&f, "id_number"),
        unit: field(&f, "unit_id"),
        initial_password: field(&f, "password"),
    };
    let r = state.app.protection().admin_create_account(&cap, &request).await;
    let ok = |_| Extra { notice: Some(t.protection.created_ok.into()), ..Default::default() };
    // Never sent back: the password, and the ID number (kept only as a hash).
    let kept: Vec<(String, String)> = f.iter().filter(|(k, _)| k != "password" && k != "id_number").cloned().collect();
    outcome(&state, &s, r, ok, ("account", &kept)).await
}

#[derive(Deserialize)]
pub struct GrantForm {
    #[serde(default)]
    role: String,
    #[serde(default)]
    unit_id: String,
}

pub async fn view_admin_grant(
    State(state): State<AppState>,
    Signed(s): Signed,
    PagePath(id): PagePath<i64>,
    Form(f): Form<GrantForm>,
) -> Result<Response, PageError> {
    let cap = s.actor.grant_admin()?;
    let r = state.app.protection().admin_grant(&cap, UserId::from_raw(id), &f.role, &f.unit_id).await;
    match r {
        Ok(()) => Ok(Redirect::to("/admin").into_response()),
        other => outcome(&state, &s, other, |_| Extra::default(), ("action", &[])).await,
    }
}

pub async fn view_admin_revoke(
    State(state): State<AppState>,
    Signed(s): Signed,
    PagePath(id): PagePath<i64>,
    Form(f): Form<GrantForm>,
) -> Result<Response, PageError> {
    let cap = s.actor.grant_admin()?;
    let r = state.app.protection().admin_revoke(&cap, UserId::from_raw(id), &f.role, &f.unit_id).await;
    match r {
        Ok(()) => Ok(Redirect::to("/admin").into_response()),
        other => outcome(&state, &s, other, |_| Extra::default(), ("action", &[])).await,
    }
}

pub async fn view_admin_unlock(
    State(state): State<AppState>,
    Signed(s): Signed,
    PagePath(id): PagePath<i64>,
) -> Result<Redirect, PageError> {
    let cap = s.actor.grant_admin()?;
    state.app.protection().admin_unlock(&cap, UserId::from_raw(id)).await?;
    Ok(Redirect::to("/admin"))
}

pub async fn view_admin_reset(
    State(state): State<AppState>,
    Signed(s): Signed,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    let cap = s.actor.grant_admin()?;
    let t = i18n::texts(RequestContext::current().english);
    let r = state.app.protection().admin_reset_password(&cap, UserId::from_raw(id)).await;
    outcome(
        &state,
        &s,
        r,
        |secret| Extra { notice: Some(t.protection.reset_done.into()), secret: Some(secret), ..Default::default() },
        ("action", &[]),
    )
    .await
}
