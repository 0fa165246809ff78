//! Which pages and feeds an edit can change when the graph's structure is the same: the
//! edit swapped new documents into some briefs (their title, subtitle, summary and body
//! may differ, nothing that resolving reads), so a page can change only if it shows one of
//! those briefs or a cross-reference that moved with their mentions, and a feed only if it
//! is the site's or that of an actor or term whose pages can change. A warm session
//! fingerprints these alone and takes the others' fingerprints over; a debug build
//! fingerprints everything as well and checks that nothing outside the reach changed
//! (see `session::outputs`).

use super::crossref::CrossRefs;
use super::feeds::FeedOf;
use super::pages::{Job, TaxonomyKind};
use super::paginate::page_items;
use super::{Site, Subscription};

/// The pages that can show what an edit of some briefs changed.
#[derive(Debug)]
pub struct Reach {
    /// Brief pages: the changed briefs', those that list one as related, and those whose
    /// related briefs moved.
    briefs: Vec<bool>,
    /// Actor pages (every page of the actor's list): actors the changed briefs tag or
    /// mention, before or after, and those whose mentions moved.
    actors: Vec<bool>,
    /// Event pages: events the changed briefs are about.
    events: Vec<bool>,
    /// Term pages (every page of the term's list), per taxonomy in the order of
    /// [`TaxonomyKind::ALL`].
    terms: [Vec<bool>; 3],
    /// Pages of `/briefs/` (from 1) that hold a changed brief's card.
    list_pages: Vec<usize>,
}

impl Reach {
    /// Whether `job`'s page can have changed. Pages drawn from the whole site alone
    /// (home, indexes, free pages, search, 404) are always in reach: there are few.
    pub fn holds(&self, job: Job) -> bool {
        match job {
            Job::Brief(b) => self.briefs[b],
            Job::Actor(a, _) => self.actors[a],
            Job::Event(e) => self.events[e],
            Job::Term(kind, t, _) => self.terms[taxonomy_index(kind)][t],
            Job::Briefs(n) => self.list_pages.contains(&n),
            Job::Events(_) => false,
            Job::Home
            | Job::Actors
            | Job::Terms(_)
            | Job::Page(_)
            | Job::Search
            | Job::NotFound => true,
        }
    }
}

impl Reach {
    /// Whether a feed or calendar can have changed: the site's feed and those of the
    /// actors and terms in reach (calendars show events, which an edit of briefs leaves).
    pub fn holds_subscription(&self, s: Subscription) -> bool {
        match s {
            Subscription::Feed(FeedOf::Site) => true,
            Subscription::Feed(FeedOf::Actor(a)) => self.actors[a],
            Subscription::Feed(FeedOf::Term(kind, t)) => self.terms[taxonomy_index(kind)][t],
            Subscription::Calendar(_) => false,
        }
    }
}

fn taxonomy_index(kind: TaxonomyKind) -> usize {
    match kind {
        TaxonomyKind::Topics => 0,
        TaxonomyKind::Regions => 1,
        TaxonomyKind::Authors => 2,
    }
}

impl Site<'_> {
    /// The reach of an edit to briefs `changed` (by index), whose cross-references were
    /// `before` the edit; `self` is the site after it, with the same structure.
    pub fn reach(&self, changed: &[usize], before: &CrossRefs) -> Reach {
        let g = self.graph;
        let now = self.xref;
        let mut reach = Reach {
            briefs: vec![false; g.briefs.len()],
            actors: vec![false; g.actors.len()],
            events: vec![false; g.events.len()],
            terms: TaxonomyKind::ALL.map(|kind| vec![false; self.taxonomy(kind).terms.len()]),
            list_pages: Vec::new(),
        };
        let mut is_changed = vec![false; g.briefs.len()];
        for &b in changed {
            is_changed[b] = true;
            reach.briefs[b] = true;
            let brief = &g.briefs[b];
            let mentioned = now.mentioned_only[b]
                .iter()
                .chain(&before.mentioned_only[b]);
            for &a in brief.actors.iter().chain(mentioned) {
                reach.actors[a] = true;
            }
            for &e in &brief.events {
                reach.events[e] = true;
            }
            for (kind, terms) in [
                (TaxonomyKind::Topics, &brief.topics),
                (TaxonomyKind::Regions, &brief.regions),
                (TaxonomyKind::Authors, &brief.authors),
            ] {
                for &t in terms {
                    reach.terms[taxonomy_index(kind)][t] = true;
                }
            }
            let page = list_page_of(self, b);
            if !reach.list_pages.contains(&page) {
                reach.list_pages.push(page);
            }
        }
        for (c, related) in now.related.iter().enumerate() {
            if related != &before.related[c] || related.iter().any(|&r| is_changed[r]) {
                reach.briefs[c] = true;
            }
        }
        for (a, mentions) in now.mentioned_by.iter().enumerate() {
            if mentions != &before.mentioned_by[a] {
                reach.actors[a] = true;
            }
        }
        reach
    }
}

/// The page of `/briefs/` (from 1) that holds brief `b`'s card.
fn list_page_of(site: &Site, b: usize) -> usize {
    let per_page = site.graph.config.paginate_by.max(1);
    let page = b / per_page + 1;
    debug_assert!(page_items(site.graph.briefs.len(), per_page, page).contains(&b));
    page
}
