//! Feasibility, minimal concession sets and coalitions under one reading.
//!
//! Without cross-issue constraints every hard constraint bears on exactly one issue, so the issues are
//! independent groups: a package is feasible exactly when every issue keeps an option that no constraint
//! excludes, and the feasible packages number the product of the per-issue counts.
//!
//! A set S of relaxed constraints opens an issue exactly when S contains every excluder of some option,
//! so an issue's minimal concession sets are the inclusion-minimal excluder sets of its options.
//! Because groups share no constraint, a set opens the whole table exactly when it opens every blocked
//! group, and it is minimal exactly when its part in each group is: the family of minimal sets is the
//! product of the groups' families. It is reported factored, never expanded.

use std::collections::BTreeSet;

use truce_scenario::{IssueIx, OptionIx, PartyIx, Scenario};

use crate::count::Count;
use crate::reading::{ConstraintIx, Constraints};
use crate::stances::Stances;

/// How many packages there are, how many are feasible, and where the table is blocked.
#[derive(Debug, Clone)]
pub struct Feasibility {
    /// `open[issue]`: the options of the issue that no hard constraint excludes.
    pub open: Vec<Vec<OptionIx>>,
    /// Every package, feasible or not: the product of the option counts.
    pub total_packages: Count,
    /// The packages that violate no hard constraint.
    pub feasible_packages: Count,
    /// The issues on which every option is excluded by some hard constraint.
    pub blocked_issues: Vec<IssueIx>,
}

impl Feasibility {
    /// Counts the feasible packages without enumerating them.
    pub fn new(scenario: &Scenario, constraints: &Constraints) -> Feasibility {
        let mut total_packages = Count::one();
        let mut feasible_packages = Count::one();
        let mut open = Vec::with_capacity(scenario.issues.len());
        let mut blocked_issues = Vec::new();
        for issue in scenario.issue_ixs() {
            let options = constraints.open_options(scenario, issue);
            total_packages = total_packages.times(scenario.issue(issue).options.len() as u64);
            feasible_packages = feasible_packages.times(options.len() as u64);
            if options.is_empty() {
                blocked_issues.push(issue);
            }
            open.push(options);
        }
        Feasibility { open, total_packages, feasible_packages, blocked_issues }
    }

    /// Whether at least one package is feasible.
    pub fn is_feasible(&self) -> bool {
        self.blocked_issues.is_empty()
    }
}

/// One way to open a blocked group: relax these constraints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alternative {
    /// The constraints relaxed, sorted.
    pub relax: Vec<ConstraintIx>,
    /// The distinct parties that concede, sorted.
    pub parties: Vec<PartyIx>,
    /// The options that become feasible once these constraints are relaxed, in issue order.
    pub opens: Vec<OptionIx>,
}

/// A blocked group of issues and the ranked minimal ways to open it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockedGroup {
    /// The issues of the group (one, without cross-issue constraints).
    pub issues: Vec<IssueIx>,
    /// The minimal concession sets of the group: fewest relaxations first, then fewest parties,
    /// then the most options opened, then option order.
    pub alternatives: Vec<Alternative>,
}

/// The family of minimal concession sets, factored by independent group.
///
/// Every member of the family picks one alternative from each group; the union is a minimal set of
/// relaxations that opens at least one package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConcessionFamily {
    /// The blocked groups, in issue order.
    pub groups: Vec<BlockedGroup>,
    /// How many minimal sets the family holds: the product of the groups' alternative counts.
    pub total_sets: Count,
    /// The fewest relaxations that open a package: the sum of each group's smallest alternative.
    pub min_concessions: usize,
}

impl ConcessionFamily {
    /// The minimal concession sets of the blocked issues.
    pub fn new(
        scenario: &Scenario,
        constraints: &Constraints,
        feasibility: &Feasibility,
    ) -> ConcessionFamily {
        let groups: Vec<BlockedGroup> = feasibility
            .blocked_issues
            .iter()
            .map(|&issue| BlockedGroup {
                issues: vec![issue],
                alternatives: issue_alternatives(scenario, constraints, issue),
            })
            .collect();
        let total_sets =
            groups.iter().fold(Count::one(), |acc, g| acc.times(g.alternatives.len() as u64));
        let min_concessions =
            groups.iter().map(|g| g.alternatives.first().map_or(0, |a| a.relax.len())).sum();
        ConcessionFamily { groups, total_sets, min_concessions }
    }

    /// Every minimal concession set, expanded. The family can hold astronomically many; use only on small inputs.
    pub fn expand(&self) -> Vec<Vec<ConstraintIx>> {
        let mut sets: Vec<Vec<ConstraintIx>> = vec![Vec::new()];
        for group in &self.groups {
            let mut next = Vec::with_capacity(sets.len() * group.alternatives.len());
            for set in &sets {
                for alternative in &group.alternatives {
                    let mut union = set.clone();
                    union.extend_from_slice(&alternative.relax);
                    union.sort();
                    next.push(union);
                }
            }
            sets = next;
        }
        sets
    }
}

/// The inclusion-minimal excluder sets of the options of `issue`, ranked.
fn issue_alternatives(
    scenario: &Scenario,
    constraints: &Constraints,
    issue: IssueIx,
) -> Vec<Alternative> {
    let options = &scenario.issue(issue).options;
    let candidates: BTreeSet<&Vec<ConstraintIx>> =
        options.iter().map(|o| &constraints.excluders[o.ix()]).collect();
    let minimal: Vec<&Vec<ConstraintIx>> = candidates
        .iter()
        .copied()
        .filter(|set| {
            !candidates.iter().any(|other| other.len() < set.len() && is_subset(other, set))
        })
        .collect();
    let mut alternatives: Vec<Alternative> = minimal
        .into_iter()
        .map(|set| {
            let mut parties: Vec<PartyIx> =
                set.iter().map(|&c| constraints.get(c).party()).collect();
            parties.sort();
            parties.dedup();
            let opens = options
                .iter()
                .copied()
                .filter(|o| is_subset(&constraints.excluders[o.ix()], set))
                .collect();
            Alternative { relax: set.clone(), parties, opens }
        })
        .collect();
    // Fewest relaxations, then fewest parties, then the most options opened (more room to agree), then option order.
    alternatives.sort_by(|a, b| {
        (a.relax.len(), a.parties.len(), std::cmp::Reverse(a.opens.len()), &a.opens, &a.relax).cmp(
            &(b.relax.len(), b.parties.len(), std::cmp::Reverse(b.opens.len()), &b.opens, &b.relax),
        )
    });
    alternatives
}

/// Whether sorted `a` ⊆ sorted `b`.
fn is_subset<T: Ord>(a: &[T], b: &[T]) -> bool {
    let mut b = b.iter();
    a.iter().all(|x| b.any(|y| y == x))
}

/// Which groups of parties can agree as things stand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coalitions {
    /// The largest coalitions that can agree on some package: adding any other party blocks them.
    pub maximal: Vec<Vec<PartyIx>>,
    /// The smallest coalitions that cannot agree: removing any one member lets the rest agree.
    pub minimal_blocking: Vec<Vec<PartyIx>>,
    /// Whether everyone at the table can agree.
    pub grand_coalition_feasible: bool,
}

/// The most parties for which coalitions are enumerated (2^20 subsets, each checked in microseconds).
pub const MAX_COALITION_PARTIES: usize = 20;

impl Coalitions {
    /// Enumerates the coalitions of the parties at the table; `None` past [`MAX_COALITION_PARTIES`].
    ///
    /// A coalition can agree when, on every issue, some option is excluded by no constraint of its members.
    /// That property is closed under taking subsets, which is what makes "maximal" and "minimal blocking" meaningful.
    pub fn new(
        scenario: &Scenario,
        stances: &Stances,
        constraints: &Constraints,
    ) -> Option<Coalitions> {
        let n = stances.parties.len();
        if n > MAX_COALITION_PARTIES {
            return None;
        }
        // For each issue, the party masks excluding each of its options.
        let masks: Vec<Vec<u32>> = scenario
            .issue_ixs()
            .map(|issue| {
                scenario
                    .issue(issue)
                    .options
                    .iter()
                    .map(|o| {
                        constraints.excluders[o.ix()].iter().fold(0u32, |m, &c| {
                            m | stances.slot(constraints.get(c).party()).map_or(0, |s| 1 << s)
                        })
                    })
                    .collect()
            })
            .collect();
        let full: u32 = if n == 32 { u32::MAX } else { (1u32 << n) - 1 };
        let feasible: Vec<bool> = (0..=full)
            .map(|c| masks.iter().all(|options| options.iter().any(|&m| m & c == 0)))
            .collect();
        let mut maximal = Vec::new();
        let mut minimal_blocking = Vec::new();
        for c in 0..=full {
            let ci = c as usize;
            if feasible[ci] {
                if (0..n).all(|s| c & (1 << s) != 0 || !feasible[(c | 1 << s) as usize]) {
                    maximal.push(c);
                }
            } else if (0..n).all(|s| c & (1 << s) == 0 || feasible[(c & !(1 << s)) as usize]) {
                minimal_blocking.push(c);
            }
        }
        let members = |c: u32| -> Vec<PartyIx> {
            (0..n).filter(|s| c & (1 << s) != 0).map(|s| stances.parties[s]).collect()
        };
        // Larger coalitions first for the maximal ones, smaller first for the blocking ones; then in party order.
        let order = |v: Vec<u32>, larger_first: bool| -> Vec<Vec<PartyIx>> {
            let mut v: Vec<Vec<PartyIx>> = v.into_iter().map(members).collect();
            v.sort_by(|a, b| {
                let by_size = a.len().cmp(&b.len());
                (if larger_first { by_size.reverse() } else { by_size }).then_with(|| a.cmp(b))
            });
            v
        };
        Some(Coalitions {
            grand_coalition_feasible: feasible[full as usize],
            maximal: order(maximal, true),
            minimal_blocking: order(minimal_blocking, false),
        })
    }
}
