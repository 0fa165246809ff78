//! `site.yaml`: the site's settings, their defaults, and the URL prefix derived from
//! `base_url` (SPEC section 6). [`languages`] owns the languages.

mod languages;

pub use languages::{is_language_code, LanguageConfig, LANGUAGE_KEYS};

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::diagnostics::Diagnostic;
use crate::i18n::{SectionNames, StringTable};
use crate::{suggest, yaml};

/// How actor mentions in running text are linked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Autolink {
    /// The first mention of each actor in a brief links to its page.
    #[default]
    First,
    /// Every mention links.
    All,
    /// No mention links (mentions still count as related).
    None,
}

/// The keys `site.yaml` accepts, for "did you mean" hints.
pub const SITE_KEYS: &[&str] = &[
    "title",
    "base_url",
    "language",
    "description",
    "autolink",
    "search",
    "feeds",
    "pictures",
    "cname",
    "unsafe_html",
    "feed_limit",
    "paginate_by",
    "pretty_json",
    "network_size",
    "publisher",
    "topics",
    "regions",
    "languages",
    "strings",
    "sections",
];

/// The keys of `publisher:` as a mapping.
pub const PUBLISHER_KEYS: &[&str] = &["name", "url", "logo"];

/// The keys of an entry of `topics:` or `regions:`.
const TERM_KEYS: &[&str] = &["title", "description"];

/// How a topic or region is shown: `site.yaml`'s `topics:` and `regions:` map a term's
/// slug to this (docs/content.md#topics-regions-and-authors).
#[derive(Debug, Clone, Default, Hash, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TermInfo {
    /// The display name (default: derived from the name as written).
    pub title: Option<String>,
    /// One or two sentences, shown on the term's page and in its taxonomy's index.
    pub description: Option<String>,
}

/// How many items a page of a list shows by default (`paginate_by`): the default
/// `feed_limit` too, so that a list's first page and its feed hold the same briefs.
pub const PAGINATE_BY: usize = 50;

/// The most actors the network on `/actors/` may show (`network_size`).
pub const NETWORK_SIZE_MAX: usize = 400;

/// The settings of a site.
#[derive(Debug, Clone, Hash, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct SiteConfig {
    /// Site title, shown in every page header and the feed.
    pub title: String,
    /// Where the site is published; its path is the prefix of every URL.
    pub base_url: String,
    /// `<html lang>`.
    pub language: String,
    /// One sentence about the site.
    pub description: String,
    /// `first`, `all` or `none`.
    pub autolink: Autolink,
    /// Whether `/search/` is built.
    pub search: bool,
    /// Whether the Atom feeds and iCalendar calendars are built.
    pub feeds: bool,
    /// Whether timelines and actor networks are drawn as SVG pictures (their lists are
    /// built either way).
    pub pictures: bool,
    /// A custom domain for GitHub Pages (writes `CNAME`).
    pub cname: Option<String>,
    /// Keep raw HTML written in Markdown (authors are trusted). `false` strips it.
    pub unsafe_html: bool,
    /// How many briefs each Atom feed carries (the first its page lists).
    pub feed_limit: usize,
    /// How many items a page of a long list shows before the list goes on at
    /// `<list>/page/2/` (docs/content.md#pagination).
    pub paginate_by: usize,
    /// Write `api/*.json` indented for people to read, instead of compact.
    pub pretty_json: bool,
    /// Who publishes the briefs, for citations and metadata; default: the site's title.
    pub publisher: Option<Publisher>,
    /// Display names and descriptions of topics, by slug.
    pub topics: BTreeMap<String, TermInfo>,
    /// Display names and descriptions of regions, by slug.
    pub regions: BTreeMap<String, TermInfo>,
    /// The text of `site.yaml` (empty without one), to place warnings about its entries.
    #[serde(skip)]
    pub source: String,
    /// How many actors the network on `/actors/` shows (those tagged in most briefs);
    /// `0` leaves it out.
    pub network_size: usize,
    /// More languages besides `language`, by code, each published under `/<code>/`.
    pub languages: BTreeMap<String, LanguageConfig>,
    /// Interface strings that replace or extend the default language's built-in ones.
    pub strings: StringTable,
    /// More headings for structured sections in the default language.
    pub sections: SectionNames,
    /// The site's default language when this is the settings of one of its other
    /// languages ([`SiteConfig::for_language`]); empty: `language` is the default.
    #[serde(skip)]
    pub default_language: String,
    /// The URL segment of this language under the site root (`fr/`), when this is the
    /// settings of a language besides the default one; empty otherwise.
    #[serde(skip)]
    pub language_path: String,
}

/// The publisher of the briefs: `publisher: Name` or `publisher: {name, url, logo}`.
#[derive(Debug, Clone, Hash, Serialize, PartialEq, Eq)]
pub struct Publisher {
    /// Required: the institution's name.
    pub name: String,
    /// Its homepage (`http(s)://…`); default: the site's home page.
    pub url: Option<String>,
    /// Its logo: a URL, or a path under the site (a theme file or content asset).
    pub logo: Option<String>,
}

/// The mapping form of `publisher:`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PublisherFields {
    name: String,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    logo: Option<String>,
}

/// A name or a mapping, told apart by the YAML itself, so that an error inside the
/// mapping keeps its place.
impl<'de> Deserialize<'de> for Publisher {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(PublisherVisitor)
    }
}

struct PublisherVisitor;

impl<'de> serde::de::Visitor<'de> for PublisherVisitor {
    type Value = Publisher;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a publisher's name or a mapping with `name`, `url` and `logo`")
    }

    fn visit_str<E: serde::de::Error>(self, name: &str) -> Result<Publisher, E> {
        Ok(Publisher {
            name: name.to_string(),
            url: None,
            logo: None,
        })
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Publisher, A::Error> {
        let fields =
            PublisherFields::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
        Ok(Publisher {
            name: fields.name,
            url: fields.url,
            logo: fields.logo,
        })
    }
}

impl Default for SiteConfig {
    fn default() -> Self {
        SiteConfig {
            title: "Briefs".into(),
            base_url: "/".into(),
            language: "en".into(),
            description: String::new(),
            autolink: Autolink::First,
            search: true,
            feeds: true,
            pictures: true,
            cname: None,
            unsafe_html: true,
            feed_limit: 50,
            paginate_by: PAGINATE_BY,
            pretty_json: false,
            publisher: None,
            topics: BTreeMap::new(),
            regions: BTreeMap::new(),
            source: String::new(),
            network_size: 40,
            languages: BTreeMap::new(),
            strings: StringTable::new(),
            sections: SectionNames::default(),
            default_language: String::new(),
            language_path: String::new(),
        }
    }
}

impl SiteConfig {
    /// Reads `<root>/site.yaml`; a missing file gives the defaults.
    pub fn load(root: &Path) -> Result<SiteConfig, Diagnostic> {
        let path = root.join("site.yaml");
        if std::fs::symlink_metadata(&path).is_err() {
            return Ok(SiteConfig::default());
        }
        let bytes = crate::sitefs::SiteRoot::new(root)
            .read(&path)
            .map_err(|problem| problem.diagnostic(root))?;
        let text = String::from_utf8(bytes).map_err(|e| {
            let valid = e.utf8_error().valid_up_to();
            let prefix = String::from_utf8_lossy(&e.as_bytes()[..valid]).into_owned();
            let (line, col) = crate::diagnostics::line_col(&prefix, valid);
            Diagnostic::error("site.yaml", "site.yaml is not valid UTF-8")
                .at(&prefix, line, col)
                .hint("save the file as UTF-8")
        })?;
        Self::parse(&text)
    }

    /// Parses the text of a `site.yaml`.
    pub fn parse(text: &str) -> Result<SiteConfig, Diagnostic> {
        let mut config: SiteConfig = yaml::from_str(text).map_err(|e| {
            let line = e.line.unwrap_or(1);
            let column = e.column.unwrap_or(1);
            let mut d = Diagnostic::error("site.yaml", format!("site.yaml: {}", e.message))
                .at(text, line, column);
            if let Some(field) = e.unknown_field() {
                let (place, keys) = if e.path() == Some("publisher") {
                    ("`publisher`", PUBLISHER_KEYS)
                } else if e
                    .path()
                    .is_some_and(|p| p.starts_with("topics") || p.starts_with("regions"))
                {
                    ("site.yaml", TERM_KEYS)
                } else if e.path().is_some_and(|p| p.starts_with("languages")) {
                    ("`languages`", LANGUAGE_KEYS)
                } else {
                    ("site.yaml", SITE_KEYS)
                };
                let line = yaml::key_line(text, field).unwrap_or(line);
                let column = text
                    .lines()
                    .nth(line - 1)
                    .and_then(|l| l.find(field))
                    .map_or(1, |at| at + 1);
                d = Diagnostic::error("site.yaml", format!("unknown key `{field}` in {place}"))
                    .at(text, line, column)
                    .span(field.chars().count())
                    .hint(suggest::did_you_mean(field, keys));
            } else {
                d = d.hint(
                    "check the YAML syntax and the value's type (see docs/content.md#siteyaml)",
                );
            }
            d
        })?;
        config.validate(text)?;
        config.source = text.to_string();
        Ok(config)
    }

    /// The line of `site.yaml` that gives entry `key` of the map `map` (`topics`,
    /// `regions`), or of the map itself if the entry is not on a line of its own.
    pub fn entry_line(&self, map: &str, key: &str) -> usize {
        let Some(map_line) = yaml::key_line(&self.source, map) else {
            return 1;
        };
        let entry = |line: &str| {
            let line = line.trim_start();
            [key.to_string(), format!("\"{key}\""), format!("'{key}'")]
                .iter()
                .any(|k| {
                    line.strip_prefix(k.as_str())
                        .is_some_and(|rest| rest.trim_start().starts_with(':'))
                })
        };
        self.source
            .lines()
            .enumerate()
            .skip(map_line)
            .take_while(|(_, line)| line.is_empty() || line.starts_with([' ', '#']))
            .find(|(_, line)| entry(line))
            .map_or(map_line, |(i, _)| i + 1)
    }

    fn validate(&self, text: &str) -> Result<(), Diagnostic> {
        let url = self.base_url.trim();
        let has_scheme = url.starts_with("http://") || url.starts_with("https://");
        if !(has_scheme || url.starts_with('/')) {
            let line = yaml::key_line(text, "base_url").unwrap_or(1);
            return Err(Diagnostic::error("site.yaml", format!("base_url `{url}` is not a URL"))
                .at(text, line, 1)
                .hint("write a full URL such as https://example.github.io/briefs/ or a path such as /briefs/"));
        }
        if let Some(publisher) = &self.publisher {
            publisher.validate(text)?;
        }
        self.validate_languages(text)?;
        if self.paginate_by == 0 {
            let line = yaml::key_line(text, "paginate_by").unwrap_or(1);
            return Err(Diagnostic::error(
                "site.yaml",
                "paginate_by 0 would put no item on a page",
            )
            .at(text, line, 1)
            .hint(format!(
                "write how many items a page of a list shows, 1 or more; the default is {PAGINATE_BY}"
            )));
        }
        if self.network_size > NETWORK_SIZE_MAX {
            let line = yaml::key_line(text, "network_size").unwrap_or(1);
            return Err(Diagnostic::error(
                "site.yaml",
                format!(
                    "network_size {} is more than {NETWORK_SIZE_MAX} actors",
                    self.network_size
                ),
            )
            .at(text, line, 1)
            .hint(format!(
                "write a number from 0 (no network) to {NETWORK_SIZE_MAX}; the default is 40"
            )));
        }
        Ok(())
    }

    /// The publisher's name: `publisher`'s, else the site's title.
    pub fn publisher_name(&self) -> &str {
        self.publisher
            .as_ref()
            .map(|p| p.name.trim())
            .filter(|name| !name.is_empty())
            .unwrap_or(self.title.as_str())
    }

    /// Overrides `base_url` (from `--base-url`).
    pub fn with_base_url(mut self, base_url: Option<&str>) -> Self {
        if let Some(url) = base_url {
            self.base_url = url.to_string();
        }
        self
    }

    /// The path part of `base_url`, always starting and ending with `/`: `/briefs/`.
    pub fn base_path(&self) -> String {
        let url = self.base_url.trim();
        let path = match url.find("://") {
            Some(i) => {
                let after = &url[i + 3..];
                after.find('/').map_or("/", |j| &after[j..])
            }
            None => url,
        };
        let path = path.split(['?', '#']).next().unwrap_or("/");
        let trimmed = path.trim_matches('/');
        if trimmed.is_empty() {
            "/".to_string()
        } else {
            format!("/{trimmed}/")
        }
    }

    /// The path of the site's root, where theme files and content assets are, always
    /// starting and ending with `/`: the base path, less the language's segment (`/fr/`)
    /// in the settings of a language besides the default one.
    pub fn root_path(&self) -> String {
        let base = self.base_path();
        base.strip_suffix(self.language_path.as_str())
            .filter(|_| !self.language_path.is_empty())
            .map_or(base.clone(), str::to_string)
    }

    /// The scheme and host of `base_url` (`https://example.github.io`), empty if none.
    pub fn origin(&self) -> &str {
        let url = self.base_url.trim();
        match url.find("://") {
            Some(i) => {
                let after = &url[i + 3..];
                let host_end = after.find('/').unwrap_or(after.len());
                &url[..i + 3 + host_end]
            }
            None => "",
        }
    }
}

impl Publisher {
    /// A name is required; `url` must be a web URL and `logo` a web URL or a path.
    fn validate(&self, text: &str) -> Result<(), Diagnostic> {
        let line = yaml::key_line(text, "publisher").unwrap_or(1);
        let error = |message: String, hint: &str| {
            Err(Diagnostic::error("site.yaml", message)
                .at(text, line, 1)
                .hint(hint.to_string()))
        };
        if self.name.trim().is_empty() {
            return error(
                "publisher has an empty name".into(),
                "write the publisher's name: `publisher: Example Institute`",
            );
        }
        if let Some(url) = &self.url {
            let web = url.starts_with("https://") || url.starts_with("http://");
            if !web {
                return error(
                    format!("publisher url `{url}` is not an http(s) URL"),
                    "write the publisher's homepage as a full URL, such as https://example.org/",
                );
            }
        }
        if let Some(logo) = &self.logo {
            let allowed = matches!(
                crate::url::check(logo, crate::url::UrlUse::Image),
                Ok(crate::url::UrlKind::Web | crate::url::UrlKind::Relative)
            );
            if !allowed || logo.trim().is_empty() {
                return error(
                    format!("publisher logo `{logo}` is not a URL or a path"),
                    "write a full URL, or a path under the site such as /logo.png (a file of theme/ or content/)",
                );
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_path_from_url() {
        let c = SiteConfig::default().with_base_url(Some("https://example.github.io/sub"));
        assert_eq!(c.base_path(), "/sub/");
        assert_eq!(c.origin(), "https://example.github.io");
        let c = SiteConfig::default().with_base_url(Some("https://example.org/"));
        assert_eq!(c.base_path(), "/");
        assert_eq!(SiteConfig::default().base_path(), "/");
    }

    #[test]
    fn unknown_key_suggests() {
        let err = SiteConfig::parse("title: x\nbase_ulr: https://a.b/\n").unwrap_err();
        assert_eq!(err.line, 2);
        assert!(err.hint.unwrap().contains("base_url"));
    }

    #[test]
    fn publisher_is_a_name_or_a_mapping() {
        let c = SiteConfig::parse("title: T\n").unwrap();
        assert_eq!(c.publisher_name(), "T");
        let c = SiteConfig::parse("title: T\npublisher: Example Institute\n").unwrap();
        assert_eq!(c.publisher_name(), "Example Institute");
        let c = SiteConfig::parse(
            "publisher:\n  name: EI\n  url: https://ei.example/\n  logo: /logo.png\n",
        )
        .unwrap();
        let p = c.publisher.unwrap();
        assert_eq!(
            (p.name.as_str(), p.url.as_deref(), p.logo.as_deref()),
            ("EI", Some("https://ei.example/"), Some("/logo.png"))
        );
    }

    #[test]
    fn publisher_errors_are_located() {
        let err = SiteConfig::parse("title: T\npublisher: {name: EI, urll: x}\n").unwrap_err();
        assert!(err.message.contains("`urll` in `publisher`"), "{err}");
        assert!(err.hint.unwrap().contains("`url`"));
        let err =
            SiteConfig::parse("title: T\npublisher: {name: EI, url: ei.example}\n").unwrap_err();
        assert_eq!(err.line, 2);
        let err = SiteConfig::parse("publisher: {name: EI, logo: \"javascript:x\"}\n").unwrap_err();
        assert!(err.message.contains("logo"), "{err}");
        assert!(SiteConfig::parse("publisher: \"  \"\n").is_err());
    }

    #[test]
    fn term_names_and_their_lines() {
        let text = "title: x\ntopics:\n  # names\n  counter-terrorism:\n    title: Counter-terrorism\n  \"nato\": {title: NATO, description: The alliance.}\nregions: {iraq: {title: Iraq}}\n";
        let c = SiteConfig::parse(text).unwrap();
        assert_eq!(c.topics["nato"].title.as_deref(), Some("NATO"));
        assert_eq!(
            c.topics["nato"].description.as_deref(),
            Some("The alliance.")
        );
        assert_eq!(c.entry_line("topics", "counter-terrorism"), 4);
        assert_eq!(c.entry_line("topics", "nato"), 6);
        assert_eq!(c.entry_line("regions", "iraq"), 7);
        let err = SiteConfig::parse("topics:\n  a: {titel: A}\n").unwrap_err();
        assert!(err.message.contains("titel"), "{err}");
    }

    #[test]
    fn paginate_by_defaults_and_is_at_least_one() {
        assert_eq!(SiteConfig::default().paginate_by, PAGINATE_BY);
        assert_eq!(
            SiteConfig::parse("paginate_by: 3\n").unwrap().paginate_by,
            3
        );
        let err = SiteConfig::parse("title: x\npaginate_by: 0\n").unwrap_err();
        assert!(err.message.contains("paginate_by"), "{err}");
        assert!(SiteConfig::parse("paginate_by: -1\n").is_err());
    }

    #[test]
    fn network_size_defaults_to_40_and_is_bounded() {
        assert_eq!(SiteConfig::default().network_size, 40);
        assert_eq!(
            SiteConfig::parse("network_size: 0\n").unwrap().network_size,
            0
        );
        let err = SiteConfig::parse("title: x\nnetwork_size: 5000\n").unwrap_err();
        assert_eq!(err.line, 2);
        assert!(err.message.contains("network_size"), "{err}");
        assert!(SiteConfig::parse("network_size: -1\n").is_err());
    }

    #[test]
    fn syntax_error_has_line() {
        let err = SiteConfig::parse("title: x\nbase_url: [oops\n").unwrap_err();
        assert!(err.line >= 2, "{err}");
    }
}
