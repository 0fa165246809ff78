//! The index before it is cut into chunks: the postings of every stem (documents and
//! weights), the stems of every word that is not its own stem, the documents of every
//! filter value, and the records in key order. Made whole by [`invert`] (or, a document at
//! a time, by a [`Builder`], which a build uses so as not to keep every document's terms);
//! a warm session [`Inverted::patch`]es it for the documents that changed.

use rustc_hash::{FxHashMap, FxHashSet};

use super::index::{rounded_length, weight, DocTerms, Interner};
use super::{Doc, Kind, Labels};

/// A document's number and its weight for a stem, in five bytes rather than a tuple's
/// eight: postings are most of the memory an index takes. While a [`Builder`] makes the
/// index, the last byte holds the document's count of the stem (at most
/// [`SMALL_COUNT`]) times 2 plus the title flag instead; [`Builder::finish`] turns it into
/// the weight in place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Posting {
    doc: [u8; 4],
    last: u8,
}

impl Posting {
    /// A posting of document `doc` with `weight`.
    pub fn new(doc: u32, weight: u8) -> Posting {
        Posting {
            doc: doc.to_le_bytes(),
            last: weight,
        }
    }

    /// The document's number.
    pub fn doc(self) -> u32 {
        u32::from_le_bytes(self.doc)
    }

    /// The document's weight for the stem.
    pub fn weight(self) -> u8 {
        self.last
    }
}

/// What a record is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rec {
    /// A word or stem, by number: its stems (if it is a word with others) and its
    /// postings (if it is a stem).
    Term(u32),
    /// A filter value, by index into [`Inverted::filters`].
    Filter(u32),
}

/// The index, before it is cut into chunks.
pub struct Inverted {
    /// Every string, by number.
    pub names: Vec<Box<str>>,
    /// Per stem number: its postings, by document.
    pub postings: Vec<Vec<Posting>>,
    /// Per word number: the stems it leads to, other than itself, by name.
    pub aliases: Vec<Vec<u32>>,
    /// How many documents have each (word, stem) pair.
    pair_counts: FxHashMap<(u32, u32), u32>,
    /// Records, by key.
    pub records: Vec<(Box<str>, Rec)>,
    /// Documents of each filter value: the kinds, then [`Facets::values`].
    pub filters: Vec<Vec<u32>>,
    /// The filter values, for the entry file.
    pub facets: Facets,
    /// The mean document length, rounded.
    mean: f64,
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

fn mean_length(terms: &[&DocTerms]) -> f64 {
    if terms.is_empty() {
        return 1.0;
    }
    let total: f64 = terms.iter().map(|t| f64::from(t.len)).sum();
    rounded_length(total / terms.len() as f64)
}

/// Inverts the documents' terms (`terms[i]` belongs to `docs[i]`, in index order).
pub fn invert(
    interner: &Interner,
    docs: &[&Doc],
    terms: &[&DocTerms],
    labels: &Labels,
) -> Inverted {
    let mut builder = Builder::default();
    for t in terms {
        builder.add(t);
    }
    builder.finish(interner, docs, labels)
}

/// The largest count a raw posting holds itself; a stem found more often in a document
/// has its count in [`Builder::counts`].
const SMALL_COUNT: u32 = 127;

/// The index being made from documents given one at a time, in index order, so that a
/// build need not keep every document's terms: postings hold each document's count of
/// the stem (and the title flag) until [`Builder::finish`] knows the mean length and
/// turns them into weights.
#[derive(Default)]
pub struct Builder {
    /// Per stem number: its postings, by document, each holding the document's count of
    /// the stem and the title flag until [`Builder::finish`] (see [`Posting`]).
    raw: Vec<Vec<Posting>>,
    /// The counts above [`SMALL_COUNT`], by stem and document.
    counts: FxHashMap<(u32, u32), u32>,
    /// Per document: its length.
    lens: Vec<u32>,
    pair_counts: FxHashMap<(u32, u32), u32>,
}

impl Builder {
    /// Adds the next document's terms.
    pub fn add(&mut self, t: &DocTerms) {
        let d = u32::try_from(self.lens.len()).unwrap_or(u32::MAX);
        self.lens.push(t.len);
        for &(stem, tf, title) in &t.stems {
            let s = stem as usize;
            if self.raw.len() <= s {
                self.raw.resize_with(s + 1, Vec::new);
            }
            if tf >= SMALL_COUNT {
                self.counts.insert((stem, d), tf);
            }
            let small = u8::try_from(tf.min(SMALL_COUNT)).unwrap_or(u8::MAX >> 1);
            self.raw[s].push(Posting::new(d, small << 1 | u8::from(title)));
        }
        for &pair in &t.words {
            *self.pair_counts.entry(pair).or_default() += 1;
        }
    }

    /// The index of the documents added (`docs`, in the same order).
    pub fn finish(self, interner: &Interner, docs: &[&Doc], labels: &Labels) -> Inverted {
        let Builder {
            mut raw,
            counts,
            lens,
            pair_counts,
        } = self;
        let names = interner.names();
        let n = names.len();
        let mean = if lens.is_empty() {
            1.0
        } else {
            let total: f64 = lens.iter().map(|&l| f64::from(l)).sum();
            rounded_length(total / lens.len() as f64)
        };
        let lengths: Vec<f64> = lens.iter().map(|&l| rounded_length(f64::from(l))).collect();
        raw.resize_with(n.max(raw.len()), Vec::new);
        // Each count becomes a weight in place: the index takes no more memory than
        // the raw postings (less their spare capacity).
        let mut postings = raw;
        for (stem, list) in postings.iter_mut().enumerate() {
            for posting in list.iter_mut() {
                let d = posting.doc();
                let title = posting.last & 1 != 0;
                let tf = match u32::from(posting.last >> 1) {
                    SMALL_COUNT => counts
                        .get(&(stem as u32, d))
                        .copied()
                        .unwrap_or(SMALL_COUNT),
                    tf => tf,
                };
                posting.last = weight(tf, title, lengths[d as usize], mean);
            }
            list.shrink_to_fit();
        }
        finish(names, postings, pair_counts, mean, docs, labels)
    }
}

/// The records, aliases and filters of an index whose postings are made.
fn finish(
    names: Vec<Box<str>>,
    postings: Vec<Vec<Posting>>,
    pair_counts: FxHashMap<(u32, u32), u32>,
    mean: f64,
    docs: &[&Doc],
    labels: &Labels,
) -> Inverted {
    let n = names.len();
    let mut aliases: Vec<Vec<u32>> = vec![Vec::new(); n];
    for &(key, stem) in pair_counts.keys() {
        aliases[key as usize].push(stem);
    }
    for list in &mut aliases {
        if list.len() > 1 {
            list.sort_unstable_by(|a, b| names[*a as usize].cmp(&names[*b as usize]));
        }
    }
    let (filters, facets) = filters(docs, labels);
    let mut records: Vec<(Box<str>, Rec)> = (0..n)
        .filter(|&id| !postings[id].is_empty() || !aliases[id].is_empty())
        .map(|id| (names[id].clone(), Rec::Term(id as u32)))
        .collect();
    for (f, key) in filter_keys(&facets, labels).into_iter().enumerate() {
        records.push((key.into(), Rec::Filter(f as u32)));
    }
    records.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    Inverted {
        names,
        postings,
        aliases,
        pair_counts,
        records,
        filters,
        facets,
        mean,
    }
}

impl Inverted {
    /// Updates the index for the documents `changed` (by number, with the terms they had),
    /// whose terms are now `terms[d]`, when no document was added, removed or moved and
    /// no filter value changed. Returns the keys whose records changed, or `None` when the
    /// mean length moved and every weight must be computed again.
    pub fn patch(
        &mut self,
        interner: &Interner,
        terms: &[&DocTerms],
        changed: &[(usize, &DocTerms)],
    ) -> Option<Vec<Box<str>>> {
        let mean = mean_length(terms);
        if mean.to_bits() != self.mean.to_bits() {
            return None;
        }
        interner.extend_names(&mut self.names);
        let n = self.names.len();
        self.postings.resize(n, Vec::new());
        self.aliases.resize(n, Vec::new());
        let mut dirty: FxHashSet<u32> = FxHashSet::default();
        for &(d, old) in changed {
            let new = terms[d];
            let doc = d as u32;
            for &(stem, _, _) in &old.stems {
                if new.stems.binary_search_by_key(&stem, |s| s.0).is_err() {
                    let list = &mut self.postings[stem as usize];
                    if let Ok(i) = list.binary_search_by_key(&doc, |p| p.doc()) {
                        list.remove(i);
                        dirty.insert(stem);
                    }
                }
            }
            let len = rounded_length(f64::from(new.len));
            for &(stem, tf, title) in &new.stems {
                let w = weight(tf, title, len, mean);
                let list = &mut self.postings[stem as usize];
                match list.binary_search_by_key(&doc, |p| p.doc()) {
                    Ok(i) if list[i].weight() == w => {}
                    Ok(i) => {
                        list[i] = Posting::new(doc, w);
                        dirty.insert(stem);
                    }
                    Err(i) => {
                        list.insert(i, Posting::new(doc, w));
                        dirty.insert(stem);
                    }
                }
            }
            for pair in &old.words {
                if new.words.binary_search(pair).is_err() {
                    let count = self.pair_counts.entry(*pair).or_default();
                    *count = count.saturating_sub(1);
                    if *count == 0 {
                        self.pair_counts.remove(pair);
                        self.aliases[pair.0 as usize].retain(|&s| s != pair.1);
                        dirty.insert(pair.0);
                    }
                }
            }
            for &pair in &new.words {
                if old.words.binary_search(&pair).is_err() {
                    let count = self.pair_counts.entry(pair).or_default();
                    *count += 1;
                    if *count == 1 {
                        let names = &self.names;
                        let list = &mut self.aliases[pair.0 as usize];
                        list.push(pair.1);
                        list.sort_unstable_by(|a, b| names[*a as usize].cmp(&names[*b as usize]));
                        dirty.insert(pair.0);
                    }
                }
            }
        }
        let mut keys: Vec<Box<str>> = Vec::with_capacity(dirty.len());
        for id in dirty {
            let name = &self.names[id as usize];
            let exists =
                !self.postings[id as usize].is_empty() || !self.aliases[id as usize].is_empty();
            match (self.records.binary_search_by(|r| (*r.0).cmp(name)), exists) {
                (Ok(_), true) | (Err(_), false) => {}
                (Ok(i), false) => {
                    self.records.remove(i);
                }
                (Err(i), true) => self.records.insert(i, (name.clone(), Rec::Term(id))),
            }
            keys.push(name.clone());
        }
        keys.sort_unstable();
        Some(keys)
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
        let of = labels.of(facet);
        let mut order: Vec<usize> = (0..per_facet[f].len())
            .filter(|&v| !per_facet[f][v].is_empty())
            .collect();
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
    use crate::search::index::{doc_terms, Scratch};
    use crate::search::tokenize::Tokenizer;

    fn terms(interner: &Interner, texts: &[&str]) -> Vec<DocTerms> {
        let tokenizer = Tokenizer::new("en");
        let mut scratch = Scratch::default();
        texts
            .iter()
            .map(|t| doc_terms(&tokenizer, interner, &mut scratch, &["Title"], t))
            .collect()
    }

    /// A record as plain values: key, postings, stems.
    type Plain = (String, Vec<(u32, u8)>, Vec<String>);

    fn records(inv: &Inverted) -> Vec<Plain> {
        inv.records
            .iter()
            .map(|(key, rec)| match *rec {
                Rec::Term(id) => (
                    key.to_string(),
                    inv.postings[id as usize]
                        .iter()
                        .map(|p| (p.doc(), p.weight()))
                        .collect(),
                    inv.aliases[id as usize]
                        .iter()
                        .map(|&s| inv.names[s as usize].to_string())
                        .collect(),
                ),
                Rec::Filter(f) => (
                    key.to_string(),
                    inv.filters[f as usize].iter().map(|&d| (d, 0)).collect(),
                    Vec::new(),
                ),
            })
            .collect()
    }

    #[test]
    fn a_patch_gives_what_inverting_again_gives() {
        let interner = Interner::default();
        let docs: Vec<Doc> = (0..3)
            .map(|i| Doc {
                kind: Kind::Brief,
                url: format!("/b{i}/"),
                title: "Title".into(),
                boost: Vec::new(),
                date: None,
                shown_date: None,
                topics: Vec::new(),
                regions: Vec::new(),
                actors: Vec::new(),
                hash: i,
            })
            .collect();
        let docs: Vec<&Doc> = docs.iter().collect();
        let labels = Labels::default();
        // The same lengths before and after, so the mean stays.
        let before = terms(
            &interner,
            &["sanctions on oil", "militia rockets", "trade grew"],
        );
        let after = terms(
            &interner,
            &["sanctioned on grain", "militia rockets", "trade grew"],
        );
        let before_refs: Vec<&DocTerms> = before.iter().collect();
        let after_refs: Vec<&DocTerms> = after.iter().collect();
        let mut patched = invert(&interner, &docs, &before_refs, &labels);
        let dirty = patched
            .patch(&interner, &after_refs, &[(0, &before[0])])
            .expect("the mean length is the same");
        let fresh = invert(&interner, &docs, &after_refs, &labels);
        assert_eq!(records(&patched), records(&fresh));
        let dirty: Vec<&str> = dirty.iter().map(|k| &**k).collect();
        assert_eq!(dirty, ["grain", "oil", "sanctioned", "sanctions"]);
        // A longer text moves the mean: patching gives up.
        let longer = terms(
            &interner,
            &["a much longer text than before, by far", "x", "y"],
        );
        let longer_refs: Vec<&DocTerms> = longer.iter().collect();
        assert!(patched
            .patch(&interner, &longer_refs, &[(0, &after[0])])
            .is_none());
    }
}
