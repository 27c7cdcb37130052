//! The observation log this server writes, its two replayed views, and recovery from storage faults.
//!
//! # Two views, two locks
//!
//! - The **writer's view** ([`Watch::submit`], guarded by `checker`, a mutex): the log's rules over
//!   every entry queued, durable or not, so that entries are checked in log order and each sees the ones
//!   before it (sequence numbers, the verification state machine). Only submissions take this lock.
//! - The **durable view** (`state`, a read-write lock): the compliance of every entry the sequencer has
//!   acknowledged as durable, applied in log order by one applier thread. Readers (reports, exports,
//!   pages, metrics) take its read lock, never the writer's; the applier takes the write lock only to
//!   apply the entries that became durable, and is not on the acknowledgement's path, so a slow reader
//!   delays what others see, never a submission. Nothing that is not durable is ever in this view.
//!
//! # Faults
//!
//! When the storage fails, the sequencer stops, and every submission waiting on it fails (503). The
//! watch is then unready ([`Watch::ready`], `/readyz`) and a recovery thread retries every half second:
//! it probes the storage with a write, reopens the log (which integrates the journal), applies to the
//! durable view whatever the log holds beyond it (entries whose acknowledgement the fault cut off),
//! rebuilds the writer's view from the durable one, and starts a new sequencer. Writing resumes without
//! a restart.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock, RwLockReadGuard, mpsc};
use std::time::Duration;

use truce_tlog::log::Log;
use truce_tlog::note::NoteSigner;
use truce_tlog::sequencer::{Receipt, Sequencer, SequencerConfig};
use truce_tlog::storage::{FsStorage, Storage};
use truce_watch::compliance::Compliance;
use truce_watch::entry::Entry;
use truce_watch::registry::Registry;

use crate::AppError;

/// Cached tiles: the bytes held, and the tiles by path.
type TileCache = (usize, std::collections::HashMap<String, Arc<Vec<u8>>>);

/// How many bytes of full tiles a server keeps in memory for the read path.
pub const TILE_CACHE_BYTES: usize = 64 << 20;

/// What the applier thread is told.
enum Apply {
    /// An entry acknowledged as durable at this index.
    Entry(u64, Box<Entry>),
    /// Answer once everything sent before has been applied.
    Sync(mpsc::Sender<()>),
}

/// The observation log this server writes, and the compliance of its agreement, kept up to date.
pub struct Watch {
    /// The log's directory (tiles, checkpoint).
    pub dir: PathBuf,
    /// The agreement's TOML.
    pub agreement_text: String,
    signer: NoteSigner,
    config: SequencerConfig,
    /// While set, the log's storage fails every write (tests and drills simulate a failing disk).
    fault_switch: Option<Arc<AtomicBool>>,
    /// The group-commit writer; replaced when the log is reopened after a fault.
    sequencer: Mutex<Arc<Sequencer>>,
    /// The writer's view: the log's rules over every entry queued. Only submissions lock it.
    checker: Mutex<Registry>,
    /// The durable view: compliance over every durable entry, in log order.
    state: Arc<RwLock<Compliance<'static>>>,
    /// To the applier thread, which puts durable entries into `state` in log order.
    applier: mpsc::Sender<Apply>,
    /// The size of the durable view, kept by the applier (read without a lock).
    applied: Arc<std::sync::atomic::AtomicU64>,
    /// Why writing is stopped, while it is.
    faulted: Mutex<Option<String>>,
    /// Whether a recovery thread runs.
    recovering: AtomicBool,
    /// Full tiles and bundles already served (they never change), up to [`TILE_CACHE_BYTES`].
    tiles: Mutex<TileCache>,
}

/// Why a submission was not queued.
#[derive(Debug)]
pub enum Refusal {
    /// The log's rules refuse it.
    Rules(truce_watch::Error),
    /// The pending pool is full.
    Pushback,
    /// Writing is stopped after a storage fault; recovery is under way.
    Unavailable(String),
}

fn storage(dir: &Path, switch: &Option<Arc<AtomicBool>>) -> Result<FsStorage, String> {
    let s = FsStorage::open(dir).map_err(|e| e.to_string())?;
    Ok(match switch {
        Some(sw) => s.with_fault_switch(sw.clone()),
        None => s,
    })
}

impl Watch {
    /// Opens (or creates) the log in `dir` with `signer`, replays it, and serves `agreement`.
    pub fn open(
        dir: &Path,
        signer: NoteSigner,
        agreement_text: &str,
        config: SequencerConfig,
    ) -> Result<Arc<Watch>, String> {
        Watch::open_with(dir, signer, agreement_text, config, None)
    }

    /// [`Watch::open`], with a switch that makes the log's storage fail every write while it is set.
    pub fn open_with(
        dir: &Path,
        signer: NoteSigner,
        agreement_text: &str,
        config: SequencerConfig,
        fault_switch: Option<Arc<AtomicBool>>,
    ) -> Result<Arc<Watch>, String> {
        let (agreement, diags) = truce_accord::parse("agreement.toml", agreement_text);
        let agreement = agreement
            .ok_or_else(|| diags.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("\n"))?;
        // The server holds one agreement for its whole life; compliance borrows it.
        let agreement: &'static truce_accord::Agreement = Box::leak(Box::new(agreement));
        let storage = storage(dir, &fault_switch)?;
        let log = if dir.join(truce_tlog::log::STATE_PATH).exists() {
            Log::open(storage, signer.clone()).map_err(|e| e.to_string())?
        } else {
            Log::create(storage, signer.clone()).map_err(|e| e.to_string())?
        };
        let mut compliance = Compliance::new(agreement);
        let checkpoint = truce_tlog::checkpoint::Checkpoint::parse(&log.checkpoint().text)
            .map_err(|e| e.to_string())?;
        for_each_entry(dir, &checkpoint, 0, &mut |_, e| compliance.apply(e))?;
        let checker = compliance.registry().clone();
        let sequencer = Sequencer::start(log, config).map_err(|e| e.to_string())?;
        let applied = Arc::new(std::sync::atomic::AtomicU64::new(compliance.registry().size));
        let state = Arc::new(RwLock::new(compliance));
        let (applier, jobs) = mpsc::channel::<Apply>();
        let (view, size) = (state.clone(), applied.clone());
        std::thread::Builder::new()
            .name("truce-applier".into())
            .spawn(move || apply_durable(&view, &size, jobs))
            .map_err(|e| e.to_string())?;
        Ok(Arc::new(Watch {
            dir: dir.to_path_buf(),
            agreement_text: agreement_text.to_string(),
            signer,
            config,
            fault_switch,
            sequencer: Mutex::new(Arc::new(sequencer)),
            checker: Mutex::new(checker),
            state,
            applier,
            applied,
            faulted: Mutex::new(None),
            recovering: AtomicBool::new(false),
            tiles: Mutex::new((0, std::collections::HashMap::new())),
        }))
    }

    /// The log's public key, as a signed-note verifier key (`origin+keyid+base64`).
    pub fn vkey(&self) -> String {
        self.signer.verifier().vkey()
    }

    /// The group-commit writer in service.
    pub fn sequencer(&self) -> Arc<Sequencer> {
        self.sequencer.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// The size of the newest signed checkpoint.
    pub fn size(&self) -> u64 {
        crate::note_size(&self.sequencer().checkpoint())
    }

    /// The durable view, for reading.
    pub fn read(&self) -> Result<RwLockReadGuard<'_, Compliance<'static>>, AppError> {
        self.state.read().map_err(|_| AppError::Internal("state lock poisoned".into()))
    }

    /// How many entries the durable view holds.
    pub fn applied(&self) -> u64 {
        self.applied.load(Ordering::Acquire)
    }

    /// The sequence number the next entry by `key` (hex) must at least carry, counting entries queued.
    pub fn next_seq(&self, key: &str) -> u64 {
        self.checker.lock().unwrap_or_else(|p| p.into_inner()).next_seq(key)
    }

    /// Why writing is stopped, if it is.
    pub fn ready(&self) -> Result<(), String> {
        match &*self.faulted.lock().unwrap_or_else(|p| p.into_inner()) {
            Some(why) => Err(why.clone()),
            None => Ok(()),
        }
    }

    /// Checks `entry` (whose canonical bytes are `bytes`) against the log's rules and queues it; returns
    /// the receipt and the index it will have. The caller awaits the receipt, then calls
    /// [`Watch::durable`].
    pub fn submit(
        self: &Arc<Self>,
        entry: &Entry,
        bytes: Vec<u8>,
    ) -> Result<(Receipt, u64), Refusal> {
        let mut checker = self.checker.lock().unwrap_or_else(|p| p.into_inner());
        self.ready().map_err(Refusal::Unavailable)?;
        checker.check(entry).map_err(Refusal::Rules)?;
        let index = checker.size;
        let receipt = match self.sequencer().enqueue(bytes) {
            Ok(r) => r,
            Err(truce_tlog::Error::Pushback) => return Err(Refusal::Pushback),
            Err(e) => {
                drop(checker);
                self.fault(e.to_string());
                return Err(Refusal::Unavailable(e.to_string()));
            }
        };
        // The writer's view runs ahead of the durable one by the entries queued; a fault rebuilds it.
        let _ = checker.apply(entry.clone());
        Ok((receipt, index))
    }

    /// `entry` is durable at `index`: the applier puts it in the durable view, in log order.
    pub fn durable(&self, index: u64, entry: Entry) {
        let _ = self.applier.send(Apply::Entry(index, Box::new(entry)));
    }

    /// Waits until every entry reported durable so far is in the durable view.
    pub fn sync(&self) {
        let (tx, rx) = mpsc::channel();
        if self.applier.send(Apply::Sync(tx)).is_ok() {
            let _ = rx.recv();
        }
    }

    /// Stops writing after a storage fault, and starts the recovery thread (once).
    pub fn fault(self: &Arc<Self>, reason: String) {
        *self.faulted.lock().unwrap_or_else(|p| p.into_inner()) =
            Some(format!("the log's storage failed ({reason}); retrying"));
        if self.recovering.swap(true, Ordering::SeqCst) {
            return;
        }
        let watch = self.clone();
        let spawned = std::thread::Builder::new().name("truce-recovery".into()).spawn(move || {
            loop {
                std::thread::sleep(Duration::from_millis(500));
                match watch.recover() {
                    Ok(()) => break,
                    Err(e) => {
                        *watch.faulted.lock().unwrap_or_else(|p| p.into_inner()) =
                            Some(format!("the log's storage failed ({e}); retrying"))
                    }
                }
            }
            watch.recovering.store(false, Ordering::SeqCst);
        });
        if spawned.is_err() {
            self.recovering.store(false, Ordering::SeqCst);
        }
    }

    /// One attempt to resume writing: see the module docs.
    fn recover(&self) -> Result<(), String> {
        let mut checker = self.checker.lock().unwrap_or_else(|p| p.into_inner());
        // The failed writer's threads have stopped (or stop now); nothing else writes the log.
        let _ = self.sequencer().stop();
        let mut probe = storage(&self.dir, &self.fault_switch)?;
        probe.stage(".state/probe", b"writable\n").map_err(|e| e.to_string())?;
        probe.commit().map_err(|e| e.to_string())?;
        let log = Log::open(storage(&self.dir, &self.fault_switch)?, self.signer.clone())
            .map_err(|e| e.to_string())?;
        let checkpoint = truce_tlog::checkpoint::Checkpoint::parse(&log.checkpoint().text)
            .map_err(|e| e.to_string())?;
        // Everything acknowledged before the fault first; then what the log holds beyond it.
        self.sync();
        let have = self.read().map_err(|e| format!("{e:?}"))?.registry().size;
        if have < checkpoint.size {
            let missing = read_raw(&self.dir, &checkpoint, have)?;
            let mut state = self.state.write().map_err(|_| "state lock poisoned".to_string())?;
            for (_, bytes) in missing {
                state.apply(&bytes);
            }
            self.applied.store(state.registry().size, Ordering::Release);
        }
        let sequencer = Sequencer::start(log, self.config).map_err(|e| e.to_string())?;
        *checker = self.read().map_err(|e| format!("{e:?}"))?.registry().clone();
        *self.sequencer.lock().unwrap_or_else(|p| p.into_inner()) = Arc::new(sequencer);
        *self.faulted.lock().unwrap_or_else(|p| p.into_inner()) = None;
        Ok(())
    }

    /// A full tile or bundle from the cache, or from disk (then cached while the budget lasts).
    /// Partial tiles are always read from disk: they are superseded as the log grows.
    pub(crate) fn tile(&self, path: &str, full: bool) -> std::io::Result<Arc<Vec<u8>>> {
        if full && let Some(hit) = self.tiles.lock().ok().and_then(|t| t.1.get(path).cloned()) {
            return Ok(hit);
        }
        let data = Arc::new(std::fs::read(self.dir.join(path))?);
        if full
            && let Ok(mut t) = self.tiles.lock()
            && t.0 + data.len() <= TILE_CACHE_BYTES
        {
            t.0 += data.len();
            t.1.insert(path.to_string(), data.clone());
        }
        Ok(data)
    }
}

/// The applier thread: durable entries into the durable view, in log order.
fn apply_durable(
    state: &RwLock<Compliance<'static>>,
    applied: &std::sync::atomic::AtomicU64,
    jobs: mpsc::Receiver<Apply>,
) {
    let mut waiting: BTreeMap<u64, Entry> = BTreeMap::new();
    while let Ok(first) = jobs.recv() {
        // Everything queued meanwhile goes in under one write lock; a sync is answered once what was
        // sent before it is applied.
        let mut syncs = Vec::new();
        for job in std::iter::once(first).chain(jobs.try_iter().take(4096)) {
            match job {
                Apply::Entry(index, entry) => {
                    waiting.insert(index, *entry);
                }
                Apply::Sync(done) => syncs.push(done),
            }
        }
        if !waiting.is_empty() {
            let mut s = state.write().unwrap_or_else(|p| p.into_inner());
            while let Some(e) = waiting.remove(&s.registry().size) {
                s.apply_owned(e);
            }
            let size = s.registry().size;
            applied.store(size, Ordering::Release);
            waiting.retain(|i, _| *i >= size);
        }
        for done in syncs {
            let _ = done.send(());
        }
    }
}

/// Calls `f(index, bytes)` for every entry of the log in `dir` from `from` to the checkpoint's size,
/// each authenticated against the checkpoint.
pub(crate) fn for_each_entry(
    dir: &Path,
    checkpoint: &truce_tlog::checkpoint::Checkpoint,
    from: u64,
    f: &mut dyn FnMut(u64, &[u8]),
) -> Result<(), String> {
    let reader = truce_tlog::fs::DirReader { root: dir.to_path_buf() };
    let verifier =
        truce_tlog::client::TileVerifier::new(&reader, checkpoint).map_err(|e| e.to_string())?;
    for entry in verifier.entries_from(from) {
        let (index, bytes) = entry.map_err(|e| e.to_string())?;
        f(index, &bytes);
    }
    Ok(())
}

/// The raw entries of the log in `dir` from `from` to the checkpoint's size, with their indices.
pub(crate) fn read_raw(
    dir: &Path,
    checkpoint: &truce_tlog::checkpoint::Checkpoint,
    from: u64,
) -> Result<Vec<(u64, Vec<u8>)>, String> {
    let mut out = Vec::new();
    for_each_entry(dir, checkpoint, from, &mut |i, e| out.push((i, e.to_vec())))?;
    Ok(out)
}
