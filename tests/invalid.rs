//! Every bad-input fixture under `tests/fixtures/invalid/` exits 1, names the file and line
//! of the problem (its `expect.txt`), never panics, and leaves the previous output as it
//! was, with no staging folder behind.

mod common;

use common::*;

fn cases() -> Vec<std::path::PathBuf> {
    let mut cases: Vec<_> = std::fs::read_dir(fixture("invalid"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("expect.txt").exists())
        .collect();
    cases.sort();
    cases
}

#[test]
fn every_bad_input_fails_with_its_location_and_keeps_the_previous_output() {
    let cases = cases();
    assert!(cases.len() >= 15, "found only {} cases", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        std::fs::create_dir_all(out.join("briefs")).unwrap();
        std::fs::write(out.join("index.html"), "previous build").unwrap();
        std::fs::write(out.join(".briefly-output"), "").unwrap();
        let output = briefly(&[
            "build",
            "--root",
            case.to_str().unwrap(),
            "--output",
            out.to_str().unwrap(),
        ]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        if output.status.code() != Some(1) {
            failures.push(format!("{name}: exit {:?}\n{stderr}", output.status.code()));
        }
        if stderr.contains("panicked") {
            failures.push(format!("{name}: panicked\n{stderr}"));
        }
        let expect = std::fs::read_to_string(case.join("expect.txt")).unwrap();
        for line in expect
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
        {
            if !stderr.contains(line) {
                failures.push(format!("{name}: stderr lacks `{line}`\n{stderr}"));
            }
        }
        if std::fs::read_to_string(out.join("index.html"))
            .ok()
            .as_deref()
            != Some("previous build")
        {
            failures.push(format!("{name}: the previous output changed"));
        }
        let left: Vec<_> = std::fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        if left.len() != 1 {
            failures.push(format!("{name}: left behind {left:?}"));
        }
        let check = briefly(&["check", "--root", case.to_str().unwrap()]);
        if check.status.code() != Some(1) {
            failures.push(format!("{name}: check exit {:?}", check.status.code()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn all_errors_of_a_run_are_reported_together() {
    let output = briefly(&[
        "check",
        "--root",
        fixture("invalid/multiple-errors").to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.matches("error:").count(), 3, "{stderr}");
    assert!(stderr.contains("check failed: 3 errors, 0 warnings"));
}

#[test]
fn unknown_key_error_reads_well() {
    let output = briefly(&[
        "check",
        "--root",
        fixture("invalid/unknown-key-near-miss").to_str().unwrap(),
    ]);
    insta::assert_snapshot!(String::from_utf8_lossy(&output.stderr));
}

#[test]
fn missing_anchor_error_reads_well() {
    let output = briefly(&[
        "check",
        "--root",
        fixture("invalid/missing-anchor").to_str().unwrap(),
    ]);
    insta::assert_snapshot!(String::from_utf8_lossy(&output.stderr));
}
