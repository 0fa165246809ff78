//! HTTP for `briefly serve`: routes each request (the site under its base path, the
//! reserved `__briefly/` paths, redirects), keeps every path inside the output folder, picks
//! MIME types, and answers with the site's files, its 404 page, or the error page.
//!
//! Path safety is two locks: the request path is percent-decoded and refused (400) if it
//! has `.`/`..` segments, empty segments, backslashes or NUL; then the resolved file is
//! canonicalized and must lie inside the canonical output folder, so no symlink leads out.

use std::fs;
use std::io::Cursor;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, PoisonError};
use std::thread;

use tiny_http::{Header, Method, Request, Response, Server, StatusCode};

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
                path.push(name)
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
        "map" => "application/json",
        _ => "application/octet-stream",
    }
}

/// Answers requests until the server stops, one thread per request (event streams stay open).
pub fn serve(server: Server, shared: Arc<Shared>) {
    for request in server.incoming_requests() {
        let shared = Arc::clone(&shared);
        // If no thread can be had, the request is dropped, which answers 500.
        let _ = thread::Builder::new()
            .name("briefly-http".into())
            .spawn(move || handle(request, &shared));
    }
}

type Body = Response<Cursor<Vec<u8>>>;

fn handle(request: Request, shared: &Shared) {
    if !matches!(request.method(), Method::Get | Method::Head) {
        let response = with_header(text(405, "method not allowed\n"), "Allow", "GET, HEAD");
        let _ = request.respond(response);
        return;
    }
    let status = shared.status();
    let response = match parse_target(&status.base_path, request.url()) {
        Err(BadPath(why)) => text(400, &format!("bad request: {why}\n")),
        Ok(Target::Redirect(to)) => redirect(&to),
        Ok(Target::Reserved(name)) if name == "events" => {
            let frames = shared.hub.subscribe();
            let mut first = vec![Event::Hello {
                generation: status.generation,
            }];
            // A tab that connects while the build is broken learns it at once.
            first.extend(shared.status().error.map(Event::Error));
            let mut out = request.into_writer();
            let _ = reload::stream(&mut *out, frames, &first);
            return;
        }
        Ok(Target::Reserved(name)) if name == "status" => {
            let body = serde_json::json!({
                "generation": status.generation,
                "building": status.building,
                "ok": status.error.is_none(),
                "error": status.error,
                "base_path": status.base_path,
            });
            bytes(200, "application/json", body.to_string().into_bytes())
        }
        Ok(Target::Reserved(name)) if name == "reload.js" => bytes(
            200,
            "text/javascript; charset=utf-8",
            reload::script(&status.base_path).into_bytes(),
        ),
        Ok(Target::Reserved(_)) | Ok(Target::Outside) => not_found(shared),
        Ok(Target::Site(relative)) => site_file(shared, request.url(), &relative),
    };
    let _ = request.respond(response);
}

/// A file of the site, its folder redirect, or the 404 page.
fn site_file(shared: &Shared, url: &str, relative: &str) -> Body {
    let found = {
        // A rebuild swaps the output folder under the write lock: read a consistent one.
        let _swap = shared.swap.read().unwrap_or_else(PoisonError::into_inner);
        match find(&shared.output, relative) {
            Found::File(path) => fs::read(&path).ok().map(|body| (path, body)),
            Found::Folder => {
                let (path, query) = url.split_once('?').unwrap_or((url, ""));
                let query = if query.is_empty() {
                    String::new()
                } else {
                    format!("?{query}")
                };
                return redirect(&format!("{path}/{query}"));
            }
            Found::Missing => None,
        }
    };
    match found {
        Some((path, body)) => page(shared, 200, &path, body),
        None => not_found(shared),
    }
}

/// The site's `404.html` with status 404, or a placeholder page when there is none.
fn not_found(shared: &Shared) -> Body {
    let page_404 = {
        let _swap = shared.swap.read().unwrap_or_else(PoisonError::into_inner);
        match find(&shared.output, "404.html") {
            Found::File(path) => fs::read(&path).ok(),
            _ => None,
        }
    };
    if let Some(body) = page_404 {
        return page(shared, 404, Path::new("404.html"), body);
    }
    let broken = shared.status().error.is_some();
    let (code, title) = if broken {
        (503, "The site could not be built")
    } else {
        (404, "Page not found")
    };
    let html = reload::placeholder_page(title).into_bytes();
    page(shared, code, Path::new("index.html"), html)
}

/// A response for a file's bytes; HTML gets the reload script and, while the build is
/// broken, the error overlay.
fn page(shared: &Shared, code: u16, path: &Path, body: Vec<u8>) -> Body {
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

fn bytes(code: u16, mime: &str, body: Vec<u8>) -> Body {
    let response = Response::from_data(body).with_status_code(StatusCode(code));
    let response = with_header(response, "Content-Type", mime);
    let response = with_header(response, "Cache-Control", "no-store");
    with_header(response, "X-Content-Type-Options", "nosniff")
}

fn text(code: u16, message: &str) -> Body {
    bytes(
        code,
        "text/plain; charset=utf-8",
        message.as_bytes().to_vec(),
    )
}

fn redirect(location: &str) -> Body {
    let location = ascii_url(location);
    with_header(
        text(302, &format!("see {location}\n")),
        "Location",
        &location,
    )
}

fn with_header(response: Body, name: &str, value: &str) -> Body {
    // Only a non-ASCII value is refused, and none is built here.
    match Header::from_bytes(name.as_bytes(), value.as_bytes()) {
        Ok(header) => response.with_header(header),
        Err(()) => response,
    }
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
            ("robots.txt", "text/plain; charset=utf-8"),
            ("a.woff2", "font/woff2"),
            ("favicon.ico", "image/x-icon"),
            ("CNAME", "application/octet-stream"),
        ] {
            assert_eq!(mime_type(Path::new(name)), mime, "{name}");
        }
    }
}
