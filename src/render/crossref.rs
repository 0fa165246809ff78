//! Cross-references that need every body rendered first: which briefs mention an actor,
//! related briefs (shared actors and events; a mention counts less than a tag), and the
//! actors each actor appears with most (briefs and events that tag both, [`shared`]).
//! Everything here is linear in the corpus: hub actors are capped, and the scoring
//! ([`super::related`]) reads packed lists with a per-thread dense scratch array.

use std::collections::{HashMap, HashSet};

use super::bodies::Bodies;
use super::related::{co_actors, related_briefs};
pub use super::related::{CO_ACTOR_LIMIT, RELATED_LIMIT};
use crate::resolve::Graph;

/// The cross-references.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CrossRefs {
    /// Per brief: actors it mentions but does not tag, in order of first mention.
    pub mentioned_only: Vec<Vec<usize>>,
    /// Per actor: briefs that mention it without tagging it, newest first.
    pub mentioned_by: Vec<Vec<usize>>,
    /// Per brief: related briefs, best first.
    pub related: Vec<Vec<usize>>,
    /// Per actor: `(actor, briefs and events in common)`, most first.
    pub co_actors: Vec<Vec<(usize, usize)>>,
    /// Per actor: the actors that list it among their affiliations.
    pub members: Vec<Vec<usize>>,
}

/// Computes the cross-references.
pub fn compute(graph: &Graph, bodies: &Bodies) -> CrossRefs {
    compute_incremental(graph, bodies, None, &HashSet::new())
}

/// Computes the cross-references, reusing the related briefs of `previous` for every brief
/// that cannot have changed: those sharing no actor or event with a brief in `changed`
/// (content paths), before or after the change.
pub fn compute_incremental(
    graph: &Graph,
    bodies: &Bodies,
    previous: Option<(&Graph, &CrossRefs)>,
    changed: &HashSet<String>,
) -> CrossRefs {
    let (mentioned_only, mentioned_by) = mentions(graph, bodies);
    let now = Neighbours {
        graph,
        mentioned_only: &mentioned_only,
        mentioned_by: &mentioned_by,
    };
    let related = match previous {
        Some((old_graph, old_xref))
            if old_graph.actors.len() == graph.actors.len()
                && old_graph.events.len() == graph.events.len()
                && changed.len() <= INCREMENTAL_LIMIT =>
        {
            related_near_changes(&now, old_graph, old_xref, changed)
        }
        _ => {
            let all: Vec<usize> = (0..graph.briefs.len()).collect();
            related_briefs(graph, &mentioned_only, &mentioned_by, &all)
        }
    };
    CrossRefs {
        related,
        co_actors: co_actors(graph),
        members: members(graph),
        mentioned_only,
        mentioned_by,
    }
}

/// Per brief, the actors its text mentions but it does not tag; per actor, the briefs
/// that mention it so.
fn mentions(graph: &Graph, bodies: &Bodies) -> (Vec<Vec<usize>>, Vec<Vec<usize>>) {
    let mentioned_only: Vec<Vec<usize>> = graph
        .briefs
        .iter()
        .zip(&bodies.briefs)
        .map(|(b, body)| {
            body.rendered
                .mentions
                .iter()
                .copied()
                .filter(|a| !b.actors.contains(a))
                .collect()
        })
        .collect();
    let mut mentioned_by = vec![Vec::new(); graph.actors.len()];
    for (b, actors) in mentioned_only.iter().enumerate() {
        for &a in actors {
            mentioned_by[a].push(b);
        }
    }
    (mentioned_only, mentioned_by)
}

/// Per actor, the actors that list it among their affiliations.
fn members(graph: &Graph) -> Vec<Vec<usize>> {
    let mut members = vec![Vec::new(); graph.actors.len()];
    for (a, actor) in graph.actors.iter().enumerate() {
        for &target in &actor.affiliations {
            members[target].push(a);
        }
    }
    members
}

/// Related briefs, computed again only for the briefs near a change (see
/// [`dirty_briefs`]); every other brief keeps its list from `old_xref`, by slug.
fn related_near_changes(
    now: &Neighbours,
    old_graph: &Graph,
    old_xref: &CrossRefs,
    changed: &HashSet<String>,
) -> Vec<Vec<usize>> {
    let graph = now.graph;
    let before = Neighbours {
        graph: old_graph,
        mentioned_only: &old_xref.mentioned_only,
        mentioned_by: &old_xref.mentioned_by,
    };
    let index = slug_index(graph);
    let old_index = slug_index(old_graph);
    let dirty = dirty_briefs(now, &before, &index, &old_index, changed);
    let fresh = related_briefs(graph, now.mentioned_only, now.mentioned_by, &dirty);
    let mut related: Vec<Option<Vec<usize>>> = vec![None; graph.briefs.len()];
    for (b, list) in dirty.into_iter().zip(fresh) {
        related[b] = Some(list);
    }
    related
        .into_iter()
        .enumerate()
        .map(|(b, list)| {
            list.unwrap_or_else(|| {
                old_index
                    .get(graph.briefs[b].slug.as_str())
                    .map(|&o| {
                        old_xref.related[o]
                            .iter()
                            .filter_map(|&r| index.get(old_graph.briefs[r].slug.as_str()).copied())
                            .collect()
                    })
                    .unwrap_or_default()
            })
        })
        .collect()
}

/// Each brief's index, by slug.
fn slug_index(graph: &Graph) -> HashMap<&str, usize> {
    graph
        .briefs
        .iter()
        .enumerate()
        .map(|(i, b)| (b.slug.as_str(), i))
        .collect()
}

/// The briefs (indexes in the new graph) whose related briefs may have changed: the
/// changed briefs, those sharing a link a changed brief gained or lost, and those near a
/// brief that was removed, renamed or re-dated. Sorted.
fn dirty_briefs(
    now: &Neighbours,
    before: &Neighbours,
    index: &HashMap<&str, usize>,
    old_index: &HashMap<&str, usize>,
    changed: &HashSet<String>,
) -> Vec<usize> {
    let (graph, old_graph) = (now.graph, before.graph);
    let mut dirty: HashSet<usize> = HashSet::new();
    let add_old = |list: Vec<usize>, dirty: &mut HashSet<usize>| {
        for o in list {
            if let Some(&n) = index.get(old_graph.briefs[o].slug.as_str()) {
                dirty.insert(n);
            }
        }
    };
    for (b, brief) in graph.briefs.iter().enumerate() {
        if !changed.contains(&brief.doc.content_path) {
            continue;
        }
        dirty.insert(b);
        // The same brief before the change, if it kept its slug and date (and so its
        // place among the others): only the links it gained or lost matter.
        let same = old_index
            .get(brief.slug.as_str())
            .copied()
            .filter(|&o| old_graph.briefs[o].doc.date == brief.doc.date);
        match same {
            Some(o) => {
                let (new_links, old_links) = (now.links(b), before.links(o));
                for link in new_links.iter().filter(|l| !old_links.contains(l)) {
                    dirty.extend(now.sharing(link));
                }
                for link in old_links.iter().filter(|l| !new_links.contains(l)) {
                    add_old(before.sharing(link), &mut dirty);
                }
            }
            None => dirty.extend(now.of(b)),
        }
    }
    for (o, brief) in old_graph.briefs.iter().enumerate() {
        let kept = index
            .get(brief.slug.as_str())
            .is_some_and(|&n| graph.briefs[n].doc.date == brief.doc.date);
        if !kept {
            // Removed, renamed or re-dated: everything near its old self.
            add_old(before.of(o), &mut dirty);
        }
    }
    let mut dirty: Vec<usize> = dirty.into_iter().collect();
    dirty.sort_unstable();
    dirty
}

/// Computes the cross-references of a graph whose structure is that of the graph
/// `previous` was computed for, where only the bodies of briefs `changed` (by index) may
/// differ: mentions are recomputed for those alone, related briefs only near the links
/// they gained or lost, and what depends on the structure alone is reused.
pub fn compute_same_structure(
    graph: &Graph,
    bodies: &Bodies,
    previous: &CrossRefs,
    changed: &[usize],
) -> CrossRefs {
    let mut mentioned_only = previous.mentioned_only.clone();
    let mut moved = Vec::new();
    for &b in changed {
        let now: Vec<usize> = bodies.briefs[b]
            .rendered
            .mentions
            .iter()
            .copied()
            .filter(|a| !graph.briefs[b].actors.contains(a))
            .collect();
        if now != mentioned_only[b] {
            mentioned_only[b] = now;
            moved.push(b);
        }
    }
    if moved.is_empty() {
        return CrossRefs {
            mentioned_only,
            ..previous.clone()
        };
    }
    let mut mentioned_by = vec![Vec::new(); graph.actors.len()];
    for (b, actors) in mentioned_only.iter().enumerate() {
        for &a in actors {
            mentioned_by[a].push(b);
        }
    }
    let now = Neighbours {
        graph,
        mentioned_only: &mentioned_only,
        mentioned_by: &mentioned_by,
    };
    let before = Neighbours {
        graph,
        mentioned_only: &previous.mentioned_only,
        mentioned_by: &previous.mentioned_by,
    };
    let mut dirty: HashSet<usize> = HashSet::new();
    for &b in &moved {
        dirty.insert(b);
        let (new_links, old_links) = (now.links(b), before.links(b));
        for link in new_links.iter().filter(|l| !old_links.contains(l)) {
            dirty.extend(now.sharing(link));
        }
        for link in old_links.iter().filter(|l| !new_links.contains(l)) {
            dirty.extend(before.sharing(link));
        }
    }
    let mut dirty: Vec<usize> = dirty.into_iter().collect();
    dirty.sort_unstable();
    let fresh = related_briefs(graph, &mentioned_only, &mentioned_by, &dirty);
    let mut related = previous.related.clone();
    for (b, list) in dirty.into_iter().zip(fresh) {
        related[b] = list;
    }
    CrossRefs {
        mentioned_only,
        mentioned_by,
        related,
        co_actors: previous.co_actors.clone(),
        members: previous.members.clone(),
    }
}

/// Above this many changed briefs, related briefs are recomputed for all.
const INCREMENTAL_LIMIT: usize = 50;

/// The briefs that share an actor (tagged or mentioned) or an event with a brief.
struct Neighbours<'a> {
    graph: &'a Graph,
    mentioned_only: &'a [Vec<usize>],
    mentioned_by: &'a [Vec<usize>],
}

/// One link of a brief that related-brief scores depend on.
#[derive(Debug, PartialEq, Eq)]
enum Link<'a> {
    /// An actor (by slug), tagged (`true`) or only mentioned.
    Actor(&'a str, bool),
    /// An event, by slug.
    Event(&'a str),
}

impl<'a> Neighbours<'a> {
    /// The links of brief `b`.
    fn links(&self, b: usize) -> Vec<Link<'a>> {
        let g = self.graph;
        let brief = &g.briefs[b];
        let mut links: Vec<Link<'a>> = brief
            .actors
            .iter()
            .map(|&a| Link::Actor(&g.actors[a].slug, true))
            .collect();
        links.extend(
            self.mentioned_only[b]
                .iter()
                .map(|&a| Link::Actor(&g.actors[a].slug, false)),
        );
        links.extend(brief.events.iter().map(|&e| Link::Event(&g.events[e].slug)));
        links
    }

    /// The briefs that share `link`.
    fn sharing(&self, link: &Link) -> Vec<usize> {
        let g = self.graph;
        match *link {
            Link::Actor(slug, _) => {
                match g.actors.binary_search_by(|a| a.slug.as_str().cmp(slug)) {
                    Ok(a) => g.actors[a]
                        .briefs
                        .iter()
                        .chain(&self.mentioned_by[a])
                        .copied()
                        .collect(),
                    Err(_) => Vec::new(),
                }
            }
            Link::Event(slug) => g
                .events
                .iter()
                .find(|e| e.slug == slug)
                .map(|e| e.briefs.clone())
                .unwrap_or_default(),
        }
    }

    /// Every brief that shares a link with brief `b`.
    fn of(&self, b: usize) -> Vec<usize> {
        let g = self.graph;
        let brief = &g.briefs[b];
        let mut out = Vec::new();
        for &a in brief.actors.iter().chain(&self.mentioned_only[b]) {
            out.extend_from_slice(&g.actors[a].briefs);
            out.extend_from_slice(&self.mentioned_by[a]);
        }
        for &e in &brief.events {
            out.extend_from_slice(&g.events[e].briefs);
        }
        out
    }
}

/// How many briefs and events tag both actor `x` and actor `y` (the count
/// [`CrossRefs::co_actors`] ranks by), from their sorted brief and event lists.
pub fn shared(graph: &Graph, x: usize, y: usize) -> usize {
    let (x, y) = (&graph.actors[x], &graph.actors[y]);
    common(&x.briefs, &y.briefs) + common(&x.events, &y.events)
}

/// How many items two ascending lists of distinct items share: a merge, or a binary
/// search of the longer list when one is much shorter.
fn common(a: &[usize], b: &[usize]) -> usize {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if short.len() * 16 < long.len() {
        return short
            .iter()
            .filter(|x| long.binary_search(x).is_ok())
            .count();
    }
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < short.len() && j < long.len() {
        match short[i].cmp(&long[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::common;

    #[test]
    fn common_counts_shared_items_both_ways() {
        let long: Vec<usize> = (0..100).map(|i| i * 2).collect();
        assert_eq!(common(&[4, 5, 6, 198], &long), 3);
        assert_eq!(common(&long, &[4, 5, 6, 198]), 3);
        assert_eq!(common(&[1, 2, 3], &[2, 3, 4]), 2);
        assert_eq!(common(&[], &[1]), 0);
    }
}
