//! Rehearsing a negotiation: protocols, agents and tournaments over a Table problem. No I/O.
//!
//! A mediator asks not only which deals exist but how talks are likely to move: if one party concedes
//! slowly and another fast, where do they land? Does a single negotiating text reach a deal sooner than
//! trading offers? This crate runs those rehearsals on the same [`truce_table::Problem`] the Table analyses,
//! so red lines are respected by construction (the problem holds only the options they leave open) and
//! the outcome space is never enumerated: agents find packages through a DP over issues ([`Inverse`]),
//! and outcomes are measured against the Table's exact Pareto set ([`Setting`]).
//!
//! - [`setting`]: a problem ready to negotiate on (each party's inverted utility, the Pareto set, the
//!   Nash and Kalai–Smorodinsky points);
//! - [`agent`]: the [`Agent`] trait and the built-in strategies ([`AgentSpec`]);
//! - [`protocol`]: [`Protocol`] (alternating offers, stacked alternating offers, the mediator's single
//!   text) and [`Run`], one negotiation;
//! - [`tournament`]: agents × settings × repetitions in parallel, with the per-agent table;
//! - [`ask`]: what a rehearsal is asked for ([`SimulationAsk`]), checked once into a [`CheckedAsk`];
//! - [`rehearsal`]: [`simulate`], a checked ask seated and played, one run per protocol (the CLI, the
//!   API's job and the page share it; the document is `truce-report`'s);
//! - [`config`]: a tournament's configuration file ([`parse_tournament`]) and its plan, held to its
//!   limits before any run.
//!
//! Everything is deterministic given the seed.

pub mod agent;
pub mod ask;
pub mod config;
pub mod inverse;
pub mod protocol;
pub mod rehearsal;
pub mod scenario;
pub mod setting;
pub mod tournament;

pub use agent::{Agent, AgentSpec, Change, Context, Offer, Review, TOLERANCE, objection};
pub use ask::{CheckedAsk, MAX_ROUNDS, MAX_RUNS, Seating, SimulationAsk};
pub use config::{
    MAX_TOURNAMENT_ROUNDS, MAX_TOURNAMENT_RUNS, ScenarioEntry, SyntheticEntry, Tournament,
    parse_tournament,
};
pub use inverse::Inverse;
pub use protocol::{Action, End, Move, Outcome, Protocol, Run, TRACE_LIMIT};
pub use rehearsal::{Rehearsal, TraceBudget, simulate};
pub use scenario::{ScenarioSetting, scenario_setting};
pub use setting::{Distances, PartyView, Setting, permuted, welfare};
pub use tournament::{AgentRow, Plan, RunRecord, Standings, play, standings};
