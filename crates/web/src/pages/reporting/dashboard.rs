//! The dashboard (概览): the clearance burn-down with the forecast, the units that will miss
//! listed first, the ranking, shares, the monthly trend and overdue ageing, each chart an SVG
//! drawn here with its data as a table beside it. The committee's home; a unit's home shows
//! its own.

use app::{Dashboard, UnitOutlook};
use askama::Template;
use axum::{
    extract::{Query, State},
    response::{Html, IntoResponse, Response},
};
use domain::{CampaignId, UnitId, reporters::satisfaction::format_rate};
use serde::Deserialize;

use super::charts::{self, Bar, BurnDownLabels};
use crate::{
    AppState,
    context::RequestContext,
    error::PageError,
    i18n::{self, Texts},
    pages::{Chrome, render},
    session::Signed,
};

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DashboardQuery {
    /// A campaign's id; empty for the latest open one.
    #[serde(default)]
    pub campaign: String,
    /// A unit's id; empty for the top of the caller's scope.
    #[serde(default)]
    pub unit: String,
}

impl DashboardQuery {
    pub(crate) fn campaign(&self) -> Option<CampaignId> {
        self.campaign.trim().parse().ok().map(CampaignId::from_raw)
    }

    pub(crate) fn unit(&self) -> Option<UnitId> {
        self.unit.trim().parse().ok().map(UnitId::from_raw)
    }
}

/// A share's label, count and percentage.
type Share = (&'static str, i64, String);

#[derive(Template)]
#[template(path = "reporting/dashboard.html")]
struct DashboardPage {
    t: &'static Texts,
    chrome: Chrome,
    d: Option<Dashboard>,
    burn_svg: String,
    rank_svg: String,
    category_svg: String,
    source_svg: String,
    trend_svg: String,
    ageing_svg: String,
    categories: Vec<Share>,
    sources: Vec<Share>,
    ageing: Vec<(&'static str, i64)>,
    overdue_href: String,
    up: Option<String>,
}

impl DashboardPage {
    fn rate(&self, r: &Option<u32>) -> String {
        format_rate(*r)
    }

    fn down(&self, u: &UnitOutlook) -> String {
        self.d
            .as_ref()
            .map_or(String::new(), |d| format!("/reporting/dashboard?campaign={}&unit={}", d.campaign_id, u.unit_id))
    }
}

fn shares(rows: Vec<(&'static str, i64)>) -> Vec<Share> {
    let all: i64 = rows.iter().map(|r| r.1).sum();
    rows.into_iter()
        .map(|(l, n)| (l, n, format_rate(domain::reporters::satisfaction::rate_of(n as u64, all as u64))))
        .collect()
}

fn share_bars(id: &str, title: &str, rows: &[Share], en: bool) -> String {
    let bars: Vec<Bar> = rows
        .iter()
        .map(|(l, n, pct)| Bar {
            label: (*l).into(),
            value: *n as f64,
            shown: if en { format!("{n} ({pct})") } else { format!("{n}（{pct}）") },
            late: false,
        })
        .collect();
    charts::bars(id, title, &bars, 0.0)
}

pub async fn view_dashboard_get(
    State(state): State<AppState>,
    Signed(s): Signed,
    Query(q): Query<DashboardQuery>,
) -> Result<Response, PageError> {
    let en = RequestContext::current().english;
    let t = i18n::texts(en);
    let d = match state.app.reporting().dashboard(&s.actor, q.campaign(), q.unit()).await {
        Ok(d) => Some(d),
        // No campaign yet: an empty page says so.
        Err(app::AppError::NotFound) if q.campaign().is_none() && q.unit().is_none() => None,
        Err(e) => return Err(e.into()),
    };
    let mut page = DashboardPage {
        t,
        chrome: Chrome::new(&s, t, "/reporting/dashboard".into(), "dashboard"),
        d: None,
        burn_svg: String::new(),
        rank_svg: String::new(),
        category_svg: String::new(),
        source_svg: String::new(),
        trend_svg: String::new(),
        ageing_svg: String::new(),
        categories: Vec::new(),
        sources: Vec::new(),
        ageing: Vec::new(),
        overdue_href: String::new(),
        up: None,
    };
    if let Some(d) = d {
        let series: Vec<(time::Date, i64)> = d.burn_down.iter().map(|p| (p.day, p.left)).collect();
        let title = format!("{}{}", d.unit_name, t.reporting.burn_title);
        let forecast = t.reporting.forecast_line.replace("{n}", &d.pace_weeks.to_string());
        let labels = BurnDownLabels { title: &title, deadline: t.reporting.clearance_deadline, forecast: &forecast };
        page.burn_svg = charts::burn_down(&series, d.clearance_deadline, d.forecast.zero_on, &labels);
        let rank: Vec<Bar> = d
            .ranking
            .iter()
            .map(|u| Bar {
                label: u.unit_name.clone(),
                value: f64::from(u.clearance.unwrap_or(0)),
                shown: format_rate(u.clearance),
                late: u.forecast.will_miss,
            })
            .collect();
        page.rank_svg = charts::bars("ranking", t.reporting.ranking_title, &rank, 1000.0);
        page.categories = shares(d.by_category.iter().map(|x| (x.category.label(en), x.count)).collect());
        page.sources = shares(d.by_source.iter().map(|x| (x.source.label(en), x.count)).collect());
        page.category_svg = share_bars("by-category", t.reporting.category_title, &page.categories, en);
        page.source_svg = share_bars("by-source", t.reporting.source_title, &page.sources, en);
        page.trend_svg = charts::months(t.reporting.trend_title, (t.reporting.received, t.reporting.closed), &d.trend);
        page.ageing =
            d.ageing.iter().map(|a| (if en { a.ageing.label_en() } else { a.ageing.label_zh() }, a.count)).collect();
        let bars: Vec<Bar> = page
            .ageing
            .iter()
            .map(|(l, n)| Bar { label: (*l).into(), value: *n as f64, shown: n.to_string(), late: true })
            .collect();
        page.ageing_svg = charts::bars("ageing", t.reporting.ageing_title, &bars, 0.0);
        page.overdue_href = format!("/ledger?unit_id={}&campaign_id={}&overdue=true", d.unit_id, d.campaign_id);
        page.up = d.up.map(|u| format!("/reporting/dashboard?campaign={}&unit={u}", d.campaign_id));
        page.d = Some(d);
    }
    Ok(Html(render(page)?).into_response())
}
