use time::macros::date;

use super::*;

fn person(id: i64, name: &str, unit: &str) -> PersonFact {
    PersonFact { person: id, name: name.into(), unit_name: unit.into() }
}

fn lead(id: i64, unit: i64, on: Date, subjects: Vec<PersonFact>, reporter: Option<&str>) -> LeadFact {
    LeadFact {
        id: LeadId::from_raw(id),
        number: LeadNo::from_stored(format!("U{unit}-{}-{id:04}", on.year())),
        unit_id: UnitId::from_raw(unit),
        unit_name: format!("单位{unit}"),
        received_on: on,
        status: LeadStatus::Registered,
        finding: None,
        subjects,
        reporter: reporter.map(str::to_owned),
    }
}

/// 王某某 (person 1) named in three leads of two units over two years; 李某 (2) beside him in
/// one; one signed reporter behind two of them.
fn network() -> Vec<LeadFact> {
    let wang = || person(1, "王某某", "药剂科");
    let mut closed = lead(12, 20, date!(2024 - 03 - 01), vec![wang()], None);
    closed.status = LeadStatus::Concluded;
    closed.finding = Some(Finding::Unfounded);
    vec![
        lead(10, 20, date!(2026 - 05 - 01), vec![wang(), person(2, "李某", "设备科")], Some("a1b2c3d4e5f6a7b8")),
        lead(11, 30, date!(2025 - 02 - 01), vec![wang()], Some("a1b2c3d4e5f6a7b8")),
        closed,
    ]
}

fn at<'a>(g: &'a Graph, kind: NodeKind, key: &str) -> &'a Node {
    g.nodes.iter().find(|n| n.kind == kind && n.key == key).unwrap_or_else(|| panic!("no {kind} {key}"))
}

#[test]
fn a_person_shows_their_leads_and_what_stands_beside_each() {
    let g = build(&NodeRef::Person(1), &network(), false);
    assert_eq!((g.nodes[0].kind, g.nodes[0].label.as_str(), g.nodes[0].depth), (NodeKind::Person, "王某某", 0));
    let depth = |d| g.nodes.iter().filter(|n| n.depth == d).map(|n| (n.kind, n.key.clone())).collect::<Vec<_>>();
    assert_eq!(
        depth(1),
        [(NodeKind::Lead, "10".into()), (NodeKind::Lead, "11".into()), (NodeKind::Lead, "12".into())],
        "the leads naming them, latest first"
    );
    let second = depth(2);
    for want in [(NodeKind::Unit, "20"), (NodeKind::Unit, "30"), (NodeKind::Person, "2")] {
        assert!(second.contains(&(want.0, want.1.into())), "{want:?} at depth 2: {second:?}");
    }
    assert_eq!(second.iter().filter(|(k, _)| *k == NodeKind::Reporter).count(), 1, "one reporter behind two leads");
    assert_eq!(g.omitted, 0);
    assert_eq!(at(&g, NodeKind::Person, "1").detail, "药剂科 · 3 件");
    assert!(at(&g, NodeKind::Lead, "12").unfounded, "the lead closed as 查否 is marked");
    assert!(g.nodes[0].unfounded, "so is a person named in one");
    // Every node opens a page; every edge joins two drawn nodes.
    assert!(g.nodes.iter().all(|n| n.href.starts_with('/')), "{:?}", g.nodes);
    assert_eq!(at(&g, NodeKind::Lead, "11").href, "/leads/11");
    assert_eq!(at(&g, NodeKind::Unit, "30").href, "/relations/units/30");
    assert!(g.edges.iter().all(|e| e.from < g.nodes.len() && e.to < g.nodes.len() && e.from != e.to));
    let held = g.edges.iter().filter(|e| e.kind == EdgeKind::HeldBy).count();
    assert_eq!(held, 3, "each lead joined to its unit");
}

#[test]
fn a_reporter_is_shown_only_by_the_start_of_a_keyed_hash() {
    let g = build(&NodeRef::Lead(LeadId::from_raw(10)), &network(), false);
    let r = g.nodes.iter().find(|n| n.kind == NodeKind::Reporter).expect("the reporter");
    assert_eq!((r.key.as_str(), r.label.as_str(), r.detail.as_str()), ("a1b2c3", "反映人 #a1b2c3", "2 件"));
    assert!(!format!("{g:?}").contains("a1b2c3d4e5"), "never the whole hash");
    // Through the reporter, the other lead they reported is at depth 2.
    assert_eq!(at(&g, NodeKind::Lead, "11").depth, 2);
}

#[test]
fn the_same_facts_draw_the_same_picture_in_any_order() {
    let a = build(&NodeRef::Person(1), &network(), true);
    let mut shuffled = network();
    shuffled.reverse();
    let b = build(&NodeRef::Person(1), &shuffled, true);
    assert_eq!(a, b);
    assert_eq!(at(&a, NodeKind::Person, "1").detail, "药剂科 · 3 leads");
    assert_eq!(at(&a, NodeKind::Person, "2").detail, "设备科 · 1 lead");
}

/// A person named in 300 leads of 40 units, each lead with a co-subject.
fn crowd() -> Vec<LeadFact> {
    (0..300)
        .map(|i| {
            let subjects = vec![person(1, "王某某", "药剂科"), person(1000 + i, &format!("同案人{i}"), "设备科")];
            lead(100 + i, i % 40, date!(2026 - 01 - 01), subjects, None)
        })
        .collect()
}

#[test]
fn a_crowded_graph_is_cut_at_two_hundred_nodes_and_says_how_many_more() {
    let g = build(&NodeRef::Person(1), &crowd(), false);
    assert_eq!(g.nodes.len(), MAX_NODES);
    // 300 leads + 40 units + 300 co-subjects within depth 2, 199 drawn beside the centre.
    assert_eq!(g.omitted, 300 + 40 + 300 - (MAX_NODES - 1));
}

#[test]
fn two_hundred_nodes_stay_apart_and_on_the_page() {
    let facts: Vec<LeadFact> = crowd().into_iter().take(60).collect();
    let g = build(&NodeRef::Person(1), &facts, false);
    assert!(g.nodes.len() > 150, "{}", g.nodes.len());
    for (i, a) in g.nodes.iter().enumerate() {
        assert!(a.x >= 0.0 && a.y >= 0.0 && a.x <= g.width && a.y <= g.height, "{a:?} on the page");
        for b in &g.nodes[i + 1..] {
            let d = ((a.x - b.x).powi(2) + (a.y - b.y).powi(2)).sqrt();
            assert!(d >= layout::SPACING - 0.5, "{} and {} are {d} apart", a.label, b.label);
        }
    }
    // A lead's co-subject sits beside it: nearer to it than to the centre.
    let lead = at(&g, NodeKind::Lead, "100");
    let co = at(&g, NodeKind::Person, "1000");
    let c = &g.nodes[0];
    assert!((co.x - lead.x).hypot(co.y - lead.y) < (co.x - c.x).hypot(co.y - c.y));
}

#[test]
fn labels_read_outward_and_never_upside_down() {
    let facts: Vec<LeadFact> = crowd().into_iter().take(30).collect();
    let g = build(&NodeRef::Person(1), &facts, false);
    assert!(g.nodes.iter().filter(|n| n.depth == 1).count() > layout::LEVEL_LABELS);
    for i in 1..g.nodes.len() {
        let l = layout::label(&g, i);
        assert!((-90.0..=90.0).contains(&l.rotate), "{l:?}");
        let left = g.nodes[i].x < g.nodes[0].x - 0.01;
        assert_eq!(l.anchor == layout::Anchor::End, left, "{l:?} {:?}", g.nodes[i]);
    }
    // A few leads around the centre: their labels run level under them.
    let few = build(&NodeRef::Person(1), &network(), false);
    for i in 0..few.nodes.len() {
        let l = layout::label(&few, i);
        let level = few.nodes[i].depth < 2;
        assert_eq!(level, l.rotate == 0.0 && l.anchor == layout::Anchor::Middle, "{l:?} {:?}", few.nodes[i]);
    }
    assert_eq!(layout::short_label("RMYY1-2026-0012"), "RMYY1-2026-0012", "a lead number whole");
    assert_eq!(layout::short_label("市第一人民医院药剂科临床药学室主任办公室"), "市第一人民医院药剂科临床药学室…");
    assert_eq!(layout::short_label("王某某"), "王某某");
}
