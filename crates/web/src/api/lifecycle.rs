//! The lifecycle over the API: steps and their approval, follow-through, the timeline,
//! extensions (request, sign, file, decide) and the caller's notifications.

use app::{ExtensionQueue, ExtensionView, InboxItem, QueueItem, StepInput, StepOutcome, TimelineEntry};
use axum::{
    Json,
    extract::{Query, State},
    http::StatusCode,
};
use domain::LeadId;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

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
    #[schema(min_length = 1, max_length = 1000)]
    reason: String,
    /// Calendar days asked for.
    days: u32,
}

#[derive(Serialize, ToSchema)]
pub struct Created {
    pub(crate) id: i64,
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

/// Why a unit head returns an extension request.
#[derive(serde::Deserialize, utoipa::ToSchema)]
pub struct ReturnBody {
    #[schema(min_length = 1, max_length = 1000)]
    pub reason: String,
}

/// The unit head returns a request to its requester instead of signing it, with the reason.
#[utoipa::path(post, path = "/api/v1/extensions/{id}/return", tag = "lifecycle", operation_id = "returnExtension",
    security(("bearer" = [])), params(("id" = i64, Path, description = "The extension's id")),
    request_body = ReturnBody,
    responses(
        (status = 204, description = "Returned"),
        (status = 403, description = "The caller is no unit head", body = ErrorBody),
        (status = 404, description = "No such extension in the caller's scope", body = ErrorBody),
        (status = 422, description = "No reason, or not waiting for a signature", body = ErrorBody),
    ))]
pub async fn api_extension_return(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ReturnBody>,
) -> Result<StatusCode, ApiError> {
    state.app.lifecycle().return_extension(&actor, id, &body.reason).await?;
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
    /// How many match the filters, over every page.
    total: i64,
    page: i64,
    page_count: i64,
    items: Vec<InboxItem>,
}

#[derive(Deserialize, IntoParams, Default)]
pub struct NoticeQuery {
    /// From 1; 50 a page.
    page: Option<i64>,
    /// `red`, `yellow`, `blue` or empty for all.
    colour: Option<String>,
    /// A unit's id.
    unit: Option<String>,
    /// Only the unread ones.
    unread: Option<bool>,
}

#[derive(Serialize, ToSchema)]
pub struct OpenedNotice {
    /// The lead the notice is about, if any (to open next).
    lead_id: Option<i64>,
}

/// Marks one of the caller's notices read, as opening it on the page does.
#[utoipa::path(post, path = "/api/v1/notifications/{id}/read", tag = "lifecycle", operation_id = "readNotification",
    security(("bearer" = [])), params(("id" = i64, Path, description = "The notice")),
    responses(
        (status = 200, description = "Read; the lead it is about", body = OpenedNotice),
        (status = 404, description = "No such notice of the caller's", body = ErrorBody),
    ))]
pub async fn api_notification_open(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<OpenedNotice>, ApiError> {
    let lead = state.app.lifecycle().open_notice(&actor, id).await?.ok_or(app::AppError::NotFound)?;
    Ok(Json(OpenedNotice { lead_id: lead.map(|l| l.get()) }))
}

/// The caller's notifications (deadline warnings and the like), in the request's language
/// (`Accept-Language`).
#[utoipa::path(get, path = "/api/v1/notifications", tag = "lifecycle", operation_id = "notifications",
    security(("bearer" = [])), params(NoticeQuery),
    responses((status = 200, description = "One page, newest first", body = Notifications)))]
pub async fn api_notifications(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    q: Result<Query<NoticeQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Notifications>, ApiError> {
    let Query(q) = q.map_err(|e| ApiError(crate::error::Problem::malformed(&e.body_text())))?;
    let english = RequestContext::current().english;
    let unread = state.app.lifecycle().unread_notices(&actor).await?;
    let f = app::InboxFilter {
        colour: q.colour.unwrap_or_default(),
        unit: q.unit.unwrap_or_default(),
        unread_only: q.unread.unwrap_or(false),
    };
    let p = state.app.lifecycle().inbox_page(&actor, &f, q.page.unwrap_or(1).max(1), english).await?;
    Ok(Json(Notifications { unread, total: p.total, page: p.page, page_count: p.page_count, items: p.items }))
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

#[derive(Serialize, ToSchema)]
pub struct DeadlineRules {
    items: Vec<domain::lifecycle::deadline::DeadlineRule>,
    /// The last year whose holidays and make-up working days are loaded; dates past it are
    /// provisional.
    last_calendar_year: Option<i32>,
}

/// The deadline rules and how far the working-day calendar reaches (read by everyone).
#[utoipa::path(get, path = "/api/v1/deadline-rules", tag = "lifecycle", operation_id = "deadlineRules",
    security(("bearer" = [])), responses((status = 200, description = "Every rule", body = DeadlineRules)))]
pub async fn api_rules(State(state): State<AppState>, ApiUser(_actor): ApiUser) -> Json<DeadlineRules> {
    let lifecycle = state.app.lifecycle();
    Json(DeadlineRules {
        items: lifecycle.deadline_rules().to_vec(),
        last_calendar_year: lifecycle.calendar().last_loaded_year(),
    })
}

#[derive(Deserialize, ToSchema)]
pub struct RuleChange {
    amount: u32,
    unit: domain::lifecycle::deadline::TimeUnit,
    blue_at_percent: u32,
    yellow_working_days: u32,
}

/// Changes a deadline rule (the supervising committee); open deadlines set by it are
/// recomputed.
#[utoipa::path(put, path = "/api/v1/deadline-rules/{code}", tag = "lifecycle", operation_id = "updateDeadlineRule",
    security(("bearer" = [])), params(("code" = domain::lifecycle::deadline::RuleCode, Path, description = "The rule")),
    request_body = RuleChange,
    responses(
        (status = 204, description = "Changed"),
        (status = 400, description = "The body is not JSON of this shape", body = ErrorBody),
        (status = 403, description = "Only the supervising committee", body = ErrorBody),
        (status = 422, description = "Out of range, or no such rule", body = ErrorBody),
    ))]
pub async fn api_rule_put(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(code): ApiPath<String>,
    ApiJson(r): ApiJson<RuleChange>,
) -> Result<StatusCode, ApiError> {
    let (amount, blue, yellow) =
        (r.amount.to_string(), r.blue_at_percent.to_string(), r.yellow_working_days.to_string());
    state.app.lifecycle().update_rule(&actor, &code, &amount, r.unit.code(), &blue, &yellow).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AddWorkingDays {
    /// YYYY-MM-DD.
    from: String,
    /// At most 3650.
    days: u32,
}

#[derive(Serialize, ToSchema)]
pub struct WorkingDay {
    #[schema(format = Date)]
    date: String,
    /// Rests on a year whose calendar is not loaded yet.
    provisional: bool,
}

/// The date `days` working days after `from` (holidays and 调休 counted).
#[utoipa::path(get, path = "/api/v1/calendar/add-working-days", tag = "lifecycle", operation_id = "addWorkingDays",
    security(("bearer" = [])), params(AddWorkingDays),
    responses(
        (status = 200, description = "The date", body = WorkingDay),
        (status = 400, description = "The query cannot be read", body = ErrorBody),
        (status = 422, description = "Not a date, or too many days", body = ErrorBody),
    ))]
pub async fn api_add_working_days(
    State(state): State<AppState>,
    ApiUser(_actor): ApiUser,
    q: Result<axum::extract::Query<AddWorkingDays>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<WorkingDay>, ApiError> {
    let axum::extract::Query(q) = q.map_err(|e| ApiError(crate::error::Problem::malformed(&e.body_text())))?;
    let from = domain::dates::parse_date("from", &q.from).map_err(app::AppError::field)?;
    if q.days > 3650 {
        let e = domain::FieldError::new("days", "out_of_range", "最多 3650 个工作日。", "At most 3650 working days.");
        return Err(app::AppError::field(e).into());
    }
    let r = state.app.lifecycle().calendar().add_working_days(from, q.days);
    Ok(Json(WorkingDay { date: domain::dates::format_date(r.date), provisional: r.provisional }))
}

#[derive(Deserialize, ToSchema)]
pub struct CalendarDays {
    /// Lines of `date,kind,name_en,name_zh` (kind `holiday` or `workday`), as the State
    /// Council's notice gives them.
    csv: String,
}

#[derive(Serialize, ToSchema)]
pub struct CalendarLoaded {
    days: usize,
    /// Open deadlines recomputed because they rested on a provisional year.
    recomputed: u64,
}

/// Loads (or corrects) a year's holidays and make-up working days (the system administrator).
#[utoipa::path(post, path = "/api/v1/calendar/days", tag = "lifecycle", operation_id = "loadCalendarDays",
    security(("bearer" = [])), request_body = CalendarDays,
    responses(
        (status = 200, description = "Loaded", body = CalendarLoaded),
        (status = 400, description = "The body is not JSON of this shape", body = ErrorBody),
        (status = 403, description = "Only the system administrator", body = ErrorBody),
        (status = 422, description = "A line cannot be read", body = ErrorBody),
    ))]
pub async fn api_calendar_days(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiJson(b): ApiJson<CalendarDays>,
) -> Result<Json<CalendarLoaded>, ApiError> {
    let (days, recomputed) = state.app.lifecycle().load_calendar_days(&actor, &b.csv).await?;
    Ok(Json(CalendarLoaded { days, recomputed }))
}

#[derive(Deserialize, ToSchema)]
pub struct TransferReceipt {
    /// The day the receiving body signed for the lead.
    #[schema(format = Date, pattern = r"^\d{4}-\d{2}-\d{2}$")]
    received_on: String,
}

/// Records the receiving body's receipt of a transferred lead (移交回执): from then on the
/// transfer counts as cleared.
#[utoipa::path(post, path = "/api/v1/leads/{id}/transfer-receipt", tag = "lifecycle",
    operation_id = "recordTransferReceipt", security(("bearer" = [])),
    params(("id" = i64, Path, description = "The lead's id")), request_body = TransferReceipt,
    responses(
        (status = 204, description = "Recorded"),
        (status = 400, description = "The body is not JSON of this shape", body = ErrorBody),
        (status = 403, description = "The caller keeps no ledger", body = ErrorBody),
        (status = 404, description = "No such lead in the caller's scope", body = ErrorBody),
        (status = 422, description = "Not a transfer, recorded already, or a date out of range", body = ErrorBody),
    ))]
pub async fn api_transfer_receipt(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<TransferReceipt>,
) -> Result<StatusCode, ApiError> {
    let keeper = actor.ledger_keeper()?;
    state.app.lifecycle().record_transfer_receipt(&keeper, LeadId::from_raw(id), &b.received_on).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
pub struct InquiryEventBody {
    #[schema(value_type = domain::lifecycle::inquiry::InquiryEvent)]
    event: String,
    /// The day it happened.
    #[schema(format = Date, pattern = r"^\d{4}-\d{2}-\d{2}$")]
    on: String,
}

/// Records a talk held, an inquiry letter sent or a written reply received (谈话函询): the
/// letter starts the 15-working-day reply clock, the talk or the reply the 30 days to conclude.
#[utoipa::path(post, path = "/api/v1/leads/{id}/inquiry-events", tag = "lifecycle",
    operation_id = "recordInquiryEvent", security(("bearer" = [])),
    params(("id" = i64, Path, description = "The lead's id")), request_body = InquiryEventBody,
    responses(
        (status = 204, description = "Recorded; the lead's clock restarted"),
        (status = 400, description = "The body is not JSON of this shape", body = ErrorBody),
        (status = 403, description = "The caller keeps no ledger", body = ErrorBody),
        (status = 404, description = "No such lead in the caller's scope", body = ErrorBody),
        (status = 422, description = "Not in talk or inquiry, no letter before a reply, or a day out of range", body = ErrorBody),
    ))]
pub async fn api_inquiry_event(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<InquiryEventBody>,
) -> Result<StatusCode, ApiError> {
    let keeper = actor.ledger_keeper()?;
    state.app.lifecycle().record_inquiry_event(&keeper, LeadId::from_raw(id), &b.event, &b.on).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A step's or an extension's approval form (呈批表) as docx, ready to sign: the lead's facts,
/// the proposal, each opinion with name and date (blank where still to be signed), numbered.
/// Never the reporter's identity.
#[utoipa::path(get, path = "/api/v1/leads/{id}/form.docx", tag = "lifecycle", operation_id = "approvalForm",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The lead's id"), crate::pages::lifecycle::forms::FormQuery),
    responses(
        (status = 200, description = "The form", content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (status = 404, description = "No such lead in the caller's scope, or no form for that entry", body = ErrorBody),
        (status = 422, description = "Neither entry nor extension given", body = ErrorBody),
    ))]
pub async fn api_form_docx(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<i64>,
    Query(q): Query<crate::pages::lifecycle::forms::FormQuery>,
) -> Result<axum::response::Response, ApiError> {
    let en = crate::RequestContext::current().english;
    let of = crate::pages::lifecycle::forms::which(&state, &actor, id, &q).await?;
    let f = state.app.lifecycle().form(&actor, LeadId::from_raw(id), of, en).await?;
    Ok(crate::pages::lifecycle::forms::docx_download(&f, crate::i18n::texts(en))?)
}

/// A lead's whole record (卷宗) as docx: its facts and every step, who took it and when.
#[utoipa::path(get, path = "/api/v1/leads/{id}/record.docx", tag = "lifecycle", operation_id = "leadRecord",
    security(("bearer" = [])), params(("id" = i64, Path, description = "The lead's id")),
    responses(
        (status = 200, description = "The record", content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (status = 404, description = "No such lead in the caller's scope", body = ErrorBody),
    ))]
pub async fn api_record_docx(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<axum::response::Response, ApiError> {
    let en = crate::RequestContext::current().english;
    let f = state.app.lifecycle().form(&actor, LeadId::from_raw(id), app::FormOf::Record, en).await?;
    Ok(crate::pages::lifecycle::forms::docx_download(&f, crate::i18n::texts(en))?)
}
