//! Where the nodes of an actor network go: stress majorisation (SMACOF) on shortest-path
//! distances, started from classical multidimensional scaling. The reasons for this
//! choice are in `docs/pictures.md`.
//!
//! Pure and deterministic: plain `f64` arithmetic in a fixed order, with no threads, no
//! trigonometry and no random numbers (the start vectors of the power iteration come from
//! a fixed integer hash of the node's index), so one graph gives the same positions on
//! every machine. Memory is O(n²) and every iteration O(n²): a few milliseconds for 40
//! nodes, well under a second for 400. Knows nothing of actors, pixels or SVG.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// An edge to lay out: its two nodes (indexes) and its ideal length (positive; shorter
/// pulls the nodes closer).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spring {
    /// One end.
    pub a: usize,
    /// The other end.
    pub b: usize,
    /// The ideal distance between them.
    pub length: f64,
}

/// Most stress iterations; the layout usually settles long before.
const MAX_ITERATIONS: usize = 300;
/// Stop when no node moves further than this in an iteration (in units of length: about
/// a tenth of a pixel once drawn, below what the rounded coordinates show).
const SETTLED: f64 = 1e-3;
/// Power iterations for each of the two start coordinates.
const POWER_ITERATIONS: usize = 50;

/// Positions of `n` nodes, one `[x, y]` each, in units of the springs' lengths: nodes a
/// shortest path of length `d` apart end up about `d` apart. Nodes that no path joins are
/// kept a little further apart than the farthest joined pair.
pub fn stress_layout(n: usize, springs: &[Spring]) -> Vec<[f64; 2]> {
    if n < 2 {
        return vec![[0.0, 0.0]; n];
    }
    let d = distances(n, springs);
    let mut x = classical_mds(n, &d);
    majorise(n, &d, &mut x);
    x
}

/// All-pairs shortest-path lengths, row-major `n × n` (Dijkstra from every node).
fn distances(n: usize, springs: &[Spring]) -> Vec<f64> {
    let mut adjacent: Vec<Vec<(usize, f64)>> = vec![Vec::new(); n];
    for s in springs {
        if s.a < n && s.b < n && s.a != s.b && s.length > 0.0 {
            adjacent[s.a].push((s.b, s.length));
            adjacent[s.b].push((s.a, s.length));
        }
    }
    let mut d = vec![f64::INFINITY; n * n];
    let mut heap = BinaryHeap::new();
    for source in 0..n {
        let row = &mut d[source * n..(source + 1) * n];
        row[source] = 0.0;
        heap.push(Reverse((Key(0.0), source)));
        while let Some(Reverse((Key(dist), u))) = heap.pop() {
            if dist > row[u] {
                continue;
            }
            for &(v, length) in &adjacent[u] {
                let through = dist + length;
                if through < row[v] {
                    row[v] = through;
                    heap.push(Reverse((Key(through), v)));
                }
            }
        }
    }
    let farthest = d
        .iter()
        .copied()
        .filter(|x| x.is_finite())
        .fold(0.0_f64, f64::max)
        .max(1.0);
    for x in &mut d {
        if !x.is_finite() {
            *x = farthest * 1.2;
        }
    }
    d
}

/// A distance that orders totally (the heap needs `Ord`).
#[derive(Clone, Copy, PartialEq)]
struct Key(f64);

impl Eq for Key {}

impl PartialOrd for Key {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Key {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0)
    }
}

/// Start positions: the two main axes of the double-centred squared distances (classical
/// MDS), found by power iteration. A node that would share its place with another is
/// nudged by a fixed, index-derived amount, so majorisation can move them apart.
fn classical_mds(n: usize, d: &[f64]) -> Vec<[f64; 2]> {
    let nf = n as f64;
    let mut b: Vec<f64> = d.iter().map(|x| x * x).collect();
    let row_mean: Vec<f64> = (0..n)
        .map(|i| b[i * n..(i + 1) * n].iter().sum::<f64>() / nf)
        .collect();
    let grand = row_mean.iter().sum::<f64>() / nf;
    for i in 0..n {
        for j in 0..n {
            b[i * n + j] = -0.5 * (b[i * n + j] - row_mean[i] - row_mean[j] + grand);
        }
    }
    let first = dominant(n, &b, None, 1);
    let second = dominant(n, &b, Some(&first.0), 2);
    let scale = |(v, value): &(Vec<f64>, f64)| -> Vec<f64> {
        let s = value.max(0.0).sqrt();
        v.iter().map(|x| x * s).collect()
    };
    let (xs, ys) = (scale(&first), scale(&second));
    let spread = d.iter().copied().fold(0.0_f64, f64::max).max(1.0);
    (0..n)
        .map(|i| {
            [
                xs[i] + 1e-3 * spread * jitter(i, 3),
                ys[i] + 1e-3 * spread * jitter(i, 4),
            ]
        })
        .collect()
}

/// The dominant eigenvector (unit length) and eigenvalue of the symmetric `n × n` matrix
/// `m`, orthogonal to `against` if given; the start vector comes from `salt`.
fn dominant(n: usize, m: &[f64], against: Option<&[f64]>, salt: u64) -> (Vec<f64>, f64) {
    let mut v: Vec<f64> = (0..n).map(|i| jitter(i, salt)).collect();
    let orthogonalise = |v: &mut Vec<f64>| {
        if let Some(u) = against {
            let dot: f64 = v.iter().zip(u).map(|(a, b)| a * b).sum();
            v.iter_mut().zip(u).for_each(|(a, b)| *a -= dot * b);
        }
        let norm = v.iter().map(|a| a * a).sum::<f64>().sqrt();
        if norm > 0.0 {
            v.iter_mut().for_each(|a| *a /= norm);
        }
        norm
    };
    orthogonalise(&mut v);
    let mut next = vec![0.0; n];
    for _ in 0..POWER_ITERATIONS {
        for (i, out) in next.iter_mut().enumerate() {
            *out = m[i * n..(i + 1) * n]
                .iter()
                .zip(&v)
                .map(|(a, b)| a * b)
                .sum();
        }
        std::mem::swap(&mut v, &mut next);
        if orthogonalise(&mut v) == 0.0 {
            return (v, 0.0);
        }
    }
    let value = (0..n)
        .map(|i| {
            v[i] * m[i * n..(i + 1) * n]
                .iter()
                .zip(&v)
                .map(|(a, b)| a * b)
                .sum::<f64>()
        })
        .sum();
    (v, value)
}

/// A number in `[-0.5, 0.5)` fixed by `i` and `salt` (splitmix64).
fn jitter(i: usize, salt: u64) -> f64 {
    let mut z = (i as u64)
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .wrapping_add(salt.wrapping_mul(0xD1B5_4A32_D192_ED03));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    (z >> 11) as f64 / (1u64 << 53) as f64 - 0.5
}

/// Stress majorisation with weights `d⁻²`, one node at a time in index order (each move
/// lowers the stress), until no node moves by more than [`SETTLED`].
fn majorise(n: usize, d: &[f64], x: &mut [[f64; 2]]) {
    let w: Vec<f64> = d
        .iter()
        .map(|&dij| if dij > 0.0 { 1.0 / (dij * dij) } else { 0.0 })
        .collect();
    for _ in 0..MAX_ITERATIONS {
        let mut largest_move: f64 = 0.0;
        for i in 0..n {
            let (mut sx, mut sy, mut total) = (0.0, 0.0, 0.0);
            let [xi, yi] = x[i];
            for j in (0..n).filter(|&j| j != i) {
                let wij = w[i * n + j];
                let [xj, yj] = x[j];
                let (dx, dy) = (xi - xj, yi - yj);
                let dist = (dx * dx + dy * dy).sqrt();
                let pull = if dist > 1e-12 {
                    d[i * n + j] / dist
                } else {
                    0.0
                };
                sx += wij * (xj + pull * dx);
                sy += wij * (yj + pull * dy);
                total += wij;
            }
            if total > 0.0 {
                let moved = [sx / total, sy / total];
                largest_move = largest_move.max((moved[0] - xi).abs().max((moved[1] - yi).abs()));
                x[i] = moved;
            }
        }
        if largest_move < SETTLED {
            break;
        }
    }
}

#[cfg(test)]
/// Σ w (‖xᵢ − xⱼ‖ − dᵢⱼ)² over the pairs.
fn stress_of(n: usize, d: &[f64], x: &[[f64; 2]]) -> f64 {
    let mut total = 0.0;
    for i in 0..n {
        for j in i + 1..n {
            let (dx, dy) = (x[i][0] - x[j][0], x[i][1] - x[j][1]);
            let gap = (dx * dx + dy * dy).sqrt() - d[i * n + j];
            total += gap * gap / (d[i * n + j] * d[i * n + j]);
        }
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spring(a: usize, b: usize) -> Spring {
        Spring { a, b, length: 1.0 }
    }

    fn dist(p: [f64; 2], q: [f64; 2]) -> f64 {
        ((p[0] - q[0]).powi(2) + (p[1] - q[1]).powi(2)).sqrt()
    }

    #[test]
    fn a_path_is_laid_out_straight() {
        let x = stress_layout(3, &[spring(0, 1), spring(1, 2)]);
        assert!((dist(x[0], x[1]) - 1.0).abs() < 0.01, "{x:?}");
        assert!((dist(x[0], x[2]) - 2.0).abs() < 0.01, "{x:?}");
    }

    #[test]
    fn lengths_are_kept_and_layouts_repeat_exactly() {
        // A star with a ring: every node one unit from the centre.
        let mut springs: Vec<Spring> = (1..9).map(|i| spring(0, i)).collect();
        springs.extend((1..9).map(|i| spring(i, i % 8 + 1)));
        let x = stress_layout(9, &springs);
        for i in 1..9 {
            assert!((dist(x[0], x[i]) - 1.0).abs() < 0.25, "{x:?}");
        }
        assert_eq!(x, stress_layout(9, &springs));
    }

    #[test]
    fn unjoined_nodes_and_tiny_graphs_do_not_collapse() {
        assert_eq!(stress_layout(0, &[]), Vec::<[f64; 2]>::new());
        assert_eq!(stress_layout(1, &[]), vec![[0.0, 0.0]]);
        let x = stress_layout(4, &[spring(0, 1)]);
        for i in 0..4 {
            for j in i + 1..4 {
                assert!(dist(x[i], x[j]) > 0.5, "{x:?}");
            }
        }
        assert!(x.iter().flatten().all(|v| v.is_finite()));
    }

    #[test]
    fn majorisation_lowers_the_stress_of_its_start() {
        let springs: Vec<Spring> = (0..20)
            .map(|i| Spring {
                a: i,
                b: (i * 7 + 3) % 20,
                length: 1.0 + (i % 3) as f64 * 0.3,
            })
            .collect();
        let d = distances(20, &springs);
        let start = classical_mds(20, &d);
        let mut x = start.clone();
        majorise(20, &d, &mut x);
        assert!(stress_of(20, &d, &x) < stress_of(20, &d, &start));
    }

    #[test]
    fn bad_springs_are_ignored() {
        let x = stress_layout(
            2,
            &[
                spring(0, 0),
                spring(0, 7),
                Spring {
                    a: 0,
                    b: 1,
                    length: 0.0,
                },
            ],
        );
        assert!(x.iter().flatten().all(|v| v.is_finite()));
    }
}
