//! What a rehearsal is asked for ([`SimulationAsk`], the same fields for `truce simulate`, the API and
//! the page), and the same ask once checked ([`CheckedAsk`]), which is all [`crate::simulate`] takes.

use schemars::JsonSchema;
use serde::Deserialize;
use truce_scenario::{Date, PartyIx, Scenario};
use truce_table::Reading;

use crate::{AgentSpec, Protocol};

/// The longest deadline accepted, in rounds.
pub const MAX_ROUNDS: u32 = 10_000;

/// The most runs one rehearsal makes: one per protocol asked for, each protocol at most once, with one
/// line-up of agents.
pub const MAX_RUNS: usize = Protocol::ALL.len();

/// What a rehearsal is asked for: the same fields for `truce simulate`, the API and the page. Errors
/// name the field.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SimulationAsk {
    /// Protocols: `saop`, `stacked`, `single-text`, each at most once (default: all three).
    #[serde(default = "all_protocols")]
    pub protocols: Vec<String>,
    /// One agent for every party, or one per party in the order of `parties` (default: `boulware`).
    #[serde(default = "default_agents")]
    pub agents: Vec<String>,
    /// The deadline in rounds (default 100; at most [`MAX_ROUNDS`]).
    #[serde(default = "default_rounds")]
    pub rounds: u32,
    /// The seed (default 1).
    #[serde(default = "default_seed")]
    pub seed: u64,
    /// The reading whose hard constraints bound the packages (default `red_lines`).
    #[serde(default = "default_reading")]
    pub reading: String,
    /// The parties at the table (ids), in the order they move: the first listed moves first (default:
    /// all, in the scenario's order).
    #[serde(default)]
    pub parties: Option<Vec<String>>,
    /// Replay the positions known on this date (YYYY-MM-DD).
    #[serde(default)]
    pub as_of: Option<String>,
    /// The two parties on the plot's axes (ids; default the first two at the table).
    #[serde(default)]
    pub axes: Option<Vec<String>>,
}

pub(crate) fn all_protocols() -> Vec<String> {
    Protocol::ALL.iter().map(|p| p.as_str().to_string()).collect()
}
fn default_agents() -> Vec<String> {
    vec!["boulware".to_string()]
}
pub(crate) fn default_rounds() -> u32 {
    100
}
pub(crate) fn default_seed() -> u64 {
    1
}
fn default_reading() -> String {
    Reading::RedLines.as_str().to_string()
}

impl Default for SimulationAsk {
    fn default() -> Self {
        SimulationAsk {
            protocols: all_protocols(),
            agents: default_agents(),
            rounds: default_rounds(),
            seed: default_seed(),
            reading: default_reading(),
            parties: None,
            as_of: None,
            axes: None,
        }
    }
}

/// A [`SimulationAsk`] checked as far as it can be without the scenario ([`SimulationAsk::check`]): its
/// fields read into their types. [`crate::simulate`] takes nothing else, so an ask is checked once.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedAsk {
    reading: Reading,
    protocols: Vec<Protocol>,
    agents: Vec<AgentSpec>,
    rounds: u32,
    seed: u64,
    parties: Option<Vec<String>>,
    as_of: Option<Date>,
    axes: Option<[String; 2]>,
}

impl SimulationAsk {
    /// Checks what can be checked of the ask without the scenario: rounds (1 to [`MAX_ROUNDS`]), the
    /// reading, the protocols (known, each at most once, so at most [`MAX_RUNS`] runs), the agents'
    /// names and, when `parties` is given, the parties (no repeats), the number of agents (one, or one
    /// per party) and the axes; and the date. The error names the field at fault and says what was
    /// expected.
    pub fn check(&self) -> Result<CheckedAsk, String> {
        if self.rounds == 0 || self.rounds > MAX_ROUNDS {
            return Err(format!("rounds: {}: expected 1 to {MAX_ROUNDS}", self.rounds));
        }
        let reading: Reading = self.reading.parse().map_err(|e| format!("reading: {e}"))?;
        let protocols = self.protocols()?;
        if self.agents.is_empty() {
            return Err(format!("agents: none given: expected one of {}", AgentSpec::NAMES));
        }
        let agents: Vec<AgentSpec> = self
            .agents
            .iter()
            .map(|a| AgentSpec::parse(a).map_err(|e| format!("agents: {e}")))
            .collect::<Result<_, _>>()?;
        let axes = match self.axes.as_deref() {
            None => None,
            Some([x, y]) => Some([x.clone(), y.clone()]),
            Some(other) => {
                return Err(format!("axes: {} ids given: expected two party ids", other.len()));
            }
        };
        let parties = match &self.parties {
            None => None,
            Some(parties) => {
                if parties.is_empty() {
                    return Err("parties: none given: expected the ids of the parties at the table, the first to move first".to_string());
                }
                let ids: Vec<&str> = parties.iter().map(|p| p.trim()).collect();
                for (k, id) in ids.iter().enumerate() {
                    if ids[..k].contains(id) {
                        return Err(format!(
                            "parties: {id} is given twice: each party takes one seat"
                        ));
                    }
                }
                seat_agents(&agents, &ids)?;
                axes_of(axes.as_ref(), &ids)?;
                Some(ids.iter().map(|id| id.to_string()).collect())
            }
        };
        let as_of = self
            .as_of
            .as_deref()
            .map(|d| {
                d.parse::<Date>().map_err(|e| format!("as_of: expected a date as YYYY-MM-DD: {e}"))
            })
            .transpose()?;
        Ok(CheckedAsk {
            reading,
            protocols,
            agents,
            rounds: self.rounds,
            seed: self.seed,
            parties,
            as_of,
            axes,
        })
    }

    /// The protocols, each known and named once.
    fn protocols(&self) -> Result<Vec<Protocol>, String> {
        if self.protocols.is_empty() {
            return Err("protocols: none given: expected saop, stacked or single-text".to_string());
        }
        let mut protocols: Vec<Protocol> = Vec::new();
        for name in &self.protocols {
            let protocol = Protocol::parse(name).map_err(|e| format!("protocols: {e}"))?;
            if protocols.contains(&protocol) {
                return Err(format!(
                    "protocols: {name:?} repeats {}: each protocol runs at most once ({MAX_RUNS} runs at most)",
                    protocol.as_str()
                ));
            }
            protocols.push(protocol);
        }
        Ok(protocols)
    }
}

/// The table a checked ask seats in a scenario: its parties in seat order, each one's agent, and the
/// plot's axes (indices into the parties).
#[derive(Debug, Clone, PartialEq)]
pub struct Seating {
    /// The parties, in seat order: the first moves first.
    pub parties: Vec<PartyIx>,
    /// Each seat's agent.
    pub agents: Vec<AgentSpec>,
    /// The two parties on the plot's axes, as seats.
    pub axes: (usize, usize),
}

impl CheckedAsk {
    /// The reading whose hard constraints bound the packages.
    pub fn reading(&self) -> Reading {
        self.reading
    }

    /// The protocols, one run each, in the order asked for.
    pub fn protocols(&self) -> &[Protocol] {
        &self.protocols
    }

    /// The deadline, in rounds (1 to [`MAX_ROUNDS`]).
    pub fn rounds(&self) -> u32 {
        self.rounds
    }

    /// The seed.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The date whose positions are replayed, if any.
    pub fn as_of(&self) -> Option<Date> {
        self.as_of
    }

    /// Seats the ask in `scenario`: the parties (known ids), the number of agents (one, or one per
    /// party at the table) and the axes. An ask that seats fails in [`crate::simulate`] only when the
    /// table is blocked under the reading or the scenario's constraints tie too many combinations. The
    /// error names the field at fault.
    pub fn seat(&self, scenario: &Scenario) -> Result<Seating, String> {
        let parties = match &self.parties {
            None => scenario.party_ixs().collect(),
            Some(ids) => truce_table::select_parties(scenario, ids.iter().map(String::as_str))
                .map_err(|e| format!("parties: {e}"))?,
        };
        let ids: Vec<&str> = parties.iter().map(|&p| scenario.party(p).id.as_str()).collect();
        let agents = seat_agents(&self.agents, &ids)?;
        let axes = axes_of(self.axes.as_ref(), &ids)?;
        Ok(Seating { parties, agents, axes })
    }
}

/// One agent for every seat, or one per seat.
fn seat_agents(specs: &[AgentSpec], parties: &[&str]) -> Result<Vec<AgentSpec>, String> {
    match specs.len() {
        1 => Ok(vec![specs[0]; parties.len()]),
        n if n == parties.len() => Ok(specs.to_vec()),
        n => Err(format!(
            "agents: {n} agents for {} parties ({}): give one agent for all, or one per party in that order",
            parties.len(),
            parties.join(", ")
        )),
    }
}

/// The plot's axes: two parties at the table, as indices into `parties`.
fn axes_of(axes: Option<&[String; 2]>, parties: &[&str]) -> Result<(usize, usize), String> {
    let Some([x, y]) = axes else { return Ok((0, 1.min(parties.len().saturating_sub(1)))) };
    let find = |id: &str| {
        parties.iter().position(|p| *p == id).ok_or_else(|| {
            format!("axes: {id:?} is not at the table; expected two of {}", parties.join(", "))
        })
    };
    Ok((find(x)?, find(y)?))
}
