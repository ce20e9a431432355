//! Taking steps on a lead, recording follow-through, deciding approvals, and the queue.

use app::{AppError, FlashKind, StepInput, StepOutcome, TimelineEntry};
use axum::{Form, extract::State, response::Response};
use domain::{
    LeadId, dates::format_instant, ledger::lead::LeadStatus, lifecycle::conclusion::ConclusionInput,
    lifecycle::conclusion::Finding, lifecycle::conclusion::FourForms, lifecycle::conclusion::Nature,
    lifecycle::conclusion::Sanction, lifecycle::follow_up::FollowUp, lifecycle::step::Disposition,
    lifecycle::step::Step,
};
use serde::Deserialize;

use crate::pages::{Opt, back_to_lead, messages, options};
use crate::{
    AppState,
    context::RequestContext,
    error::PageError,
    extract::PagePath,
    i18n::{self, Texts},
    session::Signed,
};

/// One line of the timeline, in the page's language.
pub struct TimelineRow {
    pub time: String,
    pub step: String,
    pub transition: String,
    pub actor: String,
    pub state: &'static str,
    pub state_code: &'static str,
    pub approval: String,
    /// What the system recorded (in the reader's language), then what the person wrote.
    pub note: String,
}

pub fn timeline_rows(entries: &[TimelineEntry], t: &Texts) -> Vec<TimelineRow> {
    let en = t.english;
    entries
        .iter()
        .map(|e| {
            let transition = match (e.from_status, e.to_status) {
                (Some(a), Some(b)) if a != b || e.kind.step().is_some() => format!("{} → {}", a.label(en), b.label(en)),
                _ => String::new(),
            };
            let approval = match (&e.approver_name, e.decided_at) {
                (Some(who), Some(at)) => {
                    let note = e.decision_note.as_deref().map(|n| format!("{}{n}", if en { ": " } else { "：" }));
                    format!("{who} {}{}", format_instant(at), note.unwrap_or_default())
                }
                _ => String::new(),
            };
            let note = [e.system_text(en), e.note.clone().unwrap_or_default()]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(if en { "; " } else { "；" });
            TimelineRow {
                time: format_instant(e.at),
                step: e.title(en),
                transition,
                actor: e.actor_name.clone(),
                state: e.state.label(en),
                state_code: e.state.code(),
                approval,
                note,
            }
        })
        .collect()
}

/// The choices of the step form for a lead in `status`.
pub struct StepForm {
    pub steps: Vec<Opt>,
    pub dispositions: Vec<Opt>,
    pub findings: Vec<Opt>,
    pub natures: Vec<Opt>,
    pub forms: Vec<Opt>,
    pub sanctions: Vec<Opt>,
    pub follow_ups: Vec<Opt>,
    pub inquiry_events: Vec<Opt>,
}

/// The form's choices: the steps the viewer may take (from the dossier) and the vocabularies.
pub fn step_form(_status: LeadStatus, steps: &[Step], follow_ups: &[FollowUp], en: bool) -> StepForm {
    StepForm {
        steps: options(steps.iter().map(|s| (s.code(), s.label(en))), ""),
        dispositions: options(Disposition::ALL.iter().map(|d| (d.code(), d.label(en))), ""),
        findings: options(Finding::ALL.iter().map(|d| (d.code(), d.label(en))), ""),
        natures: options(Nature::ALL.iter().map(|d| (d.code(), d.label(en))), ""),
        forms: options(FourForms::ALL.iter().map(|f| (f.code(), f.label(en))), ""),
        sanctions: options(Sanction::ALL.iter().map(|d| (d.code(), d.label(en))), ""),
        follow_ups: options(follow_ups.iter().map(|d| (d.code(), d.label(en))), ""),
        inquiry_events: options(
            domain::lifecycle::inquiry::InquiryEvent::ALL.iter().map(|d| (d.code(), d.label(en))),
            "",
        ),
    }
}

/// Reads the step form: plain fields plus `outcomes[i].nature|form|sanction`.
fn step_input(pairs: &[(String, String)]) -> StepInput {
    let mut s = StepInput::default();
    let mut outcomes: std::collections::BTreeMap<usize, (String, String, String)> = Default::default();
    for (k, v) in pairs {
        match k.as_str() {
            "step" => s.step = v.clone(),
            "disposition" => s.disposition = v.clone(),
            "note" => s.note = v.clone(),
            "finding" => s.conclusion.finding = v.clone(),
            "receiving_body" => s.receiving_body = v.clone(),
            "merge_into" => s.merge_into = v.clone(),
            "meeting" => s.meeting = v.clone(),
            "version" => s.version = v.trim().parse().unwrap_or(0),
            other => {
                let Some((i, f)) = other.strip_prefix("outcomes[").and_then(|r| r.split_once("].")) else { continue };
                let Ok(i) = i.parse::<usize>() else { continue };
                if i >= 100 {
                    continue;
                }
                let o = outcomes.entry(i).or_default();
                match f {
                    "nature" => o.0 = v.clone(),
                    "form" => o.1 = v.clone(),
                    "sanction" => o.2 = v.clone(),
                    _ => {}
                }
            }
        }
    }
    s.conclusion = ConclusionInput { finding: s.conclusion.finding, outcomes: outcomes.into_values().collect() };
    s
}

pub async fn view_step_post(
    State(state): State<AppState>,
    Signed(s): Signed,
    PagePath(id): PagePath<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let en = RequestContext::current().english;
    let t = i18n::texts(en);
    let keeper = s.actor.ledger_keeper()?;
    match state.app.lifecycle().take_step(&keeper, LeadId::from_raw(id), &step_input(&pairs)).await {
        Ok(StepOutcome::Applied(_)) => Ok(back_to_lead(id, FlashKind::Done, t.step_applied)),
        Ok(StepOutcome::Pending) => Ok(back_to_lead(id, FlashKind::Done, t.lifecycle.step_queued)),
        Err(AppError::Invalid(i)) => Ok(back_to_lead(id, FlashKind::Refused, &messages(&i, en))),
        Err(AppError::Stale { .. }) => Ok(back_to_lead(
            id,
            FlashKind::Refused,
            if en {
                "Someone acted on this lead first; check and try again."
            } else {
                "该线索已被他人办理，请核对后重试。"
            },
        )),
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct FollowUpForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    note: String,
}

pub async fn view_follow_up_post(
    State(state): State<AppState>,
    Signed(s): Signed,
    PagePath(id): PagePath<i64>,
    Form(f): Form<FollowUpForm>,
) -> Result<Response, PageError> {
    let en = RequestContext::current().english;
    let t = i18n::texts(en);
    let keeper = s.actor.ledger_keeper()?;
    match state.app.lifecycle().record_follow_up(&keeper, LeadId::from_raw(id), &f.kind, &f.note).await {
        Ok(()) => Ok(back_to_lead(id, FlashKind::Done, t.step_applied)),
        Err(AppError::Invalid(i)) => Ok(back_to_lead(id, FlashKind::Refused, &messages(&i, en))),
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct DecisionForm {
    #[serde(default)]
    approve: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    lead: i64,
}

pub async fn view_decision_post(
    State(state): State<AppState>,
    Signed(s): Signed,
    PagePath(event): PagePath<i64>,
    Form(f): Form<DecisionForm>,
) -> Result<Response, PageError> {
    let en = RequestContext::current().english;
    let t = i18n::texts(en);
    let approver = s.actor.approver()?;
    // From the queue, back to the queue with the outcome shown there too.
    let back = |kind: FlashKind, msg: &str| back_to_lead(f.lead.max(0), kind, msg);
    match state.app.lifecycle().decide_step(&approver, event, f.approve == "1", &f.note).await {
        Ok(()) => Ok(back(FlashKind::Done, t.lifecycle.decided_ok)),
        Err(AppError::Invalid(i)) => Ok(back(FlashKind::Refused, &messages(&i, en))),
        Err(AppError::Stale { .. }) => {
            Ok(back(FlashKind::Refused, if en { "The lead has moved on since." } else { "该线索状态已变化。" }))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct ReceiptForm {
    #[serde(default)]
    received_on: String,
}

pub async fn view_transfer_receipt(
    State(state): State<AppState>,
    Signed(session): Signed,
    PagePath(id): PagePath<i64>,
    Form(f): Form<ReceiptForm>,
) -> Result<Response, PageError> {
    let keeper = session.actor.ledger_keeper()?;
    let r = state.app.lifecycle().record_transfer_receipt(&keeper, LeadId::from_raw(id), &f.received_on).await;
    crate::pages::outcome_to_lead(r, id)
}

#[derive(Deserialize)]
pub struct InquiryForm {
    #[serde(default)]
    event: String,
    #[serde(default)]
    on: String,
}

pub async fn view_inquiry_event(
    State(state): State<AppState>,
    Signed(session): Signed,
    PagePath(id): PagePath<i64>,
    Form(f): Form<InquiryForm>,
) -> Result<Response, PageError> {
    let keeper = session.actor.ledger_keeper()?;
    let r = state.app.lifecycle().record_inquiry_event(&keeper, LeadId::from_raw(id), &f.event, &f.on).await;
    crate::pages::outcome_to_lead(r, id)
}
