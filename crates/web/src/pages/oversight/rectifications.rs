//! Rectification after a case (以案促改): the list with the letter form, one rectification with
//! the forms its reader may use, the letter to print or download, and institutions established.

use app::{
    AppError, FlashKind,
    oversight::{InstitutionView, RectificationDetail, RectificationList},
};
use askama::Template;
use axum::{
    Form,
    extract::{Query, State},
    http::StatusCode,
    response::{Html, IntoResponse, Response},
};
use domain::{
    dates::format_instant,
    oversight::rectification::{AnalysisInput, InstitutionInput, LetterInput, LetterKind, MeasureInput, MeasureStatus},
};
use serde::Deserialize;

use crate::{
    AppState,
    context::RequestContext,
    error::PageError,
    extract::PagePath,
    forms::{FormState, field},
    i18n::{self, Texts},
    pages::{Chrome, DOCX, Opt, attachment, options, redirect_with, render},
    session::Signed,
};

#[derive(Debug, Default, Deserialize)]
pub struct ListParams {
    #[serde(default)]
    pub page: String,
}

#[derive(Template)]
#[template(path = "oversight/rectifications.html")]
struct ListPage {
    t: &'static Texts,
    chrome: Chrome,
    l: RectificationList,
    fs: FormState,
    notice: Option<String>,
    kind_opts: Vec<Opt>,
    page_count: u32,
    prev_link: Option<String>,
    next_link: Option<String>,
}

fn label(field: &str, t: &Texts) -> Option<&'static str> {
    let o = &t.oversight;
    Some(match field {
        "lead" => o.lead_number,
        "kind" => o.letter_kind,
        "content" => o.letter_content,
        "reply_due" => o.reply_due,
        "causes" => o.causes,
        "risk_points" => o.risk_points,
        "loopholes" => o.loopholes,
        "owner" => o.owner,
        "due_on" => o.due_on,
        "status" => o.measure_status,
        "evidence" => o.evidence,
        "reply" => o.reply_text,
        "note" => o.decision_note,
        "recheck_notes" => o.recheck_notes,
        "unit_id" => o.inst_unit,
        "name" => o.inst_name,
        "doc_no" => o.inst_doc_no,
        "issued_on" => o.inst_issued_on,
        "rectification" => o.inst_rectification,
        "file" => t.portal.att_file,
        _ => return None,
    })
}

async fn list_page(
    state: &AppState,
    s: &app::SessionInfo,
    page: u32,
    fs: FormState,
    notice: Option<String>,
) -> Result<String, PageError> {
    let en = RequestContext::current().english;
    let t = i18n::texts(en);
    let l = state.app.oversight().rectifications(&s.actor, page).await?;
    let page_count = l.page_count();
    let link = |p: u32| format!("/oversight/rectifications?page={p}");
    render(ListPage {
        t,
        chrome: Chrome::new(s, t, link(l.page), "rectifications"),
        fs,
        notice,
        kind_opts: options(LetterKind::ALL.iter().map(|k| (k.code(), k.label(en))), "discipline"),
        page_count,
        prev_link: (l.page > 1).then(|| link(l.page - 1)),
        next_link: (l.page < page_count).then(|| link(l.page + 1)),
        l,
    })
}

pub async fn view_rectifications_get(
    State(state): State<AppState>,
    Signed(s): Signed,
    Query(p): Query<ListParams>,
) -> Result<Html<String>, PageError> {
    let notice = super::notice(&state, &s).await?;
    let page = p.page.trim().parse().unwrap_or(1);
    Ok(Html(list_page(&state, &s, page, FormState::blank("letter"), notice).await?))
}

pub async fn view_rectifications_issue(
    State(state): State<AppState>,
    Signed(s): Signed,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let en = RequestContext::current().english;
    let t = i18n::texts(en);
    let input = LetterInput {
        lead: field(&f, "lead").into(),
        kind: field(&f, "kind").into(),
        content: field(&f, "content").into(),
        reply_due: field(&f, "reply_due").into(),
    };
    match state.app.oversight().issue_letter(&s.actor, &input).await {
        Ok(id) => {
            Ok(redirect_with(&format!("/oversight/rectifications/{id}"), FlashKind::Done, t.oversight.done_issue))
        }
        Err(AppError::Invalid(i)) => {
            let fs = FormState::typed("letter", &f).refused(&i.0, en, |x| label(x, t));
            let html = list_page(&state, &s, 1, fs, None).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "oversight/rectification.html")]
struct DetailPage {
    t: &'static Texts,
    chrome: Chrome,
    d: RectificationDetail,
    fs: FormState,
    notice: Option<String>,
    status_opts: Vec<Opt>,
    issued_at: String,
    replied_at: String,
    paragraphs: Vec<String>,
    /// Each part of the analysis: its field, label and what was recorded.
    analysis: Vec<(&'static str, &'static str, String)>,
}

async fn detail_page(
    state: &AppState,
    s: &app::SessionInfo,
    id: i64,
    fs: FormState,
    notice: Option<String>,
) -> Result<String, PageError> {
    let en = RequestContext::current().english;
    let t = i18n::texts(en);
    let d = state.app.oversight().rectification(&s.actor, id).await?;
    let r = &d.rectification;
    render(DetailPage {
        t,
        chrome: Chrome::new(s, t, format!("/oversight/rectifications/{id}"), "rectifications"),
        fs,
        notice,
        status_opts: options(MeasureStatus::ALL.iter().map(|m| (m.code(), m.label(en))), ""),
        issued_at: format_instant(r.issued_at),
        replied_at: r.replied_at.map(format_instant).unwrap_or_default(),
        paragraphs: r.content.lines().map(str::to_owned).filter(|l| !l.trim().is_empty()).collect(),
        analysis: vec![
            ("causes", t.oversight.causes, r.causes.clone().unwrap_or_default()),
            ("risk_points", t.oversight.risk_points, r.risk_points.clone().unwrap_or_default()),
            ("loopholes", t.oversight.loopholes, r.loopholes.clone().unwrap_or_default()),
        ],
        d,
    })
}

pub async fn view_rectification_show(
    State(state): State<AppState>,
    Signed(s): Signed,
    PagePath(id): PagePath<i64>,
) -> Result<Html<String>, PageError> {
    let notice = super::notice(&state, &s).await?;
    Ok(Html(detail_page(&state, &s, id, FormState::default(), notice).await?))
}

/// Back to the rectification with what was done, or its page again with the form as typed (422).
async fn outcome(
    state: &AppState,
    s: &app::SessionInfo,
    (id, form): (i64, &str),
    f: &[(String, String)],
    r: Result<&'static str, AppError>,
) -> Result<Response, PageError> {
    let to = format!("/oversight/rectifications/{id}");
    super::form_outcome(r, &to, (form, f), label, |fs| detail_page(state, s, id, fs, None)).await
}

pub async fn view_rectification_analysis(
    State(state): State<AppState>,
    Signed(s): Signed,
    PagePath(id): PagePath<i64>,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let t = i18n::texts(RequestContext::current().english);
    let input = AnalysisInput {
        causes: field(&f, "causes").into(),
        risk_points: field(&f, "risk_points").into(),
        loopholes: field(&f, "loopholes").into(),
    };
    let r = state.app.oversight().record_analysis(&s.actor, id, &input).await.map(|_| t.oversight.done_analysis);
    outcome(&state, &s, (id, "analysis"), &f, r).await
}

fn measure_input(f: &[(String, String)]) -> MeasureInput {
    MeasureInput {
        content: field(f, "content").into(),
        owner: field(f, "owner").into(),
        due_on: field(f, "due_on").into(),
        status: field(f, "status").into(),
        evidence: field(f, "evidence").into(),
    }
}

pub async fn view_rectification_measure(
    State(state): State<AppState>,
    Signed(s): Signed,
    PagePath(id): PagePath<i64>,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let t = i18n::texts(RequestContext::current().english);
    let r = state.app.oversight().add_measure(&s.actor, id, &measure_input(&f)).await.map(|_| t.oversight.done_measure);
    outcome(&state, &s, (id, "measure"), &f, r).await
}

/// A measure's progress, from its row on the rectification's page (the form names its rectification).
pub async fn view_measure_update(
    State(state): State<AppState>,
    Signed(s): Signed,
    PagePath(id): PagePath<i64>,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let t = i18n::texts(RequestContext::current().english);
    let back = field(&f, "rectification").trim().parse::<i64>().unwrap_or(0);
    match state.app.oversight().update_measure(&s.actor, id, &measure_input(&f)).await {
        Ok(rect) => outcome(&state, &s, (rect, ""), &f, Ok(t.oversight.done_measure)).await,
        Err(e @ AppError::Invalid(_)) if back > 0 => outcome(&state, &s, (back, &format!("m{id}")), &f, Err(e)).await,
        Err(e) => Err(e.into()),
    }
}

pub async fn view_rectification_reply(
    State(state): State<AppState>,
    Signed(s): Signed,
    PagePath(id): PagePath<i64>,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let t = i18n::texts(RequestContext::current().english);
    let r = state
        .app
        .oversight()
        .reply_rectification(&s.actor, id, field(&f, "reply"))
        .await
        .map(|_| t.oversight.done_reply);
    outcome(&state, &s, (id, "reply"), &f, r).await
}

pub async fn view_rectification_decide(
    State(state): State<AppState>,
    Signed(s): Signed,
    PagePath(id): PagePath<i64>,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let t = i18n::texts(RequestContext::current().english);
    let accept = field(&f, "accept") == "1";
    let r = state.app.oversight().decide_rectification(&s.actor, id, accept, field(&f, "note")).await;
    let r = r.map(|_| if accept { t.oversight.done_accept } else { t.oversight.done_return });
    outcome(&state, &s, (id, "decision"), &f, r).await
}

pub async fn view_rectification_recheck(
    State(state): State<AppState>,
    Signed(s): Signed,
    PagePath(id): PagePath<i64>,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let t = i18n::texts(RequestContext::current().english);
    let held = !field(&f, "held").is_empty();
    let r = state.app.oversight().recheck_rectification(&s.actor, id, held, field(&f, "recheck_notes")).await;
    outcome(&state, &s, (id, "recheck"), &f, r.map(|_| t.oversight.done_recheck)).await
}

#[derive(Template)]
#[template(path = "oversight/letter.html")]
struct LetterPage {
    t: &'static Texts,
    chrome: Chrome,
    r: app::oversight::RectificationView,
    addressee: String,
    paragraphs: Vec<String>,
    date: String,
}

fn addressee(r: &app::oversight::RectificationView) -> String {
    match r.kind {
        LetterKind::Discipline => format!("{}党委", r.unit_name),
        LetterKind::Supervision => r.unit_name.clone(),
    }
}

fn letter_date(r: &app::oversight::RectificationView) -> String {
    let d = domain::dates::beijing_date(r.issued_at);
    format!("{}年{}月{}日", d.year(), u8::from(d.month()), d.day())
}

pub async fn view_letter_show(
    State(state): State<AppState>,
    Signed(s): Signed,
    PagePath(id): PagePath<i64>,
) -> Result<Html<String>, PageError> {
    let t = i18n::texts(RequestContext::current().english);
    let r = state.app.oversight().letter(&s.actor, id).await?;
    render(LetterPage {
        t,
        chrome: Chrome::new(&s, t, format!("/oversight/rectifications/{id}/letter"), "rectifications"),
        addressee: addressee(&r),
        paragraphs: r.content.lines().map(str::to_owned).filter(|l| !l.trim().is_empty()).collect(),
        date: letter_date(&r),
        r,
    })
    .map(Html)
}

pub async fn view_letter_docx(
    State(state): State<AppState>,
    Signed(s): Signed,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    let r = state.app.oversight().letter(&s.actor, id).await?;
    Ok(letter_docx(&r)?)
}

/// The letter as a Word file (the page and the API alike).
pub fn letter_docx(r: &app::oversight::RectificationView) -> Result<Response, AppError> {
    let paragraphs: Vec<String> = r.content.lines().map(str::to_owned).collect();
    let sheet = office::docx::LetterSheet {
        title: r.kind.zh(),
        number: &r.number,
        addressee: &addressee(r),
        paragraphs: &paragraphs,
        issuer: &r.issuer_unit,
        date: &letter_date(r),
    };
    let bytes = office::docx::letter_docx(&sheet).map_err(AppError::internal)?;
    let ascii = format!("letter-{}", r.id);
    Ok(attachment(bytes, DOCX, (&ascii, &format!("{}{}", r.kind.zh(), r.number))))
}

#[derive(Template)]
#[template(path = "oversight/institutions.html")]
struct InstitutionsPage {
    t: &'static Texts,
    chrome: Chrome,
    items: Vec<InstitutionView>,
    fs: FormState,
    notice: Option<String>,
    unit_opts: Vec<Opt>,
    may_add: bool,
}

async fn institutions_page(
    state: &AppState,
    s: &app::SessionInfo,
    fs: FormState,
    notice: Option<String>,
) -> Result<String, PageError> {
    let t = i18n::texts(RequestContext::current().english);
    let items = state.app.oversight().institutions(&s.actor).await?;
    let may_add = s.actor.ledger_keeper().is_ok();
    let unit_opts = if may_add {
        let units = state.app.ledger().unit_tree(&s.actor).await?;
        let own = s.actor.unit_id.to_string();
        units
            .iter()
            .map(|u| Opt { value: u.id.to_string(), label: u.name.to_string(), selected: u.id.to_string() == own })
            .collect()
    } else {
        Vec::new()
    };
    render(InstitutionsPage {
        t,
        chrome: Chrome::new(s, t, "/oversight/institutions".into(), "institutions"),
        items,
        fs,
        notice,
        unit_opts,
        may_add,
    })
}

pub async fn view_institutions_get(
    State(state): State<AppState>,
    Signed(s): Signed,
) -> Result<Html<String>, PageError> {
    let notice = super::notice(&state, &s).await?;
    Ok(Html(institutions_page(&state, &s, FormState::blank("inst"), notice).await?))
}

pub async fn view_institutions_post(
    State(state): State<AppState>,
    Signed(s): Signed,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let en = RequestContext::current().english;
    let t = i18n::texts(en);
    let input = InstitutionInput {
        unit_id: field(&f, "unit_id").into(),
        name: field(&f, "name").into(),
        doc_no: field(&f, "doc_no").into(),
        issued_on: field(&f, "issued_on").into(),
        rectification: field(&f, "rectification").into(),
    };
    match state.app.oversight().add_institution(&s.actor, &input).await {
        Ok(_) => Ok(redirect_with("/oversight/institutions", FlashKind::Done, t.oversight.done_institution)),
        Err(AppError::Invalid(i)) => {
            let fs = FormState::typed("inst", &f).refused(&i.0, en, |x| label(x, t));
            let html = institutions_page(&state, &s, fs, None).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// A file for the rectification: the form's file part streamed in as it arrives.
pub async fn view_rectification_attachments_post(
    State(state): State<AppState>,
    Signed(s): Signed,
    PagePath(id): PagePath<i64>,
    headers: axum::http::HeaderMap,
    body: axum::body::Body,
) -> Result<Response, PageError> {
    let t = i18n::texts(RequestContext::current().english);
    let r = crate::upload::stream_form_to(&state, &s.actor, app::AttachPlace::Rectification(id), &headers, body).await;
    outcome(&state, &s, (id, "files"), &[], r.map(|_| t.portal.att_done)).await
}
