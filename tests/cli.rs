//! The command line as a user meets it: init, new, check, strict, overrides, template
//! errors, usage errors and exit codes.

mod common;

use common::*;

#[test]
fn init_makes_a_site_that_builds() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    let init = briefly(&["init", site.to_str().unwrap()]);
    assert!(
        init.status.success(),
        "{}",
        String::from_utf8_lossy(&init.stderr)
    );
    let out = tmp.path().join("out");
    build(&site, &out, &["--strict"]);
    let brief = page(&out, "briefs/a-first-brief/index.html");
    assert_eq!(texts(&brief, "h1"), ["A first brief"]);
    assert!(out.join("actors/example-ministry/index.html").exists());
    assert!(out
        .join("events/2024-01-10-example-summit/index.html")
        .exists());
    assert!(check_links(&out, "/").0.is_empty());
    // A second init refuses to overwrite.
    assert_eq!(
        briefly(&["init", site.to_str().unwrap()]).status.code(),
        Some(2)
    );
}

#[test]
fn new_creates_files_that_check() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path();
    assert!(briefly(&["init", site.to_str().unwrap()]).status.success());
    let root = site.to_str().unwrap();
    for (kind, title) in [
        ("brief", "Gulf shipping: what next?"),
        ("actor", "Port Authority"),
        ("event", "Tanker seized"),
    ] {
        let made = briefly(&["new", kind, title, "--root", root]);
        assert!(
            made.status.success(),
            "{}",
            String::from_utf8_lossy(&made.stderr)
        );
    }
    assert!(site
        .join("content/briefs/gulf-shipping-what-next.md")
        .exists());
    assert!(site.join("content/actors/port-authority.md").exists());
    let check = briefly(&["check", "--root", root, "--drafts"]);
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    assert_eq!(
        briefly(&["new", "actor", "Port Authority", "--root", root])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn check_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path();
    assert!(briefly(&["init", site.to_str().unwrap()]).status.success());
    let check = briefly(&["check", "--root", site.to_str().unwrap()]);
    assert!(check.status.success());
    assert!(String::from_utf8_lossy(&check.stdout)
        .contains("Checked 1 brief, 1 actor, 1 event, 0 pages"));
    assert!(!site.join("public").exists());
}

/// `--timings` (of `build` and `check`) prints, per stage, wall-clock, CPU and system time
/// and page faults, in the columns `bench/stages.sh` reads, the first stage being load.
#[test]
fn timings_print_each_stage_with_its_system_time_and_faults() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    assert!(briefly(&["init", site.to_str().unwrap()]).status.success());
    let out = tmp.path().join("out");
    let built = build(&site, &out, &["--timings"]);
    let stderr = String::from_utf8_lossy(&built.stderr);
    let header = stderr
        .lines()
        .find(|line| line.trim_start().starts_with("stage"))
        .unwrap_or_else(|| panic!("no header in {stderr}"));
    let columns: Vec<&str> = header
        .split("  ")
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    assert_eq!(columns, ["stage", "wall", "cpu", "of it sys", "faults"]);
    let mut names = Vec::new();
    for line in stderr.lines().skip_while(|line| line != &header).skip(1) {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let [.., wall, "ms", cpu, "ms", sys, "ms", faults] = fields.as_slice() else {
            panic!("not a stage line: {line:?}");
        };
        let name = fields[..fields.len() - 7].join(" ");
        let _: f64 = wall.parse().unwrap();
        let cpu: f64 = cpu.parse().unwrap();
        let sys: f64 = sys.parse().unwrap();
        let _: u64 = faults.parse().unwrap();
        assert!(sys <= cpu + 10.0, "{line}");
        names.push(name);
    }
    assert_eq!(names.first().map(String::as_str), Some("load"), "{stderr}");
    assert!(names.iter().any(|n| n == "pages"), "{names:?}");
    // `check` times the same stages, and still writes nothing.
    let checked = briefly(&["check", "--root", site.to_str().unwrap(), "--timings"]);
    assert!(checked.status.success());
    let stderr = String::from_utf8_lossy(&checked.stderr);
    assert!(
        stderr
            .lines()
            .any(|line| line.trim_start().starts_with("stage")),
        "{stderr}"
    );
    assert!(
        stderr
            .lines()
            .any(|line| line.trim_start().starts_with("pages ")),
        "{stderr}"
    );
    assert!(!site.join("public").exists());
}

/// An implicit actor whose slug is taken (by a record, or by another implicit actor)
/// gets the next free number, and each keeps its own name.
#[test]
fn implicit_actors_whose_slugs_are_taken_are_numbered() {
    let site = site(&[
        (
            "content/actors/alfa.md",
            "---\nname: Alfa Front\nslug: alfa\n---\n\nA front.\n",
        ),
        (
            "content/briefs/talks.md",
            "---\ntitle: Talks\ndate: 2023-05-02\nactors: [alfa, \"Альфа\", \"Алфа\", \"Álfa\"]\n---\n\nText.\n",
        ),
    ]);
    let out = site.path().join("out");
    build(site.path(), &out, &[]);
    for (slug, name) in [
        ("alfa", "Alfa Front"),
        ("alfa-2", "Альфа"),
        ("alfa-3", "Алфа"),
    ] {
        let actor = page(&out, &format!("actors/{slug}/index.html"));
        assert_eq!(texts(&actor, "h1"), [name], "actors/{slug}/");
    }
    // `Álfa` is the record's slug with an accent, so it names the record: no fourth actor.
    assert!(!out.join("actors/alfa-4").exists());
    let brief = page(&out, "briefs/talks/index.html");
    assert_eq!(
        attrs(&brief, ".brief-aside .chips a", "href"),
        ["/actors/alfa/", "/actors/alfa-2/", "/actors/alfa-3/"]
    );
}

#[test]
fn implicit_actors_warn_and_strict_fails() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let root = fixture("implicit-actor");
    let output = build(&root, &out, &[]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("warning: no actor matches `Northern Shield Group`"),
        "{stderr}"
    );
    assert!(stderr.contains("content/briefs/talks.md:4:17"), "{stderr}");
    let implicit = page(&out, "actors/northern-shield-group/index.html");
    assert_eq!(texts(&implicit, "h1"), ["Northern Shield Group"]);
    assert_eq!(
        attrs(&implicit, ".actor-briefs .card-title a", "href"),
        ["/briefs/talks/"]
    );
    let json = std::fs::read_to_string(out.join("api/actors.json")).unwrap();
    let actors: serde_json::Value = serde_json::from_str(&json).unwrap();
    let nsg = actors
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["slug"] == "northern-shield-group")
        .unwrap();
    assert_eq!(nsg["implicit"], true);
    let strict = briefly(&[
        "build",
        "--strict",
        "--root",
        root.to_str().unwrap(),
        "--output",
        tmp.path().join("s").to_str().unwrap(),
    ]);
    assert_eq!(strict.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&strict.stderr).contains("error: no actor matches `Envoy Office`")
    );
}

#[test]
fn site_templates_and_theme_override_the_built_ins() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    build(&fixture("overrides"), &out, &[]);
    let brief = page(&out, "briefs/talks/index.html");
    assert_eq!(
        texts(&brief, ".custom-marker"),
        ["Rendered by the site's own template."]
    );
    assert!(std::fs::read_to_string(out.join("style.css"))
        .unwrap()
        .contains("rebeccapurple"));
    assert!(out.join("extra.js").exists());
    assert!(
        out.join("syntax.css").exists(),
        "built-ins not overridden are still written"
    );
    // Other pages still use the built-in templates.
    assert!(!texts(&page(&out, "index.html"), ".site-title").is_empty());
}

#[test]
fn template_errors_name_the_template_and_line() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let output = briefly(&[
        "build",
        "--root",
        fixture("bad-template").to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("templates/brief.html:4:21"), "{stderr}");
    assert!(stderr.contains("no_such_filter"), "{stderr}");
    assert!(!out.exists());
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(briefly(&["build", "--no-such-flag"]).status.code(), Some(2));
    assert_eq!(briefly(&["frobnicate"]).status.code(), Some(2));
    let missing = briefly(&["build", "--root", "/nonexistent/site"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no content/ folder"));
}

#[test]
fn the_output_may_not_replace_the_sources() {
    let tmp = tempfile::tempdir().unwrap();
    assert!(briefly(&["init", tmp.path().to_str().unwrap()])
        .status
        .success());
    let root = tmp.path().to_str().unwrap();
    for output in [root.to_string(), format!("{root}/content")] {
        let run = briefly(&["build", "--root", root, "--output", &output]);
        assert_eq!(run.status.code(), Some(1), "{output}");
    }
    assert!(tmp.path().join("content/briefs/a-first-brief.md").exists());
}
