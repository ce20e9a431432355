//! The review of unfounded closures (查否复审复核): the queue with its figures and draws, and
//! one review with its reviewers, methods, checks and result. The pages render what
//! `app::oversight` decides, including which forms the caller sees.

use app::{AppError, FlashKind, oversight::ReviewDetail, oversight::ReviewQueue};
use askama::Template;
use axum::{
    Form,
    extract::{Query, State},
    http::StatusCode,
    response::{Html, IntoResponse, Response},
};
use domain::{
    dates::format_instant,
    oversight::{
        review::DrawInput,
        reviewing::{
            CheckAnswer, ChecksInput, MethodInput, ResultInput, ReviewCheck, ReviewMethod, ReviewResult, ReviewState,
        },
    },
};
use serde::Deserialize;

use crate::{
    AppState,
    context::RequestContext,
    error::PageError,
    extract::PagePath,
    forms::{FormState, field},
    i18n::{self, Texts},
    pages::{Chrome, Opt, options, redirect_with, render},
    session::Signed,
};

#[derive(Debug, Default, Deserialize)]
pub struct QueueParams {
    #[serde(default)]
    pub state: String,
    #[serde(default)]
    pub page: String,
}

/// A queue row with its words ready.
pub struct Row {
    pub r: app::oversight::ReviewRow,
    pub reasons: String,
    pub queued: String,
}

pub struct DrawRow {
    pub d: app::oversight::DrawView,
    pub rules: String,
    pub at: String,
}

#[derive(Template)]
#[template(path = "oversight/reviews.html")]
struct QueuePage {
    t: &'static Texts,
    chrome: Chrome,
    q: ReviewQueue,
    rows: Vec<Row>,
    draws: Vec<DrawRow>,
    fs: FormState,
    notice: Option<String>,
    state_opts: Vec<Opt>,
    page_count: u32,
    prev_link: Option<String>,
    next_link: Option<String>,
}

fn sep(en: bool) -> &'static str {
    if en { ", " } else { "、" }
}

fn rules_of(d: &app::oversight::DrawView, t: &Texts) -> String {
    let o = &t.oversight;
    let mut r = Vec::new();
    if d.all {
        r.push(o.rule_all.to_owned());
    }
    if d.sample_percent > 0 {
        r.push(format!("{} {}%", o.sample_percent.split('（').next().unwrap_or_default(), d.sample_percent));
    }
    for (on, label) in [
        (d.repeat_reports, o.rule_repeat),
        (d.categories, o.rule_category),
        (d.still_complaining, o.rule_complaint),
        (d.returned_before, o.rule_returned),
    ] {
        if on {
            r.push(label.to_owned());
        }
    }
    r.join(sep(t.english))
}

/// The draw form as first shown: the policy's defaults (a 10% sample, every rule on).
fn draw_defaults() -> FormState {
    let pairs: Vec<(String, String)> = [
        ("sample_percent", "10"),
        ("repeat_reports", "on"),
        ("categories", "on"),
        ("still_complaining", "on"),
        ("returned_before", "on"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    FormState::typed("draw", &pairs)
}

fn draw_label(field: &str, t: &Texts) -> Option<&'static str> {
    let o = &t.oversight;
    Some(match field {
        "all" => o.rule_all,
        "sample_percent" => o.sample_percent,
        "seed" => o.seed,
        _ => return None,
    })
}

async fn queue_page(
    state: &AppState,
    s: &app::SessionInfo,
    p: &QueueParams,
    fs: FormState,
    notice: Option<String>,
) -> Result<String, PageError> {
    let en = RequestContext::current().english;
    let t = i18n::texts(en);
    let filter = ReviewState::from_code(p.state.trim());
    let page = p.page.trim().parse::<u32>().unwrap_or(1);
    let q = state.app.oversight().review_queue(&s.actor, filter, page).await?;
    let rows = q
        .items
        .iter()
        .map(|r| Row {
            r: r.clone(),
            reasons: r.reasons.iter().map(|x| x.label(en)).collect::<Vec<_>>().join(sep(en)),
            queued: format_instant(r.queued_at),
        })
        .collect();
    let draws =
        q.draws.iter().map(|d| DrawRow { d: d.clone(), rules: rules_of(d, t), at: format_instant(d.at) }).collect();
    let code = filter.map(|f| f.code()).unwrap_or_default();
    let state_opts = options(ReviewState::ALL.iter().map(|s| (s.code(), s.label(en))), code);
    let page_count = q.page_count();
    let link = |page: u32| format!("/oversight/reviews?state={code}&page={page}");
    render(QueuePage {
        t,
        chrome: Chrome::new(s, t, link(q.page), "reviews"),
        rows,
        draws,
        fs,
        notice,
        state_opts,
        page_count,
        prev_link: (q.page > 1).then(|| link(q.page - 1)),
        next_link: (q.page < page_count).then(|| link(q.page + 1)),
        q,
    })
}

pub async fn view_reviews_get(
    State(state): State<AppState>,
    Signed(s): Signed,
    Query(p): Query<QueueParams>,
) -> Result<Html<String>, PageError> {
    let notice = super::notice(&state, &s).await?;
    Ok(Html(queue_page(&state, &s, &p, draw_defaults(), notice).await?))
}

pub async fn view_reviews_draw(
    State(state): State<AppState>,
    Signed(s): Signed,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let on = |name: &str| !field(&f, name).is_empty();
    let input = DrawInput {
        all: on("all"),
        sample_percent: field(&f, "sample_percent").into(),
        seed: field(&f, "seed").into(),
        repeat_reports: on("repeat_reports"),
        categories: on("categories"),
        still_complaining: on("still_complaining"),
        returned_before: on("returned_before"),
    };
    let en = RequestContext::current().english;
    let t = i18n::texts(en);
    match state.app.oversight().draw_reviews(&s.actor, &input).await {
        Ok(d) => {
            let msg = t
                .oversight
                .drawn
                .replace("{considered}", &d.considered.to_string())
                .replace("{picked}", &d.picked.to_string())
                .replace("{seed}", &d.seed);
            Ok(redirect_with("/oversight/reviews", FlashKind::Done, &msg))
        }
        Err(AppError::Invalid(i)) => {
            let fs = FormState::typed("draw", &f).refused(&i.0, en, |x| draw_label(x, t));
            let html = queue_page(&state, &s, &QueueParams::default(), fs, None).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "oversight/review.html")]
struct ReviewPage {
    t: &'static Texts,
    chrome: Chrome,
    d: ReviewDetail,
    reasons: String,
    endorsement: Option<String>,
    decided_at: String,
    /// The form refused, if any (the others show blank).
    fs: FormState,
    notice: Option<String>,
    method_opts: Vec<Opt>,
    answer_opts: Vec<Opt>,
    result_opts: Vec<Opt>,
    checks: Vec<(&'static str, &'static str, String, String)>,
}

async fn review_page(
    state: &AppState,
    s: &app::SessionInfo,
    id: i64,
    fs: FormState,
    notice: Option<String>,
) -> Result<String, PageError> {
    let en = RequestContext::current().english;
    let t = i18n::texts(en);
    let d = state.app.oversight().review(&s.actor, id).await?;
    let endorsement = d.endorsement.as_ref().map(|e| {
        t.oversight
            .endorsed_by
            .replace("{signer}", &e.signer)
            .replace("{at}", &format_instant(e.signed_at))
            .replace("{hash}", e.hash.get(..12).unwrap_or_default())
    });
    // Each check: its code, its question, and the answer and reasons given so far.
    let checks = ReviewCheck::ALL
        .iter()
        .map(|c| {
            let given = d.checks.iter().find(|a| a.check == *c);
            (
                c.code(),
                c.label(en),
                given.map(|a| a.answer.label(en).to_owned()).unwrap_or_default(),
                given.map(|a| a.reason.clone()).unwrap_or_default(),
            )
        })
        .collect();
    render(ReviewPage {
        t,
        chrome: Chrome::new(s, t, format!("/oversight/reviews/{id}"), "reviews"),
        reasons: d.review.reasons.iter().map(|x| x.label(en)).collect::<Vec<_>>().join(sep(en)),
        endorsement,
        decided_at: d.decided_at.map(format_instant).unwrap_or_default(),
        fs,
        notice,
        method_opts: options(ReviewMethod::ALL.iter().map(|m| (m.code(), m.label(en))), ""),
        answer_opts: options(CheckAnswer::ALL.iter().map(|a| (a.code(), a.label(en))), ""),
        result_opts: options(ReviewResult::ALL.iter().map(|r| (r.code(), r.label(en))), ""),
        checks,
        d,
    })
}

pub async fn view_review_show(
    State(state): State<AppState>,
    Signed(s): Signed,
    PagePath(id): PagePath<i64>,
) -> Result<Html<String>, PageError> {
    let notice = super::notice(&state, &s).await?;
    Ok(Html(review_page(&state, &s, id, FormState::default(), notice).await?))
}

fn label(field: &str, t: &Texts) -> Option<&'static str> {
    let o = &t.oversight;
    Some(match field {
        "reviewers" => o.reviewers,
        "method" => o.method,
        "held_on" => o.held_on,
        "persons" => o.persons,
        "notes" => o.notes,
        "political" | "dereliction" | "depth" => o.answer,
        "political_reason" | "dereliction_reason" | "depth_reason" => o.reason,
        "result" => o.result,
        "note" => o.result_note,
        "file" => t.portal.att_file,
        _ => return None,
    })
}

/// Back to the review with what was done, or the review again with the form as typed (422).
async fn outcome(
    state: &AppState,
    s: &app::SessionInfo,
    (id, form): (i64, &str),
    f: &[(String, String)],
    r: Result<&'static str, AppError>,
) -> Result<Response, PageError> {
    let to = format!("/oversight/reviews/{id}");
    super::form_outcome(r, &to, (form, f), label, |fs| review_page(state, s, id, fs, None)).await
}

pub async fn view_review_assign(
    State(state): State<AppState>,
    Signed(s): Signed,
    PagePath(id): PagePath<i64>,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let t = i18n::texts(RequestContext::current().english);
    // An id that is no number is no candidate: refused like one.
    let users: Vec<i64> =
        f.iter().filter(|(k, _)| k == "reviewers").map(|(_, v)| v.trim().parse().unwrap_or(-1)).collect();
    let r = state.app.oversight().assign_reviewers(&s.actor, id, &users).await.map(|_| t.oversight.done_assign);
    outcome(&state, &s, (id, "assign"), &f, r).await
}

pub async fn view_review_method(
    State(state): State<AppState>,
    Signed(s): Signed,
    PagePath(id): PagePath<i64>,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let t = i18n::texts(RequestContext::current().english);
    let input = MethodInput {
        method: field(&f, "method").into(),
        held_on: field(&f, "held_on").into(),
        persons: field(&f, "persons").into(),
        notes: field(&f, "notes").into(),
    };
    let r = state.app.oversight().record_method(&s.actor, id, &input).await.map(|_| t.oversight.done_method);
    outcome(&state, &s, (id, "method"), &f, r).await
}

pub async fn view_review_checks(
    State(state): State<AppState>,
    Signed(s): Signed,
    PagePath(id): PagePath<i64>,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let t = i18n::texts(RequestContext::current().english);
    let v = |k: &str| field(&f, k).to_owned();
    let input = ChecksInput {
        political: v("political"),
        political_reason: v("political_reason"),
        dereliction: v("dereliction"),
        dereliction_reason: v("dereliction_reason"),
        depth: v("depth"),
        depth_reason: v("depth_reason"),
    };
    let r = state.app.oversight().record_checks(&s.actor, id, &input).await.map(|_| t.oversight.done_checks);
    outcome(&state, &s, (id, "checks"), &f, r).await
}

pub async fn view_review_decide(
    State(state): State<AppState>,
    Signed(s): Signed,
    PagePath(id): PagePath<i64>,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let t = i18n::texts(RequestContext::current().english);
    let input = ResultInput {
        result: field(&f, "result").into(),
        note: field(&f, "note").into(),
        accountability: !field(&f, "accountability").is_empty(),
    };
    let r = state
        .app
        .oversight()
        .decide_review(&s.actor, id, &input)
        .await
        .map(|to| if to == ReviewState::Returned { t.oversight.done_returned } else { t.oversight.done_upheld });
    outcome(&state, &s, (id, "result"), &f, r).await
}

/// A file for the review: the form's file part streamed in as it arrives.
pub async fn view_review_attachments_post(
    State(state): State<AppState>,
    Signed(s): Signed,
    PagePath(id): PagePath<i64>,
    headers: axum::http::HeaderMap,
    body: axum::body::Body,
) -> Result<Response, PageError> {
    let t = i18n::texts(RequestContext::current().english);
    let r = crate::upload::stream_form_to(&state, &s.actor, app::AttachPlace::Review(id), &headers, body).await;
    outcome(&state, &s, (id, "files"), &[], r.map(|_| t.portal.att_done)).await
}
