//! 待办: what waits for the caller (approvals, extensions to sign, file or approve) and the inbox.

use askama::Template;
use axum::{
    extract::State,
    response::{Html, Redirect},
};
use domain::dates::format_instant;

use crate::{
    AppState,
    context::RequestContext,
    error::PageError,
    i18n::{self, Texts},
    pages::{Chrome, render},
    session::Signed,
};

struct QueueRow {
    event_id: i64,
    lead_id: i64,
    number: String,
    step: String,
    proposed_by: String,
    proposed_at: String,
    note: String,
}

#[derive(Template)]
#[template(path = "lifecycle/queue.html")]
struct QueuePage {
    t: &'static Texts,
    chrome: Chrome,
    approvals: Vec<QueueRow>,
    is_approver: bool,
    inbox: Vec<(Option<i64>, String, String, bool)>,
    sections: Vec<ExtensionSection>,
}

/// One list of extensions waiting for the caller, with what they do to them.
struct ExtensionSection {
    title: &'static str,
    rows: Vec<crate::pages::lifecycle::extensions::ExtensionRow>,
    action: &'static str,
    decide: bool,
    button: &'static str,
}

pub async fn view_queue_get(State(state): State<AppState>, Signed(s): Signed) -> Result<Html<String>, PageError> {
    let en = RequestContext::current().english;
    let t = i18n::texts(en);
    let (approvals, is_approver) = match s.actor.approver() {
        Ok(a) => (
            state
                .app
                .lifecycle()
                .approval_queue(&a)
                .await?
                .into_iter()
                .map(|q| QueueRow {
                    event_id: q.event_id,
                    lead_id: q.lead_id.get(),
                    step: q.title(en),
                    number: q.number,
                    proposed_by: q.proposed_by,
                    proposed_at: format_instant(q.proposed_at),
                    note: q.note.unwrap_or_default(),
                })
                .collect(),
            true,
        ),
        Err(_) => (Vec::new(), false),
    };
    let x = state.app.lifecycle().extension_queue(&s.actor).await?;
    let inbox = state
        .app
        .lifecycle()
        .inbox(&s.actor, en)
        .await?
        .into_iter()
        .map(|n| (n.lead_id, n.message, format_instant(n.at), n.read))
        .collect();
    render(QueuePage {
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

pub async fn view_inbox_read(State(state): State<AppState>, Signed(s): Signed) -> Result<Redirect, PageError> {
    state.app.lifecycle().mark_inbox_read(&s.actor).await?;
    Ok(Redirect::to("/queue"))
}
