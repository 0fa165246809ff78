//! The layout's promises: same bytes for the same input, no two boxes overlapping however
//! dense the dates, text escaped, and every mark named.

use super::*;
use chrono::Datelike;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// Owned inputs for marks.
struct Events(Vec<(NaiveDate, Option<NaiveDate>, String, String, usize)>);

impl Events {
    fn marks(&self) -> Vec<Mark<'_>> {
        self.0
            .iter()
            .map(|(date, end, title, url, weight)| Mark {
                date: *date,
                end: *end,
                title,
                url,
                weight: *weight,
            })
            .collect()
    }
}

/// A deterministic pseudo-random stream (splitmix64).
fn stream(seed: u64) -> impl FnMut(u64) -> u64 {
    let mut state = seed;
    move |n| {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        (z ^ (z >> 31)) % n
    }
}

const WORDS: &[&str] = &[
    "Rockets",
    "strike",
    "Al-Asad",
    "Air",
    "Base",
    "militia",
    "WMW",
    "iii",
    "ceasefire",
    "talks",
    "collapse",
    "in",
    "Baghdad",
    "Parliament",
    "votes",
    "Ottawa",
    "extends",
];

/// `n` events from `first`, spread over `days` days, many on the same day.
fn dense(n: usize, first: NaiveDate, days: u64, seed: u64) -> Events {
    let mut rnd = stream(seed);
    Events(
        (0..n)
            .map(|i| {
                let date = first + chrono::Days::new(rnd(days));
                let end = (rnd(5) == 0).then(|| date + chrono::Days::new(rnd(40)));
                let words = 1 + rnd(9) as usize;
                let title: Vec<&str> = (0..words)
                    .map(|_| WORDS[rnd(WORDS.len() as u64) as usize])
                    .collect();
                (
                    date,
                    end,
                    title.join(" "),
                    format!("/events/e{i}/"),
                    rnd(4) as usize,
                )
            })
            .collect(),
    )
}

fn options(span: Span, max_marks: usize) -> Options {
    Options {
        id: "tl".to_string(),
        title: "Timeline".to_string(),
        span,
        max_marks,
    }
}

/// Every box drawn: (left, top, right, bottom), with what it belongs to.
fn boxes(placed: &[Placed], lanes: usize) -> Vec<(f64, f64, f64, f64, String)> {
    let mut all = Vec::new();
    for p in placed {
        let y = (lanes - 1 - p.lane) as f64 * LANE + LANE / 2.0;
        all.push((
            p.x - RADIUS,
            y - RADIUS,
            p.mark_right(),
            y + RADIUS,
            format!("mark {}", p.mark),
        ));
        if let Some(l) = &p.label {
            assert!(
                l.x + l.width <= LABEL_LIMIT + 1e-9,
                "label past the edge: {l:?}"
            );
            all.push((
                l.x,
                y - FONT * 0.6,
                l.x + l.width,
                y + FONT * 0.6,
                format!("label {}", p.mark),
            ));
        }
    }
    all
}

/// Asserts that no two boxes of a layout overlap; returns how many labels it has.
fn assert_no_overlap(events: &Events, span: Span) -> usize {
    let marks = events.marks();
    let shown = chosen(&marks, usize::MAX);
    let axis = Axis::new(span, &shown);
    let (placed, lanes) = layout(&shown, &axis);
    assert_eq!(placed.len(), shown.len(), "every mark is placed");
    let all = boxes(&placed, lanes);
    for (i, a) in all.iter().enumerate() {
        for b in &all[i + 1..] {
            let apart = a.2 <= b.0 || b.2 <= a.0 || a.3 <= b.1 || b.3 <= a.1;
            assert!(apart, "{} overlaps {}: {a:?} {b:?}", a.4, b.4);
        }
    }
    placed.iter().filter(|p| p.label.is_some()).count()
}

#[test]
fn no_two_boxes_overlap_however_dense_the_dates() {
    // 50 events in one month, many on the same day.
    let month = dense(50, day(2021, 7, 1), 31, 1);
    assert_no_overlap(&month, Span::Year(2021));
    // 50 on one day.
    let one_day = dense(50, day(2021, 12, 31), 1, 2);
    assert_no_overlap(&one_day, Span::Year(2021));
    // A year of 400, and 15 years of 300 on a fitted axis.
    assert_no_overlap(&dense(400, day(2019, 1, 1), 365, 3), Span::Year(2019));
    assert_no_overlap(&dense(300, day(2010, 1, 1), 15 * 365, 4), Span::Fit);
    for seed in 5..40 {
        assert_no_overlap(
            &dense(1 + seed as usize, day(2020, 3, 1), seed * 7, seed),
            Span::Fit,
        );
    }
}

#[test]
fn sparse_events_keep_their_whole_labels_in_one_lane() {
    let events = Events(
        (1..=4)
            .map(|m| {
                (
                    day(2021, m * 3, 1),
                    None,
                    format!("Event {m}"),
                    format!("/e{m}/"),
                    0,
                )
            })
            .collect(),
    );
    let marks = events.marks();
    let (placed, lanes) = layout(&marks, &Axis::new(Span::Fit, &marks));
    assert_eq!(lanes, 1);
    let labels: Vec<&str> = placed
        .iter()
        .map(|p| p.label.as_ref().unwrap().text.as_str())
        .collect();
    assert_eq!(labels, ["Event 1", "Event 2", "Event 3", "Event 4"]);
}

#[test]
fn crowded_labels_are_shortened_with_an_ellipsis_or_left_out() {
    let events = dense(60, day(2021, 7, 1), 20, 9);
    assert_no_overlap(&events, Span::Year(2021));
    let marks = events.marks();
    let (placed, _) = layout(&marks, &Axis::new(Span::Year(2021), &marks));
    let shortened = placed
        .iter()
        .filter_map(|p| p.label.as_ref())
        .filter(|l| l.text.ends_with('…'));
    assert!(shortened.count() > 0);
    assert!(placed.iter().any(|p| p.label.is_none()));
    for p in &placed {
        if let Some(l) = &p.label {
            let title = marks[p.mark].title;
            let kept = l.text.trim_end_matches('…');
            assert!(
                title.starts_with(kept) && kept.chars().count() >= MIN_CHARS,
                "{l:?}"
            );
            // Whole words only.
            let rest = &title[kept.len()..];
            assert!(
                rest.is_empty() || rest.starts_with(char::is_whitespace),
                "{l:?}"
            );
        }
    }
}

#[test]
fn the_same_marks_draw_the_same_bytes() {
    let events = dense(80, day(2020, 1, 1), 700, 11);
    let a = draw(&events.marks(), &options(Span::Fit, 50));
    let b = draw(&events.marks(), &options(Span::Fit, 50));
    assert_eq!(a, b);
    assert_eq!((a.marked, a.total), (50, 80));
}

#[test]
fn every_mark_is_a_named_link_and_text_is_escaped() {
    let events = Events(vec![
        (
            day(2021, 7, 5),
            None,
            r#"Rockets <b>& "quotes"</b>"#.into(),
            "/e/a?x=1&y=\"2\"/".into(),
            1,
        ),
        (
            day(2020, 1, 7),
            Some(day(2020, 1, 16)),
            "Operation Impact paused".into(),
            "/e/b/".into(),
            1,
        ),
    ]);
    let mut opts = options(Span::Fit, 10);
    opts.title = "Kata'ib <Hezbollah>".into();
    let picture = draw(&events.marks(), &opts);
    let svg = &picture.svg;
    assert!(!svg.contains("<b>") && !svg.contains("Hezbollah>"), "{svg}");
    assert!(svg.contains("<title id=\"tl-t\">Kata&#39;ib &lt;Hezbollah&gt;</title>"));
    assert!(svg.contains("href=\"/e/a?x=1&amp;y=&quot;2&quot;/\""));
    assert!(svg.contains(
        "aria-label=\"5 July 2021: Rockets &lt;b&gt;&amp; &quot;quotes&quot;&lt;/b&gt;\""
    ));
    assert!(
        svg.contains("<title>7 January 2020 – 16 January 2020: Operation Impact paused</title>")
    );
    assert!(svg.contains("class=\"tl-span\""));
    assert_eq!(svg.matches("<a href=").count(), 2);
    assert_eq!(svg.matches("aria-label=").count(), 2);
    assert!(svg.starts_with("<svg ") && svg.ends_with("</svg>"));
    assert!(svg.contains("role=\"group\" aria-labelledby=\"tl-t\" aria-describedby=\"tl-d\""));
    assert!(svg.contains("<desc id=\"tl-d\">2 events, from 7 January 2020 to 5 July 2021."));
    // Two years: ticks by year, the earlier event first.
    assert!(svg.contains(">2020</text>") && svg.contains(">2021</text>"));
    assert!(svg.find("/e/b/").unwrap() < svg.find("/e/a").unwrap());
}

#[test]
fn over_the_limit_the_most_discussed_are_marked() {
    let events = Events(
        (0..10)
            .map(|i| {
                (
                    day(2021, 1, 1 + i),
                    None,
                    format!("E{i}"),
                    format!("/e{i}/"),
                    (i % 3) as usize,
                )
            })
            .collect(),
    );
    let picture = draw(&events.marks(), &options(Span::Year(2021), 3));
    assert_eq!((picture.marked, picture.total), (3, 10));
    // Weight 2: events 2, 5, 8.
    for i in [2, 5, 8] {
        assert!(picture.svg.contains(&format!("href=\"/e{i}/\"")), "{i}");
    }
    assert!(picture.svg.contains("Marks for the 3 most discussed"));
    for month in [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ] {
        assert!(picture.svg.contains(&format!(">{month}</text>")), "{month}");
    }
}

#[test]
fn estimated_widths_grow_with_the_text() {
    assert!(text_width("WWW") > text_width("iii"));
    assert!((text_width("abc") - 3.0 * 0.6 * FONT).abs() < 1e-9);
    assert!(text_width("北京") >= 2.0 * FONT);
    assert_eq!(fit("ab", 0.0), None);
    assert_eq!(fit("Rockets strike", 64.0).unwrap().text, "Rockets…");
    assert_eq!(fit("Rockets strike", 80.0).unwrap().text, "Rockets…");
    assert_eq!(fit("Unbreakable", 60.0), None);
}

#[test]
fn late_in_the_year_a_label_stands_before_its_mark() {
    let events = Events(vec![
        (
            day(2017, 12, 9),
            None,
            "Iraq declares victory".into(),
            "/a/".into(),
            0,
        ),
        (
            day(2017, 12, 20),
            None,
            "Another event".into(),
            "/b/".into(),
            0,
        ),
    ]);
    let marks = events.marks();
    let (placed, lanes) = layout(&marks, &Axis::new(Span::Year(2017), &marks));
    assert_eq!(lanes, 2);
    for p in &placed {
        let label = p.label.as_ref().unwrap();
        assert_eq!(label.text, marks[p.mark].title);
        assert!(label.x + label.width < p.x, "{p:?}");
    }
    assert_no_overlap(&events, Span::Year(2017));
}

#[test]
fn a_fitted_axis_shows_months_for_a_short_span_and_years_for_a_long_one() {
    let draw_span = |first: NaiveDate, last: NaiveDate| {
        let events = Events(vec![
            (first, None, "A".into(), "/a/".into(), 0),
            (last, None, "B".into(), "/b/".into(), 0),
        ]);
        draw(&events.marks(), &options(Span::Fit, 10)).svg
    };
    // Across new year: six months at least (October to March), the years beneath.
    let short = draw_span(day(2019, 12, 27), day(2020, 1, 8));
    for label in [
        ">Oct</text>",
        ">Dec</text>",
        ">Jan</text>",
        ">Mar</text>",
        ">2020</text>",
    ] {
        assert!(short.contains(label), "{label}: {short}");
    }
    assert!(!short.contains(">Sep</text>") && !short.contains(">Apr</text>"));
    // Eleven years: years, every other one labelled.
    let long = draw_span(day(2014, 6, 10), day(2024, 6, 19));
    assert!(
        long.contains(">2014</text>") && long.contains(">2024</text>"),
        "{long}"
    );
    assert!(!long.contains(">Jan</text>"));
    // The ends of the calendar draw without looping or failing.
    for (a, b) in [
        (NaiveDate::MIN, NaiveDate::MIN),
        (NaiveDate::MAX, NaiveDate::MAX),
    ] {
        assert!(draw_span(a, b).ends_with("</svg>"));
    }
    let max = Events(vec![(NaiveDate::MAX, None, "Z".into(), "/z/".into(), 0)]);
    let year = NaiveDate::MAX.year();
    assert!(draw(&max.marks(), &options(Span::Year(year), 1))
        .svg
        .ends_with("</svg>"));
}

#[test]
fn numbers_and_days_are_written_as_the_pages_write_them() {
    let written = |v: f64| {
        let mut s = String::new();
        num(&mut s, v);
        s
    };
    assert_eq!(
        [
            written(74.26),
            written(16.0),
            written(0.04),
            written(-2.5),
            written(703.95)
        ],
        ["74.3", "16", "0", "-2.5", "704"]
    );
    for d in [day(2021, 7, 12), day(2020, 1, 3), day(1999, 12, 31)] {
        let mut s = String::new();
        super::day(&mut s, d, english_ref());
        assert_eq!(
            s,
            crate::date::Date {
                day: d,
                timestamp: None
            }
            .display()
        );
    }
}
