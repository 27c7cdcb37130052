//! A scenario's table as a negotiation setting.

use truce_scenario::{OptionIx, PartyIx, Scenario};
use truce_table::{
    Constraints, Feasibility, NumericModel, Reading, StanceUtilities, Stances, numeric_model,
};

use crate::setting::Setting;

/// A scenario ready to rehearse, with what maps its packages back to the scenario's options.
pub struct ScenarioSetting {
    /// The setting.
    pub setting: Setting,
    /// The numeric model behind it: `model.options[issue][k]` are the scenario options of the problem's
    /// option k (one per scenario issue of the group).
    pub model: NumericModel,
    /// The current stances.
    pub stances: Stances,
    /// The parties at the table, in the setting's order.
    pub parties: Vec<PartyIx>,
    /// How many packages respect the reading's hard constraints (a decimal string).
    pub packages: String,
}

impl ScenarioSetting {
    /// The scenario options of a package of the setting, in issue order of the scenario.
    pub fn options(&self, package: &[u32]) -> Vec<OptionIx> {
        let mut options: Vec<OptionIx> = package
            .iter()
            .zip(&self.model.options)
            .flat_map(|(&k, combos)| combos[k as usize].iter().copied())
            .collect();
        options.sort_by_key(|o| o.ix());
        options
    }
}

/// Builds the setting of `scenario` under `reading`: the parties at the table (all when `parties` is
/// `None`), their stances as of `as_of`, only the packages that cross no hard constraint of the reading,
/// and each party's utilities (preferences where given, stance utilities otherwise), as the Table builds
/// its numeric model.
///
/// # Errors
///
/// When the table is blocked under the reading (no package respects every hard constraint), or cross-issue
/// constraints tie too many combinations: a sentence saying so and what to do.
pub fn scenario_setting(
    scenario: &Scenario,
    as_of: Option<truce_scenario::Date>,
    parties: Option<Vec<PartyIx>>,
    reading: Reading,
) -> Result<ScenarioSetting, String> {
    truce_table::check_groups(scenario).map_err(|e| e.to_string())?;
    let parties: Vec<PartyIx> = parties.unwrap_or_else(|| scenario.party_ixs().collect());
    if parties.is_empty() {
        return Err("no party at the table: a negotiation needs at least one".into());
    }
    let stances = Stances::new(scenario, &parties, as_of);
    let utilities: Vec<StanceUtilities> =
        stances.parties.iter().map(|&p| StanceUtilities::for_party(scenario, p)).collect();
    let constraints = Constraints::new(scenario, &stances, reading);
    let feasibility = Feasibility::new(scenario, &constraints);
    if !feasibility.is_feasible() {
        return Err(format!(
            "the table is blocked under the {} reading: no package respects every hard constraint, so there is nothing to negotiate over; `truce analyze` lists the fewest concessions that would open it",
            reading.as_str()
        ));
    }
    let open = feasibility.open_combos(&constraints);
    let model = numeric_model(scenario, &stances, &utilities, &open);
    let names = parties.iter().map(|&p| scenario.party(p).id.clone()).collect();
    let setting = Setting::new(model.problem.clone(), model.scale, names);
    let packages = feasibility.feasible_packages.to_string();
    Ok(ScenarioSetting { setting, model, stances, parties, packages })
}
