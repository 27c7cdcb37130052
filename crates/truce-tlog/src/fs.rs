//! Reading a log from a directory (a local log, or a mirror of one).

use std::path::PathBuf;

use crate::Error;
use crate::client::TileReader;

/// Reads log resources from a directory laid out as the tlog-tiles URL space.
#[derive(Debug, Clone)]
pub struct DirReader {
    /// The directory.
    pub root: PathBuf,
}

impl TileReader for DirReader {
    fn read(&self, path: &str) -> Result<Option<Vec<u8>>, Error> {
        // Paths come from this crate's own formatting, never from outside input; reject anything odd anyway.
        if path.split('/').any(|c| c.is_empty() || c == "." || c == "..") {
            return Err(Error::Tile(format!("refusing path {path:?}")));
        }
        match std::fs::read(self.root.join(path)) {
            Ok(data) => Ok(Some(data)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(Error::Io(e)),
        }
    }
}
