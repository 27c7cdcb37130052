//! A scenario's table as a negotiation setting.

use truce_scenario::{OptionIx, PartyIx, Scenario};
use truce_table::{
    Constraints, Feasibility, NumericModel, Reading, StanceUtilities, Stances, numeric_model,
};

use crate::setting::{Setting, permuted};

/// A scenario ready to rehearse, with what maps its packages back to the scenario's options.
///
/// Two orders of the parties meet here. The setting seats them in the order they were asked for: seat 0
/// moves first, and every utility vector of the setting (and of a run on it) is in seat order. The Table's
/// model and stances keep the scenario's order of its parties (their *slots*). [`ScenarioSetting::slots`]
/// maps one to the other.
pub struct ScenarioSetting {
    /// The setting, in seat order.
    pub setting: Setting,
    /// The numeric model behind it, in slot order: `model.options[issue][k]` are the scenario options of
    /// the problem's option k (one per scenario issue of the group).
    pub model: NumericModel,
    /// The current stances, in slot order.
    pub stances: Stances,
    /// The parties at the table, in seat order.
    pub parties: Vec<PartyIx>,
    /// For each seat, the slot of its party in [`ScenarioSetting::model`] and
    /// [`ScenarioSetting::stances`].
    pub slots: Vec<usize>,
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

    /// A vector in seat order (one value per seat) rearranged in slot order, as the Table's model and
    /// stances take it.
    pub fn in_slot_order(&self, by_seat: &[f64]) -> Vec<f64> {
        let mut by_slot = vec![0.0; by_seat.len()];
        for (&slot, &x) in self.slots.iter().zip(by_seat) {
            by_slot[slot] = x;
        }
        by_slot
    }
}

/// Builds the setting of `scenario` under `reading`: the parties at the table, seated in the order of
/// `parties` (all, in the scenario's order, when it is `None`), their stances as of `as_of`, only the packages that cross no hard constraint of the reading,
/// and each party's utilities (preferences where given, stance utilities otherwise), as the Table builds
/// its numeric model.
///
/// # Errors
///
/// When a party is given twice, when the table is blocked under the reading (no package respects every
/// hard constraint), or when cross-issue constraints tie too many combinations: a sentence saying so and
/// what to do.
pub fn scenario_setting(
    scenario: &Scenario,
    as_of: Option<truce_scenario::Date>,
    parties: Option<Vec<PartyIx>>,
    reading: Reading,
) -> Result<ScenarioSetting, String> {
    let groups = truce_table::check_groups(scenario).map_err(|e| e.to_string())?;
    let parties: Vec<PartyIx> = parties.unwrap_or_else(|| scenario.party_ixs().collect());
    if parties.is_empty() {
        return Err("no party at the table: a negotiation needs at least one".into());
    }
    for (k, p) in parties.iter().enumerate() {
        if parties[..k].contains(p) {
            return Err(format!(
                "{} is given twice: each party takes one seat",
                scenario.party(*p).id
            ));
        }
    }
    let stances = Stances::new(scenario, &parties, as_of);
    let slots: Vec<usize> = parties
        .iter()
        // Stances seats every party it is given, so each has a slot.
        .map(|&p| stances.slot(p).expect("every party at the table has a slot"))
        .collect();
    let utilities: Vec<StanceUtilities> =
        stances.parties.iter().map(|&p| StanceUtilities::for_party(scenario, p)).collect();
    let constraints = Constraints::new(&groups, &stances, reading);
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
    let setting = Setting::new(permuted(&model.problem, &slots), model.scale, names);
    let packages = feasibility.feasible_packages.to_string();
    Ok(ScenarioSetting { setting, model, stances, parties, slots, packages })
}
