//! Actor networks as a reader meets them: the example site's actor pages and `/actors/`
//! carry an SVG network whose nodes link to actor pages, whose lines carry the right
//! counts (shared briefs and events, checked against `api/actors.json`), with a text
//! alternative and the "Often appears with" list beside it; `network_size` in
//! `site.yaml` sets how many actors `/actors/` shows; two builds are byte-identical.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use common::*;
use scraper::{Html, Selector};

/// Builds the example site with `site_yaml` appended to its own into a temporary
/// folder; returns the folder (kept alive) and the output.
fn build_example(site_yaml: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    let root = repo_root();
    for entry in walkdir::WalkDir::new(root.join("content")) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(&root).unwrap();
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(site.join(rel)).unwrap();
        } else {
            std::fs::copy(entry.path(), site.join(rel)).unwrap();
        }
    }
    let own = std::fs::read_to_string(root.join("site.yaml")).unwrap();
    std::fs::write(site.join("site.yaml"), format!("{own}{site_yaml}")).unwrap();
    let out = tmp.path().join("out");
    build(&site, &out, &[]);
    (tmp, out)
}

/// Per actor URL: its briefs and events, from `api/actors.json`.
fn actor_facts(out: &Path) -> BTreeMap<String, (BTreeSet<String>, BTreeSet<String>)> {
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("api/actors.json")).unwrap()).unwrap();
    let set = |v: &serde_json::Value| -> BTreeSet<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap().to_string())
            .collect()
    };
    json.as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["url"].as_str().unwrap().to_string(),
                (set(&a["briefs"]), set(&a["events"])),
            )
        })
        .collect()
}

fn shared(
    facts: &BTreeMap<String, (BTreeSet<String>, BTreeSet<String>)>,
    x: &str,
    y: &str,
) -> usize {
    let (a, b) = (&facts[x], &facts[y]);
    a.0.intersection(&b.0).count() + a.1.intersection(&b.1).count()
}

/// The output file a URL path under the example site's base path names.
fn file_of(out: &Path, url: &str) -> std::path::PathBuf {
    let rel = url
        .strip_prefix("/briefs/")
        .unwrap_or_else(|| panic!("{url} is outside the base path"));
    out.join(rel).join("index.html")
}

fn select<'a>(html: &'a Html, selector: &str) -> Vec<scraper::ElementRef<'a>> {
    html.select(&Selector::parse(selector).unwrap()).collect()
}

fn node_links(html: &Html) -> Vec<String> {
    attrs(html, "svg.network .net-nodes a", "href")
}

#[test]
fn an_actor_page_draws_its_co_actors_with_labelled_counts() {
    let (_tmp, out) = build_example("");
    let facts = actor_facts(&out);
    let html = page(&out, "actors/iran/index.html");
    let iran = "/briefs/actors/iran/";

    // The network sits in the "Often appears with" section, above its list.
    assert_eq!(
        select(&html, "#co-actors-title ~ figure svg.network").len(),
        1
    );
    let chips = attrs(&html, "#co-actors-title ~ ul.chips a.chip", "href");
    let counts = texts(&html, "#co-actors-title ~ ul.chips .count");
    assert!(chips.len() >= 8, "{chips:?}");
    for (href, count) in chips.iter().zip(&counts) {
        let n = shared(&facts, iran, href);
        let label = if n == 1 {
            "1 shared brief or event".to_string()
        } else {
            format!("{n} shared briefs and events")
        };
        assert_eq!(count, &label, "{href}");
    }

    // One node for Iran (the current page) and one per listed actor, each an actor page.
    let links = node_links(&html);
    assert_eq!(links[0], iran);
    assert_eq!(&links[1..], &chips[..]);
    for link in &links {
        assert!(link.starts_with("/briefs/actors/"), "{link}");
        assert!(file_of(&out, link).is_file(), "{link} resolves");
    }
    assert_eq!(
        attrs(&html, "svg.network a[aria-current=page]", "href"),
        vec![iran]
    );

    // Every node has an accessible name with its count.
    let names = texts(&html, "svg.network .net-nodes a > title");
    assert_eq!(names.len(), links.len());
    assert_eq!(names[0], "Iran (this page)");
    for (name, count) in names[1..].iter().zip(&counts) {
        let n: usize = count.split(' ').next().unwrap().parse().unwrap();
        assert!(
            name.ends_with(&format!(": {n} shared briefs and events")),
            "{name}"
        );
    }

    // Every line shows its count: as a label, or where no label fits, as its tooltip.
    // The lines from Iran come first, and all carry a label.
    let lines = select(&html, "svg.network line");
    let titled = texts(&html, "svg.network line > title");
    let labels = texts(&html, "svg.network .net-counts text");
    assert!(lines.len() >= chips.len(), "{lines:?}");
    assert_eq!(labels.len() + titled.len(), lines.len());
    assert!(
        titled.iter().all(|t| t.contains(" shared brief")),
        "{titled:?}"
    );
    assert!(
        labels
            .iter()
            .all(|l| l.parse::<usize>().is_ok_and(|n| n > 0)),
        "{labels:?}"
    );
    for n in counts
        .iter()
        .map(|c| c.split(' ').next().unwrap_or_default())
    {
        assert!(labels.iter().any(|l| l == n), "count {n} is labelled");
    }

    // The text alternative.
    let svg = select(&html, "svg.network")[0];
    assert_eq!(svg.value().attr("aria-labelledby"), Some("network-title"));
    assert_eq!(svg.value().attr("aria-describedby"), Some("network-desc"));
    assert_eq!(
        texts(&html, "svg.network title#network-title"),
        vec!["Iran and the actors it appears with most"]
    );
    assert!(texts(&html, "svg.network desc#network-desc")[0].contains("12 other actors"));
}

#[test]
fn the_actors_index_draws_the_most_tagged_actors() {
    let (_tmp, out) = build_example("");
    let facts = actor_facts(&out);
    let html = page(&out, "actors/index.html");
    let links = node_links(&html);
    let tagged = facts
        .values()
        .filter(|(briefs, _)| !briefs.is_empty())
        .count();
    assert_eq!(links.len(), tagged.min(40));
    // The most tagged first; every node an actor page.
    let briefs = |url: &str| facts[url].0.len();
    assert!(
        links.windows(2).all(|w| briefs(&w[0]) >= briefs(&w[1])),
        "{links:?}"
    );
    for link in &links {
        assert!(file_of(&out, link).is_file(), "{link} resolves");
    }
    let lines = select(&html, "svg.network line");
    assert!(lines.len() >= links.len() / 2);
    assert!(!texts(&html, "svg.network .net-counts text").is_empty());
    // The network does not replace the lists: every actor is still listed.
    assert_eq!(select(&html, ".actor-list li").len(), facts.len());
}

#[test]
fn network_size_in_site_yaml_sets_the_index_network() {
    let (_tmp, out) = build_example("network_size: 5\n");
    let facts = actor_facts(&out);
    let html = page(&out, "actors/index.html");
    let links = node_links(&html);
    assert_eq!(links.len(), 5);
    let mut by_briefs: Vec<(usize, &String)> = facts.iter().map(|(u, f)| (f.0.len(), u)).collect();
    by_briefs.sort_by_key(|b| std::cmp::Reverse(b.0));
    let fifth = by_briefs[4].0;
    assert!(links.iter().all(|l| facts[l].0.len() >= fifth), "{links:?}");
    assert!(texts(&html, "svg.network title#network-title")[0].contains("The 5 actors"));

    let (_tmp, out) = build_example("network_size: 0\n");
    let html = page(&out, "actors/index.html");
    assert!(select(&html, "svg.network").is_empty());
    // Actor pages keep theirs.
    assert_eq!(
        select(&page(&out, "actors/iran/index.html"), "svg.network").len(),
        1
    );
}

#[test]
fn network_size_out_of_range_is_an_error_on_its_line() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(tmp.path().join("content/briefs")).unwrap();
    std::fs::write(
        tmp.path().join("site.yaml"),
        "title: x\nnetwork_size: 1000\n",
    )
    .unwrap();
    let output = build_output(tmp.path(), &tmp.path().join("out"), &[]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("network_size") && stderr.contains(":2:"),
        "{stderr}"
    );
}

#[test]
fn two_builds_draw_the_same_bytes() {
    let (_a, first) = build_example("");
    let (_b, second) = build_example("");
    for relative in [
        "actors/index.html",
        "actors/iran/index.html",
        "actors/canada/index.html",
    ] {
        let a = std::fs::read(first.join(relative)).unwrap();
        assert!(String::from_utf8_lossy(&a).contains("<svg class=\"network\""));
        assert_eq!(
            a,
            std::fs::read(second.join(relative)).unwrap(),
            "{relative}"
        );
    }
}

#[test]
fn a_warm_rebuild_redraws_the_networks_an_edit_changes() {
    use briefly::build::BuildOptions;
    use briefly::session::Session;

    let (tmp, _) = build_example("");
    let site = tmp.path().join("site");
    let served = tmp.path().join("served");
    let mut session = Session::new(BuildOptions {
        root: site.clone(),
        output: Some(served.clone()),
        write: true,
        ..BuildOptions::default()
    });
    session.rebuild(&[]).expect("first build");
    let iran = |out: &Path| std::fs::read_to_string(out.join("actors/iran/index.html")).unwrap();
    let before = iran(&served);

    // Tagging Iran in one more brief changes its counts and ties.
    let brief = "content/briefs/2021/nato-mission-iraq.md";
    let text = std::fs::read_to_string(site.join(brief)).unwrap();
    std::fs::write(
        site.join(brief),
        text.replacen("  - NATO\n", "  - NATO\n  - iran\n", 1),
    )
    .unwrap();
    session
        .rebuild(&[std::path::PathBuf::from(brief)])
        .expect("an edit of the actors");
    let clean = tmp.path().join("clean");
    build(&site, &clean, &[]);
    assert_ne!(iran(&served), before);
    for relative in [
        "actors/index.html",
        "actors/iran/index.html",
        "actors/nato/index.html",
    ] {
        assert_eq!(
            std::fs::read(served.join(relative)).unwrap(),
            std::fs::read(clean.join(relative)).unwrap(),
            "{relative} after a warm rebuild"
        );
    }
}

#[test]
fn pictures_false_draws_no_timeline_and_no_network_and_keeps_the_lists() {
    let pages = [
        "actors/index.html",
        "actors/iran/index.html",
        "events/index.html",
        "briefs/designating-the-irgc/index.html",
    ];
    let count = |out: &Path, selector: &str| -> usize {
        pages
            .iter()
            .map(|p| select(&page(out, p), selector).len())
            .sum()
    };
    let (_with, drawn) = build_example("");
    assert!(count(&drawn, "svg.network") >= 2);
    assert!(count(&drawn, "svg.tl") >= 3);
    let (_without, out) = build_example("pictures: false\n");
    assert_eq!(count(&out, "svg"), 0);
    assert_eq!(count(&out, ".tl-fig, .network-figure"), 0);
    // The lists the pictures stand above are all still there.
    for selector in ["ol.timeline li", "#co-actors-title", "ul.chips li"] {
        assert_eq!(count(&out, selector), count(&drawn, selector), "{selector}");
    }
}
