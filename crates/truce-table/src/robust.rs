//! Robustness: how much the answer depends on what we do not know.
//!
//! Each draw samples what the scenario leaves open, then recomputes the feasible set, the Pareto set and the
//! Nash package under the red-lines reading:
//! - every current `unknown` stance is a red line with probability `unknown_red_line`, and otherwise worth a
//!   utility drawn uniformly between the party's `opposed` and `acceptable` utilities;
//! - every party without explicit `[[preferences]]` weights gets issue weights drawn from Dirichlet(1, …, 1).
//!
//! Draw k uses its own generator, seeded from (seed, k), so results do not depend on how draws are spread over
//! threads: the same seed gives the same report, byte for byte.

use std::collections::HashMap;

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use truce_scenario::{OptionIx, PartyIx, Scenario, Stance};

use crate::bargaining::{Disagreement, SolutionConcept};
use crate::frontier::IssueOrder;
use crate::reading::{Constraints, Reading};
use crate::stances::{StanceUtilities, Stances};
use crate::synthetic::dirichlet_ones;

/// What to sample.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RobustOptions {
    /// Number of draws.
    pub draws: u64,
    /// Seed of the whole run.
    pub seed: u64,
    /// Probability that an `unknown` stance is a red line.
    pub unknown_red_line: f64,
}

impl Default for RobustOptions {
    fn default() -> Self {
        RobustOptions { draws: 1000, seed: 1, unknown_red_line: 0.2 }
    }
}

/// How often one package did well.
#[derive(Debug, Clone, PartialEq)]
pub struct PackageFrequency {
    /// One option per issue.
    pub package: Vec<OptionIx>,
    /// Draws in which it was the Nash package.
    pub nash: u64,
    /// Draws in which it was on the Pareto frontier.
    pub frontier: u64,
    /// Draws in which it was feasible.
    pub feasible: u64,
}

/// The robustness report.
#[derive(Debug, Clone, PartialEq)]
pub struct Robustness {
    /// What was sampled.
    pub options: RobustOptions,
    /// Draws in which at least one package was feasible.
    pub feasible_draws: u64,
    /// Per issue, the draws in which it was blocked.
    pub blocked: Vec<u64>,
    /// The packages that were the Nash package in some draw, most frequent first.
    pub nash: Vec<PackageFrequency>,
    /// The packages most often on the frontier (at most `top`), most frequent first.
    pub frontier: Vec<PackageFrequency>,
    /// Number of distinct packages seen on some frontier.
    pub frontier_distinct: usize,
}

/// What one draw found.
struct Draw {
    /// Options excluded by a red line (sampled or not).
    excluded: Vec<bool>,
    blocked: Vec<bool>,
    nash: Option<u128>,
    frontier: Vec<u128>,
}

/// Packages as mixed-radix numbers: option k of issue i contributes k × (product of earlier issues' sizes).
struct PackageCode {
    /// `place[option]`: the option's contribution.
    place: Vec<u128>,
    /// Per issue, its size and multiplier, to decode.
    radix: Vec<(u128, u128)>,
}

impl PackageCode {
    /// `None` when there are more packages than a `u128` can number.
    fn new(scenario: &Scenario) -> Option<PackageCode> {
        let mut place = vec![0u128; scenario.options.len()];
        let mut radix = Vec::with_capacity(scenario.issues.len());
        let mut multiplier: u128 = 1;
        for issue in &scenario.issues {
            for (k, o) in issue.options.iter().enumerate() {
                place[o.ix()] = (k as u128).checked_mul(multiplier)?;
            }
            radix.push((issue.options.len() as u128, multiplier));
            multiplier = multiplier.checked_mul(issue.options.len() as u128)?;
        }
        Some(PackageCode { place, radix })
    }

    fn decode(&self, scenario: &Scenario, code: u128) -> Vec<OptionIx> {
        scenario
            .issues
            .iter()
            .zip(&self.radix)
            .map(|(issue, &(size, mult))| issue.options[((code / mult) % size) as usize])
            .collect()
    }
}

/// What every draw shares, computed once.
struct Prepared {
    /// Parties at the table.
    d: usize,
    /// Per group, every allowed combination, and whether the red-lines reading already excludes it.
    groups: Vec<Vec<(Vec<OptionIx>, bool)>>,
    /// `value[slot * n_options + option]`: the party's utility for the option, unknown stances aside.
    value: Vec<f64>,
    /// The (slot, option) pairs whose stance is unknown, with the party's opposed and acceptable utilities.
    unknown: Vec<(usize, OptionIx, f64, f64)>,
    /// Explicit weights per slot, if the party has them.
    weights: Vec<Option<Vec<f64>>>,
    /// Constant offsets per slot.
    offset: Vec<f64>,
    /// Reservation values per slot (`-inf` when none).
    reservation: Vec<f64>,
    /// Options the red-lines reading excludes on their own.
    excluded: Vec<bool>,
}

impl Prepared {
    fn new(
        scenario: &Scenario,
        stances: &Stances,
        utilities: &[StanceUtilities],
        base: &Constraints,
    ) -> Prepared {
        let d = stances.parties.len();
        let n = scenario.options.len();
        let prefs: Vec<Option<&truce_scenario::Preferences>> = stances
            .parties
            .iter()
            .map(|p| scenario.preferences.iter().find(|x| x.party == *p))
            .collect();
        let mut value = vec![0.0; d * n];
        let mut unknown = Vec::new();
        for slot in 0..d {
            for o in 0..n {
                let option = OptionIx(o as u32);
                let stance = stances.stance(scenario, slot, option);
                let given = prefs[slot].and_then(|p| p.utilities.get(o).copied().flatten());
                value[slot * n + o] = given.unwrap_or_else(|| utilities[slot].of(stance));
                if stance == Some(Stance::Unknown) {
                    unknown.push((
                        slot,
                        option,
                        utilities[slot].opposed,
                        utilities[slot].acceptable,
                    ));
                }
            }
        }
        let groups = base
            .groups
            .iter()
            .map(|g| {
                g.combos.iter().cloned().zip(g.excluders.iter().map(|e| !e.is_empty())).collect()
            })
            .collect();
        Prepared {
            d,
            groups,
            value,
            unknown,
            weights: prefs.iter().map(|p| p.and_then(|p| p.weights.clone())).collect(),
            offset: prefs.iter().map(|p| p.map_or(0.0, |p| p.offset)).collect(),
            reservation: prefs
                .iter()
                .map(|p| p.and_then(|p| p.reservation).unwrap_or(f64::NEG_INFINITY))
                .collect(),
            excluded: base.excluders.iter().map(|e| !e.is_empty()).collect(),
        }
    }
}

fn draw(
    scenario: &Scenario,
    prepared: &Prepared,
    code: &PackageCode,
    options: RobustOptions,
    k: u64,
) -> Draw {
    let mut rng = ChaCha8Rng::seed_from_u64(options.seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ k);
    let (d, n) = (prepared.d, scenario.options.len());
    // Sample the unknown stances: a red line, or a utility between opposed and acceptable.
    let mut value = prepared.value.clone();
    let mut excluded = prepared.excluded.clone();
    for &(slot, option, opposed, acceptable) in &prepared.unknown {
        if rng.random::<f64>() < options.unknown_red_line {
            excluded[option.ix()] = true;
        } else {
            value[slot * n + option.ix()] = opposed + (acceptable - opposed) * rng.random::<f64>();
        }
    }
    let weights: Vec<Vec<f64>> = prepared
        .weights
        .iter()
        .map(|w| w.clone().unwrap_or_else(|| dirichlet_ones(&mut rng, scenario.issues.len())))
        .collect();
    // The open combinations of every group, and the problem over them.
    let mut blocked = vec![false; scenario.issues.len()];
    let mut open: Vec<Vec<&Vec<OptionIx>>> = Vec::with_capacity(prepared.groups.len());
    for group in &prepared.groups {
        let combos: Vec<&Vec<OptionIx>> = group
            .iter()
            .filter(|(combo, out)| !out && combo.iter().all(|o| !excluded[o.ix()]))
            .map(|(combo, _)| combo)
            .collect();
        if combos.is_empty() {
            for o in group.first().map(|(c, _)| c.as_slice()).unwrap_or(&[]) {
                blocked[scenario.option(*o).issue.ix()] = true;
            }
        }
        open.push(combos);
    }
    if blocked.iter().any(|b| *b) {
        return Draw { excluded, blocked, nash: None, frontier: Vec::new() };
    }
    let issues = open
        .iter()
        .enumerate()
        .map(|(g, combos)| {
            let mut table = Vec::with_capacity(combos.len() * d);
            for combo in combos {
                for slot in 0..d {
                    let mut total = if g == 0 { prepared.offset[slot] } else { 0.0 };
                    for &o in combo.iter() {
                        total +=
                            weights[slot][scenario.option(o).issue.ix()] * value[slot * n + o.ix()];
                    }
                    table.push(total);
                }
            }
            crate::problem::IssueTable { options: combos.len(), utilities: table }
        })
        .collect();
    let problem =
        crate::problem::Problem { parties: d, issues, reservation: prepared.reservation.clone() };
    // Weights are continuous draws, so last-bit differences in sums cannot create or break ties that matter.
    let frontier =
        crate::frontier::pareto_frontier_ordered(&problem, IssueOrder::FewestOptionsFirst);
    let ranges = problem.ranges();
    let (nash, _) = crate::bargaining::solve(
        &frontier,
        SolutionConcept::Nash,
        &ranges,
        &problem.reservation,
        Disagreement::Reservation,
    );
    let package_of = |point: &crate::frontier::ParetoPoint| -> u128 {
        point
            .package
            .iter()
            .enumerate()
            .flat_map(|(g, &k)| open[g][k as usize].iter())
            .map(|o| code.place[o.ix()])
            .sum()
    };
    let nash = nash.first().map(|&i| package_of(&frontier.points[i]));
    let frontier = frontier.points.iter().map(package_of).collect();
    Draw { excluded, blocked, nash, frontier }
}

/// Samples `options.draws` draws in parallel and aggregates them; `progress(n)` is called after each draw.
pub fn robustness(
    groups: &crate::CheckedGroups<'_>,
    parties: &[PartyIx],
    options: RobustOptions,
    top: usize,
    progress: &(dyn Fn(u64) + Sync),
) -> Robustness {
    let scenario = groups.scenario();
    let stances = Stances::new(scenario, parties, None);
    let utilities: Vec<StanceUtilities> =
        stances.parties.iter().map(|&p| StanceUtilities::for_party(scenario, p)).collect();
    let base = Constraints::new(groups, &stances, Reading::RedLines);
    let prepared = Prepared::new(scenario, &stances, &utilities, &base);
    let Some(code) = PackageCode::new(scenario) else {
        // More packages than 2^128: nothing to tally by package.
        return Robustness {
            options,
            feasible_draws: 0,
            blocked: vec![0; scenario.issues.len()],
            nash: Vec::new(),
            frontier: Vec::new(),
            frontier_distinct: 0,
        };
    };
    struct Tally {
        feasible_draws: u64,
        blocked: Vec<u64>,
        nash: HashMap<u128, u64>,
        frontier: HashMap<u128, u64>,
        excluded: Vec<(u64, Vec<bool>)>,
    }
    let empty = || Tally {
        feasible_draws: 0,
        blocked: vec![0; scenario.issues.len()],
        nash: HashMap::new(),
        frontier: HashMap::new(),
        excluded: Vec::new(),
    };
    let cancel = crate::cancel::current();
    let tally = (0..options.draws)
        .into_par_iter()
        .fold(empty, |mut t, k| {
            if cancel.as_ref().is_some_and(|c| c.load(std::sync::atomic::Ordering::Relaxed)) {
                return t;
            }
            let d = draw(scenario, &prepared, &code, options, k);
            if d.nash.is_some() {
                t.feasible_draws += 1;
            }
            for (b, blocked) in t.blocked.iter_mut().zip(&d.blocked) {
                *b += *blocked as u64;
            }
            if let Some(n) = d.nash {
                *t.nash.entry(n).or_default() += 1;
            }
            for p in d.frontier {
                *t.frontier.entry(p).or_default() += 1;
            }
            t.excluded.push((k, d.excluded));
            progress(1);
            t
        })
        .reduce(empty, |mut a, b| {
            a.feasible_draws += b.feasible_draws;
            for (x, y) in a.blocked.iter_mut().zip(&b.blocked) {
                *x += y;
            }
            for (p, n) in b.nash {
                *a.nash.entry(p).or_default() += n;
            }
            for (p, n) in b.frontier {
                *a.frontier.entry(p).or_default() += n;
            }
            a.excluded.extend(b.excluded);
            a
        });
    let feasible_count = |package: &[OptionIx]| -> u64 {
        tally.excluded.iter().filter(|(_, ex)| package.iter().all(|o| !ex[o.ix()])).count() as u64
    };
    let rank = |counts: &HashMap<u128, u64>, limit: usize| -> Vec<(u128, u64)> {
        let mut v: Vec<(u128, u64)> = counts.iter().map(|(p, n)| (*p, *n)).collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        v.truncate(limit);
        v
    };
    let describe = |value: u128| {
        let package = code.decode(scenario, value);
        PackageFrequency {
            nash: tally.nash.get(&value).copied().unwrap_or(0),
            frontier: tally.frontier.get(&value).copied().unwrap_or(0),
            feasible: feasible_count(&package),
            package,
        }
    };
    let nash = rank(&tally.nash, top).into_iter().map(|(p, _)| describe(p)).collect();
    let frontier = rank(&tally.frontier, top).into_iter().map(|(p, _)| describe(p)).collect();
    Robustness {
        options,
        feasible_draws: tally.feasible_draws,
        blocked: tally.blocked,
        nash,
        frontier,
        frontier_distinct: tally.frontier.len(),
    }
}
