//! The clearance board page.

use app::{Board, BoardRow};
use askama::Template;
use axum::{extract::State, response::Html};

use super::{Chrome, render};
use crate::{
    AppState,
    context::RequestContext,
    error::PageError,
    i18n::{self, Texts},
    session::Signed,
};

#[derive(Template)]
#[template(path = "board.html")]
struct BoardPage {
    t: &'static Texts,
    chrome: Chrome,
    b: Board,
}

impl BoardPage {
    /// The ledger behind a figure: the unit (with its departments) and the filter.
    fn link(&self, r: &BoardRow, filter: &str) -> String {
        format!("/ledger?unit_id={}&{filter}", r.unit_id)
    }
}

pub async fn view_board_get(State(state): State<AppState>, Signed(s): Signed) -> Result<Html<String>, PageError> {
    let t = i18n::texts(RequestContext::current().english);
    let b = state.app.clearance_board(&s.actor).await?;
    render(BoardPage { t, chrome: Chrome::new(&s, t, "/board".into(), "board"), b }).map(Html)
}
