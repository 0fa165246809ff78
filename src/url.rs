//! Which URLs an author may write: the one check every `href` and `src` that briefly
//! writes from Markdown or front matter goes through.
//!
//! Allowed: `http:`, `https:`, `mailto:`, `tel:`, protocol-relative `//host/…` (the
//! page's own scheme, so http or https once published), relative URLs (`page/`, `./x`,
//! `../x`, `/x`, `?q`) and `#fragment`s; for image sources also `data:image/…` (SVG
//! included: an SVG in `<img>` never runs script). Anything else is refused:
//! `javascript:`, `vbscript:`, `data:text/html`, `file:`, any unknown scheme.
//!
//! The scheme is read the way a browser reads it (the WHATWG URL parser): leading and
//! trailing C0 controls and spaces are dropped, ASCII tabs and newlines are removed
//! anywhere, and the scheme is case-insensitive. HTML character references are decoded
//! first, in case the string reaches a page unescaped. A percent-escape never makes a
//! scheme (`%6Aavascript:` is a relative path to a browser too).
//!
//! This module is low: it imports nothing from the build's stages.

use std::borrow::Cow;

/// Where a URL is used: a link (`href`) or an image source (`src`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlUse {
    /// In an `href`.
    Link,
    /// In a `src`.
    Image,
}

/// What an allowed URL is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlKind {
    /// A path, a query or empty: resolved against the page.
    Relative,
    /// `#fragment` on the same page.
    Fragment,
    /// `http:`, `https:` or protocol-relative `//host`.
    Web,
    /// `mailto:`.
    Mailto,
    /// `tel:`.
    Tel,
    /// `data:image/…` (images only).
    DataImage,
}

/// Why a URL is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    /// The scheme as a browser would read it, lowercased (`javascript`).
    pub scheme: String,
}

impl Refused {
    /// A one-line reason, naming the scheme.
    pub fn message(&self, url_use: UrlUse) -> String {
        let what = match url_use {
            UrlUse::Link => "link",
            UrlUse::Image => "image source",
        };
        if self.scheme == "data" {
            match url_use {
                UrlUse::Link => format!("a `data:` URL is not allowed as a {what}"),
                UrlUse::Image => {
                    format!("a `data:` URL that is not `data:image/…` is not allowed as an {what}")
                }
            }
        } else {
            format!("the URL scheme `{}:` is not allowed", self.scheme)
        }
    }
}

/// The schemes allowed, for hints.
pub const ALLOWED: &str = "allowed are `http:`, `https:`, `mailto:`, `tel:`, relative URLs and `#fragment`s (and `data:image/…` for images)";

/// Where the user guide explains it.
pub const DOCS: &str = "docs/content.md#links-and-urls";

/// A hint for a refused URL.
pub fn hint() -> String {
    format!("{ALLOWED}; see {DOCS}")
}

/// Classifies a URL an author wrote, as used in `url_use`.
pub fn check(url: &str, url_use: UrlUse) -> Result<UrlKind, Refused> {
    let decoded = decode_references(url);
    let cleaned = browser_clean(&decoded);
    let Some(scheme_end) = scheme_end(&cleaned) else {
        return Ok(if cleaned.starts_with('#') {
            UrlKind::Fragment
        } else if cleaned.starts_with("//") || cleaned.starts_with("\\\\") {
            UrlKind::Web
        } else {
            UrlKind::Relative
        });
    };
    let scheme = cleaned[..scheme_end].to_ascii_lowercase();
    let rest = &cleaned[scheme_end + 1..];
    match scheme.as_str() {
        "http" | "https" => Ok(UrlKind::Web),
        "mailto" => Ok(UrlKind::Mailto),
        "tel" => Ok(UrlKind::Tel),
        "data" if url_use == UrlUse::Image && is_image_media_type(rest) => Ok(UrlKind::DataImage),
        _ => Err(Refused { scheme }),
    }
}

/// Whether `url` is allowed as `url_use`.
pub fn is_allowed(url: &str, url_use: UrlUse) -> bool {
    check(url, url_use).is_ok()
}

/// What the WHATWG URL parser does before reading a scheme: strip leading and trailing
/// C0 controls and spaces, remove ASCII tab and newline everywhere.
fn browser_clean(url: &str) -> Cow<'_, str> {
    let trimmed = url.trim_matches(|c: char| c <= ' ');
    if trimmed.contains(['\t', '\n', '\r']) {
        Cow::Owned(trimmed.replace(['\t', '\n', '\r'], ""))
    } else {
        Cow::Borrowed(trimmed)
    }
}

/// The byte index of the `:` that ends the URL's scheme, if it has one: an ASCII letter,
/// then letters, digits, `+`, `-`, `.`, then `:`.
fn scheme_end(url: &str) -> Option<usize> {
    let mut chars = url.char_indices();
    if !chars.next().is_some_and(|(_, c)| c.is_ascii_alphabetic()) {
        return None;
    }
    for (i, c) in chars {
        if c == ':' {
            return Some(i);
        }
        if !(c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')) {
            return None;
        }
    }
    None
}

/// Whether a `data:` URL's body (after `data:`) starts with an `image/…` media type.
fn is_image_media_type(rest: &str) -> bool {
    let end = rest.find([';', ',']).unwrap_or(rest.len());
    let media = rest[..end].trim().to_ascii_lowercase();
    media
        .strip_prefix("image/")
        .is_some_and(|sub| !sub.is_empty() && rest[end..].contains(','))
}

/// Decodes HTML character references that could spell a scheme: numeric ones (`&#106;`,
/// `&#x6A;`, with or without `;`, as browsers read them in attributes) and the named
/// ones for ASCII punctuation a scheme may hold (`&colon;`, `&Tab;`, `&NewLine;`,
/// `&period;`, `&plus;`, `&hyphen;`, `&amp;`).
fn decode_references(url: &str) -> Cow<'_, str> {
    if !url.contains('&') {
        return Cow::Borrowed(url);
    }
    let mut out = String::with_capacity(url.len());
    let mut rest = url;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        match decode_one(after) {
            Some((c, used)) => {
                out.push(c);
                rest = &after[used..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// Decodes the reference at the start of `s` (just after `&`): the character and the
/// bytes used.
fn decode_one(s: &str) -> Option<(char, usize)> {
    if let Some(num) = s.strip_prefix('#') {
        let (hex, digits_at) = match num.as_bytes().first() {
            Some(b'x' | b'X') => (true, 2),
            _ => (false, 1),
        };
        let digits: &str = &s[digits_at..];
        let len = digits
            .bytes()
            .take_while(|b| {
                if hex {
                    b.is_ascii_hexdigit()
                } else {
                    b.is_ascii_digit()
                }
            })
            .count();
        if len == 0 {
            return None;
        }
        let value = u32::from_str_radix(&digits[..len.min(8)], if hex { 16 } else { 10 }).ok()?;
        let c = char::from_u32(value).unwrap_or('\u{fffd}');
        let mut used = digits_at + len;
        if s[used..].starts_with(';') {
            used += 1;
        }
        return Some((c, used));
    }
    const NAMED: &[(&str, char)] = &[
        ("colon;", ':'),
        ("Tab;", '\t'),
        ("NewLine;", '\n'),
        ("period;", '.'),
        ("plus;", '+'),
        ("hyphen;", '-'),
        ("amp;", '&'),
    ];
    NAMED
        .iter()
        .find(|(name, _)| s.starts_with(name))
        .map(|(name, c)| (*c, name.len()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use UrlKind::*;
    use UrlUse::{Image, Link};

    #[test]
    fn allowed_urls() {
        let cases: &[(&str, UrlUse, UrlKind)] = &[
            ("https://example.org/a?b=c#d", Link, Web),
            ("http://example.org", Link, Web),
            ("HTTPS://EXAMPLE.ORG", Link, Web),
            ("  https://example.org  ", Link, Web),
            ("//cdn.example.org/x.png", Image, Web),
            ("//example.org", Link, Web),
            ("mailto:a@b.org", Link, Mailto),
            ("MailTo:a@b.org", Link, Mailto),
            ("tel:+1-555-0100", Link, Tel),
            ("#section", Link, Fragment),
            ("#", Link, Fragment),
            ("", Link, Relative),
            ("page/", Link, Relative),
            ("./a.md", Link, Relative),
            ("../events/x.md#when", Link, Relative),
            ("/briefs/a/", Link, Relative),
            ("?q=1", Link, Relative),
            ("map.png", Image, Relative),
            ("a/b:c", Link, Relative),
            ("1abc:x", Link, Relative),
            ("%6Aavascript:alert(1)", Link, Relative),
            ("javascript%3Aalert(1)", Link, Relative),
            ("\u{a0}javascript:alert(1)", Link, Relative),
            ("page?a=1&amp;b=2", Link, Relative),
            ("data:image/png;base64,iVBORw0KGgo=", Image, DataImage),
            ("DATA:IMAGE/JPEG;base64,/9j/", Image, DataImage),
            ("data:image/svg+xml,%3Csvg%3E%3C/svg%3E", Image, DataImage),
            ("data:image/gif,GIF89a", Image, DataImage),
        ];
        for (url, url_use, kind) in cases {
            assert_eq!(check(url, *url_use), Ok(*kind), "{url:?} as {url_use:?}");
        }
    }

    #[test]
    fn refused_urls() {
        let cases: &[(&str, UrlUse, &str)] = &[
            ("javascript:alert(1)", Link, "javascript"),
            ("JaVaScRiPt:alert(1)", Link, "javascript"),
            (" javascript:alert(1)", Link, "javascript"),
            ("\u{0}\u{1f} javascript:alert(1)", Link, "javascript"),
            ("javascript:alert(1)\u{7}", Link, "javascript"),
            ("java\tscript:alert(1)", Link, "javascript"),
            ("java\nscript:alert(1)", Link, "javascript"),
            ("java\r\nscript:alert(1)", Link, "javascript"),
            ("j\ta\nv\ra\tscript:alert(1)", Image, "javascript"),
            ("jav&#x61;script:alert(1)", Link, "javascript"),
            ("jav&#X61script:alert(1)", Link, "javascript"),
            ("&#106;avascript:alert(1)", Link, "javascript"),
            ("&#0000106avascript:alert(1)", Link, "javascript"),
            ("javascript&colon;alert(1)", Link, "javascript"),
            ("java&Tab;script:alert(1)", Link, "javascript"),
            ("java&NewLine;script:alert(1)", Link, "javascript"),
            ("java&#9;script:alert(1)", Link, "javascript"),
            ("vbscript:msgbox(1)", Link, "vbscript"),
            ("VBScript:msgbox(1)", Image, "vbscript"),
            ("data:text/html,<script>alert(1)</script>", Link, "data"),
            ("data:text/html;base64,PHNjcmlwdD4=", Image, "data"),
            ("data:image/png;base64,iVBORw0KGgo=", Link, "data"),
            ("data:image/svg+xml,<svg onload=alert(1)>", Link, "data"),
            ("data:,hello", Image, "data"),
            ("data:image/", Image, "data"),
            ("data:image/png", Image, "data"),
            ("file:///etc/passwd", Link, "file"),
            ("ftp://example.org", Link, "ftp"),
            ("chrome://settings", Link, "chrome"),
            ("about:blank", Link, "about"),
            ("blob:https://x/1", Image, "blob"),
            ("a:b/c", Link, "a"),
            ("x-unknown+v1.2:thing", Link, "x-unknown+v1.2"),
        ];
        for (url, url_use, scheme) in cases {
            assert_eq!(
                check(url, *url_use),
                Err(Refused {
                    scheme: scheme.to_string()
                }),
                "{url:?} as {url_use:?}"
            );
        }
    }

    #[test]
    fn messages_name_the_scheme() {
        let r = check("javascript:x", Link).unwrap_err();
        assert!(r.message(Link).contains("`javascript:`"));
        let d = check("data:text/html,x", Image).unwrap_err();
        assert!(d.message(Image).contains("data:image/"));
        assert!(hint().contains("#links-and-urls"));
    }

    #[test]
    fn odd_references_do_not_panic() {
        for url in [
            "&",
            "&#",
            "&#x",
            "&#;",
            "&#99999999999;",
            "&#xFFFFFFFFFF;",
            "&#xD800;",
            "é&#",
            "&colon",
            "\u{0}",
            "\t\n\r",
        ] {
            let _ = check(url, Link);
            let _ = check(url, Image);
        }
        assert!(is_allowed("\t\n\r", Link));
    }
}
