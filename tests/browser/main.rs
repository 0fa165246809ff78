//! Browser tests: the example site (the repository's `content/` and `site.yaml`, base
//! path `/briefs/`), served by the real `briefly serve`, loaded in a headless Chromium.
//! On each page kind (home, briefs, an actor, an event, the timeline, search, the 404
//! page) they check that there is no console error, that every request stays on the
//! server and succeeds, that nothing overflows a 360 px screen, that dark mode darkens
//! the page, and that axe-core finds no serious or critical violation at 1280 and 375 px,
//! light and dark; and that searching for a word lists the brief that holds it.
//! Screenshots go to `target/browser-screenshots/<page>-<width>-<scheme>.png`.
//!
//! Driver: the Chrome DevTools Protocol, spoken directly (`cdp.rs`, a few hundred lines
//! over the `tungstenite` WebSocket crate). CDP reports console messages, exceptions and
//! every network request as events, and emulates `prefers-color-scheme` and phone
//! viewports, which WebDriver (chromedriver with `fantoccini` or `thirtyfour`) reaches
//! only through vendor extensions, with a second process to run. The CDP crates
//! (`chromiumoxide`, `headless_chrome`) carry bindings generated for the whole protocol,
//! tens of thousands of lines that are slow to compile on a two-core machine, and an
//! async runtime or a thread per tab; the dozen commands used here need only a WebSocket
//! crate that compiles in seconds.
//!
//! Run with `cargo test --test browser`. They need Chromium (`chromium` on `PATH`, or
//! `BRIEFLY_CHROMIUM`) and, for the axe test, axe-core at
//! `target/axe/node_modules/axe-core/axe.min.js` (`npm install --prefix target/axe
//! axe-core`, or `BRIEFLY_AXE`). Without them they skip with a note; with `CI=true` they
//! fail, and `.ci/run` installs both. See `docs/testing.md`.

mod cdp;
mod checks;
#[path = "../common/mod.rs"]
mod common;
mod site;

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use cdp::Tab;
use site::Site;

/// The pages checked: a name (for messages and screenshots), the path under the base path,
/// and the status the page itself answers with. Besides the brief with a figure, three
/// briefs bring what the others lack: a table, code blocks, footnotes; and a brief and an
/// actor in French (the switcher, alternates, French interface).
const PAGES: &[(&str, &str, u16)] = &[
    ("home", "", 200),
    ("brief", "briefs/caught-in-the-crossfire/", 200),
    ("brief-table", "briefs/after-soleimani/", 200),
    ("brief-code", "briefs/nato-mission-iraq/", 200),
    ("brief-notes", "briefs/flight-ps752-accountability/", 200),
    ("actor", "actors/kataib-hezbollah/", 200),
    (
        "event",
        "events/2020-01-03-soleimani-and-al-muhandis-killed-in-baghdad/",
        200,
    ),
    ("timeline", "events/", 200),
    ("search", "search/", 200),
    ("brief-fr", "fr/briefs/canada-lists-the-irgc/", 200),
    ("actor-fr", "fr/actors/irgc/", 200),
    ("404", "no-such-page/", 404),
];

/// The colour schemes axe checks.
const SCHEMES: [&str; 2] = ["light", "dark"];

/// The viewport height that goes with a width.
fn height(width: u32) -> u32 {
    if width < 600 {
        740
    } else {
        800
    }
}

/// A fresh tab on the shared site, at 1280 px, light.
fn open(site: &Site) -> Tab {
    let mut tab = site.browser.tab().unwrap_or_else(|e| {
        panic!("{e}\nChromium said:\n{}", site.browser.log());
    });
    tab.viewport(1280, height(1280)).unwrap();
    tab.color_scheme("light").unwrap();
    tab
}

/// Loads a page; a failure to load names the page and what the server said.
fn load(site: &Site, tab: &mut Tab, page: &str, path: &str) {
    if let Err(e) = tab.goto(&site.url(path)) {
        panic!("{page}: {e}\nserver:\n{}", site.server_log());
    }
}

/// Fails with `problems`, one per line, under `title`.
fn assert_none(title: &str, problems: &[String]) {
    let mut message = String::new();
    for problem in problems {
        let _ = writeln!(message, "  {problem}");
    }
    assert!(problems.is_empty(), "{title}:\n{message}");
}

#[test]
fn pages_log_no_error_and_request_only_the_server() {
    let Some(site) = site::shared() else { return };
    let mut tab = open(&site);
    let mut problems = Vec::new();
    for &(page, path, status) in PAGES {
        let url = site.url(path);
        load(&site, &mut tab, page, path);
        let events = tab.take_events();
        for problem in checks::console_errors(&events, &url, status) {
            problems.push(format!("{page} ({url}): {problem}"));
        }
        for problem in checks::request_problems(&events, &site.origin, &url, status) {
            problems.push(format!("{page} ({url}): {problem}"));
        }
    }
    assert_none("console errors, failed or outside requests", &problems);
}

#[test]
fn pages_fit_a_360px_screen() {
    let Some(site) = site::shared() else { return };
    let mut tab = open(&site);
    tab.viewport(360, height(360)).unwrap();
    let mut problems = Vec::new();
    for &(page, path, _) in PAGES {
        load(&site, &mut tab, page, path);
        match checks::overflow(&mut tab, 360) {
            Ok(None) => {}
            Ok(Some(found)) => problems.push(format!("{page} at 360 px: {found}")),
            Err(e) => problems.push(format!("{page}: {e}")),
        }
        let shot = site::screenshot_dir().join(format!("{page}-360-light.png"));
        tab.screenshot(&shot).unwrap();
    }
    assert_none("horizontal overflow", &problems);
}

#[test]
fn dark_mode_darkens_every_page() {
    let Some(site) = site::shared() else { return };
    let mut tab = open(&site);
    let mut problems = Vec::new();
    for &(page, path, _) in PAGES {
        load(&site, &mut tab, page, path);
        let (light_css, light) = checks::body_background(&mut tab).unwrap();
        tab.color_scheme("dark").unwrap();
        tab.settle().unwrap();
        let (dark_css, dark) = checks::body_background(&mut tab).unwrap();
        tab.color_scheme("light").unwrap();
        if light == dark {
            problems.push(format!(
                "{page}: the body's background stays {dark_css} in dark mode"
            ));
        } else if dark[3] < 255.0 || checks::luminance(dark) > 0.05 {
            problems.push(format!(
                "{page}: the body's background in dark mode is {dark_css} (light: \
                 {light_css}), not a dark opaque colour"
            ));
        }
    }
    assert_none("dark mode", &problems);
}

#[test]
fn axe_finds_no_serious_or_critical_violation_at_1280px() {
    axe_at(1280);
}

#[test]
fn axe_finds_no_serious_or_critical_violation_at_375px() {
    axe_at(375);
}

/// Runs axe-core on every page at `width`, light and dark (one test per width, so that
/// the two run side by side), saving a screenshot of each.
fn axe_at(width: u32) {
    let Some(axe) = site::axe_source() else {
        return;
    };
    let Some(site) = site::shared() else { return };
    let mut tab = open(&site);
    tab.viewport(width, height(width)).unwrap();
    let mut serious = Vec::new();
    let mut minor = Vec::new();
    for &(page, path, _) in PAGES {
        tab.color_scheme("light").unwrap();
        load(&site, &mut tab, page, path);
        for scheme in SCHEMES {
            tab.color_scheme(scheme).unwrap();
            tab.settle().unwrap();
            let shot = site::screenshot_dir().join(format!("{page}-{width}-{scheme}.png"));
            tab.screenshot(&shot).unwrap();
            let violations = checks::axe(&mut tab, &axe)
                .unwrap_or_else(|e| panic!("axe on {page} at {width} px, {scheme}: {e}"));
            for v in violations {
                let line = format!(
                    "{} [{}] on {page}, {width} px, {scheme}: {}\n      {}",
                    v.id,
                    v.impact,
                    v.help,
                    v.targets.join("\n      ")
                );
                if v.impact == "serious" || v.impact == "critical" {
                    serious.push(line);
                } else {
                    minor.push(line);
                }
            }
        }
    }
    if !minor.is_empty() {
        eprintln!("axe at {width} px, moderate and minor (not failures):");
        for line in &minor {
            eprintln!("  {line}");
        }
    }
    assert_none(
        &format!("axe-core at {width} px: serious or critical violations"),
        &serious,
    );
}

/// A word that only one brief's text holds, and that brief's path.
const SEARCH_WORD: &str = "Montreal";
const SEARCH_HIT: &str = "briefs/flight-ps752-accountability/";

#[test]
fn search_lists_the_brief_that_holds_a_word() {
    let Some(site) = site::shared() else { return };
    let mut tab = open(&site);
    let path = format!("search/?q={SEARCH_WORD}");
    load(&site, &mut tab, "search", &path);
    // The page's own field (a search box in the header may come first).
    let field = tab
        .evaluate(
            "(document.querySelector('main input[name=\"q\"]') \
             || document.querySelector('input[name=\"q\"]'))?.value ?? null",
        )
        .unwrap();
    assert!(
        field.is_string(),
        "the search page has no input named q (the query field)"
    );
    // Result links, resolved, without their fragment (a result may point into the page).
    let links = "[...(document.querySelector('main') || document).querySelectorAll('a[href]')]\
                 .map(a => a.href.split('#')[0])";
    let want = site.url(SEARCH_HIT);
    let started = Instant::now();
    let (hit, found) = loop {
        let found = tab.evaluate(links).unwrap();
        let hit = found
            .as_array()
            .is_some_and(|all| all.iter().any(|l| l.as_str() == Some(want.as_str())));
        if hit || started.elapsed() > Duration::from_secs(15) {
            break (hit, found);
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    assert!(
        hit,
        "/{path} lists no link to {want} within 15 s (the field holds {field}); \
         links in main: {found}"
    );
    assert_eq!(
        field.as_str(),
        Some(SEARCH_WORD),
        "?q= prefills the search field"
    );
    let events = tab.take_events();
    let url = site.url(&path);
    let mut problems = checks::console_errors(&events, &url, 200);
    problems.extend(checks::request_problems(&events, &site.origin, &url, 200));
    assert_none("searching", &problems);
}
