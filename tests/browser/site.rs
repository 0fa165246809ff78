//! What the browser tests run against: a copy of the example site served by the real
//! `briefly serve` on a free port, and one headless Chromium, shared by the tests that
//! run at the same time and stopped when the last of them is done.
//!
//! Outside CI a machine without Chromium (or axe-core) skips the tests with a note on
//! stderr; with `CI=true` a missing tool fails them instead.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, PoisonError, Weak};
use std::thread;
use std::time::{Duration, Instant};

use crate::cdp::Chromium;

/// How long the server may take to start (its first build included).
const START: Duration = Duration::from_secs(120);

/// The repository root: the example site is its `content/` and `site.yaml`.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

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
    server: Server,
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
    let server = Server::start(&root);
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
    let content = repo.join("content");
    for entry in walkdir::WalkDir::new(&content) {
        let entry = entry.unwrap();
        let target = to
            .join("content")
            .join(entry.path().strip_prefix(&content).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A running `briefly serve`, stopped (SIGTERM, then kill) when dropped.
struct Server {
    child: Child,
    /// `127.0.0.1:PORT`.
    addr: String,
    /// `/briefs/`.
    base_path: String,
    lines: Arc<Mutex<Vec<String>>>,
}

impl Server {
    fn start(root: &Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_briefly"))
            .args(["serve", "--root", root.to_str().unwrap(), "--port", "0"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("briefly serve starts");
        let lines = Arc::new(Mutex::new(Vec::new()));
        collect(child.stdout.take().unwrap(), &lines);
        collect(child.stderr.take().unwrap(), &lines);
        let mut server = Server {
            child,
            addr: String::new(),
            base_path: String::new(),
            lines,
        };
        let started = Instant::now();
        loop {
            let serving = server
                .lines
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .iter()
                .find_map(|l| l.strip_prefix("Serving http://").map(str::to_string));
            if let Some(url) = serving {
                let (addr, base) = url.split_once('/').unwrap_or((&url, ""));
                server.addr = addr.to_string();
                server.base_path = format!("/{base}");
                return server;
            }
            if let Ok(Some(status)) = server.child.try_wait() {
                panic!("briefly serve exited ({status}):\n{}", server.log());
            }
            assert!(
                started.elapsed() < START,
                "briefly serve printed no URL:\n{}",
                server.log()
            );
            thread::sleep(Duration::from_millis(50));
        }
    }

    fn log(&self) -> String {
        self.lines
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .join("\n")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(10) {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn collect(stream: impl Read + Send + 'static, lines: &Arc<Mutex<Vec<String>>>) {
    let sink = Arc::clone(lines);
    thread::spawn(move || {
        for line in BufReader::new(stream).lines() {
            let Ok(line) = line else { break };
            sink.lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(line);
        }
    });
}
