//! One output of every kind, built from the fixture site and kept as an insta snapshot
//! named by its kind: a change to a template, the theme's markup or a data format shows up
//! as a diff to review (`INSTA_UPDATE=always cargo test --test snapshots`, then read the
//! `.snap` files before committing them).

mod common;

use std::path::Path;

use common::{build, fixture};

/// Every kind of output, and the file of the fixture site that stands for it.
const KINDS: &[(&str, &str)] = &[
    ("home", "index.html"),
    ("brief", "briefs/crossfire/index.html"),
    ("actor", "actors/kataib-hezbollah/index.html"),
    ("event", "events/2020-01-03-soleimani-killed/index.html"),
    ("timeline", "events/index.html"),
    ("topic", "topics/counter-terrorism/index.html"),
    ("region", "regions/iraq/index.html"),
    ("author", "authors/jane-doe/index.html"),
    ("not_found", "404.html"),
    ("feed", "feed.xml"),
    ("topic_feed", "topics/counter-terrorism/feed.xml"),
    ("actor_feed", "actors/kataib-hezbollah/feed.xml"),
    ("calendar", "events.ics"),
    ("actor_calendar", "actors/kataib-hezbollah/events.ics"),
    ("sitemap", "sitemap.xml"),
    ("json_briefs", "api/briefs.json"),
    ("json_actors", "api/actors.json"),
    ("json_events", "api/events.json"),
];

/// The file's text; JSON (written compact) is indented so that its diffs read well.
fn read(out: &Path, relative: &str) -> String {
    let text = std::fs::read_to_string(out.join(relative))
        .unwrap_or_else(|e| panic!("{relative} was not written: {e}"));
    if relative.ends_with(".json") {
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        return serde_json::to_string_pretty(&value).unwrap();
    }
    text
}

#[test]
fn every_kind_of_output_matches_its_snapshot() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    build(&fixture("valid-site"), &out, &[]);
    // Each kind is asserted even when another differs, so one run shows every diff.
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_snapshot_path("snapshots/output");
    settings.bind(|| {
        for (kind, relative) in KINDS {
            insta::with_settings!({ description => *relative }, {
                insta::assert_snapshot!(*kind, read(&out, relative));
            });
        }
    });
}
