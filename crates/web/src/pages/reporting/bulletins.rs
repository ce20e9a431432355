//! Bulletins (通报): the list with the committee's draft form, a bulletin's page — the
//! document as printed, each unit's line with its score's parts, the lists and the changes made
//! to them, the signature and whether the document still matches it, the summons — and its
//! docx in 公文 layout. Handlers render what `app` decides, including who may do what.

use app::{AppError, BulletinList, BulletinView, FlashKind};
use askama::Template;
use axum::{
    Form,
    extract::State,
    http::StatusCode,
    response::{Html, IntoResponse, Response},
};
use domain::reporting::{
    bulletin::{BulletinInput, ListChangeInput, SummonsInput},
    period::PeriodInput,
    score::ListKind,
};

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

pub(crate) fn label(f: &str, t: &Texts) -> Option<&'static str> {
    let r = &t.reporting;
    Some(match f {
        "title" => r.b_title,
        "doc_no" => r.b_doc_no,
        "addressees" => r.b_addressees,
        "remarks" => r.b_remarks,
        "period" => r.period,
        "from" => r.range_from,
        "to" => r.range_to,
        "unit_id" => r.unit_col,
        "list" => r.b_list,
        "reason" => r.b_reason,
        "held_on" => r.s_held_on,
        "summoned_by" => r.s_by,
        "summoned" => r.s_whom,
        "notes" => r.s_notes,
        "follow_up" => r.s_follow_up,
        "state" => r.b_state,
        _ => return None,
    })
}

#[derive(Template)]
#[template(path = "reporting/bulletins.html")]
struct ListPage {
    t: &'static Texts,
    chrome: Chrome,
    l: BulletinList,
    fs: FormState,
    notice: Option<String>,
}

async fn list_page(state: &AppState, s: &app::SessionInfo, fs: Option<FormState>) -> Result<String, PageError> {
    let t = i18n::texts(RequestContext::current().english);
    let l = state.app.reporting().bulletins(&s.actor).await?;
    let fs = fs.unwrap_or_else(|| {
        let g = &l.suggested;
        let pairs = [("title", &g.title), ("doc_no", &g.doc_no), ("addressees", &g.addressees)]
            .map(|(k, v)| (k.to_owned(), v.clone()));
        FormState::typed("bulletin", &pairs)
    });
    let notice = crate::pages::oversight::notice(state, s).await?;
    render(ListPage { t, chrome: Chrome::new(s, t, "/reporting/bulletins".into(), "bulletins"), l, fs, notice })
}

pub async fn view_bulletins_get(State(state): State<AppState>, Signed(s): Signed) -> Result<Html<String>, PageError> {
    Ok(Html(list_page(&state, &s, None).await?))
}

pub async fn view_bulletins_post(
    State(state): State<AppState>,
    Signed(s): Signed,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let en = RequestContext::current().english;
    let t = i18n::texts(en);
    let v = |k: &str| field(&f, k).to_owned();
    let input =
        BulletinInput { title: v("title"), doc_no: v("doc_no"), addressees: v("addressees"), remarks: v("remarks") };
    let period = PeriodInput { period: v("period"), from: v("from"), to: v("to") };
    let campaign = v("campaign").trim().parse().ok().map(domain::CampaignId::from_raw);
    let unit = v("unit").trim().parse().ok().map(domain::UnitId::from_raw);
    match state.app.reporting().draft_bulletin(&s.actor, campaign, unit, &period, &input).await {
        Ok(id) => Ok(redirect_with(&format!("/reporting/bulletins/{id}"), FlashKind::Done, t.reporting.b_drafted)),
        Err(AppError::Invalid(i)) => {
            let fs = FormState::typed("bulletin", &f).refused(&i.0, en, |x| label(x, t));
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(list_page(&state, &s, Some(fs)).await?)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "reporting/bulletin.html")]
struct ShowPage {
    t: &'static Texts,
    chrome: Chrome,
    b: BulletinView,
    /// The form refused, by its name ("line", "summons", "state").
    fs: FormState,
    notice: Option<String>,
    units: Vec<Opt>,
    lists: Vec<Opt>,
    summoned: Vec<Opt>,
}

impl ShowPage {
    /// A line's score, criterion by criterion, for its tip.
    fn parts(&self, l: &app::BulletinLine) -> String {
        let en = self.t.english;
        l.parts
            .iter()
            .map(|p| format!("{} {}.{}/{}", p.criterion.label(en), p.tenths / 10, p.tenths % 10, p.max))
            .collect::<Vec<_>>()
            .join(if en { "; " } else { "；" })
    }

    /// Where the committee holds a criticised or summoned unit accountable, the form filled.
    fn accountability(&self, l: &app::BulletinLine) -> Option<String> {
        (self.b.may_hold_accountable && matches!(l.list, Some(ListKind::Criticism | ListKind::Summons))).then(|| {
            format!(
                "/oversight/accountability?source=bulletin&source_ref={}&unit_id={}",
                crate::pages::urlencode(&self.b.summary.doc_no),
                l.unit_id
            )
        })
    }

    fn list_label(&self, k: &Option<ListKind>) -> &'static str {
        k.map_or("—", |k| k.label(self.t.english))
    }
}

async fn show_page(state: &AppState, s: &app::SessionInfo, id: i64, fs: FormState) -> Result<String, PageError> {
    let en = RequestContext::current().english;
    let t = i18n::texts(en);
    let b = state.app.reporting().bulletin(&s.actor, id).await?;
    let notice = crate::pages::oversight::notice(state, s).await?;
    let units = b
        .lines
        .iter()
        .map(|l| Opt { value: l.unit_id.to_string(), label: l.unit_name.clone(), selected: false })
        .collect();
    let summoned = b
        .lines
        .iter()
        .filter(|l| l.list == Some(ListKind::Summons))
        .map(|l| Opt { value: l.unit_id.to_string(), label: l.unit_name.clone(), selected: false })
        .collect();
    render(ShowPage {
        t,
        chrome: Chrome::new(s, t, format!("/reporting/bulletins/{id}"), "bulletins"),
        fs,
        notice,
        units,
        lists: options(ListKind::ALL.iter().map(|k| (k.code(), k.label(en))), ""),
        summoned,
        b,
    })
}

pub async fn view_bulletin_show(
    State(state): State<AppState>,
    Signed(s): Signed,
    PagePath(id): PagePath<i64>,
) -> Result<Html<String>, PageError> {
    Ok(Html(show_page(&state, &s, id, FormState::blank("line")).await?))
}

/// A step's outcome: done → the bulletin again, saying so; refused → the page with the form's
/// errors (422).
async fn outcome(
    state: &AppState,
    s: &app::SessionInfo,
    id: i64,
    r: Result<&'static str, AppError>,
    (form, f): (&str, &[(String, String)]),
) -> Result<Response, PageError> {
    let en = RequestContext::current().english;
    let t = i18n::texts(en);
    match r {
        Ok(msg) => Ok(redirect_with(&format!("/reporting/bulletins/{id}"), FlashKind::Done, msg)),
        Err(AppError::Invalid(i)) => {
            let fs = FormState::typed(form, f).refused(&i.0, en, |x| label(x, t));
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(show_page(state, s, id, fs).await?)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn view_bulletin_list_post(
    State(state): State<AppState>,
    Signed(s): Signed,
    PagePath(id): PagePath<i64>,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let t = i18n::texts(RequestContext::current().english);
    let input = ListChangeInput { list: field(&f, "list").to_owned(), reason: field(&f, "reason").to_owned() };
    let r = match field(&f, "unit_id").trim().parse::<i64>() {
        Ok(u) => state.app.reporting().change_list(&s.actor, id, domain::UnitId::from_raw(u), &input).await,
        Err(_) => Err(AppError::field(domain::FieldError::required("unit_id"))),
    };
    outcome(&state, &s, id, r.map(|_| t.reporting.b_list_changed), ("line", &f)).await
}

pub async fn view_bulletin_sign(
    State(state): State<AppState>,
    Signed(s): Signed,
    PagePath(id): PagePath<i64>,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let t = i18n::texts(RequestContext::current().english);
    let r = state.app.reporting().sign_bulletin(&s.actor, id).await;
    outcome(&state, &s, id, r.map(|_| t.reporting.b_signed_done), ("state", &f)).await
}

pub async fn view_bulletin_issue(
    State(state): State<AppState>,
    Signed(s): Signed,
    PagePath(id): PagePath<i64>,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let t = i18n::texts(RequestContext::current().english);
    let r = state.app.reporting().issue_bulletin(&s.actor, id).await;
    outcome(&state, &s, id, r.map(|_| t.reporting.b_issued_done), ("state", &f)).await
}

pub async fn view_bulletin_summons_post(
    State(state): State<AppState>,
    Signed(s): Signed,
    PagePath(id): PagePath<i64>,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let t = i18n::texts(RequestContext::current().english);
    let v = |k: &str| field(&f, k).to_owned();
    let input = SummonsInput {
        unit_id: v("unit_id"),
        held_on: v("held_on"),
        summoned_by: v("summoned_by"),
        summoned: v("summoned"),
        notes: v("notes"),
        follow_up: v("follow_up"),
    };
    let r = state.app.reporting().record_summons(&s.actor, id, &input).await;
    outcome(&state, &s, id, r.map(|_| t.reporting.s_recorded), ("summons", &f)).await
}

pub async fn view_bulletin_docx(
    State(state): State<AppState>,
    Signed(s): Signed,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    let b = state.app.reporting().bulletin(&s.actor, id).await?;
    Ok(docx(&b)?)
}

/// The bulletin as a Word file in 公文 layout (the page and the API alike); always in Chinese,
/// as the document is.
pub fn docx(b: &BulletinView) -> Result<Response, AppError> {
    let head = ["排名", "单位", "得分", "清零率", "超期未办结", "通报类别"];
    let rows: Vec<Vec<String>> = b
        .lines
        .iter()
        .map(|l| {
            vec![
                l.rank.to_string(),
                l.unit_name.clone(),
                l.score.clone(),
                l.clearance.clone(),
                l.overdue.to_string(),
                l.list.map_or(String::new(), |k| k.zh().to_owned()),
            ]
        })
        .collect();
    let sheet = office::docx::BulletinSheet {
        issuer: &b.summary.unit_name,
        doc_no: &b.summary.doc_no,
        title: &b.summary.title,
        addressees: &b.addressees,
        paragraphs: &b.paragraphs,
        attachment_title: &b.attachment_title,
        head: &head,
        rows: &rows,
        dated: &b.dated,
    };
    let bytes = office::docx::bulletin_docx(&sheet).map_err(AppError::internal)?;
    Ok(attachment(
        bytes,
        DOCX,
        (&format!("bulletin-{}", b.summary.id), &format!("{}{}", b.summary.title, b.summary.doc_no)),
    ))
}
