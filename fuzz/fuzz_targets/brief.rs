//! Bytes → a content file → split front matter → parse → resolve with a few fixed actors
//! and events → Markdown. The same bytes are tried as a brief, an actor, an event and a
//! page (whichever parse); all of them join one small site, as `load` would give it.
//!
//! Besides not panicking, every diagnostic must name a file and a line of it, and a quoted
//! line must be that line of the file.

#![no_main]

use std::cell::RefCell;

use briefly::config::SiteConfig;
use briefly::diagnostics::{Diagnostic, Diagnostics};
use briefly::load::{self, Content};
use briefly::{render, resolve};
use libfuzzer_sys::fuzz_target;

/// Fixed records the fuzzed file can refer to (and collide with).
const FIXTURES: &[(&str, &str)] = &[
    (
        "actors/iran.md",
        "---\nname: Iran\naliases: [Islamic Republic of Iran, Tehran]\nkind: state\n---\nA state.\n",
    ),
    (
        "actors/irgc.md",
        "---\nname: Islamic Revolutionary Guard Corps\naliases: [IRGC]\naffiliations: [iran]\n---\nGuards of Iran.\n",
    ),
    (
        "events/2020-01-08-strike.md",
        "---\ntitle: Missile strike\ndate: 2020-01-08\nactors: [iran, IRGC]\n---\n## Aftermath\n\nIran said so.\n",
    ),
    ("pages/about.md", "---\ntitle: About\n---\n## Team\n\nWho we are.\n"),
];

thread_local! {
    static CACHE: RefCell<resolve::ResolveCache> = RefCell::default();
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut diagnostics = Diagnostics::new();
    let mut content = Content::default();
    let mut texts: Vec<(String, String)> = Vec::new();
    for (path, fixture) in FIXTURES {
        add(&mut content, &mut diagnostics, path, fixture);
        texts.push((format!("content/{path}"), fixture.to_string()));
    }
    for place in [
        "briefs/2021/fuzz.md",
        "actors/fuzz.md",
        "events/fuzz.md",
        "pages/fuzz.md",
    ] {
        add(&mut content, &mut diagnostics, place, text);
        texts.push((format!("content/{place}"), text.to_string()));
    }
    content.assets.push(load::Asset {
        content_path: "briefs/2021/map.png".into(),
        disk_path: "map.png".into(),
    });
    // The mention index is kept between runs when the actors' names are the same, as the
    // dev server keeps it between rebuilds: most inputs skip building it again.
    let graph = CACHE.with_borrow_mut(|cache| {
        resolve::resolve_cached(
            SiteConfig::default(),
            content,
            false,
            &mut diagnostics,
            cache,
        )
    });
    let bodies = render::bodies::render_all(&graph, &mut diagnostics);
    let _ = render::crossref::compute(&graph, &bodies);
    for d in diagnostics.iter() {
        check_location(d, &texts);
        let _ = d.to_string();
    }
});

/// Parses one file as `load::load_file` does after reading it; an error is a diagnostic.
fn add(content: &mut Content, diagnostics: &mut Diagnostics, place: &str, text: &str) {
    let stem = place
        .rsplit('/')
        .next()
        .and_then(|n| n.strip_suffix(".md"))
        .unwrap_or("fuzz");
    match load::parse_text(place.to_string(), stem, text.to_string()) {
        Ok(parsed) => content.insert(parsed),
        Err(d) => diagnostics.push(d),
    }
}

/// A diagnostic names a known file, a line within it, and quotes that line if anything.
fn check_location(d: &Diagnostic, texts: &[(String, String)]) {
    assert!(d.line >= 1 && d.column >= 1, "{d:?}");
    let Some((_, text)) = texts.iter().find(|(path, _)| *path == d.file) else {
        panic!("diagnostic for an unknown file: {d:?}");
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines = text.matches('\n').count() + 1;
    assert!(d.line <= lines, "line past the end ({lines} lines): {d:?}");
    if let Some(quoted) = &d.source_line {
        let actual = text
            .split('\n')
            .nth(d.line - 1)
            .map(|l| l.trim_end_matches('\r'));
        assert_eq!(Some(quoted.as_str()), actual, "{d:?}");
    }
}
