//! A small Chrome DevTools Protocol client: launches a headless Chromium and drives one
//! tab per caller over the browser's WebSocket, with every protocol event kept for the
//! checks to read (console messages, exceptions, network requests).
//!
//! Only what the browser tests use is here: commands are plain JSON (`call`), events are
//! collected while waiting for a reply, and nothing runs in the background but the
//! thread that drains Chromium's stderr.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, ErrorKind};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use tungstenite::{Message, WebSocket};

/// How long one command may take (axe on a long page included).
const REPLY: Duration = Duration::from_secs(60);
/// How long the browser may take to start.
const LAUNCH: Duration = Duration::from_secs(30);

/// A headless Chromium, closed (then killed) when dropped.
pub struct Chromium {
    child: Child,
    /// `ws://127.0.0.1:PORT/devtools/browser/ID`.
    ws_url: String,
    /// The throwaway profile.
    _profile: tempfile::TempDir,
    /// The last lines Chromium wrote to stderr, for failure messages.
    stderr: Arc<Mutex<VecDeque<String>>>,
}

impl Chromium {
    /// Starts `binary` headless with a fresh profile and remote debugging on a free port.
    pub fn launch(binary: &Path) -> Result<Chromium, String> {
        let profile = tempfile::tempdir().map_err(|e| format!("temporary profile: {e}"))?;
        let mut child = Command::new(binary)
            .args([
                "--headless",
                "--remote-debugging-port=0",
                "--remote-debugging-address=127.0.0.1",
                // Tests run as root in CI containers, where the sandbox cannot start.
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-extensions",
                "--disable-component-update",
                "--disable-background-networking",
                "--disable-sync",
                "--disable-default-apps",
                "--disable-features=Translate,MediaRouter,OptimizationHints",
                "--metrics-recording-only",
                "--mute-audio",
                // Tabs of concurrent tests all run at full speed.
                "--disable-background-timer-throttling",
                "--disable-renderer-backgrounding",
                "--disable-backgrounding-occluded-windows",
                "--force-color-profile=srgb",
                "--hide-scrollbars",
                "about:blank",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", binary.display()))?;
        let stderr = Arc::new(Mutex::new(VecDeque::new()));
        let (tx, rx) = mpsc::channel();
        let pipe = child.stderr.take().expect("stderr is piped");
        let tail = Arc::clone(&stderr);
        thread::spawn(move || {
            for line in BufReader::new(pipe).lines() {
                let Ok(line) = line else { break };
                if let Some(url) = line.strip_prefix("DevTools listening on ") {
                    let _ = tx.send(url.trim().to_string());
                }
                let mut tail = tail.lock().unwrap_or_else(PoisonError::into_inner);
                tail.push_back(line);
                if tail.len() > 40 {
                    tail.pop_front();
                }
            }
        });
        let mut browser = Chromium {
            child,
            ws_url: String::new(),
            _profile: profile,
            stderr,
        };
        match rx.recv_timeout(LAUNCH) {
            Ok(url) => browser.ws_url = url,
            Err(_) => {
                return Err(format!(
                    "{} printed no DevTools URL within {LAUNCH:?}:\n{}",
                    binary.display(),
                    browser.log()
                ))
            }
        }
        Ok(browser)
    }

    /// The last lines Chromium wrote to stderr.
    pub fn log(&self) -> String {
        let tail = self.stderr.lock().unwrap_or_else(PoisonError::into_inner);
        tail.iter().cloned().collect::<Vec<_>>().join("\n")
    }

    /// A new connection to the browser.
    fn connect(&self) -> Result<WebSocket<TcpStream>, String> {
        let fail = |e: &dyn std::fmt::Display| format!("cannot connect to {}: {e}", self.ws_url);
        let host = self
            .ws_url
            .strip_prefix("ws://")
            .and_then(|rest| rest.split('/').next())
            .ok_or_else(|| fail(&"not a ws:// URL"))?;
        let stream = TcpStream::connect(host).map_err(|e| fail(&e))?;
        let (ws, _) = tungstenite::client(self.ws_url.as_str(), stream).map_err(|e| fail(&e))?;
        Ok(ws)
    }

    /// A new tab in a window of its own, on a connection of its own, with the page,
    /// runtime, log and network domains enabled.
    pub fn tab(&self) -> Result<Tab, String> {
        let ws = self.connect()?;
        let mut tab = Tab {
            ws,
            session: None,
            target_id: String::new(),
            next_id: 0,
            events: Vec::new(),
        };
        let target = tab.call(
            "Target.createTarget",
            json!({"url": "about:blank", "newWindow": true}),
        )?;
        tab.target_id = target["targetId"].as_str().unwrap_or_default().to_string();
        let attached = tab.call(
            "Target.attachToTarget",
            json!({"targetId": tab.target_id, "flatten": true}),
        )?;
        tab.session = attached["sessionId"].as_str().map(str::to_string);
        for domain in ["Page", "Runtime", "Log", "Network"] {
            tab.call(&format!("{domain}.enable"), json!({}))?;
        }
        Ok(tab)
    }
}

impl Drop for Chromium {
    fn drop(&mut self) {
        if let Ok(mut ws) = self.connect() {
            let close = json!({"id": 1, "method": "Browser.close"}).to_string();
            let _ = ws.send(Message::text(close));
        }
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(5) {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One tab, attached in flat session mode.
pub struct Tab {
    ws: WebSocket<TcpStream>,
    /// The tab's session on the browser connection (`None` only while creating it).
    session: Option<String>,
    /// The tab's target.
    target_id: String,
    next_id: u64,
    /// Events received since the last `take_events`.
    events: Vec<Value>,
}

impl Tab {
    /// Sends a command and waits for its result, keeping the events that arrive meanwhile.
    pub fn call(&mut self, method: &str, params: Value) -> Result<Value, String> {
        self.next_id += 1;
        let id = self.next_id;
        let mut message = json!({"id": id, "method": method});
        message["params"] = params;
        if let Some(session) = &self.session {
            message["sessionId"] = json!(session);
        }
        self.ws
            .send(Message::text(message.to_string()))
            .map_err(|e| format!("{method}: cannot send: {e}"))?;
        let deadline = Instant::now() + REPLY;
        loop {
            let Some(reply) = self.read(deadline)? else {
                return Err(format!("{method}: no reply within {REPLY:?}"));
            };
            if reply["id"] == json!(id) {
                if let Some(error) = reply.get("error") {
                    return Err(format!("{method}: {error}"));
                }
                return Ok(reply["result"].clone());
            }
        }
    }

    /// Reads one message (an event is kept, and returned too) or `None` at `deadline`.
    fn read(&mut self, deadline: Instant) -> Result<Option<Value>, String> {
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Ok(None);
            }
            self.ws
                .get_mut()
                .set_read_timeout(Some(left))
                .map_err(|e| e.to_string())?;
            match self.ws.read() {
                Ok(Message::Text(text)) => {
                    let value: Value = serde_json::from_str(text.as_str())
                        .map_err(|e| format!("bad message from the browser: {e}"))?;
                    if value.get("method").is_some() {
                        self.events.push(value.clone());
                    }
                    return Ok(Some(value));
                }
                Ok(_) => {}
                Err(tungstenite::Error::Io(e))
                    if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
                Err(e) => return Err(format!("connection to the browser: {e}")),
            }
        }
    }

    /// Waits for the event `method`.
    pub fn wait_for(&mut self, method: &str, within: Duration) -> Result<Value, String> {
        let deadline = Instant::now() + within;
        loop {
            match self.read(deadline)? {
                Some(event) if event["method"] == method => return Ok(event),
                Some(_) => {}
                None => return Err(format!("no {method} within {within:?}")),
            }
        }
    }

    /// Keeps reading events until none came for `quiet` (or two seconds passed).
    pub fn drain(&mut self, quiet: Duration) -> Result<(), String> {
        let give_up = Instant::now() + Duration::from_secs(2);
        while Instant::now() < give_up {
            if self.read(Instant::now() + quiet)?.is_none() {
                break;
            }
        }
        Ok(())
    }

    /// The events received so far, forgotten here.
    pub fn take_events(&mut self) -> Vec<Value> {
        std::mem::take(&mut self.events)
    }

    /// Loads `url` and waits for its load event; earlier events are dropped.
    pub fn goto(&mut self, url: &str) -> Result<(), String> {
        self.drain(Duration::from_millis(20))?;
        self.events.clear();
        let result = self.call("Page.navigate", json!({"url": url}))?;
        if let Some(error) = result["errorText"].as_str() {
            return Err(format!("{url}: navigation failed: {error}"));
        }
        self.wait_for("Page.loadEventFired", REPLY)
            .map_err(|e| format!("{url}: {e}"))?;
        self.settle()
    }

    /// Waits for web fonts and two frames, then for the network to be quiet.
    pub fn settle(&mut self) -> Result<(), String> {
        self.evaluate(
            "document.fonts.ready.then(() => new Promise(done => \
             requestAnimationFrame(() => requestAnimationFrame(() => done(true)))))",
        )?;
        self.drain(Duration::from_millis(100))
    }

    /// Evaluates `expression` in the page (awaiting a promise) and returns its value.
    pub fn evaluate(&mut self, expression: &str) -> Result<Value, String> {
        let result = self.call(
            "Runtime.evaluate",
            json!({"expression": expression, "awaitPromise": true, "returnByValue": true}),
        )?;
        if let Some(details) = result.get("exceptionDetails") {
            let text = details["exception"]["description"]
                .as_str()
                .or(details["text"].as_str())
                .unwrap_or("an exception");
            return Err(format!("script failed: {text}"));
        }
        Ok(result["result"]["value"].clone())
    }

    /// Sets the viewport: `width` × `height` CSS pixels, as a phone below 600 px.
    pub fn viewport(&mut self, width: u32, height: u32) -> Result<(), String> {
        self.call(
            "Emulation.setDeviceMetricsOverride",
            json!({"width": width, "height": height, "deviceScaleFactor": 1,
                   "mobile": width < 600}),
        )?;
        Ok(())
    }

    /// Emulates `prefers-color-scheme: scheme` (`light` or `dark`).
    pub fn color_scheme(&mut self, scheme: &str) -> Result<(), String> {
        self.call(
            "Emulation.setEmulatedMedia",
            json!({"features": [{"name": "prefers-color-scheme", "value": scheme}]}),
        )?;
        Ok(())
    }

    /// Saves a PNG of the whole page to `path`.
    pub fn screenshot(&mut self, path: &Path) -> Result<(), String> {
        let size = self.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.scrollHeight]",
        )?;
        let width = size[0].as_f64().unwrap_or(800.0);
        let height = size[1].as_f64().unwrap_or(600.0).min(16_000.0);
        let shot = self.call(
            "Page.captureScreenshot",
            json!({"format": "png", "optimizeForSpeed": true, "captureBeyondViewport": true,
                   "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}}),
        )?;
        let data = shot["data"].as_str().unwrap_or_default();
        let png = data_encoding::BASE64
            .decode(data.as_bytes())
            .map_err(|e| format!("screenshot: {e}"))?;
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        std::fs::write(path, png).map_err(|e| format!("{}: {e}", path.display()))
    }
}

impl Drop for Tab {
    fn drop(&mut self) {
        // Closing the connection would leave the tab open: close it first, from the
        // browser's side.
        if self.session.take().is_some() {
            let target = json!({"targetId": self.target_id});
            let _ = self.call("Target.closeTarget", target);
        }
        let _ = self.ws.close(None);
    }
}
