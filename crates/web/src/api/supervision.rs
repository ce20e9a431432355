//! Supervision over the API: ownership by a leadership member (包案) with visits and
//! sign-off, listed supervision (orders and reports), moves of jurisdiction, study
//! meetings, and the clearance board.

use app::{Board, OrderView, OwnershipView};
use axum::{
    Json,
    extract::{Query, State},
    http::StatusCode,
};
use domain::{LeadId, UnitId, supervision::meeting::MeetingInput};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::extract::{ApiJson, ApiPath};
use crate::{
    AppState,
    error::{ApiError, ErrorBody},
    session::ApiUser,
};

use super::lifecycle::Created;

/// The lead's ownership, visits and the meetings that studied it.
#[utoipa::path(get, path = "/api/v1/leads/{id}/ownership", tag = "supervision", operation_id = "leadOwnership",
    security(("bearer" = [])), params(("id" = i64, Path, description = "The lead's id")),
    responses(
        (status = 200, description = "Its ownership", body = OwnershipView),
        (status = 404, description = "No such lead in the caller's scope", body = ErrorBody),
    ))]
pub async fn api_ownership_get(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<OwnershipView>, ApiError> {
    let reader = actor.ledger()?;
    Ok(Json(state.app.supervision().ownership_of(&reader, LeadId::from_raw(id)).await?))
}

#[derive(Deserialize, ToSchema)]
pub struct Ownership {
    kind: domain::supervision::ownership::KeyKind,
    /// The owning leader's username.
    leader: String,
}

/// Marks a key lead (重点/疑难/热点) and gives it an owning leader (包案).
#[utoipa::path(put, path = "/api/v1/leads/{id}/ownership", tag = "supervision", operation_id = "markKeyLead",
    security(("bearer" = [])), params(("id" = i64, Path, description = "The lead's id")), request_body = Ownership,
    responses(
        (status = 204, description = "Marked"),
        (status = 400, description = "The body is not JSON of this shape", body = ErrorBody),
        (status = 403, description = "The caller does not supervise", body = ErrorBody),
        (status = 404, description = "No such lead in the caller's scope", body = ErrorBody),
        (status = 422, description = "No such owning leader, or the lead is closed", body = ErrorBody),
    ))]
pub async fn api_ownership_put(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<Ownership>,
) -> Result<StatusCode, ApiError> {
    state.app.supervision().mark_key_lead(&actor, LeadId::from_raw(id), b.kind.code(), &b.leader).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
pub struct Visit {
    /// YYYY-MM-DD.
    #[schema(format = Date)]
    #[schema(format = Date, pattern = r"^\d{4}-\d{2}-\d{2}$")]
    visited_on: String,
    #[schema(min_length = 1, max_length = 120)]
    place: String,
    #[schema(min_length = 1, max_length = 1000)]
    decision: String,
}

/// The owning leader records a guidance visit (下访督导).
#[utoipa::path(post, path = "/api/v1/leads/{id}/visits", tag = "supervision", operation_id = "recordVisit",
    security(("bearer" = [])), params(("id" = i64, Path, description = "The lead's id")), request_body = Visit,
    responses(
        (status = 204, description = "Recorded"),
        (status = 400, description = "The body is not JSON of this shape", body = ErrorBody),
        (status = 403, description = "The caller owns no leads", body = ErrorBody),
        (status = 404, description = "Not a lead the caller owns", body = ErrorBody),
        (status = 422, description = "Fields missing or wrong", body = ErrorBody),
    ))]
pub async fn api_visit(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(v): ApiJson<Visit>,
) -> Result<StatusCode, ApiError> {
    let lead = LeadId::from_raw(id);
    state.app.supervision().record_visit(&actor, lead, &v.visited_on, &v.place, &v.decision).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
pub struct SignOff {
    note: String,
}

/// The owning leader signs off the conclusion awaiting approval, before the committee head.
#[utoipa::path(post, path = "/api/v1/leads/{id}/sign-off", tag = "supervision", operation_id = "signOff",
    security(("bearer" = [])), params(("id" = i64, Path, description = "The lead's id")), request_body = SignOff,
    responses(
        (status = 204, description = "Signed off"),
        (status = 400, description = "The body is not JSON of this shape", body = ErrorBody),
        (status = 403, description = "The caller owns no leads", body = ErrorBody),
        (status = 404, description = "Not a lead the caller owns", body = ErrorBody),
        (status = 422, description = "No conclusion waits for sign-off", body = ErrorBody),
    ))]
pub async fn api_sign_off(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<SignOff>,
) -> Result<StatusCode, ApiError> {
    state.app.supervision().sign_off_conclusion(&actor, LeadId::from_raw(id), &b.note).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct Orders {
    items: Vec<OrderView>,
}

/// The lead's supervision orders (挂牌督办) and the reports on them.
#[utoipa::path(get, path = "/api/v1/leads/{id}/orders", tag = "supervision", operation_id = "leadOrders",
    security(("bearer" = [])), params(("id" = i64, Path, description = "The lead's id")),
    responses(
        (status = 200, description = "Its orders", body = Orders),
        (status = 404, description = "No such lead in the caller's scope", body = ErrorBody),
    ))]
pub async fn api_orders_get(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Orders>, ApiError> {
    let reader = actor.ledger()?;
    Ok(Json(Orders { items: state.app.supervision().orders_of(&reader, LeadId::from_raw(id)).await? }))
}

#[derive(Deserialize, ToSchema)]
pub struct Order {
    #[schema(min_length = 1, max_length = 1000)]
    requirement: String,
    /// When the unit must report, YYYY-MM-DD.
    #[schema(format = Date)]
    #[schema(format = Date, pattern = r"^\d{4}-\d{2}-\d{2}$")]
    reply_due: String,
}

/// Lists the lead for supervision with a requirement and a reply date.
#[utoipa::path(post, path = "/api/v1/leads/{id}/orders", tag = "supervision", operation_id = "issueOrder",
    security(("bearer" = [])), params(("id" = i64, Path, description = "The lead's id")), request_body = Order,
    responses(
        (status = 201, description = "Issued", body = Created),
        (status = 400, description = "The body is not JSON of this shape", body = ErrorBody),
        (status = 403, description = "The caller does not supervise", body = ErrorBody),
        (status = 404, description = "No such lead in the caller's scope", body = ErrorBody),
        (status = 422, description = "Fields missing or wrong", body = ErrorBody),
    ))]
pub async fn api_orders_post(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(o): ApiJson<Order>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let id = state.app.supervision().issue_order(&actor, LeadId::from_raw(id), &o.requirement, &o.reply_due).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

#[derive(Deserialize, ToSchema)]
pub struct Report {
    stage: domain::lifecycle::timeline::ReportStage,
    #[schema(min_length = 1, max_length = 2000)]
    content: String,
}

/// The unit reports on an order (回告): first, progress, final.
#[utoipa::path(post, path = "/api/v1/orders/{id}/reports", tag = "supervision", operation_id = "reportOnOrder",
    security(("bearer" = [])), params(("id" = i64, Path, description = "The order's id")), request_body = Report,
    responses(
        (status = 204, description = "Reported"),
        (status = 400, description = "The body is not JSON of this shape", body = ErrorBody),
        (status = 403, description = "The caller keeps no ledger", body = ErrorBody),
        (status = 404, description = "No such order in the caller's scope", body = ErrorBody),
        (status = 422, description = "The order is closed, or fields missing", body = ErrorBody),
    ))]
pub async fn api_report(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(r): ApiJson<Report>,
) -> Result<StatusCode, ApiError> {
    let keeper = actor.ledger_keeper()?;
    state.app.supervision().report_on_order(&keeper, id, r.stage.code(), &r.content).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
pub struct Move {
    /// `escalated` (提级办理, waits for approval) or `designated_jurisdiction` (指定管辖).
    mode: domain::ledger::lead::HandlingMode,
    /// The receiving unit's id.
    to: UnitId,
}

#[derive(Serialize, ToSchema)]
pub struct Moved {
    /// Where the lead went (or would go, once the escalation is approved).
    unit_id: UnitId,
}

/// Moves the lead's jurisdiction.
#[utoipa::path(post, path = "/api/v1/leads/{id}/jurisdiction", tag = "supervision", operation_id = "moveJurisdiction",
    security(("bearer" = [])), params(("id" = i64, Path, description = "The lead's id")), request_body = Move,
    responses(
        (status = 200, description = "Moved, or proposed", body = Moved),
        (status = 400, description = "The body is not JSON of this shape", body = ErrorBody),
        (status = 403, description = "The caller does not supervise", body = ErrorBody),
        (status = 404, description = "No such lead in the caller's scope", body = ErrorBody),
        (status = 422, description = "Not a unit it may go to, or the lead is closed", body = ErrorBody),
    ))]
pub async fn api_move(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(m): ApiJson<Move>,
) -> Result<Json<Moved>, ApiError> {
    let to = m.to.to_string();
    let unit_id = state.app.supervision().move_jurisdiction(&actor, LeadId::from_raw(id), m.mode.code(), &to).await?;
    Ok(Json(Moved { unit_id }))
}

/// Records a collective study meeting (集体研判) and the leads it decided on.
#[utoipa::path(post, path = "/api/v1/meetings", tag = "supervision", operation_id = "recordMeeting",
    security(("bearer" = [])), request_body = MeetingInput,
    responses(
        (status = 201, description = "Recorded", body = Created),
        (status = 400, description = "The body is not JSON of this shape", body = ErrorBody),
        (status = 403, description = "The caller keeps no ledger", body = ErrorBody),
        (status = 422, description = "Fields missing, or a lead number not in the caller's ledger", body = ErrorBody),
    ))]
pub async fn api_meeting(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiJson(m): ApiJson<MeetingInput>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let keeper = actor.ledger_keeper()?;
    let id = state.app.supervision().record_meeting(&keeper, &m).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BoardPage {
    /// From 1.
    page: Option<u32>,
    /// The campaign's id (default: the latest open one).
    campaign: Option<i64>,
    /// The order: `lagging` (default), `rate`, `remaining`, `stock_overdue`, `new_overdue`,
    /// `transferred`, `unit`. Each row carries its rank by 清零率 whatever the order.
    sort: Option<String>,
}

impl BoardPage {
    /// The campaign asked for and the order (lagging units first unless another is named).
    fn chosen(&self) -> Result<(Option<domain::CampaignId>, domain::supervision::ranking::BoardSort), ApiError> {
        use domain::supervision::ranking::BoardSort;
        let sort = match self.sort.as_deref() {
            None => BoardSort::Lagging,
            Some(s) => BoardSort::parse("sort", s).map_err(app::AppError::field)?,
        };
        Ok((self.campaign.map(domain::CampaignId::from_raw), sort))
    }
}

/// The board as an xlsx workbook (every unit, its rank, the 合计 row), in the request's
/// language: the file the page's export gives.
#[utoipa::path(get, path = "/api/v1/board/export.xlsx", tag = "supervision", operation_id = "clearanceBoardExport",
    security(("bearer" = [])), params(BoardPage),
    responses(
        (status = 200, description = "The workbook", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 400, description = "An unknown order", body = ErrorBody),
        (status = 403, description = "Only the supervising committee and its head", body = ErrorBody),
        (status = 404, description = "No such campaign (or none open yet)", body = ErrorBody),
    ))]
pub async fn api_board_export(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    q: Result<Query<BoardPage>, axum::extract::rejection::QueryRejection>,
) -> Result<axum::response::Response, ApiError> {
    let Query(p) = q.map_err(|e| ApiError(crate::error::Problem::malformed(&e.body_text())))?;
    let (campaign, sort) = p.chosen()?;
    let b = state.app.supervision().clearance_board_all(&actor, campaign, sort).await?;
    let t = crate::i18n::texts(crate::RequestContext::current().english);
    Ok(crate::pages::supervision::board::workbook(&b, t)?)
}

/// The clearance board (清零进度): lagging units first, totals over every unit.
#[utoipa::path(get, path = "/api/v1/board", tag = "supervision", operation_id = "clearanceBoard",
    security(("bearer" = [])), params(BoardPage),
    responses(
        (status = 200, description = "One page of units", body = Board),
        (status = 400, description = "The page is not a number", body = ErrorBody),
        (status = 403, description = "Only the supervising committee and its head", body = ErrorBody),
        (status = 404, description = "No such campaign (or none open yet)", body = ErrorBody),
    ))]
pub async fn api_board(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    q: Result<Query<BoardPage>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Board>, ApiError> {
    let Query(p) = q.map_err(|e| ApiError(crate::error::Problem::malformed(&e.body_text())))?;
    let (campaign, sort) = p.chosen()?;
    Ok(Json(state.app.supervision().clearance_board_of(&actor, campaign, p.page.unwrap_or(1).max(1), sort).await?))
}
