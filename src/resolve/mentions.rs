//! The mention index: one Aho-Corasick automaton over every actor's name and aliases, and
//! the search for whole-word mentions in running text (docs/content.md#mentions).
//! Apostrophe and dash variants are folded to `'` and `-`, and every run of whitespace
//! (line breaks included) to one space, on both sides before matching: a name broken
//! across lines is still the name.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

/// A mention found in a piece of text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mention {
    /// Byte range in the original (unfolded) text.
    pub start: usize,
    /// End of the byte range (exclusive).
    pub end: usize,
    /// The actor mentioned.
    pub actor: usize,
}

/// Finds actor names and aliases in text.
#[derive(Debug, Clone)]
pub struct MentionIndex {
    automaton: Option<AhoCorasick>,
    actor_of_pattern: Vec<usize>,
}

fn fold_char(c: char) -> char {
    match c {
        '\u{2019}' | '\u{2018}' | '\u{02BC}' => '\'',
        '\u{2010}' | '\u{2011}' | '\u{2013}' => '-',
        c => c,
    }
}

/// Whether `text` differs from its folded form: a variant to fold, or whitespace that is
/// not a lone space. Plain ASCII with single spaces (most text) is checked byte by byte.
fn needs_folding(text: &str) -> bool {
    let bytes = text.as_bytes();
    if bytes.is_ascii() {
        // ASCII white space other than a space is a byte from \t (9) to \r (13); a space
        // followed by one of those is found by that byte. Each block is checked whole
        // (without stopping at the first), which the compiler turns into vector code.
        let control_space = bytes.chunks(64).any(|block| {
            block
                .iter()
                .fold(false, |any, &b| any | (b.wrapping_sub(9) < 5))
        });
        return control_space || memchr::memmem::find(bytes, b"  ").is_some();
    }
    let mut after_space = false;
    text.chars().any(|c| {
        let differs = if c.is_whitespace() {
            c != ' ' || after_space
        } else {
            fold_char(c) != c
        };
        after_space = c.is_whitespace();
        differs
    })
}

/// `text` with variants folded and whitespace runs made one space, and the original byte
/// offset of each folded byte (plus one past the end).
fn fold(text: &str) -> (String, Vec<usize>) {
    let mut folded = String::with_capacity(text.len());
    let mut offsets = Vec::with_capacity(text.len() + 1);
    let mut after_space = false;
    for (i, c) in text.char_indices() {
        if c.is_whitespace() {
            if !after_space {
                offsets.push(i);
                folded.push(' ');
            }
            after_space = true;
            continue;
        }
        after_space = false;
        let f = fold_char(c);
        for _ in 0..f.len_utf8() {
            offsets.push(i);
        }
        folded.push(f);
    }
    offsets.push(text.len());
    (folded, offsets)
}

impl MentionIndex {
    /// Builds the index from `(actor index, name or alias)` pairs.
    pub fn new<'a>(names: impl IntoIterator<Item = (usize, &'a str)>) -> Self {
        let mut patterns: Vec<(String, usize)> = names
            .into_iter()
            .map(|(actor, name)| (fold(name.trim()).0, actor))
            .filter(|(p, _)| !p.is_empty())
            .collect();
        patterns.sort();
        patterns.dedup_by(|a, b| a.0 == b.0);
        let automaton = if patterns.is_empty() {
            None
        } else {
            AhoCorasickBuilder::new()
                .match_kind(MatchKind::LeftmostLongest)
                .build(patterns.iter().map(|(p, _)| p.as_str()))
                .ok()
        };
        MentionIndex {
            automaton,
            actor_of_pattern: patterns.into_iter().map(|(_, a)| a).collect(),
        }
    }

    /// Every whole-word mention in `text`, in order. A mention may span line breaks and
    /// runs of whitespace; its range covers them.
    pub fn find(&self, text: &str) -> Vec<Mention> {
        let Some(automaton) = &self.automaton else {
            return Vec::new();
        };
        let folded_storage;
        let (haystack, offsets) = if needs_folding(text) {
            folded_storage = fold(text);
            (folded_storage.0.as_str(), Some(&folded_storage.1))
        } else {
            (text, None)
        };
        let mut found = Vec::new();
        for m in automaton.find_iter(haystack) {
            if !is_word_boundary(haystack, m.start(), m.end()) {
                continue;
            }
            let (start, end) = match offsets {
                Some(o) => (o[m.start()], o[m.end()]),
                None => (m.start(), m.end()),
            };
            found.push(Mention {
                start,
                end,
                actor: self.actor_of_pattern[m.pattern().as_usize()],
            });
        }
        found
    }
}

fn is_word_boundary(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> MentionIndex {
        MentionIndex::new([
            (0, "Kata'ib Hezbollah"),
            (0, "KH"),
            (1, "Iran"),
            (2, "Kata'ib Sayyid al-Shuhada"),
        ])
    }

    /// [`needs_folding`] as it reads for ASCII text: a space followed by white space, or
    /// white space other than a space.
    fn needs_folding_plainly(text: &str) -> bool {
        let bytes = text.as_bytes();
        let space = |b: &u8| b.is_ascii_whitespace() || *b == 0x0b;
        bytes.iter().enumerate().any(|(i, b)| match b {
            b' ' => bytes.get(i + 1).is_some_and(space),
            b => space(b),
        })
    }

    #[test]
    fn ascii_text_needs_folding_where_its_white_space_is_not_single_spaces() {
        let mut texts: Vec<String> = [
            "",
            " ",
            "  ",
            "a b",
            "a  b",
            "a\tb",
            "a\nb",
            "a\x0bb",
            "a\x0cb",
            "a\rb",
            "a \nb",
            "end ",
            "end  ",
            "\x08 \x0e",
            "x\x1fy",
            "a\x7fb",
        ]
        .iter()
        .map(ToString::to_string)
        .collect();
        // Past the first block of 64 bytes, and across the boundary between blocks.
        for at in [0, 62, 63, 64, 65, 127, 130] {
            for insert in ["  ", "\n", "\r", "\x0b"] {
                let mut text = "word ".repeat(30);
                text.insert_str(at, insert);
                texts.push(text);
            }
        }
        texts.push("word ".repeat(40));
        for text in &texts {
            assert_eq!(needs_folding(text), needs_folding_plainly(text), "{text:?}");
        }
    }

    #[test]
    fn finds_whole_words_only() {
        let found = index().find("KH and Iran, not KHAN or Iranian.");
        let actors: Vec<usize> = found.iter().map(|m| m.actor).collect();
        assert_eq!(actors, vec![0, 1]);
    }

    #[test]
    fn folds_apostrophes_and_dashes() {
        let text = "Kata’ib Hezbollah and Kata’ib Sayyid al‐Shuhada";
        let found = index().find(text);
        assert_eq!(found.len(), 2);
        assert_eq!(&text[found[0].start..found[0].end], "Kata’ib Hezbollah");
        assert_eq!(
            &text[found[1].start..found[1].end],
            "Kata’ib Sayyid al‐Shuhada"
        );
    }

    #[test]
    fn names_match_across_whitespace_runs_and_line_breaks() {
        let index = MentionIndex::new([
            (0, "Kata'ib Hezbollah"),
            (1, "United States"),
            (2, "Islamic Revolutionary Guard Corps"),
        ]);
        for text in [
            "Kata'ib\nHezbollah",
            "Kata’ib \n  Hezbollah",
            "Kata'ib\tHezbollah",
            "Kata'ib\u{a0}Hezbollah",
        ] {
            let found = index.find(text);
            assert_eq!(found.len(), 1, "{text:?}");
            assert_eq!((found[0].start, found[0].end), (0, text.len()), "{text:?}");
        }
        let text = "the United\r\nStates and the Islamic Revolutionary Guard\nCorps.";
        let found = index.find(text);
        let names: Vec<&str> = found.iter().map(|m| &text[m.start..m.end]).collect();
        assert_eq!(
            names,
            ["United\r\nStates", "Islamic Revolutionary Guard\nCorps"]
        );
        assert!(index.find("UnitedStates").is_empty());
    }

    #[test]
    fn folding_is_needed_only_for_variants_and_odd_whitespace() {
        assert!(!needs_folding("plain text, single spaces"));
        assert!(needs_folding("two  spaces"));
        assert!(needs_folding("a\nb"));
        assert!(needs_folding("Kata’ib"));
        assert!(needs_folding("é\u{a0}b"));
        assert!(!needs_folding("é b"));
        assert!(needs_folding("é  b"));
    }

    #[test]
    fn case_sensitive() {
        assert!(index().find("iran").is_empty());
    }
}
