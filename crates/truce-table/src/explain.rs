//! Analyses in words, each claim citing the positions it rests on.

use truce_scenario::{PositionIx, Scenario};

use crate::feasibility::Alternative;
use crate::reading::{Constraint, Constraints};

/// A one-line citation of a position: who, what stance on which option, when, where, and the quote.
///
/// `RUS red_line on ff.european_reassurance_force, 2025-02-18 (TASS [tass_peskov], line 1234): "Definitely not"`
pub fn cite(scenario: &Scenario, position: PositionIx) -> String {
    let p = scenario.position(position);
    let source = scenario.source(p.source);
    let outlet = source.publication.as_deref().unwrap_or(&source.id);
    let inferred = if p.basis == truce_scenario::Basis::Inferred { ", inferred" } else { "" };
    format!(
        "{} {} on {}, {}{} ({outlet} [{}], line {}{inferred}): \"{}\"",
        scenario.party(p.party).id,
        p.stance,
        scenario.option(p.option).id,
        p.date,
        match p.date_precision {
            truce_scenario::DatePrecision::Day => "",
            truce_scenario::DatePrecision::Month => " (month)",
            truce_scenario::DatePrecision::Year => " (year)",
        },
        source.id,
        p.line,
        p.quote
    )
}

/// What relaxing `constraint` means, e.g. `RUS drops its red line on ff.european_reassurance_force`.
pub fn describe_relaxation(scenario: &Scenario, constraint: &Constraint) -> String {
    let party = &scenario.party(constraint.party()).id;
    match constraint {
        Constraint::RedLine { option, .. } => {
            format!("{party} drops its red line on {}", scenario.option(*option).id)
        }
        Constraint::UnknownAsRedLine { option, .. } => {
            format!(
                "{party}'s unknown stance on {} turns out not to be a red line",
                scenario.option(*option).id
            )
        }
        Constraint::Cross { constraint, .. } => {
            let c = &scenario.constraints[*constraint];
            format!("{party} drops its constraint {} ({})", c.id, c.rule)
        }
        Constraint::Demand { issue, options, .. } => {
            let demanded: Vec<&str> =
                options.iter().map(|o| scenario.option(*o).id.as_str()).collect();
            format!(
                "{party} drops its demand on {} (for {})",
                scenario.issue(*issue).id,
                demanded.join(" or ")
            )
        }
    }
}

/// One sentence explaining an alternative: who concedes what, and which options it opens.
pub fn explain_alternative(
    scenario: &Scenario,
    constraints: &Constraints,
    alternative: &Alternative,
) -> String {
    let relaxations: Vec<String> = alternative
        .relax
        .iter()
        .map(|&c| describe_relaxation(scenario, constraints.get(c)))
        .collect();
    let opens: Vec<String> =
        alternative.opens.iter().map(|combo| combo_label(scenario, combo)).collect();
    format!("If {}, this opens {}.", join_and(&relaxations), join_and(&opens))
}

fn join_and<S: AsRef<str>>(items: &[S]) -> String {
    match items {
        [] => String::new(),
        [one] => one.as_ref().to_string(),
        [init @ .., last] => {
            let init: Vec<&str> = init.iter().map(AsRef::as_ref).collect();
            format!("{} and {}", init.join(", "), last.as_ref())
        }
    }
}

/// A combination of options, e.g. `nato.x + ff.y` (a single option is its id).
pub fn combo_label(scenario: &Scenario, combo: &[truce_scenario::OptionIx]) -> String {
    combo.iter().map(|o| scenario.option(*o).id.as_str()).collect::<Vec<_>>().join(" + ")
}
