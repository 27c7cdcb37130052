//! The log writer: appends batches of entries durably and signs checkpoints, never two inconsistent ones.
//!
//! # Life of an entry
//!
//! Through the [`crate::sequencer::Sequencer`], as the server and the benchmarks use it:
//!
//! 1. A submitter queues the entry (at most [`crate::tile::MAX_ENTRY`] bytes); if too many are waiting it
//!    is pushed back at once.
//! 2. The sequencer closes a batch (on count or age), gives it the next indices and appends it to the
//!    [`crate::journal`] as one record, flushed to disk. Then it acknowledges each entry with its index. From here a crash loses nothing: the entry and its index are durable.
//! 3. The integrator takes the journalled batches ([`Log::integrate`]): their leaf hashes extend the right
//!    edge of the tree held in memory (one partial tile per level); tiles that fill up are written whole
//!    and their roots move up a level.
//! 4. The new and rewritten tiles and entry bundles, and the new size and root in `.state/signed`, are
//!    committed to storage together, **before** anything is signed. Journal segments wholly integrated are removed.
//! 5. The checkpoint for the new tree is signed and committed as `checkpoint` ([`Log::publish`]).
//!
//! Without the sequencer, [`Log::append`] does steps 3–5 on its own and returns after step 5.
//!
//! The log records every tree before signing it and signs only trees that extend the recorded one, so it
//! cannot sign two inconsistent checkpoints, even across crashes. On opening it recomputes the recorded root
//! from its tiles. A crash inside step 4 can leave the record ahead of its tiles: that tree was never signed
//! (step 5 comes after), so the log falls back to the published checkpoint, whose tiles must rebuild its root
//! (or the log refuses to open). A crash between steps 4 and 5 leaves a recorded tree without its checkpoint,
//! which is signed on opening: the same tree, so consistent. Then the journal is integrated (steps 3–5), so
//! every acknowledged entry is in the tree, at its index, before anything new is appended. Tiles beyond the
//! recorded size are overwritten.

use std::collections::HashMap;

use crate::Error;
use crate::checkpoint::Checkpoint;
use crate::client::TileVerifier;
use crate::journal;
use crate::merkle::{self, Hash, HashSource, leaf_hash};
use crate::note::{Note, NoteSigner};
use crate::state::TreeState;
use crate::storage::Storage;
use crate::tile::{MAX_ENTRY, TILE_WIDTH, Tile, hashes_at, push_entry};

/// Where the log records the last tree it signed.
pub const STATE_PATH: &str = ".state/signed";

/// A transparency log over some [`Storage`], signing with one key whose name is the log's origin.
pub struct Log<S: Storage> {
    storage: S,
    signer: NoteSigner,
    size: u64,
    root: Hash,
    /// `edge[level]`: the hashes of the right-edge (partial) tile at that tile level, fewer than 256.
    edge: Vec<Vec<Hash>>,
    /// The entries of the right-edge (partial) bundle.
    bundle: Vec<Vec<u8>>,
    checkpoint: Note,
    /// Journal segments that held batches integrated since opening, not yet removed.
    segments: std::collections::BTreeSet<u64>,
}

impl<S: Storage> std::fmt::Debug for Log<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Log")
            .field("origin", &self.signer.name)
            .field("size", &self.size)
            .finish_non_exhaustive()
    }
}

fn state_text(size: u64, root: &Hash) -> Vec<u8> {
    TreeState { size, root: *root }.to_bytes()
}

/// The root of the tree whose right edge is `edge` (plus, implicitly, full tiles summarised above it).
fn edge_root(edge: &[Vec<Hash>], size: u64) -> Result<Hash, Error> {
    struct Edge<'a>(&'a [Vec<Hash>], u64);
    impl HashSource for Edge<'_> {
        fn hash(&self, level: u8, index: u64) -> Result<Hash, Error> {
            let tile_level = level / 8;
            let height = u32::from(level % 8);
            let first = index << height;
            let tile_index = first / TILE_WIDTH;
            let expected = hashes_at(self.1, tile_level) / TILE_WIDTH;
            let hashes =
                self.0.get(usize::from(tile_level)).filter(|_| tile_index == expected).ok_or_else(
                    || Error::Proof(format!("subtree {level}/{index} is not on the right edge")),
                )?;
            let start = (first % TILE_WIDTH) as usize;
            let chunk = hashes
                .get(start..start + (1usize << height))
                .ok_or_else(|| Error::Proof("edge too short".into()))?;
            Ok(merkle::complete_root(chunk))
        }
    }
    merkle::tree_hash(&Edge(edge, size), size)
}

impl<S: Storage> Log<S> {
    /// Creates an empty log in `storage`, signing an empty checkpoint. Fails if a log is already there.
    pub fn create(mut storage: S, signer: NoteSigner) -> Result<Log<S>, Error> {
        if storage.read(STATE_PATH)?.is_some() {
            return Err(Error::Checkpoint("a log already exists here".into()));
        }
        let root = merkle::empty_hash();
        storage.stage(STATE_PATH, &state_text(0, &root))?;
        storage.commit()?;
        let mut log = Log {
            storage,
            signer,
            size: 0,
            root,
            edge: Vec::new(),
            bundle: Vec::new(),
            checkpoint: Note { text: String::new(), signatures: Vec::new() },
            segments: std::collections::BTreeSet::new(),
        };
        log.publish_checkpoint()?;
        Ok(log)
    }

    /// Opens the log in `storage`, recovering from a crash: the recorded tree is rebuilt from the tiles and
    /// must have the recorded root; its checkpoint is signed again if it was not yet written.
    pub fn open(mut storage: S, signer: NoteSigner) -> Result<Log<S>, Error> {
        storage.clean()?;
        let state = storage
            .read(STATE_PATH)?
            .ok_or_else(|| Error::Checkpoint("no log here (no .state/signed)".into()))?;
        let TreeState { size: recorded_size, root: recorded_root } = TreeState::parse(&state)?;
        let published = match storage.read("checkpoint")? {
            Some(bytes) => Note::parse(&bytes)
                .ok()
                .and_then(|n| Checkpoint::parse(&n.text).ok().map(|c| (n, c))),
            None => None,
        };
        let recorded = Checkpoint {
            origin: signer.name.clone(),
            size: recorded_size,
            root: recorded_root,
            extensions: Vec::new(),
        };
        // Authenticate the right edge against the recorded root, then keep it in memory. A crash inside the
        // commit that writes a tree's tiles together with its record can leave the record ahead of the tiles;
        // that tree was never signed (its checkpoint commits afterwards), so the published one is used instead.
        let (size, root, verifier) = match TileVerifier::new(&storage, &recorded) {
            Ok(v) => (recorded_size, recorded_root, v),
            Err(e) => match &published {
                Some((_, c)) if c.size < recorded_size && c.origin == signer.name => {
                    let v = TileVerifier::new(&storage, c).map_err(|e2| {
                        Error::Tampered(format!(
                            "neither the recorded tree of size {recorded_size} ({e}) nor the published one ({e2}) rebuilds from the tiles"
                        ))
                    })?;
                    (c.size, c.root, v)
                }
                _ => {
                    return Err(Error::Tampered(format!(
                        "the tiles do not rebuild the recorded tree of size {recorded_size}: {e}"
                    )));
                }
            },
        };
        let mut edge = Vec::new();
        for level in 0..=63u8 {
            let n = hashes_at(size, level);
            if n == 0 {
                break;
            }
            if n.is_multiple_of(TILE_WIDTH) {
                edge.push(Vec::new());
            } else {
                edge.push(verifier.tile(level, n / TILE_WIDTH)?.as_ref().clone());
            }
        }
        let bundle = if size.is_multiple_of(TILE_WIDTH) {
            Vec::new()
        } else {
            verifier.entries(size / TILE_WIDTH)?
        };
        drop(verifier);
        let checkpoint_ok = published;
        let mut log = Log {
            storage,
            signer,
            size,
            root,
            edge,
            bundle,
            checkpoint: Note { text: String::new(), signatures: Vec::new() },
            segments: std::collections::BTreeSet::new(),
        };
        if (size, root) != (recorded_size, recorded_root) {
            // Bring the record back to the tree the tiles hold, before anything else is signed.
            log.storage.stage(STATE_PATH, &state_text(size, &root))?;
            log.storage.commit()?;
        }
        match checkpoint_ok {
            Some((note, c)) if c.size == size && c.root == root => log.checkpoint = note,
            _ => log.publish_checkpoint()?,
        }
        // Batches acknowledged from the journal but not yet in the tree go in now, at their indices.
        let batches = journal::read_all(&log.storage)?;
        let pending = journal::pending(&batches, log.size)?;
        if !pending.is_empty() {
            log.append_durable(&pending)?;
            log.publish()?;
        }
        // Every journalled batch is in the tree now: no segment is needed any more.
        for name in log.storage.list(journal::JOURNAL_DIR)? {
            log.storage.remove(&format!("{}/{name}", journal::JOURNAL_DIR))?;
        }
        Ok(log)
    }

    /// The number of entries.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// The current root hash.
    pub fn root(&self) -> Hash {
        self.root
    }

    /// The latest signed checkpoint.
    pub fn checkpoint(&self) -> &Note {
        &self.checkpoint
    }

    /// The storage, for reading.
    pub fn storage(&self) -> &S {
        &self.storage
    }

    /// Signs and commits the checkpoint of the current tree, unless it is already the published one.
    /// The tree was recorded before (by [`Log::append_durable`]), so this never signs an inconsistent one.
    pub fn publish(&mut self) -> Result<(), Error> {
        if self.is_published() { Ok(()) } else { self.publish_checkpoint() }
    }

    /// Whether the current tree has its signed checkpoint.
    pub fn is_published(&self) -> bool {
        Checkpoint::parse(&self.checkpoint.text)
            .is_ok_and(|c| c.size == self.size && c.root == self.root)
    }

    fn publish_checkpoint(&mut self) -> Result<(), Error> {
        let body = Checkpoint {
            origin: self.signer.name.clone(),
            size: self.size,
            root: self.root,
            extensions: Vec::new(),
        };
        let text = body.text();
        let note = Note { signatures: vec![self.signer.sign(&text, 0)], text };
        self.storage.stage("checkpoint", note.to_text().as_bytes())?;
        self.storage.commit()?;
        self.checkpoint = note;
        Ok(())
    }

    /// Appends `entries` durably and returns the index of the first one. When this returns, the entries are
    /// in storage and in a signed checkpoint. On error nothing is acknowledged and the log must be reopened.
    pub fn append(&mut self, entries: &[Vec<u8>]) -> Result<u64, Error> {
        let first = self.append_durable(entries)?;
        self.publish()?;
        Ok(first)
    }

    /// Appends `entries` durably, without signing, and returns the index of the first one. When this
    /// returns, the entries and the new tree's record are in storage: a crash from here on loses nothing,
    /// and the next checkpoint the log signs (by [`Log::publish`], or on reopening) contains them. Until
    /// then, [`Log::checkpoint`] is the previous tree's. On error nothing is acknowledged and the log must
    /// be reopened.
    pub fn append_durable(&mut self, entries: &[Vec<u8>]) -> Result<u64, Error> {
        if let Some(e) = entries.iter().find(|e| e.len() > MAX_ENTRY) {
            return Err(Error::Tile(format!("entry of {} bytes exceeds {MAX_ENTRY}", e.len())));
        }
        let first = self.size;
        if entries.is_empty() {
            return Ok(first);
        }
        let mut edge = self.edge.clone();
        let mut bundle = self.bundle.clone();
        let mut size = self.size;
        let mut writes: HashMap<String, Vec<u8>> = HashMap::new();
        for entry in entries {
            bundle.push(entry.clone());
            let mut carry = Some(leaf_hash(entry));
            let mut level = 0usize;
            // Push the hash up while tiles fill.
            while let Some(h) = carry.take() {
                if edge.len() == level {
                    edge.push(Vec::new());
                }
                edge[level].push(h);
                if edge[level].len() as u64 == TILE_WIDTH {
                    let full = std::mem::take(&mut edge[level]);
                    let index = hashes_at(size + 1, level as u8) / TILE_WIDTH - 1;
                    let tile = Tile { level: Some(level as u8), index, width: TILE_WIDTH as u16 };
                    writes.insert(tile.path(), full.concat());
                    carry = Some(merkle::complete_root(&full));
                    level += 1;
                }
            }
            size += 1;
            if bundle.len() as u64 == TILE_WIDTH {
                let tile =
                    Tile { level: None, index: size / TILE_WIDTH - 1, width: TILE_WIDTH as u16 };
                let mut data = Vec::new();
                for e in bundle.drain(..) {
                    push_entry(&mut data, &e)?;
                }
                writes.insert(tile.path(), data);
            }
        }
        // Right-edge tiles and bundle for the new size.
        for (level, hashes) in edge.iter().enumerate() {
            if !hashes.is_empty() {
                let tile = Tile {
                    level: Some(level as u8),
                    index: hashes_at(size, level as u8) / TILE_WIDTH,
                    width: hashes.len() as u16,
                };
                writes.insert(tile.path(), hashes.concat());
            }
        }
        if !bundle.is_empty() {
            let tile = Tile { level: None, index: size / TILE_WIDTH, width: bundle.len() as u16 };
            let mut data = Vec::new();
            for e in &bundle {
                push_entry(&mut data, e)?;
            }
            writes.insert(tile.path(), data);
        }
        let root = edge_root(&edge, size)?;
        // Tiles and bundles first.
        let mut paths: Vec<&String> = writes.keys().collect();
        paths.sort();
        for path in paths {
            self.storage.stage(path, &writes[path])?;
        }
        // The new tree extends the recorded one by construction: the old right edge is a prefix of the new.
        // Its tiles and its record commit together, before it is signed (see the module docs on recovery).
        self.storage.stage(STATE_PATH, &state_text(size, &root))?;
        self.storage.commit()?;
        self.size = size;
        self.root = root;
        self.edge = edge;
        self.bundle = bundle;
        Ok(first)
    }

    /// Appends journalled batches, which must start at the current size and follow on, then removes their
    /// journal files. The tree is durable when this returns but not signed: see [`Log::publish`].
    pub fn integrate(&mut self, batches: &[journal::Batch]) -> Result<(), Error> {
        let mut next = self.size;
        for b in batches {
            if b.first != next {
                return Err(Error::Stopped(format!(
                    "journalled batch at index {} does not follow the tree of size {next}",
                    b.first
                )));
            }
            next += b.entries.len() as u64;
        }
        let entries: Vec<Vec<u8>> =
            batches.iter().flat_map(|b| b.entries.iter().cloned()).collect();
        self.append_durable(&entries)?;
        self.forget(batches)
    }

    /// Removes the journal segments the tree now holds wholly: those before the last batch's segment
    /// (the sequencer has closed them, and their batches came first). The last batch's segment may still
    /// be written to, so it stays. Not durable, and need not be: a segment that comes back after a crash
    /// holds only entries below the recorded size, which are skipped, and it is removed on opening.
    fn forget(&mut self, batches: &[journal::Batch]) -> Result<(), Error> {
        let Some(last) = batches.last() else { return Ok(()) };
        self.segments.extend(batches.iter().map(|b| b.segment));
        let closed: Vec<u64> = self.segments.range(..last.segment).copied().collect();
        for segment in closed {
            self.storage.remove(&journal::path(segment))?;
            self.segments.remove(&segment);
        }
        Ok(())
    }

    /// The inclusion proof of entry `index` in the current tree, from the log's own (authenticated) tiles.
    pub fn prove(&self, index: u64) -> Result<Vec<Hash>, Error> {
        let c = Checkpoint::parse(&self.checkpoint.text)?;
        let verifier = TileVerifier::new(&self.storage, &c)?;
        merkle::inclusion_proof(&verifier, index, c.size)
    }

    /// The entry at `index`.
    pub fn entry(&self, index: u64) -> Result<Vec<u8>, Error> {
        let c = Checkpoint::parse(&self.checkpoint.text)?;
        let verifier = TileVerifier::new(&self.storage, &c)?;
        let entries = verifier.entries(index / TILE_WIDTH)?;
        entries
            .into_iter()
            .nth((index % TILE_WIDTH) as usize)
            .ok_or_else(|| Error::Proof(format!("no entry {index}")))
    }
}
