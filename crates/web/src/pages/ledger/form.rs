//! The register and edit form of a lead.

use std::collections::{BTreeMap, HashMap};

use app::{AppError, Registered, SaveLead, SessionInfo};
use askama::Template;
use axum::{
    Form,
    extract::State,
    http::StatusCode,
    response::{Html, IntoResponse, Redirect, Response},
};
use domain::{
    LeadId,
    dates::format_date,
    ledger::{
        lead::{Category, HandlingMode, Lead, LeadInput, ProblemDomain, Source},
        subject::{CadreLevel, PoliticalStatus, SubjectInput},
    },
    reporters::{ReporterInput, ReporterKind},
};

use crate::pages::{Chrome, Opt, options, render};
use crate::{
    AppState,
    context::RequestContext,
    error::PageError,
    extract::PagePath,
    forms::FormState,
    i18n::{self, Texts},
    session::Signed,
};

/// An earlier lead the report may repeat, as the register form lists it.
pub struct RepeatRow {
    pub id: i64,
    pub number: String,
    pub unit: String,
    pub received_on: String,
    pub status: &'static str,
    pub summary: String,
    pub reasons: Vec<String>,
    pub unfounded: bool,
}

fn repeat_rows(found: &[domain::ledger::repeats::RepeatCandidate], en: bool) -> Vec<RepeatRow> {
    found
        .iter()
        .map(|c| RepeatRow {
            id: c.lead.get(),
            number: c.number.to_string(),
            unit: c.unit_name.clone(),
            received_on: format_date(c.received_on),
            status: c.status.label(en),
            summary: c.summary.clone(),
            reasons: c.reasons.iter().map(|r| r.describe(en)).collect(),
            unfounded: c.closed_unfounded,
        })
        .collect()
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
    /// The errors as the one form pattern lists them (ids are the fields' own).
    fs: FormState,
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
    /// Earlier leads this report may repeat, to decide on before it is saved.
    repeats: Vec<RepeatRow>,
    /// The decision chosen (`new` or a lead number), kept when the form comes back.
    repeat: String,
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
    repeats: Vec<RepeatRow>,
    repeat: String,
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
        fs: FormState::blank("").refused(errors, en, |f| register_label(f, t)),
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
        repeats: spec.repeats,
        repeat: spec.repeat,
    })
}

/// The register form's fields as their labels show them, for the error summary.
fn register_label(field: &str, t: &Texts) -> Option<&'static str> {
    let l = &t.ledger;
    if let Some((_, f)) = field.strip_prefix("subjects[").and_then(|r| r.split_once("].")) {
        return Some(match f {
            "name" => l.subject_name,
            "unit_name" => l.subject_unit,
            "post" => l.subject_post,
            "rank" => l.subject_rank,
            "id_number" => l.id_number,
            _ => return None,
        });
    }
    Some(match field {
        "unit_id" => t.unit,
        "source" => l.source,
        "source_doc_no" => l.source_doc_no,
        "assigning_body" => l.assigning_body,
        "received_on" => l.received_on,
        "category" => l.category,
        "problem_domain" => l.problem_domain,
        "handling_mode" => l.handling_mode,
        "responsible_leader" => l.responsible_leader,
        "responsible_person" => l.responsible_person,
        "deadline" => l.deadline,
        "summary" => l.summary,
        "reporter.name" => t.reporters.reporter_name,
        "reporter.contact" => t.reporters.reporter_contact,
        "repeat" | "merge_into" => t.ledger.repeat_title,
        _ => return None,
    })
}

/// Reads the form's flat `name=value` pairs, including `subjects[i].field`, dropping
/// subject rows left entirely blank so that row numbers in errors match what is shown.
/// Subject rows are numbered by the page from 0; a number this large came from no form.
const ROW_INDEX_LIMIT: usize = 1000;

/// A row number no form produces: refused, never dropped.
fn row_index_error(index: &str) -> domain::FieldError {
    domain::FieldError::new(
        "subjects",
        "invalid_row",
        format!("被反映人行号 {index} 无效，请从登记页面重新填写。"),
        format!("Subject row {index} is not valid; fill the form in again from the register page."),
    )
}

/// The lead as typed, the version for an edit, and the first row number no form produces.
fn input_from_form(pairs: &[(String, String)]) -> (LeadInput, Option<i64>) {
    let (v, version, _) = input_from_form_checked(pairs);
    (v, version)
}

fn input_from_form_checked(pairs: &[(String, String)]) -> (LeadInput, Option<i64>, Option<domain::FieldError>) {
    let mut v = LeadInput::default();
    let mut version = None;
    let mut bad_row = None;
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
                let Some((raw, field)) = other.strip_prefix("subjects[").and_then(|r| r.split_once("].")) else {
                    continue;
                };
                let Some(idx) = raw.parse::<usize>().ok().filter(|i| *i < ROW_INDEX_LIMIT) else {
                    bad_row.get_or_insert_with(|| row_index_error(raw));
                    continue;
                };
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
    (v, version, bad_row)
}

fn register_spec(t: &Texts) -> FormSpec {
    FormSpec {
        title: t.ledger.register_title,
        action: "/leads".into(),
        submit: t.ledger.register_button,
        cancel_link: "/ledger".into(),
        version: None,
        stale: false,
        repeats: Vec::new(),
        repeat: String::new(),
    }
}

pub async fn view_lead_new(State(state): State<AppState>, Signed(session): Signed) -> Result<Html<String>, PageError> {
    session.actor.ledger_keeper()?;
    let t = i18n::texts(RequestContext::current().english);
    let units = state.app.ledger().registrable_units(&session.actor).await?;
    let today = domain::dates::beijing_date(state.app.now());
    let v = LeadInput {
        // The keeper's own unit (or the only one offered): preselected. Today is the usual
        // received date.
        unit_id: units
            .iter()
            .find(|u| u.id == session.actor.unit_id)
            .or(if units.len() == 1 { units.first() } else { None })
            .map(|u| u.id.to_string())
            .unwrap_or_default(),
        received_on: format_date(today),
        ..Default::default()
    };
    Ok(Html(form_page(&state, &session, register_spec(t), v, &[]).await?))
}

/// Registers a lead. A report that may repeat earlier leads comes back first with them listed,
/// everything typed kept, for the keeper to merge it into one or confirm it as new.
pub async fn view_lead_create(
    State(state): State<AppState>,
    Signed(session): Signed,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let keeper = session.actor.ledger_keeper()?;
    let en = RequestContext::current().english;
    let t = i18n::texts(en);
    let (input, _, bad_row) = input_from_form_checked(&pairs);
    let typed = pairs.iter().find(|(k, _)| k == "repeat").map(|(_, v)| v.trim().to_owned()).unwrap_or_default();
    let refused = |errors: Vec<domain::FieldError>, repeats: Vec<RepeatRow>| {
        let (state, session, input, typed) = (&state, &session, input.clone(), typed.clone());
        async move {
            let submit = if repeats.is_empty() { t.ledger.register_button } else { t.ledger.repeat_confirm };
            let spec = FormSpec { submit, repeats, repeat: typed, ..register_spec(t) };
            let html = form_page(state, session, spec, input, &errors).await?;
            Ok::<_, PageError>((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
        }
    };
    if let Some(e) = bad_row {
        return refused(vec![e], Vec::new()).await;
    }
    let decision = match domain::ledger::repeats::RepeatDecision::parse("repeat", &typed) {
        Ok(d) => d,
        Err(e) => {
            let found = state.app.ledger().repeat_candidates(&keeper, &input).await.unwrap_or_default();
            return refused(vec![e], repeat_rows(&found, en)).await;
        }
    };
    // Sent back without a choice after the candidates were shown: they are shown again, with
    // the question asked.
    let shown = pairs.iter().any(|(k, _)| k == "repeat_shown");
    if decision.is_none() {
        match state.app.ledger().repeat_candidates(&keeper, &input).await {
            Ok(found) if !found.is_empty() && shown => {
                let missing = domain::ledger::repeats::RepeatDecision::missing("repeat");
                return refused(vec![missing], repeat_rows(&found, en)).await;
            }
            Ok(found) if !found.is_empty() => {
                let spec =
                    FormSpec { submit: t.ledger.repeat_confirm, repeats: repeat_rows(&found, en), ..register_spec(t) };
                return Ok(Html(form_page(&state, &session, spec, input, &[]).await?).into_response());
            }
            Ok(_) => {}
            Err(AppError::Invalid(i)) => return refused(i.0, Vec::new()).await,
            Err(e) => return Err(e.into()),
        }
    }
    match state.app.ledger().register_decided(&keeper, &input, decision).await {
        // A lead about the unit's own head went up a level: this keeper cannot open it.
        Ok(Registered::SentUp { number, .. }) => {
            Ok(Redirect::to(&format!("/ledger?routed={}", crate::pages::urlencode(number.as_str()))).into_response())
        }
        Ok(Registered::Recused { number }) => {
            Ok(Redirect::to(&format!("/ledger?recused={}", crate::pages::urlencode(number.as_str()))).into_response())
        }
        Ok(Registered::Visible { lead }) => {
            Ok(Redirect::to(&format!("/leads/{}?registered=1", lead.id)).into_response())
        }
        Err(AppError::Invalid(i)) => {
            let found = state.app.ledger().repeat_candidates(&keeper, &input).await.unwrap_or_default();
            refused(i.0, repeat_rows(&found, en)).await
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
        repeats: Vec::new(),
        repeat: String::new(),
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
    if !d.may_edit {
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
    let (input, version, bad_row) = input_from_form_checked(&pairs);
    let Some(version) = version else {
        return Err(AppError::field(domain::FieldError::new(
            "version",
            "required",
            "缺少版本号，请从线索页面重新打开修改表单。",
            "The version is missing; open the edit form again from the lead page.",
        ))
        .into());
    };
    if let Some(e) = bad_row {
        let html = form_page(&state, &session, edit_spec(t, id, version, false), input, &[e]).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response());
    }
    let save = SaveLead { input, expected_version: version };
    match state.app.ledger().update(&keeper, LeadId::from_raw(id), &save).await {
        // An edit naming the unit's head sent the lead up: this keeper cannot open it now.
        Ok(Registered::SentUp { number, .. }) => {
            Ok(Redirect::to(&format!("/ledger?routed={}", crate::pages::urlencode(number.as_str()))).into_response())
        }
        Ok(Registered::Recused { number }) => {
            Ok(Redirect::to(&format!("/ledger?recused={}", crate::pages::urlencode(number.as_str()))).into_response())
        }
        Ok(Registered::Visible { .. }) => Ok(Redirect::to(&format!("/leads/{id}?saved=1")).into_response()),
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

/// A register or edit form kept when the session ended by idling, shown again as it was
/// typed (as after a refused save); `None` when `path` is not one of those forms.
pub(crate) async fn resumed_lead_form(
    state: &AppState,
    session: &SessionInfo,
    path: &str,
    pairs: &[(String, String)],
) -> Result<Option<Html<String>>, PageError> {
    let t = i18n::texts(RequestContext::current().english);
    let spec = if path == "/leads" {
        register_spec(t)
    } else if let Some(id) = path.strip_prefix("/leads/").and_then(|id| id.parse::<i64>().ok()) {
        match input_from_form(pairs).1 {
            Some(version) => edit_spec(t, id, version, false),
            None => return Ok(None),
        }
    } else {
        return Ok(None);
    };
    session.actor.ledger_keeper()?;
    let (input, _) = input_from_form(pairs);
    Ok(Some(Html(form_page(state, session, spec, input, &[]).await?)))
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
