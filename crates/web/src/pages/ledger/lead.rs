//! The lead page: the dossier `app` assembles, formatted for the reader. Which forms appear
//! is what the dossier's permissions say; nothing is decided here.

use app::{Dossier, LeadDetail, Permissions, SessionInfo};
use askama::Template;
use axum::{
    extract::{Query, RawForm, State},
    response::Html,
};
#[allow(unused_imports)] // named by the timeline template
use domain::reporters::attachment::RecordKind;
use domain::{
    LeadId,
    dates::{format_date, format_instant},
    ledger::lead::HandlingMode,
    supervision::ownership::KeyKind,
};
use serde::Deserialize;

use crate::pages::{
    Chrome, Opt, done,
    lifecycle::{
        extensions::{ExtensionRow, rows},
        steps::{StepForm, TimelineRow, step_form, timeline_rows},
    },
    options, render,
};
use crate::{
    AppState,
    context::RequestContext,
    error::PageError,
    extract::PagePath,
    forms::FormState,
    i18n::{self, Texts},
    session::Signed,
};

#[derive(Template)]
#[template(path = "ledger/lead.html")]
struct LeadPage {
    t: &'static Texts,
    chrome: Chrome,
    d: LeadDetail,
    en: bool,
    notice: Option<String>,
    received_on: String,
    created: String,
    updated: String,
    revealed: bool,
    x: LeadExtras,
    sf: StepForm,
}

/// One follow-up order, formatted, and whether the viewer may report on it.
pub struct OrderRow {
    pub id: i64,
    pub issued_at: String,
    pub issued_by: String,
    pub requirement: String,
    pub reply_due: String,
    pub overdue: bool,
    pub closed: bool,
    /// (at, stage, by, content)
    pub reports: Vec<(String, String, String, String)>,
    pub may_report: bool,
}

/// The dossier's parts, formatted in the page's language, and what the viewer may do.
/// (rule, started, due, running, colour (code, label)).
type SideClockRow = (&'static str, String, String, bool, Option<(&'static str, &'static str)>);

pub struct LeadExtras {
    timeline: Vec<TimelineRow>,
    pending: Option<String>,
    /// The pending step's id, when the viewer may decide it.
    decide_event: Option<i64>,
    /// The form refused on this response, as typed (every other form is blank).
    failed: Option<FormState>,
    extensions: Vec<ExtensionRow>,
    warning: Option<(&'static str, &'static str)>,
    own_kind: Option<&'static str>,
    leader: Option<String>,
    /// (date, place, decision, leader)
    visits: Vec<(String, String, String, String)>,
    /// (date, title, attendees, decision)
    meetings: Vec<(String, String, String, String)>,
    /// (meeting id, "date title") for citing in a disposition.
    meeting_choices: Vec<(i64, String)>,
    key_kinds: Vec<Opt>,
    orders: Vec<OrderRow>,
    /// 倒排时间: (step, latest date) for open stock leads.
    plan: Vec<(&'static str, String)>,
    units: Vec<Opt>,
    move_modes: Vec<Opt>,
    report_stages: Vec<Opt>,
    /// The accounts the supervisor may clear of a recusal, "name (unit)".
    recusal_choices: Vec<Opt>,
    /// (account id, name, assigned now) for 分办.
    handler_choices: Vec<(i64, String, bool)>,
    /// (account id, name, unit, why) of the accounts the lead is kept from (回避).
    recusals: Vec<(i64, String, String, &'static str)>,
    clearing_question: bool,
    /// The clocks beside the stage clock.
    side_clocks: Vec<SideClockRow>,
    /// 环节期限 and 办结期限, each "date（rule · time left）", or why there is none.
    stage_deadline: String,
    final_deadline: String,
    /// Its files (附件).
    attachments: Vec<app::AttachmentView>,
    may: Permissions,
}

impl LeadExtras {
    /// The state of the form `name`: as typed if it was the one refused, else blank.
    pub fn fs(&self, name: &str) -> FormState {
        self.failed.as_ref().map_or_else(|| FormState::blank(name), |f| f.or_blank(name))
    }
}

/// A lead-page form's field names as its labels show them, for the error summary.
fn field_label(form: &str, field: &str, t: &Texts) -> Option<&'static str> {
    let (l, sv) = (&t.lifecycle, &t.supervision);
    let outcome = field.strip_prefix("outcomes[").and_then(|r| r.split_once("].")).map(|(_, f)| f);
    Some(match (form, field, outcome) {
        (_, _, Some("nature")) => l.nature_label,
        (_, _, Some("form")) => l.form_label,
        (_, _, Some("sanction")) => l.sanction_label,
        ("decision", "decision_note", _) => l.decision_note_label,
        ("extension", "days", _) => l.ext_days,
        ("extension", "reason", _) => l.ext_reason,
        ("follow-up", "kind", _) => l.follow_up_kind,
        ("inquiry", "event", _) => l.inquiry_event,
        ("inquiry", "on", _) => l.inquiry_on,
        ("receipt", "received_on", _) => l.receipt_date,
        ("ownership", "kind", _) => sv.key_kind,
        ("ownership", "leader", _) => sv.owning_leader_username,
        ("visit", "visited_on", _) => sv.visit_date,
        ("visit", "place", _) => sv.visit_place,
        ("visit", "decision", _) => sv.visit_decision,
        ("sign-off", "note", _) => sv.sign_off_note,
        ("order", "requirement", _) => sv.order_requirement,
        ("order", "reply_due", _) => sv.reply_due,
        (_, "stage", _) => sv.report_stage,
        (_, "content", _) => sv.report_content,
        ("move", "mode", _) => sv.move_mode,
        ("move", "to", _) => sv.move_to,
        ("recusal", "user_id", _) => t.protection.recusal_user,
        ("recusal", "reason", _) => t.protection.recusal_reason,
        ("reveal", "reason", _) => t.reporters.reveal_reason,
        ("handlers", "handlers", _) => t.ledger.handler,
        (_, "note", _) => l.step_note,
        (_, "disposition", _) => l.disposition_label,
        (_, "meeting", _) => l.cite_meeting,
        (_, "receiving_body", _) => l.receiving_body_label,
        (_, "merge_into", _) => l.merge_into_label,
        (_, "finding", _) => l.finding_label,
        (_, "confirm", _) => l.confirm_label,
        _ => return None,
    })
}

/// Whether the lead page shows the form `name` to this viewer.
fn shows_form(may: &Permissions, name: &str) -> bool {
    match name {
        "decision" => may.may_decide.is_some(),
        "extension" => may.may_request_extension,
        "follow-up" => may.may_record_follow_up,
        "inquiry" => may.may_record_inquiry,
        "receipt" => may.may_record_receipt,
        "ownership" => may.may_mark_key,
        "visit" => may.may_record_visit,
        "sign-off" => may.may_sign_off,
        "order" => may.may_issue_order,
        "move" => may.may_move,
        "recusal" => may.may_clear_recusals,
        "reveal" => may.may_reveal_reporter,
        "handlers" => may.may_assign_handlers,
        report if report.starts_with("report-") => {
            report["report-".len()..].parse().is_ok_and(|o: i64| may.may_report_on_orders.contains(&o))
        }
        step => step.strip_prefix("step-").is_some_and(|code| may.may_take_steps.iter().any(|s| s.code() == code)),
    }
}

/// The lead page again after a refused form, with that form as typed and its errors.
pub(in crate::pages) async fn refused_on_lead(
    state: &AppState,
    session: &SessionInfo,
    id: i64,
    form: &str,
    pairs: &[(String, String)],
    errors: &[domain::FieldError],
    en: bool,
) -> Result<axum::response::Response, PageError> {
    use axum::response::IntoResponse;
    let t = i18n::texts(en);
    let d = state.app.ledger().dossier(&session.actor, LeadId::from_raw(id)).await?;
    // A form the page no longer shows (the lead moved on, or the step was never offered):
    // its errors go to the top of the page, with no fields to link to.
    let form = if shows_form(&d.permissions, form) { form } else { "action" };
    let fs = FormState::typed(form, pairs).refused(errors, en, |f| field_label(form, f, t));
    let html = lead_page(session, d, None, Some(fs), false)?;
    Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
}

fn extras(d: &Dossier, failed: Option<FormState>, t: &Texts) -> LeadExtras {
    let en = t.english;
    let may = d.permissions.clone();
    let mut extensions = rows(&d.extensions, en);
    for e in &mut extensions {
        e.may_sign = may.may_sign_extensions.contains(&e.id);
        e.may_file = may.may_file_extensions.contains(&e.id);
        e.may_decide = may.may_decide_extensions.contains(&e.id);
    }
    let labels: Vec<(String, String)> = d.move_targets.iter().map(|u| (u.id.to_string(), u.name.clone())).collect();
    let dl = &d.deadlines;
    let sep = if en { "; " } else { " · " };
    let stage_deadline = match (dl.stage_due, dl.stage_left) {
        (Some(due), Some(left)) => {
            let rule = dl.stage_rule.map(|r| format!("{}{sep}", r.label(en))).unwrap_or_default();
            format!("{}{}{rule}{}{}", format_date(due), t.lp, left.describe(en), t.rp)
        }
        _ => t.lifecycle.no_stage_clock.to_owned(),
    };
    let final_deadline = match (dl.final_due, dl.final_left) {
        (Some(due), Some(left)) => format!("{}{}{}{}", format_date(due), t.lp, left.describe(en), t.rp),
        _ if d.detail.lead.status.is_open() => t.lifecycle.final_not_set.to_owned(),
        _ => t.lifecycle.no_stage_clock.to_owned(),
    };
    LeadExtras {
        stage_deadline,
        final_deadline,
        clearing_question: d.clearing_question,
        side_clocks: d
            .side_clocks
            .iter()
            .map(|k| {
                let f = domain::dates::format_date;
                (k.rule.label(en), f(k.started_on), f(k.due_on), k.running, k.warning.map(|w| (w.code(), w.label(en))))
            })
            .collect(),
        recusals: d
            .recusals
            .iter()
            .map(|r| (r.user_id.get(), r.display_name.clone(), r.unit_name.clone(), r.basis.label(en)))
            .collect(),
        timeline: timeline_rows(&d.timeline, t),
        pending: d.pending().map(|p| format!("{}{}{}{}", p.title(en), t.lp, p.actor_name, t.rp)),
        decide_event: may.may_decide,
        failed,
        extensions,
        warning: d.warning.map(|w| (w.code(), w.label(en))),
        own_kind: d.ownership.kind.map(|k| k.label(en)),
        leader: d.ownership.leader.clone(),
        visits: d
            .ownership
            .visits
            .iter()
            .map(|v| (format_date(v.on), v.place.clone(), v.decision.clone(), v.leader.clone()))
            .collect(),
        meetings: d
            .ownership
            .meetings
            .iter()
            .map(|m| (format_date(m.held_on), m.title.clone(), m.attendees.clone(), m.decision.clone()))
            .collect(),
        meeting_choices: d
            .ownership
            .meetings
            .iter()
            .map(|m| (m.id, format!("{} {}", format_date(m.held_on), m.title)))
            .collect(),
        key_kinds: options(KeyKind::ALL.iter().map(|k| (k.code(), k.label(en))), ""),
        orders: d
            .orders
            .iter()
            .map(|o| OrderRow {
                id: o.id,
                issued_at: format_instant(o.issued_at),
                issued_by: o.issued_by.clone(),
                requirement: o.requirement.clone(),
                reply_due: format_date(o.reply_due),
                overdue: o.overdue,
                closed: o.closed,
                reports: o
                    .reports
                    .iter()
                    .map(|r| (format_instant(r.at), r.stage.label(en).to_owned(), r.by.clone(), r.content.clone()))
                    .collect(),
                may_report: may.may_report_on_orders.contains(&o.id),
            })
            .collect(),
        plan: d.reverse_plan.iter().map(|(s, date)| (s.label(en), format_date(*date))).collect(),
        units: options(labels.iter().map(|(a, b)| (a.as_str(), b.as_str())), ""),
        move_modes: options(
            [HandlingMode::Escalated, HandlingMode::DesignatedJurisdiction].iter().map(|m| (m.code(), m.label(en))),
            "",
        ),
        report_stages: options(
            domain::lifecycle::timeline::ReportStage::ALL.iter().map(|s| (s.code(), s.label(en))),
            "",
        ),
        recusal_choices: d
            .recusals
            .iter()
            .map(|r| Opt {
                value: r.user_id.get().to_string(),
                label: format!("{}{}{}{}", r.display_name, t.lp, r.unit_name, t.rp),
                selected: false,
            })
            .collect(),
        handler_choices: d
            .handler_candidates
            .iter()
            .map(|h| (h.id.get(), h.name.clone(), d.detail.lead.handlers.iter().any(|a| a.id == h.id)))
            .collect(),
        attachments: d.attachments.clone(),
        may,
    }
}

#[derive(Deserialize, Default)]
pub struct Flash {
    #[serde(default)]
    registered: Option<String>,
    #[serde(default)]
    saved: Option<String>,
}

/// The lead page for a dossier; `revealed` when the reporter's identity is shown (to a
/// custodian, on this response only).
pub(in crate::pages) fn lead_page(
    session: &SessionInfo,
    d: Dossier,
    notice: Option<String>,
    failed: Option<FormState>,
    revealed: bool,
) -> Result<String, PageError> {
    let en = RequestContext::current().english;
    let t = i18n::texts(en);
    let x = extras(&d, failed, t);
    let detail = d.detail;
    let id = detail.lead.id;
    render(LeadPage {
        t,
        chrome: Chrome::new(session, t, format!("/leads/{id}"), "ledger"),
        received_on: format_date(detail.lead.received_on),
        created: format!("{} {}", format_instant(detail.lead.created_at), detail.created_by_name),
        updated: format!("{} {}", format_instant(detail.lead.updated_at), detail.updated_by_name),
        sf: step_form(&detail.lead, &x.may.may_take_steps, &x.may.follow_up_kinds, &x, en),
        d: detail,
        en,
        notice,
        revealed,
        x,
    })
}

/// 分办: the ticked handler accounts (a repeated `handlers` field, which a plain form
/// extractor would not collect).
pub async fn view_handlers_post(
    State(state): State<AppState>,
    Signed(session): Signed,
    PagePath(id): PagePath<i64>,
    RawForm(body): RawForm,
) -> Result<axum::response::Response, PageError> {
    let pairs: Vec<(String, String)> = form_urlencoded::parse(&body).into_owned().collect();
    let users: Vec<String> = pairs.iter().filter(|(k, _)| k == "handlers").map(|(_, v)| v.clone()).collect();
    let r = state.app.ledger().assign_handlers(&session.actor.ledger_keeper()?, LeadId::from_raw(id), &users).await;
    crate::pages::lead_form_outcome(&state, &session, (id, "handlers"), &pairs, done(r, |t| t.ledger.done_handlers))
        .await
}

pub async fn view_lead_show(
    State(state): State<AppState>,
    Signed(session): Signed,
    PagePath(id): PagePath<i64>,
    Query(flash): Query<Flash>,
) -> Result<Html<String>, PageError> {
    let t = i18n::texts(RequestContext::current().english);
    let d = state.app.ledger().dossier(&session.actor, LeadId::from_raw(id)).await?;
    let notice = if flash.registered.is_some() {
        Some(format!("{}{}", t.ledger.registered_ok, d.detail.lead.number))
    } else if flash.saved.is_some() {
        Some(t.saved_ok.to_owned())
    } else {
        None
    };
    // A step's outcome, or a refusal of an action that has no form to keep (a button), left
    // by the handlers' redirect: shown as the summary of a form with no fields.
    let (notice, failed) = match state.app.protection().take_flash(&session).await? {
        Some(app::Flash { kind: app::FlashKind::Done, text }) => (notice.or(Some(text)), None),
        Some(app::Flash { kind: app::FlashKind::Refused, text }) => {
            let e = domain::FieldError::new("", "refused", text.clone(), text);
            (notice, Some(FormState::blank("action").refused(&[e], false, |_| None)))
        }
        None => (notice, None),
    };
    Ok(Html(lead_page(&session, d, notice, failed, false)?))
}
