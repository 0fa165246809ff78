//! Fragments: what a result shows of its document (URL, title, kind, date, plain text),
//! one gzipped JSON file per document, written block by block (16 documents) together
//! with the tokenizing of the block's documents, so that each text is made once and
//! dropped at once.

use std::sync::Arc;

#[cfg(test)]
use serde::Serialize;

use super::index::{self, DocTerms, Scratch};
use super::tokenize::Tokenizer;
use super::{format, fragment_path, Cache, Doc, Input, FRAGMENT_TEXT};
use crate::date::Date;
use crate::escape;
use crate::fsutil::FsError;
use crate::hash::hash_of;
use crate::write::Sink;

/// A block of fragments as written: its version (a hash of its fragments, which the
/// client adds to their URLs) and each fragment's hash.
#[derive(Clone, Default)]
pub(super) struct Block {
    pub(super) version: String,
    pub(super) hashes: Vec<u64>,
}

/// One block's outcome.
pub(super) struct BlockOut {
    pub(super) terms: Vec<Arc<DocTerms>>,
    pub(super) key: u64,
    pub(super) block: Block,
    pub(super) written: usize,
    pub(super) problems: Vec<(String, FsError)>,
}

/// A fragment: what a result shows of its document.
#[cfg_attr(test, derive(Serialize))]
struct Fragment<'a> {
    u: &'a str,
    t: &'a str,
    k: &'static str,
    #[cfg_attr(test, serde(skip_serializing_if = "Option::is_none"))]
    d: Option<String>,
    x: &'a str,
}

impl Fragment<'_> {
    /// The fragment as compact JSON, its fields in this order (`d` left out when there is
    /// none): what `serde_json` writes for it, but escaping the long text a block at a time.
    fn to_json(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.x.len() + self.u.len() + self.t.len() + 64);
        out.extend_from_slice(b"{\"u\":");
        escape::json_string_into(&mut out, self.u);
        out.extend_from_slice(b",\"t\":");
        escape::json_string_into(&mut out, self.t);
        out.extend_from_slice(b",\"k\":");
        escape::json_string_into(&mut out, self.k);
        if let Some(d) = &self.d {
            out.extend_from_slice(b",\"d\":");
            escape::json_string_into(&mut out, d);
        }
        out.extend_from_slice(b",\"x\":");
        escape::json_string_into(&mut out, self.x);
        out.push(b'}');
        out
    }
}

/// What every block reads.
pub(super) struct Work<'a> {
    pub(super) input: &'a Input<'a>,
    pub(super) cache: &'a Cache,
    pub(super) tokenizer: &'a Tokenizer,
    pub(super) order: &'a [usize],
    pub(super) sink: &'a dyn Sink,
    pub(super) unchanged: &'a (dyn Fn(&str, u64) -> bool + Sync),
}

/// Tokenizes the documents of one block (those not cached) and writes its fragments
/// (unless the block is unchanged).
pub(super) fn block(
    work: &Work,
    words: &mut Scratch,
    gzip: &mut format::Gzip,
    ids: std::ops::Range<usize>,
) -> BlockOut {
    let Work {
        input,
        cache,
        tokenizer,
        order,
        sink,
        unchanged,
    } = *work;
    let docs: Vec<(usize, &Doc)> = ids.clone().map(|id| (id, &input.docs[order[id]])).collect();
    let key = hash_of(
        &docs
            .iter()
            .map(|(id, d)| (id, d.hash, &d.url, &d.title, &d.date, d.kind))
            .collect::<Vec<_>>(),
    );
    let cached = cache.blocks.get(&key).filter(|block| {
        docs.iter()
            .zip(&block.hashes)
            .all(|((id, _), &hash)| unchanged(&fragment_path(*id), hash))
    });
    let mut out = BlockOut {
        terms: Vec::with_capacity(docs.len()),
        key,
        block: cached.cloned().unwrap_or_default(),
        written: 0,
        problems: Vec::new(),
    };
    let mut fragments: Vec<Vec<u8>> = Vec::new();
    for &(id, doc) in &docs {
        let cached_terms = cache.terms.get(&doc.hash);
        let text = (cached_terms.is_none() || cached.is_none()).then(|| (input.text)(order[id]));
        let terms = match (cached_terms, &text) {
            (Some(t), _) => Arc::clone(t),
            (None, text) => {
                let mut titles: Vec<&str> = vec![&doc.title];
                titles.extend(doc.boost.iter().map(String::as_str));
                let text = text.as_deref().unwrap_or("");
                Arc::new(index::doc_terms(
                    tokenizer,
                    &cache.interner,
                    words,
                    &titles,
                    text,
                ))
            }
        };
        out.terms.push(terms);
        if cached.is_none() {
            let text = text.as_deref().unwrap_or("");
            let fragment = Fragment {
                u: &doc.url,
                t: &doc.title,
                k: doc.kind.name(),
                d: doc
                    .shown_date
                    .clone()
                    .or_else(|| doc.date.as_ref().map(Date::display)),
                x: truncate(text, FRAGMENT_TEXT),
            };
            fragments.push(fragment.to_json());
        }
    }
    if cached.is_none() {
        out.block.hashes = fragments
            .iter()
            .map(|f| crate::hash::stable_hash(f))
            .collect();
        out.block.version = format!("{:016x}", hash_of_all(&out.block.hashes))[..8].to_string();
        for (((id, _), bytes), &hash) in docs.iter().zip(&fragments).zip(&out.block.hashes) {
            let path = fragment_path(*id);
            if unchanged(&path, hash) {
                continue;
            }
            match sink.write(&path, &gzip.gzip(bytes)) {
                Ok(()) => out.written += 1,
                Err(e) => out.problems.push((path, e)),
            }
        }
    }
    out
}

/// A stable hash of hashes.
fn hash_of_all(hashes: &[u64]) -> u64 {
    let bytes: Vec<u8> = hashes.iter().flat_map(|h| h.to_le_bytes()).collect();
    crate::hash::stable_hash(&bytes)
}

/// `text` cut to at most `max` bytes, at a space.
fn truncate(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let cut = &text[..end];
    cut.rfind(' ').map_or(cut, |at| &cut[..at])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fragment_is_the_json_serde_writes() {
        let text = "A text with \"quotes\", a back\\slash, a tab\there, é and 北京.\n".repeat(5);
        for d in [None, Some("3 March 2024".to_string())] {
            let fragment = Fragment {
                u: "/briefs/a-\"b\"/",
                t: "Title <em>with</em> \u{1}",
                k: "brief",
                d,
                x: &text,
            };
            assert_eq!(
                String::from_utf8(fragment.to_json()).unwrap(),
                serde_json::to_string(&fragment).unwrap()
            );
        }
    }
}
