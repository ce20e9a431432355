//! The clearance board page.

use app::{Board, BoardRow};
use askama::Template;
use axum::{
    extract::{Query, State},
    response::Html,
};
use serde::Deserialize;

use crate::pages::{Chrome, render};
use crate::{
    AppState,
    context::RequestContext,
    error::PageError,
    i18n::{self, Texts},
    session::Signed,
};

#[derive(Template)]
#[template(path = "supervision/board.html")]
struct BoardPage {
    t: &'static Texts,
    chrome: Chrome,
    b: Board,
}

impl BoardPage {
    fn page_link(&self, page: u32) -> Option<String> {
        (page >= 1 && page <= self.b.page_count && page != self.b.page).then(|| format!("/board?page={page}"))
    }

    /// The ledger behind a figure: the unit (with its departments) and the filter.
    fn link(&self, r: &BoardRow, filter: &str) -> String {
        format!("/ledger?unit_id={}&{filter}", r.unit_id)
    }
}

/// `?page=N`; anything that is not a page number shows the first page.
#[derive(Deserialize)]
pub struct BoardQuery {
    page: Option<String>,
}

pub async fn view_board_get(
    State(state): State<AppState>,
    Signed(s): Signed,
    Query(q): Query<BoardQuery>,
) -> Result<Html<String>, PageError> {
    let t = i18n::texts(RequestContext::current().english);
    let page = q.page.and_then(|p| p.trim().parse::<u32>().ok()).unwrap_or(1);
    let b = state.app.supervision().clearance_board(&s.actor, page).await?;
    render(BoardPage { t, chrome: Chrome::new(&s, t, "/board".into(), "board"), b }).map(Html)
}
