//! Hostile URLs and raw HTML: a URL with a scheme that is not allowed, written in Markdown
//! or front matter, fails the build (exit 1) at the URL's file, line and column; allowed
//! URLs build and reach the page; with `unsafe_html: false` nothing an author writes is
//! live markup on any page of the built site.

mod common;

use std::path::Path;

use common::*;
use scraper::{CaseSensitivity, Html, Selector};

/// A brief with `front` added to its front matter and `body` as its body.
fn brief(front: &str, body: &str) -> String {
    format!("---\ntitle: A brief\ndate: 2024-01-02\n{front}---\n{body}")
}

/// `file:line:col` of the first occurrence of `needle` in `text`.
fn location(file: &str, text: &str, needle: &str) -> String {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} is not in {file}"));
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = text[line_start..at].chars().count() + 1;
    format!("{file}:{line}:{col}")
}

/// Runs `briefly <command>` on `root`, writing (for `build`) under `root/public`.
fn run(command: &str, root: &Path) -> std::process::Output {
    let root_s = root.to_str().expect("a UTF-8 path");
    let out = root.join("public");
    let out_s = out.to_str().expect("a UTF-8 path");
    match command {
        "build" => briefly(&["build", "--root", root_s, "--output", out_s]),
        _ => briefly(&[command, "--root", root_s]),
    }
}

const B: &str = "content/briefs/a.md";
const ACTOR: &str = "content/actors/x.md";
const EVENT: &str = "content/events/2024-01-01-e.md";

/// (name, file written, its text, the text the error must point at).
fn bad_cases() -> Vec<(&'static str, &'static str, String, &'static str)> {
    let body = |b: &str| brief("", b);
    vec![
        ("inline link", B, body("See [x](javascript:alert(1)).\n"), "javascript:"),
        ("mixed case", B, body("See [x](JaVaScRiPt:alert(1)).\n"), "JaVaScRiPt:"),
        ("image", B, body("Intro.\n\n![i](vbscript:msgbox(1))\n"), "vbscript:"),
        ("data html image", B, body("![i](data:text/html,x)\n"), "data:"),
        ("data image as link", B, body("[i](data:image/png;base64,AA==)\n"), "data:"),
        ("autolink", B, body("Go <javascript:alert(1)> now.\n"), "javascript:"),
        ("reference link", B, body("See [x][r].\n\n[r]: data:text/html,<b>x</b>\n"), "data:"),
        ("shortcut reference", B, body("See [r].\n\n[r]:\n  <vbscript:x> \"T\"\n"), "vbscript:"),
        ("hex entity", B, body("[x](jav&#x61;script:alert(1))\n"), "jav&#x61;"),
        ("decimal entity", B, body("[x](&#106;avascript:alert(1))\n"), "&#106;"),
        ("named colon", B, body("[x](javascript&colon;alert(1))\n"), "javascript&colon;"),
        ("tab inside", B, body("[x](<java\tscript:alert(1)>)\n"), "java\t"),
        ("tab entity", B, body("[x](java&#9;script:alert(1))\n"), "java&#9;"),
        ("file scheme", B, body("[x](file:///etc/passwd)\n"), "file:"),
        ("unknown scheme", B, body("[x](steam://run/1)\n"), "steam:"),
        ("in a table", B, body("| a |\n| - |\n| [x](javascript:x) |\n"), "javascript:"),
        ("in a footnote", B, body("Note.[^1]\n\n[^1]: [x](javascript:x)\n"), "javascript:"),
        ("in a heading", B, body("## See [x](javascript:x)\n"), "javascript:"),
        (
            "author url",
            B,
            brief("authors:\n  - name: Sam\n    url: javascript:alert(1)\n", "Body.\n"),
            "javascript:",
        ),
        ("cover image", B, brief("image: vbscript:x\n", "Body.\n"), "vbscript:"),
        (
            "cover image src",
            B,
            brief("image:\n  src: \"data:text/html,x\"\n  alt: A\n", "Body.\n"),
            "data:",
        ),
        (
            "summary",
            B,
            brief("summary: \"See [x](javascript:alert(1))\"\n", "Body.\n"),
            "javascript:",
        ),
        (
            "key point",
            B,
            brief("key_points:\n  - Fine.\n  - \"<javascript:alert(1)>\"\n", "Body.\n"),
            "javascript:",
        ),
        (
            "inline event source",
            B,
            brief(
                "events:\n  - title: E\n    date: 2024-01-01\n    sources:\n      - title: S\n        url: \"file:///etc/passwd\"\n",
                "Body.\n",
            ),
            "file:",
        ),
        (
            "actor link",
            ACTOR,
            "---\nname: X\nlinks:\n  - title: Home\n    url: https://x.org\n  - title: Bad\n    url: \" javascript:alert(1)\"\n---\nText.\n".to_string(),
            " javascript:",
        ),
        (
            "actor body link",
            ACTOR,
            "---\nname: X\n---\nText [x](javascript:alert(1)).\n".to_string(),
            "javascript:",
        ),
        (
            "event source",
            EVENT,
            "---\ntitle: E\ndate: 2024-01-01\nsources:\n  - {title: S, url: \"VBScript:x\"}\n---\n".to_string(),
            "VBScript:",
        ),
        (
            "page link",
            "content/pages/about.md",
            "---\ntitle: About\n---\n\n[x](data:text/html;base64,PHNjcmlwdD4=)\n".to_string(),
            "data:",
        ),
    ]
}

#[test]
fn every_refused_scheme_fails_build_and_check_at_the_url() {
    let cases = bad_cases();
    assert!(cases.len() >= 15);
    let mut failures = Vec::new();
    for (name, file, text, needle) in &cases {
        let tmp = site(&[("site.yaml", "title: T\n"), (file, text)]);
        let at = location(file, text, needle);
        for command in ["build", "check"] {
            let output = run(command, tmp.path());
            let stderr = String::from_utf8_lossy(&output.stderr);
            if output.status.code() != Some(1) {
                failures.push(format!(
                    "{name} ({command}): exit {:?}\n{stderr}",
                    output.status.code()
                ));
                continue;
            }
            if !stderr.contains(&format!("--> {at}\n")) {
                failures.push(format!("{name} ({command}): no `{at}` in\n{stderr}"));
            }
            if !stderr.contains("not allowed") || !stderr.contains("docs/content.md#links-and-urls")
            {
                failures.push(format!("{name} ({command}): message or hint\n{stderr}"));
            }
            if stderr.contains("panicked") {
                failures.push(format!("{name} ({command}): panicked\n{stderr}"));
            }
        }
        if tmp.path().join("public").exists() {
            failures.push(format!("{name}: a failed build wrote output"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn allowed_urls_build_and_reach_the_page() {
    let body = "\
[web](https://example.org/a?b=c#d) [plain](http://example.org/) [mail](mailto:a@example.org)
[phone](tel:+15550100) [here](#more) [proto](//cdn.example.org/x) [other](b.md)
<https://auto.example.org/> <someone@example.org> [ref][r] [site](/pages/about/)

![png](data:image/png;base64,iVBORw0KGgo=) ![svg](data:image/svg+xml,%3Csvg%3E%3C/svg%3E)
![map](map.png)

[r]: https://ref.example.org/

## More

Text.
";
    let front = "authors:\n  - {name: Sam, url: \"https://sam.example.org/\"}\nimage: {src: \"https://img.example.org/c.png\", alt: Cover}\nsummary: \"See [docs](https://docs.example.org/).\"\n";
    let tmp = site(&[
        ("site.yaml", "title: T\nbase_url: /\n"),
        (B, &brief(front, body)),
        ("content/briefs/b.md", &brief("", "Other.\n")),
        ("content/briefs/map.png", "not really a PNG"),
        ("content/pages/about.md", "---\ntitle: About\n---\nAbout.\n"),
        (
            ACTOR,
            "---\nname: X\nlinks:\n  - {title: Home, url: \"https://x.example.org/\"}\n  - {title: Mail, url: \"mailto:x@example.org\"}\n---\n",
        ),
        (
            EVENT,
            "---\ntitle: E\ndate: 2024-01-01\nsources:\n  - {title: S, url: \"https://source.example.org/\"}\n---\n",
        ),
    ]);
    let out = tmp.path().join("public");
    build(tmp.path(), &out, &[]);
    let brief_page = page(&out, "briefs/a/index.html");
    let hrefs = attrs(&brief_page, "a[href]", "href");
    for url in [
        "https://example.org/a?b=c#d",
        "http://example.org/",
        "mailto:a@example.org",
        "tel:+15550100",
        "#more",
        "//cdn.example.org/x",
        "/briefs/b/",
        "https://auto.example.org/",
        "mailto:someone@example.org",
        "https://ref.example.org/",
        "/pages/about/",
    ] {
        assert!(hrefs.iter().any(|h| h == url), "{url} not in {hrefs:?}");
    }
    let srcs = attrs(&brief_page, "img[src]", "src");
    for url in [
        "data:image/png;base64,iVBORw0KGgo=",
        "data:image/svg+xml,%3Csvg%3E%3C/svg%3E",
        "/briefs/map.png",
        "https://img.example.org/c.png",
    ] {
        assert!(srcs.iter().any(|s| s == url), "{url} not in {srcs:?}");
    }
    let everywhere: Vec<String> = files(&out)
        .into_iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .flat_map(|(_, bytes)| {
            let html = Html::parse_document(&String::from_utf8_lossy(&bytes));
            attrs(&html, "a[href]", "href")
        })
        .collect();
    for url in [
        "https://sam.example.org/",
        "https://docs.example.org/",
        "https://x.example.org/",
        "mailto:x@example.org",
        "https://source.example.org/",
    ] {
        assert!(everywhere.iter().any(|h| h == url), "{url} is on no page");
    }
}

/// Raw HTML an author might write to attack a reader, in every place Markdown allows it.
const HOSTILE_BODY: &str = r#"Intro <img src=x onerror="alert(1)"> and <a href="javascript:alert(2)">link text</a>.

<script>alert(3)</script>

<svg onload="alert(4)"><circle r="1"/></svg>

<iframe src="javascript:alert(5)"></iframe>

<style>body { background: url("javascript:alert(6)") }</style>

<!-- <script>alert(7)</script> -->

Inline comment <!-- <img src=x onerror=alert(8)> --> here, and <b onclick="alert(9)">bold</b>.

<div
  onmouseover="alert(10)">multi-line block</div>

## Key Points

- A point with <img src=x onerror=alert(11)>
- <a href="javascript:alert(12)">link</a> item

## Heading <img src=x onerror=alert(13)>

| a | b |
| - | - |
| <img src=x onerror=alert(14)> | <script>alert(15)</script> |

Footnote.[^1] [Link with <img src=x onerror=alert(16)> text](https://ok.example.org/)

[^1]: In a note <svg/onload=alert(17)>.

<details open ontoggle="alert(18)"><summary>x</summary></details>

<object data="javascript:alert(19)"></object><embed src="javascript:alert(20)">

<form action="javascript:alert(21)"><button formaction="javascript:alert(22)">x</button></form>

<meta http-equiv="refresh" content="0;url=javascript:alert(23)">

<base href="javascript:alert(24)//">

<math><mtext><table><mglyph><style><img src=x onerror=alert(25)></style></mglyph></table></mtext></math>

<noscript><p title="</noscript><img src=x onerror=alert(26)>"></noscript>

## Recommendations

### Act <svg onload=alert(27)>

Do <img src=x onerror=alert(28)>.
"#;

fn hostile_site(unsafe_html: bool) -> tempfile::TempDir {
    let front = r#"summary: "Sum <img src=x onerror=alert(31)> <script>alert(32)</script>"
subtitle: "<img src=x onerror=alert(33)>"
authors: ["<script>alert(34)</script>"]
topics: ["<img src=x onerror=alert(35)>"]
"#;
    let title_brief = "---\ntitle: \"<script>alert(36)</script>\"\ndate: 2024-01-03\nkey_points:\n  - \"<img src=x onerror=alert(37)>\"\nrecommendations:\n  - \"<a href='javascript:alert(38)'>x</a>\"\n---\nText <svg onload=alert(39)>.\n";
    site(&[
        (
            "site.yaml",
            &format!("title: T\nbase_url: /\nunsafe_html: {unsafe_html}\n"),
        ),
        (B, &brief(front, HOSTILE_BODY)),
        ("content/briefs/t.md", title_brief),
        (
            ACTOR,
            "---\nname: \"X <img src=x onerror=alert(40)>\"\n---\n<script>alert(41)</script>\n\nText <img src=x onerror=alert(42)>.\n",
        ),
        (
            EVENT,
            "---\ntitle: \"E <svg onload=alert(43)>\"\ndate: 2024-01-01\n---\n<iframe src=\"javascript:alert(44)\"></iframe>\n",
        ),
        (
            "content/pages/about.md",
            "---\ntitle: About\ndescription: \"<script>alert(45)</script>\"\n---\n<script>alert(46)</script>\n",
        ),
    ])
}

/// Attributes that hold a URL.
const URL_ATTRS: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "data",
    "poster",
    "background",
    "xlink:href",
];

/// The script of the theme's "Cite this brief" block (the test sites' base path is `/`).
const CITE_JS: &str = "/cite.js";

/// The start tags of the theme's own scripts, which the raw-text check leaves out.
const OUR_SCRIPTS: &[&str] = &[
    "<script type=\"application/ld+json\">",
    "<script src=\"/cite.js\" defer>",
];

/// Everything live in one page: elements that run or embed content, `on*` attributes, and
/// URL attributes with a refused scheme.
fn live_markup(html: &Html) -> Vec<String> {
    let mut found = Vec::new();
    let all = Selector::parse("*").expect("a selector");
    for e in html.select(&all) {
        let el = e.value();
        let name = el.name();
        // The theme's own scripts: the page's JSON-LD and the cite block's copy buttons;
        // and the site's timeline pictures (their text is escaped; their attributes are
        // checked below like any other).
        let ours = name == "script"
            && (el.attr("type") == Some("application/ld+json") || el.attr("src") == Some(CITE_JS));
        // The theme's own search: the header's form, the search page's form and script.
        let search_ui = (name == "form"
            && (el.has_class("site-search", CaseSensitivity::CaseSensitive)
                || el.id() == Some("search")))
            || (name == "script" && el.attr("src").is_some_and(|s| s.ends_with("/search.js")));
        if search_ui {
            continue;
        }
        let picture = name == "svg" && el.attr("class") == Some("tl");
        if matches!(
            name,
            "script" | "iframe" | "object" | "embed" | "svg" | "math" | "form" | "base" | "frame"
        ) && !ours
            && !picture
        {
            found.push(format!("<{name}>"));
        }
        if name == "style" {
            found.push("<style>".into());
        }
        if name == "meta" && el.attr("http-equiv").is_some() {
            found.push("<meta http-equiv>".into());
        }
        for (attr, value) in el.attrs() {
            if attr.to_ascii_lowercase().starts_with("on") {
                found.push(format!("<{name} {attr}>"));
            }
            if URL_ATTRS.contains(&attr) {
                let use_ = if name == "img" && attr == "src" {
                    briefly::url::UrlUse::Image
                } else {
                    briefly::url::UrlUse::Link
                };
                let lowered: String = value
                    .chars()
                    .filter(|c| !c.is_ascii_whitespace() && !c.is_control())
                    .collect::<String>()
                    .to_ascii_lowercase();
                let independent = ["javascript:", "vbscript:", "data:text", "file:"]
                    .iter()
                    .any(|s| lowered.starts_with(s));
                if independent || !briefly::url::is_allowed(value, use_) {
                    found.push(format!("<{name} {attr}=\"{value}\">"));
                }
            }
        }
    }
    found
}

#[test]
fn with_unsafe_html_false_nothing_an_author_writes_is_live() {
    let tmp = hostile_site(false);
    let out = tmp.path().join("public");
    build(tmp.path(), &out, &[]);
    let mut failures = Vec::new();
    let mut pages = 0;
    for (path, bytes) in files(&out) {
        if !path.ends_with(".html") {
            continue;
        }
        pages += 1;
        let text = String::from_utf8_lossy(&bytes).into_owned();
        for live in live_markup(&Html::parse_document(&text)) {
            failures.push(format!("{path}: {live}"));
        }
        let mut text = OUR_SCRIPTS
            .iter()
            .fold(text, |text, ours| text.replace(ours, ""));
        // Nor as raw text a lenient parser might still read as a tag (as escaped text,
        // `&lt;img … onerror=…&gt;`, it is harmless).
        // The search page's own script tag is the theme's.
        if let Some(at) = text.find("<script src=\"/search.js\"") {
            let end = text[at..]
                .find("</script>")
                .map_or(text.len(), |e| at + e + 9);
            text.replace_range(at..end, "");
        }
        for raw in [
            "<script", "<img", "<svg", "<iframe", "<style", "<object", "<embed",
        ] {
            let pictures = text.matches("<svg class=\"tl\" ").count();
            if text.matches(raw).count() > if raw == "<svg" { pictures } else { 0 } {
                failures.push(format!("{path}: raw `{raw}`"));
            }
        }
    }
    assert!(pages >= 6, "only {pages} pages");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Raw HTML shows as the text the author wrote, blocks and inline alike.
    let brief_page = page(&out, "briefs/a/index.html");
    let text = texts(&brief_page, "main").join(" ");
    for words in ["link text", "bold", "Link with", "A point with"] {
        assert!(text.contains(words), "{words:?} is gone: {text}");
    }
    for markup in [
        r#"<div onmouseover="alert(10)">multi-line block</div>"#,
        "<script>alert(3)</script>",
        r#"<b onclick="alert(9)">bold</b>"#,
    ] {
        assert!(
            text.contains(markup),
            "{markup:?} is not shown as text: {text}"
        );
    }
}

#[test]
fn with_unsafe_html_true_raw_html_is_kept_but_markdown_urls_are_still_checked() {
    let tmp = site(&[
        ("site.yaml", "title: T\nunsafe_html: true\n"),
        (
            B,
            &brief(
                "",
                "<div class=\"callout\" data-x=\"1\">Raw <em>kept</em></div>\n\nText <kbd>Ctrl</kbd>.\n",
            ),
        ),
    ]);
    let out = tmp.path().join("public");
    build(tmp.path(), &out, &[]);
    let brief_page = page(&out, "briefs/a/index.html");
    assert_eq!(texts(&brief_page, "div.callout[data-x='1'] em"), ["kept"]);
    assert_eq!(texts(&brief_page, "kbd"), ["Ctrl"]);

    let text = brief("", "<b>ok</b> [x](javascript:alert(1))\n");
    let tmp = site(&[("site.yaml", "title: T\nunsafe_html: true\n"), (B, &text)]);
    let output = run("build", tmp.path());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    let at = location(B, &text, "javascript:");
    assert!(stderr.contains(&format!("--> {at}\n")), "{stderr}");
}

#[test]
fn with_unsafe_html_true_the_same_raw_html_is_passed_through() {
    // Authors are trusted: what they write is kept, scripts included. This also shows the
    // detector above finds live markup when there is some.
    let tmp = hostile_site(true);
    let out = tmp.path().join("public");
    build(tmp.path(), &out, &[]);
    let live = live_markup(&page(&out, "briefs/a/index.html"));
    for expected in [
        "<script>",
        "<img onerror>",
        "<svg onload>",
        "<iframe>",
        "<a href=\"javascript:alert(2)\">",
    ] {
        assert!(
            live.iter().any(|l| l == expected),
            "{expected} not in {live:?}"
        );
    }
}
