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
