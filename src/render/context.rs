//! What each page shows, defined once: [`Site::view`] gives a page's template and view,
//! from which come both its template context ([`PageView::context`]) and its fingerprint
//! ([`Site::fingerprint`]), so that a field added to a page changes both. Views borrow
//! from the graph and the site's cards; nothing is cloned per page beyond what
//! serialisation needs.

use std::borrow::Cow;
use std::hash::Hash;

use serde::Serialize;

use super::bodies::BriefBody;
use super::metadata::{CiteView, Head};
use super::network::NetworkView;
use super::pages::{Job, TaxonomyKind, HOME_BRIEFS, HOME_EVENTS};
use super::paginate::{page_items, Paginator};
use super::timelines::{Timeline, YearStrip};
use super::views::{author_view, links, AuthorView, Card, LinkView, TermCard, YearGroup};
use super::{CalendarOf, FeedOf, Site};
use crate::date::DateView;
use crate::hash::hash_of;
use crate::markdown::{ListSection, Section, TocEntry};
use crate::resolve::{Taxonomy, Term};

/// A page: its template, the fields every page has, and what is particular to its kind.
#[derive(Hash)]
pub struct PageView<'a> {
    /// The template that renders it.
    pub template: &'static str,
    meta: Meta<'a>,
    content: Content<'a>,
    /// Where the page is in its list, for a page of a list.
    paginator: Option<Paginator>,
}

/// What is particular to each kind of page, under the names templates read.
#[derive(Hash)]
enum Content<'a> {
    Home {
        latest_briefs: Vec<&'a Card>,
        recent_events: Vec<&'a Card>,
        topics: Vec<TermCard<'a>>,
    },
    Briefs(Vec<BriefYear<'a>>),
    Brief(Box<BriefPage<'a>>),
    Actors {
        groups: Vec<KindGroup<'a>>,
        network: NetworkView<'a>,
    },
    Actor(Box<ActorPage<'a>>),
    Events {
        timeline: Vec<YearStrip<'a>>,
        years: Vec<YearLink>,
    },
    Event(Box<EventPage<'a>>),
    Terms(TermsPage<'a>),
    Term(TermPage<'a>),
    Page(FreePage<'a>),
    /// Search and 404: the common fields only.
    Plain,
}

impl PageView<'_> {
    /// The template context.
    pub fn context(&self) -> tera::Context {
        let mut ctx = tera::Context::new();
        ctx.insert("meta", &self.meta);
        if let Some(paginator) = &self.paginator {
            ctx.insert("paginator", paginator);
        }
        match &self.content {
            Content::Home {
                latest_briefs,
                recent_events,
                topics,
            } => {
                ctx.insert("latest_briefs", latest_briefs);
                ctx.insert("recent_events", recent_events);
                ctx.insert("topics", topics);
            }
            Content::Briefs(years) => ctx.insert("years", years),
            Content::Brief(page) => ctx.insert("brief", page),
            Content::Actors { groups, network } => {
                ctx.insert("groups", groups);
                ctx.insert("network", network);
            }
            Content::Actor(page) => ctx.insert("actor", page),
            Content::Events { timeline, years } => {
                ctx.insert("timeline", timeline);
                ctx.insert("years", years);
            }
            Content::Event(page) => ctx.insert("event", page),
            Content::Terms(page) => ctx.insert("taxonomy", page),
            Content::Term(page) => ctx.insert("term", page),
            Content::Page(page) => ctx.insert("page", page),
            Content::Plain => {}
        }
        ctx
    }
}

/// A part of a rendered body: serialised as the part, hashed by the hash of the whole
/// body (computed once when it was rendered), so fingerprinting a page does not hash its
/// text again.
struct BodyPart<'a, T: ?Sized> {
    value: &'a T,
    body_hash: u64,
}

impl<T: Serialize + ?Sized> Serialize for BodyPart<'_, T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(serializer)
    }
}

fn body_part<T: ?Sized>(value: &T, body_hash: u64) -> BodyPart<'_, T> {
    BodyPart { value, body_hash }
}

impl<T: ?Sized> Hash for BodyPart<'_, T> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.body_hash.hash(state);
    }
}

/// Common fields of every page.
#[derive(Serialize, Hash)]
struct Meta<'a> {
    title: &'a str,
    description: Cow<'a, str>,
    /// Path of the page (under the base path).
    url: String,
    /// Which kind of page (`brief`, `actor`, …), for styling.
    kind: &'static str,
    /// Canonical URL, OpenGraph, Highwire and JSON-LD fields.
    #[serde(flatten)]
    head: Head<'a>,
    /// Whether the page shows highlighted code (and so needs `syntax.css`).
    has_code: bool,
    /// The page's own Atom feed (terms and actors, with `feeds` on), and its title.
    feed_url: Option<String>,
    feed_title: Option<String>,
    /// The page's iCalendar file (the timeline, actors with events).
    ics_url: Option<String>,
    /// The page in the site's other languages (none with one language).
    #[serde(flatten)]
    versions: super::alternates::Versions<'a>,
}

impl<'a> Meta<'a> {
    /// The same, with a description of its own.
    fn describe(self, description: String) -> Meta<'a> {
        Meta {
            description: Cow::Owned(description),
            ..self
        }
    }
}

/// What a brief page receives as `brief`.
#[derive(Serialize, Hash)]
struct BriefPage<'a> {
    title: &'a str,
    subtitle: Option<&'a str>,
    slug: &'a str,
    url: &'a str,
    date: DateView,
    updated: Option<DateView>,
    authors: Vec<AuthorView<'a>>,
    summary: &'a str,
    image: Option<ImageView<'a>>,
    intro: BodyPart<'a, str>,
    key_points: BodyPart<'a, Option<ListSection>>,
    background: BodyPart<'a, Option<Section>>,
    recommendations: BodyPart<'a, Option<ListSection>>,
    sections: BodyPart<'a, [Section]>,
    toc: BodyPart<'a, [TocEntry]>,
    footnotes: BodyPart<'a, [crate::markdown::footnotes::Footnote]>,
    actors: Vec<&'a Card>,
    mentioned_actors: Vec<&'a Card>,
    events: Vec<&'a Card>,
    timeline_picture: Option<Timeline<'a>>,
    topics: Vec<LinkView<'a>>,
    regions: Vec<LinkView<'a>>,
    related: Vec<&'a Card>,
    reading_minutes: usize,
    draft: bool,
    cite: CiteView<'a>,
}

#[derive(Serialize, Hash)]
struct ImageView<'a> {
    src: &'a str,
    alt: &'a str,
    credit: Option<&'a str>,
}

#[derive(Serialize, Hash)]
struct ActorPage<'a> {
    name: &'a str,
    slug: &'a str,
    url: &'a str,
    aliases: &'a [String],
    kind: Option<&'a str>,
    country: Option<&'a str>,
    links: Vec<LinkView<'a>>,
    body: &'a str,
    /// The language of the text, when it is not the page's (no translation).
    lang: Option<&'a str>,
    implicit: bool,
    affiliations: Vec<&'a Card>,
    members: Vec<&'a Card>,
    tagged_briefs: Vec<&'a Card>,
    mentioned_briefs: Vec<&'a Card>,
    timeline: Vec<YearGroup<'a>>,
    timeline_picture: Option<Timeline<'a>>,
    co_actors: Vec<CoActor<'a>>,
    network: NetworkView<'a>,
    /// How many briefs tag or mention the actor, over all pages of its list.
    brief_count: usize,
}

#[derive(Serialize, Hash)]
struct CoActor<'a> {
    actor: &'a Card,
    count: usize,
}

#[derive(Serialize, Hash)]
struct EventPage<'a> {
    title: &'a str,
    slug: &'a str,
    url: &'a str,
    date: DateView,
    end_date: Option<DateView>,
    location: Option<&'a str>,
    sources: Vec<LinkView<'a>>,
    body: &'a str,
    /// The language of the text, when it is not the page's (no translation).
    lang: Option<&'a str>,
    actors: Vec<&'a Card>,
    briefs: Vec<&'a Card>,
    previous: Option<&'a Card>,
    next: Option<&'a Card>,
}

#[derive(Serialize, Hash)]
struct TermPage<'a> {
    kind: &'static str,
    kind_title: &'a str,
    name: &'a str,
    title: &'a str,
    description: Option<&'a str>,
    url: &'a str,
    briefs: Vec<&'a Card>,
    /// How many briefs the term has, over all pages of its list.
    count: usize,
    author: Option<AuthorView<'a>>,
}

#[derive(Serialize, Hash)]
struct TermsPage<'a> {
    kind: &'static str,
    title: &'a str,
    terms: Vec<TermCard<'a>>,
}

#[derive(Serialize, Hash)]
struct KindGroup<'a> {
    kind: String,
    actors: Vec<&'a Card>,
}

/// A year of the timeline and the page of it where the year starts.
#[derive(Serialize, Hash)]
struct YearLink {
    year: i32,
    url: String,
}

#[derive(Serialize, Hash)]
struct BriefYear<'a> {
    year: i32,
    briefs: Vec<&'a Card>,
}

#[derive(Serialize, Hash)]
struct FreePage<'a> {
    title: &'a str,
    description: Option<&'a str>,
    url: &'a str,
    body: &'a str,
    /// The language of the text, when it is not the page's (no translation).
    lang: Option<&'a str>,
}

impl<'g> Site<'g> {
    /// `lang` if it is not the language of the pages being rendered.
    fn foreign(&self, lang: Option<&'g String>) -> Option<&'g str> {
        lang.map(String::as_str)
            .filter(|lang| *lang != self.graph.config.language)
    }

    /// The template and context of a page.
    pub fn context(&self, job: Job) -> (&'static str, tera::Context) {
        let body = self.page_body(job);
        let view = self.view(job, body.as_deref());
        (view.template, view.context())
    }

    /// The body a brief's page shows, with all its HTML (decompressed if packed: see
    /// [`super::packed`]).
    fn page_body(&self, job: Job) -> Option<Cow<'_, BriefBody>> {
        match job {
            Job::Brief(b) => Some(self.bodies.briefs[b].full()),
            _ => None,
        }
    }

    /// A hash of everything `job`'s page shows (the caller mixes in the templates and the
    /// site view): between two rebuilds, a page whose fingerprint did not change renders
    /// to the same bytes.
    pub fn fingerprint(&self, job: Job) -> u64 {
        // A body part hashes as its body's hash, which a packed body keeps: the view of
        // the body as it is stored hashes the same as the view of its whole text.
        hash_of(&self.view(job, None))
    }

    /// What the page of `job` shows; a brief's page shows `body`, [`Site::page_body`]'s.
    fn view<'a>(&'a self, job: Job, body: Option<&'a BriefBody>) -> PageView<'a> {
        let (template, mut meta, content) = match job {
            Job::Brief(_) | Job::Actor(..) | Job::Event(_) | Job::Term(..) | Job::Page(_) => {
                self.item_view(job, body)
            }
            _ => self.index_view(job),
        };
        meta.head = self.head(job, &meta.description);
        PageView {
            template,
            meta,
            content,
            paginator: self.paginator(job),
        }
    }

    /// The common fields of `job`'s page, with its title, description and kind.
    fn meta<'a>(
        &'a self,
        job: Job,
        title: &'a str,
        description: &'a str,
        kind: &'static str,
    ) -> Meta<'a> {
        let g = self.graph;
        let feed = match job {
            Job::Term(kind, t, _) => Some(FeedOf::Term(kind, t)),
            Job::Actor(a, _) => Some(FeedOf::Actor(a)),
            _ => None,
        }
        .filter(|_| g.config.feeds);
        let calendar = match job {
            Job::Events(_) => Some(CalendarOf::Site),
            Job::Actor(a, 1) => Some(CalendarOf::Actor(a)),
            _ => None,
        }
        .filter(|&c| self.has_calendar(c));
        Meta {
            title,
            description: Cow::Borrowed(description),
            versions: self.versions(&self.url_of(job)),
            url: self.url_of(job),
            kind,
            head: Head::default(),
            has_code: self.has_code(job),
            feed_url: feed.map(|f| self.feed_url(f)),
            feed_title: feed.map(|f| self.feed_title(f)),
            ics_url: calendar.map(|c| self.calendar_url(c)),
        }
    }

    /// The template, common fields and content of the page of one brief, actor, event,
    /// term or free page.
    fn item_view<'a>(
        &'a self,
        job: Job,
        body: Option<&'a BriefBody>,
    ) -> (&'static str, Meta<'a>, Content<'a>) {
        let g = self.graph;
        let site_description = g.config.description.as_str();
        let meta = |title, description, kind| self.meta(job, title, description, kind);
        match job {
            Job::Brief(b) => (
                "brief.html",
                meta(
                    &g.briefs[b].doc.front.title,
                    self.bodies.briefs[b].summary_text.as_str(),
                    "brief",
                ),
                Content::Brief(Box::new(
                    self.brief_page(b, body.unwrap_or(&self.bodies.briefs[b])),
                )),
            ),
            Job::Actor(a, n) => (
                "actor.html",
                meta(&g.actors[a].name, "", "actor").describe(self.actor_description(a)),
                Content::Actor(Box::new(self.actor_page(a, n, self.page_range(job, n)))),
            ),
            Job::Event(e) => (
                "event.html",
                meta(&g.events[e].title, "", "event").describe(self.event_description(e)),
                Content::Event(Box::new(self.event_page(e))),
            ),
            Job::Term(kind, t, n) => {
                let term = &self.taxonomy(kind).terms[t];
                let range = self.page_range(job, n);
                (
                    "term.html",
                    meta(
                        &term.title,
                        term.description.as_deref().unwrap_or(site_description),
                        "term",
                    ),
                    Content::Term(self.term_page(kind, term, range)),
                )
            }
            Job::Page(p) => {
                let page = self.free_page(p);
                let description = page.description.unwrap_or(site_description);
                (
                    "page.html",
                    meta(page.title, description, "page"),
                    Content::Page(page),
                )
            }
            Job::Home
            | Job::Briefs(_)
            | Job::Actors
            | Job::Events(_)
            | Job::Terms(_)
            | Job::Search
            | Job::NotFound => self.index_view(job),
        }
    }

    /// The template, common fields and content of the home page, a list or an index.
    fn index_view(&self, job: Job) -> (&'static str, Meta<'_>, Content<'_>) {
        let g = self.graph;
        let site_description = g.config.description.as_str();
        let meta = |title, description, kind| self.meta(job, title, description, kind);
        match job {
            Job::Home => {
                let latest: Vec<usize> = (0..g.briefs.len().min(HOME_BRIEFS)).collect();
                let recent = (0..g.events.len()).rev().take(HOME_EVENTS);
                (
                    "index.html",
                    meta(&g.config.title, site_description, "home"),
                    Content::Home {
                        latest_briefs: self.brief_cards(&latest),
                        recent_events: recent.map(|e| self.event_card(e)).collect(),
                        topics: term_cards(&g.topics),
                    },
                )
            }
            Job::Briefs(n) => (
                "briefs.html",
                meta(self.locale.text("briefs"), site_description, "briefs"),
                Content::Briefs(self.brief_years(self.page_range(job, n))),
            ),
            Job::Actors => (
                "actors.html",
                meta(self.locale.text("actors"), site_description, "actors"),
                Content::Actors {
                    groups: self.actor_groups(),
                    network: self.actors_network(),
                },
            ),
            Job::Events(n) => (
                "events.html",
                meta(self.locale.text("timeline"), site_description, "events"),
                Content::Events {
                    timeline: self.year_strips(self.page_range(job, n)),
                    years: self.year_links(),
                },
            ),
            Job::Terms(kind) => {
                let title = self.locale.text(kind.title_keys().1);
                (
                    "terms.html",
                    meta(title, site_description, "terms"),
                    Content::Terms(TermsPage {
                        kind: kind.path(),
                        title,
                        terms: term_cards(self.taxonomy(kind)),
                    }),
                )
            }
            Job::Search => (
                "search.html",
                meta(self.locale.text("search"), site_description, "search"),
                Content::Plain,
            ),
            Job::NotFound => (
                "404.html",
                meta(self.locale.text("not_found"), site_description, "not-found"),
                Content::Plain,
            ),
            Job::Brief(_) | Job::Actor(..) | Job::Event(_) | Job::Term(..) | Job::Page(_) => {
                self.item_view(job, None)
            }
        }
    }

    /// The items page `n` of `job`'s list holds.
    fn page_range(&self, job: Job, n: usize) -> std::ops::Range<usize> {
        let items = self.list_len(job).unwrap_or(0);
        page_items(items, self.graph.config.paginate_by, n)
    }

    /// Where `job`'s page is in its list, for a page of a list.
    fn paginator(&self, job: Job) -> Option<Paginator> {
        let items = self.list_len(job)?;
        let (base, n) = match job {
            Job::Briefs(n) => (self.url_of(Job::Briefs(1)), n),
            Job::Events(n) => (self.url_of(Job::Events(1)), n),
            Job::Actor(a, n) => (self.url_of(Job::Actor(a, 1)), n),
            Job::Term(k, t, n) => (self.url_of(Job::Term(k, t, 1)), n),
            _ => return None,
        };
        Some(Paginator::new(
            &base,
            items,
            self.graph.config.paginate_by,
            n,
        ))
    }

    /// Every year of the timeline, with the URL of the page where its events start.
    fn year_links(&self) -> Vec<YearLink> {
        let per_page = self.graph.config.paginate_by.max(1);
        let mut years: Vec<YearLink> = Vec::new();
        for (e, event) in self.graph.events.iter().enumerate() {
            let year = event.date.year();
            if years.last().is_none_or(|y| y.year != year) {
                let page = self.url_of(Job::Events(e / per_page + 1));
                years.push(YearLink {
                    year,
                    url: format!("{page}#year-{year}"),
                });
            }
        }
        years
    }

    /// Whether the body of `job`'s page has highlighted code.
    fn has_code(&self, job: Job) -> bool {
        let bodies = self.bodies;
        match job {
            Job::Brief(b) => bodies.briefs[b].rendered.has_code,
            Job::Actor(a, 1) => bodies.actors[a].as_ref().is_some_and(|b| b.has_code),
            Job::Event(e) => bodies.events[e].as_ref().is_some_and(|b| b.has_code),
            Job::Page(p) => bodies.pages[p].has_code,
            _ => false,
        }
    }

    fn term_page<'s>(
        &'s self,
        kind: TaxonomyKind,
        term: &'s Term,
        range: std::ops::Range<usize>,
    ) -> TermPage<'s> {
        TermPage {
            kind: kind.path(),
            kind_title: self.locale.text(kind.title_keys().0),
            name: &term.name,
            title: &term.title,
            description: term.description.as_deref(),
            url: &term.url,
            briefs: self.brief_cards(&term.briefs[range]),
            count: term.briefs.len(),
            author: (kind == TaxonomyKind::Authors)
                .then(|| author_view(term, term.author.as_ref())),
        }
    }

    fn free_page(&self, p: usize) -> FreePage<'_> {
        let page = &self.graph.pages[p];
        FreePage {
            title: &page.doc.front.title,
            description: page.doc.front.description.as_deref(),
            url: &page.url,
            body: &self.bodies.pages[p].parts.intro,
            lang: self.foreign(page.doc.lang.as_ref()),
        }
    }

    /// The cards of the briefs in `range` (of all, newest first), by year.
    fn brief_years(&self, range: std::ops::Range<usize>) -> Vec<BriefYear<'_>> {
        let mut years: Vec<BriefYear> = Vec::new();
        for b in range {
            let card = self.brief_card(b);
            let year = self.graph.briefs[b].doc.date.year();
            match years.last_mut() {
                Some(y) if y.year == year => y.briefs.push(card),
                _ => years.push(BriefYear {
                    year,
                    briefs: vec![card],
                }),
            }
        }
        years
    }

    fn brief_page<'a>(&'a self, b: usize, body: &'a BriefBody) -> BriefPage<'a> {
        let g = self.graph;
        let brief = &g.briefs[b];
        let front = &brief.doc.front;
        let parts = &body.rendered.parts;
        let h = body.rendered.hash;
        let mut events = brief.events.clone();
        events.sort_unstable();
        BriefPage {
            title: &front.title,
            subtitle: front.subtitle.as_deref(),
            slug: &brief.slug,
            url: &brief.url,
            date: self.locale.date_view(&brief.doc.date),
            updated: brief.doc.updated.as_ref().map(|d| self.locale.date_view(d)),
            authors: brief
                .authors
                .iter()
                .map(|&a| {
                    let term = &g.authors.terms[a];
                    // The details this brief gives; a bare name shows none.
                    let own = front.authors.iter().find_map(|r| match r {
                        crate::load::AuthorRef::Full(a)
                            if crate::slug::slugify(&a.name) == term.slug =>
                        {
                            Some(a)
                        }
                        _ => None,
                    });
                    let mut view = author_view(term, None);
                    if let Some(own) = own {
                        view.affiliation = own.affiliation.as_deref();
                        view.homepage = own.url.as_deref();
                    }
                    view
                })
                .collect(),
            summary: &body.summary_html,
            image: front.image.as_ref().and_then(|image| {
                let (alt, credit) = match image {
                    crate::load::ImageRef::Full(i) => {
                        (i.alt.as_deref().unwrap_or(""), i.credit.as_deref())
                    }
                    crate::load::ImageRef::Src(_) => ("", None),
                };
                body.image_url
                    .as_deref()
                    .map(|src| ImageView { src, alt, credit })
            }),
            intro: body_part(parts.intro.as_str(), h),
            key_points: body_part(&parts.key_points, h),
            background: body_part(&parts.background, h),
            recommendations: body_part(&parts.recommendations, h),
            sections: body_part(parts.sections.as_slice(), h),
            toc: body_part(body.rendered.toc.as_slice(), h),
            footnotes: body_part(body.rendered.footnotes.as_slice(), h),
            actors: self.actor_cards(&brief.actors),
            mentioned_actors: self.actor_cards(&self.xref.mentioned_only[b]),
            events: events.iter().map(|&e| self.event_card(e)).collect(),
            timeline_picture: self.timeline_picture(
                &events,
                "tl-brief",
                self.locale.text("brief_timeline"),
            ),
            topics: brief
                .topics
                .iter()
                .map(|&t| self.term_link(&g.topics.terms[t]))
                .collect(),
            regions: brief
                .regions
                .iter()
                .map(|&t| self.term_link(&g.regions.terms[t]))
                .collect(),
            related: self.brief_cards(&self.xref.related[b]),
            reading_minutes: body.rendered.words.div_ceil(220).max(1),
            draft: front.draft,
            cite: self.cite_view(b),
        }
    }

    /// Page `n` of an actor: its header and the briefs in `range` of its list (those that
    /// tag it, then those that only mention it); the rest of what it shows on page 1 only.
    fn actor_page(&self, a: usize, n: usize, range: std::ops::Range<usize>) -> ActorPage<'_> {
        let g = self.graph;
        let actor = &g.actors[a];
        let mentioned = &self.xref.mentioned_by[a];
        let tagged = actor.briefs.len();
        let tagged_range = range.start.min(tagged)..range.end.min(tagged);
        let mentioned_range = range.start.max(tagged) - tagged..range.end.max(tagged) - tagged;
        let first = n == 1;
        let none: &[usize] = &[];
        let events = if first { actor.events.as_slice() } else { none };
        ActorPage {
            lang: self.foreign(actor.doc.as_ref().and_then(|d| d.lang.as_ref())),
            name: &actor.name,
            slug: &actor.slug,
            url: &actor.url,
            aliases: &actor.aliases,
            kind: actor.kind.as_deref(),
            country: actor.country.as_deref(),
            links: if first {
                links(&actor.links)
            } else {
                Vec::new()
            },
            body: self.bodies.actors[a]
                .as_ref()
                .filter(|_| first)
                .map_or("", |b| b.parts.intro.as_str()),
            implicit: actor.implicit(),
            affiliations: self.actor_cards(if first { &actor.affiliations } else { none }),
            members: self.actor_cards(if first { &self.xref.members[a] } else { none }),
            tagged_briefs: self.brief_cards(&actor.briefs[tagged_range]),
            mentioned_briefs: self.brief_cards(&mentioned[mentioned_range]),
            timeline: self.timeline(events),
            timeline_picture: self.timeline_picture(
                events,
                "tl-actor",
                &self.locale.format("timeline_of", &[("name", &actor.name)]),
            ),
            co_actors: if first {
                self.xref.co_actors[a]
                    .iter()
                    .map(|&(x, count)| CoActor {
                        actor: self.actor_card(x),
                        count,
                    })
                    .collect()
            } else {
                Vec::new()
            },
            network: if first {
                self.actor_network(a)
            } else {
                NetworkView::default()
            },
            brief_count: tagged + mentioned.len(),
        }
    }

    fn event_page(&self, e: usize) -> EventPage<'_> {
        let g = self.graph;
        let event = &g.events[e];
        EventPage {
            lang: self.foreign(event.doc.as_ref().and_then(|d| d.lang.as_ref())),
            title: &event.title,
            slug: &event.slug,
            url: &event.url,
            date: self.locale.date_view(&event.date),
            end_date: event.end_date.as_ref().map(|d| self.locale.date_view(d)),
            location: event.location.as_deref(),
            sources: links(&event.sources),
            body: self.bodies.events[e]
                .as_ref()
                .map_or("", |b| b.parts.intro.as_str()),
            actors: self.actor_cards(&event.actors),
            briefs: self.brief_cards(&event.briefs),
            previous: e.checked_sub(1).map(|p| self.event_card(p)),
            next: (e + 1 < g.events.len()).then(|| self.event_card(e + 1)),
        }
    }

    fn actor_groups(&self) -> Vec<KindGroup<'_>> {
        let g = self.graph;
        let mut order: Vec<usize> = (0..g.actors.len()).collect();
        let kind_key = |a: usize| {
            g.actors[a]
                .kind
                .as_deref()
                .map(|k| k.trim().to_lowercase())
                .filter(|k| !k.is_empty() && k != "other")
        };
        order.sort_by(|&x, &y| {
            let (kx, ky) = (kind_key(x), kind_key(y));
            (
                kx.is_none(),
                kx,
                g.actors[x].name.to_lowercase(),
                &g.actors[x].slug,
            )
                .cmp(&(
                    ky.is_none(),
                    ky,
                    g.actors[y].name.to_lowercase(),
                    &g.actors[y].slug,
                ))
        });
        let mut groups: Vec<KindGroup> = Vec::new();
        for a in order {
            let kind = kind_key(a).unwrap_or_else(|| "other".to_string());
            match groups.last_mut() {
                Some(grp) if grp.kind == kind => grp.actors.push(self.actor_card(a)),
                _ => groups.push(KindGroup {
                    kind,
                    actors: vec![self.actor_card(a)],
                }),
            }
        }
        groups
    }
}

fn term_cards(taxonomy: &Taxonomy) -> Vec<TermCard<'_>> {
    taxonomy
        .terms
        .iter()
        .map(|t| TermCard {
            name: &t.name,
            title: &t.title,
            description: t.description.as_deref(),
            url: &t.url,
            count: t.briefs.len(),
        })
        .collect()
}
