//! The mention pass: actor names and aliases in running text (not in headings, links,
//! images, code or raw HTML) are recorded, and linked to the actor's page according to
//! `autolink` (first mention of each actor, all, or none).

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use super::{Events, LinkContext};
use crate::config::Autolink;
use crate::resolve::MentionIndex;

/// Finds mentions, links them per `autolink`, and returns the actors in order of first
/// mention.
pub fn link_mentions(events: &mut Events, index: &MentionIndex, ctx: &LinkContext) -> Vec<usize> {
    let mut mentioned: Vec<usize> = Vec::new();
    let mut out: Events = Vec::with_capacity(events.len() + 16);
    let mut skip_depth = 0usize;
    for (event, range) in events.drain(..) {
        match &event {
            Event::Start(
                Tag::Heading { .. }
                | Tag::Link { .. }
                | Tag::Image { .. }
                | Tag::CodeBlock(_)
                | Tag::MetadataBlock(_),
            ) => {
                skip_depth += 1;
            }
            Event::End(
                TagEnd::Heading(_)
                | TagEnd::Link
                | TagEnd::Image
                | TagEnd::CodeBlock
                | TagEnd::MetadataBlock(_),
            ) => {
                skip_depth = skip_depth.saturating_sub(1);
            }
            _ => {}
        }
        let Event::Text(text) = &event else {
            out.push((event, range));
            continue;
        };
        if skip_depth > 0 {
            out.push((event, range));
            continue;
        }
        let found = index.find(text);
        if found.is_empty() {
            out.push((event, range));
            continue;
        }
        let mut last = 0;
        for m in found {
            let first = !mentioned.contains(&m.actor);
            if first {
                mentioned.push(m.actor);
            }
            let link = match ctx.autolink {
                Autolink::All => true,
                Autolink::First => first,
                Autolink::None => false,
            };
            if !link {
                continue;
            }
            if m.start > last {
                out.push((
                    Event::Text(CowStr::from(text[last..m.start].to_string())),
                    range.clone(),
                ));
            }
            let url = crate::escape::html(&ctx.actor_urls[m.actor]);
            out.push((
                Event::InlineHtml(CowStr::from(format!(
                    "<a class=\"mention\" href=\"{url}\">"
                ))),
                range.clone(),
            ));
            out.push((
                Event::Text(CowStr::from(text[m.start..m.end].to_string())),
                range.clone(),
            ));
            out.push((Event::InlineHtml(CowStr::from("</a>")), range.clone()));
            last = m.end;
        }
        if last == 0 {
            out.push((event, range));
        } else if last < text.len() {
            out.push((Event::Text(CowStr::from(text[last..].to_string())), range));
        }
    }
    *events = out;
    mentioned
}
