//! Reading the built site on any screen: tables scroll in their own labelled box, the
//! brief's contents and chips come before its text, headings never skip a level, names
//! broken across lines are still mentions, terms show their display names, counts say
//! what they count, and a page loads less than 40 KB of CSS.

mod common;

use std::path::Path;

use common::{attrs, build, build_output, files, fixture, page, repo_root, texts};
use scraper::{ElementRef, Html, Selector};

fn built(site: &Path) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    build(site, &tmp.path().join("public"), &[]);
    tmp
}

fn public(tmp: &tempfile::TempDir) -> std::path::PathBuf {
    tmp.path().join("public")
}

#[test]
fn tables_sit_in_a_focusable_labelled_scroll_box() {
    let tmp = built(&fixture("valid-site"));
    let html = page(&public(&tmp), "briefs/ottawa-options/index.html");
    let sel = Selector::parse("div.table-scroll").unwrap();
    let boxes: Vec<ElementRef> = html.select(&sel).collect();
    assert_eq!(boxes.len(), 1);
    let wrapper = boxes[0].value();
    assert_eq!(wrapper.attr("role"), Some("region"));
    assert_eq!(wrapper.attr("tabindex"), Some("0"));
    assert_eq!(
        wrapper.attr("aria-label"),
        Some("Table: Option, Cost, Risk to troops")
    );
    assert_eq!(texts(&html, "div.table-scroll > table tbody tr").len(), 3);
    assert!(texts(&html, "table").len() == 1, "no table outside the box");
    // The table keeps its table semantics: the theme never makes it a block.
    let css = std::fs::read_to_string(public(&tmp).join("style.css")).unwrap();
    for rule in css.split('}') {
        if let Some((selectors, body)) = rule.split_once('{') {
            if selectors.split(',').any(|s| s.trim() == "table") {
                assert!(!body.contains("display: block"), "table {{{body}}}");
            }
        }
    }
}

#[test]
fn contents_and_chips_come_before_the_text() {
    let tmp = built(&fixture("valid-site"));
    let html = page(&public(&tmp), "briefs/crossfire/index.html");
    let order = Selector::parse("details.toc, .brief-aside .chips, .brief-body").unwrap();
    let seen: Vec<String> = html
        .select(&order)
        .map(|e| {
            let v = e.value();
            v.name().to_string() + "." + v.classes().next().unwrap_or("")
        })
        .collect();
    assert_eq!(seen, ["details.toc", "ul.chips", "div.brief-body"]);
    assert_eq!(texts(&html, "details.toc > summary"), ["On this page"]);
    assert_eq!(
        attrs(&html, "details.toc nav a", "href"),
        [
            "#key-points",
            "#background",
            "#threats-to-canadian-security",
            "#recommendations-for-canada"
        ]
    );
    // Closed by default: the theme opens it beside the text on wide screens.
    assert!(attrs(&html, "details.toc", "open").is_empty());
    // The header is one row with a "Menu" disclosure around the main navigation.
    assert_eq!(texts(&html, "details.site-menu > summary"), ["Menu"]);
    assert_eq!(texts(&html, "details.site-menu > nav.site-nav li").len(), 7);
}

/// Every heading level of `html` in document order.
fn heading_levels(html: &Html) -> Vec<u8> {
    let sel = Selector::parse("h1, h2, h3, h4, h5, h6").unwrap();
    html.select(&sel)
        .map(|h| h.value().name()[1..].parse().unwrap())
        .collect()
}

fn assert_headings_in_order(out: &Path) -> usize {
    let mut pages = 0;
    for (path, bytes) in files(out) {
        if !path.ends_with(".html") {
            continue;
        }
        pages += 1;
        let html = Html::parse_document(&String::from_utf8_lossy(&bytes));
        let levels = heading_levels(&html);
        assert_eq!(
            levels.first(),
            Some(&1),
            "{path} starts with h1: {levels:?}"
        );
        assert_eq!(levels.iter().filter(|&&l| l == 1).count(), 1, "{path}");
        for pair in levels.windows(2) {
            assert!(pair[1] <= pair[0] + 1, "{path} skips a level: {levels:?}");
        }
    }
    pages
}

#[test]
fn heading_levels_never_skip_on_any_page() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    build(&fixture("valid-site"), &out, &["--drafts"]);
    assert!(assert_headings_in_order(&out) > 25);
    let example = built(&repo_root());
    assert!(assert_headings_in_order(&public(&example)) > 100);
}

#[test]
fn a_name_broken_across_lines_is_its_first_mention() {
    let tmp = built(&fixture("valid-site"));
    let html = page(&public(&tmp), "briefs/crossfire/index.html");
    let links = texts(
        &html,
        ".brief-body a.mention[href=\"/actors/united-states/\"]",
    );
    assert_eq!(links, ["United States"]);
    let background = texts(&html, "#background p");
    assert!(
        background
            .iter()
            .any(|p| p.contains("when the United States killed")),
        "{background:?}"
    );
    // The later mention, on one line, stays plain text.
    let threats = texts(&html, "#threats-to-canadian-security a.mention");
    assert!(!threats.iter().any(|t| t == "United States"), "{threats:?}");
}

#[test]
fn topics_and_regions_show_display_names() {
    let tmp = built(&fixture("valid-site"));
    let out = public(&tmp);
    let brief = page(&out, "briefs/crossfire/index.html");
    assert_eq!(
        texts(&brief, ".brief-aside .tags a"),
        [
            "Counter-terrorism",
            "Canadian foreign policy",
            "Iraq",
            "Syria"
        ]
    );
    let topic = page(&out, "topics/counter-terrorism/index.html");
    assert_eq!(texts(&topic, "h1"), ["Counter-terrorism"]);
    assert_eq!(
        texts(&topic, "header .lede"),
        ["Militias, terrorist listings and the missions meant to contain them."]
    );
    assert!(texts(&topic, "title")[0].starts_with("Counter-terrorism · "));
    let topics = page(&out, "topics/index.html");
    assert_eq!(
        texts(&topics, ".term-list a"),
        ["Canadian foreign policy", "Counter-terrorism", "Militias"]
    );
    let regions = page(&out, "regions/index.html");
    assert_eq!(texts(&regions, ".term-list a"), ["Iraq", "Syria"]);
    assert_eq!(
        texts(&regions, ".term-description"),
        ["The country and its armed factions."]
    );
    let home = page(&out, "index.html");
    assert_eq!(
        texts(&home, ".recent-events .tags a"),
        ["Canadian foreign policy", "Counter-terrorism", "Militias"]
    );
    let feed = std::fs::read_to_string(out.join("feed.xml")).unwrap();
    assert!(
        feed.contains("<category term=\"counter-terrorism\" label=\"Counter-terrorism\"/>"),
        "{feed}"
    );
    // No slug is shown where a name belongs.
    for (path, bytes) in files(&out) {
        if path.ends_with(".html") {
            let html = Html::parse_document(&String::from_utf8_lossy(&bytes));
            let shown = texts(&html, "a");
            for slug in [
                "counter-terrorism",
                "canadian-foreign-policy",
                "militias",
                "iraq",
            ] {
                assert!(!shown.iter().any(|t| t == slug), "{path} shows {slug}");
            }
        }
    }
}

#[test]
fn an_entry_for_a_term_no_brief_uses_is_a_warning() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    for (path, bytes) in files(&fixture("valid-site")) {
        let to = site.join(path);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::write(to, bytes).unwrap();
    }
    let yaml = std::fs::read_to_string(site.join("site.yaml")).unwrap();
    let yaml = yaml.replace("regions:\n", "regions:\n  syira: {title: Syria}\n");
    std::fs::write(site.join("site.yaml"), yaml).unwrap();
    let output = build_output(&site, &tmp.path().join("out"), &[]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stderr.contains("`regions` names `syira`, but no brief has this region"),
        "{stderr}"
    );
    assert!(stderr.contains("site.yaml:"), "{stderr}");
    assert!(stderr.contains("did you mean `syria`?"), "{stderr}");
    let strict = build_output(&site, &tmp.path().join("strict"), &["--strict"]);
    assert!(!strict.status.success());
}

#[test]
fn index_pages_say_what_they_list_and_counts_say_what_they_count() {
    let tmp = built(&fixture("valid-site"));
    let out = public(&tmp);
    let lede = |relative: &str| texts(&page(&out, relative), "main > .lede").join(" ");
    assert!(lede("briefs/index.html").ends_with(": 3 briefs."));
    assert!(lede("actors/index.html").ends_with(": 6 actors."));
    assert!(lede("events/index.html").ends_with(": 5 events."));
    assert!(lede("topics/index.html").ends_with(": 3 topics."));
    assert!(lede("regions/index.html").ends_with(": 2 regions."));
    assert!(lede("authors/index.html").ends_with(": 3 authors."));
    for relative in [
        "briefs/index.html",
        "actors/index.html",
        "events/index.html",
        "topics/index.html",
        "regions/index.html",
        "authors/index.html",
    ] {
        assert!(lede(relative).split_whitespace().count() > 8, "{relative}");
    }
    let topics = page(&out, "topics/index.html");
    assert_eq!(
        texts(&topics, ".term-list .count"),
        ["2 briefs", "2 briefs", "1 brief"]
    );
    let authors = page(&out, "authors/index.html");
    assert_eq!(
        texts(&authors, ".term-list .count"),
        ["2 briefs", "1 brief", "2 briefs"]
    );
    let term = page(&out, "authors/lee-park/index.html");
    assert_eq!(texts(&term, "h2"), ["1 brief"]);
    let canada = page(&out, "actors/canada/index.html");
    let shared = texts(&canada, "[aria-labelledby=co-actors-title] .count");
    assert!(!shared.is_empty());
    assert!(
        shared
            .iter()
            .all(|c| c.ends_with(" shared brief or event")
                || c.ends_with(" shared briefs and events")),
        "{shared:?}"
    );
    let home = page(&out, "index.html");
    assert_eq!(
        texts(&home, ".counts li"),
        ["3 briefs", "6 actors", "5 events", "3 topics"]
    );
}

/// The size of every stylesheet a page links, by its href.
fn css_bytes(out: &Path, html: &Html) -> Vec<(String, usize)> {
    attrs(html, "link[rel=stylesheet]", "href")
        .into_iter()
        .map(|href| {
            let path = out.join(href.trim_start_matches('/'));
            let size = std::fs::metadata(&path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
                .len();
            (href, usize::try_from(size).unwrap())
        })
        .collect()
}

#[test]
fn a_page_loads_less_than_40_kb_of_css_and_syntax_css_only_with_code() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    build(&repo_root(), &out, &["--base-url", "/"]);
    let mut with_code = Vec::new();
    for (path, bytes) in files(&out) {
        if !path.ends_with(".html") {
            continue;
        }
        let text = String::from_utf8_lossy(&bytes);
        let html = Html::parse_document(&text);
        let css = css_bytes(&out, &html);
        let total: usize = css.iter().map(|(_, size)| size).sum();
        assert!(
            total < 40 * 1024,
            "{path} loads {total} bytes of CSS: {css:?}"
        );
        let links_syntax = css.iter().any(|(href, _)| href.ends_with("syntax.css"));
        assert_eq!(links_syntax, text.contains("class=\"hl-"), "{path}");
        if links_syntax {
            with_code.push(path);
        }
    }
    assert_eq!(with_code, ["briefs/nato-mission-iraq/index.html"]);
}
