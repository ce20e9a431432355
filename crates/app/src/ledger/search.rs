//! The search box at the top of every page (issue 14): the leads a typed text finds in the
//! reader's scope, best match first, each with its summary cut around what matched. It is
//! the ledger's keyword search (the same index, scope and fall-back), shown as results.

use domain::{LeadId, ledger::lead::Lead, ledger::query::LedgerParams};
use serde::Serialize;

use super::Ledger;
use crate::{AppError, LedgerReader};

/// Results a page of the search shows.
pub const SEARCH_PAGE: u32 = 20;

/// A part of a summary under a result; `marked` parts matched what was typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct SnippetPiece {
    pub text: String,
    pub marked: bool,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SearchHit {
    pub lead: Lead,
    /// The summary around what matched; its opening when the match was elsewhere (a name, the
    /// number, a note).
    pub snippet: Vec<SnippetPiece>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SearchResults {
    /// What was searched for, as read (invisible characters dropped, at most 100 characters).
    pub q: String,
    pub items: Vec<SearchHit>,
    /// Every lead in the caller's scope that matches.
    pub total: i64,
    pub page: u32,
    pub per_page: u32,
}

impl SearchResults {
    pub fn page_count(&self) -> u32 {
        super::leads::pages_for(self.total, self.per_page)
    }
}

/// What a user typed, as searched: anything invisible (control, zero-width, direction marks)
/// separates words instead of refusing the search, and a thousand characters are cut to the
/// first hundred. A search box never answers with an error.
pub fn searched_text(typed: &str) -> String {
    let invisible = |c: char| c.is_control() || domain::text::is_invisible(c);
    let spaced: String = typed.chars().map(|c| if invisible(c) { ' ' } else { c }).collect();
    spaced.split_whitespace().collect::<Vec<_>>().join(" ").chars().take(100).collect()
}

impl Ledger<'_> {
    /// Page `page` (1-based) of the leads `typed` finds in the reader's scope.
    pub async fn search(&self, reader: &LedgerReader, typed: &str, page: u32) -> Result<SearchResults, AppError> {
        let q = searched_text(typed);
        let page = page.max(1);
        if q.is_empty() {
            return Ok(SearchResults { q, items: Vec::new(), total: 0, page, per_page: SEARCH_PAGE });
        }
        let params = LedgerParams {
            q: q.clone(),
            sort: "relevance".into(),
            page: page.to_string(),
            per_page: SEARCH_PAGE.to_string(),
            ..Default::default()
        };
        let query = self.ledger_query(&params)?;
        let found = self.list(reader, &params).await?;
        let ids: Vec<LeadId> = found.items.iter().map(|l| l.id).collect();
        let request = search::Request {
            scope: &reader.scope,
            filter: &query.filter,
            order: search::SearchOrder::Relevance,
            offset: 0,
            limit: 0,
        };
        let snippets = if self.search_index().is_building() {
            Vec::new()
        } else {
            self.search_index().snippets(&request, &ids).unwrap_or_else(|e| {
                tracing::error!(error = %e, "search snippets failed");
                Vec::new()
            })
        };
        let items = found
            .items
            .into_iter()
            .enumerate()
            .map(|(i, lead)| {
                let pieces = snippets.get(i).filter(|p| !p.is_empty());
                let snippet = match pieces {
                    Some(p) => p.iter().map(|p| SnippetPiece { text: p.text.clone(), marked: p.marked }).collect(),
                    None => vec![SnippetPiece { text: lead.summary.chars().take(120).collect(), marked: false }],
                };
                SearchHit { lead, snippet }
            })
            .collect();
        Ok(SearchResults { q, items, total: found.total, page, per_page: SEARCH_PAGE })
    }

    /// As [`Ledger::search`], for the API: recorded in the audit trail once per call with what
    /// was searched for and how many leads matched (a client can page through a whole scope).
    pub async fn search_recorded(
        &self,
        reader: &LedgerReader,
        typed: &str,
        page: u32,
    ) -> Result<SearchResults, AppError> {
        let results = self.search(reader, typed, page).await?;
        let detail = serde_json::json!({ "q": results.q, "total": results.total, "returned": results.items.len() });
        self.record_read(reader, "lead.search", &detail).await?;
        Ok(results)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_was_typed_is_searched_never_refused() {
        assert_eq!(searched_text("  王某某\u{200B}压件\t不办 "), "王某某 压件 不办");
        assert_eq!(searched_text(&"某".repeat(1000)).chars().count(), 100);
        assert_eq!(searched_text("\u{202E}\u{0007}"), "");
        assert_eq!(searched_text("AND \"*\" 😀"), "AND \"*\" 😀", "syntax and emoji stay text");
    }
}
