//! Publishing: a built site served the way GitHub Pages serves a project site (under its
//! subpath, `404.html` for what is missing, a folder's `index.html`, a redirect for a
//! missing trailing slash), every link followed over HTTP; the files a host needs
//! (`.nojekyll`, `CNAME`, `robots.txt` only at a domain root); and the workflow
//! `briefly init` writes, which must be the one docs/publishing.md shows.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::thread;

use common::*;
use scraper::{Html, Selector};

/// A static host with GitHub Pages' rules for a project site at `prefix` (`/briefs/`).
struct PagesHost {
    addr: String,
}

/// What the host answers for one path.
#[derive(Debug, PartialEq)]
enum Answer {
    Ok(Vec<u8>),
    Redirect(String),
    NotFound(Vec<u8>),
}

/// GitHub Pages' answer for `path` on a project site at `prefix` served from `root`.
fn pages_answer(root: &Path, prefix: &str, path: &str) -> Answer {
    let not_found = || Answer::NotFound(std::fs::read(root.join("404.html")).unwrap_or_default());
    let path = percent_decode(path.split(['?', '#']).next().unwrap_or(""));
    if format!("{path}/") == prefix {
        return Answer::Redirect(prefix.to_string());
    }
    let Some(rest) = path.strip_prefix(prefix) else {
        return not_found();
    };
    if rest.split('/').any(|part| part == "..") {
        return not_found();
    }
    let file = root.join(rest);
    if rest.is_empty() || rest.ends_with('/') {
        return match std::fs::read(file.join("index.html")) {
            Ok(bytes) => Answer::Ok(bytes),
            Err(_) => not_found(),
        };
    }
    if file.is_file() {
        return Answer::Ok(std::fs::read(file).unwrap());
    }
    if file.join("index.html").is_file() {
        return Answer::Redirect(format!("{path}/"));
    }
    match std::fs::read(root.join(format!("{rest}.html"))) {
        Ok(bytes) => Answer::Ok(bytes),
        Err(_) => not_found(),
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Some(b) = std::str::from_utf8(&bytes[i + 1..i + 3])
                .ok()
                .and_then(|hex| u8::from_str_radix(hex, 16).ok())
            {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl PagesHost {
    /// Serves `root` at `prefix` on a free loopback port, one thread per connection.
    fn start(root: &Path, prefix: &str) -> PagesHost {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap().to_string();
        let root = root.to_path_buf();
        let prefix = prefix.to_string();
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (root, prefix) = (root.clone(), prefix.clone());
                thread::spawn(move || answer(stream, &root, &prefix));
            }
        });
        PagesHost { addr }
    }

    /// GET `path`; the status, the `Location` header and the body.
    fn get(&self, path: &str) -> (u16, Option<String>, Vec<u8>) {
        let mut stream = TcpStream::connect(&self.addr).unwrap();
        write!(
            stream,
            "GET {path} HTTP/1.0\r\nHost: example.github.io\r\n\r\n"
        )
        .unwrap();
        let mut reader = BufReader::new(stream);
        let mut status_line = String::new();
        reader.read_line(&mut status_line).unwrap();
        let status: u16 = status_line.split(' ').nth(1).unwrap().parse().unwrap();
        let mut location = None;
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(value) = line.strip_prefix("Location: ") {
                location = Some(value.to_string());
            }
        }
        let mut body = Vec::new();
        reader.read_to_end(&mut body).unwrap();
        (status, location, body)
    }
}

fn answer(mut stream: TcpStream, root: &Path, prefix: &str) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut request = String::new();
    if reader.read_line(&mut request).is_err() {
        return;
    }
    let path = request.split(' ').nth(1).unwrap_or("/").to_string();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line.trim().is_empty() {
            break;
        }
    }
    let (head, body) = match pages_answer(root, prefix, &path) {
        Answer::Ok(body) => ("200 OK".to_string(), body),
        Answer::Redirect(to) => (
            format!("301 Moved Permanently\r\nLocation: {to}"),
            Vec::new(),
        ),
        Answer::NotFound(body) => ("404 Not Found".to_string(), body),
    };
    let _ = write!(
        stream,
        "HTTP/1.0 {head}\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(&body);
}

/// Every link a page makes: `a`/`link` hrefs and `img`/`script`/`source` srcs.
fn links_of(html: &Html) -> Vec<String> {
    let selector =
        Selector::parse("a[href], link[href], img[src], script[src], source[src]").unwrap();
    html.select(&selector)
        .filter_map(|e| e.value().attr("href").or_else(|| e.value().attr("src")))
        .map(str::to_string)
        .collect()
}

fn ids_of(html: &Html) -> BTreeSet<String> {
    let selector = Selector::parse("[id]").unwrap();
    html.select(&selector)
        .filter_map(|e| e.value().attr("id").map(str::to_string))
        .collect()
}

/// `link`, found on the page at `page_url`, as a path on this host, or `None` if it
/// leaves the host (another site, `mailto:`).
fn internal_path(page_url: &str, link: &str, origin: &str) -> Option<String> {
    if let Some(rest) = link.strip_prefix(origin) {
        return Some(rest.to_string());
    }
    if link.contains("://") || link.starts_with("//") || link.starts_with("mailto:") {
        return None;
    }
    if link.starts_with('/') {
        return Some(link.to_string());
    }
    if link.starts_with('#') {
        return Some(format!("{page_url}{link}"));
    }
    // A relative path: resolve it against the page's folder.
    let mut parts: Vec<&str> = page_url.trim_end_matches('/').split('/').collect();
    if !page_url.ends_with('/') {
        parts.pop();
    }
    for part in link.split('/') {
        match part {
            ".." => {
                parts.pop();
            }
            "." => {}
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

/// Crawls the site from `start` over HTTP, following every internal link (and at most
/// one redirect per link). Returns every broken link as (page, link, why) and how many
/// links were followed.
fn crawl(host: &PagesHost, start: &str, origin: &str) -> (Vec<(String, String, String)>, usize) {
    let mut pages: BTreeMap<String, Option<Html>> = BTreeMap::new();
    let mut queue = vec![start.to_string()];
    let mut broken = Vec::new();
    let mut followed = 0;
    let fetch = |path: &str| -> Result<(String, Vec<u8>), String> {
        let (status, location, body) = host.get(path);
        match (status, location) {
            (200, _) => Ok((path.to_string(), body)),
            (301, Some(to)) => match host.get(&to) {
                (200, _, body) => Ok((to, body)),
                (status, _, _) => Err(format!("redirects to {to}, which answers {status}")),
            },
            (status, _) => Err(format!("answers {status}")),
        }
    };
    let mut bodies: BTreeMap<String, Result<(String, Vec<u8>), String>> = BTreeMap::new();
    while let Some(page) = queue.pop() {
        if pages.contains_key(&page) {
            continue;
        }
        let Ok((_, body)) = bodies
            .entry(page.clone())
            .or_insert_with(|| fetch(&page))
            .clone()
        else {
            pages.insert(page, None);
            continue;
        };
        let html = Html::parse_document(&String::from_utf8_lossy(&body));
        let links = links_of(&html);
        pages.insert(page.clone(), Some(html));
        for link in links {
            let Some(target) = internal_path(&page, &link, origin) else {
                continue;
            };
            followed += 1;
            let (path, fragment) = match target.split_once('#') {
                Some((p, f)) => (p.to_string(), Some(f.to_string())),
                None => (target.clone(), None),
            };
            let fetched = bodies.entry(path.clone()).or_insert_with(|| fetch(&path));
            let (final_path, body) = match fetched {
                Ok(found) => found.clone(),
                Err(why) => {
                    broken.push((page.clone(), link.clone(), why.clone()));
                    continue;
                }
            };
            let is_html = final_path.ends_with('/') || final_path.ends_with(".html");
            if is_html {
                if let Some(fragment) = fragment.filter(|f| !f.is_empty()) {
                    let ids = ids_of(&Html::parse_document(&String::from_utf8_lossy(&body)));
                    if !ids.contains(&fragment) {
                        broken.push((page.clone(), link.clone(), "no such id".into()));
                    }
                }
                queue.push(final_path);
            }
        }
    }
    (broken, followed)
}

fn built(root: &Path, base_url: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    build(root, &out, &["--base-url", base_url]);
    (tmp, out)
}

#[test]
fn a_project_site_works_as_github_pages_serves_it() {
    let (_tmp, out) = built(&repo_root(), "https://example.github.io/briefs/");
    let host = PagesHost::start(&out, "/briefs/");

    // Every link of every page reachable from the home page answers 200.
    let (broken, followed) = crawl(&host, "/briefs/", "https://example.github.io");
    assert!(followed > 2000, "only {followed} links followed");
    assert!(
        broken.is_empty(),
        "{} broken: {:#?}",
        broken.len(),
        &broken[..broken.len().min(20)]
    );

    // A folder without its trailing slash redirects; the site root too.
    let (status, location, _) = host.get("/briefs/actors/iran");
    assert_eq!(
        (status, location.as_deref()),
        (301, Some("/briefs/actors/iran/"))
    );
    let (status, location, _) = host.get("/briefs");
    assert_eq!((status, location.as_deref()), (301, Some("/briefs/")));

    // A missing path answers 404 with the site's 404 page, and every link on it works.
    let (status, _, body) = host.get("/briefs/briefs/no-such-brief/");
    assert_eq!(status, 404);
    let page = String::from_utf8_lossy(&body);
    assert!(page.contains("<h1"), "{page}");
    let html = Html::parse_document(&page);
    let links: Vec<String> = links_of(&html)
        .into_iter()
        .filter_map(|l| {
            internal_path(
                "/briefs/briefs/no-such-brief/",
                &l,
                "https://example.github.io",
            )
        })
        .collect();
    assert!(links.len() > 5, "{links:?}");
    let own_ids = ids_of(&html);
    for link in links {
        match link.split_once('#') {
            // The skip link: an anchor on the 404 page itself.
            Some(("/briefs/briefs/no-such-brief/", id)) => {
                assert!(own_ids.contains(id), "the 404 page has no #{id}");
            }
            _ => {
                let path = link.split('#').next().unwrap();
                assert_eq!(host.get(path).0, 200, "the 404 page links {link}");
            }
        }
    }

    // What the host needs, and nothing it would ignore.
    assert!(out.join(".nojekyll").is_file());
    assert!(
        !out.join("robots.txt").exists(),
        "a site under a subpath has no robots.txt: crawlers read it only at a domain root"
    );
    assert!(!out.join("CNAME").exists());
}

#[test]
fn a_site_at_a_domain_root_has_robots_txt_and_its_cname() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    assert!(briefly(&["init", site.to_str().unwrap()]).status.success());
    std::fs::write(
        site.join("site.yaml"),
        "title: T\nbase_url: https://briefs.example.org/\ncname: briefs.example.org\n",
    )
    .unwrap();
    let out = tmp.path().join("out");
    build(&site, &out, &[]);
    assert_eq!(
        std::fs::read_to_string(out.join("CNAME")).unwrap(),
        "briefs.example.org\n"
    );
    let robots = std::fs::read_to_string(out.join("robots.txt")).unwrap();
    assert!(
        robots.contains("Sitemap: https://briefs.example.org/sitemap.xml"),
        "{robots}"
    );
    assert!(out.join(".nojekyll").is_file());

    let host = PagesHost::start(&out, "/");
    let (broken, followed) = crawl(&host, "/", "https://briefs.example.org");
    assert!(followed > 20, "only {followed} links followed");
    assert!(broken.is_empty(), "{broken:#?}");
}

#[test]
fn the_emulated_host_sees_breaks() {
    // The crawler is only worth something if it fails: break a link and a fragment.
    let (_tmp, out) = built(&fixture("valid-site"), "https://example.github.io/sub/");
    let home = out.join("index.html");
    let text = std::fs::read_to_string(&home).unwrap();
    let text = text.replacen("href=\"/sub/briefs/\"", "href=\"/sub/briefz/\"", 1);
    let text = text.replacen("</main>", "<a href=\"/sub/#no-such-id\">x</a></main>", 1);
    std::fs::write(&home, text).unwrap();
    let host = PagesHost::start(&out, "/sub/");
    let (broken, _) = crawl(&host, "/sub/", "https://example.github.io");
    let whys: Vec<&str> = broken.iter().map(|(_, _, why)| why.as_str()).collect();
    assert!(whys.contains(&"answers 404"), "{broken:#?}");
    assert!(whys.contains(&"no such id"), "{broken:#?}");
}

/// The fenced block of docs/publishing.md that follows the `pages-workflow` marker.
fn documented_workflow() -> String {
    let doc = std::fs::read_to_string(repo_root().join("docs/publishing.md")).unwrap();
    let after = doc
        .split_once("<!-- pages-workflow")
        .expect("docs/publishing.md marks the workflow block")
        .1;
    let block = after.split_once("```yaml\n").unwrap().1;
    block.split_once("```\n").unwrap().0.to_string()
}

#[test]
fn init_writes_the_pages_workflow_the_docs_show() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    let output = briefly(&["init", site.to_str().unwrap()]);
    assert!(output.status.success());
    let written = std::fs::read_to_string(site.join(".github/workflows/pages.yml")).unwrap();
    assert_eq!(
        written,
        documented_workflow(),
        "docs/publishing.md must show the workflow `briefly init` writes"
    );
    // It installs the release of this very version, checks it, and builds with the
    // address GitHub Pages reports.
    let version = env!("CARGO_PKG_VERSION");
    assert!(written.contains(&format!("BRIEFLY_VERSION: \"{version}\"")));
    assert!(written.contains("sha256sum --check"));
    assert!(written.contains("--base-url \"${{ steps.pages.outputs.base_url }}/\""));
    assert!(
        !written.contains("cargo "),
        "the workflow must not compile briefly"
    );
    for action in [
        "actions/checkout@v6",
        "actions/configure-pages@v6",
        "actions/upload-pages-artifact@v5",
        "actions/deploy-pages@v5",
    ] {
        assert!(written.contains(action), "{action}");
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains(".github/workflows/pages.yml"), "{stdout}");

    // The site init makes builds, and works under a project subpath.
    let (_out_tmp, out) = built(&site, "https://owner.github.io/my-briefs/");
    let host = PagesHost::start(&out, "/my-briefs/");
    let (broken, _) = crawl(&host, "/my-briefs/", "https://owner.github.io");
    assert!(broken.is_empty(), "{broken:#?}");
}

#[test]
fn init_without_the_workflow_and_over_an_existing_one() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    assert!(briefly(&["init", "--no-workflow", site.to_str().unwrap()])
        .status
        .success());
    assert!(site.join("site.yaml").is_file());
    assert!(!site.join(".github").exists());

    // A workflow the author already has is kept.
    let other = tmp.path().join("other");
    std::fs::create_dir_all(other.join(".github/workflows")).unwrap();
    std::fs::write(other.join(".github/workflows/pages.yml"), "# mine\n").unwrap();
    assert!(briefly(&["init", other.to_str().unwrap()]).status.success());
    assert_eq!(
        std::fs::read_to_string(other.join(".github/workflows/pages.yml")).unwrap(),
        "# mine\n"
    );
}
