//! The lifecycle over the API: steps and their approval, follow-through, the timeline,
//! extensions (request, sign, file, decide) and the caller's notifications.

use app::{ExtensionQueue, ExtensionView, InboxItem, QueueItem, StepInput, StepOutcome, TimelineEntry};
use axum::{Json, extract::State, http::StatusCode};
use domain::LeadId;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::extract::{ApiJson, ApiPath};
use crate::{
    AppState, RequestContext,
    error::{ApiError, ErrorBody},
    session::ApiUser,
};

/// Takes a lifecycle step (研判, 处置, 了结, 办结, 移交, 合并, …). Dispositions, conclusions and
/// the like wait for the committee head; the others apply at once.
#[utoipa::path(post, path = "/api/v1/leads/{id}/steps", tag = "lifecycle", operation_id = "takeStep",
    security(("bearer" = [])), params(("id" = i64, Path, description = "The lead's id")), request_body = StepInput,
    responses(
        (status = 200, description = "Applied, or waiting for approval", body = StepOutcome),
        (status = 400, description = "The body is not JSON of this shape", body = ErrorBody),
        (status = 403, description = "The caller keeps no ledger", body = ErrorBody),
        (status = 404, description = "No such lead in the caller's scope", body = ErrorBody),
        (status = 409, description = "The lead changed since the given version", body = ErrorBody),
        (status = 422, description = "Not possible from the lead's status, or fields missing", body = ErrorBody),
    ))]
pub async fn api_step(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<StepInput>,
) -> Result<Json<StepOutcome>, ApiError> {
    let keeper = actor.ledger_keeper()?;
    Ok(Json(state.app.lifecycle().take_step(&keeper, LeadId::from_raw(id), &input).await?))
}

#[derive(Deserialize, ToSchema)]
pub struct FollowUpBody {
    /// A follow-through kind (see FollowUp).
    kind: domain::lifecycle::follow_up::FollowUp,
    note: String,
}

/// Records follow-through on a closed lead (澄清正名, 回访, 整改, …).
#[utoipa::path(post, path = "/api/v1/leads/{id}/follow-ups", tag = "lifecycle", operation_id = "recordFollowUp",
    security(("bearer" = [])), params(("id" = i64, Path, description = "The lead's id")), request_body = FollowUpBody,
    responses(
        (status = 204, description = "Recorded"),
        (status = 400, description = "The body is not JSON of this shape", body = ErrorBody),
        (status = 403, description = "The caller keeps no ledger", body = ErrorBody),
        (status = 404, description = "No such lead in the caller's scope", body = ErrorBody),
        (status = 422, description = "Not for this lead, or no note", body = ErrorBody),
    ))]
pub async fn api_follow_up(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<FollowUpBody>,
) -> Result<StatusCode, ApiError> {
    let keeper = actor.ledger_keeper()?;
    state.app.lifecycle().record_follow_up(&keeper, LeadId::from_raw(id), b.kind.code(), &b.note).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct Timeline {
    items: Vec<TimelineEntry>,
}

/// The lead's timeline (全程留痕), oldest first.
#[utoipa::path(get, path = "/api/v1/leads/{id}/timeline", tag = "lifecycle", operation_id = "leadTimeline",
    security(("bearer" = [])), params(("id" = i64, Path, description = "The lead's id")),
    responses(
        (status = 200, description = "Every entry", body = Timeline),
        (status = 404, description = "No such lead in the caller's scope", body = ErrorBody),
    ))]
pub async fn api_timeline(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Timeline>, ApiError> {
    let reader = actor.ledger()?;
    Ok(Json(Timeline { items: state.app.lifecycle().timeline(&reader, LeadId::from_raw(id)).await? }))
}

#[derive(Serialize, ToSchema)]
pub struct Approvals {
    items: Vec<QueueItem>,
}

/// Steps waiting for the caller's approval (committee head).
#[utoipa::path(get, path = "/api/v1/approvals", tag = "lifecycle", operation_id = "approvalQueue",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The queue", body = Approvals),
        (status = 403, description = "The caller approves nothing", body = ErrorBody),
    ))]
pub async fn api_approvals(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
) -> Result<Json<Approvals>, ApiError> {
    let approver = actor.approver()?;
    Ok(Json(Approvals { items: state.app.lifecycle().approval_queue(&approver).await? }))
}

#[derive(Deserialize, ToSchema)]
pub struct Decision {
    approve: bool,
    #[serde(default)]
    note: String,
}

/// Approves or rejects a pending step.
#[utoipa::path(post, path = "/api/v1/approvals/{id}/decision", tag = "lifecycle", operation_id = "decideStep",
    security(("bearer" = [])), params(("id" = i64, Path, description = "The pending step's id")), request_body = Decision,
    responses(
        (status = 204, description = "Decided"),
        (status = 400, description = "The body is not JSON of this shape", body = ErrorBody),
        (status = 403, description = "The caller approves nothing", body = ErrorBody),
        (status = 404, description = "No such pending step in the caller's scope", body = ErrorBody),
        (status = 409, description = "The lead moved on since", body = ErrorBody),
        (status = 422, description = "Not possible any more", body = ErrorBody),
    ))]
pub async fn api_decide(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(d): ApiJson<Decision>,
) -> Result<StatusCode, ApiError> {
    let approver = actor.approver()?;
    state.app.lifecycle().decide_step(&approver, id, d.approve, &d.note).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct Extensions {
    items: Vec<ExtensionView>,
}

/// The lead's extension requests, in every state.
#[utoipa::path(get, path = "/api/v1/leads/{id}/extensions", tag = "lifecycle", operation_id = "leadExtensions",
    security(("bearer" = [])), params(("id" = i64, Path, description = "The lead's id")),
    responses(
        (status = 200, description = "Its extensions", body = Extensions),
        (status = 404, description = "No such lead in the caller's scope", body = ErrorBody),
    ))]
pub async fn api_extensions_of(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Extensions>, ApiError> {
    let reader = actor.ledger()?;
    Ok(Json(Extensions { items: state.app.lifecycle().extensions_of(&reader, LeadId::from_raw(id)).await? }))
}

#[derive(Deserialize, ToSchema)]
pub struct ExtensionRequest {
    reason: String,
    /// Calendar days asked for.
    days: u32,
}

#[derive(Serialize, ToSchema)]
pub struct Created {
    pub(super) id: i64,
}

/// Requests an extension (延期): signed by the unit head, filed with the supervising
/// committee, and for long or repeated ones approved by the committee head.
#[utoipa::path(post, path = "/api/v1/leads/{id}/extensions", tag = "lifecycle", operation_id = "requestExtension",
    security(("bearer" = [])), params(("id" = i64, Path, description = "The lead's id")), request_body = ExtensionRequest,
    responses(
        (status = 201, description = "Requested", body = Created),
        (status = 400, description = "The body is not JSON of this shape", body = ErrorBody),
        (status = 403, description = "The caller keeps no ledger", body = ErrorBody),
        (status = 404, description = "No such lead in the caller's scope", body = ErrorBody),
        (status = 422, description = "Not possible for this lead, or fields missing", body = ErrorBody),
    ))]
pub async fn api_extension_request(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<ExtensionRequest>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let keeper = actor.ledger_keeper()?;
    let days = b.days.to_string();
    let id = state.app.lifecycle().request_extension(&keeper, LeadId::from_raw(id), &b.reason, &days).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// The unit head signs an extension request.
#[utoipa::path(post, path = "/api/v1/extensions/{id}/sign", tag = "lifecycle", operation_id = "signExtension",
    security(("bearer" = [])), params(("id" = i64, Path, description = "The extension's id")),
    responses(
        (status = 204, description = "Signed"),
        (status = 403, description = "The caller is no unit head", body = ErrorBody),
        (status = 404, description = "No such extension in the caller's scope", body = ErrorBody),
        (status = 422, description = "Not waiting for a signature", body = ErrorBody),
    ))]
pub async fn api_extension_sign(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    state.app.lifecycle().sign_extension(&actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The supervising committee files (报备) a signed extension.
#[utoipa::path(post, path = "/api/v1/extensions/{id}/file", tag = "lifecycle", operation_id = "fileExtension",
    security(("bearer" = [])), params(("id" = i64, Path, description = "The extension's id")),
    responses(
        (status = 204, description = "Filed"),
        (status = 403, description = "The caller does not supervise", body = ErrorBody),
        (status = 404, description = "No such extension in the caller's scope", body = ErrorBody),
        (status = 422, description = "Not waiting to be filed", body = ErrorBody),
    ))]
pub async fn api_extension_file(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    state.app.lifecycle().file_extension(&actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
pub struct ExtensionDecision {
    approve: bool,
}

/// The committee head decides a long or repeated extension.
#[utoipa::path(post, path = "/api/v1/extensions/{id}/decision", tag = "lifecycle", operation_id = "decideExtension",
    security(("bearer" = [])), params(("id" = i64, Path, description = "The extension's id")),
    request_body = ExtensionDecision,
    responses(
        (status = 204, description = "Decided"),
        (status = 400, description = "The body is not JSON of this shape", body = ErrorBody),
        (status = 403, description = "The caller approves nothing", body = ErrorBody),
        (status = 404, description = "No such extension in the caller's scope", body = ErrorBody),
        (status = 422, description = "Not waiting for a decision", body = ErrorBody),
    ))]
pub async fn api_extension_decide(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(d): ApiJson<ExtensionDecision>,
) -> Result<StatusCode, ApiError> {
    let approver = actor.approver()?;
    state.app.lifecycle().decide_extension(&approver, id, d.approve).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Extensions waiting for the caller: to sign, to file, to approve.
#[utoipa::path(get, path = "/api/v1/extensions", tag = "lifecycle", operation_id = "extensionQueue",
    security(("bearer" = [])), responses((status = 200, description = "The caller's queue", body = ExtensionQueue)))]
pub async fn api_extension_queue(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
) -> Result<Json<ExtensionQueue>, ApiError> {
    Ok(Json(state.app.lifecycle().extension_queue(&actor).await?))
}

#[derive(Serialize, ToSchema)]
pub struct Notifications {
    unread: i64,
    items: Vec<InboxItem>,
}

/// The caller's notifications (deadline warnings and the like), in the request's language
/// (`Accept-Language`).
#[utoipa::path(get, path = "/api/v1/notifications", tag = "lifecycle", operation_id = "notifications",
    security(("bearer" = [])), responses((status = 200, description = "Newest first", body = Notifications)))]
pub async fn api_notifications(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
) -> Result<Json<Notifications>, ApiError> {
    let english = RequestContext::current().english;
    let unread = state.app.lifecycle().unread_notices(&actor).await?;
    Ok(Json(Notifications { unread, items: state.app.lifecycle().inbox(&actor, english).await? }))
}

/// Marks every notification read.
#[utoipa::path(post, path = "/api/v1/notifications/read", tag = "lifecycle", operation_id = "readNotifications",
    security(("bearer" = [])), responses((status = 204, description = "All read")))]
pub async fn api_notifications_read(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
) -> Result<StatusCode, ApiError> {
    state.app.lifecycle().mark_inbox_read(&actor).await?;
    Ok(StatusCode::NO_CONTENT)
}
