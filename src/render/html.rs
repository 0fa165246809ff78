//! HTML made to be read away from the site: a brief's whole body as one fragment with every
//! link and image URL made absolute (for feed readers, which resolve relative URLs
//! unreliably), and plain text (for calendars).
//!
//! Both are small scanners over the HTML that the Markdown stage writes (and the raw HTML
//! that authors may keep): tags, attributes and comments are recognised; nothing but the
//! values of `href`, `src` and `srcset` is ever changed.

use super::bodies::BriefBody;
use crate::escape;

/// A brief's body as one HTML fragment, in the order its page shows it: cover image,
/// introduction, key points, background, free sections, recommendations, notes. URLs are
/// as the page has them (see [`absolute_urls`]).
pub fn brief_body(body: &BriefBody, image_alt: &str) -> String {
    let parts = &body.rendered.parts;
    let mut out = String::with_capacity(parts.intro.len() + 4096);
    if let Some(src) = &body.image_url {
        out.push_str(&format!(
            "<figure><img src=\"{}\" alt=\"{}\"></figure>\n",
            escape::html(src),
            escape::html(image_alt)
        ));
    }
    out.push_str(&parts.intro);
    if let Some(list) = &parts.key_points {
        out.push_str(&format!("<h2>{}</h2>\n<ul>", list.title));
        for item in &list.items {
            out.push_str(&format!("<li>{}</li>", item.html));
        }
        out.push_str("</ul>\n");
        out.push_str(&list.notes);
    }
    if let Some(section) = &parts.background {
        out.push_str(&format!("<h2>{}</h2>\n{}", section.title, section.html));
    }
    for section in &parts.sections {
        out.push_str(&format!("<h2>{}</h2>\n{}", section.title, section.html));
    }
    if let Some(list) = &parts.recommendations {
        out.push_str(&format!("<h2>{}</h2>\n<ol>", list.title));
        for item in &list.items {
            out.push_str("<li>");
            if let Some(title) = &item.title {
                out.push_str(&format!("<h3>{title}</h3>"));
            }
            out.push_str(&item.html);
            out.push_str("</li>");
        }
        out.push_str("</ol>\n");
        out.push_str(&list.notes);
    }
    let notes = &body.rendered.footnotes;
    if !notes.is_empty() {
        out.push_str("<h2>Notes</h2>\n<ol>");
        for note in notes {
            out.push_str(&format!("<li id=\"{}\">{}</li>", note.id, note.html));
        }
        out.push_str("</ol>\n");
    }
    out
}

/// `html` with every `href`, `src` and `srcset` URL made absolute: site-absolute paths
/// (`/briefs/x/`) get `origin` (`https://host`) in front, and relative ones (`#note`,
/// `../x/`, `?q`) are resolved against `page`, the site-absolute path of the page the HTML
/// comes from. URLs with a scheme are kept; protocol-relative ones (`//host/x`) get the
/// scheme of `origin`. With an empty `origin` (a `base_url` without a host), URLs become
/// site-absolute paths.
pub fn absolute_urls(html: &str, origin: &str, page: &str) -> String {
    let bytes = html.as_bytes();
    let mut out = String::with_capacity(html.len() + html.len() / 8);
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'<' {
            i += 1;
            continue;
        }
        if html[i..].starts_with("<!--") {
            i = html[i..].find("-->").map_or(bytes.len(), |end| i + end + 3);
            continue;
        }
        if !bytes.get(i + 1).is_some_and(u8::is_ascii_alphabetic) {
            i += 1;
            continue;
        }
        let tag = scan_tag(html, i);
        for value in tag.values {
            let raw = &html[value.clone()];
            let absolute = match tag_attr_kind(html, &value) {
                Some(Attr::Srcset) => srcset(raw, origin, page),
                Some(Attr::Url) => resolve(raw, origin, page),
                None => continue,
            };
            out.push_str(&html[copied..value.start]);
            out.push_str(&absolute);
            copied = value.end;
        }
        i = tag.end;
    }
    out.push_str(&html[copied..]);
    out
}

/// Which URL attribute a value belongs to.
enum Attr {
    Url,
    Srcset,
}

/// The name of the attribute whose value is `value` (it stands right before `=`).
fn tag_attr_kind(html: &str, value: &std::ops::Range<usize>) -> Option<Attr> {
    let before = html[..value.start].trim_end_matches(['"', '\'']);
    let before = before.trim_end().strip_suffix('=')?.trim_end();
    let start = before
        .rfind(|c: char| c.is_ascii_whitespace() || c == '/' || c == '"' || c == '\'')
        .map_or(0, |p| p + 1);
    match before[start..].to_ascii_lowercase().as_str() {
        "href" | "src" => Some(Attr::Url),
        "srcset" => Some(Attr::Srcset),
        _ => None,
    }
}

/// A start tag: where it ends, and the byte ranges of its attribute values.
struct Tag {
    end: usize,
    values: Vec<std::ops::Range<usize>>,
}

/// Reads the tag that starts at `start` (a `<` followed by a letter): its attributes, with
/// double-quoted, single-quoted or unquoted values.
fn scan_tag(html: &str, start: usize) -> Tag {
    let bytes = html.as_bytes();
    let mut values = Vec::new();
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'>' => {
                return Tag { end: i + 1, values };
            }
            b'=' => {
                i += 1;
                while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                    i += 1;
                }
                match bytes.get(i) {
                    Some(&quote @ (b'"' | b'\'')) => {
                        let from = i + 1;
                        let to = html[from..]
                            .find(quote as char)
                            .map_or(bytes.len(), |p| from + p);
                        values.push(from..to);
                        i = to + 1;
                    }
                    Some(_) => {
                        let from = i;
                        while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'>'
                        {
                            i += 1;
                        }
                        values.push(from..i);
                    }
                    None => {}
                }
            }
            _ => i += 1,
        }
    }
    Tag {
        end: bytes.len(),
        values,
    }
}

/// Each candidate URL of a `srcset` made absolute; descriptors are kept.
fn srcset(value: &str, origin: &str, page: &str) -> String {
    value
        .split(',')
        .map(|candidate| {
            let candidate = candidate.trim();
            match candidate.split_once(char::is_whitespace) {
                Some((url, descriptor)) => {
                    format!("{} {}", resolve(url, origin, page), descriptor.trim())
                }
                None => resolve(candidate, origin, page),
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// One URL (as written in an attribute, character references and all) made absolute.
fn resolve(url: &str, origin: &str, page: &str) -> String {
    let origin_html = escape::html(origin);
    if let Some(rest) = url.strip_prefix("//") {
        return match origin.split_once("://") {
            Some((scheme, _)) => format!("{scheme}://{rest}"),
            None => url.to_string(),
        };
    }
    if url.starts_with('/') {
        return format!("{origin_html}{url}");
    }
    if has_scheme(url) {
        return url.to_string();
    }
    // A query or fragment only, or nothing: the page itself.
    if url.is_empty() || url.starts_with('#') || url.starts_with('?') {
        return format!("{origin_html}{}{url}", escape::html(page));
    }
    let split = url.find(['?', '#']).unwrap_or(url.len());
    let (path, tail) = url.split_at(split);
    let directory = &page[..page.rfind('/').map_or(0, |p| p + 1)];
    let merged = remove_dot_segments(&format!("{directory}{path}"));
    format!("{origin_html}{}{tail}", escape::html(&merged))
}

/// Whether `url` starts with a scheme (`https:`, `mailto:`, `data:`…).
fn has_scheme(url: &str) -> bool {
    let Some(colon) = url.find(':') else {
        return false;
    };
    let scheme = &url[..colon];
    scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// `.` and `..` segments of an absolute path resolved (RFC 3986, section 5.2.4).
fn remove_dot_segments(path: &str) -> String {
    let mut segments: Vec<&str> = Vec::new();
    let parts: Vec<&str> = path.split('/').collect();
    for (i, part) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        match *part {
            "." => {
                if last {
                    segments.push("");
                }
            }
            ".." => {
                if segments.len() > 1 {
                    segments.pop();
                }
                if last {
                    segments.push("");
                }
            }
            other => segments.push(other),
        }
    }
    let joined = segments.join("/");
    if joined.starts_with('/') {
        joined
    } else {
        format!("/{joined}")
    }
}

/// The text of `html`: tags and comments dropped, character references decoded, spaces
/// collapsed, one line per paragraph, list item or heading (no blank lines).
pub fn plain_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    // Line breaks in the HTML are spaces; only block elements break lines.
    let push =
        |text: &mut String, raw: &str| text.push_str(&decode(raw).replace(['\n', '\r'], " "));
    while let Some(lt) = rest.find('<') {
        push(&mut text, &rest[..lt]);
        rest = &rest[lt..];
        if rest.starts_with("<!--") {
            rest = rest.find("-->").map_or("", |end| &rest[end + 3..]);
            continue;
        }
        if !rest[1..].starts_with(|c: char| c.is_ascii_alphabetic() || c == '/') {
            text.push('<');
            rest = &rest[1..];
            continue;
        }
        let end = scan_tag(rest, 0).end;
        let name: String = rest[1..]
            .trim_start_matches('/')
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase();
        if matches!(
            name.as_str(),
            "p" | "br"
                | "li"
                | "div"
                | "tr"
                | "blockquote"
                | "pre"
                | "ul"
                | "ol"
                | "table"
                | "h1"
                | "h2"
                | "h3"
                | "h4"
                | "h5"
                | "h6"
        ) {
            text.push('\n');
        } else if matches!(name.as_str(), "td" | "th") {
            text.push(' ');
        }
        rest = &rest[end.min(rest.len())..];
    }
    push(&mut text, rest);
    let lines: Vec<String> = text
        .lines()
        .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|line| !line.is_empty())
        .collect();
    lines.join("\n")
}

/// Character references decoded (see [`crate::escape::reference`]); `&nbsp;` stays a
/// no-break space.
fn decode(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    crate::escape::decode_into(&mut out, text, '\u{a0}');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const ORIGIN: &str = "https://example.org";
    const PAGE: &str = "/briefs/crossfire/";

    #[test]
    fn every_kind_of_url_becomes_absolute() {
        let html = concat!(
            r##"<p><a href="/briefs/x/">site</a> <a href="#fn-1">note</a> "##,
            r#"<a href='../other/?a=1&amp;b=2#top'>rel</a> <a href=map.png>bare</a> "#,
            r#"<a href="https://elsewhere.org/">web</a> <a href="mailto:a@b.c">mail</a> "#,
            r#"<img src="//cdn.example.net/i.png" alt="x"> <a title="/not-a-url" href="?q=1">q</a></p>"#,
            r#"<!-- <a href="/commented/"> -->"#
        );
        let out = absolute_urls(html, ORIGIN, PAGE);
        for expected in [
            r#"href="https://example.org/briefs/x/""#,
            r#"href="https://example.org/briefs/crossfire/#fn-1""#,
            r#"href='https://example.org/briefs/other/?a=1&amp;b=2#top'"#,
            "href=https://example.org/briefs/crossfire/map.png>",
            r#"href="https://elsewhere.org/""#,
            r#"href="mailto:a@b.c""#,
            r#"src="https://cdn.example.net/i.png""#,
            r#"title="/not-a-url" href="https://example.org/briefs/crossfire/?q=1""#,
            r#"<!-- <a href="/commented/"> -->"#,
        ] {
            assert!(out.contains(expected), "{expected} missing in {out}");
        }
    }

    #[test]
    fn srcset_candidates_each_become_absolute() {
        let out = absolute_urls(
            r#"<img srcset="/a-480.jpg 480w, b-800.jpg 800w" src="/a.jpg">"#,
            ORIGIN,
            PAGE,
        );
        assert_eq!(
            out,
            r#"<img srcset="https://example.org/a-480.jpg 480w, https://example.org/briefs/crossfire/b-800.jpg 800w" src="https://example.org/a.jpg">"#
        );
    }

    #[test]
    fn without_an_origin_urls_are_site_absolute() {
        assert_eq!(
            absolute_urls(r##"<a href="#x">x</a>"##, "", "/sub/briefs/b/"),
            r##"<a href="/sub/briefs/b/#x">x</a>"##
        );
        assert_eq!(remove_dot_segments("/a/b/../../../c/./d"), "/c/d");
        assert_eq!(remove_dot_segments("/a/b/.."), "/a/");
    }

    #[test]
    fn plain_text_keeps_blocks_apart_and_decodes_references() {
        let text = plain_text(
            "<p>Rockets &amp; drones<br>hit <em>Al-Asad</em>\nat night.</p>\n<ul><li>One</li><li>Two &#8212; &#x41;</li></ul><!-- x --><p>a &lt; b &bogus; 1<2</p>",
        );
        assert_eq!(
            text,
            "Rockets & drones\nhit Al-Asad at night.\nOne\nTwo \u{2014} A\na < b &bogus; 1<2"
        );
    }
}
