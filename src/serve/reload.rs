//! Live reload for `briefly serve`: the Server-Sent Events clients (open tabs) and what is
//! sent to them, the browser script that listens, and the injection of that script (and of
//! the build-error overlay) into HTML responses.
//!
//! Nothing here touches the build output on disk: injection happens on the bytes of a
//! response, so `briefly build` never contains any of it.

use std::convert::Infallible;
use std::sync::{Mutex, PoisonError};
use std::task::Poll;
use std::time::Duration;

use futures_util::stream::{self, Stream, StreamExt};
use tokio::sync::mpsc::{self, UnboundedReceiver, UnboundedSender};

/// The folder under the base path that the server reserves for itself.
pub const RESERVED: &str = "__briefly/";

/// The id of the overlay that shows build errors.
pub const OVERLAY_ID: &str = "briefly-error-overlay";

/// Something the open tabs are told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// Sent once on connecting, with the current build generation.
    Hello {
        /// How many builds have finished (succeeded or failed).
        generation: u64,
    },
    /// The site was rebuilt: reload the page.
    Reload,
    /// Only stylesheets changed: swap them without a reload.
    Css,
    /// The build failed: show these diagnostics over the page.
    Error(String),
}

impl Event {
    /// The event as an SSE frame: `event:` and one `data:` line of JSON.
    pub fn frame(&self) -> String {
        let (name, data) = match self {
            Event::Hello { generation } => {
                ("hello", serde_json::json!({ "generation": generation }))
            }
            Event::Reload => ("reload", serde_json::json!({})),
            Event::Css => ("css", serde_json::json!({})),
            Event::Error(text) => ("error", serde_json::json!({ "text": text })),
        };
        format!("event: {name}\ndata: {data}\n\n")
    }
}

/// The tabs connected to the event stream.
#[derive(Default)]
pub struct Hub {
    clients: Mutex<Vec<UnboundedSender<String>>>,
}

impl Hub {
    /// A new client: the frames sent to every client from now on arrive on the receiver.
    pub fn subscribe(&self) -> UnboundedReceiver<String> {
        let (tx, rx) = mpsc::unbounded_channel();
        self.lock().push(tx);
        rx
    }

    /// Sends `event` to every connected client, forgetting those that went away.
    pub fn broadcast(&self, event: &Event) {
        let frame = event.frame();
        self.lock()
            .retain(|client| client.send(frame.clone()).is_ok());
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<UnboundedSender<String>>> {
        self.clients.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The body of an event stream: a `retry` hint and the `first` frames, then every frame
/// from `frames`, and a comment every `keep_alive` when nothing else is sent (so that the
/// connection is never idle, and a client that went away is noticed). It ends when the hub
/// drops the client; the server drops it when the client goes away.
pub fn stream(
    frames: UnboundedReceiver<String>,
    first: &[Event],
    keep_alive: Duration,
) -> impl Stream<Item = Result<String, Infallible>> + Send + 'static {
    let mut opening = String::from("retry: 1000\n\n");
    for event in first {
        opening.push_str(&event.frame());
    }
    let start = tokio::time::Instant::now() + keep_alive;
    let mut tick = tokio::time::interval_at(start, keep_alive);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let rest = stream::unfold((frames, tick), |(mut frames, mut tick)| async move {
        let next = std::future::poll_fn(|cx| {
            if let Poll::Ready(frame) = frames.poll_recv(cx) {
                return Poll::Ready(frame);
            }
            if tick.poll_tick(cx).is_ready() {
                return Poll::Ready(Some(": keep-alive\n\n".to_string()));
            }
            Poll::Pending
        })
        .await;
        next.map(|frame| (Ok(frame), (frames, tick)))
    });
    stream::once(async move { Ok(opening) }).chain(rest)
}

/// The `<script>` tag injected into every HTML response.
pub fn script_tag(base_path: &str) -> String {
    format!(
        "<script src=\"{}{RESERVED}reload.js\" data-briefly-reload></script>",
        crate::escape::html(base_path)
    )
}

/// The live-reload script, listening at `<base>__briefly/events`.
pub fn script(base_path: &str) -> String {
    // A JSON string literal is also a JavaScript one.
    let literal = |s: &str| serde_json::Value::String(s.to_string()).to_string();
    SCRIPT
        .replace(
            "__EVENTS_URL__",
            &literal(&format!("{base_path}{RESERVED}events")),
        )
        .replace("__OVERLAY_ID__", OVERLAY_ID)
        .replace("__OVERLAY_STYLE__", &literal(OVERLAY_STYLE))
        .replace("__OVERLAY_TITLE__", &literal(OVERLAY_TITLE))
        .replace("__PRE_STYLE__", &literal(PRE_STYLE))
}

const OVERLAY_STYLE: &str = "position:fixed;inset:0;z-index:2147483647;overflow:auto;\
margin:0;padding:1.5rem;background:#1c1212;color:#fff;\
font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;text-align:left";

const PRE_STYLE: &str = "white-space:pre;overflow:auto;margin:1rem 0 0;padding:0;border:0;\
background:transparent;color:inherit;font:inherit";

const OVERLAY_TITLE: &str =
    "briefly: the build failed. This is the last good version of the page; \
fix the file and it reloads.";

const SCRIPT: &str = r#"// briefly serve: live reload (not part of the built site).
(function () {
  "use strict";
  var overlayId = "__OVERLAY_ID__";
  function removeOverlay() {
    var old = document.getElementById(overlayId);
    if (old) { old.remove(); }
  }
  function showError(text) {
    removeOverlay();
    var box = document.createElement("div");
    box.id = overlayId;
    box.setAttribute("role", "alert");
    box.setAttribute("style", __OVERLAY_STYLE__);
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "Close";
    close.setAttribute("style", "float:right");
    close.addEventListener("click", removeOverlay);
    var title = document.createElement("strong");
    title.textContent = __OVERLAY_TITLE__;
    var pre = document.createElement("pre");
    pre.setAttribute("style", __PRE_STYLE__);
    pre.textContent = text;
    box.append(close, title, pre);
    document.body.appendChild(box);
  }
  function swapStylesheets() {
    document.querySelectorAll('link[rel="stylesheet"]').forEach(function (link) {
      var url = new URL(link.href, location.href);
      url.searchParams.set("briefly", String(Date.now()));
      var fresh = link.cloneNode();
      fresh.href = url.href;
      fresh.addEventListener("load", function () { link.remove(); });
      link.after(fresh);
    });
    removeOverlay();
  }
  var source = new EventSource(__EVENTS_URL__);
  source.addEventListener("reload", function () { location.reload(); });
  source.addEventListener("css", swapStylesheets);
  source.addEventListener("error", function (event) {
    // Connection errors have no data (EventSource reconnects by itself).
    if (typeof event.data !== "string") { return; }
    try { showError(JSON.parse(event.data).text); } catch (e) { showError(event.data); }
  });
})();
"#;

/// The overlay that shows `diagnostics` (terminal text) on a page, escaped.
pub fn overlay(diagnostics: &str) -> String {
    format!(
        "<div id=\"{OVERLAY_ID}\" role=\"alert\" style=\"{OVERLAY_STYLE}\">\
         <button type=\"button\" style=\"float:right\" onclick=\"this.parentNode.remove()\">Close</button>\
         <strong>{OVERLAY_TITLE}</strong>\
         <pre style=\"{PRE_STYLE}\">{}</pre></div>",
        crate::escape::html(diagnostics)
    )
}

/// Inserts `snippet` before the last `</body>` of `html` (any case), or at its end.
pub fn inject(html: &str, snippet: &str) -> String {
    let at = rfind_ascii_case_insensitive(html, "</body>").unwrap_or(html.len());
    let mut out = String::with_capacity(html.len() + snippet.len());
    out.push_str(&html[..at]);
    out.push_str(snippet);
    out.push_str(&html[at..]);
    out
}

fn rfind_ascii_case_insensitive(haystack: &str, needle: &str) -> Option<usize> {
    let (hay, needle) = (haystack.as_bytes(), needle.as_bytes());
    if needle.len() > hay.len() {
        return None;
    }
    (0..=hay.len() - needle.len())
        .rev()
        .find(|&i| hay[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

/// A page for when there is nothing built to show (the first build failed).
pub fn placeholder_page(title: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{0}</title></head>\n<body><main><h1>{0}</h1></main>\n</body>\n</html>\n",
        crate::escape::html(title)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn injects_before_the_last_closing_body() {
        let html = "<html><body><p>a</p></body></html>";
        assert_eq!(inject(html, "<x>"), "<html><body><p>a</p><x></body></html>");
        let upper = "<BODY>text</BODY>\n";
        assert_eq!(inject(upper, "<x>"), "<BODY>text<x></BODY>\n");
        // A `</body>` inside the content (e.g. in a code sample) is not the one that counts.
        let twice = "<body><code>&lt;/body&gt;</body></body>";
        assert_eq!(
            inject(twice, "<x>"),
            "<body><code>&lt;/body&gt;</body><x></body>"
        );
    }

    #[test]
    fn injects_at_the_end_without_a_body() {
        assert_eq!(inject("<p>fragment", "<x>"), "<p>fragment<x>");
        assert_eq!(inject("", "<x>"), "<x>");
        assert_eq!(inject("é</body>", "<x>"), "é<x></body>");
    }

    #[test]
    fn overlay_escapes_the_diagnostics() {
        let html =
            overlay("error: bad <script>alert(1)</script> & \"quotes\"\n  --> content/a.md:3:1");
        assert!(html.starts_with("<div id=\"briefly-error-overlay\""));
        assert!(html.contains("bad &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;"));
        assert!(html.contains("content/a.md:3:1"));
        assert!(!html.contains("<script>"));
    }

    #[test]
    fn events_are_one_json_line_each() {
        let frame = Event::Error("line 1\nline </script> 2".into()).frame();
        assert!(frame.starts_with("event: error\ndata: {"), "{frame}");
        let lines: Vec<&str> = frame.lines().collect();
        assert_eq!(lines.len(), 3, "{frame}");
        assert_eq!(lines[2], "", "a blank line ends the event");
        assert!(frame.ends_with("\n\n"));
        assert_eq!(Event::Reload.frame(), "event: reload\ndata: {}\n\n");
    }

    #[test]
    fn hub_drops_clients_that_went_away() {
        let hub = Hub::default();
        let mut kept = hub.subscribe();
        drop(hub.subscribe());
        hub.broadcast(&Event::Reload);
        assert_eq!(hub.lock().len(), 1);
        assert_eq!(kept.try_recv().ok(), Some(Event::Reload.frame()));
    }

    #[test]
    fn script_points_at_the_events_of_the_base_path() {
        let js = script("/sub/");
        assert!(
            js.contains("new EventSource(\"/sub/__briefly/events\")"),
            "{js}"
        );
        assert!(!js.contains("__EVENTS_URL__") && !js.contains("__OVERLAY_"));
        assert!(!js.contains("__PRE_STYLE__"));
        assert_eq!(
            script_tag("/sub/"),
            "<script src=\"/sub/__briefly/reload.js\" data-briefly-reload></script>"
        );
    }
}
