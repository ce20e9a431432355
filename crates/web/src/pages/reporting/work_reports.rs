//! Work reports (工作情况报告): the committee's list of who submitted and who is late with the
//! verification form; a unit's report — figures, the seven sections as a form, the head's
//! signature, submission — its print-ready copy carrying the verification code and QR code, and
//! its docx. Handlers render what `app` decides.

use app::{AppError, FlashKind, WorkReportBook, WorkReportVerification, WorkReportView};
use askama::Template;
use axum::{
    Form,
    extract::{Query, State},
    http::{HeaderMap, StatusCode},
    response::{Html, IntoResponse, Response},
};
use domain::{
    UnitId,
    reporting::work_report::{ReportInput, Section},
};
use serde::Deserialize;

use crate::{
    AppState,
    context::RequestContext,
    error::PageError,
    extract::PagePath,
    forms::{FormState, field},
    i18n::{self, Texts},
    pages::{Chrome, DOCX, attachment, redirect_with, render},
    session::Signed,
};

fn label(f: &str, t: &Texts) -> Option<&'static str> {
    if let Some(code) = f.strip_prefix("section_") {
        return Section::from_code(code).map(|s| s.label(t.english));
    }
    Some(match f {
        "code" => t.reporting.w_code,
        "state" | "sections" => t.reporting.b_state,
        _ => return None,
    })
}

#[derive(Template)]
#[template(path = "reporting/work_reports.html")]
struct ListPage {
    t: &'static Texts,
    chrome: Chrome,
    b: WorkReportBook,
    notice: Option<String>,
}

pub async fn view_work_reports_get(
    State(state): State<AppState>,
    Signed(s): Signed,
) -> Result<Html<String>, PageError> {
    let t = i18n::texts(RequestContext::current().english);
    let b = state.app.reporting().work_reports(&s.actor, None).await?;
    let notice = crate::pages::oversight::notice(&state, &s).await?;
    Ok(Html(render(ListPage {
        t,
        chrome: Chrome::new(&s, t, "/reporting/work-reports".into(), "work_reports"),
        b,
        notice,
    })?))
}

#[derive(Template)]
#[template(path = "reporting/work_report.html")]
struct ShowPage {
    t: &'static Texts,
    chrome: Chrome,
    r: WorkReportView,
    fs: FormState,
    notice: Option<String>,
}

/// The sections form filled with the report as kept.
fn as_kept(r: &WorkReportView) -> FormState {
    let pairs: Vec<(String, String)> =
        r.sections.iter().map(|x| (format!("section_{}", x.section.code()), x.text.clone())).collect();
    FormState::typed("report", &pairs)
}

async fn show_page(
    state: &AppState,
    s: &app::SessionInfo,
    unit: UnitId,
    fs: Option<FormState>,
) -> Result<String, PageError> {
    let t = i18n::texts(RequestContext::current().english);
    let r = state.app.reporting().work_report(&s.actor, unit).await?;
    let fs = fs.unwrap_or_else(|| as_kept(&r));
    let notice = crate::pages::oversight::notice(state, s).await?;
    render(ShowPage {
        t,
        chrome: Chrome::new(s, t, format!("/reporting/work-reports/{unit}"), "work_reports"),
        r,
        fs,
        notice,
    })
}

pub async fn view_work_report_show(
    State(state): State<AppState>,
    Signed(s): Signed,
    PagePath(unit): PagePath<i64>,
) -> Result<Html<String>, PageError> {
    Ok(Html(show_page(&state, &s, UnitId::from_raw(unit), None).await?))
}

async fn outcome(
    state: &AppState,
    s: &app::SessionInfo,
    unit: UnitId,
    r: Result<&'static str, AppError>,
    f: &[(String, String)],
) -> Result<Response, PageError> {
    let en = RequestContext::current().english;
    let t = i18n::texts(en);
    match r {
        Ok(msg) => Ok(redirect_with(&format!("/reporting/work-reports/{unit}"), FlashKind::Done, msg)),
        Err(AppError::Invalid(i)) => {
            // A refused step keeps the sections as they stand; a refused save keeps them as typed.
            let typed = f.iter().any(|(k, _)| k.starts_with("section_")).then(|| FormState::typed("report", f));
            let current = match typed {
                Some(fs) => fs,
                None => as_kept(&state.app.reporting().work_report(&s.actor, unit).await?),
            };
            let fs = current.refused(&i.0, en, |x| label(x, t));
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(show_page(state, s, unit, Some(fs)).await?)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn view_work_report_save(
    State(state): State<AppState>,
    Signed(s): Signed,
    PagePath(unit): PagePath<i64>,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let t = i18n::texts(RequestContext::current().english);
    let mut input = ReportInput::default();
    for sec in Section::ALL {
        input.sections.insert(sec.code().into(), field(&f, &format!("section_{}", sec.code())).into());
    }
    let unit = UnitId::from_raw(unit);
    let r = state.app.reporting().save_work_report(&s.actor, unit, &input).await;
    outcome(&state, &s, unit, r.map(|_| t.reporting.w_saved), &f).await
}

pub async fn view_work_report_sign(
    State(state): State<AppState>,
    Signed(s): Signed,
    PagePath(unit): PagePath<i64>,
) -> Result<Response, PageError> {
    let t = i18n::texts(RequestContext::current().english);
    let unit = UnitId::from_raw(unit);
    let r = state.app.reporting().sign_work_report(&s.actor, unit).await;
    outcome(&state, &s, unit, r.map(|_| t.reporting.w_signed), &[]).await
}

pub async fn view_work_report_submit(
    State(state): State<AppState>,
    Signed(s): Signed,
    PagePath(unit): PagePath<i64>,
) -> Result<Response, PageError> {
    let t = i18n::texts(RequestContext::current().english);
    let unit = UnitId::from_raw(unit);
    let r = state.app.reporting().submit_work_report(&s.actor, unit).await;
    outcome(&state, &s, unit, r.map(|_| t.reporting.w_submitted), &[]).await
}

#[derive(Template)]
#[template(path = "reporting/work_report_print.html")]
struct PrintPage {
    t: &'static Texts,
    chrome: Chrome,
    r: WorkReportView,
    qr: String,
}

/// Where a scanned code leads: this server's verification page, the code filled in. Served
/// over TLS exactly when its cookies are `Secure` (an intranet server on plain HTTP stays so).
fn verify_url(headers: &HeaderMap, tls: bool, code: &str) -> String {
    let host = headers.get("host").and_then(|h| h.to_str().ok()).unwrap_or("localhost");
    let scheme = if tls { "https" } else { "http" };
    format!("{scheme}://{host}/reporting/verify?code={code}")
}

/// The QR code of `text` as an SVG drawn here.
fn qr_svg(text: &str) -> String {
    match qrcode::QrCode::new(text.as_bytes()) {
        Ok(q) => q.render::<qrcode::render::svg::Color<'_>>().min_dimensions(128, 128).quiet_zone(true).build(),
        Err(_) => String::new(),
    }
}

pub async fn view_work_report_print(
    State(state): State<AppState>,
    Signed(s): Signed,
    headers: HeaderMap,
    PagePath(unit): PagePath<i64>,
) -> Result<Html<String>, PageError> {
    let t = i18n::texts(RequestContext::current().english);
    let r = state.app.reporting().work_report(&s.actor, UnitId::from_raw(unit)).await?;
    let qr = r
        .signature
        .as_ref()
        .map(|sig| qr_svg(&verify_url(&headers, state.secure_cookies, &sig.code)))
        .unwrap_or_default();
    let chrome = Chrome::new(&s, t, format!("/reporting/work-reports/{unit}/print"), "work_reports");
    Ok(Html(render(PrintPage { t, chrome, r, qr })?))
}

pub async fn view_work_report_docx(
    State(state): State<AppState>,
    Signed(s): Signed,
    PagePath(unit): PagePath<i64>,
) -> Result<Response, PageError> {
    let r = state.app.reporting().work_report(&s.actor, UnitId::from_raw(unit)).await?;
    Ok(docx(&r)?)
}

/// The report as a Word file (the page and the API alike), in Chinese as the document is.
pub fn docx(r: &WorkReportView) -> Result<Response, AppError> {
    let figures: Vec<(String, String)> = r.figures.iter().map(|f| (f.label.clone(), f.value.clone())).collect();
    let numerals = ["一", "二", "三", "四", "五", "六", "七"];
    let sections: Vec<(String, String)> = r
        .sections
        .iter()
        .enumerate()
        .map(|(i, x)| (format!("{}、{}", numerals.get(i).unwrap_or(&""), x.section.zh()), x.text.clone()))
        .collect();
    let (signed, code) = match &r.signature {
        Some(sig) => {
            (format!("单位主要负责人：{}（电子签名 {}）", sig.signer, sig.signed_at), format!("核验码：{}", sig.code))
        }
        None => ("单位主要负责人：（未签字）".to_owned(), String::new()),
    };
    let sheet = office::docx::ReportSheet {
        title: &r.title,
        unit: &r.unit_name,
        figures: &figures,
        figures_title: "主要数据",
        sections: &sections,
        signed: &signed,
        code: &code,
    };
    let bytes = office::docx::report_docx(&sheet).map_err(AppError::internal)?;
    Ok(attachment(bytes, DOCX, (&format!("work-report-{}", r.unit_id), &r.title)))
}

#[derive(Debug, Default, Deserialize)]
pub struct VerifyQuery {
    #[serde(default)]
    code: String,
}

#[derive(Template)]
#[template(path = "reporting/verify.html")]
struct VerifyPage {
    t: &'static Texts,
    chrome: Chrome,
    fs: FormState,
    v: Option<WorkReportVerification>,
}

/// The committee types in (or scans to) a printed code and sees the report it names.
pub async fn view_verify_get(
    State(state): State<AppState>,
    Signed(s): Signed,
    Query(q): Query<VerifyQuery>,
) -> Result<Response, PageError> {
    let en = RequestContext::current().english;
    let t = i18n::texts(en);
    let typed = vec![("code".to_owned(), q.code.clone())];
    let chrome = Chrome::new(&s, t, "/reporting/verify".into(), "work_reports");
    if q.code.trim().is_empty() {
        state.app.reporting().verifier(&s.actor)?;
        let page = VerifyPage { t, chrome, fs: FormState::typed("verify", &typed), v: None };
        return Ok(Html(render(page)?).into_response());
    }
    match state.app.reporting().verify_work_report(&s.actor, &q.code).await {
        Ok(v) => {
            Ok(Html(render(VerifyPage { t, chrome, fs: FormState::typed("verify", &typed), v: Some(v) })?)
                .into_response())
        }
        Err(AppError::Invalid(i)) => {
            let fs = FormState::typed("verify", &typed).refused(&i.0, en, |x| label(x, t));
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(render(VerifyPage { t, chrome, fs, v: None })?)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
