//! Where the labels of an actor network go, so that none covers another or a node
//! (after [`make_room`] has moved the nodes apart enough for their names to fit):
//! greedy placement, most important first, among eight places around each node (names)
//! or seven points along each line (counts); of the places that are free, the one that
//! the fewest lines cross wins (the first on a tie). A name that fits nowhere is
//! shortened at a word, then left out; a count that fits nowhere is left out. The node's
//! `<title>` always has the full name, and a line without its count gets it as its
//! `<title>`. Text widths are estimated from character classes, on the wide side, since
//! the reader's font is unknown.

/// A rectangle: left, top, width, height.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// Width.
    pub w: f64,
    /// Height.
    pub h: f64,
}

impl Rect {
    /// Whether two rectangles overlap (touching edges do not).
    pub fn overlaps(&self, o: &Rect) -> bool {
        self.x < o.x + o.w && o.x < self.x + self.w && self.y < o.y + o.h && o.y < self.y + self.h
    }

    /// Whether the segment from `(x1, y1)` to `(x2, y2)` passes through the rectangle
    /// (Liang–Barsky clipping).
    pub fn crossed_by(&self, [x1, y1, x2, y2]: [f64; 4]) -> bool {
        let (dx, dy) = (x2 - x1, y2 - y1);
        let (mut t0, mut t1) = (0.0_f64, 1.0_f64);
        for (p, q) in [
            (-dx, x1 - self.x),
            (dx, self.x + self.w - x1),
            (-dy, y1 - self.y),
            (dy, self.y + self.h - y1),
        ] {
            if p == 0.0 {
                if q < 0.0 {
                    return false;
                }
            } else {
                let t = q / p;
                if p < 0.0 {
                    t0 = t0.max(t);
                } else {
                    t1 = t1.min(t);
                }
            }
        }
        t0 < t1
    }

    /// Whether the rectangle overlaps the circle at `(cx, cy)` of radius `r`.
    pub fn hits_circle(&self, cx: f64, cy: f64, r: f64) -> bool {
        // `max`/`min` rather than `clamp`, which panics on NaN.
        let nx = cx.max(self.x).min(self.x + self.w);
        let ny = cy.max(self.y).min(self.y + self.h);
        (nx - cx).powi(2) + (ny - cy).powi(2) < r * r
    }
}

/// A node as labels see it: centre and radius.
#[derive(Debug, Clone, Copy)]
pub struct Disc {
    /// Centre, x.
    pub x: f64,
    /// Centre, y.
    pub y: f64,
    /// Radius.
    pub r: f64,
}

/// How a label's text sits on its anchor point (SVG `text-anchor`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    /// The text starts at the point.
    Start,
    /// The text is centred on the point.
    Middle,
    /// The text ends at the point.
    End,
}

/// A placed label.
#[derive(Debug, Clone, PartialEq)]
pub struct Label {
    /// The text shown (the name, or its shortened form).
    pub text: String,
    /// Where the text is anchored (its baseline).
    pub x: f64,
    /// The baseline.
    pub y: f64,
    /// How the text sits on `x`.
    pub anchor: Anchor,
    /// The box the text takes.
    pub rect: Rect,
}

/// Font size of names, in SVG units.
pub const NAME_SIZE: f64 = 12.0;
/// Font size of counts on lines.
pub const COUNT_SIZE: f64 = 11.0;
/// Room kept between a label and what is near it.
const PAD: f64 = 2.0;
/// Shortened names keep at most this many characters before the ellipsis.
const SHORT_CHARS: usize = 16;

/// The width of `text` at `size`, estimated on the wide side of common sans-serif fonts.
pub fn text_width(text: &str, size: f64) -> f64 {
    let ems: f64 = text
        .chars()
        .map(|c| match c {
            'i' | 'j' | 'l' | '.' | ',' | ':' | ';' | '\'' | '’' | '!' | '|' | ' ' => 0.3,
            'f' | 'r' | 't' | 'I' | '(' | ')' | '-' | '‐' | '–' => 0.4,
            'm' | 'w' | 'M' | 'W' => 0.9,
            c if c.is_ascii_uppercase() => 0.72,
            c if c.is_ascii() => 0.58,
            // CJK and other wide scripts take a full em.
            c if c >= '\u{1100}' && !('\u{2000}'..'\u{2BFF}').contains(&c) => 1.0,
            _ => 0.62,
        })
        .sum();
    ems * size
}

/// Moves nodes apart until no two overlap, each with room for a name of width `room[i]`
/// on its right: overlapping boxes part along the axis where they overlap least, half
/// the overlap each (passes in index order; deterministic). Dense centres spread out
/// so that their names can be placed.
pub fn make_room(discs: &mut [Disc], room: &[f64]) {
    const GAP: f64 = 4.0;
    let half_height = NAME_SIZE * 0.7;
    let bounds = |d: &Disc, w: f64| {
        let h = d.r.max(half_height);
        [
            d.x - d.r - GAP / 2.0,
            d.y - h - GAP / 2.0,
            d.x + d.r + 3.0 + w,
            d.y + h + GAP / 2.0,
        ]
    };
    for _ in 0..100 {
        let mut moved = false;
        for i in 0..discs.len() {
            for j in i + 1..discs.len() {
                let (p, q) = (bounds(&discs[i], room[i]), bounds(&discs[j], room[j]));
                let over_x = p[2].min(q[2]) - p[0].max(q[0]);
                let over_y = p[3].min(q[3]) - p[1].max(q[1]);
                if over_x <= 0.0 || over_y <= 0.0 {
                    continue;
                }
                moved = true;
                // `j` goes the way it already lies from `i` (right or down on a tie).
                let (dx, dy) = ((q[0] + q[2]) - (p[0] + p[2]), (q[1] + q[3]) - (p[1] + p[3]));
                if over_x < over_y {
                    let push = (over_x / 2.0 + 0.05) * if dx < 0.0 { -1.0 } else { 1.0 };
                    discs[i].x -= push;
                    discs[j].x += push;
                } else {
                    let push = (over_y / 2.0 + 0.05) * if dy < 0.0 { -1.0 } else { 1.0 };
                    discs[i].y -= push;
                    discs[j].y += push;
                }
            }
        }
        if !moved {
            break;
        }
    }
}

/// Places one label per node, in `order` (most important first): `names[i]` for node
/// `i`, or `None` where nothing fits. Labels avoid every disc and one another, and
/// where they can, the `lines` (segments `[x1, y1, x2, y2]`).
pub fn place_names(
    discs: &[Disc],
    names: &[&str],
    order: &[usize],
    lines: &[[f64; 4]],
) -> Vec<Option<Label>> {
    let mut placed: Vec<Option<Label>> = vec![None; discs.len()];
    let mut taken: Vec<Rect> = Vec::new();
    for &i in order {
        let label = forms(names[i]).into_iter().find_map(|text| {
            let w = text_width(&text, NAME_SIZE);
            least_crossed(
                name_spots(discs[i], w)
                    .into_iter()
                    .filter(|&(rect, _, _)| free(&rect, discs, &taken)),
                |&(rect, _, _)| rect,
                lines,
                None,
            )
            .map(|(rect, x, anchor)| Label {
                y: rect.y + NAME_SIZE * 1.0,
                text,
                x,
                anchor,
                rect,
            })
        });
        if let Some(label) = &label {
            taken.push(label.rect);
        }
        placed[i] = label;
    }
    placed
}

/// Places the count of each line `(from, to, text)` in `order`, at a point along the
/// line between the two discs, away from every disc, every name in `names` and one
/// another, and where it can, from the other lines; `None` where nothing fits.
pub fn place_counts(
    discs: &[Disc],
    lines: &[(usize, usize, String)],
    order: &[usize],
    names: &[Option<Label>],
) -> Vec<Option<Label>> {
    let mut taken: Vec<Rect> = names.iter().flatten().map(|l| l.rect).collect();
    let mut placed: Vec<Option<Label>> = vec![None; lines.len()];
    let segments: Vec<[f64; 4]> = lines
        .iter()
        .map(|&(a, b, _)| [discs[a].x, discs[a].y, discs[b].x, discs[b].y])
        .collect();
    for &k in order {
        let (a, b, ref text) = lines[k];
        let (p, q) = (discs[a], discs[b]);
        let w = text_width(text, COUNT_SIZE) + 2.0;
        let h = COUNT_SIZE * 1.2;
        let spots = [0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8].into_iter().map(|t| {
            let (x, y) = (p.x + (q.x - p.x) * t, p.y + (q.y - p.y) * t);
            let rect = Rect {
                x: x - w / 2.0,
                y: y - h / 2.0,
                w,
                h,
            };
            (rect, x)
        });
        let free_spots = spots.filter(|(rect, _)| free(rect, discs, &taken));
        let label =
            least_crossed(free_spots, |&(rect, _)| rect, &segments, Some(k)).map(|(rect, x)| {
                Label {
                    text: text.clone(),
                    x,
                    y: rect.y + COUNT_SIZE * 0.95,
                    anchor: Anchor::Middle,
                    rect,
                }
            });
        if let Some(label) = &label {
            taken.push(label.rect);
        }
        placed[k] = label;
    }
    placed
}

/// Of `spots`, the first that the fewest `lines` cross (leaving out line `own`).
fn least_crossed<T>(
    spots: impl Iterator<Item = T>,
    rect_of: impl Fn(&T) -> Rect,
    lines: &[[f64; 4]],
    own: Option<usize>,
) -> Option<T> {
    let mut best: Option<(usize, T)> = None;
    for spot in spots {
        let rect = rect_of(&spot);
        let crossings = lines
            .iter()
            .enumerate()
            .filter(|&(k, &line)| Some(k) != own && rect.crossed_by(line))
            .count();
        if best.as_ref().is_none_or(|(fewest, _)| crossings < *fewest) {
            let done = crossings == 0;
            best = Some((crossings, spot));
            if done {
                break;
            }
        }
    }
    best.map(|(_, spot)| spot)
}

/// Whether `rect` (grown by the padding) touches no disc and no taken box.
fn free(rect: &Rect, discs: &[Disc], taken: &[Rect]) -> bool {
    let grown = Rect {
        x: rect.x - PAD,
        y: rect.y - PAD,
        w: rect.w + 2.0 * PAD,
        h: rect.h + 2.0 * PAD,
    };
    !discs.iter().any(|d| grown.hits_circle(d.x, d.y, d.r))
        && !taken.iter().any(|t| grown.overlaps(t))
}

/// The texts to try for a name: the name, then (if long) the name cut at a word.
pub fn forms(name: &str) -> Vec<String> {
    let name = name.trim();
    let mut forms = vec![name.to_string()];
    if name.chars().count() > SHORT_CHARS {
        let cut: String = name.chars().take(SHORT_CHARS).collect();
        let at_word = cut
            .rfind(' ')
            .filter(|&i| i >= 4)
            .map_or(cut.as_str(), |i| &cut[..i]);
        forms.push(format!("{}…", at_word.trim_end_matches([',', '-', ' '])));
    }
    forms
}

/// The eight places a name of width `w` may take around a disc: the box, the text's
/// anchor x, and how the text sits on it. Right and left first (they read best), then
/// below and above, then the diagonals.
fn name_spots(d: Disc, w: f64) -> [(Rect, f64, Anchor); 8] {
    let h = NAME_SIZE * 1.25;
    let gap = 3.0;
    let side = d.r * 0.7;
    let right = d.x + d.r + gap;
    let left = d.x - d.r - gap;
    let spot = |x: f64, y: f64, anchor: Anchor| {
        let left_edge = match anchor {
            Anchor::Start => x,
            Anchor::Middle => x - w / 2.0,
            Anchor::End => x - w,
        };
        (
            Rect {
                x: left_edge,
                y,
                w,
                h,
            },
            x,
            anchor,
        )
    };
    [
        spot(right, d.y - h / 2.0, Anchor::Start),
        spot(left, d.y - h / 2.0, Anchor::End),
        spot(d.x, d.y + d.r + gap, Anchor::Middle),
        spot(d.x, d.y - d.r - gap - h, Anchor::Middle),
        spot(d.x + side + gap, d.y - side - h, Anchor::Start),
        spot(d.x + side + gap, d.y + side, Anchor::Start),
        spot(d.x - side - gap, d.y - side - h, Anchor::End),
        spot(d.x - side - gap, d.y + side, Anchor::End),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn disc(x: f64, y: f64) -> Disc {
        Disc { x, y, r: 8.0 }
    }

    #[test]
    fn crowded_names_never_overlap_each_other_or_nodes() {
        let discs: Vec<Disc> = (0..30)
            .map(|i| disc(f64::from(i % 6) * 40.0, f64::from(i / 6) * 20.0))
            .collect();
        let names: Vec<String> = (0..30)
            .map(|i| format!("Actor number {i} of many"))
            .collect();
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let order: Vec<usize> = (0..30).collect();
        let labels = place_names(&discs, &refs, &order, &[]);
        let boxes: Vec<Rect> = labels.iter().flatten().map(|l| l.rect).collect();
        assert!(
            !boxes.is_empty() && boxes.len() < 30,
            "some fit, some do not"
        );
        for (i, a) in boxes.iter().enumerate() {
            assert!(boxes[i + 1..].iter().all(|b| !a.overlaps(b)));
            assert!(discs.iter().all(|d| !a.hits_circle(d.x, d.y, d.r)));
        }
    }

    #[test]
    fn long_names_are_shortened_before_they_are_dropped() {
        assert_eq!(forms("Iran"), vec!["Iran".to_string()]);
        let f = forms("Islamic Revolutionary Guard Corps");
        assert_eq!(f[1], "Islamic…");
        // Nodes all around: the long name fits only in its short form.
        let discs = [
            disc(0.0, 0.0),
            disc(150.0, 0.0),
            disc(0.0, 26.0),
            disc(0.0, -26.0),
            disc(-60.0, 0.0),
        ];
        let names = ["Islamic Revolutionary Guard Corps", "B", "C", "D", "E"];
        let labels = place_names(&discs, &names, &[1, 2, 3, 4, 0], &[]);
        assert!(
            labels[0].as_ref().is_some_and(|l| l.text.ends_with('…')),
            "{labels:?}"
        );
    }

    #[test]
    fn counts_avoid_names_and_each_other() {
        let discs = [disc(0.0, 0.0), disc(200.0, 0.0), disc(100.0, 100.0)];
        let names = place_names(&discs, &["A", "B", "C"], &[0, 1, 2], &[]);
        let lines = vec![
            (0, 1, "12".to_string()),
            (0, 2, "3".to_string()),
            (1, 2, "4".to_string()),
        ];
        let counts = place_counts(&discs, &lines, &[0, 1, 2], &names);
        let mut boxes: Vec<Rect> = names.iter().flatten().map(|l| l.rect).collect();
        boxes.extend(counts.iter().flatten().map(|l| l.rect));
        assert_eq!(boxes.len(), 6);
        for (i, a) in boxes.iter().enumerate() {
            assert!(boxes[i + 1..].iter().all(|b| !a.overlaps(b)));
        }
    }

    #[test]
    fn names_keep_off_lines_where_they_can() {
        // A line leaves the node to the right: the name goes to the left.
        let discs = [disc(0.0, 0.0)];
        let line = [[0.0, 0.0, 200.0, 0.0]];
        let labels = place_names(&discs, &["Name"], &[0], &line);
        assert_eq!(labels[0].as_ref().map(|l| l.anchor), Some(Anchor::End));
        let r = Rect {
            x: 0.0,
            y: 0.0,
            w: 10.0,
            h: 10.0,
        };
        assert!(r.crossed_by([-5.0, 5.0, 15.0, 5.0]));
        assert!(!r.crossed_by([-5.0, 15.0, 15.0, 15.0]));
        assert!(r.crossed_by([5.0, -5.0, 5.0, 3.0]));
    }

    #[test]
    fn wide_scripts_measure_wider() {
        assert!(text_width("中国", 12.0) > text_width("ab", 12.0));
        assert!(text_width("WWW", 12.0) > text_width("iii", 12.0));
    }
}
