//! Readings: which stances are hard constraints, and what each constraint excludes.

use std::fmt;

use truce_scenario::{IssueIx, OptionIx, PartyIx, PositionIx, Scenario, Stance};

use crate::stances::Stances;

/// A rule for which stances are hard constraints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Reading {
    /// Only red lines are hard (the default).
    RedLines,
    /// Red lines are hard, and so is each party's current demand on an issue:
    /// one of the options it demands there must be chosen.
    Strict,
    /// Red lines are hard, and every current `unknown` stance counts as a red line too.
    /// A party with no position at all on an option stays neutral.
    Pessimistic,
}

impl Reading {
    /// All readings, in the order reports show them.
    pub const ALL: [Reading; 3] = [Reading::RedLines, Reading::Strict, Reading::Pessimistic];

    /// The reading's name in reports and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Reading::RedLines => "red_lines",
            Reading::Strict => "strict",
            Reading::Pessimistic => "pessimistic",
        }
    }

    /// One sentence saying what the reading holds hard.
    pub fn describe(self) -> &'static str {
        match self {
            Reading::RedLines => "only red lines are hard",
            Reading::Strict => {
                "red lines are hard, and each party's current demands on an issue must be met"
            }
            Reading::Pessimistic => {
                "red lines are hard, and every stance recorded as unknown counts as a red line"
            }
        }
    }
}

impl fmt::Display for Reading {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A name that is no reading: none of `red_lines`, `strict` and `pessimistic`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownReading(pub String);

impl fmt::Display for UnknownReading {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}: expected red_lines, strict or pessimistic", self.0)
    }
}

impl std::error::Error for UnknownReading {}

impl std::str::FromStr for Reading {
    type Err = UnknownReading;

    /// Reads a reading by its name in reports ([`Reading::as_str`]).
    fn from_str(name: &str) -> Result<Reading, UnknownReading> {
        Reading::ALL
            .into_iter()
            .find(|r| r.as_str() == name)
            .ok_or_else(|| UnknownReading(name.to_string()))
    }
}

/// Index of a constraint in [`Constraints::all`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ConstraintIx(pub u32);

/// One hard constraint of one party. Relaxing it is one concession.
#[derive(Debug, Clone, PartialEq)]
pub enum Constraint {
    /// The party's red line on an option: the option is excluded.
    RedLine {
        /// Who holds the red line.
        party: PartyIx,
        /// The excluded option.
        option: OptionIx,
        /// The position that sets it.
        position: PositionIx,
    },
    /// An `unknown` stance read as a red line (pessimistic reading).
    UnknownAsRedLine {
        /// Whose stance is unknown.
        party: PartyIx,
        /// The excluded option.
        option: OptionIx,
        /// The position that records the unknown stance.
        position: PositionIx,
    },
    /// A cross-issue constraint held by a party (`[[constraints]]` with `party`): relaxing it is a concession.
    Cross {
        /// Who holds it.
        party: PartyIx,
        /// Index of the constraint in the scenario's `constraints`.
        constraint: usize,
    },
    /// The party's demand on an issue (strict reading): only the demanded options are allowed.
    Demand {
        /// Who demands.
        party: PartyIx,
        /// The issue.
        issue: IssueIx,
        /// The demanded options, any one of which satisfies the demand.
        options: Vec<OptionIx>,
        /// The positions that set the demands, one per option.
        positions: Vec<PositionIx>,
    },
}

impl Constraint {
    /// The constraint's stable key, which names it in a "what if" (`AnalysisOptions::relaxed`) and in
    /// reports: `red_line/PARTY/OPTION`, `unknown/PARTY/OPTION`, `demand/PARTY/ISSUE` or
    /// `rule/PARTY/CONSTRAINT`.
    pub fn key(&self, scenario: &Scenario) -> String {
        let party = &scenario.party(self.party()).id;
        match self {
            Constraint::RedLine { option, .. } => {
                format!("red_line/{party}/{}", scenario.option(*option).id)
            }
            Constraint::UnknownAsRedLine { option, .. } => {
                format!("unknown/{party}/{}", scenario.option(*option).id)
            }
            Constraint::Demand { issue, .. } => {
                format!("demand/{party}/{}", scenario.issue(*issue).id)
            }
            Constraint::Cross { constraint, .. } => {
                format!("rule/{party}/{}", scenario.constraints[*constraint].id)
            }
        }
    }

    /// The party holding the constraint.
    pub fn party(&self) -> PartyIx {
        match self {
            Constraint::RedLine { party, .. }
            | Constraint::UnknownAsRedLine { party, .. }
            | Constraint::Cross { party, .. }
            | Constraint::Demand { party, .. } => *party,
        }
    }

    /// The issue the constraint bears on.
    pub fn issue(&self, scenario: &Scenario) -> IssueIx {
        match self {
            Constraint::RedLine { option, .. } | Constraint::UnknownAsRedLine { option, .. } => {
                scenario.option(*option).issue
            }
            Constraint::Demand { issue, .. } => *issue,
            Constraint::Cross { constraint, .. } => scenario.constraints[*constraint]
                .condition
                .issues()
                .first()
                .copied()
                .unwrap_or(IssueIx(0)),
        }
    }

    /// Whether the constraint rules out `option` on its own (cross-issue constraints never do: they rule
    /// out combinations, see [`Group`]).
    pub fn excludes(&self, option: OptionIx) -> bool {
        match self {
            Constraint::RedLine { option: o, .. }
            | Constraint::UnknownAsRedLine { option: o, .. } => *o == option,
            Constraint::Demand { options, .. } => !options.contains(&option),
            Constraint::Cross { .. } => false,
        }
    }

    /// The positions the constraint rests on.
    pub fn positions(&self) -> &[PositionIx] {
        match self {
            Constraint::RedLine { position, .. }
            | Constraint::UnknownAsRedLine { position, .. } => std::slice::from_ref(position),
            Constraint::Demand { positions, .. } => positions,
            Constraint::Cross { .. } => &[],
        }
    }
}

/// The most combinations a group of constrained issues may have: its combinations are enumerated.
pub const MAX_GROUP_COMBINATIONS: usize = 1 << 20;

/// A group of issues that constraints tie together (a single issue when none does).
///
/// Issues tied by cross-issue constraints, directly or through other issues, form one group: the connected
/// components of the constraint graph. A group's options are its *combinations*, one option per issue,
/// that break no structural constraint (one held by no party); each carries the party constraints it breaks.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// The group's issues, in scenario order.
    pub issues: Vec<IssueIx>,
    /// The allowed combinations, one option per issue of the group (in the order of `issues`).
    pub combos: Vec<Vec<OptionIx>>,
    /// `excluders[k]`: the hard constraints combination k breaks, sorted.
    pub excluders: Vec<Vec<ConstraintIx>>,
}

/// Why groups could not be formed: cross-issue constraints tie issues whose combinations are too many
/// to enumerate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupTooLarge {
    /// The issues of the offending group.
    pub issues: Vec<IssueIx>,
    /// Their ids, for the message.
    pub ids: Vec<String>,
    /// Its number of combinations (saturating).
    pub combinations: usize,
}

impl fmt::Display for GroupTooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "cross-issue constraints tie the issues {} into {} combinations; at most {} are supported",
            self.ids.join(", "),
            self.combinations,
            MAX_GROUP_COMBINATIONS
        )
    }
}

impl std::error::Error for GroupTooLarge {}

/// The connected components of the issues under the scenario's cross-issue constraints, in scenario order.
pub fn issue_components(scenario: &Scenario) -> Vec<Vec<IssueIx>> {
    let n = scenario.issues.len();
    let mut parent: Vec<usize> = (0..n).collect();
    fn root(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    for c in &scenario.constraints {
        let issues = c.condition.issues();
        for pair in issues.windows(2) {
            let (a, b) = (root(&mut parent, pair[0].ix()), root(&mut parent, pair[1].ix()));
            parent[a.max(b)] = a.min(b);
        }
    }
    let mut components: Vec<Vec<IssueIx>> = Vec::new();
    let mut index_of_root: Vec<Option<usize>> = vec![None; n];
    for i in 0..n {
        let r = root(&mut parent, i);
        match index_of_root[r] {
            Some(k) => components[k].push(IssueIx(i as u32)),
            None => {
                index_of_root[r] = Some(components.len());
                components.push(vec![IssueIx(i as u32)]);
            }
        }
    }
    components
}

/// A scenario whose groups of tied issues are each small enough to enumerate (at most
/// [`MAX_GROUP_COMBINATIONS`] combinations): made only by [`check_groups`], and required by
/// [`Constraints::new`], so no group is ever built too large to enumerate.
#[derive(Debug, Clone)]
pub struct CheckedGroups<'a> {
    scenario: &'a Scenario,
    components: Vec<Vec<IssueIx>>,
}

impl<'a> CheckedGroups<'a> {
    /// The scenario checked.
    pub fn scenario(&self) -> &'a Scenario {
        self.scenario
    }

    /// Its groups of tied issues ([`issue_components`]), each small enough to enumerate.
    pub fn components(&self) -> &[Vec<IssueIx>] {
        &self.components
    }
}

/// The hard constraints of a reading, indexed by issue and by option.
#[derive(Debug, Clone)]
pub struct Constraints {
    /// The reading.
    pub reading: Reading,
    /// Every hard constraint, grouped by issue in scenario order.
    pub all: Vec<Constraint>,
    /// `by_issue[issue]`: the constraints bearing on that issue.
    pub by_issue: Vec<Vec<ConstraintIx>>,
    /// `excluders[option]`: the constraints that rule the option out on its own, sorted.
    pub excluders: Vec<Vec<ConstraintIx>>,
    /// The independent groups of issues, with their combinations.
    pub groups: Vec<Group>,
}

/// Checks a "what if" key ([`Constraint::key`]) against the scenario: its kind, party and option,
/// issue or constraint must exist. The error says what was expected.
pub fn check_relax_key(scenario: &Scenario, key: &str) -> Result<(), String> {
    let parts: Vec<&str> = key.split('/').collect();
    let [kind, party, what] = parts[..] else {
        return Err(format!(
            "{key:?}: expected KIND/PARTY/WHAT, as red_line/RUS/nato.full_membership, unknown/PARTY/OPTION, demand/PARTY/ISSUE or rule/PARTY/CONSTRAINT"
        ));
    };
    if !scenario.parties.iter().any(|p| p.id == party) {
        return Err(format!("{key:?}: no party {party:?} in the scenario"));
    }
    let found = match kind {
        "red_line" | "unknown" => scenario.options.iter().any(|o| o.id == what),
        "demand" => scenario.issues.iter().any(|i| i.id == what),
        "rule" => scenario.constraints.iter().any(|c| c.id == what),
        _ => {
            return Err(format!(
                "{key:?}: the kind must be red_line, unknown, demand or rule, not {kind:?}"
            ));
        }
    };
    if found { Ok(()) } else { Err(format!("{key:?}: no {kind} target {what:?} in the scenario")) }
}

impl Constraints {
    /// The hard constraints of `reading` over the current `stances`.
    pub fn new(groups: &CheckedGroups<'_>, stances: &Stances, reading: Reading) -> Constraints {
        Constraints::relaxed(groups, stances, reading, &[])
    }

    /// The hard constraints of `reading` over the current `stances`, less those whose
    /// [`Constraint::key`] is in `relaxed` ("what if these were conceded?"). A relaxed cross-issue
    /// rule no longer ties its issues' combinations.
    pub fn relaxed(
        groups: &CheckedGroups<'_>,
        stances: &Stances,
        reading: Reading,
        relaxed: &[String],
    ) -> Constraints {
        let scenario = groups.scenario;
        let kept = |c: &Constraint| !relaxed.iter().any(|k| *k == c.key(scenario));
        let mut all = Vec::new();
        let mut by_issue = vec![Vec::new(); scenario.issues.len()];
        for issue in scenario.issue_ixs() {
            for (slot, &party) in stances.parties.iter().enumerate() {
                if reading == Reading::Strict {
                    let options = stances.demands(scenario, slot, issue);
                    if !options.is_empty() {
                        let positions =
                            options.iter().filter_map(|&o| stances.position(slot, o)).collect();
                        let demand = Constraint::Demand { party, issue, options, positions };
                        if kept(&demand) {
                            by_issue[issue.ix()].push(ConstraintIx(all.len() as u32));
                            all.push(demand);
                        }
                    }
                }
                for &option in &scenario.issue(issue).options {
                    let Some(position) = stances.position(slot, option) else { continue };
                    let constraint = match scenario.position(position).stance {
                        Stance::RedLine => Constraint::RedLine { party, option, position },
                        Stance::Unknown if reading == Reading::Pessimistic => {
                            Constraint::UnknownAsRedLine { party, option, position }
                        }
                        _ => continue,
                    };
                    if !kept(&constraint) {
                        continue;
                    }
                    by_issue[issue.ix()].push(ConstraintIx(all.len() as u32));
                    all.push(constraint);
                }
            }
        }
        // Cross-issue constraints held by a party at the table are concessions; those held by no party bind always.
        let mut cross: Vec<(usize, Option<ConstraintIx>)> = Vec::new();
        for (k, c) in scenario.constraints.iter().enumerate() {
            match c.party {
                Some(party) if !kept(&Constraint::Cross { party, constraint: k }) => {}
                Some(party) if stances.slot(party).is_some() => {
                    let ix = ConstraintIx(all.len() as u32);
                    let issue = c.condition.issues().first().copied().unwrap_or(IssueIx(0));
                    by_issue[issue.ix()].push(ix);
                    all.push(Constraint::Cross { party, constraint: k });
                    cross.push((k, Some(ix)));
                }
                Some(_) => {}
                None => cross.push((k, None)),
            }
        }
        let mut excluders = vec![Vec::new(); scenario.options.len()];
        for (issue, constraints) in by_issue.iter().enumerate() {
            for &option in &scenario.issues[issue].options {
                excluders[option.ix()] = constraints
                    .iter()
                    .copied()
                    .filter(|c| all[c.0 as usize].excludes(option))
                    .collect();
            }
        }
        let groups = groups
            .components
            .iter()
            .map(|issues| build_group(scenario, &excluders, &cross, issues.clone()))
            .collect();
        Constraints { reading, all, by_issue, excluders, groups }
    }

    /// The constraint at `ix`.
    pub fn get(&self, ix: ConstraintIx) -> &Constraint {
        &self.all[ix.0 as usize]
    }

    /// The options of `issue` that no constraint excludes.
    pub fn open_options(&self, scenario: &Scenario, issue: IssueIx) -> Vec<OptionIx> {
        scenario
            .issue(issue)
            .options
            .iter()
            .copied()
            .filter(|o| self.excluders[o.ix()].is_empty())
            .collect()
    }
}

/// The combinations of a group of issues, each with the constraints it breaks.
///
/// The number of combinations is the product of the issues' option counts, which [`check_groups`] has
/// bounded (the only way to a [`CheckedGroups`]). An issue without options leaves the group none.
fn build_group(
    scenario: &Scenario,
    excluders: &[Vec<ConstraintIx>],
    cross: &[(usize, Option<ConstraintIx>)],
    issues: Vec<IssueIx>,
) -> Group {
    let relevant: Vec<&(usize, Option<ConstraintIx>)> = cross
        .iter()
        .filter(|(k, _)| {
            scenario.constraints[*k].condition.issues().first().is_some_and(|i| issues.contains(i))
        })
        .collect();
    let mut combos = Vec::new();
    let mut group_excluders = Vec::new();
    let sizes: Vec<usize> = issues.iter().map(|i| scenario.issue(*i).options.len()).collect();
    if sizes.contains(&0) {
        return Group { issues, combos, excluders: group_excluders };
    }
    let mut digits = vec![0usize; issues.len()];
    let mut combo: Vec<OptionIx> = Vec::with_capacity(issues.len());
    'outer: loop {
        combo.clear();
        combo.extend(issues.iter().zip(&digits).map(|(i, &d)| scenario.issue(*i).options[d]));
        let chosen = |issue: IssueIx| {
            issues.iter().position(|i| *i == issue).map_or(OptionIx(0), |k| combo[k])
        };
        let mut allowed = true;
        let mut broken: Vec<ConstraintIx> =
            combo.iter().flat_map(|o| excluders[o.ix()].iter().copied()).collect();
        for (k, ix) in &relevant {
            if !scenario.constraints[*k].condition.holds(&chosen) {
                match ix {
                    Some(ix) => broken.push(*ix),
                    None => allowed = false,
                }
            }
        }
        if allowed {
            broken.sort();
            broken.dedup();
            combos.push(combo.clone());
            group_excluders.push(broken);
        }
        // Next combination, last issue fastest.
        for pos in (0..digits.len()).rev() {
            digits[pos] += 1;
            if digits[pos] < sizes[pos] {
                continue 'outer;
            }
            digits[pos] = 0;
        }
        break;
    }
    Group { issues, combos, excluders: group_excluders }
}

/// Checks that every group of tied issues is small enough to enumerate, and returns the proof that
/// [`Constraints::new`], [`crate::timeline`] and [`crate::robustness`] require.
pub fn check_groups(scenario: &Scenario) -> Result<CheckedGroups<'_>, GroupTooLarge> {
    let components = issue_components(scenario);
    for issues in &components {
        let combinations = issues
            .iter()
            .map(|i| scenario.issue(*i).options.len())
            .try_fold(1usize, |acc, s| acc.checked_mul(s))
            .unwrap_or(usize::MAX);
        if combinations > MAX_GROUP_COMBINATIONS {
            let ids = issues.iter().map(|i| scenario.issue(*i).id.clone()).collect();
            return Err(GroupTooLarge { issues: issues.clone(), ids, combinations });
        }
    }
    Ok(CheckedGroups { scenario, components })
}
