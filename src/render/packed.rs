//! A brief's body with its HTML compressed in memory, for one build of a large site.
//!
//! A build renders every body before any page (cross-references need all of them), and
//! pages, the site feed, `api/briefs.json` and the search index each read them in their
//! own stage: the HTML of every body was what made most of a large build's memory. A
//! one-shot build of a large site ([`super::bodies::PACK_ABOVE`]) packs each body as soon
//! as it is rendered: its HTML, the ids and
//! headings of its parts and the texts of its items go into one zstd block; what the
//! anchor checks, cross-references, cards and page heads read (mentions, summaries, word
//! count, hashes) stays as it is. A reader of the rest takes [`BriefBody::full`], which
//! decompresses a copy for as long as it needs it. A warm session (`briefly serve`) never
//! packs: it reads its bodies again after each change.

use std::borrow::Cow;
use std::cell::RefCell;

/// The zstd level bodies are packed at: the fastest of the usual levels, about 3× on
/// rendered briefs.
const LEVEL: i32 = 1;

thread_local! {
    /// Each thread's compression context, made once (making one allocates its tables).
    static COMPRESSOR: RefCell<Option<zstd::bulk::Compressor<'static>>> =
        RefCell::new(zstd::bulk::Compressor::new(LEVEL).ok());
    /// Each thread's decompression context.
    static DECOMPRESSOR: RefCell<Option<zstd::bulk::Decompressor<'static>>> =
        RefCell::new(zstd::bulk::Decompressor::new().ok());
}

use super::bodies::BriefBody;
use crate::markdown::RenderedBody;

/// The packed strings of a body, each as its length (8 bytes, little-endian) then its
/// bytes, compressed.
#[derive(Debug, Clone, Default)]
pub struct Packed {
    compressed: Box<[u8]>,
    /// The length of the strings with their lengths, uncompressed.
    len: usize,
}

/// Calls `f` on every string of `body` that only what shows the whole body reads (its
/// HTML, the ids and headings of its parts, the texts of its items), always in the same order (the order they
/// are packed in). What stays beside them decides how many there are.
fn each_html(body: &mut RenderedBody, f: &mut dyn FnMut(&mut String)) {
    let parts = &mut body.parts;
    f(&mut parts.intro);
    for list in [&mut parts.key_points, &mut parts.recommendations]
        .into_iter()
        .flatten()
    {
        f(&mut list.id);
        f(&mut list.title);
        for item in &mut list.items {
            if let Some(title) = &mut item.title {
                f(title);
            }
            if let Some(id) = &mut item.id {
                f(id);
            }
            f(&mut item.html);
            f(&mut item.text);
        }
        f(&mut list.notes);
    }
    for section in parts.background.iter_mut().chain(&mut parts.sections) {
        f(&mut section.id);
        f(&mut section.title);
        f(&mut section.html);
    }
    for entry in &mut body.toc {
        f(&mut entry.id);
        f(&mut entry.title);
    }
    for note in &mut body.footnotes {
        f(&mut note.id);
        f(&mut note.html);
    }
}

impl BriefBody {
    /// Compresses the HTML (and what goes with it) of this body and frees it (see the
    /// module's documentation). The hashes were computed from the whole body and stay.
    pub fn pack(&mut self) {
        if self.packed.is_some() {
            return;
        }
        let mut raw = Vec::new();
        each_html(&mut self.rendered, &mut |s| {
            raw.extend_from_slice(&(s.len() as u64).to_le_bytes());
            raw.extend_from_slice(s.as_bytes());
        });
        // Compressing into memory does not fail; if it did, the body would stay unpacked.
        let compressed = COMPRESSOR.with(|cell| match &mut *cell.borrow_mut() {
            Some(compressor) => compressor.compress(&raw).ok(),
            None => None,
        });
        let Some(compressed) = compressed else {
            return;
        };
        each_html(&mut self.rendered, &mut |s| *s = String::new());
        self.packed = Some(Packed {
            compressed: compressed.into_boxed_slice(),
            len: raw.len(),
        });
    }

    /// This body with all its HTML: itself, or a decompressed copy of a packed body.
    pub fn full(&self) -> Cow<'_, BriefBody> {
        let Some(packed) = &self.packed else {
            return Cow::Borrowed(self);
        };
        // Decompressing what `pack` compressed does not fail.
        let raw = DECOMPRESSOR.with(|cell| match &mut *cell.borrow_mut() {
            Some(decompressor) => decompressor.decompress(&packed.compressed, packed.len).ok(),
            None => None,
        });
        let Some(raw) = raw else {
            return Cow::Borrowed(self);
        };
        let mut body = self.clone();
        body.packed = None;
        let mut rest = raw.as_slice();
        each_html(&mut body.rendered, &mut |s| {
            let len = rest
                .split_first_chunk::<8>()
                .map_or(0, |(len, _)| u64::from_le_bytes(*len));
            let text = rest.get(8..).unwrap_or_default();
            let len = usize::try_from(len).unwrap_or(usize::MAX).min(text.len());
            let bytes = &text[..len];
            *s = match std::str::from_utf8(bytes) {
                Ok(text) => text.to_owned(),
                Err(_) => String::from_utf8_lossy(bytes).into_owned(),
            };
            rest = &text[len..];
        });
        Cow::Owned(body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::{Item, ListSection, Section};

    fn body() -> BriefBody {
        let mut body = BriefBody::default();
        let parts = &mut body.rendered.parts;
        parts.intro = "<p>Intro é</p>\n".to_string();
        parts.key_points = Some(ListSection {
            id: "key-points".to_string(),
            title: "Key points".to_string(),
            items: vec![Item {
                title: None,
                id: None,
                html: "<em>one</em>".to_string(),
                text: "one".to_string(),
            }],
            notes: String::new(),
            offset: 3,
        });
        parts.sections.push(Section {
            id: "s".to_string(),
            title: "A <code>section</code>".to_string(),
            html: "<p>text</p>".repeat(100),
            offset: 9,
        });
        body.summary_html = "<p>sum</p>".to_string();
        body.hash = 7;
        body
    }

    #[test]
    fn a_packed_body_decompresses_to_the_same_body() {
        let original = body();
        let mut packed = original.clone();
        packed.pack();
        assert!(packed.rendered.parts.intro.is_empty());
        assert!(packed.rendered.parts.sections[0].html.is_empty());
        // What is not HTML stays readable.
        assert_eq!(packed.summary_html, "<p>sum</p>");
        let items = &packed.rendered.parts.key_points.as_ref().unwrap().items;
        assert_eq!(items.len(), 1);
        assert!(items[0].text.is_empty());
        let full = packed.full();
        assert!(full.packed.is_none());
        assert_eq!(format!("{:?}", *full), format!("{original:?}"));
    }

    #[test]
    fn an_unpacked_body_is_its_own_full_body() {
        let original = body();
        assert!(matches!(original.full(), Cow::Borrowed(_)));
    }
}
