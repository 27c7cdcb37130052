//! Property test: the Pareto DP and the bargaining solutions agree with brute-force enumeration
//! on random small problems, for 1 to 5 parties (both pruning kernels), with ties and reservation values.

use proptest::prelude::*;

use crate::{Disagreement, IssueTable, Problem, SolutionConcept, pareto_frontier, solve};

fn problem() -> impl Strategy<Value = Problem> {
    (1usize..=5, prop::collection::vec(1usize..=4, 0..=4), any::<bool>()).prop_flat_map(
        |(d, options, reserve)| {
            let cells: usize = options.iter().map(|o| o * d).sum();
            // Utilities on a coarse grid, so that ties and equal vectors are common.
            (prop::collection::vec(0u8..=4, cells), prop::collection::vec(0u8..=6, d)).prop_map(
                move |(grid, rv)| {
                    let mut at = 0;
                    let issues = options
                        .iter()
                        .map(|&o| {
                            let utilities =
                                grid[at..at + o * d].iter().map(|&g| g as f64 * 0.25).collect();
                            at += o * d;
                            IssueTable { options: o, utilities }
                        })
                        .collect();
                    let reservation = rv
                        .iter()
                        .map(|&r| if reserve { r as f64 * 0.25 } else { f64::NEG_INFINITY })
                        .collect();
                    Problem { parties: d, issues, reservation }
                },
            )
        },
    )
}

fn all_packages(p: &Problem) -> Vec<Vec<u32>> {
    let mut all = vec![Vec::new()];
    for issue in &p.issues {
        all = all
            .into_iter()
            .flat_map(|prefix| {
                (0..issue.options as u32).map(move |o| [prefix.clone(), vec![o]].concat())
            })
            .collect();
    }
    all
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    #[test]
    fn frontier_agrees_with_brute_force(p in problem()) {
        let packages = all_packages(&p);
        let rational: Vec<(Vec<u32>, Vec<f64>)> = packages
            .iter()
            .map(|pkg| (pkg.clone(), p.evaluate(pkg)))
            .filter(|(_, u)| u.iter().zip(&p.reservation).all(|(u, r)| u >= r))
            .collect();
        let dominated = |u: &Vec<f64>| rational.iter().any(|(_, v)| v != u && v.iter().zip(u).all(|(a, b)| a >= b));
        let mut expected: Vec<Vec<f64>> = rational.iter().filter(|(_, u)| !dominated(u)).map(|(_, u)| u.clone()).collect();
        expected.sort_by(|a, b| a.partial_cmp(b).unwrap());
        expected.dedup();

        let frontier = pareto_frontier(&p);
        let mut got: Vec<Vec<f64>> = frontier.points.iter().map(|x| x.utilities.clone()).collect();
        got.sort_by(|a, b| a.partial_cmp(b).unwrap());
        prop_assert_eq!(&got, &expected);
        for point in &frontier.points {
            // Each point's package reaches its utilities, and the multiplicity counts every package that does.
            prop_assert_eq!(p.evaluate(&point.package), point.utilities.clone());
            let count = rational.iter().filter(|(_, u)| *u == point.utilities).count() as u64;
            prop_assert_eq!(point.multiplicity, count);
        }

        // Nash and utilitarian optima equal brute force over the rational packages.
        let ranges = p.ranges();
        for concept in [SolutionConcept::Nash, SolutionConcept::Utilitarian, SolutionConcept::Egalitarian] {
            let (selected, score) = solve(&frontier, concept, &ranges, &p.reservation, Disagreement::NegMas);
            if rational.is_empty() {
                prop_assert!(selected.is_empty());
                continue;
            }
            if let Some(score) = score {
                let d = crate::bargaining_ranges(&ranges, &p.reservation, Disagreement::NegMas);
                let best = rational.iter().map(|(_, u)| match concept {
                    SolutionConcept::Nash => u.iter().zip(&d).map(|(x, (d, _))| x - d).product::<f64>(),
                    SolutionConcept::Utilitarian => u.iter().sum(),
                    _ => u.iter().zip(&d).map(|(x, (d, _))| x - d).fold(f64::INFINITY, f64::min),
                }).fold(f64::NEG_INFINITY, f64::max);
                prop_assert!((score - best).abs() < 1e-9, "{:?}: {} vs {}", concept, score, best);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// The ε-Pareto set covers every exact Pareto point within ε on every coordinate.
    #[test]
    fn epsilon_frontier_covers_the_exact_one(p in problem(), eps in 0.05f64..1.0) {
        let exact = pareto_frontier(&p);
        let approx = crate::epsilon_pareto_frontier(&p, eps);
        prop_assert!(approx.points.len() <= exact.points.len());
        for e in &exact.points {
            prop_assert!(
                approx.points.iter().any(|a| a.utilities.iter().zip(&e.utilities).all(|(x, y)| *x >= y - eps - 1e-12)),
                "no returned point within {} of {:?}", eps, e.utilities
            );
        }
        for a in &approx.points {
            prop_assert_eq!(p.evaluate(&a.package), a.utilities.clone());
        }
    }
}
