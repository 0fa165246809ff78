//! The table pass: every Markdown table is put in a scroll container of its own, a
//! focusable, labelled region, so a wide table scrolls sideways (by touch, mouse or
//! keyboard) instead of widening the page, and the table keeps its table semantics.
//! The label is "Table: " and the table's column headings.

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use super::sections::plain_text;
use super::Events;

/// The longest label, in characters, before it is cut with "…".
const LABEL_CHARS: usize = 80;

/// Wraps every table in `<div class="table-scroll" role="region" aria-label="Table: …"
/// tabindex="0">`.
pub fn wrap(events: &mut Events) {
    if !events
        .iter()
        .any(|(e, _)| matches!(e, Event::Start(Tag::Table(_))))
    {
        return;
    }
    let labels: Vec<String> = events
        .iter()
        .enumerate()
        .filter(|(_, (e, _))| matches!(e, Event::Start(Tag::Table(_))))
        .map(|(i, _)| crate::escape::html(&label(&events[i..])))
        .collect();
    let mut labels = labels.into_iter();
    let mut out: Events = Vec::with_capacity(events.len() + 4);
    for (event, range) in events.drain(..) {
        match event {
            Event::Start(Tag::Table(_)) => {
                let label = labels.next().unwrap_or_default();
                let open = format!(
                    "<div class=\"table-scroll\" role=\"region\" aria-label=\"{label}\" tabindex=\"0\">\n"
                );
                out.push((Event::Html(CowStr::from(open)), range.clone()));
                out.push((event, range));
            }
            Event::End(TagEnd::Table) => {
                out.push((event, range.clone()));
                out.push((Event::Html(CowStr::from("</div>\n")), range));
            }
            _ => out.push((event, range)),
        }
    }
    *events = out;
}

/// "Table: " and the headings of the table that starts `events`, or "Table" if it has
/// none.
fn label(events: &[(Event, std::ops::Range<usize>)]) -> String {
    let mut headings: Vec<String> = Vec::new();
    let mut cell_start = None;
    for (i, (event, _)) in events.iter().enumerate() {
        match event {
            Event::Start(Tag::TableCell) => cell_start = Some(i + 1),
            Event::End(TagEnd::TableCell) => {
                if let Some(start) = cell_start.take() {
                    let text = plain_text(&events[start..i]);
                    if !text.is_empty() {
                        headings.push(text);
                    }
                }
            }
            Event::End(TagEnd::TableHead | TagEnd::Table) => break,
            _ => {}
        }
    }
    if headings.is_empty() {
        return "Table".to_string();
    }
    let joined = headings.join(", ");
    if joined.chars().count() <= LABEL_CHARS {
        format!("Table: {joined}")
    } else {
        let cut: String = joined.chars().take(LABEL_CHARS - 1).collect();
        format!("Table: {}…", cut.trim_end())
    }
}

#[cfg(test)]
mod tests {
    use pulldown_cmark::Parser;

    use super::*;

    fn html(markdown: &str) -> String {
        let mut events: Events = Parser::new_ext(markdown, crate::markdown::options())
            .into_offset_iter()
            .collect();
        wrap(&mut events);
        let mut out = String::new();
        pulldown_cmark::html::push_html(&mut out, events.into_iter().map(|(e, _)| e));
        out
    }

    #[test]
    fn tables_sit_in_a_labelled_focusable_region() {
        let out =
            html("Text.\n\n| Option | *Cost* | `Risk` |\n| --- | --- | --- |\n| a | b | c |\n");
        assert!(
            out.contains(
                "<div class=\"table-scroll\" role=\"region\" aria-label=\"Table: Option, Cost, Risk\" tabindex=\"0\">\n<table>"
            ),
            "{out}"
        );
        assert!(out.contains("</table>\n</div>\n"), "{out}");
        assert_eq!(html("No table.\n"), "<p>No table.</p>\n");
    }

    #[test]
    fn labels_are_escaped_and_bounded() {
        let out = html("| A & <b>B</b> |\n| - |\n| x |\n");
        assert!(out.contains("aria-label=\"Table: A &amp; B\""), "{out}");
        let long = format!("| {} |\n| - |\n| x |\n", "word ".repeat(40));
        let out = html(&long);
        let label = out
            .split("aria-label=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        assert!(
            label.ends_with('…') && label.chars().count() <= 90,
            "{label}"
        );
        let out = html("| |\n| - |\n| x |\n");
        assert!(out.contains("aria-label=\"Table\""), "{out}");
    }
}
