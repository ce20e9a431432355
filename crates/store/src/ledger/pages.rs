//! The ledger's pages: the leads a caller's filter selects within their scope, a page of them
//! with their subjects, and how many there are, in one statement. Every statement a page
//! saves is a round trip to the database (a thread hop on SQLite, a network one on
//! PostgreSQL) on the most frequent request there is.

use domain::{
    LeadId, ledger::lead::Lead, ledger::query::LedgerFilter, ledger::query::LedgerQuery, ledger::query::LedgerSort,
    protection::scope::Scope,
};
use sqlx::Row;

use crate::{
    Conn, StoreError, ledger::leads::LEAD_COLUMNS, ledger::leads::lead_from_row, ledger::leads::subject_from_row,
    scope, sql::SqlBuilder, sql::Value, sql::date_text, sql::like_pattern, sql::push_statuses,
};

pub(crate) const SUBJECT_COLUMNS: &str = "s.name AS s_name, s.unit_name AS s_unit_name, s.post AS s_post,
    s.subject_rank AS s_subject_rank, s.political_status AS s_political_status, s.is_unit_head AS s_is_unit_head,
    s.cadre_level AS s_cadre_level, s.lead_id AS s_lead_id";

/// The ledger's orders, each total (a lead's number is unique), so that the rows of one lead
/// with its subjects stay together.
pub(crate) const fn order_by(sort: LedgerSort) -> &'static str {
    match sort {
        // Relevance is the search index's to rank; the database lists those leads as received.
        LedgerSort::ReceivedDesc | LedgerSort::Relevance => " ORDER BY l.received_on DESC, l.id DESC",
        LedgerSort::ReceivedAsc => " ORDER BY l.received_on ASC, l.id ASC",
        LedgerSort::DeadlineAsc => " ORDER BY l.deadline ASC, l.id ASC",
        LedgerSort::DeadlineDesc => " ORDER BY l.deadline DESC, l.id DESC",
        LedgerSort::NumberAsc => " ORDER BY l.number_order ASC",
        LedgerSort::NumberDesc => " ORDER BY l.number_order DESC",
    }
}

/// One page of leads in `scope` with their subjects, and how many leads match in all.
/// `whole_tree` says the scope starts at the top of a unit tree (so most leads are in it);
/// it only steers the plan, never the result.
pub async fn page(
    c: &mut Conn,
    scope: &Scope,
    q: &LedgerQuery,
    whole_tree: bool,
) -> Result<(Vec<Lead>, i64), StoreError> {
    let order = order_by(q.sort);
    let mut b = SqlBuilder::new(&format!("SELECT {LEAD_COLUMNS}, {SUBJECT_COLUMNS}, "));
    push_count(&mut b, scope, &q.filter);
    // The page's ids are chosen first and the full rows read for those alone: sorting
    // whole rows (34 columns) in a temporary B-tree made a unit's page 2.5× slower.
    b.push(
        " AS page_total FROM leads l JOIN units u ON u.id = l.unit_id LEFT JOIN lead_subjects s ON s.lead_id = l.id
          WHERE l.id IN (SELECT l.id FROM leads l WHERE 1 = 1",
    );
    scope::push_as(&mut b, scope, if whole_tree { "+l.unit_id" } else { "l.unit_id" }, true);
    push_filter(&mut b, &q.filter);
    b.push(order);
    b.push(" LIMIT ").push_int(i64::from(q.per_page));
    b.push(" OFFSET ").push_int(q.offset() as i64);
    b.push(")").push(order).push(", s.ordinal");
    let rows = b.build().fetch_all(&mut *c).await?;
    let Some(first) = rows.first() else {
        // Past the last page: nothing to carry the total, so count apart.
        return Ok((Vec::new(), count(c, scope, &q.filter).await?));
    };
    let total: i64 = first.try_get("page_total")?;
    Ok((with_handlers(c, gather(&rows)?).await?, total))
}

/// The leads of `ids` that are in `scope`, in the order of `ids`, with their subjects and
/// handlers (a page the search index chose: the scope is tested again here).
pub async fn of_ids(c: &mut Conn, scope: &Scope, ids: &[LeadId]) -> Result<Vec<Lead>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut b = SqlBuilder::new(&format!(
        "SELECT {LEAD_COLUMNS}, {SUBJECT_COLUMNS} FROM leads l JOIN units u ON u.id = l.unit_id
         LEFT JOIN lead_subjects s ON s.lead_id = l.id WHERE l.id IN ("
    ));
    b.push_ints(ids.iter().map(|id| id.get())).push(")");
    scope::push(&mut b, scope);
    b.push(" ORDER BY l.id, s.ordinal");
    let rows = b.build().fetch_all(&mut *c).await?;
    let mut leads = gather(&rows)?;
    leads.sort_by_key(|l| ids.iter().position(|id| *id == l.id));
    with_handlers(c, leads).await
}

/// Rows of leads joined with their subjects, one lead's rows together, as leads.
fn gather(rows: &[sqlx::any::AnyRow]) -> Result<Vec<Lead>, StoreError> {
    let mut leads: Vec<Lead> = Vec::with_capacity(rows.len());
    for r in rows {
        let id = LeadId::from_raw(r.try_get("id")?);
        if leads.last().is_none_or(|l| l.id != id) {
            leads.push(lead_from_row(r)?);
        }
        if r.try_get::<Option<i64>, _>("s_lead_id")?.is_some()
            && let Some(lead) = leads.last_mut()
        {
            lead.subjects.push(subject_from_row(r, "s_")?);
        }
    }
    Ok(leads)
}

async fn with_handlers(c: &mut Conn, mut leads: Vec<Lead>) -> Result<Vec<Lead>, StoreError> {
    let ids: Vec<LeadId> = leads.iter().map(|l| l.id).collect();
    for (lead, h) in crate::ledger::handlers::of_found(c, &ids).await? {
        if let Some(l) = leads.iter_mut().find(|l| l.id == lead) {
            l.handlers.push(h);
        }
    }
    Ok(leads)
}

/// How many leads match, counted apart from the page so each query stays cheap. The leads
/// naming the caller are counted apart and taken away (in one statement, so one snapshot):
/// testing every lead for them cost 290 ms at 1M leads, the subtraction 60 ms.
pub async fn count(c: &mut Conn, scope: &Scope, f: &LedgerFilter) -> Result<i64, StoreError> {
    let mut b = SqlBuilder::new("SELECT ");
    push_count(&mut b, scope, f);
    Ok(b.build().fetch_one(&mut *c).await?.try_get(0)?)
}

/// The count of matching leads as a scalar expression (evaluated once per statement).
fn push_count(b: &mut SqlBuilder, scope: &Scope, f: &LedgerFilter) {
    b.push("(");
    // The board's kept figures once answered the plain counts; they now count only what
    // each campaign's clearance counts (no ordinary leads, no merged repeats), so the ledger
    // counts its leads (issue 11; docs/performance.md has the cost).
    push_lead_count(b, scope, f);
    if let Some(user) = scope.recused_user() {
        b.push(" - (SELECT COUNT(*) FROM leads l WHERE 1 = 1");
        scope::push_as(b, scope, "l.unit_id", false);
        push_filter(b, f);
        b.push(" AND l.id IN (SELECT lead_id FROM recusals WHERE user_id = ").bind(Value::Int(user)).push("))");
    }
    b.push(")");
}

/// Counts the matching leads in the caller's units (the leads naming them included).
fn push_lead_count(b: &mut SqlBuilder, scope: &Scope, f: &LedgerFilter) {
    b.push("(SELECT COUNT(*) FROM leads l WHERE 1 = 1");
    scope::push_as(b, scope, "l.unit_id", false);
    push_filter(b, f);
    b.push(")");
}

pub(crate) fn push_filter(b: &mut SqlBuilder, f: &LedgerFilter) {
    if let Some(u) = f.unit {
        b.push(" AND l.unit_id IN (SELECT descendant_id FROM unit_closure WHERE ancestor_id = ")
            .bind(Value::Int(u.get()))
            .push(")");
    }
    let text = |b: &mut SqlBuilder, col: &str, v: &str| {
        b.push(col).bind(Value::Text(v.to_owned()));
    };
    if let Some(s) = f.source {
        text(b, " AND l.source = ", s.code());
    }
    if let Some(s) = f.category {
        text(b, " AND l.category = ", s.code());
    }
    if let Some(s) = f.status {
        text(b, " AND l.status = ", s.code());
    }
    if f.closed_only {
        // Cleared as the board counts it (办结, 销号, 予以了结; a transfer with its receipt).
        b.push(" AND ").push(&crate::supervision::counting::cleared_listed());
    }
    if f.open_only {
        // Not cleared yet (a transfer awaiting its receipt too), a merged repeat aside.
        b.push(" AND ").push(&crate::supervision::counting::not_cleared());
    }
    if let Some(s) = f.stock_class {
        text(b, " AND l.stock_class = ", s.code());
    }
    if let Some(d) = f.received_from {
        text(b, " AND l.received_on >= ", &date_text(d));
    }
    if let Some(d) = f.received_to {
        text(b, " AND l.received_on <= ", &date_text(d));
    }
    if let Some(p) = &f.responsible_person {
        text(b, " AND l.responsible_person = ", p);
    }
    if let Some(h) = f.handler {
        b.push(" AND l.id IN (SELECT lead_id FROM lead_handlers WHERE user_id = ").bind(Value::Int(h.get())).push(")");
    }
    if let Some(k) = f.campaign {
        b.push(" AND l.campaign_id = ").bind(Value::Int(k.get()));
    }
    if let Some(flagged) = f.extended {
        b.push(" AND EXISTS (SELECT 1 FROM extensions x WHERE x.lead_id = l.id AND x.state = 'approved'");
        b.push(if flagged { " AND x.needs_head = 1)" } else { ")" });
    }
    if let Some(today) = f.routed_late_before {
        // As the board counts it: routed late, or still unassessed past the clock.
        b.push(" AND l.status <> 'merged' AND (l.routed_late = 1 OR (l.status = 'registered' AND l.deadline < ")
            .bind(Value::Text(date_text(today)))
            .push("))");
    }
    if let Some(d) = f.overdue_before {
        b.push(" AND l.deadline < ").bind(Value::Text(date_text(d)));
        b.push(" AND l.status IN ");
        push_statuses(b, true);
    }
    if let Some(i) = f.important {
        b.push(" AND l.important = ").bind(Value::Int(i64::from(i)));
    }
    if let Some(k) = &f.keyword {
        b.push(" AND l.search_text LIKE ").bind(Value::Text(like_pattern(&k.to_lowercase()))).push(" ESCAPE '\\'");
    }
}
