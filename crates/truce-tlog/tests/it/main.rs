//! Conformance of the log with published test vectors, and its own guarantees.

mod proofs;
mod vectors;
