//! Events: records from `content/events/` and inline declarations in briefs, merged by
//! slug into one timeline (docs/content.md#events).

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::date::Date;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::{parse_date_in, BriefDoc, EventDoc, EventFront, Link, Source, SLUG_DOCS};
use crate::slug::{abbreviate, slugify};

/// An event of the site.
#[derive(Debug, Clone)]
pub struct Event {
    /// The URL part, `/events/<slug>/`.
    pub slug: String,
    /// The page's URL, under the base path.
    pub url: String,
    /// The event's title.
    pub title: String,
    /// When it happened (or began).
    pub date: Date,
    /// Last day, for events that last several days.
    pub end_date: Option<Date>,
    /// Where it happened.
    pub location: Option<String>,
    /// Actors taking part (indexes into the graph's actors).
    pub actors: Vec<usize>,
    /// Where the facts come from.
    pub sources: Vec<Link>,
    /// The record, or `None` for an event only declared inline.
    pub doc: Option<Arc<EventDoc>>,
    /// Briefs that discuss it (indexes, newest first).
    pub briefs: Vec<usize>,
}

/// An actor reference waiting to be resolved, with where it was written.
pub struct PendingActor {
    /// The actor reference as written.
    pub reference: String,
    /// Index of the brief that wrote it, or `None` for the event's own record.
    pub brief: Option<usize>,
    /// The front-matter key it is under: `actors` (the record) or `events` (a brief).
    pub key: &'static str,
}

/// Events under construction, keyed by slug (so iteration is in slug order).
#[derive(Default)]
pub struct EventTable {
    /// Each event with the actor references it still has to resolve.
    pub events: BTreeMap<String, (Event, Vec<PendingActor>)>,
}

impl EventTable {
    /// Adds the event records.
    pub fn add_records(&mut self, docs: Vec<Arc<EventDoc>>, base_path: &str) {
        for doc in docs {
            let pending = doc
                .front
                .actors
                .iter()
                .map(|r| PendingActor {
                    reference: r.clone(),
                    brief: None,
                    key: "actors",
                })
                .collect();
            let event = Event {
                url: format!("{base_path}events/{}/", doc.slug),
                slug: doc.slug.clone(),
                title: doc.front.title.clone(),
                date: doc.date.clone(),
                end_date: doc.end_date.clone(),
                location: doc.front.location.clone(),
                actors: Vec::new(),
                sources: doc.front.sources.clone(),
                doc: Some(doc),
                briefs: Vec::new(),
            };
            self.events.insert(event.slug.clone(), (event, pending));
        }
    }

    /// Adds (or merges) an inline declaration from brief `brief_index`; returns its slug.
    pub fn add_inline(
        &mut self,
        decl: &EventFront,
        brief: &BriefDoc,
        brief_index: usize,
        base_path: &str,
        diagnostics: &mut Diagnostics,
    ) -> Option<String> {
        let source = &brief.source;
        warn_ignored_keys(decl, source, diagnostics);
        let date = date_of(source, "date", &decl.date, diagnostics)?;
        let end_date = match &decl.end_date {
            Some(d) => Some(date_of(source, "end_date", d, diagnostics)?),
            None => None,
        };
        let slug = inline_slug(decl, source, &date, diagnostics)?;
        let pending = decl.actors.iter().map(|r| PendingActor {
            reference: r.clone(),
            brief: Some(brief_index),
            key: "events",
        });
        match self.events.get_mut(&slug) {
            Some((existing, existing_pending)) => {
                merge_inline(existing, decl, source, &slug, diagnostics);
                existing_pending.extend(pending);
            }
            None => {
                let event = Event {
                    url: format!("{base_path}events/{slug}/"),
                    slug: slug.clone(),
                    title: decl.title.clone(),
                    date,
                    end_date,
                    location: decl.location.clone(),
                    actors: Vec::new(),
                    sources: decl.sources.clone(),
                    doc: None,
                    briefs: Vec::new(),
                };
                self.events.insert(slug.clone(), (event, pending.collect()));
            }
        }
        Some(slug)
    }
}

/// Warns of the keys an inline event may not have: it is in its brief's language.
fn warn_ignored_keys(decl: &EventFront, source: &Source, diagnostics: &mut Diagnostics) {
    for (key, value) in [
        ("lang", &decl.lang),
        ("translation_key", &decl.translation_key),
    ] {
        if let Some(value) = value {
            let (line, col) = source.locate_in_front("events", value);
            diagnostics.push(
                Diagnostic::warning(
                    source.path.clone(),
                    format!("`{key}:` of an inline event is ignored: it is in the language of its brief"),
                )
                .at(&source.text, line, col)
                .span(value.chars().count())
                .hint("to translate the event, declare it in its own file under content/events/ (docs/languages.md)"),
            );
        }
    }
}

/// An inline event's slug: the one it gives, else its date and title; `None` (with the
/// error) when it is not a valid slug or is too long.
fn inline_slug(
    decl: &EventFront,
    source: &Source,
    date: &Date,
    diagnostics: &mut Diagnostics,
) -> Option<String> {
    let slug = match &decl.slug {
        Some(s) if crate::slug::is_valid_slug(s) => s.clone(),
        Some(s) => {
            let (line, col) = source.locate_in_front("events", s);
            diagnostics.push(
                Diagnostic::error(source.path.clone(), format!("`{s}` is not a valid slug"))
                    .at(&source.text, line, col)
                    .span(s.chars().count())
                    .hint(format!(
                        "a slug is lowercase ASCII letters and digits joined by single hyphens: try `{}`",
                        slugify(s)
                    )),
            );
            return None;
        }
        None => format!("{}-{}", date.iso(), slugify(&decl.title)),
    };
    if let Some(why) = crate::slug::too_long(&slug) {
        diagnostics.push(long_inline_slug(source, decl, &why));
        return None;
    }
    Some(slug)
}

/// Merges an inline event into the event `existing` of the same slug (a file's, or an
/// earlier brief's): what it adds (a place, sources) is taken, and a title or place that
/// differs is a warning.
fn merge_inline(
    existing: &mut Event,
    decl: &EventFront,
    source: &Source,
    slug: &str,
    diagnostics: &mut Diagnostics,
) {
    let origin = existing
        .doc
        .as_ref()
        .map_or_else(|| "another brief".to_string(), |d| d.source.path.clone());
    let differs = |what: &str, mine: String, theirs: String| {
        let (line, col) = source.locate_in_front("events", &decl.title);
        Diagnostic::warning(
            source.path.clone(),
            format!("event `{slug}`: {what} `{mine}` differs from `{theirs}` given in {origin}"),
        )
        .at(&source.text, line, col)
        .hint(format!(
            "give the same {what}, or refer to the event by its slug `{slug}` alone"
        ))
    };
    if let Some(loc) = &decl.location {
        match &existing.location {
            Some(theirs) if theirs != loc => {
                diagnostics.push(differs("location", loc.clone(), theirs.clone()));
            }
            None => existing.location = Some(loc.clone()),
            _ => {}
        }
    }
    if existing.doc.is_some() && existing.title != decl.title {
        diagnostics.push(differs("title", decl.title.clone(), existing.title.clone()));
    }
    if existing.doc.is_none() {
        for s in &decl.sources {
            if !existing.sources.contains(s) {
                existing.sources.push(s.clone());
            }
        }
    }
}

/// An inline event whose slug (given, or made of its date and title) is too long.
fn long_inline_slug(source: &Source, decl: &EventFront, why: &str) -> Diagnostic {
    let (written, what, fix) = match &decl.slug {
        Some(slug) => (slug, "its `slug:`", "shorten the slug"),
        None => (
            &decl.title,
            "its title",
            "shorten the title, or set a shorter `slug:` for the event",
        ),
    };
    let (line, col) = source.locate_in_front("events", written);
    Diagnostic::error(
        source.path.clone(),
        format!(
            "inline event `{}`: {what} {why}",
            abbreviate(&decl.title, 40)
        ),
    )
    .at(&source.text, line, col)
    .span(written.chars().count())
    .hint(format!("{fix} ({SLUG_DOCS})"))
}

fn date_of(
    source: &Source,
    field: &str,
    text: &str,
    diagnostics: &mut Diagnostics,
) -> Option<Date> {
    let what = format!("`{field}` of an inline event");
    parse_date_in(source, "events", &what, text)
        .map_err(|d| diagnostics.push(d))
        .ok()
}
