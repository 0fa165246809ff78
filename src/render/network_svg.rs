//! An actor network drawn as a static SVG: nodes (actors, each a link to its page, sized
//! by weight), weighted lines between them (width by weight, labelled with the count),
//! a `<title>` and `<desc>` as its text alternative. A pure function of its input: the
//! same network gives the same bytes (coordinates are rounded to one decimal).
//!
//! Layout comes from `network_layout`, labels from `network_labels`; colours come from
//! the theme's CSS classes (`.network …`), so the picture follows light and dark mode.

use std::cmp::Reverse;
use std::fmt::Write as _;
use std::hash::{Hash, Hasher};

use super::network_labels::{
    forms, make_room, place_counts, place_names, text_width, Anchor, Disc, Label, Rect, NAME_SIZE,
};
use super::network_layout::{stress_layout, Spring};
use crate::escape::html as esc;
use crate::i18n::Locale;

/// One actor in a network.
#[derive(Debug, Clone, Hash)]
pub struct NetNode<'a> {
    /// The actor's name (the label; shortened or left out where it does not fit).
    pub name: &'a str,
    /// The actor's page.
    pub url: &'a str,
    /// What sizes the node (shared briefs and events, or briefs).
    pub weight: usize,
    /// The node's accessible name, in full (`Iran: 14 shared briefs and events`).
    pub label: String,
}

/// A line between two nodes (indexes into the nodes).
#[derive(Debug, Clone, Copy, Hash, PartialEq, Eq)]
pub struct NetEdge {
    /// One end.
    pub a: usize,
    /// The other end.
    pub b: usize,
    /// Shared briefs and events: the line's label and width.
    pub weight: usize,
}

/// A network to draw.
#[derive(Debug, Clone)]
pub struct Network<'a> {
    /// The nodes; the first ones draw their labels first.
    pub nodes: Vec<NetNode<'a>>,
    /// The lines; the first ones get their counts first.
    pub edges: Vec<NetEdge>,
    /// The node of the page the picture is on, if any (drawn as the current page).
    pub centre: Option<usize>,
    /// The picture's title.
    pub title: String,
    /// The picture's description.
    pub description: String,
    /// The language of its labels.
    pub locale: &'a Locale,
}

impl Hash for Network<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        (&self.nodes, &self.edges, self.centre, &self.title).hash(state);
        (&self.description, self.locale.code()).hash(state);
    }
}

/// Layout units to SVG units.
const UNIT: f64 = 110.0;
/// Smallest and largest node radius.
const R_MIN: f64 = 5.0;
const R_MAX: f64 = 14.0;
/// Thinnest and thickest line.
const W_MIN: f64 = 1.0;
const W_MAX: f64 = 6.0;
/// Empty room around the drawing.
const MARGIN: f64 = 6.0;

/// `n shared briefs and events`, for labels and titles.
pub fn shared_phrase(locale: &Locale, n: usize) -> String {
    locale.count("shared_briefs", n, &[])
}

/// The network as an SVG element (empty for a network without nodes).
pub fn render(net: &Network) -> String {
    if net.nodes.is_empty() {
        return String::new();
    }
    let max = net.edges.iter().map(|e| e.weight).max().unwrap_or(1).max(1) as f64;
    let springs: Vec<Spring> = net
        .edges
        .iter()
        .map(|e| Spring {
            a: e.a,
            b: e.b,
            // The strongest tie is one unit long, the weakest about 1.6.
            length: 1.6 - 0.6 * (e.weight as f64 / max).sqrt(),
        })
        .collect();
    draw(net, &stress_layout(net.nodes.len(), &springs))
}

/// The network drawn with its nodes at `positions` (layout units, one per node).
pub fn draw(net: &Network, positions: &[[f64; 2]]) -> String {
    let Some(plan) = Plan::new(net, positions) else {
        return String::new();
    };
    let Plan {
        discs,
        edges,
        names,
        counts,
        frame,
    } = &plan;
    let mut svg = String::with_capacity(256 * discs.len() + 128 * edges.len());
    let _ = write!(
        svg,
        r#"<svg class="network" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="group" aria-labelledby="network-title" aria-describedby="network-desc"><title id="network-title">{title}</title><desc id="network-desc">{desc}</desc>"#,
        w = num(frame.w),
        h = num(frame.h),
        title = esc(&net.title),
        desc = esc(&net.description),
    );
    draw_edges(&mut svg, net, &plan);
    svg.push_str(r#"<g class="net-counts" aria-hidden="true">"#);
    for label in counts.iter().flatten() {
        draw_text(&mut svg, label, frame);
    }
    svg.push_str(r#"</g><g class="net-nodes">"#);
    for (i, d) in discs.iter().enumerate() {
        let node = &net.nodes[i];
        let current = if Some(i) == net.centre {
            r#" class="net-centre" aria-current="page""#
        } else {
            ""
        };
        let _ = write!(
            svg,
            r#"<a href="{}"{current}><title>{}</title><circle cx="{}" cy="{}" r="{}"/>"#,
            esc(node.url),
            esc(&node.label),
            num(d.x - frame.x),
            num(d.y - frame.y),
            num(d.r),
        );
        if let Some(label) = &names[i] {
            draw_text(&mut svg, label, frame);
        }
        svg.push_str("</a>");
    }
    svg.push_str("</g></svg>");
    svg
}

/// Everything placed, in drawing units, before it is written out.
struct Plan {
    /// The nodes.
    discs: Vec<Disc>,
    /// The lines between nodes that exist.
    edges: Vec<NetEdge>,
    /// Each node's name label, where one fits.
    names: Vec<Option<Label>>,
    /// Each line's count label, where one fits.
    counts: Vec<Option<Label>>,
    /// The bounds of it all.
    frame: Frame,
}

impl Plan {
    fn new(net: &Network, positions: &[[f64; 2]]) -> Option<Plan> {
        let n = net.nodes.len().min(positions.len());
        if n == 0 {
            return None;
        }
        let heaviest = net.nodes.iter().map(|x| x.weight).max().unwrap_or(1).max(1) as f64;
        let mut discs: Vec<Disc> = (0..n)
            .map(|i| Disc {
                x: finite(positions[i][0]) * UNIT,
                y: finite(positions[i][1]) * UNIT,
                r: R_MIN + (R_MAX - R_MIN) * (net.nodes[i].weight as f64 / heaviest).sqrt(),
            })
            .collect();
        // Room for each name (in its short form) to the right of its node.
        let room: Vec<f64> = net.nodes[..n]
            .iter()
            .map(|x| {
                forms(x.name)
                    .last()
                    .map_or(0.0, |f| text_width(f, NAME_SIZE))
            })
            .collect();
        make_room(&mut discs, &room);
        let texts: Vec<&str> = net.nodes[..n].iter().map(|x| x.name).collect();
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by_key(|&i| (Some(i) != net.centre, Reverse(net.nodes[i].weight), i));
        let edges: Vec<NetEdge> = net
            .edges
            .iter()
            .copied()
            .filter(|e| e.a < n && e.b < n && e.a != e.b)
            .collect();
        let segments: Vec<[f64; 4]> = edges
            .iter()
            .map(|e| [discs[e.a].x, discs[e.a].y, discs[e.b].x, discs[e.b].y])
            .collect();
        let names = place_names(&discs, &texts, &order, &segments);
        let lines: Vec<(usize, usize, String)> = edges
            .iter()
            .map(|e| (e.a, e.b, e.weight.to_string()))
            .collect();
        // Lines to the page's own node first, then the heaviest.
        let touches_centre = |e: &NetEdge| net.centre.is_some_and(|c| e.a == c || e.b == c);
        let mut by_weight: Vec<usize> = (0..edges.len()).collect();
        by_weight.sort_by_key(|&k| (!touches_centre(&edges[k]), Reverse(edges[k].weight), k));
        let counts = place_counts(&discs, &lines, &by_weight, &names);
        let frame = Frame::around(&discs, names.iter().chain(&counts).flatten());
        Some(Plan {
            discs,
            edges,
            names,
            counts,
            frame,
        })
    }
}

/// The lines, thickest last (so that they draw on top); a line whose count found no
/// room for a label carries it in a `<title>` (a tooltip) instead.
fn draw_edges(svg: &mut String, net: &Network, plan: &Plan) {
    let Plan {
        edges,
        discs,
        counts,
        frame,
        ..
    } = plan;
    let max = edges.iter().map(|e| e.weight).max().unwrap_or(1).max(1) as f64;
    let mut order: Vec<usize> = (0..edges.len()).collect();
    order.sort_by_key(|&k| (edges[k].weight, edges[k].a, edges[k].b));
    svg.push_str(r#"<g class="net-edges" aria-hidden="true">"#);
    for k in order {
        let e = edges[k];
        let (p, q) = (discs[e.a], discs[e.b]);
        let width = W_MIN + (W_MAX - W_MIN) * (e.weight as f64 / max).sqrt();
        let _ = write!(
            svg,
            r#"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke-width="{}""#,
            num(p.x - frame.x),
            num(p.y - frame.y),
            num(q.x - frame.x),
            num(q.y - frame.y),
            num(width),
        );
        if counts[k].is_some() {
            svg.push_str("/>");
        } else {
            let title = net.locale.format(
                "network_tie",
                &[
                    ("a", net.nodes[e.a].name),
                    ("b", net.nodes[e.b].name),
                    ("shared", &shared_phrase(net.locale, e.weight)),
                ],
            );
            let _ = write!(svg, "><title>{}</title></line>", esc(&title));
        }
    }
    svg.push_str("</g>");
}

fn draw_text(svg: &mut String, label: &Label, frame: &Frame) {
    let anchor = match label.anchor {
        Anchor::Start => "",
        Anchor::Middle => r#" text-anchor="middle""#,
        Anchor::End => r#" text-anchor="end""#,
    };
    let _ = write!(
        svg,
        r#"<text x="{}" y="{}"{anchor}>{}</text>"#,
        num(label.x - frame.x),
        num(label.y - frame.y),
        esc(&label.text),
    );
}

/// The drawing's bounds: its top-left corner becomes (0, 0).
struct Frame {
    x: f64,
    y: f64,
    w: f64,
    h: f64,
}

impl Frame {
    fn around<'l>(discs: &[Disc], labels: impl Iterator<Item = &'l Label>) -> Frame {
        let mut boxes: Vec<Rect> = discs
            .iter()
            .map(|d| Rect {
                x: d.x - d.r,
                y: d.y - d.r,
                w: 2.0 * d.r,
                h: 2.0 * d.r,
            })
            .collect();
        boxes.extend(labels.map(|l| l.rect));
        let left = boxes.iter().map(|b| b.x).fold(f64::INFINITY, f64::min);
        let top = boxes.iter().map(|b| b.y).fold(f64::INFINITY, f64::min);
        let right = boxes
            .iter()
            .map(|b| b.x + b.w)
            .fold(f64::NEG_INFINITY, f64::max);
        let bottom = boxes
            .iter()
            .map(|b| b.y + b.h)
            .fold(f64::NEG_INFINITY, f64::max);
        // Whole units, so that every coordinate rounds the same way wherever the
        // drawing sits.
        let x = (left - MARGIN).floor();
        let y = (top - MARGIN).floor();
        Frame {
            x,
            y,
            w: (right + MARGIN - x).ceil(),
            h: (bottom + MARGIN - y).ceil(),
        }
    }
}

/// `v`, or 0 for a value that is not a number or infinite.
fn finite(v: f64) -> f64 {
    if v.is_finite() {
        v
    } else {
        0.0
    }
}

/// A coordinate rounded to one decimal, without a trailing `.0` or a negative zero.
fn num(v: f64) -> String {
    let s = format!("{v:.1}");
    let s = s.strip_suffix(".0").unwrap_or(&s);
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::english_ref;

    fn node(name: &str, weight: usize) -> NetNode<'_> {
        NetNode {
            name,
            url: "/actors/x/",
            weight,
            label: format!("{name}: {}", shared_phrase(english_ref(), weight)),
        }
    }

    /// A crowded network: `n` nodes, each joined to the next three.
    fn crowded(names: &[String]) -> Network<'_> {
        let n = names.len();
        Network {
            nodes: names
                .iter()
                .enumerate()
                .map(|(i, s)| node(s, 1 + i % 9))
                .collect(),
            edges: (0..n)
                .flat_map(|a| {
                    (1..4).map(move |k| NetEdge {
                        a,
                        b: (a + k) % n,
                        weight: 1 + (a * k) % 7,
                    })
                })
                .collect(),
            centre: Some(0),
            title: "Title".into(),
            description: "Description".into(),
            locale: english_ref(),
        }
    }

    fn names(n: usize) -> Vec<String> {
        (0..n)
            .map(|i| format!("Actor {i} with a long name"))
            .collect()
    }

    #[test]
    fn same_network_same_bytes() {
        let names = names(40);
        let (a, b) = (crowded(&names), crowded(&names));
        let svg = render(&a);
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert_eq!(svg, render(&b));
    }

    #[test]
    fn no_label_overlaps_a_label_or_a_node() {
        for n in [2, 13, 40, 120] {
            let names = names(n);
            let net = crowded(&names);
            let springs: Vec<Spring> = net
                .edges
                .iter()
                .map(|e| Spring {
                    a: e.a,
                    b: e.b,
                    length: 1.0,
                })
                .collect();
            let plan = Plan::new(&net, &stress_layout(n, &springs)).unwrap();
            let boxes: Vec<Rect> = plan
                .names
                .iter()
                .chain(&plan.counts)
                .flatten()
                .map(|l| l.rect)
                .collect();
            assert!(
                plan.names.iter().flatten().count() > n / 2,
                "most names placed at {n}"
            );
            for (i, a) in boxes.iter().enumerate() {
                assert!(
                    boxes[i + 1..].iter().all(|b| !a.overlaps(b)),
                    "labels overlap at {n}"
                );
                assert!(
                    plan.discs.iter().all(|d| !a.hits_circle(d.x, d.y, d.r)),
                    "label on a node at {n}"
                );
            }
            for (i, p) in plan.discs.iter().enumerate() {
                for q in &plan.discs[i + 1..] {
                    assert!(
                        (p.x - q.x).hypot(p.y - q.y) >= p.r + q.r,
                        "nodes overlap at {n}"
                    );
                }
            }
        }
    }

    #[test]
    fn names_are_escaped_and_every_node_has_its_accessible_name() {
        let names = vec!["<b>\"Q&A\"</b>".to_string(), "Iran".to_string()];
        let mut net = crowded(&names);
        net.edges = vec![NetEdge {
            a: 0,
            b: 1,
            weight: 14,
        }];
        net.title = "A & B".into();
        let svg = render(&net);
        assert!(!svg.contains("<b>"), "{svg}");
        assert!(
            svg.contains("&lt;b&gt;&quot;Q&amp;A&quot;&lt;/b&gt;"),
            "{svg}"
        );
        assert!(
            svg.contains("<title id=\"network-title\">A &amp; B</title>"),
            "{svg}"
        );
        assert!(
            svg.contains("<title>Iran: 2 shared briefs and events</title>"),
            "{svg}"
        );
        assert!(svg.contains(">14</text>"), "the line is labelled: {svg}");
        assert_eq!(svg.matches("<a href=").count(), 2);
        assert_eq!(svg.matches("aria-current=\"page\"").count(), 1);
    }

    #[test]
    fn a_line_without_room_for_its_count_carries_it_in_a_title() {
        let names = names(120);
        let net = crowded(&names);
        let springs: Vec<Spring> = net
            .edges
            .iter()
            .map(|e| Spring {
                a: e.a,
                b: e.b,
                length: 1.0,
            })
            .collect();
        let positions = stress_layout(120, &springs);
        let plan = Plan::new(&net, &positions).unwrap();
        let svg = draw(&net, &positions);
        let unlabelled = plan.counts.iter().filter(|c| c.is_none()).count();
        assert!(unlabelled > 0);
        assert_eq!(svg.matches("</line>").count(), unlabelled);
        assert_eq!(svg.matches("<line").count(), plan.edges.len());
    }

    #[test]
    fn positions_that_are_not_numbers_do_not_panic() {
        let names = names(3);
        let net = crowded(&names);
        let svg = draw(
            &net,
            &[
                [f64::NAN, 0.0],
                [f64::INFINITY, 1.0],
                [0.0, f64::NEG_INFINITY],
            ],
        );
        assert!(svg.starts_with("<svg") && !svg.contains("NaN") && !svg.contains("inf"));
    }

    #[test]
    fn coordinates_have_one_decimal_at_most() {
        assert_eq!(num(12.0), "12");
        assert_eq!(num(-0.04), "0");
        assert_eq!(num(2.46), "2.5");
        assert_eq!(
            render(&Network {
                nodes: vec![],
                ..crowded(&[])
            }),
            ""
        );
    }
}
