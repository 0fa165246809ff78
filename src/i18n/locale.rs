//! A [`Locale`]: the interface strings, plural rules, date format, section headings and
//! writing direction of one language, built from the built-in tables and a site's
//! overrides.

use std::collections::HashMap;
use std::sync::LazyLock;

use chrono::format::{Item, StrftimeItems};
use chrono::NaiveDate;
use intl_pluralrules::{PluralCategory, PluralRuleType, PluralRules};
use serde::Deserialize;
use unic_langid::LanguageIdentifier;

use super::{SectionNames, StringEntry, StringTable};
use crate::date::{Date, DateView};

/// A built-in language: its strings and section headings.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct BuiltIn {
    strings: StringTable,
    sections: SectionNames,
}

/// The built-in tables, by language code, as data files compiled in.
const BUILT_IN_SOURCES: &[(&str, &str)] = &[
    ("en", include_str!("en.yaml")),
    ("fr", include_str!("fr.yaml")),
];

static BUILT_IN: LazyLock<Vec<(&'static str, BuiltIn)>> = LazyLock::new(|| {
    BUILT_IN_SOURCES
        .iter()
        .map(|(code, text)| {
            // The tables are part of the program; a test parses each of them.
            (*code, crate::yaml::from_str(text).unwrap_or_default())
        })
        .collect()
});

fn built_in(code: &str) -> Option<&'static BuiltIn> {
    BUILT_IN.iter().find(|(c, _)| *c == code).map(|(_, b)| b)
}

/// The languages with built-in interface strings.
pub fn built_in_languages() -> Vec<&'static str> {
    BUILT_IN_SOURCES.iter().map(|(code, _)| *code).collect()
}

/// Every interface string key, with its English and (where it has one) built-in text
/// of `code`, in key order.
pub fn built_in_strings(code: &str) -> Vec<(&'static str, &'static StringEntry)> {
    built_in(code)
        .map(|b| b.strings.iter().map(|(k, v)| (k.as_str(), v)).collect())
        .unwrap_or_default()
}

/// Languages written right to left, by primary subtag.
const RTL: &[&str] = &["ar", "fa", "he", "ur", "ps", "ckb", "dv", "yi", "sd", "ug"];

/// Where a language code has no `ll_LL` locale of dates, the region its dates use.
const DATE_REGIONS: &[(&str, &str)] = &[
    ("ar", "ar_EG"),
    ("fa", "fa_IR"),
    ("he", "he_IL"),
    ("ur", "ur_PK"),
    ("zh", "zh_CN"),
    ("ja", "ja_JP"),
    ("ko", "ko_KR"),
    ("uk", "uk_UA"),
    ("el", "el_GR"),
    ("sv", "sv_SE"),
    ("da", "da_DK"),
    ("cs", "cs_CZ"),
    ("hi", "hi_IN"),
    ("sw", "sw_KE"),
    ("ca", "ca_ES"),
    ("nb", "nb_NO"),
    ("vi", "vi_VN"),
];

/// The default date format (`12 July 2021`).
const DATE_FORMAT: &str = "%-d %B %Y";

/// The interface of one language.
pub struct Locale {
    code: String,
    rtl: bool,
    strings: HashMap<String, StringEntry>,
    /// The CLDR rules of the language (of English when it has none; `None` only if even
    /// those were missing, and then `1` is `one` and every other count `other`).
    plurals: Option<PluralRules>,
    date_format: String,
    date_locale: Option<chrono::Locale>,
    sections: SectionNames,
}

impl std::fmt::Debug for Locale {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Locale").field("code", &self.code).finish()
    }
}

impl Default for Locale {
    fn default() -> Self {
        Locale::english()
    }
}

/// The primary subtag of a language code: `pt` of `pt-BR`.
pub fn primary_subtag(code: &str) -> &str {
    code.split(['-', '_']).next().unwrap_or(code)
}

/// Whether a language is written right to left (by its primary subtag).
pub fn is_rtl(code: &str) -> bool {
    RTL.contains(&primary_subtag(code).to_ascii_lowercase().as_str())
}

/// Whether `text` is written in a right-to-left script: its first letter with a strong
/// direction is Hebrew, Arabic, Syriac, Thaana, N'Ko or another right-to-left script.
pub fn is_rtl_text(text: &str) -> bool {
    text.chars()
        .find(|c| c.is_alphabetic())
        .is_some_and(|c| {
            matches!(u32::from(c),
                0x0590..=0x08FF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFF | 0x1_0800..=0x1_0FFF | 0x1_E800..=0x1_EFFF)
        })
}

/// Whether a date format is one chrono can write.
pub fn is_date_format(format: &str) -> bool {
    !StrftimeItems::new(format).any(|item| matches!(item, Item::Error))
}

impl Locale {
    /// English, as a site without `language` or `strings` has it.
    pub fn english() -> Locale {
        Locale::new("en", &StringTable::new(), &SectionNames::default())
    }

    /// The locale of language `code`: `overrides` (a site's `strings:`) over the built-in
    /// strings of `code`, of its primary subtag, then English; `sections` adds headings.
    pub fn new(code: &str, overrides: &StringTable, sections: &SectionNames) -> Locale {
        let primary = primary_subtag(code);
        let mut layers: Vec<&BuiltIn> = vec![];
        if let Some(b) = built_in("en") {
            layers.push(b);
        }
        if primary != "en" {
            layers.extend(built_in(primary));
        }
        if code != primary {
            layers.extend(built_in(code));
        }
        let mut strings: HashMap<String, StringEntry> = HashMap::new();
        let mut merged = SectionNames::default();
        for layer in &layers {
            for (key, entry) in &layer.strings {
                strings.insert(key.clone(), entry.clone());
            }
            merged.key_points.extend(lower(&layer.sections.key_points));
            merged.background.extend(lower(&layer.sections.background));
            merged
                .recommendations
                .extend(lower(&layer.sections.recommendations));
        }
        for (key, entry) in overrides {
            strings.insert(key.clone(), entry.clone());
        }
        merged.key_points.extend(lower(&sections.key_points));
        merged.background.extend(lower(&sections.background));
        merged
            .recommendations
            .extend(lower(&sections.recommendations));
        let plurals = code
            .parse::<LanguageIdentifier>()
            .ok()
            .and_then(|id| PluralRules::create(id, PluralRuleType::CARDINAL).ok())
            .or_else(|| {
                let id: LanguageIdentifier = primary.parse().ok()?;
                PluralRules::create(id, PluralRuleType::CARDINAL).ok()
            })
            .or_else(|| {
                let id: LanguageIdentifier = "en".parse().ok()?;
                PluralRules::create(id, PluralRuleType::CARDINAL).ok()
            });
        let text = |key: &str| match strings.get(key) {
            Some(StringEntry::Text(t)) => t.clone(),
            _ => String::new(),
        };
        let mut date_format = text("date_format");
        if date_format.is_empty() || !is_date_format(&date_format) {
            date_format = DATE_FORMAT.to_string();
        }
        let date_locale = date_locale(code, &text("date_locale"));
        Locale {
            code: code.to_string(),
            rtl: is_rtl(code),
            strings,
            plurals,
            date_format,
            date_locale,
            sections: merged,
        }
    }

    /// The language code (`fr`).
    pub fn code(&self) -> &str {
        &self.code
    }

    /// Whether the language is written right to left.
    pub fn is_rtl(&self) -> bool {
        self.rtl
    }

    /// The headings of structured sections, lowercased: the built-in English ones, the
    /// language's, and the site's.
    pub fn sections(&self) -> &SectionNames {
        &self.sections
    }

    /// Every entry of the language, English ones included, in no order.
    pub fn entries(&self) -> impl Iterator<Item = (&str, &StringEntry)> {
        self.strings.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// The entry of `key`, if the language (or English) has one.
    pub fn entry(&self, key: &str) -> Option<&StringEntry> {
        self.strings.get(key)
    }

    /// The text of `key`; for a plural entry, its `other` form. A key no table has gives
    /// the key itself.
    pub fn text<'a>(&'a self, key: &'a str) -> &'a str {
        match self.strings.get(key) {
            Some(StringEntry::Text(t)) => t,
            Some(StringEntry::Plural(forms)) => forms.get("other").map_or(key, String::as_str),
            None => key,
        }
    }

    /// The form of `key` for the count `n`, by the language's plural rules (`one`,
    /// `other`…, falling back to `other`); `None` if no table has the key.
    pub fn plural_form(&self, key: &str, n: i64) -> Option<&str> {
        match self.strings.get(key)? {
            StringEntry::Text(t) => Some(t),
            StringEntry::Plural(forms) => {
                let selected = match &self.plurals {
                    Some(rules) => rules.select(n),
                    None if n == 1 => Ok(PluralCategory::ONE),
                    None => Ok(PluralCategory::OTHER),
                };
                let category = match selected {
                    Ok(PluralCategory::ZERO) => "zero",
                    Ok(PluralCategory::ONE) => "one",
                    Ok(PluralCategory::TWO) => "two",
                    Ok(PluralCategory::FEW) => "few",
                    Ok(PluralCategory::MANY) => "many",
                    Ok(PluralCategory::OTHER) | Err(_) => "other",
                };
                forms
                    .get(category)
                    .or_else(|| forms.get("other"))
                    .map(String::as_str)
            }
        }
    }

    /// The text of `key` with its `{name}` placeholders filled from `args`.
    pub fn format(&self, key: &str, args: &[(&str, &str)]) -> String {
        fill(self.text(key), |name| {
            args.iter().find(|(n, _)| *n == name).map(|(_, v)| *v)
        })
    }

    /// The form of `key` for `n`, with `{n}` the number and the other placeholders
    /// filled from `args`.
    pub fn count(&self, key: &str, n: usize, args: &[(&str, &str)]) -> String {
        let number = n.to_string();
        let form = self
            .plural_form(key, i64::try_from(n).unwrap_or(i64::MAX))
            .unwrap_or(key);
        fill(form, |name| {
            if name == "n" {
                Some(number.as_str())
            } else {
                args.iter().find(|(n, _)| *n == name).map(|(_, v)| *v)
            }
        })
    }

    /// A day as readers of the language write it (`12 July 2021`, `12 juillet 2021`).
    pub fn day(&self, day: NaiveDate) -> String {
        self.day_with(day, &self.date_format)
    }

    /// A day in `format` (strftime), with the language's month and day names.
    pub fn day_with(&self, day: NaiveDate, format: &str) -> String {
        match self.date_locale {
            Some(locale) => day.format_localized(format, locale).to_string(),
            None => day.format(format).to_string(),
        }
    }

    /// Whether dates are written as in English (`12 July 2021`), so that code that
    /// writes many can take a faster path.
    pub fn has_english_dates(&self) -> bool {
        self.date_locale.is_none() && self.date_format == DATE_FORMAT
    }

    /// A date as templates and JSON see it, displayed in the language.
    pub fn date_view(&self, date: &Date) -> DateView {
        DateView {
            iso: date.iso(),
            display: self.day(date.day),
            year: date.year(),
        }
    }

    /// A date displayed in the language.
    pub fn date(&self, date: &Date) -> String {
        self.day(date.day)
    }

    /// The full name of month `month` (1–12), as it stands alone in a heading.
    pub fn month(&self, month: u32) -> String {
        NaiveDate::from_ymd_opt(2001, month, 1).map_or_else(String::new, |d| {
            let name = self.day_with(d, "%B");
            capitalised(&name)
        })
    }

    /// The short name of month `month` (1–12).
    pub fn month_short(&self, month: u32) -> String {
        NaiveDate::from_ymd_opt(2001, month, 1)
            .map_or_else(String::new, |d| capitalised(&self.day_with(d, "%b")))
    }

    /// The strings the theme's scripts show, as a JSON object, when any of them differs
    /// from English (else `None`: the scripts carry the English ones).
    pub fn script_strings(&self) -> Option<String> {
        let english = built_in("en")?;
        let mut object = serde_json::Map::new();
        let mut differs = false;
        let mut keys: Vec<&String> = english
            .strings
            .keys()
            .filter(|k| k.starts_with("js_"))
            .collect();
        keys.sort();
        for key in keys {
            let entry = self.strings.get(key)?;
            differs |= english.strings.get(key) != Some(entry);
            let value = match entry {
                StringEntry::Text(t) => serde_json::Value::from(t.as_str()),
                StringEntry::Plural(forms) => serde_json::json!(forms),
            };
            object.insert(key.trim_start_matches("js_").to_string(), value);
        }
        differs.then(|| serde_json::Value::Object(object).to_string())
    }
}

fn lower(names: &[String]) -> impl Iterator<Item = String> + '_ {
    names
        .iter()
        .map(|n| n.trim().to_lowercase().replace('\u{2019}', "'"))
}

fn capitalised(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// `text` with each `{name}` replaced by `value(name)` (left as written when it has none).
pub fn fill<'v>(text: &str, value: impl Fn(&str) -> Option<&'v str>) -> String {
    if !text.contains('{') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close)
                if after[..close]
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_') =>
            {
                let name = &after[..close];
                match value(name) {
                    Some(v) => out.push_str(v),
                    None => out.push_str(&rest[open..open + close + 2]),
                }
                rest = &after[close + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// chrono's locale of dates for `code`: `date_locale` when it names one, else `ll_RR` of
/// the code's region, `ll_LL`, or a known region; none for English (chrono's own names).
fn date_locale(code: &str, date_locale: &str) -> Option<chrono::Locale> {
    if !date_locale.is_empty() {
        return chrono::Locale::try_from(date_locale).ok();
    }
    let primary = primary_subtag(code).to_ascii_lowercase();
    if primary == "en" {
        return None;
    }
    let mut candidates = Vec::new();
    if let Some(region) = code.split(['-', '_']).nth(1) {
        candidates.push(format!("{primary}_{}", region.to_ascii_uppercase()));
    }
    candidates.push(format!("{primary}_{}", primary.to_ascii_uppercase()));
    candidates.extend(
        DATE_REGIONS
            .iter()
            .filter(|(p, _)| *p == primary)
            .map(|(_, l)| (*l).to_string()),
    );
    candidates
        .iter()
        .find_map(|c| chrono::Locale::try_from(c.as_str()).ok())
}

/// The keys of `table` no built-in language has, each with the nearest known key.
pub fn unknown_keys(table: &StringTable) -> Vec<(&str, Option<&'static str>)> {
    let known: Vec<&'static str> = built_in_strings("en").into_iter().map(|(k, _)| k).collect();
    table
        .keys()
        .filter(|k| !known.contains(&k.as_str()))
        .map(|k| {
            (
                k.as_str(),
                crate::suggest::nearest(k, known.iter().copied()),
            )
        })
        .collect()
}

/// The built-in table of `code` as its data file gives it: for the tests and the docs.
pub fn built_in_entry(code: &str, key: &str) -> Option<&'static StringEntry> {
    built_in(code).and_then(|b| b.strings.get(key))
}

/// Parses every built-in data file, for the tests: an error names the file.
pub fn check_built_in() -> Result<(), String> {
    for (code, text) in BUILT_IN_SOURCES {
        crate::yaml::from_str::<BuiltIn>(text)
            .map_err(|e| format!("src/i18n/{code}.yaml: {}", e.message))?;
    }
    Ok(())
}

static ENGLISH: LazyLock<std::sync::Arc<Locale>> =
    LazyLock::new(|| std::sync::Arc::new(Locale::english()));

/// The English locale, built once.
pub fn english() -> std::sync::Arc<Locale> {
    ENGLISH.clone()
}

/// The English locale, built once, borrowed for the whole run.
pub fn english_ref() -> &'static Locale {
    &ENGLISH
}
