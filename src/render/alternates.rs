//! The versions of a page in the languages of a multilingual site (docs/languages.md):
//! the `hreflang` alternates in its head, the language switcher in its header. A site of
//! one language has none.

use serde::Serialize;

use super::Site;

/// A page in one language.
#[derive(Serialize, Hash)]
pub struct Version<'a> {
    /// The language's code.
    pub lang: &'a str,
    /// The language's name in itself (`English`, `Français`), for the switcher.
    pub name: String,
    /// The page's URL: absolute for alternates, a path for the switcher.
    pub url: String,
    /// Whether it is the page being rendered.
    pub current: bool,
    /// Whether the page exists in the language (else the switcher links its home).
    pub exists: bool,
}

/// A page's versions in the site's languages.
#[derive(Serialize, Hash, Default)]
pub struct Versions<'a> {
    /// Every language the page exists in, itself included, with absolute URLs.
    pub alternates: Vec<Version<'a>>,
    /// The default language's version, absolute, for `hreflang="x-default"`.
    pub x_default: Option<String>,
    /// Every language of the site: the page in it, else the language's home.
    pub switcher: Vec<Version<'a>>,
}

impl<'g> Site<'g> {
    /// The versions of the page at `url` (a path) in the site's languages.
    pub fn versions(&self, url: &str) -> Versions<'g> {
        let languages = &*self.graph.languages;
        if !languages.is_multilingual() {
            return Versions::default();
        }
        let here = self.graph.config.language.as_str();
        let found = languages.versions(url);
        let alternates: Vec<Version<'g>> = languages
            .list
            .iter()
            .filter_map(|lang| {
                let (_, url) = found.iter().find(|(code, _)| *code == lang.code)?;
                Some(Version {
                    lang: &lang.code,
                    name: autonym(&lang.code),
                    url: self.absolute(url),
                    current: lang.code == here,
                    exists: true,
                })
            })
            .collect();
        let x_default = languages.list.first().and_then(|default| {
            let (_, url) = found.iter().find(|(code, _)| *code == default.code)?;
            Some(self.absolute(url))
        });
        let switcher = languages
            .list
            .iter()
            .map(|lang| {
                let url = found.iter().find(|(code, _)| *code == lang.code);
                Version {
                    lang: &lang.code,
                    name: autonym(&lang.code),
                    url: url.map_or_else(|| lang.home.clone(), |(_, u)| (*u).to_string()),
                    current: lang.code == here,
                    exists: url.is_some(),
                }
            })
            .collect();
        Versions {
            alternates,
            x_default,
            switcher,
        }
    }
}

/// The name of language `code` in itself: the built-in `language_name` of the language
/// (or of its primary subtag), else the code in capitals.
fn autonym(code: &str) -> String {
    let entry = crate::i18n::built_in_entry(code, "language_name").or_else(|| {
        crate::i18n::built_in_entry(crate::i18n::primary_subtag(code), "language_name")
    });
    match entry {
        Some(crate::i18n::StringEntry::Text(name)) => name.clone(),
        _ => code.to_uppercase(),
    }
}
