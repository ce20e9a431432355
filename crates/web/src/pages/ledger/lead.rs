//! The lead page, and the register / edit form.

use std::collections::{BTreeMap, HashMap};

use app::{AppError, LeadDetail, SaveLead, SessionInfo};
use askama::Template;
use axum::{
    Form,
    extract::{Query, State},
    http::StatusCode,
    response::{Html, IntoResponse, Redirect, Response},
};
use domain::{
    LeadId, dates::format_date, dates::format_instant, ledger::lead::Category, ledger::lead::HandlingMode,
    ledger::lead::Lead, ledger::lead::LeadInput, ledger::lead::ProblemDomain, ledger::lead::Source,
    ledger::subject::CadreLevel, ledger::subject::PoliticalStatus, ledger::subject::SubjectInput,
    reporters::ReporterInput, reporters::ReporterKind,
};
use serde::Deserialize;

use crate::pages::{Chrome, Opt, options, render};
use crate::{
    AppState,
    context::RequestContext,
    error::PageError,
    extract::PagePath,
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
    deadline: String,
    created: String,
    updated: String,
    can_reveal: bool,
    revealed: bool,
    reveal_error: Option<String>,
    x: LeadExtras,
    sf: crate::pages::lifecycle::steps::StepForm,
}

/// The lifecycle parts of the lead page: timeline, pending step, what the viewer may do.
pub struct LeadExtras {
    timeline: Vec<crate::pages::lifecycle::steps::TimelineRow>,
    pending: Option<String>,
    /// The pending step's id, when the viewer may decide it.
    decide_event: Option<i64>,
    step_error: Option<String>,
    extensions: Vec<crate::pages::lifecycle::extensions::ExtensionRow>,
    can_sign: bool,
    can_file: bool,
    can_approve: bool,
    warning: Option<(&'static str, &'static str)>,
    own: app::OwnershipView,
    own_kind: Option<&'static str>,
    can_mark: bool,
    is_owner: bool,
    conclude_pending: bool,
    key_kinds: Vec<crate::pages::Opt>,
    orders: Vec<app::OrderView>,
    /// 倒排时间: (step, latest date) for open stock leads.
    plan: Vec<(&'static str, String)>,
    units: Vec<crate::pages::Opt>,
}

pub(in crate::pages) async fn lead_extras(
    state: &AppState,
    session: &SessionInfo,
    id: LeadId,
    step_error: Option<String>,
) -> Result<LeadExtras, PageError> {
    let t = i18n::texts(RequestContext::current().english);
    let reader = session.actor.ledger()?;
    let entries = state.app.lifecycle().timeline(&reader, id).await?;
    let timeline = crate::pages::lifecycle::steps::timeline_rows(&entries, t);
    let pending = timeline.iter().find(|r| r.state_code == "pending").map(|r| format!("{}（{}）", r.step, r.actor));
    let decide_event = match session.actor.approver() {
        Ok(a) => {
            state.app.lifecycle().approval_queue(&a).await?.into_iter().find(|q| q.lead_id == id).map(|q| q.event_id)
        }
        Err(_) => None,
    };
    let en = t.english;
    let extensions =
        crate::pages::lifecycle::extensions::rows(&state.app.lifecycle().extensions_of(&reader, id).await?, en);
    let a = &session.actor;
    let lead = state.app.ledger().lead(&reader, id).await?;
    let warning = state.app.lifecycle().warning_of(&lead).map(|w| (w.code(), w.label(en)));
    Ok(LeadExtras {
        timeline,
        pending,
        decide_event,
        step_error,
        extensions,
        can_sign: a.has_role(domain::protection::role::Role::UnitHead),
        can_file: a.has_role(domain::protection::role::Role::Supervisor),
        can_approve: a.approver().is_ok(),
        warning,
        own_kind: lead.key_kind.map(|k| k.label(en)),
        can_mark: a.has_role(domain::protection::role::Role::Supervisor),
        is_owner: lead.owning_leader_id == Some(a.id),
        conclude_pending: entries.iter().any(|e| e.state == "pending" && e.kind == "conclude"),
        key_kinds: crate::pages::options(
            domain::supervision::ownership::KeyKind::ALL.iter().map(|k| (k.code(), k.label(en))),
            "",
        ),
        own: state.app.supervision().ownership_of(&reader, id).await?,
        orders: state.app.supervision().orders_of(&reader, id, en).await?,
        plan: state
            .app
            .lifecycle()
            .reverse_plan(&lead)
            .await?
            .into_iter()
            .map(|(s, d)| (s.label(en), domain::dates::format_date(d)))
            .collect(),
        units: if a.has_role(domain::protection::role::Role::Supervisor) {
            let list = state.app.ledger().registrable_units(a).await?;
            let labels: Vec<(String, String)> = list.iter().map(|u| (u.id.to_string(), u.name.clone())).collect();
            crate::pages::options(labels.iter().map(|(a, b)| (a.as_str(), b.as_str())), "")
        } else {
            Vec::new()
        },
    })
}

#[derive(Deserialize, Default)]
pub struct Flash {
    #[serde(default)]
    registered: Option<String>,
    #[serde(default)]
    saved: Option<String>,
    /// A step's outcome, or why it was refused (set by the step handlers' redirect).
    #[serde(default)]
    done: Option<String>,
    #[serde(default)]
    step_error: Option<String>,
}

pub(in crate::pages) fn lead_page(
    session: &SessionInfo,
    id: i64,
    d: LeadDetail,
    notice: Option<String>,
    revealed: bool,
    reveal_error: Option<String>,
    x: LeadExtras,
) -> Result<String, PageError> {
    let en = RequestContext::current().english;
    let t = i18n::texts(en);
    let can_reveal = session.actor.identity_custodian().is_ok()
        && d.reporter.kind == domain::reporters::ReporterKind::Signed
        && !revealed;
    render(LeadPage {
        t,
        chrome: Chrome::new(session, t, format!("/leads/{id}"), "ledger"),
        received_on: format_date(d.lead.received_on),
        deadline: format_date(d.lead.deadline),
        created: format!("{} {}", format_instant(d.lead.created_at), d.created_by_name),
        updated: format!("{} {}", format_instant(d.lead.updated_at), d.updated_by_name),
        sf: crate::pages::lifecycle::steps::step_form(d.lead.status, en),
        d,
        en,
        notice,
        can_reveal,
        revealed,
        reveal_error,
        x,
    })
}

pub async fn view_lead_show(
    State(state): State<AppState>,
    Signed(session): Signed,
    PagePath(id): PagePath<i64>,
    Query(flash): Query<Flash>,
) -> Result<Html<String>, PageError> {
    let t = i18n::texts(RequestContext::current().english);
    let d = state.app.ledger().detail(&session.actor, LeadId::from_raw(id)).await?;
    let notice = if flash.registered.is_some() {
        Some(format!("{}{}", t.ledger.registered_ok, d.lead.number))
    } else if flash.saved.is_some() {
        Some(t.saved_ok.to_owned())
    } else {
        flash.done.map(|m| m.chars().take(200).collect())
    };
    let step_error = flash.step_error.map(|m| m.chars().take(500).collect());
    let x = lead_extras(&state, &session, LeadId::from_raw(id), step_error).await?;
    Ok(Html(lead_page(&session, id, d, notice, false, None, x)?))
}

/// One subject row of the form.
pub struct SubjectRow {
    pub index: usize,
    pub s: SubjectInput,
    pub political: Vec<Opt>,
    pub cadre: Vec<Opt>,
}

#[derive(Template)]
#[template(path = "ledger/lead_form.html")]
struct LeadForm {
    t: &'static Texts,
    chrome: Chrome,
    title: &'static str,
    action: String,
    submit: &'static str,
    cancel_link: String,
    v: LeadInput,
    version: Option<i64>,
    stale: bool,
    has_errors: bool,
    errors: HashMap<String, String>,
    units: Vec<Opt>,
    sources: Vec<Opt>,
    categories: Vec<Opt>,
    domains: Vec<Opt>,
    modes: Vec<Opt>,
    reporter_kinds: Vec<Opt>,
    subjects: Vec<SubjectRow>,
    blank_political: Vec<Opt>,
    blank_cadre: Vec<Opt>,
}

impl LeadForm {
    fn err(&self, field: &str) -> Option<&str> {
        self.errors.get(field).map(String::as_str)
    }
    fn sub_err(&self, index: &usize, field: &str) -> Option<&str> {
        self.errors.get(&format!("subjects[{index}].{field}")).map(String::as_str)
    }
}

struct FormSpec {
    title: &'static str,
    action: String,
    submit: &'static str,
    cancel_link: String,
    version: Option<i64>,
    stale: bool,
}

async fn form_page(
    state: &AppState,
    session: &SessionInfo,
    spec: FormSpec,
    v: LeadInput,
    errors: &[domain::FieldError],
) -> Result<String, PageError> {
    let en = RequestContext::current().english;
    let t = i18n::texts(en);
    let units = state.app.ledger().registrable_units(&session.actor).await?;
    let unit_labels: Vec<(String, String)> = units.iter().map(|u| (u.id.to_string(), u.name.clone())).collect();
    let political = |sel: &str| options(PoliticalStatus::ALL.iter().map(|s| (s.code(), s.label(en))), sel);
    let cadre = |sel: &str| options(CadreLevel::ALL.iter().map(|s| (s.code(), s.label(en))), sel);
    let mut rows: Vec<SubjectInput> = v.subjects.clone();
    if rows.is_empty() {
        rows.push(SubjectInput::default());
    }
    let subjects = rows
        .into_iter()
        .enumerate()
        .map(|(index, s)| SubjectRow {
            index,
            political: political(if s.political_status.is_empty() { "unknown" } else { &s.political_status }),
            cadre: cadre(if s.cadre_level.is_empty() { "not_cadre" } else { &s.cadre_level }),
            s,
        })
        .collect();
    let here = spec.action.clone();
    render(LeadForm {
        t,
        chrome: Chrome::new(session, t, here, "register"),
        title: spec.title,
        action: spec.action,
        submit: spec.submit,
        cancel_link: spec.cancel_link,
        version: spec.version,
        stale: spec.stale,
        has_errors: !errors.is_empty(),
        errors: errors
            .iter()
            .map(|e| (e.field.clone(), if en { e.message_en.clone() } else { e.message_zh.clone() }))
            .collect(),
        units: options(unit_labels.iter().map(|(a, b)| (a.as_str(), b.as_str())), &v.unit_id),
        sources: options(Source::ALL.iter().map(|s| (s.code(), s.label(en))), &v.source),
        categories: options(Category::ALL.iter().map(|s| (s.code(), s.label(en))), &v.category),
        domains: options(ProblemDomain::ALL.iter().map(|s| (s.code(), s.label(en))), &v.problem_domain),
        modes: options(
            HandlingMode::ALL.iter().map(|s| (s.code(), s.label(en))),
            if v.handling_mode.is_empty() { "own_level" } else { &v.handling_mode },
        ),
        reporter_kinds: options(
            ReporterKind::ALL.iter().map(|s| (s.code(), s.label(en))),
            if v.reporter.kind.is_empty() { "anonymous" } else { &v.reporter.kind },
        ),
        subjects,
        blank_political: political("unknown"),
        blank_cadre: cadre("not_cadre"),
        v,
    })
}

/// Reads the form's flat `name=value` pairs, including `subjects[i].field`, dropping
/// subject rows left entirely blank so that row numbers in errors match what is shown.
fn input_from_form(pairs: &[(String, String)]) -> (LeadInput, Option<i64>) {
    let mut v = LeadInput::default();
    let mut version = None;
    let mut subjects: BTreeMap<usize, SubjectInput> = BTreeMap::new();
    for (k, val) in pairs {
        let val = val.clone();
        match k.as_str() {
            "unit_id" => v.unit_id = val,
            "source" => v.source = val,
            "source_doc_no" => v.source_doc_no = val,
            "assigning_body" => v.assigning_body = val,
            "received_on" => v.received_on = val,
            "category" => v.category = val,
            "problem_domain" => v.problem_domain = val,
            "summary" => v.summary = val,
            "important" => v.important = !val.is_empty(),
            "handling_mode" => v.handling_mode = val,
            "responsible_leader" => v.responsible_leader = val,
            "responsible_person" => v.responsible_person = val,
            "deadline" => v.deadline = val,
            "reporter.kind" => v.reporter.kind = val,
            "reporter.name" => v.reporter.name = val,
            "reporter.contact" => v.reporter.contact = val,
            "version" => version = val.trim().parse().ok(),
            other => {
                let Some((idx, field)) = other
                    .strip_prefix("subjects[")
                    .and_then(|r| r.split_once("]."))
                    .and_then(|(i, f)| Some((i.parse::<usize>().ok()?, f)))
                else {
                    continue;
                };
                if idx >= 100 {
                    continue;
                }
                let s = subjects.entry(idx).or_default();
                match field {
                    "name" => s.name = val,
                    "unit_name" => s.unit_name = val,
                    "post" => s.post = val,
                    "rank" => s.rank = val,
                    "political_status" => s.political_status = val,
                    "cadre_level" => s.cadre_level = val,
                    "is_unit_head" => s.is_unit_head = !val.is_empty(),
                    "id_number" => s.id_number = val,
                    _ => {}
                }
            }
        }
    }
    v.subjects = subjects.into_values().filter(|s| !s.is_blank()).collect();
    (v, version)
}

fn register_spec(t: &Texts) -> FormSpec {
    FormSpec {
        title: t.ledger.register_title,
        action: "/leads".into(),
        submit: t.ledger.register_button,
        cancel_link: "/ledger".into(),
        version: None,
        stale: false,
    }
}

pub async fn view_lead_new(State(state): State<AppState>, Signed(session): Signed) -> Result<Html<String>, PageError> {
    session.actor.ledger_keeper()?;
    let t = i18n::texts(RequestContext::current().english);
    let units = state.app.ledger().registrable_units(&session.actor).await?;
    let today = domain::dates::beijing_date(state.app.now());
    let v = LeadInput {
        // One unit: preselect it. Today is the usual received date.
        unit_id: if units.len() == 1 { units[0].id.to_string() } else { String::new() },
        received_on: format_date(today),
        ..Default::default()
    };
    Ok(Html(form_page(&state, &session, register_spec(t), v, &[]).await?))
}

pub async fn view_lead_create(
    State(state): State<AppState>,
    Signed(session): Signed,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let keeper = session.actor.ledger_keeper()?;
    let t = i18n::texts(RequestContext::current().english);
    let (input, _) = input_from_form(&pairs);
    match state.app.ledger().register(&keeper, &input).await {
        // A lead about the unit's own head went up a level: this keeper cannot open it.
        Ok(lead) if lead.routed_from_unit_id.is_some() => {
            Ok(Redirect::to(&format!("/ledger?routed={}", crate::pages::urlencode(lead.number.as_str())))
                .into_response())
        }
        Ok(lead) => Ok(Redirect::to(&format!("/leads/{}?registered=1", lead.id)).into_response()),
        Err(AppError::Invalid(i)) => {
            let html = form_page(&state, &session, register_spec(t), input, &i.0).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

fn edit_spec(t: &Texts, id: i64, version: i64, stale: bool) -> FormSpec {
    FormSpec {
        title: t.ledger.edit_title,
        action: format!("/leads/{id}"),
        submit: t.save,
        cancel_link: format!("/leads/{id}"),
        version: Some(version),
        stale,
    }
}

/// The stored lead as form input, for editing.
fn input_from_lead(l: &Lead, reporter: &domain::reporters::Reporter) -> LeadInput {
    LeadInput {
        unit_id: l.unit_id.to_string(),
        source: l.source.code().into(),
        source_doc_no: l.source_doc_no.clone().unwrap_or_default(),
        assigning_body: l.assigning_body.clone().unwrap_or_default(),
        received_on: format_date(l.received_on),
        category: l.category.code().into(),
        problem_domain: l.problem_domain.code().into(),
        summary: l.summary.clone(),
        important: l.important,
        handling_mode: l.handling_mode.code().into(),
        responsible_leader: l.responsible_leader.clone().unwrap_or_default(),
        responsible_person: l.responsible_person.clone().unwrap_or_default(),
        // Left empty: an edit keeps the current deadline unless a new one is typed.
        deadline: String::new(),
        subjects: l
            .subjects
            .iter()
            .map(|s| SubjectInput {
                name: s.name.clone(),
                unit_name: s.unit_name.clone(),
                post: s.post.clone(),
                rank: s.rank.clone(),
                political_status: s.political_status.code().into(),
                is_unit_head: s.is_unit_head,
                cadre_level: s.cadre_level.code().into(),
                // Only a hash is kept: the number cannot be shown again.
                id_number: String::new(),
            })
            .collect(),
        reporter: ReporterInput {
            kind: reporter.kind.code().into(),
            name: reporter.name.clone().unwrap_or_default(),
            contact: reporter.contact.clone().unwrap_or_default(),
        },
    }
}

pub async fn view_lead_edit(
    State(state): State<AppState>,
    Signed(session): Signed,
    PagePath(id): PagePath<i64>,
) -> Result<Html<String>, PageError> {
    let keeper = session.actor.ledger_keeper()?;
    let t = i18n::texts(RequestContext::current().english);
    let d = state.app.ledger().detail(&session.actor, LeadId::from_raw(id)).await?;
    if !d.can_edit {
        // Readable but not editable by this keeper: same answer as for a missing lead.
        return Err(AppError::NotFound.into());
    }
    let _ = keeper;
    let v = input_from_lead(&d.lead, &d.reporter);
    Ok(Html(form_page(&state, &session, edit_spec(t, id, d.lead.version, false), v, &[]).await?))
}

pub async fn view_lead_update(
    State(state): State<AppState>,
    Signed(session): Signed,
    PagePath(id): PagePath<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let keeper = session.actor.ledger_keeper()?;
    let t = i18n::texts(RequestContext::current().english);
    let (input, version) = input_from_form(&pairs);
    let Some(version) = version else {
        return Err(AppError::field(domain::FieldError::new(
            "version",
            "required",
            "缺少版本号，请从线索页面重新打开修改表单。",
            "The version is missing; open the edit form again from the lead page.",
        ))
        .into());
    };
    let save = SaveLead { input, expected_version: version };
    match state.app.ledger().update(&keeper, LeadId::from_raw(id), &save).await {
        // An edit naming the unit's head sent the lead up: this keeper cannot open it now.
        Ok(lead) if state.app.ledger().lead(keeper.reader(), lead.id).await.is_err() => {
            Ok(Redirect::to(&format!("/ledger?routed={}", crate::pages::urlencode(lead.number.as_str())))
                .into_response())
        }
        Ok(_) => Ok(Redirect::to(&format!("/leads/{id}?saved=1")).into_response()),
        Err(AppError::Invalid(i)) => {
            let html = form_page(&state, &session, edit_spec(t, id, version, false), save.input, &i.0).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
        }
        Err(AppError::Stale { current_version }) => {
            // Keep what the user typed; a deliberate second submit overwrites.
            let html = form_page(&state, &session, edit_spec(t, id, current_version, true), save.input, &[]).await?;
            Ok((StatusCode::CONFLICT, Html(html)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::input_from_form;

    #[test]
    fn blank_subject_rows_are_dropped_and_rows_renumbered() {
        let pairs: Vec<(String, String)> = [
            ("summary", "摘要"),
            ("subjects[0].name", ""),
            ("subjects[1].name", "王某"),
            ("subjects[1].is_unit_head", "on"),
            ("subjects[5].post", "科长"),
            ("version", "3"),
            ("important", "on"),
        ]
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        let (v, version) = input_from_form(&pairs);
        assert_eq!(version, Some(3));
        assert!(v.important);
        assert_eq!(v.subjects.len(), 2);
        assert_eq!(v.subjects[0].name, "王某");
        assert!(v.subjects[0].is_unit_head);
        assert_eq!(v.subjects[1].post, "科长");
    }
}
