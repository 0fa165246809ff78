//! Dates of briefs and events: `YYYY-MM-DD` or RFC 3339, validated against the calendar.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate};
use serde::Serialize;

/// A calendar day, with the full timestamp when one was given.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// The day, as written (in the timestamp's own offset).
    pub day: NaiveDate,
    /// The RFC 3339 timestamp, if the date had a time.
    pub timestamp: Option<DateTime<FixedOffset>>,
}

impl Date {
    /// Parses `YYYY-MM-DD` or RFC 3339; the error says what was expected.
    pub fn parse(text: &str) -> Result<Date, String> {
        let text = text.trim();
        if let Ok(day) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            if text.len() == 10 {
                return Ok(Date {
                    day,
                    timestamp: None,
                });
            }
        }
        if let Ok(ts) = DateTime::parse_from_rfc3339(text) {
            return Ok(Date {
                day: ts.date_naive(),
                timestamp: Some(ts),
            });
        }
        if looks_like_a_day(text) {
            Err(format!("`{text}` is not a day of the calendar"))
        } else {
            Err(format!("`{text}` is not a date"))
        }
    }

    /// `2021-07-12`.
    pub fn iso(&self) -> String {
        self.day.format("%Y-%m-%d").to_string()
    }

    /// The year.
    pub fn year(&self) -> i32 {
        self.day.year()
    }

    /// `12 July 2021`, for readers.
    pub fn display(&self) -> String {
        self.day.format("%-d %B %Y").to_string()
    }

    /// An RFC 3339 timestamp (midnight UTC when only a day was given), for feeds.
    pub fn rfc3339(&self) -> String {
        match &self.timestamp {
            Some(ts) => ts.to_rfc3339(),
            None => format!("{}T00:00:00Z", self.iso()),
        }
    }
}

fn looks_like_a_day(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

/// A date as templates and JSON see it.
#[derive(Debug, Clone, Serialize, Hash, PartialEq, Eq)]
pub struct DateView {
    /// `2021-07-12`
    pub iso: String,
    /// `12 July 2021`
    pub display: String,
    /// `2021`
    pub year: i32,
}

impl From<&Date> for DateView {
    fn from(d: &Date) -> Self {
        DateView {
            iso: d.iso(),
            display: d.display(),
            year: d.year(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_days_and_timestamps() {
        assert_eq!(Date::parse("2021-07-12").unwrap().iso(), "2021-07-12");
        let d = Date::parse("2021-07-12T10:00:00+02:00").unwrap();
        assert_eq!(d.iso(), "2021-07-12");
        assert_eq!(d.rfc3339(), "2021-07-12T10:00:00+02:00");
        assert_eq!(Date::parse("2021-07-12").unwrap().display(), "12 July 2021");
    }

    #[test]
    fn rejects_impossible_days() {
        let e = Date::parse("2021-02-30").unwrap_err();
        assert!(e.contains("not a day of the calendar"), "{e}");
        assert!(Date::parse("yesterday").is_err());
    }
}
