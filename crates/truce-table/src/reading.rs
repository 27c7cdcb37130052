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
    /// The party holding the constraint.
    pub fn party(&self) -> PartyIx {
        match self {
            Constraint::RedLine { party, .. }
            | Constraint::UnknownAsRedLine { party, .. }
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
        }
    }

    /// Whether the constraint rules out `option` (an option of its issue).
    pub fn excludes(&self, option: OptionIx) -> bool {
        match self {
            Constraint::RedLine { option: o, .. }
            | Constraint::UnknownAsRedLine { option: o, .. } => *o == option,
            Constraint::Demand { options, .. } => !options.contains(&option),
        }
    }

    /// The positions the constraint rests on.
    pub fn positions(&self) -> &[PositionIx] {
        match self {
            Constraint::RedLine { position, .. }
            | Constraint::UnknownAsRedLine { position, .. } => std::slice::from_ref(position),
            Constraint::Demand { positions, .. } => positions,
        }
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
    /// `excluders[option]`: the constraints that rule the option out, sorted.
    pub excluders: Vec<Vec<ConstraintIx>>,
}

impl Constraints {
    /// The hard constraints of `reading` over the current `stances`.
    pub fn new(scenario: &Scenario, stances: &Stances, reading: Reading) -> Constraints {
        let mut all = Vec::new();
        let mut by_issue = vec![Vec::new(); scenario.issues.len()];
        for issue in scenario.issue_ixs() {
            for (slot, &party) in stances.parties.iter().enumerate() {
                if reading == Reading::Strict {
                    let options = stances.demands(scenario, slot, issue);
                    if !options.is_empty() {
                        let positions =
                            options.iter().filter_map(|&o| stances.position(slot, o)).collect();
                        by_issue[issue.ix()].push(ConstraintIx(all.len() as u32));
                        all.push(Constraint::Demand { party, issue, options, positions });
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
                    by_issue[issue.ix()].push(ConstraintIx(all.len() as u32));
                    all.push(constraint);
                }
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
        Constraints { reading, all, by_issue, excluders }
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
