//! The auditor's view of the trail (安全审计员): filters, pages, chain check, export.

use app::{AuditEntry as Entry, AuditQuery, from_micros};
use askama::Template;
use axum::{
    extract::{Query, State},
    http::{HeaderValue, header},
    response::{Html, IntoResponse, Response},
};
use domain::dates::format_instant;
use serde::Deserialize;

use crate::pages::{Chrome, render, urlencode};
use crate::{
    AppState,
    context::RequestContext,
    error::PageError,
    i18n::{self, Texts},
    session::Signed,
};

struct Row {
    seq: i64,
    time: String,
    user: String,
    action: String,
    record: String,
    detail: String,
    change: String,
}

fn row(e: &Entry) -> Row {
    let change = match (&e.before, &e.after) {
        (None, None) => String::new(),
        (b, a) => format!("{} → {}", b.as_deref().unwrap_or("—"), a.as_deref().unwrap_or("—")),
    };
    Row {
        seq: e.seq,
        time: format_instant(from_micros(e.at)),
        user: e.actor_name.clone(),
        action: e.action.clone(),
        record: format!("{} {}", e.record_type, e.record_id),
        detail: e.detail.clone().unwrap_or_default(),
        change: change.chars().take(600).collect(),
    }
}

#[derive(Template)]
#[template(path = "protection/audit.html")]
struct AuditPage {
    t: &'static Texts,
    chrome: Chrome,
    q: AuditQuery,
    rows: Vec<Row>,
    total: i64,
    page: i64,
    pages: i64,
    errors: Vec<String>,
    query_string: String,
    chain: Option<(bool, String)>,
    prev_link: Option<String>,
    next_link: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct VerifyFlag {
    #[serde(default)]
    verify: String,
}

fn query_string(q: &AuditQuery) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (k, v) in [
        ("user", &q.user),
        ("action", &q.action),
        ("record_type", &q.record_type),
        ("record_id", &q.record_id),
        ("from", &q.from),
        ("to", &q.to),
    ] {
        if !v.is_empty() {
            s.append_pair(k, v);
        }
    }
    s.finish()
}

pub async fn view_audit_get(
    State(state): State<AppState>,
    Signed(s): Signed,
    Query(q): Query<AuditQuery>,
    Query(v): Query<VerifyFlag>,
) -> Result<Html<String>, PageError> {
    let en = RequestContext::current().english;
    let t = i18n::texts(en);
    let cap = s.actor.audit_reader()?;
    let (rows, total, page, pages, errors) = match state.app.protection().audit_entries(&cap, &q).await {
        Ok(p) => {
            let pages = ((p.total + p.per_page - 1) / p.per_page).max(1);
            (p.entries.iter().map(row).collect(), p.total, p.page, pages, Vec::new())
        }
        Err(app::AppError::Invalid(i)) => (Vec::new(), 0, 1, 1, crate::pages::error_lines(&i.0, en)),
        Err(e) => return Err(e.into()),
    };
    let chain = if v.verify == "1" {
        let r = state.app.protection().verify_audit().await?;
        Some(match r.first_broken {
            None => (true, format!("{} ({} {})", t.protection.audit_chain_ok, r.entries, t.protection.audit_entries)),
            Some((seq, why)) => (false, format!("{} #{seq}: {why}", t.protection.audit_chain_broken)),
        })
    } else {
        None
    };
    let qs = query_string(&q);
    let link = |p: i64| format!("/audit?{qs}&page={p}");
    render(AuditPage {
        t,
        chrome: Chrome::new(&s, t, format!("/audit?{qs}"), "audit"),
        prev_link: (page > 1).then(|| link(page - 1)),
        next_link: (page < pages).then(|| link(page + 1)),
        q,
        rows,
        total,
        page,
        pages,
        errors,
        query_string: qs,
        chain,
    })
    .map(Html)
}

pub async fn view_audit_export(
    State(state): State<AppState>,
    Signed(s): Signed,
    Query(q): Query<AuditQuery>,
) -> Result<Response, PageError> {
    let en = RequestContext::current().english;
    let t = i18n::texts(en);
    let cap = s.actor.audit_reader()?;
    let entries = state.app.protection().audit_export(&cap, &q).await?;
    Ok(workbook(&entries, t)?)
}

/// The audit entries as an xlsx download (the page's export and the API's).
pub(crate) fn workbook(entries: &[Entry], t: &Texts) -> Result<Response, app::AppError> {
    let headers = [
        "#",
        t.protection.audit_time,
        t.protection.audit_user,
        t.protection.audit_action,
        t.protection.audit_record,
        t.protection.audit_detail,
        "before",
        "after",
        "hash",
    ];
    let rows: Vec<Vec<String>> = entries
        .iter()
        .map(|e| {
            vec![
                e.seq.to_string(),
                format_instant(from_micros(e.at)),
                e.actor_name.clone(),
                e.action.clone(),
                format!("{} {}", e.record_type, e.record_id),
                e.detail.clone().unwrap_or_default(),
                e.before.clone().unwrap_or_default(),
                e.after.clone().unwrap_or_default(),
                e.hash.clone(),
            ]
        })
        .collect();
    let bytes = office::table_xlsx(t.protection.audit_title, &headers, &rows)
        .map_err(|e| app::AppError::Internal(Box::new(e)))?;
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    );
    let name =
        format!("attachment; filename=\"audit.xlsx\"; filename*=UTF-8''{}.xlsx", urlencode(t.protection.audit_title));
    if let Ok(v) = HeaderValue::from_str(&name) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(res)
}
