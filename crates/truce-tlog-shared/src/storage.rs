//! [`SharedStorage`]: the writer's handle, the [`Storage`] a [`truce_tlog::log::Log`] writes through.
//!
//! Where each path goes ([`Place`]): the tree's record, the checkpoint, the journal and the private
//! files to PostgreSQL; tiles and bundles to the bucket. A commit is four steps, in this order (see the
//! crate docs for why): [`Commit::sort`] what was staged, [`claim`] the next tree, [`upload`] its tiles,
//! [`record`] the tree, the checkpoint and the private files in one fenced transaction, and then copy
//! the checkpoint to the bucket.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::Ordering;

use futures::StreamExt;
use object_store::ObjectStoreExt;
use sqlx::{Postgres, Row, Transaction};
use truce_tlog::Error;
use truce_tlog::checkpoint::Checkpoint;
use truce_tlog::client::TileReader;
use truce_tlog::journal::{self, JOURNAL_DIR, Record};
use truce_tlog::log::STATE_PATH;
use truce_tlog::note::Note;
use truce_tlog::publish::{CHECKPOINT_PATH, Published};
use truce_tlog::state::TreeState;
use truce_tlog::storage::Storage;
use truce_tlog::tile::Tile;

use crate::io;
use crate::shared::{Inner, Shared};

/// How many object-store requests a commit has in flight at once.
const PARALLEL_PUTS: usize = 16;

/// What a path of the log is, for the shared backend.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    /// The record of the last tree: a row, replaced by compare-and-swap.
    State,
    /// The signed checkpoint: a row (authoritative), copied to the bucket.
    Checkpoint,
    /// A journal segment: rows, one per appended record.
    Journal(i64),
    /// Another private file (under `.state/`): a row.
    Private,
    /// A tile or entry bundle: an object in the bucket.
    Tile(Tile),
}

impl Place {
    fn of(path: &str) -> Result<Place, Error> {
        if path == STATE_PATH {
            return Ok(Place::State);
        }
        if path == CHECKPOINT_PATH {
            return Ok(Place::Checkpoint);
        }
        if let Some(name) = path.strip_prefix(JOURNAL_DIR).and_then(|p| p.strip_prefix('/')) {
            let segment = name
                .parse::<u64>()
                .ok()
                .filter(|s| journal::path(*s) == path)
                .and_then(|s| i64::try_from(s).ok())
                .ok_or_else(|| Error::Tile(format!("{path} is not a journal segment")))?;
            return Ok(Place::Journal(segment));
        }
        if path.starts_with(".state/") {
            return Ok(Place::Private);
        }
        match Published::parse(path) {
            Ok(Published::Tile(tile)) => Ok(Place::Tile(tile)),
            _ => Err(Error::Tile(format!(
                "{path:?}: on shared storage a log holds its checkpoint, tiles, bundles and private files only"
            ))),
        }
    }
}

/// A handle for the log's writer (see the crate docs): stage, then commit.
pub struct SharedStorage {
    shared: Shared,
    staged: BTreeMap<String, Vec<u8>>,
    /// The tree's record as this handle last read or wrote it: the expected value of the next swap.
    known_state: Mutex<Option<Vec<u8>>>,
}

impl std::fmt::Debug for SharedStorage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SharedStorage").field("shared", &self.shared).finish_non_exhaustive()
    }
}

impl SharedStorage {
    pub(crate) fn new(shared: Shared) -> SharedStorage {
        SharedStorage { shared, staged: BTreeMap::new(), known_state: Mutex::new(None) }
    }

    /// The connection this handle writes through.
    pub fn shared(&self) -> &Shared {
        &self.shared
    }

    fn known_state(&self) -> Option<Vec<u8>> {
        self.known_state.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    fn set_known_state(&self, state: Option<Vec<u8>>) {
        *self.known_state.lock().unwrap_or_else(|p| p.into_inner()) = state;
    }
}

impl TileReader for SharedStorage {
    fn read(&self, path: &str) -> Result<Option<Vec<u8>>, Error> {
        let inner = self.shared.inner.clone();
        let place = Place::of(path)?;
        let path = path.to_string();
        let found = match place {
            Place::State | Place::Checkpoint => {
                let column = if place == Place::State { "state" } else { "checkpoint" };
                self.shared.run(async move {
                    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
                        "SELECT {column} FROM tlog_tree WHERE log = $1"
                    )))
                    .bind(&inner.log)
                    .fetch_optional(&inner.pool)
                    .await
                    .map_err(io)?;
                    Ok(row.and_then(|r| r.get::<Option<Vec<u8>>, _>(0)))
                })?
            }
            Place::Journal(segment) => self.shared.run(async move {
                let rows = sqlx::query(
                    "SELECT record FROM tlog_journal WHERE log = $1 AND segment = $2 ORDER BY seq",
                )
                .bind(&inner.log)
                .bind(segment)
                .fetch_all(&inner.pool)
                .await
                .map_err(io)?;
                Ok((!rows.is_empty())
                    .then(|| rows.iter().flat_map(|r| r.get::<Vec<u8>, _>(0)).collect()))
            })?,
            Place::Private => self.shared.run(async move {
                let row = sqlx::query("SELECT data FROM tlog_file WHERE log = $1 AND path = $2")
                    .bind(&inner.log)
                    .bind(&path)
                    .fetch_optional(&inner.pool)
                    .await
                    .map_err(io)?;
                Ok(row.map(|r| r.get::<Vec<u8>, _>(0)))
            })?,
            Place::Tile(tile) => {
                self.shared.run(async move { inner.get(&tile.path(), false).await })?
            }
        };
        if place == Place::State {
            self.set_known_state(found.clone());
        }
        Ok(found)
    }
}

/// The size and root a checkpoint note is for.
fn checkpoint_tree(note: &[u8]) -> Result<TreeState, Error> {
    let note = Note::parse(note)?;
    let c = Checkpoint::parse(&note.text)?;
    Ok(TreeState { size: c.size, root: c.root })
}

/// The tree's row: the record, the checkpoint, and the claim's token and tree.
struct TreeRow {
    state: Option<Vec<u8>>,
    checkpoint: Option<Vec<u8>>,
    claim_token: Option<i64>,
    claim: Option<Vec<u8>>,
}

impl TreeRow {
    /// The row, locked until `tx` ends; all `None` when the log has none yet.
    async fn lock(
        inner: &Inner,
        tx: &mut Transaction<'static, Postgres>,
    ) -> Result<TreeRow, Error> {
        let row = sqlx::query(
            "SELECT state, checkpoint, claim_token, claim FROM tlog_tree WHERE log = $1 FOR UPDATE",
        )
        .bind(&inner.log)
        .fetch_optional(&mut **tx)
        .await
        .map_err(io)?;
        Ok(match row {
            Some(r) => TreeRow {
                state: r.get(0),
                checkpoint: r.get(1),
                claim_token: r.get(2),
                claim: r.get(3),
            },
            None => TreeRow { state: None, checkpoint: None, claim_token: None, claim: None },
        })
    }
}

/// What one commit writes, sorted by where it goes.
struct Commit {
    /// Tiles and bundles, for the bucket.
    tiles: Vec<(Tile, Vec<u8>)>,
    /// The next tree's record: its bytes (what the compare-and-swap compares) and what they say.
    state: Option<(Vec<u8>, TreeState)>,
    /// The signed checkpoint.
    checkpoint: Option<Vec<u8>>,
    /// Other private files.
    private: Vec<(String, Vec<u8>)>,
}

impl Commit {
    /// Sorts what was staged; refuses what a commit may not hold (a journal segment, tiles without the
    /// tree that needs them, a record that does not parse).
    fn sort(staged: BTreeMap<String, Vec<u8>>) -> Result<Commit, Error> {
        let mut commit =
            Commit { tiles: Vec::new(), state: None, checkpoint: None, private: Vec::new() };
        for (path, data) in staged {
            match Place::of(&path)? {
                Place::Tile(tile) => commit.tiles.push((tile, data)),
                Place::State => {
                    let tree = TreeState::parse(&data)?;
                    commit.state = Some((data, tree));
                }
                Place::Checkpoint => commit.checkpoint = Some(data),
                Place::Private => commit.private.push((path, data)),
                Place::Journal(_) => {
                    return Err(Error::Tile(format!("{path}: journal segments are appended")));
                }
            }
        }
        if !commit.tiles.is_empty() && commit.state.is_none() {
            return Err(Error::Tile(
                "on shared storage, tiles are written only with the record of the tree that needs them"
                    .into(),
            ));
        }
        Ok(commit)
    }

    /// Whether anything is left for the database once the tiles are up.
    fn records_anything(&self) -> bool {
        self.state.is_some() || self.checkpoint.is_some() || !self.private.is_empty()
    }
}

/// Step 2: claims the next tree `new` (see the crate docs): fenced, the record must still be
/// `expected`, no other handle of this token may hold a claim, and the new tree may not run beyond the
/// journal.
async fn claim(
    inner: &Inner,
    expected: Option<&[u8]>,
    new: &[u8],
    tree: TreeState,
) -> Result<(), Error> {
    let fence = inner.fence.load(Ordering::SeqCst) as i64;
    let mut tx = inner.fenced().await?;
    let end = journal_end(inner, &mut tx).await?;
    let row = TreeRow::lock(inner, &mut tx).await?;
    if row.state.as_deref() != expected {
        return Err(Error::Stopped(
            "the tree's record changed since this server read it: another writer recorded a tree"
                .into(),
        ));
    }
    if row.claim_token == Some(fence) {
        return Err(Error::Stopped(
            "another handle of this server is recording the next tree: refusing to write beside it"
                .into(),
        ));
    }
    if tree.size > end {
        return Err(Error::Stopped(format!(
            "a tree of {} entries runs beyond the journal, which ends at {end}: on shared storage entries enter through the journal",
            tree.size
        )));
    }
    sqlx::query(
        "INSERT INTO tlog_tree (log, claim_token, claim) VALUES ($1, $2, $3)
         ON CONFLICT (log) DO UPDATE SET claim_token = EXCLUDED.claim_token, claim = EXCLUDED.claim",
    )
    .bind(&inner.log)
    .bind(fence)
    .bind(new)
    .execute(&mut *tx)
    .await
    .map_err(io)?;
    tx.commit().await.map_err(io)
}

/// Step 3: puts the tiles and bundles in the bucket, several at a time, after the claim and before the
/// record.
async fn upload(inner: &std::sync::Arc<Inner>, tiles: Vec<(Tile, Vec<u8>)>) -> Result<(), Error> {
    let mut puts = futures::stream::iter(tiles.into_iter().map(|(tile, data)| {
        let inner = inner.clone();
        async move { inner.put(Published::Tile(tile), data).await }
    }))
    .buffer_unordered(PARALLEL_PUTS);
    while let Some(done) = puts.next().await {
        done?;
    }
    Ok(())
}

/// Step 4: records the tree if its claim stands, stores the checkpoint if it is for the recorded tree
/// and not smaller than the stored one, and the private files: one fenced transaction.
async fn record(inner: &Inner, expected: Option<&[u8]>, commit: &Commit) -> Result<(), Error> {
    let mut tx = inner.fenced().await?;
    let row = TreeRow::lock(inner, &mut tx).await?;
    if let Some((new, _)) = &commit.state {
        let fence = inner.fence.load(Ordering::SeqCst) as i64;
        if row.state.as_deref() != expected
            || row.claim_token != Some(fence)
            || row.claim.as_ref() != Some(new)
        {
            return Err(Error::Stopped(
                "another writer recorded a tree, or claimed the next one, since this server read the record"
                    .into(),
            ));
        }
        sqlx::query(
            "UPDATE tlog_tree SET state = $2, claim_token = NULL, claim = NULL WHERE log = $1",
        )
        .bind(&inner.log)
        .bind(new)
        .execute(&mut *tx)
        .await
        .map_err(io)?;
    }
    if let Some(note) = &commit.checkpoint {
        let recorded = match &commit.state {
            Some((_, tree)) => *tree,
            None => TreeState::parse(row.state.as_deref().ok_or_else(|| {
                Error::Checkpoint("a checkpoint without a recorded tree".into())
            })?)?,
        };
        check_checkpoint(note, recorded, row.checkpoint.as_deref())?;
        sqlx::query("UPDATE tlog_tree SET checkpoint = $2 WHERE log = $1")
            .bind(&inner.log)
            .bind(note)
            .execute(&mut *tx)
            .await
            .map_err(io)?;
    }
    for (path, data) in &commit.private {
        sqlx::query(
            "INSERT INTO tlog_file (log, path, data) VALUES ($1, $2, $3)
             ON CONFLICT (log, path) DO UPDATE SET data = EXCLUDED.data",
        )
        .bind(&inner.log)
        .bind(path)
        .bind(data)
        .execute(&mut *tx)
        .await
        .map_err(io)?;
    }
    tx.commit().await.map_err(io)
}

/// A checkpoint is stored only for the recorded tree, and never over a larger one.
fn check_checkpoint(note: &[u8], recorded: TreeState, stored: Option<&[u8]>) -> Result<(), Error> {
    let tree = checkpoint_tree(note)?;
    if tree != recorded {
        return Err(Error::Checkpoint(format!(
            "refusing to store a checkpoint of size {} that is not the recorded tree",
            tree.size
        )));
    }
    if let Some(old) = stored
        && checkpoint_tree(old).is_ok_and(|old| old.size > tree.size)
    {
        return Err(Error::Checkpoint(format!(
            "refusing to store a checkpoint of size {} over one of a larger size",
            tree.size
        )));
    }
    Ok(())
}

/// Where the journal ends: after its last record, or at the recorded tree's size when it is empty.
/// Locks the tree's row, so that journal records and tree records are decided one at a time.
async fn journal_end(inner: &Inner, tx: &mut Transaction<'static, Postgres>) -> Result<u64, Error> {
    let row = sqlx::query("SELECT state FROM tlog_tree WHERE log = $1 FOR UPDATE")
        .bind(&inner.log)
        .fetch_optional(&mut **tx)
        .await
        .map_err(io)?;
    let recorded = match row.and_then(|r| r.get::<Option<Vec<u8>>, _>(0)) {
        Some(state) => TreeState::parse(&state)?.size,
        None => 0,
    };
    let last = sqlx::query("SELECT max(first + count) FROM tlog_journal WHERE log = $1")
        .bind(&inner.log)
        .fetch_one(&mut **tx)
        .await
        .map_err(io)?
        .get::<Option<i64>, _>(0);
    Ok(last.map_or(recorded, |l| (l as u64).max(recorded)))
}

impl Storage for SharedStorage {
    fn stage(&mut self, path: &str, data: &[u8]) -> Result<(), Error> {
        Place::of(path)?;
        self.shared.inner.object(path)?;
        self.staged.insert(path.to_string(), data.to_vec());
        Ok(())
    }

    fn commit(&mut self) -> Result<(), Error> {
        let mut commit = Commit::sort(std::mem::take(&mut self.staged))?;
        let inner = self.shared.inner.clone();
        let expected = self.known_state();
        let new_state = commit.state.as_ref().map(|(bytes, _)| bytes.clone());
        self.shared.run(async move {
            let expected = expected.as_deref();
            if let Some((new, tree)) = &commit.state {
                claim(&inner, expected, new, *tree).await?;
            }
            upload(&inner, std::mem::take(&mut commit.tiles)).await?;
            if !commit.records_anything() {
                return Ok(());
            }
            record(&inner, expected, &commit).await?;
            // The bucket's copy, for readers that fetch from the bucket (or a CDN) directly.
            if let Some(note) = commit.checkpoint {
                inner.put(Published::Checkpoint, note).await?;
            }
            Ok(())
        })?;
        if new_state.is_some() {
            self.set_known_state(new_state);
        }
        Ok(())
    }

    fn append(&mut self, path: &str, data: &[u8]) -> Result<(), Error> {
        let Place::Journal(segment) = Place::of(path)? else {
            return Err(Error::Tile(format!("{path}: only journal segments are appended to")));
        };
        let record = Record::parse(data)?;
        // `Record::parse` holds every index below 2^63: they fit the columns.
        let (first, count) = (record.first as i64, record.count() as i64);
        let inner = self.shared.inner.clone();
        let data = data.to_vec();
        self.shared.run(async move {
            let mut tx = inner.fenced().await?;
            let end = journal_end(&inner, &mut tx).await?;
            if first as u64 != end {
                return Err(Error::Stopped(format!(
                    "the journal ends at index {end}; refusing a record that starts at {first}"
                )));
            }
            sqlx::query(
                "INSERT INTO tlog_journal (log, segment, first, count, record) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(&inner.log)
            .bind(segment)
            .bind(first)
            .bind(count)
            .bind(&data)
            .execute(&mut *tx)
            .await
            .map_err(io)?;
            tx.commit().await.map_err(io)
        })
    }

    fn remove(&mut self, path: &str) -> Result<(), Error> {
        let inner = self.shared.inner.clone();
        let place = Place::of(path)?;
        let path = path.to_string();
        self.shared.run(async move {
            match place {
                Place::Tile(tile) => {
                    inner.forget(&tile.path());
                    match inner.bucket.store.delete(&inner.object(&tile.path())?).await {
                        Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
                        Err(e) => Err(io(e)),
                    }
                }
                Place::Journal(segment) => {
                    let mut tx = inner.fenced().await?;
                    sqlx::query("DELETE FROM tlog_journal WHERE log = $1 AND segment = $2")
                        .bind(&inner.log)
                        .bind(segment)
                        .execute(&mut *tx)
                        .await
                        .map_err(io)?;
                    tx.commit().await.map_err(io)
                }
                Place::Private => {
                    let mut tx = inner.fenced().await?;
                    sqlx::query("DELETE FROM tlog_file WHERE log = $1 AND path = $2")
                        .bind(&inner.log)
                        .bind(&path)
                        .execute(&mut *tx)
                        .await
                        .map_err(io)?;
                    tx.commit().await.map_err(io)
                }
                Place::State | Place::Checkpoint => {
                    Err(Error::Tile(format!("{path}: the tree's record is never removed")))
                }
            }
        })
    }

    fn list(&self, dir: &str) -> Result<Vec<String>, Error> {
        let inner = self.shared.inner.clone();
        let dir = dir.trim_end_matches('/').to_string();
        self.shared.run(async move {
            if dir == JOURNAL_DIR {
                let rows = sqlx::query("SELECT DISTINCT segment FROM tlog_journal WHERE log = $1")
                    .bind(&inner.log)
                    .fetch_all(&inner.pool)
                    .await
                    .map_err(io)?;
                return Ok(rows.iter().map(|r| format!("{:020}", r.get::<i64, _>(0))).collect());
            }
            if dir == ".state" || dir.starts_with(".state/") {
                let rows = sqlx::query("SELECT path FROM tlog_file WHERE log = $1")
                    .bind(&inner.log)
                    .fetch_all(&inner.pool)
                    .await
                    .map_err(io)?;
                let prefix = format!("{dir}/");
                return Ok(rows
                    .iter()
                    .filter_map(|r| {
                        let p: String = r.get(0);
                        p.strip_prefix(&prefix).filter(|n| !n.contains('/')).map(str::to_string)
                    })
                    .collect());
            }
            let listing = inner
                .bucket
                .store
                .list_with_delimiter(Some(&inner.object(&dir)?))
                .await
                .map_err(io)?;
            Ok(listing
                .objects
                .iter()
                .filter_map(|o| o.location.filename().map(str::to_string))
                .collect())
        })
    }

    fn try_clone(&self) -> Result<Self, Error> {
        Ok(self.shared.storage())
    }

    /// Drops a claim a cut-short commit left (the log is being opened: nothing else of this writer
    /// commits). Without the lease nothing is cleared, and nothing needs to be: a new holder's claim
    /// replaces an old token's.
    fn clean(&mut self) -> Result<usize, Error> {
        let inner = self.shared.inner.clone();
        self.shared.run(async move {
            let Ok(mut tx) = inner.fenced().await else { return Ok(0) };
            let cleared = sqlx::query(
                "UPDATE tlog_tree SET claim_token = NULL, claim = NULL WHERE log = $1 AND claim IS NOT NULL",
            )
            .bind(&inner.log)
            .execute(&mut *tx)
            .await
            .map_err(io)?;
            tx.commit().await.map_err(io)?;
            Ok(cleared.rows_affected() as usize)
        })
    }
}

#[cfg(test)]
mod tests;
