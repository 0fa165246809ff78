//! Helpers shared by the integration tests: run the real binary on a fixture site, and
//! read the site it wrote the way a browser would.

#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use scraper::{Html, Selector};

pub mod serving;

/// Writes a site (files by path relative to the root) into a new temporary folder.
pub fn site(files: &[(&str, &str)]) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    for (path, text) in files {
        let path = tmp.path().join(path);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }
    tmp
}

/// The repository root (the example site lives here).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fixture site under `tests/fixtures/`.
pub fn fixture(name: &str) -> PathBuf {
    repo_root().join("tests/fixtures").join(name)
}

/// Runs `briefly` with `args`.
pub fn briefly(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_briefly"))
        .args(args)
        .output()
        .expect("the briefly binary runs")
}

/// Runs `briefly build --root ROOT --output OUT` with extra flags.
pub fn build_output(root: &Path, out: &Path, extra: &[&str]) -> Output {
    build_output_env(root, out, extra, &[])
}

/// Runs `briefly build --root ROOT --output OUT` with extra flags and environment
/// variables.
pub fn build_output_env(root: &Path, out: &Path, extra: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_briefly"))
        .args(["build", "--root", root.to_str().unwrap(), "--output"])
        .arg(out)
        .args(extra)
        .envs(env.iter().copied())
        .output()
        .expect("the briefly binary runs")
}

/// Builds `root` into `out` with extra flags; panics with stderr if it fails.
pub fn build(root: &Path, out: &Path, extra: &[&str]) -> Output {
    build_env(root, out, extra, &[])
}

/// Builds `root` into `out` with extra flags and environment variables; panics with
/// stderr if it fails.
pub fn build_env(root: &Path, out: &Path, extra: &[&str], env: &[(&str, &str)]) -> Output {
    let output = build_output_env(root, out, extra, env);
    assert!(
        output.status.success(),
        "build of {} failed:\n{}",
        root.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// Every file under `dir`, by `/`-separated relative path.
pub fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut all = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let rel = entry
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            all.insert(rel, std::fs::read(entry.path()).unwrap());
        }
    }
    all
}

/// A page of the output, parsed.
pub fn page(out: &Path, relative: &str) -> Html {
    let path = out.join(relative);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Html::parse_document(&text)
}

/// Texts of the elements matching `selector`.
pub fn texts(html: &Html, selector: &str) -> Vec<String> {
    let sel = Selector::parse(selector).unwrap();
    html.select(&sel)
        .map(|e| {
            e.text()
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

/// Values of `attr` on the elements matching `selector`.
pub fn attrs(html: &Html, selector: &str, attr: &str) -> Vec<String> {
    let sel = Selector::parse(selector).unwrap();
    html.select(&sel)
        .filter_map(|e| e.value().attr(attr).map(str::to_string))
        .collect()
}

/// One internal link that does not resolve.
#[derive(Debug)]
pub struct Broken {
    pub page: String,
    pub link: String,
    pub why: &'static str,
}

/// Checks every internal `href`/`src` of every HTML page under `out`: it must lie under
/// `base_path`, name a file of the output, and its `#fragment` an id of that page.
/// Returns the broken ones and how many links were checked.
pub fn check_links(out: &Path, base_path: &str) -> (Vec<Broken>, usize) {
    let all = files(out);
    let mut ids: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut links: Vec<(String, String)> = Vec::new();
    let any_id = Selector::parse("[id]").unwrap();
    let linking =
        Selector::parse("a[href], link[href], img[src], script[src], source[src]").unwrap();
    for (path, bytes) in &all {
        if !path.ends_with(".html") {
            continue;
        }
        let html = Html::parse_document(&String::from_utf8_lossy(bytes));
        ids.insert(
            path.clone(),
            html.select(&any_id)
                .filter_map(|e| e.value().attr("id").map(str::to_string))
                .collect(),
        );
        for e in html.select(&linking) {
            let target = e
                .value()
                .attr("href")
                .or_else(|| e.value().attr("src"))
                .unwrap_or("");
            links.push((path.clone(), target.to_string()));
        }
    }
    let mut broken = Vec::new();
    let mut checked = 0;
    for (page, link) in &links {
        if link.contains("://") || link.starts_with("mailto:") || link.starts_with("//") {
            continue;
        }
        checked += 1;
        let (path, fragment) = match link.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (link.as_str(), None),
        };
        let target_file = if path.is_empty() {
            page.clone()
        } else if let Some(rest) = path.strip_prefix(base_path) {
            if rest.is_empty() || rest.ends_with('/') {
                format!("{rest}index.html")
            } else {
                rest.to_string()
            }
        } else {
            broken.push(Broken {
                page: page.clone(),
                link: link.clone(),
                why: "outside the base path or relative",
            });
            continue;
        };
        if !all.contains_key(&target_file) {
            broken.push(Broken {
                page: page.clone(),
                link: link.clone(),
                why: "no such file",
            });
            continue;
        }
        if let Some(f) = fragment {
            if !ids.get(&target_file).is_some_and(|set| set.contains(f)) {
                broken.push(Broken {
                    page: page.clone(),
                    link: link.clone(),
                    why: "no such id",
                });
            }
        }
    }
    (broken, checked)
}

/// Copies the folder `from` (a fixture site) into `to`, which may exist.
pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}
