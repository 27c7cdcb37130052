//! How the feasible space and the blockers evolve over time.

use truce_scenario::{Date, IssueIx, PartyIx};

use crate::count::Count;
use crate::feasibility::{ConcessionFamily, Feasibility};
use crate::reading::{Constraints, Reading};
use crate::stances::Stances;

/// The state of one reading on one date.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadingSummary {
    /// The reading.
    pub reading: Reading,
    /// Feasible packages.
    pub feasible_packages: Count,
    /// Issues on which no option survives the hard constraints.
    pub blocked_issues: Vec<IssueIx>,
    /// The fewest concessions that open a package (0 when feasible).
    pub min_concessions: usize,
    /// How many minimal concession sets there are (1 when feasible: the empty set).
    pub concession_sets: Count,
}

/// The state of every reading on one date.
#[derive(Debug, Clone, PartialEq)]
pub struct TimelinePoint {
    /// The date replayed.
    pub date: Date,
    /// Positions dated on or before `date` (historical ones excluded) for the parties at the table.
    pub positions_known: usize,
    /// One summary per reading, in [`Reading::ALL`] order.
    pub readings: Vec<ReadingSummary>,
}

/// Replays the scenario of `groups` for `parties` on each of `dates`.
pub fn timeline(
    groups: &crate::CheckedGroups<'_>,
    parties: &[PartyIx],
    dates: &[Date],
) -> Vec<TimelinePoint> {
    let scenario = groups.scenario();
    dates
        .iter()
        .take_while(|_| !crate::cancel::cancelled())
        .map(|&date| {
            let stances = Stances::new(scenario, parties, Some(date));
            let positions_known = scenario
                .positions
                .iter()
                .filter(|p| !p.historical && p.date <= date && stances.slot(p.party).is_some())
                .count();
            let readings = Reading::ALL
                .iter()
                .map(|&reading| {
                    let constraints = Constraints::new(groups, &stances, reading);
                    let feasibility = Feasibility::new(scenario, &constraints);
                    let family = ConcessionFamily::new(&constraints, &feasibility);
                    ReadingSummary {
                        reading,
                        feasible_packages: feasibility.feasible_packages,
                        blocked_issues: feasibility.blocked_issues,
                        min_concessions: family.min_concessions,
                        concession_sets: family.total_sets,
                    }
                })
                .collect();
            TimelinePoint { date, positions_known, readings }
        })
        .collect()
}

/// The dates from `from` to `to` inclusive, `step_months` apart, each counted from `from`
/// (so the 31st steps to the last day of shorter months without drifting), and `to` itself when the
/// steps do not land on it: a timeline always ends on the day asked for.
pub fn month_steps(from: Date, to: Date, step_months: u32) -> Vec<Date> {
    let step = step_months.max(1) as i64;
    let mut dates: Vec<Date> = (0..)
        .map_while(|k: i64| from.checked_add(jiff::Span::new().months(k * step)).ok())
        .take_while(|d| *d <= to)
        .collect();
    if from <= to && dates.last() != Some(&to) {
        dates.push(to);
    }
    dates
}
