//! Heading ids, GitHub's way: lowercase, spaces to `-`, punctuation dropped, letters of any
//! script kept; a repeat gets `-1`, `-2`. Also collects the table of contents.

use std::collections::HashSet;

use pulldown_cmark::{Event, HeadingLevel, Tag, TagEnd};
use serde::Serialize;

use super::Events;

/// One heading, for the table of contents.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Hash)]
pub struct TocEntry {
    /// 2 for `##`, 3 for `###`…
    pub level: u8,
    /// The heading's id, unique in its page.
    pub id: String,
    /// The heading's text.
    pub title: String,
}

/// The id GitHub gives a heading with this text (before de-duplication).
pub fn github_id(text: &str) -> String {
    let mut id = String::with_capacity(text.len());
    for c in text.trim().chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() || c == '-' || c == '_' {
            id.push(c);
        } else if c == ' ' {
            id.push('-');
        }
    }
    if id.is_empty() {
        id.push_str("section");
    }
    id
}

/// Gives ids without repeats: the second `background` becomes `background-1`.
#[derive(Debug, Default)]
pub struct IdAllocator {
    used: HashSet<String>,
}

impl IdAllocator {
    /// Reserves `id` (for sections whose id is fixed) and returns it.
    pub fn reserve(&mut self, id: &str) -> String {
        self.unique(id.to_string())
    }

    /// A unique id from `base`.
    pub fn unique(&mut self, base: String) -> String {
        if self.used.insert(base.clone()) {
            return base;
        }
        let mut n = 1;
        loop {
            let candidate = format!("{base}-{n}");
            if self.used.insert(candidate.clone()) {
                return candidate;
            }
            n += 1;
        }
    }

    /// Every id given so far.
    pub fn into_ids(self) -> Vec<String> {
        let mut ids: Vec<String> = self.used.into_iter().collect();
        ids.sort();
        ids
    }
}

/// The plain text of the heading that starts at `start` (an index into `events`).
pub fn heading_text(events: &Events, start: usize) -> String {
    let mut text = String::new();
    for (event, _) in &events[start + 1..] {
        match event {
            Event::End(TagEnd::Heading(_)) => break,
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            _ => {}
        }
    }
    text
}

/// Sets an id on every heading and returns the table of contents (levels 2 and 3).
pub fn assign(events: &mut Events, ids: &mut IdAllocator) -> Vec<TocEntry> {
    let mut toc = Vec::new();
    for i in 0..events.len() {
        let Event::Start(Tag::Heading { level, id, .. }) = &events[i].0 else {
            continue;
        };
        let level = *level;
        let text = heading_text(events, i);
        let base = id
            .as_ref()
            .map_or_else(|| github_id(&text), ToString::to_string);
        let unique = ids.unique(base);
        if let Event::Start(Tag::Heading { id, .. }) = &mut events[i].0 {
            *id = Some(unique.clone().into());
        }
        if matches!(level, HeadingLevel::H2 | HeadingLevel::H3) {
            toc.push(TocEntry {
                level: level as u8,
                id: unique,
                title: text.trim().to_string(),
            });
        }
    }
    toc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_scheme() {
        assert_eq!(github_id("Key Points"), "key-points");
        assert_eq!(
            github_id("Recommendations for Canada"),
            "recommendations-for-canada"
        );
        assert_eq!(github_id("U.S.–Iran: what next?"), "usiran-what-next");
        assert_eq!(github_id("Contexte général"), "contexte-général");
        assert_eq!(github_id("خلفية"), "خلفية");
    }

    #[test]
    fn repeats_get_suffixes() {
        let mut ids = IdAllocator::default();
        assert_eq!(ids.unique("a".into()), "a");
        assert_eq!(ids.unique("a".into()), "a-1");
        assert_eq!(ids.unique("a".into()), "a-2");
    }
}
