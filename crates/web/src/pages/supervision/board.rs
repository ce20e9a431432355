//! The clearance board page.

use app::{Board, BoardRow};
use askama::Template;
use axum::{
    extract::{Query, State},
    response::Html,
};
use domain::supervision::ranking::BoardSort;
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
            .then(|| format!("/board?campaign={}&sort={}&page={page}", b.campaign_id, b.sort.code()))
    }

    /// A column heading's link: the board in that column's order (the first page).
    fn sort_link(&self, sort: &str) -> String {
        let campaign = self.b.as_ref().map_or(0, |b| b.campaign_id);
        format!("/board?campaign={campaign}&sort={sort}")
    }

    /// Whether the board is in this column's order (for `aria-sort`).
    fn sorted_by(&self, sort: &str) -> bool {
        self.b.as_ref().is_some_and(|b| b.sort.code() == sort)
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
    sort: Option<String>,
}

pub async fn view_board_get(
    State(state): State<AppState>,
    Signed(s): Signed,
    Query(q): Query<BoardQuery>,
) -> Result<Html<String>, PageError> {
    let t = i18n::texts(RequestContext::current().english);
    let page = q.page.and_then(|p| p.trim().parse::<u32>().ok()).unwrap_or(1);
    let campaign = q.campaign.and_then(|c| c.trim().parse::<i64>().ok()).map(domain::CampaignId::from_raw);
    // An order no column offers shows the default order.
    let sort = q.sort.as_deref().and_then(BoardSort::from_code).unwrap_or(BoardSort::Lagging);
    let b = match state.app.supervision().clearance_board_of(&s.actor, campaign, page, sort).await {
        Ok(b) => Some(b),
        // No campaign yet: the page says so and where to create one.
        Err(app::AppError::NotFound) if campaign.is_none() => None,
        Err(e) => return Err(e.into()),
    };
    render(BoardPage { t, chrome: Chrome::new(&s, t, "/board".into(), "board"), b }).map(Html)
}

/// The board as an xlsx workbook: every unit (not one page), in the page's order, with the
/// rank and the 合计 row; opened back by an independent reader in the tests.
pub async fn view_board_export(
    State(state): State<AppState>,
    Signed(s): Signed,
    Query(q): Query<BoardQuery>,
) -> Result<axum::response::Response, PageError> {
    let t = i18n::texts(RequestContext::current().english);
    let campaign = q.campaign.and_then(|c| c.trim().parse::<i64>().ok()).map(domain::CampaignId::from_raw);
    let sort = q.sort.as_deref().and_then(BoardSort::from_code).unwrap_or(BoardSort::Lagging);
    let b = state.app.supervision().clearance_board_all(&s.actor, campaign, sort).await?;
    Ok(workbook(&b, t)?)
}

/// The board as an xlsx download: every unit with its rank, then the 合计 row (the page's and
/// the API's export alike).
pub(crate) fn workbook(b: &Board, t: &Texts) -> Result<axum::response::Response, app::AppError> {
    let sv = &t.supervision;
    let headers = [
        sv.rank,
        t.unit,
        sv.stock_total,
        sv.stock_cleared,
        sv.stock_remaining,
        sv.clearance_rate,
        sv.stock_overdue,
        sv.stock_transferred,
        sv.awaiting_receipt,
        sv.new_total,
        sv.new_open,
        sv.new_overdue,
        sv.routed_in_time,
        sv.extensions_in_effect,
        t.lifecycle.ext_flagged,
        sv.stock_unowned,
    ];
    let line = |rank: String, name: &str, r: &BoardRow| {
        vec![
            rank,
            name.to_owned(),
            r.stock_total.to_string(),
            r.stock_cleared.to_string(),
            r.stock_remaining.to_string(),
            format!("{}%", r.clearance_rate),
            r.stock_overdue.to_string(),
            r.stock_transferred.to_string(),
            r.stock_awaiting_receipt.to_string(),
            r.new_total.to_string(),
            r.new_open.to_string(),
            r.new_overdue.to_string(),
            format!("{}%", r.routed_in_time_rate),
            r.extensions.to_string(),
            r.flagged_extensions.to_string(),
            r.stock_unowned.to_string(),
        ]
    };
    let mut rows: Vec<Vec<String>> = b.rows.iter().map(|r| line(r.rank.to_string(), &r.unit_name, r)).collect();
    rows.push(line(String::new(), sv.total_label, &b.totals));
    let title = format!("{} {}", sv.board_title, b.campaign);
    crate::pages::xlsx_download(sv.board_title, &headers, &rows, ("board", &title))
}
