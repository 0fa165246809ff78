//! Measures what an author feels on save with `briefly serve`: the time from writing a
//! brief in place (truncate, then write, as editors save) until the served page shows the
//! change, polled over HTTP every 2 ms.
//!
//! `cargo run --release --example save-latency -- --root CORPUS/briefly [--bin PATH]
//!  [--edits 20] [--kinds body,title] [--listing /briefs/] [--tmp DIR]`
//!
//! The site is copied to a temporary folder first (under `--tmp`, default the system's),
//! so ROOT is never modified. The server is `target/release/briefly` unless `--bin` says
//! otherwise; it is started with `serve --root COPY --port 0` and stopped at the end.
//!
//! Two kinds of edit, each on `--edits` different briefs, one at a time, with the server
//! idle before each:
//! - body: a word of the brief's body is replaced by a new one; done when the brief's page
//!   has it;
//! - title: the brief's `title:` changes; done when the brief's page has it and then the
//!   page of the listing (`/briefs/`, or its `page/N/` that lists the brief) has it too
//!   (also reported apart: "page");
//! - search (not run unless asked for with `--kinds`): a body edit as above; done when a
//!   query for the new word, made over HTTP as the browser client makes it (entry file,
//!   then the word's chunk), finds the brief.
//!
//! Prints min / median / max per kind, and the server's own rebuild times from its log.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// How often the page is asked for.
const POLL: Duration = Duration::from_millis(2);
/// Longest wait for one change to show.
const GIVE_UP: Duration = Duration::from_secs(30);

struct Args {
    root: PathBuf,
    bin: PathBuf,
    edits: usize,
    kinds: Vec<String>,
    listing: String,
    tmp: Option<PathBuf>,
}

fn usage() -> ! {
    eprintln!(
        "usage: save-latency --root SITE [--bin PATH] [--edits N] [--kinds body,title] \
         [--listing /briefs/] [--tmp DIR]"
    );
    std::process::exit(2);
}

fn parse_args() -> Args {
    let mut args = Args {
        root: PathBuf::new(),
        bin: PathBuf::from("target/release/briefly"),
        edits: 20,
        kinds: vec!["body".into(), "title".into()],
        listing: "/briefs/".into(),
        tmp: None,
    };
    let mut root = None;
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = || it.next().unwrap_or_else(|| usage());
        match arg.as_str() {
            "--root" => root = Some(PathBuf::from(value())),
            "--bin" => args.bin = PathBuf::from(value()),
            "--edits" => args.edits = value().parse().unwrap_or_else(|_| usage()),
            "--kinds" => args.kinds = value().split(',').map(str::to_string).collect(),
            "--listing" => args.listing = value(),
            "--tmp" => args.tmp = Some(PathBuf::from(value())),
            _ => usage(),
        }
    }
    args.root = root.unwrap_or_else(|| usage());
    args
}

fn main() {
    let args = parse_args();
    let tmp = match &args.tmp {
        Some(dir) => tempfile::Builder::new()
            .prefix("save-latency-")
            .tempdir_in(dir),
        None => tempfile::Builder::new().prefix("save-latency-").tempdir(),
    }
    .expect("a temporary folder");
    let site = tmp.path().join("site");
    common::copy_tree(&args.root, &site);
    let briefs = common::brief_files(&site);
    assert!(
        !briefs.is_empty(),
        "no briefs under {}",
        args.root.display()
    );
    println!(
        "{} briefs; server {}; {}",
        briefs.len(),
        args.bin.display(),
        load_average()
    );

    let started = Instant::now();
    let mut server = Server::start(&args.bin, &site);
    println!(
        "first build served after {:.0} ms at {}",
        started.elapsed().as_secs_f64() * 1000.0,
        server.addr
    );
    // Let the first build's aftermath (page cache, the watcher) settle.
    thread::sleep(Duration::from_millis(500));

    let mut results = Vec::new();
    for (k, kind) in args.kinds.iter().enumerate() {
        let mut times = Vec::new();
        let mut page_times = Vec::new();
        let log_from = server.log_len();
        for i in 0..args.edits {
            // Different briefs for each edit and each kind, spread over the corpus.
            let n = (k * args.edits + i) * 7919 % briefs.len();
            let file = &briefs[n];
            let slug = file.file_stem().unwrap().to_string_lossy().to_string();
            let page = format!("/briefs/{slug}/");
            let text = std::fs::read_to_string(file).expect("a brief");
            let token = format!("zq{kind}{k}x{i:03}w");
            let (edited, listing) = match kind.as_str() {
                "body" | "search" => (edit_body(&text, &token), None),
                "title" => (
                    edit_title(&text, &token),
                    Some(server.listing_page(&args.listing, &page)),
                ),
                other => panic!("unknown kind {other}; body or title"),
            };
            server.wait_idle();
            let saved = Instant::now();
            save_in_place(file, &edited);
            let seen = if kind == "search" {
                server.poll_search(&token, saved)
            } else {
                server.poll_until(&page, &token, saved)
            };
            page_times.push(seen);
            let total = match &listing {
                Some(listing) => server.poll_until(listing, &token, saved),
                None => seen,
            };
            times.push(total);
        }
        // The log line of the last rebuild may come just after its page.
        server.wait_idle();
        let rebuilds = server.rebuild_times(log_from);
        results.push((kind.clone(), times, page_times, rebuilds));
    }
    server.stop();

    println!("{}", load_average());
    println!("| briefs | edit | n | min ms | median ms | max ms | server rebuild median ms |");
    println!("| ---: | --- | ---: | ---: | ---: | ---: | ---: |");
    for (kind, times, page_times, rebuilds) in &results {
        let row = |label: &str, t: &[f64], r: &[f64]| {
            let (min, med, max) = stats(t);
            let rebuild = if r.is_empty() {
                "-".to_string()
            } else {
                format!("{:.0} ({} builds)", stats(r).1, r.len())
            };
            println!(
                "| {} | {label} | {} | {min:.1} | {med:.1} | {max:.1} | {rebuild} |",
                briefs.len(),
                t.len()
            );
        };
        row(kind, times, rebuilds);
        if kind == "title" {
            row("title (page)", page_times, &[]);
        }
    }
    drop(tmp);
}

/// Replaces the first word of the first paragraph after `## Background` (or of the body).
fn edit_body(text: &str, token: &str) -> String {
    let body_start = text
        .find("\n---\n")
        .map(|at| at + 5)
        .filter(|_| text.starts_with("---"))
        .unwrap_or(0);
    let para = text[body_start..]
        .find("## Background\n\n")
        .map_or(body_start, |at| body_start + at + "## Background\n\n".len());
    let word_end = text[para..]
        .find(|c: char| c.is_whitespace())
        .map_or(text.len(), |at| para + at);
    format!("{}{token}{}", &text[..para], &text[word_end..])
}

/// Puts `token` at the start of the `title:` of the front matter.
fn edit_title(text: &str, token: &str) -> String {
    let at = text.find("\ntitle: ").expect("a title") + "\ntitle: ".len();
    let (head, rest) = text.split_at(at);
    match rest.strip_prefix('"') {
        Some(quoted) => format!("{head}\"{token} {quoted}"),
        None => format!("{head}{token} {rest}"),
    }
}

/// Saves as many editors do: truncates the file, then writes the new text into it.
fn save_in_place(path: &Path, text: &str) {
    let mut file = std::fs::File::create(path).expect("open for writing");
    file.write_all(text.as_bytes()).expect("write");
}

fn stats(times: &[f64]) -> (f64, f64, f64) {
    let mut t = times.to_vec();
    t.sort_by(f64::total_cmp);
    let n = t.len();
    let median = if n % 2 == 1 {
        t[n / 2]
    } else {
        (t[n / 2 - 1] + t[n / 2]) / 2.0
    };
    (t[0], median, t[n - 1])
}

fn load_average() -> String {
    let text = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let fields: Vec<&str> = text.split_whitespace().take(3).collect();
    format!(
        "load average {} ({} cores)",
        fields.join(" "),
        thread::available_parallelism().map_or(0, std::num::NonZero::get)
    )
}

struct Server {
    child: Child,
    addr: String,
    base: String,
    lines: Arc<Mutex<Vec<String>>>,
}

impl Server {
    fn start(bin: &Path, site: &Path) -> Server {
        let mut child = Command::new(bin)
            .args(["serve", "--port", "0", "--root"])
            .arg(site)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", bin.display()));
        let lines = Arc::new(Mutex::new(Vec::new()));
        for stream in [
            Box::new(child.stdout.take().unwrap()) as Box<dyn Read + Send>,
            Box::new(child.stderr.take().unwrap()),
        ] {
            let lines = Arc::clone(&lines);
            thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    lines.lock().unwrap().push(line);
                }
            });
        }
        let started = Instant::now();
        let url = loop {
            let found = lines
                .lock()
                .unwrap()
                .iter()
                .find_map(|l| l.strip_prefix("Serving http://").map(str::to_string));
            if let Some(url) = found {
                break url;
            }
            if started.elapsed() > Duration::from_secs(600)
                || child.try_wait().ok().flatten().is_some()
            {
                panic!(
                    "the server did not start:\n{}",
                    lines.lock().unwrap().join("\n")
                );
            }
            thread::sleep(Duration::from_millis(10));
        };
        let (addr, base) = match url.find('/') {
            Some(at) => (
                url[..at].to_string(),
                url[at..].trim_end_matches('/').to_string(),
            ),
            None => (url, String::new()),
        };
        Server {
            child,
            addr,
            base,
            lines,
        }
    }

    fn log_len(&self) -> usize {
        self.lines.lock().unwrap().len()
    }

    /// The "Rebuilt: wrote N files in X ms" times logged since line `from`.
    fn rebuild_times(&self, from: usize) -> Vec<f64> {
        self.lines.lock().unwrap()[from..]
            .iter()
            .filter_map(|l| l.strip_prefix("Rebuilt: wrote "))
            .filter_map(|l| l.split(" in ").nth(1)?.strip_suffix(" ms")?.parse().ok())
            .collect()
    }

    /// Waits until no build runs and the log has been still for a moment.
    fn wait_idle(&self) {
        let mut last = (self.log_len(), Instant::now());
        loop {
            thread::sleep(Duration::from_millis(20));
            let status = get(&self.addr, &format!("{}/__briefly/status", self.base));
            let building = String::from_utf8_lossy(&status).contains("\"building\":true");
            let len = self.log_len();
            if building || len != last.0 {
                last = (len, Instant::now());
            } else if last.1.elapsed() > Duration::from_millis(300) {
                return;
            }
        }
    }

    /// The page of the paginated list `listing` (`/briefs/`, `/briefs/page/2/`, …) that
    /// links to `page`.
    fn listing_page(&self, listing: &str, page: &str) -> String {
        let href = format!("href=\"{}{page}\"", self.base);
        for n in 1.. {
            let path = match n {
                1 => listing.to_string(),
                n => format!("{listing}page/{n}/"),
            };
            let body = get(&self.addr, &format!("{}{path}", self.base));
            if contains(&body, href.as_bytes()) {
                return path;
            }
            assert!(
                !body.is_empty() && n < 100_000,
                "no page of {listing} links to {page}"
            );
        }
        unreachable!()
    }

    /// Polls `path` until it contains `needle`; milliseconds since `since`.
    fn poll_until(&self, path: &str, needle: &str, since: Instant) -> f64 {
        let url = format!("{}{path}", self.base);
        loop {
            let body = get(&self.addr, &url);
            if contains(&body, needle.as_bytes()) {
                return since.elapsed().as_secs_f64() * 1000.0;
            }
            if since.elapsed() > GIVE_UP {
                panic!(
                    "{needle} never showed on {url}:\n{}",
                    self.lines.lock().unwrap().join("\n")
                );
            }
            thread::sleep(POLL);
        }
    }

    /// Polls the search index until a query for `word` finds a document; milliseconds
    /// since `since`.
    fn poll_search(&self, word: &str, since: Instant) -> f64 {
        let query = briefly::search::read::Query::new(&format!("{word} "));
        loop {
            let load = |path: &str| {
                let body = get(&self.addr, &format!("{}/{path}", self.base));
                (!body.is_empty()).then_some(body)
            };
            let found = briefly::search::read::Reader::open(load)
                .and_then(|mut reader| reader.search(&query))
                .is_ok_and(|hits| !hits.is_empty());
            if found {
                return since.elapsed().as_secs_f64() * 1000.0;
            }
            if since.elapsed() > GIVE_UP {
                panic!("{word} never became searchable");
            }
            thread::sleep(POLL * 5);
        }
    }

    fn stop(&mut self) {
        let _ = Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if self.child.try_wait().ok().flatten().is_some() {
                return;
            }
            thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            self.stop();
        }
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// The body of `GET path` (HTTP/1.1, one connection per request); empty on any failure.
fn get(addr: &str, path: &str) -> Vec<u8> {
    let Ok(mut stream) = TcpStream::connect(addr) else {
        return Vec::new();
    };
    let _ = stream.set_nodelay(true);
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    if stream.write_all(request.as_bytes()).is_err() {
        return Vec::new();
    }
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    // Chunked or not, the text searched for is in there whole unless a chunk boundary
    // splits it; the server sends files with a Content-Length.
    match raw.windows(4).position(|w| w == b"\r\n\r\n") {
        Some(at) => raw.split_off(at + 4),
        None => Vec::new(),
    }
}
