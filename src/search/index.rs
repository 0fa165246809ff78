//! Each document's terms, counted once per document (and kept by a warm session), and the
//! BM25 weight a posting gets. [`super::invert`] turns them into the index.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Mutex;

use rustc_hash::{FxHashMap, FxHasher};

use super::tokenize::Tokenizer;

/// BM25's term-frequency saturation.
pub const K1: f64 = 1.2;
/// BM25's length normalisation.
pub const B: f64 = 0.75;
/// Added to the weight of a term found in the title (or an alias, or the subtitle).
pub const TITLE_BONUS: f64 = 2.0;
/// The largest weight: what a posting's byte of 255 stands for.
pub const MAX_WEIGHT: f64 = K1 + 1.0 + TITLE_BONUS;
/// Document lengths (and their mean) are rounded to powers of this, so that an edit that
/// changes a length a little changes no weight (and no chunk) of the index.
const LENGTH_STEP: f64 = 1.05;

/// Strings to numbers, shared by the threads that tokenize (kept by a warm session, so
/// that the numbers of cached documents stay valid).
pub struct Interner {
    shards: Vec<Mutex<FxHashMap<Box<str>, u32>>>,
    next: AtomicU32,
}

impl Default for Interner {
    fn default() -> Self {
        Interner {
            shards: (0..64).map(|_| Mutex::default()).collect(),
            next: AtomicU32::new(0),
        }
    }
}

impl Interner {
    /// The number of `s`, given it the first time.
    pub fn id(&self, s: &str) -> u32 {
        use std::hash::{Hash, Hasher};
        let mut h = FxHasher::default();
        s.hash(&mut h);
        let shard = &self.shards[(h.finish() >> 58) as usize];
        let mut map = shard
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(&id) = map.get(s) {
            return id;
        }
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        map.insert(s.into(), id);
        id
    }

    /// Every string, by number.
    pub fn names(&self) -> Vec<Box<str>> {
        let mut names = Vec::new();
        self.extend_names(&mut names);
        names
    }

    /// Adds to `names` (every string up to its length, by number) the strings numbered
    /// since.
    pub fn extend_names(&self, names: &mut Vec<Box<str>>) {
        let known = names.len();
        let total = self.next.load(Ordering::Relaxed) as usize;
        if total <= known {
            return;
        }
        names.resize(total, Box::from(""));
        for shard in &self.shards {
            let map = shard
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            for (name, &id) in map.iter() {
                let id = id as usize;
                if (known..total).contains(&id) {
                    names[id].clone_from(name);
                }
            }
        }
    }
}

/// One document's terms.
#[derive(Debug, Default)]
pub struct DocTerms {
    /// Per stem: its number, how often it occurs in the text, and whether it occurs in the
    /// title; sorted by number.
    pub stems: Vec<(u32, u32, bool)>,
    /// Each word of the document whose key is not its stem: (key, stem) numbers, sorted.
    pub words: Vec<(u32, u32)>,
    /// Words in the text.
    pub len: u32,
}

/// What a thread keeps while it tokenizes: the key and stem numbers of the words it has
/// seen, and counters by stem number (cleared after each document).
#[derive(Default)]
pub struct Scratch {
    words: FxHashMap<String, Option<(u32, u32)>>,
    /// Per stem number: occurrences in the current document's text.
    counts: Vec<u32>,
    /// Per stem number: whether the current document's title has it.
    titled: Vec<bool>,
    /// Stems seen in the current document.
    touched: Vec<u32>,
    /// Per key number: the last document (by stamp) that listed it, and with which stem.
    listed: Vec<(u32, u32)>,
    stamp: u32,
}

impl Scratch {
    /// The key and stem numbers of a word.
    fn lookup(
        &mut self,
        tokenizer: &Tokenizer,
        interner: &Interner,
        word: &str,
    ) -> Option<(u32, u32)> {
        if let Some(&found) = self.words.get(word) {
            return found;
        }
        if self.words.len() > 500_000 {
            self.words.clear();
        }
        let found = tokenizer.term(word).map(|term| {
            let key = interner.id(&term.key);
            let stem = if term.stem == term.key {
                key
            } else {
                interner.id(&term.stem)
            };
            (key, stem)
        });
        self.words.insert(word.to_string(), found);
        found
    }

    /// Counts one occurrence; `words` gets the (key, stem) pair once per document.
    fn count(&mut self, key: u32, stem: u32, title: bool, words: &mut Vec<(u32, u32)>) {
        let s = stem as usize;
        let needed = (key.max(stem) as usize) + 1;
        if self.counts.len() < needed {
            let len = needed.next_power_of_two();
            self.counts.resize(len, 0);
            self.titled.resize(len, false);
            self.listed.resize(len, (u32::MAX, 0));
        }
        if self.counts[s] == 0 && !self.titled[s] {
            self.touched.push(stem);
        }
        if title {
            self.titled[s] = true;
        } else {
            self.counts[s] += 1;
        }
        if key != stem && self.listed[key as usize] != (self.stamp, stem) {
            self.listed[key as usize] = (self.stamp, stem);
            words.push((key, stem));
        }
    }
}

/// Tokenizes a document: `titles` weigh as its title, `text` is its body.
pub fn doc_terms(
    tokenizer: &Tokenizer,
    interner: &Interner,
    scratch: &mut Scratch,
    titles: &[&str],
    text: &str,
) -> DocTerms {
    scratch.stamp = scratch.stamp.wrapping_add(1);
    let mut words: Vec<(u32, u32)> = Vec::new();
    for title in titles {
        Tokenizer::words(title, |word| {
            if let Some((key, stem)) = scratch.lookup(tokenizer, interner, word) {
                scratch.count(key, stem, true, &mut words);
            }
        });
    }
    let mut len = 0u32;
    Tokenizer::words(text, |word| {
        if let Some((key, stem)) = scratch.lookup(tokenizer, interner, word) {
            scratch.count(key, stem, false, &mut words);
            len += 1;
        }
    });
    let mut stems: Vec<(u32, u32, bool)> = Vec::with_capacity(scratch.touched.len());
    for &stem in &scratch.touched {
        let s = stem as usize;
        stems.push((stem, scratch.counts[s], scratch.titled[s]));
        scratch.counts[s] = 0;
        scratch.titled[s] = false;
    }
    scratch.touched.clear();
    stems.sort_unstable();
    words.sort_unstable();
    words.dedup();
    words.shrink_to_fit();
    DocTerms { stems, words, len }
}

/// A length rounded to a power of [`LENGTH_STEP`].
pub fn rounded_length(len: f64) -> f64 {
    if len <= 1.0 {
        return 1.0;
    }
    LENGTH_STEP.powf((len.ln() / LENGTH_STEP.ln()).round())
}

/// A posting's weight as one byte (1–255): BM25's term-frequency part, plus the title
/// bonus.
pub fn weight(tf: u32, title: bool, len: f64, mean: f64) -> u8 {
    let tf = f64::from(tf);
    let tfn = if tf > 0.0 {
        tf * (K1 + 1.0) / (tf + K1 * (1.0 - B + B * len / mean))
    } else {
        0.0
    };
    let w = tfn + if title { TITLE_BONUS } else { 0.0 };
    // Within 1..=255 by construction; the cast cannot truncate.
    (w / MAX_WEIGHT * 255.0).round().clamp(1.0, 255.0) as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_grow_with_frequency_and_title() {
        let mean = 100.0;
        assert!(weight(1, false, 100.0, mean) < weight(3, false, 100.0, mean));
        assert!(weight(3, false, 100.0, mean) < weight(1, true, 100.0, mean));
        // Shorter documents weigh more for the same count.
        assert!(weight(2, false, 300.0, mean) < weight(2, false, 50.0, mean));
        assert_eq!(weight(0, true, 100.0, mean), 121);
    }

    #[test]
    fn lengths_round_to_steps() {
        assert_eq!(rounded_length(1000.0), rounded_length(1010.0));
        assert!(rounded_length(1000.0) < rounded_length(1200.0));
    }
}
