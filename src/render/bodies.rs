//! Every document's Markdown rendered (in parallel), then the checks that need all of
//! them: anchors into other files, and key points or recommendations given twice.

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::Source;
use crate::markdown::{self, BodyInput, Item, LinkContext, ListSection, RenderedBody};
use crate::resolve::{Brief, Graph};

/// A brief's body with front-matter key points and recommendations folded in.
#[derive(Debug, Clone, Default)]
pub struct BriefBody {
    pub rendered: RenderedBody,
    /// Summary as HTML (front matter, else the first key point).
    pub summary_html: String,
    /// Summary as plain text.
    pub summary_text: String,
    /// The cover image's URL, if the brief has one.
    pub image_url: Option<String>,
}

/// Rendered bodies of every document, by the graph's indexes.
#[derive(Debug, Clone, Default)]
pub struct Bodies {
    pub briefs: Vec<BriefBody>,
    /// `None` for implicit actors.
    pub actors: Vec<Option<RenderedBody>>,
    /// `None` for events only declared inline.
    pub events: Vec<Option<RenderedBody>>,
    pub pages: Vec<RenderedBody>,
}

/// Renders every body and reports what is wrong in them.
pub fn render_all(graph: &Graph, diagnostics: &mut Diagnostics) -> Bodies {
    let assets: HashSet<&str> = graph
        .assets
        .iter()
        .map(|a| a.content_path.as_str())
        .collect();
    let actor_urls: Vec<String> = graph.actors.iter().map(|a| a.url.clone()).collect();
    let ctx = LinkContext {
        urls: &graph.urls,
        drafts: &graph.drafts,
        assets: &assets,
        base_path: &graph.base_path,
        actor_urls: &actor_urls,
        autolink: graph.config.autolink,
        unsafe_html: graph.config.unsafe_html,
    };
    let plain = |source: &Source, content_path: &str| {
        markdown::render_body(
            &BodyInput {
                source,
                content_path,
                structured: false,
                mentions: None,
                reserved_ids: &[],
            },
            &ctx,
        )
    };
    let briefs: Vec<BriefBody> = graph
        .briefs
        .par_iter()
        .map(|b| brief_body(b, graph, &ctx))
        .collect();
    let actors: Vec<Option<RenderedBody>> = graph
        .actors
        .par_iter()
        .map(|a| a.doc.as_ref().map(|d| plain(&d.source, &d.content_path)))
        .collect();
    let events: Vec<Option<RenderedBody>> = graph
        .events
        .par_iter()
        .map(|e| e.doc.as_ref().map(|d| plain(&d.source, &d.content_path)))
        .collect();
    let pages: Vec<RenderedBody> = graph
        .pages
        .par_iter()
        .map(|p| plain(&p.doc.source, &p.doc.content_path))
        .collect();
    let bodies = Bodies {
        briefs,
        actors,
        events,
        pages,
    };
    check(graph, &bodies, diagnostics);
    bodies
}

fn brief_body(brief: &Brief, graph: &Graph, ctx: &LinkContext) -> BriefBody {
    let front = &brief.doc.front;
    let mut reserved: Vec<&str> = Vec::new();
    if front.key_points.is_some() {
        reserved.push("key-points");
    }
    if front.recommendations.is_some() {
        reserved.push("recommendations");
    }
    let input = BodyInput {
        source: &brief.doc.source,
        content_path: &brief.doc.content_path,
        structured: true,
        mentions: Some(&graph.mentions),
        reserved_ids: &reserved,
    };
    let mut rendered = markdown::render_body(&input, ctx);
    let unsafe_html = graph.config.unsafe_html;
    let from_front = |id: &str, title: &str, list: &[String]| ListSection {
        id: id.to_string(),
        title: title.to_string(),
        items: list
            .iter()
            .map(|text| Item {
                title: None,
                id: None,
                html: markdown::render_inline(text, unsafe_html),
                text: markdown::inline_text(text),
            })
            .collect(),
        notes: String::new(),
        offset: 0,
    };
    let source = &brief.doc.source;
    if let Some(list) = &front.key_points {
        if let Some(body) = &rendered.parts.key_points {
            rendered
                .diagnostics
                .push(twice(source, body.offset, "key points", "key_points"));
        }
        rendered.parts.key_points = Some(from_front("key-points", "Key Points", list));
    }
    if let Some(list) = &front.recommendations {
        if let Some(body) = &rendered.parts.recommendations {
            rendered.diagnostics.push(twice(
                source,
                body.offset,
                "recommendations",
                "recommendations",
            ));
        }
        rendered.parts.recommendations =
            Some(from_front("recommendations", "Recommendations", list));
    }
    let (summary_html, summary_text) = match &front.summary {
        Some(s) => (
            markdown::render_inline(s, unsafe_html),
            markdown::inline_text(s),
        ),
        None => {
            let first = rendered
                .parts
                .key_points
                .as_ref()
                .and_then(|k| k.items.first());
            let text = first.map(|i| i.text.clone()).unwrap_or_default();
            (crate::markdown::highlight::html_escape(&text), text)
        }
    };
    let image_url = front.image.as_ref().and_then(|image| {
        let src = image.to_image().src;
        match markdown::links::resolve_asset(&src, &brief.doc.content_path, ctx) {
            Ok(url) => Some(url),
            Err(message) => {
                let (line, col) = source.locate_in_front("image", &src);
                rendered.diagnostics.push(
                    Diagnostic::error(source.path.clone(), format!("cover image {message}"))
                        .at(&source.text, line, col)
                        .hint("the image path is relative to the brief's folder"),
                );
                None
            }
        }
    });
    BriefBody {
        rendered,
        summary_html,
        summary_text,
        image_url,
    }
}

fn twice(source: &Source, offset: usize, what: &str, key: &str) -> Diagnostic {
    source
        .body_error(
            offset,
            format!("{what} are given twice: in the front matter (`{key}:`) and in this section"),
        )
        .hint(format!(
            "keep one: remove `{key}:` from the front matter or this section of the body"
        ))
}

/// Anchor checks, and every body's own diagnostics.
fn check(graph: &Graph, bodies: &Bodies, diagnostics: &mut Diagnostics) {
    let mut ids: HashMap<&str, HashSet<&str>> = HashMap::new();
    for (b, body) in graph.briefs.iter().zip(&bodies.briefs) {
        ids.insert(
            &b.doc.content_path,
            body.rendered.ids.iter().map(String::as_str).collect(),
        );
    }
    for (a, body) in graph.actors.iter().zip(&bodies.actors) {
        if let (Some(doc), Some(body)) = (&a.doc, body) {
            ids.insert(
                &doc.content_path,
                body.ids.iter().map(String::as_str).collect(),
            );
        }
    }
    for (e, body) in graph.events.iter().zip(&bodies.events) {
        if let (Some(doc), Some(body)) = (&e.doc, body) {
            ids.insert(
                &doc.content_path,
                body.ids.iter().map(String::as_str).collect(),
            );
        }
    }
    for (p, body) in graph.pages.iter().zip(&bodies.pages) {
        ids.insert(
            &p.doc.content_path,
            body.ids.iter().map(String::as_str).collect(),
        );
    }
    let mut report = |source: &Source, body: &RenderedBody| {
        diagnostics.extend(body.diagnostics.iter().cloned());
        for check in &body.link_checks {
            let known = ids.get(check.target.as_str());
            if known.is_some_and(|k| !k.contains(check.anchor.as_str())) {
                let near =
                    known.and_then(|k| crate::suggest::nearest(&check.anchor, k.iter().copied()));
                let hint = match near {
                    Some(n) => format!("did you mean `#{n}`?"),
                    None => "link to a heading of that file: its id is the heading in lowercase, spaces as `-`".to_string(),
                };
                diagnostics.push(
                    source
                        .body_error(
                            check.offset,
                            format!(
                                "link to `{}`: content/{} has no heading `#{}`",
                                check.written, check.target, check.anchor
                            ),
                        )
                        .span(check.span)
                        .hint(hint),
                );
            }
        }
    };
    for (b, body) in graph.briefs.iter().zip(&bodies.briefs) {
        report(&b.doc.source, &body.rendered);
    }
    for (a, body) in graph.actors.iter().zip(&bodies.actors) {
        if let (Some(doc), Some(body)) = (&a.doc, body) {
            report(&doc.source, body);
        }
    }
    for (e, body) in graph.events.iter().zip(&bodies.events) {
        if let (Some(doc), Some(body)) = (&e.doc, body) {
            report(&doc.source, body);
        }
    }
    for (p, body) in graph.pages.iter().zip(&bodies.pages) {
        report(&p.doc.source, body);
    }
}
