//! Text to search terms: words (Unicode word boundaries, UAX #29), each lowercased and
//! folded (Latin and Greek accents, Arabic vowel marks), then stemmed (Snowball, in the
//! site's language). Chinese, Japanese and Korean ideographs and kana are not cut into
//! words: each run of them gives its overlapping character pairs (bigrams), and its last
//! character alone. The browser folds a query the same way (`theme/search.js`), but never
//! stems: the index maps each word to its stems instead.

use std::borrow::Cow;

use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;

/// One word of a text, as searched for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// The word, lowercased and folded: what a reader types.
    pub key: String,
    /// Its stem (folded), which the index lists documents under.
    pub stem: String,
}

/// Cuts text into words and makes their terms, for one language.
pub struct Tokenizer {
    stemmer: Option<Stemmer>,
}

impl std::fmt::Debug for Tokenizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tokenizer")
            .field("stems", &self.stemmer.is_some())
            .finish()
    }
}

/// The Snowball algorithm for a language tag (`en`, `fr-CA`…), if there is one.
pub fn algorithm(language: &str) -> Option<Algorithm> {
    let primary = language
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    Some(match primary.as_str() {
        "ar" => Algorithm::Arabic,
        "da" => Algorithm::Danish,
        "nl" => Algorithm::Dutch,
        "en" => Algorithm::English,
        "fi" => Algorithm::Finnish,
        "fr" => Algorithm::French,
        "de" => Algorithm::German,
        "el" => Algorithm::Greek,
        "hu" => Algorithm::Hungarian,
        "it" => Algorithm::Italian,
        "no" | "nb" | "nn" => Algorithm::Norwegian,
        "pt" => Algorithm::Portuguese,
        "ro" => Algorithm::Romanian,
        "ru" => Algorithm::Russian,
        "es" => Algorithm::Spanish,
        "sv" => Algorithm::Swedish,
        "ta" => Algorithm::Tamil,
        "tr" => Algorithm::Turkish,
        _ => return None,
    })
}

impl Tokenizer {
    /// A tokenizer for `language` (a language tag); languages Snowball lacks are not
    /// stemmed.
    pub fn new(language: &str) -> Tokenizer {
        Tokenizer {
            stemmer: algorithm(language).map(Stemmer::create),
        }
    }

    /// Calls `word` with each word of `text`, as written (ideograph pairs for CJK runs).
    /// White space always separates words: each piece between spaces is cut alone, the
    /// ASCII ones without the Unicode tables (the same words, faster). Consecutive ASCII
    /// pieces are cut as one run: no word joins across white space.
    pub fn words(text: &str, mut word: impl FnMut(&str)) {
        let bytes = text.as_bytes();
        // Where the text not yet cut starts: the ASCII run before the next piece that
        // is not all ASCII is cut in one pass, and that piece with the Unicode tables.
        let mut run = 0;
        while let Some(at) = first_non_ascii(&bytes[run..]).map(|at| run + at) {
            // ASCII white space is a char boundary, so these slices are whole characters.
            let start = bytes[..at]
                .iter()
                .rposition(u8::is_ascii_whitespace)
                .map_or(0, |space| space + 1);
            let end = bytes[at..]
                .iter()
                .position(u8::is_ascii_whitespace)
                .map_or(bytes.len(), |space| at + space);
            ascii_words(&text[run..start], &mut word);
            unicode_words(&text[start..end], &mut word);
            run = end;
        }
        ascii_words(&text[run..], &mut word);
    }

    /// The term of one word (from [`Tokenizer::words`]); `None` if nothing searchable is
    /// left of it.
    pub fn term(&self, word: &str) -> Option<Term> {
        let base = clean(word);
        if base.is_empty() {
            return None;
        }
        let key = fold(&base).into_owned();
        if key.is_empty() {
            return None;
        }
        let stem = match &self.stemmer {
            Some(stemmer) if !base.chars().any(is_cjk) => {
                let stemmed = stemmer.stem(&base);
                let folded = fold(&stemmed).into_owned();
                if folded.is_empty() {
                    key.clone()
                } else {
                    folded
                }
            }
            _ => key.clone(),
        };
        Some(Term { key, stem })
    }
}

/// The key of a word as a reader types it: lowercased, cleaned and folded, unstemmed.
pub fn key_of(word: &str) -> String {
    fold(&clean(word)).into_owned()
}

/// The words of a piece of text without ASCII white space that is not all ASCII, by
/// Unicode word boundaries (UAX #29); CJK runs become pairs.
fn unicode_words(piece: &str, word: &mut impl FnMut(&str)) {
    let mut run = String::new();
    for segment in piece.split_word_bounds() {
        let mut chars = segment.chars();
        let Some(first) = chars.next() else { continue };
        if is_cjk(first) && segment.chars().all(is_cjk) {
            run.push_str(segment);
            continue;
        }
        flush_cjk(&mut run, word);
        if segment.chars().any(char::is_alphanumeric) {
            if segment.chars().any(is_cjk) {
                // Mixed: cut into runs of CJK and of anything else.
                let mut other = String::new();
                for c in segment.chars() {
                    if is_cjk(c) {
                        if !other.is_empty() {
                            word(&other);
                            other.clear();
                        }
                        run.push(c);
                    } else {
                        flush_cjk(&mut run, word);
                        other.push(c);
                    }
                }
                flush_cjk(&mut run, word);
                if !other.is_empty() {
                    word(&other);
                }
            } else {
                word(segment);
            }
        }
    }
    flush_cjk(&mut run, word);
}

/// The position of the first byte of `bytes` that is not ASCII, looked for a block at a
/// time (checking a block is a few word-wide operations).
fn first_non_ascii(bytes: &[u8]) -> Option<usize> {
    const BLOCK: usize = 64;
    let mut offset = 0;
    for block in bytes.chunks(BLOCK) {
        if !block.is_ascii() {
            return block
                .iter()
                .position(|b| !b.is_ascii())
                .map(|at| offset + at);
        }
        offset += block.len();
    }
    None
}

/// What [`ascii_words`] makes of each byte: `a` for a letter, `0` for a digit, `_` for an
/// underscore, 0 for anything else.
const ASCII_CLASS: [u8; 256] = {
    let mut class = [0u8; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        class[c] = if b.is_ascii_alphabetic() {
            b'a'
        } else if b.is_ascii_digit() {
            b'0'
        } else if b == b'_' {
            b'_'
        } else {
            0
        };
        c += 1;
    }
    class
};

/// The words of an ASCII piece without white space, as UAX #29 cuts them: letters,
/// digits and `_` join; `.` and `'` join two letters or two digits, `:` two letters, `,`
/// and `;` two digits.
fn ascii_words(piece: &str, word: &mut impl FnMut(&str)) {
    let bytes = piece.as_bytes();
    let class = |c: u8| ASCII_CLASS[usize::from(c)];
    let mut i = 0;
    while i < bytes.len() {
        if class(bytes[i]) == 0 {
            i += 1;
            continue;
        }
        let start = i;
        let mut end = i + 1;
        loop {
            if end < bytes.len() && class(bytes[end]) != 0 {
                end += 1;
                continue;
            }
            if end + 1 < bytes.len() {
                let (before, after) = (class(bytes[end - 1]), class(bytes[end + 1]));
                let letters = before == b'a' && after == b'a';
                let digits = before == b'0' && after == b'0';
                let joins = match bytes[end] {
                    b'.' | b'\'' => letters || digits,
                    b':' => letters,
                    b',' | b';' => digits,
                    _ => false,
                };
                if joins {
                    end += 2;
                    continue;
                }
            }
            break;
        }
        let found = &piece[start..end];
        if found.bytes().any(|b| b.is_ascii_alphanumeric()) {
            word(found);
        }
        i = end;
    }
}

/// Emits the bigrams of a CJK run, and its last character alone (so a one-character
/// query finds it as a prefix), then empties it.
fn flush_cjk(run: &mut String, word: &mut impl FnMut(&str)) {
    if run.is_empty() {
        return;
    }
    let chars: Vec<(usize, char)> = run.char_indices().collect();
    for pair in chars.windows(2) {
        let end = pair[1].0 + pair[1].1.len_utf8();
        word(&run[pair[0].0..end]);
    }
    if let Some(&(last, _)) = chars.last() {
        word(&run[last..]);
    }
    run.clear();
}

/// Han ideographs, hiragana and katakana: scripts written without spaces between words.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF      // hiragana, katakana
        | 0x31F0..=0x31FF    // katakana extensions
        | 0x3400..=0x4DBF    // CJK extension A
        | 0x4E00..=0x9FFF    // CJK unified ideographs
        | 0xF900..=0xFAFF    // compatibility ideographs
        | 0xFF66..=0xFF9F    // halfwidth katakana
        | 0x20000..=0x2FA1F) // supplementary ideographs
}

/// Lowercase, without the punctuation a word may hold (`U.S.` → `us`, `Kata'ib` →
/// `kataib`), composed (NFC).
fn clean(word: &str) -> String {
    if word.is_ascii() {
        return word
            .bytes()
            .filter(u8::is_ascii_alphanumeric)
            .map(|b| char::from(b.to_ascii_lowercase()))
            .collect();
    }
    word.to_lowercase()
        .chars()
        .filter(|&c| c.is_alphanumeric() || is_combining_mark(c))
        .nfc()
        .collect()
}

/// Folds a lowercase word: compatibility forms decomposed (NFKD), the accents of Latin and
/// Greek letters and Arabic vowel marks dropped, a few letters spelled out (`ß` → `ss`,
/// `æ` → `ae`, final `ς` → `σ`), then composed again (NFC). Letters of other scripts keep
/// their marks.
pub fn fold(word: &str) -> Cow<'_, str> {
    if word.is_ascii() {
        return Cow::Borrowed(word);
    }
    let mut out = String::with_capacity(word.len());
    let mut latin_or_greek = false;
    for c in word.nfkd() {
        if is_combining_mark(c) {
            let accent = (0x300..=0x36F).contains(&(c as u32)) && latin_or_greek;
            let arabic = matches!(c as u32, 0x64B..=0x65F | 0x670);
            if !(accent || arabic) {
                out.push(c);
            }
            continue;
        }
        latin_or_greek = is_latin_or_greek(c);
        match c {
            'ß' => out.push_str("ss"),
            'æ' => out.push_str("ae"),
            'œ' => out.push_str("oe"),
            'ø' => out.push('o'),
            'đ' | 'ð' => out.push('d'),
            'ł' => out.push('l'),
            'ı' => out.push('i'),
            'þ' => out.push_str("th"),
            'ς' => out.push('σ'),
            c if c.is_alphanumeric() => out.push(c),
            _ => {}
        }
    }
    Cow::Owned(out.nfc().collect())
}

fn is_latin_or_greek(c: char) -> bool {
    c.is_ascii_alphabetic()
        || matches!(c as u32,
            0xC0..=0x24F | 0x1E00..=0x1EFF | 0x2C60..=0x2C7F | 0xA720..=0xA7FF
            | 0x370..=0x3FF | 0x1F00..=0x1FFF)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        Tokenizer::words(text, |w| out.push(w.to_string()));
        out
    }

    /// The words as cut piece by piece: every piece between ASCII white space alone, by
    /// the Unicode tables unless it is all ASCII. [`Tokenizer::words`] must cut the same.
    fn words_piece_by_piece(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut push = |w: &str| out.push(w.to_string());
        for piece in text.split(|c: char| c.is_ascii_whitespace()) {
            if piece.is_ascii() {
                ascii_words(piece, &mut push);
            } else {
                unicode_words(piece, &mut push);
            }
        }
        out
    }

    #[test]
    fn long_and_chosen_texts_cut_as_their_pieces_do() {
        let texts = [
            "",
            "plain words, and U.S. 1,000.5 e.g. Kata'ib",
            "Müller met Dvořák in Zürich\tand São Paulo\nthen 北京市 talks",
            "é",
            " é ",
            "éa b",
            "a bé",
            "x.é y",
            "ab\u{a0}cd ef",
            "end with accent: café",
            "café start",
            "trailing space ",
            "  many   spaces\r\n\x0c and tabs\t",
            "mixed日本語text and more 한국어 words",
            "a'b ü'c d.é 3,é",
        ];
        for text in texts {
            assert_eq!(words(text), words_piece_by_piece(text), "{text:?}");
        }
        // A long text with pieces that are not ASCII far apart and close together.
        let long: String = (0..500)
            .map(|i| match i % 7 {
                0 => "Zürich ".to_string(),
                3 => format!("word{i}, "),
                5 => "naïve-é ".to_string(),
                _ => format!("plain{i}.x "),
            })
            .collect();
        assert_eq!(words(&long), words_piece_by_piece(&long));
    }

    #[test]
    fn the_class_table_is_the_ascii_classes() {
        let class = |b: u8| ASCII_CLASS[usize::from(b)];
        for b in [b'a', b'm', b'z', b'A', b'Q', b'Z'] {
            assert_eq!(class(b), b'a', "{}", b as char);
        }
        for b in b'0'..=b'9' {
            assert_eq!(class(b), b'0', "{}", b as char);
        }
        assert_eq!(class(b'_'), b'_');
        // The neighbours of each range, punctuation, controls and every byte past ASCII.
        for b in [
            b'/', b':', b'@', b'[', b'`', b'{', b'.', b'\'', b' ', b'-', 0, 0x7f,
        ] {
            assert_eq!(class(b), 0, "byte {b}");
        }
        assert!((0x80..=0xff).all(|b| class(b) == 0));
        assert_eq!(first_non_ascii(b"abc"), None);
        let mut bytes = vec![b'a'; 200];
        bytes[130] = 0xc3;
        assert_eq!(first_non_ascii(&bytes), Some(130));
    }

    fn terms(language: &str, text: &str) -> Vec<(String, String)> {
        let t = Tokenizer::new(language);
        words(text)
            .iter()
            .filter_map(|w| t.term(w))
            .map(|t| (t.key, t.stem))
            .collect()
    }

    #[test]
    fn english_words_are_stemmed_and_keep_their_key() {
        assert_eq!(
            terms("en", "Sanctions, sanctioned; agencies."),
            [
                ("sanctions".into(), "sanction".into()),
                ("sanctioned".into(), "sanction".into()),
                ("agencies".into(), "agenc".into()),
            ]
        );
    }

    #[test]
    fn punctuation_inside_words_is_dropped() {
        let keys: Vec<String> = terms("en", "The U.S. and Kata'ib Hezbollah, 1,000 troops")
            .into_iter()
            .map(|(k, _)| k)
            .collect();
        assert_eq!(
            keys,
            ["the", "us", "and", "kataib", "hezbollah", "1000", "troops"]
        );
    }

    #[test]
    fn accents_fold() {
        assert_eq!(fold("québec"), "quebec");
        assert_eq!(fold("straße"), "strasse");
        assert_eq!(fold("ﬁnance"), "finance");
        assert_eq!(terms("en", "Québec")[0].0, "quebec");
        assert_eq!(terms("fr", "Montréal")[0].0, "montreal");
        // Greek accents and final sigma.
        assert_eq!(fold("οδός"), "οδοσ");
    }

    #[test]
    fn other_scripts_keep_their_letters() {
        // Cyrillic: й keeps its breve; the Russian stemmer runs for a Russian site.
        assert_eq!(
            terms("ru", "Санкции")[0],
            ("санкции".into(), "санкц".into())
        );
        assert_eq!(terms("en", "Бийск")[0].0, "бийск");
        // Arabic: vowel marks fold away.
        assert_eq!(terms("en", "بَغْدَاد")[0].0, "بغداد");
        // Korean stays whole, composed.
        assert_eq!(terms("en", "서울에서")[0].0, "서울에서");
    }

    #[test]
    fn cjk_runs_give_bigrams_and_their_last_character() {
        assert_eq!(words("北京大学 is"), ["北京", "京大", "大学", "学", "is"]);
        assert_eq!(words("東京タワー"), ["東京", "京タ", "タワ", "ワー", "ー"]);
        assert_eq!(words("中"), ["中"]);
    }

    /// 20,000 texts of up to `max_len - 1` pieces of `alphabet`, from a xorshift
    /// generator started at `seed`: the same texts on every run.
    fn random_texts(mut seed: u64, max_len: u64, alphabet: &[&str]) -> Vec<String> {
        (0..20_000)
            .map(|_| {
                let len = seed % max_len;
                (0..len)
                    .map(|_| {
                        seed ^= seed << 13;
                        seed ^= seed >> 7;
                        seed ^= seed << 17;
                        alphabet[(seed % alphabet.len() as u64) as usize]
                    })
                    .collect()
            })
            .collect()
    }

    /// The ASCII path cuts exactly where Unicode's word boundaries do.
    #[test]
    fn ascii_words_are_unicode_words() {
        let alphabet = [
            "a", "b", "1", "_", ".", ",", ":", ";", "'", " ", "-", "!", "\n", "\t", "Z", "9",
        ];
        for text in random_texts(0x2545_f491_4f6c_dd1d, 12, &alphabet) {
            let mut fast = Vec::new();
            Tokenizer::words(&text, |w| fast.push(w.to_string()));
            let mut slow = Vec::new();
            unicode_words(&text, &mut |w: &str| slow.push(w.to_string()));
            assert_eq!(fast, slow, "{text:?}");
        }
    }

    #[test]
    fn ascii_runs_cut_as_their_pieces_do() {
        let alphabet = [
            "a", "b", "1", ".", "'", " ", "\n", "\u{e9}", "\u{2019}", "\u{6771}", "\u{4eac}", "-",
        ];
        for text in random_texts(0x9e37_79b9_7f4a_7c15, 16, &alphabet) {
            assert_eq!(words(&text), words_piece_by_piece(&text), "{text:?}");
        }
    }

    #[test]
    fn unknown_languages_are_not_stemmed() {
        assert_eq!(
            terms("xx", "running")[0],
            ("running".into(), "running".into())
        );
        assert!(algorithm("en-GB").is_some());
        assert!(algorithm("ja").is_none());
    }
}
