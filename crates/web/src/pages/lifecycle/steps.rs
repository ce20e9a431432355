//! Taking steps on a lead, recording follow-through, deciding approvals, and the queue.

use app::{AppError, StepInput, TimelineEntry};
use axum::{Form, extract::State, response::Response};
use domain::{
    LeadId, dates::format_instant, ledger::lead::Lead, lifecycle::conclusion::ConclusionInput,
    lifecycle::conclusion::Finding, lifecycle::conclusion::FourForms, lifecycle::conclusion::Nature,
    lifecycle::conclusion::Sanction, lifecycle::follow_up::FollowUp, lifecycle::step::Disposition,
    lifecycle::step::Step, lifecycle::step::needs_approval,
};

use crate::pages::{Opt, ledger::lead::LeadExtras, options};
use crate::{
    AppState,
    context::RequestContext,
    error::PageError,
    extract::PagePath,
    forms::{FormState, field},
    i18n::{self, Texts},
    session::Signed,
};

/// One line of the timeline, in the page's language.
pub struct TimelineRow {
    pub id: i64,
    pub time: String,
    pub step: String,
    pub transition: String,
    pub actor: String,
    pub state: &'static str,
    pub state_code: &'static str,
    pub approval: String,
    /// What the system recorded (in the reader's language), then what the person wrote.
    pub note: String,
    /// The entry, when it has an approval form to print.
    pub form_entry: Option<i64>,
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
                id: e.id,
                time: format_instant(e.at),
                step: e.title(en),
                transition,
                actor: e.actor_name.clone(),
                state: e.state.label(en),
                state_code: e.state.code(),
                approval,
                note,
                form_entry: e.kind.step().and_then(domain::lifecycle::forms::form_for_step).map(|_| e.id),
            }
        })
        .collect()
}

/// One step the viewer may take, with its own small form (only its fields).
pub struct StepChoice {
    pub code: &'static str,
    pub label: &'static str,
    /// Submitting proposes it to the committee head instead of taking it.
    pub waits: bool,
    /// The user ticks a confirmation first (it cannot be undone, or closes the lead).
    pub confirm: bool,
    pub fs: FormState,
}

/// The fields of one subject's outcome in the conclusion form.
pub struct OutcomeFields {
    pub subject: String,
    pub nature: String,
    pub form: String,
    pub sanction: String,
}

/// The step forms of the lead page and the vocabularies they offer.
pub struct StepForm {
    pub choices: Vec<StepChoice>,
    pub dispositions: Vec<Opt>,
    pub findings: Vec<Opt>,
    pub natures: Vec<Opt>,
    pub forms: Vec<Opt>,
    pub sanctions: Vec<Opt>,
    pub outcomes: Vec<OutcomeFields>,
    pub follow_ups: Vec<Opt>,
    pub inquiry_events: Vec<Opt>,
}

/// The name of a step's form (its element ids start with it).
pub fn form_name(step: &str) -> String {
    format!("step-{step}")
}

/// The forms for the steps the viewer may take (from the dossier) and the vocabularies.
pub fn step_form(lead: &Lead, steps: &[Step], follow_ups: &[FollowUp], x: &LeadExtras, en: bool) -> StepForm {
    StepForm {
        choices: steps
            .iter()
            .map(|s| StepChoice {
                code: s.code(),
                label: s.label(en),
                waits: needs_approval(*s, lead.status),
                confirm: s.confirm_first(),
                fs: x.fs(&form_name(s.code())),
            })
            .collect(),
        dispositions: options(Disposition::ALL.iter().map(|d| (d.code(), d.label(en))), ""),
        findings: options(Finding::ALL.iter().map(|d| (d.code(), d.label(en))), ""),
        natures: options(Nature::ALL.iter().map(|d| (d.code(), d.label(en))), ""),
        forms: options(FourForms::ALL.iter().map(|f| (f.code(), f.label(en))), ""),
        sanctions: options(Sanction::ALL.iter().map(|d| (d.code(), d.label(en))), ""),
        outcomes: lead
            .subjects
            .iter()
            .enumerate()
            .map(|(i, s)| OutcomeFields {
                subject: s.name.clone(),
                nature: format!("outcomes[{i}].nature"),
                form: format!("outcomes[{i}].form"),
                sanction: format!("outcomes[{i}].sanction"),
            })
            .collect(),
        follow_ups: options(follow_ups.iter().map(|d| (d.code(), d.label(en))), ""),
        inquiry_events: options(
            domain::lifecycle::inquiry::InquiryEvent::ALL.iter().map(|d| (d.code(), d.label(en))),
            "",
        ),
    }
}

/// Reads a step form: plain fields plus `outcomes[i].nature|form|sanction`.
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
    let keeper = s.actor.ledger_keeper()?;
    let input = step_input(&pairs);
    let step = Step::parse("step", &input.step).ok();
    let form = form_name(step.map_or("", |s| s.code()));
    // Asked in the form (a ticked box, so that it works without a script): the user's
    // confirmation of a step that cannot be undone, never a rule of the step itself.
    let r = if step.is_some_and(Step::confirm_first) && field(&pairs, "confirm").is_empty() {
        Err(AppError::field(domain::FieldError::new(
            "confirm",
            "required",
            "请勾选确认后再提交。",
            "Tick the confirmation before submitting.",
        )))
    } else {
        state.app.lifecycle().take_step(&keeper, LeadId::from_raw(id), &input).await
    };
    let r = r.map(|outcome| {
        let (step, disposition) = (step.map_or("", |s| s.label(en)), Disposition::parse("d", &input.disposition).ok());
        i18n::lifecycle::step_done(en, step, disposition.map(|d| d.label(en)), &outcome)
    });
    crate::pages::lead_form_outcome(&state, &s, (id, &form), &pairs, r).await
}

pub async fn view_follow_up_post(
    State(state): State<AppState>,
    Signed(s): Signed,
    PagePath(id): PagePath<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let en = RequestContext::current().english;
    let keeper = s.actor.ledger_keeper()?;
    let kind = field(&pairs, "kind");
    let r = state.app.lifecycle().record_follow_up(&keeper, LeadId::from_raw(id), kind, field(&pairs, "note")).await;
    let label = FollowUp::parse("kind", kind).map(|k| k.label(en)).unwrap_or_default();
    let r = r.map(|()| i18n::lifecycle::recorded(en, label));
    crate::pages::lead_form_outcome(&state, &s, (id, "follow-up"), &pairs, r).await
}

pub async fn view_decision_post(
    State(state): State<AppState>,
    Signed(s): Signed,
    PagePath(event): PagePath<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let en = RequestContext::current().english;
    let approver = s.actor.approver()?;
    let approve = field(&pairs, "approve") == "1";
    let r = state.app.lifecycle().decide_step(&approver, event, approve, field(&pairs, "decision_note")).await;
    let r = r.map(|()| i18n::lifecycle::decided(en, approve).to_owned());
    match field(&pairs, "lead").parse::<i64>().ok().filter(|l| *l > 0) {
        Some(lead) => crate::pages::lead_form_outcome(&state, &s, (lead, "decision"), &pairs, r).await,
        // From the queue: back to the queue, which shows what happened or why not.
        None => crate::pages::queue_outcome(r),
    }
}

pub async fn view_transfer_receipt(
    State(state): State<AppState>,
    Signed(session): Signed,
    PagePath(id): PagePath<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let en = RequestContext::current().english;
    let keeper = session.actor.ledger_keeper()?;
    let on = field(&pairs, "received_on");
    let r = state.app.lifecycle().record_transfer_receipt(&keeper, LeadId::from_raw(id), on).await;
    let r = r.map(|()| i18n::lifecycle::recorded(en, i18n::texts(en).lifecycle.receipt_title));
    crate::pages::lead_form_outcome(&state, &session, (id, "receipt"), &pairs, r).await
}

pub async fn view_inquiry_event(
    State(state): State<AppState>,
    Signed(session): Signed,
    PagePath(id): PagePath<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let en = RequestContext::current().english;
    let keeper = session.actor.ledger_keeper()?;
    let (event, on) = (field(&pairs, "event"), field(&pairs, "on"));
    let r = state.app.lifecycle().record_inquiry_event(&keeper, LeadId::from_raw(id), event, on).await;
    let label =
        domain::lifecycle::inquiry::InquiryEvent::parse("event", event).map(|e| e.label(en)).unwrap_or_default();
    let r = r.map(|()| i18n::lifecycle::recorded(en, label));
    crate::pages::lead_form_outcome(&state, &session, (id, "inquiry"), &pairs, r).await
}
