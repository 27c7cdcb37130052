//! A C2SP transparency log for Truce's observation record.
//!
//! - [`merkle`]: RFC 6962 / RFC 9162 hashing, inclusion and consistency proofs. No I/O.
//! - [`note`]: C2SP signed notes, Ed25519 vkeys, cosignatures. No I/O.
//! - [`checkpoint`]: C2SP checkpoints. No I/O.
//! - [`tile`]: C2SP tile paths and entry bundles. No I/O.
//! - [`proof`]: C2SP tlog-proof offline proof files. No I/O.
//! - [`client`]: the verifying client over a [`client::TileReader`]; every tile authenticated before use.
//! - [`fs`]: reading a log from a directory.
//! - [`layout`]: a log's and a witness's directories: key files, init, open (file I/O).
//! - [`storage`]: the narrow storage trait and its filesystem backend (durability contract in its docs).
//! - [`witness`]: the tlog-witness add-checkpoint logic and fork detection. No I/O.
//! - [`journal`]: where the sequencer makes a batch durable before acknowledging it.
//! - [`sequencer`]: group commit in front of the writer, with pushback.
//! - [`state`]: the record of the last tree (`.state/signed`). No I/O.
//! - [`publish`]: the files a log publishes, and how long each may be cached. No I/O.
//! - [`log`]: the writer: durable batched appends and checkpoints (the life of an entry in its docs).
//!
//! This crate knows nothing of HTTP, and nothing of what entries mean: they are opaque byte strings.

#![deny(missing_docs)]

pub mod checkpoint;
pub mod client;
pub mod fs;
pub mod journal;
pub mod layout;
pub mod log;
pub mod merkle;
pub mod note;
pub mod proof;
pub mod publish;
pub mod sequencer;
pub mod state;
pub mod storage;
pub mod tile;
pub mod witness;

/// Everything that can go wrong in this crate.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A proof does not verify, or cannot be built.
    #[error("proof: {0}")]
    Proof(String),
    /// A signed note or key is malformed, or a signature does not verify.
    #[error("note: {0}")]
    Note(String),
    /// A checkpoint is malformed.
    #[error("checkpoint: {0}")]
    Checkpoint(String),
    /// A tile path, tile or entry bundle is malformed.
    #[error("tile: {0}")]
    Tile(String),
    /// A tile or entry does not match the hashes that authenticate it.
    #[error("tampered: {0}")]
    Tampered(String),
    /// Too many entries are waiting: try again later (HTTP 503 with `Retry-After`).
    #[error("pushback: too many pending entries")]
    Pushback,
    /// The writer stopped, after an error or on request; the log must be reopened.
    #[error("stopped: {0}")]
    Stopped(String),
    /// Reading or writing storage failed.
    #[error("storage: {0}")]
    Io(#[from] std::io::Error),
}
