//! Scoring for the cross-references: related briefs (shared actors and events; a mention
//! counts less than a tag) and the actors each actor appears with most.
//!
//! Both add up weights over lists of neighbours, for every brief or actor. The lists are
//! first packed end to end as `u32` ([`Packed`]): read thousands of times each, they stay
//! in cache on a large site, where the graph's own vectors are scattered over the heap.
//! Candidate scores use a per-thread dense scratch array.

use rayon::prelude::*;

use crate::resolve::Graph;

/// How many related briefs a brief shows.
pub const RELATED_LIMIT: usize = 5;
/// How many co-occurring actors an actor page shows (in its list and its network).
pub const CO_ACTOR_LIMIT: usize = 12;
/// How many briefs of one actor or event are considered when looking for related briefs.
const HUB_CAP: usize = 200;

/// Lists of indexes stored end to end in one array, each cut to a maximum length.
struct Packed {
    /// Where each list starts in `items`, and one past the end of the last.
    starts: Vec<u32>,
    items: Vec<u32>,
}

impl Packed {
    /// Packs the first `cap` items of each list that `keep` wants (by its position); the
    /// others are left empty.
    fn new<'a>(
        lists: impl ExactSizeIterator<Item = &'a [usize]>,
        cap: usize,
        keep: impl Fn(usize) -> bool,
    ) -> Self {
        let mut starts = Vec::with_capacity(lists.len() + 1);
        let mut items = Vec::new();
        starts.push(0);
        for (i, list) in lists.enumerate() {
            if keep(i) {
                items.extend(list[..list.len().min(cap)].iter().map(|&x| x as u32));
            }
            starts.push(items.len() as u32);
        }
        Packed { starts, items }
    }

    /// List `i`.
    fn get(&self, i: usize) -> &[u32] {
        &self.items[self.starts[i] as usize..self.starts[i + 1] as usize]
    }
}

/// Related briefs of the briefs `which` (indexes), best first.
pub(super) fn related_briefs(
    graph: &Graph,
    mentioned_only: &[Vec<usize>],
    mentioned_by: &[Vec<usize>],
    which: &[usize],
) -> Vec<Vec<usize>> {
    let n = graph.briefs.len();
    // Only the lists of the actors and events of `which` are read.
    let mut actors = vec![false; graph.actors.len()];
    let mut events = vec![false; graph.events.len()];
    for &b in which {
        let brief = &graph.briefs[b];
        for &a in brief.actors.iter().chain(&mentioned_only[b]) {
            actors[a] = true;
        }
        for &e in &brief.events {
            events[e] = true;
        }
    }
    let tagging = Packed::new(
        graph.actors.iter().map(|a| a.briefs.as_slice()),
        HUB_CAP,
        |a| actors[a],
    );
    let mentioning = Packed::new(mentioned_by.iter().map(Vec::as_slice), HUB_CAP, |a| {
        actors[a]
    });
    let in_event = Packed::new(
        graph.events.iter().map(|e| e.briefs.as_slice()),
        HUB_CAP,
        |e| events[e],
    );
    which
        .par_iter()
        .copied()
        .with_min_len(128)
        .map_init(
            || Scratch::new(n),
            |scratch, b| {
                let brief = &graph.briefs[b];
                for &a in &brief.actors {
                    scratch.add(tagging.get(a), 4);
                    scratch.add(mentioning.get(a), 1);
                }
                for &a in &mentioned_only[b] {
                    scratch.add(tagging.get(a), 1);
                    scratch.add(mentioning.get(a), 1);
                }
                for &e in &brief.events {
                    scratch.add(in_event.get(e), 4);
                }
                // Higher score first; ties: the graph's order (newest first, then slug).
                scratch
                    .best(RELATED_LIMIT, b)
                    .iter()
                    .map(|&key| ranked(key).1)
                    .collect()
            },
        )
        .collect()
}

/// One worker's buffers for scoring candidates (related briefs, actors seen together),
/// reused from one item to the next.
struct Scratch {
    /// Score of every candidate against the current item (zero if it shares nothing).
    scores: Vec<u32>,
    /// The candidates with a score, to reset and rank them without scanning every score.
    touched: Vec<u32>,
    /// Ranking keys of the touched candidates.
    best: Vec<u64>,
}

impl Scratch {
    fn new(candidates: usize) -> Self {
        Scratch {
            scores: vec![0; candidates],
            touched: Vec::new(),
            best: Vec::new(),
        }
    }

    /// Adds `weight` to the score of every candidate of `others`.
    fn add(&mut self, others: &[u32], weight: u32) {
        // Room for every candidate, so the loop records a new one without branching.
        let mut len = self.touched.len();
        self.touched.resize(len + others.len(), 0);
        for &o in others {
            let score = &mut self.scores[o as usize];
            self.touched[len] = o;
            len += usize::from(*score == 0);
            *score = score.saturating_add(weight);
        }
        self.touched.truncate(len);
    }

    /// The `k` best candidates other than `own` as [`rank_key`]s, best first; resets the
    /// scores.
    fn best(&mut self, k: usize, own: usize) -> &[u64] {
        let Scratch {
            scores,
            touched,
            best,
        } = self;
        best.clear();
        for &o in touched.iter() {
            let score = std::mem::take(&mut scores[o as usize]);
            if o as usize != own {
                best.push(rank_key(score, o));
            }
        }
        touched.clear();
        top(best, k, Ord::cmp)
    }
}

/// Per actor, `(actor, briefs and events in common)`, most first.
pub(super) fn co_actors(graph: &Graph) -> Vec<Vec<(usize, usize)>> {
    let n = graph.actors.len();
    let of_brief = Packed::new(
        graph.briefs.iter().map(|b| b.actors.as_slice()),
        usize::MAX,
        |_| true,
    );
    let of_event = Packed::new(
        graph.events.iter().map(|e| e.actors.as_slice()),
        usize::MAX,
        |_| true,
    );
    (0..n)
        .into_par_iter()
        .with_min_len(128)
        .map_init(
            || Scratch::new(n),
            |scratch, a| {
                let actor = &graph.actors[a];
                for &b in &actor.briefs {
                    scratch.add(of_brief.get(b), 1);
                }
                for &e in &actor.events {
                    scratch.add(of_event.get(e), 1);
                }
                // Most briefs and events in common first; ties by actor.
                scratch
                    .best(CO_ACTOR_LIMIT, a)
                    .iter()
                    .map(|&key| {
                        let (count, other) = ranked(key);
                        (other, count as usize)
                    })
                    .collect()
            },
        )
        .collect()
}

/// A key that sorts a higher `score` first, then a lower `index`: ranking compares
/// plain integers.
fn rank_key(score: u32, index: u32) -> u64 {
    (u64::from(u32::MAX - score) << 32) | u64::from(index)
}

/// The score and index of a [`rank_key`].
fn ranked(key: u64) -> (u32, usize) {
    let score = u32::MAX - (key >> 32) as u32;
    (score, (key & u64::from(u32::MAX)) as usize)
}

/// The `k` best of `items` by `order`, sorted; linear time for large inputs. It returns a
/// slice that callers copy out, so no oversized buffer outlives the call.
fn top<T: Copy>(items: &mut [T], k: usize, order: impl Fn(&T, &T) -> std::cmp::Ordering) -> &[T] {
    if items.len() > k {
        items.select_nth_unstable_by(k, &order);
    }
    let keep = k.min(items.len());
    let best = &mut items[..keep];
    best.sort_unstable_by(&order);
    best
}

#[cfg(test)]
mod tests {
    use super::{top, Packed, Scratch};

    #[test]
    fn top_picks_the_best_in_order() {
        let mut v = vec![5, 1, 9, 3, 7, 9, 2];
        assert_eq!(top(&mut v, 3, |a, b| b.cmp(a)), &[9, 9, 7]);
        let mut short = vec![2, 1];
        assert_eq!(top(&mut short, 5, Ord::cmp), &[1, 2]);
    }

    #[test]
    fn packed_lists_are_cut_and_skipped() {
        let lists = [vec![1, 2, 3], vec![4], vec![5, 6]];
        let packed = Packed::new(lists.iter().map(Vec::as_slice), 2, |i| i != 1);
        assert_eq!(packed.get(0), &[1, 2]);
        assert!(packed.get(1).is_empty());
        assert_eq!(packed.get(2), &[5, 6]);
    }

    #[test]
    fn scratch_ranks_by_score_then_index_without_its_own_item() {
        let mut scratch = Scratch::new(6);
        scratch.add(&[1, 2, 3, 0], 1);
        scratch.add(&[3, 2, 0], 4);
        let best: Vec<(u32, usize)> = scratch
            .best(2, 0)
            .iter()
            .map(|&k| super::ranked(k))
            .collect();
        assert_eq!(best, [(5, 2), (5, 3)]);
        assert!(scratch.scores.iter().all(|&s| s == 0));
        assert!(scratch.touched.is_empty());
    }
}
