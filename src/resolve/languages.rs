//! The links between the languages of a multilingual site (docs/languages.md), once each
//! language's graph is resolved: links to a file of another language lead to the page
//! of this language where there is one (else to that language's page), and every page
//! knows its versions in the other languages ([`Languages`]) for its `hreflang`
//! alternates, the language switcher and the one sitemap.

use std::collections::HashMap;
use std::sync::Arc;

use super::Graph;
use crate::hash::hash_of;

/// One language of the site, as the switcher links it.
#[derive(Debug, Clone, Hash, PartialEq, Eq, serde::Serialize)]
pub struct LanguageLink {
    /// Its code: `fr`.
    pub code: String,
    /// The site's title in it.
    pub title: String,
    /// Its home page (a path).
    pub home: String,
}

/// Every page of every language of a multilingual site, grouped by what they show: a
/// document and its translations, or the same index, term or home page. Empty for a site
/// of one language.
#[derive(Debug, Clone, Default)]
pub struct Languages {
    /// The languages, the default first.
    pub list: Vec<LanguageLink>,
    /// Each page's group, by its URL (a path).
    by_url: HashMap<String, usize>,
    /// Each group: the page's URL in each language (by index in `list`), if it has one.
    groups: Vec<Vec<Option<String>>>,
    /// Every page of every language for the sitemap: URL and the day it last changed.
    pub sitemap: Vec<(String, Option<String>)>,
    /// A hash of all the above.
    pub hash: u64,
}

impl Languages {
    /// Whether the site has more than one language.
    pub fn is_multilingual(&self) -> bool {
        self.list.len() > 1
    }

    /// The versions of the page at `url` in every language it exists in (itself
    /// included), in the order of the languages: code and URL.
    pub fn versions(&self, url: &str) -> Vec<(&str, &str)> {
        let Some(&group) = self.by_url.get(url) else {
            return Vec::new();
        };
        self.list
            .iter()
            .zip(&self.groups[group])
            .filter_map(|(lang, url)| Some((lang.code.as_str(), url.as_deref()?)))
            .collect()
    }
}

/// A page of one language, and what it shows in every language.
struct PageKey {
    url: String,
    identity: String,
    lastmod: Option<String>,
}

/// Every page of a graph (as `render::pages` lists them, less the 404 page) with what
/// identifies it across languages: the translation key of its document, else its path
/// under the language's base path.
fn pages_of(g: &Graph) -> Vec<PageKey> {
    let base = &g.base_path;
    let relative = |url: &str| url.strip_prefix(base.as_str()).unwrap_or(url).to_string();
    let plain = |url: String| PageKey {
        identity: relative(&url),
        url,
        lastmod: None,
    };
    let mut pages = vec![
        plain(base.clone()),
        plain(format!("{base}briefs/")),
        plain(format!("{base}actors/")),
        plain(format!("{base}events/")),
    ];
    if g.config.search {
        pages.push(plain(format!("{base}search/")));
    }
    for b in &g.briefs {
        pages.push(PageKey {
            url: b.url.clone(),
            identity: format!("brief:{}", b.doc.key),
            lastmod: Some(b.doc.updated.as_ref().unwrap_or(&b.doc.date).iso()),
        });
    }
    for a in &g.actors {
        pages.push(match &a.doc {
            Some(doc) => PageKey {
                url: a.url.clone(),
                identity: format!("actor:{}", doc.key),
                lastmod: None,
            },
            None => plain(a.url.clone()),
        });
    }
    for e in &g.events {
        pages.push(match &e.doc {
            Some(doc) => PageKey {
                url: e.url.clone(),
                identity: format!("event:{}", doc.key),
                lastmod: None,
            },
            None => plain(e.url.clone()),
        });
    }
    for p in &g.pages {
        pages.push(PageKey {
            url: p.url.clone(),
            identity: format!("page:{}", p.doc.key),
            lastmod: None,
        });
    }
    for (path, taxonomy) in [
        ("topics", &g.topics),
        ("regions", &g.regions),
        ("authors", &g.authors),
    ] {
        pages.push(plain(format!("{base}{path}/")));
        pages.extend(taxonomy.terms.iter().map(|t| plain(t.url.clone())));
    }
    pages
}

/// Connects the graphs of the languages of a site (the default language first): links
/// to files of other languages, and the [`Languages`] every graph shares.
pub fn connect(graphs: &mut [Graph]) {
    let n = graphs.len();
    for i in 0..n {
        for j in (0..n).filter(|&j| j != i) {
            let foreign: Vec<(String, String)> = graphs[j]
                .urls
                .iter()
                .filter(|(path, _)| !graphs[i].urls.contains_key(*path))
                .map(|(path, url)| (path.clone(), url.clone()))
                .collect();
            graphs[i].urls.extend(foreign);
        }
    }
    let mut languages = Languages {
        list: graphs
            .iter()
            .map(|g| LanguageLink {
                code: g.config.language.clone(),
                title: g.config.title.clone(),
                home: g.base_path.clone(),
            })
            .collect(),
        ..Languages::default()
    };
    let mut by_identity: HashMap<String, usize> = HashMap::new();
    for (i, g) in graphs.iter().enumerate() {
        for page in pages_of(g) {
            let next = languages.groups.len();
            let group = *by_identity.entry(page.identity).or_insert(next);
            if group == next {
                languages.groups.push(vec![None; n]);
            }
            languages.groups[group][i] = Some(page.url.clone());
            languages.by_url.insert(page.url.clone(), group);
            languages.sitemap.push((page.url, page.lastmod));
        }
    }
    languages.sitemap.sort();
    languages.hash = hash_of(&(&languages.list, &languages.groups, &languages.sitemap));
    let languages = Arc::new(languages);
    for g in graphs {
        g.languages = Arc::clone(&languages);
    }
}
