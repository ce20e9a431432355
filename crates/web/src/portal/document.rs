//! The portal's own OpenAPI document (`/openapi.json` on the portal's address), apart from the
//! staff API's: its endpoints are HTML forms, documented as such, for whoever publishes or
//! audits the portal.

use std::sync::LazyLock;

use utoipa::{OpenApi, ToSchema};

/// Following a report: its receipt code and the reporter's passphrase.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct FollowForm {
    /// 16 digits; spaces and dashes are ignored.
    receipt_code: String,
    passphrase: String,
}

/// A message to the handlers, with the session's token.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct MessageForm {
    csrf_token: String,
    text: String,
}

/// The satisfaction rating, with the session's token.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct RatingForm {
    csrf_token: String,
    /// satisfied, basically_satisfied or unsatisfied.
    rating: String,
    /// Required when unsatisfied.
    reasons: String,
}

/// The report as the form sends it, with the proof of work.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ReportForm {
    #[schema(inline)]
    report: domain::reporters::intake::PortalReportInput,
    /// The challenge given with the form.
    challenge: String,
    /// A nonce such that SHA-256(challenge ‖ nonce as 8 bytes big-endian) starts with the
    /// challenge's number of zero bits.
    nonce: String,
}

#[utoipa::path(get, path = "/", tag = "portal", operation_id = "portalHome",
    responses((status = 200, description = "The portal's home: file a report, or follow one", content_type = "text/html")))]
#[allow(dead_code)]
fn home() {}

#[utoipa::path(get, path = "/report", tag = "portal", operation_id = "reportForm",
    responses((status = 200, description = "The form, with a fresh proof-of-work challenge", content_type = "text/html")))]
#[allow(dead_code)]
fn report_form() {}

#[utoipa::path(post, path = "/report", tag = "portal", operation_id = "fileReport",
    request_body(content = ReportForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, description = "Filed: the receipt code, shown this once", content_type = "text/html"),
        (status = 403, description = "Posted from another site"),
        (status = 422, description = "Refused (fields, or the proof of work): the form again with the errors", content_type = "text/html"),
        (status = 429, description = "Over the limits (per address or in all)"),
    ))]
#[allow(dead_code)]
fn file_report() {}

#[utoipa::path(get, path = "/follow", tag = "portal", operation_id = "followForm",
    responses((status = 200, description = "The receipt code and passphrase form", content_type = "text/html")))]
#[allow(dead_code)]
fn follow_form() {}

#[utoipa::path(post, path = "/follow", tag = "portal", operation_id = "follow",
    request_body(content = FollowForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 303, description = "Right: to /status, with the session cookie (half an hour)"),
        (status = 403, description = "Posted from another site"),
        (status = 422, description = "The same answer for a wrong code and a wrong passphrase", content_type = "text/html"),
        (status = 429, description = "Too many wrong tries from this address"),
    ))]
#[allow(dead_code)]
fn follow() {}

#[utoipa::path(get, path = "/status", tag = "portal", operation_id = "status",
    responses(
        (status = 200, description = "The status, messages, the result and the rating form", content_type = "text/html"),
        (status = 303, description = "No session: back to /follow"),
    ))]
#[allow(dead_code)]
fn status() {}

#[utoipa::path(post, path = "/status/messages", tag = "portal", operation_id = "sendMessage",
    request_body(content = MessageForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, description = "Sent", content_type = "text/html"),
        (status = 303, description = "No session: back to /follow"),
        (status = 403, description = "A forged token, or posted from another site"),
        (status = 422, description = "No text, or 200 messages already", content_type = "text/html"),
        (status = 429, description = "Over the limits"),
    ))]
#[allow(dead_code)]
fn send_message() {}

#[utoipa::path(post, path = "/status/rating", tag = "portal", operation_id = "rate",
    request_body(content = RatingForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, description = "Rated", content_type = "text/html"),
        (status = 303, description = "No session: back to /follow"),
        (status = 403, description = "A forged token, or posted from another site"),
        (status = 422, description = "No rating, no reasons when unsatisfied, or not owed", content_type = "text/html"),
        (status = 429, description = "Over the limits"),
    ))]
#[allow(dead_code)]
fn rate() {}

#[utoipa::path(post, path = "/status/leave", tag = "portal", operation_id = "leave",
    request_body(content = MessageForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 303, description = "Left: to the home page"),
        (status = 403, description = "A forged token, or posted from another site"),
    ))]
#[allow(dead_code)]
fn leave() {}

#[utoipa::path(post, path = "/status/files", tag = "portal", operation_id = "sendFile",
    params(("csrf_token" = String, Query, description = "The session's token (the body is a file, streamed)")),
    request_body(content = Vec<u8>, content_type = "multipart/form-data", description = "One part named `file`: PDF, image, Word, Excel or text, up to 20 MB; 10 a report"),
    responses(
        (status = 200, description = "Sent", content_type = "text/html"),
        (status = 303, description = "No session: back to /follow"),
        (status = 403, description = "A forged token, or posted from another site"),
        (status = 422, description = "Not a type kept, content not its name's type, too large, too many, or the report dealt with", content_type = "text/html"),
        (status = 429, description = "Over the limits"),
    ))]
#[allow(dead_code)]
fn send_file() {}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "清零 Qingling 网上举报平台 / public reporting portal",
        version = "1",
        description = "The public portal's forms, served on their own address (`--portal-listen`), apart from \
            the staff pages and `/api/v1`. No client address, browser or time of day is kept; see the \
            README's 网上举报 section for the limits."
    ),
    paths(home, report_form, file_report, follow_form, follow, status, send_message, rate, leave, send_file),
    tags((name = "portal", description = "网上举报"))
)]
struct PortalDoc;

pub fn document() -> utoipa::openapi::OpenApi {
    PortalDoc::openapi()
}

static DOCUMENT: LazyLock<String> = LazyLock::new(|| document().to_pretty_json().unwrap_or_default());

pub async fn view_portal_openapi() -> axum::response::Response {
    crate::assets::asset(&DOCUMENT, "application/json")
}
