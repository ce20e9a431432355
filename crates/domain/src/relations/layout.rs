//! Where each node of a relations graph is drawn: a radial tree. The centre sits in the middle,
//! depth 1 on an inner ring, depth 2 on an outer ring; each depth-1 node owns a sector in
//! proportion to its children, which spread across it, so a node's children sit beside it.
//! Labels run along the radius, so a ring holds as many labels as it has room for a line of
//! text each. Nothing here is random: the same graph is the same picture.

use std::f32::consts::TAU;

use super::Graph;

/// The least distance along a ring between two nodes' centres (a line of 11 px text).
pub const SPACING: f32 = 16.0;
/// The outer ring's least radius: room for the inner ring's labels between the rings.
const MIN_OUTER: f32 = 260.0;
/// Room outside the outer ring for its labels.
const MARGIN: f32 = 190.0;
/// Up to this many nodes on the inner ring, their labels run level under them (easier to read
/// than along the radius, and there is room).
pub const LEVEL_LABELS: usize = 16;
/// A depth-1 node's least share of the circle, in children's places: two keep depth-1 nodes as
/// far apart on the inner ring (half the radius) as children are on the outer.
const MIN_WEIGHT: usize = 2;
/// The most characters of a label drawn (a lead number whole; the rest is in the tooltip).
pub const LABEL_CHARS: usize = 16;

/// Places the nodes of `g`, whose `parents` give each node's parent in the breadth-first order
/// it was found in (the centre has none), and sets the picture's size.
pub fn place(g: &mut Graph, parents: &[Option<usize>]) {
    let n = g.nodes.len();
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, p) in parents.iter().enumerate() {
        if let Some(p) = p {
            children[*p].push(i);
        }
    }
    let ring1: Vec<usize> = children.first().cloned().unwrap_or_default();
    let weight = |i: usize| children[i].len().max(MIN_WEIGHT);
    let total: usize = ring1.iter().map(|i| weight(*i)).sum::<usize>().max(1);
    let outer = (SPACING * total as f32 / TAU).max(MIN_OUTER);
    let inner = outer / 2.0;
    let centre = outer + MARGIN;
    let step = TAU / total as f32;
    let at = |radius: f32, angle: f32| (centre + radius * angle.cos(), centre + radius * angle.sin());
    // Start at the top and go clockwise, as a clock face is read.
    let mut from = -TAU / 4.0;
    if let Some(c) = g.nodes.first_mut() {
        (c.x, c.y) = (centre, centre);
    }
    for &i in &ring1 {
        let sector = step * weight(i) as f32;
        (g.nodes[i].x, g.nodes[i].y) = at(inner, from + sector / 2.0);
        let kids = &children[i];
        let gap = sector / kids.len().max(1) as f32;
        for (k, &j) in kids.iter().enumerate() {
            (g.nodes[j].x, g.nodes[j].y) = at(outer, from + gap * (k as f32 + 0.5));
        }
        from += sector;
    }
    // The picture is cut to what is drawn (a few nodes leave most of the circle empty), with
    // room around for the labels.
    let (mut left, mut top, mut right, mut bottom) = (centre, centre, centre, centre);
    for n in &g.nodes {
        (left, right) = (left.min(n.x), right.max(n.x));
        (top, bottom) = (top.min(n.y), bottom.max(n.y));
    }
    for node in &mut g.nodes {
        node.x = round(node.x - left + MARGIN);
        node.y = round(node.y - top + MARGIN);
    }
    g.width = round(right - left + 2.0 * MARGIN);
    g.height = round(bottom - top + 2.0 * MARGIN);
}

fn round(v: f32) -> f32 {
    (v * 10.0).round() / 10.0
}

/// Which point of a label's text sits at its place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    Start,
    Middle,
    End,
}

impl Anchor {
    /// As SVG's `text-anchor` names it.
    pub fn svg(self) -> &'static str {
        match self {
            Anchor::Start => "start",
            Anchor::Middle => "middle",
            Anchor::End => "end",
        }
    }
}

/// How a node's label is drawn: from (`x`, `y`), turned by `rotate` degrees about that point,
/// anchored at its end on the left half (so no label is upside down).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LabelPlacement {
    pub x: f32,
    pub y: f32,
    pub rotate: f32,
    pub anchor: Anchor,
}

/// The label of node `i`: the centre's under it, level, and so the inner ring's when it holds
/// few; the others along the radius, outward.
pub fn label(g: &Graph, i: usize) -> LabelPlacement {
    let node = &g.nodes[i];
    let (cx, cy) = (g.nodes[0].x, g.nodes[0].y);
    if i == 0 {
        return LabelPlacement { x: node.x, y: node.y + 30.0, rotate: 0.0, anchor: Anchor::Middle };
    }
    let inner = g.nodes.iter().filter(|n| n.depth == 1).count();
    if node.depth == 1 && inner <= LEVEL_LABELS {
        return LabelPlacement { x: node.x, y: node.y + 18.0, rotate: 0.0, anchor: Anchor::Middle };
    }
    let angle = (node.y - cy).atan2(node.x - cx);
    let left = angle.cos() < -1e-3;
    let offset = 12.0;
    let (x, y) = (node.x + offset * angle.cos(), node.y + offset * angle.sin());
    let mut degrees = angle.to_degrees();
    if left {
        // Turned half a circle, the text reads left to right and ends at the node.
        degrees += if degrees > 0.0 { -180.0 } else { 180.0 };
    }
    LabelPlacement {
        x: round(x),
        y: round(y),
        rotate: round(degrees),
        anchor: if left { Anchor::End } else { Anchor::Start },
    }
}

/// A label cut to [`LABEL_CHARS`] characters, with an ellipsis when cut.
pub fn short_label(label: &str) -> String {
    if label.chars().count() <= LABEL_CHARS {
        return label.to_owned();
    }
    let mut s: String = label.chars().take(LABEL_CHARS - 1).collect();
    s.push('…');
    s
}
