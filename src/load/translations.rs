//! What each language of a multilingual site shows (docs/languages.md): its own briefs,
//! and every actor, event and free page in its translation (merged over the document it
//! translates) or, without one, as written ([`for_language`]).

use std::collections::BTreeMap;
use std::sync::Arc;

use super::{front, ActorDoc, BriefDoc, Content, EventDoc, PageDoc, Source};
use crate::config::SiteConfig;
use crate::diagnostics::Diagnostic;
use crate::yaml;

/// The rank of a language: the default first, then the others in code order.
fn rank(config: &SiteConfig, lang: &str) -> usize {
    config
        .language_codes()
        .iter()
        .position(|code| *code == lang)
        .unwrap_or(usize::MAX)
}

/// The documents of one key, by language rank; the first is the base the others
/// translate.
fn groups<'a, D>(
    docs: &'a [Arc<D>],
    config: &SiteConfig,
    of: impl Fn(&'a D) -> (&'a str, Option<&'a str>),
) -> BTreeMap<&'a str, Vec<(usize, &'a Arc<D>)>> {
    let mut groups: BTreeMap<&str, Vec<(usize, &Arc<D>)>> = BTreeMap::new();
    for doc in docs {
        let (key, lang) = of(doc);
        let lang = lang.unwrap_or(config.default_language());
        groups
            .entry(key)
            .or_default()
            .push((rank(config, lang), doc));
    }
    for list in groups.values_mut() {
        list.sort_by_key(|(rank, _)| *rank);
    }
    groups
}

fn actor_key(d: &ActorDoc) -> (&str, Option<&str>) {
    (&d.key, d.lang.as_deref())
}

fn event_key(d: &EventDoc) -> (&str, Option<&str>) {
    (&d.key, d.lang.as_deref())
}

fn page_key(d: &PageDoc) -> (&str, Option<&str>) {
    (&d.key, d.lang.as_deref())
}

fn brief_key(d: &BriefDoc) -> (&str, Option<&str>) {
    (&d.key, d.lang.as_deref())
}

/// A base written in a language of its own was read as a translation, which may leave
/// out what is required: read it again as a whole document.
pub(super) fn incomplete_bases(content: &Content, config: &SiteConfig) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for list in groups(&content.actors, config, actor_key).values() {
        let doc = list[0].1;
        if doc.lang.is_some() {
            if let Err(e) =
                front::parse::<super::ActorFront>(&doc.source, "actor", super::ACTOR_KEYS)
            {
                problems.push(e);
            }
        }
    }
    for list in groups(&content.events, config, event_key).values() {
        let doc = list[0].1;
        if doc.lang.is_some() {
            if let Err(e) =
                front::parse::<super::EventFront>(&doc.source, "event", super::EVENT_KEYS)
            {
                problems.push(e);
            }
        }
    }
    for list in groups(&content.pages, config, page_key).values() {
        let doc = list[0].1;
        if doc.lang.is_some() {
            if let Err(e) = front::parse::<super::PageFront>(&doc.source, "page", super::PAGE_KEYS)
            {
                problems.push(e);
            }
        }
    }
    problems
}

/// Whether the front matter of `source` gives `key`.
fn gives(source: &Source, key: &str) -> bool {
    yaml::key_line(source.front(), key).is_some()
}

/// The documents language `code` of a multilingual site shows: its briefs; each actor,
/// event and free page in its translation merged over the base, else the base as it is
/// (marked with the base's language). An actor is known by the names and aliases of all
/// its files. `aliases` maps every other file of a document to the one shown.
pub fn for_language(content: &Content, config: &SiteConfig, code: &str) -> Content {
    let default = config.default_language();
    let lang_of = |lang: &Option<String>| lang.clone().unwrap_or_else(|| default.to_string());
    let mut out = Content {
        assets: content.assets.clone(),
        ..Content::default()
    };
    for list in groups(&content.briefs, config, brief_key).values() {
        let shown = list.iter().find(|(_, d)| lang_of(&d.lang) == code);
        if let Some((_, doc)) = shown {
            out.briefs.push(Arc::clone(doc));
            for (_, other) in list {
                if other.content_path != doc.content_path {
                    out.aliases
                        .push((other.content_path.clone(), doc.content_path.clone()));
                }
            }
        }
    }
    out.actors = shown_in(
        &groups(&content.actors, config, actor_key),
        code,
        &lang_of,
        merge_actor,
        &mut out.aliases,
        known_by_every_name,
    );
    out.events = shown_in(
        &groups(&content.events, config, event_key),
        code,
        &lang_of,
        merge_event,
        &mut out.aliases,
        |_, _| {},
    );
    out.pages = shown_in(
        &groups(&content.pages, config, page_key),
        code,
        &lang_of,
        merge_page,
        &mut out.aliases,
        |_, _| {},
    );
    out
}

/// Each group's document as language `code` shows it ([`pick`]), finished by `finish`
/// (which sees the whole group); every other file of a group stands for the one shown.
fn shown_in<D: Translated>(
    groups: &BTreeMap<&str, Vec<(usize, &Arc<D>)>>,
    code: &str,
    lang_of: &impl Fn(&Option<String>) -> String,
    merge: fn(&mut D, &D),
    aliases: &mut Vec<(String, String)>,
    finish: impl Fn(&mut D, &[(usize, &Arc<D>)]),
) -> Vec<Arc<D>> {
    groups
        .values()
        .map(|list| {
            let mut doc = pick(list, code, lang_of, merge);
            finish(&mut doc, list);
            alias_all(aliases, list.iter().map(|(_, d)| d.path()), doc.path());
            Arc::new(doc)
        })
        .collect()
}

/// An actor is known by the names and aliases of all its files: those of the others
/// become aliases of the one shown.
fn known_by_every_name(doc: &mut ActorDoc, list: &[(usize, &Arc<ActorDoc>)]) {
    let names = list
        .iter()
        .flat_map(|(_, d)| std::iter::once(&d.front.name).chain(&d.front.aliases));
    for name in names {
        if !name.trim().is_empty() && *name != doc.front.name && !doc.front.aliases.contains(name) {
            doc.front.aliases.push(name.clone());
        }
    }
}

/// Every path of `paths` but `shown` stands for `shown`.
fn alias_all<'a>(
    aliases: &mut Vec<(String, String)>,
    paths: impl Iterator<Item = &'a String>,
    shown: &str,
) {
    for path in paths {
        if path != shown {
            aliases.push((path.clone(), shown.to_string()));
        }
    }
}

/// A document with a translation's fields and body merged in.
trait Translated: Clone {
    fn source(&self) -> &Source;
    fn lang(&self) -> &Option<String>;
    fn lang_mut(&mut self) -> &mut Option<String>;
    fn path(&self) -> &String;
}

macro_rules! translated {
    ($($t:ty),*) => {$(
        impl Translated for $t {
            fn source(&self) -> &Source {
                &self.source
            }
            fn lang(&self) -> &Option<String> {
                &self.lang
            }
            fn lang_mut(&mut self) -> &mut Option<String> {
                &mut self.lang
            }
            fn path(&self) -> &String {
                &self.content_path
            }
        }
    )*};
}
translated!(ActorDoc, EventDoc, PageDoc);

/// The document of a group shown in `code`: the base with the translation into `code`
/// merged over it (its body when it has one), else the base; marked with the language
/// its body is in.
fn pick<D: Translated>(
    list: &[(usize, &Arc<D>)],
    code: &str,
    lang_of: &impl Fn(&Option<String>) -> String,
    merge: fn(&mut D, &D),
) -> D {
    let base = list[0].1;
    let mut doc = D::clone(base);
    *doc.lang_mut() = Some(lang_of(base.lang()));
    let translation = list
        .iter()
        .skip(1)
        .map(|(_, d)| d)
        .find(|d| lang_of(d.lang()) == code);
    if let Some(translation) = translation {
        merge(&mut doc, translation);
        if !translation.source().body().trim().is_empty() {
            *doc.lang_mut() = Some(code.to_string());
        }
    }
    doc
}

fn merge_actor(doc: &mut ActorDoc, t: &ActorDoc) {
    let s = &t.source;
    let f = &t.front;
    if gives(s, "name") {
        doc.front.name.clone_from(&f.name);
    }
    if gives(s, "aliases") {
        let mut aliases = f.aliases.clone();
        aliases.extend(doc.front.aliases.iter().cloned());
        doc.front.aliases = aliases;
    }
    if gives(s, "kind") {
        doc.front.kind.clone_from(&f.kind);
    }
    if gives(s, "country") {
        doc.front.country.clone_from(&f.country);
    }
    if gives(s, "affiliations") {
        doc.front.affiliations.clone_from(&f.affiliations);
    }
    if gives(s, "links") {
        doc.front.links.clone_from(&f.links);
    }
    take_body(&mut doc.source, &mut doc.content_path, t);
}

fn merge_event(doc: &mut EventDoc, t: &EventDoc) {
    let s = &t.source;
    let f = &t.front;
    if gives(s, "title") {
        doc.front.title.clone_from(&f.title);
    }
    if gives(s, "date") {
        doc.front.date.clone_from(&f.date);
        doc.date = t.date.clone();
    }
    if gives(s, "end_date") {
        doc.front.end_date.clone_from(&f.end_date);
        doc.end_date = t.end_date.clone();
    }
    if gives(s, "location") {
        doc.front.location.clone_from(&f.location);
    }
    if gives(s, "actors") {
        doc.front.actors.clone_from(&f.actors);
    }
    if gives(s, "sources") {
        doc.front.sources.clone_from(&f.sources);
    }
    take_body(&mut doc.source, &mut doc.content_path, t);
}

fn merge_page(doc: &mut PageDoc, t: &PageDoc) {
    let s = &t.source;
    if gives(s, "title") {
        doc.front.title.clone_from(&t.front.title);
    }
    if gives(s, "description") {
        doc.front.description.clone_from(&t.front.description);
    }
    take_body(&mut doc.source, &mut doc.content_path, t);
}

/// A translation with a body of its own is shown with its text and from its path (so
/// its relative links are its own).
fn take_body<D: Translated>(source: &mut Source, content_path: &mut String, t: &D) {
    if !t.source().body().trim().is_empty() {
        *source = t.source().clone();
        content_path.clone_from(t.path());
    }
}
