//! Links and images in Markdown: relative paths to `.md` files become the target's URL,
//! relative paths to assets become the asset's URL, and anything that resolves to nothing
//! is an error with its file, line and column. Anchors into other files are recorded for
//! checking once every file's heading ids are known.

use pulldown_cmark::{CowStr, Event, Tag};

use super::{Events, LinkCheck, LinkContext};
use crate::diagnostics::Diagnostic;
use crate::load::Source;

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

/// Rewrites every link and image destination; records anchors to check; reports misses.
pub fn rewrite(
    events: &mut Events,
    source: &Source,
    content_path: &str,
    ctx: &LinkContext,
    checks: &mut Vec<LinkCheck>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let body = source.body();
    for (event, range) in events.iter_mut() {
        let span = body
            .get(range.clone())
            .and_then(|t| t.lines().next())
            .map_or(1, |l| l.chars().count());
        let dest = match event {
            Event::Start(Tag::Link { dest_url, .. })
            | Event::Start(Tag::Image { dest_url, .. }) => dest_url,
            _ => continue,
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
                let url = if path.ends_with(".md") {
                    match ctx.urls.get(&path) {
                        Some(url) => {
                            if let Some(f) = &fragment {
                                checks.push(LinkCheck {
                                    target: path.clone(),
                                    anchor: f.clone(),
                                    written: dest.to_string(),
                                    at: source.body_error(range.start, String::new()).span(span),
                                });
                            }
                            url.clone()
                        }
                        None => {
                            let why = if ctx.drafts.contains(&path) {
                                "is a draft, which is built only with --drafts"
                            } else {
                                "does not exist"
                            };
                            diagnostics.push(
                                source
                                    .body_error(
                                        range.start,
                                        format!("link to `{dest}`: content/{path} {why}"),
                                    )
                                    .span(span)
                                    .hint("fix the path: it is relative to this file's folder"),
                            );
                            continue;
                        }
                    }
                } else if ctx.assets.contains(path.as_str()) {
                    format!("{}{}", ctx.base_path, path)
                } else {
                    diagnostics.push(
                        source
                            .body_error(
                                range.start,
                                format!("link to `{dest}`: content/{path} does not exist"),
                            )
                            .span(span)
                            .hint("fix the path: it is relative to this file's folder"),
                    );
                    continue;
                };
                let full = match fragment {
                    Some(f) => format!("{url}#{f}"),
                    None => url,
                };
                *dest = CowStr::from(full);
            }
        }
    }
}

/// Resolves an asset reference written in front matter (a cover image): a URL stays as it
/// is; a relative path must name a file under `content/` and becomes its URL.
pub fn resolve_asset(dest: &str, content_path: &str, ctx: &LinkContext) -> Result<String, String> {
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
