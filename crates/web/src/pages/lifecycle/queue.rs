//! 待办: what waits for the caller (approvals, extensions to sign, file or approve) and the inbox.

use app::InboxFilter;
use askama::Template;
use axum::{
    extract::{Query, State},
    response::{Html, Redirect},
};
use domain::{dates::format_instant, lifecycle::deadline::Warning};
use serde::Deserialize;

use crate::{
    AppState,
    context::RequestContext,
    error::PageError,
    i18n::{self, Texts},
    pages::{Chrome, Opt, options, render},
    session::Signed,
};

struct QueueRow {
    event_id: i64,
    lead_id: i64,
    number: String,
    unit: String,
    subjects: String,
    category: &'static str,
    summary: String,
    step: String,
    proposed_by: String,
    proposed_at: String,
    /// "waiting N days" as the reader reads it.
    waiting: String,
    note: String,
}

/// One notice row: (id, lead number, unit, colour code, colour label, message, at, read).
struct NoticeRow {
    id: i64,
    number: String,
    unit: String,
    colour: String,
    colour_label: &'static str,
    message: String,
    at: String,
    read: bool,
}

#[derive(Template)]
#[template(path = "lifecycle/queue.html")]
struct QueuePage {
    t: &'static Texts,
    chrome: Chrome,
    approvals: Vec<QueueRow>,
    is_approver: bool,
    inbox: Vec<NoticeRow>,
    inbox_total: i64,
    inbox_page: i64,
    inbox_pages: i64,
    filter: InboxFilter,
    colours: Vec<Opt>,
    units: Vec<Opt>,
    /// The query string of the filter, for the pager's links.
    filter_query: String,
    sections: Vec<ExtensionSection>,
    done: Option<String>,
    refused: Option<String>,
}

/// One list of extensions waiting for the caller, with what they do to them.
struct ExtensionSection {
    title: &'static str,
    rows: Vec<crate::pages::lifecycle::extensions::ExtensionRow>,
    action: &'static str,
    decide: bool,
    button: &'static str,
}

#[derive(Deserialize, Default)]
pub struct QueueQuery {
    #[serde(default)]
    colour: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    unread: String,
    #[serde(default)]
    page: Option<i64>,
}

pub async fn view_queue_get(
    State(state): State<AppState>,
    Signed(s): Signed,
    Query(q): Query<QueueQuery>,
) -> Result<Html<String>, PageError> {
    let en = RequestContext::current().english;
    let t = i18n::texts(en);
    let today = domain::dates::beijing_date(state.app.now());
    let (approvals, is_approver) = match s.actor.approver() {
        Ok(a) => (
            state
                .app
                .lifecycle()
                .approval_queue(&a)
                .await?
                .into_iter()
                .map(|q| {
                    let days = (today - domain::dates::beijing_date(q.proposed_at)).whole_days();
                    QueueRow {
                        event_id: q.event_id,
                        lead_id: q.lead_id.get(),
                        step: q.title(en),
                        number: q.number,
                        unit: q.unit_name,
                        subjects: q.subjects.join(if en { ", " } else { "、" }),
                        category: q.category.label(en),
                        summary: q.summary,
                        proposed_by: q.proposed_by,
                        proposed_at: format_instant(q.proposed_at),
                        waiting: match (days, en) {
                            (0, false) => "今日提交".into(),
                            (0, true) => "today".into(),
                            (n, false) => format!("已等待 {n} 天"),
                            (n, true) => format!("waiting {n} days"),
                        },
                        note: q.note.unwrap_or_default(),
                    }
                })
                .collect(),
            true,
        ),
        Err(_) => (Vec::new(), false),
    };
    let x = state.app.lifecycle().extension_queue(&s.actor).await?;
    let filter = InboxFilter { colour: q.colour.clone(), unit: q.unit.clone(), unread_only: !q.unread.is_empty() };
    let p = state.app.lifecycle().inbox_page(&s.actor, &filter, q.page.unwrap_or(1), en).await?;
    let inbox = p
        .items
        .into_iter()
        .map(|n| NoticeRow {
            id: n.id,
            number: n.number.unwrap_or_default(),
            unit: n.unit_name.unwrap_or_default(),
            colour_label: Warning::from_code(&n.colour).map(|w| w.label(en)).unwrap_or_default(),
            colour: n.colour,
            message: n.message,
            at: format_instant(n.at),
            read: n.read,
        })
        .collect();
    let unit_labels: Vec<(String, String)> = p.units.iter().map(|(id, name)| (id.to_string(), name.clone())).collect();
    let filter_query = format!(
        "colour={}&unit={}&unread={}",
        crate::pages::urlencode(&q.colour),
        crate::pages::urlencode(&q.unit),
        crate::pages::urlencode(&q.unread)
    );
    let (done, refused) = match state.app.protection().take_flash(&s).await? {
        Some(app::Flash { kind: app::FlashKind::Done, text }) => (Some(text), None),
        Some(app::Flash { kind: app::FlashKind::Refused, text }) => (None, Some(text)),
        None => (None, None),
    };
    render(QueuePage {
        done,
        refused,
        inbox_total: p.total,
        inbox_page: p.page,
        inbox_pages: p.page_count,
        colours: options(Warning::ALL.iter().map(|w| (w.code(), w.label(en))), &q.colour),
        units: options(unit_labels.iter().map(|(a, b)| (a.as_str(), b.as_str())), &q.unit),
        filter_query,
        filter,
        t,
        chrome: Chrome::new(&s, t, "/queue".into(), "queue"),
        approvals,
        is_approver,
        inbox,
        sections: [
            (t.lifecycle.queue_sign, &x.to_sign, "sign", false, t.lifecycle.ext_sign),
            (t.lifecycle.queue_file, &x.to_file, "file", false, t.lifecycle.ext_file),
            (t.lifecycle.queue_ext_approve, &x.to_approve, "decide", true, t.lifecycle.approve),
        ]
        .into_iter()
        .filter(|(_, list, ..)| !list.is_empty())
        .map(|(title, list, action, decide, button)| ExtensionSection {
            title,
            rows: crate::pages::lifecycle::extensions::rows(list, en),
            action,
            decide,
            button,
        })
        .collect(),
    })
    .map(Html)
}

/// Opening a notice marks it read and goes to its lead (or back to 待办).
pub async fn view_notice_open(
    State(state): State<AppState>,
    Signed(s): Signed,
    crate::extract::PagePath(id): crate::extract::PagePath<i64>,
) -> Result<Redirect, PageError> {
    Ok(match state.app.lifecycle().open_notice(&s.actor, id).await? {
        Some(Some(lead)) => Redirect::to(&format!("/leads/{lead}")),
        _ => Redirect::to("/queue"),
    })
}

pub async fn view_inbox_read(State(state): State<AppState>, Signed(s): Signed) -> Result<Redirect, PageError> {
    state.app.lifecycle().mark_inbox_read(&s.actor).await?;
    Ok(Redirect::to("/queue"))
}
