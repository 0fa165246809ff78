//! `briefly serve`: the authors' live preview. Builds the site into a temporary folder,
//! serves it over HTTP under its base path, rebuilds when a source changes, and tells open
//! tabs to reload (or shows them the build errors).
//!
//! This module owns the orchestration and the state the threads share: the watcher loop
//! runs on the calling thread and drives a [`Session`]; [`net`] runs the connections on a
//! small tokio runtime; [`http`] answers the requests; [`reload`] talks to the tabs;
//! [`watch`] decides what counts as a change.
//!
//! A build is only as good as the files it read: a failed build whose sources were still
//! being saved while it read them (a change seen less than [`watch::SETTLE`] before it
//! started, or during it) is not reported; it is built again once they are quiet, and only
//! the errors of that build are shown.

pub mod http;
pub mod net;
pub mod reload;
pub mod watch;

use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

use crate::build::BuildOptions;
use crate::session::Session;
use net::Limits;
use reload::{Event, Hub};
use tokio::sync::RwLock;
use watch::Watch;

/// The port tried first when none is given.
pub const DEFAULT_PORT: u16 = 1111;

/// How many ports after the default are tried when it is taken.
const PORT_TRIES: u16 = 100;

/// What `briefly serve` was asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The site folder.
    pub root: PathBuf,
    /// The port; `None` for the default (or the next free one); `Some(0)` for any free port.
    pub port: Option<u16>,
    /// The address to listen on.
    pub bind: IpAddr,
    /// Build drafts too.
    pub drafts: bool,
    /// Open the site in a browser once it is served.
    pub open: bool,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            root: PathBuf::from("."),
            port: None,
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            drafts: false,
            open: false,
        }
    }
}

/// The state shared by the watcher loop and the requests.
pub struct Shared {
    /// The folder the site is built into (replaced whole by each rebuild).
    output: PathBuf,
    /// Held for writing while a rebuild replaces the output, for reading while a request
    /// reads from it: a request never sees a half-replaced output. Fair: requests that come
    /// while a rebuild waits for the lock wait for the rebuild.
    swap: RwLock<()>,
    status: Mutex<Status>,
    hub: Hub,
    limits: Limits,
}

/// Where the builds stand.
#[derive(Debug, Clone)]
pub struct Status {
    /// The URL path the site is served under (`/sub/`).
    pub base_path: String,
    /// How many builds have finished (succeeded or failed).
    pub generation: u64,
    /// Whether a build is running.
    pub building: bool,
    /// The diagnostics of the last build, as the terminal shows them, if it failed.
    pub error: Option<String>,
}

impl Shared {
    /// A copy of the current status.
    pub fn status(&self) -> Status {
        self.status
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    fn update<T>(&self, change: impl FnOnce(&mut Status) -> T) -> T {
        change(&mut self.status.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

/// Runs the preview until interrupted. An error here is a usage error (the root or the
/// port); errors in the site are shown, never fatal.
pub fn run(options: &ServeOptions) -> Result<(), String> {
    let root = options
        .root
        .canonicalize()
        .ok()
        .filter(|r| r.is_dir())
        .ok_or_else(|| format!("{} is not a folder", options.root.display()))?;
    sweep_stale_previews(&std::env::temp_dir());
    let temp = tempfile::Builder::new()
        .prefix(&format!("{PREVIEW_PREFIX}{}-", std::process::id()))
        .tempdir()
        .map_err(|e| format!("could not create a temporary folder: {e}"))?;
    let output = temp.path().join("site");
    let mut session = Session::new(BuildOptions {
        root: root.clone(),
        output: Some(output.clone()),
        drafts: options.drafts,
        write: true,
        ..BuildOptions::default()
    });
    let shared = Arc::new(Shared {
        output: output.clone(),
        swap: RwLock::new(()),
        status: Mutex::new(Status {
            base_path: session.base_path(),
            generation: 0,
            building: false,
            error: None,
        }),
        hub: Hub::default(),
        limits: Limits::from_env(),
    });
    remove_on_interrupt(temp.path(), Arc::clone(&shared))?;

    // Listen first (a taken port fails fast), and watch before the first build, so that
    // nothing saved during it goes unseen.
    let listener = bind(options.bind, options.port)?;
    let mut watch = Watch::start(&root)?;
    say(&format!(
        "Building {} into {} (removed on exit)",
        root.display(),
        output.display()
    ));
    let first = rebuild(&mut session, &shared, &[], &mut watch);

    let runtime = start_http(listener, options, &shared)?;
    watch_and_rebuild(&mut session, &shared, &mut watch, first);
    drop(runtime);
    drop(temp);
    Ok(())
}

/// Serves the output over HTTP on `listener` (from a runtime of its own, returned: the
/// server runs until it is dropped) and says where.
fn start_http(
    listener: std::net::TcpListener,
    options: &ServeOptions,
    shared: &Arc<Shared>,
) -> Result<tokio::runtime::Runtime, String> {
    let addr = listener
        .local_addr()
        .map_err(|e| format!("could not read the listening address: {e}"))?;
    let runtime = net::runtime()?;
    let listener = {
        let _context = runtime.enter();
        listener
            .set_nonblocking(true)
            .and_then(|()| tokio::net::TcpListener::from_std(listener))
            .map_err(|e| format!("could not start the server on {addr}: {e}"))?
    };
    if options.port.is_none() && addr.port() != DEFAULT_PORT {
        say(&format!(
            "Port {DEFAULT_PORT} is taken; using {}",
            addr.port()
        ));
    }
    if !addr.ip().is_loopback() {
        warn(&format!(
            "warning: listening on {addr}, not only on this computer: anyone who can reach it \
             can read the site, drafts included"
        ));
    }
    let url = format!("http://{}{}", browsable(addr), shared.status().base_path);
    say(&format!("Serving {url}"));
    say("Watching content/, templates/, theme/ and site.yaml; press Ctrl-C to stop");
    let app = http::app(Arc::clone(shared), options.bind);
    runtime.spawn(net::serve(listener, app, shared.limits));
    if options.open {
        open_browser(&url);
    }

    Ok(runtime)
}

/// Rebuilds after each batch of changes until the watch ends.
fn watch_and_rebuild(session: &mut Session, shared: &Shared, watch: &mut Watch, first: Outcome) {
    // The paths of a build whose failure was not reported (its files were being saved):
    // built again with the next batch.
    let mut owed: Vec<String> = match first {
        Outcome::Done => Vec::new(),
        Outcome::Unsettled => vec!["content".to_string()],
    };
    while let Some(batch) = watch.next_batch(!owed.is_empty()) {
        let mut changed = std::mem::take(&mut owed);
        changed.extend(batch.paths);
        changed.sort();
        changed.dedup();
        let started = Instant::now();
        let unsettled = batch
            .last
            .is_some_and(|last| last + watch::SETTLE > started);
        let outcome = if unsettled && changed.is_empty() {
            Outcome::Done
        } else {
            rebuild_after(session, shared, &changed, watch, unsettled)
        };
        if let Outcome::Unsettled = outcome {
            owed = changed;
        }
    }
}

/// How a rebuild ended.
#[derive(Clone, Copy)]
enum Outcome {
    /// Succeeded, or failed and said so.
    Done,
    /// Failed while its sources were being saved: not reported, to be built again.
    Unsettled,
}

/// Rebuilds after `changed` (relative to the root; empty for the first build).
fn rebuild(
    session: &mut Session,
    shared: &Shared,
    changed: &[String],
    watch: &mut Watch,
) -> Outcome {
    rebuild_after(session, shared, changed, watch, false)
}

/// Rebuilds after `changed`, prints what happened, and tells the tabs. A failure is
/// reported only if no source changed just before (`unsettled`) or during the build.
fn rebuild_after(
    session: &mut Session,
    shared: &Shared,
    changed: &[String],
    watch: &mut Watch,
    unsettled: bool,
) -> Outcome {
    if !changed.is_empty() {
        say(&format!("Changed: {}", list(changed)));
    }
    shared.update(|s| s.building = true);
    let paths: Vec<PathBuf> = changed.iter().map(PathBuf::from).collect();
    let started = Instant::now();
    let result = {
        let _swap = shared.swap.blocking_write();
        session.rebuild(&paths)
    };
    match result {
        Ok(done) => {
            if !done.warnings.is_empty() {
                warn(done.warnings.to_string().trim_end());
            }
            say(&format!(
                "{}: wrote {} files in {:.0} ms",
                if changed.is_empty() {
                    "Built"
                } else {
                    "Rebuilt"
                },
                done.written,
                done.elapsed.as_secs_f64() * 1000.0
            ));
            let base_path = session.base_path();
            let (recovered, moved) = shared.update(|s| {
                s.generation += 1;
                s.building = false;
                let moved = s.base_path != base_path;
                s.base_path = base_path.clone();
                (s.error.take().is_some(), moved)
            });
            if moved {
                say(&format!("The site is now served under {base_path}"));
            }
            let event = if done.css_only && !recovered {
                Event::Css
            } else {
                Event::Reload
            };
            shared.hub.broadcast(&event);
            Outcome::Done
        }
        Err(diagnostics) => {
            let since = started.checked_sub(watch::SETTLE).unwrap_or(started);
            if unsettled || watch.stirred_since(since, watch::SETTLE) {
                say("Sources were still changing when they were read; \
                     building again once they are quiet");
                shared.update(|s| s.building = false);
                return Outcome::Unsettled;
            }
            let text = diagnostics.to_string().trim_end().to_string();
            warn(&text);
            warn(&format!(
                "Build failed after {:.0} ms: {}; still serving the last good pages, with the \
                 errors shown on each",
                started.elapsed().as_secs_f64() * 1000.0,
                diagnostics.counts()
            ));
            shared.update(|s| {
                s.generation += 1;
                s.building = false;
                s.error = Some(text.clone());
            });
            shared.hub.broadcast(&Event::Error(text));
            Outcome::Done
        }
    }
}

/// Up to eight paths, then how many more.
fn list(paths: &[String]) -> String {
    const SHOWN: usize = 8;
    let mut text = paths
        .iter()
        .take(SHOWN)
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(", ");
    if paths.len() > SHOWN {
        text.push_str(&format!(" and {} more", paths.len() - SHOWN));
    }
    text
}

/// Listens on `port`, or on the default port or the next free one.
fn bind(ip: IpAddr, port: Option<u16>) -> Result<TcpListener, String> {
    let listener = bind_port(ip, port)?;
    // Small responses go out at once (accepted connections inherit this on Linux);
    // otherwise Nagle's algorithm and delayed ACKs add ~40 ms to each keep-alive request.
    let _ = socket2::SockRef::from(&listener).set_tcp_nodelay(true);
    Ok(listener)
}

fn bind_port(ip: IpAddr, port: Option<u16>) -> Result<TcpListener, String> {
    match port {
        Some(port) => TcpListener::bind((ip, port))
            .map_err(|e| format!("cannot listen on {}: {e}", SocketAddr::new(ip, port))),
        None => (DEFAULT_PORT..DEFAULT_PORT + PORT_TRIES)
            .find_map(|port| TcpListener::bind((ip, port)).ok())
            .ok_or_else(|| {
                format!(
                    "cannot listen on {ip}: ports {DEFAULT_PORT}-{} are all taken; pass --port",
                    DEFAULT_PORT + PORT_TRIES - 1
                )
            }),
    }
}

/// The address to put in a URL: the loopback one when listening on all interfaces.
fn browsable(addr: SocketAddr) -> SocketAddr {
    match addr.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => {
            SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), addr.port())
        }
        IpAddr::V6(ip) if ip.is_unspecified() => {
            SocketAddr::new(IpAddr::V6(Ipv6Addr::LOCALHOST), addr.port())
        }
        _ => addr,
    }
}

/// On Ctrl-C (or SIGTERM/SIGHUP), removes the temporary folder and exits. Waits a little
/// for a running rebuild, so that it does not write into the folder after it is gone.
/// How the preview folders in the temporary folder are named: the prefix, the server's
/// process id, a dash and random letters.
const PREVIEW_PREFIX: &str = "briefly-serve-";

/// Removes the preview folders that servers which no longer run left behind (after a
/// SIGKILL): only folders named as `serve` names them, of a dead process, holding nothing
/// but the preview's `site` folder. Returns how many were removed.
pub fn sweep_stale_previews(temp: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(temp) else {
        return 0;
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = name
            .strip_prefix(PREVIEW_PREFIX)
            .and_then(|rest| rest.split_once('-'))
            .and_then(|(pid, _)| pid.parse::<u32>().ok())
        else {
            continue;
        };
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        if !is_dir || pid == std::process::id() || crate::write::process_is_alive(pid) {
            continue;
        }
        let only_site = std::fs::read_dir(entry.path()).is_ok_and(|inside| {
            inside
                .flatten()
                .all(|e| e.file_name() == "site" && e.file_type().is_ok_and(|t| t.is_dir()))
        });
        if only_site && std::fs::remove_dir_all(entry.path()).is_ok() {
            removed += 1;
        }
    }
    removed
}

fn remove_on_interrupt(temp: &Path, shared: Arc<Shared>) -> Result<(), String> {
    let temp = temp.to_path_buf();
    ctrlc::set_handler(move || {
        let deadline = Instant::now() + Duration::from_secs(3);
        let _guard = loop {
            match shared.swap.try_write() {
                Ok(guard) => break Some(guard),
                Err(_) if Instant::now() < deadline => thread::sleep(Duration::from_millis(20)),
                Err(_) => break None,
            }
        };
        let _ = std::fs::remove_dir_all(&temp);
        say("Stopped");
        std::process::exit(0);
    })
    .map_err(|e| format!("could not handle Ctrl-C: {e}"))
}

/// Opens `url` in the default browser; failing that, says so and goes on.
fn open_browser(url: &str) {
    let program = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    let spawned = Command::new(program)
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
    match spawned {
        Ok(mut child) => {
            // Reap it whenever it ends.
            let _ = thread::Builder::new().spawn(move || child.wait());
        }
        Err(e) => warn(&format!(
            "note: could not open a browser with {program}: {e}"
        )),
    }
}

/// A line on stdout; a closed stdout is no reason to stop serving.
fn say(line: &str) {
    let _ = writeln!(std::io::stdout(), "{line}");
}

/// A line on stderr, likewise.
pub(crate) fn warn(line: &str) {
    let _ = writeln!(std::io::stderr(), "{line}");
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The id of a process that has ended.
    fn dead_pid() -> u32 {
        let mut child = Command::new("true").spawn().expect("run true");
        let pid = child.id();
        child.wait().expect("wait for true");
        pid
    }

    #[test]
    fn only_dead_servers_previews_are_swept() {
        let temp = tempfile::tempdir().unwrap();
        let dead = dead_pid();
        let make = |name: &str, extra: Option<&str>| {
            let dir = temp.path().join(name);
            std::fs::create_dir_all(dir.join("site")).unwrap();
            std::fs::write(dir.join("site/index.html"), "x").unwrap();
            if let Some(extra) = extra {
                std::fs::write(dir.join(extra), "mine").unwrap();
            }
            dir
        };
        let stale = make(&format!("briefly-serve-{dead}-abc"), None);
        let foreign = make(&format!("briefly-serve-{dead}-def"), Some("notes.txt"));
        let live = make(&format!("briefly-serve-{}-ghi", std::process::id()), None);
        let unnamed = make("briefly-serve-xyz", None);
        let other = make("something-else", None);
        assert_eq!(sweep_stale_previews(temp.path()), 1);
        assert!(!stale.exists());
        for kept in [foreign, live, unnamed, other] {
            assert!(kept.join("site/index.html").exists(), "{}", kept.display());
        }
    }
}
