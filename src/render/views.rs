//! What templates receive: light, borrowed views of the graph. List pages get cards
//! (title, date, summary), never whole bodies. `docs/templates.md` documents each field.

use std::collections::HashMap;
use std::hash::Hash;

use crate::hash::hash_of;

use rayon::prelude::*;
use serde::Serialize;
use tera::Value;

use super::Site;
use crate::date::DateView;
use crate::load::{Author, Link};
use crate::resolve::{Actor, Event, Term};

/// The site, given to every template as `site`.
#[derive(Serialize, Hash)]
pub struct SiteView<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub language: &'a str,
    /// URL prefix, `/` or `/sub/`; every link starts with it.
    pub base_path: &'a str,
    pub base_url: &'a str,
    pub search: bool,
    pub feeds: bool,
    pub counts: Counts,
    /// Free pages, for the footer.
    pub pages: Vec<LinkView<'a>>,
}

/// How much there is.
#[derive(Serialize, Clone, Copy, Hash)]
pub struct Counts {
    pub briefs: usize,
    pub actors: usize,
    pub events: usize,
    pub topics: usize,
    pub regions: usize,
    pub authors: usize,
}

/// A title and a URL.
#[derive(Serialize, Hash)]
pub struct LinkView<'a> {
    pub title: &'a str,
    pub url: &'a str,
}

/// A brief in a list.
#[derive(Serialize, Hash)]
pub struct BriefCard<'a> {
    pub title: &'a str,
    pub subtitle: Option<&'a str>,
    pub url: &'a str,
    pub date: DateView,
    /// HTML.
    pub summary: &'a str,
    pub authors: Vec<LinkView<'a>>,
}

/// An actor in a list.
#[derive(Serialize, Hash)]
pub struct ActorCard<'a> {
    pub name: &'a str,
    pub url: &'a str,
    pub kind: Option<&'a str>,
    pub implicit: bool,
}

/// An event in a list or timeline.
#[derive(Serialize, Hash)]
pub struct EventCard<'a> {
    pub title: &'a str,
    pub url: &'a str,
    pub date: DateView,
    pub end_date: Option<DateView>,
    pub location: Option<&'a str>,
}

/// Events of one year.
#[derive(Serialize)]
pub struct YearGroup {
    pub year: i32,
    /// Event cards.
    pub events: Vec<Value>,
}

/// Every brief, actor and event card, converted to template values once per build, so
/// lists that repeat a card (actor pages, terms, related briefs) share it instead of
/// serialising it again. Each card's hash tells later rebuilds whether it changed.
#[derive(Default)]
pub struct Cards {
    pub briefs: Vec<Value>,
    pub actors: Vec<Value>,
    pub events: Vec<Value>,
    pub brief_hashes: Vec<u64>,
    pub actor_hashes: Vec<u64>,
    pub event_hashes: Vec<u64>,
}

/// Card values by card hash, kept between rebuilds.
#[derive(Default)]
pub struct CardCache {
    briefs: HashMap<u64, Value>,
    actors: HashMap<u64, Value>,
    events: HashMap<u64, Value>,
}

/// Converts cards to values, reusing those of `cache` with the same hash; returns the
/// values and hashes, and leaves in `cache` exactly the current cards.
fn convert<T: Serialize + Hash + Sync>(
    cards: Vec<T>,
    cache: &mut HashMap<u64, Value>,
) -> (Vec<Value>, Vec<u64>) {
    let hashes: Vec<u64> = cards.iter().map(hash_of).collect();
    let values: Vec<Value> = cards
        .par_iter()
        .zip(&hashes)
        .map(|(card, hash)| {
            cache.get(hash).cloned().unwrap_or_else(|| {
                Value::try_from_serializable(card).unwrap_or_else(|_| Value::none())
            })
        })
        .collect();
    *cache = hashes.iter().copied().zip(values.iter().cloned()).collect();
    (values, hashes)
}

/// An author with details.
#[derive(Serialize)]
pub struct AuthorView<'a> {
    pub name: &'a str,
    pub url: &'a str,
    pub affiliation: Option<&'a str>,
    pub homepage: Option<&'a str>,
}

/// A term with its count, for taxonomy indexes.
#[derive(Serialize)]
pub struct TermCard<'a> {
    pub name: &'a str,
    pub url: &'a str,
    pub count: usize,
}

impl<'g> Site<'g> {
    /// The site view.
    pub fn site_view(&self) -> SiteView<'g> {
        let g = self.graph;
        SiteView {
            title: &g.config.title,
            description: &g.config.description,
            language: &g.config.language,
            base_path: &g.base_path,
            base_url: &g.config.base_url,
            search: g.config.search,
            feeds: g.config.feeds,
            counts: Counts {
                briefs: g.briefs.len(),
                actors: g.actors.len(),
                events: g.events.len(),
                topics: g.topics.terms.len(),
                regions: g.regions.terms.len(),
                authors: g.authors.terms.len(),
            },
            pages: g
                .pages
                .iter()
                .map(|p| LinkView {
                    title: &p.doc.front.title,
                    url: &p.url,
                })
                .collect(),
        }
    }

    /// Card of brief `b` (shared value).
    pub fn brief_card(&self, b: usize) -> Value {
        self.cards.briefs[b].clone()
    }

    /// Cards of several briefs.
    pub fn brief_cards(&self, briefs: &[usize]) -> Vec<Value> {
        briefs.iter().map(|&b| self.brief_card(b)).collect()
    }

    /// Card of actor `a` (shared value).
    pub fn actor_card(&self, a: usize) -> Value {
        self.cards.actors[a].clone()
    }

    /// Card of event `e` (shared value).
    pub fn event_card(&self, e: usize) -> Value {
        self.cards.events[e].clone()
    }

    /// Every card, converted once (or taken from `cache` when unchanged).
    pub fn make_cards(&self, cache: &mut CardCache) -> Cards {
        let g = self.graph;
        let (briefs, brief_hashes) = convert(
            (0..g.briefs.len())
                .map(|b| self.make_brief_card(b))
                .collect(),
            &mut cache.briefs,
        );
        let (actors, actor_hashes) = convert(
            (0..g.actors.len())
                .map(|a| self.make_actor_card(a))
                .collect(),
            &mut cache.actors,
        );
        let (events, event_hashes) = convert(
            (0..g.events.len())
                .map(|e| self.make_event_card(e))
                .collect(),
            &mut cache.events,
        );
        Cards {
            briefs,
            actors,
            events,
            brief_hashes,
            actor_hashes,
            event_hashes,
        }
    }

    fn make_brief_card(&self, b: usize) -> BriefCard<'g> {
        let brief = &self.graph.briefs[b];
        BriefCard {
            title: &brief.doc.front.title,
            subtitle: brief.doc.front.subtitle.as_deref(),
            url: &brief.url,
            date: (&brief.doc.date).into(),
            summary: &self.bodies.briefs[b].summary_html,
            authors: brief
                .authors
                .iter()
                .map(|&a| self.term_link(&self.graph.authors.terms[a]))
                .collect(),
        }
    }

    fn make_actor_card(&self, a: usize) -> ActorCard<'g> {
        let actor: &'g Actor = &self.graph.actors[a];
        ActorCard {
            name: &actor.name,
            url: &actor.url,
            kind: actor.kind.as_deref(),
            implicit: actor.implicit(),
        }
    }

    fn make_event_card(&self, e: usize) -> EventCard<'g> {
        let event: &'g Event = &self.graph.events[e];
        EventCard {
            title: &event.title,
            url: &event.url,
            date: (&event.date).into(),
            end_date: event.end_date.as_ref().map(Into::into),
            location: event.location.as_deref(),
        }
    }

    /// Events grouped by year, in the order given (oldest first for timelines).
    pub fn timeline(&self, events: &[usize]) -> Vec<YearGroup> {
        let mut groups: Vec<YearGroup> = Vec::new();
        for &e in events {
            let card = self.event_card(e);
            let year = self.graph.events[e].date.year();
            match groups.last_mut() {
                Some(g) if g.year == year => g.events.push(card),
                _ => groups.push(YearGroup {
                    year,
                    events: vec![card],
                }),
            }
        }
        groups
    }

    /// A term as a link.
    pub fn term_link(&self, term: &'g Term) -> LinkView<'g> {
        LinkView {
            title: &term.name,
            url: &term.url,
        }
    }
}

/// An author's details as a view.
pub fn author_view<'a>(term: &'a Term, author: Option<&'a Author>) -> AuthorView<'a> {
    AuthorView {
        name: &term.name,
        url: &term.url,
        affiliation: author.and_then(|a| a.affiliation.as_deref()),
        homepage: author.and_then(|a| a.url.as_deref()),
    }
}

/// Links as views.
pub fn links(list: &[Link]) -> Vec<LinkView<'_>> {
    list.iter()
        .map(|l| LinkView {
            title: &l.title,
            url: &l.url,
        })
        .collect()
}
