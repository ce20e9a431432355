//! File uploads: a multipart form read whole (the import's limit, not the forms' 256 KB) into
//! its parts. Only the import takes files.

use axum::body::Bytes;

use crate::error::Problem;

/// The largest upload: the import's file limit and room for the form around it.
pub const UPLOAD_LIMIT: usize = office::sheet::LIMITS.max_bytes + (1 << 20);

/// The pages that take a file (their bodies may be up to [`UPLOAD_LIMIT`]).
pub fn takes_files(path: &str) -> bool {
    path == "/ledger/import"
}

/// An upload's body, refused before it is read when it says it is too large.
pub async fn body(headers: &axum::http::HeaderMap, body: axum::body::Body) -> Result<Bytes, Problem> {
    let declared = headers
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > UPLOAD_LIMIT) {
        return Err(Problem::too_large());
    }
    axum::body::to_bytes(body, UPLOAD_LIMIT).await.map_err(|_| Problem::too_large())
}

/// One part of a multipart form.
pub struct Part {
    pub name: String,
    pub file_name: Option<String>,
    pub bytes: Bytes,
}

/// The parts of a multipart body, in order.
pub async fn parts(content_type: &str, body: Bytes) -> Result<Vec<Part>, Problem> {
    let bad = |e: multer::Error| Problem::malformed(&e.to_string());
    let boundary = multer::parse_boundary(content_type).map_err(bad)?;
    let stream = futures_util::stream::once(async move { Ok::<Bytes, std::io::Error>(body) });
    let mut form = multer::Multipart::new(stream, boundary);
    let mut out = Vec::new();
    while let Some(field) = form.next_field().await.map_err(bad)? {
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field.file_name().map(str::to_owned);
        let bytes = field.bytes().await.map_err(bad)?;
        out.push(Part { name, file_name, bytes });
    }
    Ok(out)
}

/// A text part's value (the last one sent).
pub fn text<'a>(parts: &'a [Part], name: &str) -> Option<&'a str> {
    parts
        .iter()
        .rev()
        .find(|p| p.name == name && p.file_name.is_none())
        .and_then(|p| std::str::from_utf8(&p.bytes).ok())
}

/// The pages that stream a file in rather than read the body whole (the CSRF token then comes
/// in the form's action URL, since the body is not read before the handler).
pub fn streams(method: &axum::http::Method, path: &str) -> bool {
    method == axum::http::Method::POST
        && ["/leads/", "/oversight/reviews/", "/oversight/rectifications/"].iter().any(|p| path.starts_with(p))
        && path.ends_with("/attachments")
}

/// The form's text fields sent before its file (a field after the file is not seen).
pub type Fields = [(String, String)];

/// The most text fields, and bytes of one, a file form may send before its file.
const MAX_FIELDS: usize = 16;
const MAX_FIELD_BYTES: usize = 1024;

/// Streams the `file` part of a multipart body into an attachment at the place `place` reads
/// from the fields before it: sniffed from its first bytes, passed on in pieces, never held whole.
pub async fn stream_attachment(
    state: &crate::AppState,
    actor: &app::Actor,
    place: impl FnOnce(&Fields) -> Result<app::AttachPlace, app::AppError>,
    content_type: &str,
    body: axum::body::Body,
) -> Result<app::AttachmentView, app::AppError> {
    let r = state.app.reporters();
    let begin =
        async |fields: &Fields, name: &str, head: &[u8]| r.attach_begin(actor, place(fields)?, name, head).await;
    let finish = async |up: app::Upload| r.attach_finish(actor, up).await;
    stream_file(state, content_type, body, begin, finish).await
}

/// A record page's file form streamed to `place`: refused before its body is read when the
/// caller may not attach there.
pub async fn stream_form_to(
    state: &crate::AppState,
    actor: &app::Actor,
    place: app::AttachPlace,
    headers: &axum::http::HeaderMap,
    body: axum::body::Body,
) -> Result<app::AttachmentView, app::AppError> {
    state.app.reporters().may_attach(actor, place).await?;
    let ct = headers.get(axum::http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    stream_attachment(state, actor, |_| Ok(place), ct, body).await
}

/// Streams the `file` part of a multipart body into the upload `begin` starts from the text
/// fields before it and the file's name and first bytes, and `finish` ends.
pub async fn stream_file(
    state: &crate::AppState,
    content_type: &str,
    body: axum::body::Body,
    begin: impl AsyncFnOnce(&Fields, &str, &[u8]) -> Result<app::Upload, app::AppError>,
    finish: impl AsyncFnOnce(app::Upload) -> Result<app::AttachmentView, app::AppError>,
) -> Result<app::AttachmentView, app::AppError> {
    let refused =
        |code: &'static str, zh: &str, en: &str| app::AppError::field(domain::FieldError::new("file", code, zh, en));
    let broken = || {
        refused(
            "upload_broken",
            "上传未完成，请重新选择文件上传。",
            "The upload did not complete; choose the file and send it again.",
        )
    };
    let boundary = multer::parse_boundary(content_type).map_err(|_| broken())?;
    let mut form = multer::Multipart::new(body.into_data_stream(), boundary);
    let r = state.app.reporters();
    let mut fields: Vec<(String, String)> = Vec::new();
    while let Some(mut field) = form.next_field().await.map_err(|_| broken())? {
        if field.name() != Some("file") {
            let key = field.name().unwrap_or_default().to_owned();
            let mut value = Vec::new();
            while let Some(c) = field.chunk().await.map_err(|_| broken())? {
                value.extend_from_slice(&c);
                if value.len() > MAX_FIELD_BYTES {
                    return Err(broken());
                }
            }
            if fields.len() == MAX_FIELDS {
                return Err(broken());
            }
            fields.push((key, String::from_utf8(value).map_err(|_| broken())?));
            continue;
        }
        let name = field.file_name().unwrap_or_default().to_owned();
        let mut head: Vec<u8> = Vec::new();
        let mut upload: Option<app::Upload> = None;
        let mut begin = Some(begin);
        loop {
            let chunk = match field.chunk().await {
                Ok(Some(c)) => c,
                Ok(None) => break,
                Err(_) => {
                    if let Some(up) = &upload {
                        r.attach_abort(up).await;
                    }
                    return Err(broken());
                }
            };
            match upload.as_mut() {
                Some(up) => r.attach_more(up, &chunk).await?,
                None => {
                    head.extend_from_slice(&chunk);
                    if head.len() >= domain::reporters::attachment::SNIFF_BYTES
                        && let Some(start) = begin.take()
                    {
                        let mut up = start(&fields, &name, &head).await?;
                        r.attach_more(&mut up, &std::mem::take(&mut head)).await?;
                        upload = Some(up);
                    }
                }
            }
        }
        let up = match (upload, begin) {
            (Some(up), _) => up,
            (None, _) if name.is_empty() && head.is_empty() => {
                return Err(app::AppError::field(domain::FieldError::required("file")));
            }
            (None, Some(start)) => {
                let mut up = start(&fields, &name, &head).await?;
                r.attach_more(&mut up, &head).await?;
                up
            }
            (None, None) => return Err(broken()),
        };
        return finish(up).await;
    }
    Err(app::AppError::field(domain::FieldError::required("file")))
}

/// Streams a raw request body (the API's upload) into an attachment at `place` named `name`.
pub async fn stream_body(
    state: &crate::AppState,
    actor: &app::Actor,
    place: app::AttachPlace,
    name: &str,
    body: axum::body::Body,
) -> Result<app::AttachmentView, app::AppError> {
    use futures_util::StreamExt;
    let r = state.app.reporters();
    let mut stream = body.into_data_stream();
    let mut head: Vec<u8> = Vec::new();
    let mut upload: Option<app::Upload> = None;
    while let Some(piece) = stream.next().await {
        let Ok(piece) = piece else {
            if let Some(up) = &upload {
                r.attach_abort(up).await;
            }
            return Err(app::AppError::field(domain::FieldError::new(
                "file",
                "upload_broken",
                "上传未完成，请重新上传。",
                "The upload did not complete; send it again.",
            )));
        };
        match upload.as_mut() {
            Some(up) => r.attach_more(up, &piece).await?,
            None => {
                head.extend_from_slice(&piece);
                if head.len() >= domain::reporters::attachment::SNIFF_BYTES {
                    let mut up = r.attach_begin(actor, place, name, &head).await?;
                    r.attach_more(&mut up, &std::mem::take(&mut head)).await?;
                    upload = Some(up);
                }
            }
        }
    }
    let up = match upload {
        Some(up) => up,
        None => {
            let mut up = r.attach_begin(actor, place, name, &head).await?;
            r.attach_more(&mut up, &head).await?;
            up
        }
    };
    r.attach_finish(actor, up).await
}
