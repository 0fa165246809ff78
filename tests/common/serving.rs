//! A running `briefly serve` (the real binary, on a free port) for the tests that read a
//! site over HTTP: the serve tests and the browser tests. Stopped (SIGTERM, then kill)
//! when dropped, even on panic.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

/// A running `briefly serve`.
pub struct Serving {
    pub child: Child,
    /// `127.0.0.1:PORT`.
    pub addr: String,
    /// The base path it serves under, with its slashes (`/briefs/`).
    pub base_path: String,
    /// The folder it builds into.
    pub output: PathBuf,
    /// What it printed so far, line by line.
    pub stdout: Arc<Mutex<Vec<String>>>,
    pub stderr: Arc<Mutex<Vec<String>>>,
}

impl Serving {
    /// Starts `briefly serve --root ROOT --port 0` with more `args` and `env`, and waits
    /// (at most `within`) until it prints its URL.
    pub fn launch(root: &Path, args: &[&str], env: &[(&str, &str)], within: Duration) -> Serving {
        let mut child = Command::new(env!("CARGO_BIN_EXE_briefly"))
            .args(["serve", "--root", root.to_str().unwrap(), "--port", "0"])
            .args(args)
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("briefly serve starts");
        let stdout = collect_lines(child.stdout.take().unwrap());
        let stderr = collect_lines(child.stderr.take().unwrap());
        let mut server = Serving {
            child,
            addr: String::new(),
            base_path: String::new(),
            output: PathBuf::new(),
            stdout,
            stderr,
        };
        let started = Instant::now();
        loop {
            let lines = server
                .stdout
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .clone();
            if let Some(url) = lines.iter().find_map(|l| l.strip_prefix("Serving http://")) {
                let (addr, base) = url.split_once('/').unwrap_or((url, ""));
                server.addr = addr.to_string();
                server.base_path = format!("/{base}");
                let building = lines.iter().find_map(|l| l.strip_prefix("Building "));
                if let Some((_, output)) = building.and_then(|b| b.split_once(" into ")) {
                    server.output = PathBuf::from(output.trim_end_matches(" (removed on exit)"));
                }
                return server;
            }
            if let Ok(Some(status)) = server.child.try_wait() {
                panic!("briefly serve exited ({status}):\n{}", server.log());
            }
            assert!(
                started.elapsed() < within,
                "briefly serve printed no URL:\n{}",
                server.log()
            );
            thread::sleep(Duration::from_millis(50));
        }
    }

    /// Everything the server printed so far.
    pub fn log(&self) -> String {
        let lines =
            |l: &Mutex<Vec<String>>| l.lock().unwrap_or_else(PoisonError::into_inner).join("\n");
        format!(
            "stdout:\n{}\nstderr:\n{}",
            lines(&self.stdout),
            lines(&self.stderr)
        )
    }

    /// Stops the server as Ctrl-C would; its exit status.
    pub fn stop(&mut self) -> ExitStatus {
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

impl Drop for Serving {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            self.stop();
        }
    }
}

/// The lines of `stream`, collected by a thread of their own as they come.
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
