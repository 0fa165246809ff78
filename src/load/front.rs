//! The front matter of each kind of content file, as written (docs/content.md, from
//! "Briefs" to "Free pages"), and its parsing with located, hinted errors, including URLs
//! whose scheme is not allowed ([`crate::url`]): author `url`, cover `image`, actor
//! `links`, event `sources`, and the links and images in the inline Markdown of
//! `summary`, `key_points`, `recommendations`.

use std::borrow::Cow;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::frontmatter::Source;
use crate::diagnostics::Diagnostic;
use crate::url::{self, UrlUse};
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
    "lang",
    "translation_key",
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
    "lang",
    "translation_key",
];
/// Keys an event accepts.
pub const EVENT_KEYS: &[&str] = &[
    "title",
    "date",
    "end_date",
    "location",
    "actors",
    "sources",
    "slug",
    "lang",
    "translation_key",
];
/// Keys a free page accepts.
pub const PAGE_KEYS: &[&str] = &["title", "slug", "description", "lang", "translation_key"];

/// A brief's front matter.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BriefFront {
    /// Required.
    pub title: String,
    /// A line under the title.
    #[serde(default)]
    pub subtitle: Option<String>,
    /// Required: `YYYY-MM-DD` or RFC 3339.
    pub date: String,
    /// Date of the last revision, as written; shown on the page, used by the feed and sitemap.
    #[serde(default)]
    pub updated: Option<String>,
    /// Names, or names with affiliation and URL.
    #[serde(default)]
    pub authors: Vec<AuthorRef>,
    /// The URL part, `/briefs/<slug>/`; default: the file name slugified.
    #[serde(default)]
    pub slug: Option<String>,
    /// Inline Markdown.
    #[serde(default)]
    pub summary: Option<String>,
    /// Key points (inline Markdown each), instead of a Key Points section.
    #[serde(default)]
    pub key_points: Option<Vec<String>>,
    /// Recommendations (inline Markdown each), instead of a Recommendations section.
    #[serde(default)]
    pub recommendations: Option<Vec<String>>,
    /// Actor references.
    #[serde(default)]
    pub actors: Vec<String>,
    /// Event slugs and inline event declarations.
    #[serde(default)]
    pub events: Vec<EventRef>,
    /// Free topics, each with a page `/topics/<slug>/`.
    #[serde(default)]
    pub topics: Vec<String>,
    /// Free regions, each with a page `/regions/<slug>/`.
    #[serde(default)]
    pub regions: Vec<String>,
    /// The cover image.
    #[serde(default)]
    pub image: Option<ImageRef>,
    /// `true` leaves the brief out unless `--drafts` is given.
    #[serde(default)]
    pub draft: bool,
    /// The language the file is written in (docs/languages.md); default: the suffix of
    /// its name (`NAME.fr.md`), else the site's default language.
    #[serde(default)]
    pub lang: Option<String>,
    /// Links files whose names differ as translations of each other.
    #[serde(default)]
    pub translation_key: Option<String>,
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
    /// Required.
    pub name: String,
    /// Institution, shown beside the name.
    #[serde(default)]
    pub affiliation: Option<String>,
    /// The author's homepage.
    #[serde(default)]
    pub url: Option<String>,
    /// The family name, for citations, when it is not the last word of `name`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family: Option<String>,
    /// The given names, for citations, when they are not the words before the family name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub given: Option<String>,
    /// `person` (the default) or `organization`: an organisation's name is cited as written.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<AuthorKind>,
}

/// Whether an author is a person or an organisation (`type:` of an author).
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "lowercase")]
pub enum AuthorKind {
    /// A person: cited by family name and initials.
    Person,
    /// An organisation: cited by its name as written.
    #[serde(alias = "organisation")]
    Organization,
}

impl AuthorRef {
    /// The author with details (a bare name has none).
    pub fn to_author(&self) -> Author {
        match self {
            AuthorRef::Name(name) => Author {
                name: name.clone(),
                affiliation: None,
                url: None,
                family: None,
                given: None,
                kind: None,
            },
            AuthorRef::Full(a) => a.clone(),
        }
    }
}

/// An entry of a brief's `events:` list.
#[derive(Debug, Clone)]
pub enum EventRef {
    /// The slug of an event record.
    Slug(String),
    /// An inline declaration (boxed: most entries are slugs, and a brief keeps its list
    /// for the whole build).
    Inline(Box<EventFront>),
}

/// A slug or a mapping, told apart by the YAML itself (not `untagged`), so an error
/// inside an inline event keeps its place and says what is wrong.
impl<'de> Deserialize<'de> for EventRef {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(EventRefVisitor)
    }
}

struct EventRefVisitor;

impl<'de> serde::de::Visitor<'de> for EventRefVisitor {
    type Value = EventRef;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an event slug or an inline event with `title:` and `date:`")
    }

    fn visit_str<E: serde::de::Error>(self, slug: &str) -> Result<EventRef, E> {
        Ok(EventRef::Slug(slug.to_string()))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<EventRef, A::Error> {
        EventFront::deserialize(serde::de::value::MapAccessDeserializer::new(map))
            .map(|event| EventRef::Inline(Box::new(event)))
    }
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
    /// Relative to the brief's file (from `content/` if it starts with `/`), or a URL.
    pub src: String,
    /// Alt text.
    #[serde(default)]
    pub alt: Option<String>,
    /// Who to credit, shown under the image.
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
    /// The link's text.
    pub title: String,
    /// Where it points; its scheme is checked.
    pub url: String,
}

/// An actor record's front matter.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActorFront {
    /// Required: the name shown.
    pub name: String,
    /// Other names, abbreviations, names in other scripts; each is a reference key and a mention.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Free text (`state`, `person`, `militia`…); the actors index groups by it.
    #[serde(default)]
    pub kind: Option<String>,
    /// Shown beside the kind.
    #[serde(default)]
    pub country: Option<String>,
    /// References to the actors this one belongs to.
    #[serde(default)]
    pub affiliations: Vec<String>,
    /// External links.
    #[serde(default)]
    pub links: Vec<Link>,
    /// The URL part; default: the file name slugified.
    #[serde(default)]
    pub slug: Option<String>,
    /// The language the file is written in (docs/languages.md); default: the suffix of
    /// its name (`NAME.fr.md`), else the site's default language.
    #[serde(default)]
    pub lang: Option<String>,
    /// Links files whose names differ as translations of each other.
    #[serde(default)]
    pub translation_key: Option<String>,
}

/// An event record's front matter, also the shape of an inline event.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventFront {
    /// Required.
    pub title: String,
    /// Required: `YYYY-MM-DD` or RFC 3339.
    pub date: String,
    /// Last day, for events that last several days.
    #[serde(default)]
    pub end_date: Option<String>,
    /// Where it happened.
    #[serde(default)]
    pub location: Option<String>,
    /// References to the actors taking part.
    #[serde(default)]
    pub actors: Vec<String>,
    /// Where the facts come from.
    #[serde(default)]
    pub sources: Vec<Link>,
    /// The URL part; default: the file name (for an inline event, `<date>-<title slugified>`).
    #[serde(default)]
    pub slug: Option<String>,
    /// The language the file is written in (docs/languages.md); default: the suffix of
    /// its name (`NAME.fr.md`), else the site's default language.
    #[serde(default)]
    pub lang: Option<String>,
    /// Links files whose names differ as translations of each other.
    #[serde(default)]
    pub translation_key: Option<String>,
}

/// A free page's front matter.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageFront {
    /// Required.
    pub title: String,
    /// The URL part, `/<slug>/`; default: the file name slugified.
    #[serde(default)]
    pub slug: Option<String>,
    /// For `<meta name="description">`.
    #[serde(default)]
    pub description: Option<String>,
    /// The language the file is written in (docs/languages.md); default: the suffix of
    /// its name (`NAME.fr.md`), else the site's default language.
    #[serde(default)]
    pub lang: Option<String>,
    /// Links files whose names differ as translations of each other.
    #[serde(default)]
    pub translation_key: Option<String>,
}

/// A URL written in front matter: the top-level key it is under, the URL, and its use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrontUrl<'a> {
    /// The top-level key: `image`, `links`, `summary`…
    pub key: &'static str,
    /// The URL as written.
    pub url: Cow<'a, str>,
    /// Whether it goes into an `href` or a `src`.
    pub url_use: UrlUse,
}

/// Front matter that carries URLs briefly writes into `href` or `src` attributes.
pub trait FrontUrls {
    /// Every such URL, in the order written.
    fn urls(&self) -> Vec<FrontUrl<'_>>;
}

fn link_urls<'a>(key: &'static str, links: &'a [Link], out: &mut Vec<FrontUrl<'a>>) {
    out.extend(links.iter().map(|l| FrontUrl {
        key,
        url: Cow::Borrowed(&l.url),
        url_use: UrlUse::Link,
    }));
}

/// The destinations of the links and images in a string of inline Markdown.
fn markdown_urls<'a>(key: &'static str, text: &'a str, out: &mut Vec<FrontUrl<'a>>) {
    use pulldown_cmark::{Event, LinkType, Parser, Tag};
    // Every link and image starts with `[`, `![` or `<`: text without them has none, and
    // most key points are plain sentences, so they skip the parser and its buffers.
    if !text.contains(['[', '<']) {
        return;
    }
    for event in Parser::new(text) {
        let (dest, url_use) = match event {
            Event::Start(Tag::Link {
                link_type: LinkType::Email,
                ..
            }) => continue,
            Event::Start(Tag::Link { dest_url, .. }) => (dest_url, UrlUse::Link),
            Event::Start(Tag::Image { dest_url, .. }) => (dest_url, UrlUse::Image),
            _ => continue,
        };
        out.push(FrontUrl {
            key,
            url: Cow::Owned(dest.to_string()),
            url_use,
        });
    }
}

impl FrontUrls for BriefFront {
    fn urls(&self) -> Vec<FrontUrl<'_>> {
        let mut out = Vec::new();
        if let Some(text) = &self.summary {
            markdown_urls("summary", text, &mut out);
        }
        for text in self.key_points.iter().flatten() {
            markdown_urls("key_points", text, &mut out);
        }
        for text in self.recommendations.iter().flatten() {
            markdown_urls("recommendations", text, &mut out);
        }
        for author in &self.authors {
            if let AuthorRef::Full(Author { url: Some(url), .. }) = author {
                out.push(FrontUrl {
                    key: "authors",
                    url: Cow::Borrowed(url),
                    url_use: UrlUse::Link,
                });
            }
        }
        for event in &self.events {
            if let EventRef::Inline(e) = event {
                link_urls("events", &e.sources, &mut out);
            }
        }
        if let Some(image) = &self.image {
            let src = match image {
                ImageRef::Src(src) => src,
                ImageRef::Full(i) => &i.src,
            };
            out.push(FrontUrl {
                key: "image",
                url: Cow::Borrowed(src),
                url_use: UrlUse::Image,
            });
        }
        out
    }
}

impl FrontUrls for ActorFront {
    fn urls(&self) -> Vec<FrontUrl<'_>> {
        let mut out = Vec::new();
        link_urls("links", &self.links, &mut out);
        out
    }
}

impl FrontUrls for EventFront {
    fn urls(&self) -> Vec<FrontUrl<'_>> {
        let mut out = Vec::new();
        link_urls("sources", &self.sources, &mut out);
        out
    }
}

impl FrontUrls for PageFront {
    fn urls(&self) -> Vec<FrontUrl<'_>> {
        Vec::new()
    }
}

/// The first URL of `front` whose scheme is not allowed, as an error at its value.
pub fn check_urls(source: &Source, front: &impl FrontUrls) -> Result<(), Diagnostic> {
    for u in front.urls() {
        let Err(refused) = url::check(&u.url, u.url_use) else {
            continue;
        };
        let (line, column) = source.locate_in_front(u.key, &u.url);
        let message = format!(
            "{} in `{}`: `{}`",
            refused.message(u.url_use),
            u.key,
            u.url.escape_debug()
        );
        return Err(Diagnostic::error(source.path.clone(), message)
            .at(&source.text, line, column)
            .span(u.url.chars().count().max(1))
            .hint(url::hint()));
    }
    Ok(())
}

/// Parses the front matter of `source` as `T`, turning YAML and shape errors into a
/// diagnostic at the offending line with a hint; then checks the URLs it carries.
pub fn parse<T: DeserializeOwned + FrontUrls>(
    source: &Source,
    kind: &str,
    keys: &[&str],
) -> Result<T, Diagnostic> {
    let parsed = parse_shape::<T>(source, kind, keys)?;
    check_urls(source, &parsed)?;
    Ok(parsed)
}

/// [`parse`] for a file that may give only some fields, as the translation of another
/// does: each key of `required` the front matter lacks is read as its placeholder.
pub fn parse_partial<T: DeserializeOwned + FrontUrls>(
    source: &Source,
    kind: &str,
    keys: &[&str],
    required: &[(&str, &str)],
) -> Result<T, Diagnostic> {
    let front = source.front();
    let lacking: Vec<&(&str, &str)> = required
        .iter()
        .filter(|(key, _)| yaml::key_line(front, key).is_none())
        .collect();
    if lacking.is_empty() || front.trim_start().starts_with('{') {
        return parse(source, kind, keys);
    }
    let mut text = front.trim_end().to_string();
    for (key, placeholder) in lacking {
        text.push_str(&format!("\n{key}: {placeholder}"));
    }
    text.push('\n');
    let parsed: T = yaml::from_str(&text).map_err(|e| explain(source, kind, keys, &e))?;
    check_urls(source, &parsed)?;
    Ok(parsed)
}

fn parse_shape<T: DeserializeOwned>(
    source: &Source,
    kind: &str,
    keys: &[&str],
) -> Result<T, Diagnostic> {
    yaml::from_str(source.front()).map_err(|e| explain(source, kind, keys, &e))
}

/// The section of docs/content.md that describes the front matter of `kind`.
pub fn docs_for(kind: &str) -> &'static str {
    match kind {
        "actor" => "docs/content.md#actors",
        "event" | "inline event" => "docs/content.md#events",
        "page" => "docs/content.md#free-pages",
        _ => "docs/content.md#briefs",
    }
}

fn explain(source: &Source, kind: &str, keys: &[&str], e: &yaml::YamlError) -> Diagnostic {
    let inline_event = kind == "brief" && e.path().is_some_and(|p| p.starts_with("events["));
    let (kind, keys) = if inline_event {
        ("inline event", EVENT_KEYS)
    } else {
        (kind, keys)
    };
    let at = (e.line.unwrap_or(1), e.column.unwrap_or(1));
    if let Some(field) = e.unknown_field() {
        let at = yaml::key_line(source.front(), field).map_or(at, |line| (line, 1));
        let place = if inline_event {
            "an inline event".to_string()
        } else {
            format!("{kind} front matter")
        };
        return source
            .front_error(at.0, at.1, format!("unknown key `{field}` in {place}"))
            .span(field.chars().count())
            .hint(suggest::did_you_mean(field, keys));
    }
    if let Some(field) = e.missing_field() {
        return missing(source, kind, field, at);
    }
    if e.is_tab() {
        return source
            .front_error(at.0, at.1, e.message.clone())
            .hint("indent with spaces only (your editor can turn tabs into spaces)");
    }
    if e.message.contains("repetition limit") {
        return source
            .front_error(at.0, at.1, "the front matter expands too many YAML aliases")
            .hint("write the values out instead of nesting `&anchor` / `*alias` references");
    }
    let hint = if e.message.contains("invalid type")
        || e.message.contains("did not match any variant")
    {
        format!(
            "check the value's type: lists are `[a, b]` or `- item` lines; see {}",
            docs_for(kind)
        )
    } else {
        "check the YAML syntax: quote values that contain `: `, `#` or start with `[`, `{`, `*`, `&`"
            .to_string()
    };
    source
        .front_error(at.0, at.1, format!("invalid front matter: {}", e.message))
        .hint(hint)
}

/// A required key is missing: at the inline event it concerns, or at line 1 for the file.
fn missing(source: &Source, kind: &str, field: &str, at: (usize, usize)) -> Diagnostic {
    if kind == "inline event" {
        return source
            .front_error(at.0, at.1, format!("inline event needs a `{field}`"))
            .hint(format!(
                "add `{field}: …` to the event, or write the slug of an event record instead; see {}",
                docs_for(kind)
            ));
    }
    Diagnostic::error(
        source.path.clone(),
        format!("{kind} front matter has no `{field}`"),
    )
    .at(&source.text, 1, 1)
    .span(3)
    .hint(format!(
        "add `{field}: …` to the front matter; it is required (see {})",
        docs_for(kind)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::frontmatter::split;

    fn brief(front: &str) -> Result<BriefFront, Diagnostic> {
        let source = split(
            "content/briefs/a.md",
            format!("---\ntitle: A\ndate: 2024-01-02\n{front}---\nBody\n"),
        )
        .unwrap();
        parse(&source, "brief", BRIEF_KEYS)
    }

    #[test]
    fn refused_front_matter_urls_are_errors_at_their_value() {
        let cases: &[(&str, usize, usize)] = &[
            ("authors:\n  - name: A\n    url: javascript:alert(1)\n", 6, 10),
            ("authors: [{name: A, url: \" JAVASCRIPT:x\"}]\n", 4, 27),
            ("image: vbscript:x\n", 4, 8),
            ("image:\n  src: data:text/html,x\n  alt: A\n", 5, 8),
            ("summary: See [x](javascript:alert(1)).\n", 4, 18),
            ("key_points:\n  - Fine.\n  - \"![i](data:text/html,x)\"\n", 6, 11),
            ("recommendations:\n  - <javascript:alert(1)>\n", 5, 6),
            (
                "events:\n  - title: E\n    date: 2024-01-01\n    sources:\n      - {title: S, url: \"file:///etc/passwd\"}\n",
                8,
                26,
            ),
        ];
        for (front, line, column) in cases {
            let e = brief(front).unwrap_err();
            assert!(e.message.contains("not allowed"), "{front}: {e:?}");
            assert_eq!((e.line, e.column), (*line, *column), "{front}: {e:?}");
            assert!(e.hint.as_deref().unwrap_or("").contains("#links-and-urls"));
        }
    }

    #[test]
    fn allowed_front_matter_urls_parse() {
        let front = "authors: [{name: A, url: \"https://a.org\"}, B]\nimage: data:image/png;base64,AA==\nsummary: \"[x](mailto:a@b.org) <https://x.org> <a@b.org>\"\nkey_points: [\"[t](tel:+1555)\", \"[r](../b.md)\"]\n";
        assert!(brief(front).is_ok());
    }

    #[test]
    fn actor_links_and_event_sources_are_checked() {
        let actor = split(
            "content/actors/x.md",
            "---\nname: X\nlinks:\n  - title: Home\n    url: https://x.org\n  - title: Bad\n    url: \"java\\tscript:x\"\n---\n".into(),
        )
        .unwrap();
        let e = parse::<ActorFront>(&actor, "actor", ACTOR_KEYS).unwrap_err();
        assert!(e.message.contains("`javascript:`"), "{e:?}");
        // The value is written with an escape, so the error points at the key's line.
        assert_eq!((e.line, e.column), (3, 1));
        let event = split(
            "content/events/x.md",
            "---\ntitle: X\ndate: 2024-01-01\nsources: [{title: S, url: \"data:text/html,x\"}]\n---\n".into(),
        )
        .unwrap();
        let e = parse::<EventFront>(&event, "event", EVENT_KEYS).unwrap_err();
        assert_eq!((e.line, e.column), (4, 28), "{e:?}");
    }
}
