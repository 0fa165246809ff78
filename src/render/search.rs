//! What the search index holds of the site: a document per brief, actor, event and free
//! page, with its filter values (topics, regions, actors) and, on demand, its plain text
//! from the rendered body. The index itself is [`crate::search`]'s.

use crate::hash::hash_of;
use crate::search::text::{push_plain, push_text};
use crate::search::{Doc, Kind, Label, Labels};

use super::Site;

impl Site<'_> {
    /// Every searchable document (briefs, actors, events, pages, in that order: the
    /// numbering [`Site::search_text`] takes), and the filter values they refer to.
    pub fn search_docs(&self) -> (Vec<Doc>, Labels) {
        let g = self.graph;
        let labels = Labels {
            topics: terms(&g.topics),
            regions: terms(&g.regions),
            actors: g
                .actors
                .iter()
                .map(|a| Label {
                    slug: a.slug.clone(),
                    label: a.name.clone(),
                })
                .collect(),
            kinds: Kind::ALL
                .iter()
                .map(|k| self.locale.text(k.name()).to_string())
                .collect(),
        };
        let mut docs = Vec::with_capacity(g.briefs.len() + g.actors.len() + g.events.len());
        docs.extend((0..g.briefs.len()).map(|b| self.brief_search_doc(b)));
        for (a, actor) in g.actors.iter().enumerate() {
            let body = self.bodies.actors[a].as_ref().map(|b| b.output_hash());
            docs.push(Doc {
                kind: Kind::Actor,
                url: actor.url.clone(),
                title: actor.name.clone(),
                boost: actor.aliases.clone(),
                date: None,
                shown_date: None,
                topics: Vec::new(),
                regions: Vec::new(),
                actors: vec![a],
                hash: hash_of(&(&actor.name, &actor.aliases, body)),
            });
        }
        for (e, event) in g.events.iter().enumerate() {
            let body = self.bodies.events[e].as_ref().map(|b| b.output_hash());
            docs.push(Doc {
                kind: Kind::Event,
                url: event.url.clone(),
                title: event.title.clone(),
                boost: Vec::new(),
                date: Some(event.date.clone()),
                shown_date: Some(self.locale.date(&event.date)),
                topics: Vec::new(),
                regions: Vec::new(),
                actors: sorted(&event.actors),
                hash: hash_of(&(&event.title, &event.location, body)),
            });
        }
        for (p, page) in g.pages.iter().enumerate() {
            let front = &page.doc.front;
            docs.push(Doc {
                kind: Kind::Page,
                url: page.url.clone(),
                title: front.title.clone(),
                boost: Vec::new(),
                date: None,
                shown_date: None,
                topics: Vec::new(),
                regions: Vec::new(),
                actors: Vec::new(),
                hash: hash_of(&(
                    &front.title,
                    &front.description,
                    self.bodies.pages[p].output_hash(),
                )),
            });
        }
        (docs, labels)
    }

    /// [`Site::search_docs`] after an edit that kept the graph's structure, from the last
    /// rebuild's: only the documents of the briefs `changed` (by index) are made again.
    pub fn search_docs_after_edit(
        &self,
        last: (Vec<Doc>, Labels),
        changed: &[usize],
    ) -> (Vec<Doc>, Labels) {
        let (mut docs, labels) = last;
        for &b in changed {
            docs[b] = self.brief_search_doc(b);
        }
        (docs, labels)
    }

    fn brief_search_doc(&self, b: usize) -> Doc {
        let brief = &self.graph.briefs[b];
        let front = &brief.doc.front;
        let body = &self.bodies.briefs[b];
        Doc {
            kind: Kind::Brief,
            url: brief.url.clone(),
            title: front.title.clone(),
            boost: front.subtitle.iter().cloned().collect(),
            date: Some(brief.doc.date.clone()),
            shown_date: Some(self.locale.date(&brief.doc.date)),
            topics: sorted(&brief.topics),
            regions: sorted(&brief.regions),
            actors: sorted(&brief.actors),
            hash: hash_of(&(&front.title, &front.subtitle, body.hash, &body.summary_text)),
        }
    }

    /// The plain text of document `i` of [`Site::search_docs`].
    pub fn search_text(&self, i: usize) -> String {
        let g = self.graph;
        let mut out = String::new();
        let (briefs, actors, events) = (g.briefs.len(), g.actors.len(), g.events.len());
        if i < briefs {
            let body = self.bodies.briefs[i].full();
            let brief = &g.briefs[i];
            let parts = &body.rendered.parts;
            // A summary of its own (else it is the first key point, indexed below).
            if brief.doc.front.summary.is_some() {
                push_plain(&mut out, &body.summary_text);
            }
            push_text(&mut out, &parts.intro);
            for list in [&parts.key_points, &parts.recommendations]
                .into_iter()
                .flatten()
            {
                for item in &list.items {
                    push_text(&mut out, item.title.as_deref().unwrap_or(""));
                    push_text(&mut out, &item.html);
                }
                push_text(&mut out, &list.notes);
            }
            if let Some(background) = &parts.background {
                push_text(&mut out, &background.html);
            }
            for section in &parts.sections {
                push_text(&mut out, &section.title);
                push_text(&mut out, &section.html);
            }
            for note in &body.rendered.footnotes {
                push_text(&mut out, &note.html);
            }
        } else if i < briefs + actors {
            let a = i - briefs;
            let actor = &g.actors[a];
            for alias in &actor.aliases {
                push_plain(&mut out, alias);
            }
            if let Some(body) = &self.bodies.actors[a] {
                push_text(&mut out, &body.parts.intro);
            }
        } else if i < briefs + actors + events {
            let e = i - briefs - actors;
            push_plain(&mut out, g.events[e].location.as_deref().unwrap_or(""));
            if let Some(body) = &self.bodies.events[e] {
                push_text(&mut out, &body.parts.intro);
            }
        } else if let Some(page) = g.pages.get(i - briefs - actors - events) {
            let p = i - briefs - actors - events;
            push_plain(
                &mut out,
                page.doc.front.description.as_deref().unwrap_or(""),
            );
            push_text(&mut out, &self.bodies.pages[p].parts.intro);
        }
        out
    }
}

/// The filter values of a taxonomy, labelled with the names its pages show.
fn terms(taxonomy: &crate::resolve::Taxonomy) -> Vec<Label> {
    taxonomy
        .terms
        .iter()
        .map(|t| Label {
            slug: t.slug.clone(),
            label: t.title.clone(),
        })
        .collect()
}

fn sorted(values: &[usize]) -> Vec<usize> {
    let mut v = values.to_vec();
    v.sort_unstable();
    v.dedup();
    v
}
