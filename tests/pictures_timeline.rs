//! Timeline pictures as a reader meets them: the events index, an actor page and a brief
//! page carry an inline SVG whose marks link to existing event pages and have accessible
//! names; the index's year links land on its years; a large site's index marks only a
//! bounded number of events, and says so; and two builds are byte-identical.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::*;
use scraper::{Html, Selector};

/// The event pages the marks of `page`'s timeline pictures link to, checking on the way
/// that each mark has an accessible name (its `aria-label`, the same as its `<title>`)
/// that ends with its event's title, and that each picture is named and described.
fn marks(out: &Path, base: &str, page: &Html) -> Vec<String> {
    let svg = Selector::parse("svg.tl").unwrap();
    let mark = Selector::parse("a").unwrap();
    let title = Selector::parse("title").unwrap();
    let mut hrefs = Vec::new();
    for picture in page.select(&svg) {
        let el = picture.value();
        assert_eq!(el.attr("role"), Some("group"));
        for (attr, tag) in [("aria-labelledby", "title"), ("aria-describedby", "desc")] {
            let id = el.attr(attr).unwrap();
            let named = Selector::parse(&format!("{tag}#{id}")).unwrap();
            let text: String = picture.select(&named).next().unwrap().text().collect();
            assert!(!text.trim().is_empty(), "{attr} {id}");
        }
        for a in picture.select(&mark) {
            let href = a.value().attr("href").unwrap().to_string();
            let name = a.value().attr("aria-label").unwrap_or("");
            let tooltip: String = a.select(&title).next().unwrap().text().collect();
            assert_eq!(name, tooltip, "{href}");
            let (when, what) = name.split_once(": ").unwrap();
            assert!(when.chars().any(|c| c.is_ascii_digit()), "{name}");
            let target = out
                .join(href.strip_prefix(base).unwrap())
                .join("index.html");
            let event = Html::parse_document(&std::fs::read_to_string(&target).unwrap());
            assert_eq!(texts(&event, "h1"), [what], "{href}");
            hrefs.push(href);
        }
    }
    hrefs
}

#[test]
fn the_index_an_actor_and_a_brief_draw_their_events() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    build(
        &fixture("valid-site"),
        &out,
        &["--base-url", "https://example.org/sub/"],
    );

    let index = page(&out, "events/index.html");
    let listed = attrs(&index, "ol.timeline a", "href");
    assert_eq!(listed.len(), 5);
    let marked = marks(&out, "/sub/", &index);
    assert_eq!(marked, listed, "one mark per event, in the list's order");
    assert_eq!(texts(&index, "svg.tl").len(), 2, "one picture per year");
    // The pictures come before the lists they draw.
    let html = std::fs::read_to_string(out.join("events/index.html")).unwrap();
    assert!(html.find("<svg").unwrap() < html.find("<ol class=\"timeline\"").unwrap());
    // Jump-to-year links land on the years (on the timeline's page where each starts).
    let years = attrs(&index, "nav.years a", "href");
    assert_eq!(years, ["/sub/events/#year-2020", "/sub/events/#year-2021"]);
    let ids: BTreeSet<String> = attrs(&index, "[id]", "id").into_iter().collect();
    for year in &years {
        let (_, id) = year.split_once('#').unwrap();
        assert!(ids.contains(id), "{year}");
    }

    let actor = page(&out, "actors/united-states/index.html");
    let actor_marks = marks(&out, "/sub/", &actor);
    assert!(!actor_marks.is_empty());
    assert_eq!(
        actor_marks,
        attrs(&actor, ".actor-timeline ol.timeline a", "href")
    );

    let brief = page(&out, "briefs/crossfire/index.html");
    let brief_marks = marks(&out, "/sub/", &brief);
    assert!(brief_marks.len() >= 2, "{brief_marks:?}");
    assert_eq!(brief_marks, attrs(&brief, "ol.timeline a", "href"));

    // No broken link, picture marks included.
    let (broken, _) = check_links(&out, "/sub/");
    assert!(broken.is_empty(), "{broken:#?}");

    // A second build writes the same bytes.
    let again = tmp.path().join("again");
    build(
        &fixture("valid-site"),
        &again,
        &["--base-url", "https://example.org/sub/"],
    );
    assert!(files(&out) == files(&again), "two builds differ");
}

/// A site with `n` events, many on the same days, and one brief that discusses a few.
/// `site_yaml` is its settings.
fn many_events(root: &Path, n: usize, site_yaml: &str) {
    let events = root.join("content/events");
    let briefs = root.join("content/briefs");
    std::fs::create_dir_all(&events).unwrap();
    std::fs::create_dir_all(&briefs).unwrap();
    std::fs::write(root.join("site.yaml"), site_yaml).unwrap();
    for i in 0..n {
        let (year, month, day) = (2015 + i % 4, 1 + (i / 7) % 12, 1 + i % 3);
        std::fs::write(
            events.join(format!("e{i:04}.md")),
            format!(
                "---\ntitle: \"Event {i} <b>&</b> a long title to crowd the lanes\"\n\
                 date: {year}-{month:02}-{day:02}\n---\n"
            ),
        )
        .unwrap();
    }
    std::fs::write(
        briefs.join("b.md"),
        "---\ntitle: B\ndate: 2020-01-01\nevents: [e0001, e0002, e0003]\n---\nText.\n",
    )
    .unwrap();
}

#[test]
fn a_large_index_marks_a_bounded_number_and_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    let out = tmp.path().join("out");
    // One page of 1,200 events: the picture's cap, not the page size, bounds the marks.
    many_events(&root, 1200, "title: Many\npaginate_by: 1200\n");
    build(&root, &out, &[]);
    let index = page(&out, "events/index.html");
    assert_eq!(attrs(&index, "ol.timeline a", "href").len(), 1200);
    let marked = attrs(&index, "svg.tl a", "href");
    assert!(
        marked.len() <= 300 && marked.len() >= 250,
        "{}",
        marked.len()
    );
    // The events the brief discusses are among the marks.
    for e in ["e0001", "e0002", "e0003"] {
        assert!(marked.contains(&format!("/events/{e}/")), "{e}");
    }
    let notes = texts(&index, ".tl-note");
    assert_eq!(notes.len(), 4);
    assert!(
        notes[0].contains(" of these 300 events are marked"),
        "{}",
        notes[0]
    );
    // Titles are escaped inside the pictures.
    let html = std::fs::read_to_string(out.join("events/index.html")).unwrap();
    let svg = &html[html.find("<svg").unwrap()..html.rfind("</svg>").unwrap()];
    assert!(!svg.contains("<b>"));
    assert!(svg.contains("Event 1 &lt;b&gt;&amp;&lt;/b&gt;"));
    let pictures: usize = html
        .match_indices("<svg")
        .map(|(i, _)| html[i..].find("</svg>").unwrap())
        .sum();
    assert!(pictures < 110_000, "pictures take {pictures} bytes");
}

#[test]
fn a_page_of_the_timeline_marks_all_its_events() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    let out = tmp.path().join("out");
    many_events(&root, 1200, "title: Many\n");
    build(&root, &out, &[]);
    // 50 events a page by default: 24 pages, each marking every event it lists.
    for file in ["events/index.html", "events/page/24/index.html"] {
        let html = page(&out, file);
        let listed = attrs(&html, "ol.timeline a", "href");
        assert_eq!(listed.len(), 50, "{file}");
        let mut marked = attrs(&html, "svg.tl a", "href");
        marked.sort();
        let mut sorted = listed.clone();
        sorted.sort();
        assert_eq!(marked, sorted, "{file}");
        assert!(texts(&html, ".tl-note").is_empty(), "{file}");
    }
    assert!(!out.join("events/page/25").exists());
}
