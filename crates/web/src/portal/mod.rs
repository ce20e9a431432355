//! The public portal (网上举报): a separate face of the same binary, served on its own address
//! (`--portal-listen`) with only these routes, so it can be published while the staff pages stay
//! on the intranet. Chinese first, an English switch; works without JavaScript except the proof
//! of work, which says so. No client address is logged: the request span carries method and
//! path only, and the limits keep addresses in memory for their hour.

pub mod document;
pub(crate) mod limits;

use std::sync::Arc;

use app::{AppError, PortalView};
use askama::Template;
use axum::{
    Extension, Form, Router,
    extract::{DefaultBodyLimit, State},
    http::{HeaderMap, StatusCode, header},
    response::{Html, IntoResponse, Redirect, Response},
    routing::{get, post},
};
use domain::reporters::{ReporterKind, intake::PortalReportInput, satisfaction::Satisfaction};

use crate::{
    AppState,
    context::RequestContext,
    error::PageError,
    forms::{FormState, field},
    i18n::{self, Texts},
    pages::{Opt, options, render},
    session::{ClientAddr, cookie, set_cookie},
};
use limits::Guard;
pub use limits::PortalLimits;

/// The portal's own cookie: a reporter's session, for half an hour.
const COOKIE: &str = "qlp";

/// Every route of the portal; the test that no staff route is reachable there reads this.
pub const PORTAL_ROUTES: &[(&str, &str)] = &[
    ("get", "/"),
    ("get", "/report"),
    ("post", "/report"),
    ("get", "/follow"),
    ("post", "/follow"),
    ("get", "/status"),
    ("post", "/status/messages"),
    ("post", "/status/rating"),
    ("post", "/status/leave"),
    ("post", "/status/files"),
    ("get", "/lang/{code}"),
    ("get", "/static/app.css"),
    ("get", "/static/portal.js"),
    ("get", "/openapi.json"),
];

const PORTAL_JS: &str = include_str!("../../static/portal.js");
/// A report's form is small; the cap keeps a flood of large bodies cheap to refuse.
const PORTAL_BODY_LIMIT: usize = 64 * 1024;

/// The portal's router: these routes only, with the product's security headers.
pub fn router(state: AppState, limits: PortalLimits) -> Router {
    let guard = Arc::new(Guard::new(limits));
    Router::new()
        .route("/", get(view_portal_home))
        .route("/report", get(view_report_get).post(view_report_post))
        .route("/follow", get(view_follow_get).post(view_follow_post))
        .route("/status", get(view_status_get))
        .route("/status/messages", post(view_status_message))
        .route("/status/rating", post(view_status_rating))
        .route("/status/leave", post(view_status_leave))
        .route("/status/files", post(view_status_files))
        .route("/lang/{code}", get(view_portal_lang))
        .route("/static/app.css", get(|| async { crate::assets::asset(crate::assets::CSS, "text/css; charset=utf-8") }))
        .route("/openapi.json", get(document::view_portal_openapi))
        .route("/static/portal.js", get(|| async { crate::assets::asset(PORTAL_JS, "text/javascript; charset=utf-8") }))
        .fallback(|| async { (StatusCode::NOT_FOUND, "404") })
        .layer(Extension(guard))
        .layer(axum::middleware::from_fn(same_origin))
        .layer(axum::middleware::from_fn(crate::middleware::catch_panic))
        .layer(axum::middleware::from_fn_with_state(state.clone(), crate::middleware::request_context))
        .layer(DefaultBodyLimit::max(PORTAL_BODY_LIMIT))
        .with_state(state)
}

/// Serves the portal on `listener` until the process is asked to stop.
pub async fn serve(listener: tokio::net::TcpListener, state: AppState, limits: PortalLimits) -> std::io::Result<()> {
    axum::serve(listener, router(state, limits).into_make_service_with_connect_info::<std::net::SocketAddr>())
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
}

/// A form posted from another site is refused: the portal's forms (filing, and following a
/// report, which sets its session) are sent only from its own pages.
async fn same_origin(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    if req.method() == axum::http::Method::POST {
        let h = req.headers();
        let fetch_site = h.get("sec-fetch-site").and_then(|v| v.to_str().ok());
        let cross_site = fetch_site.is_some_and(|s| s != "same-origin" && s != "none");
        let host = h.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or_default();
        let origin = h.get(header::ORIGIN).and_then(|v| v.to_str().ok());
        let foreign = origin.is_some_and(|o| o != "null" && o.split_once("://").map(|(_, rest)| rest) != Some(host));
        if cross_site || foreign {
            tracing::info!("portal post from another site refused");
            return (StatusCode::FORBIDDEN, "403").into_response();
        }
    }
    next.run(req).await
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct LangQuery {
    #[serde(default)]
    next: String,
}

/// The language switch, kept for the visit only: a reporter's device keeps no lasting mark of
/// the portal.
pub async fn view_portal_lang(
    axum::extract::Path(code): axum::extract::Path<String>,
    axum::extract::Query(q): axum::extract::Query<LangQuery>,
) -> Response {
    let lang = if code == "en" { "en" } else { "zh" };
    let local = q.next.starts_with('/')
        && !q.next.starts_with("//")
        && q.next.chars().all(|c| c.is_ascii_graphic() && c != '\\');
    let mut r = Redirect::to(if local { &q.next } else { "/" }).into_response();
    let cookie = format!("{}={lang}; Path=/; SameSite=Lax", crate::session::LANG_COOKIE);
    if let Ok(v) = axum::http::HeaderValue::from_str(&cookie) {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    r
}

fn texts() -> &'static Texts {
    i18n::texts(RequestContext::current().english)
}

fn too_many() -> Response {
    // Said to the operator without the address: the span names the path only.
    tracing::info!("portal request over its limit");
    (StatusCode::TOO_MANY_REQUESTS, Html(format!("<p>{}</p>", texts().portal.too_many))).into_response()
}

fn ip(addr: &ClientAddr) -> std::net::IpAddr {
    addr.0.parse().unwrap_or(std::net::IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED))
}

#[derive(Template)]
#[template(path = "portal/home.html")]
struct HomePage {
    t: &'static Texts,
    here: &'static str,
}

pub async fn view_portal_home() -> Result<Html<String>, PageError> {
    Ok(Html(render(HomePage { t: texts(), here: "/" })?))
}

#[derive(Template)]
#[template(path = "portal/report.html")]
struct ReportPage {
    t: &'static Texts,
    here: &'static str,
    fs: FormState,
    kinds: Vec<Opt>,
    challenge: String,
    bits: u8,
}

fn report_page(state: &AppState, guard: &Guard, fs: FormState) -> Result<String, PageError> {
    let t = texts();
    let kind = fs.value("kind").to_owned();
    let challenge = state.app.reporters().portal_challenge(guard.limits.bits);
    render(ReportPage {
        t,
        here: "/report",
        fs,
        kinds: options(
            [ReporterKind::Anonymous, ReporterKind::Signed].iter().map(|k| (k.code(), k.label(t.english))),
            if kind.is_empty() { "anonymous" } else { &kind },
        ),
        challenge: challenge.token,
        bits: challenge.bits,
    })
}

pub async fn view_report_get(
    State(state): State<AppState>,
    Extension(guard): Extension<Arc<Guard>>,
) -> Result<Html<String>, PageError> {
    Ok(Html(report_page(&state, &guard, FormState::default())?))
}

#[derive(Template)]
#[template(path = "portal/receipt.html")]
struct ReceiptPage {
    t: &'static Texts,
    here: &'static str,
    code: String,
    received_on: String,
}

fn label(field: &str, t: &Texts) -> Option<&'static str> {
    let p = &t.portal;
    Some(match field {
        "kind" | "reporter.kind" => p.kind,
        "name" | "reporter.name" => p.name_label,
        "contact" | "reporter.contact" => p.contact,
        "about_name" => p.about_name,
        "about_unit" => p.about_unit,
        "about_post" => p.about_post,
        "what" => p.what,
        "when" => p.when,
        "place" => p.place,
        "evidence" => p.evidence,
        "passphrase" => p.passphrase,
        "passphrase_again" => p.passphrase_again,
        "acknowledged" => p.acknowledge,
        "receipt_code" => p.receipt_code,
        "text" => p.message,
        "rating" => p.rating,
        "reasons" => p.reasons,
        "file" => p.att_file,
        _ => return None,
    })
}

/// A refused form: the page again, with the errors at their fields, passwords not echoed.
fn refused(form: &str, f: &[(String, String)], e: &domain::Invalid) -> FormState {
    let t = texts();
    let kept: Vec<(String, String)> = f.iter().filter(|(k, _)| !k.starts_with("passphrase")).cloned().collect();
    let errors: Vec<domain::FieldError> =
        e.0.iter()
            .cloned()
            .map(|mut x| {
                x.field = x.field.trim_start_matches("reporter.").to_owned();
                x
            })
            .collect();
    FormState::typed(form, &kept).refused(&errors, t.english, |x| label(x, t))
}

pub async fn view_report_post(
    State(state): State<AppState>,
    Extension(guard): Extension<Arc<Guard>>,
    addr: ClientAddr,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let ip = ip(&addr);
    if !guard.post(ip) || !guard.report(ip) {
        return Ok(too_many());
    }
    let v = |k: &str| field(&f, k).to_owned();
    let input = PortalReportInput {
        kind: v("kind"),
        name: v("name"),
        contact: v("contact"),
        about_name: v("about_name"),
        about_unit: v("about_unit"),
        about_post: v("about_post"),
        what: v("what"),
        when: v("when"),
        place: v("place"),
        evidence: v("evidence"),
        passphrase: v("passphrase"),
        passphrase_again: v("passphrase_again"),
        acknowledged: v("acknowledged"),
    };
    let proof = (field(&f, "challenge"), field(&f, "nonce"));
    match state.app.reporters().portal_file(&input, proof, guard.limits.bits).await {
        Ok(receipt) => {
            let page = ReceiptPage {
                t: texts(),
                here: "/",
                code: receipt.code,
                received_on: domain::dates::format_date(receipt.received_on),
            };
            Ok(Html(render(page)?).into_response())
        }
        Err(AppError::Invalid(i)) => {
            let html = report_page(&state, &guard, refused("", &f, &i))?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "portal/follow.html")]
struct FollowPage {
    t: &'static Texts,
    here: &'static str,
    fs: FormState,
    /// Sent back here by a session that ended.
    ended: bool,
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct FollowQuery {
    #[serde(default)]
    ended: String,
}

pub async fn view_follow_get(
    axum::extract::Query(q): axum::extract::Query<FollowQuery>,
) -> Result<Html<String>, PageError> {
    let ended = !q.ended.is_empty();
    Ok(Html(render(FollowPage { t: texts(), here: "/follow", fs: FormState::default(), ended })?))
}

pub async fn view_follow_post(
    State(state): State<AppState>,
    Extension(guard): Extension<Arc<Guard>>,
    addr: ClientAddr,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let ip = ip(&addr);
    if !guard.post(ip) || !guard.try_code(ip) {
        return Ok(too_many());
    }
    match state.app.reporters().portal_open(field(&f, "receipt_code"), field(&f, "passphrase")).await {
        Ok(token) => {
            guard.succeeded(ip);
            let mut r = Redirect::to("/status").into_response();
            r.headers_mut().append(header::SET_COOKIE, set_cookie(COOKIE, &token, 30 * 60, state.secure_cookies, true));
            Ok(r)
        }
        Err(AppError::Invalid(i)) => {
            let fs = refused("", &f, &i);
            let html = render(FollowPage { t: texts(), here: "/follow", fs, ended: false })?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "portal/status.html")]
struct StatusPage {
    t: &'static Texts,
    here: &'static str,
    v: PortalView,
    fs: FormState,
    notice: Option<String>,
    ratings: Vec<Opt>,
}

fn token(headers: &HeaderMap) -> String {
    cookie(headers, COOKIE).unwrap_or_default()
}

/// The session ended or never was: back to the code and passphrase.
fn to_follow(e: AppError) -> Result<Response, PageError> {
    match e {
        AppError::Unauthenticated => Ok(Redirect::to("/follow?ended=1").into_response()),
        other => Err(other.into()),
    }
}

async fn status_page(
    state: &AppState,
    headers: &HeaderMap,
    fs: FormState,
    notice: Option<String>,
) -> Result<Response, PageError> {
    let t = texts();
    let v = match state.app.reporters().portal_view(&token(headers)).await {
        Ok(v) => v,
        Err(e) => return to_follow(e),
    };
    let status = if fs.has_errors() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let ratings = options(Satisfaction::ALL.iter().map(|r| (r.code(), r.label(t.english))), "");
    let html = render(StatusPage { t, here: "/status", v, fs, notice, ratings })?;
    Ok((status, Html(html)).into_response())
}

pub async fn view_status_get(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, PageError> {
    status_page(&state, &headers, FormState::default(), None).await
}

async fn status_outcome(
    state: &AppState,
    headers: &HeaderMap,
    (form, f): (&str, &[(String, String)]),
    r: Result<(), AppError>,
    done: &'static str,
) -> Result<Response, PageError> {
    match r {
        Ok(()) => status_page(state, headers, FormState::default(), Some(done.into())).await,
        Err(AppError::Invalid(i)) => status_page(state, headers, refused(form, f, &i), None).await,
        Err(e) => to_follow(e),
    }
}

pub async fn view_status_message(
    State(state): State<AppState>,
    Extension(guard): Extension<Arc<Guard>>,
    addr: ClientAddr,
    headers: HeaderMap,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    if !guard.post(ip(&addr)) {
        return Ok(too_many());
    }
    let r = state.app.reporters().portal_send(&token(&headers), field(&f, "csrf_token"), field(&f, "text")).await;
    status_outcome(&state, &headers, ("msg", &f), r, texts().portal.done_sent).await
}

pub async fn view_status_rating(
    State(state): State<AppState>,
    Extension(guard): Extension<Arc<Guard>>,
    addr: ClientAddr,
    headers: HeaderMap,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    if !guard.post(ip(&addr)) {
        return Ok(too_many());
    }
    let (csrf, rating, reasons) = (field(&f, "csrf_token"), field(&f, "rating"), field(&f, "reasons"));
    let r = state.app.reporters().portal_rate(&token(&headers), csrf, rating, reasons).await;
    status_outcome(&state, &headers, ("rate", &f), r, texts().portal.done_rated).await
}

pub async fn view_status_leave(
    State(state): State<AppState>,
    Extension(guard): Extension<Arc<Guard>>,
    addr: ClientAddr,
    headers: HeaderMap,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    if !guard.post(ip(&addr)) {
        return Ok(too_many());
    }
    if let Err(e) = state.app.reporters().portal_leave(&token(&headers), field(&f, "csrf_token")).await {
        return to_follow(e);
    }
    let mut r = Redirect::to("/").into_response();
    r.headers_mut().append(header::SET_COOKIE, set_cookie(COOKIE, "", 0, state.secure_cookies, true));
    Ok(r)
}

/// A file the reporter sends with the report: streamed in (the session's token in the form's
/// action URL, since the body is never read whole), at most 20 MB.
pub async fn view_status_files(
    State(state): State<AppState>,
    Extension(guard): Extension<Arc<Guard>>,
    addr: ClientAddr,
    headers: HeaderMap,
    axum::extract::Query(q): axum::extract::Query<CsrfQuery>,
    body: axum::body::Body,
) -> Result<Response, PageError> {
    if !guard.post(ip(&addr)) {
        return Ok(too_many());
    }
    let token = token(&headers);
    let ct = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let r = state.app.reporters();
    let begin = async |_: &crate::upload::Fields, name: &str, head: &[u8]| {
        r.portal_attach_begin(&token, &q.csrf_token, name, head).await
    };
    let finish = async |up: app::Upload| r.portal_attach_finish(up).await;
    let sent = crate::upload::stream_file(&state, ct, body, begin, finish).await.map(|_| ());
    status_outcome(&state, &headers, ("file", &[]), sent, texts().portal.done_file).await
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct CsrfQuery {
    #[serde(default)]
    csrf_token: String,
}
