//! Ledger use cases: list, read, register, edit.

use super::Ledger;
use domain::{
    LeadId, ledger::lead::Lead, ledger::query::LedgerParams, ledger::query::LedgerQuery, protection::scope::Scope,
};
use serde::Serialize;
use store::ledger::leads;

use crate::{AppError, LedgerReader};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct LeadPage {
    pub items: Vec<Lead>,
    pub total: i64,
    pub page: u32,
    pub per_page: u32,
}

impl LeadPage {
    pub fn page_count(&self) -> u32 {
        pages_for(self.total, self.per_page)
    }
}

/// Pages of `per_page` that `total` items fill; one when there are none.
pub(crate) fn pages_for(total: i64, per_page: u32) -> u32 {
    let pages = (total.max(0) as u64).div_ceil(u64::from(per_page.max(1)));
    u32::try_from(pages.max(1)).unwrap_or(u32::MAX)
}

/// The units at the top of the unit tree, as last read: they change about never, and what they
/// decide (how a ledger page is planned) cannot change a result, so a minute-old answer will do
/// and saves every page a statement.
#[derive(Clone, Default)]
pub(crate) struct TopUnits(std::sync::Arc<std::sync::Mutex<Option<ReadAt>>>);

type ReadAt = (std::time::Instant, Vec<domain::UnitId>);

const TOP_UNITS_FOR: std::time::Duration = std::time::Duration::from_secs(60);

impl Ledger<'_> {
    async fn starts_at_a_top_unit(&self, c: &mut store::Conn, scope: &Scope) -> Result<bool, AppError> {
        let cached = self.top_units.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone();
        let tops = match cached {
            Some((at, tops)) if at.elapsed() < TOP_UNITS_FOR => tops,
            _ => {
                let tops = store::ledger::units::top_level(c).await?;
                *self.top_units.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner) =
                    Some((std::time::Instant::now(), tops.clone()));
                tops
            }
        };
        Ok(scope.roots().iter().any(|r| tops.contains(r)))
    }
}

impl crate::App {
    /// The ledger query `params` ask for, with "overdue" and "routed late" reckoned as of today.
    pub(crate) fn ledger_query(&self, params: &LedgerParams) -> Result<LedgerQuery, AppError> {
        let mut q = params.parse()?;
        if q.filter.overdue {
            q.filter.overdue_before = Some(self.today());
        }
        if q.filter.routed_late {
            q.filter.routed_late_before = Some(self.today());
        }
        Ok(q)
    }
}

impl Ledger<'_> {
    #[tracing::instrument(name = "ledger.list", skip_all)]
    pub async fn list(&self, reader: &LedgerReader, params: &LedgerParams) -> Result<LeadPage, AppError> {
        let q = self.ledger_query(params)?;
        // While the index is being built (a first start, a rebuild) the database answers.
        if q.filter.keyword.is_some() && !self.search_index().is_building() {
            match self.list_searched(reader, &q).await {
                Ok(page) => return Ok(page),
                // The database answers while the index is mended; a user never sees the fault.
                Err(e) => tracing::error!(error = %e, "search failed; the ledger searched the database instead"),
            }
        }
        let mut c = self.reader().await?;
        let whole_tree = self.starts_at_a_top_unit(&mut c, &reader.scope).await?;
        let (items, total) = store::ledger::pages::page(&mut c, &reader.scope, &q, whole_tree).await?;
        Ok(LeadPage { items, total, page: q.page, per_page: q.per_page })
    }

    /// A keyword's page, found by the search index with the scope and filters in its query.
    async fn list_searched(&self, reader: &LedgerReader, q: &LedgerQuery) -> Result<LeadPage, AppError> {
        self.search_catch_up().await?;
        let request = search::Request {
            scope: &reader.scope,
            filter: &q.filter,
            order: search::SearchOrder::of(q.sort),
            offset: usize::try_from(q.offset()).unwrap_or(usize::MAX),
            limit: q.per_page as usize,
        };
        let found = self.search_index().find(&request)?;
        let mut c = self.reader().await?;
        let items = store::ledger::pages::of_ids(&mut c, &reader.scope, &found.ids).await?;
        let total = i64::try_from(found.total).unwrap_or(i64::MAX);
        Ok(LeadPage { items, total, page: q.page, per_page: q.per_page })
    }

    /// The list as the API serves it: recorded in the audit trail once per call, with the
    /// caller, the filters as given and how many leads matched (not a line per lead), since a
    /// client can page through the whole ledger this way.
    #[tracing::instrument(name = "ledger.list_recorded", skip_all)]
    pub async fn list_recorded(&self, reader: &LedgerReader, params: &LedgerParams) -> Result<LeadPage, AppError> {
        let page = self.list(reader, params).await?;
        let filters: serde_json::Map<String, serde_json::Value> = serde_json::to_value(params)
            .map_err(|e| AppError::Internal(Box::new(e)))?
            .as_object()
            .into_iter()
            .flatten()
            .filter(|(_, v)| v.as_str().is_some_and(|s| !s.trim().is_empty()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let detail = serde_json::json!({ "filters": filters, "total": page.total, "returned": page.items.len() });
        self.record_read(reader, "lead.list", &detail).await?;
        Ok(page)
    }

    /// One audit entry for a read of many leads through the API (the list, a search).
    pub(super) async fn record_read(
        &self,
        reader: &LedgerReader,
        action: &str,
        detail: &serde_json::Value,
    ) -> Result<(), AppError> {
        let now = self.now();
        let mut tx = self.db().begin_write().await?;
        let event = crate::protection::audit::Event::new(action, "lead", "").detail(detail.to_string());
        crate::protection::audit::record(&mut tx, self, now, crate::protection::audit::Who::User(&reader.actor), event)
            .await?;
        tx.commit().await.map_err(store::StoreError::from)?;
        Ok(())
    }

    /// One lead, without recording a view (for internal use and tests).
    #[tracing::instrument(name = "ledger.lead", skip_all)]
    pub async fn lead(&self, reader: &LedgerReader, id: LeadId) -> Result<Lead, AppError> {
        let mut c = self.reader().await?;
        leads::get(&mut c, &reader.scope, id).await?.map(|(_, l)| l).ok_or(AppError::NotFound)
    }
}
