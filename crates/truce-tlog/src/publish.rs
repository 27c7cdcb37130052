//! The files a log publishes on its read path, and how long each may be cached (C2SP tlog-tiles,
//! §"Checkpoints", §"Merkle tree tiles", §"Log entries").
//!
//! A log publishes its checkpoint, its hash tiles and its entry bundles, and nothing else. Each path is
//! one [`Published`] file; [`Published::parse`] is the one place a path is told to be a partial tile
//! (its `.p/<W>` suffix, read by [`Tile::parse`]), and [`Published::cache_control`] the one place its
//! caching is decided. The server's read path and the shared log's bucket both ask here, so a reader
//! gets the same headers for a file whether the server or the bucket (through a CDN) serves it.
//!
//! | file | `Cache-Control` | why |
//! |---|---|---|
//! | full tile or bundle | [`IMMUTABLE`] | its bytes are fixed by the entries at its indices: it never changes |
//! | partial tile or bundle | [`PARTIAL`] | superseded as the log grows, and may be deleted once the full tile exists |
//! | checkpoint | [`CHECKPOINT`] | it changes with every tree: the spec asks that it not be cached beyond a few seconds |
//!
//! These are the values the server has sent since the read path was first served. This module states
//! them as header values, and knows nothing else of HTTP. No I/O.

use crate::Error;
use crate::tile::Tile;

/// The path of the checkpoint under the log's prefix.
pub const CHECKPOINT_PATH: &str = "checkpoint";

/// The `Cache-Control` of a full tile or entry bundle: cache it for a year, and never revalidate it.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// The `Cache-Control` of a partial tile or entry bundle: a minute, after which the reader asks again
/// (and may find the full tile).
pub const PARTIAL: &str = "max-age=60";

/// The `Cache-Control` of the checkpoint: never stored, so every reader sees the latest one.
pub const CHECKPOINT: &str = "no-store";

/// One file of a log's read path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Published {
    /// The signed checkpoint, [`CHECKPOINT_PATH`].
    Checkpoint,
    /// A hash tile or an entry bundle, full or partial.
    Tile(Tile),
}

impl Published {
    /// The file at `path` (relative to the log's prefix), or an error saying it is not one a log
    /// publishes. Only canonical paths are accepted (see [`Tile::parse`]).
    pub fn parse(path: &str) -> Result<Published, Error> {
        if path == CHECKPOINT_PATH {
            return Ok(Published::Checkpoint);
        }
        Tile::parse(path).map(Published::Tile)
    }

    /// The file's path under the log's prefix; [`Published::parse`] reads it back.
    pub fn path(&self) -> String {
        match self {
            Published::Checkpoint => CHECKPOINT_PATH.to_string(),
            Published::Tile(tile) => tile.path(),
        }
    }

    /// Whether the file never changes once written: a full tile or bundle.
    pub fn is_immutable(&self) -> bool {
        matches!(self, Published::Tile(tile) if !tile.is_partial())
    }

    /// The `Cache-Control` value for this file (see the module docs).
    pub fn cache_control(&self) -> &'static str {
        match self {
            Published::Checkpoint => CHECKPOINT,
            Published::Tile(tile) if tile.is_partial() => PARTIAL,
            Published::Tile(_) => IMMUTABLE,
        }
    }

    /// The `Content-Type` of this file (tlog-tiles: the checkpoint is text, tiles and bundles bytes).
    pub fn content_type(&self) -> &'static str {
        match self {
            Published::Checkpoint => "text/plain; charset=utf-8",
            Published::Tile(_) => "application/octet-stream",
        }
    }
}
