//! Seeded random problems for benchmarks and tests.

use rand::{Rng, RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::problem::{IssueTable, Problem};

/// A draw from Dirichlet(1, …, 1) of dimension `n`: normalised standard exponentials.
pub fn dirichlet_ones(rng: &mut impl Rng, n: usize) -> Vec<f64> {
    let draws: Vec<f64> = (0..n).map(|_| -(1.0 - rng.random::<f64>()).ln()).collect();
    let total: f64 = draws.iter().sum();
    draws.into_iter().map(|x| x / total).collect()
}

/// A linear-additive problem: `parties` parties, `issues` issues of `options` options each; each party's
/// weights are drawn from Dirichlet(1) and its option values uniformly on [0, 1]; no reservation values.
/// The same seed gives the same problem on every machine.
pub fn synthetic_problem(parties: usize, issues: usize, options: usize, seed: u64) -> Problem {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let weights: Vec<Vec<f64>> = (0..parties).map(|_| dirichlet_ones(&mut rng, issues)).collect();
    let tables = (0..issues)
        .map(|i| {
            let mut utilities = Vec::with_capacity(options * parties);
            for _ in 0..options {
                for w in &weights {
                    utilities.push(w[i] * rng.random::<f64>());
                }
            }
            IssueTable { options, utilities }
        })
        .collect();
    Problem { parties, issues: tables, reservation: vec![f64::NEG_INFINITY; parties] }
}
