//! The inverted index in memory: each document's terms (counted once per document and
//! kept by a warm session), then the postings of every stem with precomputed BM25
//! weights, the words that lead to each stem, and the documents of each filter value.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Mutex;

use rustc_hash::{FxHashMap, FxHasher};

use super::tokenize::Tokenizer;
use super::{Doc, Kind, Labels};

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
        let mut names: Vec<Box<str>> =
            vec![Box::from(""); self.next.load(Ordering::Relaxed) as usize];
        for shard in &self.shards {
            let map = shard
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            for (name, &id) in map.iter() {
                if let Some(slot) = names.get_mut(id as usize) {
                    slot.clone_from(name);
                }
            }
        }
        names
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
    fn lookup(&mut self, tokenizer: &Tokenizer, interner: &Interner, word: &str) -> Option<(u32, u32)> {
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
fn rounded_length(len: f64) -> f64 {
    if len <= 1.0 {
        return 1.0;
    }
    LENGTH_STEP.powf((len.ln() / LENGTH_STEP.ln()).round())
}

/// A posting's weight as one byte (1–255): BM25's term-frequency part, plus the title
/// bonus.
fn weight(tf: u32, title: bool, len: f64, mean: f64) -> u8 {
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

/// What a record of the index holds.
#[derive(Debug, Clone, Copy)]
pub enum Body {
    /// A word whose stems are others (`alias` ranges into [`Inverted::alias_stems`]),
    /// and perhaps a stem too.
    Word {
        alias: (u32, u32),
        stem: Option<u32>,
    },
    /// A stem (or a word that is its own stem), with postings: its number.
    Stem(u32),
    /// A filter value, by index into [`Inverted::filters`].
    Filter(u32),
}

/// The whole index, before it is cut into chunks.
pub struct Inverted {
    /// Every string the records name, by number.
    pub names: Vec<Box<str>>,
    /// Records, sorted by key.
    pub records: Vec<(String, Body)>,
    /// Per stem number: its postings' range in `docs` and `weights`.
    pub ranges: Vec<(u32, u32)>,
    /// Document numbers of all postings, stem after stem.
    pub docs: Vec<u32>,
    /// Their weights.
    pub weights: Vec<u8>,
    /// Stems of words that are not their own stem.
    pub alias_stems: Vec<u32>,
    /// Documents of each filter value.
    pub filters: Vec<Vec<u32>>,
    /// The filter values, with their counts, for the entry file.
    pub facets: Facets,
}

/// Filter values with how many documents each has, in the order the entry lists them.
#[derive(Debug, Default)]
pub struct Facets {
    /// Per kind (in [`Kind::ALL`] order): documents.
    pub kinds: Vec<usize>,
    /// `(facet, index into its labels, count)`.
    pub values: Vec<(Facet, usize, usize)>,
}

/// A filter besides the kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Facet {
    /// `topics:` of briefs.
    Topic,
    /// `regions:` of briefs.
    Region,
    /// Actors a brief tags, an event involves, or the actor itself.
    Actor,
}

impl Facet {
    /// The prefix of this facet's keys in the index.
    pub fn prefix(self) -> &'static str {
        match self {
            Facet::Topic => "#t:",
            Facet::Region => "#r:",
            Facet::Actor => "#a:",
        }
    }
}

/// Inverts the documents' terms (`terms[i]` belongs to `docs[i]`, in index order).
pub fn invert(
    interner: &Interner,
    docs: &[&Doc],
    terms: &[&DocTerms],
    labels: &Labels,
) -> Inverted {
    let names = interner.names();
    let n = names.len();
    let mean = if terms.is_empty() {
        1.0
    } else {
        terms.iter().map(|t| f64::from(t.len)).sum::<f64>() / terms.len() as f64
    };
    let mean = rounded_length(mean);
    // Postings, stem by stem, in document order.
    let mut counts = vec![0u32; n];
    for t in terms {
        for &(stem, _, _) in &t.stems {
            counts[stem as usize] += 1;
        }
    }
    let mut ranges = Vec::with_capacity(n);
    let mut total = 0u32;
    for &c in &counts {
        ranges.push((total, total));
        total += c;
    }
    let mut doc_ids = vec![0u32; total as usize];
    let mut weights = vec![0u8; total as usize];
    for (d, t) in terms.iter().enumerate() {
        let len = rounded_length(f64::from(t.len));
        for &(stem, tf, title) in &t.stems {
            let slot = &mut ranges[stem as usize].1;
            doc_ids[*slot as usize] = d as u32;
            weights[*slot as usize] = weight(tf, title, len, mean);
            *slot += 1;
        }
    }
    // Words that lead to other stems: nearly always one stem each.
    const NONE: u32 = u32::MAX;
    let mut alias = vec![NONE; n];
    let mut extra: Vec<(u32, u32)> = Vec::new();
    for t in terms {
        for &(key, stem) in &t.words {
            let slot = &mut alias[key as usize];
            if *slot == NONE {
                *slot = stem;
            } else if *slot != stem {
                extra.push((key, stem));
            }
        }
    }
    extra.sort_unstable();
    extra.dedup();
    let mut alias_stems = Vec::new();
    let mut records: Vec<(String, Body)> = Vec::new();
    for id in 0..n {
        let has_postings = counts[id] > 0;
        let stem = has_postings.then_some(id as u32);
        if alias[id] == NONE {
            if has_postings {
                records.push((names[id].to_string(), Body::Stem(id as u32)));
            }
            continue;
        }
        let at = extra.partition_point(|&(k, _)| (k as usize) < id);
        let mut stems_of = vec![alias[id]];
        stems_of.extend(
            extra[at..]
                .iter()
                .take_while(|&&(k, _)| k as usize == id)
                .map(|&(_, s)| s),
        );
        stems_of.sort_unstable_by(|a, b| names[*a as usize].cmp(&names[*b as usize]));
        stems_of.dedup();
        let from = alias_stems.len() as u32;
        alias_stems.extend(stems_of);
        let to = alias_stems.len() as u32;
        records.push((
            names[id].to_string(),
            Body::Word {
                alias: (from, to),
                stem,
            },
        ));
    }
    let (filters, facets) = filters(docs, labels);
    for (f, key) in filter_keys(&facets, labels).into_iter().enumerate() {
        records.push((key, Body::Filter(f as u32)));
    }
    records.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    Inverted {
        names,
        records,
        ranges,
        docs: doc_ids,
        weights,
        alias_stems,
        filters,
        facets,
    }
}

/// The key of each filter list, in the order of [`filters`]'s lists.
fn filter_keys(facets: &Facets, labels: &Labels) -> Vec<String> {
    let mut keys: Vec<String> = Kind::ALL
        .iter()
        .map(|k| format!("#k:{}", k.name()))
        .collect();
    for &(facet, index, _) in &facets.values {
        keys.push(format!(
            "{}{}",
            facet.prefix(),
            labels.of(facet)[index].slug
        ));
    }
    keys
}

/// The documents of every filter value (kinds first, then the values of `facets`).
fn filters(docs: &[&Doc], labels: &Labels) -> (Vec<Vec<u32>>, Facets) {
    let mut lists: Vec<Vec<u32>> = vec![Vec::new(); Kind::ALL.len()];
    let mut per_facet: [Vec<Vec<u32>>; 3] = [
        vec![Vec::new(); labels.topics.len()],
        vec![Vec::new(); labels.regions.len()],
        vec![Vec::new(); labels.actors.len()],
    ];
    for (d, doc) in docs.iter().enumerate() {
        lists[doc.kind as usize].push(d as u32);
        for (f, values) in [&doc.topics, &doc.regions, &doc.actors]
            .into_iter()
            .enumerate()
        {
            for &v in values {
                if let Some(list) = per_facet[f].get_mut(v) {
                    if list.last() != Some(&(d as u32)) {
                        list.push(d as u32);
                    }
                }
            }
        }
    }
    let mut facets = Facets {
        kinds: lists.iter().map(Vec::len).collect(),
        values: Vec::new(),
    };
    for (f, facet) in [Facet::Topic, Facet::Region, Facet::Actor]
        .into_iter()
        .enumerate()
    {
        let mut order: Vec<usize> = (0..per_facet[f].len())
            .filter(|&v| !per_facet[f][v].is_empty())
            .collect();
        let of = labels.of(facet);
        order.sort_by(|&a, &b| {
            of[a]
                .label
                .to_lowercase()
                .cmp(&of[b].label.to_lowercase())
                .then_with(|| of[a].slug.cmp(&of[b].slug))
        });
        for v in order {
            let list = std::mem::take(&mut per_facet[f][v]);
            facets.values.push((facet, v, list.len()));
            lists.push(list);
        }
    }
    (lists, facets)
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
