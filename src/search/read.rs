//! Reads the index as `theme/search.js` does in the browser, file by file: the reference
//! implementation of a query, for tests, for measuring what a query transfers, and for
//! checking that an edit has become searchable. Counts the bytes of every file it loads.
//!
//! A query: its words are looked up by key (the last one, still being typed, as a
//! prefix); each word stands for its stems, a document's score is the sum over the words
//! of BM25 (idf × the posting's weight), and a document must have every word. Filters
//! intersect; results are by score or by number (newest first).

use std::collections::{HashMap, HashSet};
use std::io::Read;

use serde::Deserialize;

use super::format::{HAS_DOCS, HAS_POSTINGS, HAS_STEMS, MAGIC};
use super::tokenize::{is_cjk, key_of, Tokenizer};

/// How much less a word found only as a prefix (or a shorter stem) counts.
pub const PREFIX_FACTOR: f64 = 0.5;
/// At most this many chunks are read for one prefix.
pub const PREFIX_CHUNKS: usize = 3;

/// The entry file.
#[derive(Debug, Clone, Deserialize)]
pub struct Entry {
    /// Documents indexed.
    pub docs: usize,
    /// Documents per fragment block.
    pub block: usize,
    /// What a weight byte of 1 stands for.
    pub scale: f64,
    /// `(first key, name)` of each chunk, by key.
    pub chunks: Vec<(String, String)>,
    /// The hash in the names of each block's fragments.
    pub blocks: Vec<String>,
    /// `(value, label, count)` of each kind.
    pub kinds: Vec<(String, String, usize)>,
    /// Topics, the same way.
    pub topics: Vec<(String, String, usize)>,
    /// Regions.
    pub regions: Vec<(String, String, usize)>,
    /// Actors.
    pub actors: Vec<(String, String, usize)>,
}

/// What a result shows of its document.
#[derive(Debug, Clone, Deserialize)]
pub struct Fragment {
    /// URL.
    #[serde(rename = "u")]
    pub url: String,
    /// Title.
    #[serde(rename = "t")]
    pub title: String,
    /// Kind (`brief`…).
    #[serde(rename = "k")]
    pub kind: String,
    /// Date, for readers.
    #[serde(rename = "d", default)]
    pub date: Option<String>,
    /// Plain text, for the excerpt.
    #[serde(rename = "x")]
    pub text: String,
}

/// One record of a chunk.
#[derive(Debug, Clone, Default)]
struct Record {
    key: String,
    stems: Vec<String>,
    postings: Vec<(u32, u8)>,
    docs: Vec<u32>,
}

/// A query.
#[derive(Debug, Clone, Default)]
pub struct Query {
    /// What was typed.
    pub text: String,
    /// Only this kind (`brief`…).
    pub kind: Option<String>,
    /// Only documents with this topic (slug).
    pub topic: Option<String>,
    /// Only documents with this region (slug).
    pub region: Option<String>,
    /// Only documents of this actor (slug).
    pub actor: Option<String>,
    /// Newest first instead of by score.
    pub newest: bool,
}

impl Query {
    /// A query for `text`, no filter, by relevance.
    pub fn new(text: &str) -> Query {
        Query {
            text: text.to_string(),
            ..Query::default()
        }
    }
}

/// A result: the document's number and its score.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    /// Document number (index order).
    pub id: u32,
    /// Sum of its words' scores (0 without words).
    pub score: f64,
}

/// An index being read through `load` (a site path to the file's bytes).
pub struct Reader<L: FnMut(&str) -> Option<Vec<u8>>> {
    load: L,
    /// The entry file.
    pub entry: Entry,
    chunks: HashMap<usize, Vec<Record>>,
    /// Every file loaded, with its size as stored (compressed).
    pub fetched: Vec<(String, usize)>,
}

/// The words of a query, as `(key, prefix)`: the last word is a prefix unless the text
/// ends with a space; a lone CJK character is always one; a CJK run stands for its pairs.
pub fn query_terms(text: &str) -> Vec<(String, bool)> {
    let mut words: Vec<String> = Vec::new();
    Tokenizer::words(text, |w| words.push(w.to_string()));
    let mut terms: Vec<(String, bool)> = Vec::new();
    let mut after_pair = false;
    for word in &words {
        let mut chars = word.chars();
        let first = chars.next().unwrap_or(' ');
        let cjk = is_cjk(first);
        let single = chars.next().is_none();
        if cjk && single {
            // The last character of a run: its pairs already hold it.
            if !after_pair {
                terms.push((word.clone(), true));
            }
            after_pair = false;
            continue;
        }
        after_pair = cjk;
        let key = key_of(word);
        if !key.is_empty() {
            terms.push((key, false));
        }
    }
    let typing = !text.ends_with(char::is_whitespace);
    if let (Some(last), Some(word)) = (terms.last_mut(), words.last()) {
        if typing && !word.chars().any(is_cjk) {
            last.1 = true;
        }
    }
    terms.dedup();
    terms
}

fn gunzip(bytes: &[u8]) -> Result<Vec<u8>, String> {
    if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(bytes)
            .read_to_end(&mut out)
            .map_err(|e| e.to_string())?;
        Ok(out)
    } else {
        Ok(bytes.to_vec())
    }
}

/// Reads a LEB128 varint at `*at`.
fn varint(bytes: &[u8], at: &mut usize) -> Result<u64, String> {
    let mut v = 0u64;
    let mut shift = 0;
    loop {
        let b = *bytes.get(*at).ok_or("chunk ends inside a number")?;
        *at += 1;
        v |= u64::from(b & 0x7f) << shift;
        if b < 0x80 {
            return Ok(v);
        }
        shift += 7;
        if shift > 63 {
            return Err("number too long".into());
        }
    }
}

fn take<'b>(bytes: &'b [u8], at: &mut usize, n: usize) -> Result<&'b [u8], String> {
    let slice = bytes.get(*at..*at + n).ok_or("chunk ends early")?;
    *at += n;
    Ok(slice)
}

fn gaps(bytes: &[u8], at: &mut usize) -> Result<Vec<u32>, String> {
    let n = varint(bytes, at)? as usize;
    let mut docs = Vec::with_capacity(n.min(1 << 20));
    let mut last = 0u64;
    for i in 0..n {
        let gap = varint(bytes, at)?;
        last = if i == 0 { gap } else { last + gap };
        docs.push(u32::try_from(last).map_err(|_| "document number too large")?);
    }
    Ok(docs)
}

/// Decodes a chunk.
fn decode(bytes: &[u8]) -> Result<Vec<Record>, String> {
    if !bytes.starts_with(MAGIC) {
        return Err("not a search chunk".into());
    }
    let mut at = MAGIC.len();
    let n = varint(bytes, &mut at)? as usize;
    let mut records = Vec::with_capacity(n.min(1 << 20));
    let mut previous: Vec<u8> = Vec::new();
    for _ in 0..n {
        let shared = varint(bytes, &mut at)? as usize;
        let len = varint(bytes, &mut at)? as usize;
        let mut key = previous.get(..shared).ok_or("bad prefix")?.to_vec();
        key.extend_from_slice(take(bytes, &mut at, len)?);
        let flags = take(bytes, &mut at, 1)?[0];
        let mut record = Record {
            key: String::from_utf8(key.clone()).map_err(|e| e.to_string())?,
            ..Record::default()
        };
        if flags & HAS_STEMS != 0 {
            for _ in 0..varint(bytes, &mut at)? {
                let shared = varint(bytes, &mut at)? as usize;
                let len = varint(bytes, &mut at)? as usize;
                let mut stem = key.get(..shared).ok_or("bad stem prefix")?.to_vec();
                stem.extend_from_slice(take(bytes, &mut at, len)?);
                record
                    .stems
                    .push(String::from_utf8(stem).map_err(|e| e.to_string())?);
            }
        }
        if flags & HAS_POSTINGS != 0 {
            let docs = gaps(bytes, &mut at)?;
            let weights = take(bytes, &mut at, docs.len())?;
            record.postings = docs.into_iter().zip(weights.iter().copied()).collect();
        }
        if flags & HAS_DOCS != 0 {
            record.docs = gaps(bytes, &mut at)?;
        }
        previous = key;
        records.push(record);
    }
    Ok(records)
}

impl<L: FnMut(&str) -> Option<Vec<u8>>> Reader<L> {
    /// Opens the index whose files `load` gives (by path under the output folder).
    pub fn open(mut load: L) -> Result<Self, String> {
        let bytes = load(super::ENTRY).ok_or("no search entry file")?;
        let fetched = vec![(super::ENTRY.to_string(), bytes.len())];
        let entry: Entry =
            serde_json::from_slice(&gunzip(&bytes)?).map_err(|e| format!("entry: {e}"))?;
        Ok(Reader {
            load,
            entry,
            chunks: HashMap::new(),
            fetched,
        })
    }

    fn file(&mut self, path: &str) -> Result<Vec<u8>, String> {
        let bytes = (self.load)(path).ok_or_else(|| format!("missing {path}"))?;
        self.fetched.push((path.to_string(), bytes.len()));
        gunzip(&bytes)
    }

    /// The chunk that holds `key` (if the index has it).
    fn chunk_of(&self, key: &str) -> usize {
        self.entry
            .chunks
            .partition_point(|(first, _)| first.as_str() <= key)
            .saturating_sub(1)
    }

    fn chunk(&mut self, i: usize) -> Result<&[Record], String> {
        if !self.chunks.contains_key(&i) {
            let name = self.entry.chunks.get(i).ok_or("no such chunk")?.1.clone();
            let records = decode(&self.file(&super::chunk_path(&name))?)?;
            self.chunks.insert(i, records);
        }
        Ok(self.chunks.get(&i).map_or(&[], Vec::as_slice))
    }

    fn record(&mut self, key: &str) -> Result<Option<Record>, String> {
        let i = self.chunk_of(key);
        Ok(self.chunk(i)?.iter().find(|r| r.key == key).cloned())
    }

    /// Records whose key starts with `prefix` (from at most [`PREFIX_CHUNKS`] chunks).
    fn prefixed(&mut self, prefix: &str) -> Result<Vec<Record>, String> {
        let mut found = Vec::new();
        let first = self.chunk_of(prefix);
        for i in first..(first + PREFIX_CHUNKS).min(self.entry.chunks.len()) {
            if i > first && !self.entry.chunks[i].0.starts_with(prefix) {
                break;
            }
            found.extend(
                self.chunk(i)?
                    .iter()
                    .filter(|r| r.key.starts_with(prefix))
                    .cloned(),
            );
        }
        Ok(found)
    }

    /// The stems a word stands for, each with its factor.
    fn stems_of(&mut self, key: &str, prefix: bool) -> Result<Vec<(String, f64)>, String> {
        let mut stems: Vec<(String, f64)> = Vec::new();
        let add = |record: &Record, factor: f64, stems: &mut Vec<(String, f64)>| {
            let own = (!record.postings.is_empty()).then(|| record.key.clone());
            for s in record.stems.iter().cloned().chain(own) {
                match stems.iter_mut().find(|(x, _)| *x == s) {
                    Some(found) => found.1 = found.1.max(factor),
                    None => stems.push((s, factor)),
                }
            }
        };
        if prefix {
            for record in self.prefixed(key)? {
                let factor = if record.key == key {
                    1.0
                } else {
                    PREFIX_FACTOR
                };
                add(&record, factor, &mut stems);
            }
        } else if let Some(record) = self.record(key)? {
            add(&record, 1.0, &mut stems);
        } else {
            // A form the site does not have: the longest shorter key that is a stem.
            let chars: Vec<char> = key.chars().collect();
            let shortest = chars.len().saturating_sub(4).max(3);
            for len in (shortest..chars.len()).rev() {
                let shorter: String = chars[..len].iter().collect();
                if let Some(record) = self.record(&shorter)? {
                    if !record.postings.is_empty() {
                        add(&record, PREFIX_FACTOR, &mut stems);
                        break;
                    }
                }
            }
        }
        Ok(stems)
    }

    /// The documents of one word, with their scores.
    fn word_scores(&mut self, key: &str, prefix: bool) -> Result<HashMap<u32, f64>, String> {
        let n = self.entry.docs as f64;
        let scale = self.entry.scale;
        let mut scores: HashMap<u32, f64> = HashMap::new();
        for (stem, factor) in self.stems_of(key, prefix)? {
            let Some(record) = self.record(&stem)? else {
                continue;
            };
            let df = record.postings.len() as f64;
            let idf = (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
            for &(doc, w) in &record.postings {
                let s = idf * f64::from(w) * scale * factor;
                let slot = scores.entry(doc).or_insert(0.0);
                *slot = slot.max(s);
            }
        }
        Ok(scores)
    }

    /// The documents of a filter value (`#k:brief`, `#t:<slug>`…).
    fn filter(&mut self, key: &str) -> Result<HashSet<u32>, String> {
        Ok(self
            .record(key)?
            .map(|r| r.docs.into_iter().collect())
            .unwrap_or_default())
    }

    /// Every result of `query`, best (or newest) first.
    pub fn search(&mut self, query: &Query) -> Result<Vec<Hit>, String> {
        let mut candidates: Option<HashMap<u32, f64>> = None;
        for (key, prefix) in query_terms(&query.text) {
            let scores = self.word_scores(&key, prefix)?;
            candidates = Some(match candidates {
                None => scores,
                Some(mut so_far) => {
                    so_far.retain(|doc, _| scores.contains_key(doc));
                    for (doc, s) in &mut so_far {
                        *s += scores[doc];
                    }
                    so_far
                }
            });
        }
        let filters = [
            query.kind.as_ref().map(|v| format!("#k:{v}")),
            query.topic.as_ref().map(|v| format!("#t:{v}")),
            query.region.as_ref().map(|v| format!("#r:{v}")),
            query.actor.as_ref().map(|v| format!("#a:{v}")),
        ];
        for key in filters.into_iter().flatten() {
            let docs = self.filter(&key)?;
            candidates = Some(match candidates {
                None => docs.into_iter().map(|d| (d, 0.0)).collect(),
                Some(mut so_far) => {
                    so_far.retain(|doc, _| docs.contains(doc));
                    so_far
                }
            });
        }
        let mut hits: Vec<Hit> = candidates
            .unwrap_or_default()
            .into_iter()
            .map(|(id, score)| Hit { id, score })
            .collect();
        if query.newest {
            hits.sort_by_key(|h| h.id);
        } else {
            hits.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.id.cmp(&b.id)));
        }
        Ok(hits)
    }

    /// What a result shows of document `id`.
    pub fn fragment(&mut self, id: u32) -> Result<Fragment, String> {
        if id as usize / self.entry.block.max(1) >= self.entry.blocks.len() {
            return Err("no such document".into());
        }
        let bytes = self.file(&super::fragment_path(id as usize))?;
        serde_json::from_slice(&bytes).map_err(|e| format!("fragment: {e}"))
    }

    /// The URLs of the first `n` results of `query` (loading their fragments).
    pub fn urls(&mut self, query: &Query, n: usize) -> Result<Vec<String>, String> {
        let hits = self.search(query)?;
        hits.iter()
            .take(n)
            .map(|h| self.fragment(h.id).map(|f| f.url))
            .collect()
    }

    /// Bytes loaded so far.
    pub fn transferred(&self) -> usize {
        self.fetched.iter().map(|(_, n)| n).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_words() {
        assert_eq!(
            query_terms("Québec sanc"),
            [("quebec".into(), false), ("sanc".into(), true)]
        );
        assert_eq!(query_terms("iraq "), [("iraq".into(), false)]);
        assert_eq!(
            query_terms("北京大学"),
            [
                ("北京".into(), false),
                ("京大".into(), false),
                ("大学".into(), false)
            ]
        );
        assert_eq!(query_terms("北"), [("北".into(), true)]);
    }
}
