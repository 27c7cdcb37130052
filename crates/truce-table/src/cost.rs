//! What an analysis may cost, estimated before it runs, so that a server can refuse a scenario whose
//! analysis would not finish.
//!
//! The dominant cost is the exact Pareto set, built issue by issue: after `k` issues the layer holds at
//! most the `P_k` packages of those issues (their product of option counts), and each layer's
//! candidates are the previous layer times the issue's options, each a vector of one utility per party.
//! When every utility is a default stance utility (a multiple of 1/4, equal weights), a party's sum after
//! `k` issues takes at most `4k + 1` values, and an antichain of such vectors in `d` dimensions has at
//! most `(4k + 1)^(d - 1)` points, which also bounds the layer. [`cost_estimate`] adds up
//! `min(P_k, bound) × options × parties` over the layers: an upper bound, in utility values handled, not a
//! prediction of the time.

use truce_scenario::Scenario;

/// The default budget for [`cost_estimate`]: about a minute of one core at worst.
pub const DEFAULT_COST_BUDGET: f64 = 2e9;

/// An upper bound on the utility values the Pareto programme handles for `scenario` with every party at
/// the table (see the module docs).
pub fn cost_estimate(scenario: &Scenario) -> f64 {
    let d = scenario.parties.len().max(1) as i32;
    let defaults = scenario.preferences.is_empty()
        && scenario.stance_utilities == Default::default()
        && scenario.parties.iter().all(|p| p.stance_utilities == Default::default());
    let mut prefix = 1.0f64;
    let mut total = 0.0f64;
    for (k, issue) in scenario.issues.iter().enumerate() {
        let grid = if defaults { (4.0 * k as f64 + 1.0).powi(d - 1) } else { f64::INFINITY };
        let layer = prefix.min(grid);
        let options = issue.options.len() as f64;
        total += layer * options * f64::from(d);
        prefix *= options;
    }
    total
}
