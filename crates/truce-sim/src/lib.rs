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
//! - [`tournament`]: agents × settings × repetitions in parallel, with the per-agent table.
//!
//! Everything is deterministic given the seed.

pub mod agent;
pub mod inverse;
pub mod protocol;
pub mod scenario;
pub mod setting;
pub mod tournament;

pub use agent::{Agent, AgentSpec, Change, Context, Offer, Review, TOLERANCE, objection};
pub use inverse::Inverse;
pub use protocol::{Action, End, Move, Outcome, Protocol, Run, TRACE_LIMIT};
pub use scenario::{ScenarioSetting, scenario_setting};
pub use setting::{Distances, PartyView, Setting, permuted, welfare};
pub use tournament::{AgentRow, Plan, RunRecord, Standings, play, standings};
