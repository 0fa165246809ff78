//! The HTML pages of the site (docs/content.md, "URLs"): one job per page, with its URL
//! and output path. What each page shows is [`super::context`]'s.

use super::Site;
use crate::resolve::Taxonomy;

/// One page to render.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Job {
    /// `/`: the latest briefs and events.
    Home,
    /// `/briefs/`: every brief.
    Briefs,
    /// A brief's page, by index in the graph.
    Brief(usize),
    /// `/actors/`: every actor, grouped by kind.
    Actors,
    /// An actor's page, by index in the graph.
    Actor(usize),
    /// `/events/`: the timeline.
    Events,
    /// An event's page, by index in the graph.
    Event(usize),
    /// The index of a taxonomy: `/topics/`…
    Terms(TaxonomyKind),
    /// A term's page: the taxonomy, and the term's index in it.
    Term(TaxonomyKind, usize),
    /// A free page, by index in the graph.
    Page(usize),
    /// `/search/`, if `search` is on.
    Search,
    /// `/404.html`.
    NotFound,
}

/// Which taxonomy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaxonomyKind {
    /// `topics:` of briefs.
    Topics,
    /// `regions:` of briefs.
    Regions,
    /// `authors:` of briefs.
    Authors,
}

impl TaxonomyKind {
    /// All three.
    pub const ALL: [TaxonomyKind; 3] = [
        TaxonomyKind::Topics,
        TaxonomyKind::Regions,
        TaxonomyKind::Authors,
    ];

    /// `topics`
    pub fn path(self) -> &'static str {
        match self {
            TaxonomyKind::Topics => "topics",
            TaxonomyKind::Regions => "regions",
            TaxonomyKind::Authors => "authors",
        }
    }

    /// The interface strings of its name, one and many: `topic`, `topics`.
    pub fn title_keys(self) -> (&'static str, &'static str) {
        match self {
            TaxonomyKind::Topics => ("topic", "topics"),
            TaxonomyKind::Regions => ("region", "regions"),
            TaxonomyKind::Authors => ("author", "authors"),
        }
    }
}

/// Every page of the site, in a fixed order.
pub fn jobs(site: &Site) -> Vec<Job> {
    let g = site.graph;
    let mut jobs = vec![
        Job::Home,
        Job::Briefs,
        Job::Actors,
        Job::Events,
        Job::NotFound,
    ];
    if g.config.search {
        jobs.push(Job::Search);
    }
    jobs.extend((0..g.briefs.len()).map(Job::Brief));
    jobs.extend((0..g.actors.len()).map(Job::Actor));
    jobs.extend((0..g.events.len()).map(Job::Event));
    jobs.extend((0..g.pages.len()).map(Job::Page));
    for kind in TaxonomyKind::ALL {
        jobs.push(Job::Terms(kind));
        jobs.extend((0..site.taxonomy(kind).terms.len()).map(|t| Job::Term(kind, t)));
    }
    jobs
}

/// How many of the latest briefs the home page shows.
pub const HOME_BRIEFS: usize = 10;
/// How many of the most recent events the home page shows.
pub const HOME_EVENTS: usize = 8;

impl<'g> Site<'g> {
    /// The taxonomy of `kind`.
    pub fn taxonomy(&self, kind: TaxonomyKind) -> &'g Taxonomy {
        match kind {
            TaxonomyKind::Topics => &self.graph.topics,
            TaxonomyKind::Regions => &self.graph.regions,
            TaxonomyKind::Authors => &self.graph.authors,
        }
    }

    /// The URL of a page (under the base path).
    pub fn url_of(&self, job: Job) -> String {
        let g = self.graph;
        let base = &g.base_path;
        match job {
            Job::Home => base.clone(),
            Job::Briefs => format!("{base}briefs/"),
            Job::Brief(b) => g.briefs[b].url.clone(),
            Job::Actors => format!("{base}actors/"),
            Job::Actor(a) => g.actors[a].url.clone(),
            Job::Events => format!("{base}events/"),
            Job::Event(e) => g.events[e].url.clone(),
            Job::Terms(k) => format!("{base}{}/", k.path()),
            Job::Term(k, t) => self.taxonomy(k).terms[t].url.clone(),
            Job::Page(p) => g.pages[p].url.clone(),
            Job::Search => format!("{base}search/"),
            Job::NotFound => format!("{base}404.html"),
        }
    }

    /// The output path of a page, relative to the output folder.
    pub fn output_path(&self, job: Job) -> String {
        let url = self.url_of(job);
        let relative = url
            .strip_prefix(self.graph.base_path.as_str())
            .unwrap_or(&url);
        if relative.ends_with(".html") {
            relative.to_string()
        } else {
            format!("{relative}index.html")
        }
    }
}
