//! The whole analysis of a scenario: every reading, side by side.

use truce_scenario::{Date, PartyIx, Scenario};

use crate::best::BestPackages;
use crate::feasibility::{Coalitions, ConcessionFamily, Feasibility};
use crate::reading::{Constraints, Reading};
use crate::stances::{StanceUtilities, Stances};

/// What to analyse.
#[derive(Debug, Clone, Default)]
pub struct AnalysisOptions {
    /// Replay the positions known on this date; `None` for all positions.
    pub as_of: Option<Date>,
    /// The parties at the table; `None` for all of them.
    pub parties: Option<Vec<PartyIx>>,
    /// "What if": the hard constraints switched off, by [`crate::Constraint::key`], in every reading.
    pub relaxed: Vec<String>,
}

/// The analysis of one reading.
#[derive(Debug, Clone)]
pub struct ReadingAnalysis {
    /// The reading.
    pub reading: Reading,
    /// Its hard constraints.
    pub constraints: Constraints,
    /// Feasible packages and blocked issues.
    pub feasibility: Feasibility,
    /// Where the table is blocked: the ranked minimal concession sets, factored by group.
    pub concessions: Option<ConcessionFamily>,
    /// Which groups of parties can agree; `None` when there are too many parties to enumerate.
    pub coalitions: Option<Coalitions>,
    /// Where packages are feasible: the Pareto set's size and the best packages.
    pub best: Option<BestPackages>,
}

/// The analysis of a scenario under every [`Reading`].
#[derive(Debug, Clone)]
pub struct Analysis {
    /// The current stances the analysis rests on.
    pub stances: Stances,
    /// The stance utilities of each party, in [`Stances::parties`] order.
    pub utilities: Vec<StanceUtilities>,
    /// One analysis per reading, in [`Reading::ALL`] order.
    pub readings: Vec<ReadingAnalysis>,
    /// The hard constraints switched off ("what if"), by key.
    pub relaxed: Vec<String>,
}

/// Analyses `scenario` under every reading.
///
/// # Errors
///
/// [`crate::GroupTooLarge`] when cross-issue constraints tie issues into more combinations than
/// [`crate::MAX_GROUP_COMBINATIONS`]: the error names the issues, and nothing is analysed.
pub fn analyze(
    scenario: &Scenario,
    options: &AnalysisOptions,
) -> Result<Analysis, crate::GroupTooLarge> {
    let groups = crate::check_groups(scenario)?;
    let parties: Vec<PartyIx> =
        options.parties.clone().unwrap_or_else(|| scenario.party_ixs().collect());
    let stances = Stances::new(scenario, &parties, options.as_of);
    let utilities: Vec<StanceUtilities> =
        stances.parties.iter().map(|&p| StanceUtilities::for_party(scenario, p)).collect();
    let readings = Reading::ALL
        .iter()
        .map(|&reading| {
            analyze_reading_relaxed(&groups, &stances, &utilities, reading, &options.relaxed)
        })
        .collect();
    Ok(Analysis { stances, utilities, readings, relaxed: options.relaxed.clone() })
}

/// Analyses `scenario` under one reading.
pub fn analyze_reading(
    groups: &crate::CheckedGroups<'_>,
    stances: &Stances,
    utilities: &[StanceUtilities],
    reading: Reading,
) -> ReadingAnalysis {
    analyze_reading_relaxed(groups, stances, utilities, reading, &[])
}

/// Analyses `scenario` under one reading with the hard constraints keyed in `relaxed` switched off.
pub fn analyze_reading_relaxed(
    groups: &crate::CheckedGroups<'_>,
    stances: &Stances,
    utilities: &[StanceUtilities],
    reading: Reading,
    relaxed: &[String],
) -> ReadingAnalysis {
    let scenario = groups.scenario();
    let constraints = Constraints::relaxed(groups, stances, reading, relaxed);
    let feasibility = Feasibility::new(scenario, &constraints);
    let coalitions = Coalitions::new(stances, &constraints);
    let (concessions, best) = if feasibility.is_feasible() {
        (
            None,
            Some(BestPackages::new(
                scenario,
                stances,
                utilities,
                &feasibility.open_combos(&constraints),
            )),
        )
    } else {
        (Some(ConcessionFamily::new(&constraints, &feasibility)), None)
    };
    ReadingAnalysis { reading, constraints, feasibility, concessions, coalitions, best }
}
