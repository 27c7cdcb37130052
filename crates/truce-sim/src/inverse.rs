//! One party's utility, inverted: the package whose utility is nearest a level, by a DP over issues.
//!
//! Time-based agents ask "which package gives me utility just above `a`?". Enumerating packages answers
//! that for a few million at most; here the answer comes from the distinct *partial sums* of the party's
//! utilities, built issue by issue like the Table's Pareto programme, in one dimension:
//!
//! - layer 0 holds the single sum 0;
//! - layer k+1 holds every distinct `s + u(o)` for s in layer k and o an option of issue k+1, each with one
//!   parent pointer and the option, so that a package is rebuilt by walking back;
//! - among packages with the same sum, the first in option order (lexicographic) is kept, which is the
//!   order in which NegMAS enumerates outcomes.
//!
//! Sums are computed in issue order from 0, exactly as [`truce_table::Problem::evaluate`] sums, so a
//! package's sum here is bit for bit its utility.
//!
//! The number of distinct sums is at most the number of packages, but for large spaces it grows too. When
//! a layer would hold more than [`EXACT_LIMIT`] sums it is **thinned**: sums falling in the same cell of a
//! grid of [`THIN_CELLS`] cells over the party's range keep only the smallest. Each thinned layer then
//! trails the exact one by less than one cell, so after n issues the package found for level `a` has a
//! utility within n · range / [`THIN_CELLS`] of the exact answer (and always at least `a` when one exists
//! in the thinned set). [`Inverse::exact`] says which case holds. Memory is O(sum of layer sizes): 8 bytes
//! per kept sum, never the outcome space.

use truce_table::Problem;

/// Up to this many distinct sums per layer, the inverse is exact.
pub const EXACT_LIMIT: usize = 1 << 18;

/// Grid cells over a party's range when a layer is thinned.
pub const THIN_CELLS: usize = 1 << 16;

/// NegMAS's presorting inverter looks this far below a level for a nearer outcome (its `EPS`).
pub const NEAR_BELOW: f64 = 1e-6;

/// A party's utility function, inverted.
#[derive(Debug, Clone)]
pub struct Inverse {
    /// The distinct achievable utilities, ascending.
    sums: Vec<f64>,
    /// Per layer (issue), per kept sum: its parent in the previous layer.
    parent: Vec<Vec<u32>>,
    /// Per layer, per kept sum: the option chosen at that issue.
    option: Vec<Vec<u32>>,
    exact: bool,
}

impl Inverse {
    /// Builds the inverse of `party`'s utility in `problem`.
    pub fn new(problem: &Problem, party: usize) -> Inverse {
        let d = problem.parties;
        let (lo, hi) = problem.ranges()[party];
        let cell = (hi - lo) / THIN_CELLS as f64;
        // Current layer: sums in storage order, and each entry's lexicographic rank among the prefixes.
        let mut sums = vec![0.0f64];
        let mut rank = vec![0u32];
        let mut parents: Vec<Vec<u32>> = Vec::with_capacity(problem.issues.len());
        let mut options: Vec<Vec<u32>> = Vec::with_capacity(problem.issues.len());
        let mut exact = true;
        // Lower bound of the sums still to come, to place the grid of a thinned layer in absolute terms.
        let mut rest_min: Vec<f64> = vec![0.0; problem.issues.len() + 1];
        for k in (0..problem.issues.len()).rev() {
            let issue = &problem.issues[k];
            let m =
                (0..issue.options).map(|o| issue.row(o, d)[party]).fold(f64::INFINITY, f64::min);
            rest_min[k] = rest_min[k + 1] + if m.is_finite() { m } else { 0.0 };
        }
        for (k, issue) in problem.issues.iter().enumerate() {
            // Candidates: (sum, rank of the prefix, option, parent).
            let mut cand: Vec<(f64, u32, u32, u32)> =
                Vec::with_capacity(sums.len() * issue.options);
            for (e, (&s, &r)) in sums.iter().zip(&rank).enumerate() {
                for o in 0..issue.options {
                    cand.push((s + issue.row(o, d)[party], r, o as u32, e as u32));
                }
            }
            // Equal sums merge into the lexicographically first prefix.
            cand.sort_unstable_by(|a, b| {
                a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2))
            });
            cand.dedup_by(|next, kept| next.0 == kept.0);
            if cand.len() > EXACT_LIMIT && cell > 0.0 {
                exact = false;
                // The grid is absolute (anchored at the smallest reachable total), so every layer thins on
                // the same cells: within a cell the smallest sum stays.
                let base = lo - rest_min[k + 1];
                cand.dedup_by(|next, kept| {
                    ((next.0 - base) / cell).floor() == ((kept.0 - base) / cell).floor()
                });
            }
            // Ranks of the survivors in lexicographic order of (prefix rank, option).
            let mut by_lex: Vec<u32> = (0..cand.len() as u32).collect();
            by_lex.sort_unstable_by_key(|&i| (cand[i as usize].1, cand[i as usize].2));
            let mut new_rank = vec![0u32; cand.len()];
            for (r, &i) in by_lex.iter().enumerate() {
                new_rank[i as usize] = r as u32;
            }
            sums = cand.iter().map(|c| c.0).collect();
            rank = new_rank;
            parents.push(cand.iter().map(|c| c.3).collect());
            options.push(cand.iter().map(|c| c.2).collect());
        }
        // The final layer is sorted by sum, so a sum's rank is its place in storage.
        Inverse { sums, parent: parents, option: options, exact }
    }

    /// Whether every achievable utility is kept (no layer was thinned).
    pub fn exact(&self) -> bool {
        self.exact
    }

    /// The number of distinct utilities kept.
    pub fn len(&self) -> usize {
        self.sums.len()
    }

    /// Whether the party has no package at all (some issue without options).
    pub fn is_empty(&self) -> bool {
        self.sums.is_empty()
    }

    /// The utility of rank `i` (0 = the smallest).
    pub fn utility(&self, i: usize) -> f64 {
        self.sums[i]
    }

    /// The package of rank `i`: the first package in option order reaching that utility.
    pub fn package(&self, i: usize) -> Vec<u32> {
        let n = self.option.len();
        let mut package = vec![0u32; n];
        let mut at = i;
        for k in (0..n).rev() {
            package[k] = self.option[k][at];
            at = self.parent[k][at] as usize;
        }
        package
    }

    /// The rank of the smallest utility at least `level`, as NegMAS's presorting inverter's `worst_in`
    /// finds it: the first utility at or above `level`, unless one no more than [`NEAR_BELOW`] below
    /// `level` is strictly nearer. `None` when every utility is below `level - NEAR_BELOW`.
    pub fn at_least(&self, level: f64) -> Option<usize> {
        let i = self.sums.partition_point(|&s| s < level);
        let below = i.checked_sub(1).filter(|&j| self.sums[j] >= level - NEAR_BELOW);
        match (i < self.sums.len(), below) {
            (true, Some(j)) if level - self.sums[j] < self.sums[i] - level => Some(j),
            (true, _) => Some(i),
            (false, Some(j)) => Some(j),
            (false, None) => None,
        }
    }

    /// The rank of the largest utility (the party's best package).
    pub fn best(&self) -> usize {
        self.sums.len() - 1
    }
}
