//! Builds the example site and the fixture sites with the real binary, then checks what a
//! reader would see: every link resolves, pages cross-link both ways, order is right,
//! output is deterministic and front matter is escaped everywhere.

mod common;

use common::*;

#[test]
fn example_site_builds_with_no_broken_links() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let output = build(&repo_root(), &out, &["--strict"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("Built ") && stdout.contains(" briefs, ") && stdout.contains(" ms"),
        "{stdout}"
    );
    // The example site's base_url is https://example.github.io/briefs/.
    let (broken, checked) = check_links(&out, "/briefs/");
    assert!(checked > 1000, "only {checked} links checked");
    assert!(
        broken.is_empty(),
        "{} broken links: {:#?}",
        broken.len(),
        &broken[..broken.len().min(20)]
    );
}

#[test]
fn fixture_site_builds_with_no_broken_links() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    build(&fixture("valid-site"), &out, &["--strict"]);
    let (broken, checked) = check_links(&out, "/");
    assert!(checked > 100, "only {checked} links checked");
    assert!(broken.is_empty(), "{broken:#?}");
    let with_drafts = tmp.path().join("drafts");
    build(
        &fixture("valid-site"),
        &with_drafts,
        &["--strict", "--drafts"],
    );
    assert!(check_links(&with_drafts, "/").0.is_empty());
}

#[test]
fn a_project_subpath_keeps_every_link_under_it() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    build(
        &fixture("valid-site"),
        &out,
        &["--base-url", "https://example.github.io/sub/"],
    );
    let (broken, checked) = check_links(&out, "/sub/");
    assert!(checked > 100);
    assert!(broken.is_empty(), "{broken:#?}");
    let feed = std::fs::read_to_string(out.join("feed.xml")).unwrap();
    assert!(feed.contains("https://example.github.io/sub/briefs/crossfire/"));
    let sitemap = std::fs::read_to_string(out.join("sitemap.xml")).unwrap();
    for loc in sitemap.split("<loc>").skip(1) {
        assert!(loc.starts_with("https://example.github.io/sub/"), "{loc}");
    }
}

#[test]
fn pages_cross_link_both_ways() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    build(&fixture("valid-site"), &out, &[]);

    // An actor lists the briefs that tag it, then those that only mention it.
    let kh = page(&out, "actors/kataib-hezbollah/index.html");
    let briefs = attrs(&kh, ".actor-briefs .card-title a", "href");
    assert_eq!(
        briefs,
        ["/briefs/crossfire/", "/briefs/militia-escalation/"]
    );
    assert!(attrs(&kh, "a", "href").contains(&"/actors/popular-mobilization-units/".to_string()));
    let canada = page(&out, "actors/canada/index.html");
    let mut listed = attrs(&canada, ".actor-briefs .card-title a", "href");
    listed.sort();
    assert_eq!(
        listed,
        [
            "/briefs/crossfire/",
            "/briefs/militia-escalation/",
            "/briefs/ottawa-options/"
        ]
    );

    // An event lists its briefs and its actors; shared inline events have one page.
    let rockets = page(
        &out,
        "events/2021-07-05-rockets-strike-al-asad-air-base/index.html",
    );
    let mut rb = attrs(&rockets, ".event-briefs .card-title a", "href");
    rb.sort();
    assert_eq!(rb, ["/briefs/crossfire/", "/briefs/ottawa-options/"]);
    assert_eq!(
        attrs(&rockets, ".chips a", "href"),
        ["/actors/united-states/"]
    );
    let al_asad = page(&out, "events/2020-01-08-al-asad-missile-attack/index.html");
    assert_eq!(
        attrs(&al_asad, "a[rel=prev]", "href"),
        ["/events/2020-01-07-operation-impact-suspended/"]
    );
    assert_eq!(
        attrs(&al_asad, "a[rel=next]", "href"),
        ["/events/2021-06-27-us-airstrikes-on-border-facilities/"]
    );

    // A brief links its actors, events, topics, regions and authors.
    let a = page(&out, "briefs/crossfire/index.html");
    let hrefs = attrs(&a, "a", "href");
    for expected in [
        "/actors/kataib-hezbollah/",
        "/actors/joe-biden/",
        "/events/2020-01-03-soleimani-killed/",
        "/events/2021-06-27-us-airstrikes-on-border-facilities/",
        "/topics/counter-terrorism/",
        "/regions/syria/",
        "/authors/sam-roe/",
        "/briefs/militia-escalation/#recommendations-for-canada",
    ] {
        assert!(
            hrefs.iter().any(|h| h == expected),
            "crossfire lacks {expected}"
        );
    }
    assert!(!hrefs.iter().any(|h| h.ends_with(".md")));
    assert_eq!(attrs(&a, ".cover img", "src"), ["/briefs/2021/map.svg"]);
    assert!(out.join("briefs/2021/map.svg").exists());

    // Related briefs: B and C share the most.
    let c = page(&out, "briefs/ottawa-options/index.html");
    assert_eq!(
        attrs(&c, ".related .card-title a", "href")
            .first()
            .map(String::as_str),
        Some("/briefs/militia-escalation/")
    );
}

#[test]
fn briefs_show_key_points_and_numbered_recommendations() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    build(&fixture("valid-site"), &out, &[]);
    let a = page(&out, "briefs/crossfire/index.html");
    assert_eq!(texts(&a, "section#key-points > ul > li").len(), 3);
    assert!(texts(&a, "section#key-points")
        .join(" ")
        .contains("These points are expanded below"));
    assert_eq!(
        texts(&a, "section#recommendations-for-canada > ol > li").len(),
        4
    );
    assert_eq!(
        attrs(&a, "section", "id"),
        [
            "key-points",
            "background",
            "threats-to-canadian-security",
            "recommendations-for-canada",
            "cite"
        ]
    );

    let b = page(&out, "briefs/militia-escalation/index.html");
    assert_eq!(texts(&b, "section#key-points > ul > li").len(), 3);
    let recs = texts(&b, "section#recommendations-for-canada > ol > li > h3");
    assert_eq!(
        recs,
        [
            "Keep troops out of the line of fire",
            "Deepen ties with Baghdad",
            "Back the United Nations mission"
        ]
    );

    let c = page(&out, "briefs/ottawa-options/index.html");
    assert_eq!(texts(&c, "section#key-findings > ul > li").len(), 3);
    assert_eq!(texts(&c, "section#recommendations > ol > li").len(), 2);
    assert_eq!(
        texts(&c, "section.free-section > h2"),
        [
            "Options at a Glance",
            "Beyond the Biden Strikes",
            "Implementation Checklist",
            "Data Notes"
        ]
    );
    assert_eq!(texts(&c, "table tbody tr").len(), 3);
    assert_eq!(texts(&c, "del").len(), 1);
    assert_eq!(attrs(&c, "input[type=checkbox][checked]", "type").len(), 1);
    assert!(
        !attrs(&c, "pre.code span", "class").is_empty(),
        "code is highlighted with classes"
    );
    assert!(
        attrs(&c, "pre.code span", "style").is_empty(),
        "no inline styles"
    );
}

#[test]
fn mentions_link_first_occurrence_only_outside_headings_links_and_code() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    build(&fixture("valid-site"), &out, &[]);
    let a = page(&out, "briefs/crossfire/index.html");
    let mentions = attrs(&a, ".brief-body a.mention", "href");
    assert_eq!(
        mentions
            .iter()
            .filter(|h| *h == "/actors/kataib-hezbollah/")
            .count(),
        1
    );
    assert_eq!(
        texts(&a, ".brief-body a.mention[href=\"/actors/joe-biden/\"]"),
        ["President Biden"]
    );
    let b = page(&out, "briefs/militia-escalation/index.html");
    assert_eq!(
        texts(&b, "a.mention[href=\"/actors/kataib-hezbollah/\"]"),
        ["Kata’ib Hezbollah"]
    );
    assert_eq!(
        texts(
            &b,
            "a.mention[href=\"/actors/popular-mobilization-units/\"]"
        ),
        ["الحشد الشعبي"]
    );
    assert_eq!(
        texts(&b, "a.mention[href=\"/actors/iran/\"]"),
        ["Islamic Republic of Iran"]
    );
    let c = page(&out, "briefs/ottawa-options/index.html");
    assert!(attrs(&c, ".brief-body a", "href")
        .iter()
        .all(|h| h != "/actors/joe-biden/"));
    // Mention-only actors appear in the aside and the JSON.
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("api/briefs.json")).unwrap()).unwrap();
    let b_json = json
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["slug"] == "militia-escalation")
        .unwrap();
    assert!(b_json["mentioned_actors"]
        .as_array()
        .unwrap()
        .iter()
        .any(|x| x == "kataib-hezbollah"));
}

#[test]
fn timeline_and_brief_lists_are_in_order() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    build(&repo_root(), &out, &[]);
    let timeline = page(&out, "events/index.html");
    let dates = attrs(&timeline, "ol.timeline > li > time", "datetime");
    assert!(dates.len() >= 15);
    let mut sorted = dates.clone();
    sorted.sort();
    assert_eq!(dates, sorted, "timeline oldest first");
    let briefs = page(&out, "briefs/index.html");
    let dates = attrs(&briefs, ".card-meta time", "datetime");
    let mut newest_first = dates.clone();
    newest_first.sort_by(|a, b| b.cmp(a));
    assert_eq!(dates, newest_first);
    assert!(dates.len() >= 6);
}

#[test]
fn drafts_build_only_with_the_flag() {
    let tmp = tempfile::tempdir().unwrap();
    let plain = tmp.path().join("plain");
    build(&fixture("valid-site"), &plain, &[]);
    for absent in [
        "briefs/sanctions-outlook",
        "topics/sanctions",
        "regions/iran",
        "authors/alex-poe",
        "events/2022-01-10-nuclear-talks-resume-in-vienna",
    ] {
        assert!(
            !plain.join(absent).exists(),
            "{absent} built without --drafts"
        );
    }
    assert!(!std::fs::read_to_string(plain.join("feed.xml"))
        .unwrap()
        .contains("sanctions-outlook"));
    let drafts = tmp.path().join("drafts");
    build(&fixture("valid-site"), &drafts, &["--drafts"]);
    for present in [
        "briefs/sanctions-outlook",
        "topics/sanctions",
        "regions/iran",
        "authors/alex-poe",
        "events/2022-01-10-nuclear-talks-resume-in-vienna",
    ] {
        assert!(
            drafts.join(present).join("index.html").exists(),
            "{present} missing with --drafts"
        );
    }
}

#[test]
fn two_builds_are_byte_identical() {
    let tmp = tempfile::tempdir().unwrap();
    let first = tmp.path().join("one");
    let second = tmp.path().join("two");
    build(&repo_root(), &first, &[]);
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_briefly"))
        .args([
            "build",
            "--root",
            repo_root().to_str().unwrap(),
            "--output",
            second.to_str().unwrap(),
        ])
        .env("RAYON_NUM_THREADS", "1")
        .env("TZ", "Pacific/Kiritimati")
        .env("LC_ALL", "C")
        .status()
        .unwrap();
    assert!(status.success());
    let (a, b) = (files(&first), files(&second));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (path, bytes) in &a {
        assert!(bytes == &b[path], "{path} differs between builds");
    }
}

#[test]
fn front_matter_is_escaped_everywhere() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    build(&fixture("escaping-site"), &out, &[]);
    let mut shown = 0;
    for (path, bytes) in files(&out) {
        let text = String::from_utf8_lossy(&bytes);
        // iCalendar values are plain text (RFC 5545 TEXT), not markup: the name is kept
        // as written, which is checked below by reading the calendar back.
        if path.ends_with(".ics") {
            continue;
        }
        assert!(
            !text.contains("<script>alert"),
            "{path} carries a raw <script>"
        );
        assert!(
            !text.contains("</script><script>"),
            "{path} carries a raw </script>"
        );
        if text.contains("&lt;script&gt;alert(1)&lt;/script&gt;")
            || text.contains("\\u003cscript\\u003ealert(1)\\u003c/script\\u003e")
        {
            shown += 1;
        }
    }
    assert!(
        shown >= 4,
        "the title shows (escaped) on only {shown} files"
    );
    let feed = std::fs::read_to_string(out.join("feed.xml")).unwrap();
    assert!(feed.contains("<title>&lt;script&gt;alert(1)&lt;/script&gt;</title>"));
    let ics = std::fs::read_to_string(out.join("actors/smith-jones/events.ics")).unwrap();
    let calendar: icalendar::Calendar = ics.parse().unwrap();
    assert_eq!(
        calendar.property_value("X-WR-CALNAME"),
        Some("Smith & Jones </script><script>alert(2)</script> · Escaping Test")
    );
    let json = std::fs::read_to_string(out.join("api/briefs.json")).unwrap();
    assert!(json.contains("\\u003cscript\\u003ealert(1)\\u003c/script\\u003e"));
    let parsed: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(parsed[0]["title"], "<script>alert(1)</script>");
}

#[test]
fn every_page_declares_its_language() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    build(&fixture("valid-site"), &out, &[]);
    for (path, bytes) in files(&out) {
        if path.ends_with(".html") {
            assert!(
                String::from_utf8_lossy(&bytes).starts_with("<!doctype html>\n<html lang=\"en\">"),
                "{path}"
            );
        }
    }
}

#[test]
fn every_page_is_reachable_from_the_home_page() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    build(&repo_root(), &out, &[]);
    let base = "/briefs/";
    let all = files(&out);
    let mut seen = std::collections::BTreeSet::from(["index.html".to_string()]);
    let mut queue = vec!["index.html".to_string()];
    while let Some(current) = queue.pop() {
        let html = page(&out, &current);
        for href in attrs(&html, "a[href]", "href") {
            let Some(rest) = href.split('#').next().and_then(|p| p.strip_prefix(base)) else {
                continue;
            };
            let file = if rest.is_empty() || rest.ends_with('/') {
                format!("{rest}index.html")
            } else {
                rest.to_string()
            };
            if file.ends_with(".html") && all.contains_key(&file) && seen.insert(file.clone()) {
                queue.push(file);
            }
        }
    }
    let unreachable: Vec<&String> = all
        .keys()
        .filter(|p| p.ends_with("index.html") && !seen.contains(*p))
        .collect();
    assert!(unreachable.is_empty(), "unreachable: {unreachable:?}");
}

#[test]
fn the_link_checker_sees_breaks() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    build(&fixture("valid-site"), &out, &[]);
    std::fs::remove_file(out.join("actors/canada/index.html")).unwrap();
    let brief = out.join("briefs/crossfire/index.html");
    let text = std::fs::read_to_string(&brief)
        .unwrap()
        .replace("id=\"background\"", "id=\"elsewhere\"");
    std::fs::write(&brief, text).unwrap();
    let (broken, _) = check_links(&out, "/");
    assert!(
        broken
            .iter()
            .any(|b| b.link == "/actors/canada/" && b.why == "no such file"),
        "{broken:#?}"
    );
    assert!(
        broken
            .iter()
            .any(|b| b.link.ends_with("#background") && b.why == "no such id"),
        "{broken:#?}"
    );
    assert!(!check_links(&out, "/sub/").0.is_empty());
}

#[test]
fn actor_and_event_pages_agree_with_the_corpus_data() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    build(&repo_root(), &out, &[]);
    let read = |name: &str| -> Vec<serde_json::Value> {
        serde_json::from_slice::<serde_json::Value>(
            &std::fs::read(out.join("api").join(name)).unwrap(),
        )
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
    };
    let briefs = read("briefs.json");
    let url_of = |slug: &serde_json::Value| format!("/briefs/briefs/{}/", slug.as_str().unwrap());
    let mut mentions_seen = 0;
    for actor in read("actors.json") {
        let page = page(
            &out,
            &format!("actors/{}/index.html", actor["slug"].as_str().unwrap()),
        );
        let listed = attrs(&page, ".actor-briefs .card-title a", "href");
        for slug in actor["briefs"]
            .as_array()
            .unwrap()
            .iter()
            .chain(actor["mentioned_in"].as_array().unwrap())
        {
            assert!(
                listed.contains(&url_of(slug)),
                "actor {} does not list {slug}",
                actor["slug"]
            );
        }
        mentions_seen += actor["mentioned_in"].as_array().unwrap().len();
        // Every brief that tags the actor says so in the JSON of briefs too.
        for slug in actor["briefs"].as_array().unwrap() {
            let brief = briefs.iter().find(|b| &b["slug"] == slug).unwrap();
            assert!(brief["actors"].as_array().unwrap().contains(&actor["slug"]));
        }
    }
    assert!(
        mentions_seen > 0,
        "the example site has mention-only actors"
    );
    for event in read("events.json") {
        let page = page(
            &out,
            &format!("events/{}/index.html", event["slug"].as_str().unwrap()),
        );
        let listed = attrs(&page, ".event-briefs .card-title a", "href");
        for slug in event["briefs"].as_array().unwrap() {
            assert!(
                listed.contains(&url_of(slug)),
                "event {} does not list {slug}",
                event["slug"]
            );
        }
        let actors = attrs(&page, ".chips a", "href");
        for slug in event["actors"].as_array().unwrap() {
            assert!(actors.contains(&format!("/briefs/actors/{}/", slug.as_str().unwrap())));
        }
    }
}

#[test]
fn footnotes_are_numbered_once_and_listed_at_the_end() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    build(&repo_root(), &out, &[]);
    let brief = page(&out, "briefs/flight-ps752-accountability/index.html");
    let numbers = texts(&brief, "sup.footnote-reference a");
    assert_eq!(
        numbers,
        ["1", "2", "3", "4"],
        "references in order of first use"
    );
    let notes = attrs(&brief, "section.footnotes li", "id");
    assert_eq!(notes, ["fn-1", "fn-2", "fn-3", "fn-4"]);
    assert_eq!(
        attrs(&brief, "section.footnotes a.footnote-back", "href").len(),
        4
    );
    assert!(attrs(&brief, ".recommendations li", "id")
        .iter()
        .all(|id| !id.starts_with("fn-")));
}

#[test]
fn a_build_that_packs_its_bodies_writes_the_same_bytes() {
    // A large site keeps its briefs' rendered HTML compressed while it builds (over
    // `PACK_ABOVE` of Markdown); `BRIEFLY_PACK_ABOVE=0` does so for the example site.
    let tmp = tempfile::tempdir().unwrap();
    let (plain, packed) = (tmp.path().join("plain"), tmp.path().join("packed"));
    build(&repo_root(), &plain, &[]);
    build_env(&repo_root(), &packed, &[], &[("BRIEFLY_PACK_ABOVE", "0")]);
    let (plain, packed) = (files(&plain), files(&packed));
    assert_eq!(
        plain.keys().collect::<Vec<_>>(),
        packed.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &plain {
        assert!(
            packed[path] == *bytes,
            "{path} differs when bodies are packed"
        );
    }
}
