//! The auditor's view of the trail (安全审计员): filters, pages, chain check, export.

use app::{AuditEntry as Entry, AuditNames, AuditQuery, from_micros};
use askama::Template;
use axum::{
    extract::{Query, State},
    response::{Html, Response},
};
use domain::{
    dates::format_instant,
    protection::audit_words::{ACTIONS, action_label, readable_change, record_kind},
};
use serde::Deserialize;

use crate::pages::{Chrome, Opt, options, render};
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

/// One entry in people's words: the action's name, the person, the record's name, and the
/// change field by field (the page and the export alike).
fn row(e: &Entry, names: &AuditNames, en: bool) -> Row {
    let change = readable_change(e.before.as_deref(), e.after.as_deref()).join(if en { "; " } else { "；" });
    Row {
        seq: e.seq,
        time: format_instant(from_micros(e.at)),
        user: names.actor(e),
        action: action_label(&e.action, en).to_owned(),
        record: names.record(e, en),
        detail: names.detail(e, en),
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
    actions: Vec<Opt>,
    people: Vec<Opt>,
    kinds: Vec<Opt>,
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
    let (rows, total, page, pages, errors, people) = match state.app.protection().audit_entries(&cap, &q).await {
        Ok(p) => {
            let pages = ((p.total + p.per_page - 1) / p.per_page).max(1);
            let rows = p.entries.iter().map(|e| row(e, &p.names, en)).collect();
            (rows, p.total, p.page, pages, Vec::new(), p.people)
        }
        Err(app::AppError::Invalid(i)) => (Vec::new(), 0, 1, 1, crate::pages::error_lines(&i.0, en), Vec::new()),
        Err(e) => return Err(e.into()),
    };
    let people: Vec<(String, String)> =
        people.into_iter().map(|(u, n)| (u.clone(), format!("{n}{}{u}{}", t.lp, t.rp))).collect();
    let kinds = ["lead", "user", "unit", "extension", "campaign", "meeting", "audit"];
    let chain = if v.verify == "1" {
        let r = state.app.protection().verify_audit().await?;
        Some(match r.first_broken {
            None => (true, format!("{} ({} {})", t.protection.audit_chain_ok, r.entries, t.protection.audit_entries)),
            Some((seq, why)) => (false, format!("{} #{seq}: {why}", t.protection.audit_chain_broken)),
        })
    } else {
        None
    };
    let actions = options(ACTIONS.iter().map(|(code, zh, en_)| (*code, if en { *en_ } else { *zh })), &q.action);
    let people = options(people.iter().map(|(u, l)| (u.as_str(), l.as_str())), &q.user);
    let kinds = options(kinds.iter().map(|k| (*k, record_kind(k, en))), &q.record_type);
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
        actions,
        people,
        kinds,
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
    let (entries, names) = state.app.protection().audit_export(&cap, &q).await?;
    Ok(workbook(&entries, &names, t)?)
}

/// The audit entries as an xlsx download (the page's export and the API's).
pub(crate) fn workbook(entries: &[Entry], names: &AuditNames, t: &Texts) -> Result<Response, app::AppError> {
    let headers = [
        "#",
        t.protection.audit_time,
        t.protection.audit_user,
        t.protection.audit_action,
        t.protection.audit_record,
        t.protection.audit_detail,
        t.protection.audit_change,
        t.protection.audit_codes,
        "hash",
    ];
    let rows: Vec<Vec<String>> = entries
        .iter()
        .map(|e| {
            let r = row(e, names, t.english);
            // The stored codes, as the chain hashed them, for checking against the database.
            let codes = match e.detail.as_deref() {
                Some(raw) if raw != r.detail => format!("{} {} {} · {raw}", e.action, e.record_type, e.record_id),
                _ => format!("{} {} {}", e.action, e.record_type, e.record_id),
            };
            vec![
                r.seq.to_string(),
                r.time,
                r.user,
                r.action,
                r.record,
                r.detail,
                readable_change(e.before.as_deref(), e.after.as_deref()).join("\n"),
                codes,
                e.hash.clone(),
            ]
        })
        .collect();
    let title = t.protection.audit_title;
    crate::pages::xlsx_download(title, &headers, &rows, ("audit", title))
}
