//! Tests of the protocols, agents and tournaments.

// The conformance and rate tests print their counts.
#![allow(clippy::print_stdout)]

mod config;
mod negmas;
mod rules;
mod single_text;
mod tournament;
