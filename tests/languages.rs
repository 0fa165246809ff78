//! A site in two languages (tests/fixtures/bilingual-site, English and French under
//! `/briefs/`): where each language's pages are, how pages link their versions, what falls
//! back to English, and the errors of files in languages the site does not have.

mod common;

use std::path::{Path, PathBuf};

use common::*;

fn built() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    build(&fixture("bilingual-site"), &out, &[]);
    (tmp, out)
}

const ORIGIN: &str = "https://example.org/briefs/";

#[test]
fn each_language_has_its_pages_and_the_site_its_files_once() {
    let (_tmp, out) = built();
    for path in [
        "index.html",
        "briefs/sanctions/index.html",
        "briefs/ottawa/index.html",
        "fr/index.html",
        "fr/briefs/sanctions/index.html",
        "fr/briefs/sahel/index.html",
        "fr/actors/irgc/index.html",
        "fr/actors/un/index.html",
        "fr/events/2019-04-08-listing/index.html",
        "fr/about/index.html",
        "fr/topics/sanctions/index.html",
        "fr/feed.xml",
        "fr/events.ics",
        "fr/api/briefs.json",
        "fr/search/index.html",
        "fr/search/index.json.gz",
        "sitemap.xml",
        "404.html",
        ".nojekyll",
        "style.css",
        "briefs/map.svg",
    ] {
        assert!(out.join(path).is_file(), "{path} is missing");
    }
    // Written once, at the root.
    for path in [
        "fr/404.html",
        "fr/sitemap.xml",
        "fr/.nojekyll",
        "fr/style.css",
        "fr/search.js",
        "fr/briefs/map.svg",
        // Briefs exist only in the languages they are written in.
        "fr/briefs/ottawa/index.html",
        "briefs/sahel/index.html",
    ] {
        assert!(!out.join(path).exists(), "{path} should not exist");
    }
    let briefs = std::fs::read_to_string(out.join("fr/api/briefs.json")).unwrap();
    assert!(briefs.contains("Le Sahel après le retrait") && !briefs.contains("Ottawa"));
    let feed = std::fs::read_to_string(out.join("fr/feed.xml")).unwrap();
    assert!(feed.contains("Les sanctions contre les Gardiens"));
    assert!(!feed.contains("Sanctions on the IRGC"));
}

#[test]
fn pages_are_in_their_language_and_link_theme_files_at_the_root() {
    let (_tmp, out) = built();
    let html = page(&out, "fr/briefs/sanctions/index.html");
    assert_eq!(attrs(&html, "html", "lang"), ["fr"]);
    assert_eq!(
        attrs(&html, "link[rel=stylesheet]", "href"),
        ["/briefs/style.css"]
    );
    assert_eq!(attrs(&html, "a.site-title", "href"), ["/briefs/fr/"]);
    assert_eq!(texts(&html, "a.site-title"), ["Notes d'orientation"]);
    // A content asset is at the root, whichever language links it.
    assert_eq!(
        attrs(&html, ".brief-body img", "src"),
        ["/briefs/briefs/map.svg"]
    );
    // A topic's name in French.
    let topic = page(&out, "fr/topics/sanctions/index.html");
    assert!(texts(&topic, "h1").concat().contains("Les sanctions"));
}

/// `(hreflang, href)` of a page's alternates.
fn alternates(out: &Path, path: &str) -> Vec<(String, String)> {
    let html = page(out, path);
    let selector = scraper::Selector::parse("link[rel=alternate][hreflang]").unwrap();
    html.select(&selector)
        .map(|e| {
            let v = e.value();
            (
                v.attr("hreflang").unwrap().to_string(),
                v.attr("href").unwrap().to_string(),
            )
        })
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(a, b)| (a.to_string(), format!("{ORIGIN}{b}")))
        .collect()
}

#[test]
fn translations_link_each_other_both_ways_with_x_default() {
    let (_tmp, out) = built();
    let expected = pairs(&[
        ("en", "briefs/sanctions/"),
        ("fr", "fr/briefs/sanctions/"),
        ("x-default", "briefs/sanctions/"),
    ]);
    assert_eq!(alternates(&out, "briefs/sanctions/index.html"), expected);
    assert_eq!(alternates(&out, "fr/briefs/sanctions/index.html"), expected);
    // A brief in one language has itself only; a French-only one no x-default.
    assert_eq!(
        alternates(&out, "briefs/ottawa/index.html"),
        pairs(&[("en", "briefs/ottawa/"), ("x-default", "briefs/ottawa/")])
    );
    assert_eq!(
        alternates(&out, "fr/briefs/sahel/index.html"),
        pairs(&[("fr", "fr/briefs/sahel/")])
    );
    // Indexes and home pages are versions of each other too.
    assert_eq!(
        alternates(&out, "fr/index.html"),
        pairs(&[("en", ""), ("fr", "fr/"), ("x-default", "")])
    );
}

#[test]
fn the_switcher_links_the_same_page_or_the_home_of_the_language() {
    let (_tmp, out) = built();
    let switcher = |path: &str| attrs(&page(&out, path), "nav.lang-switch a", "href");
    assert_eq!(
        switcher("briefs/sanctions/index.html"),
        ["/briefs/briefs/sanctions/", "/briefs/fr/briefs/sanctions/"]
    );
    assert_eq!(
        switcher("briefs/ottawa/index.html"),
        ["/briefs/briefs/ottawa/", "/briefs/fr/"]
    );
    assert_eq!(
        switcher("fr/briefs/sahel/index.html"),
        ["/briefs/", "/briefs/fr/briefs/sahel/"]
    );
    let html = page(&out, "fr/about/index.html");
    assert_eq!(attrs(&html, "nav.lang-switch a", "hreflang"), ["en", "fr"]);
    assert_eq!(texts(&html, "nav.lang-switch a"), ["English", "Français"]);
    assert_eq!(
        attrs(&html, "nav.lang-switch a[aria-current]", "href"),
        ["/briefs/fr/about/"]
    );
}

#[test]
fn actors_events_and_pages_fall_back_to_the_default_language() {
    let (_tmp, out) = built();
    // No French file: the English text, marked as English, under /fr/.
    let un = page(&out, "fr/actors/un/index.html");
    assert_eq!(attrs(&un, "html", "lang"), ["fr"]);
    assert_eq!(attrs(&un, ".description", "lang"), ["en"]);
    assert_eq!(texts(&un, "h1"), ["United Nations"]);
    // A translation: its name and text, the rest from the English file.
    let irgc = page(&out, "fr/actors/irgc/index.html");
    assert_eq!(texts(&irgc, "h1"), ["Gardiens de la révolution"]);
    assert!(attrs(&irgc, ".description", "lang").is_empty());
    assert!(texts(&irgc, ".description")
        .concat()
        .contains("armée idéologique"));
    assert!(texts(&irgc, ".eyebrow").concat().contains("Iran"));
    // An event translation with a title only keeps the English date and text.
    let event = page(&out, "fr/events/2019-04-08-listing/index.html");
    assert_eq!(texts(&event, "h1"), ["Les Gardiens sont inscrits"]);
    assert_eq!(attrs(&event, ".description", "lang"), ["en"]);
    let about = page(&out, "fr/about/index.html");
    assert_eq!(texts(&about, "h1"), ["À propos"]);
}

#[test]
fn actors_are_known_by_the_names_of_all_their_files() {
    let (_tmp, out) = built();
    // A French alias in a French-only brief links the French actor page.
    let sahel = page(&out, "fr/briefs/sahel/index.html");
    assert_eq!(
        attrs(&sahel, "a.mention", "href"),
        ["/briefs/fr/actors/irgc/"]
    );
    assert_eq!(
        texts(&sahel, "a.mention"),
        ["les Gardiens de la révolution"]
    );
    // Links to files of other languages lead to the page in the language where there is
    // one, else to the page of the file's language.
    let sanctions = page(&out, "briefs/sanctions/index.html");
    assert!(attrs(&sanctions, ".brief-body a", "href")
        .contains(&"/briefs/fr/briefs/sahel/".to_string()));
    let french = page(&out, "fr/briefs/sanctions/index.html");
    assert!(attrs(&french, ".brief-body a", "href")
        .contains(&"/briefs/fr/briefs/sanctions/".to_string()));
}

#[test]
fn one_sitemap_lists_every_language_with_its_alternates() {
    let (_tmp, out) = built();
    let text = std::fs::read_to_string(out.join("sitemap.xml")).unwrap();
    let mut reader = quick_xml::Reader::from_str(&text);
    let mut locs = Vec::new();
    let mut links = Vec::new();
    let mut in_loc = false;
    loop {
        match reader.read_event().expect("the sitemap is XML") {
            quick_xml::events::Event::Start(e) if e.name().as_ref() == b"loc" => in_loc = true,
            quick_xml::events::Event::Text(t) if in_loc => {
                locs.push(t.decode().unwrap().into_owned());
                in_loc = false;
            }
            quick_xml::events::Event::Empty(e) if e.name().as_ref() == b"xhtml:link" => {
                let attr = |name: &[u8]| {
                    e.attributes()
                        .map(Result::unwrap)
                        .find(|a| a.key.as_ref() == name)
                        .map(|a| String::from_utf8(a.value.to_vec()).unwrap())
                        .unwrap()
                };
                links.push((
                    locs.last().unwrap().clone(),
                    attr(b"hreflang"),
                    attr(b"href"),
                ));
            }
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    assert!(text.contains("xmlns:xhtml=\"http://www.w3.org/1999/xhtml\""));
    for loc in [
        "briefs/sanctions/",
        "fr/briefs/sanctions/",
        "fr/briefs/sahel/",
        "fr/",
    ] {
        assert!(locs.contains(&format!("{ORIGIN}{loc}")), "{loc} not listed");
    }
    assert!(!locs.iter().any(|l| l.ends_with("404.html")));
    let of = |loc: &str| -> Vec<(String, String)> {
        links
            .iter()
            .filter(|(l, _, _)| *l == format!("{ORIGIN}{loc}"))
            .map(|(_, lang, href)| (lang.clone(), href.clone()))
            .collect()
    };
    let both = pairs(&[("en", "briefs/sanctions/"), ("fr", "fr/briefs/sanctions/")]);
    assert_eq!(of("briefs/sanctions/"), both);
    assert_eq!(of("fr/briefs/sanctions/"), both);
}

fn check(root: &Path) -> (Option<i32>, String) {
    let output = briefly(&["check", "--root", root.to_str().unwrap()]);
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

const BRIEF: &str = "---\ntitle: A\ndate: 2021-01-01\n---\nText.\n";

#[test]
fn a_language_the_site_does_not_declare_is_an_error_at_the_file() {
    let tmp = site(&[
        ("site.yaml", "title: T\nlanguages:\n  fr: {title: N}\n"),
        ("content/briefs/a.de.md", BRIEF),
    ]);
    let (code, stderr) = check(tmp.path());
    assert_eq!(code, Some(1));
    assert_eq!(
        stderr,
        "\
error: language `de` is not declared in site.yaml
 --> content/briefs/a.de.md:1:1
  |
1 | ---
  | ^
  |
  = help: add `de` under `languages:` in site.yaml, or rename the file (see docs/languages.md)

check failed: 1 error, 0 warnings
"
    );
}

#[test]
fn a_lang_key_the_site_does_not_declare_is_an_error_at_its_line() {
    let tmp = site(&[(
        "content/briefs/a.md",
        "---\ntitle: A\ndate: 2021-01-01\nlang: es\n---\nText.\n",
    )]);
    let (code, stderr) = check(tmp.path());
    assert_eq!(code, Some(1));
    assert!(
        stderr.starts_with(
            "error: language `es` is not declared in site.yaml\n --> content/briefs/a.md:4:7\n"
        ),
        "{stderr}"
    );
}

#[test]
fn lang_in_an_inline_event_is_a_warning_at_its_line() {
    let tmp = site(&[
        ("site.yaml", "title: T\nlanguages:\n  fr: {title: N}\n"),
        (
            "content/briefs/a.md",
            "---\ntitle: A\ndate: 2021-01-01\nevents:\n  - title: Talks\n    date: 2021-01-02\n    lang: fr\n---\nText.\n",
        ),
    ]);
    let (code, stderr) = check(tmp.path());
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stderr.starts_with(
            "warning: `lang:` of an inline event is ignored: it is in the language of its brief\n --> content/briefs/a.md:7:11\n"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("content/events/"), "{stderr}");
}

#[test]
fn two_files_claiming_one_translation_are_an_error_naming_both() {
    let tmp = site(&[
        ("site.yaml", "title: T\nlanguages:\n  fr: {title: N}\n"),
        ("content/briefs/a.md", BRIEF),
        (
            "content/briefs/b.md",
            "---\ntitle: B\ndate: 2021-01-01\nlang: fr\ntranslation_key: a\n---\nText.\n",
        ),
        (
            "content/briefs/c.fr.md",
            "---\ntitle: C\ndate: 2021-01-01\ntranslation_key: a\n---\nText.\n",
        ),
    ]);
    let (code, stderr) = check(tmp.path());
    assert_eq!(code, Some(1));
    assert_eq!(
        stderr,
        "\
error: two files are the same `fr` translation: content/briefs/b.md and content/briefs/c.fr.md
 --> content/briefs/c.fr.md:4:18
  |
4 | translation_key: a
  |                  ^ the `translation_key` of this file
  |
 ::: content/briefs/b.md:5:18
  |
5 | translation_key: a
  |                  - already the `translation_key` of this file
  |
  = help: give one of them another `lang:`, `translation_key:` or file name (content/briefs/b.md or content/briefs/c.fr.md)

check failed: 1 error, 0 warnings
"
    );
}

#[test]
fn a_name_whose_last_part_is_no_language_code_keeps_it() {
    let tmp = site(&[("content/briefs/v2.1.md", BRIEF)]);
    let out = tmp.path().join("out");
    build(tmp.path(), &out, &[]);
    assert!(out.join("briefs/v21/index.html").is_file());
    // A one-language site has no alternates and no switcher.
    let html = page(&out, "briefs/v21/index.html");
    assert!(attrs(&html, "link[hreflang]", "href").is_empty());
    assert!(texts(&html, "nav.lang-switch").is_empty());
}

#[test]
fn a_translation_without_a_base_must_be_whole() {
    let tmp = site(&[
        ("site.yaml", "title: T\nlanguages:\n  fr: {title: N}\n"),
        ("content/actors/x.fr.md", "---\naliases: [X]\n---\n"),
    ]);
    let (code, stderr) = check(tmp.path());
    assert_eq!(code, Some(1));
    assert!(
        stderr.starts_with(
            "error: actor front matter has no `name`\n --> content/actors/x.fr.md:1:1"
        ),
        "{stderr}"
    );
}

#[test]
fn a_build_reports_the_problems_of_every_language() {
    let tmp = site(&[
        ("site.yaml", "title: T\nlanguages:\n  fr: {title: N}\n"),
        (
            "content/briefs/a.md",
            "---\ntitle: A\ndate: 2021-01-01\n---\nSee [this](missing.md).\n",
        ),
        (
            "content/briefs/a.fr.md",
            "---\ntitle: A\ndate: 2021-01-01\n---\nVoir [ceci](absent.md).\n",
        ),
    ]);
    let out = tmp.path().join("out");
    let output = build_output(tmp.path(), &out, &[]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("content/briefs/missing.md does not exist"),
        "{stderr}"
    );
    assert!(
        stderr.contains("content/briefs/absent.md does not exist"),
        "{stderr}"
    );
    assert!(stderr.contains("2 errors"), "{stderr}");
    assert!(!out.exists(), "a failed build wrote its output");
}

#[test]
fn a_topic_entry_is_unused_only_when_no_language_has_a_brief_with_it() {
    let tmp = site(&[
        (
            "site.yaml",
            "title: T\ntopics:\n  trade: {title: Trade}\n  energy: {title: Energy}\nlanguages:\n  fr: {title: N}\n",
        ),
        (
            "content/briefs/a.md",
            "---\ntitle: A\ndate: 2021-01-01\ntopics: [trade]\n---\nText.\n",
        ),
        ("content/briefs/b.fr.md", BRIEF),
    ]);
    let (code, stderr) = check(tmp.path());
    assert_eq!(code, Some(0), "{stderr}");
    // `trade` has an English brief and none in French: not reported; `energy` has none
    // in any language: reported once.
    assert!(!stderr.contains("`trade`"), "{stderr}");
    assert_eq!(
        stderr
            .matches("`topics` names `energy`, but no brief has this topic")
            .count(),
        1,
        "{stderr}"
    );
}
