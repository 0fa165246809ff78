//! Timelines as inline SVG: a date axis with each event as a mark that links to the event's
//! page, and its title beside it where there is room. A pure function of its marks and
//! options ([`draw`]): no graph, no templates, and the same input gives the same bytes.
//!
//! Marks sit in lanes above the axis, placed left to right by a greedy interval algorithm
//! on an estimate of each label's width (per-character widths of a sans-serif face), so
//! that no label overlaps another label or mark: a label is cut short (after a whole word,
//! with `…`), or left out, where the next mark of its lane begins; near the end of the axis a label may stand
//! before its mark instead. The axis and its ticks are the `axis` submodule's. The theme
//! styles the picture through its `tl-…` classes; presentation attributes
//! (`currentColor`) keep it legible without them.

use std::fmt::Write as _;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::escape;
use axis::Axis;

/// Width of the picture, in user units (CSS pixels at its natural size).
const WIDTH: f64 = 720.0;
/// Left and right edges of the axis.
const LEFT: f64 = 16.0;
const RIGHT: f64 = WIDTH - 16.0;
/// Labels may run into the right margin, not past this.
const LABEL_LIMIT: f64 = WIDTH - 2.0;
/// Height of a lane; the space above the first.
const LANE: f64 = 20.0;
const TOP: f64 = 6.0;
/// Radius of a mark; space between a mark and its label, and between two boxes of a lane.
const RADIUS: f64 = 5.0;
const LABEL_GAP: f64 = 4.0;
const GAP: f64 = 6.0;
/// Lanes opened freely; more only when a mark could not be placed at all.
const SOFT_LANES: usize = 6;
/// Font size of labels, in user units.
const FONT: f64 = 12.0;
/// The fewest characters a shortened label keeps.
const MIN_CHARS: usize = 3;

/// One event to draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Mark<'a> {
    /// When it happened (or began).
    pub date: NaiveDate,
    /// Its last day, if it lasted several.
    pub end: Option<NaiveDate>,
    /// Its title: the label, and with the date the mark's accessible name.
    pub title: &'a str,
    /// The event's page.
    pub url: &'a str,
    /// How much it is discussed: when there are more marks than the picture takes, the
    /// heaviest are drawn (ties go to the earlier).
    pub weight: usize,
}

/// The dates the axis covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Span {
    /// One calendar year, with a tick for each month.
    Year(i32),
    /// The marks' own dates: by month when they fall within two years (six months at
    /// least), by year beyond.
    Fit,
}

/// How to draw a timeline.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Options {
    /// Unique in its page; the ids of the picture's title and description start with it.
    pub id: String,
    /// The picture's accessible name ("Timeline of 2021").
    pub title: String,
    /// The dates the axis covers.
    pub span: Span,
    /// The most marks drawn; the others are counted in the description.
    pub max_marks: usize,
}

/// A drawn timeline, as templates receive it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Picture {
    /// The `<svg>` element.
    pub svg: String,
    /// How many events have a mark.
    pub marked: usize,
    /// How many events were given.
    pub total: usize,
}

/// A label as placed: where it starts, its text and its estimated width.
#[derive(Debug, Clone, PartialEq)]
struct Label {
    x: f64,
    text: String,
    width: f64,
}

/// A mark as placed.
#[derive(Debug, Clone, PartialEq)]
struct Placed {
    /// Index into the drawn marks.
    mark: usize,
    lane: usize,
    x: f64,
    /// Where its bar ends (its own x for a single day).
    x_end: f64,
    label: Option<Label>,
}

impl Placed {
    /// Right edge of the mark and its bar.
    fn mark_right(&self) -> f64 {
        (self.x + RADIUS).max(self.x_end)
    }

    /// Right edge of everything it draws.
    fn right(&self) -> f64 {
        self.label.as_ref().map_or(self.mark_right(), |l| {
            (l.x + l.width).max(self.mark_right())
        })
    }
}

/// The width `text` is expected to take at [`FONT`]: per-character widths a little above
/// those of common sans-serif faces, so that estimated boxes hold the drawn text.
pub fn text_width(text: &str) -> f64 {
    text.chars().map(char_width).sum::<f64>() * FONT
}

fn char_width(c: char) -> f64 {
    match c {
        ' ' => 0.3,
        'i' | 'j' | 'l' | 'I' | '.' | ',' | ':' | ';' | '\'' | '’' | '‘' | '|' | '!' => 0.3,
        'f' | 't' | 'r' | '(' | ')' | '[' | ']' | '-' | '‐' | '/' => 0.4,
        'm' | 'w' | 'M' | 'W' | '@' | '%' | '—' | '…' => 1.0,
        'a'..='z' | '0'..='9' | '"' | '“' | '”' | '–' | '$' | '#' | '?' | '&' => 0.6,
        'A'..='Z' => 0.76,
        c if c.is_ascii() => 0.6,
        // Latin with accents, Greek, Cyrillic.
        c if (c as u32) < 0x0530 => 0.76,
        // Wide scripts (CJK and beyond) and anything unknown.
        _ => 1.0,
    }
}

/// `text` shortened to whole words and `…` to fit `room`, or `None` if fewer than
/// [`MIN_CHARS`] would. Whole words keep the visible label a part of the mark's accessible
/// name, word for word (WCAG 2.5.3, label in name).
fn fit(text: &str, room: f64) -> Option<Label> {
    fit_width(text, text_width(text), room)
}

/// [`fit`], given the width of the whole text.
fn fit_width(text: &str, full: f64, room: f64) -> Option<Label> {
    if full <= room {
        return (!text.is_empty()).then(|| Label {
            x: 0.0,
            text: text.to_string(),
            width: full,
        });
    }
    let ellipsis = char_width('…') * FONT;
    let mut width = 0.0;
    let mut end = 0;
    for (i, c) in text.char_indices() {
        if c.is_whitespace() && width + ellipsis <= room {
            end = i;
        }
        width += char_width(c) * FONT;
        if width + ellipsis > room {
            break;
        }
    }
    let kept = text[..end].trim_end();
    if kept.chars().count() < MIN_CHARS {
        return None;
    }
    let text = format!("{kept}…");
    Some(Label {
        x: 0.0,
        width: text_width(&text),
        text,
    })
}

/// Places `marks` (sorted by date) in lanes; returns them and the number of lanes.
fn layout(marks: &[Mark], axis: &Axis) -> (Vec<Placed>, usize) {
    let mut placed: Vec<Placed> = Vec::with_capacity(marks.len());
    // Each lane: the index (into `placed`) of its last mark.
    let mut lanes: Vec<usize> = Vec::new();
    for (i, mark) in marks.iter().enumerate() {
        let x = axis.x(mark.date);
        let x_end = mark.end.filter(|e| *e > mark.date).map_or(x, |e| axis.x(e));
        let mut p = Placed {
            mark: i,
            lane: 0,
            x,
            x_end,
            label: None,
        };
        let fits = |left: f64| {
            lanes
                .iter()
                .position(|&q| placed[q].right() + GAP <= left)
                .or_else(|| (lanes.len() < SOFT_LANES).then_some(lanes.len()))
        };
        // Near the end of the axis, a whole label before its mark rather than a short
        // one after it, if a lane has room for it.
        let label_x = p.mark_right() + LABEL_GAP;
        let width = text_width(mark.title);
        let before = x - RADIUS - LABEL_GAP - width;
        let leftward = (width > LABEL_LIMIT - label_x && before >= 2.0)
            .then(|| fits(before))
            .flatten();
        if let Some(lane) = leftward {
            p.lane = lane;
            p.label = fit_width(mark.title, width, width).map(|l| Label { x: before, ..l });
        } else {
            // A lane with room for everything its last mark draws, or a new one while
            // there are few; else a lane whose last label can be shortened; else a new
            // lane.
            let left = x - RADIUS;
            p.lane = fits(left)
                .or_else(|| {
                    (0..lanes.len())
                        .filter(|&l| placed[lanes[l]].mark_right() + GAP <= left)
                        .min_by(|&a, &b| {
                            placed[lanes[a]]
                                .right()
                                .total_cmp(&placed[lanes[b]].right())
                        })
                })
                .unwrap_or(lanes.len());
            if let Some(&q) = lanes.get(p.lane) {
                let previous = &mut placed[q];
                if previous.right() + GAP > left {
                    let title = marks[previous.mark].title;
                    previous.label = previous.label.take().and_then(|l| {
                        fit(title, left - GAP - l.x).map(|fitted| Label { x: l.x, ..fitted })
                    });
                }
            }
            p.label = fit_width(mark.title, width, LABEL_LIMIT - label_x)
                .map(|l| Label { x: label_x, ..l });
        }
        if p.lane == lanes.len() {
            lanes.push(placed.len());
        } else {
            lanes[p.lane] = placed.len();
        }
        placed.push(p);
    }
    (placed, lanes.len())
}

/// The marks drawn: all of them, or the `max` heaviest; by date (then as given).
fn chosen<'a>(marks: &[Mark<'a>], max: usize) -> Vec<Mark<'a>> {
    let mut order: Vec<usize> = (0..marks.len()).collect();
    if marks.len() > max {
        order.sort_by(|&a, &b| {
            (marks[b].weight, marks[a].date, a).cmp(&(marks[a].weight, marks[b].date, b))
        });
        order.truncate(max);
    }
    order.sort_by_key(|&i| (marks[i].date, i));
    order.into_iter().map(|i| marks[i]).collect()
}

use crate::i18n::{english_ref, Locale};

const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Writes `12 July 2021` (in `locale`'s language).
fn day(out: &mut String, d: NaiveDate, locale: &Locale) {
    if !locale.has_english_dates() {
        out.push_str(&locale.day(d));
        return;
    }
    integer(out, i64::from(d.day()));
    out.push(' ');
    out.push_str(MONTH_NAMES[d.month0() as usize]);
    out.push(' ');
    integer(out, i64::from(d.year()));
}

/// Writes `n` in decimal digits (without the formatting machinery: pictures write many).
fn integer(out: &mut String, n: i64) {
    if n < 0 {
        out.push('-');
    }
    let mut n = n.unsigned_abs();
    let mut digits = [0u8; 20];
    let mut start = digits.len();
    loop {
        start -= 1;
        digits[start] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    digits[start..]
        .iter()
        .for_each(|&d| out.push(char::from(d)));
}

/// Writes `12 July 2021`, or `7 January 2020 – 16 January 2020` for several days.
fn when(out: &mut String, mark: &Mark, locale: &Locale) {
    day(out, mark.date, locale);
    if let Some(end) = mark.end.filter(|e| *e > mark.date) {
        out.push_str(" – ");
        day(out, end, locale);
    }
}

/// `v` with at most one decimal, as [`num`] writes it.
fn number(v: f64) -> String {
    let mut s = String::new();
    num(&mut s, v);
    s
}

/// Writes `v` with at most one decimal: `74.3`, `16`.
fn num(out: &mut String, v: f64) {
    let tenths = (v * 10.0).round() as i64;
    if tenths < 0 {
        out.push('-');
    }
    let tenths = tenths.unsigned_abs();
    integer(out, (tenths / 10) as i64);
    if tenths % 10 != 0 {
        out.push('.');
        out.push(char::from(b'0' + (tenths % 10) as u8));
    }
}

/// The timeline of `marks` as an `<svg>` element, in English.
pub fn draw(marks: &[Mark], options: &Options) -> Picture {
    draw_in(marks, options, english_ref())
}

/// The timeline of `marks` as an `<svg>` element, its dates and texts in `locale`.
pub fn draw_in(marks: &[Mark], options: &Options, locale: &Locale) -> Picture {
    let shown = chosen(marks, options.max_marks);
    let axis = Axis::new(options.span, &shown);
    let (placed, lanes) = layout(&shown, &axis);
    let lanes = lanes.max(1);
    let axis_y = TOP + lanes as f64 * LANE + 4.0;
    let height = axis_y + axis.height_below();
    let lane_y = |lane: usize| TOP + (lanes - 1 - lane) as f64 * LANE + LANE / 2.0;

    let id = escape::html(&options.id);
    let mut svg = String::with_capacity(600 + shown.len() * 320);
    let (width, height, font) = (number(WIDTH), number(height), number(FONT));
    let _ = write!(
        svg,
        "<svg class=\"tl\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" \
         role=\"group\" aria-labelledby=\"{id}-t\" aria-describedby=\"{id}-d\" \
         font-size=\"{font}\" fill=\"currentColor\">\
         <title id=\"{id}-t\">{}</title><desc id=\"{id}-d\">{}</desc>",
        escape::html(&options.title),
        escape::html(&description(marks, &shown, locale)),
    );
    let radius = number(RADIUS);
    axis.draw(&mut svg, axis_y, locale);
    svg.push_str("<g class=\"tl-marks\">");
    let mut name = String::new();
    for p in &placed {
        let mark = &shown[p.mark];
        name.clear();
        when(&mut name, mark, locale);
        name.push_str(": ");
        name.push_str(mark.title);
        let y = lane_y(p.lane);
        svg.push_str("<a href=\"");
        escape::html_into(&mut svg, mark.url);
        svg.push_str("\" aria-label=\"");
        escape::html_into(&mut svg, &name);
        svg.push_str("\"><title>");
        escape::html_into(&mut svg, &name);
        svg.push_str("</title>");
        if p.x_end > p.x {
            svg.push_str("<line class=\"tl-span\" x1=\"");
            num(&mut svg, p.x);
            svg.push_str("\" y1=\"");
            num(&mut svg, y);
            svg.push_str("\" x2=\"");
            num(&mut svg, p.x_end);
            svg.push_str("\" y2=\"");
            num(&mut svg, y);
            svg.push_str("\" stroke=\"currentColor\"/>");
        }
        svg.push_str("<circle cx=\"");
        num(&mut svg, p.x);
        svg.push_str("\" cy=\"");
        num(&mut svg, y);
        let _ = write!(svg, "\" r=\"{radius}\"/>");
        if let Some(label) = &p.label {
            svg.push_str("<text x=\"");
            num(&mut svg, label.x);
            svg.push_str("\" y=\"");
            num(&mut svg, y + 4.0);
            svg.push_str("\">");
            escape::html_into(&mut svg, &label.text);
            svg.push_str("</text>");
        }
        svg.push_str("</a>");
    }
    svg.push_str("</g></svg>");
    Picture {
        svg,
        marked: shown.len(),
        total: marks.len(),
    }
}

/// The picture's text alternative.
fn description(all: &[Mark], shown: &[Mark], locale: &Locale) -> String {
    let first = all.iter().map(|m| m.date).min();
    let last = all
        .iter()
        .map(|m| m.end.unwrap_or(m.date).max(m.date))
        .max();
    let on = |d: NaiveDate| {
        let mut text = String::new();
        day(&mut text, d, locale);
        text
    };
    let mut text = match (all.len(), first, last) {
        (1, Some(a), _) => locale.format("timeline_one_event", &[("date", &on(a))]),
        (n, Some(a), Some(b)) => {
            locale.count("timeline_events", n, &[("from", &on(a)), ("to", &on(b))])
        }
        _ => locale.text("timeline_no_events").to_string(),
    };
    text.push(' ');
    if shown.len() < all.len() {
        text.push_str(&locale.count("timeline_some_marked", shown.len(), &[]));
    } else {
        text.push_str(locale.text("timeline_all_marked"));
    }
    text
}

mod axis;
#[cfg(test)]
mod tests;
