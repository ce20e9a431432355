//! Extension requests on the lead page and in the queue.

use app::ExtensionView;
use axum::{Form, extract::State, response::Response};
use domain::LeadId;
use serde::Deserialize;

use crate::forms::field;
use crate::pages::outcome_to_lead as outcome;
use crate::{AppState, error::PageError, extract::PagePath, session::Signed};

/// One extension, formatted.
pub struct ExtensionRow {
    pub id: i64,
    pub lead_id: i64,
    pub number: String,
    pub requested: String,
    pub days: i64,
    pub reason: String,
    pub state: &'static str,
    pub flagged: bool,
    /// Who signed and when, in words; the digest apart, to check against the audit trail.
    pub signature: String,
    pub digest: String,
    pub change: String,
    /// What the viewer may do to it on the lead page (the queue's sections say it there).
    pub may_sign: bool,
    pub may_file: bool,
    pub may_decide: bool,
}

pub fn rows(list: &[ExtensionView], en: bool) -> Vec<ExtensionRow> {
    list.iter()
        .map(|x| ExtensionRow {
            id: x.id,
            lead_id: x.lead_id.get(),
            number: x.number.clone(),
            requested: format!("{} {}", domain::dates::format_instant(x.requested_at), x.requested_by),
            days: x.days,
            reason: x.reason.clone(),
            state: x.state.label(en),
            flagged: x.flagged,
            signature: match (&x.signed_by, &x.signature, x.signed_at) {
                (Some(who), Some(_), Some(at)) => {
                    let at = domain::dates::format_instant(at);
                    if en { format!("Signed by {who}, {at}") } else { format!("{who} {at} 签字") }
                }
                _ => String::new(),
            },
            digest: x.signature.clone().unwrap_or_default(),
            change: match (&x.old_deadline, &x.new_deadline, &x.proposed) {
                (Some(a), Some(b), _) => {
                    format!("{} → {}", domain::dates::format_date(*a), domain::dates::format_date(*b))
                }
                (_, _, Some((a, b))) => format!(
                    "{} → {}{}",
                    domain::dates::format_date(*a),
                    domain::dates::format_date(*b),
                    if en { " (if agreed)" } else { "（拟）" }
                ),
                _ => String::new(),
            },
            may_sign: false,
            may_file: false,
            may_decide: false,
        })
        .collect()
}

pub async fn view_extension_request(
    State(state): State<AppState>,
    Signed(s): Signed,
    PagePath(id): PagePath<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let en = crate::context::RequestContext::current().english;
    let keeper = s.actor.ledger_keeper()?;
    let (reason, days) = (field(&pairs, "reason"), field(&pairs, "days"));
    let r = state.app.lifecycle().request_extension(&keeper, LeadId::from_raw(id), reason, days).await;
    let r = r.map(|_| {
        if en {
            format!("Extension of {days} days requested; it goes to the unit head to sign.")
        } else {
            format!("已申请延期 {days} 天，待本单位负责人签字。")
        }
    });
    crate::pages::lead_form_outcome(&state, &s, (id, "extension"), &pairs, r).await
}

#[derive(Deserialize)]
pub struct ActForm {
    #[serde(default)]
    lead: i64,
    #[serde(default)]
    approve: String,
}

pub async fn view_extension_sign(
    State(state): State<AppState>,
    Signed(s): Signed,
    PagePath(id): PagePath<i64>,
    Form(f): Form<ActForm>,
) -> Result<Response, PageError> {
    outcome(state.app.lifecycle().sign_extension(&s.actor, id).await, f.lead)
}

/// The unit head returns a request to the requester, with the reason.
pub async fn view_extension_return(
    State(state): State<AppState>,
    Signed(s): Signed,
    PagePath(id): PagePath<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let en = crate::context::RequestContext::current().english;
    let r = state.app.lifecycle().return_extension(&s.actor, id, field(&pairs, "reason")).await;
    let r = r.map(|()| {
        (if en {
            "Returned to the requester, with your reason."
        } else {
            "已退回申请人，并记录退回理由。"
        })
        .to_owned()
    });
    match field(&pairs, "lead").parse::<i64>().ok().filter(|l| *l > 0) {
        Some(lead) => crate::pages::lead_form_outcome(&state, &s, (lead, "action"), &pairs, r).await,
        None => crate::pages::queue_outcome(r),
    }
}

pub async fn view_extension_file(
    State(state): State<AppState>,
    Signed(s): Signed,
    PagePath(id): PagePath<i64>,
    Form(f): Form<ActForm>,
) -> Result<Response, PageError> {
    outcome(state.app.lifecycle().file_extension(&s.actor, id).await, f.lead)
}

pub async fn view_extension_decide(
    State(state): State<AppState>,
    Signed(s): Signed,
    PagePath(id): PagePath<i64>,
    Form(f): Form<ActForm>,
) -> Result<Response, PageError> {
    let approver = s.actor.approver()?;
    outcome(state.app.lifecycle().decide_extension(&approver, id, f.approve == "1").await, f.lead)
}
