//! C2SP `tlog-checkpoint`: the signed tree head.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use crate::Error;
use crate::merkle::Hash;

/// The body of a checkpoint: origin, tree size and root hash, plus optional extension lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    /// The log's origin line, e.g. `truce.example/mission`.
    pub origin: String,
    /// The number of entries.
    pub size: u64,
    /// The root hash of the tree of that size.
    pub root: Hash,
    /// Extension lines, not recommended.
    pub extensions: Vec<String>,
}

impl Checkpoint {
    /// Parses the text of a checkpoint note (tlog-checkpoint §"Note text").
    pub fn parse(text: &str) -> Result<Checkpoint, Error> {
        let body = text
            .strip_suffix('\n')
            .ok_or_else(|| Error::Checkpoint("does not end with a newline".into()))?;
        let mut lines = body.split('\n');
        let origin = lines
            .next()
            .filter(|l| !l.is_empty())
            .ok_or_else(|| Error::Checkpoint("empty origin line".into()))?;
        let size_line = lines.next().ok_or_else(|| Error::Checkpoint("no size line".into()))?;
        let size = parse_size(size_line).map_err(Error::Checkpoint)?;
        let root_line =
            lines.next().ok_or_else(|| Error::Checkpoint("no root hash line".into()))?;
        let root = parse_root(root_line).map_err(Error::Checkpoint)?;
        let extensions: Vec<String> = lines.map(str::to_string).collect();
        if extensions.iter().any(String::is_empty) {
            return Err(Error::Checkpoint("empty extension line".into()));
        }
        Ok(Checkpoint { origin: origin.to_string(), size, root, extensions })
    }

    /// The checkpoint text (the signed part of the note).
    pub fn text(&self) -> String {
        let mut out = format!("{}\n{}\n{}\n", self.origin, self.size, STANDARD.encode(self.root));
        for e in &self.extensions {
            out.push_str(e);
            out.push('\n');
        }
        out
    }
}

/// A tree size as a checkpoint writes it: decimal, without leading zeros (tlog-checkpoint §"Note text").
/// The error says what is wrong, for the caller to wrap.
pub(crate) fn parse_size(line: &str) -> Result<u64, String> {
    if line.is_empty()
        || !line.bytes().all(|b| b.is_ascii_digit())
        || (line.len() > 1 && line.starts_with('0'))
    {
        return Err(format!("size {line:?} is not a decimal number without leading zeros"));
    }
    line.parse().map_err(|_| format!("size {line:?} is too large"))
}

/// A root hash as a checkpoint writes it: 32 bytes in standard base64 (tlog-checkpoint §"Note text").
pub(crate) fn parse_root(line: &str) -> Result<Hash, String> {
    STANDARD
        .decode(line)
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| "root hash is not 32 bytes of base64".to_string())
}
