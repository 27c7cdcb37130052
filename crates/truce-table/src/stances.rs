//! Current stances and the utilities they map to.

use truce_scenario::{
    Date, IssueIx, OptionIx, PartyIx, PositionIx, Scenario, Stance, StanceUtilityOverrides,
};

/// Utility of an option to a party, by the party's current stance on it.
///
/// This is the one place where stances become numbers.
/// The defaults keep the order demanded > acceptable > unknown = no position > opposed > red line,
/// evenly spaced on [0, 1]; a scenario may override any of them, scenario-wide (`[stance_utilities]`)
/// or per party (`[parties.stance_utilities]`).
/// `unknown` is an interval, not a guess: its default is the midpoint between opposed and acceptable.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StanceUtilities {
    /// The party demands the option.
    pub demanded: f64,
    /// The party accepts the option.
    pub acceptable: f64,
    /// A statement exists but does not settle the stance.
    pub unknown: f64,
    /// The party has said nothing on the option.
    pub no_position: f64,
    /// The party opposes the option.
    pub opposed: f64,
    /// The party calls the option a red line; used only where that red line is not hard.
    pub red_line: f64,
}

/// The default stance utilities (see [`StanceUtilities`]).
pub const DEFAULT_STANCE_UTILITIES: StanceUtilities = StanceUtilities {
    demanded: 1.0,
    acceptable: 0.75,
    unknown: 0.5,
    no_position: 0.5,
    opposed: 0.25,
    red_line: 0.0,
};

impl Default for StanceUtilities {
    fn default() -> Self {
        DEFAULT_STANCE_UTILITIES
    }
}

impl StanceUtilities {
    /// These utilities with `overrides` applied on top.
    pub fn with(self, overrides: &StanceUtilityOverrides) -> StanceUtilities {
        StanceUtilities {
            demanded: overrides.demanded.unwrap_or(self.demanded),
            acceptable: overrides.acceptable.unwrap_or(self.acceptable),
            unknown: overrides.unknown.unwrap_or(self.unknown),
            no_position: overrides.no_position.unwrap_or(self.no_position),
            opposed: overrides.opposed.unwrap_or(self.opposed),
            red_line: overrides.red_line.unwrap_or(self.red_line),
        }
    }

    /// The utility of `stance`; `None` means no position.
    pub fn of(&self, stance: Option<Stance>) -> f64 {
        match stance {
            Some(Stance::Demanded) => self.demanded,
            Some(Stance::Acceptable) => self.acceptable,
            Some(Stance::Unknown) => self.unknown,
            Some(Stance::Opposed) => self.opposed,
            Some(Stance::RedLine) => self.red_line,
            None => self.no_position,
        }
    }

    /// The utilities for `party` in `scenario`: defaults, then scenario overrides, then the party's.
    pub fn for_party(scenario: &Scenario, party: PartyIx) -> StanceUtilities {
        DEFAULT_STANCE_UTILITIES
            .with(&scenario.stance_utilities)
            .with(&scenario.party(party).stance_utilities)
    }
}

/// Which parties are at the table, and each one's current position on every option, as of a date.
///
/// A party's current stance on an option is its latest-dated non-historical position on it, among
/// positions dated on or before `as_of` (all positions when `as_of` is `None`).
/// Positions with the same date are ordered by their order in the file: the later one wins.
/// Month- and year-precision dates are written as the first day of the period and compared as such.
#[derive(Debug, Clone)]
pub struct Stances {
    /// The date replayed, if any.
    pub as_of: Option<Date>,
    /// The parties analysed, in scenario order; their position in this vector is their *slot*.
    pub parties: Vec<PartyIx>,
    n_options: usize,
    /// `current[slot * n_options + option]`: the governing position.
    current: Vec<Option<PositionIx>>,
}

impl Stances {
    /// Replays the positions of `parties` up to `as_of`.
    pub fn new(scenario: &Scenario, parties: &[PartyIx], as_of: Option<Date>) -> Stances {
        let mut parties = parties.to_vec();
        parties.sort();
        parties.dedup();
        let n_options = scenario.options.len();
        let mut slot_of = vec![None; scenario.parties.len()];
        for (slot, p) in parties.iter().enumerate() {
            slot_of[p.ix()] = Some(slot);
        }
        let mut current: Vec<Option<PositionIx>> = vec![None; parties.len() * n_options];
        for (i, position) in scenario.positions.iter().enumerate() {
            if position.historical || as_of.is_some_and(|d| position.date > d) {
                continue;
            }
            let Some(slot) = slot_of[position.party.ix()] else { continue };
            let cell = &mut current[slot * n_options + position.option.ix()];
            // Later in date wins; on the same date, later in the file wins.
            if cell.is_none_or(|c| scenario.position(c).date <= position.date) {
                *cell = Some(PositionIx(i as u32));
            }
        }
        Stances { as_of, parties, n_options, current }
    }

    /// The position that sets `slot`'s stance on `option`, if any.
    pub fn position(&self, slot: usize, option: OptionIx) -> Option<PositionIx> {
        self.current[slot * self.n_options + option.ix()]
    }

    /// The current stance of `slot` on `option`; `None` when the party has no position.
    pub fn stance(&self, scenario: &Scenario, slot: usize, option: OptionIx) -> Option<Stance> {
        self.position(slot, option).map(|p| scenario.position(p).stance)
    }

    /// The options of `issue` that `slot` currently demands.
    pub fn demands(&self, scenario: &Scenario, slot: usize, issue: IssueIx) -> Vec<OptionIx> {
        scenario
            .issue(issue)
            .options
            .iter()
            .copied()
            .filter(|&o| self.stance(scenario, slot, o) == Some(Stance::Demanded))
            .collect()
    }

    /// The slot of `party`, if it is at the table.
    pub fn slot(&self, party: PartyIx) -> Option<usize> {
        self.parties.iter().position(|&p| p == party)
    }
}
