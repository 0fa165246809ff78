//! Messages as people read them: the exact stderr (and summary line) of the real binary on
//! small sites written into temporary folders, and `check` finding what `build` finds.

mod common;

use std::path::Path;

use common::*;

/// Runs `briefly <command> --root <root>` (plus `--output` for build); returns the exit
/// code, stdout with the milliseconds blanked, and stderr.
fn run(command: &str, root: &Path, extra: &[&str]) -> (Option<i32>, String, String) {
    let out = root.with_extension("out");
    let mut args = vec![command, "--root", root.to_str().unwrap()];
    if command == "build" {
        args.extend(["--output", out.to_str().unwrap()]);
    }
    args.extend_from_slice(extra);
    let output = briefly(&args);
    let _ = std::fs::remove_dir_all(&out);
    (
        output.status.code(),
        blank_ms(&String::from_utf8_lossy(&output.stdout)),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// `in 68 ms` → `in N ms`, so summary lines compare exactly.
fn blank_ms(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find(" in ") {
        out.push_str(&rest[..i + 4]);
        rest = &rest[i + 4..];
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 && rest[digits..].starts_with(" ms") {
            out.push('N');
            rest = &rest[digits..];
        }
    }
    out.push_str(rest);
    out
}

const BRIEF: &str = "---\ntitle: A\ndate: 2021-07-12\n---\nBody.\n";

#[test]
fn an_inline_event_without_a_title_says_so_at_its_line() {
    let root = fixture("invalid/inline-event-no-title");
    let (code, _, stderr) = run("check", &root, &[]);
    assert_eq!(code, Some(1));
    assert_eq!(
        stderr,
        "\
error: inline event needs a `title`
 --> content/briefs/timeline.md:5:5
  |
5 |   - date: 2021-07-05
  |     ^
  |
  = help: add `title: …` to the event, or write the slug of an event record instead; see docs/content.md#events

check failed: 1 error, 0 warnings
"
    );
}

#[test]
fn an_alias_claimed_twice_shows_both_files() {
    let root = fixture("invalid/alias-claimed-twice");
    let (code, _, stderr) = run("check", &root, &[]);
    assert_eq!(code, Some(1));
    assert_eq!(
        stderr,
        "\
error: two actors claim the alias `KH`
 --> content/actors/khorasan-group.md:3:11
  |
3 | aliases: [KH]
  |           ^^ the alias of this actor
  |
 ::: content/actors/kataib-hezbollah.md:3:11
  |
3 | aliases: [KH, Hezbollah Brigades]
  |           -- already the alias of this actor
  |
  = help: a reference must name one actor: remove or change `KH` in content/actors/khorasan-group.md or content/actors/kataib-hezbollah.md

check failed: 1 error, 0 warnings
"
    );
}

#[test]
fn a_duplicate_slug_points_at_both_slug_lines() {
    let root = fixture("invalid/duplicate-explicit-slug");
    let (code, _, stderr) = run("check", &root, &[]);
    assert_eq!(code, Some(1));
    assert_eq!(
        stderr,
        "\
error: two pages have the slug `about-us`: content/pages/about.md and content/pages/team.md
 --> content/pages/team.md:4:7
  |
4 | slug: about-us
  |       ^^^^^^^^ the slug of this page
  |
 ::: content/pages/about.md:3:7
  |
3 | slug: about-us
  |       -------- already the slug of this page
  |
  = help: give one of them another `slug:` or file name (content/pages/about.md or content/pages/team.md)

check failed: 1 error, 0 warnings
"
    );
}

#[test]
fn a_tab_used_for_indentation_is_named() {
    let root = fixture("invalid/tab-indentation");
    let (code, _, stderr) = run("check", &root, &[]);
    assert_eq!(code, Some(1));
    assert_eq!(
        stderr,
        "\
error: YAML does not allow tabs for indentation; use spaces
 --> content/briefs/tabs.md:6:1
  |
6 |     - Syria
  | ^
  |
  = help: indent with spaces only (your editor can turn tabs into spaces)

check failed: 1 error, 0 warnings
"
    );
}

#[test]
fn a_bad_date_is_underlined_at_its_value() {
    let (code, _, stderr) = run("check", &fixture("invalid/date-not-a-date"), &[]);
    assert_eq!(code, Some(1));
    assert_eq!(
        stderr,
        "\
error: `date`: `yesterday` is not a date
 --> content/briefs/when.md:3:7
  |
3 | date: yesterday
  |       ^^^^^^^^^
  |
  = help: write the date as YYYY-MM-DD (e.g. 2021-07-12) or RFC 3339

check failed: 1 error, 0 warnings
"
    );
    let (_, _, stderr) = run("check", &fixture("invalid/impossible-date"), &[]);
    assert!(
        stderr.starts_with(
            "\
error: `date`: `2021-02-30` is not a day of the calendar
 --> content/briefs/leap.md:3:7
  |
3 | date: 2021-02-30
  |       ^^^^^^^^^^
"
        ),
        "{stderr}"
    );
}

#[test]
fn a_bad_inline_event_date_is_underlined_at_its_value() {
    let tmp = site(&[(
        "content/briefs/a.md",
        "---\ntitle: A\ndate: 2021-07-12\nevents:\n  - title: X\n    date: 2021-02-30\n---\nB\n",
    )]);
    let (_, _, stderr) = run("check", tmp.path(), &[]);
    assert!(
        stderr.starts_with(
            "\
error: `date` of an inline event: `2021-02-30` is not a day of the calendar
 --> content/briefs/a.md:6:11
  |
6 |     date: 2021-02-30
  |           ^^^^^^^^^^
"
        ),
        "{stderr}"
    );
}

/// The anchors GitHub gives the headings of a Markdown file.
fn anchors(markdown: &str) -> Vec<String> {
    markdown
        .lines()
        .filter(|l| l.starts_with('#'))
        .map(|l| {
            l.trim_start_matches('#')
                .trim()
                .to_lowercase()
                .chars()
                .filter(|c| c.is_alphanumeric() || *c == ' ' || *c == '-' || *c == '_')
                .map(|c| if c == ' ' { '-' } else { c })
                .collect()
        })
        .collect()
}

#[test]
fn hints_link_sections_of_the_docs_that_exist_and_never_the_spec() {
    let docs = std::fs::read_to_string(repo_root().join("docs/content.md")).unwrap();
    let known = anchors(&docs);
    let mut linked = Vec::new();
    for entry in walkdir::WalkDir::new(repo_root().join("src")) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap();
        for (i, line) in text.lines().enumerate() {
            let code = line.trim_start();
            if !code.starts_with("//") && code.contains("SPEC") {
                panic!("{}:{}: a message names SPEC", entry.path().display(), i + 1);
            }
            for part in line.split("docs/content.md#").skip(1) {
                let anchor: String = part
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '-')
                    .collect();
                linked.push((entry.path().display().to_string(), i + 1, anchor));
            }
        }
    }
    assert!(linked.len() >= 5, "{linked:?}");
    for (file, line, anchor) in &linked {
        assert!(
            known.contains(anchor),
            "{file}:{line}: no section #{anchor}"
        );
    }
    for case in std::fs::read_dir(fixture("invalid")).unwrap() {
        let case = case.unwrap().path();
        if case.is_dir() {
            let (_, _, stderr) = run("check", &case, &[]);
            assert!(!stderr.contains("SPEC"), "{}: {stderr}", case.display());
        }
    }
}

#[cfg(unix)]
#[test]
fn unreadable_files_have_no_line_and_one_message_per_cause() {
    let tmp = site(&[("content/briefs/fine.md", BRIEF)]);
    let briefs = tmp.path().join("content/briefs");
    for (name, target) in [
        ("a.md", "gone-1.md"),
        ("b.md", "gone-2.md"),
        ("c.md", "gone-3.md"),
    ] {
        std::os::unix::fs::symlink(target, briefs.join(name)).unwrap();
    }
    std::os::unix::fs::symlink("..", briefs.join("loop")).unwrap();
    let (code, _, stderr) = run("check", tmp.path(), &[]);
    assert_eq!(code, Some(1));
    assert_eq!(
        stderr,
        "\
error: could not read 3 files under content/briefs/: not found (first: content/briefs/a.md)
 --> content/briefs/a.md
  = help: a symlink that points nowhere cannot be read: fix or remove it

error: could not read content/briefs/loop: a symlink loops back to a folder above it
 --> content/briefs/loop
  = help: remove the symlink that points back to a folder above it

check failed: 2 errors, 0 warnings
"
    );
}

#[cfg(unix)]
#[test]
fn files_without_read_permission_are_grouped() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = site(&[
        ("content/briefs/2021/a.md", BRIEF),
        ("content/briefs/2021/b.md", BRIEF),
        ("content/briefs/2022/c.md", BRIEF),
    ]);
    let briefs = tmp.path().join("content/briefs");
    for f in ["2021/a.md", "2021/b.md", "2022/c.md"] {
        let path = briefs.join(f);
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    }
    if std::fs::read(briefs.join("2021/a.md")).is_ok() {
        eprintln!("skipped: this user reads files without read permission (root?)");
        return;
    }
    let (code, _, stderr) = run("check", tmp.path(), &[]);
    assert_eq!(code, Some(1));
    assert_eq!(
        stderr,
        "\
error: could not read 3 files under content/briefs/: permission denied (first: content/briefs/2021/a.md)
 --> content/briefs/2021/a.md
  = help: make the files readable (e.g. `chmod u+r FILE`), or move them out of content/

check failed: 1 error, 0 warnings
"
    );
}

/// One error (an unknown key) among warnings (implicit actors) in three files.
fn one_error_among_warnings() -> tempfile::TempDir {
    site(&[
        (
            "content/briefs/a.md",
            "---\ntitle: A\ndate: 2021-07-12\nactors: [Nobody]\n---\nB\n",
        ),
        (
            "content/briefs/b.md",
            "---\ntitle: B\ndate: 2021-07-12\nactors: [Someone, Anyone]\n---\nB\n",
        ),
        (
            "content/briefs/c.md",
            "---\ntitle: C\ndate: 2021-07-12\nsumary: x\n---\nB\n",
        ),
    ])
}

#[test]
fn errors_come_before_warnings_and_the_summary_counts_both() {
    let tmp = one_error_among_warnings();
    let (code, _, stderr) = run("build", tmp.path(), &[]);
    assert_eq!(code, Some(1));
    let heads: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("error") || l.starts_with("warning") || l.starts_with(" -->"))
        .collect();
    assert_eq!(
        heads,
        [
            "error: unknown key `sumary` in brief front matter",
            " --> content/briefs/c.md:4:1",
            "warning: no actor matches `Nobody`; it becomes an implicit actor",
            " --> content/briefs/a.md:4:10",
            "warning: no actor matches `Someone`; it becomes an implicit actor",
            " --> content/briefs/b.md:4:10",
            "warning: no actor matches `Anyone`; it becomes an implicit actor",
            " --> content/briefs/b.md:4:19",
        ]
    );
    assert!(
        stderr.ends_with("\nbuild failed: 1 error, 3 warnings; the previous output is untouched\n"),
        "{stderr}"
    );
}

#[test]
fn a_successful_build_counts_its_warnings() {
    let tmp = site(&[(
        "content/briefs/a.md",
        "---\ntitle: A\ndate: 2021-07-12\nactors: [Nobody, Somebody]\n---\nB\n",
    )]);
    let (code, stdout, _) = run("build", tmp.path(), &[]);
    assert_eq!(code, Some(0));
    assert!(stdout.ends_with(" files in N ms, 2 warnings\n"), "{stdout}");
    let (_, stdout, _) = run("check", tmp.path(), &[]);
    assert_eq!(
        stdout,
        "Checked 1 brief, 2 actors, 0 events, 0 pages in N ms: no errors, 2 warnings\n"
    );
}

#[test]
fn skipped_drafts_are_counted() {
    let tmp = site(&[("content/briefs/a.md", BRIEF)]);
    let root = tmp.path().to_str().unwrap();
    assert!(briefly(&["new", "brief", "X", "--root", root])
        .status
        .success());
    let (code, stdout, _) = run("build", tmp.path(), &[]);
    assert_eq!(code, Some(0));
    assert!(
        stdout.ends_with(" files in N ms; 1 draft skipped (use --drafts)\n"),
        "{stdout}"
    );
    assert!(briefly(&["new", "brief", "Y", "--root", root])
        .status
        .success());
    let (_, stdout, _) = run("check", tmp.path(), &[]);
    assert_eq!(
        stdout,
        "Checked 1 brief, 0 actors, 0 events, 0 pages in N ms: no errors; 2 drafts skipped (use --drafts)\n"
    );
    let (_, stdout, _) = run("check", tmp.path(), &["--drafts"]);
    assert_eq!(
        stdout,
        "Checked 3 briefs, 0 actors, 0 events, 0 pages in N ms: no errors\n"
    );
}

#[test]
fn check_finds_an_over_long_slug_as_build_does() {
    let root = fixture("invalid/long-topic");
    let (check_code, _, check) = run("check", &root, &[]);
    let (build_code, _, build) = run("build", &root, &[]);
    assert_eq!((check_code, build_code), (Some(1), Some(1)));
    let error = check
        .strip_suffix("check failed: 1 error, 0 warnings\n")
        .unwrap_or_else(|| panic!("{check}"));
    assert_eq!(
        build,
        format!("{error}build failed: 1 error, 0 warnings; the previous output is untouched\n")
    );
    assert!(
        error.starts_with(
            "error: the topic `word word word word word word word word …` makes a slug of \
             2999 characters; the longest allowed is 200\n --> content/briefs/long.md:4:16\n"
        ),
        "{error}"
    );
    assert!(error.ends_with(
        "  = help: shorten the topic (see docs/content.md#topics-regions-and-authors)\n\n"
    ));
}

#[test]
fn over_long_slugs_are_errors_wherever_they_come_from() {
    let long = |word: &str| vec![word; 60].join(" ");
    let tmp = site(&[
        (
            "content/briefs/a.md",
            &format!(
                "---\ntitle: A\ndate: 2021-07-12\nactors:\n  - {}\nevents:\n  - title: {}\n    date: 2021-07-01\nauthors: [{}]\n---\nB\n",
                long("Big"),
                long("Title"),
                long("Name"),
            ),
        ),
        (
            "content/pages/p.md",
            &format!("---\ntitle: P\nslug: {}\n---\nB\n", vec!["ab"; 80].join("-")),
        ),
        (&format!("content/actors/{}.md", "c".repeat(210)), "---\nname: C\n---\n"),
    ]);
    let (code, _, stderr) = run("check", tmp.path(), &[]);
    assert_eq!(code, Some(1));
    let heads: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("error") || l.starts_with(" -->"))
        .collect();
    let c = "c".repeat(210);
    assert_eq!(
        heads,
        [
            "error: the file name makes a slug of 210 characters; the longest allowed is 200",
            &format!(" --> content/actors/{c}.md"),
            "error: no actor matches `Big Big Big Big Big Big Big Big Big Big …`, and as an \
             implicit actor it makes a slug of 239 characters; the longest allowed is 200",
            " --> content/briefs/a.md:5:5",
            "error: inline event `Title Title Title Title Title Title Titl…`: its title makes \
             a slug of 370 characters; the longest allowed is 200",
            " --> content/briefs/a.md:7:12",
            "error: the author `Name Name Name Name Name Name Name Name …` makes a slug of 299 \
             characters; the longest allowed is 200",
            " --> content/briefs/a.md:9:11",
            "error: this `slug:` makes a slug of 239 characters; the longest allowed is 200",
            " --> content/pages/p.md:3:7",
        ]
    );
    assert!(stderr.ends_with("check failed: 5 errors, 0 warnings\n"));
}

#[test]
fn check_finds_a_theme_file_that_replaces_a_generated_one() {
    let tmp = site(&[
        ("content/briefs/a.md", BRIEF),
        ("theme/feed.xml", "<feed/>"),
    ]);
    let (code, _, stderr) = run("check", tmp.path(), &[]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("this file would replace the generated /feed.xml"),
        "{stderr}"
    );
}

#[test]
fn check_finds_a_template_error_that_only_shows_while_rendering() {
    let tmp = site(&[
        ("content/briefs/a.md", BRIEF),
        (
            "templates/brief.html",
            "{% extends \"base.html\" %}\n{% block content %}{{ brief.nope.deeper }}{% endblock %}\n",
        ),
    ]);
    let (code, _, stderr) = run("check", tmp.path(), &[]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("templates/brief.html:2:"), "{stderr}");
}
