//! What pages say about themselves to machines, and how a brief is cited: canonical URLs,
//! OpenGraph and Twitter tags on every page, Highwire `citation_*` tags and JSON-LD
//! (parsed back and checked for its types and required properties), the "Cite this brief"
//! block with its exact APA, Chicago and BibTeX texts, and `cite.bib` beside each brief,
//! also as a warm session keeps it.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use briefly::build::BuildOptions;
use briefly::session::Session;
use common::*;
use scraper::{Html, Selector};
use serde_json::Value;

/// The `content` of `<meta property|name="key">` elements, in order.
fn meta(html: &Html, key: &str) -> Vec<String> {
    let mut found = attrs(html, &format!("meta[property=\"{key}\"]"), "content");
    found.extend(attrs(html, &format!("meta[name=\"{key}\"]"), "content"));
    found
}

/// The one `content` of a meta tag.
fn one(html: &Html, key: &str) -> String {
    let found = meta(html, key);
    assert_eq!(found.len(), 1, "{key}: {found:?}");
    found[0].clone()
}

/// Every JSON-LD document of a page, parsed.
fn json_ld(html: &Html) -> Vec<Value> {
    let sel = Selector::parse("script[type=\"application/ld+json\"]").unwrap();
    html.select(&sel)
        .map(|e| {
            let text: String = e.text().collect();
            assert!(!text.contains("</"), "a JSON-LD text holds `</`: {text}");
            serde_json::from_str(&text).unwrap_or_else(|err| panic!("{err}: {text}"))
        })
        .collect()
}

/// The page's only JSON-LD document.
fn the_json_ld(out: &Path, relative: &str) -> Value {
    let docs = json_ld(&page(out, relative));
    assert_eq!(docs.len(), 1, "{relative}: {docs:?}");
    assert_eq!(docs[0]["@context"], "https://schema.org", "{relative}");
    docs[0].clone()
}

/// The raw text of the first element matching `selector`.
fn raw_text(html: &Html, selector: &str) -> String {
    let sel = Selector::parse(selector).unwrap();
    html.select(&sel)
        .next()
        .unwrap_or_else(|| panic!("no {selector}"))
        .text()
        .collect()
}

fn built_fixture(tmp: &Path) -> PathBuf {
    let out = tmp.join("out");
    build(&fixture("valid-site"), &out, &[]);
    out
}

fn assert_has(value: &Value, keys: &[&str], what: &str) {
    for key in keys {
        let v = &value[*key];
        assert!(
            !(v.is_null() || v == "" || v.as_array().is_some_and(Vec::is_empty)),
            "{what} lacks `{key}`: {value:#}"
        );
    }
}

#[test]
fn a_brief_carries_canonical_opengraph_twitter_and_highwire_tags() {
    let tmp = tempfile::tempdir().unwrap();
    let out = built_fixture(tmp.path());
    let a = page(&out, "briefs/crossfire/index.html");
    let url = "https://example.org/briefs/crossfire/";
    assert_eq!(attrs(&a, "link[rel=canonical]", "href"), [url]);
    assert_eq!(one(&a, "og:type"), "article");
    assert_eq!(one(&a, "og:title"), "Caught in the Crossfire");
    assert_eq!(one(&a, "og:url"), url);
    assert_eq!(one(&a, "og:site_name"), "Example Briefs");
    let description = one(&a, "og:description");
    assert!(description.starts_with("In late June 2021, President Biden"));
    assert_eq!(
        attrs(&a, "meta[name=description]", "content"),
        [description.as_str()]
    );
    assert_eq!(
        one(&a, "og:image"),
        "https://example.org/briefs/2021/map.svg"
    );
    assert_eq!(one(&a, "article:published_time"), "2021-07-12");
    assert_eq!(one(&a, "article:modified_time"), "2021-07-20");
    assert_eq!(meta(&a, "article:author"), ["Jane Doe", "Sam Roe"]);

    assert_eq!(one(&a, "twitter:card"), "summary_large_image");
    assert_eq!(one(&a, "twitter:title"), "Caught in the Crossfire");
    assert_eq!(one(&a, "twitter:description"), description);

    assert_eq!(
        one(&a, "citation_title"),
        "Caught in the Crossfire: Canadian forces and the U.S.–Iran rivalry in Iraq"
    );
    assert_eq!(meta(&a, "citation_author"), ["Doe, Jane", "Roe, Sam"]);
    assert_eq!(
        meta(&a, "citation_author_institution"),
        ["Example Institute"]
    );
    assert_eq!(one(&a, "citation_publication_date"), "2021/07/12");
    assert_eq!(
        one(&a, "citation_technical_report_institution"),
        "Example Policy Centre"
    );
    assert_eq!(one(&a, "citation_abstract_html_url"), url);

    // A brief dated with a time keeps it; one without a cover has a small card.
    let b = page(&out, "briefs/militia-escalation/index.html");
    assert_eq!(
        one(&b, "article:published_time"),
        "2021-07-08T09:30:00-04:00"
    );
    assert_eq!(one(&b, "citation_publication_date"), "2021/07/08");
    assert_eq!(one(&b, "twitter:card"), "summary");
    assert!(meta(&b, "og:image").is_empty());
}

#[test]
fn every_page_has_a_canonical_url_opengraph_and_a_twitter_card() {
    let tmp = tempfile::tempdir().unwrap();
    let out = built_fixture(tmp.path());
    let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
    for path in files(&out).keys().filter(|p| p.ends_with(".html")) {
        let html = page(&out, path);
        let served = path.strip_suffix("index.html").unwrap_or(path);
        let canonical = format!("https://example.org/{served}");
        assert_eq!(
            attrs(&html, "link[rel=canonical]", "href"),
            [canonical.as_str()],
            "{path}"
        );
        assert_eq!(one(&html, "og:url"), canonical, "{path}");
        assert_eq!(one(&html, "og:site_name"), "Example Briefs", "{path}");
        assert!(!one(&html, "og:title").is_empty(), "{path}");
        assert!(!one(&html, "twitter:title").is_empty(), "{path}");
        assert!(!one(&html, "twitter:card").is_empty(), "{path}");
        let kind = one(&html, "og:type");
        let is_brief = path.starts_with("briefs/") && path != "briefs/index.html";
        assert_eq!(kind, if is_brief { "article" } else { "website" }, "{path}");
        // Highwire tags are for briefs only.
        assert_eq!(meta(&html, "citation_title").len(), usize::from(is_brief));
        for doc in json_ld(&html) {
            *kinds
                .entry(doc["@type"].as_str().unwrap().to_string())
                .or_default() += 1;
        }
    }
    let expected: BTreeMap<String, usize> = [
        ("Event", 5),
        ("Organization", 5),
        ("Person", 1),
        ("Report", 3),
        ("WebSite", 1),
    ]
    .into_iter()
    .map(|(k, n)| (k.to_string(), n))
    .collect();
    assert_eq!(kinds, expected);
}

#[test]
fn json_ld_has_the_types_and_properties_schema_org_asks_for() {
    let tmp = tempfile::tempdir().unwrap();
    let out = built_fixture(tmp.path());

    let report = the_json_ld(&out, "briefs/crossfire/index.html");
    assert_eq!(report["@type"], "Report");
    assert_has(
        &report,
        &[
            "name",
            "headline",
            "datePublished",
            "dateModified",
            "author",
            "publisher",
            "about",
            "url",
        ],
        "the Report",
    );
    assert_eq!(report["name"], "Caught in the Crossfire");
    assert_eq!(report["datePublished"], "2021-07-12");
    assert_eq!(report["dateModified"], "2021-07-20");
    assert_eq!(report["url"], "https://example.org/briefs/crossfire/");
    let authors = report["author"].as_array().unwrap();
    assert_eq!(authors.len(), 2);
    assert_eq!(authors[0]["@type"], "Person");
    assert_eq!(authors[0]["name"], "Jane Doe");
    assert_eq!(authors[1]["affiliation"]["@type"], "Organization");
    assert_eq!(authors[1]["affiliation"]["name"], "Example Institute");
    let publisher = &report["publisher"];
    assert_eq!(publisher["@type"], "Organization");
    assert_eq!(publisher["name"], "Example Policy Centre");
    assert_eq!(publisher["url"], "https://www.example.com/");
    assert_eq!(publisher["logo"]["url"], "https://example.org/favicon.svg");
    let about: Vec<(&str, &str)> = report["about"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["@type"].as_str().unwrap(), a["name"].as_str().unwrap()))
        .collect();
    assert_eq!(
        about,
        [
            ("Organization", "Kata'ib Hezbollah"),
            ("Person", "Joe Biden"),
            ("Organization", "United States"),
            ("Organization", "Canada"),
        ]
    );

    let person = the_json_ld(&out, "actors/joe-biden/index.html");
    assert_eq!(person["@type"], "Person");
    assert_has(&person, &["name", "url", "description"], "the Person");
    assert_eq!(person["url"], "https://example.org/actors/joe-biden/");
    assert_eq!(person["nationality"]["name"], "United States");

    let militia = the_json_ld(&out, "actors/kataib-hezbollah/index.html");
    assert_eq!(militia["@type"], "Organization");
    assert_has(
        &militia,
        &["name", "url", "alternateName", "sameAs", "memberOf"],
        "the Organization",
    );
    assert_eq!(militia["memberOf"][0]["name"], "Popular Mobilization Units");
    let state = the_json_ld(&out, "actors/canada/index.html");
    assert_eq!(state["@type"], "Organization");

    let event = the_json_ld(&out, "events/2020-01-03-soleimani-killed/index.html");
    assert_eq!(event["@type"], "Event");
    assert_has(
        &event,
        &[
            "name",
            "startDate",
            "location",
            "url",
            "description",
            "about",
        ],
        "the Event",
    );
    assert_eq!(event["startDate"], "2020-01-03");
    assert_eq!(event["location"]["@type"], "Place");
    assert_eq!(
        event["location"]["name"],
        "Baghdad International Airport, Iraq"
    );
    assert_eq!(event["about"].as_array().unwrap().len(), 3);
    let ranged = the_json_ld(
        &out,
        "events/2020-01-07-operation-impact-suspended/index.html",
    );
    assert_eq!(ranged["endDate"], "2020-01-16");

    let site = the_json_ld(&out, "index.html");
    assert_eq!(site["@type"], "WebSite");
    assert_has(&site, &["name", "url", "publisher"], "the WebSite");
}

#[test]
fn a_brief_can_be_cited_in_apa_chicago_and_bibtex() {
    let tmp = tempfile::tempdir().unwrap();
    let out = built_fixture(tmp.path());
    let a = page(&out, "briefs/crossfire/index.html");
    assert_eq!(texts(&a, "#cite-title"), ["Cite this brief"]);
    assert_eq!(attrs(&a, "section#cite", "aria-labelledby"), ["cite-title"]);
    assert_eq!(
        texts(&a, "#cite-apa"),
        [
            "Doe, J., & Roe, S. (2021). Caught in the Crossfire: Canadian forces and the \
          U.S.–Iran rivalry in Iraq. Example Policy Centre. https://example.org/briefs/crossfire/"
        ]
    );
    assert_eq!(texts(&a, "#cite-apa i").len(), 1, "the title is in italics");
    assert_eq!(
        texts(&a, "#cite-chicago"),
        [
            "Doe, Jane, and Sam Roe. 2021. Caught in the Crossfire: Canadian forces and the \
          U.S.–Iran rivalry in Iraq. Example Policy Centre. https://example.org/briefs/crossfire/."
        ]
    );
    let bibtex = "@techreport{doe2021caught,
  author = {Doe, Jane and Roe, Sam},
  title = {{Caught in the Crossfire: Canadian forces and the U.S.–Iran rivalry in Iraq}},
  type = {Policy brief},
  institution = {Example Policy Centre},
  year = {2021},
  month = jul,
  url = {https://example.org/briefs/crossfire/},
}
";
    assert_eq!(raw_text(&a, "#cite-bibtex"), bibtex);
    assert_eq!(
        std::fs::read_to_string(out.join("briefs/crossfire/cite.bib")).unwrap(),
        bibtex
    );
    assert_eq!(
        attrs(&a, "#cite a[download]", "href"),
        ["/briefs/crossfire/cite.bib"]
    );

    // Without JavaScript the texts are there and the copy buttons are not shown; the
    // script that shows them is loaded on brief pages only.
    let buttons = Selector::parse("button.cite-copy").unwrap();
    assert_eq!(a.select(&buttons).count(), 3);
    assert!(a
        .select(&buttons)
        .all(|b| b.value().attr("hidden").is_some()));
    assert_eq!(attrs(&a, "script[src]", "src"), ["/cite.js"]);
    assert!(out.join("cite.js").is_file());
    let actor = page(&out, "actors/canada/index.html");
    assert!(attrs(&actor, "script[src]", "src").is_empty());
    assert!(texts(&actor, "#cite").is_empty());

    // Every built brief has its cite.bib; the draft does not.
    for slug in ["crossfire", "militia-escalation", "ottawa-options"] {
        let bib = std::fs::read_to_string(out.join(format!("briefs/{slug}/cite.bib"))).unwrap();
        assert!(bib.starts_with("@techreport{"), "{slug}: {bib}");
    }
    assert!(!out.join("briefs/sanctions-outlook").exists());
}

/// A site of briefs that exercise names, organisations, keys and escaping, under a
/// project subpath.
fn cite_site(root: &Path) {
    let write = |path: &str, text: &str| {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write(
        "site.yaml",
        "title: Cite Test\nbase_url: https://example.org/sub/\npublisher: Example Institute\n",
    );
    write(
        "content/briefs/a.md",
        "---\ntitle: Policy Options for Ottawa\ndate: 2021-03-01\nauthors:\n  - {name: María José García Márquez, family: García Márquez, given: María José}\n  - {name: Example Institute, type: organization}\n---\n\nText.\n",
    );
    write(
        "content/briefs/b.md",
        "---\ntitle: Policy Options Revisited\ndate: 2021-09-01\nauthors:\n  - {name: María José García Márquez, family: García Márquez}\n---\n\nText.\n",
    );
    write(
        "content/briefs/c.md",
        "---\ntitle: The State of Play\ndate: 2020-01-01\nactors: [Nobody Known]\n---\n\nText.\n",
    );
    write(
        "content/briefs/d.md",
        "---\ntitle: \"Tariffs & Trade_Offs: 100% {Sure}?\"\ndate: 2022-05-06\nauthors: [\"Seán O'Brien\", {name: Smith and Jones, type: organisation}]\n---\n\nText.\n",
    );
}

#[test]
fn names_organisations_keys_and_escaping_in_citations() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    cite_site(&site);
    let out = tmp.path().join("out");
    build(&site, &out, &[]);

    let a = page(&out, "briefs/a/index.html");
    assert_eq!(
        attrs(&a, "link[rel=canonical]", "href"),
        ["https://example.org/sub/briefs/a/"]
    );
    assert_eq!(
        texts(&a, "#cite-apa"),
        [
            "García Márquez, M. J., & Example Institute. (2021). Policy Options for Ottawa. \
          Example Institute. https://example.org/sub/briefs/a/"
        ]
    );
    assert_eq!(
        meta(&a, "citation_author"),
        ["García Márquez, María José", "Example Institute"]
    );
    let report = the_json_ld(&out, "briefs/a/index.html");
    assert_eq!(report["author"][0]["@type"], "Person");
    assert_eq!(report["author"][1]["@type"], "Organization");
    assert!(raw_text(&a, "#cite-bibtex").starts_with(
        "@techreport{garciamarquez2021policy,\n  author = {García Márquez, María José and {Example Institute}},"
    ));

    // The older brief keeps the key; the newer one with the same key gets `b`.
    let b = std::fs::read_to_string(out.join("briefs/b/cite.bib")).unwrap();
    assert!(
        b.starts_with("@techreport{garciamarquez2021policyb,\n"),
        "{b}"
    );
    assert!(b.contains("author = {García Márquez, María José},"), "{b}");

    // No author: the publisher is the author, named once.
    let c = page(&out, "briefs/c/index.html");
    assert_eq!(
        texts(&c, "#cite-apa"),
        ["Example Institute. (2020). The State of Play. https://example.org/sub/briefs/c/"]
    );
    assert_eq!(
        texts(&c, "#cite-chicago"),
        ["Example Institute. 2020. The State of Play. https://example.org/sub/briefs/c/."]
    );
    assert!(raw_text(&c, "#cite-bibtex")
        .starts_with("@techreport{example2020state,\n  author = {{Example Institute}},"));
    let implicit = the_json_ld(&out, "actors/nobody-known/index.html");
    assert_eq!(implicit["@type"], "Thing");

    // Special characters are escaped for BibTeX; the title ends in `?`, so no period.
    let d = std::fs::read_to_string(out.join("briefs/d/cite.bib")).unwrap();
    assert_eq!(
        d,
        "@techreport{obrien2022tariffs,
  author = {O'Brien, Seán and {Smith and Jones}},
  title = {{Tariffs \\& Trade\\_Offs: 100\\% \\{Sure\\}?}},
  type = {Policy brief},
  institution = {Example Institute},
  year = {2022},
  month = may,
  url = {https://example.org/sub/briefs/d/},
}
"
    );
    let d = page(&out, "briefs/d/index.html");
    assert_eq!(
        texts(&d, "#cite-chicago"),
        [
            "O'Brien, Seán, and Smith and Jones. 2022. Tariffs & Trade_Offs: 100% {Sure}? \
          Example Institute. https://example.org/sub/briefs/d/."
        ]
    );
    assert_eq!(
        attrs(&d, "#cite a[download]", "href"),
        ["/sub/briefs/d/cite.bib"]
    );
}

#[test]
fn a_title_cannot_close_the_json_ld_script() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    build(&fixture("escaping-site"), &out, &[]);
    for path in files(&out).keys().filter(|p| p.ends_with(".html")) {
        // json_ld() refuses `</` inside a script and parses every document.
        json_ld(&page(&out, path));
    }
    let brief = files(&out)
        .into_keys()
        .find(|p| {
            p.starts_with("briefs/") && p.ends_with("/index.html") && p != "briefs/index.html"
        })
        .unwrap();
    let report = the_json_ld(&out, &brief);
    assert_eq!(report["name"], "<script>alert(1)</script>");
    let actor = the_json_ld(&out, "actors/smith-jones/index.html");
    assert_eq!(
        actor["name"],
        "Smith & Jones </script><script>alert(2)</script>"
    );
    let bib_path = brief.replace("index.html", "cite.bib");
    let bib = std::fs::read_to_string(out.join(bib_path)).unwrap();
    assert!(
        bib.contains("title = {{\\textless{}script\\textgreater{}alert(1)"),
        "{bib}"
    );
}

#[test]
fn a_warm_session_keeps_cite_files_like_a_clean_build() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    cite_site(&site);
    let out = tmp.path().join("served");
    let mut session = Session::new(BuildOptions {
        root: site.clone(),
        output: Some(out.clone()),
        write: true,
        ..BuildOptions::default()
    });
    session.rebuild(&[]).expect("first build");
    let same_as_clean = |step: &str| {
        let clean = tmp.path().join(format!("clean-{step}"));
        build(&site, &clean, &[]);
        assert!(
            files(&out) == files(&clean),
            "{step}: differs from a clean build"
        );
    };
    same_as_clean("first");

    // An older brief with the same key takes it over: both briefs' files change.
    std::fs::write(
        site.join("content/briefs/e.md"),
        "---\ntitle: Policy Options, an Overview\ndate: 2021-01-15\nauthors: [{name: María José García Márquez, family: García Márquez}]\n---\n\nText.\n",
    )
    .unwrap();
    session
        .rebuild(&[PathBuf::from("content/briefs/e.md")])
        .expect("added");
    let e = std::fs::read_to_string(out.join("briefs/e/cite.bib")).unwrap();
    assert!(e.starts_with("@techreport{garciamarquez2021policy,"), "{e}");
    let a = std::fs::read_to_string(out.join("briefs/a/cite.bib")).unwrap();
    assert!(
        a.starts_with("@techreport{garciamarquez2021policyb,"),
        "{a}"
    );
    same_as_clean("added");

    // A removed brief takes its cite.bib with it.
    std::fs::remove_file(site.join("content/briefs/b.md")).unwrap();
    session
        .rebuild(&[PathBuf::from("content/briefs/b.md")])
        .expect("removed");
    assert!(!out.join("briefs/b").exists());
    same_as_clean("removed");

    // The publisher is in every citation.
    let yaml = site.join("site.yaml");
    let text = std::fs::read_to_string(&yaml).unwrap();
    std::fs::write(
        &yaml,
        text.replace("Example Institute", "Renamed Institute"),
    )
    .unwrap();
    session
        .rebuild(&[PathBuf::from("site.yaml")])
        .expect("publisher");
    let c = std::fs::read_to_string(out.join("briefs/c/cite.bib")).unwrap();
    assert!(c.contains("{{Renamed Institute}}"), "{c}");
    same_as_clean("publisher");
}
