//! Oversight pages: the review of unfounded closures (查否复审复核) and rectification
//! (以案促改) with the institutions it leaves, accountability (问责) and early intervention (抓早抓小).

pub(crate) mod accountability;
pub(crate) mod clearings;
pub(crate) mod library;
pub(crate) mod rectifications;
pub(crate) mod reviews;

use app::{AppError, FlashKind};
use axum::{
    http::StatusCode,
    response::{Html, IntoResponse, Response},
};

use crate::{
    AppState,
    context::RequestContext,
    error::PageError,
    forms::FormState,
    i18n::{self, Texts},
    pages::{Opt, redirect_with},
};

/// The units a form may name: the caller's tree, their own unit chosen.
pub(crate) async fn unit_options(state: &AppState, s: &app::SessionInfo) -> Result<Vec<Opt>, PageError> {
    let units = state.app.ledger().unit_tree(&s.actor).await?;
    let own = s.actor.unit_id;
    Ok(units
        .iter()
        .map(|u| Opt { value: u.id.to_string(), label: u.name.to_string(), selected: u.id == own })
        .collect())
}

/// What the last action did, left with the session by its redirect.
pub(crate) async fn notice(state: &AppState, s: &app::SessionInfo) -> Result<Option<String>, PageError> {
    Ok(state.app.protection().take_flash(s).await?.filter(|f| f.kind == FlashKind::Done).map(|f| f.text))
}

/// A form's outcome on these pages: done → `to`, which says what was done; refused for its
/// input → the page again, drawn by `page` with the form as typed and each error at its
/// field (422); anything else is an error page.
pub(crate) async fn form_outcome<Fut>(
    r: Result<&'static str, AppError>,
    to: &str,
    (form, f): (&str, &[(String, String)]),
    label: fn(&str, &Texts) -> Option<&'static str>,
    page: impl FnOnce(FormState) -> Fut,
) -> Result<Response, PageError>
where
    Fut: std::future::Future<Output = Result<String, PageError>>,
{
    let en = RequestContext::current().english;
    let t = i18n::texts(en);
    match r {
        Ok(msg) => Ok(redirect_with(to, FlashKind::Done, msg)),
        Err(AppError::Invalid(i)) => {
            let fs = FormState::typed(form, f).refused(&i.0, en, |x| label(x, t));
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page(fs).await?)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
