//! From a scenario's preferences to a numeric [`Problem`], and the bargaining analysis over it.

use truce_scenario::{OptionIx, Scenario};

use crate::bargaining::{Disagreement, SolutionConcept, solve};
use crate::frontier::{Frontier, IssueOrder, ParetoPoint, pareto_frontier_ordered};
use crate::problem::{IssueTable, Problem};
use crate::stances::{StanceUtilities, Stances};

/// A scenario's parties and feasible options as a numeric problem.
#[derive(Debug, Clone)]
pub struct NumericModel {
    /// The problem: one issue per scenario issue, restricted to the options given.
    pub problem: Problem,
    /// `options[issue][k]`: the scenario options behind the problem's option k of that (super-)issue:
    /// one option per scenario issue of the group.
    pub options: Vec<Vec<Vec<OptionIx>>>,
    /// Each party's utility cap, if any.
    pub caps: Vec<Option<f64>>,
    /// Factor from the problem's units to reported utilities (see [`numeric_model`]).
    pub scale: f64,
}

/// Builds the numeric problem of the parties in `stances` over `open`: for each independent group of
/// issues, its allowed combinations (one option per issue of the group). Each group becomes one issue of
/// the problem, whose options are the combinations: the super-issue of the constraint graph's component.
///
/// A party's utility for an option is its `[[preferences]]` utility when given, else its stance utility;
/// its weight for an issue is its preference weight when given, else 1 / number of issues.
///
/// When no party has weights, every issue weighs the same for everyone: the problem is then built with
/// weight 1 and [`NumericModel::scale`] = 1 / number of issues. Stance utilities are multiples of 1/4, so
/// their sums are exact in binary floating point, and packages that tie mathematically tie exactly.
pub fn numeric_model(
    scenario: &Scenario,
    stances: &Stances,
    utilities: &[StanceUtilities],
    open: &[Vec<Vec<OptionIx>>],
) -> NumericModel {
    let d = stances.parties.len();
    let n_issues = scenario.issues.len().max(1);
    let prefs: Vec<Option<&truce_scenario::Preferences>> = stances
        .parties
        .iter()
        .map(|p| scenario.preferences.iter().find(|x| x.party == *p))
        .collect();
    let uniform = prefs.iter().all(|p| p.is_none_or(|p| p.weights.is_none()));
    let scale = if uniform { 1.0 / n_issues as f64 } else { 1.0 };
    let default_weight = if uniform { 1.0 } else { 1.0 / n_issues as f64 };
    let issues = open
        .iter()
        .enumerate()
        .map(|(i, options)| {
            let mut table = Vec::with_capacity(options.len() * d);
            for combo in options {
                for slot in 0..d {
                    let pref = prefs[slot];
                    // A constant offset rides on the first issue: (0 + offset) + w·v, as NegMAS sums.
                    let mut total = if i == 0 { pref.map_or(0.0, |p| p.offset) } else { 0.0 };
                    for &o in combo {
                        let issue = scenario.option(o).issue.ix();
                        let weight = pref
                            .and_then(|p| p.weights.as_ref())
                            .map_or(default_weight, |w| w[issue]);
                        let value = pref
                            .and_then(|p| p.utilities.get(o.ix()).copied().flatten())
                            .unwrap_or_else(|| {
                                utilities[slot].of(stances.stance(scenario, slot, o))
                            });
                        total = if total == 0.0 { weight * value } else { total + weight * value };
                    }
                    table.push(total);
                }
            }
            IssueTable { options: options.len(), utilities: table }
        })
        .collect();
    let reservation = prefs
        .iter()
        .map(|p| p.and_then(|p| p.reservation).map_or(f64::NEG_INFINITY, |r| r / scale))
        .collect();
    let caps = prefs.iter().map(|p| p.and_then(|p| p.utility_cap)).collect();
    NumericModel {
        problem: Problem { parties: d, issues, reservation },
        options: open.to_vec(),
        caps,
        scale,
    }
}

/// The Pareto set and the bargaining solutions of a numeric model.
#[derive(Debug, Clone)]
pub struct Bargaining {
    /// The Pareto set of rational packages (after any utility cap).
    pub frontier: Frontier,
    /// Each party's (smallest, largest) utility over all packages of the model.
    pub ranges: Vec<(f64, f64)>,
    /// Each party's reservation value (`-inf` when none).
    pub reservation: Vec<f64>,
    /// The rule that set the disagreement points.
    pub rule: Disagreement,
    /// For each concept, the frontier indices it selects (ties included) and the optimal score.
    pub solutions: Vec<(SolutionConcept, Vec<usize>, Option<f64>)>,
}

impl Bargaining {
    /// The frontier indices selected by `concept`.
    pub fn selected(&self, concept: SolutionConcept) -> &[usize] {
        self.solutions.iter().find(|(c, _, _)| *c == concept).map_or(&[], |(_, s, _)| s)
    }
}

/// Computes the Pareto set and every bargaining solution, with disagreement points set by `rule`.
pub fn bargain(model: &NumericModel, rule: Disagreement) -> Bargaining {
    bargain_ordered(model, rule, IssueOrder::AsGiven)
}

/// As [`bargain`], taking the issues in `order` (see [`IssueOrder`]).
pub fn bargain_ordered(model: &NumericModel, rule: Disagreement, order: IssueOrder) -> Bargaining {
    let mut frontier = pareto_frontier_ordered(&model.problem, order);
    let mut ranges = model.problem.ranges();
    if model.scale != 1.0 {
        for point in &mut frontier.points {
            point.utilities.iter_mut().for_each(|u| *u *= model.scale);
        }
        ranges.iter_mut().for_each(|r| *r = (r.0 * model.scale, r.1 * model.scale));
    }
    if model.caps.iter().any(Option::is_some) {
        let cap = |slot: usize, u: f64| model.caps[slot].map_or(u, |c| u.min(c));
        for point in &mut frontier.points {
            for (slot, u) in point.utilities.iter_mut().enumerate() {
                *u = cap(slot, *u);
            }
        }
        for (slot, r) in ranges.iter_mut().enumerate() {
            *r = (cap(slot, r.0), cap(slot, r.1));
        }
        frontier.points = refilter(std::mem::take(&mut frontier.points));
        frontier.points.sort_by(|a, b| {
            let (sa, sb): (f64, f64) = (a.utilities.iter().sum(), b.utilities.iter().sum());
            sb.total_cmp(&sa).then_with(|| a.package.cmp(&b.package))
        });
    }
    let reservation: Vec<f64> = model.problem.reservation.iter().map(|r| r * model.scale).collect();
    let solutions = SolutionConcept::ALL
        .iter()
        .map(|&c| {
            let (selected, score) = solve(&frontier, c, &ranges, &reservation, rule);
            (c, selected, score)
        })
        .collect();
    Bargaining { frontier, ranges, reservation, rule, solutions }
}

/// Removes points that capping made dominated or equal to another, keeping the order.
fn refilter(points: Vec<ParetoPoint>) -> Vec<ParetoPoint> {
    let mut kept: Vec<ParetoPoint> = Vec::with_capacity(points.len());
    'next: for p in points {
        for k in &mut kept {
            let geq = k.utilities.iter().zip(&p.utilities).all(|(a, b)| a >= b);
            if geq {
                if k.utilities == p.utilities {
                    k.multiplicity = k.multiplicity.saturating_add(p.multiplicity);
                }
                continue 'next;
            }
        }
        kept.retain(|k| !(p.utilities.iter().zip(&k.utilities).all(|(a, b)| a >= b)));
        kept.push(p);
    }
    kept
}
