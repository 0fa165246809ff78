//! What the browser tests look for on a page, as functions of the protocol events and of
//! scripts evaluated in the page. Each returns the problems it found, one line each, so
//! that a failing test lists all of them at once.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::cdp::Tab;

/// The folder under the base path that `briefly serve` keeps for its live-reload client
/// (`reload.js`, the event stream that a navigation cancels).
pub const RELOAD_DIR: &str = "__briefly/";

/// Console errors, uncaught exceptions and errors the browser logged, from `events`.
/// `allowed_status` is the status the page's own document may have (404 for the 404 page).
pub fn console_errors(events: &[Value], page_url: &str, allowed_status: u16) -> Vec<String> {
    let mut problems = Vec::new();
    for event in events {
        let params = &event["params"];
        match event["method"].as_str().unwrap_or_default() {
            "Runtime.consoleAPICalled" => {
                let kind = params["type"].as_str().unwrap_or_default();
                if kind == "error" || kind == "assert" {
                    let text: Vec<String> = params["args"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .map(|arg| match &arg["value"] {
                            Value::String(s) => s.clone(),
                            Value::Null => arg["description"].as_str().unwrap_or("?").to_string(),
                            other => other.to_string(),
                        })
                        .collect();
                    problems.push(format!("console.{kind}: {}", text.join(" ")));
                }
            }
            "Runtime.exceptionThrown" => {
                let details = &params["exceptionDetails"];
                let text = details["exception"]["description"]
                    .as_str()
                    .or(details["text"].as_str())
                    .unwrap_or("?");
                problems.push(format!("uncaught exception: {text}"));
            }
            "Log.entryAdded" => {
                let entry = &params["entry"];
                if entry["level"] != "error" {
                    continue;
                }
                let url = entry["url"].as_str().unwrap_or_default();
                // The 404 page's own status is logged as an error too; it is expected.
                let own_status = allowed_status != 200
                    && url == page_url
                    && entry["source"] == "network"
                    && entry["text"]
                        .as_str()
                        .is_some_and(|t| t.contains(&allowed_status.to_string()));
                if !own_status {
                    problems.push(format!(
                        "logged error ({}): {} {url}",
                        entry["source"].as_str().unwrap_or("?"),
                        entry["text"].as_str().unwrap_or("?")
                    ));
                }
            }
            _ => {}
        }
    }
    problems
}

/// What one request came to.
#[derive(Default)]
struct Request {
    url: String,
    status: Option<u64>,
    failure: Option<String>,
}

/// Requests that left `origin`, failed, or got an error status. The live-reload client's
/// requests under `<base>__briefly/` must stay on the origin but may be cancelled (a
/// navigation ends its event stream).
pub fn request_problems(
    events: &[Value],
    origin: &str,
    page_url: &str,
    allowed_status: u16,
) -> Vec<String> {
    let mut requests: BTreeMap<String, Request> = BTreeMap::new();
    for event in events {
        let params = &event["params"];
        let id = params["requestId"].as_str().unwrap_or_default().to_string();
        match event["method"].as_str().unwrap_or_default() {
            "Network.requestWillBeSent" => {
                let request = requests.entry(id).or_default();
                if let Some(status) = params["redirectResponse"]["status"].as_u64() {
                    // A redirect: the first hop is answered, the next one starts.
                    if status >= 400 {
                        request.failure = Some(format!("{} {status}", request.url));
                    }
                }
                request.url = params["request"]["url"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string();
                request.status = None;
            }
            "Network.responseReceived" => {
                requests.entry(id).or_default().status = params["response"]["status"].as_u64();
            }
            "Network.loadingFailed" => {
                let text = params["errorText"].as_str().unwrap_or("failed");
                let blocked = params["blockedReason"].as_str().map(|r| format!(" ({r})"));
                requests.entry(id).or_default().failure =
                    Some(format!("{text}{}", blocked.unwrap_or_default()));
            }
            _ => {}
        }
    }
    let mut problems = Vec::new();
    for request in requests.values() {
        let url = &request.url;
        if ["data:", "blob:", "about:"]
            .iter()
            .any(|scheme| url.starts_with(scheme))
        {
            continue;
        }
        let on_origin = url
            .strip_prefix(origin)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'));
        if !on_origin {
            problems.push(format!("request outside the server: {url}"));
            continue;
        }
        let reload = url.contains(&format!("/{RELOAD_DIR}"));
        if let Some(failure) = &request.failure {
            if !reload {
                problems.push(format!("request failed: {url}: {failure}"));
            }
        }
        if let Some(status) = request.status {
            let expected = url == page_url && status == u64::from(allowed_status);
            if status >= 400 && !expected {
                problems.push(format!("request answered {status}: {url}"));
            }
        }
    }
    problems
}

/// Whether the page fits a viewport `width` CSS pixels wide: `None` if it does, else the
/// widths and the elements where the overflow starts (up to ten: those that stick out of
/// the viewport and of their parent, and are not inside a scroll container).
pub fn overflow(tab: &mut Tab, width: u32) -> Result<Option<String>, String> {
    let found = tab.evaluate(&format!(
        r"((expected) => {{
            const root = document.documentElement;
            const width = root.clientWidth;
            if (width !== expected)
                return `the layout viewport is ${{width}} px wide, not ${{expected}} (meta viewport?)`;
            if (root.scrollWidth <= width) return null;
            const path = el => {{
                const parts = [];
                for (let e = el; e && e.nodeType === 1 && parts.length < 4; e = e.parentElement) {{
                    let part = e.localName;
                    if (e.id) part += '#' + e.id;
                    else if (e.classList.length) part += '.' + [...e.classList].join('.');
                    parts.unshift(part);
                    if (e.id) break;
                }}
                return parts.join(' > ');
            }};
            const clipped = el => {{
                for (let e = el.parentElement; e && e !== document.body; e = e.parentElement)
                    if (getComputedStyle(e).overflowX !== 'visible') return true;
                return false;
            }};
            // Where the overflow starts: elements past the viewport and past their parent.
            const culprits = [...document.body.querySelectorAll('*')].filter(el => {{
                const box = el.getBoundingClientRect();
                const parent = el.parentElement.getBoundingClientRect();
                return box.width > 0 && box.right > width + 0.5 && box.right > parent.right + 0.5
                    && !clipped(el);
            }});
            return `scrollWidth ${{root.scrollWidth}} > clientWidth ${{width}}; sticking out: ` +
                culprits.slice(0, 10).map(el =>
                    `${{path(el)}} (right edge ${{Math.round(el.getBoundingClientRect().right)}})`).join(', ');
        }})({width})"
    ))?;
    Ok(found.as_str().map(str::to_string))
}

/// The background colour the body shows, as `(css text, [r, g, b, a])`, read back
/// through a canvas so that any colour syntax works.
pub fn body_background(tab: &mut Tab) -> Result<(String, [f64; 4]), String> {
    let found = tab.evaluate(
        r"(() => {
            const css = getComputedStyle(document.body).backgroundColor;
            const canvas = document.createElement('canvas');
            canvas.width = canvas.height = 1;
            const context = canvas.getContext('2d');
            context.fillStyle = css;
            context.fillRect(0, 0, 1, 1);
            return [css, ...context.getImageData(0, 0, 1, 1).data];
        })()",
    )?;
    let channel = |i: usize| found[i].as_f64().unwrap_or(0.0);
    let css = found[0].as_str().unwrap_or("?").to_string();
    Ok((css, [channel(1), channel(2), channel(3), channel(4)]))
}

/// The WCAG relative luminance of an sRGB colour (0 black, 1 white).
pub fn luminance([r, g, b, _]: [f64; 4]) -> f64 {
    let linear = |c: f64| {
        let c = c / 255.0;
        if c <= 0.040_45 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
}

/// One axe-core finding.
pub struct Violation {
    pub id: String,
    pub impact: String,
    pub help: String,
    /// The selectors of the offending elements (and, for colour contrast, the colours).
    pub targets: Vec<String>,
}

/// Runs axe-core (injecting `axe_source` first if the page lacks it) on the WCAG 2.x A
/// and AA rules and best practices; every violation found.
pub fn axe(tab: &mut Tab, axe_source: &str) -> Result<Vec<Violation>, String> {
    if tab.evaluate("typeof axe")? != json!("object") {
        tab.evaluate(&format!("{axe_source}\n;true"))?;
    }
    let found = tab.evaluate(
        r"axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']},
            resultTypes: ['violations'],
        }).then(result => result.violations.map(v => ({
            id: v.id,
            impact: v.impact || 'unknown',
            help: v.help,
            targets: v.nodes.map(n => {
                const target = n.target.join(' ');
                const data = (n.any || []).map(c => c.data).find(d => d && d.fgColor);
                return data
                    ? `${target} (${data.fgColor} on ${data.bgColor}, ${data.contrastRatio}:1, needs ${data.expectedContrastRatio})`
                    : target;
            }),
        })))",
    )?;
    let text = |v: &Value| v.as_str().unwrap_or("?").to_string();
    Ok(found
        .as_array()
        .into_iter()
        .flatten()
        .map(|v| Violation {
            id: text(&v["id"]),
            impact: text(&v["impact"]),
            help: text(&v["help"]),
            targets: v["targets"]
                .as_array()
                .into_iter()
                .flatten()
                .map(text)
                .collect(),
        })
        .collect())
}
