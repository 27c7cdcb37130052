//! The Watch: what an unarmed observer mission writes to its log, and what anyone computes from it.
//!
//! - [`entry`]: the entry kinds, their one canonical encoding, and their Ed25519 signatures.
//! - [`registry`]: replaying a log prefix: who may write what, the verification state machine (an author
//!   never verifies its own record), corrections that supersede, annotations.
//! - [`compliance`]: the status of every commitment of an agreement, a pure function of the agreement and
//!   the log prefix, with the log indices behind it.
//! - [`report`]: the daily report (Markdown, and HTML with an SVG chart and map), reproducible.
//! - [`export`]: GeoJSON, CSV and ACLED-like CSV of the observations.
//! - [`boundary`]: boundary views, used only to draw maps.
//! - [`input`]: reading an observation from JSON, with diagnostics.
//! - [`media`]: how an observation names its files, and whether a file still carries location metadata.
//! - [`generate`]: a seeded demo mission over the Minsk II zones, with planted violations.
//!
//! No I/O, no HTTP: entries come in as bytes with their log index.

#![deny(missing_docs)]

pub mod boundary;
pub mod compliance;
pub mod entry;
pub mod export;
pub mod gazetteer;
pub mod generate;
pub mod input;
pub mod media;
pub mod registry;
pub mod report;

/// Everything that can go wrong reading or checking an entry.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// The bytes are not an entry: bad JSON, a missing or malformed field, a non-canonical encoding.
    #[error("malformed entry: {0}")]
    Malformed(String),
    /// The signature does not verify against the author key.
    #[error("bad signature: {0}")]
    Signature(String),
    /// The entry is well formed and signed, but the log's rules refuse it (who may write what, the
    /// verification state machine).
    #[error("refused: {0}")]
    Refused(String),
    /// The entry is well formed and signed, but a value lies beyond a bound the log declares (an
    /// observation farther away than the mission's largest observation distance).
    #[error("out of bounds: {0}")]
    OutOfBounds(String),
    /// The entry's sequence number does not increase: a copy of an entry already on the log (a replay),
    /// or entries signed out of order.
    #[error("replayed: {0}")]
    Replayed(String),
}
