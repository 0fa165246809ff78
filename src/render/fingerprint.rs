//! Fingerprints of the data files (sitemap, JSON…) and of the site view: a hash of
//! what each is made from, computed without building it. A page's fingerprint comes from
//! its view ([`super::context`]).

use std::hash::{Hash, Hasher};

use rustc_hash::FxHasher as DefaultHasher;

use super::pages::TaxonomyKind;
use super::Site;

impl Site<'_> {
    /// A hash of everything data file `name` (one of [`super::DATA_FILES`]) is made from.
    pub fn data_fingerprint(&self, name: &str) -> u64 {
        let g = self.graph;
        let mut h = DefaultHasher::default();
        (name, &g.config).hash(&mut h);
        let slugs_of_briefs = |list: &[usize], h: &mut DefaultHasher| {
            list.iter().for_each(|&b| g.briefs[b].slug.hash(h));
        };
        let slugs_of_actors = |list: &[usize], h: &mut DefaultHasher| {
            list.iter().for_each(|&a| g.actors[a].slug.hash(h));
        };
        let slugs_of_events = |list: &[usize], h: &mut DefaultHasher| {
            list.iter().for_each(|&e| g.events[e].slug.hash(h));
        };
        match name {
            "sitemap.xml" => {
                g.languages.hash.hash(&mut h);
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
                    (
                        crate::hash::hash_of(&self.cards.briefs[b]),
                        self.bodies.briefs[b].data_hash,
                    )
                        .hash(&mut h);
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
