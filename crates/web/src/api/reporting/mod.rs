//! Reporting over the API: the statistics, as figures and as the 统计表 workbook; the dashboard;
//! bulletins and their score rules; work reports and their outline.

pub(crate) mod bulletins;
pub(crate) mod outline;
pub(crate) mod score_rules;
pub(crate) mod work_reports;

use app::{Dashboard, Statistics};
use axum::{
    Json,
    extract::{Query, State, rejection::QueryRejection},
    response::Response,
};
use domain::{CampaignId, UnitId};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::{
    AppState,
    error::{ApiError, ErrorBody, Problem},
    session::ApiUser,
};

/// `?campaign=`: a campaign's score rules and report outline.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CampaignQuery {
    /// The campaign; the latest open one when absent.
    campaign: Option<i64>,
}

impl CampaignQuery {
    fn campaign(&self) -> Option<CampaignId> {
        self.campaign.map(CampaignId::from_raw)
    }
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatisticsQuery {
    /// The campaign; the latest open one when absent.
    campaign: Option<i64>,
    /// The unit whose units are the rows; the top of the caller's scope when absent.
    unit: Option<i64>,
    /// 2026-11 (a month), 2026-Q4, 2026 or campaign; this month when absent.
    #[serde(default)]
    period: String,
    /// A range's first day (YYYY-MM-DD), with `to`; wins over `period`.
    #[serde(default)]
    from: String,
    /// A range's last day (YYYY-MM-DD).
    #[serde(default)]
    to: String,
}

impl StatisticsQuery {
    fn parts(&self) -> (Option<CampaignId>, Option<UnitId>, domain::reporting::period::PeriodInput) {
        let period = domain::reporting::period::PeriodInput {
            period: self.period.clone(),
            from: self.from.clone(),
            to: self.to.clone(),
        };
        (self.campaign.map(CampaignId::from_raw), self.unit.map(UnitId::from_raw), period)
    }
}

/// A campaign's statistics for a period: per unit below `unit` (each with its subtree), the
/// total, the period before and the whole system's rates.
#[utoipa::path(get, path = "/api/v1/statistics", tag = "reporting", operation_id = "statistics",
    security(("bearer" = [])), params(StatisticsQuery),
    responses(
        (status = 200, description = "The figures", body = Statistics),
        (status = 400, description = "A query parameter is malformed", body = ErrorBody),
        (status = 403, description = "The caller reads no ledger", body = ErrorBody),
        (status = 404, description = "No such campaign (or none yet), or a unit outside the caller's scope", body = ErrorBody),
        (status = 422, description = "A period or date that is not one", body = ErrorBody),
    ))]
pub async fn api_statistics(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    q: Result<Query<StatisticsQuery>, QueryRejection>,
) -> Result<Json<Statistics>, ApiError> {
    let Query(q) = q.map_err(|e| ApiError(Problem::malformed(&e.body_text())))?;
    let (campaign, unit, period) = q.parts();
    Ok(Json(state.app.reporting().statistics(&actor, campaign, unit, &period).await?))
}

/// The same as a 统计表 workbook (title, reporting unit, period, units as rows, every figure
/// as a column, the 合计 row), in the request's language. Audited.
#[utoipa::path(get, path = "/api/v1/statistics/export.xlsx", tag = "reporting", operation_id = "statisticsExport",
    security(("bearer" = [])), params(StatisticsQuery),
    responses(
        (status = 200, description = "The workbook", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 400, description = "A query parameter is malformed", body = ErrorBody),
        (status = 403, description = "The caller reads no ledger", body = ErrorBody),
        (status = 404, description = "No such campaign, or a unit outside the caller's scope", body = ErrorBody),
        (status = 422, description = "A period or date that is not one", body = ErrorBody),
    ))]
pub async fn api_statistics_export(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    q: Result<Query<StatisticsQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(q) = q.map_err(|e| ApiError(Problem::malformed(&e.body_text())))?;
    let (campaign, unit, period) = q.parts();
    let s = state.app.reporting().statistics_export(&actor, campaign, unit, &period).await?;
    let en = crate::RequestContext::current().english;
    Ok(crate::pages::reporting::statistics::workbook(&s, crate::i18n::texts(en), en)?)
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DashboardQuery {
    /// The campaign; the latest open one when absent.
    campaign: Option<i64>,
    /// The unit; the top of the caller's scope when absent.
    unit: Option<i64>,
}

/// A unit's dashboard for a campaign: its stock week by week and the forecast at its pace, the
/// units below it (those that will miss first) and ranked by clearance, shares, the monthly
/// trend and overdue ageing.
#[utoipa::path(get, path = "/api/v1/dashboard", tag = "reporting", operation_id = "dashboard",
    security(("bearer" = [])), params(DashboardQuery),
    responses(
        (status = 200, description = "The dashboard's figures", body = Dashboard),
        (status = 400, description = "A query parameter is malformed", body = ErrorBody),
        (status = 403, description = "The caller reads no ledger", body = ErrorBody),
        (status = 404, description = "No such campaign (or none yet), or a unit outside the caller's scope", body = ErrorBody),
    ))]
pub async fn api_dashboard(
    State(state): State<AppState>,
    ApiUser(actor): ApiUser,
    q: Result<Query<DashboardQuery>, QueryRejection>,
) -> Result<Json<Dashboard>, ApiError> {
    let Query(q) = q.map_err(|e| ApiError(Problem::malformed(&e.body_text())))?;
    let (campaign, unit) = (q.campaign.map(CampaignId::from_raw), q.unit.map(UnitId::from_raw));
    Ok(Json(state.app.reporting().dashboard(&actor, campaign, unit).await?))
}
