//! Footnotes, numbered across the whole document in order of first reference and rendered
//! once at its end (not inside whichever section their definition happened to sit in).
//! References link to `#fn-<label>`, notes link back to `#fnref-<label>`.

use std::collections::HashMap;

use pulldown_cmark::{html, CowStr, Event, Tag, TagEnd};
use serde::Serialize;

use super::ids::github_id;
use super::Events;

/// One note.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Hash)]
pub struct Footnote {
    /// `fn-<label>`
    pub id: String,
    /// Its number, from 1.
    pub number: usize,
    /// The note, as HTML (with its back-link).
    pub html: String,
}

/// Takes the footnote definitions out of `events`, replaces every reference by a numbered
/// link, and returns the notes in number order (with every id given, for anchor checks).
pub fn extract(events: &mut Events) -> (Vec<Footnote>, Vec<String>) {
    if !events.iter().any(|(e, _)| {
        matches!(
            e,
            Event::FootnoteReference(_) | Event::Start(Tag::FootnoteDefinition(_))
        )
    }) {
        return (Vec::new(), Vec::new());
    }
    let mut definitions: HashMap<String, String> = HashMap::new();
    let mut kept: Events = Vec::with_capacity(events.len());
    let mut current: Option<(String, Vec<Event>)> = None;
    for (event, range) in events.drain(..) {
        match (&mut current, event) {
            (None, Event::Start(Tag::FootnoteDefinition(label))) => {
                current = Some((label.to_string(), Vec::new()));
            }
            (Some(_), Event::End(TagEnd::FootnoteDefinition)) => {
                if let Some((label, body)) = current.take() {
                    let mut out = String::new();
                    html::push_html(&mut out, body.into_iter());
                    definitions.entry(label).or_insert(out);
                }
            }
            (Some((_, body)), event) => body.push(event),
            (None, event) => kept.push((event, range)),
        }
    }
    let mut order: Vec<String> = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut ids = Vec::new();
    for (event, _) in &mut kept {
        let Event::FootnoteReference(label) = event else {
            continue;
        };
        let label = label.to_string();
        let slug = github_id(&label);
        let count = seen.entry(label.clone()).or_insert(0);
        *count += 1;
        if *count == 1 {
            order.push(label.clone());
        }
        let number = order.iter().position(|l| *l == label).map_or(0, |p| p + 1);
        let ref_id = if *count == 1 {
            format!("fnref-{slug}")
        } else {
            format!("fnref-{slug}-{count}")
        };
        let target = if definitions.contains_key(&label) {
            format!("#fn-{slug}")
        } else {
            String::new()
        };
        let html = if target.is_empty() {
            format!("<sup class=\"footnote-reference\" id=\"{ref_id}\">[{number}]</sup>")
        } else {
            format!("<sup class=\"footnote-reference\" id=\"{ref_id}\"><a href=\"{target}\">{number}</a></sup>")
        };
        ids.push(ref_id);
        *event = Event::InlineHtml(CowStr::from(html));
    }
    *events = kept;
    let notes: Vec<Footnote> = order
        .iter()
        .enumerate()
        .filter_map(|(i, label)| {
            let slug = github_id(label);
            let body = definitions.get(label)?;
            let back = format!(" <a class=\"footnote-back\" href=\"#fnref-{slug}\" aria-label=\"Back to reference {}\">↩</a>", i + 1);
            let html = match body.trim_end().strip_suffix("</p>") {
                Some(head) => format!("{head}{back}</p>\n"),
                None => format!("{body}{back}"),
            };
            Some(Footnote { id: format!("fn-{slug}"), number: i + 1, html })
        })
        .collect();
    ids.extend(notes.iter().map(|n| n.id.clone()));
    (notes, ids)
}

/// The notes as an ordered list, for documents without a template section of their own.
pub fn to_html(notes: &[Footnote]) -> String {
    if notes.is_empty() {
        return String::new();
    }
    let mut out = String::from("<section class=\"footnotes\" aria-label=\"Notes\">\n<ol>\n");
    for note in notes {
        out.push_str(&format!("<li id=\"{}\">{}</li>\n", note.id, note.html));
    }
    out.push_str("</ol>\n</section>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::Parser;

    #[test]
    fn numbers_by_first_reference_and_links_both_ways() {
        let text = "B[^b] then A[^a] and B again[^b].\n\n[^a]: Note A.\n[^b]: Note B.\n";
        let mut events: Events = Parser::new_ext(text, super::super::options())
            .into_offset_iter()
            .collect();
        let (notes, ids) = extract(&mut events);
        assert_eq!(notes.len(), 2);
        assert_eq!(notes[0].id, "fn-b");
        assert_eq!(notes[0].number, 1);
        assert!(notes[0].html.contains("href=\"#fnref-b\""));
        assert!(ids.contains(&"fnref-b-2".to_string()));
        let mut out = String::new();
        html::push_html(&mut out, events.into_iter().map(|(e, _)| e));
        assert!(out.contains("<a href=\"#fn-b\">1</a>"));
        assert!(out.contains("<a href=\"#fn-a\">2</a>"));
        assert!(!out.contains("Note A"));
    }
}
