//! Interface language: the shapes in which `site.yaml` gives interface strings and the
//! names of structured sections per language (docs/languages.md), and the [`Locale`]
//! every page is rendered with: built-in English and French strings (`en.yaml`,
//! `fr.yaml`), plural rules, dates and writing direction (docs/interface-strings.md).

mod locale;
#[cfg(test)]
mod tests;

pub use locale::{
    built_in_entry, built_in_languages, built_in_strings, check_built_in, english, english_ref,
    fill, is_date_format, is_rtl, is_rtl_text, primary_subtag, unknown_keys, Locale,
};

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// An interface string as a site gives it: one text, or one text per plural category
/// (`one`, `other`, and for some languages `zero`, `two`, `few`, `many`).
#[derive(Debug, Clone, Hash, PartialEq, Eq, Deserialize, Serialize)]
#[serde(untagged)]
pub enum StringEntry {
    /// The same text whatever the count.
    Text(String),
    /// A text per plural category.
    Plural(BTreeMap<String, String>),
}

/// Interface strings by key.
pub type StringTable = BTreeMap<String, StringEntry>;

/// Extra headings that mark a brief's structured sections in one language, besides the
/// built-in English and French ones.
#[derive(Debug, Clone, Default, Hash, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct SectionNames {
    /// Headings of the key points ("Key points", "Points clés").
    pub key_points: Vec<String>,
    /// Headings of the background ("Background", "Contexte").
    pub background: Vec<String>,
    /// Headings of the recommendations ("Recommendations", "Recommandations").
    pub recommendations: Vec<String>,
}
