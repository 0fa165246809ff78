//! What templates receive: light, borrowed views of the graph. List pages get cards
//! (title, date, summary), never whole bodies. `docs/templates.md` documents each field.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Arc;

use crate::hash::hash_of;

use rayon::prelude::*;
use serde::Serialize;
use tera::Value;

use super::{Site, Templates};
use crate::date::DateView;
use crate::diagnostics::Diagnostic;
use crate::load::{Author, Link};
use crate::resolve::{Actor, Event, Term};

/// The site, given to every template as `site`.
#[derive(Serialize, Hash)]
pub struct SiteView<'a> {
    /// `site.yaml`'s `title`.
    pub title: &'a str,
    /// `site.yaml`'s `description`.
    pub description: &'a str,
    /// `<html lang>`.
    pub language: &'a str,
    /// URL prefix, `/` or `/sub/` (`/sub/fr/` in another language than the default);
    /// every link to a page starts with it.
    pub base_path: &'a str,
    /// The site's root, where theme files (`style.css`…) and content assets are.
    pub root_path: &'a str,
    /// The languages of a multilingual site, for the language switcher (empty with one
    /// language).
    pub languages: &'a [crate::resolve::languages::LanguageLink],
    /// Where the site is published.
    pub base_url: &'a str,
    /// Whether `/search/` is built.
    pub search: bool,
    /// Whether the feeds and calendars are built.
    pub feeds: bool,
    /// How many briefs, actors, events and terms there are.
    pub counts: Counts,
    /// Free pages, for the footer.
    pub pages: Vec<LinkView<'a>>,
    /// `rtl` for a language written right to left (`<html dir>`), else none.
    pub dir: Option<&'static str>,
    /// The theme scripts' strings as JSON, when the language's differ from English.
    pub script_strings: Option<String>,
}

/// How much there is.
#[derive(Serialize, Clone, Copy, Hash)]
pub struct Counts {
    /// Briefs.
    pub briefs: usize,
    /// Actors, implicit ones included.
    pub actors: usize,
    /// Events.
    pub events: usize,
    /// Topics.
    pub topics: usize,
    /// Regions.
    pub regions: usize,
    /// Authors.
    pub authors: usize,
}

/// A title and a URL.
#[derive(Serialize, Hash)]
pub struct LinkView<'a> {
    /// The link's text.
    pub title: &'a str,
    /// Where it points.
    pub url: &'a str,
}

/// A brief in a list.
#[derive(Serialize, Hash)]
pub struct BriefCard<'a> {
    /// The brief's title.
    pub title: &'a str,
    /// The line under the title.
    pub subtitle: Option<&'a str>,
    /// The brief's page.
    pub url: &'a str,
    /// Publication date.
    pub date: DateView,
    /// HTML.
    pub summary: &'a str,
    /// Links to the authors' pages.
    pub authors: Vec<LinkView<'a>>,
}

/// An actor in a list.
#[derive(Serialize, Hash)]
pub struct ActorCard<'a> {
    /// The name shown.
    pub name: &'a str,
    /// The actor's page.
    pub url: &'a str,
    /// `state`, `person`…, as written.
    pub kind: Option<&'a str>,
    /// Whether the actor has no record of its own.
    pub implicit: bool,
}

/// An event in a list or timeline.
#[derive(Serialize, Hash)]
pub struct EventCard<'a> {
    /// The event's title.
    pub title: &'a str,
    /// The event's page.
    pub url: &'a str,
    /// When it happened (or began).
    pub date: DateView,
    /// Last day, for events that last several days.
    pub end_date: Option<DateView>,
    /// Where it happened.
    pub location: Option<&'a str>,
}

/// Events of one year.
#[derive(Serialize, Hash)]
pub struct YearGroup<'s> {
    /// The calendar year.
    pub year: i32,
    /// Event cards.
    pub events: Vec<&'s Card>,
}

/// A card converted to a template value once per build, with the hash of what it shows.
/// A page that lists it serialises the value and hashes the hash: the page's context and
/// its fingerprint come from the same view.
pub struct Card {
    /// Shared with the card cache, which keeps it for the next rebuild.
    value: Arc<Value>,
    hash: u64,
}

impl Card {
    /// The hash of the card's fields (the key of its cached value).
    pub fn card_hash(&self) -> u64 {
        self.hash
    }
}

impl Serialize for Card {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(serializer)
    }
}

impl Hash for Card {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.hash.hash(state);
    }
}

/// Every brief, actor and event card, converted to template values once per build, so
/// lists that repeat a card (actor pages, terms, related briefs) share it instead of
/// serialising it again.
#[derive(Default)]
pub struct Cards {
    /// Brief cards, by index in the graph.
    pub briefs: Vec<Card>,
    /// Actor cards, by index in the graph.
    pub actors: Vec<Card>,
    /// Event cards, by index in the graph.
    pub events: Vec<Card>,
}

/// Card values by card hash, kept between rebuilds.
#[derive(Default)]
pub struct CardCache {
    briefs: HashMap<u64, Arc<Value>>,
    actors: HashMap<u64, Arc<Value>>,
    events: HashMap<u64, Arc<Value>>,
}

/// How a kind of card is rendered: its partial template, and the name the partial gives
/// the card.
struct Partial {
    template: &'static str,
    name: &'static str,
}

const BRIEF_CARD: Partial = Partial {
    template: "partials/brief_card.html",
    name: "card",
};
const ACTOR_CHIP: Partial = Partial {
    template: "partials/actor_chip.html",
    name: "chip",
};
const EVENT_ITEM: Partial = Partial {
    template: "partials/event_item.html",
    name: "item",
};

/// A card's fields with its HTML, rendered once by its partial template.
#[derive(Serialize)]
struct WithHtml<'a, T> {
    #[serde(flatten)]
    card: &'a T,
    html: String,
}

/// Converts cards to values with their HTML, reusing those of `cache` with the same
/// hash, and leaves in `cache` exactly the current cards. On failure, the partial
/// template's error (once).
fn convert<T: Serialize + Hash + Sync>(
    cards: &[T],
    partial: &Partial,
    templates: &Templates,
    cache: &mut HashMap<u64, Arc<Value>>,
) -> Result<Vec<Card>, Diagnostic> {
    let converted: Result<Vec<Card>, Diagnostic> = cards
        .par_iter()
        .map(|card| {
            let hash = hash_of(card);
            let value = match cache.get(&hash) {
                Some(value) => Arc::clone(value),
                None => Arc::new(with_html(card, partial, templates)?),
            };
            Ok(Card { value, hash })
        })
        .collect();
    let converted = converted?;
    *cache = converted
        .iter()
        .map(|c| (c.hash, Arc::clone(&c.value)))
        .collect();
    Ok(converted)
}

/// The card as a template value, with its HTML.
fn with_html<T: Serialize>(
    card: &T,
    partial: &Partial,
    templates: &Templates,
) -> Result<Value, Diagnostic> {
    let mut context = tera::Context::new();
    context.insert(partial.name, card);
    let html = templates.render(partial.template, &context)?;
    Ok(Value::try_from_serializable(&WithHtml { card, html }).unwrap_or_else(|_| Value::none()))
}

/// An author with details.
#[derive(Serialize, Hash)]
pub struct AuthorView<'a> {
    /// The author's name.
    pub name: &'a str,
    /// The author's page on this site.
    pub url: &'a str,
    /// Institution, as first given.
    pub affiliation: Option<&'a str>,
    /// The author's own homepage, as first given.
    pub homepage: Option<&'a str>,
}

/// A term with its count, for taxonomy indexes.
#[derive(Serialize, Hash)]
pub struct TermCard<'a> {
    /// The term as written.
    pub name: &'a str,
    /// The name shown (`site.yaml`, else derived from the name).
    pub title: &'a str,
    /// What the term covers, from `site.yaml`.
    pub description: Option<&'a str>,
    /// The term's page.
    pub url: &'a str,
    /// How many briefs have it.
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
            root_path: &g.root_path,
            languages: if g.languages.is_multilingual() {
                &g.languages.list
            } else {
                &[]
            },
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
            dir: self.locale.is_rtl().then_some("rtl"),
            script_strings: self.locale.script_strings(),
        }
    }

    /// Card of brief `b`.
    pub fn brief_card(&self, b: usize) -> &Card {
        &self.cards.briefs[b]
    }

    /// Cards of several briefs.
    pub fn brief_cards(&self, briefs: &[usize]) -> Vec<&Card> {
        briefs.iter().map(|&b| self.brief_card(b)).collect()
    }

    /// Card of actor `a`.
    pub fn actor_card(&self, a: usize) -> &Card {
        &self.cards.actors[a]
    }

    /// Cards of several actors.
    pub fn actor_cards(&self, actors: &[usize]) -> Vec<&Card> {
        actors.iter().map(|&a| self.actor_card(a)).collect()
    }

    /// Card of event `e`.
    pub fn event_card(&self, e: usize) -> &Card {
        &self.cards.events[e]
    }

    /// Every card, converted and rendered once (or taken from `cache` when unchanged).
    /// On failure, the errors of the partial templates.
    pub fn make_cards(
        &self,
        templates: &Templates,
        cache: &mut CardCache,
    ) -> Result<Cards, Vec<Diagnostic>> {
        let g = self.graph;
        let briefs = convert(
            &(0..g.briefs.len())
                .map(|b| self.make_brief_card(b))
                .collect::<Vec<_>>(),
            &BRIEF_CARD,
            templates,
            &mut cache.briefs,
        );
        let actors = convert(
            &(0..g.actors.len())
                .map(|a| self.make_actor_card(a))
                .collect::<Vec<_>>(),
            &ACTOR_CHIP,
            templates,
            &mut cache.actors,
        );
        let events = convert(
            &(0..g.events.len())
                .map(|e| self.make_event_card(e))
                .collect::<Vec<_>>(),
            &EVENT_ITEM,
            templates,
            &mut cache.events,
        );
        match (briefs, actors, events) {
            (Ok(briefs), Ok(actors), Ok(events)) => Ok(Cards {
                briefs,
                actors,
                events,
            }),
            (briefs, actors, events) => Err([briefs.err(), actors.err(), events.err()]
                .into_iter()
                .flatten()
                .collect()),
        }
    }

    /// Takes over `previous` (the cards of a site whose graph had this one's structure,
    /// made with the same templates) and makes again the cards of briefs `changed`, the
    /// only ones that can differ, reusing those of `cache` with the same hash (and adding
    /// them to it).
    pub fn remake_brief_cards(
        &mut self,
        templates: &Templates,
        cache: &mut CardCache,
        previous: Cards,
        changed: &[usize],
    ) -> Result<(), Vec<Diagnostic>> {
        let mut cards = previous;
        for &b in changed {
            let card = self.make_brief_card(b);
            let hash = hash_of(&card);
            let value = match cache.briefs.get(&hash) {
                Some(value) => Arc::clone(value),
                None => Arc::new(with_html(&card, &BRIEF_CARD, templates).map_err(|d| vec![d])?),
            };
            cache.briefs.insert(hash, Arc::clone(&value));
            cards.briefs[b] = Card { value, hash };
        }
        self.cards = cards;
        Ok(())
    }

    fn make_brief_card(&self, b: usize) -> BriefCard<'g> {
        let brief = &self.graph.briefs[b];
        BriefCard {
            title: &brief.doc.front.title,
            subtitle: brief.doc.front.subtitle.as_deref(),
            url: &brief.url,
            date: self.locale.date_view(&brief.doc.date),
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
            date: self.locale.date_view(&event.date),
            end_date: event.end_date.as_ref().map(|d| self.locale.date_view(d)),
            location: event.location.as_deref(),
        }
    }

    /// Events grouped by year, in the order given (oldest first for timelines).
    pub fn timeline(&self, events: &[usize]) -> Vec<YearGroup<'_>> {
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

    /// A term as a link, under its display name.
    pub fn term_link(&self, term: &'g Term) -> LinkView<'g> {
        LinkView {
            title: &term.title,
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
