//! Links and images in Markdown: relative paths to `.md` files become the target's URL,
//! relative paths to assets become the asset's URL, and anything that resolves to nothing
//! is an error with its file, line and column. A URL whose scheme is not allowed
//! ([`crate::url`]) is an error at the URL as written. Anchors into other files are
//! recorded for checking once every file's heading ids are known.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, LinkType, Parser, Tag};

use super::{Events, LinkCheck, LinkContext};
use crate::diagnostics::Diagnostic;
use crate::load::Source;
use crate::url::{self, UrlKind, UrlUse};

/// A link reference definition (`[label]: dest`) of a body: where it is written, for
/// errors about its destination.
#[derive(Debug, Clone)]
pub struct RefDef {
    /// The label, lowercased.
    pub label: String,
    /// The destination, as the parser read it.
    pub dest: String,
    /// Byte range of the definition in the body.
    pub span: Range<usize>,
}

/// The reference definitions of a parser's document, sorted by position.
pub fn ref_defs<'a, F>(parser: &Parser<'a, F>) -> Vec<RefDef>
where
    F: pulldown_cmark::BrokenLinkCallback<'a>,
{
    let mut defs: Vec<RefDef> = parser
        .reference_definitions()
        .iter()
        .map(|(label, def)| RefDef {
            label: label.to_lowercase(),
            dest: def.dest.to_string(),
            span: def.span.clone(),
        })
        .collect();
    defs.sort_by_key(|d| d.span.start);
    defs
}

/// The written length (in characters) of a link destination starting at `text` (not in
/// `<…>`): up to whitespace or an unbalanced `)`.
fn written_len(text: &str) -> usize {
    let mut depth = 0usize;
    let mut escaped = false;
    let mut len = 0;
    for c in text.chars() {
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c.is_whitespace() {
            break;
        } else if c == '(' {
            depth += 1;
        } else if c == ')' {
            if depth == 0 {
                break;
            }
            depth -= 1;
        }
        len += 1;
    }
    len.max(1)
}

/// Skips the whitespace and the `<` before a destination, from byte `at` of `body`.
fn skip_to_dest(body: &str, at: usize) -> usize {
    let rest = body.get(at..).unwrap_or("");
    let skipped = rest.len() - rest.trim_start().len();
    let at = at + skipped;
    if body.get(at..).is_some_and(|r| r.starts_with('<')) {
        at + 1
    } else {
        at
    }
}

/// Where the destination of the link or image starting at `events[i]` is written in the
/// body (a byte offset), and the written length: in the `(…)` after its text, inside the
/// `<…>` of an autolink, or in the reference definition it uses.
fn dest_position(events: &Events, i: usize, body: &str, defs: &[RefDef]) -> (usize, usize) {
    let (event, range) = &events[i];
    let (link_type, dest, id) = match event {
        Event::Start(
            Tag::Link {
                link_type,
                dest_url,
                id,
                ..
            }
            | Tag::Image {
                link_type,
                dest_url,
                id,
                ..
            },
        ) => (*link_type, dest_url.as_ref(), id.as_ref()),
        _ => return (range.start, 1),
    };
    let at = match link_type {
        LinkType::Autolink | LinkType::Email => Some(range.start + 1),
        LinkType::Inline => {
            // The text ends where the last event inside the link ends.
            let mut depth = 0usize;
            let mut text_end = range.start + 1;
            for (e, r) in &events[i + 1..] {
                match e {
                    Event::Start(_) => depth += 1,
                    Event::End(_) if depth == 0 => break,
                    Event::End(_) => depth -= 1,
                    _ => {}
                }
                text_end = text_end.max(r.end);
            }
            body.get(text_end..range.end)
                .and_then(|t| t.find("]("))
                .map(|i| skip_to_dest(body, text_end + i + 2))
        }
        LinkType::Reference
        | LinkType::Collapsed
        | LinkType::Shortcut
        | LinkType::ReferenceUnknown
        | LinkType::CollapsedUnknown
        | LinkType::ShortcutUnknown => {
            let label = id.to_lowercase();
            defs.iter()
                .find(|d| d.dest == dest && d.label == label)
                .or_else(|| defs.iter().find(|d| d.dest == dest))
                .and_then(|d| {
                    body.get(d.span.clone())
                        .and_then(|t| t.find("]:"))
                        .map(|i| skip_to_dest(body, d.span.start + i + 2))
                })
        }
        LinkType::WikiLink { .. } => None,
    };
    match at {
        Some(at) if at <= body.len() => {
            let pointy = at > 0 && body.as_bytes()[at - 1] == b'<';
            let rest = &body[at..];
            let len = if pointy {
                rest.find('>')
                    .map_or(1, |i| rest[..i].chars().count().max(1))
            } else {
                written_len(rest)
            };
            (at, len)
        }
        _ => (range.start, 1),
    }
}

/// What a link destination points at.
#[derive(Debug, PartialEq, Eq)]
enum Target {
    /// Leave as written (external, `mailto:`, same-page anchor).
    Keep,
    /// A path under `content/`, with an optional fragment.
    Content {
        path: String,
        fragment: Option<String>,
    },
    /// Climbs out of `content/`.
    Outside,
}

fn has_scheme(dest: &str) -> bool {
    let Some(colon) = dest.find(':') else {
        return false;
    };
    let scheme = &dest[..colon];
    !scheme.is_empty()
        && scheme
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// Joins `dest` to the folder of `content_path` and normalises `.` and `..`.
fn classify(dest: &str, content_path: &str) -> Target {
    if dest.is_empty() || dest.starts_with('#') || dest.starts_with("//") || has_scheme(dest) {
        return Target::Keep;
    }
    let (path, fragment) = match dest.split_once('#') {
        Some((p, f)) => (p, Some(f.to_string())),
        None => (dest, None),
    };
    let path = path.split('?').next().unwrap_or(path);
    let path = path.replace("%20", " ");
    let mut parts: Vec<&str> = if path.starts_with('/') {
        Vec::new()
    } else {
        content_path.split('/').collect()
    };
    if !path.starts_with('/') {
        parts.pop();
    }
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Target::Outside;
                }
            }
            s => parts.push(s),
        }
    }
    Target::Content {
        path: parts.join("/"),
        fragment,
    }
}

/// The error for a destination whose scheme is not allowed, if it is one.
pub fn refused(dest: &str, url_use: UrlUse) -> Option<String> {
    url::check(dest, url_use)
        .err()
        .map(|r| format!("{}: `{}`", r.message(url_use), dest.escape_debug()))
}

/// Rewrites every link and image destination; records anchors to check; reports misses
/// and destinations whose scheme is not allowed.
pub fn rewrite(
    events: &mut Events,
    source: &Source,
    defs: &[RefDef],
    content_path: &str,
    ctx: &LinkContext,
    checks: &mut Vec<LinkCheck>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let body = source.body();
    for i in 0..events.len() {
        let url_use = match &events[i].0 {
            Event::Start(Tag::Link {
                link_type: LinkType::Email,
                ..
            }) => continue, // written as `mailto:` + the address
            Event::Start(Tag::Link { .. }) => UrlUse::Link,
            Event::Start(Tag::Image { .. }) => UrlUse::Image,
            _ => continue,
        };
        let refusal = match &events[i].0 {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                match url::check(dest_url, url_use) {
                    Ok(UrlKind::Relative) => None,
                    Ok(_) => continue,
                    Err(_) => refused(dest_url, url_use),
                }
            }
            _ => continue,
        };
        if let Some(message) = refusal {
            let (at, len) = dest_position(events, i, body, defs);
            diagnostics.push(source.body_error(at, message).span(len).hint(url::hint()));
            if let (Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }), _) =
                &mut events[i]
            {
                *dest_url = CowStr::from("#");
            }
            continue;
        }
        let (event, range) = &mut events[i];
        let span = body
            .get(range.clone())
            .and_then(|t| t.lines().next())
            .map_or(1, |l| l.chars().count());
        let Event::Start(Tag::Link { dest_url: dest, .. } | Tag::Image { dest_url: dest, .. }) =
            event
        else {
            continue;
        };
        if dest.starts_with('/') && !dest.starts_with("//") {
            // Site-absolute: under the base path.
            let rewritten = format!("{}{}", ctx.base_path, dest.trim_start_matches('/'));
            *dest = CowStr::from(rewritten);
            continue;
        }
        match classify(dest, content_path) {
            Target::Keep => {}
            Target::Outside => diagnostics.push(
                source
                    .body_error(range.start, format!("`{dest}` points outside content/"))
                    .span(span)
                    .hint("link to a file inside content/"),
            ),
            Target::Content { path, fragment } => {
                let at = source.body_error(range.start, String::new()).span(span);
                match content_url(&path, fragment, dest, &at, ctx, checks) {
                    Ok(url) => *dest = CowStr::from(url),
                    Err(problem) => diagnostics.push(problem),
                }
            }
        }
    }
}

/// The URL a relative link `dest` to `path` (under `content/`) becomes, with its
/// `fragment`, whose heading is checked once every body is rendered (`checks`). `at` is
/// where the link is written; `Err`: what is wrong with it.
fn content_url(
    path: &str,
    fragment: Option<String>,
    dest: &str,
    at: &Diagnostic,
    ctx: &LinkContext,
    checks: &mut Vec<LinkCheck>,
) -> Result<String, Diagnostic> {
    let problem = |why: String| {
        let mut d = at.clone();
        d.message = format!("link to `{dest}`: content/{path} {why}");
        d.hint("fix the path: it is relative to this file's folder")
    };
    let url = if path.ends_with(".md") {
        let Some(url) = ctx.urls.get(path) else {
            let why = if ctx.drafts.iter().any(|d| d == path) {
                "is a draft, which is built only with --drafts"
            } else {
                "does not exist"
            };
            return Err(problem(why.to_string()));
        };
        if let Some(f) = &fragment {
            checks.push(LinkCheck {
                target: path.to_string(),
                anchor: f.clone(),
                written: dest.to_string(),
                at: at.clone(),
            });
        }
        url.clone()
    } else if ctx.assets.contains(path) {
        format!("{}{}", ctx.base_path, path)
    } else {
        return Err(problem("does not exist".to_string()));
    };
    Ok(match fragment {
        Some(f) => format!("{url}#{f}"),
        None => url,
    })
}

/// Resolves an asset reference written in front matter (a cover image): a URL stays as it
/// is; a relative path must name a file under `content/` and becomes its URL.
pub fn resolve_asset(dest: &str, content_path: &str, ctx: &LinkContext) -> Result<String, String> {
    if let Some(message) = refused(dest, UrlUse::Image) {
        return Err(message);
    }
    match classify(dest, content_path) {
        Target::Keep => Ok(dest.to_string()),
        Target::Outside => Err(format!("`{dest}` points outside content/")),
        Target::Content { path, .. } if ctx.assets.contains(path.as_str()) => {
            Ok(format!("{}{}", ctx.base_path, path))
        }
        Target::Content { path, .. } => Err(format!("`{dest}`: content/{path} does not exist")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_destinations() {
        assert_eq!(classify("https://x.org", "briefs/a.md"), Target::Keep);
        assert_eq!(classify("mailto:a@b.c", "briefs/a.md"), Target::Keep);
        assert_eq!(classify("#top", "briefs/a.md"), Target::Keep);
        assert_eq!(
            classify("../events/x.md#when", "briefs/a.md"),
            Target::Content {
                path: "events/x.md".into(),
                fragment: Some("when".into())
            }
        );
        assert_eq!(
            classify("map.png", "briefs/2021/a.md"),
            Target::Content {
                path: "briefs/2021/map.png".into(),
                fragment: None
            }
        );
        assert_eq!(
            classify("../../../etc/passwd", "briefs/a.md"),
            Target::Outside
        );
    }
}
