//! The HTML pages of the site (docs/content.md, "URLs"): one job per page, with its URL
//! and output path; a long list is one job per page of it ([`super::paginate`]). What
//! each page shows is [`super::context`]'s.

use super::paginate::{page_count, page_url};
use super::Site;
use crate::resolve::Taxonomy;

/// One page to render.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Job {
    /// `/`: the latest briefs and events.
    Home,
    /// `/briefs/`: every brief; the page of the list, from 1.
    Briefs(usize),
    /// A brief's page, by index in the graph.
    Brief(usize),
    /// `/actors/`: every actor, grouped by kind.
    Actors,
    /// An actor's page, by index in the graph, and the page of its briefs, from 1.
    Actor(usize, usize),
    /// `/events/`: the timeline; the page of it, from 1.
    Events(usize),
    /// An event's page, by index in the graph.
    Event(usize),
    /// The index of a taxonomy: `/topics/`…
    Terms(TaxonomyKind),
    /// A term's page: the taxonomy, the term's index in it, and the page of its briefs,
    /// from 1.
    Term(TaxonomyKind, usize, usize),
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
    let pages = |job: Job| 1..=site.page_count(job);
    let mut jobs = vec![Job::Home];
    jobs.extend(pages(Job::Briefs(1)).map(Job::Briefs));
    jobs.push(Job::Actors);
    jobs.extend(pages(Job::Events(1)).map(Job::Events));
    jobs.push(Job::NotFound);
    if g.config.search {
        jobs.push(Job::Search);
    }
    jobs.extend((0..g.briefs.len()).map(Job::Brief));
    for a in 0..g.actors.len() {
        jobs.extend(pages(Job::Actor(a, 1)).map(|n| Job::Actor(a, n)));
    }
    jobs.extend((0..g.events.len()).map(Job::Event));
    jobs.extend((0..g.pages.len()).map(Job::Page));
    for kind in TaxonomyKind::ALL {
        jobs.push(Job::Terms(kind));
        for t in 0..site.taxonomy(kind).terms.len() {
            jobs.extend(pages(Job::Term(kind, t, 1)).map(|n| Job::Term(kind, t, n)));
        }
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

    /// The length of the list `job` is a page of (briefs, or events for the timeline);
    /// `None` for a page that is not paginated.
    pub fn list_len(&self, job: Job) -> Option<usize> {
        let g = self.graph;
        match job {
            Job::Briefs(_) => Some(g.briefs.len()),
            Job::Events(_) => Some(g.events.len()),
            Job::Actor(a, _) => Some(g.actors[a].briefs.len() + self.xref.mentioned_by[a].len()),
            Job::Term(k, t, _) => Some(self.taxonomy(k).terms[t].briefs.len()),
            _ => None,
        }
    }

    /// How many pages the list of `job` takes (1 for a page that is not paginated).
    pub fn page_count(&self, job: Job) -> usize {
        self.list_len(job)
            .map_or(1, |n| page_count(n, self.graph.config.paginate_by))
    }

    /// The URL of a page (under the base path).
    pub fn url_of(&self, job: Job) -> String {
        let g = self.graph;
        let base = &g.base_path;
        match job {
            Job::Home => base.clone(),
            Job::Briefs(n) => page_url(&format!("{base}briefs/"), n),
            Job::Brief(b) => g.briefs[b].url.clone(),
            Job::Actors => format!("{base}actors/"),
            Job::Actor(a, n) => page_url(&g.actors[a].url, n),
            Job::Events(n) => page_url(&format!("{base}events/"), n),
            Job::Event(e) => g.events[e].url.clone(),
            Job::Terms(k) => format!("{base}{}/", k.path()),
            Job::Term(k, t, n) => page_url(&self.taxonomy(k).terms[t].url, n),
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
