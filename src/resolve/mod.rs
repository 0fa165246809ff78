//! Stage 2, resolve: turn the loaded documents into one immutable graph of briefs, actors,
//! events, pages and taxonomy terms, with indexes both ways between them.
//!
//! Owns slugs and URLs, collision checks, reference resolution (actors by slug, name or
//! alias; events by slug), implicit actors, inline events, taxonomies and the mention
//! index. Does not read files or render anything.

pub mod actors;
pub mod events;
pub mod languages;
pub mod mentions;
pub mod terms;

use std::collections::HashMap;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::sync::Arc;

use crate::config::SiteConfig;
use crate::diagnostics::{Diagnostic, Diagnostics, Related};
use crate::load::{Asset, Author, BriefDoc, Content, EventRef, PageDoc, Source};
use crate::slug::slugify;
use crate::suggest;
pub use actors::Actor;
pub use events::Event;
pub use mentions::MentionIndex;

/// A brief with its references resolved.
#[derive(Debug, Clone)]
pub struct Brief {
    /// The brief as written.
    pub doc: Arc<BriefDoc>,
    /// The URL part, `/briefs/<slug>/`.
    pub slug: String,
    /// The page's URL, under the base path.
    pub url: String,
    /// Tagged actors, in the order written.
    pub actors: Vec<usize>,
    /// Events, in the order written.
    pub events: Vec<usize>,
    /// Topics (indexes into the graph's topics).
    pub topics: Vec<usize>,
    /// Regions (indexes into the graph's regions).
    pub regions: Vec<usize>,
    /// Authors (indexes into the graph's authors).
    pub authors: Vec<usize>,
}

/// A free page.
#[derive(Debug, Clone)]
pub struct Page {
    /// The page as written.
    pub doc: Arc<PageDoc>,
    /// The page's URL, `/<slug>/` under the base path.
    pub url: String,
}

/// A term of a taxonomy (topic, region or author).
#[derive(Debug, Clone)]
pub struct Term {
    /// The name as first written.
    pub name: String,
    /// The name shown: from `site.yaml`, else derived from the name ([`terms`]).
    pub title: String,
    /// What the term covers, from `site.yaml`.
    pub description: Option<String>,
    /// The name slugified, unique in its taxonomy.
    pub slug: String,
    /// The term's page, under the base path.
    pub url: String,
    /// Briefs with this term, newest first.
    pub briefs: Vec<usize>,
    /// For authors: affiliation and URL, as first given.
    pub author: Option<Author>,
}

/// One taxonomy: its terms sorted by slug.
#[derive(Debug, Clone, Default)]
pub struct Taxonomy {
    /// The terms, sorted by slug.
    pub terms: Vec<Term>,
}

/// The whole site, resolved. Immutable once built; every page renders from it.
#[derive(Debug, Clone)]
pub struct Graph {
    /// `site.yaml`.
    pub config: SiteConfig,
    /// Path prefix of every URL: `/` or `/sub/` (`/sub/fr/` in a language besides the
    /// default one).
    pub base_path: String,
    /// Path of the site's root, where theme files and content assets are: the base path
    /// of the default language.
    pub root_path: String,
    /// Newest first; ties by slug.
    pub briefs: Vec<Brief>,
    /// By slug.
    pub actors: Vec<Actor>,
    /// Oldest first; ties by slug.
    pub events: Vec<Event>,
    /// By slug.
    pub pages: Vec<Page>,
    /// Every brief's `topics:`.
    pub topics: Taxonomy,
    /// Every brief's `regions:`.
    pub regions: Taxonomy,
    /// Every brief's `authors:`.
    pub authors: Taxonomy,
    /// Files under `content/` copied as they are.
    pub assets: Vec<Asset>,
    /// URL of every built Markdown file, by its path relative to `content/`.
    pub urls: HashMap<String, String>,
    /// Content paths of drafts left out of this build.
    pub drafts: Vec<String>,
    /// Finds actor names and aliases in text.
    pub mentions: Arc<MentionIndex>,
    /// The pages of every language of a multilingual site ([`languages::connect`]).
    pub languages: Arc<languages::Languages>,
}

impl Graph {
    /// Frees the source text of every document only this graph holds: a full build calls
    /// it once the bodies are rendered and checked, as nothing quotes a source after that.
    pub fn release_sources(&mut self) {
        for brief in &mut self.briefs {
            if let Some(doc) = Arc::get_mut(&mut brief.doc) {
                doc.source.release_text();
            }
        }
        for doc in self.actors.iter_mut().filter_map(|a| a.doc.as_mut()) {
            if let Some(doc) = Arc::get_mut(doc) {
                doc.source.release_text();
            }
        }
        for doc in self.events.iter_mut().filter_map(|e| e.doc.as_mut()) {
            if let Some(doc) = Arc::get_mut(doc) {
                doc.source.release_text();
            }
        }
    }
}

/// What resolving can reuse from the previous run (the dev server keeps one).
#[derive(Default)]
pub struct ResolveCache {
    /// The mention index, with a hash of the names it was built from.
    mentions: Option<(u64, Arc<MentionIndex>)>,
}

/// Paths a free page may not take, because the site uses them.
const RESERVED_PAGE_SLUGS: &[&str] = &[
    "briefs", "actors", "events", "topics", "regions", "authors", "search", "api",
];

/// Resolves `content` into a graph. Problems go to `diagnostics`.
pub fn resolve(
    config: SiteConfig,
    content: Content,
    include_drafts: bool,
    diagnostics: &mut Diagnostics,
) -> Graph {
    resolve_cached(
        config,
        content,
        include_drafts,
        diagnostics,
        &mut ResolveCache::default(),
    )
}

/// [`resolve`], reusing what `cache` kept from the previous run.
pub fn resolve_cached(
    config: SiteConfig,
    content: Content,
    include_drafts: bool,
    diagnostics: &mut Diagnostics,
    cache: &mut ResolveCache,
) -> Graph {
    let base_path = config.base_path();
    let Content {
        mut briefs,
        mut actors,
        mut events,
        mut pages,
        mut assets,
        aliases,
    } = content;
    assets.sort_by(|a, b| a.content_path.cmp(&b.content_path));
    let drafts = order_documents(
        &mut briefs,
        &mut actors,
        &mut events,
        &mut pages,
        include_drafts,
    );
    check_slugs(&briefs, &actors, &events, &pages, diagnostics);

    let mut actor_table = actors::ActorTable::new(actors, &base_path, diagnostics);
    actor_table.resolve_affiliations(diagnostics);
    let mut event_table = events::EventTable::default();
    event_table.add_records(events, &base_path);
    let brief_event_slugs = add_inline_events(&briefs, &mut event_table, &base_path, diagnostics);
    let (events, event_index) =
        timeline_events(event_table, &briefs, &mut actor_table, diagnostics);
    let mut resolved = resolve_briefs(
        briefs,
        brief_event_slugs,
        &mut actor_table,
        events,
        &event_index,
        &base_path,
        diagnostics,
    );
    let actors = sort_actors(actor_table, &mut resolved.briefs, &mut resolved.events);
    let mention_index = mention_index(&actors, cache);
    let pages: Vec<Page> = pages
        .into_iter()
        .map(|doc| Page {
            url: format!("{base_path}{}/", doc.slug),
            doc,
        })
        .collect();
    let mut urls = url_table(&resolved.briefs, &actors, &resolved.events, &pages);
    for (path, shown) in aliases {
        if let Some(url) = urls.get(&shown).cloned() {
            urls.entry(path).or_insert(url);
        }
    }
    let [mut topics, mut regions, authors] = resolved.finish_terms(&base_path);
    terms::name_terms(&mut topics, &config, "topics", diagnostics);
    terms::name_terms(&mut regions, &config, "regions", diagnostics);
    for warning in config.string_warnings() {
        diagnostics.push(warning);
    }
    Graph {
        topics,
        regions,
        authors,
        root_path: config.root_path(),
        config,
        base_path,
        briefs: resolved.briefs,
        actors,
        events: resolved.events,
        pages,
        assets,
        urls,
        drafts,
        mentions: mention_index,
        languages: Arc::default(),
    }
}

/// Leaves drafts out (unless `include_drafts`), returning their content paths, and puts
/// every kind of document in its order: briefs newest first, the rest by slug.
fn order_documents(
    briefs: &mut Vec<Arc<BriefDoc>>,
    actors: &mut [Arc<crate::load::ActorDoc>],
    events: &mut [Arc<crate::load::EventDoc>],
    pages: &mut [Arc<PageDoc>],
    include_drafts: bool,
) -> Vec<String> {
    let mut drafts = Vec::new();
    if !include_drafts {
        briefs.retain(|b| {
            if b.front.draft {
                drafts.push(b.content_path.clone());
            }
            !b.front.draft
        });
    }
    sort_briefs(briefs);
    actors.sort_by(|a, b| {
        a.slug
            .cmp(&b.slug)
            .then_with(|| a.source.path.cmp(&b.source.path))
    });
    events.sort_by(|a, b| {
        a.slug
            .cmp(&b.slug)
            .then_with(|| a.source.path.cmp(&b.source.path))
    });
    pages.sort_by(|a, b| {
        a.slug
            .cmp(&b.slug)
            .then_with(|| a.source.path.cmp(&b.source.path))
    });
    drafts
}

/// Two documents of a kind with one slug, and free pages on a path the site uses, are
/// errors.
fn check_slugs(
    briefs: &[Arc<BriefDoc>],
    actors: &[Arc<crate::load::ActorDoc>],
    events: &[Arc<crate::load::EventDoc>],
    pages: &[Arc<PageDoc>],
    diagnostics: &mut Diagnostics,
) {
    report_duplicates(
        "brief",
        briefs.iter().map(|b| (b.slug.as_str(), &b.source)),
        diagnostics,
    );
    report_duplicates(
        "actor",
        actors.iter().map(|a| (a.slug.as_str(), &a.source)),
        diagnostics,
    );
    report_duplicates(
        "event",
        events.iter().map(|e| (e.slug.as_str(), &e.source)),
        diagnostics,
    );
    report_duplicates(
        "page",
        pages.iter().map(|p| (p.slug.as_str(), &p.source)),
        diagnostics,
    );
    for page in pages {
        if RESERVED_PAGE_SLUGS.contains(&page.slug.as_str()) {
            diagnostics.push(reserved_page_slug(page));
        }
    }
}

/// Adds the events briefs declare inline; returns each brief's event slugs, in order.
fn add_inline_events(
    briefs: &[Arc<BriefDoc>],
    event_table: &mut events::EventTable,
    base_path: &str,
    diagnostics: &mut Diagnostics,
) -> Vec<Vec<String>> {
    let mut brief_event_slugs: Vec<Vec<String>> = Vec::with_capacity(briefs.len());
    for (index, brief) in briefs.iter().enumerate() {
        let mut slugs = Vec::new();
        for reference in &brief.front.events {
            if let EventRef::Inline(decl) = reference {
                if let Some(slug) =
                    event_table.add_inline(decl, brief, index, base_path, diagnostics)
                {
                    slugs.push(slug);
                }
            } else if let EventRef::Slug(slug) = reference {
                slugs.push(slug.clone());
            }
        }
        brief_event_slugs.push(slugs);
    }
    brief_event_slugs
}

/// Events in timeline order (date, then slug) with their actors resolved, and each
/// event's index by slug.
fn timeline_events(
    event_table: events::EventTable,
    briefs: &[Arc<BriefDoc>],
    actor_table: &mut actors::ActorTable,
    diagnostics: &mut Diagnostics,
) -> (Vec<Event>, FxHashMap<String, usize>) {
    let mut event_list: Vec<(Event, Vec<events::PendingActor>)> =
        event_table.events.into_values().collect();
    event_list.sort_by(|a, b| {
        a.0.date
            .cmp(&b.0.date)
            .then_with(|| a.0.slug.cmp(&b.0.slug))
    });
    let event_index: FxHashMap<String, usize> = event_list
        .iter()
        .enumerate()
        .map(|(i, (e, _))| (e.slug.clone(), i))
        .collect();
    let mut events: Vec<Event> = Vec::with_capacity(event_list.len());
    for (mut event, pending) in event_list {
        for p in pending {
            let source: &Source = match p.brief {
                Some(b) => &briefs[b].source,
                None => match &event.doc {
                    Some(doc) => &doc.source,
                    None => continue,
                },
            };
            if let Some(actor) = actor_table.resolve(&p.reference, source, p.key, diagnostics) {
                push_unique(&mut event.actors, actor);
            }
        }
        events.push(event);
    }
    (events, event_index)
}

/// Briefs with their actors, events and taxonomy terms resolved, the events with the
/// briefs that discuss them, and the terms as gathered (see [`ResolvedBriefs::finish_terms`]).
struct ResolvedBriefs {
    briefs: Vec<Brief>,
    events: Vec<Event>,
    /// Per brief, its topic, region and author ids in the tables below.
    term_ids: Vec<(Vec<usize>, Vec<usize>, Vec<usize>)>,
    topics: TermTable,
    regions: TermTable,
    authors: TermTable,
}

impl ResolvedBriefs {
    /// The three taxonomies, sorted, with every brief's terms remapped into them.
    fn finish_terms(&mut self, base_path: &str) -> [Taxonomy; 3] {
        let (topics, topic_map) = std::mem::take(&mut self.topics).finish(base_path, "topics");
        let (regions, region_map) = std::mem::take(&mut self.regions).finish(base_path, "regions");
        let (authors, author_map) = std::mem::take(&mut self.authors).finish(base_path, "authors");
        let term_ids = std::mem::take(&mut self.term_ids);
        for (brief, (t, r, a)) in self.briefs.iter_mut().zip(term_ids) {
            brief.topics = dedup(t.into_iter().map(|i| topic_map[i]).collect());
            brief.regions = dedup(r.into_iter().map(|i| region_map[i]).collect());
            brief.authors = dedup(a.into_iter().map(|i| author_map[i]).collect());
        }
        [topics, regions, authors]
    }
}

/// Resolves every brief's actors, events and terms, in order.
fn resolve_briefs(
    briefs: Vec<Arc<BriefDoc>>,
    brief_event_slugs: Vec<Vec<String>>,
    actor_table: &mut actors::ActorTable,
    events: Vec<Event>,
    event_index: &FxHashMap<String, usize>,
    base_path: &str,
    diagnostics: &mut Diagnostics,
) -> ResolvedBriefs {
    let mut out = ResolvedBriefs {
        briefs: Vec::with_capacity(briefs.len()),
        events,
        term_ids: Vec::with_capacity(briefs.len()),
        topics: TermTable::default(),
        regions: TermTable::default(),
        authors: TermTable::default(),
    };
    // Reference keys are pure: compute them in parallel, then resolve in order.
    let actor_keys: Vec<Vec<String>> = briefs
        .par_iter()
        .map(|doc| {
            doc.front
                .actors
                .iter()
                .map(|r| crate::slug::reference_key(r))
                .collect()
        })
        .collect();
    for (index, ((doc, event_slugs), keys)) in briefs
        .into_iter()
        .zip(brief_event_slugs)
        .zip(actor_keys)
        .enumerate()
    {
        let mut brief_actors = Vec::new();
        for (reference, key) in doc.front.actors.iter().zip(keys) {
            if let Some(a) =
                actor_table.resolve_key(reference, key, &doc.source, "actors", diagnostics)
            {
                push_unique(&mut brief_actors, a);
            }
        }
        let mut brief_events = Vec::new();
        for slug in &event_slugs {
            match event_index.get(slug) {
                Some(&e) => {
                    push_unique(&mut brief_events, e);
                    push_unique(&mut out.events[e].briefs, index);
                }
                None => diagnostics.push(missing_event(&doc.source, slug, event_index)),
            }
        }
        let term_ids = out.add_terms(&doc, index, diagnostics);
        out.term_ids.push(term_ids);
        let slug = doc.slug.clone();
        out.briefs.push(Brief {
            url: format!("{base_path}briefs/{slug}/"),
            slug,
            actors: brief_actors,
            events: brief_events,
            topics: Vec::new(),
            regions: Vec::new(),
            authors: Vec::new(),
            doc,
        });
    }
    out
}

impl ResolvedBriefs {
    /// Adds brief `index`'s topics, regions and authors to the tables; their ids.
    fn add_terms(
        &mut self,
        doc: &BriefDoc,
        index: usize,
        diagnostics: &mut Diagnostics,
    ) -> (Vec<usize>, Vec<usize>, Vec<usize>) {
        let topic_ids: Vec<usize> = doc
            .front
            .topics
            .iter()
            .map(|t| self.topics.add(t, index, None))
            .collect();
        let region_ids: Vec<usize> = doc
            .front
            .regions
            .iter()
            .map(|t| self.regions.add(t, index, None))
            .collect();
        let author_ids: Vec<usize> = doc
            .front
            .authors
            .iter()
            .map(|a| {
                let name = match a {
                    crate::load::AuthorRef::Name(n) => n.as_str(),
                    crate::load::AuthorRef::Full(full) => full.name.as_str(),
                };
                self.authors.add(name, index, Some(a))
            })
            .collect();
        check_term_slugs(doc, &self.topics, &topic_ids, "topics", diagnostics);
        check_term_slugs(doc, &self.regions, &region_ids, "regions", diagnostics);
        check_term_slugs(doc, &self.authors, &author_ids, "authors", diagnostics);
        (topic_ids, region_ids, author_ids)
    }
}

/// Actors sorted by slug, with every stored actor index remapped, and each actor's
/// briefs and events.
fn sort_actors(
    mut actor_table: actors::ActorTable,
    briefs: &mut [Brief],
    events: &mut [Event],
) -> Vec<Actor> {
    let remap = actor_table.sort();
    let mut actors = actor_table.actors;
    for brief in briefs.iter_mut() {
        brief.actors.iter_mut().for_each(|a| *a = remap[*a]);
    }
    for (e, event) in events.iter_mut().enumerate() {
        event.actors.iter_mut().for_each(|a| *a = remap[*a]);
        for &a in &event.actors {
            actors[a].events.push(e);
        }
    }
    for (b, brief) in briefs.iter().enumerate() {
        for &a in &brief.actors {
            actors[a].briefs.push(b);
        }
    }
    actors
}

/// The index of every actor name and alias, reused from `cache` while they are the same.
fn mention_index(actors: &[Actor], cache: &mut ResolveCache) -> Arc<MentionIndex> {
    let names = || {
        actors.iter().enumerate().flat_map(|(i, a)| {
            std::iter::once((i, a.name.as_str()))
                .chain(a.aliases.iter().map(move |alias| (i, alias.as_str())))
        })
    };
    let names_key = crate::hash::hash_of(&names().collect::<Vec<_>>());
    match &cache.mentions {
        Some((key, index)) if *key == names_key => Arc::clone(index),
        _ => {
            let index = Arc::new(MentionIndex::new(names()));
            cache.mentions = Some((names_key, Arc::clone(&index)));
            index
        }
    }
}

/// Every document's URL by its content path, for links between files.
fn url_table(
    briefs: &[Brief],
    actors: &[Actor],
    events: &[Event],
    pages: &[Page],
) -> HashMap<String, String> {
    let mut urls = HashMap::with_capacity(briefs.len() + actors.len() + events.len() + pages.len());
    for b in briefs {
        urls.insert(b.doc.content_path.clone(), b.url.clone());
    }
    for a in actors {
        if let Some(doc) = &a.doc {
            urls.insert(doc.content_path.clone(), a.url.clone());
        }
    }
    for e in events {
        if let Some(doc) = &e.doc {
            urls.insert(doc.content_path.clone(), e.url.clone());
        }
    }
    for p in pages {
        urls.insert(p.doc.content_path.clone(), p.url.clone());
    }
    urls
}

/// Sorts briefs newest first, ties by slug, then as loaded. The keys are gathered into
/// one array first: comparing through each brief's pointer missed the cache at every
/// step on a large site.
fn sort_briefs(briefs: &mut Vec<Arc<BriefDoc>>) {
    let order: Vec<usize> = {
        let mut keys: Vec<(std::cmp::Reverse<crate::date::Date>, &str, usize)> = briefs
            .iter()
            .enumerate()
            .map(|(i, b)| (std::cmp::Reverse(b.date.clone()), b.slug.as_str(), i))
            .collect();
        keys.sort_unstable();
        keys.into_iter().map(|(_, _, i)| i).collect()
    };
    let mut slots: Vec<Option<Arc<BriefDoc>>> = briefs.drain(..).map(Some).collect();
    briefs.extend(order.into_iter().filter_map(|i| slots[i].take()));
}

fn push_unique(list: &mut Vec<usize>, item: usize) {
    if !list.contains(&item) {
        list.push(item);
    }
}

fn dedup(mut list: Vec<usize>) -> Vec<usize> {
    let mut seen = Vec::with_capacity(list.len());
    list.retain(|x| {
        let fresh = !seen.contains(x);
        seen.push(*x);
        fresh
    });
    list
}

fn missing_event(source: &Source, slug: &str, known: &FxHashMap<String, usize>) -> Diagnostic {
    let (line, col) = source.locate_in_front("events", slug);
    let hint = match suggest::nearest(slug, known.keys().map(String::as_str)) {
        Some(near) => format!("did you mean `{near}`? Or add content/events/{slug}.md"),
        None => format!(
            "add content/events/{slug}.md, or declare the event inline with `date:` and `title:`"
        ),
    };
    Diagnostic::error(source.path.clone(), format!("no event `{slug}`"))
        .at(&source.text, line, col)
        .span(slug.chars().count())
        .hint(hint)
}

fn report_duplicates<'a>(
    kind: &str,
    items: impl Iterator<Item = (&'a str, &'a Source)>,
    diagnostics: &mut Diagnostics,
) {
    let mut first: FxHashMap<&str, &Source> = FxHashMap::default();
    first.reserve(items.size_hint().0);
    for (slug, source) in items {
        match first.get(slug) {
            Some(other) => diagnostics.push(duplicate_slug(kind, slug, source, other)),
            None => {
                first.insert(slug, source);
            }
        }
    }
}

/// Two files of one kind with the same slug: at this one's `slug:` value (line 1 when the
/// slug comes from the file name), quoting the other's `slug:` line if it has one.
fn duplicate_slug(kind: &str, slug: &str, source: &Source, other: &Source) -> Diagnostic {
    let mut d = Diagnostic::error(
        source.path.clone(),
        format!(
            "two {kind}s have the slug `{slug}`: {} and {}",
            other.path, source.path
        ),
    );
    d = match slug_place(source, slug) {
        Some((line, col)) => d
            .at(&source.text, line, col)
            .span(slug.chars().count())
            .label(format!("the slug of this {kind}")),
        None => d.at(&source.text, 1, 1),
    };
    if let Some(place) = slug_place(other, slug) {
        d = d.also(Related::new(
            other.path.clone(),
            &other.text,
            place,
            slug.chars().count(),
            format!("already the slug of this {kind}"),
        ));
    }
    d.hint(format!(
        "give one of them another `slug:` or file name ({} or {})",
        other.path, source.path
    ))
}

/// A topic, region or author of `doc` whose slug is too long for a folder name: an error
/// at the name as written under `key`.
fn check_term_slugs(
    doc: &BriefDoc,
    table: &TermTable,
    ids: &[usize],
    key: &str,
    diagnostics: &mut Diagnostics,
) {
    let what = match key {
        "topics" => "topic",
        "regions" => "region",
        _ => "author",
    };
    let source = &doc.source;
    for &id in ids {
        let term = &table.terms[id];
        let Some(why) = crate::slug::too_long(&term.slug) else {
            continue;
        };
        let (line, col) = source.locate_in_front(key, &term.name);
        diagnostics.push(
            Diagnostic::error(
                source.path.clone(),
                format!(
                    "the {what} `{}` {why}",
                    crate::slug::abbreviate(&term.name, 40)
                ),
            )
            .at(&source.text, line, col)
            .span(term.name.chars().count())
            .hint(format!(
                "shorten the {what} (see docs/content.md#topics-regions-and-authors)"
            )),
        );
    }
}

/// A free page whose slug is a folder of the site.
fn reserved_page_slug(page: &PageDoc) -> Diagnostic {
    let (source, slug) = (&page.source, &page.slug);
    let d = Diagnostic::error(
        source.path.clone(),
        format!("a page cannot take the slug `{slug}`: the site uses /{slug}/"),
    );
    let d = match slug_place(source, slug) {
        Some((line, col)) => d.at(&source.text, line, col).span(slug.len()),
        None => d,
    };
    d.hint("give the page another `slug:` (see docs/content.md#free-pages)")
}

/// Where a `slug:` key writes `slug`, if it does.
fn slug_place(source: &Source, slug: &str) -> Option<(usize, usize)> {
    crate::yaml::key_line(source.front(), "slug")?;
    Some(source.locate_in_front("slug", slug))
}

/// A taxonomy under construction: terms in order of first use, found by name or slug.
#[derive(Default)]
struct TermTable {
    terms: Vec<Term>,
    by_slug: FxHashMap<String, usize>,
    /// Names repeat across briefs: each is slugified once.
    by_name: FxHashMap<String, usize>,
}

impl TermTable {
    /// Adds `name` for brief `brief`; returns the term's provisional index (see `finish`).
    fn add(&mut self, name: &str, brief: usize, author: Option<&crate::load::AuthorRef>) -> usize {
        let t = match self.by_name.get(name) {
            Some(&t) => t,
            None => {
                let slug = slugify(name);
                let t = match self.by_slug.get(&slug) {
                    Some(&t) => t,
                    None => {
                        self.terms.push(Term {
                            name: name.trim().to_string(),
                            title: name.trim().to_string(),
                            description: None,
                            slug: slug.clone(),
                            url: String::new(),
                            briefs: Vec::new(),
                            author: None,
                        });
                        self.by_slug.insert(slug, self.terms.len() - 1);
                        self.terms.len() - 1
                    }
                };
                self.by_name.insert(name.to_string(), t);
                t
            }
        };
        let term = &mut self.terms[t];
        if let Some(author) = author {
            // The first details given win; a bare name gives none.
            let has_details = |a: &Author| a.affiliation.is_some() || a.url.is_some();
            if let crate::load::AuthorRef::Full(full) = author {
                if term
                    .author
                    .as_ref()
                    .is_none_or(|known| !has_details(known) && has_details(full))
                {
                    term.author = Some(full.clone());
                }
            } else if term.author.is_none() {
                term.author = Some(author.to_author());
            }
        }
        if term.briefs.last() != Some(&brief) {
            term.briefs.push(brief);
        }
        t
    }

    /// The taxonomy sorted by slug, and the map from provisional to final index.
    fn finish(self, base_path: &str, kind: &str) -> (Taxonomy, Vec<usize>) {
        let mut order: Vec<usize> = (0..self.terms.len()).collect();
        order.sort_by(|&a, &b| self.terms[a].slug.cmp(&self.terms[b].slug));
        let mut remap = vec![0; order.len()];
        for (new, &old) in order.iter().enumerate() {
            remap[old] = new;
        }
        let mut slots: Vec<Option<Term>> = self.terms.into_iter().map(Some).collect();
        let terms = order
            .iter()
            .filter_map(|&old| slots[old].take())
            .map(|mut t| {
                t.url = format!("{base_path}{kind}/{}/", t.slug);
                t
            })
            .collect();
        (Taxonomy { terms }, remap)
    }
}
