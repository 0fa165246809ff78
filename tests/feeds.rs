//! Feeds and calendars, read back the way their readers read them: every Atom feed parsed
//! with `atom_syndication` holds the briefs its page lists, in the page's order, with
//! absolute URLs; every calendar parsed with `icalendar` holds its events, with the lines,
//! dates and identifiers RFC 5545 asks for; `feeds: false` builds none of them.

mod common;

use std::path::{Path, PathBuf};

use atom_syndication::Feed;
use chrono::NaiveDate;
use common::*;
use icalendar::{Calendar, Component, DatePerhapsTime, EventLike};
use scraper::{Html, Selector};
use serde_json::Value;

/// What a site's URLs start with.
struct Base<'a> {
    /// `https://host`
    origin: &'a str,
    /// `/` or `/sub/`
    path: &'a str,
}

impl Base<'_> {
    fn absolute(&self, site_path: &str) -> String {
        format!("{}{site_path}", self.origin)
    }
}

fn read_feed(out: &Path, relative: &str) -> Feed {
    let text = std::fs::read(out.join(relative)).unwrap();
    Feed::read_from(&text[..]).unwrap_or_else(|e| panic!("{relative}: {e}"))
}

fn json(out: &Path, relative: &str) -> Vec<Value> {
    let text = std::fs::read_to_string(out.join(relative)).unwrap();
    serde_json::from_str::<Value>(&text)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

/// The brief URLs a page lists, in order.
fn listed(out: &Path, page_path: &str) -> Vec<String> {
    attrs(
        &page(out, page_path),
        "main .brief-card .card-title a",
        "href",
    )
}

/// Every `feed.xml` and its page: the same folder's `index.html` (for the site's, the
/// list of all briefs).
fn feeds_and_pages(out: &Path, lang: &str) -> Vec<(String, String)> {
    let others = language_folders(out);
    files(out)
        .into_keys()
        .filter(|path| path.ends_with("feed.xml"))
        .filter(|path| match lang {
            "" => !others.iter().any(|l| path.starts_with(l.as_str())),
            _ => path.starts_with(lang),
        })
        .map(|feed| {
            let page = match feed.strip_prefix(lang) {
                Some("feed.xml") => format!("{lang}briefs/index.html"),
                _ => feed.replace("feed.xml", "index.html"),
            };
            (feed, page)
        })
        .collect()
}

/// The folders (`fr/`) of the site's other languages: those with data of their own.
fn language_folders(out: &Path) -> Vec<String> {
    let mut found: Vec<String> = std::fs::read_dir(out)
        .unwrap()
        .flatten()
        .filter(|e| e.path().join("api/briefs.json").is_file())
        .map(|e| format!("{}/", e.file_name().to_string_lossy()))
        .collect();
    found.sort();
    found
}

fn assert_absolute(url: &str, base: &Base, context: &str) {
    let ok = ["https://", "http://", "mailto:", "tel:", "data:"]
        .iter()
        .any(|scheme| url.starts_with(scheme));
    assert!(ok, "{context}: `{url}` is not absolute");
    if let Some(path) = url.strip_prefix(base.origin) {
        assert!(
            path.starts_with(base.path),
            "{context}: `{url}` leaves the base path"
        );
    }
}

/// Every feed holds what its page lists (at most `feed_limit` of it), with absolute
/// URLs; every term and actor page links its feed, in `<head>` and visibly.
fn check_feeds(out: &Path, base: &Base, feed_limit: usize) {
    check_feeds_in(out, base, feed_limit, "");
    for lang in language_folders(out) {
        check_feeds_in(out, base, feed_limit, &lang);
    }
}

/// [`check_feeds`] for the language whose folder is `lang` (`""` for the default).
fn check_feeds_in(out: &Path, base: &Base, feed_limit: usize, lang: &str) {
    let pairs = feeds_and_pages(out, lang);
    let actors = json(out, &format!("{lang}api/actors.json"));
    let depth = 2 + lang.matches('/').count();
    let terms: usize = ["topics", "regions", "authors"]
        .iter()
        .map(|kind| {
            files(out)
                .into_keys()
                .filter(|p| p.starts_with(&format!("{lang}{kind}/")) && p.ends_with("/index.html"))
                .filter(|p| p.matches('/').count() == depth)
                .count()
        })
        .sum();
    assert_eq!(
        pairs.len(),
        1 + terms + actors.len(),
        "one feed per list page"
    );
    for (feed_path, page_path) in &pairs {
        let feed = read_feed(out, feed_path);
        let urls: Vec<String> = feed
            .entries()
            .iter()
            .map(|e| {
                let alternate = e.links().iter().find(|l| l.rel() == "alternate").unwrap();
                assert_eq!(e.id(), alternate.href(), "{feed_path}: id is the URL");
                alternate.href().to_string()
            })
            .collect();
        let expected: Vec<String> = listed(out, page_path)
            .iter()
            .take(feed_limit)
            .map(|href| base.absolute(href))
            .collect();
        assert_eq!(urls, expected, "{feed_path} vs {page_path}");
        let feed_url = format!("{}{feed_path}", base.path);
        let self_link = feed.links().iter().find(|l| l.rel() == "self").unwrap();
        assert_eq!(self_link.href(), base.absolute(&feed_url));
        let newest = feed.entries().iter().map(|e| *e.updated()).max();
        if let Some(newest) = newest {
            assert_eq!(*feed.updated(), newest, "{feed_path}: updated");
        }
        for entry in feed.entries() {
            let summary = entry.summary().expect("every entry has a summary");
            check_html_urls(summary.as_str(), base, feed_path);
            match (
                feed_path.strip_prefix(lang).unwrap_or(feed_path),
                entry.content(),
            ) {
                ("feed.xml", Some(content)) => {
                    assert_eq!(content.content_type(), Some("html"));
                    let html = content.value().unwrap();
                    assert!(html.len() > 200, "{feed_path}: content is the whole brief");
                    check_html_urls(html, base, feed_path);
                }
                ("feed.xml", None) => panic!("the site feed carries full content"),
                (_, content) => assert!(content.is_none(), "{feed_path}: summaries only"),
            }
        }
        if feed_path.strip_prefix(lang) != Some("feed.xml") {
            let html = page(out, page_path);
            let alternates = attrs(
                &html,
                r#"head link[rel="alternate"][type="application/atom+xml"]"#,
                "href",
            );
            assert!(
                alternates.contains(&feed_url),
                "{page_path} does not link {feed_url} in <head>: {alternates:?}"
            );
            let titles = attrs(
                &html,
                &format!(r#"head link[rel="alternate"][href="{feed_url}"]"#),
                "title",
            );
            assert!(titles.iter().all(|t| !t.is_empty()));
            let visible = texts(&html, &format!(r#"main a[href="{feed_url}"]"#));
            let label = if lang.is_empty() {
                "Atom feed"
            } else {
                "Flux Atom"
            };
            assert_eq!(visible, [label], "{page_path}");
        }
    }
}

/// Every link and image URL of an HTML fragment is absolute.
fn check_html_urls(fragment: &str, base: &Base, context: &str) {
    let html = Html::parse_fragment(fragment);
    let sel = Selector::parse("[href], [src]").unwrap();
    for e in html.select(&sel) {
        for attr in ["href", "src"] {
            if let Some(url) = e.value().attr(attr) {
                assert_absolute(url, base, context);
            }
        }
    }
}

/// The calendar at `relative`: CRLF lines of at most 75 octets, parsed back, one `VEVENT`
/// per event of `slugs` (in order) agreeing with `api/events.json`. Returns its UIDs.
fn check_calendar(out: &Path, relative: &str, slugs: &[String], base: &Base) -> Vec<String> {
    let text = std::fs::read_to_string(out.join(relative)).unwrap();
    assert!(text.ends_with("\r\n"), "{relative}: CRLF at the end");
    for line in text.strip_suffix("\r\n").unwrap().split("\r\n") {
        assert!(!line.contains('\n'), "{relative}: a bare LF in {line:?}");
        assert!(
            line.len() <= 75,
            "{relative}: {} octets: {line:?}",
            line.len()
        );
    }
    let unfolded = text.replace("\r\n ", "");
    assert_eq!(
        unfolded.matches("\r\nDTSTART;VALUE=DATE:").count(),
        slugs.len(),
        "{relative}: all-day starts"
    );
    let calendar: Calendar = text.parse().unwrap_or_else(|e| panic!("{relative}: {e}"));
    let events: Vec<&icalendar::Event> = calendar.events().collect();
    assert_eq!(events.len(), slugs.len(), "{relative}");
    let by_slug: Vec<Value> = json(out, "api/events.json");
    let host = base.origin.split_once("://").unwrap().1;
    let mut uids = Vec::new();
    for (vevent, slug) in events.iter().zip(slugs) {
        let record = by_slug.iter().find(|e| e["slug"] == slug.as_str()).unwrap();
        let uid = vevent.get_uid().unwrap().to_string();
        assert_eq!(
            uid,
            format!("{slug}@{host}{}", base.path.trim_end_matches('/'))
        );
        uids.push(uid);
        assert_eq!(vevent.get_summary(), record["title"].as_str());
        assert_eq!(
            vevent.get_url(),
            Some(base.absolute(record["url"].as_str().unwrap()).as_str())
        );
        assert_eq!(vevent.get_location(), record["location"].as_str());
        assert!(vevent.get_description().is_some_and(|d| !d.is_empty()));
        assert!(vevent.get_timestamp().is_some(), "DTSTAMP");
        let day = |v: &Value| NaiveDate::parse_from_str(v.as_str().unwrap(), "%Y-%m-%d").unwrap();
        assert_eq!(
            vevent.get_start(),
            Some(DatePerhapsTime::Date(day(&record["date"])))
        );
        let end = record["end_date"]
            .as_str()
            .map(|_| DatePerhapsTime::Date(day(&record["end_date"]).succ_opt().unwrap()));
        assert_eq!(
            vevent.get_end(),
            end,
            "{slug}: DTEND the day after end_date"
        );
    }
    let mut unique = uids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), uids.len(), "{relative}: UIDs are unique");
    uids
}

/// The site's calendar and every actor's, and the pages that link them.
fn check_calendars(out: &Path, base: &Base) -> Vec<String> {
    let events = json(out, "api/events.json");
    let slugs: Vec<String> = events
        .iter()
        .map(|e| e["slug"].as_str().unwrap().to_string())
        .collect();
    let uids = check_calendar(out, "events.ics", &slugs, base);
    let timeline = page(out, "events/index.html");
    let ics = format!("{}events.ics", base.path);
    assert_eq!(
        texts(&timeline, &format!(r#"main a[href="{ics}"]"#)),
        ["Subscribe to these events (iCalendar)"]
    );
    let mut with_events = 0;
    for actor in json(out, "api/actors.json") {
        let slug = actor["slug"].as_str().unwrap();
        let relative = format!("actors/{slug}/events.ics");
        let own: Vec<String> = actor["events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e.as_str().unwrap().to_string())
            .collect();
        let html = page(out, &format!("actors/{slug}/index.html"));
        let link = format!("{}{relative}", base.path);
        let links = texts(&html, &format!(r#"main a[href="{link}"]"#));
        if own.is_empty() {
            assert!(!out.join(&relative).exists(), "{relative} has no event");
            assert!(links.is_empty());
            continue;
        }
        with_events += 1;
        check_calendar(out, &relative, &own, base);
        assert_eq!(links, ["Subscribe to these events (iCalendar)"], "{slug}");
    }
    assert!(with_events > 0);
    uids
}

fn built(site: &Path, out: &Path) -> PathBuf {
    build(site, out, &[]);
    out.to_path_buf()
}

#[test]
fn the_example_sites_feeds_and_calendars_read_back() {
    let tmp = tempfile::tempdir().unwrap();
    let out = built(&repo_root(), &tmp.path().join("a"));
    let base = Base {
        origin: "https://example.github.io",
        path: "/briefs/",
    };
    check_feeds(&out, &base, 50);
    let uids = check_calendars(&out, &base);
    // A second build gives the same files, so the same UIDs.
    let again = built(&repo_root(), &tmp.path().join("b"));
    assert_eq!(check_calendars(&again, &base), uids);
    let (first, second) = (files(&out), files(&again));
    for (path, bytes) in &first {
        if path.ends_with(".ics") || path.ends_with(".xml") {
            assert!(bytes == &second[path], "{path} differs between builds");
        }
    }
}

#[test]
fn the_fixture_sites_feeds_and_calendars_read_back() {
    let tmp = tempfile::tempdir().unwrap();
    let out = built(&fixture("valid-site"), &tmp.path().join("out"));
    let base = Base {
        origin: "https://example.org",
        path: "/",
    };
    check_feeds(&out, &base, 50);
    check_calendars(&out, &base);
}

/// A copy of the fixture site with `extra` appended to its `site.yaml`.
fn fixture_with(tmp: &Path, extra: &str) -> PathBuf {
    let site = tmp.join("site");
    let from = fixture("valid-site");
    for entry in walkdir::WalkDir::new(&from) {
        let entry = entry.unwrap();
        let target = site.join(entry.path().strip_prefix(&from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
    let yaml = std::fs::read_to_string(site.join("site.yaml")).unwrap();
    std::fs::write(site.join("site.yaml"), format!("{yaml}{extra}")).unwrap();
    site
}

#[test]
fn feed_limit_cuts_every_feed_to_the_first_briefs_its_page_lists() {
    let tmp = tempfile::tempdir().unwrap();
    let site = fixture_with(tmp.path(), "feed_limit: 1\n");
    let out = built(&site, &tmp.path().join("out"));
    let base = Base {
        origin: "https://example.org",
        path: "/",
    };
    check_feeds(&out, &base, 1);
    assert_eq!(read_feed(&out, "feed.xml").entries().len(), 1);
}

#[test]
fn feeds_false_builds_no_feed_and_no_calendar_and_links_none() {
    let tmp = tempfile::tempdir().unwrap();
    let site = fixture_with(tmp.path(), "feeds: false\n");
    let out = built(&site, &tmp.path().join("out"));
    for (path, bytes) in files(&out) {
        assert!(
            !path.ends_with("feed.xml") && !path.ends_with(".ics"),
            "{path} was built"
        );
        if path.ends_with(".html") {
            let text = String::from_utf8_lossy(&bytes);
            assert!(
                !text.contains("application/atom+xml"),
                "{path} links a feed"
            );
            assert!(!text.contains(".ics"), "{path} links a calendar");
            assert!(!text.contains("Atom feed"), "{path} shows a feed link");
        }
    }
}

#[test]
fn long_text_and_special_characters_survive_the_calendar() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    std::fs::create_dir_all(site.join("content/events")).unwrap();
    std::fs::create_dir_all(site.join("content/briefs")).unwrap();
    std::fs::write(
        site.join("site.yaml"),
        "title: Calendar, test; site\nbase_url: https://example.org/sub/\n",
    )
    .unwrap();
    let long = "Les négociations à Genève — 老虎 🙂 ".repeat(12);
    std::fs::write(
        site.join("content/events/2021-03-01-talks.md"),
        format!(
            "---\ntitle: \"Talks, round 2; Geneva\\\\Vienna\"\ndate: 2021-03-01\nend_date: 2021-03-03\nlocation: Genève, Suisse\n---\n\n{long}\n\nA second paragraph with a [link](https://example.net/a,b).\n"
        ),
    )
    .unwrap();
    std::fs::write(
        site.join("content/briefs/b.md"),
        "---\ntitle: A brief\ndate: 2021-03-04\nevents: [2021-03-01-talks]\n---\n\nSee [the talks](../events/2021-03-01-talks.md) and [a note](#notes).\n\n## Notes\n\nNone.\n",
    )
    .unwrap();
    let out = built(&site, &tmp.path().join("out"));
    let base = Base {
        origin: "https://example.org",
        path: "/sub/",
    };
    let uids = check_calendar(&out, "events.ics", &["2021-03-01-talks".to_string()], &base);
    assert_eq!(uids, ["2021-03-01-talks@example.org/sub"]);
    let text = std::fs::read_to_string(out.join("events.ics")).unwrap();
    let calendar: Calendar = text.parse().unwrap();
    let event = calendar.events().next().unwrap();
    assert_eq!(event.get_summary(), Some("Talks, round 2; Geneva\\Vienna"));
    let description = event.get_description().unwrap();
    assert!(
        description.starts_with(long.trim()),
        "the description keeps the text whole: {description}"
    );
    assert!(description.contains("\nA second paragraph with a link."));
    assert_eq!(event.get_location(), Some("Genève, Suisse"));
    let feed = read_feed(&out, "feed.xml");
    let content = feed.entries()[0].content().unwrap().value().unwrap();
    assert!(content.contains(r#"href="https://example.org/sub/events/2021-03-01-talks/""#));
    assert!(content.contains(r##"href="https://example.org/sub/briefs/b/#notes""##));
}
