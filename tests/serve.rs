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
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

use common::serving::Serving as Server;

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
    common::copy_dir(&common::fixture("serve-site"), &root);
    (tmp, root)
}

/// What a serve test drives: a running `briefly serve` (see `common::serving`), with the
/// requests the tests make.
impl Server {
    fn start(root: &Path) -> Server {
        Server::start_with(root, &[], &[])
    }

    /// `briefly serve` with more arguments and environment variables.
    fn start_with(root: &Path, args: &[&str], env: &[(&str, &str)]) -> Server {
        let server = Server::launch(root, args, env, START);
        assert_eq!(
            server.base_path, "/sub/",
            "served under the base path of base_url"
        );
        assert!(!server.output.as_os_str().is_empty(), "{}", server.log());
        server
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
    request(addr, "GET", path, &format!("Host: {addr}\r\n"))
}

/// A request with the target and header lines (each ending in CRLF) sent exactly as given.
fn request(addr: &str, method: &str, path: &str, headers: &str) -> Reply {
    send(
        addr,
        format!("{method} {path} HTTP/1.1\r\n{headers}Connection: close\r\n\r\n").as_bytes(),
    )
}

/// Sends `bytes` and reads the response until the server closes the connection. A reset
/// after the response counts as its end.
fn send(addr: &str, bytes: &[u8]) -> Reply {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    // The server may answer (and close) before it has read everything: keep reading.
    let _ = stream.write_all(bytes);
    let mut raw = Vec::new();
    let mut chunk = [0; 16 * 1024];
    loop {
        match stream.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => raw.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => {
                assert!(!raw.is_empty(), "no response before {e}");
                break;
            }
        }
    }
    parse_reply(&raw)
}

fn parse_reply(raw: &[u8]) -> Reply {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no header end in {:?}", String::from_utf8_lossy(raw)));
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
    let server = Server::start(&root);
    // A build never writes a link that leaves the site (it refuses to read through one),
    // so put links into the served folder directly: the server must not follow them out.
    std::os::unix::fs::symlink(outside.join("secret.txt"), server.output.join("leak.txt")).unwrap();
    std::os::unix::fs::symlink(&outside, server.output.join("leakdir")).unwrap();

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
        ("/sub/sitemap.xml", "application/xml"),
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

/// The `Host` values a server bound to loopback answers, and those it refuses.
#[test]
fn only_requests_for_this_computer_are_answered() {
    let _turn = one_at_a_time();
    let (_tmp, root) = site_copy();
    let server = Server::start(&root);
    let port = server.addr.rsplit_once(':').unwrap().1.to_string();

    for host in [
        "evil.example".to_string(),
        format!("evil.example:{port}"),
        "localhost.evil.com".to_string(),
        format!("localhost.evil.com:{port}"),
        format!("127.0.0.1.nip.io:{port}"),
    ] {
        let reply = request(&server.addr, "GET", "/sub/", &format!("Host: {host}\r\n"));
        assert!(
            reply.status == 403 || reply.status == 421,
            "{host}: {}",
            reply.status
        );
        assert_eq!(
            reply.header("Content-Type"),
            Some("text/plain; charset=utf-8")
        );
        assert!(reply.text().contains("localhost"), "{}", reply.text());
        assert!(!reply.text().contains("Reforming the Harbour"));
    }
    // No Host at all, and an absolute URL naming another host.
    let none = send(
        &server.addr,
        b"GET /sub/ HTTP/1.1\r\nConnection: close\r\n\r\n",
    );
    assert!(none.status == 400 || none.status == 403, "{}", none.status);
    let absolute = request(
        &server.addr,
        "GET",
        "http://evil.example/sub/",
        &format!("Host: {}\r\n", server.addr),
    );
    assert_eq!(absolute.status, 403);

    for host in [
        format!("localhost:{port}"),
        "localhost".to_string(),
        format!("127.0.0.1:{port}"),
        "127.0.0.1".to_string(),
    ] {
        let reply = request(&server.addr, "GET", "/sub/", &format!("Host: {host}\r\n"));
        assert_eq!(reply.status, 200, "{host}");
    }
    drop(server);

    // Bound to the IPv6 loopback (where this machine has one).
    if std::net::TcpListener::bind("[::1]:0").is_ok() {
        let server = Server::start_with(&root, &["--bind", "::1"], &[]);
        assert!(server.addr.starts_with("[::1]:"), "{}", server.addr);
        let port = server.addr.rsplit_once(':').unwrap().1.to_string();
        for (host, status) in [
            (format!("[::1]:{port}"), 200),
            ("[::1]".to_string(), 200),
            (format!("localhost:{port}"), 200),
            (format!("evil.example:{port}"), 403),
        ] {
            let reply = request(&server.addr, "GET", "/sub/", &format!("Host: {host}\r\n"));
            assert_eq!(reply.status, status, "{host}");
        }
    }
}

#[test]
fn oversized_requests_are_refused_with_their_status() {
    let _turn = one_at_a_time();
    let (_tmp, root) = site_copy();
    let server = Server::start(&root);

    // A 9 KB request target.
    let long = format!("/sub/{}", "a".repeat(9 * 1024));
    let reply = server.get(&long);
    assert_eq!(reply.status, 414, "{}", reply.text());
    // Just under the limit is an ordinary miss.
    let reply = server.get(&format!("/sub/{}", "a".repeat(8 * 1024 - 100)));
    assert_eq!(reply.status, 404);

    // 70 KB of headers, and far more.
    for total in [70 * 1024, 1024 * 1024] {
        let mut headers = format!("Host: {}\r\n", server.addr);
        for n in 0..total / 1024 {
            headers.push_str(&format!("X-Pad-{n}: {}\r\n", "p".repeat(1000)));
        }
        let reply = request(&server.addr, "GET", "/sub/", &headers);
        assert_eq!(reply.status, 431, "{total} bytes of headers");
    }
    // Too many headers.
    let mut headers = format!("Host: {}\r\n", server.addr);
    for n in 0..500 {
        headers.push_str(&format!("X-{n}: 1\r\n"));
    }
    assert_eq!(request(&server.addr, "GET", "/sub/", &headers).status, 431);
    // The server goes on answering.
    assert_eq!(server.get("/sub/").status, 200);
}

/// Reads from `stream` until the server closes it, for at most `limit`; when that was.
fn closed_at(stream: &mut TcpStream, limit: Duration) -> Option<Instant> {
    stream.set_read_timeout(Some(limit)).unwrap();
    let mut buf = [0; 4096];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => return Some(Instant::now()),
            Ok(_) => {}
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                return None
            }
            Err(_) => return Some(Instant::now()),
        }
    }
}

#[test]
fn slow_and_idle_clients_are_disconnected_but_live_reload_stays() {
    let _turn = one_at_a_time();
    let (_tmp, root) = site_copy();
    let server = Server::start_with(
        &root,
        &[],
        &[
            ("BRIEFLY_SERVE_HEADER_TIMEOUT_MS", "1500"),
            ("BRIEFLY_SERVE_IDLE_TIMEOUT_MS", "3000"),
        ],
    );
    let events = Events::connect(&server);

    // Half a request head, then nothing (slowloris).
    let mut slow = TcpStream::connect(&server.addr).unwrap();
    write!(
        slow,
        "GET /sub/ HTTP/1.1\r\nHost: {}\r\nX-Slow: ",
        server.addr
    )
    .unwrap();
    // A connection that never says anything.
    let mut silent = TcpStream::connect(&server.addr).unwrap();
    // A keep-alive connection, idle after its answer.
    let mut kept = TcpStream::connect(&server.addr).unwrap();
    write!(
        kept,
        "GET /sub/favicon.svg HTTP/1.1\r\nHost: {}\r\n\r\n",
        server.addr
    )
    .unwrap();

    let connected = Instant::now();
    for (name, stream) in [
        ("slow", &mut slow),
        ("silent", &mut silent),
        ("kept", &mut kept),
    ] {
        let closed = closed_at(stream, Duration::from_secs(10))
            .unwrap_or_else(|| panic!("the {name} client was never disconnected"));
        let after = closed - connected;
        assert!(after >= Duration::from_millis(1000), "{name}: {after:?}");
        println!("{name} client disconnected after {after:?}");
    }

    // The event stream outlives both limits, and still works.
    thread::sleep(Duration::from_millis(2500));
    edit(
        &root.join("content/briefs/harbour-reform.md"),
        "title: Reforming the Harbour",
        "title: Harbour Reform Now",
    );
    events.expect("reload", PATIENCE);
    assert_eq!(server.get("/sub/").status, 200);
}

/// The threads of process `pid`.
fn threads(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/task"))
        .unwrap()
        .count()
}

#[test]
fn idle_connections_do_not_take_a_thread_each() {
    let _turn = one_at_a_time();
    let (_tmp, root) = site_copy();
    let server = Server::start(&root);
    let pid = server.child.id();
    assert_eq!(server.get("/sub/").status, 200);
    let before = threads(pid);

    let mut clients = Vec::new();
    for n in 0..500 {
        let mut stream = TcpStream::connect(&server.addr).unwrap();
        if n % 2 == 0 {
            // Half ask for a page and keep the connection; half say nothing.
            write!(
                stream,
                "GET /sub/favicon.svg HTTP/1.1\r\nHost: {}\r\n\r\n",
                server.addr
            )
            .unwrap();
        }
        clients.push(stream);
    }
    thread::sleep(Duration::from_millis(1000));
    let during = threads(pid);
    let page = server.get("/sub/briefs/harbour-reform/");
    assert_eq!(
        page.status, 200,
        "still answering with 500 clients connected"
    );
    println!("threads: {before} before, {during} with 500 idle clients");
    assert!(
        during < 40,
        "{during} threads with 500 idle clients ({before} before)"
    );
    drop(clients);
}

#[test]
fn head_and_ranges_are_answered() {
    let _turn = one_at_a_time();
    let (_tmp, root) = site_copy();
    let server = Server::start(&root);
    let css = std::fs::read(server.output.join("style.css")).unwrap();
    assert!(css.len() > 20);

    let head = request(
        &server.addr,
        "HEAD",
        "/sub/style.css",
        &format!("Host: {}\r\n", server.addr),
    );
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert_eq!(
        head.header("Content-Length"),
        Some(css.len().to_string().as_str())
    );
    assert_eq!(head.header("Content-Type"), Some("text/css; charset=utf-8"));

    let modified = head
        .header("Last-Modified")
        .expect("Last-Modified")
        .to_string();
    let unchanged = request(
        &server.addr,
        "GET",
        "/sub/style.css",
        &format!("Host: {}\r\nIf-Modified-Since: {modified}\r\n", server.addr),
    );
    assert_eq!(unchanged.status, 304);
    assert!(unchanged.body.is_empty());

    let range = request(
        &server.addr,
        "GET",
        "/sub/style.css",
        &format!("Host: {}\r\nRange: bytes=0-9\r\n", server.addr),
    );
    assert_eq!(range.status, 206);
    assert_eq!(range.body, css[..10]);
    assert_eq!(
        range.header("Content-Range"),
        Some(format!("bytes 0-9/{}", css.len()).as_str())
    );
    assert_eq!(
        range.header("Content-Type"),
        Some("text/css; charset=utf-8")
    );
    let tail = request(
        &server.addr,
        "GET",
        "/sub/style.css",
        &format!("Host: {}\r\nRange: bytes=-5\r\n", server.addr),
    );
    assert_eq!(tail.status, 206);
    assert_eq!(tail.body, css[css.len() - 5..]);
    let beyond = request(
        &server.addr,
        "GET",
        "/sub/style.css",
        &format!(
            "Host: {}\r\nRange: bytes={}-\r\n",
            server.addr,
            css.len() + 10
        ),
    );
    assert_eq!(beyond.status, 416);

    // A page: HEAD has the length of the page as served (script included), and no body.
    let page = server.get("/sub/briefs/harbour-reform/");
    let head = request(
        &server.addr,
        "HEAD",
        "/sub/briefs/harbour-reform/",
        &format!("Host: {}\r\n", server.addr),
    );
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert_eq!(
        head.header("Content-Length"),
        Some(page.body.len().to_string().as_str())
    );
    assert_eq!(
        head.header("Content-Type"),
        Some("text/html; charset=utf-8")
    );
    let post = request(
        &server.addr,
        "POST",
        "/sub/",
        &format!("Host: {}\r\nContent-Length: 0\r\n", server.addr),
    );
    assert_eq!(post.status, 405);
    assert_eq!(post.header("Allow"), Some("GET, HEAD"));
}

#[test]
fn a_burst_of_in_place_saves_never_shows_a_false_error() {
    let _turn = one_at_a_time();
    let (_tmp, root) = site_copy();
    let brief = root.join("content/briefs/harbour-reform.md");
    let original = std::fs::read_to_string(&brief).unwrap();
    let server = Server::start(&root);
    server.wait_quiet();

    // Saves in place, as many editors do: truncate, then write. The file is empty for a
    // moment during each; no build may take that moment for what was saved.
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writer = {
        let (brief, original, stop) = (brief.clone(), original.clone(), Arc::clone(&stop));
        thread::spawn(move || {
            let mut saves = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                saves += 1;
                let text = original.replace(
                    "title: Reforming the Harbour",
                    &format!("title: Harbour Save {saves}"),
                );
                let mut file = std::fs::File::create(&brief).unwrap();
                thread::sleep(Duration::from_millis(8));
                file.write_all(text.as_bytes()).unwrap();
                drop(file);
                thread::sleep(Duration::from_millis(4));
            }
            saves
        })
    };
    let started = Instant::now();
    let mut polls = 0;
    while started.elapsed() < Duration::from_secs(5) {
        for path in ["/sub/briefs/harbour-reform/", "/sub/"] {
            let page = server.get(path);
            polls += 1;
            assert!(
                !page.text().contains(OVERLAY),
                "an error overlay during a burst of saves ({path}, after {:?}):\n{}",
                started.elapsed(),
                server.log()
            );
        }
        assert_eq!(server.status()["ok"], true, "{}", server.log());
        thread::sleep(Duration::from_millis(20));
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let saves = writer.join().unwrap();
    println!("{saves} saves, {polls} pages polled");

    // The last save is what is served.
    let last = format!("Harbour Save {saves}");
    let shown = wait_for(PROMPT, || {
        let page = server.get("/sub/briefs/harbour-reform/");
        (page.status == 200 && page.text().contains(&last)).then_some(())
    });
    assert!(shown.is_some(), "{last} is not served:\n{}", server.log());
    server.wait_quiet();
    assert_eq!(server.status()["ok"], true);
    assert!(!server.get("/sub/").text().contains(OVERLAY));
    let log = server.log();
    assert!(!log.contains("the file is empty"), "{log}");
}
