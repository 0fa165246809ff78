//! The front matter of each kind of content file, as written (SPEC sections 2–3), and its
//! parsing with located, hinted errors.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::frontmatter::Source;
use crate::diagnostics::Diagnostic;
use crate::{suggest, yaml};

/// Keys a brief accepts.
pub const BRIEF_KEYS: &[&str] = &[
    "title",
    "subtitle",
    "date",
    "updated",
    "authors",
    "slug",
    "summary",
    "key_points",
    "recommendations",
    "actors",
    "events",
    "topics",
    "regions",
    "image",
    "draft",
];
/// Keys an actor accepts.
pub const ACTOR_KEYS: &[&str] = &[
    "name",
    "aliases",
    "kind",
    "country",
    "affiliations",
    "links",
    "slug",
];
/// Keys an event accepts.
pub const EVENT_KEYS: &[&str] = &[
    "title", "date", "end_date", "location", "actors", "sources", "slug",
];
/// Keys a free page accepts.
pub const PAGE_KEYS: &[&str] = &["title", "slug", "description"];

/// A brief's front matter.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BriefFront {
    /// Required.
    pub title: String,
    #[serde(default)]
    pub subtitle: Option<String>,
    /// Required: `YYYY-MM-DD` or RFC 3339.
    pub date: String,
    #[serde(default)]
    pub updated: Option<String>,
    #[serde(default)]
    pub authors: Vec<AuthorRef>,
    #[serde(default)]
    pub slug: Option<String>,
    /// Inline Markdown.
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub key_points: Option<Vec<String>>,
    #[serde(default)]
    pub recommendations: Option<Vec<String>>,
    /// Actor references.
    #[serde(default)]
    pub actors: Vec<String>,
    #[serde(default)]
    pub events: Vec<EventRef>,
    #[serde(default)]
    pub topics: Vec<String>,
    #[serde(default)]
    pub regions: Vec<String>,
    #[serde(default)]
    pub image: Option<ImageRef>,
    #[serde(default)]
    pub draft: bool,
}

/// An author: a name, or a name with affiliation and URL.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum AuthorRef {
    /// `Jane Doe`
    Name(String),
    /// `{name: Sam Roe, affiliation: …, url: …}`
    Full(Author),
}

/// An author with details.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq, Hash)]
#[serde(deny_unknown_fields)]
pub struct Author {
    pub name: String,
    #[serde(default)]
    pub affiliation: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
}

impl AuthorRef {
    /// The author with details (a bare name has none).
    pub fn to_author(&self) -> Author {
        match self {
            AuthorRef::Name(name) => Author {
                name: name.clone(),
                affiliation: None,
                url: None,
            },
            AuthorRef::Full(a) => a.clone(),
        }
    }
}

/// An entry of a brief's `events:` list.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum EventRef {
    /// The slug of an event record.
    Slug(String),
    /// An inline declaration.
    Inline(EventFront),
}

/// A cover image.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum ImageRef {
    /// Just the source.
    Src(String),
    /// Source, alt text and credit.
    Full(Image),
}

/// A cover image with its alt text and credit.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Image {
    pub src: String,
    #[serde(default)]
    pub alt: Option<String>,
    #[serde(default)]
    pub credit: Option<String>,
}

impl ImageRef {
    /// The image with optional fields filled as given.
    pub fn to_image(&self) -> Image {
        match self {
            ImageRef::Src(src) => Image {
                src: src.clone(),
                alt: None,
                credit: None,
            },
            ImageRef::Full(i) => i.clone(),
        }
    }
}

/// A titled link (actor links, event sources).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq, Hash)]
#[serde(deny_unknown_fields)]
pub struct Link {
    pub title: String,
    pub url: String,
}

/// An actor record's front matter.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActorFront {
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub country: Option<String>,
    #[serde(default)]
    pub affiliations: Vec<String>,
    #[serde(default)]
    pub links: Vec<Link>,
    #[serde(default)]
    pub slug: Option<String>,
}

/// An event record's front matter, also the shape of an inline event.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventFront {
    pub title: String,
    pub date: String,
    #[serde(default)]
    pub end_date: Option<String>,
    #[serde(default)]
    pub location: Option<String>,
    #[serde(default)]
    pub actors: Vec<String>,
    #[serde(default)]
    pub sources: Vec<Link>,
    #[serde(default)]
    pub slug: Option<String>,
}

/// A free page's front matter.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageFront {
    pub title: String,
    #[serde(default)]
    pub slug: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
}

/// Parses the front matter of `source` as `T`, turning YAML and shape errors into a
/// diagnostic at the offending line with a hint.
pub fn parse<T: DeserializeOwned>(
    source: &Source,
    kind: &str,
    keys: &[&str],
) -> Result<T, Diagnostic> {
    let front = source.front();
    yaml::from_str(front).map_err(|e| {
        if let Some(field) = e.unknown_field() {
            let line = yaml::key_line(front, field).or(e.line).unwrap_or(1);
            return source
                .front_error(line, 1, format!("unknown key `{field}` in {kind} front matter"))
                .span(field.chars().count())
                .hint(suggest::did_you_mean(field, keys));
        }
        if let Some(field) = e.missing_field() {
            return Diagnostic::error(source.path.clone(), format!("{kind} front matter has no `{field}`"))
                .at(&source.text, 1, 1)
                .span(3)
                .hint(format!("add `{field}: …` to the front matter; it is required"));
        }
        let message = if e.message.contains("repetition limit") {
            "the front matter expands too many YAML aliases".to_string()
        } else {
            format!("invalid front matter: {}", e.message)
        };
        let hint = if e.message.contains("invalid type") || e.message.contains("did not match any variant") {
            "check the value's type: lists are `[a, b]` or `- item` lines; see SPEC sections 2-3"
        } else if e.message.contains("repetition limit") {
            "write the values out instead of nesting `&anchor` / `*alias` references"
        } else {
            "check the YAML syntax: quote values that contain `: `, `#` or start with `[`, `{`, `*`, `&`"
        };
        source
            .front_error(e.line.unwrap_or(1), e.column.unwrap_or(1), message)
            .hint(hint)
    })
}
