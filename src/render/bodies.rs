//! Every document's Markdown rendered (in parallel), then the checks that need all of
//! them: anchors into other files, and key points or recommendations given twice.

use std::collections::{HashMap, HashSet};

use std::sync::Arc;

use rayon::prelude::*;

use crate::hash::hash_of;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::Source;
use crate::markdown::{self, BodyInput, Item, LinkContext, ListSection, RenderedBody};
use crate::resolve::{Brief, Graph};

/// A brief's body with front-matter key points and recommendations folded in.
#[derive(Debug, Clone, Default)]
pub struct BriefBody {
    /// The body as rendered from Markdown, front-matter lists folded in.
    pub rendered: RenderedBody,
    /// Summary as HTML (front matter, else the first key point).
    pub summary_html: String,
    /// Summary as plain text.
    pub summary_text: String,
    /// The cover image's URL, if the brief has one.
    pub image_url: Option<String>,
    /// A hash of everything a page shows of this body.
    pub hash: u64,
    /// A hash of what the JSON data takes from the body: summary, key points, recommendations.
    pub data_hash: u64,
    /// In a one-shot build of a large site, the HTML of `rendered`, compressed (its strings are then empty):
    /// read it through [`BriefBody::full`] (see [`super::packed`]).
    pub packed: Option<super::packed::Packed>,
}

/// Rendered bodies of every document, by the graph's indexes.
#[derive(Debug, Clone, Default)]
pub struct Bodies {
    /// Briefs, by index in the graph.
    pub briefs: Vec<Arc<BriefBody>>,
    /// `None` for implicit actors.
    pub actors: Vec<Option<Arc<RenderedBody>>>,
    /// `None` for events only declared inline.
    pub events: Vec<Option<Arc<RenderedBody>>>,
    /// Free pages, by index in the graph.
    pub pages: Vec<Arc<RenderedBody>>,
}

/// Rendered bodies kept between rebuilds, by content path, with the key they were rendered
/// under (the file's text and everything else a body depends on).
#[derive(Default)]
pub struct BodyCache {
    briefs: HashMap<String, (u64, Arc<BriefBody>)>,
    plain: HashMap<String, (u64, Arc<RenderedBody>)>,
    /// The environment the cached bodies were last rendered in.
    env: Option<u64>,
}

/// What the link and mention passes need from the graph, gathered once per build.
pub struct LinkInputs<'g> {
    graph: &'g Graph,
    assets: HashSet<&'g str>,
    actor_urls: Vec<String>,
    locale: std::sync::Arc<crate::i18n::Locale>,
}

impl<'g> LinkInputs<'g> {
    /// Gathers the asset paths and actor URLs of `graph`.
    pub fn new(graph: &'g Graph) -> Self {
        LinkInputs {
            graph,
            assets: graph
                .assets
                .iter()
                .map(|a| a.content_path.as_str())
                .collect(),
            actor_urls: graph.actors.iter().map(|a| a.url.clone()).collect(),
            locale: super::locale_of(&graph.config),
        }
    }

    /// The context the Markdown passes read.
    pub fn context(&self) -> LinkContext<'_> {
        let g = self.graph;
        LinkContext {
            urls: &g.urls,
            drafts: &g.drafts,
            assets: &self.assets,
            base_path: &g.root_path,
            actor_urls: &self.actor_urls,
            autolink: g.config.autolink,
            unsafe_html: g.config.unsafe_html,
            locale: &self.locale,
        }
    }
}

/// Renders every body and reports what is wrong in them.
pub fn render_all(graph: &Graph, diagnostics: &mut Diagnostics) -> Bodies {
    render_cached(graph, &mut BodyCache::default(), diagnostics)
}

/// Briefs' Markdown above which a full build packs their bodies: about 18,000 briefs of
/// ordinary length. Packing trades CPU time (about a sixth of a 10k build's) for memory
/// (a third of the bodies' size); below this, the rendered bodies fit in a few hundred
/// megabytes anyway.
pub const PACK_ABOVE: usize = 256 << 20;

/// [`PACK_ABOVE`], or the number of bytes in `BRIEFLY_PACK_ABOVE` (for tests and
/// benchmarks: `0` packs every site's bodies).
fn pack_above() -> usize {
    std::env::var("BRIEFLY_PACK_ABOVE")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(PACK_ABOVE)
}

/// For a full build: renders every body like [`render_all`], but frees each brief's source
/// text as soon as its body is rendered (nothing quotes it afterwards), and on a large site
/// (over [`PACK_ABOVE`] of briefs' Markdown) packs the body's HTML ([`super::packed`]), so
/// the texts and the rendered bodies of a large site are never all in memory at once.
pub fn render_all_releasing(graph: &mut Graph, diagnostics: &mut Diagnostics) -> Bodies {
    let markdown: usize = graph.briefs.iter().map(|b| b.doc.source.text.len()).sum();
    let pack = markdown > pack_above();
    let mut briefs = std::mem::take(&mut graph.briefs);
    let rendered: Vec<Arc<BriefBody>> = {
        let graph: &Graph = graph;
        let inputs = LinkInputs::new(graph);
        let ctx = inputs.context();
        briefs
            .par_iter_mut()
            .map(|brief| {
                let mut body = brief_body(brief, graph, &ctx);
                if pack {
                    body.pack();
                }
                if let Some(doc) = Arc::get_mut(&mut brief.doc) {
                    doc.source.release_text();
                }
                Arc::new(body)
            })
            .collect()
    };
    graph.briefs = briefs;
    // Seed a cache with these bodies under the keys `render_cached` looks for: it reuses
    // them, renders the rest of the site and runs the checks.
    let env = environment(graph);
    let mut cache = BodyCache::default();
    for (brief, body) in graph.briefs.iter().zip(rendered) {
        cache.briefs.insert(
            brief.doc.content_path.clone(),
            (brief_key(env, brief.doc.source.hash), body),
        );
    }
    let mut bodies = render_in(graph, env, &mut cache, diagnostics);
    drop(cache);
    // The ids served the anchor checks, which are done.
    for body in &mut bodies.briefs {
        if let Some(body) = Arc::get_mut(body) {
            body.rendered.ids = Vec::new();
        }
    }
    bodies
}

fn brief_key(env: u64, text: u64) -> u64 {
    hash_of(&(env, text))
}

/// Everything outside a file that its rendered body depends on: link targets, assets,
/// drafts, the base path, options, and every actor's names, aliases and URL (mentions).
fn environment(graph: &Graph) -> u64 {
    let mut urls: Vec<(&String, &String)> = graph.urls.iter().collect();
    urls.sort_unstable();
    let mut assets: Vec<&str> = graph
        .assets
        .iter()
        .map(|a| a.content_path.as_str())
        .collect();
    assets.sort_unstable();
    let actors: Vec<(&str, &[String], &str)> = graph
        .actors
        .iter()
        .map(|a| (a.name.as_str(), a.aliases.as_slice(), a.url.as_str()))
        .collect();
    hash_of(&(
        urls,
        assets,
        &graph.drafts,
        &graph.root_path,
        graph.config.autolink as u8,
        graph.config.unsafe_html,
        actors,
    ))
}

/// Renders the bodies whose key changed since `cache` saw them; reuses the others.
pub fn render_cached(
    graph: &Graph,
    cache: &mut BodyCache,
    diagnostics: &mut Diagnostics,
) -> Bodies {
    render_in(graph, environment(graph), cache, diagnostics)
}

/// [`render_cached`] for a graph whose structure is that of the last one rendered into
/// `cache` (and so whose environment is the same), where only briefs `changed` (by index)
/// may have new text: those are rendered (or reused from the cache), every other body is
/// `previous`'s. The checks run on all.
pub fn render_swapped(
    graph: &Graph,
    cache: &mut BodyCache,
    previous: &Bodies,
    changed: &[usize],
    diagnostics: &mut Diagnostics,
) -> Bodies {
    let Some(env) = cache.env else {
        return render_cached(graph, cache, diagnostics);
    };
    let inputs = LinkInputs::new(graph);
    let ctx = inputs.context();
    let mut bodies = previous.clone();
    for &b in changed {
        let brief = &graph.briefs[b];
        let key = brief_key(env, brief.doc.source.hash);
        let body = match cache.briefs.get(&brief.doc.content_path) {
            Some((k, body)) if *k == key => Arc::clone(body),
            _ => Arc::new(brief_body(brief, graph, &ctx)),
        };
        cache
            .briefs
            .insert(brief.doc.content_path.clone(), (key, Arc::clone(&body)));
        bodies.briefs[b] = body;
    }
    check(graph, &bodies, diagnostics);
    bodies
}

/// [`render_cached`] with the environment hash already computed.
fn render_in(
    graph: &Graph,
    env: u64,
    cache: &mut BodyCache,
    diagnostics: &mut Diagnostics,
) -> Bodies {
    let inputs = LinkInputs::new(graph);
    let ctx = inputs.context();
    let old = std::mem::take(cache);
    let plain = |source: &Source, content_path: &str| -> (u64, Arc<RenderedBody>) {
        let key = hash_of(&(env, source.hash));
        if let Some((k, body)) = old.plain.get(content_path) {
            if *k == key {
                return (key, Arc::clone(body));
            }
        }
        let body = markdown::render_body(
            &BodyInput {
                source,
                content_path,
                structured: false,
                mentions: None,
                reserved_ids: &[],
            },
            &ctx,
        );
        (key, Arc::new(body))
    };
    let briefs: Vec<(u64, Arc<BriefBody>)> = graph
        .briefs
        .par_iter()
        .map(|b| {
            let key = brief_key(env, b.doc.source.hash);
            match old.briefs.get(&b.doc.content_path) {
                Some((k, body)) if *k == key => (key, Arc::clone(body)),
                _ => (key, Arc::new(brief_body(b, graph, &ctx))),
            }
        })
        .collect();
    let actors: Vec<Option<(u64, Arc<RenderedBody>)>> = graph
        .actors
        .par_iter()
        .map(|a| a.doc.as_ref().map(|d| plain(&d.source, &d.content_path)))
        .collect();
    let events: Vec<Option<(u64, Arc<RenderedBody>)>> = graph
        .events
        .par_iter()
        .map(|e| e.doc.as_ref().map(|d| plain(&d.source, &d.content_path)))
        .collect();
    let pages: Vec<(u64, Arc<RenderedBody>)> = graph
        .pages
        .par_iter()
        .map(|p| plain(&p.doc.source, &p.doc.content_path))
        .collect();

    for (b, (key, body)) in graph.briefs.iter().zip(&briefs) {
        cache
            .briefs
            .insert(b.doc.content_path.clone(), (*key, Arc::clone(body)));
    }
    let docs = graph
        .actors
        .iter()
        .map(|a| a.doc.as_ref().map(|d| d.content_path.clone()))
        .zip(actors.iter().cloned())
        .chain(
            graph
                .events
                .iter()
                .map(|e| e.doc.as_ref().map(|d| d.content_path.clone()))
                .zip(events.iter().cloned()),
        )
        .chain(
            graph
                .pages
                .iter()
                .map(|p| Some(p.doc.content_path.clone()))
                .zip(pages.iter().cloned().map(Some)),
        );
    for (path, entry) in docs {
        if let (Some(path), Some(entry)) = (path, entry) {
            cache.plain.insert(path, entry);
        }
    }
    cache.env = Some(env);
    let bodies = Bodies {
        briefs: briefs.into_iter().map(|(_, b)| b).collect(),
        actors: actors.into_iter().map(|e| e.map(|(_, b)| b)).collect(),
        events: events.into_iter().map(|e| e.map(|(_, b)| b)).collect(),
        pages: pages.into_iter().map(|(_, b)| b).collect(),
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
    lists_from_front(brief, &mut rendered, ctx, unsafe_html);
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
            (crate::escape::html(&text), text)
        }
    };
    let image_url = cover_image(brief, &mut rendered, ctx);
    rendered.hash = rendered.compute_hash();
    let hash = hash_of(&(rendered.hash, &summary_html, &image_url));
    let texts = |s: &Option<ListSection>| -> Vec<String> {
        s.as_ref()
            .map(|l| l.items.iter().map(|i| i.text.clone()).collect())
            .unwrap_or_default()
    };
    let data_hash = hash_of(&(
        &summary_text,
        texts(&rendered.parts.key_points),
        texts(&rendered.parts.recommendations),
    ));
    BriefBody {
        data_hash,
        rendered,
        summary_html,
        summary_text,
        image_url,
        hash,
        packed: None,
    }
}

/// The key points and recommendations the front matter gives, in place of the body's
/// (a body that has them too is an error: said once, at the body's section).
fn lists_from_front(
    brief: &Brief,
    rendered: &mut RenderedBody,
    ctx: &LinkContext,
    unsafe_html: bool,
) {
    let front = &brief.doc.front;
    let source = &brief.doc.source;
    let from_front = |id: &str, key: &str, list: &[String]| ListSection {
        id: id.to_string(),
        title: ctx.locale.text(key).to_string(),
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
    if let Some(list) = &front.key_points {
        if let Some(body) = &rendered.parts.key_points {
            rendered
                .diagnostics
                .push(twice(source, body.offset, "key points", "key_points"));
        }
        rendered.parts.key_points = Some(from_front("key-points", "key_points", list));
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
            Some(from_front("recommendations", "recommendations", list));
    }
}

/// The URL of the brief's cover image (`image:`), or an error at its line when the file
/// is not in the site.
fn cover_image(brief: &Brief, rendered: &mut RenderedBody, ctx: &LinkContext) -> Option<String> {
    let image = brief.doc.front.image.as_ref()?;
    let src = image.to_image().src;
    let source = &brief.doc.source;
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
    // Ids of every document, by content path (looked up only for anchored links).
    let mut ids: HashMap<&str, &[String]> = HashMap::new();
    for (b, body) in graph.briefs.iter().zip(&bodies.briefs) {
        ids.insert(&b.doc.content_path, &body.rendered.ids);
    }
    for (a, body) in graph.actors.iter().zip(&bodies.actors) {
        if let (Some(doc), Some(body)) = (&a.doc, body) {
            ids.insert(&doc.content_path, &body.ids);
        }
    }
    for (e, body) in graph.events.iter().zip(&bodies.events) {
        if let (Some(doc), Some(body)) = (&e.doc, body) {
            ids.insert(&doc.content_path, &body.ids);
        }
    }
    for (p, body) in graph.pages.iter().zip(&bodies.pages) {
        ids.insert(&p.doc.content_path, &body.ids);
    }
    let mut report = |body: &RenderedBody| {
        diagnostics.extend(body.diagnostics.iter().cloned());
        for check in &body.link_checks {
            let known = ids.get(check.target.as_str());
            if known.is_some_and(|k| !k.contains(&check.anchor)) {
                let near = known.and_then(|k| {
                    crate::suggest::nearest(&check.anchor, k.iter().map(String::as_str))
                });
                let hint = match near {
                    Some(n) => format!("did you mean `#{n}`?"),
                    None => "link to a heading of that file: its id is the heading in lowercase, spaces as `-`".to_string(),
                };
                let mut d = check.at.clone();
                d.message = format!(
                    "link to `{}`: content/{} has no heading `#{}`",
                    check.written, check.target, check.anchor
                );
                diagnostics.push(d.hint(hint));
            }
        }
    };
    bodies.briefs.iter().for_each(|b| report(&b.rendered));
    bodies.actors.iter().flatten().for_each(|b| report(b));
    bodies.events.iter().flatten().for_each(|b| report(b));
    bodies.pages.iter().for_each(|b| report(b));
}
