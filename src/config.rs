//! `site.yaml`: the site's settings, their defaults, and the URL prefix derived from
//! `base_url` (SPEC section 6).

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::diagnostics::Diagnostic;
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
    "cname",
    "unsafe_html",
    "feed_limit",
    "pretty_json",
    "network_size",
];

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
    /// Whether `feed.xml` is built.
    pub feeds: bool,
    /// A custom domain for GitHub Pages (writes `CNAME`).
    pub cname: Option<String>,
    /// Keep raw HTML written in Markdown (authors are trusted). `false` strips it.
    pub unsafe_html: bool,
    /// How many briefs the Atom feed carries (newest first).
    pub feed_limit: usize,
    /// Write `api/*.json` indented for people to read, instead of compact.
    pub pretty_json: bool,
    /// How many actors the network on `/actors/` shows (those tagged in most briefs);
    /// `0` leaves it out.
    pub network_size: usize,
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
            cname: None,
            unsafe_html: true,
            feed_limit: 50,
            pretty_json: false,
            network_size: 40,
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
        let config: SiteConfig = yaml::from_str(text).map_err(|e| {
            let line = e.line.unwrap_or(1);
            let column = e.column.unwrap_or(1);
            let mut d = Diagnostic::error("site.yaml", format!("site.yaml: {}", e.message))
                .at(text, line, column);
            if let Some(field) = e.unknown_field() {
                let line = yaml::key_line(text, field).unwrap_or(line);
                d = Diagnostic::error("site.yaml", format!("unknown key `{field}` in site.yaml"))
                    .at(text, line, 1)
                    .span(field.chars().count())
                    .hint(suggest::did_you_mean(field, SITE_KEYS));
            } else {
                d = d.hint(
                    "check the YAML syntax and the value's type (see docs/content.md#siteyaml)",
                );
            }
            d
        })?;
        config.validate(text)?;
        Ok(config)
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

    /// The scheme and host of `base_url` (`https://example.github.io`), empty if none.
    pub fn origin(&self) -> String {
        let url = self.base_url.trim();
        match url.find("://") {
            Some(i) => {
                let after = &url[i + 3..];
                let host_end = after.find('/').unwrap_or(after.len());
                url[..i + 3 + host_end].to_string()
            }
            None => String::new(),
        }
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
