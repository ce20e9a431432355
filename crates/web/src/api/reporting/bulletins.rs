//! Bulletins (通报) and their score rules over the API: the same use cases as the pages.

use app::{BulletinList, BulletinView};
use axum::{Json, extract::State, http::StatusCode, response::Response};
use domain::reporting::{
    bulletin::{BulletinInput, ListChangeInput, SummonsInput},
    period::PeriodInput,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::lifecycle::Created;
use crate::{
    AppState,
    error::{ApiError, ErrorBody},
    extract::{ApiJson, ApiPath},
    session::ApiUser,
};

/// Bulletins the caller reaches: the committee's in any state, a unit's issued ones.
#[utoipa::path(get, path = "/api/v1/bulletins", tag = "reporting", operation_id = "bulletins",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Newest first, and whether the caller drafts", body = BulletinList),
        (status = 403, description = "The caller reads no ledger", body = ErrorBody),
    ))]
pub async fn api_bulletins(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
) -> Result<Json<BulletinList>, ApiError> {
    Ok(Json(state.app.reporting().bulletins(&actor).await?))
}

/// A bulletin to draft: its period (as the statistics take it) and its document's words.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct DraftBody {
    /// The campaign; the latest open one when absent.
    pub campaign: Option<i64>,
    /// The unit whose units are ranked; the top of the caller's scope when absent.
    pub unit: Option<i64>,
    /// 2026-11, 2026-Q4, 2026 or campaign; this month when empty.
    pub period: String,
    pub from: String,
    pub to: String,
    #[serde(flatten)]
    pub bulletin: BulletinInput,
}

/// The committee drafts a bulletin of a period over the units below it, scored by the current
/// rules. Audited.
#[utoipa::path(post, path = "/api/v1/bulletins", tag = "reporting", operation_id = "draftBulletin",
    security(("bearer" = [])), request_body = DraftBody,
    responses(
        (status = 201, description = "Drafted", body = Created),
        (status = 400, description = "The body is not JSON of this shape", body = ErrorBody),
        (status = 403, description = "The caller does not supervise", body = ErrorBody),
        (status = 404, description = "No such campaign, or a unit outside the caller's scope", body = ErrorBody),
        (status = 422, description = "A period, title, number or addressee wrong, or the number taken", body = ErrorBody),
    ))]
pub async fn api_draft_bulletin(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiJson(d): ApiJson<DraftBody>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let period = PeriodInput { period: d.period, from: d.from, to: d.to };
    let campaign = d.campaign.map(domain::CampaignId::from_raw);
    let unit = d.unit.map(domain::UnitId::from_raw);
    let id = state.app.reporting().draft_bulletin(&actor, campaign, unit, &period, &d.bulletin).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// One bulletin: its document, each unit's line, the signature and whether the document still
/// matches it, the summons, and what the caller may do.
#[utoipa::path(get, path = "/api/v1/bulletins/{id}", tag = "reporting", operation_id = "bulletin",
    security(("bearer" = [])), params(("id" = i64, Path, description = "The bulletin's id")),
    responses(
        (status = 200, description = "The bulletin", body = BulletinView),
        (status = 404, description = "No such bulletin the caller reaches (a draft is the committee's)", body = ErrorBody),
    ))]
pub async fn api_bulletin(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<BulletinView>, ApiError> {
    Ok(Json(state.app.reporting().bulletin(&actor, id).await?))
}

/// A unit's list changed, and why.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct LineBody {
    pub unit_id: i64,
    #[serde(flatten)]
    pub change: ListChangeInput,
}

/// The committee puts a unit of a draft on a list (or none), with a reason. Audited.
#[utoipa::path(post, path = "/api/v1/bulletins/{id}/lines", tag = "reporting", operation_id = "changeBulletinList",
    security(("bearer" = [])), params(("id" = i64, Path, description = "The bulletin's id")), request_body = LineBody,
    responses(
        (status = 204, description = "Changed"),
        (status = 400, description = "The body is not JSON of this shape", body = ErrorBody),
        (status = 403, description = "The caller does not supervise the issuing unit", body = ErrorBody),
        (status = 404, description = "No such bulletin the caller reaches", body = ErrorBody),
        (status = 422, description = "No reason, an unknown list, a unit not on it, or the bulletin is signed", body = ErrorBody),
    ))]
pub async fn api_change_list(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(l): ApiJson<LineBody>,
) -> Result<StatusCode, ApiError> {
    state.app.reporting().change_list(&actor, id, domain::UnitId::from_raw(l.unit_id), &l.change).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Signed {
    /// SHA-256 of the exact document, the signer and the time.
    pub hash: String,
}

/// The committee head signs the draft; nothing in it changes after. Audited.
#[utoipa::path(post, path = "/api/v1/bulletins/{id}/sign", tag = "reporting", operation_id = "signBulletin",
    security(("bearer" = [])), params(("id" = i64, Path, description = "The bulletin's id")),
    responses(
        (status = 200, description = "Signed", body = Signed),
        (status = 403, description = "The caller is not the issuing unit's committee head", body = ErrorBody),
        (status = 404, description = "No such bulletin the caller reaches", body = ErrorBody),
        (status = 422, description = "Already signed", body = ErrorBody),
    ))]
pub async fn api_sign_bulletin(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Signed>, ApiError> {
    Ok(Json(Signed { hash: state.app.reporting().sign_bulletin(&actor, id).await? }))
}

/// The committee issues a signed bulletin to every unit. Audited.
#[utoipa::path(post, path = "/api/v1/bulletins/{id}/issue", tag = "reporting", operation_id = "issueBulletin",
    security(("bearer" = [])), params(("id" = i64, Path, description = "The bulletin's id")),
    responses(
        (status = 204, description = "Issued"),
        (status = 403, description = "The caller is not of the issuing unit's committee", body = ErrorBody),
        (status = 404, description = "No such bulletin the caller reaches", body = ErrorBody),
        (status = 422, description = "Not signed yet, or already issued", body = ErrorBody),
    ))]
pub async fn api_issue_bulletin(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    state.app.reporting().issue_bulletin(&actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The committee records a summons of a unit on the issued bulletin's summons list. Audited.
#[utoipa::path(post, path = "/api/v1/bulletins/{id}/summons", tag = "reporting", operation_id = "recordSummons",
    security(("bearer" = [])), params(("id" = i64, Path, description = "The bulletin's id")), request_body = SummonsInput,
    responses(
        (status = 201, description = "Recorded", body = Created),
        (status = 400, description = "The body is not JSON of this shape", body = ErrorBody),
        (status = 403, description = "The caller does not supervise the issuing unit", body = ErrorBody),
        (status = 404, description = "No such bulletin the caller reaches", body = ErrorBody),
        (status = 422, description = "Fields wrong, not issued, or a unit not on the summons list", body = ErrorBody),
    ))]
pub async fn api_record_summons(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(s): ApiJson<SummonsInput>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    Ok((StatusCode::CREATED, Json(Created { id: state.app.reporting().record_summons(&actor, id, &s).await? })))
}

/// The bulletin as a Word file in 公文 layout, its ranking table attached.
#[utoipa::path(get, path = "/api/v1/bulletins/{id}/document.docx", tag = "reporting", operation_id = "bulletinDocx",
    security(("bearer" = [])), params(("id" = i64, Path, description = "The bulletin's id")),
    responses(
        (status = 200, description = "The document", content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (status = 404, description = "No such bulletin the caller reaches", body = ErrorBody),
    ))]
pub async fn api_bulletin_docx(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Response, ApiError> {
    let b = state.app.reporting().bulletin(&actor, id).await?;
    Ok(crate::pages::reporting::bulletins::docx(&b)?)
}
