//! Tournaments: every agent in every seat of every setting, under each protocol, repeated; in parallel.
//!
//! Each setting with n parties is played by every assignment of the plan's agents to its seats (agents^n,
//! self-play included) when there are at most [`Plan::max_assignments`], otherwise by that many
//! assignments drawn with the plan's seed. Every run has its own seed, derived from the plan's seed and
//! the run's place in the plan, so results do not depend on the number of threads or their timing.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use crate::agent::AgentSpec;
use crate::protocol::{End, Protocol, Run};
use crate::setting::{Distances, Setting};

/// What to play.
pub struct Plan<'a> {
    /// The settings, by name.
    pub settings: Vec<(String, &'a Setting)>,
    /// The agents.
    pub agents: Vec<AgentSpec>,
    /// The protocols.
    pub protocols: Vec<Protocol>,
    /// The deadline in rounds.
    pub rounds: u32,
    /// Runs per assignment and protocol.
    pub repetitions: u32,
    /// The seed of everything random.
    pub seed: u64,
    /// Most assignments of agents to seats per setting.
    pub max_assignments: usize,
}

/// One run of a tournament.
#[derive(Debug, Clone, PartialEq)]
pub struct RunRecord {
    /// Index into [`Plan::settings`].
    pub setting: usize,
    /// The protocol.
    pub protocol: Protocol,
    /// Index into [`Plan::agents`] of each seat's agent, in party order.
    pub agents: Vec<usize>,
    /// The repetition, from 0.
    pub repetition: u32,
    /// The run's seed.
    pub seed: u64,
    /// How it ended.
    pub end: End,
    /// Rounds played.
    pub rounds: u32,
    /// Offers and texts made.
    pub offers: u32,
    /// The agreement's utility to each party (reported units); `None` without agreement.
    pub utilities: Option<Vec<f64>>,
    /// The agreement's distances to the Pareto set, Nash and KS points.
    pub distances: Distances,
}

fn mix(mut x: u64) -> u64 {
    // SplitMix64's finaliser.
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// The assignments of `agents` agents to `seats` seats: all of them, or `max` drawn with `seed`.
fn assignments(agents: usize, seats: usize, max: usize, seed: u64) -> Vec<Vec<usize>> {
    let total = (agents as f64).powi(seats as i32);
    if total <= max as f64 {
        let mut all = vec![Vec::new()];
        for _ in 0..seats {
            all = all
                .into_iter()
                .flat_map(|a: Vec<usize>| {
                    (0..agents).map(move |k| {
                        let mut b = a.clone();
                        b.push(k);
                        b
                    })
                })
                .collect();
        }
        return all;
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    (0..max).map(|_| (0..seats).map(|_| rng.random_range(0..agents)).collect()).collect()
}

impl Plan<'_> {
    /// How many assignments of agents to seats the plan plays, over all its settings (saturating).
    pub fn assignment_count(&self) -> u64 {
        self.settings
            .iter()
            .map(|(_, setting)| {
                let all = (self.agents.len() as f64).powi(setting.len() as i32);
                if all <= self.max_assignments as f64 {
                    all as u64
                } else {
                    self.max_assignments as u64
                }
            })
            .fold(0u64, u64::saturating_add)
    }

    /// How many runs [`Plan::runs`] lists, counted without listing them (saturating).
    pub fn run_count(&self) -> u64 {
        self.assignment_count()
            .saturating_mul(self.protocols.len() as u64)
            .saturating_mul(u64::from(self.repetitions))
    }

    /// Every run of the plan, in order: setting, assignment, protocol, repetition.
    pub fn runs(&self) -> Vec<(usize, Vec<usize>, Protocol, u32, u64)> {
        let mut runs = Vec::new();
        for (s, (_, setting)) in self.settings.iter().enumerate() {
            let seats = setting.len();
            let drawn = assignments(
                self.agents.len(),
                seats,
                self.max_assignments,
                mix(self.seed ^ s as u64),
            );
            for a in drawn {
                for &protocol in &self.protocols {
                    for rep in 0..self.repetitions {
                        let seed = mix(self.seed.wrapping_add(mix(runs.len() as u64)));
                        runs.push((s, a.clone(), protocol, rep, seed));
                    }
                }
            }
        }
        runs
    }
}

/// Plays every run of `plan` in parallel, calling `progress` after each, and returns the records in plan
/// order.
pub fn play(plan: &Plan<'_>, progress: &(dyn Fn() + Sync)) -> Vec<RunRecord> {
    plan.runs()
        .into_par_iter()
        .map(|(s, seats, protocol, repetition, seed)| {
            let setting = plan.settings[s].1;
            let mut agents: Vec<_> = seats.iter().map(|&k| plan.agents[k].build()).collect();
            let run = Run { setting, protocol, rounds: plan.rounds, seed, trace: false };
            let outcome = run.play(&mut agents);
            let distances =
                outcome.utilities.as_ref().map(|u| setting.distances(u)).unwrap_or_default();
            progress();
            RunRecord {
                setting: s,
                protocol,
                agents: seats,
                repetition,
                seed,
                end: outcome.end,
                rounds: outcome.rounds,
                offers: outcome.offers,
                utilities: outcome
                    .utilities
                    .map(|u| u.into_iter().map(|x| x * setting.scale).collect()),
                distances,
            }
        })
        .collect()
}

/// One agent's line in the results table.
#[derive(Debug, Clone, PartialEq)]
pub struct AgentRow {
    /// The agent.
    pub agent: AgentSpec,
    /// Seats it played.
    pub seats: u64,
    /// Share of those seats that ended in agreement.
    pub agreement_rate: f64,
    /// Its mean utility as a share of its party's range; a seat without agreement counts as the
    /// party's reservation value (its smallest utility when it has none).
    pub mean_share: f64,
    /// Mean social welfare (sum of reported utilities, [`crate::welfare`]) of its agreements.
    pub mean_welfare: Option<f64>,
    /// Mean distance of its agreements to the nearest Nash point.
    pub mean_distance_to_nash: Option<f64>,
    /// Mean rounds played.
    pub mean_rounds: f64,
}

/// The results table: one row per agent, per protocol.
#[derive(Debug, Clone, PartialEq)]
pub struct Standings {
    /// For each protocol of the plan: its rows, in [`Plan::agents`] order.
    pub by_protocol: Vec<(Protocol, Vec<AgentRow>)>,
}

fn mean(xs: impl Iterator<Item = f64>) -> Option<f64> {
    let (sum, n) = xs.fold((0.0, 0u64), |(s, n), x| (s + x, n + 1));
    (n > 0).then(|| sum / n as f64)
}

/// Tallies `records` by protocol and agent.
pub fn standings(plan: &Plan<'_>, records: &[RunRecord]) -> Standings {
    let by_protocol = plan
        .protocols
        .iter()
        .map(|&protocol| {
            let rows = plan
                .agents
                .iter()
                .enumerate()
                .map(|(k, &agent)| {
                    // (record, seat) for every seat this agent played under this protocol.
                    let seats: Vec<(&RunRecord, usize)> = records
                        .iter()
                        .filter(|r| r.protocol == protocol)
                        .flat_map(|r| {
                            r.agents
                                .iter()
                                .enumerate()
                                .filter(move |(_, a)| **a == k)
                                .map(move |(p, _)| (r, p))
                        })
                        .collect();
                    let agreed: Vec<&(&RunRecord, usize)> =
                        seats.iter().filter(|(r, _)| r.end == End::Agreement).collect();
                    let share = |r: &RunRecord, p: usize| {
                        let setting = plan.settings[r.setting].1;
                        let view = &setting.parties[p];
                        match &r.utilities {
                            Some(u) => view.normalized(u[p] / setting.scale),
                            None => view.normalized(view.min),
                        }
                    };
                    AgentRow {
                        agent,
                        seats: seats.len() as u64,
                        agreement_rate: if seats.is_empty() {
                            0.0
                        } else {
                            agreed.len() as f64 / seats.len() as f64
                        },
                        mean_share: mean(seats.iter().map(|(r, p)| share(r, *p))).unwrap_or(0.0),
                        mean_welfare: mean(
                            agreed
                                .iter()
                                .filter_map(|(r, _)| r.utilities.as_ref())
                                .map(|u| crate::setting::welfare(u)),
                        ),
                        mean_distance_to_nash: mean(
                            agreed.iter().filter_map(|(r, _)| r.distances.nash),
                        ),
                        mean_rounds: mean(seats.iter().map(|(r, _)| f64::from(r.rounds)))
                            .unwrap_or(0.0),
                    }
                })
                .collect();
            (protocol, rows)
        })
        .collect();
    Standings { by_protocol }
}
