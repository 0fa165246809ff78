//! The oracle for the one pipeline: after each kind of change, the folder a warm session
//! wrote in place is identical to a clean build of the same sources, byte for byte, and
//! the session reports the same errors and warnings as that build; an edit to one brief
//! rewrites only the pages it touches.

mod common;

use std::path::{Path, PathBuf};

use briefly::build::BuildOptions;
use briefly::diagnostics::Diagnostics;
use briefly::session::{Rebuild, Session};
use common::*;

/// A copy of the example site in a temporary folder.
fn example_copy(tmp: &Path) -> PathBuf {
    let site = tmp.join("site");
    for entry in walkdir::WalkDir::new(repo_root().join("content")) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(repo_root()).unwrap();
        let target = site.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
    std::fs::copy(repo_root().join("site.yaml"), site.join("site.yaml")).unwrap();
    site
}

fn assert_same_as_clean_build(site: &Path, served: &Path, tmp: &Path, step: &str) {
    let clean = tmp.join(format!("clean-{}", step.replace(' ', "-")));
    build(site, &clean, &[]);
    let (a, b) = (files(served), files(&clean));
    let only_served: Vec<&String> = a.keys().filter(|k| !b.contains_key(*k)).collect();
    let only_clean: Vec<&String> = b.keys().filter(|k| !a.contains_key(*k)).collect();
    assert!(
        only_served.is_empty() && only_clean.is_empty(),
        "{step}: extra {only_served:?}, missing {only_clean:?}"
    );
    for (path, bytes) in &a {
        assert!(
            bytes == &b[path],
            "{step}: {path} differs from a clean build"
        );
    }
}

/// The session's result after a change matches a clean build of the same sources: the
/// same errors, or the same warnings and the same files.
fn assert_same_as_build(
    result: &Result<Rebuild, Diagnostics>,
    site: &Path,
    served: &Path,
    tmp: &Path,
    step: &str,
) {
    let clean = tmp.join(format!("oracle-{}", step.replace(' ', "-")));
    let built = briefly::build::build(&BuildOptions {
        root: site.to_path_buf(),
        output: Some(clean.clone()),
        write: true,
        ..BuildOptions::default()
    });
    match (result, built) {
        (Ok(served_result), Ok(report)) => {
            assert_eq!(
                served_result.warnings.to_string(),
                report.diagnostics.to_string(),
                "{step}: warnings differ"
            );
            assert_same_as_clean_build(site, served, tmp, step);
        }
        (Err(served_errors), Err(build_errors)) => assert_eq!(
            served_errors.to_string(),
            build_errors.to_string(),
            "{step}: errors differ"
        ),
        (served_result, built) => panic!(
            "{step}: the session gave {:?} but the build {:?}",
            served_result
                .as_ref()
                .map(|_| "success")
                .map_err(ToString::to_string),
            built.map(|_| "success").map_err(|e| e.to_string())
        ),
    }
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} lacks {from}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

/// A warm session of the site at `site`, writing in place into `out` as `serve` does.
fn served(site: &Path, out: &Path) -> Session {
    Session::new(BuildOptions {
        root: site.to_path_buf(),
        output: Some(out.to_path_buf()),
        write: true,
        ..BuildOptions::default()
    })
}

/// A copy of the paged fixture site under `tmp`, built once by a warm session writing
/// into `tmp/served`: the site, the output and the session.
fn paged_site_served(tmp: &Path) -> (PathBuf, PathBuf, Session) {
    let site = tmp.join("site");
    copy_dir(&fixture("paged-site"), &site);
    let out = tmp.join("served");
    let mut session = served(&site, &out);
    session.rebuild(&[]).expect("first build");
    (site, out, session)
}

#[test]
fn every_kind_of_change_ends_identical_to_a_clean_build() {
    let tmp = tempfile::tempdir().unwrap();
    let site = example_copy(tmp.path());
    let out = tmp.path().join("served");
    let mut session = served(&site, &out);
    let first = session.rebuild(&[]).expect("first build");
    assert!(first.written > 100);
    assert_same_as_clean_build(&site, &out, tmp.path(), "first");

    // One brief's title: its page, its cards' pages, indexes and data; not the whole site.
    let brief = "content/briefs/2021/caught-in-the-crossfire.md";
    edit(&site.join(brief), "title: ", "title: Revised ");
    let one = session
        .rebuild(&[PathBuf::from(brief)])
        .expect("title edit");
    assert!(
        one.written < first.written / 2,
        "an edit rewrote {} of {} files",
        one.written,
        first.written
    );
    assert_same_as_clean_build(&site, &out, tmp.path(), "title edit");
    // The feeds that list it have the new title (the clean build above checks every
    // other byte).
    for feed in [
        "feed.xml",
        "authors/leila-haddad/feed.xml",
        "actors/canada/feed.xml",
    ] {
        let text = std::fs::read_to_string(out.join(feed)).unwrap();
        assert!(text.contains("Revised Caught"), "{feed} kept the old title");
    }

    // Body text only: a handful of files.
    edit(
        &site.join(brief),
        "## Background",
        "## Background\n\nA new opening sentence.\n",
    );
    let body = session.rebuild(&[PathBuf::from(brief)]).expect("body edit");
    assert!(
        body.written <= 12,
        "a body edit rewrote {} files",
        body.written
    );
    assert_same_as_clean_build(&site, &out, tmp.path(), "body edit");

    // A body edit that adds mentions: the same graph, new cross-references.
    let other = "content/briefs/2024/canada-lists-the-irgc.md";
    edit(
        &site.join(other),
        "\n## ",
        "\nThe Hezbollah Brigades and the Popular Mobilization Forces took note.\n\n## ",
    );
    session
        .rebuild(&[PathBuf::from(other)])
        .expect("mention edit");
    assert_same_as_clean_build(&site, &out, tmp.path(), "mention edit");

    // An actor's name changes every mention of it.
    let actor = "content/actors/kataib-hezbollah.md";
    edit(&site.join(actor), "name: ", "name: The ");
    session
        .rebuild(&[PathBuf::from(actor)])
        .expect("actor edit");
    assert_same_as_clean_build(&site, &out, tmp.path(), "actor edit");

    // An event's title and location change every calendar that holds it.
    let event = "content/events/2019-12-27-rocket-attack-on-k-1-air-base.md";
    edit(&site.join(event), "location: ", "location: Kirkuk; ");
    edit(&site.join(event), "title: ", "title: Renamed, ");
    let calendars = session
        .rebuild(&[PathBuf::from(event)])
        .expect("event edit");
    assert!(calendars.written < first.written / 2);
    for calendar in ["events.ics", "actors/kataib-hezbollah/events.ics"] {
        let text = std::fs::read_to_string(out.join(calendar)).unwrap();
        assert!(text.contains("SUMMARY:Renamed\\, Rocket"), "{calendar}");
    }

    // An event's title and date move its mark on every timeline picture that draws it.
    let event = "content/events/2020-01-08-iranian-missiles-strike-al-asad-and-erbil.md";
    edit(&site.join(event), "title: ", "title: Retitled ");
    edit(&site.join(event), "date: 2020-01-08", "date: 2020-01-09");
    session
        .rebuild(&[PathBuf::from(event)])
        .expect("event edit");
    let index = std::fs::read_to_string(out.join("events/index.html")).unwrap();
    assert!(index.contains("aria-label=\"9 January 2020: Retitled "));
    assert_same_as_clean_build(&site, &out, tmp.path(), "event edit");

    // A broken file fails and leaves the output alone; fixing it recovers.
    let before = files(&out);
    let good = std::fs::read_to_string(site.join(brief)).unwrap();
    std::fs::write(
        site.join(brief),
        good.replacen("title:", "title: [unclosed", 1),
    )
    .unwrap();
    let err = session
        .rebuild(&[PathBuf::from(brief)])
        .expect_err("broken YAML");
    assert!(err.iter().any(|d| d.file == brief));
    assert!(files(&out) == before, "a failed rebuild changed the output");
    std::fs::write(site.join(brief), &good).unwrap();
    session.rebuild(&[PathBuf::from(brief)]).expect("fixed");
    assert_same_as_clean_build(&site, &out, tmp.path(), "fixed");

    // A deleted brief takes its pages with it; a new one appears.
    let gone = "content/briefs/2024/canada-lists-the-irgc.md";
    std::fs::remove_file(site.join(gone)).unwrap();
    let added = "content/briefs/2025/new-brief.md";
    std::fs::create_dir_all(site.join("content/briefs/2025")).unwrap();
    std::fs::write(site.join(added), "---\ntitle: A new brief\ndate: 2025-02-01\nactors: [iran]\n---\n\n## Key Points\n\n- Iran is mentioned.\n").unwrap();
    session
        .rebuild(&[PathBuf::from(gone), PathBuf::from(added)])
        .expect("delete and add");
    assert!(!out.join("briefs/canada-lists-the-irgc").exists());
    assert_same_as_clean_build(&site, &out, tmp.path(), "delete and add");

    // A template of the site's own and a theme file.
    std::fs::create_dir_all(site.join("templates")).unwrap();
    std::fs::write(
        site.join("templates/404.html"),
        "{% extends \"base.html\" %}{% block content %}<h1>Lost</h1>{% endblock content %}",
    )
    .unwrap();
    std::fs::create_dir_all(site.join("theme")).unwrap();
    std::fs::write(site.join("theme/extra.css"), "body { margin: 0 }").unwrap();
    let t = session
        .rebuild(&[
            PathBuf::from("templates/404.html"),
            PathBuf::from("theme/extra.css"),
        ])
        .expect("template");
    assert!(t.written >= 2);
    assert_same_as_clean_build(&site, &out, tmp.path(), "template and theme");

    // Checks that used to run in `build` only: a theme file that would replace a
    // generated one, and a link that leaves the site. Both fail in the session too, with
    // the same message; removing them recovers.
    std::fs::write(site.join("theme/feed.xml"), "<feed/>").unwrap();
    let collision = session.rebuild(&[PathBuf::from("theme/feed.xml")]);
    assert!(collision.is_err(), "a theme file replaced the feed");
    assert_same_as_build(&collision, &site, &out, tmp.path(), "theme collision");
    std::fs::remove_file(site.join("theme/feed.xml")).unwrap();
    let outside = tmp.path().join("outside.css");
    std::fs::write(&outside, "secret").unwrap();
    std::os::unix::fs::symlink(&outside, site.join("theme/leak.css")).unwrap();
    let leak = session.rebuild(&[
        PathBuf::from("theme/feed.xml"),
        PathBuf::from("theme/leak.css"),
    ]);
    assert!(leak.is_err(), "a link out of the site was read");
    assert_same_as_build(&leak, &site, &out, tmp.path(), "theme link out");
    std::fs::remove_file(site.join("theme/leak.css")).unwrap();
    let fixed = session.rebuild(&[PathBuf::from("theme/leak.css")]);
    assert_same_as_build(&fixed, &site, &out, tmp.path(), "theme fixed");

    // Warnings: an actor named but not described is implicit.
    edit(
        &site.join(added),
        "actors: [iran]",
        "actors: [iran, Nobody Known]",
    );
    let implicit = session.rebuild(&[PathBuf::from(added)]);
    assert!(implicit
        .as_ref()
        .is_ok_and(|r| r.warnings.warning_count() > 0));
    assert_same_as_build(&implicit, &site, &out, tmp.path(), "implicit actor");

    // A broken brief beside a broken template: every error of the run, in both.
    std::fs::write(site.join(added), "---\ntitle: [unclosed\n---\n").unwrap();
    std::fs::write(site.join("templates/404.html"), "{% if %}").unwrap();
    let broken = session.rebuild(&[PathBuf::from(added), PathBuf::from("templates/404.html")]);
    assert!(broken.as_ref().is_err_and(|e| e.error_count() == 2));
    assert_same_as_build(&broken, &site, &out, tmp.path(), "two errors");
    std::fs::remove_file(site.join(added)).unwrap();
    std::fs::remove_file(site.join("templates/404.html")).unwrap();
    let recovered = session.rebuild(&[PathBuf::from(added), PathBuf::from("templates/404.html")]);
    assert_same_as_build(&recovered, &site, &out, tmp.path(), "recovered");

    // site.yaml rebuilds everything.
    edit(&site.join("site.yaml"), "title: ", "title: Renamed ");
    let renamed = session.rebuild(&[PathBuf::from("site.yaml")]);
    assert!(renamed.is_ok());
    assert_same_as_build(&renamed, &site, &out, tmp.path(), "site.yaml");
}

#[test]
fn briefs_that_move_across_pages_end_identical_to_a_clean_build() {
    let tmp = tempfile::tempdir().unwrap();
    let (site, out, mut session) = paged_site_served(tmp.path());
    assert_same_as_clean_build(&site, &out, tmp.path(), "paged first");

    // The oldest brief becomes the newest: it moves from page 4 to page 1 of /briefs/,
    // and every brief between moves one place along.
    let brief = "content/briefs/elections-in-the-capital.md";
    edit(&site.join(brief), "date: 2022-02-01", "date: 2024-02-01");
    session.rebuild(&[PathBuf::from(brief)]).expect("date edit");
    let first = std::fs::read_to_string(out.join("briefs/index.html")).unwrap();
    assert!(first.contains("Elections in the capital"));
    assert_same_as_clean_build(&site, &out, tmp.path(), "paged date edit");

    // A new brief adds a page to the lists it is on; removing two takes one away.
    let added = "content/briefs/a-late-brief.md";
    std::fs::write(
        site.join(added),
        "---\ntitle: A late brief\ndate: 2021-05-01\nauthors: [Ana Diaz]\nactors: [borvia]\n---\nText.\n",
    )
    .unwrap();
    session
        .rebuild(&[PathBuf::from(added)])
        .expect("added brief");
    assert!(out.join("briefs/page/4/index.html").exists());
    assert!(out.join("authors/ana-diaz/page/4/index.html").exists());
    assert_same_as_clean_build(&site, &out, tmp.path(), "paged added");
    let gone = [
        "content/briefs/a-late-brief.md",
        "content/briefs/harbour-talks-resume.md",
    ];
    for path in gone {
        std::fs::remove_file(site.join(path)).unwrap();
    }
    session
        .rebuild(&gone.map(PathBuf::from))
        .expect("removed briefs");
    assert!(!out.join("briefs/page/4").exists());
    assert_same_as_clean_build(&site, &out, tmp.path(), "paged removed");

    // A new page size splits every list again.
    edit(&site.join("site.yaml"), "paginate_by: 2", "paginate_by: 3");
    session
        .rebuild(&[PathBuf::from("site.yaml")])
        .expect("page size");
    assert_same_as_clean_build(&site, &out, tmp.path(), "paged page size");
    assert!(!out.join("briefs/page/3").exists());
}

/// The example site in one language (its French files and `languages:` taken out), with
/// lists of two to a page.
fn one_language_copy(tmp: &Path) -> PathBuf {
    let site = example_copy(tmp);
    for entry in walkdir::WalkDir::new(site.join("content")) {
        let entry = entry.unwrap();
        if entry.file_name().to_string_lossy().ends_with(".fr.md") {
            std::fs::remove_file(entry.path()).unwrap();
        }
    }
    let config = std::fs::read_to_string(site.join("site.yaml")).unwrap();
    let (one, _) = config
        .split_once("\nlanguages:")
        .expect("languages in site.yaml");
    std::fs::write(site.join("site.yaml"), format!("{one}\npaginate_by: 2\n")).unwrap();
    site
}

/// Puts "Edited" before a brief's title, inside its quotes if it has them (a new first
/// word: a new citation key).
fn retitle(path: &Path) {
    let text = std::fs::read_to_string(path).unwrap();
    let start = text.find("\ntitle: ").expect("a title") + "\ntitle: ".len();
    let at = if text[start..].starts_with('"') {
        start + 1
    } else {
        start
    };
    std::fs::write(path, format!("{}Edited {}", &text[..at], &text[at..])).unwrap();
}

/// Edits of a brief's title, summary and body keep the graph's structure: the session
/// renders only the pages in the edit's reach (a debug build checks that no other page's
/// fingerprint changed, see `render::reach`), and the output is a clean build's.
#[test]
fn display_edits_to_every_brief_end_identical_to_a_clean_build() {
    let tmp = tempfile::tempdir().unwrap();
    display_edits_to_every_brief(&one_language_copy(tmp.path()), tmp.path());
}

/// The same in a site of two languages: each language whose structure an edit kept takes
/// the same path (a French brief's edit leaves the English graph alone).
#[test]
fn display_edits_to_every_brief_of_two_languages_end_identical_to_a_clean_build() {
    let tmp = tempfile::tempdir().unwrap();
    display_edits_to_every_brief(&example_copy(tmp.path()), tmp.path());
}

fn display_edits_to_every_brief(site: &Path, tmp: &Path) {
    let site = site.to_path_buf();
    let out = tmp.join("served");
    let mut session = served(&site, &out);
    let first = session.rebuild(&[]).expect("first build");
    let mut briefs: Vec<PathBuf> = walkdir::WalkDir::new(site.join("content/briefs"))
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    briefs.sort();
    assert!(briefs.len() >= 6, "{briefs:?}");
    let mention = "\n\nThe Popular Mobilization Forces and Kataib Hezbollah took note.\n";
    for path in &briefs {
        let rel = PathBuf::from(path.strip_prefix(&site).unwrap());
        let name = rel.display().to_string();
        let rebuild = |session: &mut Session, step: &str| {
            session
                .rebuild(std::slice::from_ref(&rel))
                .unwrap_or_else(|e| panic!("{name}, {step}: {e}"))
        };
        retitle(path);
        rebuild(&mut session, "title");
        let text = std::fs::read_to_string(path).unwrap();
        if text.contains("\nsummary: >-\n") {
            edit(path, "\nsummary: >-\n", "\nsummary: >-\n  Edited.\n");
        } else {
            edit(path, "\ntitle: ", "\nsummary: An edited summary.\ntitle: ");
        }
        rebuild(&mut session, "summary");
        let before_mentions = std::fs::read_to_string(path).unwrap();
        std::fs::write(path, format!("{before_mentions}{mention}")).unwrap();
        let body = rebuild(&mut session, "mentions added");
        assert!(
            body.written < first.written / 4,
            "{name}: a body edit rewrote {} of {} files",
            body.written,
            first.written
        );
        std::fs::write(path, &before_mentions).unwrap();
        rebuild(&mut session, "mentions removed");
        assert_same_as_clean_build(&site, &out, tmp, &format!("display edits {name}"));
    }
}

/// The language checks are skipped while nothing could change what they find; a brief
/// that takes an undeclared language is still reported, and so is a second file that
/// claims a brief's translation.
#[test]
fn language_problems_of_an_edit_are_reported_by_a_warm_session() {
    let tmp = tempfile::tempdir().unwrap();
    let (site, out, mut session) = paged_site_served(tmp.path());
    let brief = "content/briefs/harbour-talks-resume.md";
    edit(&site.join(brief), "The body", "A new body");
    session.rebuild(&[PathBuf::from(brief)]).expect("body edit");
    edit(&site.join(brief), "date: ", "lang: xx\ndate: ");
    let undeclared = session.rebuild(&[PathBuf::from(brief)]);
    assert_same_as_build(&undeclared, &site, &out, tmp.path(), "undeclared language");
    let errors = undeclared.expect_err("an undeclared language").to_string();
    assert!(errors.contains("language `xx` is not declared"), "{errors}");
    edit(&site.join(brief), "lang: xx\n", "");
    let fixed = session.rebuild(&[PathBuf::from(brief)]);
    assert_same_as_build(&fixed, &site, &out, tmp.path(), "language removed");
    let twin = "content/briefs/harbour-talks-resume.en.md";
    std::fs::copy(site.join(brief), site.join(twin)).unwrap();
    let claimed = session.rebuild(&[PathBuf::from(twin)]);
    assert_same_as_build(&claimed, &site, &out, tmp.path(), "claimed twice");
    assert!(claimed.is_err(), "two files claimed one brief");
}

#[test]
fn a_site_in_two_languages_ends_identical_to_a_clean_build() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_dir(&fixture("bilingual-site"), &site);
    let out = tmp.path().join("served");
    let mut session = served(&site, &out);
    let first = session.rebuild(&[]).expect("first build");
    assert_same_as_build(&Ok(first), &site, &out, tmp.path(), "first");

    // A French title: the French pages change, the English ones link the same.
    let french = "content/briefs/sanctions.fr.md";
    edit(&site.join(french), "title: ", "title: Nouvelles ");
    let r = session.rebuild(&[PathBuf::from(french)]);
    assert_same_as_build(&r, &site, &out, tmp.path(), "french title");
    assert!(std::fs::read_to_string(out.join("fr/feed.xml"))
        .unwrap()
        .contains("Nouvelles"));

    // A new translation: the English page gains an alternate and its switcher a link.
    let added = "content/briefs/ottawa.fr.md";
    std::fs::write(
        site.join(added),
        "---\ntitle: Les options d'Ottawa\ndate: 2021-05-01\n---\nUne note sur les Nations unies.\n",
    )
    .unwrap();
    let r = session.rebuild(&[PathBuf::from(added)]);
    assert_same_as_build(&r, &site, &out, tmp.path(), "new translation");
    assert!(
        std::fs::read_to_string(out.join("briefs/ottawa/index.html"))
            .unwrap()
            .contains("hreflang=\"fr\" href=\"https://example.org/briefs/fr/briefs/ottawa/\"")
    );

    // An actor's French translation: a French alias, a translation for the fallback.
    let actor = "content/actors/un.fr.md";
    std::fs::write(
        site.join(actor),
        "---\nname: Nations unies\naliases: [ONU]\n---\nL'organisation des États.\n",
    )
    .unwrap();
    let r = session.rebuild(&[PathBuf::from(actor)]);
    assert_same_as_build(&r, &site, &out, tmp.path(), "actor translation");

    // A French-only brief removed: its pages go, the English ones stay.
    let gone = "content/briefs/sahel.fr.md";
    std::fs::remove_file(site.join(gone)).unwrap();
    edit(
        &site.join("content/briefs/sanctions.md"),
        "[note on the\nSahel](sahel.fr.md)",
        "note on the Sahel",
    );
    let r = session.rebuild(&[
        PathBuf::from(gone),
        PathBuf::from("content/briefs/sanctions.md"),
    ]);
    assert_same_as_build(&r, &site, &out, tmp.path(), "french brief removed");
    assert!(!out.join("fr/briefs/sahel").exists());
    assert!(out.join("briefs/sanctions/index.html").is_file());

    // An error in one language fails the whole site, the output untouched; fixed, it
    // recovers.
    let before = files(&out);
    std::fs::write(
        site.join("content/briefs/x.de.md"),
        "---\ntitle: X\ndate: 2021-01-01\n---\n",
    )
    .unwrap();
    let r = session.rebuild(&[PathBuf::from("content/briefs/x.de.md")]);
    assert!(r.is_err());
    assert_same_as_build(&r, &site, &out, tmp.path(), "undeclared language");
    assert!(files(&out) == before, "a failed rebuild changed the output");
    std::fs::remove_file(site.join("content/briefs/x.de.md")).unwrap();
    let r = session.rebuild(&[PathBuf::from("content/briefs/x.de.md")]);
    assert_same_as_build(&r, &site, &out, tmp.path(), "recovered");

    // A theme file is written once, at the root.
    std::fs::create_dir_all(site.join("theme")).unwrap();
    std::fs::write(site.join("theme/extra.css"), "body { margin: 0 }").unwrap();
    let r = session.rebuild(&[PathBuf::from("theme/extra.css")]);
    assert_same_as_build(&r, &site, &out, tmp.path(), "theme");
    assert!(out.join("extra.css").is_file() && !out.join("fr/extra.css").exists());

    // site.yaml: a third language.
    edit(
        &site.join("site.yaml"),
        "languages:\n",
        "languages:\n  de: {title: Kurzanalysen}\n",
    );
    let r = session.rebuild(&[PathBuf::from("site.yaml")]);
    assert_same_as_build(&r, &site, &out, tmp.path(), "third language");
    assert!(out.join("de/index.html").is_file());

    // site.yaml: the third language removed again, and with it its folder.
    edit(
        &site.join("site.yaml"),
        "languages:\n  de: {title: Kurzanalysen}\n",
        "languages:\n",
    );
    let r = session.rebuild(&[PathBuf::from("site.yaml")]);
    assert_same_as_build(&r, &site, &out, tmp.path(), "language removed");
    assert!(!out.join("de").exists());
}
