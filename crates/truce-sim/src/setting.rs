//! A negotiation setting: the problem, each party's inverted utility, and the Table's reference points.

use truce_table::{
    Disagreement, IssueTable, ParetoPoint, Problem, SolutionConcept, pareto_frontier, solve,
};

use crate::inverse::Inverse;

/// One party's side of a setting: what its agent may know.
#[derive(Debug, Clone)]
pub struct PartyView {
    /// The party's name in reports.
    pub name: String,
    /// Its utility, inverted (its own utilities only).
    pub inverse: Inverse,
    /// Its smallest utility over all packages, raised to its reservation value when that is higher
    /// (NegMAS's `ufun_min` for its agents).
    pub min: f64,
    /// Its largest utility over all packages.
    pub max: f64,
    /// Its reservation value; `-inf` when it has none. An agent never accepts or offers below it.
    pub reservation: f64,
}

impl PartyView {
    /// A utility as a share of the party's range: 0 at [`PartyView::min`], 1 at [`PartyView::max`].
    pub fn normalized(&self, u: f64) -> f64 {
        if self.max > self.min { (u - self.min) / (self.max - self.min) } else { 1.0 }
    }

    /// The utility at share `x` of the party's range.
    pub fn at_share(&self, x: f64) -> f64 {
        self.min + (self.max - self.min) * x
    }
}

/// A problem ready to negotiate on: each party's view, and the Pareto set with its Nash and
/// Kalai–Smorodinsky points to measure outcomes against.
#[derive(Debug, Clone)]
pub struct Setting {
    /// The additive problem (red lines are already out: every package in it respects them).
    pub problem: Problem,
    /// Factor from the problem's units to reported utilities (see `truce_table::NumericModel::scale`).
    pub scale: f64,
    /// One view per party, in the problem's party order.
    pub parties: Vec<PartyView>,
    /// The Pareto set of rational packages: utility vectors (problem units) and one package each.
    pub frontier: Vec<(Vec<f64>, Vec<u32>)>,
    /// Indices into `frontier` of the Nash points (disagreement at the reservation values, 0 when none).
    pub nash: Vec<usize>,
    /// Indices into `frontier` of the Kalai–Smorodinsky points (NegMAS definition).
    pub ks: Vec<usize>,
}

impl Setting {
    /// Prepares `problem` for negotiation: inverts each party's utility (in parallel) and computes the
    /// exact Pareto set and its Nash and KS points. `names` name the parties.
    ///
    /// Nothing here depends on where each party is seated. The Pareto set is computed with the parties
    /// in the order of their names, so the package that stands for a point several packages reach is the
    /// same under every seating; its points are then given in seat order, and ordered by decreasing
    /// [`welfare`], ties in package order. So ties (between Nash points, or between the mediator's
    /// candidate texts) break the same way wherever each party sits.
    pub fn new(problem: Problem, scale: f64, names: Vec<String>) -> Setting {
        use rayon::prelude::*;
        let ranges = problem.ranges();
        let (parties, frontier) = rayon::join(
            || {
                (0..problem.parties)
                    .into_par_iter()
                    .map(|p| {
                        let reservation = problem.reservation[p];
                        PartyView {
                            name: names
                                .get(p)
                                .cloned()
                                .unwrap_or_else(|| format!("party {}", p + 1)),
                            inverse: Inverse::new(&problem, p),
                            min: ranges[p].0.max(reservation),
                            max: ranges[p].1,
                            reservation,
                        }
                    })
                    .collect::<Vec<_>>()
            },
            || {
                // `by_name[k]`: the seat of the k-th party in the order of names.
                let mut by_name: Vec<usize> = (0..problem.parties).collect();
                by_name.sort_by(|&a, &b| names.get(a).cmp(&names.get(b)).then(a.cmp(&b)));
                let mut frontier = pareto_frontier(&permuted(&problem, &by_name));
                for point in &mut frontier.points {
                    let mut seated = vec![0.0; point.utilities.len()];
                    for (&seat, &u) in by_name.iter().zip(&point.utilities) {
                        seated[seat] = u;
                    }
                    point.utilities = seated;
                }
                let mut keyed: Vec<(f64, ParetoPoint)> = std::mem::take(&mut frontier.points)
                    .into_iter()
                    .map(|p| (welfare(&p.utilities), p))
                    .collect();
                keyed.sort_by(|(wa, a), (wb, b)| {
                    wb.total_cmp(wa).then_with(|| a.package.cmp(&b.package))
                });
                frontier.points = keyed.into_iter().map(|(_, p)| p).collect();
                frontier
            },
        );
        let pick = |concept| {
            solve(&frontier, concept, &ranges, &problem.reservation, Disagreement::Reservation).0
        };
        let nash = pick(SolutionConcept::Nash);
        let ks = pick(SolutionConcept::KalaiSmorodinsky);
        let frontier = frontier.points.into_iter().map(|p| (p.utilities, p.package)).collect();
        Setting { problem, scale, parties, frontier, nash, ks }
    }

    /// Number of parties.
    pub fn len(&self) -> usize {
        self.parties.len()
    }

    /// Whether there are no parties.
    pub fn is_empty(&self) -> bool {
        self.parties.is_empty()
    }

    /// The utility of `package` to `party`, summed in issue order (bit for bit [`Problem::evaluate`]).
    pub fn utility(&self, party: usize, package: &[u32]) -> f64 {
        let d = self.problem.parties;
        let mut u = 0.0;
        for (issue, &o) in self.problem.issues.iter().zip(package) {
            u += issue.row(o as usize, d)[party];
        }
        u
    }

    /// Distances of a utility vector (problem units) to the Pareto set, the nearest Nash point and the
    /// nearest KS point, Euclidean in reported units. `None` where the set is empty.
    pub fn distances(&self, u: &[f64]) -> Distances {
        let dist = |p: &[f64]| {
            let squares: Vec<f64> = p.iter().zip(u).map(|(a, b)| (a - b) * (a - b)).collect();
            welfare(&squares).sqrt() * self.scale
        };
        let nearest = |ix: &mut dyn Iterator<Item = usize>| {
            ix.map(|i| dist(&self.frontier[i].0)).min_by(f64::total_cmp)
        };
        Distances {
            pareto: nearest(&mut (0..self.frontier.len())),
            nash: nearest(&mut self.nash.iter().copied()),
            ks: nearest(&mut self.ks.iter().copied()),
        }
    }
}

/// `problem` with its parties rearranged: party k of the result is party `order[k]` of `problem`. Each
/// utility is copied, never recomputed, so a party's figures are bit for bit the same in either.
pub fn permuted(problem: &Problem, order: &[usize]) -> Problem {
    let d = problem.parties;
    let issues = problem
        .issues
        .iter()
        .map(|issue| IssueTable {
            options: issue.options,
            utilities: (0..issue.options)
                .flat_map(|o| {
                    let row = issue.row(o, d);
                    order.iter().map(move |&p| row[p])
                })
                .collect(),
        })
        .collect();
    let reservation = order.iter().map(|&p| problem.reservation[p]).collect();
    Problem { parties: order.len(), issues, reservation }
}

/// The sum of `values` (a package's utilities to the parties, say), added in increasing order so that the
/// result does not depend on the order of the parties, bit for bit.
pub fn welfare(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted.iter().sum()
}

/// How far an outcome is from the Table's reference points.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Distances {
    /// To the nearest point of the Pareto set (0 on it).
    pub pareto: Option<f64>,
    /// To the nearest Nash point.
    pub nash: Option<f64>,
    /// To the nearest Kalai–Smorodinsky point.
    pub ks: Option<f64>,
}
