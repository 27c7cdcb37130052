//! A C2SP transparency log for Truce's observation record.
//!
//! - [`merkle`]: RFC 6962 / RFC 9162 hashing, inclusion and consistency proofs. No I/O.
//!
//! This crate knows nothing of HTTP, and nothing of what entries mean: they are opaque byte strings.

#![deny(missing_docs)]

pub mod merkle;

/// Everything that can go wrong in this crate.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A proof does not verify, or cannot be built.
    #[error("proof: {0}")]
    Proof(String),
}
