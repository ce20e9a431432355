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
    /// `None`: no campaign yet (a new install).
    b: Option<Board>,
}

impl BoardPage {
    fn page_link(&self, page: u32) -> Option<String> {
        let b = self.b.as_ref()?;
        (page >= 1 && page <= b.page_count && page != b.page)
            .then(|| format!("/board?campaign={}&page={page}", b.campaign_id))
    }

    /// The ledger behind a figure: the unit (with its departments) and the filter.
    fn link(&self, r: &BoardRow, filter: &str) -> String {
        let campaign = self.b.as_ref().map_or(0, |b| b.campaign_id);
        format!("/ledger?unit_id={}&campaign_id={campaign}&{filter}", r.unit_id)
    }
}

/// `?page=N`; anything that is not a page number shows the first page.
#[derive(Deserialize)]
pub struct BoardQuery {
    page: Option<String>,
    campaign: Option<String>,
}

pub async fn view_board_get(
    State(state): State<AppState>,
    Signed(s): Signed,
    Query(q): Query<BoardQuery>,
) -> Result<Html<String>, PageError> {
    let t = i18n::texts(RequestContext::current().english);
    let page = q.page.and_then(|p| p.trim().parse::<u32>().ok()).unwrap_or(1);
    let campaign = q.campaign.and_then(|c| c.trim().parse::<i64>().ok()).map(domain::CampaignId::from_raw);
    let b = match state.app.supervision().clearance_board_of(&s.actor, campaign, page).await {
        Ok(b) => Some(b),
        // No campaign yet: the page says so and where to create one.
        Err(app::AppError::NotFound) if campaign.is_none() => None,
        Err(e) => return Err(e.into()),
    };
    render(BoardPage { t, chrome: Chrome::new(&s, t, "/board".into(), "board"), b }).map(Html)
}
