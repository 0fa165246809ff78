//! Pagination (docs/content.md#pagination): the fixture `paged-site` shows two items a
//! page, so every list of its seven briefs and five events has several pages. Checks the
//! page URLs, the navigation and its `rel` links, that every brief of a list appears on
//! exactly one of its pages, that feeds hold the first briefs of the list, and that no
//! internal link is broken.

mod common;

use std::path::{Path, PathBuf};

use common::{attrs, build, check_links, fixture, page, texts};

const BASE: &str = "/paged/";

fn built() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    build(&fixture("paged-site"), &out, &[]);
    (tmp, out)
}

/// The output path of the page at `url` (under the base path).
fn file_of(url: &str) -> String {
    let rest = url.strip_prefix(BASE).unwrap_or(url);
    format!("{rest}index.html")
}

/// Follows the `rel="next"` links of the list starting at `first` (a URL); returns every
/// page's URL and the brief links of each page's cards.
fn walk(out: &Path, first: &str, cards: &str) -> Vec<(String, Vec<String>)> {
    let mut pages = Vec::new();
    let mut url = Some(first.to_string());
    while let Some(u) = url {
        assert!(pages.len() < 20, "the pages of {first} do not end");
        let html = page(out, &file_of(&u));
        let briefs = attrs(&html, cards, "href");
        url = attrs(&html, "head link[rel=next]", "href").pop();
        pages.push((u, briefs));
    }
    pages
}

fn card_titles(out: &Path, url: &str) -> Vec<String> {
    texts(&page(out, &file_of(url)), "main .brief-card .card-title a")
}

#[test]
fn the_briefs_list_has_pages_at_page_n() {
    let (_tmp, out) = built();
    let pages = walk(&out, "/paged/briefs/", "main .brief-card .card-title a");
    let urls: Vec<&str> = pages.iter().map(|(u, _)| u.as_str()).collect();
    assert_eq!(
        urls,
        [
            "/paged/briefs/",
            "/paged/briefs/page/2/",
            "/paged/briefs/page/3/",
            "/paged/briefs/page/4/"
        ]
    );
    // Page 1 is the list's own URL only.
    assert!(!out.join("briefs/page/1").exists());
    // Two a page, the last one short; each brief once, newest first.
    let counts: Vec<usize> = pages.iter().map(|(_, b)| b.len()).collect();
    assert_eq!(counts, [2, 2, 2, 1]);
    let all: Vec<String> = pages.iter().flat_map(|(_, b)| b.clone()).collect();
    let mut unique = all.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 7, "{all:?}");
    assert_eq!(all.first().unwrap(), "/paged/briefs/harbour-talks-resume/");
    assert_eq!(
        all.last().unwrap(),
        "/paged/briefs/elections-in-the-capital/"
    );
    // A year that goes on over two pages is headed on both.
    let page2 = page(&out, "briefs/page/2/index.html");
    assert_eq!(texts(&page2, "main .year h2"), ["2023", "2022"]);
}

#[test]
fn the_navigation_says_where_a_page_is() {
    let (_tmp, out) = built();
    let first = page(&out, "briefs/index.html");
    assert!(attrs(&first, "head link[rel=prev]", "href").is_empty());
    assert_eq!(
        attrs(&first, "head link[rel=next]", "href"),
        ["/paged/briefs/page/2/"]
    );
    assert_eq!(
        attrs(&first, "nav.pagination", "aria-label"),
        ["Pages of Briefs"]
    );
    assert_eq!(
        attrs(&first, "nav.pagination a[aria-current=page]", "href"),
        ["/paged/briefs/"]
    );

    let second = page(&out, "briefs/page/2/index.html");
    assert_eq!(
        attrs(&second, "head link[rel=prev]", "href"),
        ["/paged/briefs/"]
    );
    assert_eq!(
        attrs(&second, "nav.pagination a[rel=prev]", "href"),
        ["/paged/briefs/"]
    );
    assert_eq!(
        attrs(&second, "nav.pagination a[rel=next]", "href"),
        ["/paged/briefs/page/3/"]
    );
    assert_eq!(
        attrs(&second, "nav.pagination a[aria-current=page]", "href"),
        ["/paged/briefs/page/2/"]
    );
    assert_eq!(texts(&second, "nav.pagination .page-of"), ["Page 2 of 4"]);
    // The header marks Briefs as the current section, not as this page; only every
    // list's own first page is "page".
    let current = |html: &scraper::Html| {
        (
            attrs(html, ".site-nav a[aria-current]", "href"),
            attrs(html, ".site-nav a[aria-current]", "aria-current"),
        )
    };
    assert_eq!(
        current(&first),
        (vec!["/paged/briefs/".to_string()], vec!["page".to_string()])
    );
    assert_eq!(
        current(&second),
        (vec!["/paged/briefs/".to_string()], vec!["true".to_string()])
    );
    // Its canonical URL is its own, and its title says which page it is.
    assert_eq!(
        attrs(&second, "link[rel=canonical]", "href"),
        ["https://example.github.io/paged/briefs/page/2/"]
    );
    assert_eq!(
        texts(&second, "title"),
        ["Briefs · page 2 of 4 · Paged Briefs"]
    );

    let last = page(&out, "briefs/page/4/index.html");
    assert!(attrs(&last, "head link[rel=next]", "href").is_empty());
    assert!(attrs(&last, "nav.pagination a[rel=next]", "href").is_empty());
    assert_eq!(
        attrs(&last, "head link[rel=prev]", "href"),
        ["/paged/briefs/page/3/"]
    );
}

#[test]
fn term_and_actor_lists_have_pages_and_feeds_hold_their_first_briefs() {
    let (_tmp, out) = built();
    for (list, briefs) in [
        ("/paged/topics/trade/", 4_usize),
        ("/paged/topics/security/", 3),
        ("/paged/authors/ana-diaz/", 7),
        ("/paged/actors/aurelia/", 7),
        ("/paged/actors/borvia/", 3),
    ] {
        let pages = walk(&out, list, "main .brief-card .card-title a");
        assert_eq!(pages.len(), briefs.div_ceil(2), "{list}");
        let all: Vec<String> = pages.iter().flat_map(|(_, b)| b.clone()).collect();
        let mut unique = all.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(
            (all.len(), unique.len()),
            (briefs, briefs),
            "{list}: {all:?}"
        );
        // The feed (feed_limit: 3) holds the first three briefs of the list, in order.
        let feed =
            std::fs::read_to_string(out.join(file_of(list).replace("index.html", "feed.xml")))
                .unwrap();
        let in_feed: Vec<String> = feed
            .split("<link href=\"")
            .skip(1)
            .map(|s| s.split('"').next().unwrap().to_string())
            .filter(|u| u.contains("/briefs/"))
            .map(|u| {
                u.trim_start_matches("https://example.github.io")
                    .to_string()
            })
            .collect();
        assert_eq!(in_feed, all[..3.min(briefs)], "{list}");
    }
    // The site's feed holds the first three briefs of /briefs/.
    let site_feed = std::fs::read_to_string(out.join("feed.xml")).unwrap();
    assert_eq!(site_feed.matches("<entry").count(), 3);
    assert!(site_feed.contains("/paged/briefs/harbour-talks-resume/"));

    // Aurelia: five briefs tag it, two mention it; page 3 holds the last tagged one and
    // the first mention, under its heading.
    let third = page(&out, "actors/aurelia/page/3/index.html");
    assert_eq!(
        texts(&third, "main .actor-briefs > h3"),
        ["Also mentioned in"]
    );
    assert_eq!(texts(&third, "main .brief-card").len(), 2);
    // Its first page has the rest of what an actor shows; later pages only the briefs.
    let first = page(&out, "actors/aurelia/index.html");
    assert_eq!(texts(&first, "main .actor-timeline h2"), ["Timeline"]);
    assert!(texts(&third, "main .actor-timeline").is_empty());
    assert!(texts(&third, "main .description").is_empty());
    assert_eq!(texts(&third, "main h1"), ["Aurelia"]);
    // The term page counts all its briefs, not the page's.
    let trade = page(&out, "topics/trade/page/2/index.html");
    assert_eq!(texts(&trade, "#term-briefs-title"), ["4 briefs"]);
    assert_eq!(card_titles(&out, "/paged/topics/trade/page/2/").len(), 2);
}

#[test]
fn the_timeline_has_pages_and_its_years_link_where_they_start() {
    let (_tmp, out) = built();
    let pages = walk(&out, "/paged/events/", "main ol.timeline a");
    let urls: Vec<&str> = pages.iter().map(|(u, _)| u.as_str()).collect();
    assert_eq!(
        urls,
        [
            "/paged/events/",
            "/paged/events/page/2/",
            "/paged/events/page/3/"
        ]
    );
    let events: Vec<String> = pages.iter().flat_map(|(_, e)| e.clone()).collect();
    let mut unique = events.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 5, "{events:?}");
    // Every page links every year, to the page where the year starts.
    let third = page(&out, "events/page/3/index.html");
    assert_eq!(
        attrs(&third, "nav.years a", "href"),
        [
            "/paged/events/#year-2021",
            "/paged/events/page/2/#year-2022"
        ]
    );
    // The picture above the list marks the page's events and links them.
    let second = page(&out, "events/page/2/index.html");
    let marks = attrs(&second, "main .tl-fig svg a", "href");
    assert_eq!(
        marks,
        [
            "/paged/events/2022-03-03-event-3/",
            "/paged/events/2022-04-04-event-4/"
        ]
    );
    // The list stays below the picture.
    let html = std::fs::read_to_string(out.join("events/page/2/index.html")).unwrap();
    assert!(html.find("tl-fig").unwrap() < html.find("<ol class=\"timeline\"").unwrap());
}

#[test]
fn pages_of_lists_are_in_the_sitemap_and_no_link_is_broken() {
    let (_tmp, out) = built();
    let sitemap = std::fs::read_to_string(out.join("sitemap.xml")).unwrap();
    for url in [
        "briefs/page/4/",
        "events/page/3/",
        "actors/aurelia/page/4/",
        "topics/trade/page/2/",
        "authors/ana-diaz/page/4/",
    ] {
        assert!(
            sitemap.contains(&format!("https://example.github.io/paged/{url}")),
            "{url} not in the sitemap"
        );
    }
    assert!(!sitemap.contains("/page/1/"));
    let (broken, checked) = check_links(&out, BASE);
    assert!(checked > 100, "only {checked} links checked");
    assert!(broken.is_empty(), "{broken:#?}");
}

#[test]
fn a_page_size_of_zero_is_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    common::copy_dir(&fixture("paged-site"), tmp.path());
    std::fs::write(tmp.path().join("site.yaml"), "title: x\npaginate_by: 0\n").unwrap();
    let output = common::build_output(tmp.path(), &tmp.path().join("out"), &[]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("paginate_by") && stderr.contains(":2:"),
        "{stderr}"
    );
}
