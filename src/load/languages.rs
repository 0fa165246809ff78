//! The languages of documents (docs/languages.md): `NAME.LANG.md` and `lang:` say what a
//! file is written in, `translation_key:` links files whose names differ, and each
//! language of a site gets the documents it shows ([`for_language`]): its own briefs, and
//! every actor, event and free page in its translation (merged over the document it
//! translates) or, without one, as written.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::{front, ActorDoc, BriefDoc, Content, EventDoc, PageDoc, Parsed, Source};
use crate::config::{is_language_code, SiteConfig};
use crate::diagnostics::{Diagnostic, Related};
use crate::yaml;

/// Where languages are explained.
const DOCS: &str = "see docs/languages.md";

/// What a translation of an actor may leave out, read as these until merged.
pub const ACTOR_REQUIRED: &[(&str, &str)] = &[("name", "''")];
/// What a translation of an event may leave out.
pub const EVENT_REQUIRED: &[(&str, &str)] = &[("title", "''"), ("date", "1970-01-01")];
/// What a translation of a free page may leave out.
pub const PAGE_REQUIRED: &[(&str, &str)] = &[("title", "''")];

/// A file stem's name and language suffix: `a.fr` is `a` in `fr`; a last part that is
/// not shaped like a language code (`v2.1`) is part of the name.
pub fn split_stem(stem: &str) -> (&str, Option<&str>) {
    match stem.rsplit_once('.') {
        Some((name, suffix)) if !name.is_empty() && is_language_code(suffix) => {
            (name, Some(suffix))
        }
        _ => (stem, None),
    }
}

/// Sets the language and translation key of a parsed document whose name (less its
/// language suffix) is `name`.
pub(super) fn mark(
    parsed: &mut Parsed,
    name: &str,
    suffix: Option<&str>,
) -> Result<(), Diagnostic> {
    fn set(
        source: &Source,
        content_path: &str,
        written: (Option<&str>, Option<&str>),
        name: &str,
        suffix: Option<&str>,
    ) -> Result<(Option<String>, String), Diagnostic> {
        let (lang, translation_key) = written;
        let lang = match (lang.map(str::trim), suffix) {
            (Some(code), _) if !is_language_code(code) => {
                let (line, column, _) = value_place(source, "lang").unwrap_or((1, 1, 1));
                return Err(Diagnostic::error(
                    source.path.clone(),
                    format!("`{code}` is not a language code"),
                )
                .at(&source.text, line, column)
                .span(code.chars().count().max(1))
                .hint(format!(
                    "write a code such as `en`, `fr` or `pt-BR` ({DOCS})"
                )));
            }
            (Some(code), Some(suffix)) if code != suffix => {
                let (line, column, _) = value_place(source, "lang").unwrap_or((1, 1, 1));
                return Err(Diagnostic::error(
                    source.path.clone(),
                    format!("`lang: {code}` differs from the file name's `.{suffix}`"),
                )
                .at(&source.text, line, column)
                .span(code.chars().count())
                .hint(format!("remove `lang:` or rename the file ({DOCS})")));
            }
            (Some(code), _) => Some(code.to_string()),
            (None, suffix) => suffix.map(str::to_string),
        };
        let kind = content_path.split('/').next().unwrap_or("");
        let key = match translation_key.map(str::trim).filter(|k| !k.is_empty()) {
            Some(key) => format!("{kind}/{key}"),
            None => match content_path.rsplit_once('/') {
                Some((folder, _)) => format!("{folder}/{name}"),
                None => name.to_string(),
            },
        };
        Ok((lang, key))
    }
    let (lang, key) = match parsed {
        Parsed::Brief(d) => set(
            &d.source,
            &d.content_path,
            (d.front.lang.as_deref(), d.front.translation_key.as_deref()),
            name,
            suffix,
        )?,
        Parsed::Actor(d) => set(
            &d.source,
            &d.content_path,
            (d.front.lang.as_deref(), d.front.translation_key.as_deref()),
            name,
            suffix,
        )?,
        Parsed::Event(d) => set(
            &d.source,
            &d.content_path,
            (d.front.lang.as_deref(), d.front.translation_key.as_deref()),
            name,
            suffix,
        )?,
        Parsed::Page(d) => set(
            &d.source,
            &d.content_path,
            (d.front.lang.as_deref(), d.front.translation_key.as_deref()),
            name,
            suffix,
        )?,
        Parsed::Asset(_) => return Ok(()),
    };
    match parsed {
        Parsed::Brief(d) => (d.lang, d.key) = (lang, key),
        Parsed::Actor(d) => (d.lang, d.key) = (lang, key),
        Parsed::Event(d) => (d.lang, d.key) = (lang, key),
        Parsed::Page(d) => (d.lang, d.key) = (lang, key),
        Parsed::Asset(_) => {}
    }
    Ok(())
}

/// One document as the language checks see it.
struct Entry<'a> {
    kind: &'static str,
    source: &'a Source,
    lang: Option<&'a str>,
    key: &'a str,
    slug: &'a str,
}

fn entries(content: &Content) -> Vec<Entry<'_>> {
    let briefs = content.briefs.iter().map(|d| Entry {
        kind: "brief",
        source: &d.source,
        lang: d.lang.as_deref(),
        key: &d.key,
        slug: &d.slug,
    });
    let actors = content.actors.iter().map(|d| Entry {
        kind: "actor",
        source: &d.source,
        lang: d.lang.as_deref(),
        key: &d.key,
        slug: &d.slug,
    });
    let events = content.events.iter().map(|d| Entry {
        kind: "event",
        source: &d.source,
        lang: d.lang.as_deref(),
        key: &d.key,
        slug: &d.slug,
    });
    let pages = content.pages.iter().map(|d| Entry {
        kind: "page",
        source: &d.source,
        lang: d.lang.as_deref(),
        key: &d.key,
        slug: &d.slug,
    });
    briefs.chain(actors).chain(events).chain(pages).collect()
}

/// The problems of the documents' languages: a language `site.yaml` does not declare,
/// two files claiming one translation, a free page on a language's path, and an actor,
/// event or page translated from no complete document.
pub fn check(content: &Content, config: &SiteConfig) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let default = config.default_language();
    let mut claimed: BTreeMap<(&str, &str, &str), &Source> = BTreeMap::new();
    for entry in entries(content) {
        let lang = entry.lang.unwrap_or(default);
        if !config.declares(lang) {
            problems.push(undeclared(entry.source, lang));
            continue;
        }
        match claimed.get(&(entry.kind, entry.key, lang)) {
            Some(other) => problems.push(claimed_twice(entry.source, other, lang)),
            None => {
                claimed.insert((entry.kind, entry.key, lang), entry.source);
            }
        }
        if entry.kind == "page" && config.languages.contains_key(entry.slug) {
            problems.push(
                Diagnostic::file_error(
                    entry.source.path.clone(),
                    format!(
                        "the page `/{}/` would take the path of a language",
                        entry.slug
                    ),
                )
                .hint(format!(
                    "give the page another `slug:` or file name ({DOCS})"
                )),
            );
        }
    }
    problems.extend(incomplete_bases(content, config));
    problems
}

fn undeclared(source: &Source, lang: &str) -> Diagnostic {
    let d = Diagnostic::error(
        source.path.clone(),
        format!("language `{lang}` is not declared in site.yaml"),
    );
    let d = match value_place(source, "lang") {
        Some((line, column, span)) => d.at(&source.text, line, column).span(span),
        None => d.at(&source.text, 1, 1),
    };
    d.hint(format!(
        "add `{lang}` under `languages:` in site.yaml, or rename the file ({DOCS})"
    ))
}

/// Where a file says which translation it is: its `translation_key:`, else its `lang:`.
fn claim_place(source: &Source) -> Option<(usize, usize, usize, &'static str)> {
    ["translation_key", "lang"].into_iter().find_map(|key| {
        let (line, column, span) = value_place(source, key)?;
        Some((line, column, span, key))
    })
}

/// The line, column and width of the value of top-level `key` in the front matter.
fn value_place(source: &Source, key: &str) -> Option<(usize, usize, usize)> {
    let front = source.front();
    let line = yaml::key_line(front, key)?;
    let start: usize = front
        .split_inclusive('\n')
        .take(line - 1)
        .map(str::len)
        .sum();
    let text = front[start..].lines().next()?;
    let after = text.get(key.len() + 1..)?;
    let value = after.trim();
    let at = start + key.len() + 1 + (after.len() - after.trim_start().len());
    let (line, column) = crate::diagnostics::line_col(&source.text, source.front.start + at);
    Some((line, column, value.chars().count().max(1)))
}

fn claimed_twice(source: &Source, other: &Source, lang: &str) -> Diagnostic {
    let mut d = Diagnostic::error(
        source.path.clone(),
        format!(
            "two files are the same `{lang}` translation: {} and {}",
            other.path, source.path
        ),
    );
    d = match claim_place(source) {
        Some((line, column, span, key)) => d
            .at(&source.text, line, column)
            .span(span)
            .label(format!("the `{key}` of this file")),
        None => d.at(&source.text, 1, 1),
    };
    if let Some((line, column, span, key)) = claim_place(other) {
        d = d.also(Related::new(
            other.path.clone(),
            &other.text,
            (line, column),
            span,
            format!("already the `{key}` of this file"),
        ));
    }
    d.hint(format!(
        "give one of them another `lang:`, `translation_key:` or file name ({} or {})",
        other.path, source.path
    ))
}

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
fn incomplete_bases(content: &Content, config: &SiteConfig) -> Vec<Diagnostic> {
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
    for list in groups(&content.actors, config, actor_key).values() {
        let mut doc = pick(list, code, &lang_of, merge_actor);
        let mut names: Vec<String> = Vec::new();
        for (_, d) in list {
            names.push(d.front.name.clone());
            names.extend(d.front.aliases.iter().cloned());
        }
        let mut aliases: Vec<String> = doc.front.aliases.clone();
        for name in names {
            if name.trim().is_empty() || name == doc.front.name || aliases.contains(&name) {
                continue;
            }
            aliases.push(name);
        }
        doc.front.aliases = aliases;
        alias_all(
            &mut out.aliases,
            list.iter().map(|(_, d)| &d.content_path),
            &doc.content_path,
        );
        out.actors.push(Arc::new(doc));
    }
    for list in groups(&content.events, config, event_key).values() {
        let doc = pick(list, code, &lang_of, merge_event);
        alias_all(
            &mut out.aliases,
            list.iter().map(|(_, d)| &d.content_path),
            &doc.content_path,
        );
        out.events.push(Arc::new(doc));
    }
    for list in groups(&content.pages, config, page_key).values() {
        let doc = pick(list, code, &lang_of, merge_page);
        alias_all(
            &mut out.aliases,
            list.iter().map(|(_, d)| &d.content_path),
            &doc.content_path,
        );
        out.pages.push(Arc::new(doc));
    }
    out
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_suffixes_have_the_shape_of_a_code() {
        assert_eq!(split_stem("a.fr"), ("a", Some("fr")));
        assert_eq!(split_stem("a.pt-BR"), ("a", Some("pt-BR")));
        assert_eq!(split_stem("v2.1"), ("v2.1", None));
        assert_eq!(split_stem("report.final"), ("report.final", None));
        assert_eq!(split_stem("about"), ("about", None));
        assert_eq!(split_stem(".fr"), (".fr", None));
    }
}
