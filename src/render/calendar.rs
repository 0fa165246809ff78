//! The events as iCalendar (RFC 5545), written with `icalendar`: `/events.ics` holds every
//! event, `/actors/<slug>/events.ics` one actor's (docs/content.md, "Feeds and
//! calendars").
//!
//! Each event is an all-day `VEVENT`: `DTSTART;VALUE=DATE`, and `DTEND;VALUE=DATE` the day
//! after its `end_date` when it lasts several days (a one-day event has none: RFC 5545,
//! section 3.6.1, takes it to last the day). Its `UID` is `<slug>@<host><base path>`, the
//! same in every build and in every calendar that holds it. `DTSTAMP`, which RFC 5545
//! requires, is midnight UTC of the event's first day: nothing comes from the clock.
//!
//! Every line is written by `icalendar`: the calendar without events, then each event's
//! `VEVENT` (serialised once per build, however many calendars hold it), placed before
//! `END:VCALENDAR`. `icalendar` folds a long line after 75 octets and each continuation after 74, but
//! lets the last continuation reach 76 with its leading space; the text it writes is
//! unfolded and folded again here, at 75 octets and on character boundaries.

use std::hash::{Hash, Hasher};
use std::sync::OnceLock;

use icalendar::{Component, EventLike, Property};
use rustc_hash::FxHasher;

use super::Site;

/// Each event's `VEVENT`, serialised (and folded) at most once per build and shared by
/// every calendar that holds it (the site's and those of its actors), and the hash of what
/// it is made from.
pub struct EventCache {
    vevents: Vec<OnceLock<String>>,
    hashes: Vec<OnceLock<u64>>,
}

impl EventCache {
    /// An empty cache for the events of `site`.
    pub fn new(site: &Site) -> EventCache {
        let n = site.graph.events.len();
        EventCache {
            vevents: (0..n).map(|_| OnceLock::new()).collect(),
            hashes: (0..n).map(|_| OnceLock::new()).collect(),
        }
    }
}

/// Whose events a calendar holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CalendarOf {
    /// `/events.ics`: every event.
    Site,
    /// An actor's events, by index in the graph.
    Actor(usize),
}

impl Site<'_> {
    /// The events calendar `of` holds, oldest first.
    pub fn calendar_events(&self, of: CalendarOf) -> Vec<usize> {
        let g = self.graph;
        match of {
            CalendarOf::Site => (0..g.events.len()).collect(),
            CalendarOf::Actor(a) => g.actors[a].events.clone(),
        }
    }

    /// Whether the site has calendar `of`: with `feeds` on, when it holds an event (RFC
    /// 5545 has no empty calendar).
    pub fn has_calendar(&self, of: CalendarOf) -> bool {
        let g = self.graph;
        g.config.feeds
            && match of {
                CalendarOf::Site => !g.events.is_empty(),
                CalendarOf::Actor(a) => !g.actors[a].events.is_empty(),
            }
    }

    /// The calendar's URL (under the base path).
    pub fn calendar_url(&self, of: CalendarOf) -> String {
        let g = self.graph;
        match of {
            CalendarOf::Site => format!("{}events.ics", g.base_path),
            CalendarOf::Actor(a) => format!("{}events.ics", g.actors[a].url),
        }
    }

    /// The calendar's output path, relative to the output folder.
    pub fn calendar_path(&self, of: CalendarOf) -> String {
        let url = self.calendar_url(of);
        url.strip_prefix(self.graph.base_path.as_str())
            .unwrap_or(&url)
            .to_string()
    }

    /// The calendar's name, as calendar applications show it.
    fn calendar_name(&self, of: CalendarOf) -> String {
        let g = self.graph;
        let site = &g.config.title;
        match of {
            CalendarOf::Site => format!("{} · {site}", self.locale.text("timeline")),
            CalendarOf::Actor(a) => format!("{} · {site}", g.actors[a].name),
        }
    }

    /// The calendar's text: CRLF line endings, lines folded at 75 octets. Its events
    /// come from `events`, which serialises each once (see [`EventCache`]).
    pub fn ics(&self, of: CalendarOf, events: &EventCache) -> String {
        let mut calendar = icalendar::Calendar::empty();
        let name = escape_text(&clean(&self.calendar_name(of)));
        calendar
            .append_property(Property::new("VERSION", "2.0"))
            .append_property(Property::new("PRODID", "-//briefly//briefly//EN"))
            .append_property(Property::new("CALSCALE", "GREGORIAN"))
            .append_property(Property::new("NAME", &name))
            .append_property(Property::new("X-WR-CALNAME", &name));
        let document = refold(&calendar.to_string());
        let end = document.rfind("END:VCALENDAR").unwrap_or(document.len());
        let list = self.calendar_events(of);
        let mut out = String::with_capacity(document.len() + 1024 * list.len());
        out.push_str(&document[..end]);
        for e in list {
            out.push_str(
                events.vevents[e]
                    .get_or_init(|| refold(&self.vevent(e).try_into_string().unwrap_or_default())),
            );
        }
        out.push_str(&document[end..]);
        out
    }

    /// Event `e` as a `VEVENT`.
    fn vevent(&self, e: usize) -> icalendar::Event {
        let g = self.graph;
        let event = &g.events[e];
        let mut vevent = icalendar::Event::new();
        vevent
            .uid(&self.event_uid(e))
            .add_property(
                "DTSTAMP",
                event.date.day.format("%Y%m%dT000000Z").to_string(),
            )
            .starts(event.date.day)
            .summary(&clean(&event.title))
            .url(&self.absolute(&event.url))
            .description(&clean(&self.calendar_description(e)));
        if let Some(end) = event
            .end_date
            .as_ref()
            .filter(|end| end.day > event.date.day)
        {
            if let Some(after) = end.day.succ_opt() {
                vevent.ends(after);
            }
        }
        if let Some(location) = &event.location {
            vevent.location(&clean(location));
        }
        vevent.done()
    }

    /// `<slug>@<host><base path>`: stable across builds, and unique to the site where
    /// `base_url` names its host (`localhost` stands in for a host otherwise).
    fn event_uid(&self, e: usize) -> String {
        let g = self.graph;
        let origin = g.config.origin();
        let host = origin.split_once("://").map_or("", |(_, host)| host);
        let host = if host.is_empty() { "localhost" } else { host };
        format!(
            "{}@{host}{}",
            g.events[e].slug,
            g.base_path.trim_end_matches('/')
        )
    }

    /// The event's description as plain text, then its actors; its title when it has
    /// neither.
    fn calendar_description(&self, e: usize) -> String {
        let g = self.graph;
        let event = &g.events[e];
        let mut text = self.bodies.events[e]
            .as_ref()
            .map(|body| super::html::plain_text(&body.parts.intro))
            .unwrap_or_default();
        if !event.actors.is_empty() {
            let names: Vec<&str> = event
                .actors
                .iter()
                .map(|&a| g.actors[a].name.as_str())
                .collect();
            if !text.is_empty() {
                text.push_str("\n\n");
            }
            text.push_str(
                &self
                    .locale
                    .format("calendar_actors", &[("names", &names.join(", "))]),
            );
        }
        if text.is_empty() {
            text.clone_from(&event.title);
        }
        text
    }

    /// A hash of everything calendar `of` is made from, computed without building it
    /// (each event's part once per build, in `events`).
    pub fn calendar_fingerprint(&self, of: CalendarOf, events: &EventCache) -> u64 {
        let g = self.graph;
        let mut h = FxHasher::default();
        (&g.config, &g.base_path, self.calendar_name(of)).hash(&mut h);
        for e in self.calendar_events(of) {
            events.hashes[e]
                .get_or_init(|| self.event_hash(e))
                .hash(&mut h);
        }
        h.finish()
    }

    /// A hash of what event `e`'s `VEVENT` is made from.
    fn event_hash(&self, e: usize) -> u64 {
        let g = self.graph;
        let event = &g.events[e];
        let mut h = FxHasher::default();
        (
            &event.slug,
            &event.url,
            &event.title,
            &event.date,
            &event.end_date,
            &event.location,
        )
            .hash(&mut h);
        self.bodies.events[e]
            .as_ref()
            .map(|body| body.output_hash())
            .hash(&mut h);
        event
            .actors
            .iter()
            .for_each(|&a| g.actors[a].name.hash(&mut h));
        h.finish()
    }
}

/// Text without the control characters RFC 5545 does not allow in a value (line breaks
/// become `\n`, which the writer escapes).
fn clean(text: &str) -> String {
    text.replace("\r\n", "\n")
        .chars()
        .filter(|&c| c == '\n' || c == '\t' || !c.is_control())
        .collect()
}

/// TEXT escaping (RFC 5545, section 3.3.11), for the properties `icalendar` does not know
/// to be text.
fn escape_text(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace(',', "\\,")
        .replace(';', "\\;")
        .replace('\n', "\\n")
}

/// `text` (content lines ending in CRLF, folded with CRLF and a space) unfolded and folded
/// again: no line longer than 75 octets, none cut inside a UTF-8 character.
fn refold(text: &str) -> String {
    let unfolded = text.replace("\r\n ", "");
    let mut out = String::with_capacity(unfolded.len() + unfolded.len() / 24);
    for line in unfolded.split("\r\n").filter(|line| !line.is_empty()) {
        let mut rest = line;
        let mut limit = 75;
        while rest.len() > limit {
            let mut cut = limit;
            while !rest.is_char_boundary(cut) {
                cut -= 1;
            }
            out.push_str(&rest[..cut]);
            out.push_str("\r\n ");
            rest = &rest[cut..];
            // A continuation line starts with the space.
            limit = 74;
        }
        out.push_str(rest);
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refolded_lines_fit_75_octets_and_keep_characters_whole() {
        for n in [70, 74, 75, 76, 149, 150, 151, 223, 224, 225] {
            for filler in ["a", "é", "老", "🙂"] {
                let value: String = filler.repeat(n);
                let line = format!("DESCRIPTION:{value}");
                // Folded the way the writer folds it, at 75 and 74 octets.
                let text = refold(&format!("{line}\r\n"));
                assert!(text.ends_with("\r\n"));
                for physical in text.split("\r\n") {
                    assert!(physical.len() <= 75, "{n} {filler}: {physical:?}");
                }
                assert_eq!(text.replace("\r\n ", ""), format!("{line}\r\n"));
            }
        }
    }

    #[test]
    fn names_are_escaped_and_values_cleaned() {
        assert_eq!(escape_text("a, b; c\\d\ne"), "a\\, b\\; c\\\\d\\ne");
        assert_eq!(clean("a\r\nb\u{7}c\td"), "a\nbc\td");
    }
}
