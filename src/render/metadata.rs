//! What a page says about itself to machines, and how a brief is cited: the canonical URL,
//! OpenGraph and Twitter fields, Highwire `citation_*` fields and JSON-LD of every page
//! (`meta`'s [`Head`]), a brief's "Cite this brief" block ([`CiteView`]) and its
//! `cite.bib`. URLs are absolute from `base_url` (paths only, when it has no host).
//!
//! The formats themselves are [`super::cite`]'s and [`super::jsonld`]'s; this module
//! gathers their inputs from the graph.

use std::hash::{Hash, Hasher};

use serde::{Serialize, Serializer};

use super::cite::{self, Name, Work};
use super::excerpt;
use super::jsonld::{
    self, actor_type, iso_date, organization, Agent, EventLd, ImageObject, Ld, Place, Report,
    Script, WebSite, WorkRef,
};
use super::pages::Job;
use super::Site;
use crate::load::{Author, AuthorKind, AuthorRef};
use crate::resolve::Graph;

/// The fields of `meta` about the page for machines (flattened into `meta`).
#[derive(Serialize, Hash, Default)]
pub struct Head<'a> {
    /// The page's absolute URL.
    canonical: String,
    /// `article` for briefs, `website` elsewhere.
    og_type: &'static str,
    /// A brief's cover, with an absolute URL.
    image: Option<HeadImage<'a>>,
    /// A brief's dates, authors and topics, for `article:*`.
    article: Option<Article<'a>>,
    /// A brief's Highwire fields, for Google Scholar.
    citation: Option<Highwire<'a>>,
    /// The JSON-LD document as text, safe inside `<script>`.
    json_ld: Option<Script<'a>>,
}

#[derive(Serialize, Hash)]
struct HeadImage<'a> {
    url: String,
    alt: &'a str,
}

#[derive(Serialize, Hash)]
struct Article<'a> {
    published: String,
    modified: Option<String>,
    authors: Vec<&'a str>,
    tags: Vec<&'a str>,
}

#[derive(Serialize, Hash)]
struct Highwire<'a> {
    title: String,
    authors: Vec<HighwireAuthor<'a>>,
    /// `YYYY/MM/DD`.
    date: String,
    institution: &'a str,
}

#[derive(Serialize, Hash)]
struct HighwireAuthor<'a> {
    /// `Family, Given`, or an organisation's name.
    name: String,
    institution: Option<&'a str>,
}

/// A brief's citations, as `brief.cite`: serialised as its formatted texts, hashed by what
/// they are made from.
pub struct CiteView<'a> {
    work: Work<'a>,
    key: &'a str,
    bib_url: String,
}

impl Serialize for CiteView<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Texts<'t> {
            key: &'t str,
            url: &'t str,
            apa: String,
            chicago: String,
            bibtex: String,
            bib_url: &'t str,
        }
        Texts {
            key: self.key,
            url: &self.work.url,
            apa: cite::apa(&self.work),
            chicago: cite::chicago(&self.work),
            bibtex: cite::bibtex(&self.work, self.key),
            bib_url: &self.bib_url,
        }
        .serialize(serializer)
    }
}

impl Hash for CiteView<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        (&self.work, self.key, &self.bib_url).hash(state);
    }
}

/// The file every brief has beside its page.
pub const BIB_FILE: &str = "cite.bib";

/// Every brief's citation key, by index: unique, each brief keeping its key when newer
/// briefs are added (repeats are numbered oldest first).
#[derive(Debug, Clone, Default)]
pub struct CiteKeys {
    keys: Vec<String>,
    /// Each brief's key before numbering: what makes the keys ([`cite::key_base`]).
    bases: Vec<String>,
    /// The briefs, oldest first (ties by slug): the order keys are numbered in.
    order: Vec<usize>,
}

impl std::ops::Index<usize> for CiteKeys {
    type Output = String;

    fn index(&self, b: usize) -> &String {
        &self.keys[b]
    }
}

impl CiteKeys {
    /// The keys of every brief of `graph`.
    pub fn new(graph: &Graph) -> CiteKeys {
        // Oldest first, ties by slug: the keys are gathered first, as comparing through
        // each brief's pointer misses the cache at every step on a large site.
        let order: Vec<usize> = {
            let mut keys: Vec<(&crate::date::Date, &str, usize)> = graph
                .briefs
                .iter()
                .enumerate()
                .map(|(i, b)| (&b.doc.date, b.slug.as_str(), i))
                .collect();
            keys.sort_unstable();
            keys.into_iter().map(|(_, _, i)| i).collect()
        };
        let mut bases = vec![String::new(); graph.briefs.len()];
        for &b in &order {
            bases[b] = key_base(graph, b);
        }
        CiteKeys::numbered(bases, order)
    }

    /// The keys of `bases`, numbered in `order`.
    fn numbered(bases: Vec<String>, order: Vec<usize>) -> CiteKeys {
        let unique = cite::unique_keys(order.iter().map(|&b| bases[b].clone()));
        let mut keys = vec![String::new(); bases.len()];
        for (b, key) in order.iter().zip(unique) {
            keys[*b] = key;
        }
        CiteKeys { keys, bases, order }
    }

    /// The briefs whose key differs from `other`'s, by index (`None`: not the same
    /// briefs).
    pub fn differences(&self, other: &CiteKeys) -> Option<Vec<usize>> {
        (self.keys.len() == other.keys.len()).then(|| {
            (0..self.keys.len())
                .filter(|&b| self.keys[b] != other.keys[b])
                .collect()
        })
    }

    /// The keys of `graph`, whose structure is that of the graph `previous` was made for,
    /// after briefs `changed` (by index) were edited: `previous` again if their bases are
    /// the same, else numbered again with their new bases (the order of the briefs, by
    /// date and slug, is the structure's).
    pub fn after_edit(
        previous: &std::sync::Arc<CiteKeys>,
        graph: &Graph,
        changed: &[usize],
    ) -> std::sync::Arc<CiteKeys> {
        if previous.keys.len() != graph.briefs.len() {
            return std::sync::Arc::new(CiteKeys::new(graph));
        }
        let bases: Vec<(usize, String)> =
            changed.iter().map(|&b| (b, key_base(graph, b))).collect();
        if bases.iter().all(|(b, base)| previous.bases[*b] == *base) {
            return std::sync::Arc::clone(previous);
        }
        let mut all = previous.bases.clone();
        for (b, base) in bases {
            all[b] = base;
        }
        let keys = CiteKeys::numbered(all, previous.order.clone());
        debug_assert_eq!(keys.keys, CiteKeys::new(graph).keys);
        std::sync::Arc::new(keys)
    }
}

/// Brief `b`'s key before numbering.
fn key_base(graph: &Graph, b: usize) -> String {
    let brief = &graph.briefs[b];
    cite::key_base(&Work {
        authors: brief_names(graph, b),
        title: &brief.doc.front.title,
        subtitle: None,
        date: brief.doc.date.day,
        publisher: graph.config.publisher_name(),
        url: String::new(),
    })
}

/// The details brief `b` gives for author term `a`, else those the author's page shows.
fn author_details(graph: &Graph, b: usize, a: usize) -> Option<&Author> {
    let term = &graph.authors.terms[a];
    let own = graph.briefs[b]
        .doc
        .front
        .authors
        .iter()
        .find_map(|r| match r {
            AuthorRef::Full(full) if crate::slug::slugify(&full.name) == term.slug => Some(full),
            _ => None,
        });
    own.or(term.author.as_ref())
}

/// Brief `b`'s authors as citation names.
fn brief_names(graph: &Graph, b: usize) -> Vec<Name> {
    graph.briefs[b]
        .authors
        .iter()
        .map(|&a| {
            let name = graph.authors.terms[a].name.as_str();
            match author_details(graph, b, a) {
                Some(d) if d.kind == Some(AuthorKind::Organization) => {
                    Name::Organization(name.to_string())
                }
                Some(d) => Name::person(name, d.family.as_deref(), d.given.as_deref()),
                None => Name::person(name, None, None),
            }
        })
        .collect()
}

impl<'g> Site<'g> {
    /// An absolute URL for a URL the site writes: a path gets the origin of `base_url`
    /// (a path without `/` is taken under the base path), a web URL stays, `//host/…`
    /// takes `https:`; `None` for anything else (`data:`).
    pub fn absolute_url(&self, url: &str) -> Option<String> {
        let url = url.trim();
        if url.starts_with("https://") || url.starts_with("http://") {
            Some(url.to_string())
        } else if let Some(rest) = url.strip_prefix("//") {
            Some(format!("https://{rest}"))
        } else if url.starts_with('/') {
            Some(self.absolute(url))
        } else if crate::url::check(url, crate::url::UrlUse::Image)
            == Ok(crate::url::UrlKind::Relative)
        {
            Some(self.absolute(&format!("{}{url}", self.graph.root_path)))
        } else {
            None
        }
    }

    /// The metadata of page `job`, whose description is `description`.
    pub fn head(&self, job: Job, description: &str) -> Head<'g> {
        let canonical = self.absolute(&self.url_of(job));
        let mut head = Head {
            og_type: "website",
            ..Head::default()
        };
        match job {
            Job::Brief(b) => self.brief_head(b, &canonical, &mut head),
            Job::Actor(a, 1) => head.json_ld = Some(Script(Ld::Agent(Box::new(self.actor_ld(a))))),
            Job::Event(e) => {
                head.json_ld = Some(Script(Ld::Event(Box::new(
                    self.event_ld(e, description.to_string()),
                ))));
            }
            Job::Home => {
                let g = self.graph;
                head.json_ld = Some(Script(Ld::WebSite(Box::new(WebSite {
                    context: jsonld::CONTEXT,
                    kind: "WebSite",
                    url: canonical.clone(),
                    name: &g.config.title,
                    description: &g.config.description,
                    in_language: &g.config.language,
                    publisher: self.publisher_agent(),
                }))));
            }
            _ => {}
        }
        head.canonical = canonical;
        head
    }

    fn brief_head(&self, b: usize, canonical: &str, head: &mut Head<'g>) {
        let g = self.graph;
        let brief = &g.briefs[b];
        let front = &brief.doc.front;
        let image = self.bodies.briefs[b]
            .image_url
            .as_deref()
            .and_then(|src| self.absolute_url(src));
        let alt = match &front.image {
            Some(crate::load::ImageRef::Full(i)) => i.alt.as_deref().unwrap_or(""),
            _ => "",
        };
        let authors = &brief.authors;
        let work = self.brief_work(b);
        let names = &work.authors;
        head.og_type = "article";
        head.image = image.clone().map(|url| HeadImage { url, alt });
        head.article = Some(Article {
            published: iso_date(&brief.doc.date),
            modified: brief.doc.updated.as_ref().map(iso_date),
            authors: authors
                .iter()
                .map(|&a| g.authors.terms[a].name.as_str())
                .collect(),
            tags: brief
                .topics
                .iter()
                .map(|&t| g.topics.terms[t].name.as_str())
                .collect(),
        });
        head.citation = Some(Highwire {
            title: work.full_title(),
            authors: names
                .iter()
                .zip(authors)
                .map(|(name, &a)| HighwireAuthor {
                    name: name.inverted(),
                    institution: author_details(g, b, a).and_then(|d| d.affiliation.as_deref()),
                })
                .collect(),
            date: brief.doc.date.day.format("%Y/%m/%d").to_string(),
            institution: g.config.publisher_name(),
        });
        let author = names
            .iter()
            .zip(authors)
            .map(|(name, &a)| {
                let term = &g.authors.terms[a];
                let details = author_details(g, b, a);
                let person = matches!(name, Name::Person { .. });
                Agent {
                    kind: if person { "Person" } else { "Organization" },
                    name: &term.name,
                    url: Some(self.absolute(&term.url)),
                    same_as: details.and_then(|d| d.url.as_deref()).into_iter().collect(),
                    affiliation: details
                        .and_then(|d| d.affiliation.as_deref())
                        .filter(|_| person)
                        .map(|name| Box::new(organization(name, None))),
                    ..Agent::default()
                }
            })
            .collect();
        head.json_ld = Some(Script(Ld::Report(Box::new(Report {
            context: jsonld::CONTEXT,
            kind: "Report",
            id: canonical.to_string(),
            url: canonical.to_string(),
            name: &front.title,
            headline: &front.title,
            alternative_headline: front.subtitle.as_deref(),
            description: &self.bodies.briefs[b].summary_text,
            date_published: iso_date(&brief.doc.date),
            date_modified: iso_date(brief.doc.updated.as_ref().unwrap_or(&brief.doc.date)),
            in_language: &g.config.language,
            image,
            author,
            publisher: self.publisher_agent(),
            about: brief.actors.iter().map(|&a| self.actor_ref(a)).collect(),
            keywords: head
                .article
                .as_ref()
                .map_or_else(Vec::new, |a| a.tags.clone()),
        }))));
    }

    /// The publisher of `site.yaml` as an organisation.
    fn publisher_agent(&self) -> Agent<'g> {
        let g = self.graph;
        let publisher = g.config.publisher.as_ref();
        let url = publisher
            .and_then(|p| p.url.clone())
            .unwrap_or_else(|| self.absolute(&g.base_path));
        let mut agent = organization(g.config.publisher_name(), Some(url));
        agent.logo = publisher
            .and_then(|p| p.logo.as_deref())
            .and_then(|logo| self.absolute_url(logo.strip_prefix('/').unwrap_or(logo)))
            .map(|url| ImageObject {
                kind: "ImageObject",
                url,
            });
        agent
    }

    /// An actor named from another document.
    fn actor_ref(&self, a: usize) -> Agent<'g> {
        let actor = &self.graph.actors[a];
        Agent {
            kind: actor_type(actor.kind.as_deref()),
            name: &actor.name,
            url: Some(self.absolute(&actor.url)),
            ..Agent::default()
        }
    }

    fn actor_ld(&self, a: usize) -> Agent<'g> {
        let actor = &self.graph.actors[a];
        let kind = actor_type(actor.kind.as_deref());
        let country = actor.country.as_deref().map(|name| Place {
            kind: "Country",
            name,
        });
        let (nationality, location) = match kind {
            "Person" => (country, None),
            "Organization" => (None, country),
            _ => (None, None),
        };
        Agent {
            context: Some(jsonld::CONTEXT),
            alternate_name: &actor.aliases,
            description: Some(self.actor_description(a)),
            same_as: actor
                .links
                .iter()
                .map(|l| l.url.as_str())
                .filter(|u| u.starts_with("https://") || u.starts_with("http://"))
                .collect(),
            member_of: actor
                .affiliations
                .iter()
                .map(|&x| self.actor_ref(x))
                .filter(|agent| agent.kind == "Organization")
                .collect(),
            nationality,
            location,
            ..self.actor_ref(a)
        }
    }

    fn event_ld(&self, e: usize, description: String) -> EventLd<'g> {
        let g = self.graph;
        let event = &g.events[e];
        let url = self.absolute(&event.url);
        EventLd {
            context: jsonld::CONTEXT,
            kind: "Event",
            id: url.clone(),
            url,
            name: &event.title,
            description,
            start_date: iso_date(&event.date),
            end_date: event.end_date.as_ref().map(iso_date),
            location: event.location.as_deref().map(|name| Place {
                kind: "Place",
                name,
            }),
            about: event.actors.iter().map(|&a| self.actor_ref(a)).collect(),
            subject_of: event
                .briefs
                .iter()
                .map(|&b| WorkRef {
                    kind: "Report",
                    name: &g.briefs[b].doc.front.title,
                    url: self.absolute(&g.briefs[b].url),
                })
                .collect(),
        }
    }

    /// What citations of brief `b` are made from.
    pub fn brief_work(&self, b: usize) -> Work<'g> {
        let g = self.graph;
        let brief = &g.briefs[b];
        Work {
            authors: brief_names(g, b),
            title: &brief.doc.front.title,
            subtitle: brief.doc.front.subtitle.as_deref(),
            date: brief.doc.date.day,
            publisher: g.config.publisher_name(),
            url: self.absolute(&brief.url),
        }
    }

    /// Brief `b`'s citations, as its page shows them.
    pub fn cite_view(&self, b: usize) -> CiteView<'_> {
        CiteView {
            work: self.brief_work(b),
            key: &self.cite_keys[b],
            bib_url: format!("{}{BIB_FILE}", self.graph.briefs[b].url),
        }
    }

    /// The output path of brief `b`'s `cite.bib`, beside its page.
    pub fn bib_path(&self, b: usize) -> String {
        let page = self.output_path(Job::Brief(b));
        let folder = page.strip_suffix("index.html").unwrap_or(&page);
        format!("{folder}{BIB_FILE}")
    }

    /// Brief `b`'s `cite.bib`.
    pub fn bib_text(&self, b: usize) -> String {
        cite::bibtex(&self.brief_work(b), &self.cite_keys[b])
    }

    /// A hash of what brief `b`'s `cite.bib` is made from, computed without making it.
    pub fn bib_fingerprint(&self, b: usize) -> u64 {
        crate::hash::hash_of(&(&self.brief_work(b), &self.cite_keys[b]))
    }

    /// One or two sentences about actor `a`: the start of its description, else its kind
    /// and country.
    pub fn actor_description(&self, a: usize) -> String {
        let actor = &self.graph.actors[a];
        let body = self.bodies.actors[a]
            .as_ref()
            .map(|b| excerpt::excerpt(&b.parts.intro, DESCRIPTION_CHARS))
            .unwrap_or_default();
        if !body.is_empty() {
            return body;
        }
        let about: Vec<&str> = [actor.kind.as_deref(), actor.country.as_deref()]
            .into_iter()
            .flatten()
            .filter(|s| !s.trim().is_empty())
            .collect();
        if about.is_empty() {
            self.locale
                .format("actor_description", &[("name", &actor.name)])
        } else {
            self.locale.format(
                "actor_description_about",
                &[("name", &actor.name), ("about", &about.join(", "))],
            )
        }
    }

    /// One or two sentences about event `e`: the start of its description, else its title,
    /// date and place.
    pub fn event_description(&self, e: usize) -> String {
        let event = &self.graph.events[e];
        let body = self.bodies.events[e]
            .as_ref()
            .map(|b| excerpt::excerpt(&b.parts.intro, DESCRIPTION_CHARS))
            .unwrap_or_default();
        if !body.is_empty() {
            return body;
        }
        let date = self.locale.date(&event.date);
        match event.location.as_deref() {
            Some(place) => format!("{} ({date}, {place}).", event.title),
            None => format!("{} ({date}).", event.title),
        }
    }
}

/// How long a description drawn from a body may be.
const DESCRIPTION_CHARS: usize = 200;
