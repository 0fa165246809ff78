//! Full-text search: the index under `search/` that `theme/search.js` reads in the
//! browser, without a server (docs/search.md has the format and the decisions).
//!
//! Takes [`Doc`]s (title, URL, kind, date, filter values) and, on demand, each one's plain
//! text; writes chunks of postings sorted by key and named by their content's hash, a
//! fragment per document (what a result shows), and a small entry file that lists the
//! chunks and the filter values. A query loads the entry, the chunks of its words, and the
//! fragments of the results it shows. Knows nothing of briefs or templates: the caller
//! says what a document is.
//!
//! A warm [`Cache`] keeps each document's terms by the hash of what they are made from,
//! the last index and the names of its chunks: after an edit, only the changed document
//! is tokenized again, its postings are patched into the last index, only the chunks that
//! hold a changed key are encoded again, and only files whose bytes changed are written.

mod format;
mod fragments;
mod index;
mod invert;
pub mod read;
pub mod text;
pub mod tokenize;

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use crate::date::Date;
use crate::fsutil::FsError;
use crate::hash::hash_of;
use crate::write::Sink;
use fragments::{Block, BlockOut, Work};
use index::{DocTerms, Interner, Scratch};
use invert::{Facet, Inverted};
use tokenize::Tokenizer;

/// The folder of every search file.
pub const DIR: &str = "search";
/// The entry file: what a query reads first.
pub const ENTRY: &str = "search/index.json.gz";
/// Documents per fragment block: the entry lists a version per block, which the client
/// adds to the address of the block's fragments.
pub const BLOCK: usize = 16;
/// Gzip level of chunks and the entry.
const LEVEL: u32 = 6;
/// Gzip level of fragments (many, each read alone).
const FRAGMENT_LEVEL: u32 = 1;
/// Longest text a fragment keeps for excerpts, in bytes (the index has all of it).
const FRAGMENT_TEXT: usize = 48 * 1024;
/// Fragment blocks tokenized in parallel before their terms go into the index (a build
/// keeps only one batch's terms at a time).
const BATCH: usize = 256;

/// What a document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A brief.
    Brief = 0,
    /// An actor.
    Actor = 1,
    /// An event.
    Event = 2,
    /// A free page.
    Page = 3,
}

impl Kind {
    /// Every kind, in the order filters list them.
    pub const ALL: [Kind; 4] = [Kind::Brief, Kind::Actor, Kind::Event, Kind::Page];

    /// `brief`, `actor`…: the filter value.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Brief => "brief",
            Kind::Actor => "actor",
            Kind::Event => "event",
            Kind::Page => "page",
        }
    }

    /// `Brief`, `Actor`…: what results show.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Brief => "Brief",
            Kind::Actor => "Actor",
            Kind::Event => "Event",
            Kind::Page => "Page",
        }
    }
}

/// One document to index, without its text.
#[derive(Debug, Clone, PartialEq)]
pub struct Doc {
    /// What it is.
    pub kind: Kind,
    /// Its page, under the base path.
    pub url: String,
    /// Its title (an actor's name).
    pub title: String,
    /// More text weighed like the title: aliases, a subtitle.
    pub boost: Vec<String>,
    /// Its date, if it has one: documents are numbered newest first.
    pub date: Option<Date>,
    /// That date as results show it, in the site's language (default: English).
    pub shown_date: Option<String>,
    /// Indexes into [`Labels::topics`] (sorted, no repeats).
    pub topics: Vec<usize>,
    /// Indexes into [`Labels::regions`].
    pub regions: Vec<usize>,
    /// Indexes into [`Labels::actors`].
    pub actors: Vec<usize>,
    /// A hash of everything its text is made from.
    pub hash: u64,
}

/// A filter value: its slug and what the filter control shows.
#[derive(Debug, Clone, PartialEq, Hash)]
pub struct Label {
    /// The value in URLs and the index.
    pub slug: String,
    /// What readers see.
    pub label: String,
}

/// The values of each filter.
#[derive(Debug, Clone, Default, PartialEq, Hash)]
pub struct Labels {
    /// Topics.
    pub topics: Vec<Label>,
    /// Regions.
    pub regions: Vec<Label>,
    /// Actors.
    pub actors: Vec<Label>,
    /// What results show for each kind, in the order of [`Kind::ALL`], in the site's
    /// language (empty: [`Kind::label`]).
    pub kinds: Vec<String>,
}

impl Labels {
    fn of(&self, facet: Facet) -> &[Label] {
        match facet {
            Facet::Topic => &self.topics,
            Facet::Region => &self.regions,
            Facet::Actor => &self.actors,
        }
    }
}

/// What the index is made from.
pub struct Input<'a> {
    /// The site's language tag (stemming).
    pub language: &'a str,
    /// Every document.
    pub docs: Vec<Doc>,
    /// The filter values the documents refer to.
    pub labels: Labels,
    /// The plain text of document `i` (called at most once per document and rebuild).
    pub text: &'a (dyn Fn(usize) -> String + Sync),
}

/// What a warm session keeps between rebuilds. A build's cache is dropped with it.
#[derive(Default)]
pub struct Cache {
    /// Whether to keep anything (a warm session).
    keep: bool,
    language: String,
    interner: Arc<Interner>,
    /// Each document's terms, by [`Doc::hash`].
    terms: HashMap<u64, Arc<DocTerms>>,
    /// Each fragment block's version and its fragments' hashes, by a hash of what its
    /// fragments are made from.
    blocks: HashMap<u64, Block>,
    /// The last index, to patch.
    last: Option<Last>,
    /// The documents and labels last written, for the caller to update
    /// ([`Cache::take_docs`]).
    docs: Option<(Vec<Doc>, Labels)>,
}

/// The last index a warm session wrote.
struct Last {
    /// A hash of every document's place, kind, date and filter values, and the labels.
    order: u64,
    /// Per document number: [`Doc::hash`].
    hashes: Vec<u64>,
    /// Per document number: its terms.
    terms: Vec<Arc<DocTerms>>,
    inverted: Inverted,
    /// Chunk names, by first and last key.
    chunks: HashMap<(Box<str>, Box<str>), String>,
}

impl Cache {
    /// A cache that keeps what spares work on the next rebuild.
    pub fn warm() -> Cache {
        Cache {
            keep: true,
            ..Cache::default()
        }
    }

    /// The documents and labels of the last write, taken out (a warm cache's): a caller
    /// that knows which documents changed since can update them and write again.
    pub fn take_docs(&mut self) -> Option<(Vec<Doc>, Labels)> {
        self.docs.take()
    }
}

/// What [`write`] did.
#[derive(Debug, Default)]
pub struct Written {
    /// Every search file of the site, with a hash of its bytes (0 for files named by it).
    pub files: Vec<(String, u64)>,
    /// Files written.
    pub count: usize,
    /// Files that could not be written.
    pub problems: Vec<(String, FsError)>,
}

/// The path of document `id`'s fragment.
pub fn fragment_path(id: usize) -> String {
    format!("{DIR}/docs/{id}.json.gz")
}

/// The path of the chunk named `name`.
pub fn chunk_path(name: &str) -> String {
    format!("{DIR}/terms/{name}.bin.gz")
}

/// The documents in index order: newest first, undated last; then by kind and URL.
fn order(docs: &[Doc]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..docs.len()).collect();
    order.sort_by(|&a, &b| {
        let (a, b) = (&docs[a], &docs[b]);
        b.date
            .is_some()
            .cmp(&a.date.is_some())
            .then_with(|| b.date.cmp(&a.date))
            .then_with(|| (a.kind as u8).cmp(&(b.kind as u8)))
            .then_with(|| a.url.cmp(&b.url))
    });
    order
}

/// Writes the index of `input` into `sink`. `unchanged(path, hash)` says whether the last
/// rebuild wrote that file with that hash (always false in a build): such files are not
/// written again. A warm cache keeps the documents and labels ([`Cache::take_docs`]).
pub fn write(
    input: Input,
    cache: &mut Cache,
    sink: &dyn Sink,
    unchanged: &(dyn Fn(&str, u64) -> bool + Sync),
) -> Written {
    let out = write_index(&input, cache, sink, unchanged);
    if cache.keep {
        cache.docs = Some((input.docs, input.labels));
    }
    out
}

/// [`write`], but for the documents the cache keeps.
fn write_index(
    input: &Input,
    cache: &mut Cache,
    sink: &dyn Sink,
    unchanged: &(dyn Fn(&str, u64) -> bool + Sync),
) -> Written {
    if cache.language != input.language {
        let keep = cache.keep;
        *cache = Cache {
            keep,
            language: input.language.to_string(),
            ..Cache::default()
        };
    }
    let order = order(&input.docs);
    let docs: Vec<&Doc> = order.iter().map(|&i| &input.docs[i]).collect();
    let order_key = hash_of(&(
        docs.iter()
            .map(|d| (&d.url, d.kind, &d.date, &d.topics, &d.regions, &d.actors))
            .collect::<Vec<_>>(),
        &input.labels,
    ));
    let hashes: Vec<u64> = docs.iter().map(|d| d.hash).collect();
    let mut out = Written::default();
    let tokenized = tokenize(input, cache, &order, sink, unchanged, &mut out);
    let Tokenized {
        terms,
        builder,
        block_names,
        new_blocks,
    } = tokenized;
    let term_refs: Vec<&DocTerms> = terms.iter().map(|t| &**t).collect();
    let (inverted, dirty, old_chunks) = match patch_last(cache, order_key, &hashes, &term_refs) {
        Some(patched) => patched,
        None => {
            let inverted = match builder {
                Some(builder) => builder.finish(&cache.interner, &docs, &input.labels),
                None => invert::invert(&cache.interner, &docs, &term_refs, &input.labels),
            };
            (inverted, None, HashMap::new())
        }
    };
    drop(term_refs);
    let (chunk_list, chunk_names) = write_chunks(
        &inverted,
        dirty.as_deref(),
        &old_chunks,
        sink,
        unchanged,
        &mut out,
    );
    let entry = entry_json(input, &inverted, &chunk_list, &block_names, order.len());
    write_entry(&entry, sink, unchanged, &mut out);
    if cache.keep {
        cache.terms = docs
            .iter()
            .zip(&terms)
            .map(|(doc, t)| (doc.hash, Arc::clone(t)))
            .collect();
        cache.blocks = new_blocks;
        cache.last = Some(Last {
            order: order_key,
            hashes,
            terms,
            inverted,
            chunks: chunk_names,
        });
    }
    out
}

/// What tokenizing every document gave.
struct Tokenized {
    /// Every document's terms, in order (a warm session's), or none (a build's, whose
    /// terms went into `builder` a batch at a time).
    terms: Vec<Arc<DocTerms>>,
    builder: Option<invert::Builder>,
    /// Each block's version, in order.
    block_names: Vec<String>,
    /// Each block as written, by its key.
    new_blocks: HashMap<u64, Block>,
}

/// Tokenizes the documents (those `cache` does not have) and writes their fragments, a
/// batch of blocks at a time on every core. A warm session keeps every document's terms;
/// a build inverts them a batch at a time and drops them, so that they are never all in
/// memory at once.
fn tokenize(
    input: &Input,
    cache: &Cache,
    order: &[usize],
    sink: &dyn Sink,
    unchanged: &(dyn Fn(&str, u64) -> bool + Sync),
    out: &mut Written,
) -> Tokenized {
    let tokenizer = Tokenizer::new(input.language);
    let blocks = order.len().div_ceil(BLOCK);
    let mut done = Tokenized {
        terms: Vec::with_capacity(if cache.keep { order.len() } else { 0 }),
        builder: (!cache.keep).then(invert::Builder::default),
        block_names: Vec::with_capacity(blocks),
        new_blocks: HashMap::new(),
    };
    let work = Work {
        input,
        cache,
        tokenizer: &tokenizer,
        order,
        sink,
        unchanged,
    };
    let mut first = 0;
    while first < blocks {
        let batch = first..(first + BATCH).min(blocks);
        first = batch.end;
        let outs: Vec<BlockOut> = batch
            .into_par_iter()
            .map_init(
                || (Scratch::default(), format::Gzip::new(FRAGMENT_LEVEL)),
                |(words, gzip), b| {
                    let ids = b * BLOCK..((b + 1) * BLOCK).min(order.len());
                    fragments::block(&work, words, gzip, ids)
                },
            )
            .collect();
        for o in outs {
            let b = done.block_names.len();
            for (i, &hash) in o.block.hashes.iter().enumerate() {
                out.files.push((fragment_path(b * BLOCK + i), hash));
            }
            out.count += o.written;
            out.problems.extend(o.problems);
            done.block_names.push(o.block.version.clone());
            done.new_blocks.insert(o.key, o.block);
            match done.builder.as_mut() {
                Some(builder) => {
                    for t in &o.terms {
                        builder.add(t);
                    }
                }
                None => done.terms.extend(o.terms),
            }
        }
    }
    done
}

/// The last index patched for the documents whose text changed, when nothing else did
/// (the same documents in the same places with the same filter values, `order_key`):
/// the index, the keys whose records changed and the last chunks' names. `None` means
/// invert again.
fn patch_last(
    cache: &mut Cache,
    order_key: u64,
    hashes: &[u64],
    terms: &[&DocTerms],
) -> Option<Made> {
    let last = cache.last.take().filter(|l| l.order == order_key)?;
    let Last {
        hashes: old_hashes,
        terms: old_terms,
        mut inverted,
        chunks,
        ..
    } = last;
    let changed: Vec<(usize, &DocTerms)> = (0..hashes.len())
        .filter(|&d| old_hashes[d] != hashes[d])
        .map(|d| (d, &*old_terms[d]))
        .collect();
    let dirty = inverted.patch(&cache.interner, terms, &changed)?;
    Some((inverted, Some(dirty), chunks))
}

/// An index, the keys whose records changed (`None`: every key), and the names of the
/// chunks it was last written in.
type Made = (Inverted, Option<Vec<Box<str>>>, ChunkNames);

/// Writes the entry file unless it is unchanged.
fn write_entry(
    entry: &[u8],
    sink: &dyn Sink,
    unchanged: &(dyn Fn(&str, u64) -> bool + Sync),
    out: &mut Written,
) {
    let hash = crate::hash::stable_hash(entry);
    if !unchanged(ENTRY, hash) {
        match sink.write(ENTRY, &format::gzip(entry, LEVEL)) {
            Ok(()) => out.count += 1,
            Err(e) => out.problems.push((ENTRY.to_string(), e)),
        }
    }
    out.files.push((ENTRY.to_string(), hash));
}

/// A chunk's first and last key, and its name.
type ChunkNames = HashMap<(Box<str>, Box<str>), String>;

/// Cuts the index into chunks and writes those the last rebuild did not write. With
/// `dirty` (the keys a patch changed), a chunk between the same keys as one of `old`
/// without a dirty key is that chunk, and is not even encoded. Returns the entry's chunk
/// list and the chunks' names by first and last key.
fn write_chunks(
    inverted: &Inverted,
    dirty: Option<&[Box<str>]>,
    old: &ChunkNames,
    sink: &dyn Sink,
    unchanged: &(dyn Fn(&str, u64) -> bool + Sync),
    out: &mut Written,
) -> (Vec<(String, String)>, ChunkNames) {
    let ranges = format::cut(inverted);
    let written: Vec<(String, Option<Result<(), FsError>>)> = ranges
        .par_iter()
        .map_init(
            || format::Gzip::new(LEVEL),
            |gzip, range| {
                let first = &inverted.records[range.start].0;
                let last = &inverted.records[range.end.max(range.start + 1) - 1].0;
                let clean = dirty.is_some_and(|dirty| {
                    let from = dirty.partition_point(|k| k < first);
                    dirty.get(from).is_none_or(|k| k > last)
                });
                if clean {
                    if let Some(name) = old.get(&(first.clone(), last.clone())) {
                        if unchanged(&chunk_path(name), 0) {
                            return (name.clone(), None);
                        }
                    }
                }
                let raw = format::encode_chunk(inverted, range.clone());
                let name = format::name_of(&raw);
                let path = chunk_path(&name);
                if unchanged(&path, 0) {
                    return (name, None);
                }
                let result = sink.write(&path, &gzip.gzip(&raw));
                (name, Some(result))
            },
        )
        .collect();
    let mut list = Vec::with_capacity(written.len());
    let mut names = HashMap::with_capacity(written.len());
    for (range, (name, result)) in ranges.iter().zip(written) {
        let path = chunk_path(&name);
        match result {
            Some(Ok(())) => out.count += 1,
            Some(Err(e)) => out.problems.push((path.clone(), e)),
            None => {}
        }
        out.files.push((path, 0));
        let first = inverted.records[range.start].0.clone();
        let last = inverted.records[range.end.max(range.start + 1) - 1]
            .0
            .clone();
        // The first chunk starts at the beginning of the key space.
        let start = if list.is_empty() {
            String::new()
        } else {
            first.to_string()
        };
        list.push((start, name.clone()));
        names.insert((first, last), name);
    }
    (list, names)
}

/// The entry file's JSON.
fn entry_json(
    input: &Input,
    inverted: &Inverted,
    chunks: &[(String, String)],
    blocks: &[String],
    docs: usize,
) -> Vec<u8> {
    #[derive(Serialize)]
    struct Entry<'a> {
        version: u32,
        language: &'a str,
        docs: usize,
        block: usize,
        scale: f64,
        chunks: &'a [(String, String)],
        blocks: &'a [String],
        kinds: Vec<(&'static str, &'a str, usize)>,
        topics: Vec<(&'a str, &'a str, usize)>,
        regions: Vec<(&'a str, &'a str, usize)>,
        actors: Vec<(&'a str, &'a str, usize)>,
    }
    let facets = &inverted.facets;
    let values = |facet: Facet| -> Vec<(&str, &str, usize)> {
        let labels = input.labels.of(facet);
        facets
            .values
            .iter()
            .filter(|(f, _, _)| *f == facet)
            .map(|&(_, i, n)| (labels[i].slug.as_str(), labels[i].label.as_str(), n))
            .collect()
    };
    let entry = Entry {
        version: 1,
        language: input.language,
        docs,
        block: BLOCK,
        scale: index::MAX_WEIGHT / 255.0,
        chunks,
        blocks,
        kinds: Kind::ALL
            .iter()
            .zip(&facets.kinds)
            .enumerate()
            .filter(|(_, (_, &n))| n > 0)
            .map(|(i, (k, &n))| {
                let label = input.labels.kinds.get(i).map_or(k.label(), String::as_str);
                (k.name(), label, n)
            })
            .collect(),
        topics: values(Facet::Topic),
        regions: values(Facet::Region),
        actors: values(Facet::Actor),
    };
    serde_json::to_vec(&entry).unwrap_or_default()
}
