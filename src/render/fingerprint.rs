//! Page fingerprints: a hash of everything a page shows, computed from the graph, body
//! hashes and card hashes without building the page. Between two rebuilds, a page whose
//! fingerprint did not change renders to the same bytes, so the dev server skips it.

use std::hash::{Hash, Hasher};

use rustc_hash::FxHasher as DefaultHasher;

use super::pages::{Job, TaxonomyKind};
use super::Site;

impl Site<'_> {
    /// The fingerprint of `job` (the caller mixes in the templates and the site view).
    pub fn fingerprint(&self, job: Job) -> u64 {
        let mut h = DefaultHasher::default();
        std::mem::discriminant(&job).hash(&mut h);
        self.output_path(job).hash(&mut h);
        let g = self.graph;
        let cards = &self.cards;
        let briefs = |list: &[usize], h: &mut DefaultHasher| {
            list.iter().for_each(|&b| cards.brief_hashes[b].hash(h))
        };
        let actors = |list: &[usize], h: &mut DefaultHasher| {
            list.iter().for_each(|&a| cards.actor_hashes[a].hash(h))
        };
        let events = |list: &[usize], h: &mut DefaultHasher| {
            list.iter().for_each(|&e| cards.event_hashes[e].hash(h))
        };
        let terms = |kind: TaxonomyKind, list: &[usize], h: &mut DefaultHasher| {
            for &t in list {
                let term = &self.taxonomy(kind).terms[t];
                (&term.name, &term.url).hash(h);
            }
        };
        match job {
            Job::Home => {
                cards
                    .brief_hashes
                    .iter()
                    .take(10)
                    .for_each(|x| x.hash(&mut h));
                cards
                    .event_hashes
                    .iter()
                    .rev()
                    .take(8)
                    .for_each(|x| x.hash(&mut h));
                self.taxonomy_summary(TaxonomyKind::Topics, &mut h);
            }
            Job::Briefs => cards.brief_hashes.hash(&mut h),
            Job::Actors => cards.actor_hashes.hash(&mut h),
            Job::Events => cards.event_hashes.hash(&mut h),
            Job::Brief(b) => {
                let brief = &g.briefs[b];
                let body = &self.bodies.briefs[b];
                (brief.doc.source.hash, body.hash).hash(&mut h);
                actors(&brief.actors, &mut h);
                actors(&self.xref.mentioned_only[b], &mut h);
                events(&brief.events, &mut h);
                terms(TaxonomyKind::Topics, &brief.topics, &mut h);
                terms(TaxonomyKind::Regions, &brief.regions, &mut h);
                terms(TaxonomyKind::Authors, &brief.authors, &mut h);
                briefs(&self.xref.related[b], &mut h);
            }
            Job::Actor(a) => {
                let actor = &g.actors[a];
                (
                    &actor.name,
                    &actor.slug,
                    &actor.aliases,
                    &actor.kind,
                    &actor.country,
                    &actor.links,
                    actor.implicit(),
                )
                    .hash(&mut h);
                self.bodies.actors[a]
                    .as_ref()
                    .map(|b| b.output_hash())
                    .hash(&mut h);
                actors(&actor.affiliations, &mut h);
                actors(&self.xref.members[a], &mut h);
                briefs(&actor.briefs, &mut h);
                briefs(&self.xref.mentioned_by[a], &mut h);
                events(&actor.events, &mut h);
                for &(other, count) in &self.xref.co_actors[a] {
                    (cards.actor_hashes[other], count).hash(&mut h);
                }
            }
            Job::Event(e) => {
                let event = &g.events[e];
                (
                    &event.title,
                    &event.slug,
                    &event.date,
                    &event.end_date,
                    &event.location,
                    &event.sources,
                )
                    .hash(&mut h);
                self.bodies.events[e]
                    .as_ref()
                    .map(|b| b.output_hash())
                    .hash(&mut h);
                actors(&event.actors, &mut h);
                briefs(&event.briefs, &mut h);
                e.checked_sub(1).map(|p| cards.event_hashes[p]).hash(&mut h);
                cards.event_hashes.get(e + 1).hash(&mut h);
            }
            Job::Terms(kind) => self.taxonomy_summary(kind, &mut h),
            Job::Term(kind, t) => {
                let term = &self.taxonomy(kind).terms[t];
                (kind.path(), &term.name, &term.url, &term.author).hash(&mut h);
                briefs(&term.briefs, &mut h);
            }
            Job::Page(p) => {
                let page = &g.pages[p];
                (page.doc.source.hash, self.bodies.pages[p].output_hash()).hash(&mut h);
            }
            Job::Search | Job::NotFound => {}
        }
        h.finish()
    }

    fn taxonomy_summary(&self, kind: TaxonomyKind, h: &mut DefaultHasher) {
        for term in &self.taxonomy(kind).terms {
            (&term.name, &term.url, term.briefs.len()).hash(h);
        }
    }

    /// A hash of everything data file `name` (one of [`super::DATA_FILES`]) is made from.
    pub fn data_fingerprint(&self, name: &str) -> u64 {
        let g = self.graph;
        let mut h = DefaultHasher::default();
        (name, &g.config).hash(&mut h);
        let slugs_of_briefs = |list: &[usize], h: &mut DefaultHasher| {
            list.iter().for_each(|&b| g.briefs[b].slug.hash(h))
        };
        let slugs_of_actors = |list: &[usize], h: &mut DefaultHasher| {
            list.iter().for_each(|&a| g.actors[a].slug.hash(h))
        };
        let slugs_of_events = |list: &[usize], h: &mut DefaultHasher| {
            list.iter().for_each(|&e| g.events[e].slug.hash(h))
        };
        match name {
            "sitemap.xml" => {
                for brief in &g.briefs {
                    (
                        &brief.slug,
                        brief.doc.updated.as_ref().unwrap_or(&brief.doc.date),
                    )
                        .hash(&mut h);
                }
                slugs_of_actors(&(0..g.actors.len()).collect::<Vec<_>>(), &mut h);
                slugs_of_events(&(0..g.events.len()).collect::<Vec<_>>(), &mut h);
                for kind in [
                    TaxonomyKind::Topics,
                    TaxonomyKind::Regions,
                    TaxonomyKind::Authors,
                ] {
                    self.taxonomy(kind)
                        .terms
                        .iter()
                        .for_each(|t| t.slug.hash(&mut h));
                }
                g.pages.iter().for_each(|p| p.doc.slug.hash(&mut h));
            }
            "api/briefs.json" => {
                for (b, brief) in g.briefs.iter().enumerate() {
                    (self.cards.brief_hashes[b], self.bodies.briefs[b].data_hash).hash(&mut h);
                    brief.doc.updated.hash(&mut h);
                    hash_authors(&brief.doc.front.authors, &mut h);
                    slugs_of_actors(&brief.actors, &mut h);
                    slugs_of_actors(&self.xref.mentioned_only[b], &mut h);
                    slugs_of_events(&brief.events, &mut h);
                    brief
                        .topics
                        .iter()
                        .for_each(|&t| g.topics.terms[t].slug.hash(&mut h));
                    brief
                        .regions
                        .iter()
                        .for_each(|&t| g.regions.terms[t].slug.hash(&mut h));
                }
            }
            "api/actors.json" => {
                for (a, actor) in g.actors.iter().enumerate() {
                    (
                        &actor.slug,
                        &actor.name,
                        &actor.aliases,
                        &actor.kind,
                        &actor.country,
                        actor.implicit(),
                    )
                        .hash(&mut h);
                    slugs_of_actors(&actor.affiliations, &mut h);
                    slugs_of_briefs(&actor.briefs, &mut h);
                    slugs_of_briefs(&self.xref.mentioned_by[a], &mut h);
                    slugs_of_events(&actor.events, &mut h);
                }
            }
            "api/events.json" => {
                for event in &g.events {
                    (
                        &event.slug,
                        &event.title,
                        &event.date,
                        &event.end_date,
                        &event.location,
                        &event.sources,
                    )
                        .hash(&mut h);
                    slugs_of_actors(&event.actors, &mut h);
                    slugs_of_briefs(&event.briefs, &mut h);
                }
            }
            "feed.xml" => {
                for (b, brief) in g.briefs.iter().enumerate().take(g.config.feed_limit) {
                    (
                        self.cards.brief_hashes[b],
                        &brief.doc.date,
                        &brief.doc.updated,
                    )
                        .hash(&mut h);
                    hash_authors(&brief.doc.front.authors, &mut h);
                    brief
                        .topics
                        .iter()
                        .for_each(|&t| g.topics.terms[t].name.hash(&mut h));
                }
            }
            _ => {}
        }
        h.finish()
    }

    /// A hash of the `site` view every page receives.
    pub fn site_fingerprint(&self) -> u64 {
        crate::hash::hash_of(&self.site_view())
    }
}

fn hash_authors(authors: &[crate::load::AuthorRef], h: &mut DefaultHasher) {
    for author in authors {
        match author {
            crate::load::AuthorRef::Name(name) => name.hash(h),
            crate::load::AuthorRef::Full(full) => full.hash(h),
        }
    }
}
