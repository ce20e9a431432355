//! Relations (关系网): the graph around a person, a lead or a unit, drawn as SVG on the server
//! where `domain::relations::layout` placed it, with every node a link and a table of the same
//! nodes beneath it; and the supervisors' list of persons named again and again.

use app::relations::Centre;
use askama::Template;
use axum::{
    extract::{Query, State},
    response::Html,
};
use domain::{
    LeadId, UnitId,
    relations::{Graph, NodeKind, layout},
};
use serde::Deserialize;

use crate::pages::{Chrome, render};
use crate::{
    AppState,
    context::RequestContext,
    error::PageError,
    extract::PagePath,
    i18n::{self, Texts},
    session::Signed,
};

/// A node as the SVG draws it.
pub struct DrawnNode {
    pub kind: &'static str,
    pub kind_label: &'static str,
    pub label: String,
    pub short: String,
    pub detail: String,
    pub depth: u8,
    pub href: String,
    pub unfounded: bool,
    pub centre: bool,
    pub x: f32,
    pub y: f32,
    pub label_x: f32,
    pub label_y: f32,
    pub rotate: f32,
    pub anchor: &'static str,
}

pub struct DrawnEdge {
    pub x1: f32,
    pub y1: f32,
    pub x2: f32,
    pub y2: f32,
    pub kind: &'static str,
}

#[derive(Template)]
#[template(path = "relations/graph.html")]
struct GraphPage {
    t: &'static Texts,
    chrome: Chrome,
    title: &'static str,
    centre: String,
    /// Where the centre node is across the picture (the frame scrolls it into the middle).
    centre_x: f32,
    width: f32,
    height: f32,
    nodes: Vec<DrawnNode>,
    edges: Vec<DrawnEdge>,
    omitted: String,
    legend: Vec<(&'static str, &'static str)>,
}

fn drawn(g: &Graph, english: bool) -> (Vec<DrawnNode>, Vec<DrawnEdge>) {
    let nodes = g
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let l = layout::label(g, i);
            DrawnNode {
                kind: n.kind.code(),
                kind_label: n.kind.label(english),
                label: n.label.clone(),
                short: layout::short_label(&n.label),
                detail: n.detail.clone(),
                depth: n.depth,
                href: n.href.clone(),
                unfounded: n.unfounded,
                centre: i == 0,
                x: n.x,
                y: n.y,
                label_x: l.x,
                label_y: l.y,
                rotate: l.rotate,
                anchor: l.anchor.svg(),
            }
        })
        .collect();
    let edges = g
        .edges
        .iter()
        .map(|e| {
            let (a, b) = (&g.nodes[e.from], &g.nodes[e.to]);
            DrawnEdge { x1: a.x, y1: a.y, x2: b.x, y2: b.y, kind: e.kind.code() }
        })
        .collect();
    (nodes, edges)
}

async fn graph_page(
    state: &AppState,
    session: &app::SessionInfo,
    centre: Centre,
    here: String,
) -> Result<Html<String>, PageError> {
    let en = RequestContext::current().english;
    let t = i18n::texts(en);
    let reader = session.actor.ledger()?;
    let g = state.app.relations().graph(&reader, centre, en).await?;
    let title = match centre {
        Centre::Person(_) => t.relations.person_title,
        Centre::Lead(_) => t.relations.lead_title,
        Centre::Unit(_) => t.relations.unit_title,
    };
    let centre_label = g.nodes.first().map(|n| n.label.clone()).unwrap_or_default();
    let (nodes, edges) = drawn(&g, en);
    render(GraphPage {
        t,
        chrome: Chrome::new(session, t, here, "relations"),
        title,
        centre: centre_label,
        centre_x: g.nodes.first().map_or(0.0, |n| n.x),
        width: g.width,
        height: g.height,
        nodes,
        edges,
        omitted: if g.omitted > 0 { t.relations.omitted.replace("{n}", &g.omitted.to_string()) } else { String::new() },
        legend: NodeKind::ALL.iter().map(|k| (k.code(), k.label(en))).collect(),
    })
    .map(Html)
}

pub async fn view_relations_person_get(
    State(state): State<AppState>,
    Signed(session): Signed,
    PagePath(id): PagePath<i64>,
) -> Result<Html<String>, PageError> {
    graph_page(&state, &session, Centre::Person(id), format!("/relations/persons/{id}")).await
}

pub async fn view_relations_lead_get(
    State(state): State<AppState>,
    Signed(session): Signed,
    PagePath(id): PagePath<i64>,
) -> Result<Html<String>, PageError> {
    graph_page(&state, &session, Centre::Lead(LeadId::from_raw(id)), format!("/relations/leads/{id}")).await
}

pub async fn view_relations_unit_get(
    State(state): State<AppState>,
    Signed(session): Signed,
    PagePath(id): PagePath<i64>,
) -> Result<Html<String>, PageError> {
    graph_page(&state, &session, Centre::Unit(UnitId::from_raw(id)), format!("/relations/units/{id}")).await
}

#[derive(Debug, Default, Deserialize)]
pub struct FrequentParams {
    #[serde(default)]
    pub min: String,
    #[serde(default)]
    pub page: String,
}

#[derive(Template)]
#[template(path = "relations/frequent.html")]
struct FrequentPage {
    t: &'static Texts,
    chrome: Chrome,
    f: app::relations::Frequent,
    page_count: u32,
    prev_link: Option<String>,
    next_link: Option<String>,
}

/// The supervisors' list: persons named in at least `min` leads (2 unless a number says
/// otherwise: a list page never answers with an error for a bad number).
pub async fn view_relations_get(
    State(state): State<AppState>,
    Signed(session): Signed,
    Query(p): Query<FrequentParams>,
) -> Result<Html<String>, PageError> {
    let en = RequestContext::current().english;
    let t = i18n::texts(en);
    let min = p.min.trim().parse::<i64>().unwrap_or(2);
    let page = p.page.trim().parse::<u32>().unwrap_or(1);
    let f = state.app.relations().frequent(&session.actor, min, page).await?;
    let page_count = f.page_count();
    let link = |page: u32| format!("/relations?min={}&page={page}", f.min_leads);
    render(FrequentPage {
        t,
        chrome: Chrome::new(&session, t, link(f.page), "relations"),
        page_count,
        prev_link: (f.page > 1).then(|| link(f.page - 1)),
        next_link: (f.page < page_count).then(|| link(f.page + 1)),
        f,
    })
    .map(Html)
}
