//! The HTML pages of SPEC section 5: one job per page, each with its template, output
//! path and context. Contexts borrow from the graph; nothing is cloned per page beyond
//! what serialisation needs.

use serde::Serialize;
use tera::Value;

use super::views::{author_view, links, AuthorView, LinkView, TermCard, YearGroup};
use super::Site;
use crate::date::DateView;
use crate::markdown::{ListSection, Section, TocEntry};
use crate::resolve::{Taxonomy, Term};

/// One page to render.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Job {
    Home,
    Briefs,
    Brief(usize),
    Actors,
    Actor(usize),
    Events,
    Event(usize),
    Terms(TaxonomyKind),
    Term(TaxonomyKind, usize),
    Page(usize),
    Search,
    NotFound,
}

/// Which taxonomy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaxonomyKind {
    Topics,
    Regions,
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

    /// `Topic`, `Topics`
    pub fn titles(self) -> (&'static str, &'static str) {
        match self {
            TaxonomyKind::Topics => ("Topic", "Topics"),
            TaxonomyKind::Regions => ("Region", "Regions"),
            TaxonomyKind::Authors => ("Author", "Authors"),
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

/// Common fields of every page.
#[derive(Serialize)]
struct Meta<'a> {
    title: &'a str,
    description: &'a str,
    /// Path of the page (under the base path).
    url: String,
    /// Which kind of page (`brief`, `actor`, …), for styling.
    kind: &'static str,
}

/// What a brief page receives as `brief`.
#[derive(Serialize)]
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
    intro: &'a str,
    key_points: Option<&'a ListSection>,
    background: Option<&'a Section>,
    recommendations: Option<&'a ListSection>,
    sections: &'a [Section],
    toc: &'a [TocEntry],
    footnotes: &'a [crate::markdown::footnotes::Footnote],
    actors: Vec<Value>,
    mentioned_actors: Vec<Value>,
    events: Vec<Value>,
    topics: Vec<LinkView<'a>>,
    regions: Vec<LinkView<'a>>,
    related: Vec<Value>,
    reading_minutes: usize,
    draft: bool,
}

#[derive(Serialize)]
struct ImageView<'a> {
    src: &'a str,
    alt: &'a str,
    credit: Option<&'a str>,
}

#[derive(Serialize)]
struct ActorPage<'a> {
    name: &'a str,
    slug: &'a str,
    url: &'a str,
    aliases: &'a [String],
    kind: Option<&'a str>,
    country: Option<&'a str>,
    links: Vec<LinkView<'a>>,
    body: &'a str,
    implicit: bool,
    affiliations: Vec<Value>,
    members: Vec<Value>,
    tagged_briefs: Vec<Value>,
    mentioned_briefs: Vec<Value>,
    timeline: Vec<YearGroup>,
    co_actors: Vec<CoActor>,
}

#[derive(Serialize)]
struct CoActor {
    actor: Value,
    count: usize,
}

#[derive(Serialize)]
struct EventPage<'a> {
    title: &'a str,
    slug: &'a str,
    url: &'a str,
    date: DateView,
    end_date: Option<DateView>,
    location: Option<&'a str>,
    sources: Vec<LinkView<'a>>,
    body: &'a str,
    actors: Vec<Value>,
    briefs: Vec<Value>,
    previous: Option<Value>,
    next: Option<Value>,
}

#[derive(Serialize)]
struct TermPage<'a> {
    kind: &'static str,
    kind_title: &'static str,
    name: &'a str,
    url: &'a str,
    briefs: Vec<Value>,
    author: Option<AuthorView<'a>>,
}

#[derive(Serialize)]
struct TermsPage<'a> {
    kind: &'static str,
    title: &'static str,
    terms: Vec<TermCard<'a>>,
}

#[derive(Serialize)]
struct KindGroup {
    kind: String,
    actors: Vec<Value>,
}

#[derive(Serialize)]
struct BriefYear {
    year: i32,
    briefs: Vec<Value>,
}

#[derive(Serialize)]
struct FreePage<'a> {
    title: &'a str,
    description: Option<&'a str>,
    url: &'a str,
    body: &'a str,
}

/// How many briefs and events the home page shows.
const HOME_BRIEFS: usize = 10;
const HOME_EVENTS: usize = 8;

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

    /// The template and context of a page.
    pub fn context(&self, job: Job) -> (&'static str, tera::Context) {
        let g = self.graph;
        let mut ctx = tera::Context::new();
        let url = self.url_of(job);
        let meta = |title: &'g str, description: &'g str, kind: &'static str| Meta {
            title,
            description,
            url: url.clone(),
            kind,
        };
        let site_description = g.config.description.as_str();
        let template = match job {
            Job::Home => {
                let latest: Vec<usize> = (0..g.briefs.len().min(HOME_BRIEFS)).collect();
                let recent: Vec<usize> = (0..g.events.len()).rev().take(HOME_EVENTS).collect();
                ctx.insert("meta", &meta(&g.config.title, site_description, "home"));
                ctx.insert("latest_briefs", &self.brief_cards(&latest));
                ctx.insert(
                    "recent_events",
                    &recent
                        .iter()
                        .map(|&e| self.event_card(e))
                        .collect::<Vec<_>>(),
                );
                ctx.insert("topics", &term_cards(&g.topics));
                "index.html"
            }
            Job::Briefs => {
                let mut years: Vec<BriefYear> = Vec::new();
                for b in 0..g.briefs.len() {
                    let card = self.brief_card(b);
                    let year = g.briefs[b].doc.date.year();
                    match years.last_mut() {
                        Some(y) if y.year == year => y.briefs.push(card),
                        _ => years.push(BriefYear {
                            year,
                            briefs: vec![card],
                        }),
                    }
                }
                ctx.insert("meta", &meta("Briefs", site_description, "briefs"));
                ctx.insert("years", &years);
                "briefs.html"
            }
            Job::Brief(b) => {
                let page = self.brief_page(b);
                let description = self.bodies.briefs[b].summary_text.as_str();
                ctx.insert(
                    "meta",
                    &meta(&g.briefs[b].doc.front.title, description, "brief"),
                );
                ctx.insert("brief", &page);
                "brief.html"
            }
            Job::Actors => {
                ctx.insert("meta", &meta("Actors", site_description, "actors"));
                ctx.insert("groups", &self.actor_groups());
                "actors.html"
            }
            Job::Actor(a) => {
                ctx.insert("meta", &meta(&g.actors[a].name, site_description, "actor"));
                ctx.insert("actor", &self.actor_page(a));
                "actor.html"
            }
            Job::Events => {
                let all: Vec<usize> = (0..g.events.len()).collect();
                ctx.insert("meta", &meta("Timeline", site_description, "events"));
                ctx.insert("timeline", &self.timeline(&all));
                "events.html"
            }
            Job::Event(e) => {
                ctx.insert("meta", &meta(&g.events[e].title, site_description, "event"));
                ctx.insert("event", &self.event_page(e));
                "event.html"
            }
            Job::Terms(kind) => {
                let title = kind.titles().1;
                ctx.insert("meta", &meta(title, site_description, "terms"));
                ctx.insert(
                    "taxonomy",
                    &TermsPage {
                        kind: kind.path(),
                        title,
                        terms: term_cards(self.taxonomy(kind)),
                    },
                );
                "terms.html"
            }
            Job::Term(kind, t) => {
                let term: &'g Term = &self.taxonomy(kind).terms[t];
                ctx.insert("meta", &meta(&term.name, site_description, "term"));
                ctx.insert(
                    "term",
                    &TermPage {
                        kind: kind.path(),
                        kind_title: kind.titles().0,
                        name: &term.name,
                        url: &term.url,
                        briefs: self.brief_cards(&term.briefs),
                        author: (kind == TaxonomyKind::Authors)
                            .then(|| author_view(term, term.author.as_ref())),
                    },
                );
                "term.html"
            }
            Job::Page(p) => {
                let page = &g.pages[p];
                let description = page.doc.front.description.as_deref();
                ctx.insert(
                    "meta",
                    &meta(
                        &page.doc.front.title,
                        description.unwrap_or(site_description),
                        "page",
                    ),
                );
                ctx.insert(
                    "page",
                    &FreePage {
                        title: &page.doc.front.title,
                        description,
                        url: &page.url,
                        body: &self.bodies.pages[p].parts.intro,
                    },
                );
                "page.html"
            }
            Job::Search => {
                ctx.insert("meta", &meta("Search", site_description, "search"));
                "search.html"
            }
            Job::NotFound => {
                ctx.insert(
                    "meta",
                    &meta("Page not found", site_description, "not-found"),
                );
                "404.html"
            }
        };
        (template, ctx)
    }

    fn brief_page(&self, b: usize) -> BriefPage<'g> {
        let g = self.graph;
        let brief = &g.briefs[b];
        let body = &self.bodies.briefs[b];
        let front = &brief.doc.front;
        let parts = &body.rendered.parts;
        let mut events = brief.events.clone();
        events.sort_unstable();
        BriefPage {
            title: &front.title,
            subtitle: front.subtitle.as_deref(),
            slug: &brief.slug,
            url: &brief.url,
            date: (&brief.doc.date).into(),
            updated: brief.doc.updated.as_ref().map(Into::into),
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
            intro: &parts.intro,
            key_points: parts.key_points.as_ref(),
            background: parts.background.as_ref(),
            recommendations: parts.recommendations.as_ref(),
            sections: &parts.sections,
            toc: &body.rendered.toc,
            footnotes: &body.rendered.footnotes,
            actors: brief.actors.iter().map(|&a| self.actor_card(a)).collect(),
            mentioned_actors: self.xref.mentioned_only[b]
                .iter()
                .map(|&a| self.actor_card(a))
                .collect(),
            events: events.iter().map(|&e| self.event_card(e)).collect(),
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
        }
    }

    fn actor_page(&self, a: usize) -> ActorPage<'g> {
        let g = self.graph;
        let actor = &g.actors[a];
        ActorPage {
            name: &actor.name,
            slug: &actor.slug,
            url: &actor.url,
            aliases: &actor.aliases,
            kind: actor.kind.as_deref(),
            country: actor.country.as_deref(),
            links: links(&actor.links),
            body: self.bodies.actors[a]
                .as_ref()
                .map_or("", |b| b.parts.intro.as_str()),
            implicit: actor.implicit(),
            affiliations: actor
                .affiliations
                .iter()
                .map(|&x| self.actor_card(x))
                .collect(),
            members: self.xref.members[a]
                .iter()
                .map(|&x| self.actor_card(x))
                .collect(),
            tagged_briefs: self.brief_cards(&actor.briefs),
            mentioned_briefs: self.brief_cards(&self.xref.mentioned_by[a]),
            timeline: self.timeline(&actor.events),
            co_actors: self.xref.co_actors[a]
                .iter()
                .map(|&(x, count)| CoActor {
                    actor: self.actor_card(x),
                    count,
                })
                .collect(),
        }
    }

    fn event_page(&self, e: usize) -> EventPage<'g> {
        let g = self.graph;
        let event = &g.events[e];
        EventPage {
            title: &event.title,
            slug: &event.slug,
            url: &event.url,
            date: (&event.date).into(),
            end_date: event.end_date.as_ref().map(Into::into),
            location: event.location.as_deref(),
            sources: links(&event.sources),
            body: self.bodies.events[e]
                .as_ref()
                .map_or("", |b| b.parts.intro.as_str()),
            actors: event.actors.iter().map(|&a| self.actor_card(a)).collect(),
            briefs: self.brief_cards(&event.briefs),
            previous: e.checked_sub(1).map(|p| self.event_card(p)),
            next: (e + 1 < g.events.len()).then(|| self.event_card(e + 1)),
        }
    }

    fn actor_groups(&self) -> Vec<KindGroup> {
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
            url: &t.url,
            count: t.briefs.len(),
        })
        .collect()
}
