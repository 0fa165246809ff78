//! The timeline pictures pages show: which events each draws, under which options, and
//! how the events index shares its marks among its years. The drawing itself is
//! [`super::timeline_svg`]; a picture is drawn only when its page's context is made, and
//! hashed (for the page's fingerprint) by the marks it is drawn from.

use std::hash::{Hash, Hasher};

use serde::Serialize;

use super::timeline_svg::{self, Mark, Span};
use super::views::Card;
use super::Site;
use crate::i18n::Locale;

/// A year of the events index: its events and their picture.
#[derive(Serialize, Hash)]
pub struct YearStrip<'a> {
    year: i32,
    events: Vec<&'a Card>,
    /// `None` with `pictures: false`.
    picture: Option<Timeline<'a>>,
}

/// A timeline picture: hashed by what it is drawn from, drawn when the page's context is
/// made, so that fingerprinting a page does not draw it.
pub struct Timeline<'a> {
    marks: Vec<Mark<'a>>,
    options: timeline_svg::Options,
    locale: &'a Locale,
}

impl Hash for Timeline<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.options.hash(state);
        self.locale.code().hash(state);
        // Weights choose the marks only when there are too many to draw them all.
        let capped = self.marks.len() > self.options.max_marks;
        for m in &self.marks {
            (m.date, m.end, m.title, m.url).hash(state);
            if capped {
                m.weight.hash(state);
            }
        }
    }
}

impl Serialize for Timeline<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        timeline_svg::draw_in(&self.marks, &self.options, self.locale).serialize(serializer)
    }
}

/// The most marks the events index draws, over all its years, and one actor's or brief's
/// picture: about 300 bytes each, so pictures stay well within a page's size budget.
const INDEX_MARKS: usize = 300;
const PAGE_MARKS: usize = 150;

impl Site<'_> {
    /// The marks of `events` (indexes in timeline order).
    fn marks(&self, events: &[usize]) -> Vec<Mark<'_>> {
        events
            .iter()
            .map(|&e| {
                let event = &self.graph.events[e];
                Mark {
                    date: event.date.day,
                    end: event.end_date.as_ref().map(|d| d.day),
                    title: &event.title,
                    url: &event.url,
                    weight: event.briefs.len(),
                }
            })
            .collect()
    }

    /// The picture of an actor's or a brief's events, if it has any.
    pub(super) fn timeline_picture(
        &self,
        events: &[usize],
        id: &str,
        title: &str,
    ) -> Option<Timeline<'_>> {
        (self.graph.config.pictures && !events.is_empty()).then(|| Timeline {
            marks: self.marks(events),
            options: timeline_svg::Options {
                id: id.to_string(),
                title: title.to_string(),
                span: Span::Fit,
                max_marks: PAGE_MARKS,
            },
            locale: &self.locale,
        })
    }

    /// A page of the events index, the events in `range` (in timeline order): each year's
    /// events and picture. Over [`INDEX_MARKS`] events on the page, each year's share of
    /// the marks follows its share of the page's events.
    pub(super) fn year_strips(&self, range: std::ops::Range<usize>) -> Vec<YearStrip<'_>> {
        let all: Vec<usize> = range.collect();
        let total = all.len().max(1);
        let mut first = 0;
        self.timeline(&all)
            .into_iter()
            .map(|group| {
                let n = group.events.len();
                let events = &all[first..first + n];
                first += n;
                let max_marks = if total <= INDEX_MARKS {
                    n
                } else {
                    (INDEX_MARKS * n / total).max(1)
                };
                YearStrip {
                    year: group.year,
                    events: group.events,
                    picture: self.graph.config.pictures.then(|| Timeline {
                        marks: self.marks(events),
                        options: timeline_svg::Options {
                            id: format!("tl-{}", group.year),
                            title: self
                                .locale
                                .format("timeline_of", &[("name", &group.year.to_string())]),
                            span: Span::Year(group.year),
                            max_marks,
                        },
                        locale: &self.locale,
                    }),
                }
            })
            .collect()
    }
}
