//! HTTP for `briefly serve`: the checks every request passes first (the `Host` it names,
//! the length of its target, the size of its headers), then the routing (the site under
//! its base path, the reserved `__briefly/` paths, redirects), keeping every path inside
//! the output folder, and the answers: the site's files (through tower-http's `ServeFile`,
//! which does `HEAD`, ranges and conditional requests), its 404 page, or the error page.
//!
//! Path safety is two locks: the request path is percent-decoded and refused (400) if it
//! has `.`/`..` segments, empty segments, backslashes or NUL; then the resolved file is
//! canonicalized and must lie inside the canonical output folder, so no symlink leads out.

use std::fs;
use std::net::IpAddr;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header::{self, HeaderName, HeaderValue};
use axum::http::{Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::Router;
use tower::ServiceExt;
use tower_http::services::ServeFile;

use super::net::{MAX_HEADERS, MAX_URL};
use super::reload::{self, Event, RESERVED};
use super::Shared;

/// Where a request path leads, before the file system is asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Somewhere else: `/` and the base path without its slash.
    Redirect(String),
    /// A path under `<base>__briefly/`: `events`, `status`, `reload.js`.
    Reserved(String),
    /// A path of the site, relative to the output folder (`/`-separated, may be empty or end
    /// with `/` for a folder's `index.html`). Its segments are all plain names.
    Site(String),
    /// Outside the base path.
    Outside,
}

/// Why a request path was refused outright.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BadPath(pub &'static str);

/// Routes a request target (`/sub/briefs/x/?q=1`) for a site served under `base_path`
/// (`/sub/`). Refuses anything that could name a file outside the output folder.
pub fn parse_target(base_path: &str, raw: &str) -> Result<Target, BadPath> {
    let path = raw.split(['?', '#']).next().unwrap_or_default();
    if !path.starts_with('/') {
        return Err(BadPath("the path must start with /"));
    }
    let bytes = percent_decode(path).ok_or(BadPath("bad percent-encoding"))?;
    let decoded = String::from_utf8(bytes).map_err(|_| BadPath("the path is not UTF-8"))?;
    if decoded.contains(['\0', '\\']) {
        return Err(BadPath("NUL or backslash in the path"));
    }
    let segments: Vec<&str> = decoded[1..].split('/').collect();
    let last = segments.len() - 1;
    for (i, segment) in segments.iter().enumerate() {
        if *segment == "." || *segment == ".." {
            return Err(BadPath("`.` or `..` in the path"));
        }
        if segment.is_empty() && i != last {
            return Err(BadPath("an empty segment (`//`) in the path"));
        }
    }
    // The base path as the decoded request path spells it (`/my%20briefs/` -> `/my briefs/`).
    let base = percent_decode(base_path)
        .and_then(|b| String::from_utf8(b).ok())
        .unwrap_or_else(|| base_path.to_string());
    if base != "/" && (decoded == "/" || decoded == base.trim_end_matches('/')) {
        return Ok(Target::Redirect(base_path.to_string()));
    }
    let Some(rest) = decoded.strip_prefix(base.as_str()) else {
        return Ok(Target::Outside);
    };
    if let Some(reserved) = rest.strip_prefix(RESERVED) {
        return Ok(Target::Reserved(reserved.to_string()));
    }
    Ok(Target::Site(rest.to_string()))
}

/// Decodes `%XX` escapes; `None` for a malformed one. `+` stays `+` (this is a path).
pub fn percent_decode(text: &str) -> Option<Vec<u8>> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let hex = std::str::from_utf8(hex).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Some(out)
}

/// What a site path is on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// A file inside the output folder (canonical path).
    File(PathBuf),
    /// A folder with an `index.html`, asked for without the trailing slash.
    Folder,
    /// Nothing (or something outside the output folder, which is the same to a client).
    Missing,
}

/// Finds the site path `relative` (from [`Target::Site`]) in `output`. Only a regular file
/// whose canonical path is inside the canonical output folder is ever returned.
pub fn find(output: &Path, relative: &str) -> Found {
    let Ok(root) = output.canonicalize() else {
        return Found::Missing;
    };
    let mut path = root.clone();
    for segment in relative.split('/').filter(|s| !s.is_empty()) {
        let mut components = Path::new(segment).components();
        match (components.next(), components.next()) {
            (Some(Component::Normal(name)), None) if name.to_str() == Some(segment) => {
                path.push(name);
            }
            _ => return Found::Missing,
        }
    }
    let wants_folder = relative.is_empty() || relative.ends_with('/');
    if wants_folder {
        path.push("index.html");
    }
    let inside = |p: &Path| {
        p.canonicalize()
            .ok()
            .filter(|c| c.starts_with(&root) && c != &root)
    };
    let Some(canonical) = inside(&path) else {
        return Found::Missing;
    };
    if canonical.is_file() {
        Found::File(canonical)
    } else if !wants_folder && canonical.is_dir() && inside(&canonical.join("index.html")).is_some()
    {
        Found::Folder
    } else {
        Found::Missing
    }
}

/// The `Content-Type` for a file name.
pub fn mime_type(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "ics" => "text/calendar; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "csv" => "text/csv; charset=utf-8",
        "bib" => "application/x-bibtex; charset=utf-8",
        "map" => "application/json",
        _ => "application/octet-stream",
    }
}

/// The application: the checks of [`check`], then [`handle`].
pub fn app(shared: Arc<Shared>, bind: IpAddr) -> Router {
    Router::new()
        .fallback(handle)
        .layer(middleware::from_fn_with_state(bind, check))
        .with_state(shared)
}

/// Refuses what no preview needs before it is routed: a request target over [`MAX_URL`]
/// (414), headers over [`MAX_HEADERS`] in all (431), and a `Host` that is not this computer
/// or the address listened on (403), which is what a page on another site that has its
/// name point at this computer (DNS rebinding) would send.
async fn check(State(bind): State<IpAddr>, request: Request, next: Next) -> Response {
    let target_len = request
        .uri()
        .path_and_query()
        .map_or(0, |p| p.as_str().len())
        + request.uri().authority().map_or(0, |a| a.as_str().len())
        + request.uri().scheme_str().map_or(0, str::len);
    if target_len > MAX_URL {
        return text(
            StatusCode::URI_TOO_LONG,
            &format!("request refused: the URL is longer than {MAX_URL} bytes\n"),
        );
    }
    let header_len: usize = request
        .headers()
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len() + 4)
        .sum();
    if header_len > MAX_HEADERS {
        return text(
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            &format!("request refused: the headers are larger than {MAX_HEADERS} bytes\n"),
        );
    }
    let host = request
        .headers()
        .get(header::HOST)
        .map(|h| h.to_str().unwrap_or_default());
    let authority = request
        .uri()
        .authority()
        .map(axum::http::uri::Authority::as_str);
    let allowed = |h: Option<&str>| h.is_none_or(|h| host_allowed(h, bind));
    if host.is_none() && authority.is_none() {
        return text(
            StatusCode::FORBIDDEN,
            "request refused: it names no host (send a Host header)\n",
        );
    }
    if !allowed(host) || !allowed(authority) {
        return text(
            StatusCode::FORBIDDEN,
            &format!(
                "request refused: briefly serve answers only requests addressed to localhost, \
                 127.0.0.1, [::1] or the address it listens on ({}), not to another host name; \
                 this keeps other web sites from reading the preview through their own name\n",
                host_text(bind)
            ),
        );
    }
    next.run(request).await
}

/// Whether a `Host` value (`name` or `name:port`) names this computer: `localhost`, a
/// loopback address, or `bind`; when `bind` is a wildcard (`0.0.0.0`, `::`), any IP
/// address (a literal address cannot be rebound; only a name can).
pub fn host_allowed(host: &str, bind: IpAddr) -> bool {
    let host = host.trim();
    let (name, port) = if let Some(rest) = host.strip_prefix('[') {
        let Some((inside, after)) = rest.split_once(']') else {
            return false;
        };
        let Ok(ip) = inside.parse::<std::net::Ipv6Addr>() else {
            return false;
        };
        let port = if after.is_empty() {
            Some("")
        } else {
            after.strip_prefix(':')
        };
        (Name::Ip(IpAddr::V6(ip)), port)
    } else {
        let (name, port) = match host.split_once(':') {
            Some((name, port)) => (name, Some(port)),
            None => (host, Some("")),
        };
        let name = match name.parse::<std::net::Ipv4Addr>() {
            Ok(ip) => Name::Ip(IpAddr::V4(ip)),
            Err(_) => Name::Text(name),
        };
        (name, port)
    };
    let port_ok = port.is_some_and(|p| p.is_empty() || p.parse::<u16>().is_ok());
    let name_ok = match name {
        Name::Text(text) => text.eq_ignore_ascii_case("localhost"),
        Name::Ip(ip) => ip.is_loopback() || ip == bind || bind.is_unspecified(),
    };
    port_ok && name_ok
}

enum Name<'a> {
    Ip(IpAddr),
    Text(&'a str),
}

/// An address as a `Host` header spells it.
fn host_text(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(ip) => ip.to_string(),
        IpAddr::V6(ip) => format!("[{ip}]"),
    }
}

/// Answers one request that passed [`check`].
async fn handle(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        let mut response = text(StatusCode::METHOD_NOT_ALLOWED, "method not allowed\n");
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    let status = shared.status();
    let target = request
        .uri()
        .path_and_query()
        .map_or_else(|| "/".to_string(), |p| p.as_str().to_string());
    // An absolute-form target (`GET http://host/x`) passed the host check; route its path.
    match parse_target(&status.base_path, &target) {
        Err(BadPath(why)) => text(StatusCode::BAD_REQUEST, &format!("bad request: {why}\n")),
        Ok(Target::Redirect(to)) => redirect(&to),
        Ok(Target::Reserved(name)) if name == "events" => {
            let frames = shared.hub.subscribe();
            let mut first = vec![Event::Hello {
                generation: status.generation,
            }];
            // A tab that connects while the build is broken learns it at once.
            first.extend(shared.status().error.map(Event::Error));
            let body =
                Body::from_stream(reload::stream(frames, &first, shared.limits.keep_alive()));
            let mut response = Response::new(body);
            headers(&mut response, "text/event-stream; charset=utf-8");
            response
        }
        Ok(Target::Reserved(name)) if name == "status" => {
            let body = serde_json::json!({
                "generation": status.generation,
                "building": status.building,
                "ok": status.error.is_none(),
                "error": status.error,
                "base_path": status.base_path,
            });
            bytes(
                StatusCode::OK,
                "application/json",
                body.to_string().into_bytes(),
            )
        }
        Ok(Target::Reserved(name)) if name == "reload.js" => bytes(
            StatusCode::OK,
            "text/javascript; charset=utf-8",
            reload::script(&status.base_path).into_bytes(),
        ),
        Ok(Target::Reserved(_) | Target::Outside) => {
            let _swap = shared.swap.read().await;
            let page_404 = blocking(&shared, |output| read_404(&output)).await;
            not_found(&shared, page_404.flatten())
        }
        Ok(Target::Site(relative)) => site_file(&shared, request, &target, relative).await,
    }
}

/// Runs `work` with the output folder on a thread that may block on the file system.
async fn blocking<T: Send + 'static>(
    shared: &Shared,
    work: impl FnOnce(PathBuf) -> T + Send + 'static,
) -> Option<T> {
    let output = shared.output.clone();
    tokio::task::spawn_blocking(move || work(output)).await.ok()
}

/// The site's `404.html`, if it has one.
fn read_404(output: &Path) -> Option<Vec<u8>> {
    match find(output, "404.html") {
        Found::File(path) => fs::read(path).ok(),
        _ => None,
    }
}

/// What a site path turned out to be, read while the output could not change.
enum Lookup {
    Html(PathBuf, Vec<u8>),
    Other(PathBuf),
    Folder,
    Missing(Option<Vec<u8>>),
}

/// A file of the site, its folder redirect, or the 404 page.
async fn site_file(shared: &Shared, request: Request, target: &str, relative: String) -> Response {
    // A rebuild replaces the output under the write lock: everything read for one response
    // comes from one consistent output.
    let _swap = shared.swap.read().await;
    let lookup = blocking(shared, move |output| match find(&output, &relative) {
        Found::File(path) if is_html(&path) => match fs::read(&path) {
            Ok(body) => Lookup::Html(path, body),
            Err(_) => Lookup::Missing(read_404(&output)),
        },
        Found::File(path) => Lookup::Other(path),
        Found::Folder => Lookup::Folder,
        Found::Missing => Lookup::Missing(read_404(&output)),
    })
    .await
    .unwrap_or(Lookup::Missing(None));
    match lookup {
        // HTML is answered whole (a range of a page whose bytes are injected into means
        // nothing), so `HEAD` and `Range` are answered by the full page's headers.
        Lookup::Html(path, body) => page(shared, StatusCode::OK, &path, body),
        Lookup::Other(path) => static_file(request, &path).await,
        Lookup::Folder => {
            let (path, query) = target.split_once('?').unwrap_or((target, ""));
            let query = if query.is_empty() {
                String::new()
            } else {
                format!("?{query}")
            };
            redirect(&format!("{path}/{query}"))
        }
        Lookup::Missing(page_404) => not_found(shared, page_404),
    }
}

/// A file that is not HTML, by `ServeFile` (`HEAD`, `Range`, `If-Modified-Since`), read in
/// full before the output may change again, with the MIME type of [`mime_type`].
async fn static_file(request: Request, path: &Path) -> Response {
    let Ok(response) = ServeFile::new(path).oneshot(request).await;
    let (mut parts, body) = response.into_parts();
    let Ok(body) = axum::body::to_bytes(Body::new(body), usize::MAX).await else {
        return text(
            StatusCode::INTERNAL_SERVER_ERROR,
            "could not read the file\n",
        );
    };
    if parts.status.is_success() {
        parts.headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(mime_type(path)),
        );
    }
    let mut response = Response::from_parts(parts, Body::from(body));
    for (name, value) in common_headers() {
        response.headers_mut().insert(name, value);
    }
    response
}

fn is_html(path: &Path) -> bool {
    mime_type(path).starts_with("text/html")
}

/// The site's `404.html` with status 404, or a placeholder page when there is none.
fn not_found(shared: &Shared, page_404: Option<Vec<u8>>) -> Response {
    if let Some(body) = page_404 {
        return page(shared, StatusCode::NOT_FOUND, Path::new("404.html"), body);
    }
    let broken = shared.status().error.is_some();
    let (code, title) = if broken {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            "The site could not be built",
        )
    } else {
        (StatusCode::NOT_FOUND, "Page not found")
    };
    let html = reload::placeholder_page(title).into_bytes();
    page(shared, code, Path::new("index.html"), html)
}

/// A response for a file's bytes; HTML gets the reload script and, while the build is
/// broken, the error overlay.
fn page(shared: &Shared, code: StatusCode, path: &Path, body: Vec<u8>) -> Response {
    let mime = mime_type(path);
    if !mime.starts_with("text/html") {
        return bytes(code, mime, body);
    }
    let status = shared.status();
    let mut snippet = String::new();
    if let Some(error) = &status.error {
        snippet.push_str(&reload::overlay(error));
    }
    snippet.push_str(&reload::script_tag(&status.base_path));
    let html = String::from_utf8_lossy(&body);
    bytes(code, mime, reload::inject(&html, &snippet).into_bytes())
}

/// The headers every answer carries.
fn common_headers() -> [(HeaderName, HeaderValue); 2] {
    [
        (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        (
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ),
    ]
}

fn headers(response: &mut Response, mime: &'static str) {
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    for (name, value) in common_headers() {
        headers.insert(name, value);
    }
}

fn bytes(code: StatusCode, mime: &'static str, body: Vec<u8>) -> Response {
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = code;
    headers(&mut response, mime);
    response
}

fn text(code: StatusCode, message: &str) -> Response {
    bytes(
        code,
        "text/plain; charset=utf-8",
        message.as_bytes().to_vec(),
    )
}

fn redirect(location: &str) -> Response {
    let location = ascii_url(location);
    let mut response = text(StatusCode::FOUND, &format!("see {location}\n"));
    // Only visible ASCII is left in `location`, which is always a valid header value.
    if let Ok(value) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}

/// Percent-encodes what may not appear as such in a header: non-ASCII and control bytes.
fn ascii_url(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for &b in url.as_bytes() {
        if b.is_ascii_graphic() {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(path: &str) -> Result<Target, BadPath> {
        parse_target("/sub/", path)
    }

    #[test]
    fn routes_the_base_path() {
        assert_eq!(site("/sub/briefs/a/"), Ok(Target::Site("briefs/a/".into())));
        assert_eq!(site("/sub/"), Ok(Target::Site(String::new())));
        assert_eq!(
            site("/sub/style.css?v=2"),
            Ok(Target::Site("style.css".into()))
        );
        assert_eq!(site("/"), Ok(Target::Redirect("/sub/".into())));
        assert_eq!(site("/sub"), Ok(Target::Redirect("/sub/".into())));
        assert_eq!(site("/other/x"), Ok(Target::Outside));
        assert_eq!(site("/subway/"), Ok(Target::Outside));
        assert_eq!(
            site("/sub/__briefly/events"),
            Ok(Target::Reserved("events".into()))
        );
        assert_eq!(parse_target("/", "/"), Ok(Target::Site(String::new())));
        assert_eq!(
            parse_target("/my%20briefs/", "/my%20briefs/a/"),
            Ok(Target::Site("a/".into()))
        );
        assert_eq!(
            parse_target("/my%20briefs/", "/"),
            Ok(Target::Redirect("/my%20briefs/".into()))
        );
        assert_eq!(
            parse_target("/", "/a%20b.pdf"),
            Ok(Target::Site("a b.pdf".into()))
        );
    }

    #[test]
    fn refuses_traversal() {
        for bad in [
            "/sub/../Cargo.toml",
            "/../etc/passwd",
            "/sub/%2e%2e/Cargo.toml",
            "/sub/%2E%2E/%2e%2e/etc/passwd",
            "/sub/.%2e/x",
            "/sub/./x",
            "//etc/passwd",
            "/sub//etc/passwd",
            "/sub/%2f%2fetc/passwd",
            "/sub/..%5c..%5cCargo.toml",
            "/sub/a\\b",
            "/sub/%00.html",
            "/sub/%zz",
            "/sub/%e",
            "/sub/%ff",
            "sub/x",
            "http://evil/x",
        ] {
            assert!(site(bad).is_err(), "{bad} was accepted: {:?}", site(bad));
        }
        // Double encoding decodes once: a literal `%2e%2e` name, which is harmless.
        assert_eq!(
            site("/sub/%252e%252e/x"),
            Ok(Target::Site("%2e%2e/x".into()))
        );
    }

    #[test]
    fn finds_files_only_inside_the_output() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("site");
        fs::create_dir_all(out.join("briefs/a")).unwrap();
        fs::write(out.join("index.html"), "home").unwrap();
        fs::write(out.join("briefs/a/index.html"), "a").unwrap();
        fs::write(out.join("style.css"), "css").unwrap();
        fs::write(tmp.path().join("secret.txt"), "secret").unwrap();
        let canonical = out.canonicalize().unwrap();

        assert_eq!(find(&out, ""), Found::File(canonical.join("index.html")));
        assert_eq!(
            find(&out, "briefs/a/"),
            Found::File(canonical.join("briefs/a/index.html"))
        );
        assert_eq!(find(&out, "briefs/a"), Found::Folder);
        assert_eq!(find(&out, "briefs/"), Found::Missing);
        assert_eq!(
            find(&out, "style.css"),
            Found::File(canonical.join("style.css"))
        );
        assert_eq!(find(&out, "nope.css"), Found::Missing);
        // Whatever reaches `find` unchecked still cannot leave the folder.
        assert_eq!(find(&out, "../secret.txt"), Found::Missing);
        assert_eq!(find(&out, "/etc/passwd"), Found::Missing);
        assert_eq!(find(&tmp.path().join("missing"), ""), Found::Missing);

        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(tmp.path().join("secret.txt"), out.join("link.txt"))
                .unwrap();
            std::os::unix::fs::symlink(tmp.path(), out.join("up")).unwrap();
            std::os::unix::fs::symlink(out.join("style.css"), out.join("same.css")).unwrap();
            assert_eq!(find(&out, "link.txt"), Found::Missing);
            assert_eq!(find(&out, "up/secret.txt"), Found::Missing);
            assert_eq!(
                find(&out, "same.css"),
                Found::File(canonical.join("style.css"))
            );
        }
    }

    #[test]
    fn answers_only_hosts_that_name_this_computer() {
        let loopback: IpAddr = "127.0.0.1".parse().unwrap();
        for good in [
            "localhost",
            "localhost:1111",
            "LocalHost:1111",
            "127.0.0.1",
            "127.0.0.1:8080",
            "[::1]",
            "[::1]:1111",
        ] {
            assert!(host_allowed(good, loopback), "{good} was refused");
        }
        for bad in [
            "evil.example",
            "evil.example:1111",
            "localhost.evil.com",
            "localhost.evil.com:1111",
            "127.0.0.1.nip.io",
            "192.168.1.5:1111",
            "::1",
            "[::1",
            "[::1]x",
            "localhost:port",
            "localhost:99999",
            "",
        ] {
            assert!(!host_allowed(bad, loopback), "{bad} was accepted");
        }
        let lan: IpAddr = "192.168.1.5".parse().unwrap();
        assert!(host_allowed("192.168.1.5:1111", lan));
        assert!(!host_allowed("192.168.1.6:1111", lan));
        assert!(!host_allowed("briefs.local:1111", lan));
        let any: IpAddr = "0.0.0.0".parse().unwrap();
        assert!(host_allowed("192.168.1.6:1111", any));
        assert!(host_allowed("[fe80::1]:1111", any));
        assert!(!host_allowed("briefs.local:1111", any));
    }

    #[test]
    fn mime_types() {
        for (name, mime) in [
            ("a.html", "text/html; charset=utf-8"),
            ("a.css", "text/css; charset=utf-8"),
            ("a.js", "text/javascript; charset=utf-8"),
            ("a.svg", "image/svg+xml"),
            ("a.PNG", "image/png"),
            ("a.jpg", "image/jpeg"),
            ("a.jpeg", "image/jpeg"),
            ("a.gif", "image/gif"),
            ("a.webp", "image/webp"),
            ("a.pdf", "application/pdf"),
            ("a.json", "application/json"),
            ("feed.xml", "application/xml"),
            ("events.ics", "text/calendar; charset=utf-8"),
            ("robots.txt", "text/plain; charset=utf-8"),
            ("a.woff2", "font/woff2"),
            ("favicon.ico", "image/x-icon"),
            ("cite.bib", "application/x-bibtex; charset=utf-8"),
            ("CNAME", "application/octet-stream"),
        ] {
            assert_eq!(mime_type(Path::new(name)), mime, "{name}");
        }
    }
}
