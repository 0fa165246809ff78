//! What the browser tests run against: a copy of the example site served by the real
//! `briefly serve` on a free port, and one headless Chromium, shared by the tests that
//! run at the same time and stopped when the last of them is done.
//!
//! Outside CI a machine without Chromium (or axe-core) skips the tests with a note on
//! stderr; with `CI=true` a missing tool fails them instead.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError, Weak};
use std::time::Duration;

use crate::cdp::Chromium;
use crate::common::repo_root;
use crate::common::serving::Serving;

/// How long the server may take to start (its first build included).
const START: Duration = Duration::from_secs(120);

/// The target folder the tests were built in (`target/`).
pub fn target_dir() -> PathBuf {
    let binary = PathBuf::from(env!("CARGO_BIN_EXE_briefly"));
    binary
        .parent()
        .and_then(Path::parent)
        .map_or_else(|| repo_root().join("target"), Path::to_path_buf)
}

/// Where screenshots go: `target/browser-screenshots/`.
pub fn screenshot_dir() -> PathBuf {
    target_dir().join("browser-screenshots")
}

/// Whether a missing tool fails the tests (`CI=true`) rather than skipping them.
fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// Skips (prints why, once, past the test harness's capture; returns `None`) outside CI;
/// fails in CI.
pub fn missing<T>(what: &str) -> Option<T> {
    static SAID: Mutex<Vec<String>> = Mutex::new(Vec::new());
    assert!(!in_ci(), "{what} (CI=true: .ci/run installs it)");
    let mut said = SAID.lock().unwrap_or_else(PoisonError::into_inner);
    if !said.iter().any(|s| s == what) {
        let _ = writeln!(std::io::stderr(), "skipping browser tests: {what}");
        said.push(what.to_string());
    }
    None
}

/// Chromium: `$BRIEFLY_CHROMIUM`, else `chromium` (or a namesake) on `PATH`.
fn find_chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("BRIEFLY_CHROMIUM") {
        return Some(PathBuf::from(path));
    }
    let names = ["chromium", "chromium-browser", "google-chrome", "chrome"];
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .flat_map(|dir| names.iter().map(move |name| dir.join(name)))
        .find(|candidate| candidate.is_file())
}

/// axe-core's `axe.min.js`: `$BRIEFLY_AXE`, else `target/axe/node_modules/axe-core/axe.min.js`
/// (where `.ci/run` installs it).
pub fn axe_source() -> Option<String> {
    let path = std::env::var_os("BRIEFLY_AXE").map_or_else(
        || repo_root().join("target/axe/node_modules/axe-core/axe.min.js"),
        PathBuf::from,
    );
    match std::fs::read_to_string(&path) {
        Ok(source) => Some(source),
        Err(e) => missing(&format!(
            "axe-core not found at {} ({e}); install it with \
             `npm install --prefix target/axe axe-core` or set BRIEFLY_AXE",
            path.display()
        )),
    }
}

/// The served site and the browser.
pub struct Site {
    /// `http://127.0.0.1:PORT/briefs/`: the home page, under the base path.
    pub base: String,
    /// `http://127.0.0.1:PORT`.
    pub origin: String,
    /// Declared before the server so that it closes first.
    pub browser: Chromium,
    server: Serving,
    _copy: tempfile::TempDir,
}

impl Site {
    /// The URL of `path` (relative to the base path).
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// What the server printed, for failure messages.
    pub fn server_log(&self) -> String {
        self.server.log()
    }
}

/// The shared site: started by the first test that asks, stopped when no test holds it.
pub fn shared() -> Option<Arc<Site>> {
    static SHARED: Mutex<Weak<Site>> = Mutex::new(Weak::new());
    let mut shared = SHARED.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(site) = shared.upgrade() {
        return Some(site);
    }
    let Some(chromium) = find_chromium() else {
        return missing("no Chromium found (install Debian's `chromium`, or set BRIEFLY_CHROMIUM)");
    };
    let copy = tempfile::tempdir().expect("a temporary folder");
    let root = copy.path().join("site");
    copy_site(&repo_root(), &root);
    let server = Serving::launch(&root, &[], &[], START);
    let browser = match Chromium::launch(&chromium) {
        Ok(browser) => browser,
        Err(e) => panic!("{e}"),
    };
    let site = Arc::new(Site {
        base: format!("http://{}{}", server.addr, server.base_path),
        origin: format!("http://{}", server.addr),
        browser,
        server,
        _copy: copy,
    });
    *shared = Arc::downgrade(&site);
    Some(site)
}

/// Copies the example site (`content/`, `site.yaml`) from `repo` to `to`, so that the
/// server watches a folder nothing else edits. The built-in templates and theme are the
/// repository's own `templates/` and `theme/`.
fn copy_site(repo: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    std::fs::copy(repo.join("site.yaml"), to.join("site.yaml")).unwrap();
    crate::common::copy_dir(&repo.join("content"), &to.join("content"));
}
