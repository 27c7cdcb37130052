//! The `truce.tournament/1` document: a tournament's standings and every run.

use schemars::JsonSchema;
use serde::Serialize;
use truce_sim::AgentSpec;

use crate::simulation::{EndName, ProtocolName};

/// The schema id of [`TournamentReport`].
pub const TOURNAMENT_SCHEMA_ID: &str = "truce.tournament/1";

/// A tournament's results: the table per protocol and agent, and every run.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TournamentReport {
    /// Always `truce.tournament/1`.
    pub schema: String,
    /// The configuration file.
    pub config: String,
    /// The seed.
    pub seed: u64,
    /// The deadline, in rounds.
    pub deadline: u32,
    /// Runs per assignment and protocol.
    pub repetitions: u32,
    /// The settings played (name, parties, packages).
    pub settings: Vec<TournamentSetting>,
    /// The agents, by name.
    pub agents: Vec<String>,
    /// The results table.
    pub table: Vec<TournamentRow>,
    /// Every run.
    pub runs: Vec<TournamentRun>,
}

/// One setting of a tournament.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TournamentSetting {
    /// Its name.
    pub name: String,
    /// Its parties.
    pub parties: Vec<String>,
    /// Its packages (a decimal string).
    pub packages: String,
    /// Size of its Pareto set.
    pub pareto_size: usize,
}

/// One agent under one protocol.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TournamentRow {
    /// The protocol.
    pub protocol: ProtocolName,
    /// The agent.
    pub agent: String,
    /// Seats it played.
    pub seats: u64,
    /// Share of them that ended in agreement.
    pub agreement_rate: f64,
    /// Mean utility as a share of its party's range (no agreement: the reservation value, or the smallest
    /// utility when there is none).
    pub mean_share: f64,
    /// Mean social welfare of its agreements.
    pub mean_welfare: Option<f64>,
    /// Mean distance of its agreements to the nearest Nash point.
    pub mean_distance_to_nash: Option<f64>,
    /// Mean rounds played.
    pub mean_rounds: f64,
}

/// One run of a tournament.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TournamentRun {
    /// The setting's name.
    pub setting: String,
    /// The protocol.
    pub protocol: ProtocolName,
    /// Each seat's agent.
    pub agents: Vec<String>,
    /// The repetition, from 0.
    pub repetition: u32,
    /// The run's own seed (replay it with `truce simulate --seed`).
    pub seed: u64,
    /// How it ended.
    pub end: EndName,
    /// Rounds played.
    pub rounds: u32,
    /// The agreement's utilities.
    pub utilities: Option<Vec<f64>>,
    /// Its social welfare.
    pub welfare: Option<f64>,
    /// Distance to the nearest Nash point.
    pub distance_to_nash: Option<f64>,
    /// Distance to the Pareto set.
    pub distance_to_pareto: Option<f64>,
}

/// The tournament report from the plan, its records and its standings.
pub fn tournament_report(
    config: &str,
    plan: &truce_sim::Plan<'_>,
    packages: &[String],
    records: &[truce_sim::RunRecord],
    standings: &truce_sim::Standings,
) -> TournamentReport {
    let agent_names: Vec<String> = plan.agents.iter().map(AgentSpec::name).collect();
    TournamentReport {
        schema: TOURNAMENT_SCHEMA_ID.to_string(),
        config: config.to_string(),
        seed: plan.seed,
        deadline: plan.rounds,
        repetitions: plan.repetitions,
        settings: plan
            .settings
            .iter()
            .zip(packages)
            .map(|((name, s), packages)| TournamentSetting {
                name: name.clone(),
                parties: s.parties.iter().map(|p| p.name.clone()).collect(),
                packages: packages.clone(),
                pareto_size: s.frontier.len(),
            })
            .collect(),
        agents: agent_names.clone(),
        table: standings
            .by_protocol
            .iter()
            .flat_map(|(protocol, rows)| {
                rows.iter().map(move |r| TournamentRow {
                    protocol: (*protocol).into(),
                    agent: r.agent.name(),
                    seats: r.seats,
                    agreement_rate: r.agreement_rate,
                    mean_share: r.mean_share,
                    mean_welfare: r.mean_welfare,
                    mean_distance_to_nash: r.mean_distance_to_nash,
                    mean_rounds: r.mean_rounds,
                })
            })
            .collect(),
        runs: records
            .iter()
            .map(|r| TournamentRun {
                setting: plan.settings[r.setting].0.clone(),
                protocol: r.protocol.into(),
                agents: r.agents.iter().map(|&k| agent_names[k].clone()).collect(),
                repetition: r.repetition,
                seed: r.seed,
                end: r.end.into(),
                rounds: r.rounds,
                welfare: r.utilities.as_ref().map(|u| u.iter().sum()),
                utilities: r.utilities.clone(),
                distance_to_nash: r.distances.nash,
                distance_to_pareto: r.distances.pareto,
            })
            .collect(),
    }
}
