//! A lead's attachments (附件): the list with the upload form, a file streamed in (a multipart
//! form read as it arrives, never whole), and each file streamed out as a download or, for
//! images and PDF, shown in a sandbox.

use app::{AttachPlace, AttachmentView};
use askama::Template;
use axum::{
    body::Body,
    extract::State,
    http::{HeaderValue, StatusCode, header},
    response::{Html, IntoResponse, Response},
};
use domain::LeadId;
use domain::reporters::attachment::RecordKind;

use crate::{
    AppState,
    context::RequestContext,
    error::PageError,
    extract::PagePath,
    forms::FormState,
    i18n::{self, Texts},
    pages::{Chrome, redirect_with, render},
    session::Signed,
};

#[derive(Template)]
#[template(path = "reporters/attachments.html")]
struct AttachmentsPage {
    t: &'static Texts,
    chrome: Chrome,
    lead: i64,
    number: String,
    items: Vec<AttachmentView>,
    /// The lead's steps a file may be put on: (id, "date — step").
    steps: Vec<(i64, String)>,
    may_upload: bool,
    fs: FormState,
    notice: Option<String>,
}

async fn page(
    state: &AppState,
    s: &app::SessionInfo,
    id: i64,
    fs: FormState,
    notice: Option<String>,
) -> Result<String, PageError> {
    let t = i18n::texts(RequestContext::current().english);
    let lead = LeadId::from_raw(id);
    let items = state.app.reporters().attachments(&s.actor, lead).await?;
    let l = state.app.ledger().lead(&s.actor.ledger()?, lead).await?;
    let may_upload = state.app.reporters().may_attach(&s.actor, AttachPlace::Lead(lead)).await.is_ok();
    let steps = if may_upload {
        state
            .app
            .lifecycle()
            .timeline(&s.actor.ledger()?, lead)
            .await?
            .iter()
            .map(|e| (e.id, format!("{} {}", domain::dates::format_instant(e.at), e.title(t.english))))
            .collect()
    } else {
        Vec::new()
    };
    render(AttachmentsPage {
        t,
        chrome: Chrome::new(s, t, format!("/leads/{id}/attachments"), "ledger"),
        lead: id,
        number: l.number.to_string(),
        items,
        steps,
        may_upload,
        fs,
        notice,
    })
}

pub async fn view_attachments_get(
    State(state): State<AppState>,
    Signed(s): Signed,
    PagePath(id): PagePath<i64>,
) -> Result<Html<String>, PageError> {
    let notice = crate::pages::oversight::notice(&state, &s).await?;
    Ok(Html(page(&state, &s, id, FormState::default(), notice).await?))
}

/// The upload: the form's file part read as it arrives and passed on in pieces.
pub async fn view_attachments_post(
    State(state): State<AppState>,
    Signed(s): Signed,
    PagePath(id): PagePath<i64>,
    headers: axum::http::HeaderMap,
    body: Body,
) -> Result<Response, PageError> {
    let t = i18n::texts(RequestContext::current().english);
    let lead = LeadId::from_raw(id);
    state.app.reporters().may_attach(&s.actor, AttachPlace::Lead(lead)).await?;
    let ct = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let place = |fields: &crate::upload::Fields| step_place(lead, fields);
    let r = crate::upload::stream_attachment(&state, &s.actor, place, ct, body).await;
    match r {
        Ok(_) => Ok(redirect_with(&format!("/leads/{id}/attachments"), app::FlashKind::Done, t.portal.att_done)),
        Err(app::AppError::Invalid(i)) => {
            let label = |f: &str| match f {
                "file" => Some(t.portal.att_file),
                "step" => Some(t.portal.att_on),
                _ => None,
            };
            let fs = FormState::blank("att").refused(&i.0, t.english, label);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page(&state, &s, id, fs, None).await?)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// The lead, or the step the form's `step` field names (sent before the file).
fn step_place(lead: LeadId, fields: &crate::upload::Fields) -> Result<AttachPlace, app::AppError> {
    let step = fields.iter().rev().find(|(k, _)| k == "step").map(|(_, v)| v.trim()).unwrap_or_default();
    if step.is_empty() {
        return Ok(AttachPlace::Lead(lead));
    }
    step.parse::<i64>().map(|s| AttachPlace::Step(lead, s)).map_err(|_| {
        app::AppError::field(domain::FieldError::new(
            "step",
            "not_on_lead",
            "所选办理步骤不属于本线索。",
            "The step chosen is not one of this lead's.",
        ))
    })
}

/// A file streamed out: a download, or (`inline`) an image or PDF shown in a sandbox.
pub(crate) fn file_response(d: app::Download, inline: bool) -> Response {
    let v = d.view.clone();
    let stream = futures_util::stream::unfold(d, |mut d| async move {
        match d.next_chunk().await {
            Ok(Some(bytes)) => Some((Ok::<_, std::io::Error>(axum::body::Bytes::from(bytes)), d)),
            Ok(None) => None,
            Err(e) => {
                tracing::error!(error = ?e, "an attachment could not be read");
                Some((Err(std::io::Error::other("the attachment could not be read")), d))
            }
        }
    });
    let mut r = Body::from_stream(stream).into_response();
    let h = r.headers_mut();
    if let Ok(ct) = HeaderValue::from_str(v.kind.media_type()) {
        h.insert(header::CONTENT_TYPE, ct);
    }
    let disposition = format!(
        "{}; filename*=UTF-8''{}",
        if inline { "inline" } else { "attachment" },
        crate::pages::urlencode(&v.name)
    );
    if let Ok(cd) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, cd);
    }
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(v.size.max(0) as u64));
    // Whatever the file holds, it runs nothing: no scripts, no plugins, no same-origin access.
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("default-src 'none'; img-src 'self'; sandbox"));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    r
}

pub async fn view_attachment_download(
    State(state): State<AppState>,
    Signed(s): Signed,
    PagePath((id, attachment)): PagePath<(i64, i64)>,
) -> Result<Response, PageError> {
    let d = state.app.reporters().attachment_open(&s.actor, LeadId::from_raw(id), attachment, false).await?;
    Ok(file_response(d, false))
}

pub async fn view_attachment_preview(
    State(state): State<AppState>,
    Signed(s): Signed,
    PagePath((id, attachment)): PagePath<(i64, i64)>,
) -> Result<Response, PageError> {
    let d = state.app.reporters().attachment_open(&s.actor, LeadId::from_raw(id), attachment, true).await?;
    Ok(file_response(d, true))
}
