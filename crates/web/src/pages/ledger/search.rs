//! The search page behind the box in the top bar: what the index finds in the reader's scope,
//! best match first, with the summary cut around what matched.

use askama::Template;
use axum::{
    extract::{Query, State},
    response::Html,
};
use domain::dates::format_date;
use serde::Deserialize;

use crate::pages::Chrome;
use crate::{
    AppState,
    context::RequestContext,
    error::PageError,
    i18n::{self, Texts},
    session::Signed,
};

#[derive(Debug, Default, Deserialize)]
pub struct SearchParams {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub page: String,
}

pub struct Hit {
    pub id: i64,
    pub number: String,
    pub status: &'static str,
    pub unit: String,
    pub received_on: String,
    pub subjects: String,
    pub snippet: Vec<app::SnippetPiece>,
}

#[derive(Template)]
#[template(path = "ledger/search.html")]
struct SearchPage {
    t: &'static Texts,
    chrome: Chrome,
    q: String,
    hits: Vec<Hit>,
    total: i64,
    first: u32,
    page: u32,
    page_count: u32,
    prev_link: Option<String>,
    next_link: Option<String>,
    ledger_link: String,
}

fn link(q: &str, page: u32) -> String {
    format!("/search?q={}&page={page}", crate::pages::urlencode(q))
}

pub async fn view_search_get(
    State(state): State<AppState>,
    Signed(session): Signed,
    Query(p): Query<SearchParams>,
) -> Result<Html<String>, PageError> {
    let en = RequestContext::current().english;
    let t = i18n::texts(en);
    let reader = session.actor.ledger()?;
    // A page number that is not one is the first page: a search box never answers with an error.
    let page = p.page.trim().parse::<u32>().unwrap_or(1).max(1);
    let found = state.app.ledger().search(&reader, &p.q, page).await?;
    let hits = found
        .items
        .iter()
        .map(|h| Hit {
            id: h.lead.id.get(),
            number: h.lead.number.to_string(),
            status: h.lead.status.label(en),
            unit: h.lead.unit_name.clone(),
            received_on: format_date(h.lead.received_on),
            subjects: h.lead.subjects.iter().map(|s| s.name.as_str()).collect::<Vec<_>>().join(t.list_sep),
            snippet: h.snippet.clone(),
        })
        .collect();
    let page_count = found.page_count();
    let here = link(&found.q, found.page);
    let html = SearchPage {
        t,
        chrome: Chrome::new(&session, t, here, "search"),
        hits,
        total: found.total,
        first: (found.page - 1) * found.per_page + 1,
        page: found.page,
        page_count,
        prev_link: (found.page > 1).then(|| link(&found.q, found.page - 1)),
        next_link: (found.page < page_count).then(|| link(&found.q, found.page + 1)),
        ledger_link: format!("/ledger?q={}&sort=relevance", crate::pages::urlencode(&found.q)),
        q: found.q,
    }
    .render()
    .map_err(|e| app::AppError::Internal(Box::new(e)))?;
    Ok(Html(html))
}
