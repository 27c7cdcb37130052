//! One rehearsal of a scenario: a checked ask seated at the table, one run per protocol, the traces
//! kept ([`simulate`]). The CLI, the API's job and the page share it; the document is `truce-report`'s.

use truce_scenario::Scenario;

use crate::{AgentSpec, CheckedAsk, Outcome, Protocol, ScenarioSetting, Seating};

/// How many moves each run's trace may keep, decided once the table is set and before any run: the
/// caller's bound on what it will do with the traces (a document's size, say). At most
/// [`crate::TRACE_LIMIT`] are kept whatever it says.
pub trait TraceBudget {
    /// The most moves each run of `protocols` on `prepared` (a setting of `scenario`) may keep.
    fn moves(
        &self,
        scenario: &Scenario,
        prepared: &ScenarioSetting,
        protocols: &[Protocol],
    ) -> usize;
}

/// A fixed number of moves.
impl TraceBudget for usize {
    fn moves(&self, _: &Scenario, _: &ScenarioSetting, _: &[Protocol]) -> usize {
        *self
    }
}

/// A rehearsal played: the table as seated, and each run's outcome with its trace.
pub struct Rehearsal {
    /// The setting: the packages the reading leaves open, each seat's view, the Pareto set.
    pub prepared: ScenarioSetting,
    /// The seating: parties, agents and the plot's axes.
    pub seating: Seating,
    /// The runs, one per protocol in the order asked for.
    pub runs: Vec<(Protocol, Outcome)>,
    /// The most moves a trace kept (even, at most [`crate::TRACE_LIMIT`]).
    pub trace_limit: usize,
}

impl Rehearsal {
    /// The agents, in seat order.
    pub fn agents(&self) -> &[AgentSpec] {
        &self.seating.agents
    }
}

/// Rehearses `scenario` as `ask` says: one run per protocol, with the parties seated in the order of
/// the ask's `parties` (the first moves first) and each trace kept within `budget`. The error names the
/// field at fault and says what was expected, or says why the table cannot be negotiated over.
pub fn simulate(
    scenario: &Scenario,
    ask: &CheckedAsk,
    budget: &dyn TraceBudget,
) -> Result<Rehearsal, String> {
    let seating = ask.seat(scenario)?;
    let prepared = crate::scenario_setting(
        scenario,
        ask.as_of(),
        Some(seating.parties.clone()),
        ask.reading(),
    )?;
    let keep = budget.moves(scenario, &prepared, ask.protocols()).min(crate::TRACE_LIMIT) & !1;
    let runs = ask
        .protocols()
        .iter()
        .map(|&protocol| {
            let mut built: Vec<_> = seating.agents.iter().map(AgentSpec::build).collect();
            let outcome = crate::Run {
                setting: &prepared.setting,
                protocol,
                rounds: ask.rounds(),
                seed: ask.seed(),
                trace: true,
            }
            .play_keeping(&mut built, keep);
            (protocol, outcome)
        })
        .collect();
    Ok(Rehearsal { prepared, seating, runs, trace_limit: keep })
}
