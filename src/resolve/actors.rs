//! Actors: the index of every actor's keys (slug, name, aliases, normalised), reference
//! resolution against it, and the implicit actors that unmatched references create.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::sync::Arc;

use crate::diagnostics::{Diagnostic, Diagnostics, Related};
use crate::load::{ActorDoc, Link, Source};
use crate::slug::{reference_key, slugify};
use crate::suggest;

/// An actor of the site: from a record in `content/actors/`, or implicit.
#[derive(Debug, Clone)]
pub struct Actor {
    /// The URL part, `/actors/<slug>/`.
    pub slug: String,
    /// The page's URL, under the base path.
    pub url: String,
    /// The name shown (for an implicit actor, the reference as first written).
    pub name: String,
    /// Other names, each a reference key and a mention.
    pub aliases: Vec<String>,
    /// `state`, `person`…, as written.
    pub kind: Option<String>,
    /// Shown beside the kind.
    pub country: Option<String>,
    /// Actors this one is affiliated with (indexes into the graph's actors).
    pub affiliations: Vec<usize>,
    /// External links.
    pub links: Vec<Link>,
    /// The record, or `None` for an implicit actor.
    pub doc: Option<Arc<ActorDoc>>,
    /// Briefs that tag this actor (indexes, newest first).
    pub briefs: Vec<usize>,
    /// Events this actor takes part in (indexes, oldest first).
    pub events: Vec<usize>,
}

impl Actor {
    /// Whether the actor has no record of its own.
    pub fn implicit(&self) -> bool {
        self.doc.is_none()
    }
}

/// Actors under construction, with the key index that references resolve against.
pub struct ActorTable {
    /// The actors so far, by index.
    pub actors: Vec<Actor>,
    /// Each key, with the actor it names. Whether that actor is implicit is kept here
    /// too, so that a lookup reads no actor: on a large site the actors do not stay in
    /// the cache, and a brief names several.
    keys: HashMap<String, KeyTarget>,
    /// The slugs taken, so that an implicit actor's slug is made unique without a scan
    /// of every actor.
    slugs: HashSet<String>,
    base_path: String,
    /// The hint of each reference that matches no actor, by the reference's slug: worked
    /// out once, however many briefs name it.
    hints: HashMap<String, String>,
}

impl ActorTable {
    /// Builds the table from the records (sorted by slug), reporting keys claimed twice.
    pub fn new(docs: Vec<Arc<ActorDoc>>, base_path: &str, diagnostics: &mut Diagnostics) -> Self {
        let mut table = ActorTable {
            actors: Vec::with_capacity(docs.len()),
            keys: HashMap::default(),
            slugs: HashSet::default(),
            base_path: base_path.to_string(),
            hints: HashMap::default(),
        };
        // Who claimed each key first, and how: for the message when another claims it too.
        let mut first: HashMap<String, Claim> = HashMap::default();
        for doc in docs {
            let index = table.actors.len();
            let front = &doc.front;
            let mut claims: Vec<(&'static str, &str)> =
                vec![("slug", doc.slug.as_str()), ("name", front.name.as_str())];
            claims.extend(front.aliases.iter().map(|a| ("aliases", a.as_str())));
            for (field, claim) in claims {
                let key = reference_key(claim);
                if key.is_empty() {
                    continue;
                }
                let mine = Claim {
                    doc: Arc::clone(&doc),
                    field,
                    text: claim.to_string(),
                };
                match first.get(&key) {
                    Some(theirs) if !Arc::ptr_eq(&theirs.doc, &doc) => {
                        diagnostics.push(claimed_twice(&mine, theirs));
                    }
                    Some(_) => {}
                    None => {
                        let target = KeyTarget {
                            index,
                            implicit: false,
                        };
                        table.keys.insert(key.clone(), target);
                        first.insert(key, mine);
                    }
                }
            }
            table.slugs.insert(doc.slug.clone());
            table.actors.push(Actor {
                url: format!("{base_path}actors/{}/", doc.slug),
                slug: doc.slug.clone(),
                name: front.name.clone(),
                aliases: front.aliases.clone(),
                kind: front.kind.clone(),
                country: front.country.clone(),
                affiliations: Vec::new(),
                links: front.links.clone(),
                doc: Some(doc),
                briefs: Vec::new(),
                events: Vec::new(),
            });
        }
        table
    }

    /// Resolves `reference` (written under front-matter key `key` of `source`) to an actor,
    /// creating an implicit actor with a warning if nothing matches.
    pub fn resolve(
        &mut self,
        reference: &str,
        source: &Source,
        key: &str,
        diagnostics: &mut Diagnostics,
    ) -> Option<usize> {
        self.resolve_key(
            reference,
            reference_key(reference),
            source,
            key,
            diagnostics,
        )
    }

    /// The hint for a reference with slug `slug` that matches no actor: the nearest
    /// actor's slug, or the file to add.
    fn unknown_hint(&mut self, slug: &str) -> String {
        if let Some(hint) = self.hints.get(slug) {
            return hint.clone();
        }
        let known = self
            .actors
            .iter()
            .filter(|a| !a.implicit())
            .map(|a| a.slug.as_str());
        let hint = match suggest::nearest(slug, known) {
            Some(near) => format!("did you mean `{near}`? Otherwise add content/actors/{slug}.md"),
            None => format!("add content/actors/{slug}.md to describe this actor"),
        };
        self.hints.insert(slug.to_string(), hint.clone());
        hint
    }

    /// [`ActorTable::resolve`] with the reference's key already computed.
    pub fn resolve_key(
        &mut self,
        reference: &str,
        normalised: String,
        source: &Source,
        key: &str,
        diagnostics: &mut Diagnostics,
    ) -> Option<usize> {
        if normalised.is_empty() {
            let (line, col) = source.locate_in_front(key, reference);
            diagnostics.push(
                Diagnostic::error(
                    source.path.clone(),
                    format!("`{reference}` is not an actor reference"),
                )
                .at(&source.text, line, col)
                .hint("write the actor's slug, name or an alias"),
            );
            return None;
        }
        let existing = self.keys.get(&normalised).copied();
        if let Some(target) = existing.filter(|t| !t.implicit) {
            return Some(target.index);
        }
        let (line, col) = source.locate_in_front(key, reference);
        let base = slugify(reference);
        if let Some(why) = crate::slug::too_long(&base) {
            diagnostics.push(
                Diagnostic::error(
                    source.path.clone(),
                    format!(
                        "no actor matches `{}`, and as an implicit actor it {why}",
                        crate::slug::abbreviate(reference, 40)
                    ),
                )
                .at(&source.text, line, col)
                .span(reference.chars().count())
                .hint(format!(
                    "shorten the reference, or add an actor record with this name in its `aliases:` ({})",
                    crate::load::SLUG_DOCS
                )),
            );
            return None;
        }
        let hint = self.unknown_hint(&base);
        diagnostics.push(
            Diagnostic::warning(
                source.path.clone(),
                format!("no actor matches `{reference}`; it becomes an implicit actor"),
            )
            .at(&source.text, line, col)
            .span(reference.chars().count())
            .hint(hint),
        );
        if let Some(target) = existing {
            return Some(target.index);
        }
        let mut slug = base.clone();
        let mut n = 2;
        while self.slugs.contains(&slug) {
            slug = format!("{base}-{n}");
            n += 1;
        }
        self.slugs.insert(slug.clone());
        let index = self.actors.len();
        self.actors.push(Actor {
            url: format!("{}actors/{slug}/", self.base_path),
            slug,
            name: reference.trim().to_string(),
            aliases: Vec::new(),
            kind: None,
            country: None,
            affiliations: Vec::new(),
            links: Vec::new(),
            doc: None,
            briefs: Vec::new(),
            events: Vec::new(),
        });
        let target = KeyTarget {
            index,
            implicit: true,
        };
        self.keys.insert(normalised, target);
        Some(index)
    }

    /// Resolves every affiliation of every actor record.
    pub fn resolve_affiliations(&mut self, diagnostics: &mut Diagnostics) {
        for index in 0..self.actors.len() {
            let Some(doc) = self.actors[index].doc.clone() else {
                continue;
            };
            let mut resolved = Vec::new();
            for reference in &doc.front.affiliations {
                if let Some(target) =
                    self.resolve(reference, &doc.source, "affiliations", diagnostics)
                {
                    if target != index && !resolved.contains(&target) {
                        resolved.push(target);
                    }
                }
            }
            self.actors[index].affiliations = resolved;
        }
    }

    /// Sorts the actors by slug and returns the map from old to new index.
    pub fn sort(&mut self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.actors.len()).collect();
        order.sort_by(|&a, &b| self.actors[a].slug.cmp(&self.actors[b].slug));
        let mut remap = vec![0; order.len()];
        for (new, &old) in order.iter().enumerate() {
            remap[old] = new;
        }
        let mut slots: Vec<Option<Actor>> = std::mem::take(&mut self.actors)
            .into_iter()
            .map(Some)
            .collect();
        self.actors = order.iter().filter_map(|&old| slots[old].take()).collect();
        for actor in &mut self.actors {
            for a in &mut actor.affiliations {
                *a = remap[*a];
            }
        }
        for target in self.keys.values_mut() {
            target.index = remap[target.index];
        }
        remap
    }
}

/// The actor a key names.
#[derive(Debug, Clone, Copy)]
struct KeyTarget {
    index: usize,
    /// Whether that actor has no record (a reference made it).
    implicit: bool,
}

/// A name, alias or slug an actor record claims, and where.
struct Claim {
    doc: Arc<ActorDoc>,
    /// The front-matter key: `slug`, `name` or `aliases`.
    field: &'static str,
    text: String,
}

impl Claim {
    /// `alias`, `name`, `slug`.
    fn what(&self) -> &'static str {
        match self.field {
            "aliases" => "alias",
            other => other,
        }
    }

    /// Line and column of the claim, if written (a slug may come from the file name).
    fn place(&self) -> Option<(usize, usize)> {
        let source = &self.doc.source;
        let written = self.field != "slug" || self.doc.front.slug.is_some();
        written.then(|| source.locate_in_front(self.field, &self.text))
    }
}

/// Two actors claim the same reference key: an error at the second claim, quoting the
/// first too.
fn claimed_twice(mine: &Claim, theirs: &Claim) -> Diagnostic {
    let (here, there) = (&mine.doc.source, &theirs.doc.source);
    let message = if mine.field == theirs.field {
        format!("two actors claim the {} `{}`", mine.what(), mine.text)
    } else {
        format!(
            "`{}` is the {} of one actor and the {} of another (as a name or alias)",
            mine.text,
            mine.what(),
            theirs.what()
        )
    };
    let mut d = Diagnostic::error(here.path.clone(), message);
    if let Some((line, col)) = mine.place() {
        d = d
            .at(&here.text, line, col)
            .span(mine.text.chars().count())
            .label(format!("the {} of this actor", mine.what()));
    }
    if let Some(place) = theirs.place() {
        d = d.also(Related::new(
            there.path.clone(),
            &there.text,
            place,
            theirs.text.chars().count(),
            format!("already the {} of this actor", theirs.what()),
        ));
    }
    d.hint(format!(
        "a reference must name one actor: remove or change `{}` in {} or {}",
        mine.text, here.path, there.path
    ))
}
