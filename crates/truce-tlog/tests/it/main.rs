//! Conformance of the log with published test vectors, and its own guarantees.

// Tests print the figures they measure, as the test runner shows them.
#![allow(clippy::print_stdout)]

mod log;
mod notes;
mod proofs;
mod tessera;
mod vectors;
mod wire;
mod witness;
