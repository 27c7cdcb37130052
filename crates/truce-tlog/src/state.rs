//! The record of the log's last tree, `.state/signed` ([`crate::log::STATE_PATH`]).
//!
//! The writer records each tree's size and root here before it signs the tree's checkpoint (see
//! [`crate::log`]), and compares what it finds here with the tiles when it opens. Its one form is two
//! lines, the second and third lines of a checkpoint (tlog-checkpoint §"Note text"), without the origin:
//!
//! ```text
//! 70000
//! rKbDipCvhuX1GZ7g5BBe8sA6BbJ7ja/1nk427v383cs=
//! ```
//!
//! The size is decimal without leading zeros; the root is 32 bytes of standard base64; each line ends
//! in `\n`, and nothing follows. [`TreeState::parse`] accepts exactly what [`TreeState::to_bytes`] writes.
//! On shared storage this record is a database row that another server may have written, so it is
//! parsed as outside input. No I/O.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use crate::Error;
use crate::checkpoint::{parse_root, parse_size};
use crate::merkle::Hash;

/// The size and root of the tree the log last recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TreeState {
    /// The number of entries.
    pub size: u64,
    /// The root hash of the tree of that size.
    pub root: Hash,
}

impl TreeState {
    /// Parses a record. Anything but the one form in the module docs is refused, saying why.
    pub fn parse(data: &[u8]) -> Result<TreeState, Error> {
        let bad = |why: String| Error::Checkpoint(format!("corrupt .state/signed: {why}"));
        let text = std::str::from_utf8(data).map_err(|_| bad("not UTF-8".into()))?;
        let body =
            text.strip_suffix('\n').ok_or_else(|| bad("does not end with a newline".into()))?;
        let (size, root) =
            body.split_once('\n').ok_or_else(|| bad("not two lines: size, then root".into()))?;
        if root.contains('\n') {
            return Err(bad("more than two lines".into()));
        }
        Ok(TreeState { size: parse_size(size).map_err(bad)?, root: parse_root(root).map_err(bad)? })
    }

    /// The record's bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        format!("{}\n{}\n", self.size, STANDARD.encode(self.root)).into_bytes()
    }
}
