//! Stage 3b, render: every page and file of the site from the resolved graph and the
//! rendered bodies, written to a [`Sink`] in parallel.
//!
//! Owns templates, template contexts, page metadata and citations, the feeds and
//! calendars, the sitemap and JSON, and the theme assets.
//! Reads the graph only; nothing here mutates shared state.

pub mod alternates;
pub mod bodies;
pub mod calendar;
pub mod cite;
pub mod context;
pub mod crossref;
pub mod data;
pub mod excerpt;
pub mod feeds;
pub mod fingerprint;
pub mod html;
pub mod jsonld;
pub mod metadata;
pub mod network;
pub mod network_labels;
pub mod network_layout;
pub mod network_svg;
pub mod packed;
pub mod pages;
pub mod paginate;
pub mod reach;
mod related;
pub mod search;
pub mod templates;
pub mod theme;
pub mod timeline_svg;
mod timelines;
pub mod translate;
pub mod views;

use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};

use indicatif::ProgressBar;
use rayon::prelude::*;

use crate::diagnostics::Diagnostic;
use crate::resolve::Graph;
use crate::write::Sink;
pub use bodies::Bodies;
pub use calendar::CalendarOf;
pub use crossref::CrossRefs;
pub use feeds::FeedOf;
pub use pages::Job;
pub use templates::Templates;

/// Everything a page needs: the graph, rendered bodies and cross-references.
pub struct Site<'g> {
    /// The site's folder (for its own `theme/`).
    pub root: &'g std::path::Path,
    /// The resolved site.
    pub graph: &'g Graph,
    /// Every document's rendered body.
    pub bodies: &'g Bodies,
    /// Which briefs link to, or mention, what.
    pub xref: &'g CrossRefs,
    /// Brief, actor and event cards, converted once.
    pub cards: views::Cards,
    /// Every brief's BibTeX key, by index.
    pub cite_keys: std::sync::Arc<metadata::CiteKeys>,
    /// The interface language of the pages: built from the config's `language`,
    /// `strings` and `sections` (docs/interface-strings.md).
    pub locale: std::sync::Arc<crate::i18n::Locale>,
}

impl<'g> Site<'g> {
    /// The site, with its cards converted for templates and rendered once; `templates`
    /// are given the site view. On failure, the errors of the card templates.
    pub fn new(
        root: &'g std::path::Path,
        graph: &'g Graph,
        bodies: &'g Bodies,
        xref: &'g CrossRefs,
        templates: &mut Templates,
    ) -> Result<Site<'g>, Vec<Diagnostic>> {
        let mut cache = views::CardCache::default();
        Site::with_card_cache(root, graph, bodies, xref, templates, &mut cache)
    }

    /// The site without its cards (empty until [`Site::make_cards`] is given them):
    /// enough for what no template renders, such as the search index.
    pub fn without_cards(
        root: &'g std::path::Path,
        graph: &'g Graph,
        bodies: &'g Bodies,
        xref: &'g CrossRefs,
    ) -> Site<'g> {
        let cite_keys = std::sync::Arc::new(metadata::CiteKeys::new(graph));
        Site::with_cite_keys(root, graph, bodies, xref, cite_keys)
    }

    /// [`Site::without_cards`] with its citation keys made already.
    pub fn with_cite_keys(
        root: &'g std::path::Path,
        graph: &'g Graph,
        bodies: &'g Bodies,
        xref: &'g CrossRefs,
        cite_keys: std::sync::Arc<metadata::CiteKeys>,
    ) -> Site<'g> {
        Site {
            root,
            graph,
            bodies,
            xref,
            cards: views::Cards::default(),
            cite_keys,
            locale: locale_of(&graph.config),
        }
    }

    /// [`Site::new`], reusing the cards of `cache` that did not change (and updating it).
    /// The cache must be emptied when the templates change.
    pub fn with_card_cache(
        root: &'g std::path::Path,
        graph: &'g Graph,
        bodies: &'g Bodies,
        xref: &'g CrossRefs,
        templates: &mut Templates,
        cache: &mut views::CardCache,
    ) -> Result<Site<'g>, Vec<Diagnostic>> {
        let mut site = Site::without_cards(root, graph, bodies, xref);
        templates.set_site(&site);
        site.cards = site.make_cards(templates, cache)?;
        Ok(site)
    }
}

/// The locale of a site's config: its `language`, `strings` and `sections`; English
/// without overrides is built once.
pub fn locale_of(config: &crate::config::SiteConfig) -> std::sync::Arc<crate::i18n::Locale> {
    if config.language == "en" && config.strings.is_empty() && config.sections == Default::default()
    {
        return crate::i18n::english();
    }
    std::sync::Arc::new(crate::i18n::Locale::new(
        &config.language,
        &config.strings,
        &config.sections,
    ))
}

/// Renders `jobs` into `sink`; returns the errors (each template error once).
pub fn render_jobs<S: Sink + ?Sized>(
    site: &Site,
    templates: &Templates,
    sink: &S,
    jobs: &[Job],
    progress: &ProgressBar,
) -> Vec<Diagnostic> {
    let done = AtomicUsize::new(0);
    let errors: Vec<Diagnostic> = jobs
        .par_iter()
        .filter_map(|&job| {
            let result = render_page(site, templates, sink, job);
            progress.inc(1);
            done.fetch_add(1, Ordering::Relaxed);
            result.err()
        })
        .collect();
    // One template error repeats on every page that uses it: report each once.
    let mut unique: Vec<Diagnostic> = Vec::new();
    for d in errors {
        if !unique
            .iter()
            .any(|x| x.file == d.file && x.line == d.line && x.message == d.message)
        {
            unique.push(d);
        }
    }
    unique
}

fn render_page<S: Sink + ?Sized>(
    site: &Site,
    templates: &Templates,
    sink: &S,
    job: Job,
) -> Result<(), Diagnostic> {
    let html = render_to_string(site, templates, job)?;
    let path = site.output_path(job);
    sink.write(&path, html.as_bytes())
        .map_err(|e| Diagnostic::file_error(path, e.to_string()))
}

/// One page's HTML.
pub fn render_to_string(
    site: &Site,
    templates: &Templates,
    job: Job,
) -> Result<String, Diagnostic> {
    let (template, context) = site.context(job);
    templates.render(template, &context)
}

/// The data files a site can have, by output path (feeds and calendars are
/// [`Subscription`]s).
pub const DATA_FILES: [&str; 8] = [
    crate::output::MARKER,
    ".nojekyll",
    "sitemap.xml",
    "robots.txt",
    "api/briefs.json",
    "api/actors.json",
    "api/events.json",
    "CNAME",
];

/// The data files each language of a multilingual site has under its folder; the others
/// are written once, at the site's root.
pub const PER_LANGUAGE_DATA_FILES: [&str; 3] =
    ["api/briefs.json", "api/actors.json", "api/events.json"];

/// One data file's text, or `None` if the site does not have it (no `cname`, `robots.txt`
/// under a subpath).
pub fn data_file(site: &Site, jobs: &[Job], name: &str) -> Option<String> {
    let g = site.graph;
    Some(match name {
        "sitemap.xml" if g.languages.is_multilingual() => site.sitemap(&g.languages.sitemap),
        "sitemap.xml" => {
            let mut urls: Vec<(String, Option<String>)> = jobs
                .iter()
                .filter(|j| !matches!(j, Job::NotFound))
                .map(|&j| {
                    let lastmod = match j {
                        Job::Brief(b) => Some(
                            g.briefs[b]
                                .doc
                                .updated
                                .as_ref()
                                .unwrap_or(&g.briefs[b].doc.date)
                                .iso(),
                        ),
                        _ => None,
                    };
                    (site.url_of(j), lastmod)
                })
                .collect();
            urls.sort();
            site.sitemap(&urls)
        }
        crate::output::MARKER => crate::output::MARKER_TEXT.to_string(),
        // Crawlers read robots.txt only at the root of a host, so a site under a subpath
        // has none (docs/publishing.md).
        "robots.txt" if g.base_path == "/" => site.robots(),
        // GitHub Pages publishing from a branch runs Jekyll, which drops paths that start
        // with `_`, unless this file exists.
        ".nojekyll" => String::new(),
        "api/briefs.json" => site.briefs_json(),
        "api/actors.json" => site.actors_json(),
        "api/events.json" => site.events_json(),
        "CNAME" => format!("{}\n", g.config.cname.as_deref()?.trim()),
        _ => return None,
    })
}

/// Content assets and theme files may not take the path of a generated file.
pub fn collisions(site: &Site, jobs: &[Job]) -> Vec<Diagnostic> {
    let generated: HashSet<String> = jobs
        .iter()
        .map(|&j| site.output_path(j))
        .chain(DATA_FILES.iter().map(ToString::to_string))
        .chain((0..site.graph.briefs.len()).map(|b| site.bib_path(b)))
        .chain(
            subscriptions(site)
                .into_iter()
                .map(|s| site.subscription_path(s)),
        )
        .collect();
    // The search index's files are named by their content: its folder is reserved whole.
    let search_dir = format!("{}/", crate::search::DIR);
    let taken = |path: &str| {
        generated.contains(path) || (site.graph.config.search && path.starts_with(&search_dir))
    };
    let mut found = Vec::new();
    for asset in &site.graph.assets {
        if taken(&asset.content_path) {
            found.push(
                Diagnostic::file_error(
                    format!("content/{}", asset.content_path),
                    format!(
                        "this file would replace the generated /{}",
                        asset.content_path
                    ),
                )
                .hint("rename or move the file"),
            );
        }
    }
    for (path, _) in theme::site_files(site.root) {
        if taken(&path) {
            found.push(
                Diagnostic::file_error(
                    format!("theme/{path}"),
                    format!("this file would replace the generated /{path}"),
                )
                .hint("rename the file, or override the template that makes the page instead"),
            );
        }
    }
    found
}

/// Writes the data file `name` (one of [`DATA_FILES`]) into `sink`; `Ok(false)` if the
/// site has no such file (no `cname`). The JSON files are streamed: they are
/// large for a large site.
pub fn write_data_file<S: Sink + ?Sized>(
    site: &Site,
    sink: &S,
    jobs: &[Job],
    name: &str,
) -> Result<bool, crate::fsutil::FsError> {
    match name {
        "api/briefs.json" => sink.write_with(name, &mut |w| site.write_briefs_json(w))?,
        "api/actors.json" => sink.write_with(name, &mut |w| site.write_actors_json(w))?,
        "api/events.json" => sink.write_with(name, &mut |w| site.write_events_json(w))?,
        _ => match data_file(site, jobs, name) {
            Some(text) => sink.write(name, text.as_bytes())?,
            None => return Ok(false),
        },
    }
    Ok(true)
}

/// A file readers subscribe to: an Atom feed or an iCalendar calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subscription {
    /// `feed.xml` of the site, a term or an actor.
    Feed(FeedOf),
    /// `events.ics` of the site or an actor.
    Calendar(CalendarOf),
}

/// What the feeds and calendars of one build share: each brief's entry and each event's
/// `VEVENT`, serialised and hashed once.
pub struct SubscriptionCache {
    entries: feeds::EntryCache,
    events: calendar::EventCache,
}

impl SubscriptionCache {
    /// An empty cache for `site`.
    pub fn new(site: &Site) -> SubscriptionCache {
        SubscriptionCache {
            entries: feeds::EntryCache::new(site),
            events: calendar::EventCache::new(site),
        }
    }
}

/// Every feed and calendar of the site, in a fixed order: none with `feeds: false`; a
/// feed for the site, each term and each actor; a calendar for the site and each actor
/// that has events.
pub fn subscriptions(site: &Site) -> Vec<Subscription> {
    let g = site.graph;
    if !g.config.feeds {
        return Vec::new();
    }
    let mut list = vec![Subscription::Feed(FeedOf::Site)];
    for kind in pages::TaxonomyKind::ALL {
        let terms = site.taxonomy(kind).terms.len();
        list.extend((0..terms).map(|t| Subscription::Feed(FeedOf::Term(kind, t))));
    }
    list.extend((0..g.actors.len()).map(|a| Subscription::Feed(FeedOf::Actor(a))));
    let calendars =
        std::iter::once(CalendarOf::Site).chain((0..g.actors.len()).map(CalendarOf::Actor));
    list.extend(
        calendars
            .filter(|&c| site.has_calendar(c))
            .map(Subscription::Calendar),
    );
    list
}

impl Site<'_> {
    /// A feed's or calendar's output path, relative to the output folder.
    pub fn subscription_path(&self, s: Subscription) -> String {
        match s {
            Subscription::Feed(of) => self.feed_path(of),
            Subscription::Calendar(of) => self.calendar_path(of),
        }
    }

    /// A hash of everything a feed or calendar is made from (each brief's and event's
    /// part hashed once, in `cache`).
    pub fn subscription_fingerprint(&self, s: Subscription, cache: &SubscriptionCache) -> u64 {
        match s {
            Subscription::Feed(of) => self.feed_fingerprint(of, &cache.entries),
            Subscription::Calendar(of) => self.calendar_fingerprint(of, &cache.events),
        }
    }

    /// A feed's or calendar's text, with the entries and events `cache` serialised once.
    pub fn subscription_text(&self, s: Subscription, cache: &SubscriptionCache) -> String {
        match s {
            Subscription::Feed(of) => self.atom(of, &cache.entries),
            Subscription::Calendar(of) => self.ics(of, &cache.events),
        }
    }
}
