//! The search index, tested like a library: a fixture site (`tests/fixtures/search-site`,
//! under the subpath `/sub/`) is built, and queries run against its files through the
//! reference reader (`briefly::search::read`), which reads them as the browser does.
//! Also: the files and pages search adds, `search: false`, and the browser client itself
//! under Node when it is installed.

mod common;

use std::path::Path;

use briefly::search::read::{Query, Reader};

/// The fixture built once per test into a temporary folder.
fn built() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    common::build(&common::fixture("search-site"), &out, &[]);
    (tmp, out)
}

fn reader(out: &Path) -> Reader<impl FnMut(&str) -> Option<Vec<u8>> + '_> {
    Reader::open(move |path: &str| std::fs::read(out.join(path)).ok()).unwrap()
}

fn urls(out: &Path, query: &Query) -> Vec<String> {
    reader(out).urls(query, 100).unwrap()
}

fn find(out: &Path, text: &str) -> Vec<String> {
    urls(out, &Query::new(text))
}

#[test]
fn ranking_puts_title_matches_first_and_stems_words() {
    let (_tmp, out) = built();
    let found = find(&out, "sanctions ");
    // The brief with "Sanctions" in its title, then the others that use the word.
    assert_eq!(found[0], "/sub/briefs/sanctions-outlook/", "{found:?}");
    assert!(
        found.contains(&"/sub/briefs/militia-rockets/".to_string()),
        "{found:?}"
    );
    assert!(
        found.contains(&"/sub/actors/iran/".to_string()),
        "{found:?}"
    );
    // Stemming: "sanctioned" and "sanctions" are one stem.
    let found = find(&out, "sanctioned ");
    assert!(
        found.contains(&"/sub/briefs/sanctions-outlook/".to_string()),
        "{found:?}"
    );
    // A form the site never uses still finds its stem.
    let found = find(&out, "sanctioning ");
    assert!(
        found.contains(&"/sub/briefs/sanctions-outlook/".to_string()),
        "{found:?}"
    );
    // Every word must match.
    assert_eq!(
        find(&out, "sanctions rockets "),
        ["/sub/briefs/militia-rockets/"]
    );
    assert!(find(&out, "zzzunknown").is_empty());
}

#[test]
fn the_last_word_matches_as_a_prefix() {
    let (_tmp, out) = built();
    let found = find(&out, "sanc");
    assert!(
        found.contains(&"/sub/briefs/sanctions-outlook/".to_string()),
        "{found:?}"
    );
    let found = find(&out, "hezb");
    assert!(
        found.contains(&"/sub/actors/kataib-hezbollah/".to_string()),
        "{found:?}"
    );
    // Only the last word: a finished word is matched whole.
    assert!(find(&out, "sanc ").is_empty());
    // Aliases weigh like the name.
    assert_eq!(find(&out, "brigades")[0], "/sub/actors/kataib-hezbollah/");
}

#[test]
fn filters_and_order() {
    let (_tmp, out) = built();
    let query = |f: &dyn Fn(&mut Query)| {
        let mut q = Query::new("");
        f(&mut q);
        urls(&out, &q)
    };
    assert_eq!(
        query(&|q| {
            q.text = "hezbollah".into();
            q.kind = Some("actor".into());
        }),
        ["/sub/actors/kataib-hezbollah/"]
    );
    assert_eq!(
        query(&|q| q.topic = Some("security".into())),
        ["/sub/briefs/militia-rockets/"]
    );
    assert_eq!(
        query(&|q| q.region = Some("iraq".into())),
        [
            "/sub/briefs/militia-rockets/",
            "/sub/briefs/arabic-factions/"
        ]
    );
    // An actor's briefs, its events and its own page; newest first.
    assert_eq!(
        query(&|q| q.actor = Some("kataib-hezbollah".into())),
        [
            "/sub/briefs/militia-rockets/",
            "/sub/events/2023-07-05-rockets-strike-al-asad/",
            "/sub/actors/kataib-hezbollah/"
        ]
    );
    // Briefs by date, newest first.
    let briefs = query(&|q| {
        q.kind = Some("brief".into());
        q.newest = true;
    });
    assert_eq!(briefs.len(), 6);
    assert_eq!(briefs[0], "/sub/briefs/militia-rockets/");
    assert_eq!(briefs[5], "/sub/briefs/beijing-study/");
}

#[test]
fn accents_fold_and_other_scripts_are_found() {
    let (_tmp, out) = built();
    let trade = "/sub/briefs/st-lawrence-trade/".to_string();
    assert!(find(&out, "quebec ").contains(&trade));
    assert!(find(&out, "Québec ").contains(&trade));
    assert!(find(&out, "montreal").contains(&trade));
    // Cyrillic, whole and as a prefix.
    assert_eq!(find(&out, "санкции "), ["/sub/briefs/energy-russia/"]);
    assert_eq!(find(&out, "энерге"), ["/sub/briefs/energy-russia/"]);
    // Arabic, with or without vowel marks.
    let arabic = ["/sub/briefs/arabic-factions/"];
    assert_eq!(find(&out, "العراق "), arabic);
    assert_eq!(find(&out, "بغداد "), arabic);
    assert_eq!(find(&out, "بَغْدَاد "), arabic);
    // Chinese: pairs of characters, and one character as a prefix.
    let chinese = ["/sub/briefs/beijing-study/"];
    assert_eq!(find(&out, "北京大学"), chinese);
    assert_eq!(find(&out, "能源安全"), chinese);
    assert_eq!(find(&out, "报"), chinese);
    assert!(find(&out, "北京上海").is_empty());
}

#[test]
fn a_query_reads_the_entry_one_chunk_and_the_fragments_it_shows() {
    let (_tmp, out) = built();
    let mut r = reader(&out);
    let hits = r.search(&Query::new("rockets ")).unwrap();
    assert_eq!(hits.len(), 2);
    let fragment = r.fragment(hits[0].id).unwrap();
    assert_eq!(
        fragment.url,
        "/sub/events/2023-07-05-rockets-strike-al-asad/"
    );
    assert_eq!(fragment.kind, "event");
    assert_eq!(fragment.date.as_deref(), Some("5 July 2023"));
    assert!(
        fragment.text.contains("rockets landed"),
        "{}",
        fragment.text
    );
    let paths: Vec<&str> = r.fetched.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(paths[0], "search/index.json.gz");
    assert!(paths[1].starts_with("search/terms/"), "{paths:?}");
    assert!(paths[2].starts_with("search/docs/"), "{paths:?}");
    assert_eq!(paths.len(), 3, "{paths:?}");
}

#[test]
fn search_files_and_pages() {
    let (_tmp, out) = built();
    let files = common::files(&out);
    let search: Vec<&String> = files.keys().filter(|p| p.starts_with("search/")).collect();
    // Every document has a fragment: 6 briefs, 2 actors, 1 event, 1 page.
    let docs = search
        .iter()
        .filter(|p| p.starts_with("search/docs/"))
        .count();
    assert_eq!(docs, 10, "{search:?}");
    assert!(files.contains_key("search/index.json.gz"));
    assert!(files.contains_key("search.js"));
    for path in search.iter().filter(|p| p.starts_with("search/terms/")) {
        // Named by the hash of their content.
        let name = path
            .trim_start_matches("search/terms/")
            .trim_end_matches(".bin.gz");
        assert_eq!(name.len(), 16, "{path}");
        assert!(name.bytes().all(|b| b.is_ascii_hexdigit()), "{path}");
    }
    let page = common::page(&out, "search/index.html");
    assert_eq!(common::attrs(&page, "input[name=q]", "type"), ["search"]);
    let labels = common::texts(&page, "label");
    for wanted in ["Search", "Kind", "Topic", "Region", "Actor", "Sort"] {
        assert!(
            labels.iter().any(|l| l.starts_with(wanted)),
            "no label {wanted}: {labels:?}"
        );
    }
    assert_eq!(
        common::attrs(&page, "script[src]", "src"),
        ["/sub/search.js"]
    );
    assert_eq!(common::attrs(&page, "[aria-live]", "aria-live"), ["polite"]);
    // Other pages: a search box in the header, no script.
    let home = common::page(&out, "index.html");
    assert_eq!(
        common::attrs(&home, "form[role=search]", "action"),
        ["/sub/search/"]
    );
    assert!(common::attrs(&home, "script[src]", "src").is_empty());
}

#[test]
fn search_false_writes_no_search_files_and_no_link() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    common::copy_dir(&common::fixture("search-site"), &site);
    let yaml = std::fs::read_to_string(site.join("site.yaml")).unwrap();
    std::fs::write(site.join("site.yaml"), format!("{yaml}search: false\n")).unwrap();
    let out = tmp.path().join("public");
    common::build(&site, &out, &[]);
    let files = common::files(&out);
    assert!(
        !files.keys().any(|p| p.starts_with("search")),
        "{:?}",
        files
            .keys()
            .filter(|p| p.contains("search"))
            .collect::<Vec<_>>()
    );
    for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
        let html = String::from_utf8_lossy(bytes);
        assert!(!html.contains("/sub/search/"), "{path} links to search");
    }
}

#[test]
fn builds_are_byte_identical() {
    let (_tmp, out) = built();
    let (_tmp2, again) = built();
    let a = common::files(&out);
    let b = common::files(&again);
    let search = |m: &std::collections::BTreeMap<String, Vec<u8>>| {
        m.iter()
            .filter(|(p, _)| p.starts_with("search"))
            .map(|(p, b)| (p.clone(), b.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(search(&a), search(&b));
}

/// A warm session after an edit writes the same search files as a cold build of the
/// edited site, and only the files that changed.
#[test]
fn an_edit_in_a_warm_session_rewrites_only_what_changed() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    common::copy_dir(&common::fixture("search-site"), &site);
    let warm_out = tmp.path().join("warm");
    let options = briefly::options::BuildOptions {
        root: site.clone(),
        output: Some(warm_out.clone()),
        ..briefly::options::BuildOptions::default()
    };
    let mut session = briefly::session::Session::new(options);
    session.rebuild(&[]).unwrap();
    let before = common::files(&warm_out);
    let brief = site.join("content/briefs/st-lawrence-trade.md");
    let text = std::fs::read_to_string(&brief).unwrap();
    std::fs::write(&brief, text.replace("grain", "grain and zirconium")).unwrap();
    session.rebuild(&[brief]).unwrap();
    let after = common::files(&warm_out);
    assert_eq!(
        find(&warm_out, "zirconium "),
        ["/sub/briefs/st-lawrence-trade/"]
    );
    let cold = tmp.path().join("cold");
    common::build(&site, &cold, &[]);
    let search = |m: &std::collections::BTreeMap<String, Vec<u8>>| {
        m.iter()
            .filter(|(p, _)| p.starts_with("search/"))
            .map(|(p, b)| (p.clone(), b.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(search(&after), search(&common::files(&cold)));
    let changed_chunks = after
        .keys()
        .filter(|p| p.starts_with("search/terms/") && !before.contains_key(*p))
        .count();
    assert!(changed_chunks >= 1);
    // More edits: a word gone, a title changed, a brief removed; each time the same
    // files as a cold build.
    let edits: [(&str, &str, &str); 3] = [
        ("content/briefs/st-lawrence-trade.md", "Montréal", "Toronto"),
        (
            "content/briefs/militia-rockets.md",
            "title: Militia Rockets",
            "title: Militia Drones",
        ),
        (
            "content/actors/iran.md",
            "long-standing sanctions",
            "embargoes",
        ),
    ];
    for (i, (file, from, to)) in edits.into_iter().enumerate() {
        let path = site.join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{file}");
        std::fs::write(&path, text.replace(from, to)).unwrap();
        session.rebuild(&[path]).unwrap();
        let cold = tmp.path().join(format!("cold{i}"));
        common::build(&site, &cold, &[]);
        assert_eq!(
            search(&common::files(&warm_out)),
            search(&common::files(&cold)),
            "after editing {file}"
        );
    }
    assert!(find(&warm_out, "montreal").is_empty());
    assert_eq!(find(&warm_out, "drones"), ["/sub/briefs/militia-rockets/"]);
    let removed = site.join("content/briefs/beijing-study.md");
    std::fs::remove_file(&removed).unwrap();
    session.rebuild(&[removed]).unwrap();
    let cold = tmp.path().join("cold-removed");
    common::build(&site, &cold, &[]);
    assert_eq!(
        search(&common::files(&warm_out)),
        search(&common::files(&cold))
    );
}

/// The browser client itself, under Node: the same results as the reference reader, and
/// excerpts with the hits marked. Skipped (with a message) where Node is missing, unless
/// on CI, where it must be there.
#[test]
fn the_javascript_client_finds_what_the_reader_finds() {
    let node = std::env::var("NODE").unwrap_or_else(|_| "node".to_string());
    if std::process::Command::new(&node)
        .arg("--version")
        .output()
        .is_err()
    {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "Node.js is needed on CI to test theme/search.js (apt-get install nodejs)"
        );
        eprintln!("skipped: Node.js not found; theme/search.js is not tested");
        return;
    }
    let (_tmp, out) = built();
    let queries: Vec<Query> = [
        ("sanctions", None, false),
        ("sanc", None, false),
        ("Québec ", None, false),
        ("montreal", None, false),
        ("санкции", None, false),
        ("بَغْدَاد", None, false),
        ("北京大学", None, false),
        ("报", None, false),
        ("hezbollah", Some("actor"), false),
        ("", Some("brief"), true),
        ("sanctioning ", None, false),
    ]
    .into_iter()
    .map(|(text, kind, newest)| Query {
        text: text.to_string(),
        kind: kind.map(str::to_string),
        newest,
        ..Query::default()
    })
    .collect();
    let json: Vec<String> = queries
        .iter()
        .map(|q| {
            serde_json::json!({
                "q": q.text,
                "kind": q.kind.clone().unwrap_or_default(),
                "sort": if q.newest { "newest" } else { "" },
            })
            .to_string()
        })
        .collect();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/node/search-query.js");
    let output = std::process::Command::new(&node)
        .arg(&script)
        .arg(&out)
        .args(&json)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let results: Vec<serde_json::Value> = serde_json::from_slice(&output.stdout).unwrap();
    for (query, result) in queries.iter().zip(&results) {
        let expected = reader(&out).urls(query, 10).unwrap();
        let got: Vec<String> = result["urls"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u.as_str().unwrap().to_string())
            .collect();
        assert_eq!(got, expected, "query {query:?}");
        assert!(!got.is_empty(), "query {query:?} found nothing");
    }
    let excerpt = results[0]["excerpt"].as_str().unwrap();
    assert!(excerpt.contains("<mark>Sanctions</mark>"), "{excerpt}");
    let excerpt = results[2]["excerpt"].as_str().unwrap();
    assert!(excerpt.contains("<mark>Québec</mark>"), "{excerpt}");
    let excerpt = results[6]["excerpt"].as_str().unwrap();
    assert!(excerpt.contains("<mark>北京</mark>"), "{excerpt}");
    // One word: the entry, one chunk, the fragments shown.
    let fetched: Vec<&str> = results[0]["fetched"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    assert_eq!(fetched[0], "search/index.json.gz");
    assert!(fetched[1].starts_with("search/terms/"), "{fetched:?}");
    assert!(
        fetched[2..].iter().all(|f| f.starts_with("search/docs/")),
        "{fetched:?}"
    );
}

#[test]
fn filters_are_labelled_with_the_names_topic_and_region_pages_show() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    common::build(&common::repo_root(), &out, &[]);
    let entry = reader(&out).entry.clone();
    let label = |list: &[(String, String, usize)], slug: &str| {
        list.iter()
            .find(|(value, ..)| value == slug)
            .map(|(_, label, _)| label.clone())
    };
    // Titles from site.yaml, as on /topics/ and /regions/.
    assert_eq!(
        label(&entry.topics, "counter-terrorism").as_deref(),
        Some("Counter-terrorism")
    );
    assert_eq!(label(&entry.topics, "nato").as_deref(), Some("NATO"));
    let topics = common::texts(&common::page(&out, "topics/index.html"), "main a");
    for (slug, label, _) in &entry.topics {
        assert!(
            topics.iter().any(|t| t.starts_with(label.as_str())),
            "{slug}: {label} not in {topics:?}"
        );
    }
}
