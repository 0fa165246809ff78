//! Which actors and ties an actor network shows: on an actor's page, the actor and the
//! actors it appears with most ([`CO_ACTOR_LIMIT`], the same as its "Often appears
//! with" list); on `/actors/`, the `network_size` actors tagged in most briefs. A tie's
//! weight is the number of briefs and events that tag both actors ([`shared`]).
//!
//! A [`NetworkView`] hashes as its input (cheap, for fingerprints) and serialises as the
//! drawn SVG, so the layout runs only for a page that is rendered.

use std::cmp::Reverse;
use std::hash::Hash;

use serde::Serialize;

use super::crossref::{shared, CO_ACTOR_LIMIT};
use super::network_svg::{render, shared_phrase, NetEdge, NetNode, Network};
use super::Site;

/// On `/actors/`, at most this many ties are drawn per actor (its strongest).
const TIES_PER_NODE: usize = 2;
/// On an actor's page, each other actor keeps its strongest tie among the others,
/// besides the one to the page's actor.
const EGO_TIES_PER_NODE: usize = 1;

/// A network for a template: serialised as its SVG (a string), or as an empty string
/// when there is nothing to draw (the default).
#[derive(Hash, Default)]
pub struct NetworkView<'a>(Option<Network<'a>>);

impl Serialize for NetworkView<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0.as_ref().map(render).unwrap_or_default())
    }
}

impl Site<'_> {
    /// The network on actor `a`'s page: the actor, its co-actors, and their ties.
    pub fn actor_network(&self, a: usize) -> NetworkView<'_> {
        let g = self.graph;
        let co = &self.xref.co_actors[a];
        if co.is_empty() || !g.config.pictures {
            return NetworkView(None);
        }
        let name = g.actors[a].name.as_str();
        let mut nodes = vec![NetNode {
            name,
            url: &g.actors[a].url,
            weight: co.iter().map(|&(_, n)| n).max().unwrap_or(1),
            label: self.locale.format("network_this_page", &[("name", name)]),
        }];
        nodes.extend(co.iter().take(CO_ACTOR_LIMIT).map(|&(x, n)| NetNode {
            name: &g.actors[x].name,
            url: &g.actors[x].url,
            weight: n,
            label: format!("{}: {}", g.actors[x].name, shared_phrase(&self.locale, n)),
        }));
        let ids: Vec<usize> = std::iter::once(a)
            .chain(co.iter().map(|&(x, _)| x))
            .collect();
        let mut edges: Vec<NetEdge> = co
            .iter()
            .enumerate()
            .map(|(i, &(_, n))| NetEdge {
                a: 0,
                b: i + 1,
                weight: n,
            })
            .collect();
        edges.extend(strongest_ties(self, &ids, 1, EGO_TIES_PER_NODE));
        let count = nodes.len() - 1;
        NetworkView(Some(Network {
            nodes,
            edges,
            centre: Some(0),
            title: self.locale.format("network_actor_title", &[("name", name)]),
            description: self
                .locale
                .count("network_actor_desc", count, &[("name", name)]),
            locale: &self.locale,
        }))
    }

    /// The network on `/actors/`: the `network_size` actors tagged in most briefs (ties
    /// by slug) and the strongest ties among them.
    pub fn actors_network(&self) -> NetworkView<'_> {
        let g = self.graph;
        let size = g.config.network_size;
        if !g.config.pictures {
            return NetworkView(None);
        }
        let mut top: Vec<usize> = (0..g.actors.len())
            .filter(|&a| !g.actors[a].briefs.is_empty())
            .collect();
        top.sort_by_key(|&a| (Reverse(g.actors[a].briefs.len()), a));
        top.truncate(size);
        if top.len() < 2 {
            return NetworkView(None);
        }
        let nodes = top
            .iter()
            .map(|&a| {
                let n = g.actors[a].briefs.len();
                NetNode {
                    name: &g.actors[a].name,
                    url: &g.actors[a].url,
                    weight: n,
                    label: format!(
                        "{}: {}",
                        g.actors[a].name,
                        self.locale.count("n_briefs", n, &[])
                    ),
                }
            })
            .collect();
        let edges = strongest_ties(self, &top, 0, TIES_PER_NODE);
        let count = top.len();
        NetworkView(Some(Network {
            nodes,
            edges,
            centre: None,
            title: self.locale.count("network_site_title", count, &[]),
            description: self.locale.count(
                "network_site_desc",
                count,
                &[("ties", &TIES_PER_NODE.to_string())],
            ),
            locale: &self.locale,
        }))
    }
}

/// The ties among `ids[from..]` (actor indexes; the network's nodes are `ids`' positions),
/// each node keeping its `per_node` strongest: heaviest first, ties by position.
fn strongest_ties(site: &Site, ids: &[usize], from: usize, per_node: usize) -> Vec<NetEdge> {
    let g = site.graph;
    let k = ids.len();
    // What each pair shares, as [`shared`] counts it: each brief and event of the nodes
    // adds one to every pair of nodes that has it. The cost follows the nodes' lists, not
    // the size of the site.
    let mut weights = vec![0usize; k * k];
    count_shared(
        ids.iter().map(|&a| g.actors[a].briefs.as_slice()),
        k,
        &mut weights,
    );
    count_shared(
        ids.iter().map(|&a| g.actors[a].events.as_slice()),
        k,
        &mut weights,
    );
    let mut all: Vec<NetEdge> = Vec::new();
    for i in from..k {
        for j in i + 1..k {
            let weight = weights[i * k + j];
            debug_assert_eq!(weight, shared(g, ids[i], ids[j]));
            if weight > 0 {
                all.push(NetEdge { a: i, b: j, weight });
            }
        }
    }
    all.sort_by_key(|e| (Reverse(e.weight), e.a, e.b));
    let mut kept_per_node = vec![0; ids.len()];
    let mut kept = Vec::new();
    for e in all {
        if kept_per_node[e.a] < per_node || kept_per_node[e.b] < per_node {
            kept_per_node[e.a] += 1;
            kept_per_node[e.b] += 1;
            kept.push(e);
        }
    }
    kept
}

/// Adds to `weights[i * k + j]` (`i < j`, positions of the `k` nodes) the number of items
/// the lists of nodes `i` and `j` share; each list holds distinct items.
fn count_shared<'a>(lists: impl Iterator<Item = &'a [usize]>, k: usize, weights: &mut [usize]) {
    let mut holders: Vec<(usize, usize)> = Vec::new();
    for (node, list) in lists.enumerate() {
        holders.extend(list.iter().map(|&item| (item, node)));
    }
    // By item, then by node: each item's holders in order of position.
    holders.sort_unstable();
    for group in holders.chunk_by(|x, y| x.0 == y.0) {
        for (n, &(_, i)) in group.iter().enumerate() {
            for &(_, j) in &group[n + 1..] {
                weights[i * k + j] += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::count_shared;

    #[test]
    fn each_pair_counts_the_items_both_lists_hold() {
        let lists: [&[usize]; 3] = [&[1, 4, 9, 20], &[4, 9, 30], &[2, 9, 20, 30]];
        let mut weights = vec![0; 9];
        count_shared(lists.iter().copied(), 3, &mut weights);
        // Nodes 0 and 1 share 4 and 9; 0 and 2 share 9 and 20; 1 and 2 share 9 and 30.
        assert_eq!(weights, vec![0, 2, 2, 0, 0, 2, 0, 0, 0]);
        // A second kind of item adds to the same counts.
        count_shared([&[7][..], &[7][..], &[][..]].into_iter(), 3, &mut weights);
        assert_eq!(weights[1], 3);
        assert_eq!(weights[2], 2);
    }
}
