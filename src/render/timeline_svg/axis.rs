//! The date axis of a timeline: the days it covers, where a day falls on it, and its ticks
//! (months, with the years written under them, or years).

use std::fmt::Write as _;

use chrono::{Datelike, Months, NaiveDate};

use super::{integer, num, number, Mark, Span, LEFT, RIGHT, TOP};
use crate::escape;
use crate::i18n::Locale;

/// The fewest months a fitted axis covers.
const MIN_MONTHS: u32 = 6;
/// The most months an axis shows by month; a longer one shows years.
const MAX_MONTHS: u32 = 24;
/// Narrower months are labelled by quarter; narrower years, every few years.
const MONTH_LABEL: f64 = 30.0;
const YEAR_LABEL: f64 = 40.0;

/// A stretch of the axis (a month or a year) and its label, empty when labels would crowd.
struct Tick {
    from: f64,
    to: f64,
    label: TickLabel,
}

/// What a tick says.
#[derive(Clone, Copy, PartialEq)]
enum TickLabel {
    None,
    /// A month, 1–12.
    Month(u32),
    Year(i32),
}

/// The days an axis covers: from the first day of a month to the day before another's.
pub(super) struct Axis {
    start: NaiveDate,
    end: NaiveDate,
    days: f64,
    by_month: bool,
    /// Whether years are written under the months (not on one year's own axis).
    year_row: bool,
}

impl Axis {
    /// The axis for `span`, fitted to `marks` if it asks so.
    pub(super) fn new(span: Span, marks: &[Mark]) -> Axis {
        let first = marks.iter().map(|m| m.date).min();
        let last = marks
            .iter()
            .map(|m| m.end.unwrap_or(m.date).max(m.date))
            .max();
        let (Span::Fit, Some(first), Some(last)) = (span, first, last) else {
            let year = match span {
                Span::Year(y) => y,
                Span::Fit => 2000,
            };
            return Axis::between(january_first(year), january_first(year + 1), true, false);
        };
        let months =
            (last.year() - first.year()) * 12 + last.month0() as i32 - first.month0() as i32 + 1;
        let months = u32::try_from(months).unwrap_or(1);
        if months > MAX_MONTHS {
            return Axis::between(
                january_first(first.year()),
                january_first(last.year() + 1),
                false,
                false,
            );
        }
        let pad = MIN_MONTHS.saturating_sub(months);
        let start = month_start(first)
            .checked_sub_months(Months::new(pad / 2))
            .unwrap_or(first);
        let end = month_start(last)
            .checked_add_months(Months::new(1 + pad - pad / 2))
            .unwrap_or(last);
        Axis::between(start, end, true, true)
    }

    fn between(start: NaiveDate, end: NaiveDate, by_month: bool, year_row: bool) -> Axis {
        Axis {
            start,
            end,
            days: (end - start).num_days().max(1) as f64,
            by_month,
            year_row,
        }
    }

    /// The x of the start of `day`, kept on the axis.
    fn edge(&self, day: NaiveDate) -> f64 {
        let offset = ((day - self.start).num_days() as f64).clamp(0.0, self.days);
        LEFT + offset / self.days * (RIGHT - LEFT)
    }

    /// The x of the middle of `day`, kept on the axis.
    pub(super) fn x(&self, day: NaiveDate) -> f64 {
        (self.edge(day) + (RIGHT - LEFT) / self.days / 2.0).min(RIGHT)
    }

    /// Height of what is drawn under the axis line.
    pub(super) fn height_below(&self) -> f64 {
        if self.year_row {
            36.0
        } else {
            22.0
        }
    }

    /// Each month, or each year, of the axis.
    fn ticks(&self) -> Vec<Tick> {
        let mut ticks = Vec::new();
        let mut at = self.start;
        while at < self.end {
            let next = if self.by_month {
                at.checked_add_months(Months::new(1))
            } else {
                NaiveDate::from_ymd_opt(at.year() + 1, 1, 1)
            };
            let next = next.unwrap_or(self.end).min(self.end);
            ticks.push(Tick {
                from: self.edge(at),
                to: self.edge(next),
                label: if self.by_month {
                    TickLabel::Month(at.month())
                } else {
                    TickLabel::Year(at.year())
                },
            });
            if next <= at {
                break;
            }
            at = next;
        }
        // Thin out labels that would crowd: months by quarter, years by a round step.
        let width = ticks.first().map_or(RIGHT - LEFT, |t| t.to - t.from);
        if self.by_month && width < MONTH_LABEL {
            for (k, tick) in ticks.iter_mut().enumerate() {
                let month0 = (self.start.month0() as usize + k) % 12;
                if month0 % 3 != 0 {
                    tick.label = TickLabel::None;
                }
            }
        } else if !self.by_month {
            let step = (YEAR_LABEL / width.max(1.0)).ceil().max(1.0) as usize;
            for (k, tick) in ticks.iter_mut().enumerate() {
                if k % step != 0 {
                    tick.label = TickLabel::None;
                }
            }
        }
        ticks
    }

    /// The years written under the months: at each January, and at the start if the
    /// first January is not near.
    fn year_labels(&self) -> Vec<(f64, i32)> {
        let mut labels = Vec::new();
        let mut year = self.start.year();
        if self.start.month() != 1 {
            let next = self.edge(january_first(year + 1));
            if next - LEFT >= YEAR_LABEL || january_first(year + 1) >= self.end {
                labels.push((LEFT, year));
            }
            year += 1;
        }
        while year <= self.end.year() && january_first(year) < self.end {
            labels.push((self.edge(january_first(year)), year));
            year += 1;
        }
        labels
    }

    /// Grid lines, the axis line and the tick labels, hidden from assistive technology
    /// (the marks' names carry their dates).
    pub(super) fn draw(&self, svg: &mut String, axis_y: f64, locale: &Locale) {
        let ticks = self.ticks();
        let text = number;
        let (top, bottom) = (text(TOP), text(axis_y));
        svg.push_str("<g class=\"tl-axis\" aria-hidden=\"true\"><path class=\"tl-grid\" d=\"");
        for tick in ticks.iter().skip(1) {
            svg.push('M');
            num(svg, tick.from);
            let _ = write!(svg, " {top}V{bottom}");
        }
        let _ = write!(
            svg,
            "\" stroke=\"currentColor\" stroke-opacity=\".2\"/>\
             <path class=\"tl-line\" d=\"M{} {bottom}H{}\" stroke=\"currentColor\"/>\
             <g class=\"tl-tick\" text-anchor=\"middle\">",
            text(LEFT),
            text(RIGHT)
        );
        let label_y = text(axis_y + 16.0);
        for tick in &ticks {
            let (TickLabel::Month(_) | TickLabel::Year(_)) = tick.label else {
                continue;
            };
            svg.push_str("<text x=\"");
            num(svg, (tick.from + tick.to) / 2.0);
            let _ = write!(svg, "\" y=\"{label_y}\">");
            match tick.label {
                TickLabel::Month(month) if locale.has_english_dates() => {
                    svg.push_str(MONTHS[month as usize - 1]);
                }
                TickLabel::Month(month) => escape::html_into(svg, &locale.month_short(month)),
                TickLabel::Year(year) => integer(svg, i64::from(year)),
                TickLabel::None => {}
            }
            svg.push_str("</text>");
        }
        svg.push_str("</g>");
        if self.year_row {
            let year_y = text(axis_y + 31.0);
            svg.push_str("<g class=\"tl-tick\">");
            for (x, year) in self.year_labels() {
                svg.push_str("<text x=\"");
                num(svg, x + 2.0);
                let _ = write!(svg, "\" y=\"{year_y}\">");
                integer(svg, i64::from(year));
                svg.push_str("</text>");
            }
            svg.push_str("</g>");
        }
        svg.push_str("</g>");
    }
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn january_first(year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(NaiveDate::MIN)
}

fn month_start(day: NaiveDate) -> NaiveDate {
    day.with_day(1).unwrap_or(day)
}
