//! Stage 3a, Markdown: one document's body to HTML, as small passes over pulldown-cmark's
//! event stream: merge text → heading ids → links → mentions → code highlighting → table
//! scroll containers → sections.
//!
//! Owns CommonMark options (tables, footnotes, strikethrough, task lists, smart
//! punctuation) and what each pass does. Pure per document: it reads the graph's indexes
//! through [`LinkContext`] and never writes shared state, so documents render in parallel.

pub mod footnotes;
pub mod highlight;
pub mod ids;
pub mod links;
pub mod mentions;
pub mod sections;
pub mod tables;

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use pulldown_cmark::{html, CowStr, Event, Options, Parser, Tag, TagEnd};

use crate::i18n::Locale;

use crate::config::Autolink;
use crate::diagnostics::Diagnostic;
use crate::load::Source;
use crate::resolve::MentionIndex;
use crate::url::UrlUse;
pub use ids::TocEntry;
pub use sections::{Item, ListSection, Parts, Section};

/// Events with their byte ranges in the body.
pub type Events<'a> = Vec<(Event<'a>, Range<usize>)>;

/// What the passes need to know of the rest of the site.
pub struct LinkContext<'g> {
    /// URL of every built Markdown file, by path relative to `content/`.
    pub urls: &'g HashMap<String, String>,
    /// Content paths of drafts left out.
    pub drafts: &'g [String],
    /// Content paths of assets.
    pub assets: &'g HashSet<&'g str>,
    /// Path of the site's root: site-absolute links and content assets are under it.
    pub base_path: &'g str,
    /// URL of each actor, by index.
    pub actor_urls: &'g [String],
    /// Which actor mentions become links (`site.yaml`'s `autolink`).
    pub autolink: Autolink,
    /// Keep raw HTML.
    pub unsafe_html: bool,
    /// The language of the bodies: the headings of structured sections.
    pub locale: &'g Locale,
}

/// An anchor into another file, to check once all heading ids are known.
#[derive(Debug, Clone)]
pub struct LinkCheck {
    /// Target path relative to `content/`.
    pub target: String,
    /// The id wanted in the target (after `#`).
    pub anchor: String,
    /// The destination as written.
    pub written: String,
    /// An error placed at the link (file, line, column, the line, the span), to fill in
    /// if the anchor is missing: the check runs after the source text may be freed.
    pub at: Diagnostic,
}

/// One document's body, rendered.
#[derive(Debug, Clone, Default)]
pub struct RenderedBody {
    /// Intro, structured sections and free sections, as HTML.
    pub parts: Parts,
    /// The H2 and H3 headings, for the table of contents.
    pub toc: Vec<TocEntry>,
    /// Every id an element of this body carries (headings, footnotes, fixed section ids).
    pub ids: Vec<String>,
    /// Actors mentioned, in order of first mention.
    pub mentions: Vec<usize>,
    /// Anchors into other files, checked once every body is rendered.
    pub link_checks: Vec<LinkCheck>,
    /// Problems found in this body (bad links, unsafe URLs…).
    pub diagnostics: Vec<Diagnostic>,
    /// Words in the body, for reading time.
    pub words: usize,
    /// Footnotes, numbered in order of first reference (already appended to `parts.intro`
    /// for unstructured documents).
    pub footnotes: Vec<footnotes::Footnote>,
    /// Whether a code block carries highlighting classes (its page links `syntax.css`).
    pub has_code: bool,
    /// See [`RenderedBody::output_hash`].
    pub hash: u64,
}

impl RenderedBody {
    /// A hash of everything a page shows of this body (computed when it was rendered).
    pub fn output_hash(&self) -> u64 {
        self.hash
    }

    /// Computes the hash of what a page shows of this body.
    pub fn compute_hash(&self) -> u64 {
        crate::hash::hash_of(&(
            &self.parts,
            &self.toc,
            &self.footnotes,
            self.words,
            self.has_code,
        ))
    }
}

/// CommonMark with the GitHub extensions and smart punctuation.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
}

/// How to render one body.
pub struct BodyInput<'a> {
    /// The file, for its body and for placing errors.
    pub source: &'a Source,
    /// Path relative to `content/`, for resolving relative links.
    pub content_path: &'a str,
    /// Cut into structured sections (briefs) or keep whole (everything else, in `intro`).
    pub structured: bool,
    /// Look for actor mentions (briefs only).
    pub mentions: Option<&'a MentionIndex>,
    /// Ids the template will give fixed sections (e.g. `key-points` from front matter).
    pub reserved_ids: &'a [&'a str],
}

/// Renders one body.
pub fn render_body(input: &BodyInput, ctx: &LinkContext) -> RenderedBody {
    let body = input.source.body();
    let parser = Parser::new_ext(body, options());
    let defs = links::ref_defs(&parser);
    let mut events: Events = parser.into_offset_iter().collect();
    if !ctx.unsafe_html {
        for (event, _) in &mut events {
            escape_raw_html(event);
        }
    }
    merge_text(&mut events);
    let mut out = RenderedBody::default();
    let mut id_allocator = ids::IdAllocator::default();
    for id in input.reserved_ids {
        id_allocator.reserve(id);
    }
    out.toc = ids::assign(&mut events, &mut id_allocator);
    links::rewrite(
        &mut events,
        input.source,
        &defs,
        input.content_path,
        ctx,
        &mut out.link_checks,
        &mut out.diagnostics,
    );
    out.words = events
        .iter()
        .map(|(e, _)| match e {
            Event::Text(t) => word_count(t),
            _ => 0,
        })
        .sum();
    if let Some(index) = input.mentions {
        out.mentions = mentions::link_mentions(&mut events, index, ctx);
    }
    out.has_code = highlight::highlight(&mut events);
    tables::wrap(&mut events);
    let (notes, footnote_ids) = footnotes::extract(&mut events);
    out.ids = id_allocator.into_ids();
    out.ids.extend(footnote_ids);
    if input.structured {
        out.parts = sections::split(&events, ctx.locale.sections());
    } else {
        let mut html_out = String::with_capacity(body.len() * 3 / 2);
        html::push_html(&mut html_out, events.into_iter().map(|(e, _)| e));
        html_out.push_str(&footnotes::to_html(&notes));
        html_out.shrink_to_fit();
        out.parts.intro = html_out;
    }
    out.footnotes = notes;
    // Bodies stay in memory until their page is written: keep only what they use.
    out.toc.shrink_to_fit();
    out.ids.shrink_to_fit();
    out.mentions.shrink_to_fit();
    out.hash = out.compute_hash();
    out
}

/// Joins runs of text events (pulldown-cmark splits text at quotes and entities), so
/// names are matched whole. Each run is copied once, into a string of its final size.
fn merge_text(events: &mut Events) {
    let mut out: Events = Vec::with_capacity(events.len());
    let mut pending = events.drain(..).peekable();
    while let Some((event, mut range)) = pending.next() {
        let Event::Text(first) = event else {
            out.push((event, range));
            continue;
        };
        if !matches!(pending.peek(), Some((Event::Text(_), _))) {
            out.push((Event::Text(first), range));
            continue;
        }
        let mut run = vec![first];
        while let Some((Event::Text(_), _)) = pending.peek() {
            if let Some((Event::Text(t), next)) = pending.next() {
                run.push(t);
                range.end = next.end;
            }
        }
        let mut joined = String::with_capacity(run.iter().map(|t| t.len()).sum());
        for t in &run {
            joined.push_str(t);
        }
        out.push((Event::Text(CowStr::from(joined)), range));
    }
    drop(pending);
    *events = out;
}

/// Turns raw HTML into text, which the writer escapes (`unsafe_html: false`): the
/// author's markup shows as written and nothing in it is live. An HTML block becomes a
/// paragraph of that text.
fn escape_raw_html(event: &mut Event) {
    *event = match std::mem::replace(event, Event::Rule) {
        Event::Html(html) | Event::InlineHtml(html) => Event::Text(html),
        Event::Start(Tag::HtmlBlock) => Event::Start(Tag::Paragraph),
        Event::End(TagEnd::HtmlBlock) => Event::End(TagEnd::Paragraph),
        other => other,
    };
}

/// Renders inline Markdown (a summary, a key point from front matter) without the
/// surrounding paragraph. A link or image whose scheme is not allowed (reported when the
/// front matter was loaded) is written as `#`.
pub fn render_inline(text: &str, unsafe_html: bool) -> String {
    let parser = Parser::new_ext(text, options()).map(|mut e| {
        if !unsafe_html {
            escape_raw_html(&mut e);
        }
        match &mut e {
            Event::Start(Tag::Link { dest_url, .. })
                if !crate::url::is_allowed(dest_url, UrlUse::Link) =>
            {
                *dest_url = CowStr::from("#");
            }
            Event::Start(Tag::Image { dest_url, .. })
                if !crate::url::is_allowed(dest_url, UrlUse::Image) =>
            {
                *dest_url = CowStr::from("#");
            }
            _ => {}
        }
        e
    });
    let mut out = String::with_capacity(text.len() + 16);
    html::push_html(&mut out, parser);
    let trimmed = out.trim();
    let inner = trimmed
        .strip_prefix("<p>")
        .and_then(|s| s.strip_suffix("</p>"))
        .filter(|s| !s.contains("<p>"))
        .unwrap_or(trimmed);
    inner.to_string()
}

/// Plain text of inline Markdown.
pub fn inline_text(text: &str) -> String {
    let events: Events = Parser::new_ext(text, options())
        .into_offset_iter()
        .collect();
    sections::plain_text(&events)
}

/// The words of `text`, as `split_whitespace` counts them (ASCII text byte by byte).
fn word_count(text: &str) -> usize {
    if !text.is_ascii() {
        return text.split_whitespace().count();
    }
    let mut words = 0;
    let mut in_word = false;
    for &b in text.as_bytes() {
        // `char::is_whitespace` of ASCII: `is_ascii_whitespace` and the vertical tab.
        let space = b.is_ascii_whitespace() || b == 0x0b;
        words += usize::from(!space && !in_word);
        in_word = !space;
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_count_counts_as_split_whitespace_does() {
        for text in [
            "",
            "   ",
            "one",
            " two  words ",
            "tabs\tand\nlines\r\nand\x0bvertical\x0cfeeds",
            "Kata\u{2019}ib\u{a0}Hezbollah and\u{2003}more",
        ] {
            assert_eq!(
                word_count(text),
                text.split_whitespace().count(),
                "{text:?}"
            );
        }
    }

    fn render(body: &str, structured: bool) -> RenderedBody {
        let source = crate::load::frontmatter::split(
            "content/briefs/a.md",
            format!("---\ntitle: A\n---\n{body}"),
        )
        .unwrap();
        let urls = HashMap::from([("briefs/b.md".to_string(), "/briefs/b/".to_string())]);
        let assets = HashSet::from(["briefs/map.png"]);
        let actor_urls = vec!["/actors/kh/".to_string(), "/actors/iran/".to_string()];
        let index = MentionIndex::new([(0, "Kata'ib Hezbollah"), (0, "KH"), (1, "Iran")]);
        let ctx = LinkContext {
            urls: &urls,
            drafts: &[],
            assets: &assets,
            base_path: "/",
            actor_urls: &actor_urls,
            autolink: Autolink::First,
            unsafe_html: true,
            locale: crate::i18n::english_ref(),
        };
        let input = BodyInput {
            source: &source,
            content_path: "briefs/a.md",
            structured,
            mentions: Some(&index),
            reserved_ids: &[],
        };
        render_body(&input, &ctx)
    }

    #[test]
    fn structured_sections() {
        let r = render(
            "Intro.\n\n## Key Points\n\n- One\n- Two\n\nAfter.\n\n## Background\n\nPast.\n\n## Free one\n\nText.\n\n## Recommendations for Canada\n\n1. Do\n2. Act\n",
            true,
        );
        let kp = r.parts.key_points.unwrap();
        assert_eq!(kp.id, "key-points");
        assert_eq!(kp.items.len(), 2);
        assert!(kp.notes.contains("After."));
        assert_eq!(r.parts.background.unwrap().id, "background");
        assert_eq!(r.parts.sections.len(), 1);
        let rec = r.parts.recommendations.unwrap();
        assert_eq!(rec.id, "recommendations-for-canada");
        assert_eq!(rec.items.len(), 2);
        assert!(r.parts.intro.contains("Intro."));
    }

    #[test]
    fn recommendations_from_h3() {
        let r = render(
            "## Recommendations\n\nLead.\n\n### Leave\n\nGo.\n\n### Talk\n\nSpeak.\n",
            true,
        );
        let rec = r.parts.recommendations.unwrap();
        assert_eq!(rec.items.len(), 2);
        assert_eq!(rec.items[0].id.as_deref(), Some("leave"));
        assert!(rec.notes.contains("Lead."));
    }

    #[test]
    fn h3_sub_sections_win_over_lists_inside_them() {
        let r = render(
            "## Recommendations\n\n### Leave\n\n- a\n- b\n\n### Talk\n\nSpeak.\n",
            true,
        );
        let rec = r.parts.recommendations.unwrap();
        assert_eq!(rec.items.len(), 2);
        assert_eq!(rec.items[0].id.as_deref(), Some("leave"));
        assert!(rec.items[0].html.contains("<li>a</li>"));
    }

    #[test]
    fn mentions_first_only_and_not_in_headings_links_or_code() {
        let r = render(
            "## KH today\n\nKata’ib Hezbollah and KH again. [KH](https://x.org) `KH` Iran.\n",
            false,
        );
        let html = r.parts.intro;
        assert_eq!(html.matches("class=\"mention\"").count(), 2, "{html}");
        assert!(
            html.contains("<a class=\"mention\" href=\"/actors/kh/\">Kata’ib Hezbollah</a>"),
            "{html}"
        );
        assert_eq!(r.mentions, vec![0, 1]);
    }

    #[test]
    fn mentions_across_line_breaks_link_the_whole_name_first() {
        let r = render(
            "The militia Kata'ib\nHezbollah struck. Later, Kata'ib Hezbollah and KH again.\n",
            false,
        );
        let html = r.parts.intro;
        assert_eq!(html.matches("class=\"mention\"").count(), 1, "{html}");
        assert!(
            html.contains(
                "<a class=\"mention\" href=\"/actors/kh/\">Kata’ib\nHezbollah</a> struck"
            ),
            "{html}"
        );
        let r = render("Kata'ib  \nHezbollah and\n*Iran* then Iran.\n", false);
        let html = r.parts.intro;
        assert!(
            html.contains("<a class=\"mention\" href=\"/actors/kh/\">Kata’ib<br />\nHezbollah</a>"),
            "{html}"
        );
        assert!(
            html.contains(
                "<em><a class=\"mention\" href=\"/actors/iran/\">Iran</a></em> then Iran."
            ),
            "{html}"
        );
        assert_eq!(r.mentions, vec![0, 1]);
    }

    #[test]
    fn mentions_split_over_several_text_events_and_lines() {
        // Smart quotes split the text into events; the break splits it again.
        let r = render("> “The Kata'ib\n> Hezbollah” said: KH.\n", false);
        let html = r.parts.intro;
        assert!(
            html.contains("“The <a class=\"mention\" href=\"/actors/kh/\">Kata’ib\nHezbollah</a>”"),
            "{html}"
        );
        assert_eq!(html.matches("class=\"mention\"").count(), 1, "{html}");
    }

    #[test]
    fn links_rewritten_and_missing_reported() {
        let r = render(
            "[b](b.md#x) ![m](map.png) [gone](nope.md) [ext](https://a.b)\n",
            false,
        );
        assert!(r.parts.intro.contains("href=\"/briefs/b/#x\""));
        assert!(r.parts.intro.contains("src=\"/briefs/map.png\""));
        assert_eq!(r.link_checks.len(), 1);
        assert_eq!(r.diagnostics.len(), 1);
        assert_eq!(r.diagnostics[0].line, 4);
        assert_eq!(r.diagnostics[0].column, 27);
    }

    /// (line, column, span) of each error about a URL scheme.
    fn scheme_errors(r: &RenderedBody) -> Vec<(usize, usize, usize)> {
        r.diagnostics
            .iter()
            .filter(|d| d.message.contains("not allowed"))
            .map(|d| (d.line, d.column, d.span_len))
            .collect()
    }

    #[test]
    fn refused_schemes_are_errors_at_the_url() {
        let cases: &[(&str, (usize, usize, usize))] = &[
            ("[x](javascript:alert(1))\n", (4, 5, 19)),
            ("Text [*a* `b]` c](JaVaScRiPt:x \"t\")\n", (4, 19, 12)),
            ("[x]( <vbscript:x>)\n", (4, 7, 10)),
            ("![i](data:text/html,x)\n", (4, 6, 16)),
            ("[i](data:image/png;base64,AA==)\n", (4, 5, 26)),
            ("a\n\n<javascript:alert(1)>\n", (6, 2, 19)),
            ("[x](jav&#x61;script:alert(1))\n", (4, 5, 24)),
            ("[x](&#106;avascript:alert(1))\n", (4, 5, 24)),
            ("[x](javascript&colon;alert(1))\n", (4, 5, 25)),
            ("[x](<java\tscript:x>)\n", (4, 6, 13)),
            ("[x](java&#9;script:x)\n", (4, 5, 16)),
            ("[x](file:///etc/passwd)\n", (4, 5, 18)),
            ("See [x][r].\n\n[r]: javascript:x\n", (6, 6, 12)),
            ("See [r][].\n\n[R]:\n  <vbscript:x>\n", (7, 4, 10)),
            ("See [r].\n\n[r]: data:text/html,x \"T\"\n", (6, 6, 16)),
            ("| a |\n| - |\n| [x](javascript:x) |\n", (6, 7, 12)),
            ("- one\n- [x](javascript:x)\n", (5, 7, 12)),
            ("## [x](javascript:x)\n", (4, 8, 12)),
            ("Note.[^1]\n\n[^1]: [x](javascript:x)\n", (6, 11, 12)),
            ("[![i](javascript:x)](https://ok.org)\n", (4, 7, 12)),
        ];
        for (body, at) in cases {
            let r = render(body, false);
            assert_eq!(
                scheme_errors(&r),
                vec![*at],
                "{body:?}: {:?}",
                r.diagnostics
            );
            let html = format!("{}{:?}", r.parts.intro, r.footnotes);
            for attr in ["href=\"", "src=\""] {
                for value in html.split(attr).skip(1) {
                    let value = value.split('"').next().unwrap_or("");
                    assert!(
                        value.starts_with('#') || value == "https://ok.org",
                        "{body:?}: {html}"
                    );
                }
            }
        }
    }

    #[test]
    fn allowed_schemes_are_kept() {
        let r = render(
            "[a](https://x.org) [b](http://x.org) [c](mailto:a@b.org) [d](tel:+15550100) \
             [e](#top) [f](//cdn.x.org/y) <https://auto.org> <a@b.org> \
             ![g](data:image/png;base64,AA==) ![h](data:image/svg+xml,%3Csvg%3E)\n",
            false,
        );
        assert_eq!(scheme_errors(&r), vec![], "{:?}", r.diagnostics);
        let html = r.parts.intro;
        for url in [
            "https://x.org",
            "http://x.org",
            "mailto:a@b.org",
            "tel:+15550100",
            "#top",
            "//cdn.x.org/y",
            "https://auto.org",
            "mailto:a@b.org",
            "data:image/png;base64,AA==",
            "data:image/svg+xml,%3Csvg%3E",
        ] {
            assert!(html.contains(&format!("=\"{url}\"")), "{url}: {html}");
        }
    }

    #[test]
    fn inline_rendering_neutralises_refused_urls() {
        let html = render_inline(
            "[a](javascript:x) ![b](data:text/html,x) <vbscript:y>",
            true,
        );
        assert!(
            !html.contains("=\"vbscript") && !html.contains("=\"javascript"),
            "{html}"
        );
        assert!(!html.contains("=\"data:"), "{html}");
        assert_eq!(
            render_inline("[a](https://x.org)", false),
            "<a href=\"https://x.org\">a</a>"
        );
    }

    #[test]
    fn inline_rendering() {
        assert_eq!(render_inline("*a* b", true), "<em>a</em> b");
        assert_eq!(inline_text("*a* `b`"), "a b");
    }
}
