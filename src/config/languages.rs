//! `site.yaml`'s languages: the default `language`, the others under `languages:`, and
//! the rules their codes follow (docs/languages.md).

use serde::{Deserialize, Serialize};

use std::collections::BTreeMap;

use super::{SiteConfig, TermInfo};
use crate::diagnostics::Diagnostic;
use crate::i18n;
use crate::i18n::{SectionNames, StringTable};
use crate::yaml;

/// The keys of an entry of `languages:`.
pub const LANGUAGE_KEYS: &[&str] = &[
    "title",
    "description",
    "strings",
    "sections",
    "topics",
    "regions",
];

/// First URL segments the site writes itself, which no language code may take.
const RESERVED: &[&str] = &["api", "search"];

/// One more language of the site, published under `/<code>/`.
#[derive(Debug, Clone, Default, Hash, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct LanguageConfig {
    /// The site's title in this language (default: the site's).
    pub title: Option<String>,
    /// The site's description in this language (default: the site's).
    pub description: Option<String>,
    /// Interface strings that replace or extend the built-in ones of this language.
    pub strings: StringTable,
    /// More headings for structured sections in this language.
    pub sections: SectionNames,
    /// Display names and descriptions of topics in this language, by slug (default:
    /// the site's `topics:`).
    pub topics: BTreeMap<String, TermInfo>,
    /// Display names and descriptions of regions in this language, by slug.
    pub regions: BTreeMap<String, TermInfo>,
}

/// Whether `code` has the shape of a language tag as the site uses them: a primary
/// subtag of 2–3 lowercase letters, then optional subtags (`fr`, `pt-BR`, `zh-Hant`).
pub fn is_language_code(code: &str) -> bool {
    let mut parts = code.split('-');
    let primary = parts.next().unwrap_or("");
    (2..=3).contains(&primary.len())
        && primary.chars().all(|c| c.is_ascii_lowercase())
        && parts.all(|p| (2..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

impl SiteConfig {
    /// Every language of the site, the default first, then the others in code order.
    pub fn language_codes(&self) -> Vec<&str> {
        let default = self.default_language();
        std::iter::once(default)
            .chain(
                self.languages
                    .keys()
                    .map(String::as_str)
                    .filter(|code| *code != default),
            )
            .collect()
    }

    /// The site's default language (`language` of `site.yaml`), also in the settings of
    /// one of its other languages.
    pub fn default_language(&self) -> &str {
        if self.default_language.is_empty() {
            &self.language
        } else {
            &self.default_language
        }
    }

    /// The settings of the site in language `code`, which must be one of its languages:
    /// those of a one-language site in that language, published under `/<code>/` (the
    /// default language: the settings as they are). Title, description, topics and
    /// regions come from `languages.<code>`, else from the site's; strings and sections
    /// from `languages.<code>` only. `languages` stays whole, for the links between them.
    pub fn for_language(&self, code: &str) -> SiteConfig {
        let Some(entry) = self.languages.get(code).filter(|_| code != self.language) else {
            return self.clone();
        };
        let mut config = self.clone();
        config.default_language.clone_from(&self.language);
        config.language = code.to_string();
        config.language_path = format!("{code}/");
        config.base_url = format!("{}{}{code}/", self.origin(), self.base_path());
        if let Some(title) = &entry.title {
            config.title.clone_from(title);
        }
        if let Some(description) = &entry.description {
            config.description.clone_from(description);
        }
        config.strings = entry.strings.clone();
        config.sections = entry.sections.clone();
        for (slug, info) in &entry.topics {
            config.topics.insert(slug.clone(), info.clone());
        }
        for (slug, info) in &entry.regions {
            config.regions.insert(slug.clone(), info.clone());
        }
        config
    }

    /// Whether the site has more than one language.
    pub fn is_multilingual(&self) -> bool {
        !self.languages.is_empty()
    }

    /// Whether `code` is one of the site's languages.
    pub fn declares(&self, code: &str) -> bool {
        code == self.default_language() || self.languages.contains_key(code)
    }

    /// Warnings about the interface strings of `site.yaml` (`strings:` and each
    /// language's): a key no built-in table has (a template may still use it, so it is
    /// kept), or a `date_format` chrono cannot write (the default is used instead).
    pub fn string_warnings(&self) -> Vec<Diagnostic> {
        let mut found = Vec::new();
        let tables = std::iter::once((vec!["strings"], &self.strings)).chain(
            self.languages
                .iter()
                .map(|(code, l)| (vec!["languages", code.as_str(), "strings"], &l.strings)),
        );
        for (path, table) in tables {
            let place = path.join(".");
            for (key, nearest) in i18n::unknown_keys(table) {
                let hint = match nearest {
                    Some(best) => format!("did you mean `{best}`? Keys no template uses are kept for your own templates (docs/interface-strings.md)"),
                    None => "keep it only if one of your templates uses it: `t(key=\"…\")` (docs/interface-strings.md lists the built-in keys)".to_string(),
                };
                found.push(self.string_diagnostic(
                    &path,
                    key,
                    format!("`{place}` has `{key}`, which is not an interface string of briefly"),
                    hint,
                ));
            }
            if let Some(i18n::StringEntry::Text(format)) = table.get("date_format") {
                if !i18n::is_date_format(format) {
                    found.push(self.string_diagnostic(
                        &path,
                        "date_format",
                        format!("`{place}.date_format` `{format}` is not a date format"),
                        "write a strftime format such as \"%-d %B %Y\" (docs/interface-strings.md#dates); the default is used".into(),
                    ));
                }
            }
        }
        found
    }

    fn string_diagnostic(
        &self,
        path: &[&str],
        key: &str,
        message: String,
        hint: String,
    ) -> Diagnostic {
        let mut full: Vec<&str> = path.to_vec();
        full.push(key);
        let line = nested_line(&self.source, &full).unwrap_or(1);
        let column = self
            .source
            .lines()
            .nth(line.saturating_sub(1))
            .and_then(|l| l.find(key))
            .map_or(1, |at| at + 1);
        Diagnostic::warning("site.yaml", message)
            .at(&self.source, line, column)
            .span(key.chars().count())
            .hint(hint)
    }

    pub(super) fn validate_languages(&self, text: &str) -> Result<(), Diagnostic> {
        let located = |key: &str, message: String, hint: String| {
            let line = yaml::key_line(text, key)
                .or_else(|| {
                    text.lines()
                        .position(|l| l.trim_start().starts_with(&format!("{key}:")))
                        .map(|i| i + 1)
                })
                .unwrap_or(1);
            Diagnostic::error("site.yaml", message)
                .at(text, line, 1)
                .hint(hint)
        };
        if !is_language_code(&self.language) {
            return Err(located(
                "language",
                format!("`{}` is not a language code", self.language),
                "write a code such as `en`, `fr` or `pt-BR` (see docs/languages.md)".into(),
            ));
        }
        for code in self.languages.keys() {
            if !is_language_code(code) || RESERVED.contains(&code.as_str()) {
                return Err(located(
                    code,
                    format!("`{code}` cannot be a language of the site"),
                    "write a language code such as `fr` or `pt-BR`; `api` and `search` are taken by the site's own folders (see docs/languages.md)".into(),
                ));
            }
            if *code == self.language {
                return Err(located(
                    code,
                    format!("`{code}` is already the site's default `language`"),
                    "list under `languages:` only the languages besides the default one".into(),
                ));
            }
        }
        Ok(())
    }
}

/// The 1-based line of the nested key `path` (`strings`, `briefs`) in a block-style
/// YAML text: each key found after its parent's line, indented deeper; else the line of
/// the deepest key found (a flow mapping such as `strings: {briefs: Notes}` gives the
/// line of `strings`).
fn nested_line(text: &str, path: &[&str]) -> Option<usize> {
    let lines: Vec<&str> = text.lines().collect();
    let mut at: Option<usize> = None;
    let mut indent: Option<usize> = None;
    for key in path {
        let start = at.map_or(0, |i| i + 1);
        let hit = lines.iter().enumerate().skip(start).find_map(|(i, line)| {
            let trimmed = line.trim_start();
            let depth = line.len() - trimmed.len();
            if indent.is_some_and(|parent| depth <= parent)
                && !trimmed.is_empty()
                && !trimmed.starts_with('#')
            {
                return Some(None);
            }
            let named = [key.to_string(), format!("\"{key}\""), format!("'{key}'")]
                .iter()
                .any(|k| {
                    trimmed
                        .strip_prefix(k.as_str())
                        .is_some_and(|r| r.trim_start().starts_with(':'))
                });
            named.then_some(Some((i, depth)))
        });
        match hit.flatten() {
            Some((i, depth)) => {
                at = Some(i);
                indent = Some(depth);
            }
            None => break,
        }
    }
    at.map(|i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_codes_have_a_shape() {
        for good in ["en", "fr", "fil", "pt-BR", "zh-Hant", "es-419"] {
            assert!(is_language_code(good), "{good}");
        }
        for bad in ["", "e", "EN", "english", "fr_CA", "fr-", "../x", "fr/ca"] {
            assert!(!is_language_code(bad), "{bad}");
        }
    }

    #[test]
    fn languages_are_read_with_their_strings_and_sections() {
        let config = SiteConfig::parse(
            "language: en\nlanguages:\n  fr:\n    title: Notes d'orientation\n    strings: {briefs: Notes}\n    sections: {key_points: [L'essentiel]}\n",
        )
        .unwrap();
        assert_eq!(config.language_codes(), ["en", "fr"]);
        let fr = &config.languages["fr"];
        assert_eq!(fr.title.as_deref(), Some("Notes d'orientation"));
        assert_eq!(fr.sections.key_points, ["L'essentiel"]);
        assert!(config.declares("fr") && !config.declares("de"));
    }

    #[test]
    fn unknown_string_keys_are_warnings_at_their_line() {
        let config = SiteConfig::parse(
            "title: T\nstrings:\n  briefs: Notes\n  breifs: Nots\nlanguages:\n  fr:\n    strings:\n      skip_lnk: Aller\n      date_format: \"%Q\"\n",
        )
        .unwrap();
        let warnings = config.string_warnings();
        assert_eq!(warnings.len(), 3, "{warnings:?}");
        assert_eq!(warnings[0].line, 4);
        assert!(warnings[0].hint.as_deref().unwrap().contains("`briefs`"));
        assert_eq!(warnings[1].line, 8);
        assert!(warnings[1].hint.as_deref().unwrap().contains("`skip_link`"));
        assert_eq!(warnings[2].line, 9, "{:?}", warnings[2]);
        assert!(SiteConfig::parse("strings: {briefs: Notes}\n")
            .unwrap()
            .string_warnings()
            .is_empty());
    }

    #[test]
    fn each_language_has_settings_of_its_own() {
        let config = SiteConfig::parse(
            "title: Briefs\nbase_url: https://example.org/sub/\nlanguage: en\ntopics: {security: {title: Security}, law: {title: Law}}\nlanguages:\n  fr:\n    title: Notes\n    topics: {security: {title: Sécurité}}\n",
        )
        .unwrap();
        let fr = config.for_language("fr");
        assert_eq!(fr.language, "fr");
        assert_eq!(fr.title, "Notes");
        assert_eq!(fr.base_path(), "/sub/fr/");
        assert_eq!(fr.root_path(), "/sub/");
        assert_eq!(fr.base_url, "https://example.org/sub/fr/");
        assert_eq!(fr.topics["security"].title.as_deref(), Some("Sécurité"));
        assert_eq!(fr.topics["law"].title.as_deref(), Some("Law"));
        assert_eq!(fr.language_codes(), ["en", "fr"]);
        assert_eq!(fr.default_language(), "en");
        let en = config.for_language("en");
        assert_eq!(
            (en.base_path(), en.root_path()),
            ("/sub/".into(), "/sub/".into())
        );
        assert_eq!(en.title, "Briefs");
    }

    #[test]
    fn bad_language_codes_are_errors_at_their_line() {
        let e = SiteConfig::parse("title: T\nlanguages:\n  api: {title: X}\n").unwrap_err();
        assert_eq!(e.line, 3, "{e:?}");
        let e = SiteConfig::parse("language: en\nlanguages:\n  en: {}\n").unwrap_err();
        assert!(e.message.contains("already"), "{e:?}");
        assert!(SiteConfig::parse("language: English\n").is_err());
    }
}
