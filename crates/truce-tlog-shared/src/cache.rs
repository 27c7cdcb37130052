//! A cache of immutable files bounded in bytes, least recently used out first.

use std::collections::{BTreeMap, HashMap};

/// Files by path, holding at most `max_bytes` of them: inserting past the bound drops the least
/// recently used files until the rest fit, and a file larger than the bound is not kept at all.
/// Only files that never change belong here (full tiles and bundles): nothing is ever revalidated.
#[derive(Debug)]
pub(crate) struct TileCache {
    max_bytes: usize,
    /// The bytes held: the sum of the files' lengths, never above `max_bytes`.
    bytes: usize,
    /// The use counter: each get or insert takes the next value.
    clock: u64,
    /// Each file and the value of `clock` when it was last used.
    files: HashMap<String, (Vec<u8>, u64)>,
    /// The files by last use, oldest first: the inverse of the second field of `files`.
    by_use: BTreeMap<u64, String>,
}

impl TileCache {
    pub(crate) fn new(max_bytes: usize) -> TileCache {
        TileCache { max_bytes, bytes: 0, clock: 0, files: HashMap::new(), by_use: BTreeMap::new() }
    }

    /// The bytes the cache holds now.
    pub(crate) fn bytes(&self) -> usize {
        self.bytes
    }

    /// How many files the cache holds now.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.files.len()
    }

    /// A copy of the file at `path`, if held; it becomes the most recently used.
    pub(crate) fn get(&mut self, path: &str) -> Option<Vec<u8>> {
        let now = self.tick();
        let (data, used) = self.files.get_mut(path)?;
        if let Some(name) = self.by_use.remove(used) {
            self.by_use.insert(now, name);
        }
        *used = now;
        Some(data.clone())
    }

    /// Keeps `data` as the file at `path` (the most recently used), dropping the least recently used
    /// files until the cache is within its bound again.
    pub(crate) fn insert(&mut self, path: &str, data: Vec<u8>) {
        self.remove(path);
        if data.len() > self.max_bytes {
            return;
        }
        let now = self.tick();
        self.bytes += data.len();
        self.by_use.insert(now, path.to_string());
        self.files.insert(path.to_string(), (data, now));
        while self.bytes > self.max_bytes {
            let Some((_, oldest)) = self.by_use.pop_first() else { break };
            if let Some((data, _)) = self.files.remove(&oldest) {
                self.bytes -= data.len();
            }
        }
    }

    /// Forgets the file at `path`, if held.
    pub(crate) fn remove(&mut self, path: &str) {
        if let Some((data, used)) = self.files.remove(path) {
            self.bytes -= data.len();
            self.by_use.remove(&used);
        }
    }

    fn tick(&mut self) -> u64 {
        self.clock += 1;
        self.clock
    }
}

#[cfg(test)]
mod tests;
