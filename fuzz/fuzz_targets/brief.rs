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
use briefly::load::{self, front, frontmatter, Content, Source};
use briefly::{render, resolve, slug};
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
    match parse(place, text) {
        Ok(parsed) => content.insert(parsed),
        Err(d) => diagnostics.push(d),
    }
}

fn parse(place: &str, text: &str) -> Result<load::Parsed, Diagnostic> {
    let source = frontmatter::split(&format!("content/{place}"), text.to_string())?;
    let stem = place
        .rsplit('/')
        .next()
        .and_then(|n| n.strip_suffix(".md"))
        .unwrap_or("fuzz");
    let content_path = place.to_string();
    Ok(match load::classify(place) {
        load::FileKind::Brief => {
            let front: load::BriefFront = front::parse(&source, "brief", load::BRIEF_KEYS)?;
            let date = load::parse_date(&source, "date", &front.date)?;
            let updated = match &front.updated {
                Some(u) => Some(load::parse_date(&source, "updated", u)?),
                None => None,
            };
            let slug = choose_slug(&source, front.slug.as_deref(), stem)?;
            load::Parsed::Brief(Box::new(load::BriefDoc {
                source,
                front,
                date,
                updated,
                slug,
                content_path,
            }))
        }
        load::FileKind::Actor => {
            let front: load::ActorFront = front::parse(&source, "actor", load::ACTOR_KEYS)?;
            let slug = choose_slug(&source, front.slug.as_deref(), stem)?;
            load::Parsed::Actor(Box::new(load::ActorDoc {
                source,
                front,
                slug,
                content_path,
            }))
        }
        load::FileKind::Event => {
            let front: load::EventFront = front::parse(&source, "event", load::EVENT_KEYS)?;
            let date = load::parse_date(&source, "date", &front.date)?;
            let end_date = match &front.end_date {
                Some(d) => Some(load::parse_date(&source, "end_date", d)?),
                None => None,
            };
            let slug = choose_slug(&source, front.slug.as_deref(), stem)?;
            load::Parsed::Event(Box::new(load::EventDoc {
                source,
                front,
                date,
                end_date,
                slug,
                content_path,
            }))
        }
        _ => {
            let front: load::PageFront = front::parse(&source, "page", load::PAGE_KEYS)?;
            let slug = choose_slug(&source, front.slug.as_deref(), stem)?;
            load::Parsed::Page(Box::new(load::PageDoc {
                source,
                front,
                slug,
                content_path,
            }))
        }
    })
}

/// As `load` chooses a slug: the explicit one if valid (else an error), or the stem's.
fn choose_slug(source: &Source, explicit: Option<&str>, stem: &str) -> Result<String, Diagnostic> {
    match explicit {
        Some(s) if slug::is_valid_slug(s) => Ok(s.to_string()),
        Some(s) => Err(source.front_error(1, 1, format!("`{s}` is not a valid slug"))),
        None => Ok(slug::slugify(stem)),
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
