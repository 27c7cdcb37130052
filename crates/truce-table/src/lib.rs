//! The Table: is there a deal every party can accept, and if not, what would have to give?
//!
//! Given a [`truce_scenario::Scenario`], this crate computes, under each [`Reading`] of the positions:
//! the exact number of feasible packages (without enumerating them), the blocked issues, the ranked minimal
//! concession sets (factored by independent group), the coalitions that can agree, and, where packages are
//! feasible, the Pareto set and the Nash and maximin packages with a per-party account.
//!
//! ```text
//! let analysis = truce_table::analyze(&scenario, &AnalysisOptions::default());
//! for reading in &analysis.readings {
//!     println!("{}: {} feasible packages", reading.reading, reading.feasibility.feasible_packages);
//! }
//! ```
//!
//! Every result names the constraints and positions it rests on, so a report can cite them.
//! This crate does no I/O and prints nothing: rendering is the caller's job.

#![deny(missing_docs)]

mod analysis;
mod bargaining;
mod best;
pub mod cancel;
mod choose;
mod cost;
mod count;
mod explain;
mod feasibility;
mod frontier;
mod numeric;
mod problem;
mod reading;
mod robust;
mod stances;
mod synthetic;
mod timeline;
mod view;

#[cfg(test)]
mod tests;

pub use analysis::{
    Analysis, AnalysisOptions, ReadingAnalysis, analyze, analyze_reading, analyze_reading_relaxed,
};
pub use bargaining::{Disagreement, SolutionConcept, TIE, bargaining_ranges, solve};
pub use best::{BestPackage, BestPackages, IssueVerdict, PartyAccount, Verdict, explain_package};
pub use choose::{choose_package, select_parties};
pub use cost::{DEFAULT_COST_BUDGET, cost_estimate};
pub use count::Count;
pub use explain::{cite, combo_label, describe_relaxation, explain_alternative};
pub use feasibility::{
    Alternative, BlockedGroup, Coalitions, ConcessionFamily, Feasibility, MAX_COALITION_PARTIES,
};
pub use frontier::{
    Frontier, IssueOrder, ParetoPoint, epsilon_pareto_frontier, pareto_frontier,
    pareto_frontier_ordered,
};
pub use numeric::{Bargaining, NumericModel, bargain, bargain_ordered, numeric_model};
pub use problem::{IssueTable, Problem};
pub use reading::{
    CheckedGroups, Constraint, ConstraintIx, Constraints, Group, GroupTooLarge,
    MAX_GROUP_COMBINATIONS, Reading, UnknownReading, check_groups, check_relax_key,
    issue_components,
};
pub use robust::{PackageFrequency, RobustOptions, Robustness, robustness};
pub use stances::{DEFAULT_STANCE_UTILITIES, StanceUtilities, Stances};
pub use synthetic::{dirichlet_ones, synthetic_problem};
pub use timeline::{ReadingSummary, TimelinePoint, month_steps, timeline};
pub use view::{FrontierView, ViewPoint, frontier_view};
