//! Taking back a form kept when the session ended by idling: a register or edit form comes
//! back filled; any other form is shown for the user to check and submit again.

use askama::Template;
use axum::{
    extract::State,
    http::StatusCode,
    response::{Html, IntoResponse, Response},
};

use crate::{
    AppState,
    context::RequestContext,
    error::PageError,
    extract::PagePath,
    i18n::{self, Texts},
    pages::{Chrome, render},
    session::Signed,
};

#[derive(Template)]
#[template(path = "protection/resume.html")]
struct ResumePage {
    t: &'static Texts,
    chrome: Chrome,
    /// Where the form was posted; `None` when nothing was found to take back.
    action: Option<String>,
    /// The fields to post again (the old CSRF token left out: the page has the new one).
    fields: Vec<(String, String)>,
    /// What the user typed, for them to recognise the form.
    typed: Vec<String>,
    home: &'static str,
}

/// Only a path of this site goes into a form's action.
fn local_path(p: &str) -> bool {
    p.starts_with('/') && !p.starts_with("//") && p.chars().all(|c| c.is_ascii_graphic() && c != '\\')
}

pub async fn view_resume_get(
    State(state): State<AppState>,
    Signed(session): Signed,
    PagePath(id): PagePath<String>,
) -> Result<Response, PageError> {
    let t = i18n::texts(RequestContext::current().english);
    let kept = state.app.protection().take_kept_form(&session, &id).await?;
    let Some(kept) = kept.filter(|k| local_path(&k.path)) else {
        let page = ResumePage {
            t,
            chrome: Chrome::new(&session, t, "/".into(), ""),
            action: None,
            fields: Vec::new(),
            typed: Vec::new(),
            home: super::login::home_of(&session.actor),
        };
        return Ok((StatusCode::NOT_FOUND, Html(render(page)?)).into_response());
    };
    let pairs: Vec<(String, String)> = form_urlencoded::parse(kept.body.as_bytes())
        .filter(|(k, _)| k != "csrf_token")
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    if let Some(html) = crate::pages::ledger::form::resumed_lead_form(&state, &session, &kept.path, &pairs).await? {
        return Ok(html.into_response());
    }
    let typed = pairs.iter().filter(|(k, v)| k != "version" && !v.trim().is_empty()).map(|(_, v)| v.clone()).collect();
    let page = ResumePage {
        t,
        chrome: Chrome::new(&session, t, "/".into(), ""),
        action: Some(kept.path),
        fields: pairs,
        typed,
        home: super::login::home_of(&session.actor),
    };
    Ok(Html(render(page)?).into_response())
}
