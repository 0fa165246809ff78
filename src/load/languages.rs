//! The languages of documents (docs/languages.md): `NAME.LANG.md` and `lang:` say what a
//! file is written in, `translation_key:` links files whose names differ; the checks of
//! both. What each language shows is [`super::translations`]'s.

use rustc_hash::FxHashMap;

use super::{Content, Parsed, Source};
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
    let (source, content_path, front) = match parsed {
        Parsed::Brief(d) => (
            &d.source,
            &d.content_path,
            written(d.front.lang.as_ref(), d.front.translation_key.as_ref()),
        ),
        Parsed::Actor(d) => (
            &d.source,
            &d.content_path,
            written(d.front.lang.as_ref(), d.front.translation_key.as_ref()),
        ),
        Parsed::Event(d) => (
            &d.source,
            &d.content_path,
            written(d.front.lang.as_ref(), d.front.translation_key.as_ref()),
        ),
        Parsed::Page(d) => (
            &d.source,
            &d.content_path,
            written(d.front.lang.as_ref(), d.front.translation_key.as_ref()),
        ),
        Parsed::Asset(_) => return Ok(()),
    };
    let (lang, key) = set(source, content_path, front, name, suffix)?;
    match parsed {
        Parsed::Brief(d) => (d.lang, d.key) = (lang, key),
        Parsed::Actor(d) => (d.lang, d.key) = (lang, key),
        Parsed::Event(d) => (d.lang, d.key) = (lang, key),
        Parsed::Page(d) => (d.lang, d.key) = (lang, key),
        Parsed::Asset(_) => {}
    }
    Ok(())
}

/// The `lang:` and `translation_key:` a front matter gives.
fn written<'a>(
    lang: Option<&'a String>,
    key: Option<&'a String>,
) -> (Option<&'a str>, Option<&'a str>) {
    (lang.map(String::as_str), key.map(String::as_str))
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
    // Looked up once per document: a hash map, as the problems come in document order.
    let mut claimed: FxHashMap<(&str, &str, &str), &Source> = FxHashMap::default();
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
    problems.extend(super::translations::incomplete_bases(content, config));
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
