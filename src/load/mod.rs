//! Stage 1, load: walk `content/`, read every file, split and parse front matter, and
//! validate what can be checked within one file (required keys, types, dates, slugs).
//!
//! Owns the documents as written. Knows nothing of references between files: that is
//! the resolve stage's work. Files are parsed in parallel; the result is sorted by path,
//! so it does not depend on the file system's order.

pub mod front;
pub mod frontmatter;
pub mod languages;
pub mod translations;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::date::Date;
use crate::diagnostics::{relative_path, Diagnostic, Diagnostics, Unreadable};
use crate::sitefs::{self, Problem, SiteRoot};
use crate::slug::{is_valid_slug, slugify, too_long};
use crate::yaml;
pub use front::*;
pub use frontmatter::Source;

/// A brief as written, with its validated dates and slug.
#[derive(Debug, Clone)]
pub struct BriefDoc {
    /// The file's text and where its front matter and body are.
    pub source: Source,
    /// The parsed front matter.
    pub front: BriefFront,
    /// `date`, checked against the calendar.
    pub date: Date,
    /// `updated`, if given.
    pub updated: Option<Date>,
    /// The URL part: `slug:` if given, else the file stem slugified.
    pub slug: String,
    /// Path relative to `content/`: `briefs/2021/a.md`.
    pub content_path: String,
    /// The language written in the file's name (`NAME.fr.md`) or its `lang:`, if any
    /// (else it is the site's default language).
    pub lang: Option<String>,
    /// What its translations share (docs/languages.md): `KIND/X` for `translation_key:
    /// X`, else its path without the language suffix and `.md` (`briefs/2021/a`).
    pub key: String,
}

/// An actor record as written.
#[derive(Debug, Clone)]
pub struct ActorDoc {
    /// The file's text and where its front matter and body are.
    pub source: Source,
    /// The parsed front matter.
    pub front: ActorFront,
    /// The URL part: `slug:` if given, else the file stem slugified.
    pub slug: String,
    /// Path relative to `content/`: `actors/irgc.md`.
    pub content_path: String,
    /// The language written in the file's name (`NAME.fr.md`) or its `lang:`, if any
    /// (else it is the site's default language).
    pub lang: Option<String>,
    /// What its translations share (docs/languages.md): `KIND/X` for `translation_key:
    /// X`, else its path without the language suffix and `.md` (`briefs/2021/a`).
    pub key: String,
}

/// An event record as written.
#[derive(Debug, Clone)]
pub struct EventDoc {
    /// The file's text and where its front matter and body are.
    pub source: Source,
    /// The parsed front matter.
    pub front: EventFront,
    /// `date`, checked against the calendar.
    pub date: Date,
    /// `end_date`, if given.
    pub end_date: Option<Date>,
    /// The URL part: `slug:` if given, else the file stem slugified.
    pub slug: String,
    /// Path relative to `content/`: `events/2020-01-03-strike.md`.
    pub content_path: String,
    /// The language written in the file's name (`NAME.fr.md`) or its `lang:`, if any
    /// (else it is the site's default language).
    pub lang: Option<String>,
    /// What its translations share (docs/languages.md): `KIND/X` for `translation_key:
    /// X`, else its path without the language suffix and `.md` (`briefs/2021/a`).
    pub key: String,
}

/// A free page as written.
#[derive(Debug, Clone)]
pub struct PageDoc {
    /// The file's text and where its front matter and body are.
    pub source: Source,
    /// The parsed front matter.
    pub front: PageFront,
    /// The URL part: `slug:` if given, else the file stem slugified.
    pub slug: String,
    /// Path relative to `content/`: `pages/about.md`.
    pub content_path: String,
    /// The language written in the file's name (`NAME.fr.md`) or its `lang:`, if any
    /// (else it is the site's default language).
    pub lang: Option<String>,
    /// What its translations share (docs/languages.md): `KIND/X` for `translation_key:
    /// X`, else its path without the language suffix and `.md` (`briefs/2021/a`).
    pub key: String,
}

/// A file under `content/` that is copied as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    /// Path relative to `content/`, which is also its path in the output.
    pub content_path: String,
    /// Where it is on disk.
    pub disk_path: PathBuf,
}

/// Everything under `content/`, parsed.
#[derive(Debug, Clone, Default)]
pub struct Content {
    /// Briefs (drafts included), by path.
    pub briefs: Vec<Arc<BriefDoc>>,
    /// Actor records, by path.
    pub actors: Vec<Arc<ActorDoc>>,
    /// Event records, by path.
    pub events: Vec<Arc<EventDoc>>,
    /// Free pages, by path.
    pub pages: Vec<Arc<PageDoc>>,
    /// Files copied as they are, by path.
    pub assets: Vec<Asset>,
    /// In one language of a multilingual site: the path of every file of another
    /// language, and the path of the document shown instead (links to either lead to it).
    pub aliases: Vec<(String, String)>,
}

/// What a file under `content/` is, by its place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// Under `briefs/`.
    Brief,
    /// Under `actors/`.
    Actor,
    /// Under `events/`.
    Event,
    /// Under `pages/`.
    Page,
    /// Not Markdown: copied as it is.
    Asset,
    /// A Markdown file outside the known folders.
    Stray,
    /// Hidden files and editor artefacts.
    Ignored,
}

/// Classifies a path relative to `content/` (`/`-separated).
pub fn classify(content_path: &str) -> FileKind {
    let name = content_path.rsplit('/').next().unwrap_or(content_path);
    if is_ignored_name(name) || content_path.split('/').any(|part| part.starts_with('.')) {
        return FileKind::Ignored;
    }
    if !name.ends_with(".md") {
        return FileKind::Asset;
    }
    match content_path.split('/').next() {
        Some("briefs") => FileKind::Brief,
        Some("actors") => FileKind::Actor,
        Some("events") => FileKind::Event,
        Some("pages") => FileKind::Page,
        _ => FileKind::Stray,
    }
}

/// Hidden files and the artefacts editors leave beside the files they save.
pub fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913"
        || name.starts_with(".#")
        || (name.starts_with('#') && name.ends_with('#'))
}

/// One parsed file.
pub enum Parsed {
    /// A brief.
    Brief(Box<BriefDoc>),
    /// An actor record.
    Actor(Box<ActorDoc>),
    /// An event record.
    Event(Box<EventDoc>),
    /// A free page.
    Page(Box<PageDoc>),
    /// A file copied as it is.
    Asset(Asset),
}

/// Loads `<root>/content`. Problems go to `diagnostics`; a file with an error is left out.
pub fn load(root: &Path, diagnostics: &mut Diagnostics) -> Content {
    let content_dir = root.join("content");
    let mut files = Vec::new();
    let mut unreadable = Unreadable::default();
    if !content_dir.is_dir() {
        diagnostics.push(
            Diagnostic::file_error("content", "there is no content/ folder here").hint(
                "run briefly in a site folder, pass --root DIR, or create one with `briefly init`",
            ),
        );
        return Content::default();
    }
    let walk = SiteRoot::new(root).walk(&content_dir);
    for problem in walk.problems {
        match problem {
            Problem::Unreadable { path, error } => {
                unreadable.add(relative_path(root, &path), &error);
            }
            other => diagnostics.push(other.diagnostic(root)),
        }
    }
    files.extend(walk.files);
    let results: Vec<Result<Option<Parsed>, Failure>> =
        files.par_iter().map(|path| load_one(root, path)).collect();
    let mut content = Content::default();
    for result in results {
        match result {
            Ok(Some(parsed)) => content.insert(parsed),
            Ok(None) => {}
            Err(Failure::Invalid(d)) => diagnostics.push(d),
            Err(Failure::Unreadable { path, cause }) => unreadable.add_cause(path, cause),
        }
    }
    diagnostics.extend(unreadable.into_diagnostics());
    content
}

/// Why a file was not loaded.
enum Failure {
    /// It could not be read: reported grouped with others of the same cause.
    Unreadable { path: String, cause: String },
    /// It was read and is wrong.
    Invalid(Diagnostic),
}

impl Failure {
    /// A file that was not read: grouped with others of its cause if it could not be,
    /// else (a link out of the site, a special file) reported on its own.
    fn from_problem(root: &Path) -> impl Fn(Problem) -> Failure + '_ {
        move |problem| match problem {
            Problem::Unreadable { path, error } => Failure::Unreadable {
                path: relative_path(root, &path),
                cause: crate::diagnostics::cause_of(&error),
            },
            other => Failure::Invalid(other.diagnostic(root)),
        }
    }
}

impl From<Diagnostic> for Failure {
    fn from(d: Diagnostic) -> Self {
        Failure::Invalid(d)
    }
}

impl Content {
    /// Adds a parsed file (replacing none: see [`Content::remove`]) where [`load`] would
    /// have put it: in order of path, so that a session's documents are in a build's order.
    pub fn insert(&mut self, parsed: Parsed) {
        match parsed {
            Parsed::Brief(b) => insert_by_path(&mut self.briefs, Arc::from(b), |d| &d.content_path),
            Parsed::Actor(a) => insert_by_path(&mut self.actors, Arc::from(a), |d| &d.content_path),
            Parsed::Event(e) => insert_by_path(&mut self.events, Arc::from(e), |d| &d.content_path),
            Parsed::Page(p) => insert_by_path(&mut self.pages, Arc::from(p), |d| &d.content_path),
            Parsed::Asset(a) => insert_by_path(&mut self.assets, a, |d| &d.content_path),
        }
    }

    /// Removes whatever came from `content_path` (relative to `content/`).
    pub fn remove(&mut self, content_path: &str) {
        self.briefs.retain(|d| d.content_path != content_path);
        self.actors.retain(|d| d.content_path != content_path);
        self.events.retain(|d| d.content_path != content_path);
        self.pages.retain(|d| d.content_path != content_path);
        self.assets.retain(|d| d.content_path != content_path);
    }
}

/// Inserts `item` into `list` (in order of path, as a walk gives them) at its place.
fn insert_by_path<T>(list: &mut Vec<T>, item: T, path: impl Fn(&T) -> &String) {
    let at = {
        let new = Path::new(path(&item));
        list.partition_point(|d| Path::new(path(d)) < new)
    };
    list.insert(at, item);
}

/// Loads one file under `<root>/content` (`Ok(None)` for ignored files). A file reached
/// through a link that leaves the site, or one that is not a regular file, is not read.
pub fn load_file(root: &Path, path: &Path) -> Result<Option<Parsed>, Diagnostic> {
    if classify(&relative_path(&root.join("content"), path)) == FileKind::Ignored {
        return Ok(None);
    }
    let checked = SiteRoot::new(root).check(path).and_then(|target| {
        if std::fs::metadata(&target).is_ok_and(|m| m.is_file()) {
            Ok(())
        } else {
            Err(Problem::Special {
                path: path.to_path_buf(),
            })
        }
    });
    checked
        .map_err(Failure::from_problem(root))
        .and_then(|()| load_one(root, path))
        .map_err(|failure| match failure {
            Failure::Invalid(d) => d,
            Failure::Unreadable { path, cause } => {
                let mut one = Unreadable::default();
                one.add_cause(path.clone(), cause);
                one.into_diagnostics()
                    .pop()
                    .unwrap_or_else(|| Diagnostic::file_error(path, "could not read the file"))
            }
        })
}

/// Loads one file that a walk found (and so checked), or that [`load_file`] checked.
fn load_one(root: &Path, path: &Path) -> Result<Option<Parsed>, Failure> {
    let content_path = relative_path(&root.join("content"), path);
    let site_path = format!("content/{content_path}");
    let kind = classify(&content_path);
    match kind {
        FileKind::Ignored => return Ok(None),
        FileKind::Asset => {
            return Ok(Some(Parsed::Asset(Asset {
                content_path,
                disk_path: path.to_path_buf(),
            })))
        }
        FileKind::Stray => {
            return Err(Diagnostic::warning(
                site_path,
                "this Markdown file is outside briefs/, actors/, events/ and pages/, so it is not built",
            )
            .hint("move it into one of those folders")
            .into())
        }
        _ => {}
    }
    let text = read_text(root, &site_path, path)?;
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok(Some(parse_text(content_path, &stem, text)?))
}

/// Parses the text of a brief, actor, event or free page at `content_path` (relative to
/// `content/`; its folder says which) whose file stem is `stem` (`NAME` or `NAME.LANG`).
pub fn parse_text(content_path: String, stem: &str, text: String) -> Result<Parsed, Diagnostic> {
    let source = frontmatter::split(&format!("content/{content_path}"), text)?;
    let (name, suffix) = languages::split_stem(stem);
    // A file in a language of its own may be the translation of another, which gives
    // what it leaves out.
    let partial = suffix.is_some() || yaml::key_line(source.front(), "lang").is_some();
    let mut parsed = match classify(&content_path) {
        FileKind::Brief => Parsed::Brief(Box::new(parse_brief(source, name, content_path)?)),
        FileKind::Actor => {
            let front: ActorFront = if partial {
                front::parse_partial(&source, "actor", ACTOR_KEYS, languages::ACTOR_REQUIRED)?
            } else {
                front::parse(&source, "actor", ACTOR_KEYS)?
            };
            let slug = choose_slug(&source, front.slug.as_deref(), name)?;
            Parsed::Actor(Box::new(ActorDoc {
                source,
                front,
                slug,
                content_path,
                lang: None,
                key: String::new(),
            }))
        }
        FileKind::Event => {
            Parsed::Event(Box::new(parse_event(source, name, content_path, partial)?))
        }
        _ => {
            let front: PageFront = if partial {
                front::parse_partial(&source, "page", PAGE_KEYS, languages::PAGE_REQUIRED)?
            } else {
                front::parse(&source, "page", PAGE_KEYS)?
            };
            let slug = choose_slug(&source, front.slug.as_deref(), name)?;
            Parsed::Page(Box::new(PageDoc {
                source,
                front,
                slug,
                content_path,
                lang: None,
                key: String::new(),
            }))
        }
    };
    languages::mark(&mut parsed, name, suffix)?;
    Ok(parsed)
}

/// Reads a file as UTF-8; invalid bytes are an error at their line.
fn read_text(root: &Path, site_path: &str, path: &Path) -> Result<String, Failure> {
    let bytes = sitefs::read_regular(path).map_err(Failure::from_problem(root))?;
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let prefix = String::from_utf8_lossy(&e.as_bytes()[..valid]).into_owned();
        let (line, column) = crate::diagnostics::line_col(&prefix, valid);
        let mut whole = prefix.clone();
        whole.push_str(&String::from_utf8_lossy(&e.as_bytes()[valid..]));
        Diagnostic::error(
            site_path,
            format!("the file is not valid UTF-8 (bad byte at line {line})"),
        )
        .at(&whole, line, column)
        .hint("save the file as UTF-8")
        .into()
    })
}

fn parse_brief(source: Source, stem: &str, content_path: String) -> Result<BriefDoc, Diagnostic> {
    let front: BriefFront = front::parse(&source, "brief", BRIEF_KEYS)?;
    let date = parse_date(&source, "date", &front.date)?;
    let updated = match &front.updated {
        Some(u) => Some(parse_date(&source, "updated", u)?),
        None => None,
    };
    let slug = choose_slug(&source, front.slug.as_deref(), stem)?;
    Ok(BriefDoc {
        source,
        front,
        date,
        updated,
        slug,
        content_path,
        lang: None,
        key: String::new(),
    })
}

fn parse_event(
    source: Source,
    stem: &str,
    content_path: String,
    partial: bool,
) -> Result<EventDoc, Diagnostic> {
    let front: EventFront = if partial {
        front::parse_partial(&source, "event", EVENT_KEYS, languages::EVENT_REQUIRED)?
    } else {
        front::parse(&source, "event", EVENT_KEYS)?
    };
    let date = parse_date(&source, "date", &front.date)?;
    let end_date = match &front.end_date {
        Some(d) => Some(parse_date(&source, "end_date", d)?),
        None => None,
    };
    let slug = choose_slug(&source, front.slug.as_deref(), stem)?;
    Ok(EventDoc {
        source,
        front,
        date,
        end_date,
        slug,
        content_path,
        lang: None,
        key: String::new(),
    })
}

/// Parses the date under top-level `key`, with an error over the value as written.
pub fn parse_date(source: &Source, key: &str, value: &str) -> Result<Date, Diagnostic> {
    parse_date_in(source, key, &format!("`{key}`"), value)
}

/// Parses a date written under top-level `key` (perhaps nested, as in an inline event's
/// `date:`); the error names it `what` and underlines the value.
pub fn parse_date_in(
    source: &Source,
    key: &str,
    what: &str,
    value: &str,
) -> Result<Date, Diagnostic> {
    Date::parse(value).map_err(|message| {
        let value = value.trim();
        let (line, column) = source.locate_in_front(key, value);
        Diagnostic::error(source.path.clone(), format!("{what}: {message}"))
            .at(&source.text, line, column)
            .span(value.chars().count())
            .hint("write the date as YYYY-MM-DD (e.g. 2021-07-12) or RFC 3339")
    })
}

/// The explicit slug if valid, else the file stem slugified; either must fit in a folder
/// name.
fn choose_slug(source: &Source, explicit: Option<&str>, stem: &str) -> Result<String, Diagnostic> {
    let Some(slug) = explicit else {
        let slug = slugify(stem);
        return match too_long(&slug) {
            Some(why) => Err(Diagnostic::file_error(
                source.path.clone(),
                format!("the file name {why}"),
            )
            .hint(format!(
                "rename the file, or set a shorter `slug:` ({SLUG_DOCS})"
            ))),
            None => Ok(slug),
        };
    };
    let (line, column) = source.locate_in_front("slug", slug);
    let at = |message: String| {
        Diagnostic::error(source.path.clone(), message)
            .at(&source.text, line, column)
            .span(slug.chars().count())
    };
    if !is_valid_slug(slug) {
        return Err(at(format!("`{slug}` is not a valid slug")).hint(format!(
            "a slug is lowercase ASCII letters and digits joined by single hyphens, without `/`, `\\` or `..`: try `{}`",
            slugify(slug)
        )));
    }
    if let Some(why) = too_long(slug) {
        return Err(
            at(format!("this `slug:` {why}")).hint(format!("shorten the slug ({SLUG_DOCS})"))
        );
    }
    Ok(slug.to_string())
}

/// Where slugs are explained.
pub const SLUG_DOCS: &str = "see docs/content.md#slugs-and-heading-ids";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_by_place() {
        assert_eq!(classify("briefs/2021/a.md"), FileKind::Brief);
        assert_eq!(classify("actors/kh.md"), FileKind::Actor);
        assert_eq!(classify("events/x.md"), FileKind::Event);
        assert_eq!(classify("pages/about.md"), FileKind::Page);
        assert_eq!(classify("briefs/2021/map.png"), FileKind::Asset);
        assert_eq!(classify("notes.md"), FileKind::Stray);
        assert_eq!(classify("briefs/.a.md.swp"), FileKind::Ignored);
        assert_eq!(classify("briefs/a.md~"), FileKind::Ignored);
        assert_eq!(classify("briefs/4913"), FileKind::Ignored);
    }
}
