//! Citations of a brief, formatted from its facts alone: APA 7 and Chicago author-date
//! (as HTML, the title in `<i>`), a BibTeX `@techreport` entry, and its key. Names are
//! split here (family name = last word unless the author gives `family`/`given`);
//! organisations are cited by their name as written. Titles keep the case they are
//! written in: sentence or headline case cannot be derived safely from proper nouns.
//!
//! Knows nothing of pages or templates: [`super::context`] gives it a [`Work`].

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

use chrono::{Datelike, NaiveDate};

use crate::escape;

/// A name in a citation.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Name {
    /// A person: family name and given names (possibly empty).
    Person {
        /// `Doe`, `van der Berg`.
        family: String,
        /// `Jane`, `Jean-Paul`, empty for a single name.
        given: String,
    },
    /// An organisation, cited as written.
    Organization(String),
}

impl Name {
    /// A person's name as written in front matter, split into family and given names:
    /// `family` and `given` when the author gives them, else the last word and the rest.
    pub fn person(name: &str, family: Option<&str>, given: Option<&str>) -> Name {
        let name = name.trim();
        let (family, given) = match (family.map(str::trim), given.map(str::trim)) {
            (Some(family), Some(given)) => (family.to_string(), given.to_string()),
            (Some(family), None) => {
                let given = name.strip_suffix(family).unwrap_or("").trim();
                (family.to_string(), given.to_string())
            }
            (None, given) => {
                let (rest, last) = name.rsplit_once(char::is_whitespace).unwrap_or(("", name));
                (last.to_string(), given.unwrap_or(rest).trim().to_string())
            }
        };
        Name::Person { family, given }
    }

    /// `Doe, Jane` (Chicago's first author, BibTeX, Highwire).
    pub fn inverted(&self) -> String {
        match self {
            Name::Person { family, given } if !given.is_empty() => format!("{family}, {given}"),
            Name::Person { family, .. } => family.clone(),
            Name::Organization(name) => name.clone(),
        }
    }

    /// `Jane Doe` (Chicago's other authors).
    fn natural(&self) -> String {
        match self {
            Name::Person { family, given } if !given.is_empty() => format!("{given} {family}"),
            Name::Person { family, .. } => family.clone(),
            Name::Organization(name) => name.clone(),
        }
    }

    /// `Doe, J.` (APA): initials of each given name, hyphenated ones kept (`J.-P.`).
    fn apa(&self) -> String {
        match self {
            Name::Person { family, given } if !given.is_empty() => {
                let initials: Vec<String> = given
                    .split_whitespace()
                    .map(|word| {
                        word.split('-')
                            .filter_map(|part| part.chars().next())
                            .map(|c| format!("{c}."))
                            .collect::<Vec<_>>()
                            .join("-")
                    })
                    .collect();
                format!("{family}, {}", initials.join(" "))
            }
            other => other.natural(),
        }
    }

    /// The word a citation key starts with: the family name, or an organisation's first
    /// significant word.
    fn key_word(&self) -> String {
        match self {
            Name::Person { family, .. } => key_part(family),
            Name::Organization(name) => first_significant_word(name),
        }
    }

    /// The name for a BibTeX `author` field: `Family, Given`, an organisation in braces
    /// so that BibTeX does not split it.
    fn bibtex(&self) -> String {
        let protect = |part: &str| {
            let escaped = tex(part);
            let has_and = part
                .split_whitespace()
                .any(|w| w.eq_ignore_ascii_case("and"));
            if has_and || part.contains(',') {
                format!("{{{escaped}}}")
            } else {
                escaped
            }
        };
        match self {
            Name::Person { family, given } if !given.is_empty() => {
                format!("{}, {}", protect(family), protect(given))
            }
            Name::Person { family, .. } => protect(family),
            Name::Organization(name) => format!("{{{}}}", tex(name)),
        }
    }
}

/// What a citation is made of.
#[derive(Debug, Clone, Hash)]
pub struct Work<'a> {
    /// In the order written; empty: the publisher is the author.
    pub authors: Vec<Name>,
    /// The title as written.
    pub title: &'a str,
    /// The subtitle, if any.
    pub subtitle: Option<&'a str>,
    /// The publication date.
    pub date: NaiveDate,
    /// The institution that publishes it.
    pub publisher: &'a str,
    /// The brief's absolute URL.
    pub url: String,
}

impl Work<'_> {
    /// `Title: Subtitle` (no colon after a title that ends in `?` or `!`).
    pub fn full_title(&self) -> String {
        match self.subtitle.map(str::trim).filter(|s| !s.is_empty()) {
            Some(sub) if self.title.trim_end().ends_with(['?', '!']) => {
                format!("{} {sub}", self.title.trim_end())
            }
            Some(sub) => format!("{}: {sub}", self.title.trim_end()),
            None => self.title.trim_end().to_string(),
        }
    }

    /// The authors, or the publisher when there are none.
    fn names(&self) -> Vec<Name> {
        if self.authors.is_empty() {
            vec![Name::Organization(self.publisher.to_string())]
        } else {
            self.authors.clone()
        }
    }

    /// Whether the publisher is the one author (then citations name it once).
    fn publisher_is_author(&self) -> bool {
        match self.authors.as_slice() {
            [] => true,
            [Name::Organization(name)] => name.trim().eq_ignore_ascii_case(self.publisher.trim()),
            _ => false,
        }
    }
}

/// APA 7, as HTML: `Doe, J., &amp; Roe, S. (2021). <i>Title: Subtitle</i>. Publisher. URL`
pub fn apa(work: &Work) -> String {
    let names: Vec<String> = work.names().iter().map(Name::apa).collect();
    let authors = match names.as_slice() {
        [one] => one.clone(),
        [first @ .., last] if names.len() <= 20 => format!("{}, & {last}", first.join(", ")),
        [first @ .., last] => format!("{}, . . . {last}", first[..19].join(", ")),
        [] => String::new(),
    };
    let mut out = escape::html(&with_period(&authors));
    let _ = write!(out, " ({}). ", work.date.year());
    push_title(&mut out, &work.full_title());
    if !work.publisher_is_author() {
        out.push(' ');
        out.push_str(&escape::html(&with_period(work.publisher.trim())));
    }
    out.push(' ');
    push_link(&mut out, &work.url);
    out
}

/// Chicago author-date, as HTML:
/// `Doe, Jane, and Sam Roe. 2021. <i>Title: Subtitle</i>. Publisher. URL.`
pub fn chicago(work: &Work) -> String {
    let all = work.names();
    // More than ten authors: the first seven, then "et al."
    let (shown, et_al) = if all.len() > 10 {
        (&all[..7], true)
    } else {
        (&all[..], false)
    };
    let names: Vec<String> = shown
        .iter()
        .enumerate()
        .map(|(i, n)| if i == 0 { n.inverted() } else { n.natural() })
        .collect();
    let authors = match (names.as_slice(), et_al) {
        (_, true) => format!("{}, et al", names.join(", ")),
        ([one], false) => one.clone(),
        ([first @ .., last], false) => format!("{}, and {last}", first.join(", ")),
        ([], false) => String::new(),
    };
    let mut out = escape::html(&with_period(&authors));
    let _ = write!(out, " {}. ", work.date.year());
    push_title(&mut out, &work.full_title());
    if !work.publisher_is_author() {
        out.push(' ');
        out.push_str(&escape::html(&with_period(work.publisher.trim())));
    }
    out.push(' ');
    push_link(&mut out, &work.url);
    out.push('.');
    out
}

/// A BibTeX `@techreport` entry with `key`, ending with a newline.
pub fn bibtex(work: &Work, key: &str) -> String {
    let authors: Vec<String> = work.names().iter().map(Name::bibtex).collect();
    let month = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ][work.date.month0() as usize];
    let mut out = format!("@techreport{{{key},\n");
    let mut field = |name: &str, value: &str| {
        let _ = writeln!(out, "  {name} = {value},");
    };
    field("author", &format!("{{{}}}", authors.join(" and ")));
    field("title", &format!("{{{{{}}}}}", tex(&work.full_title())));
    field("type", "{Policy brief}");
    field(
        "institution",
        &format!("{{{}}}", tex(work.publisher.trim())),
    );
    field("year", &format!("{{{}}}", work.date.year()));
    field("month", month);
    field("url", &format!("{{{}}}", bibtex_url(&work.url)));
    out.push_str("}\n");
    out
}

/// The key before it is made unique: first author's family name (or organisation's
/// first word), year, first significant word of the title: `doe2021caught`.
pub fn key_base(work: &Work) -> String {
    let who = work
        .names()
        .first()
        .map(Name::key_word)
        .filter(|w| !w.is_empty())
        .unwrap_or_else(|| "anon".to_string());
    format!(
        "{who}{}{}",
        work.date.year(),
        first_significant_word(work.title)
    )
}

/// Makes keys unique in the order given: the first keeps its key, later ones that repeat
/// it get `b`, `c`, … `z`, `aa`, … (the order should be stable, e.g. oldest first).
pub fn unique_keys(bases: impl IntoIterator<Item = String>) -> Vec<String> {
    let bases: Vec<String> = bases.into_iter().collect();
    // Taken keys include every base, so a suffixed key never takes another brief's key.
    let mut taken: HashSet<String> = bases.iter().cloned().collect();
    // The suffix each base tries next: taken keys only grow, so a base's next free suffix
    // is never below the one it took last (many briefs may share a base).
    let mut next: HashMap<&str, usize> = HashMap::new();
    let mut keys = Vec::with_capacity(bases.len());
    for base in &bases {
        let Some(n) = next.get_mut(base.as_str()) else {
            next.insert(base.as_str(), 2);
            keys.push(base.clone());
            continue;
        };
        let key = loop {
            let candidate = format!("{base}{}", letters(*n));
            *n += 1;
            if !taken.contains(&candidate) {
                break candidate;
            }
        };
        taken.insert(key.clone());
        keys.push(key);
    }
    keys
}

/// `1` → `a`, `2` → `b`, `26` → `z`, `27` → `aa` (bijective base 26).
fn letters(mut n: usize) -> String {
    let mut out = Vec::new();
    while n > 0 {
        n -= 1;
        out.push(b'a' + (n % 26) as u8);
        n /= 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// Words a key skips at the start of a title.
const STOP_WORDS: &[&str] = &[
    "a", "an", "the", "of", "on", "in", "and", "for", "to", "at", "by", "with", "from", "as", "is",
    "or",
];

/// The first word of `text` that is not a stop word, as a key part.
fn first_significant_word(text: &str) -> String {
    deunicode::deunicode(text)
        .split(|c: char| c.is_whitespace() || c == '-' || c == '/')
        .map(key_part)
        .find(|w| !w.is_empty() && !STOP_WORDS.contains(&w.as_str()))
        .unwrap_or_default()
}

/// ASCII lowercase letters and digits of `text`, transliterated.
fn key_part(text: &str) -> String {
    deunicode::deunicode(text)
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// `text` ending with a period (unless it already ends with `.`, `?` or `!`).
fn with_period(text: &str) -> String {
    if text.ends_with(['.', '?', '!']) {
        text.to_string()
    } else {
        format!("{text}.")
    }
}

/// `<i>Title</i>.`, the period left out after a title that ends in `?`, `!` or `.`.
fn push_title(out: &mut String, title: &str) {
    let _ = write!(out, "<i>{}</i>", escape::html(title));
    if !title.ends_with(['.', '?', '!']) {
        out.push('.');
    }
}

fn push_link(out: &mut String, url: &str) {
    let url = escape::html(url);
    let _ = write!(out, "<a href=\"{url}\">{url}</a>");
}

/// Escapes BibTeX's and LaTeX's special characters (and `<`, `>`, `|`, which LaTeX
/// prints as other glyphs outside T1 encoding).
pub fn tex(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\textbackslash{}"),
            '{' | '}' | '%' | '&' | '$' | '#' | '_' => {
                out.push('\\');
                out.push(c);
            }
            '~' => out.push_str("\\textasciitilde{}"),
            // Outside T1 encoding, LaTeX prints these as other glyphs.
            '<' => out.push_str("\\textless{}"),
            '>' => out.push_str("\\textgreater{}"),
            '|' => out.push_str("\\textbar{}"),
            '^' => out.push_str("\\textasciicircum{}"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A URL for a BibTeX `url` field (read verbatim by `url` and biblatex): the characters
/// that would unbalance the entry or end it are percent-encoded.
fn bibtex_url(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        match c {
            '{' => out.push_str("%7B"),
            '}' => out.push_str("%7D"),
            '\\' => out.push_str("%5C"),
            c if c.is_whitespace() || c.is_control() => out.push_str("%20"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn work(authors: Vec<Name>) -> Work<'static> {
        Work {
            authors,
            title: "Caught in the Crossfire",
            subtitle: Some("Canadian forces and the U.S.–Iran rivalry in Iraq"),
            date: NaiveDate::from_ymd_opt(2021, 7, 12).unwrap(),
            publisher: "Example Institute",
            url: "https://example.org/briefs/crossfire/".into(),
        }
    }

    fn jane_and_sam() -> Vec<Name> {
        vec![
            Name::person("Jane Doe", None, None),
            Name::person("Sam Roe", None, None),
        ]
    }

    #[test]
    fn names_split_on_the_last_word_unless_given() {
        assert_eq!(
            Name::person("Jane Q. Doe", None, None),
            Name::Person {
                family: "Doe".into(),
                given: "Jane Q.".into()
            }
        );
        let van = Name::person("Ludwig van Beethoven", Some("van Beethoven"), None);
        assert_eq!(van.inverted(), "van Beethoven, Ludwig");
        let given = Name::person("Mao Zedong", Some("Mao"), Some("Zedong"));
        assert_eq!(given.natural(), "Zedong Mao");
        assert_eq!(Name::person("Plato", None, None).apa(), "Plato");
        assert_eq!(
            Name::person("Jean-Paul Mary Sartre", None, None).apa(),
            "Sartre, J.-P. M."
        );
    }

    #[test]
    fn apa_lists_authors_with_an_ampersand() {
        assert_eq!(
            apa(&work(jane_and_sam())),
            "Doe, J., &amp; Roe, S. (2021). <i>Caught in the Crossfire: Canadian forces and \
             the U.S.–Iran rivalry in Iraq</i>. Example Institute. \
             <a href=\"https://example.org/briefs/crossfire/\">https://example.org/briefs/crossfire/</a>"
        );
        let one = apa(&work(vec![Name::person("Jane Doe", None, None)]));
        assert!(one.starts_with("Doe, J. (2021). "), "{one}");
        let many: Vec<Name> = (0..22)
            .map(|i| Name::person(&format!("A{i} B{i}"), None, None))
            .collect();
        let many = apa(&work(many));
        assert!(
            many.contains("B17, A., B18, A., . . . B21, A. (2021)"),
            "{many}"
        );
    }

    #[test]
    fn the_publisher_stands_in_for_missing_authors() {
        let w = work(Vec::new());
        assert!(
            apa(&w).starts_with("Example Institute. (2021). <i>"),
            "{}",
            apa(&w)
        );
        assert!(!apa(&w).contains("</i>. Example Institute."));
        let c = chicago(&w);
        assert!(c.starts_with("Example Institute. 2021. <i>"), "{c}");
        assert!(bibtex(&w, "k").contains("author = {{Example Institute}},"));
        assert_eq!(key_base(&w), "example2021caught");
    }

    #[test]
    fn chicago_inverts_the_first_author_only() {
        let three = vec![
            Name::person("Jane Doe", None, None),
            Name::person("Sam Roe", None, None),
            Name::Organization("World Bank".into()),
        ];
        let c = chicago(&work(three));
        assert!(
            c.starts_with("Doe, Jane, Sam Roe, and World Bank. 2021. <i>Caught"),
            "{c}"
        );
        assert!(c.ends_with("</a>."), "{c}");
        let eleven: Vec<Name> = (0..11)
            .map(|i| Name::person(&format!("A{i} B{i}"), None, None))
            .collect();
        let c = chicago(&work(eleven));
        assert!(c.starts_with("B0, A0, A1 B1,"), "{c}");
        assert!(c.contains("A6 B6, et al. 2021."), "{c}");
    }

    #[test]
    fn bibtex_entry_is_escaped() {
        let mut w = work(vec![
            Name::person("Jane Doe", None, None),
            Name::Organization("Smith & Jones {Consulting}".into()),
        ]);
        w.title = "100% of $5 #1 under_score ~ ^ \\ <b>";
        w.subtitle = None;
        let entry = bibtex(&w, "doe2021100");
        assert_eq!(
            entry,
            "@techreport{doe2021100,\n  author = {Doe, Jane and {Smith \\& Jones \\{Consulting\\}}},\n  \
             title = {{100\\% of \\$5 \\#1 under\\_score \\textasciitilde{} \\textasciicircum{} \
             \\textbackslash{} \\textless{}b\\textgreater{}}},\n  type = {Policy brief},\n  institution = {Example Institute},\n  \
             year = {2021},\n  month = jul,\n  url = {https://example.org/briefs/crossfire/},\n}\n"
        );
        assert_eq!(
            bibtex_url("https://x.org/a b{c}"),
            "https://x.org/a%20b%7Bc%7D"
        );
    }

    #[test]
    fn keys_skip_stop_words_and_are_unique() {
        assert_eq!(key_base(&work(jane_and_sam())), "doe2021caught");
        let mut w = work(vec![Name::person("Zoë Ångström", None, None)]);
        w.title = "The U.S.–Iran Rivalry";
        assert_eq!(key_base(&w), "angstrom2021us");
        let keys =
            unique_keys(["doe2021a", "doe2021a", "doe2021ab", "doe2021a", "x"].map(String::from));
        assert_eq!(
            keys,
            ["doe2021a", "doe2021ac", "doe2021ab", "doe2021ad", "x"]
        );
        assert_eq!(letters(1), "a");
        assert_eq!(letters(26), "z");
        assert_eq!(letters(27), "aa");
    }

    #[test]
    fn titles_ending_in_a_question_take_no_colon_or_period() {
        let mut w = work(jane_and_sam());
        w.title = "What Next?";
        w.subtitle = Some("Options for Ottawa");
        assert_eq!(w.full_title(), "What Next? Options for Ottawa");
        w.subtitle = None;
        assert!(apa(&w).contains("<i>What Next?</i> Example Institute."));
    }
}
