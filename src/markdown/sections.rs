//! Structured sections of a brief: the body is cut at its H2 headings; "Key Points" (or
//! "Key Takeaways", "Key Findings"), "Background" and "Recommendations…" are recognised
//! (case-insensitive, by how the heading starts), and so are the headings of the site's
//! language ("Points clés", "Contexte", "Recommandations") and those `site.yaml` adds;
//! every other H2 stays a free section.
//! Key points and recommendations are the items of the section's first list, or, for
//! recommendations, its H3 sub-sections. Anything else in such a section is kept as notes.

use std::cell::RefCell;

use pulldown_cmark::{html, CowStr, Event, HeadingLevel, Tag, TagEnd};
use serde::Serialize;

use super::ids::heading_text;
use super::Events;
use crate::i18n::SectionNames;

/// What a section is, by its heading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SectionKind {
    /// "Key Points", "Key Takeaways" or "Key Findings".
    KeyPoints,
    /// "Background".
    Background,
    /// "Recommendations…".
    Recommendations,
    /// Any other heading.
    Free,
}

/// Recognises a structured section by its heading text: a heading that starts with one
/// of `names` (lowercased: the language's, English's and the site's, see
/// [`crate::i18n::Locale::sections`]).
pub fn kind_of(heading: &str, names: &SectionNames) -> SectionKind {
    // Smart punctuation turns `'` into `’` in headings; names may be written either way.
    let h = heading.trim().to_lowercase().replace('\u{2019}', "'");
    let starts = |list: &[String]| list.iter().any(|p| h.starts_with(p.as_str()));
    if starts(&names.key_points) {
        SectionKind::KeyPoints
    } else if starts(&names.background) {
        SectionKind::Background
    } else if starts(&names.recommendations) {
        SectionKind::Recommendations
    } else {
        SectionKind::Free
    }
}

/// A section with its heading and body HTML.
#[derive(Debug, Clone, Serialize, Default, Hash)]
pub struct Section {
    /// The heading's id.
    pub id: String,
    /// The heading, as HTML (inline markup kept).
    pub title: String,
    /// The section's content after its heading.
    pub html: String,
    /// Byte offset of the heading in the body (for errors).
    #[serde(skip)]
    pub offset: usize,
}

/// One key point or recommendation.
#[derive(Debug, Clone, Serialize, Default, Hash)]
pub struct Item {
    /// For recommendations given as H3 sub-sections: the sub-heading (HTML).
    pub title: Option<String>,
    /// The id of that sub-heading.
    pub id: Option<String>,
    /// The item's HTML.
    pub html: String,
    /// Plain text, for summaries and JSON.
    pub text: String,
}

/// A section made of items (key points, recommendations).
#[derive(Debug, Clone, Serialize, Default, Hash)]
pub struct ListSection {
    /// The heading's id.
    pub id: String,
    /// The heading, as HTML.
    pub title: String,
    /// The list's items, in order.
    pub items: Vec<Item>,
    /// Text of the section outside its list, shown after it.
    pub notes: String,
    /// Byte offset of the heading in the body (for errors).
    #[serde(skip)]
    pub offset: usize,
}

/// The body cut into its parts.
#[derive(Debug, Clone, Default, Hash)]
pub struct Parts {
    /// Everything before the first H2.
    pub intro: String,
    /// The key points: front matter's, else the section's.
    pub key_points: Option<ListSection>,
    /// The Background section.
    pub background: Option<Section>,
    /// The recommendations: front matter's, else the section's.
    pub recommendations: Option<ListSection>,
    /// Free sections, in order.
    pub sections: Vec<Section>,
}

thread_local! {
    /// Where HTML is written before it is copied out at its exact size: a growing buffer
    /// reused by every call on this thread, so rendering a body leaves behind no freed
    /// blocks of every size it grew through.
    static SCRATCH: RefCell<String> = const { RefCell::new(String::new()) };
}

/// Runs `write` on this thread's cleared scratch buffer and returns a copy of what it
/// wrote, allocated once at its final size (bodies stay in memory until their page is
/// written).
fn exact(write: impl FnOnce(&mut String)) -> String {
    SCRATCH.with(|cell| match cell.try_borrow_mut() {
        Ok(mut scratch) => {
            scratch.clear();
            write(&mut scratch);
            let out = String::from(scratch.as_str());
            // Do not keep an unusually large buffer for the rest of the build.
            if scratch.capacity() > SCRATCH_KEEP {
                *scratch = String::new();
            }
            out
        }
        Err(_) => {
            let mut out = String::new();
            write(&mut out);
            out.shrink_to_fit();
            out
        }
    })
}

/// The largest scratch buffer kept between calls.
const SCRATCH_KEEP: usize = 1 << 20;

/// An event that borrows its text from `event` instead of copying it: rendering a slice
/// of events needs owned events, and most texts were joined into owned strings.
fn borrowed<'e>(event: &'e Event<'_>) -> Event<'e> {
    let text = |t: &'e CowStr<'_>| CowStr::Borrowed(t.as_ref());
    match event {
        Event::Text(t) => Event::Text(text(t)),
        Event::Code(t) => Event::Code(text(t)),
        Event::Html(t) => Event::Html(text(t)),
        Event::InlineHtml(t) => Event::InlineHtml(text(t)),
        Event::FootnoteReference(t) => Event::FootnoteReference(text(t)),
        other => other.clone(),
    }
}

fn to_html(events: &[(Event<'_>, std::ops::Range<usize>)]) -> String {
    exact(|out| html::push_html(out, events.iter().map(|(e, _)| borrowed(e))))
}

/// Plain text of some events, with every run of white space made one space and none at
/// either end.
pub fn plain_text(events: &[(Event<'_>, std::ops::Range<usize>)]) -> String {
    exact(|out| {
        let mut space = false;
        let mut push = |text: &str| {
            for c in text.chars() {
                if c.is_whitespace() {
                    space = true;
                } else {
                    if space && !out.is_empty() {
                        out.push(' ');
                    }
                    space = false;
                    out.push(c);
                }
            }
        };
        for (event, _) in events {
            match event {
                Event::Text(t) | Event::Code(t) => push(t),
                Event::SoftBreak | Event::HardBreak => push(" "),
                Event::End(TagEnd::Paragraph | TagEnd::Item) => push(" "),
                _ => {}
            }
        }
    })
}

/// One heading of a given level and what follows it, up to the next such heading.
struct Cut<'e, 'a> {
    /// Index of the heading's start event.
    start: usize,
    /// The heading's id.
    id: Option<String>,
    /// The heading's inner events (its title).
    title: &'e [(Event<'a>, std::ops::Range<usize>)],
    /// Everything after the heading, up to the next heading of the same level.
    body: &'e [(Event<'a>, std::ops::Range<usize>)],
}

/// Cuts `events` at every heading of `level`; returns the events before the first one and
/// the cuts.
fn cut_at<'e, 'a>(
    events: &'e [(Event<'a>, std::ops::Range<usize>)],
    level: HeadingLevel,
) -> (&'e [(Event<'a>, std::ops::Range<usize>)], Vec<Cut<'e, 'a>>) {
    let mut starts: Vec<usize> = events
        .iter()
        .enumerate()
        .filter(
            |(_, (e, _))| matches!(e, Event::Start(Tag::Heading { level: l, .. }) if *l == level),
        )
        .map(|(i, _)| i)
        .collect();
    let before = &events[..starts.first().copied().unwrap_or(events.len())];
    starts.push(events.len());
    let cuts = starts
        .windows(2)
        .map(|pair| {
            let (start, end) = (pair[0], pair[1]);
            let heading_end = events[start..end]
                .iter()
                .position(|(e, _)| matches!(e, Event::End(TagEnd::Heading(_))))
                .map_or(end, |p| start + p);
            let id = match &events[start].0 {
                Event::Start(Tag::Heading { id: Some(id), .. }) => Some(id.to_string()),
                _ => None,
            };
            Cut {
                start,
                id,
                title: &events[start + 1..heading_end],
                body: &events[(heading_end + 1).min(end)..end],
            }
        })
        .collect();
    (before, cuts)
}

/// Cuts `events` (ids already assigned) into parts.
pub fn split(events: &Events, names: &SectionNames) -> Parts {
    let mut parts = Parts::default();
    let (intro, cuts) = cut_at(events, HeadingLevel::H2);
    parts.intro = to_html(intro);
    for cut in cuts {
        let id = cut.id.unwrap_or_default();
        let title = to_html(cut.title);
        let offset = events[cut.start].1.start;
        let body = cut.body;
        match kind_of(&heading_text(events, cut.start), names) {
            SectionKind::KeyPoints if parts.key_points.is_none() => {
                parts.key_points = Some(list_section(id, title, offset, body, false));
            }
            SectionKind::Recommendations if parts.recommendations.is_none() => {
                parts.recommendations = Some(list_section(id, title, offset, body, true));
            }
            SectionKind::Background if parts.background.is_none() => {
                parts.background = Some(Section {
                    id,
                    title,
                    html: to_html(body),
                    offset,
                });
            }
            _ => parts.sections.push(Section {
                id,
                title,
                html: to_html(body),
                offset,
            }),
        }
    }
    parts.sections.shrink_to_fit();
    parts
}

/// Items from the first top-level list (or H3 sub-sections), the rest as notes.
fn list_section(
    id: String,
    title: String,
    offset: usize,
    body: &[(Event<'_>, std::ops::Range<usize>)],
    allow_h3: bool,
) -> ListSection {
    let mut section = fill_list_section(id, title, offset, body, allow_h3);
    // Kept until the page is written: no room for items that never come.
    section.items.shrink_to_fit();
    section
}

fn fill_list_section(
    id: String,
    title: String,
    offset: usize,
    body: &[(Event<'_>, std::ops::Range<usize>)],
    allow_h3: bool,
) -> ListSection {
    let mut section = ListSection {
        id,
        title,
        offset,
        ..ListSection::default()
    };
    let (lead, h3s) = cut_at(body, HeadingLevel::H3);
    if allow_h3 && !h3s.is_empty() {
        section.notes = to_html(lead);
        for cut in h3s {
            section.items.push(Item {
                title: Some(to_html(cut.title)),
                id: cut.id,
                html: to_html(cut.body),
                text: plain_text(cut.body),
            });
        }
        return section;
    }
    if let Some((list_start, list_end)) = first_list(body) {
        let mut depth = 0usize;
        let mut item_start = 0;
        for (i, (event, _)) in body.iter().enumerate().take(list_end).skip(list_start + 1) {
            match event {
                Event::Start(Tag::Item) => {
                    if depth == 0 {
                        item_start = i + 1;
                    }
                    depth += 1;
                }
                Event::End(TagEnd::Item) => {
                    depth -= 1;
                    if depth == 0 {
                        let inner = &body[item_start..i];
                        section.items.push(Item {
                            title: None,
                            id: None,
                            html: to_html(inner),
                            text: plain_text(inner),
                        });
                    }
                }
                _ => {}
            }
        }
        let rest: Vec<(Event<'_>, std::ops::Range<usize>)> = body[..list_start]
            .iter()
            .chain(&body[list_end + 1..])
            .map(|(e, range)| (borrowed(e), range.clone()))
            .collect();
        section.notes = to_html(&rest);
        return section;
    }
    section.notes = to_html(body);
    section
}

/// The event range `[start, end]` of the first list at the top level of `body` (not one
/// inside a quote, table or footnote).
fn first_list(body: &[(Event<'_>, std::ops::Range<usize>)]) -> Option<(usize, usize)> {
    let mut level = 0usize;
    let mut start = None;
    for (i, (event, _)) in body.iter().enumerate() {
        match event {
            Event::Start(tag) => {
                if level == 0 && start.is_none() && matches!(tag, Tag::List(_)) {
                    start = Some(i);
                }
                level += 1;
            }
            Event::End(end) => {
                level = level.saturating_sub(1);
                if level == 0 && matches!(end, TagEnd::List(_)) {
                    if let Some(s) = start {
                        return Some((s, i));
                    }
                }
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Locale, SectionNames, StringTable};

    #[test]
    fn headings_are_recognised_in_the_language_of_the_site() {
        let en = Locale::english();
        assert_eq!(
            kind_of("Key Takeaways", en.sections()),
            SectionKind::KeyPoints
        );
        assert_eq!(kind_of("Points clés", en.sections()), SectionKind::Free);
        let extra = SectionNames {
            key_points: vec!["L'essentiel".into()],
            ..SectionNames::default()
        };
        let fr = Locale::new("fr", &StringTable::new(), &extra);
        let names = fr.sections();
        assert_eq!(kind_of("Points clés", names), SectionKind::KeyPoints);
        assert_eq!(kind_of("Points essentiels", names), SectionKind::KeyPoints);
        assert_eq!(kind_of("Contexte", names), SectionKind::Background);
        assert_eq!(
            kind_of("Recommandations au Canada", names),
            SectionKind::Recommendations
        );
        assert_eq!(kind_of("L\u{2019}essentiel", names), SectionKind::KeyPoints);
        assert_eq!(kind_of("Background", names), SectionKind::Background);
        assert_eq!(kind_of("Analyse", names), SectionKind::Free);
    }
}
