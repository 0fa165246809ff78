//! The mention pass: actor names and aliases in running text (not in headings, links,
//! images, code or raw HTML) are recorded, and linked to the actor's page according to
//! `autolink` (first mention of each actor, all, or none).
//!
//! Text is searched a run at a time: text events with the soft and hard line breaks
//! between them, so a name broken across lines in the source is found, and its link wraps
//! the whole name, break included.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use super::{Events, LinkContext};
use crate::config::Autolink;
use crate::resolve::MentionIndex;

/// Finds mentions, links them per `autolink`, and returns the actors in order of first
/// mention.
pub fn link_mentions(events: &mut Events, index: &MentionIndex, ctx: &LinkContext) -> Vec<usize> {
    let mut pass = Pass {
        index,
        ctx,
        mentioned: Vec::new(),
        out: Vec::with_capacity(events.len() + 16),
    };
    let mut run: Events = Vec::new();
    let mut skip_depth = 0usize;
    for (event, range) in events.drain(..) {
        let text_like = matches!(event, Event::Text(_) | Event::SoftBreak | Event::HardBreak);
        if text_like && skip_depth == 0 {
            run.push((event, range));
            continue;
        }
        pass.flush(&mut run);
        match &event {
            Event::Start(
                Tag::Heading { .. }
                | Tag::Link { .. }
                | Tag::Image { .. }
                | Tag::CodeBlock(_)
                | Tag::MetadataBlock(_),
            ) => skip_depth += 1,
            Event::End(
                TagEnd::Heading(_)
                | TagEnd::Link
                | TagEnd::Image
                | TagEnd::CodeBlock
                | TagEnd::MetadataBlock(_),
            ) => skip_depth = skip_depth.saturating_sub(1),
            _ => {}
        }
        pass.out.push((event, range));
    }
    pass.flush(&mut run);
    *events = pass.out;
    pass.mentioned
}

/// The pass's state: what it has found and written so far.
struct Pass<'e, 'i> {
    index: &'i MentionIndex,
    ctx: &'i LinkContext<'i>,
    /// Actors in order of first mention.
    mentioned: Vec<usize>,
    out: Events<'e>,
}

/// A mention to link: its byte range in the run's text, and its actor.
struct Span {
    start: usize,
    end: usize,
    actor: usize,
}

impl<'e> Pass<'e, '_> {
    /// Searches one run of text and breaks, and writes it out with its links.
    fn flush(&mut self, run: &mut Events<'e>) {
        if run.is_empty() {
            return;
        }
        let spans = match run.as_slice() {
            [(Event::Text(text), _)] => self.spans(text),
            _ => {
                // A break is searched as a space (one byte, like the `\n` it writes), so
                // plain wrapped text needs no folding.
                let mut joined = String::new();
                for (event, _) in run.iter() {
                    match event {
                        Event::Text(text) => joined.push_str(text),
                        _ => joined.push(' '),
                    }
                }
                self.spans(&joined)
            }
        };
        if spans.is_empty() {
            self.out.append(run);
        } else {
            self.write_linked(run, &spans);
        }
    }

    /// Records the mentions in `text` and returns those to link.
    fn spans(&mut self, text: &str) -> Vec<Span> {
        let mut spans = Vec::new();
        for m in self.index.find(text) {
            let first = !self.mentioned.contains(&m.actor);
            if first {
                self.mentioned.push(m.actor);
            }
            let link = match self.ctx.autolink {
                Autolink::All => true,
                Autolink::First => first,
                Autolink::None => false,
            };
            if link {
                spans.push(Span {
                    start: m.start,
                    end: m.end,
                    actor: m.actor,
                });
            }
        }
        spans
    }

    /// Writes `run` with a link around each span. A span starts and ends in text (names
    /// do not begin or end with whitespace), and may cover the breaks between.
    fn write_linked(&mut self, run: &mut Events<'e>, spans: &[Span]) {
        let mut next = spans.iter().peekable();
        let mut open = false;
        let mut offset = 0;
        for (event, range) in run.drain(..) {
            let Event::Text(text) = &event else {
                offset += 1;
                self.out.push((event, range));
                continue;
            };
            let piece = offset..offset + text.len();
            offset = piece.end;
            let touched = open || next.peek().is_some_and(|s| s.start < piece.end);
            if !touched {
                self.out.push((event, range));
                continue;
            }
            let mut at = piece.start;
            while let Some(span) = next.peek() {
                if !open {
                    if span.start >= piece.end {
                        break;
                    }
                    self.text(text, &piece, at..span.start, &range);
                    let url = crate::escape::html(&self.ctx.actor_urls[span.actor]);
                    self.html(format!("<a class=\"mention\" href=\"{url}\">"), &range);
                    open = true;
                    at = span.start;
                }
                if span.end > piece.end {
                    break;
                }
                self.text(text, &piece, at..span.end, &range);
                self.html("</a>".to_string(), &range);
                open = false;
                at = span.end;
                next.next();
            }
            self.text(text, &piece, at..piece.end, &range);
        }
    }

    /// Writes the part `within` (offsets in the run) of the text event `text` at `piece`.
    fn text(&mut self, text: &str, piece: &Range<usize>, within: Range<usize>, at: &Range<usize>) {
        if within.start < within.end {
            let part = &text[within.start - piece.start..within.end - piece.start];
            self.out
                .push((Event::Text(CowStr::from(part.to_string())), at.clone()));
        }
    }

    fn html(&mut self, html: String, at: &Range<usize>) {
        self.out
            .push((Event::InlineHtml(CowStr::from(html)), at.clone()));
    }
}
