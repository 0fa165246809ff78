//! Display names of topics and regions: `site.yaml`'s `topics:` and `regions:` give a
//! term's title and description by slug; a term without one shows its name as written,
//! with a capital first letter ("counter-terrorism" → "Counter-terrorism"; a name written
//! with capitals, such as "NATO", stays as it is). An entry for a term no brief uses is a
//! warning. Authors keep their names.

use super::Taxonomy;
use crate::config::{SiteConfig, TermInfo};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::slug::slugify;

/// Gives every term of `taxonomy` (the `map` of `site.yaml`: `topics` or `regions`) its
/// title and description, and warns about entries that match no term.
pub fn name_terms(
    taxonomy: &mut Taxonomy,
    config: &SiteConfig,
    map: &str,
    diagnostics: &mut Diagnostics,
) {
    let entries: &std::collections::BTreeMap<String, TermInfo> = match map {
        "topics" => &config.topics,
        _ => &config.regions,
    };
    for term in &mut taxonomy.terms {
        term.title = default_title(&term.name);
    }
    for (key, info) in entries {
        let slug = slugify(key);
        let Ok(t) = taxonomy.terms.binary_search_by(|t| t.slug.cmp(&slug)) else {
            diagnostics.push(unused_entry(taxonomy, config, map, key));
            continue;
        };
        let term = &mut taxonomy.terms[t];
        if let Some(title) = info
            .title
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            term.title = title.to_string();
        }
        term.description = info
            .description
            .as_deref()
            .map(str::trim)
            .filter(|d| !d.is_empty())
            .map(ToString::to_string);
    }
}

/// The title of a term without one in `site.yaml`: the name as written, its first
/// letter capitalised unless the name already has capitals.
pub fn default_title(name: &str) -> String {
    if name.chars().any(char::is_uppercase) {
        return name.to_string();
    }
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A warning at an entry of `site.yaml` that names no term of the taxonomy.
fn unused_entry(taxonomy: &Taxonomy, config: &SiteConfig, map: &str, key: &str) -> Diagnostic {
    let line = config.entry_line(map, key);
    let column = config
        .source
        .lines()
        .nth(line.saturating_sub(1))
        .and_then(|l| l.find(key))
        .map_or(1, |at| at + 1);
    let what = if map == "topics" { "topic" } else { "region" };
    let slugs: Vec<&str> = taxonomy.terms.iter().map(|t| t.slug.as_str()).collect();
    let hint = match crate::suggest::nearest(key, slugs.iter().copied()) {
        Some(best) => format!("did you mean `{best}`? Entries are keyed by the {what}'s slug"),
        None => format!("no brief has this {what}; remove the entry, or check its spelling against the briefs' `{map}:`"),
    };
    Diagnostic::warning(
        "site.yaml",
        format!("`{map}` names `{key}`, but no brief has this {what}"),
    )
    .at(&config.source, line, column)
    .span(key.chars().count())
    .hint(hint)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resolve::Term;

    fn term(name: &str) -> Term {
        Term {
            name: name.to_string(),
            title: name.to_string(),
            description: None,
            slug: slugify(name),
            url: String::new(),
            briefs: vec![0],
            author: None,
        }
    }

    #[test]
    fn default_titles_read_well() {
        assert_eq!(default_title("counter-terrorism"), "Counter-terrorism");
        assert_eq!(default_title("iraq"), "Iraq");
        assert_eq!(default_title("NATO"), "NATO");
        assert_eq!(default_title("the Gulf"), "the Gulf");
        assert_eq!(default_title("élections"), "Élections");
        assert_eq!(default_title(""), "");
    }

    #[test]
    fn site_yaml_names_terms_and_warns_about_unused_entries() {
        let config = SiteConfig::parse(
            "topics:\n  nato: {title: NATO, description: \" The alliance. \"}\n  sanctions-policy: {title: Sanctions}\n",
        )
        .unwrap();
        let mut taxonomy = Taxonomy {
            terms: vec![term("counter-terrorism"), term("nato"), term("sanctions")],
        };
        let mut diagnostics = Diagnostics::new();
        name_terms(&mut taxonomy, &config, "topics", &mut diagnostics);
        let titles: Vec<&str> = taxonomy.terms.iter().map(|t| t.title.as_str()).collect();
        assert_eq!(titles, ["Counter-terrorism", "NATO", "Sanctions"]);
        assert_eq!(taxonomy.terms[2].title, "Sanctions");
        assert_eq!(
            taxonomy.terms[1].description.as_deref(),
            Some("The alliance.")
        );
        let found: Vec<&Diagnostic> = diagnostics.iter().collect();
        assert_eq!(found.len(), 1);
        assert!(!found[0].is_error());
        assert_eq!((found[0].line, found[0].column), (3, 3));
        assert!(
            found[0].message.contains("sanctions-policy"),
            "{}",
            found[0].message
        );
    }
}
