//! The non-HTML outputs besides feeds and calendars: the sitemap (written with
//! `quick-xml`), robots.txt, CNAME and the corpus as JSON (`api/briefs.json`,
//! `api/actors.json`, `api/events.json`; shapes in `docs/json.md`). JSON escapes `<`, so
//! it is safe inside `<script>` too.

use std::io;

use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::Writer;
use serde::Serialize;
use serde_json::ser::{CompactFormatter, Formatter, PrettyFormatter};

use super::packed::ItemTexts;
use super::Site;

/// Serialises as compact JSON with `<`, `>` and `&` escaped (in one pass, while writing).
pub fn json<T: Serialize>(value: &T) -> String {
    let mut out = Vec::with_capacity(4096);
    if write_json(value, &mut out, false).is_err() {
        return "null".to_string();
    }
    String::from_utf8(out).unwrap_or_else(|_| "null".to_string())
}

/// Writes `value` as JSON, compact or `pretty` (two-space indentation), with `<`, `>` and
/// `&` escaped.
pub fn write_json<T: Serialize + ?Sized>(
    value: &T,
    w: &mut dyn io::Write,
    pretty: bool,
) -> io::Result<()> {
    if pretty {
        let formatter = SafeFormatter(PrettyFormatter::new());
        value.serialize(&mut serde_json::Serializer::with_formatter(w, formatter))
    } else {
        let formatter = SafeFormatter(CompactFormatter);
        value.serialize(&mut serde_json::Serializer::with_formatter(w, formatter))
    }
    .map_err(io::Error::other)
}

/// A serde_json formatter that escapes `<`, `>` and `&` inside strings, so that the JSON
/// is safe inside a `<script>` element too; layout is the inner formatter's.
struct SafeFormatter<F>(F);

impl<F: Formatter> Formatter for SafeFormatter<F> {
    fn write_string_fragment<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut start = 0;
        for (i, byte) in fragment.bytes().enumerate() {
            let escaped: &[u8] = match byte {
                b'<' => b"\\u003c",
                b'>' => b"\\u003e",
                b'&' => b"\\u0026",
                _ => continue,
            };
            writer.write_all(&fragment.as_bytes()[start..i])?;
            writer.write_all(escaped)?;
            start = i + 1;
        }
        writer.write_all(&fragment.as_bytes()[start..])
    }
    fn begin_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_value(w)
    }
}

impl Site<'_> {
    /// An absolute URL for a site path, where `base_url` has a host.
    pub fn absolute(&self, path: &str) -> String {
        let origin = self.graph.config.origin();
        let mut url = String::with_capacity(origin.len() + path.len());
        url.push_str(origin);
        url.push_str(path);
        url
    }

    /// The sitemap: every page, sorted by URL, with the day a brief was last revised.
    pub fn sitemap(&self, urls: &[(String, Option<String>)]) -> String {
        let mut writer = Writer::new(Vec::with_capacity(64 * urls.len() + 128));
        let written = (|| -> io::Result<()> {
            writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)))?;
            writer.write_event(Event::Text(BytesText::from_escaped("\n")))?;
            let languages = &*self.graph.languages;
            let mut urlset = BytesStart::new("urlset")
                .with_attributes([("xmlns", "http://www.sitemaps.org/schemas/sitemap/0.9")]);
            if languages.is_multilingual() {
                urlset.push_attribute(("xmlns:xhtml", "http://www.w3.org/1999/xhtml"));
            }
            writer.write_event(Event::Start(urlset))?;
            writer.write_event(Event::Text(BytesText::from_escaped("\n")))?;
            for (url, lastmod) in urls {
                writer.write_event(Event::Text(BytesText::from_escaped("  ")))?;
                writer.write_event(Event::Start(BytesStart::new("url")))?;
                writer
                    .create_element("loc")
                    .write_text_content(BytesText::new(&self.absolute(url)))?;
                if let Some(day) = lastmod {
                    writer
                        .create_element("lastmod")
                        .write_text_content(BytesText::new(day))?;
                }
                // Every version of the page, itself included (docs/languages.md).
                for (code, version) in languages.versions(url) {
                    writer
                        .create_element("xhtml:link")
                        .with_attributes([
                            ("rel", "alternate"),
                            ("hreflang", code),
                            ("href", self.absolute(version).as_str()),
                        ])
                        .write_empty()?;
                }
                writer.write_event(Event::End(BytesEnd::new("url")))?;
                writer.write_event(Event::Text(BytesText::from_escaped("\n")))?;
            }
            writer.write_event(Event::End(BytesEnd::new("urlset")))?;
            writer.write_event(Event::Text(BytesText::from_escaped("\n")))
        })();
        match written {
            Ok(()) => String::from_utf8(writer.into_inner()).unwrap_or_default(),
            // Writing into memory fails only on a bug of the writer.
            Err(_) => String::new(),
        }
    }

    /// robots.txt, pointing at the sitemap.
    pub fn robots(&self) -> String {
        format!(
            "User-agent: *\nAllow: /\n\nSitemap: {}\n",
            self.absolute(&format!("{}sitemap.xml", self.graph.base_path))
        )
    }

    /// `api/briefs.json`.
    pub fn briefs_json(&self) -> String {
        let mut out = Vec::new();
        let _ = self.write_briefs_json(&mut out);
        String::from_utf8(out).unwrap_or_default()
    }

    /// Writes `api/briefs.json` to `w`. The briefs' objects are made in parallel, a window
    /// of [`JSON_WINDOW`] briefs at a time, and written in order, so that at most a window
    /// of them is held (the texts of a packed brief's key points and recommendations are
    /// decompressed only while its object is made: see [`super::packed`]).
    pub fn write_briefs_json(&self, w: &mut dyn io::Write) -> io::Result<()> {
        use rayon::prelude::*;
        let pretty = self.graph.config.pretty_json;
        let n = self.graph.briefs.len();
        let mut windows = (0..n).step_by(JSON_WINDOW).map(|start| {
            (start..n.min(start + JSON_WINDOW))
                .into_par_iter()
                .map(|b| self.brief_item(b, pretty))
                .collect::<io::Result<Vec<Vec<u8>>>>()
        });
        let mut window: std::vec::IntoIter<Vec<u8>> = Vec::new().into_iter();
        let mut items = std::iter::from_fn(|| loop {
            if let Some(item) = window.next() {
                return Some(Ok(item));
            }
            match windows.next()? {
                Ok(next) => window = next.into_iter(),
                Err(e) => return Some(Err(e)),
            }
        });
        write_array(&mut items, pretty, w)
    }

    /// Writes `api/briefs.json` to `w` like [`Site::write_briefs_json`], byte for byte,
    /// from each brief's object serialised once and kept in `cache`: with `changed`
    /// (briefs by index, of a graph whose structure is that of the last call's), only
    /// those are serialised again; without, all.
    pub fn write_briefs_json_cached(
        &self,
        w: &mut dyn io::Write,
        cache: &mut BriefsJsonCache,
        changed: Option<&[usize]>,
    ) -> io::Result<()> {
        use rayon::prelude::*;
        let pretty = self.graph.config.pretty_json;
        let n = self.graph.briefs.len();
        match changed {
            Some(list) if cache.items.len() == n && cache.pretty == pretty => {
                for &b in list {
                    cache.items[b] = self.brief_item(b, pretty)?;
                }
            }
            _ => {
                cache.items = Vec::new();
                cache.items = (0..n)
                    .into_par_iter()
                    .map(|b| self.brief_item(b, pretty))
                    .collect::<io::Result<_>>()?;
                cache.pretty = pretty;
            }
        }
        write_array(&mut cache.items.iter().map(|i| Ok(i.as_slice())), pretty, w)
    }

    /// Brief `b`'s object in `api/briefs.json`, as the array holds it.
    fn brief_item(&self, b: usize, pretty: bool) -> io::Result<Vec<u8>> {
        let texts = self.bodies.briefs[b].item_texts();
        array_item(&self.brief_json(b, &texts), pretty)
    }

    /// Brief `b` (whose key points' and recommendations' texts are `texts`) as
    /// `api/briefs.json` lists it.
    fn brief_json<'a>(&'a self, b: usize, texts: &'a ItemTexts<'a>) -> BriefJson<'a> {
        let g = self.graph;
        let brief = &g.briefs[b];
        let front = &brief.doc.front;
        BriefJson {
            slug: &brief.slug,
            url: &brief.url,
            title: &front.title,
            subtitle: front.subtitle.as_deref(),
            date: brief.doc.date.iso(),
            updated: brief.doc.updated.as_ref().map(crate::date::Date::iso),
            authors: front
                .authors
                .iter()
                .map(crate::load::AuthorRef::to_author)
                .collect(),
            summary: &self.bodies.briefs[b].summary_text,
            key_points: texts.key_points.iter().map(AsRef::as_ref).collect(),
            recommendations: texts.recommendations.iter().map(AsRef::as_ref).collect(),
            actors: brief
                .actors
                .iter()
                .map(|&a| g.actors[a].slug.as_str())
                .collect(),
            mentioned_actors: self.xref.mentioned_only[b]
                .iter()
                .map(|&a| g.actors[a].slug.as_str())
                .collect(),
            events: brief
                .events
                .iter()
                .map(|&e| g.events[e].slug.as_str())
                .collect(),
            topics: brief
                .topics
                .iter()
                .map(|&t| g.topics.terms[t].slug.as_str())
                .collect(),
            regions: brief
                .regions
                .iter()
                .map(|&t| g.regions.terms[t].slug.as_str())
                .collect(),
        }
    }

    /// `api/actors.json`.
    pub fn actors_json(&self) -> String {
        let mut out = Vec::new();
        let _ = self.write_actors_json(&mut out);
        String::from_utf8(out).unwrap_or_default()
    }

    /// Writes `api/actors.json` to `w`.
    pub fn write_actors_json(&self, w: &mut dyn io::Write) -> io::Result<()> {
        let g = self.graph;
        let list: Vec<ActorJson> = g
            .actors
            .iter()
            .enumerate()
            .map(|(a, actor)| ActorJson {
                slug: &actor.slug,
                url: &actor.url,
                name: &actor.name,
                aliases: &actor.aliases,
                kind: actor.kind.as_deref(),
                country: actor.country.as_deref(),
                implicit: actor.implicit(),
                affiliations: actor
                    .affiliations
                    .iter()
                    .map(|&x| g.actors[x].slug.as_str())
                    .collect(),
                briefs: actor
                    .briefs
                    .iter()
                    .map(|&b| g.briefs[b].slug.as_str())
                    .collect(),
                mentioned_in: self.xref.mentioned_by[a]
                    .iter()
                    .map(|&b| g.briefs[b].slug.as_str())
                    .collect(),
                events: actor
                    .events
                    .iter()
                    .map(|&e| g.events[e].slug.as_str())
                    .collect(),
            })
            .collect();
        write_json(&list, w, self.graph.config.pretty_json)
    }

    /// `api/events.json`.
    pub fn events_json(&self) -> String {
        let mut out = Vec::new();
        let _ = self.write_events_json(&mut out);
        String::from_utf8(out).unwrap_or_default()
    }

    /// Writes `api/events.json` to `w`.
    pub fn write_events_json(&self, w: &mut dyn io::Write) -> io::Result<()> {
        let g = self.graph;
        let list: Vec<EventJson> = g
            .events
            .iter()
            .map(|event| EventJson {
                slug: &event.slug,
                url: &event.url,
                title: &event.title,
                date: event.date.iso(),
                end_date: event.end_date.as_ref().map(crate::date::Date::iso),
                location: event.location.as_deref(),
                actors: event
                    .actors
                    .iter()
                    .map(|&a| g.actors[a].slug.as_str())
                    .collect(),
                briefs: event
                    .briefs
                    .iter()
                    .map(|&b| g.briefs[b].slug.as_str())
                    .collect(),
                sources: &event.sources,
            })
            .collect();
        write_json(&list, w, self.graph.config.pretty_json)
    }
}

/// `value` serialised as an element of an array [`write_json`] writes (indented one level
/// when `pretty`: JSON strings hold no raw line break, so every one is layout).
fn array_item<T: Serialize + ?Sized>(value: &T, pretty: bool) -> io::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(4096);
    write_json(value, &mut out, pretty)?;
    if !pretty {
        return Ok(out);
    }
    let mut indented = Vec::with_capacity(out.len() + out.len() / 16 + 2);
    indented.extend_from_slice(b"  ");
    for &byte in &out {
        indented.push(byte);
        if byte == b'\n' {
            indented.extend_from_slice(b"  ");
        }
    }
    Ok(indented)
}

/// How many briefs' objects [`Site::write_briefs_json`] makes at once.
const JSON_WINDOW: usize = 512;

/// Writes the array of `items` (from [`array_item`]) as [`write_json`] writes an array.
fn write_array<T: AsRef<[u8]>>(
    items: &mut dyn Iterator<Item = io::Result<T>>,
    pretty: bool,
    w: &mut dyn io::Write,
) -> io::Result<()> {
    w.write_all(b"[")?;
    let mut empty = true;
    for (i, item) in items.enumerate() {
        let item = item?;
        empty = false;
        match (pretty, i) {
            (true, 0) => w.write_all(b"\n")?,
            (true, _) => w.write_all(b",\n")?,
            (false, 0) => {}
            (false, _) => w.write_all(b",")?,
        }
        w.write_all(item.as_ref())?;
    }
    if pretty && !empty {
        w.write_all(b"\n")?;
    }
    w.write_all(b"]")
}

/// Each brief's object in `api/briefs.json`, serialised, kept between rebuilds (see
/// [`Site::write_briefs_json_cached`]).
#[derive(Debug, Default)]
pub struct BriefsJsonCache {
    items: Vec<Vec<u8>>,
    pretty: bool,
}

impl BriefsJsonCache {
    /// Forgets every object (the next write serialises all).
    pub fn clear(&mut self) {
        self.items = Vec::new();
    }
}

#[derive(Serialize)]
struct BriefJson<'a> {
    slug: &'a str,
    url: &'a str,
    title: &'a str,
    subtitle: Option<&'a str>,
    date: String,
    updated: Option<String>,
    authors: Vec<crate::load::Author>,
    summary: &'a str,
    key_points: Vec<&'a str>,
    recommendations: Vec<&'a str>,
    actors: Vec<&'a str>,
    mentioned_actors: Vec<&'a str>,
    events: Vec<&'a str>,
    topics: Vec<&'a str>,
    regions: Vec<&'a str>,
}

#[derive(Serialize)]
struct ActorJson<'a> {
    slug: &'a str,
    url: &'a str,
    name: &'a str,
    aliases: &'a [String],
    kind: Option<&'a str>,
    country: Option<&'a str>,
    implicit: bool,
    affiliations: Vec<&'a str>,
    briefs: Vec<&'a str>,
    mentioned_in: Vec<&'a str>,
    events: Vec<&'a str>,
}

#[derive(Serialize)]
struct EventJson<'a> {
    slug: &'a str,
    url: &'a str,
    title: &'a str,
    date: String,
    end_date: Option<String>,
    location: Option<&'a str>,
    actors: Vec<&'a str>,
    briefs: Vec<&'a str>,
    sources: &'a [crate::load::Link],
}

#[cfg(test)]
mod tests {
    #[test]
    fn arrays_assembled_from_items_are_what_the_serialiser_writes() {
        let values = [
            serde_json::json!([]),
            serde_json::json!([{"a": "x\ny <b>", "b": [], "c": [{"d": 1}], "e": {}}]),
            serde_json::json!([{"a": 1}, {"b": ["<", ">"], "c": null}, {"d": {"e": [1, 2]}}]),
        ];
        for value in &values {
            let items: Vec<serde_json::Value> =
                value.as_array().map(|a| a.to_vec()).unwrap_or_default();
            for pretty in [false, true] {
                let mut whole = Vec::new();
                super::write_json(value, &mut whole, pretty).unwrap();
                let parts: Vec<Vec<u8>> = items
                    .iter()
                    .map(|v| super::array_item(v, pretty).unwrap())
                    .collect();
                let mut assembled = Vec::new();
                let mut each = parts.iter().map(|p| Ok(p.as_slice()));
                super::write_array(&mut each, pretty, &mut assembled).unwrap();
                assert_eq!(
                    String::from_utf8(assembled).unwrap(),
                    String::from_utf8(whole).unwrap()
                );
            }
        }
    }

    use super::*;

    #[test]
    fn json_escapes_script_breakers() {
        assert_eq!(json(&"</script>&"), "\"\\u003c/script\\u003e\\u0026\"");
        let mut pretty = Vec::new();
        write_json(&serde_json::json!({"a": ["<b>"]}), &mut pretty, true).unwrap();
        assert_eq!(
            String::from_utf8(pretty).unwrap(),
            "{\n  \"a\": [\n    \"\\u003cb\\u003e\"\n  ]\n}"
        );
        assert_eq!(json(&serde_json::json!({"a": [1]})), "{\"a\":[1]}");
    }
}
