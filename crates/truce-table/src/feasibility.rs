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
use crate::reading::{ConstraintIx, Constraints, Group};
use crate::stances::Stances;

/// How many packages there are, how many are feasible, and where the table is blocked.
#[derive(Debug, Clone)]
pub struct Feasibility {
    /// `open[group]`: indices of the group's combinations that break no hard constraint.
    pub open: Vec<Vec<usize>>,
    /// Every package, feasible or not: the product of the option counts.
    pub total_packages: Count,
    /// The packages that violate no hard constraint.
    pub feasible_packages: Count,
    /// The groups (indices into [`Constraints::groups`]) with no open combination.
    pub blocked_groups: Vec<usize>,
    /// The issues of the blocked groups, in scenario order.
    pub blocked_issues: Vec<IssueIx>,
}

impl Feasibility {
    /// Counts the feasible packages without enumerating them: the product over groups of their open combinations.
    pub fn new(scenario: &Scenario, constraints: &Constraints) -> Feasibility {
        let total_packages =
            scenario.issues.iter().fold(Count::one(), |acc, i| acc.times(i.options.len() as u64));
        let mut feasible_packages = Count::one();
        let mut open = Vec::with_capacity(constraints.groups.len());
        let mut blocked_groups = Vec::new();
        let mut blocked_issues = Vec::new();
        for (g, group) in constraints.groups.iter().enumerate() {
            let combos: Vec<usize> =
                (0..group.combos.len()).filter(|&k| group.excluders[k].is_empty()).collect();
            feasible_packages = feasible_packages.times(combos.len() as u64);
            if combos.is_empty() {
                blocked_groups.push(g);
                blocked_issues.extend_from_slice(&group.issues);
            }
            open.push(combos);
        }
        blocked_issues.sort();
        Feasibility { open, total_packages, feasible_packages, blocked_groups, blocked_issues }
    }

    /// Whether at least one package is feasible.
    pub fn is_feasible(&self) -> bool {
        self.blocked_groups.is_empty()
    }

    /// The feasible combinations of every group, as options.
    pub fn open_combos(&self, constraints: &Constraints) -> Vec<Vec<Vec<OptionIx>>> {
        self.open
            .iter()
            .zip(&constraints.groups)
            .map(|(open, group)| open.iter().map(|&k| group.combos[k].clone()).collect())
            .collect()
    }
}

/// One way to open a blocked group: relax these constraints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alternative {
    /// The constraints relaxed, sorted.
    pub relax: Vec<ConstraintIx>,
    /// The distinct parties that concede, sorted.
    pub parties: Vec<PartyIx>,
    /// The combinations that become feasible once these constraints are relaxed: one option per issue of
    /// the group (a single option when the group is one issue).
    pub opens: Vec<Vec<OptionIx>>,
}

/// A blocked group of issues and the ranked minimal ways to open it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockedGroup {
    /// The issues of the group (one, without cross-issue constraints).
    pub issues: Vec<IssueIx>,
    /// The minimal concession sets of the group: fewest relaxations first, then fewest parties,
    /// then the most combinations opened, then option order.
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
    /// The minimal concession sets of the blocked groups.
    pub fn new(constraints: &Constraints, feasibility: &Feasibility) -> ConcessionFamily {
        let groups: Vec<BlockedGroup> = feasibility
            .blocked_groups
            .iter()
            .map(|&g| {
                let group = &constraints.groups[g];
                BlockedGroup {
                    issues: group.issues.clone(),
                    alternatives: group_alternatives(constraints, group),
                }
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

/// The inclusion-minimal excluder sets of a group's combinations, ranked.
///
/// A set of relaxations opens the group exactly when it contains every constraint some combination breaks,
/// so the minimal ones are the inclusion-minimal excluder sets. A group whose every combination breaks a
/// structural constraint (held by no party) has no alternative at all.
fn group_alternatives(constraints: &Constraints, group: &Group) -> Vec<Alternative> {
    let candidates: BTreeSet<&Vec<ConstraintIx>> = group.excluders.iter().collect();
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
            let opens = (0..group.combos.len())
                .filter(|&k| is_subset(&group.excluders[k], set))
                .map(|k| group.combos[k].clone())
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
    pub fn new(stances: &Stances, constraints: &Constraints) -> Option<Coalitions> {
        let n = stances.parties.len();
        if n > MAX_COALITION_PARTIES {
            return None;
        }
        // For each group, the party masks breaking each of its combinations.
        let masks: Vec<Vec<u32>> = constraints
            .groups
            .iter()
            .map(|group| {
                group
                    .excluders
                    .iter()
                    .map(|ex| {
                        ex.iter().fold(0u32, |m, &c| {
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
