//! A verifying client of a tlog-tiles log: every tile is authenticated before any hash in it is used.
//!
//! Trust flows down from the checkpoint:
//! - The right-edge (partial) tiles of every level are authenticated together, by recomputing the root
//!   from them and comparing it with the checkpoint's root: every hash of a partial tile enters the root.
//! - A full tile is authenticated by its parent: the hash of its 256 hashes must equal the parent tile's
//!   entry for it, and the parent must itself be authenticated first.
//! - An entry bundle is authenticated by the level-0 tile: each entry's leaf hash must equal the tile's hash.
//!
//! A hash read from a tile is therefore never trusted before its tile is verified (the gap found in other
//! tile readers, which skip the parent check for some child tiles, cannot occur here).

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use crate::Error;
use crate::checkpoint::Checkpoint;
use crate::merkle::{self, Hash, HashSource, leaf_hash, node_hash};
use crate::tile::{
    TILE_HEIGHT, TILE_WIDTH, Tile, hashes_at, parse_bundle, parse_hashes, tile_width,
};

/// The hashes of one tile, shared.
type TileHashes = Rc<Vec<Hash>>;

/// The internal Merkle levels of one authenticated tile: `levels[h][k]` is the root of hashes
/// `[k·2^h, (k+1)·2^h)` of the tile (complete chunks only). Level 0 is the tile itself.
type TileTree = Rc<Vec<Vec<Hash>>>;

fn tile_tree(hashes: &[Hash]) -> Vec<Vec<Hash>> {
    let mut levels = vec![hashes.to_vec()];
    while levels.last().is_some_and(|l| l.len() > 1) {
        // The loop condition saw a last level, so `last` cannot fail.
        let prev = levels.last().expect("non-empty");
        let next: Vec<Hash> = prev.chunks_exact(2).map(|p| node_hash(&p[0], &p[1])).collect();
        if next.is_empty() {
            break;
        }
        levels.push(next);
    }
    levels
}

/// Reads the raw bytes of log resources by path (`checkpoint`, `tile/0/000`, …). Returns `None` when absent.
pub trait TileReader {
    /// The bytes at `path`, relative to the log's prefix.
    fn read(&self, path: &str) -> Result<Option<Vec<u8>>, Error>;
}

/// Authenticated access to the tiles of one checkpointed tree.
pub struct TileVerifier<'r> {
    reader: &'r dyn TileReader,
    size: u64,
    root: Hash,
    /// Authenticated tiles, by (level, index).
    tiles: RefCell<HashMap<(u8, u64), TileHashes>>,
    /// Internal levels of authenticated tiles, computed on first use.
    trees: RefCell<HashMap<(u8, u64), TileTree>>,
}

impl<'r> TileVerifier<'r> {
    /// Fetches the right-edge tiles of the tree in `checkpoint` and authenticates them against its root.
    /// The checkpoint's signature must have been verified by the caller.
    pub fn new(
        reader: &'r dyn TileReader,
        checkpoint: &Checkpoint,
    ) -> Result<TileVerifier<'r>, Error> {
        let v = TileVerifier {
            reader,
            size: checkpoint.size,
            root: checkpoint.root,
            tiles: RefCell::new(HashMap::new()),
            trees: RefCell::new(HashMap::new()),
        };
        let mut partial: HashMap<(u8, u64), TileHashes> = HashMap::new();
        for level in 0..=63u8 {
            let n = hashes_at(v.size, level);
            if n == 0 {
                break;
            }
            if !n.is_multiple_of(TILE_WIDTH) {
                let tile = Tile {
                    level: Some(level),
                    index: n / TILE_WIDTH,
                    width: (n % TILE_WIDTH) as u16,
                };
                partial.insert((level, tile.index), Rc::new(v.fetch(&tile)?));
            }
        }
        // The root from the partial tiles alone: the size's decomposition lies entirely in them.
        struct Partials<'a>(&'a HashMap<(u8, u64), TileHashes>);
        impl HashSource for Partials<'_> {
            fn hash(&self, level: u8, index: u64) -> Result<Hash, Error> {
                subtree_from(level, index, |tl, ti| {
                    self.0.get(&(tl, ti)).cloned().ok_or_else(|| {
                        Error::Tampered(format!("tile {tl}/{ti} is not at the right edge"))
                    })
                })
            }
        }
        let root = merkle::tree_hash(&Partials(&partial), v.size)?;
        if root != v.root {
            let mut edge: Vec<String> = (0..=63u8)
                .filter_map(|level| {
                    let n = hashes_at(v.size, level);
                    (n > 0 && !n.is_multiple_of(TILE_WIDTH)).then(|| {
                        let width = (n % TILE_WIDTH) as u16;
                        Tile { level: Some(level), index: n / TILE_WIDTH, width }.path()
                    })
                })
                .collect();
            edge.dedup();
            return Err(Error::Tampered(format!(
                "the right-edge tiles ({}) give root {}, not the root of the checkpoint of size {}",
                edge.join(", "),
                hex(&root),
                v.size
            )));
        }
        v.tiles.borrow_mut().extend(partial);
        Ok(v)
    }

    /// The tree size.
    pub fn size(&self) -> u64 {
        self.size
    }

    fn fetch(&self, tile: &Tile) -> Result<Vec<Hash>, Error> {
        let path = tile.path();
        let data = match self.reader.read(&path)? {
            Some(d) => d,
            // A full tile may be served in place of a partial one it extends (tlog-tiles §"Partial tiles").
            None if usize::from(tile.width) < TILE_WIDTH as usize => {
                let full = Tile { width: TILE_WIDTH as u16, ..*tile };
                let data = self
                    .reader
                    .read(&full.path())?
                    .ok_or_else(|| Error::Tampered(format!("{path} is missing")))?;
                data.get(..32 * usize::from(tile.width))
                    .map(<[u8]>::to_vec)
                    .ok_or_else(|| Error::Tampered(format!("{path} is short")))?
            }
            None => return Err(Error::Tampered(format!("{path} is missing"))),
        };
        parse_hashes(&data, tile.width).map_err(|e| Error::Tampered(format!("{path}: {e}")))
    }

    /// The authenticated hashes of tile (`level`, `index`).
    pub fn tile(&self, level: u8, index: u64) -> Result<TileHashes, Error> {
        if let Some(t) = self.tiles.borrow().get(&(level, index)) {
            return Ok(t.clone());
        }
        let width = tile_width(self.size, level, index).ok_or_else(|| {
            Error::Proof(format!("tile {level}/{index} is beyond the tree of size {}", self.size))
        })?;
        if u64::from(width) < TILE_WIDTH {
            // Right-edge tiles were all authenticated in `new`.
            return Err(Error::Tampered(format!("tile {level}/{index} was not authenticated")));
        }
        let tile = Tile { level: Some(level), index, width };
        let hashes = self.fetch(&tile)?;
        // A full tile is the subtree at tree level 8(level + 1), index `index`: its parent tile holds its hash.
        let parent = self.tile(level + 1, index / TILE_WIDTH)?;
        let expected = parent[(index % TILE_WIDTH) as usize];
        if merkle::complete_root(&hashes) != expected {
            return Err(Error::Tampered(format!("{} does not match its parent tile", tile.path())));
        }
        let hashes = Rc::new(hashes);
        self.tiles.borrow_mut().insert((level, index), hashes.clone());
        Ok(hashes)
    }

    /// The entries of bundle `index`, each checked against its authenticated leaf hash.
    pub fn entries(&self, index: u64) -> Result<Vec<Vec<u8>>, Error> {
        let mut out = Vec::new();
        self.each_entry(index, &mut |e| out.push(e.to_vec()))?;
        Ok(out)
    }

    /// Checks bundle `index` against its authenticated leaf hashes, handing each entry to `f` without copying.
    /// Returns the number of entries.
    pub fn each_entry(&self, index: u64, f: &mut dyn FnMut(&[u8])) -> Result<usize, Error> {
        let width = tile_width(self.size, 0, index)
            .ok_or_else(|| Error::Proof(format!("bundle {index} is beyond the tree")))?;
        let (path, data) = read_bundle(self.reader, index, width)?;
        let entries = bundle_entries(&path, &data)?;
        let hashes = self.tile(0, index)?;
        for (i, entry) in entries.iter().take(usize::from(width)).enumerate() {
            if leaf_hash(entry) != hashes[i] {
                return Err(Error::Tampered(format!(
                    "{path}: entry {} does not match its leaf hash",
                    index * TILE_WIDTH + i as u64
                )));
            }
            f(entry);
        }
        Ok(usize::from(width))
    }
}

/// Reads entry bundle `index` of a tree in which it holds `width` entries: the partial bundle of that
/// width, or, when the log has grown since, the full one. Returns the path read and its bytes.
fn read_bundle(
    reader: &dyn TileReader,
    index: u64,
    width: u16,
) -> Result<(String, Vec<u8>), Error> {
    let bundle = Tile { level: None, index, width };
    let path = bundle.path();
    if let Some(d) = reader.read(&path)? {
        return Ok((path, d));
    }
    let full = Tile { width: TILE_WIDTH as u16, ..bundle }.path();
    match reader.read(&full)? {
        Some(d) => Ok((full, d)),
        None => Err(Error::Tampered(format!("{path} is missing"))),
    }
}

/// The entries of the bundle at `path`, which must hold exactly as many as its path says (256 for a full
/// bundle, W for `.p/W`), and nothing after them (c2sp.org/tlog-tiles).
fn bundle_entries<'d>(path: &str, data: &'d [u8]) -> Result<Vec<&'d [u8]>, Error> {
    let entries = parse_bundle(data).map_err(|e| Error::Tampered(format!("{path}: {e}")))?;
    let want = Tile::parse(path).map_or(TILE_WIDTH as usize, |t| usize::from(t.width));
    if entries.len() != want {
        return Err(Error::Tampered(format!(
            "{path} holds {} entries, expected exactly {want}",
            entries.len()
        )));
    }
    Ok(entries)
}

/// The subtree hash at tree (`level`, `index`) from the tile that contains it, via `tile(tile level, tile index)`.
fn subtree_from(
    level: u8,
    index: u64,
    tile: impl Fn(u8, u64) -> Result<TileHashes, Error>,
) -> Result<Hash, Error> {
    let tile_level = level / TILE_HEIGHT;
    let height = u32::from(level % TILE_HEIGHT);
    let first = index << height;
    let hashes = tile(tile_level, first / TILE_WIDTH)?;
    let start = (first % TILE_WIDTH) as usize;
    let chunk = hashes.get(start..start + (1usize << height)).ok_or_else(|| {
        Error::Tampered(format!("tile {tile_level}/{} is too short", first / TILE_WIDTH))
    })?;
    Ok(merkle::complete_root(chunk))
}

impl HashSource for TileVerifier<'_> {
    fn hash(&self, level: u8, index: u64) -> Result<Hash, Error> {
        let tile_level = level / TILE_HEIGHT;
        let height = usize::from(level % TILE_HEIGHT);
        let first = index << height;
        let key = (tile_level, first / TILE_WIDTH);
        let cached = self.trees.borrow().get(&key).cloned();
        let tree = match cached {
            Some(t) => t,
            None => {
                let hashes = self.tile(key.0, key.1)?;
                let tree = Rc::new(tile_tree(&hashes));
                self.trees.borrow_mut().insert(key, tree.clone());
                tree
            }
        };
        let k = ((first % TILE_WIDTH) as usize) >> height;
        tree.get(height)
            .and_then(|l| l.get(k))
            .copied()
            .ok_or_else(|| Error::Tampered(format!("tile {}/{} is too short", key.0, key.1)))
    }
}

fn hex(h: &Hash) -> String {
    h.iter().map(|b| format!("{b:02x}")).collect()
}

/// What an audit found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditReport {
    /// Entries checked against their leaf hashes.
    pub entries: u64,
    /// Tiles authenticated.
    pub tiles: u64,
}

/// Audits a whole checkpointed log: every tile authenticated, every entry checked against its leaf hash.
/// `progress(entries_done)` is called after each bundle.
pub fn audit(
    verifier: &TileVerifier<'_>,
    progress: &mut dyn FnMut(u64),
) -> Result<AuditReport, Error> {
    let mut entries = 0;
    let bundles = verifier.size.div_ceil(TILE_WIDTH);
    for index in 0..bundles {
        entries += verifier.each_entry(index, &mut |_| {})? as u64;
        progress(entries);
    }
    // Tiles above level 0 that no level-0 tile needed (there are none in a complete audit), counted as cached.
    let tiles = verifier.tiles.borrow().len() as u64;
    Ok(AuditReport { entries, tiles })
}

/// Checks that the tree in `verifier` extends an older checkpoint, by recomputing the older root from the
/// authenticated tiles and checking a consistency proof built from them.
pub fn check_consistency(verifier: &TileVerifier<'_>, old: &Checkpoint) -> Result<(), Error> {
    if old.size > verifier.size {
        return Err(Error::Proof(format!(
            "the saved checkpoint ({}) is larger than the log ({})",
            old.size, verifier.size
        )));
    }
    if old.size == 0 {
        return if old.root == merkle::empty_hash() {
            Ok(())
        } else {
            Err(Error::Proof("size 0 with a non-empty root".into()))
        };
    }
    let proof = merkle::consistency_proof(verifier, old.size, verifier.size)?;
    merkle::verify_consistency(old.size, verifier.size, &old.root, &verifier.root, &proof)
}

/// [`audit`] on several threads: tiles are authenticated first (on this thread), then bundles are read and
/// every entry hashed and compared in parallel. `reader` must be shareable across threads.
pub fn audit_parallel(
    reader: &(dyn TileReader + Sync),
    checkpoint: &Checkpoint,
    threads: usize,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<AuditReport, Error> {
    let verifier = TileVerifier::new(reader, checkpoint)?;
    let bundles = checkpoint.size.div_ceil(TILE_WIDTH);
    let tiles: Vec<Vec<Hash>> = (0..bundles)
        .map(|i| verifier.tile(0, i).map(|t| t.as_ref().clone()))
        .collect::<Result<_, _>>()?;
    let tile_count = verifier.tiles.borrow().len() as u64;
    let done = std::sync::atomic::AtomicU64::new(0);
    let size = checkpoint.size;
    let chunk = (bundles as usize).div_ceil(threads.max(1)).max(1);
    std::thread::scope(|s| {
        let handles: Vec<_> = tiles
            .chunks(chunk)
            .enumerate()
            .map(|(c, group)| {
                let done = &done;
                s.spawn(move || -> Result<(), Error> {
                    for (k, hashes) in group.iter().enumerate() {
                        let index = (c * chunk + k) as u64;
                        let width = tile_width(size, 0, index).unwrap_or(0);
                        let (path, data) = read_bundle(reader, index, width)?;
                        let entries = bundle_entries(&path, &data)?;
                        for (i, entry) in entries.iter().take(usize::from(width)).enumerate() {
                            if leaf_hash(entry) != hashes[i] {
                                return Err(Error::Tampered(format!(
                                    "{path}: entry {} does not match its leaf hash",
                                    index * TILE_WIDTH + i as u64
                                )));
                            }
                        }
                        let n = done
                            .fetch_add(u64::from(width), std::sync::atomic::Ordering::Relaxed)
                            + u64::from(width);
                        progress(n);
                    }
                    Ok(())
                })
            })
            .collect();
        handles.into_iter().try_for_each(|h| {
            h.join().unwrap_or_else(|_| Err(Error::Stopped("an audit thread panicked".into())))
        })
    })?;
    Ok(AuditReport { entries: done.into_inner(), tiles: tile_count })
}

/// Reads the log's `checkpoint` and checks the log's signature on it: the start of every read of a log.
pub fn signed_checkpoint(
    reader: &dyn TileReader,
    key: &crate::note::NoteVerifier,
) -> Result<(crate::note::Note, Checkpoint), Error> {
    let bytes = reader
        .read("checkpoint")?
        .ok_or_else(|| Error::Checkpoint("the log has no checkpoint".into()))?;
    let note = crate::note::Note::parse(&bytes)?;
    crate::note::verify_note(&note, std::slice::from_ref(key)).map_err(|e| {
        Error::Note(format!("the checkpoint is not signed by the log's key {}: {e}", key.name))
    })?;
    let checkpoint = Checkpoint::parse(&note.text)?;
    Ok((note, checkpoint))
}

/// The entries of an authenticated tree from one index on, in order, with their indices: each bundle is
/// read and checked against its authenticated leaf hashes before any of its entries is handed out. Made
/// by [`TileVerifier::entries_from`]; every replay of a log goes through it.
pub struct VerifiedEntries<'v, 'r> {
    verifier: &'v TileVerifier<'r>,
    next: u64,
    bundle: std::vec::IntoIter<Vec<u8>>,
    failed: bool,
}

impl Iterator for VerifiedEntries<'_, '_> {
    type Item = Result<(u64, Vec<u8>), Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed || self.next >= self.verifier.size {
            return None;
        }
        if self.bundle.len() == 0 {
            let index = self.next / TILE_WIDTH;
            match self.verifier.entries(index) {
                Ok(entries) => {
                    let skip = (self.next % TILE_WIDTH) as usize;
                    self.bundle = entries.into_iter().skip(skip).collect::<Vec<_>>().into_iter();
                }
                Err(e) => {
                    self.failed = true;
                    return Some(Err(e));
                }
            }
        }
        let entry = self.bundle.next()?;
        let index = self.next;
        self.next += 1;
        Some(Ok((index, entry)))
    }
}

impl<'r> TileVerifier<'r> {
    /// Every entry from index `from` to the tree's size, authenticated bundle by bundle.
    pub fn entries_from(&self, from: u64) -> VerifiedEntries<'_, 'r> {
        VerifiedEntries {
            verifier: self,
            next: from,
            bundle: Vec::new().into_iter(),
            failed: false,
        }
    }
}

/// Entry `index` of the tree that `note` signs (its [`Checkpoint`] already verified by the caller, as
/// [`signed_checkpoint`] does), with its inclusion proof as a C2SP `tlog-proof` file: every tile read
/// is authenticated against the checkpoint, so a reader that lies is caught here, not believed.
pub fn prove(
    reader: &dyn TileReader,
    note: &crate::note::Note,
    checkpoint: &Checkpoint,
    index: u64,
) -> Result<(crate::proof::ProofFile, Vec<u8>), Error> {
    if index >= checkpoint.size {
        return Err(Error::Proof(format!(
            "entry {index} is not in the checkpoint, which holds {} entries (0 to {})",
            checkpoint.size,
            checkpoint.size.saturating_sub(1)
        )));
    }
    let verifier = TileVerifier::new(reader, checkpoint)?;
    let proof = merkle::inclusion_proof(&verifier, index, checkpoint.size)?;
    let entry = verifier
        .entries(index / TILE_WIDTH)?
        .into_iter()
        .nth((index % TILE_WIDTH) as usize)
        .ok_or_else(|| Error::Proof(format!("no entry {index} in its bundle")))?;
    let file = crate::proof::ProofFile { extra: None, index, proof, checkpoint: note.clone() };
    Ok((file, entry))
}
