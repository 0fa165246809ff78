//! A brief's body with its HTML compressed in memory, for one build of a large site.
//!
//! A build renders every body before any page (cross-references need all of them), and
//! pages, the site feed, `api/briefs.json` and the search index each read them in their
//! own stage: the HTML of every body was what made most of a large build's memory. A
//! one-shot build of a large site ([`super::bodies::PACK_ABOVE`]) packs each body as soon
//! as it is rendered: its HTML and the ids and headings of its parts go into one zstd
//! block, the HTML and plain texts of its key points and recommendations into another;
//! what the anchor checks, cross-references, cards and page heads read (mentions,
//! summaries, word count, hashes) stays as it is. A reader of the rest takes
//! [`BriefBody::full`], which decompresses a copy for as long as it needs it;
//! `api/briefs.json`, which reads only the texts, takes [`BriefBody::item_texts`]. A warm session (`briefly serve`) never
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

/// One compressed run of strings, each as its length (8 bytes, little-endian) then its
/// bytes.
#[derive(Debug, Clone, Default)]
struct Block {
    compressed: Box<[u8]>,
    /// The length of the strings with their lengths, uncompressed.
    len: usize,
}

impl Block {
    /// The strings `each` calls its function on in `body`, compressed (`None` if the
    /// compressor could not be made).
    fn pack(body: &mut RenderedBody, each: Each) -> Option<Block> {
        let mut raw = Vec::new();
        each(body, &mut |s| {
            raw.extend_from_slice(&(s.len() as u64).to_le_bytes());
            raw.extend_from_slice(s.as_bytes());
        });
        let compressed = COMPRESSOR.with(|cell| match &mut *cell.borrow_mut() {
            Some(compressor) => compressor.compress(&raw).ok(),
            None => None,
        })?;
        Some(Block {
            compressed: compressed.into_boxed_slice(),
            len: raw.len(),
        })
    }

    /// The strings, in the order they were packed in, those whose position `keep` does not
    /// want left empty (`None` if the decompressor could not be made).
    fn strings(&self, keep: impl Fn(usize) -> bool) -> Option<Vec<String>> {
        let raw = DECOMPRESSOR.with(|cell| match &mut *cell.borrow_mut() {
            Some(decompressor) => decompressor.decompress(&self.compressed, self.len).ok(),
            None => None,
        })?;
        let mut strings = Vec::new();
        let mut rest = raw.as_slice();
        while let Some((len, text)) = rest.split_first_chunk::<8>() {
            let len = usize::try_from(u64::from_le_bytes(*len)).unwrap_or(usize::MAX);
            let bytes = &text[..len.min(text.len())];
            // `from_utf8` checks ASCII a word at a time; `from_utf8_lossy` goes byte by byte.
            strings.push(if !keep(strings.len()) {
                String::new()
            } else if let Ok(text) = std::str::from_utf8(bytes) {
                text.to_owned()
            } else {
                String::from_utf8_lossy(bytes).into_owned()
            });
            rest = &text[bytes.len()..];
        }
        Some(strings)
    }

    /// Puts the strings back where `each` finds them in `body`.
    fn unpack_into(&self, body: &mut RenderedBody, each: Each) -> bool {
        let Some(strings) = self.strings(|_| true) else {
            return false;
        };
        let mut strings = strings.into_iter();
        each(body, &mut |s| *s = strings.next().unwrap_or_default());
        true
    }
}

/// A body's HTML, in two blocks: the HTML and plain texts of its key points and
/// recommendations, the only part `api/briefs.json` reads ([`BriefBody::item_texts`]),
/// and the rest.
#[derive(Debug, Clone, Default)]
pub struct Packed {
    html: Block,
    items: Block,
}

/// Calls its function on some of a body's strings, always in the same order.
type Each = fn(&mut RenderedBody, &mut dyn FnMut(&mut String));

/// Calls `f` on every string of `body` that only what shows the whole body reads (its
/// HTML, the ids and headings of its parts) but the items' HTML ([`each_item`]), always
/// in the same order (the order they are packed in). What stays beside them decides how
/// many there are.
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

/// Calls `f` on the HTML and then the plain text of every key point, then of every
/// recommendation. Each text is its HTML without the markup, so zstd packs the pair for
/// little more than the HTML alone: apart, the texts took 40-60 MB more at the peak of a
/// 50k build.
fn each_item(body: &mut RenderedBody, f: &mut dyn FnMut(&mut String)) {
    let parts = &mut body.parts;
    for list in [&mut parts.key_points, &mut parts.recommendations]
        .into_iter()
        .flatten()
    {
        for item in &mut list.items {
            f(&mut item.html);
            f(&mut item.text);
        }
    }
}

/// The plain texts of a body's key points and recommendations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemTexts<'a> {
    /// Of the key points, in order.
    pub key_points: Vec<Cow<'a, str>>,
    /// Of the recommendations, in order.
    pub recommendations: Vec<Cow<'a, str>>,
}

impl BriefBody {
    /// Compresses the HTML (and what goes with it) of this body and frees it (see the
    /// module's documentation). The hashes were computed from the whole body and stay.
    pub fn pack(&mut self) {
        if self.packed.is_some() {
            return;
        }
        // Compressing into memory does not fail; if it did, the body would stay unpacked.
        let Some(html) = Block::pack(&mut self.rendered, each_html) else {
            return;
        };
        let Some(items) = Block::pack(&mut self.rendered, each_item) else {
            return;
        };
        each_html(&mut self.rendered, &mut |s| *s = String::new());
        each_item(&mut self.rendered, &mut |s| *s = String::new());
        self.packed = Some(Packed { html, items });
    }

    /// This body with all its HTML: itself, or a decompressed copy of a packed body.
    pub fn full(&self) -> Cow<'_, BriefBody> {
        let Some(packed) = &self.packed else {
            return Cow::Borrowed(self);
        };
        let mut body = self.clone();
        body.packed = None;
        // Decompressing what `pack` compressed does not fail.
        if !packed.html.unpack_into(&mut body.rendered, each_html)
            || !packed.items.unpack_into(&mut body.rendered, each_item)
        {
            return Cow::Borrowed(self);
        }
        Cow::Owned(body)
    }

    /// The plain texts of the key points and recommendations, without decompressing the
    /// rest of a packed body.
    pub fn item_texts(&self) -> ItemTexts<'_> {
        let parts = &self.rendered.parts;
        let lists = [&parts.key_points, &parts.recommendations];
        // Decompressing what `pack` compressed does not fail.
        let packed = self
            .packed
            .as_ref()
            .and_then(|packed| packed.items.strings(|i| i % 2 == 1));
        let [key_points, recommendations] = match packed {
            Some(strings) => {
                // Each item's HTML, then its text.
                let mut texts = strings.into_iter().skip(1).step_by(2).map(Cow::Owned);
                lists.map(|list| {
                    let count = list.as_ref().map_or(0, |list| list.items.len());
                    texts.by_ref().take(count).collect()
                })
            }
            None => lists.map(|list| {
                list.iter()
                    .flat_map(|list| &list.items)
                    .map(|item| Cow::Borrowed(item.text.as_str()))
                    .collect()
            }),
        };
        ItemTexts {
            key_points,
            recommendations,
        }
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
        parts.recommendations = Some(ListSection {
            id: "recommendations".to_string(),
            title: "Recommendations".to_string(),
            items: ["Act <em>now</em>", "Wait"]
                .iter()
                .map(|html| Item {
                    title: Some("T".to_string()),
                    id: Some("r".to_string()),
                    html: (*html).to_string(),
                    text: html.replace("<em>", "").replace("</em>", ""),
                })
                .collect(),
            notes: "<p>n</p>".to_string(),
            offset: 5,
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
    fn the_item_texts_of_a_packed_body_are_those_of_the_body() {
        let original = body();
        let mut packed = original.clone();
        packed.pack();
        let texts = packed.item_texts();
        assert_eq!(texts, original.item_texts());
        assert_eq!(texts.key_points, ["one"]);
        assert_eq!(texts.recommendations, ["Act now", "Wait"]);
        assert!(matches!(texts.key_points[0], Cow::Owned(_)));
        // Without key points, the recommendations' texts are still the recommendations'.
        let mut original = body();
        original.rendered.parts.key_points = None;
        let mut packed = original.clone();
        packed.pack();
        assert!(packed.item_texts().key_points.is_empty());
        assert_eq!(packed.item_texts().recommendations, ["Act now", "Wait"]);
    }

    #[test]
    fn an_unpacked_body_is_its_own_full_body() {
        let original = body();
        assert!(matches!(original.full(), Cow::Borrowed(_)));
    }
}
