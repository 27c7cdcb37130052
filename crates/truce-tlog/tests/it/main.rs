//! Conformance of the log with published test vectors, and its own guarantees.

mod log;
mod notes;
mod proofs;
mod tessera;
mod vectors;
mod witness;
