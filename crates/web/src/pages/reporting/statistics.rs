//! The statistics page (统计): a campaign's figures for a period per unit, with the period
//! before and the whole system beside; each figure explained; numbers open the ledger behind
//! them; the same as a 统计表 workbook.

use app::{StatRow, Statistics};
use askama::Template;
use axum::{
    extract::{Query, State},
    http::StatusCode,
    response::{Html, IntoResponse, Response},
};
use domain::{
    CampaignId, UnitId,
    dates::format_date,
    reporting::{
        figures::{Count, Rate},
        period::{PeriodInput, PeriodKind},
    },
};
use serde::Deserialize;

use crate::{
    AppState,
    context::RequestContext,
    error::PageError,
    forms::FormState,
    i18n::{self, Texts},
    pages::{Chrome, render, urlencode},
    session::Signed,
};

/// A column of the tables: a count or a rate.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Col {
    C(Count),
    R(Rate),
}

/// The three tables' columns.
pub(crate) const MAIN: &[Col] = &[
    Col::C(Count::Received),
    Col::C(Count::NewReceived),
    Col::C(Count::Closed),
    Col::C(Count::StockTotal),
    Col::C(Count::StockCleared),
    Col::R(Rate::Clearance),
    Col::C(Count::ReceivedToDate),
    Col::C(Count::ClosedToDate),
    Col::R(Rate::Closure),
    Col::C(Count::ConfirmedToDate),
    Col::R(Rate::Confirmation),
    Col::C(Count::OverdueNow),
    Col::C(Count::OverdueEver),
];
pub(crate) const HANDLING: &[Col] = &[
    Col::C(Count::TalkInquiry),
    Col::C(Count::PreliminaryVerification),
    Col::C(Count::Shelved),
    Col::C(Count::Settled),
    Col::C(Count::CaseFiled),
    Col::C(Count::Extensions),
    Col::C(Count::FlaggedExtensions),
    Col::C(Count::Form1),
    Col::C(Count::Form2),
    Col::C(Count::Form3),
    Col::C(Count::Form4),
];
pub(crate) const OVERSIGHT: &[Col] = &[
    Col::C(Count::ReviewsDone),
    Col::C(Count::ReviewsUpheld),
    Col::C(Count::ReviewsReturned),
    Col::C(Count::RectificationsIssued),
    Col::C(Count::RectificationsOnTime),
    Col::C(Count::RectificationsRechecked),
    Col::C(Count::Institutions),
    Col::C(Count::EarlyWarnings),
    Col::C(Count::Accountability),
    Col::C(Count::FeedbackDue),
    Col::C(Count::FeedbackOnTime),
    Col::R(Rate::Feedback),
    Col::C(Count::FollowedUp),
    Col::C(Count::Satisfied),
    Col::R(Rate::Satisfaction),
];

impl Col {
    pub(crate) fn label(self, en: bool) -> &'static str {
        match self {
            Col::C(c) => c.label(en),
            Col::R(r) => r.label(en),
        }
    }

    pub(crate) fn explain(self, en: bool) -> &'static str {
        match self {
            Col::C(c) => c.explain(en),
            Col::R(r) => r.explain(en),
        }
    }

    /// The value as shown: a number, or a rate like 66.7% (— without a denominator).
    pub(crate) fn value(self, row: &StatRow) -> String {
        match self {
            Col::C(c) => row.counts.get(c).to_string(),
            Col::R(r) => domain::reporters::satisfaction::format_rate(row.counts.rate(r)),
        }
    }

    fn previous(self, row: &StatRow) -> String {
        match self {
            Col::C(c) => row.previous.get(c).to_string(),
            Col::R(r) => domain::reporters::satisfaction::format_rate(row.previous.rate(r)),
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct StatsQuery {
    #[serde(default)]
    campaign: String,
    #[serde(default)]
    unit: String,
    #[serde(flatten)]
    period: PeriodInput,
}

impl StatsQuery {
    fn campaign(&self) -> Option<CampaignId> {
        self.campaign.trim().parse().ok().map(CampaignId::from_raw)
    }

    fn unit(&self) -> Option<UnitId> {
        self.unit.trim().parse().ok().map(UnitId::from_raw)
    }
}

/// A cell: its text, the period before's (a tip), and the ledger behind it where the ledger's
/// filters select exactly those leads.
pub struct Cell {
    pub text: String,
    pub previous: String,
    pub href: Option<String>,
}

pub struct Line {
    pub name: String,
    /// Down to the unit's own units.
    pub down: Option<String>,
    pub cells: [Vec<Cell>; 3],
}

/// A share: its label, count and percentage of the table's whole.
type Share = (&'static str, i64, String);

#[derive(Template)]
#[template(path = "reporting/statistics.html")]
struct StatisticsPage {
    t: &'static Texts,
    chrome: Chrome,
    fs: FormState,
    s: Option<Statistics>,
    heads: [Vec<(&'static str, &'static str)>; 3],
    captions: [&'static str; 3],
    lines: Vec<Line>,
    total: Option<Line>,
    /// (rate, this period, previous, whole system).
    rates: Vec<(&'static str, &'static str, String, String, String)>,
    legend: Vec<(&'static str, &'static str)>,
    /// By category, by source, by sanction.
    shares: Vec<(&'static str, Vec<Share>)>,
    query: String,
    up: Option<String>,
    period_label: String,
    previous_label: String,
}

/// The ledger's leads behind a count of `row`, where its filters select exactly those.
fn ledger_link(s: &Statistics, row: &StatRow, c: Count) -> Option<String> {
    if row.own_only {
        return None;
    }
    let (from, to) = (format_date(s.period.from), format_date(s.period.to));
    let base = format!("/ledger?unit_id={}&campaign_id={}", row.unit_id, s.campaign_id);
    Some(match c {
        Count::Received => format!("{base}&received_from={from}&received_to={to}"),
        Count::NewReceived => format!("{base}&stock_class=new&received_from={from}&received_to={to}"),
        Count::ReceivedToDate => format!("{base}&received_to={to}"),
        Count::OverdueNow => format!("{base}&overdue=true"),
        _ => return None,
    })
}

fn line(s: &Statistics, row: &StatRow, en: bool, query: &str, down: bool) -> Line {
    let t = i18n::texts(en);
    let cells = |cols: &[Col]| {
        cols.iter()
            .map(|c| Cell {
                text: c.value(row),
                previous: c.previous(row),
                href: match c {
                    Col::C(count) if row.counts.get(*count) > 0 => ledger_link(s, row, *count),
                    _ => None,
                },
            })
            .collect()
    };
    Line {
        name: if row.own_only { format!("{}{}", row.unit_name, t.reporting.own_suffix) } else { row.unit_name.clone() },
        down: (down && !row.own_only).then(|| format!("/reporting/statistics?{query}&unit={}", row.unit_id)),
        cells: [cells(MAIN), cells(HANDLING), cells(OVERSIGHT)],
    }
}

/// The query string without its unit (to go down or up from).
fn query_of(s: &Statistics, q: &StatsQuery) -> String {
    let mut out = format!("campaign={}", s.campaign_id);
    if !q.period.from.trim().is_empty() || !q.period.to.trim().is_empty() {
        out.push_str(&format!("&from={}&to={}", urlencode(&q.period.from), urlencode(&q.period.to)));
    } else {
        out.push_str(&format!("&period={}", urlencode(&s.period.code())));
    }
    out
}

pub async fn view_statistics_get(
    State(state): State<AppState>,
    Signed(s): Signed,
    Query(q): Query<StatsQuery>,
) -> Result<Response, PageError> {
    let en = RequestContext::current().english;
    let t = i18n::texts(en);
    let typed = vec![
        ("period".to_owned(), q.period.period.clone()),
        ("from".to_owned(), q.period.from.clone()),
        ("to".to_owned(), q.period.to.clone()),
    ];
    let (status, fs, stats) = match state.app.reporting().statistics(&s.actor, q.campaign(), q.unit(), &q.period).await
    {
        Ok(st) => {
            // A range stays as typed; a named period shows its code (this month's by default).
            let mut shown = typed.clone();
            if st.period.kind != PeriodKind::Range {
                shown[0].1 = st.period.code();
            }
            (StatusCode::OK, FormState::typed("stats", &shown), Some(st))
        }
        Err(app::AppError::Invalid(i)) => {
            let label = |f: &str| match f {
                "period" => Some(t.reporting.period),
                "from" => Some(t.reporting.range_from),
                "to" => Some(t.reporting.range_to),
                _ => None,
            };
            (StatusCode::UNPROCESSABLE_ENTITY, FormState::typed("stats", &typed).refused(&i.0, en, label), None)
        }
        Err(app::AppError::NotFound) if q.campaign().is_none() && q.unit().is_none() => {
            (StatusCode::OK, FormState::typed("stats", &typed), None)
        }
        Err(e) => return Err(e.into()),
    };
    let heads = [MAIN, HANDLING, OVERSIGHT].map(|cols| cols.iter().map(|c| (c.label(en), c.explain(en))).collect());
    let legend = MAIN.iter().chain(HANDLING).chain(OVERSIGHT).map(|c| (c.label(en), c.explain(en))).collect();
    let (mut lines, mut total, mut rates, mut query, mut up) = (Vec::new(), None, Vec::new(), String::new(), None);
    let (mut period_label, mut previous_label) = (String::new(), String::new());
    let mut shares = Vec::new();
    if let Some(st) = &stats {
        query = query_of(st, &q);
        lines = st.rows.iter().map(|r| line(st, r, en, &query, true)).collect();
        let mut tl = line(st, &st.total, en, &query, false);
        tl.name = t.reporting.total.to_owned();
        total = Some(tl);
        rates = Rate::ALL
            .iter()
            .map(|r| {
                let sys = st.system.iter().find(|x| x.rate == *r).and_then(|x| x.permille);
                (
                    r.label(en),
                    r.explain(en),
                    domain::reporters::satisfaction::format_rate(st.total.counts.rate(*r)),
                    domain::reporters::satisfaction::format_rate(st.total.previous.rate(*r)),
                    domain::reporters::satisfaction::format_rate(sys),
                )
            })
            .collect();
        up = st.up.map(|u| format!("/reporting/statistics?{query}&unit={u}"));
        let share = |n: i64, all: i64| {
            domain::reporters::satisfaction::format_rate(domain::reporters::satisfaction::rate_of(n as u64, all as u64))
        };
        let table = |rows: Vec<(&'static str, i64)>| {
            let all: i64 = rows.iter().map(|r| r.1).sum();
            rows.into_iter().map(|(l, n)| (l, n, share(n, all))).collect::<Vec<_>>()
        };
        shares = vec![
            (t.reporting.by_category, table(st.by_category.iter().map(|x| (x.category.label(en), x.count)).collect())),
            (t.reporting.by_source, table(st.by_source.iter().map(|x| (x.source.label(en), x.count)).collect())),
            (t.reporting.by_sanction, table(st.by_sanction.iter().map(|x| (x.sanction.label(en), x.count)).collect())),
        ];
        period_label = st.period.label(en);
        previous_label = st.previous_campaign.clone().unwrap_or_else(|| st.previous_period.label(en));
    }
    let html = render(StatisticsPage {
        t,
        chrome: Chrome::new(&s, t, "/reporting/statistics".into(), "statistics"),
        fs,
        s: stats,
        heads,
        captions: [t.reporting.table_main, t.reporting.table_handling, t.reporting.table_oversight],
        lines,
        total,
        rates,
        legend,
        shares,
        query,
        up,
        period_label,
        previous_label,
    })?;
    Ok((status, Html(html)).into_response())
}

/// The statistics as a 统计表 workbook: title, 填报单位 and period, units as rows, every figure
/// as a column, the 合计 row (opened back by an independent reader in the tests).
pub async fn view_statistics_export(
    State(state): State<AppState>,
    Signed(s): Signed,
    Query(q): Query<StatsQuery>,
) -> Result<Response, PageError> {
    let en = RequestContext::current().english;
    let st = state.app.reporting().statistics_export(&s.actor, q.campaign(), q.unit(), &q.period).await?;
    Ok(workbook(&st, i18n::texts(en), en)?)
}

pub(crate) fn workbook(st: &Statistics, t: &Texts, en: bool) -> Result<Response, app::AppError> {
    use office::ledger_book::{ColumnSpec, LedgerWriter, Value};
    let cols: Vec<Col> = MAIN.iter().chain(HANDLING).chain(OVERSIGHT).copied().collect();
    let mut specs = vec![ColumnSpec { header: t.reporting.unit_col, width: 24.0, wrap: true }];
    specs.extend(cols.iter().map(|c| ColumnSpec { header: c.label(en), width: 10.0, wrap: true }));
    let title = format!("{}（{}）", t.reporting.sheet_title, st.period.label(en));
    let internal = |e: office::XlsxError| app::AppError::Internal(Box::new(e));
    let filled = format!("{}{}", t.reporting.filled_by, st.unit_name);
    let period = format!("{}{}", t.reporting.period_of, st.period.label(en));
    let mut w = LedgerWriter::new(t.reporting.stats_title, &title, (&filled, &period), &specs).map_err(internal)?;
    let mut write = |name: &str, row: &StatRow| {
        let values: Vec<String> = cols.iter().map(|c| c.value(row)).collect();
        let mut cells = vec![Value::Text(name)];
        for (c, v) in cols.iter().zip(&values) {
            cells.push(match c {
                Col::C(count) => Value::Number(row.counts.get(*count) as f64),
                Col::R(_) => Value::Text(v),
            });
        }
        w.row(&cells)
    };
    for r in &st.rows {
        let name = if r.own_only { format!("{}{}", r.unit_name, t.reporting.own_suffix) } else { r.unit_name.clone() };
        write(&name, r).map_err(internal)?;
    }
    write(t.reporting.total, &st.total).map_err(internal)?;
    let bytes = w.finish(&format!("{} {}", t.reporting.campaign, st.campaign)).map_err(internal)?;
    Ok(crate::pages::attachment(bytes, crate::pages::XLSX, ("statistics", &title)))
}
