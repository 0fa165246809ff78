//! JSON-LD (schema.org) for pages: `Report` for briefs, `Person`, `Organization` or
//! `Thing` for actors, `Event` for events, `WebSite` for the home page. Typed structs that
//! borrow from the graph; [`Script`] serialises one as the text of a
//! `<script type="application/ld+json">` (with `<`, `>` and `&` escaped, so no value can
//! close the element) and hashes it by its fields, so a page's context and fingerprint
//! come from the same value.

use std::hash::{Hash, Hasher};

use serde::{Serialize, Serializer};

/// The `@context` of every document.
pub const CONTEXT: &str = "https://schema.org";

/// One page's JSON-LD document.
#[derive(Serialize, Hash)]
#[serde(untagged)]
pub enum Ld<'a> {
    /// A brief.
    Report(Box<Report<'a>>),
    /// An actor.
    Agent(Box<Agent<'a>>),
    /// An event.
    Event(Box<EventLd<'a>>),
    /// The home page.
    WebSite(Box<WebSite<'a>>),
}

/// A JSON-LD document that serialises as its JSON text.
pub struct Script<'a>(pub Ld<'a>);

impl Serialize for Script<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&super::data::json(&self.0))
    }
}

impl Hash for Script<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.hash(state);
    }
}

/// A brief (schema.org `Report`).
#[derive(Serialize, Hash)]
#[serde(rename_all = "camelCase")]
pub struct Report<'a> {
    /// [`CONTEXT`].
    #[serde(rename = "@context")]
    pub context: &'static str,
    /// `Report`.
    #[serde(rename = "@type")]
    pub kind: &'static str,
    /// The brief's absolute URL.
    #[serde(rename = "@id")]
    pub id: String,
    /// The same URL.
    pub url: String,
    /// The title.
    pub name: &'a str,
    /// The title again (what search engines read as the headline).
    pub headline: &'a str,
    /// The subtitle.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alternative_headline: Option<&'a str>,
    /// The summary as plain text.
    #[serde(skip_serializing_if = "str::is_empty")]
    pub description: &'a str,
    /// `date`.
    pub date_published: String,
    /// `updated`, else `date`.
    pub date_modified: String,
    /// The site's language.
    pub in_language: &'a str,
    /// The cover's absolute URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    /// The authors, in the order written.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub author: Vec<Agent<'a>>,
    /// `publisher` of `site.yaml`.
    pub publisher: Agent<'a>,
    /// The actors the brief tags.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub about: Vec<Agent<'a>>,
    /// Its topics.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub keywords: Vec<&'a str>,
}

/// A person, an organisation or (for an actor of no known kind) a thing.
#[derive(Serialize, Hash, Default)]
#[serde(rename_all = "camelCase")]
pub struct Agent<'a> {
    /// [`CONTEXT`] for a document of its own, else absent.
    #[serde(rename = "@context", skip_serializing_if = "Option::is_none")]
    pub context: Option<&'static str>,
    /// `Person`, `Organization` or `Thing`.
    #[serde(rename = "@type")]
    pub kind: &'static str,
    /// The name.
    pub name: &'a str,
    /// Its page, absolute.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Aliases.
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    pub alternate_name: &'a [String],
    /// A sentence about it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Its pages elsewhere (homepage, profiles).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub same_as: Vec<&'a str>,
    /// A person's institution.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub affiliation: Option<Box<Agent<'a>>>,
    /// The organisations it belongs to.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub member_of: Vec<Agent<'a>>,
    /// A publisher's logo.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub logo: Option<ImageObject>,
    /// A person's country.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nationality: Option<Place<'a>>,
    /// An organisation's country.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Place<'a>>,
}

/// An image by URL.
#[derive(Serialize, Hash)]
pub struct ImageObject {
    /// `ImageObject`.
    #[serde(rename = "@type")]
    pub kind: &'static str,
    /// Absolute.
    pub url: String,
}

/// A place or country by name.
#[derive(Serialize, Hash)]
pub struct Place<'a> {
    /// `Place` or `Country`.
    #[serde(rename = "@type")]
    pub kind: &'static str,
    /// As written.
    pub name: &'a str,
}

/// An event (schema.org `Event`).
#[derive(Serialize, Hash)]
#[serde(rename_all = "camelCase")]
pub struct EventLd<'a> {
    /// [`CONTEXT`].
    #[serde(rename = "@context")]
    pub context: &'static str,
    /// `Event`.
    #[serde(rename = "@type")]
    pub kind: &'static str,
    /// The event's absolute URL.
    #[serde(rename = "@id")]
    pub id: String,
    /// The same URL.
    pub url: String,
    /// The title.
    pub name: &'a str,
    /// A sentence about it.
    pub description: String,
    /// `date`.
    pub start_date: String,
    /// `end_date`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_date: Option<String>,
    /// Where it happened.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Place<'a>>,
    /// The actors taking part.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub about: Vec<Agent<'a>>,
    /// The briefs that discuss it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub subject_of: Vec<WorkRef<'a>>,
}

/// A brief named from another document.
#[derive(Serialize, Hash)]
pub struct WorkRef<'a> {
    /// `Report`.
    #[serde(rename = "@type")]
    pub kind: &'static str,
    /// The title.
    pub name: &'a str,
    /// Its absolute URL.
    pub url: String,
}

/// The site (schema.org `WebSite`), on the home page.
#[derive(Serialize, Hash)]
#[serde(rename_all = "camelCase")]
pub struct WebSite<'a> {
    /// [`CONTEXT`].
    #[serde(rename = "@context")]
    pub context: &'static str,
    /// `WebSite`.
    #[serde(rename = "@type")]
    pub kind: &'static str,
    /// The home page, absolute.
    pub url: String,
    /// The site's title.
    pub name: &'a str,
    /// The site's description.
    #[serde(skip_serializing_if = "str::is_empty")]
    pub description: &'a str,
    /// The site's language.
    pub in_language: &'a str,
    /// `publisher` of `site.yaml`.
    pub publisher: Agent<'a>,
}

/// The schema.org type of an actor of `kind` (free text): people are `Person`; any other
/// kind (state, militia, organisation, alliance…) is an `Organization`; an actor without a
/// kind (an implicit one) is a `Thing`.
pub fn actor_type(kind: Option<&str>) -> &'static str {
    const PEOPLE: &[&str] = &[
        "person",
        "people",
        "individual",
        "politician",
        "official",
        "leader",
        "minister",
        "commander",
        "diplomat",
        "journalist",
        "activist",
    ];
    match kind.map(|k| k.trim().to_lowercase()) {
        None => "Thing",
        Some(k) if k.is_empty() => "Thing",
        Some(k) if PEOPLE.contains(&k.as_str()) => "Person",
        Some(_) => "Organization",
    }
}

/// A named organisation with an optional URL, for affiliations and publishers.
pub fn organization<'a>(name: &'a str, url: Option<String>) -> Agent<'a> {
    Agent {
        kind: "Organization",
        name,
        url,
        ..Agent::default()
    }
}

/// A date for schema.org and OpenGraph: the RFC 3339 timestamp when one was written,
/// else the day (`2021-07-12`).
pub fn iso_date(date: &crate::date::Date) -> String {
    date.timestamp
        .as_ref()
        .map_or_else(|| date.iso(), chrono::DateTime::to_rfc3339)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_map_to_schema_types() {
        assert_eq!(actor_type(Some("Person")), "Person");
        assert_eq!(actor_type(Some("state")), "Organization");
        assert_eq!(actor_type(Some("militia")), "Organization");
        assert_eq!(actor_type(Some(" ")), "Thing");
        assert_eq!(actor_type(None), "Thing");
    }

    #[test]
    fn script_text_cannot_close_the_element() {
        let agent = Agent {
            context: Some(CONTEXT),
            kind: "Person",
            name: "</script><script>alert(1)</script> & co",
            ..Agent::default()
        };
        let script = Script(Ld::Agent(Box::new(agent)));
        let text = serde_json::to_value(&script).unwrap();
        let text = text.as_str().unwrap();
        assert!(!text.contains('<') && !text.contains('>') && !text.contains('&'));
        let back: serde_json::Value = serde_json::from_str(text).unwrap();
        assert_eq!(back["@type"], "Person");
        assert_eq!(back["name"], "</script><script>alert(1)</script> & co");
        assert_eq!(back["@context"], CONTEXT);
    }
}
