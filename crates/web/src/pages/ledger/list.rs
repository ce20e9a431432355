use askama::Template;
use axum::{
    extract::{Query, State},
    response::Html,
};
use domain::{
    dates::format_date, ledger::campaign::StockClass, ledger::lead::Category, ledger::lead::Lead,
    ledger::lead::LeadStatus, ledger::lead::Source, ledger::query::LedgerParams, ledger::query::LedgerSort,
};

use crate::pages::{Chrome, Opt, options};
use crate::{
    AppState,
    context::RequestContext,
    error::PageError,
    i18n::{self, Texts},
    session::Signed,
};

/// One ledger row, formatted for the current language.
pub struct Row {
    pub id: i64,
    pub number: String,
    pub unit: String,
    pub received_on: String,
    pub source: &'static str,
    pub category: &'static str,
    pub subjects: String,
    pub summary: String,
    pub status: &'static str,
    pub status_code: &'static str,
    pub stock_class: &'static str,
    pub deadline: String,
    pub responsible_person: String,
    pub important: bool,
    /// Warning colour code and its text, for open leads.
    pub warning: Option<(&'static str, &'static str)>,
    pub provisional: bool,
}

impl Row {
    fn new(l: &Lead, en: bool, warning: Option<domain::lifecycle::deadline::Warning>) -> Self {
        let names: Vec<&str> = l.subjects.iter().map(|s| s.name.as_str()).collect();
        let summary: String = l.summary.chars().take(40).collect();
        Self {
            id: l.id.get(),
            number: l.number.to_string(),
            unit: l.unit_name.clone(),
            received_on: format_date(l.received_on),
            source: l.source.label(en),
            category: l.category.label(en),
            subjects: names.join(if en { ", " } else { "、" }),
            summary: if l.summary.chars().count() > 40 { format!("{summary}…") } else { summary },
            status: l.status.label(en),
            status_code: l.status.code(),
            stock_class: l.stock_class.label(en),
            deadline: format_date(l.deadline),
            responsible_person: l.responsible_shown(en),
            important: l.important,
            // The short form ("蓝色预警") in the dense table; the page of the lead has the rest.
            warning: warning.map(|w| (w.code(), w.label(en).split(['：', ':']).next().unwrap_or_default())),
            provisional: l.deadline_provisional,
        }
    }
}

#[derive(Template)]
#[template(path = "ledger/ledger.html")]
struct LedgerPage {
    t: &'static Texts,
    chrome: Chrome,
    p: LedgerParams,
    errors: Vec<String>,
    notice: Option<String>,
    rows: Vec<Row>,
    total: i64,
    page: u32,
    page_count: u32,
    units: Vec<Opt>,
    sources: Vec<Opt>,
    categories: Vec<Opt>,
    statuses: Vec<Opt>,
    stock_classes: Vec<Opt>,
    handlers: Vec<Opt>,
    sorts: Vec<Opt>,
    prev_link: Option<String>,
    next_link: Option<String>,
    sort_received: String,
    sort_deadline: String,
    sort_number: String,
    /// What the printed ledger states above its rows: the filters in words, the issuing body
    /// and when it was printed.
    print_filters: String,
    printed: String,
    /// The same view as an xlsx 台账 (every page of it).
    export_link: String,
    /// A custodian's: the same view with the reporters' identities, after giving a reason.
    identity_export_link: Option<String>,
}

/// The chosen option's label of a filter, as "label：choice".
fn chosen(label: &str, opts: &[Opt], en: bool) -> Option<String> {
    opts.iter().find(|o| o.selected).map(|o| format!("{label}{}{}", if en { ": " } else { "：" }, o.label))
}

/// The query string for `p` with some parameters replaced.
pub(crate) fn link(p: &LedgerParams, page: Option<u32>, sort: Option<&str>) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    let page_text = page.map(|n| n.to_string());
    for (k, v) in [
        ("unit_id", p.unit_id.as_str()),
        ("source", &p.source),
        ("category", &p.category),
        ("status", &p.status),
        ("stock_class", &p.stock_class),
        ("received_from", &p.received_from),
        ("received_to", &p.received_to),
        ("responsible_person", &p.responsible_person),
        ("handler", &p.handler),
        ("important", &p.important),
        ("overdue", &p.overdue),
        ("campaign_id", &p.campaign_id),
        ("routed_late", &p.routed_late),
        ("extended", &p.extended),
        ("q", &p.q),
        ("sort", sort.unwrap_or(&p.sort)),
        ("per_page", &p.per_page),
        ("page", page_text.as_deref().unwrap_or(if sort.is_some() { "" } else { &p.page })),
    ] {
        if !v.is_empty() {
            s.append_pair(k, v);
        }
    }
    format!("/ledger?{}", s.finish())
}

#[derive(serde::Deserialize, Default)]
pub struct RoutedNotice {
    #[serde(default)]
    routed: String,
    #[serde(default)]
    recused: String,
}

pub async fn view_ledger_get(
    State(state): State<AppState>,
    Signed(session): Signed,
    Query(p): Query<LedgerParams>,
    Query(routed): Query<RoutedNotice>,
) -> Result<Html<String>, PageError> {
    let en = RequestContext::current().english;
    let t = i18n::texts(en);
    let reader = session.actor.ledger()?;
    let (rows, total, page, page_count, errors) = match state.app.ledger().list(&reader, &p).await {
        Ok(pg) => {
            let count = pg.page_count();
            (
                pg.items.iter().map(|l| Row::new(l, en, state.app.lifecycle().warning_of(l))).collect(),
                pg.total,
                pg.page,
                count,
                Vec::new(),
            )
        }
        Err(app::AppError::Invalid(i)) => (Vec::new(), 0, 1, 1, crate::pages::error_lines(&i.0, en)),
        Err(e) => return Err(e.into()),
    };
    let units = state.app.ledger().readable_units(&session.actor).await?;
    let unit_labels: Vec<(String, String)> = units.iter().map(|u| (u.id.to_string(), u.name.clone())).collect();
    let handlers = state.app.ledger().handlers_in_scope(&session.actor).await?;
    let handler_labels: Vec<(String, String)> = handlers.iter().map(|h| (h.id.to_string(), h.name.clone())).collect();
    let here = link(&p, None, None);
    let flip = |asc: LedgerSort, desc: LedgerSort| {
        let current = if p.sort.is_empty() { LedgerSort::ReceivedDesc.code() } else { p.sort.as_str() };
        let next = if current == asc.code() { desc } else { asc };
        link(&p, None, Some(next.code()))
    };
    let mut statuses =
        vec![Opt { value: "open".into(), label: t.ledger.all_open.into(), selected: p.status == "open" }];
    statuses.extend(options(LeadStatus::ALL.iter().map(|s| (s.code(), s.label(en))), &p.status));
    let units_opts = options(unit_labels.iter().map(|(a, b)| (a.as_str(), b.as_str())), &p.unit_id);
    let sources_opts = options(Source::ALL.iter().map(|s| (s.code(), s.label(en))), &p.source);
    let categories_opts = options(Category::ALL.iter().map(|s| (s.code(), s.label(en))), &p.category);
    let classes_opts = options(StockClass::ALL.iter().map(|s| (s.code(), s.label(en))), &p.stock_class);
    let sep = if en { ": " } else { "：" };
    let mut said: Vec<String> = [
        chosen(t.ledger.unit_incl_sub, &units_opts, en),
        chosen(t.ledger.source, &sources_opts, en),
        chosen(t.ledger.category, &categories_opts, en),
        chosen(t.status, &statuses, en),
        chosen(t.ledger.stock_class, &classes_opts, en),
    ]
    .into_iter()
    .flatten()
    .collect();
    if p.status == "closed" {
        said.push(format!("{}{sep}{}", t.status, t.ledger.all_closed));
    }
    for (on, what) in [
        (p.overdue == "true", t.ledger.overdue_only),
        (!p.routed_late.is_empty(), t.supervision.routed_late),
        (p.extended == "approved", t.ledger.extended_any),
        (p.extended == "flagged", t.lifecycle.ext_flagged),
        (!p.campaign_id.is_empty(), t.ledger.campaign),
    ] {
        if on {
            said.push(what.to_owned());
        }
    }
    if !p.q.trim().is_empty() {
        said.push(format!("{}{sep}{}", t.ledger.keyword, p.q.trim()));
    }
    let print_filters =
        if said.is_empty() { t.ledger.print_no_filter.to_owned() } else { said.join(if en { "; " } else { "；" }) };
    let printed = format!(
        "{} · {} {}",
        session.actor.unit_name,
        t.ledger.printed_at,
        domain::dates::format_instant(state.app.now())
    );
    let export_link = link(&p, None, None).replacen("/ledger?", "/ledger/export.xlsx?", 1);
    let identity_export_link = session
        .actor
        .identity_custodian()
        .is_ok()
        .then(|| link(&p, None, None).replacen("/ledger?", "/ledger/export-identities?", 1));
    let page_html = LedgerPage {
        export_link,
        identity_export_link,
        print_filters,
        printed,
        t,
        chrome: Chrome::new(&session, t, here, "ledger"),
        units: units_opts,
        sources: sources_opts,
        categories: categories_opts,
        statuses,
        stock_classes: classes_opts,
        handlers: options(handler_labels.iter().map(|(a, b)| (a.as_str(), b.as_str())), &p.handler),
        sorts: options(LedgerSort::ALL.iter().map(|s| (s.code(), s.label(en))), &p.sort),
        prev_link: (page > 1).then(|| link(&p, Some(page - 1), None)),
        next_link: (page < page_count).then(|| link(&p, Some(page + 1), None)),
        sort_received: flip(LedgerSort::ReceivedDesc, LedgerSort::ReceivedAsc),
        sort_deadline: flip(LedgerSort::DeadlineAsc, LedgerSort::DeadlineDesc),
        sort_number: flip(LedgerSort::NumberAsc, LedgerSort::NumberDesc),
        p,
        errors,
        // Only a lead number is taken from the URL, never text.
        notice: domain::ledger::lead_no::LeadNo::parse(&routed.routed)
            .map(|n| format!("{}{n}", t.ledger.routed_notice))
            .or_else(|| {
                domain::ledger::lead_no::LeadNo::parse(&routed.recused)
                    .map(|n| format!("{}{n}", t.ledger.recused_notice))
            }),
        rows,
        total,
        page,
        page_count,
    }
    .render()
    .map_err(|e| app::AppError::Internal(Box::new(e)))?;
    Ok(Html(page_html))
}

/// An exported 台账 as a download.
pub fn ledger_download(bytes: Vec<u8>) -> axum::response::Response {
    crate::pages::attachment(bytes, crate::pages::XLSX, ("ledger", "问题线索台账"))
}
