//! The Atom feeds (RFC 4287), written with `atom_syndication`: the site's `/feed.xml`, and
//! one per topic, region, author and actor beside its page (`/topics/<slug>/feed.xml`…).
//!
//! A feed holds the briefs its page lists, in the page's order, at most `feed_limit` of
//! them (docs/content.md, "Feeds and calendars"). The site's feed carries each brief's
//! whole body (`<content type="html">`, every URL in it absolute); the others carry
//! summaries, as they are many. Nothing comes from the clock: a feed's `updated` is the
//! newest date of its entries.
//!
//! Every element is written by `atom_syndication`: the feed without entries, then each
//! entry as its own `<entry>` element (declaring the Atom namespace again), placed before
//! `</feed>`. So a brief's entry is serialised once per build, however many feeds hold it.

use std::hash::{Hash, Hasher};
use std::sync::OnceLock;

use atom_syndication::{
    Category, Content, Entry, Feed, FixedDateTime, Generator, Link, Person, Text, WriteConfig,
};
use chrono::{DateTime, FixedOffset, Offset};
use rustc_hash::FxHasher;

use super::pages::TaxonomyKind;
use super::Site;
use crate::date::Date;

/// Each brief's summary entry, serialised at most once per build and shared by every
/// term and actor feed that holds it (a brief is in many of them: serialising it for each
/// took most of the time feeds cost a large site), and the hash of what it is made from.
pub struct EntryCache {
    summaries: Vec<OnceLock<String>>,
    hashes: Vec<OnceLock<u64>>,
}

impl EntryCache {
    /// An empty cache for the briefs of `site`.
    pub fn new(site: &Site) -> EntryCache {
        let n = site.graph.briefs.len();
        EntryCache {
            summaries: (0..n).map(|_| OnceLock::new()).collect(),
            hashes: (0..n).map(|_| OnceLock::new()).collect(),
        }
    }
}

/// Whose briefs a feed holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedOf {
    /// `/feed.xml`: every brief.
    Site,
    /// A topic's, region's or author's briefs, by index in its taxonomy.
    Term(TaxonomyKind, usize),
    /// The briefs that tag an actor, then those that only mention it.
    Actor(usize),
}

impl Site<'_> {
    /// The URL of the page whose briefs feed `of` holds (under the base path).
    fn feed_page(&self, of: FeedOf) -> &str {
        let g = self.graph;
        match of {
            FeedOf::Site => &g.base_path,
            FeedOf::Term(kind, t) => &self.taxonomy(kind).terms[t].url,
            FeedOf::Actor(a) => &g.actors[a].url,
        }
    }

    /// The feed's URL (under the base path): `feed.xml` beside its page.
    pub fn feed_url(&self, of: FeedOf) -> String {
        format!("{}feed.xml", self.feed_page(of))
    }

    /// The feed's output path, relative to the output folder.
    pub fn feed_path(&self, of: FeedOf) -> String {
        let url = self.feed_url(of);
        url.strip_prefix(self.graph.base_path.as_str())
            .unwrap_or(&url)
            .to_string()
    }

    /// The feed's title, as feed readers and the page's `<link rel="alternate">` show it.
    pub fn feed_title(&self, of: FeedOf) -> String {
        let g = self.graph;
        let site = &g.config.title;
        match of {
            FeedOf::Site => site.clone(),
            FeedOf::Term(kind, t) => format!(
                "{}: {} · {site}",
                self.locale.text(kind.title_keys().0),
                self.taxonomy(kind).terms[t].title
            ),
            FeedOf::Actor(a) => format!("{} · {site}", g.actors[a].name),
        }
    }

    /// The briefs feed `of` holds, by index, in order: the first `feed_limit` its page
    /// lists.
    pub fn feed_briefs(&self, of: FeedOf) -> Vec<usize> {
        let g = self.graph;
        let limit = g.config.feed_limit;
        match of {
            FeedOf::Site => (0..g.briefs.len().min(limit)).collect(),
            FeedOf::Term(kind, t) => self.taxonomy(kind).terms[t]
                .briefs
                .iter()
                .copied()
                .take(limit)
                .collect(),
            FeedOf::Actor(a) => g.actors[a]
                .briefs
                .iter()
                .chain(&self.xref.mentioned_by[a])
                .copied()
                .take(limit)
                .collect(),
        }
    }

    /// The feed's XML. Entries of the term and actor feeds come from `entries`, which
    /// serialises each brief's once (see [`EntryCache`]).
    pub fn atom(&self, of: FeedOf, entries: &EntryCache) -> String {
        let g = self.graph;
        let briefs = self.feed_briefs(of);
        let page = self.absolute(self.feed_page(of));
        let updated = briefs
            .iter()
            .map(|&b| last_revised(&g.briefs[b].doc))
            .max()
            .map_or_else(epoch, timestamp);
        let feed = Feed {
            title: Text::plain(self.feed_title(of)),
            id: page.clone(),
            updated,
            generator: Some(Generator {
                value: "briefly".to_string(),
                ..Generator::default()
            }),
            links: vec![
                link(
                    "self",
                    "application/atom+xml",
                    self.absolute(&self.feed_url(of)),
                ),
                link("alternate", "text/html", page),
            ],
            subtitle: (of == FeedOf::Site && !g.config.description.is_empty())
                .then(|| Text::plain(g.config.description.clone())),
            lang: Some(g.config.language.clone()),
            ..Feed::default()
        };
        let config = WriteConfig {
            write_document_declaration: true,
            indent_size: Some(2),
        };
        // Writing into memory fails only on a bug of the writer.
        let document = feed
            .write_with_config(Vec::new(), config)
            .ok()
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .unwrap_or_default();
        let end = document.rfind("</feed>").unwrap_or(document.len());
        let mut out = String::with_capacity(document.len() + 1024 * briefs.len());
        out.push_str(&document[..end]);
        for &b in &briefs {
            if of == FeedOf::Site {
                out.push_str(&self.entry_xml(b, true));
            } else {
                out.push_str(entries.summaries[b].get_or_init(|| self.entry_xml(b, false)));
            }
            out.push('\n');
        }
        out.push_str(&document[end..]);
        out.push('\n');
        out
    }

    /// Brief `b` as a standalone `<entry>` element (it declares the Atom namespace, as
    /// its feed does).
    fn entry_xml(&self, b: usize, full: bool) -> String {
        let config = WriteConfig {
            write_document_declaration: false,
            indent_size: Some(2),
        };
        self.feed_entry(b, full)
            .write_with_config(Vec::new(), config)
            .ok()
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .unwrap_or_default()
    }

    /// Brief `b` as a feed entry: with its whole body when `full`, else its summary only.
    fn feed_entry(&self, b: usize, full: bool) -> Entry {
        let g = self.graph;
        let brief = &g.briefs[b];
        let front = &brief.doc.front;
        let body = &self.bodies.briefs[b];
        let url = self.absolute(&brief.url);
        let content = full.then(|| {
            let html = super::html::brief_body(&body.full(), image_alt(&brief.doc));
            Content {
                value: Some(super::html::absolute_urls(
                    &html,
                    g.config.origin(),
                    &brief.url,
                )),
                content_type: Some("html".to_string()),
                ..Content::default()
            }
        });
        Entry {
            title: Text::plain(front.title.clone()),
            id: url.clone(),
            updated: timestamp(last_revised(&brief.doc)),
            published: Some(timestamp(&brief.doc.date)),
            authors: front
                .authors
                .iter()
                .map(|a| Person {
                    name: a.to_author().name,
                    ..Person::default()
                })
                .collect(),
            categories: brief
                .topics
                .iter()
                .map(|&t| Category {
                    term: g.topics.terms[t].name.clone(),
                    label: Some(g.topics.terms[t].title.clone()),
                    ..Category::default()
                })
                .collect(),
            links: vec![link("alternate", "text/html", url)],
            summary: Some(Text::html(super::html::absolute_urls(
                &body.summary_html,
                g.config.origin(),
                &brief.url,
            ))),
            content,
            ..Entry::default()
        }
    }

    /// A hash of everything feed `of` is made from, computed without building it (each
    /// brief's part once per build, in `entries`).
    pub fn feed_fingerprint(&self, of: FeedOf, entries: &EntryCache) -> u64 {
        let g = self.graph;
        let mut h = FxHasher::default();
        (&g.config, self.feed_page(of), self.feed_title(of)).hash(&mut h);
        for b in self.feed_briefs(of) {
            entries.hashes[b]
                .get_or_init(|| self.entry_hash(b))
                .hash(&mut h);
            if of == FeedOf::Site {
                (self.bodies.briefs[b].hash, image_alt(&g.briefs[b].doc)).hash(&mut h);
            }
        }
        h.finish()
    }

    /// A hash of what brief `b`'s summary entry is made from.
    fn entry_hash(&self, b: usize) -> u64 {
        let g = self.graph;
        let brief = &g.briefs[b];
        let front = &brief.doc.front;
        let mut h = FxHasher::default();
        (
            &brief.url,
            &front.title,
            &brief.doc.date,
            &brief.doc.updated,
            &self.bodies.briefs[b].summary_html,
        )
            .hash(&mut h);
        for author in &front.authors {
            match author {
                crate::load::AuthorRef::Name(name) => name.hash(&mut h),
                crate::load::AuthorRef::Full(full) => full.name.hash(&mut h),
            }
        }
        brief.topics.iter().for_each(|&t| {
            let topic = &g.topics.terms[t];
            (&topic.name, &topic.title).hash(&mut h);
        });
        h.finish()
    }
}

/// When a brief was last revised: `updated`, else `date`.
fn last_revised(doc: &crate::load::BriefDoc) -> &Date {
    doc.updated.as_ref().unwrap_or(&doc.date)
}

/// The cover image's alternative text.
fn image_alt(doc: &crate::load::BriefDoc) -> &str {
    match &doc.front.image {
        Some(crate::load::ImageRef::Full(image)) => image.alt.as_deref().unwrap_or(""),
        _ => "",
    }
}

/// A date as Atom writes it: its timestamp, or midnight UTC of its day.
fn timestamp(date: &Date) -> FixedDateTime {
    match date.timestamp {
        Some(ts) => ts,
        None => {
            DateTime::from_naive_utc_and_offset(date.day.and_time(chrono::NaiveTime::MIN), utc())
        }
    }
}

fn epoch() -> FixedDateTime {
    DateTime::from_naive_utc_and_offset(chrono::NaiveDateTime::default(), utc())
}

fn utc() -> FixedOffset {
    chrono::Utc.fix()
}

fn link(rel: &str, mime_type: &str, href: String) -> Link {
    Link {
        href,
        rel: rel.to_string(),
        mime_type: Some(mime_type.to_string()),
        ..Link::default()
    }
}
