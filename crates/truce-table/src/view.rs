//! The Pareto set as a few parties see it: what a frontier plot for a pair or a triple of parties shows.
//!
//! The whole table's Pareto set (every party counted) is projected onto the chosen parties. Equal
//! projections are merged. A projected point is *efficient for these parties* when no other projected
//! point is at least as good for each of them and better for one. These efficient points are exactly
//! the Pareto set of the chosen parties alone, over the same feasible packages. (A package that is
//! Pareto-optimal for the few is weakly dominated by some point of the whole frontier, and that point
//! must give the few exactly the same utilities.) The plot can therefore show both, from one computation:
//! the deals efficient for everyone, and which of them the chosen parties would pick among themselves.

use truce_scenario::{OptionIx, Scenario};

use crate::analysis::Analysis;
use crate::bargaining::{Disagreement, SolutionConcept};
use crate::best::BestPackage;
use crate::numeric::{bargain, numeric_model};

/// One projected point.
#[derive(Debug, Clone, PartialEq)]
pub struct ViewPoint {
    /// Utility to each chosen party, in the order asked.
    pub utilities: Vec<f64>,
    /// Whether it is Pareto-optimal for the chosen parties alone.
    pub efficient: bool,
    /// How many feasible packages on the whole frontier project here (saturating).
    pub packages: u64,
    /// One such package, one option per issue in issue order (the first in frontier order).
    pub package: Vec<OptionIx>,
}

/// A frontier plot's data.
#[derive(Debug, Clone, PartialEq)]
pub struct FrontierView {
    /// The chosen parties, as slots in [`crate::Stances::parties`].
    pub slots: Vec<usize>,
    /// The projected points, by decreasing sum of the chosen parties' utilities.
    pub points: Vec<ViewPoint>,
    /// The bargaining solutions of the whole table (as the analysis reports them), projected.
    pub solutions: Vec<(SolutionConcept, Vec<f64>)>,
    /// The chosen parties' disagreement points.
    pub disagreement: Vec<f64>,
    /// Size of the whole table's Pareto set.
    pub pareto_size: usize,
}

/// The frontier view of reading number `reading` (index into [`Analysis::readings`]) for the parties at
/// `slots`. `None` when that reading has no feasible package, or a slot is out of range.
pub fn frontier_view(
    scenario: &Scenario,
    analysis: &Analysis,
    reading: usize,
    slots: &[usize],
) -> Option<FrontierView> {
    let ra = analysis.readings.get(reading)?;
    let best = ra.best.as_ref()?;
    if slots.iter().any(|&s| s >= analysis.stances.parties.len()) {
        return None;
    }
    let open = ra.feasibility.open_combos(&ra.constraints);
    let model = numeric_model(scenario, &analysis.stances, &analysis.utilities, &open);
    let result = bargain(&model, Disagreement::Reservation);
    let project = |u: &[f64]| slots.iter().map(|&s| u[s]).collect::<Vec<f64>>();

    // Merge equal projections, keeping the first package in frontier order.
    let mut merged: Vec<ViewPoint> = Vec::new();
    let mut seen: std::collections::HashMap<Vec<u64>, usize> = std::collections::HashMap::new();
    for point in &result.frontier.points {
        let utilities = project(&point.utilities);
        let key: Vec<u64> = utilities.iter().map(|u| u.to_bits()).collect();
        match seen.get(&key) {
            Some(&k) => merged[k].packages = merged[k].packages.saturating_add(point.multiplicity),
            None => {
                seen.insert(key, merged.len());
                let mut package: Vec<OptionIx> = point
                    .package
                    .iter()
                    .enumerate()
                    .flat_map(|(g, &k)| model.options[g][k as usize].iter().copied())
                    .collect();
                package.sort_by_key(|o| scenario.option(*o).issue.ix());
                merged.push(ViewPoint {
                    utilities,
                    efficient: false,
                    packages: point.multiplicity,
                    package,
                });
            }
        }
    }
    // A dominating point has a strictly larger sum, so it comes first in this order; and if it is itself
    // dominated, its dominator dominates too. Checking against the efficient points kept so far suffices.
    merged.sort_by(|a, b| {
        let (sa, sb): (f64, f64) = (a.utilities.iter().sum(), b.utilities.iter().sum());
        sb.total_cmp(&sa)
    });
    let mut efficient: Vec<usize> = Vec::new();
    for k in 0..merged.len() {
        let dominated = efficient.iter().any(|&e| {
            let (a, b) = (&merged[e].utilities, &merged[k].utilities);
            a.iter().zip(b).all(|(x, y)| x >= y) && a != b
        });
        if !dominated {
            merged[k].efficient = true;
            efficient.push(k);
        }
    }
    let shown = |concept: SolutionConcept, p: &Option<BestPackage>| {
        p.as_ref().map(|p| (concept, project(&p.utilities)))
    };
    let solutions = [
        shown(SolutionConcept::Nash, &best.nash),
        shown(SolutionConcept::KalaiSmorodinsky, &best.ks),
        shown(SolutionConcept::Egalitarian, &best.maximin),
        shown(SolutionConcept::Utilitarian, &best.utilitarian),
    ]
    .into_iter()
    .flatten()
    .collect();
    Some(FrontierView {
        slots: slots.to_vec(),
        points: merged,
        solutions,
        disagreement: project(&best.disagreement),
        pareto_size: result.frontier.points.len(),
    })
}
