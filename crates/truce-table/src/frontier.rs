//! The exact Pareto set of an additive problem, by dynamic programming over issues with dominance pruning.
//!
//! # Algorithm
//!
//! Utilities are additive, so the utility vector of a package is the sum of its options' vectors.
//! Call the non-dominated utility vectors of the packages restricted to the first k issues the k-th frontier Fₖ.
//! Fₖ₊₁ is contained in Fₖ ⊕ Oₖ₊₁ (every frontier vector plus every option vector of the next issue):
//! if a package's prefix were strictly dominated, swapping in the dominating prefix would strictly dominate the
//! package. So each layer takes the candidates Fₖ ⊕ Oₖ₊₁, removes the strictly dominated ones and merges equal
//! vectors, and the outcome space is never enumerated.
//!
//! Three pruning kernels, by number of parties d:
//! - d ≤ 2: sort by the first coordinate, sweep the best second coordinate. O(n log n) for n candidates.
//! - d = 3: sort by the first coordinate, sweep a staircase of the other two in an ordered map. O(n log n).
//! - d ≥ 4: candidates from the same option are translates of an antichain and never dominate each other, so
//!   a candidate f + uₒ is dominated exactly when some f' in Fₖ lies above f + uₒ − uₒ' for another option o'.
//!   These are orthant queries on the previous layer, answered by a k-d tree with per-node maxima, in parallel.
//!
//! Options that another option of the same issue weakly dominates for every party are dropped before the
//! layer (one representative is kept among identical options), and when reservation values are given, a
//! prefix that cannot reach some party's reservation value even with that party's best remaining options is
//! dropped early.
//!
//! # Cost
//!
//! Layer k costs O(|Fₖ|·mₖ log(|Fₖ|·mₖ)) for d ≤ 3, with mₖ the options of issue k, and O(|Fₖ|·mₖ² · q) for
//! d ≥ 4 where q is the cost of one orthant query. Memory is O(Σₖ |Fₖ|) for the parent pointers that rebuild
//! each frontier point's package. When the frontier itself is huge (many parties, many issues, little
//! correlation between parties), its size is the cost: no exact method can output it faster.
//!
//! Comparisons are exact on `f64`, as NegMAS compares: a vector is dropped only when another is at least as
//! good for every party and different; equal vectors are merged and counted.

use std::collections::BTreeMap;

use rayon::prelude::*;

use crate::problem::Problem;

/// One point of the Pareto set.
#[derive(Debug, Clone, PartialEq)]
pub struct ParetoPoint {
    /// Utility to each party.
    pub utilities: Vec<f64>,
    /// One option index per issue: the first package (in option order) that reaches these utilities.
    pub package: Vec<u32>,
    /// How many packages reach exactly these utilities (saturating).
    pub multiplicity: u64,
}

/// The Pareto set of the rational packages, sorted by decreasing welfare (sum of utilities), ties in package order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Frontier {
    /// The points.
    pub points: Vec<ParetoPoint>,
    /// Largest intermediate frontier met during the computation (a measure of its cost).
    pub peak_layer: usize,
}

/// One layer of the DP: the surviving prefixes.
struct Layer {
    /// Flattened utility vectors, `parties` per point.
    utilities: Vec<f64>,
    /// Index of the parent in the previous layer.
    parent: Vec<u32>,
    /// Option chosen at this layer's issue.
    option: Vec<u32>,
    /// Packages reaching this vector.
    count: Vec<u64>,
}

/// The order in which the DP takes the issues.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum IssueOrder {
    /// The problem's order: utilities are summed issue by issue, exactly as NegMAS and Genius sum them.
    #[default]
    AsGiven,
    /// Issues with fewer options first: faster, but sums in another order may differ in the last bit.
    FewestOptionsFirst,
}

/// Computes the Pareto set of the rational packages of `problem`, taking issues in their order.
pub fn pareto_frontier(problem: &Problem) -> Frontier {
    pareto_frontier_ordered(problem, IssueOrder::AsGiven)
}

/// Computes the Pareto set of the rational packages of `problem`, taking issues in `issue_order`.
pub fn pareto_frontier_ordered(problem: &Problem, issue_order: IssueOrder) -> Frontier {
    pareto_frontier_with(problem, issue_order, None)
}

/// An ε-Pareto set: every package of the exact Pareto set has a returned package that is at most `epsilon`
/// worse for every party (utilities in the problem's units).
///
/// Each of the n layers is thinned on a grid of cell ε/n after its exact pruning: of the points in one cell,
/// the first kept (highest welfare) stands for the others, which it trails by less than ε/n on every
/// coordinate. Later layers only replace points by dominating ones, so the losses add up to less than ε.
/// This bounds the frontier's size by the number of grid cells it meets, which is what makes many-party
/// problems tractable when the exact set is huge. The returned points are exact utility vectors of real
/// packages, Pareto-optimal among the returned ones; multiplicities count only the packages kept.
pub fn epsilon_pareto_frontier(problem: &Problem, epsilon: f64) -> Frontier {
    pareto_frontier_with(problem, IssueOrder::AsGiven, Some(epsilon))
}

fn pareto_frontier_with(
    problem: &Problem,
    issue_order: IssueOrder,
    epsilon: Option<f64>,
) -> Frontier {
    let d = problem.parties;
    if d == 0 {
        return Frontier::default();
    }
    // `order[k]` is the issue of layer k. Issues with few options first keep intermediate frontiers smaller,
    // but change the order of floating-point sums; the default keeps the issue order, as other tools sum.
    let n = problem.issues.len();
    let mut order: Vec<usize> = (0..n).collect();
    if issue_order == IssueOrder::FewestOptionsFirst {
        order.sort_by_key(|&i| problem.issues[i].options);
    }
    // Best remaining utility per party after each layer, for the reservation pruning.
    let mut best_rest = vec![vec![0.0; d]; n + 1];
    for k in (0..n).rev() {
        let issue = &problem.issues[order[k]];
        let next = best_rest[k + 1].clone();
        for (p, (slot, rest)) in best_rest[k].iter_mut().zip(next).enumerate() {
            let best =
                (0..issue.options).map(|o| issue.row(o, d)[p]).fold(f64::NEG_INFINITY, f64::max);
            *slot = rest + best;
        }
    }
    let reservation_bites = problem.reservation.iter().any(|r| r.is_finite());
    if problem.issues.iter().any(|i| i.options == 0) {
        return Frontier::default();
    }

    let mut layers: Vec<Layer> = Vec::with_capacity(n);
    let mut current = vec![0.0; d];
    let mut current_count = vec![1u64];
    let mut peak_layer = 1;
    for (k, issue) in order.iter().map(|&i| &problem.issues[i]).enumerate() {
        if crate::cancel::cancelled() {
            return Frontier::default();
        }
        let options = useful_options(issue, d);
        let m = current_count.len();
        // Candidates: every surviving prefix plus every useful option, prefix-major.
        let mut cand_u = Vec::with_capacity(m * options.len() * d);
        let mut cand_parent = Vec::with_capacity(m * options.len());
        let mut cand_option = Vec::with_capacity(m * options.len());
        let mut cand_count = Vec::with_capacity(m * options.len());
        for (f, prefix) in current.chunks_exact(d).enumerate() {
            if f % 4096 == 4095 && crate::cancel::cancelled() {
                return Frontier::default();
            }
            for &(o, weight) in &options {
                let row = issue.row(o as usize, d);
                let start = cand_u.len();
                cand_u.extend(prefix.iter().zip(row).map(|(a, b)| a + b));
                if reservation_bites {
                    let reachable = cand_u[start..]
                        .iter()
                        .zip(&best_rest[k + 1])
                        .zip(&problem.reservation)
                        .all(|((u, rest), r)| u + rest >= r - 1e-9 * (r.abs() + 1.0));
                    if !reachable {
                        cand_u.truncate(start);
                        continue;
                    }
                }
                cand_parent.push(f as u32);
                cand_option.push(o);
                cand_count.push(current_count[f].saturating_mul(weight));
            }
        }
        let mut keep = if d <= 3 {
            prune_sweep(&cand_u, d)
        } else {
            prune_orthant(&current, &options, issue, d, &cand_u, &cand_option)
        };
        if let Some(epsilon) = epsilon.filter(|e| *e > 0.0) {
            keep = thin(keep, &cand_u, d, epsilon / n.max(1) as f64);
        }
        // `keep` lists survivors, each with the candidates merged into it (equal vectors).
        let mut layer = Layer {
            utilities: Vec::with_capacity(keep.len() * d),
            parent: Vec::with_capacity(keep.len()),
            option: Vec::with_capacity(keep.len()),
            count: Vec::with_capacity(keep.len()),
        };
        for (rep, merged) in keep {
            layer.utilities.extend_from_slice(&cand_u[rep * d..(rep + 1) * d]);
            layer.parent.push(cand_parent[rep]);
            layer.option.push(cand_option[rep]);
            layer.count.push(merged.iter().fold(0u64, |acc, &c| acc.saturating_add(cand_count[c])));
        }
        peak_layer = peak_layer.max(layer.parent.len());
        current = layer.utilities.clone();
        current_count = layer.count.clone();
        layers.push(layer);
        if current_count.is_empty() {
            return Frontier { points: Vec::new(), peak_layer };
        }
    }

    let mut points: Vec<ParetoPoint> = current
        .chunks_exact(d)
        .enumerate()
        .filter(|(_, u)| u.iter().zip(&problem.reservation).all(|(u, r)| u >= r))
        .map(|(index, u)| {
            let mut package = vec![0u32; n];
            let mut at = index;
            for (k, layer) in layers.iter().enumerate().rev() {
                package[order[k]] = layer.option[at];
                at = layer.parent[at] as usize;
            }
            ParetoPoint { utilities: u.to_vec(), package, multiplicity: current_count[index] }
        })
        .collect();
    if n == 0 {
        points =
            vec![ParetoPoint { utilities: vec![0.0; d], package: Vec::new(), multiplicity: 1 }]
                .into_iter()
                .filter(|p| p.utilities.iter().zip(&problem.reservation).all(|(u, r)| u >= r))
                .collect();
    }
    let mut keyed: Vec<(f64, ParetoPoint)> =
        points.into_iter().map(|p| (p.utilities.iter().sum(), p)).collect();
    keyed.sort_by(|(sa, a), (sb, b)| sb.total_cmp(sa).then_with(|| a.package.cmp(&b.package)));
    Frontier { points: keyed.into_iter().map(|(_, p)| p).collect(), peak_layer }
}

/// The options of `issue` worth trying, each with the number of identical options it stands for.
/// An option weakly dominated by another (and not identical to it) can never be on the frontier.
fn useful_options(issue: &crate::problem::IssueTable, d: usize) -> Vec<(u32, u64)> {
    let mut useful: Vec<(u32, u64)> = Vec::new();
    'next: for o in 0..issue.options {
        let row = issue.row(o, d);
        for other in 0..issue.options {
            if other == o {
                continue;
            }
            let r = issue.row(other, d);
            let geq = r.iter().zip(row).all(|(a, b)| a >= b);
            if geq && r != row {
                continue 'next;
            }
            if r == row && other < o {
                // Identical to an earlier option: counted with it.
                if let Some(entry) = useful.iter_mut().find(|(u, _)| *u as usize == other) {
                    entry.1 += 1;
                }
                continue 'next;
            }
        }
        useful.push((o as u32, 1));
    }
    useful
}

/// A total order key for an `f64` (same order as `f64::total_cmp`).
fn key(x: f64) -> i64 {
    let bits = x.to_bits() as i64;
    bits ^ (((bits >> 63) as u64) >> 1) as i64
}

/// Pruning for up to three parties: sort, then sweep. Returns (representative, merged candidates).
fn prune_sweep(cand: &[f64], d: usize) -> Vec<(usize, Vec<usize>)> {
    let n = cand.len() / d;
    let at = |i: usize, j: usize| cand[i * d + j];
    let mut order: Vec<usize> = (0..n).collect();
    // Descending lexicographic order; ties by candidate index so the earliest candidate represents a vector.
    order.sort_unstable_by(|&a, &b| {
        for j in 0..d {
            let c = at(b, j).total_cmp(&at(a, j));
            if c.is_ne() {
                return c;
            }
        }
        a.cmp(&b)
    });
    let mut out: Vec<(usize, Vec<usize>)> = Vec::new();
    let mut best_y = f64::NEG_INFINITY;
    // Staircase for d = 3: key(y) → z, z strictly decreasing as y increases.
    let mut stairs: BTreeMap<i64, f64> = BTreeMap::new();
    let mut i = 0;
    while i < n {
        let rep = order[i];
        let mut merged = vec![rep];
        let mut j = i + 1;
        while j < n && (0..d).all(|c| at(order[j], c) == at(rep, c)) {
            merged.push(order[j]);
            j += 1;
        }
        i = j;
        let dominated = match d {
            1 => !out.is_empty(),
            2 => best_y >= at(rep, 1),
            _ => {
                let (y, z) = (at(rep, 1), at(rep, 2));
                stairs.range(key(y)..).next().is_some_and(|(_, &zz)| zz >= z)
            }
        };
        if dominated {
            continue;
        }
        match d {
            2 => best_y = best_y.max(at(rep, 1)),
            3 => {
                let (y, z) = (at(rep, 1), at(rep, 2));
                let ky = key(y);
                let doomed: Vec<i64> = stairs
                    .range(..=ky)
                    .rev()
                    .take_while(|(_, zz)| **zz <= z)
                    .map(|(k, _)| *k)
                    .collect();
                for k in doomed {
                    stairs.remove(&k);
                }
                stairs.insert(ky, z);
            }
            _ => {}
        }
        out.push((rep, merged));
    }
    out
}

/// A static k-d tree over a point set, with the per-coordinate maximum of every subtree.
struct KdTree<'a> {
    points: &'a [f64],
    d: usize,
    /// Point indices, arranged so that every node owns a contiguous range.
    order: Vec<u32>,
    /// Nodes in build order: (start, end, left child, right child, max offset).
    nodes: Vec<(u32, u32, u32, u32)>,
    maxima: Vec<f64>,
    /// Per node, the largest coordinate sum of its points: a dominator's sum is at least the query's.
    max_sums: Vec<f64>,
}

const LEAF: usize = 8;
/// Layers with at least this many candidates are pruned in parallel.
const PARALLEL_CANDIDATES: usize = 50_000;
const NONE: u32 = u32::MAX;

impl<'a> KdTree<'a> {
    fn new(points: &'a [f64], d: usize) -> KdTree<'a> {
        let n = points.len() / d;
        let mut tree = KdTree {
            points,
            d,
            order: (0..n as u32).collect(),
            nodes: Vec::new(),
            maxima: Vec::new(),
            max_sums: Vec::new(),
        };
        if n > 0 {
            tree.build(0, n, 0);
        }
        tree
    }

    fn build(&mut self, start: usize, end: usize, depth: usize) -> u32 {
        let id = self.nodes.len() as u32;
        self.nodes.push((start as u32, end as u32, NONE, NONE));
        let d = self.d;
        let mut max = vec![f64::NEG_INFINITY; d];
        let mut max_sum = f64::NEG_INFINITY;
        for &i in &self.order[start..end] {
            let p = &self.points[i as usize * d..(i as usize + 1) * d];
            for (m, x) in max.iter_mut().zip(p) {
                *m = m.max(*x);
            }
            max_sum = max_sum.max(p.iter().sum());
        }
        self.maxima.extend_from_slice(&max);
        self.max_sums.push(max_sum);
        if end - start > LEAF {
            // Split on the widest coordinate: more subtrees fall below a query bound.
            let mut min = vec![f64::INFINITY; d];
            for &i in &self.order[start..end] {
                for (m, x) in min.iter_mut().zip(&self.points[i as usize * d..(i as usize + 1) * d])
                {
                    *m = m.min(*x);
                }
            }
            let axis = (0..d)
                .max_by(|&a, &b| (max[a] - min[a]).total_cmp(&(max[b] - min[b])))
                .unwrap_or(depth % d);
            let mid = (start + end) / 2;
            let points = self.points;
            self.order[start..end].select_nth_unstable_by(mid - start, |&a, &b| {
                points[a as usize * d + axis].total_cmp(&points[b as usize * d + axis])
            });
            let left = self.build(start, mid, depth + 1);
            let right = self.build(mid, end, depth + 1);
            self.nodes[id as usize].2 = left;
            self.nodes[id as usize].3 = right;
        }
        id
    }

    /// Whether some point p satisfies `accept(p)`, searching only subtrees whose maxima reach `lower` everywhere.
    fn any_above(
        &self,
        lower: &[f64],
        stack: &mut Vec<u32>,
        mut accept: impl FnMut(usize) -> bool,
    ) -> bool {
        if self.nodes.is_empty() {
            return false;
        }
        let d = self.d;
        // The caller loosens its bounds slightly; the sum bound is loosened the same way.
        let lower_sum: f64 =
            lower.iter().sum::<f64>() - 1e-9 * (1.0 + lower.iter().map(|x| x.abs()).sum::<f64>());
        stack.clear();
        stack.push(0);
        while let Some(id) = stack.pop() {
            let (start, end, left, right) = self.nodes[id as usize];
            if self.max_sums[id as usize] < lower_sum {
                continue;
            }
            let max = &self.maxima[id as usize * d..(id as usize + 1) * d];
            if max.iter().zip(lower).any(|(m, l)| m < l) {
                continue;
            }
            if left == NONE {
                for &i in &self.order[start as usize..end as usize] {
                    let p = &self.points[i as usize * d..(i as usize + 1) * d];
                    if p.iter().zip(lower).all(|(x, l)| x >= l) && accept(i as usize) {
                        return true;
                    }
                }
            } else {
                stack.push(left);
                stack.push(right);
            }
        }
        false
    }
}

/// Pruning for four or more parties, by orthant queries on the previous layer.
fn prune_orthant(
    previous: &[f64],
    options: &[(u32, u64)],
    issue: &crate::problem::IssueTable,
    d: usize,
    cand: &[f64],
    option: &[u32],
) -> Vec<(usize, Vec<usize>)> {
    let tree = KdTree::new(previous, d);
    let n = option.len();
    // Small layers run on this thread: splitting them costs more than it saves, and callers may already be
    // running many problems in parallel.
    let check = |c: usize| -> bool {
        let cu = &cand[c * d..(c + 1) * d];
        let own = option[c];
        let mut lower = vec![0.0f64; d];
        let mut stack: Vec<u32> = Vec::with_capacity(64);
        for &(other, _) in options {
            if other == own {
                continue;
            }
            let row = issue.row(other as usize, d);
            // Search slightly below the exact bound, then decide on the exact sums, as the candidates were computed.
            for j in 0..d {
                let bound = cu[j] - row[j];
                lower[j] = bound - 1e-9 * (bound.abs() + 1.0);
            }
            let dominated = tree.any_above(&lower, &mut stack, |f| {
                let s = previous[f * d..(f + 1) * d].iter().zip(row).map(|(a, b)| a + b);
                let mut all_geq = true;
                let mut any_gt = false;
                for (x, y) in s.zip(cu) {
                    if x < *y {
                        all_geq = false;
                        break;
                    }
                    if x > *y {
                        any_gt = true;
                    }
                }
                // Equal vectors do not dominate each other: both survive and are merged below.
                all_geq && any_gt
            });
            if dominated {
                return false;
            }
        }
        true
    };
    let survives: Vec<bool> = if n >= PARALLEL_CANDIDATES {
        (0..n).into_par_iter().map(check).collect()
    } else {
        (0..n).map(check).collect()
    };
    // Merge equal survivors; the earliest candidate represents them.
    let mut survivors: Vec<usize> = (0..n).filter(|&c| survives[c]).collect();
    let row = |c: usize| &cand[c * d..(c + 1) * d];
    survivors.sort_unstable_by(|&a, &b| {
        row(a)
            .iter()
            .zip(row(b))
            .map(|(x, y)| x.total_cmp(y))
            .find(|o| o.is_ne())
            .unwrap_or(a.cmp(&b))
    });
    let mut out: Vec<(usize, Vec<usize>)> = Vec::new();
    for c in survivors {
        match out.last_mut() {
            Some((rep, merged)) if row(*rep) == row(c) => merged.push(c),
            _ => out.push((c, vec![c])),
        }
    }
    // Keep candidate order, so that results do not depend on the merge.
    out.sort_unstable_by_key(|(rep, _)| *rep);
    out
}

/// Survivors of a layer: a representative candidate and the candidates merged into it.
type Survivors = Vec<(usize, Vec<usize>)>;

/// Keeps one point per grid cell of side `cell`: the one with the largest sum (then the earliest).
fn thin(keep: Survivors, cand: &[f64], d: usize, cell: f64) -> Survivors {
    type Keyed = (Vec<i64>, f64, (usize, Vec<usize>));
    let row = |c: usize| &cand[c * d..(c + 1) * d];
    let mut keyed: Vec<Keyed> = keep
        .into_iter()
        .map(|(rep, merged)| {
            let key = row(rep).iter().map(|x| (x / cell).floor() as i64).collect();
            (key, row(rep).iter().sum(), (rep, merged))
        })
        .collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.total_cmp(&a.1)).then(a.2.0.cmp(&b.2.0)));
    keyed.dedup_by(|later, first| later.0 == first.0);
    let mut out: Vec<(usize, Vec<usize>)> = keyed.into_iter().map(|(_, _, k)| k).collect();
    out.sort_unstable_by_key(|(rep, _)| *rep);
    out
}
