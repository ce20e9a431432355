//! Relations (关系网): persons, leads, units and reporters as one graph, so that a review can see
//! whether the "protective umbrella" and its network were dug out (seed 二(四)): the same person
//! across leads, units and years, co-subjects, and reports from the same reporter. A reporter is
//! known here only by a keyed hash of their sealed identity, never by who they are.
//!
//! The graph is built from facts about leads the caller may read, breadth first from its
//! centre to depth 2, and laid out here (`layout`), so the same facts always draw the same
//! picture.

pub mod layout;

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;
use time::Date;

use crate::{
    LeadId, UnitId, labelled_enum,
    ledger::{lead::LeadStatus, lead_no::LeadNo},
    lifecycle::conclusion::Finding,
};

labelled_enum!(
    /// What a node of the graph stands for.
    NodeKind {
        Person = ("person", "被反映人", "Person named"),
        Lead = ("lead", "问题线索", "Lead"),
        Unit = ("unit", "单位", "Unit"),
        Reporter = ("reporter", "反映人", "Reporter"),
    }
);

/// A node's identity: its kind and its key (a person's, lead's or unit's id; a reporter's hash).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NodeRef {
    Person(i64),
    Lead(LeadId),
    Unit(UnitId),
    Reporter(String),
}

impl NodeRef {
    pub fn kind(&self) -> NodeKind {
        match self {
            NodeRef::Person(_) => NodeKind::Person,
            NodeRef::Lead(_) => NodeKind::Lead,
            NodeRef::Unit(_) => NodeKind::Unit,
            NodeRef::Reporter(_) => NodeKind::Reporter,
        }
    }
}

/// A subject of a lead, as the person registry knows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonFact {
    pub person: i64,
    pub name: String,
    pub unit_name: String,
}

/// What the graph knows of one lead the caller may read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeadFact {
    pub id: LeadId,
    pub number: LeadNo,
    pub unit_id: UnitId,
    pub unit_name: String,
    pub received_on: Date,
    pub status: LeadStatus,
    pub finding: Option<Finding>,
    pub subjects: Vec<PersonFact>,
    /// The keyed hash of the reporter's sealed identity (a signed reporter's only).
    pub reporter: Option<String>,
}

/// A person named in several leads in the caller's scope (the supervisors' list), with the
/// name and unit as those leads give them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct FrequentPerson {
    pub person: i64,
    pub name: String,
    pub unit_name: String,
    pub leads: i64,
    /// How many units hold those leads.
    pub units: i64,
    pub first_received: String,
    pub last_received: String,
}

/// A node as drawn: where, what it says, and where it leads.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Node {
    pub kind: NodeKind,
    /// The id of the person, lead or unit; a reporter's is the start of their hash.
    pub key: String,
    pub label: String,
    pub detail: String,
    /// Hops from the centre (0–2).
    pub depth: u8,
    /// The page this node opens.
    pub href: String,
    /// A lead closed as 查否, or a person in such a lead: drawn dashed for the reviewer.
    pub unfounded: bool,
    pub x: f32,
    pub y: f32,
}

labelled_enum!(
    /// What joins two nodes.
    EdgeKind {
        Names = ("names", "反映", "names"),
        HeldBy = ("held_by", "承办", "held by"),
        ReportedBy = ("reported_by", "举报", "reported by"),
    }
);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Edge {
    pub from: usize,
    pub to: usize,
    pub kind: EdgeKind,
}

/// A graph to depth 2 around `nodes[0]`, laid out on `width` × `height`.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Graph {
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
    /// Nodes within depth 2 left out to keep the picture readable.
    pub omitted: usize,
    pub width: f32,
    pub height: f32,
}

/// The most nodes drawn.
pub const MAX_NODES: usize = 200;
/// The most drawn at depth 1, so that some of what stands beside them is drawn too.
pub const MAX_RING1: usize = 100;

/// How many characters of a reporter's hash name them (enough to tell reporters apart in one
/// graph, too few to look up).
const REPORTER_KEY_CHARS: usize = 6;

struct Adjacency<'a> {
    facts: HashMap<LeadId, &'a LeadFact>,
    next: BTreeMap<NodeRef, Vec<(NodeRef, EdgeKind)>>,
}

impl<'a> Adjacency<'a> {
    fn of(facts: &'a [LeadFact]) -> Self {
        let mut next: BTreeMap<NodeRef, Vec<(NodeRef, EdgeKind)>> = BTreeMap::new();
        let mut join = |a: NodeRef, b: NodeRef, kind| {
            next.entry(a.clone()).or_default().push((b.clone(), kind));
            next.entry(b).or_default().push((a, kind));
        };
        for f in facts {
            let lead = NodeRef::Lead(f.id);
            join(lead.clone(), NodeRef::Unit(f.unit_id), EdgeKind::HeldBy);
            for s in &f.subjects {
                join(NodeRef::Person(s.person), lead.clone(), EdgeKind::Names);
            }
            if let Some(r) = &f.reporter {
                join(lead.clone(), NodeRef::Reporter(r.clone()), EdgeKind::ReportedBy);
            }
        }
        for list in next.values_mut() {
            list.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.code().cmp(b.1.code())));
            list.dedup();
        }
        Self { facts: facts.iter().map(|f| (f.id, f)).collect(), next }
    }

    /// Neighbours in drawing order: leads latest first, then the rest by key.
    fn around(&self, n: &NodeRef) -> Vec<&(NodeRef, EdgeKind)> {
        let mut out: Vec<_> = self.next.get(n).map(|v| v.iter().collect()).unwrap_or_default();
        out.sort_by_key(|(r, _)| match r {
            NodeRef::Lead(id) => (0, self.facts.get(id).map(|f| std::cmp::Reverse(f.received_on)), r.clone()),
            other => (1, None, other.clone()),
        });
        out
    }
}

/// The graph around `centre` from `facts` (every lead within two hops that the caller may read):
/// breadth first, nearest and latest first, at most [`MAX_NODES`] nodes.
pub fn build(centre: &NodeRef, facts: &[LeadFact], english: bool) -> Graph {
    let adj = Adjacency::of(facts);
    // Everything within two hops, breadth first: (node, depth, parent).
    let mut reached: Vec<(NodeRef, u8, Option<usize>)> = vec![(centre.clone(), 0, None)];
    let mut seen: HashMap<NodeRef, usize> = HashMap::from([(centre.clone(), 0)]);
    let mut at = 0;
    while at < reached.len() {
        let (node, depth, _) = reached[at].clone();
        if depth < 2 {
            for (next, _) in adj.around(&node) {
                if !seen.contains_key(next) {
                    seen.insert(next.clone(), reached.len());
                    reached.push((next.clone(), depth + 1, Some(at)));
                }
            }
        }
        at += 1;
    }
    // Drawn: the centre, its nearest neighbours (room kept for theirs), then theirs.
    let mut index: HashMap<usize, usize> = HashMap::from([(0, 0)]);
    let mut order: Vec<usize> = vec![0];
    for (i, (_, depth, _)) in reached.iter().enumerate() {
        if *depth == 1 && order.len() <= MAX_RING1 {
            index.insert(i, order.len());
            order.push(i);
        }
    }
    for (i, (_, depth, parent)) in reached.iter().enumerate() {
        if *depth == 2 && order.len() < MAX_NODES && parent.is_some_and(|p| index.contains_key(&p)) {
            index.insert(i, order.len());
            order.push(i);
        }
    }
    let mut edges = Vec::new();
    for (i, &r) in order.iter().enumerate() {
        for (next, kind) in adj.next.get(&reached[r].0).into_iter().flatten() {
            if let Some(j) = seen.get(next).and_then(|s| index.get(s))
                && i < *j
            {
                edges.push(Edge { from: i, to: *j, kind: *kind });
            }
        }
    }
    let person_facts: HashMap<i64, (&PersonFact, usize, bool)> = person_summary(facts);
    let nodes = order.iter().map(|&r| describe(&reached[r].0, reached[r].1, &adj, &person_facts, english)).collect();
    let parents: Vec<Option<usize>> =
        order.iter().map(|&r| reached[r].2.and_then(|p| index.get(&p).copied())).collect();
    let mut g = Graph { nodes, edges, omitted: reached.len() - order.len(), width: 0.0, height: 0.0 };
    layout::place(&mut g, &parents);
    g
}

/// Each person's registry facts, in how many of the leads they are named, and whether any of
/// those was closed as unfounded.
fn person_summary(facts: &[LeadFact]) -> HashMap<i64, (&PersonFact, usize, bool)> {
    let mut out: HashMap<i64, (&PersonFact, usize, bool)> = HashMap::new();
    for f in facts {
        let unfounded = crate::ledger::repeats::closed_unfounded(f.status, f.finding);
        for s in &f.subjects {
            let e = out.entry(s.person).or_insert((s, 0, false));
            e.1 += 1;
            e.2 |= unfounded;
        }
    }
    out
}

fn describe(
    r: &NodeRef,
    depth: u8,
    adj: &Adjacency<'_>,
    persons: &HashMap<i64, (&PersonFact, usize, bool)>,
    english: bool,
) -> Node {
    let node = |key: String, label: String, detail: String, href: String, unfounded: bool| Node {
        kind: r.kind(),
        key,
        label,
        detail,
        depth,
        href,
        unfounded,
        x: 0.0,
        y: 0.0,
    };
    match r {
        NodeRef::Person(id) => {
            let (label, detail, unfounded) = match persons.get(id) {
                Some((p, n, unfounded)) => (p.name.clone(), leads_count(&p.unit_name, *n, english), *unfounded),
                None => (format!("#{id}"), String::new(), false),
            };
            node(id.to_string(), label, detail, format!("/relations/persons/{id}"), unfounded)
        }
        NodeRef::Lead(id) => {
            let f = adj.facts[id];
            let detail = format!("{} · {}", f.received_on.year(), f.status.label(english));
            let unfounded = crate::ledger::repeats::closed_unfounded(f.status, f.finding);
            node(id.to_string(), f.number.to_string(), detail, format!("/leads/{id}"), unfounded)
        }
        NodeRef::Unit(id) => {
            let name = adj
                .next
                .get(r)
                .and_then(|v| {
                    v.iter().find_map(|(n, _)| if let NodeRef::Lead(l) = n { adj.facts.get(l) } else { None })
                })
                .map(|f| f.unit_name.clone())
                .unwrap_or_default();
            node(id.to_string(), name, String::new(), format!("/relations/units/{id}"), false)
        }
        NodeRef::Reporter(hash) => {
            let short: String = hash.chars().take(REPORTER_KEY_CHARS).collect();
            let reported: Vec<LeadId> = adj
                .next
                .get(r)
                .into_iter()
                .flatten()
                .filter_map(|(n, _)| if let NodeRef::Lead(l) = n { Some(*l) } else { None })
                .collect();
            let label = if english { format!("Reporter #{short}") } else { format!("反映人 #{short}") };
            let detail =
                if english { format!("{} reports", reported.len()) } else { format!("{} 件", reported.len()) };
            // A reporter has no page of their own: their first report's graph shows them.
            let href = reported.first().map(|l| format!("/relations/leads/{l}")).unwrap_or_default();
            node(short, label, detail, href, false)
        }
    }
}

fn leads_count(unit: &str, n: usize, english: bool) -> String {
    match (english, n) {
        (false, n) => format!("{unit} · {n} 件"),
        (true, 1) => format!("{unit} · 1 lead"),
        (true, n) => format!("{unit} · {n} leads"),
    }
}

#[cfg(test)]
mod tests;
