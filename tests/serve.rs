//! Acceptance tests of `briefly serve`: the real binary serves a copy of
//! `tests/fixtures/serve-site/` on a free port, and these tests edit the copy and read the
//! site over HTTP the way a browser would (with a raw HTTP client, so that paths such as
//! `/../` reach the server unnormalised).
//!
//! The tests take turns (one server at a time), so that their timings hold on a small,
//! busy machine.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

/// How long the server may take to start (its first build included).
const START: Duration = Duration::from_secs(60);
/// How soon an edit must show in the browser.
const PROMPT: Duration = Duration::from_secs(2);
/// A generous limit for anything else that waits on a rebuild.
const PATIENCE: Duration = Duration::from_secs(30);

/// What the server injects into HTML pages when no build is broken.
const SCRIPT_TAG: &str = "<script src=\"/sub/__briefly/reload.js\" data-briefly-reload></script>";
const OVERLAY: &str = "<div id=\"briefly-error-overlay\"";

/// One server at a time.
fn one_at_a_time() -> MutexGuard<'static, ()> {
    static TURN: Mutex<()> = Mutex::new(());
    TURN.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A copy of the fixture site in a fresh temporary folder: `(tempdir, site root)`.
fn site_copy() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    copy_dir(&common::fixture("serve-site"), &root);
    (tmp, root)
}

fn copy_dir(from: &Path, to: &Path) {
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

/// A running `briefly serve`, stopped (SIGTERM, then kill) when dropped, even on panic.
struct Server {
    child: Child,
    /// `127.0.0.1:PORT`.
    addr: String,
    /// The folder it builds into.
    output: PathBuf,
    stdout: Arc<Mutex<Vec<String>>>,
    stderr: Arc<Mutex<Vec<String>>>,
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
        let stdout = collect_lines(child.stdout.take().unwrap());
        let stderr = collect_lines(child.stderr.take().unwrap());
        let mut server = Server {
            child,
            addr: String::new(),
            output: PathBuf::new(),
            stdout,
            stderr,
        };
        let started = Instant::now();
        loop {
            let lines = server.stdout.lock().unwrap().clone();
            let url = lines.iter().find_map(|l| l.strip_prefix("Serving http://"));
            if let Some(url) = url {
                let (addr, base) = url.split_once('/').unwrap();
                assert_eq!(base, "sub/", "served under the base path of base_url");
                server.addr = addr.to_string();
                let building = lines
                    .iter()
                    .find_map(|l| l.strip_prefix("Building "))
                    .unwrap();
                let (_, output) = building.split_once(" into ").unwrap();
                server.output = PathBuf::from(output.trim_end_matches(" (removed on exit)"));
                return server;
            }
            if let Ok(Some(status)) = server.child.try_wait() {
                panic!("briefly serve exited ({status}):\n{}", server.log());
            }
            assert!(
                started.elapsed() < START,
                "no URL printed:\n{}",
                server.log()
            );
            thread::sleep(Duration::from_millis(50));
        }
    }

    /// Everything the server printed so far.
    fn log(&self) -> String {
        format!(
            "stdout:\n{}\nstderr:\n{}",
            self.stdout.lock().unwrap().join("\n"),
            self.stderr.lock().unwrap().join("\n")
        )
    }

    fn get(&self, path: &str) -> Reply {
        get(&self.addr, path)
    }

    /// The server's `__briefly/status`.
    fn status(&self) -> serde_json::Value {
        let reply = self.get("/sub/__briefly/status");
        assert_eq!(reply.status, 200);
        serde_json::from_slice(&reply.body).unwrap()
    }

    /// Waits until no build runs and none has finished for a while.
    fn wait_quiet(&self) {
        let quiet_for = Duration::from_millis(1500);
        let started = Instant::now();
        let mut last = (self.status(), Instant::now());
        while started.elapsed() < PATIENCE * 2 {
            thread::sleep(Duration::from_millis(100));
            let now = self.status();
            if now != last.0 || now["building"] == true {
                last = (now, Instant::now());
            } else if last.1.elapsed() >= quiet_for {
                return;
            }
        }
        panic!("the server never went quiet:\n{}", self.log());
    }

    /// Stops the server as Ctrl-C would; its exit status.
    fn stop(&mut self) -> ExitStatus {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(10) {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status;
            }
            thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        self.child.wait().unwrap()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            self.stop();
        }
    }
}

fn collect_lines(stream: impl Read + Send + 'static) -> Arc<Mutex<Vec<String>>> {
    let lines = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&lines);
    thread::spawn(move || {
        for line in BufReader::new(stream).lines() {
            let Ok(line) = line else { break };
            sink.lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(line);
        }
    });
    lines
}

/// A response, as read off the wire.
#[derive(Debug)]
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// `GET path` with the request target sent exactly as given.
fn get(addr: &str, path: &str) -> Reply {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no header end in {:?}", String::from_utf8_lossy(&raw)));
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.lines();
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut reply = Reply {
        status,
        headers,
        body: raw[split + 4..].to_vec(),
    };
    if reply
        .header("Transfer-Encoding")
        .is_some_and(|v| v.eq_ignore_ascii_case("chunked"))
    {
        reply.body = dechunk(&reply.body);
    }
    reply
}

fn dechunk(mut raw: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    loop {
        let line_end = raw.windows(2).position(|w| w == b"\r\n").unwrap();
        let size = std::str::from_utf8(&raw[..line_end]).unwrap();
        let size = usize::from_str_radix(size.split(';').next().unwrap().trim(), 16).unwrap();
        if size == 0 {
            return body;
        }
        let start = line_end + 2;
        body.extend_from_slice(&raw[start..start + size]);
        raw = &raw[start + size + 2..];
    }
}

/// A client of the live-reload event stream.
struct Events {
    events: Receiver<(String, String)>,
}

impl Events {
    fn connect(server: &Server) -> Events {
        let mut stream = TcpStream::connect(&server.addr).unwrap();
        write!(
            stream,
            "GET /sub/__briefly/events HTTP/1.1\r\nHost: {}\r\nAccept: text/event-stream\r\n\r\n",
            server.addr
        )
        .unwrap();
        let (tx, events) = mpsc::channel();
        thread::spawn(move || {
            let (mut name, mut data) = (String::new(), String::new());
            for line in BufReader::new(stream).lines() {
                let Ok(line) = line else { break };
                if let Some(n) = line.strip_prefix("event: ") {
                    name = n.to_string();
                } else if let Some(d) = line.strip_prefix("data: ") {
                    data = d.to_string();
                } else if line.is_empty() && !name.is_empty() {
                    let event = (std::mem::take(&mut name), std::mem::take(&mut data));
                    if tx.send(event).is_err() {
                        break;
                    }
                }
            }
        });
        let events = Events { events };
        events.expect("hello", PATIENCE);
        events
    }

    /// Waits for an event named `name` until `deadline`; its data. Other events are skipped.
    fn expect(&self, name: &str, within: Duration) -> String {
        let deadline = Instant::now() + within;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.events.recv_timeout(left) {
                Ok((n, data)) if n == name => return data,
                Ok(_) => {}
                Err(_) => panic!("no `{name}` event within {within:?}"),
            }
        }
    }
}

/// Polls `probe` until it returns `Some`, for at most `within`.
fn wait_for<T>(within: Duration, mut probe: impl FnMut() -> Option<T>) -> Option<T> {
    let started = Instant::now();
    loop {
        if let Some(found) = probe() {
            return Some(found);
        }
        if started.elapsed() >= within {
            return None;
        }
        thread::sleep(Duration::from_millis(25));
    }
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} has no {from:?}", path.display());
    std::fs::write(path, text.replace(from, to)).unwrap();
}

#[test]
fn edits_reload_the_page_and_errors_show_on_it() {
    let _turn = one_at_a_time();
    let (_tmp, root) = site_copy();
    let server = Server::start(&root);
    let brief = root.join("content/briefs/harbour-reform.md");

    let page = server.get("/sub/briefs/harbour-reform/");
    assert_eq!(page.status, 200);
    assert!(page.text().contains("Reforming the Harbour"));
    assert!(page.text().contains(SCRIPT_TAG), "{}", page.text());
    assert_eq!(
        page.header("Content-Type"),
        Some("text/html; charset=utf-8")
    );

    // An edit shows within 2 s, and open tabs are told to reload.
    let events = Events::connect(&server);
    let edited = Instant::now();
    edit(
        &brief,
        "title: Reforming the Harbour",
        "title: Harbour Reform Now",
    );
    let shown = wait_for(PROMPT, || {
        let page = server.get("/sub/briefs/harbour-reform/");
        (page.status == 200 && page.text().contains("Harbour Reform Now")).then_some(())
    });
    assert!(
        shown.is_some(),
        "the new title was not served within 2 s:\n{}",
        server.log()
    );
    events.expect("reload", PROMPT.saturating_sub(edited.elapsed()));
    let log = server.log();
    assert!(
        log.contains("Changed: content/briefs/harbour-reform.md"),
        "{log}"
    );
    assert!(log.contains("Rebuilt: wrote "), "{log}");

    // Malformed YAML: the terminal, the event stream and every page show the error; the
    // last good pages are still served.
    edit(
        &brief,
        "title: Harbour Reform Now",
        "title: [Harbour Reform Now",
    );
    let data = events.expect("error", PATIENCE);
    assert!(
        data.contains("content/briefs/harbour-reform.md:2"),
        "{data}"
    );
    let broken = server.get("/sub/briefs/harbour-reform/");
    assert_eq!(broken.status, 200);
    let text = broken.text();
    assert!(text.contains(OVERLAY), "{text}");
    assert!(
        text.contains("content/briefs/harbour-reform.md:2"),
        "{text}"
    );
    assert!(
        text.contains("title: [Harbour Reform Now"),
        "the offending line: {text}"
    );
    assert!(
        text.contains("Harbour Reform Now ·"),
        "the last good page: {text}"
    );
    let other = server.get("/sub/briefs/customs-outlook/");
    assert_eq!(other.status, 200);
    assert!(other.text().contains("Customs Outlook for 2024"));
    assert!(other.text().contains(OVERLAY));
    assert_eq!(server.status()["ok"], false);
    assert!(server.log().contains("content/briefs/harbour-reform.md:2"));
    let css = server.get("/sub/style.css");
    assert_eq!(css.status, 200);
    assert!(
        !css.text().contains("briefly-error-overlay"),
        "only HTML is touched"
    );

    // Fixing the file clears the overlay and reloads the tabs.
    edit(
        &brief,
        "title: [Harbour Reform Now",
        "title: Harbour Reform Fixed",
    );
    events.expect("reload", PATIENCE);
    let fixed = server.get("/sub/briefs/harbour-reform/");
    assert_eq!(fixed.status, 200);
    assert!(fixed.text().contains("Harbour Reform Fixed"));
    assert!(!fixed.text().contains(OVERLAY), "{}", fixed.text());
    assert!(!server.get("/sub/").text().contains(OVERLAY));
    assert_eq!(server.status()["ok"], true);

    assert!(
        !root.join("public").exists(),
        "serve never writes into the site"
    );
}

#[test]
fn a_broken_first_build_still_serves_and_recovers() {
    let _turn = one_at_a_time();
    let (_tmp, root) = site_copy();
    let brief = root.join("content/briefs/customs-outlook.md");
    edit(&brief, "date: 2023-11-20", "date: 2023-13-45");
    let server = Server::start(&root);

    let page = server.get("/sub/");
    assert!(
        page.status >= 400,
        "nothing good to serve yet: {}",
        page.status
    );
    assert!(page.text().contains(OVERLAY), "{}", page.text());
    assert!(page.text().contains("content/briefs/customs-outlook.md:"));
    assert!(page.text().contains(SCRIPT_TAG));

    let events = Events::connect(&server);
    edit(&brief, "date: 2023-13-45", "date: 2023-11-20");
    events.expect("reload", PATIENCE);
    let page = server.get("/sub/briefs/customs-outlook/");
    assert_eq!(page.status, 200);
    assert!(!page.text().contains(OVERLAY));
}

#[test]
fn paths_outside_the_output_are_never_served() {
    let _turn = one_at_a_time();
    let (tmp, root) = site_copy();
    let secret = "TOP-SECRET-4f1c2b";
    let outside = tmp.path().join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("secret.txt"), secret).unwrap();
    std::fs::create_dir_all(root.join("theme")).unwrap();
    std::os::unix::fs::symlink(outside.join("secret.txt"), root.join("theme/leak.txt")).unwrap();
    std::os::unix::fs::symlink(&outside, root.join("theme/leakdir")).unwrap();
    let server = Server::start(&root);

    for path in [
        "/sub/../Cargo.toml",
        "/../Cargo.toml",
        "/sub/../site.yaml",
        "/sub/%2e%2e/site.yaml",
        "/sub/%2E%2E/%2e%2e/outside/secret.txt",
        "/sub/..%2f..%2foutside%2fsecret.txt",
        "/sub/..%5c..%5coutside%5csecret.txt",
        "/sub/../../../../../../../../etc/passwd",
        "//etc/passwd",
        "/sub//etc/passwd",
        "/sub/%2f%2fetc/passwd",
        "/sub/index.html%00.txt",
        "/sub/leak.txt",
        "/sub/leakdir/secret.txt",
        "/etc/passwd",
    ] {
        let reply = server.get(path);
        let body = reply.text();
        assert!(
            reply.status == 400 || reply.status == 404,
            "{path}: status {}",
            reply.status
        );
        for leaked in [secret, "root:x:0:0", "[package]", "base_url:"] {
            assert!(!body.contains(leaked), "{path} served {leaked:?}:\n{body}");
        }
    }

    // What the site has is served, with its type; what it lacks gets its 404 page.
    for (path, mime) in [
        ("/sub/style.css", "text/css; charset=utf-8"),
        ("/sub/favicon.svg", "image/svg+xml"),
        ("/sub/feed.xml", "application/xml"),
        ("/sub/api/briefs.json", "application/json"),
        ("/sub/robots.txt", "text/plain; charset=utf-8"),
        ("/sub/briefs/", "text/html; charset=utf-8"),
    ] {
        let reply = server.get(path);
        assert_eq!(reply.status, 200, "{path}");
        assert_eq!(reply.header("Content-Type"), Some(mime), "{path}");
    }
    let missing = server.get("/sub/briefs/no-such-brief/");
    assert_eq!(missing.status, 404);
    let page_404 = std::fs::read_to_string(server.output.join("404.html")).unwrap();
    assert_eq!(missing.text().replace(SCRIPT_TAG, ""), page_404);
    let home = server.get("/");
    assert_eq!(home.status, 302);
    assert_eq!(home.header("Location"), Some("/sub/"));
    let folder = server.get("/sub/briefs");
    assert_eq!(folder.status, 302);
    assert_eq!(folder.header("Location"), Some("/sub/briefs/"));
    assert_eq!(server.get("/other/").status, 404);
}

fn brief_text(n: usize, edit: usize) -> String {
    format!(
        "---\ntitle: Burst brief {n} edit {edit}\ndate: 2024-02-{:02}\nactors: [harbour-authority]\n\
         topics: [burst]\n---\n\n## Key Points\n\n- Point {edit} of brief {n}.\n\n## Background\n\n\
         The Harbour Authority saw edit {edit}.\n",
        n + 1
    )
}

#[test]
fn a_burst_of_edits_ends_identical_to_a_clean_build() {
    let _turn = one_at_a_time();
    let (tmp, root) = site_copy();
    let briefs = root.join("content/briefs/burst");
    std::fs::create_dir_all(&briefs).unwrap();
    let file = |n: usize| briefs.join(format!("burst-{n:02}.md"));
    for n in 0..20 {
        std::fs::write(file(n), brief_text(n, 0)).unwrap();
    }
    let server = Server::start(&root);
    server.wait_quiet();
    let before = server.log().matches("Rebuilt: ").count();

    // 100 edits across the 20 briefs, some saved as editors do (a temporary file renamed
    // over the original), plus one brief added, one removed and one renamed.
    let mut gone = Vec::new();
    for edit in 1..=100 {
        let n = edit % 20;
        if gone.contains(&n) {
            std::fs::write(briefs.join("burst-new.md"), brief_text(20, edit)).unwrap();
        } else if edit % 3 == 0 {
            let temp = briefs.join(format!("sedA{edit:05}"));
            std::fs::write(&temp, brief_text(n, edit)).unwrap();
            std::fs::rename(&temp, file(n)).unwrap();
        } else {
            std::fs::write(file(n), brief_text(n, edit)).unwrap();
        }
        match edit {
            30 => std::fs::write(briefs.join("burst-new.md"), brief_text(20, edit)).unwrap(),
            60 => {
                std::fs::remove_file(file(7)).unwrap();
                gone.push(7);
            }
            90 => {
                std::fs::rename(file(3), briefs.join("burst-renamed.md")).unwrap();
                gone.push(3);
            }
            _ => {}
        }
    }
    server.wait_quiet();
    let log = server.log();
    let rebuilds = log.matches("Rebuilt: ").count() - before;
    assert!(
        (1..=10).contains(&rebuilds),
        "{rebuilds} rebuilds for one burst:\n{log}"
    );
    assert_eq!(server.status()["ok"], true, "{log}");

    let clean = tmp.path().join("clean");
    common::build(&root, &clean, &[]);
    let expected = common::files(&clean);
    let served_files = common::files(&server.output);
    assert_eq!(
        expected.keys().collect::<Vec<_>>(),
        served_files.keys().collect::<Vec<_>>(),
        "the served output has the files of a clean build"
    );
    assert!(expected.contains_key("briefs/burst-renamed/index.html"));
    assert!(!expected.contains_key("briefs/burst-07/index.html"));
    for (path, bytes) in &expected {
        let reply = server.get(&format!("/sub/{path}"));
        assert_eq!(reply.status, 200, "{path}");
        if path.ends_with(".html") {
            let text = reply.text();
            assert_eq!(text.matches(SCRIPT_TAG).count(), 1, "{path}");
            assert!(
                text.replace(SCRIPT_TAG, "").as_bytes() == bytes.as_slice(),
                "{path} differs from a clean build"
            );
        } else {
            assert!(reply.body == *bytes, "{path} differs from a clean build");
        }
    }
}

#[test]
fn build_output_never_has_the_reload_script() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    common::build(&common::fixture("serve-site"), &out, &[]);
    let files = common::files(&out);
    assert!(files.contains_key("briefs/harbour-reform/index.html"));
    for (path, bytes) in files {
        let text = String::from_utf8_lossy(&bytes);
        for mark in [
            "__briefly",
            "data-briefly-reload",
            "briefly-error-overlay",
            "EventSource",
        ] {
            assert!(!text.contains(mark), "{path} contains {mark}");
        }
    }
}

#[test]
fn stopping_removes_the_temporary_output() {
    let _turn = one_at_a_time();
    let (_tmp, root) = site_copy();
    let mut server = Server::start(&root);
    let temp = server.output.parent().unwrap().to_path_buf();
    assert!(server.output.join("index.html").is_file());
    assert!(!temp.starts_with(&root));
    let status = server.stop();
    assert!(status.success(), "{status}:\n{}", server.log());
    assert!(!temp.exists(), "{} is left behind", temp.display());
}
