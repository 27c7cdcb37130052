//! The observation log this server writes, its two replayed views, and recovery from storage faults.
//!
//! # Two views, two locks
//!
//! - The **writer's view** ([`Ledger::append`], guarded by `checker`, a mutex): the log's rules over
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
//! watch is then unready ([`Ledger::ready`], `/readyz`) and a recovery thread retries every half second:
//! it probes the storage with a write, reopens the log (which integrates the journal), applies to the
//! durable view whatever the log holds beyond it (entries whose acknowledgement the fault cut off),
//! rebuilds the writer's view from the durable one, and starts a new sequencer. Writing resumes without
//! a restart.
//!
//! # One writer among several servers
//!
//! On shared storage ([`LogStore::Shared`]: tiles in a bucket, the tree's record, checkpoint and
//! journal in PostgreSQL) several servers serve one log, and only the holder of the sequencing lease
//! writes. A lease thread renews the lease every [`LEASE_TICK`] (it lives [`LEASE_TTL`]) or tries to
//! take it. A server that holds no lease is a **follower**: it hands submissions on to the writer
//! (`crate::forward`; [`Ledger::append`] itself refuses them, naming the writer), and follows the log: it reads the stored checkpoint, checks its signature and that it
//! extends the one it served before (a consistency proof from the bucket's tiles), and applies the
//! new entries to its durable view. A follower that takes the lease is **promoted**: it opens the
//! log, which integrates the journal the old writer left (every entry it acknowledged), applies what
//! its view lacks, and starts a sequencer. A writer that cannot renew is **demoted** at once; even
//! before it notices, PostgreSQL refuses its writes (the fencing token).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock, RwLockReadGuard, mpsc};
use std::time::Duration;

use truce_tlog::client::TileReader;
use truce_tlog::log::Log;
use truce_tlog::note::{Note, NoteSigner};
use truce_tlog::sequencer::{Receipt, Sequencer, SequencerConfig};
use truce_tlog::storage::{FsStorage, Storage};
use truce_tlog_shared::{Shared, SharedStorage};
use truce_watch::compliance::Compliance;
use truce_watch::entry::Entry;
use truce_watch::registry::Registry;

use crate::AppError;

/// Cached tiles: the bytes held, and the tiles by path.
type TileCache = (usize, std::collections::HashMap<String, Arc<Vec<u8>>>);

/// How many bytes of full tiles a server keeps in memory for the read path.
pub const TILE_CACHE_BYTES: usize = 64 << 20;

/// Every acknowledged entry is in a signed checkpoint within this, or the server says it is not ready.
pub const PUBLISH_WITHIN: Duration = Duration::from_secs(5);

/// How long the sequencing lease lives without renewal: the longest a dead writer holds up writing.
pub const LEASE_TTL: Duration = Duration::from_secs(2);

/// How often the lease thread renews (or tries to take) the lease, and a follower looks for a new
/// checkpoint.
pub const LEASE_TICK: Duration = Duration::from_millis(250);

/// Where the log lives.
#[derive(Clone, Debug)]
pub enum LogStore {
    /// A directory of this machine (tiles, checkpoint, journal, record): one server.
    Dir(PathBuf),
    /// A bucket and a PostgreSQL database shared by several servers (see the module docs); the
    /// `String` is this server's name in the lease (where it can be reached).
    Shared(Shared, String),
}

/// Either storage, for the one generic log writer.
pub(crate) enum AnyStorage {
    Fs(FsStorage),
    Shared(SharedStorage),
}

impl TileReader for AnyStorage {
    fn read(&self, path: &str) -> Result<Option<Vec<u8>>, truce_tlog::Error> {
        match self {
            AnyStorage::Fs(s) => s.read(path),
            AnyStorage::Shared(s) => s.read(path),
        }
    }
}

impl Storage for AnyStorage {
    fn stage(&mut self, path: &str, data: &[u8]) -> Result<(), truce_tlog::Error> {
        match self {
            AnyStorage::Fs(s) => s.stage(path, data),
            AnyStorage::Shared(s) => s.stage(path, data),
        }
    }
    fn commit(&mut self) -> Result<(), truce_tlog::Error> {
        match self {
            AnyStorage::Fs(s) => s.commit(),
            AnyStorage::Shared(s) => s.commit(),
        }
    }
    fn append(&mut self, path: &str, data: &[u8]) -> Result<(), truce_tlog::Error> {
        match self {
            AnyStorage::Fs(s) => s.append(path, data),
            AnyStorage::Shared(s) => s.append(path, data),
        }
    }
    fn remove(&mut self, path: &str) -> Result<(), truce_tlog::Error> {
        match self {
            AnyStorage::Fs(s) => s.remove(path),
            AnyStorage::Shared(s) => s.remove(path),
        }
    }
    fn list(&self, dir: &str) -> Result<Vec<String>, truce_tlog::Error> {
        match self {
            AnyStorage::Fs(s) => s.list(dir),
            AnyStorage::Shared(s) => s.list(dir),
        }
    }
    fn try_clone(&self) -> Result<Self, truce_tlog::Error> {
        Ok(match self {
            AnyStorage::Fs(s) => AnyStorage::Fs(s.try_clone()?),
            AnyStorage::Shared(s) => AnyStorage::Shared(s.try_clone()?),
        })
    }
    fn clean(&mut self) -> Result<usize, truce_tlog::Error> {
        match self {
            AnyStorage::Fs(s) => s.clean(),
            AnyStorage::Shared(s) => s.clean(),
        }
    }
}

/// A summary of the durable view, readable without its lock.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    /// The mission's entry, once the log has one.
    pub mission: Option<truce_watch::registry::MissionInfo>,
    /// Observations on the log.
    pub observations: usize,
    /// Entries the log's rules refused.
    pub refused: usize,
}

impl Summary {
    fn of(compliance: &Compliance<'static>) -> Summary {
        let r = compliance.registry();
        Summary {
            mission: r.mission.clone(),
            observations: r.observations.len(),
            refused: r.refused.len(),
        }
    }
}

/// What the applier thread is told.
enum Apply {
    /// An entry acknowledged as durable at this index.
    Entry(u64, Box<Entry>),
    /// Answer once everything sent before has been applied.
    Sync(mpsc::Sender<()>),
}

/// The observation log this server writes, and the compliance of its agreement, kept up to date.
pub struct Ledger {
    /// Where the log lives.
    pub store: LogStore,
    /// The agreement's TOML.
    pub agreement_text: String,
    signer: NoteSigner,
    config: SequencerConfig,
    /// While set, the log's storage fails every write (tests and drills simulate a failing disk).
    fault_switch: Option<Arc<AtomicBool>>,
    /// While set, the log's storage fails to publish (tiles, checkpoint) but still journals: a fault
    /// after the acknowledgement.
    publish_fault: Option<Arc<AtomicBool>>,
    /// This watch, for the sequencer's failure hook (which must not keep it alive).
    this: std::sync::Weak<Ledger>,
    /// The group-commit writer; replaced when the log is reopened after a fault; `None` while this
    /// server follows another's writing (shared storage only).
    sequencer: Mutex<Option<Arc<Sequencer>>>,
    /// The newest checkpoint a follower has checked and applied.
    followed: Mutex<Note>,
    /// Who holds the sequencing lease, as last seen (shared storage only).
    writer: Mutex<Option<String>>,
    /// The writer's view: the log's rules over every entry queued. Only submissions lock it.
    checker: Mutex<Registry>,
    /// The durable view: compliance over every durable entry, in log order.
    state: Arc<RwLock<Compliance<'static>>>,
    /// To the applier thread, which puts durable entries into `state` in log order.
    applier: mpsc::Sender<Apply>,
    /// The size of the durable view, kept by the applier (read without a lock).
    applied: Arc<std::sync::atomic::AtomicU64>,
    /// One past the highest index acknowledged to a client and handed to the applier: a reader asking
    /// after an acknowledgement is owed at least this much of the log.
    acknowledged: std::sync::atomic::AtomicU64,
    /// What the async workers need of the durable view without taking its lock (which a long read of
    /// the record may hold, with the applier waiting behind it): kept by the applier.
    summary: Arc<Mutex<Summary>>,
    /// The agreement monitored (immutable for the server's life).
    agreement: &'static truce_accord::Agreement,
    /// Why writing is stopped, while it is.
    faulted: Mutex<Option<String>>,
    /// Whether a recovery thread runs.
    recovering: AtomicBool,
    /// Full tiles and bundles already served (they never change), up to [`TILE_CACHE_BYTES`].
    tiles: Mutex<TileCache>,
    /// How many times this server took or lost the sequencing lease (shared storage): a number that
    /// keeps growing is a lease that flaps.
    lease_changes: std::sync::atomic::AtomicU64,
    /// How long the sequencing lease lives without renewal (shared storage), in milliseconds.
    lease_ms: std::sync::atomic::AtomicU64,
    /// Live updates: (log index, entry kind) of each entry, for server-sent events: told by whoever
    /// makes an entry durable here (the writer's submissions, a follower's new entries).
    events: tokio::sync::broadcast::Sender<(u64, String)>,
}

/// An entry's kind, read from its canonical JSON without checking it (it was checked on its way in).
fn kind_of(bytes: &[u8]) -> String {
    #[derive(serde::Deserialize)]
    struct Peek {
        body: PeekBody,
    }
    #[derive(serde::Deserialize)]
    struct PeekBody {
        kind: String,
    }
    serde_json::from_slice::<Peek>(bytes).map(|p| p.body.kind).unwrap_or_default()
}

/// An entry admitted by [`Ledger::append`], waiting to be durable.
pub struct Pending {
    ledger: Arc<Ledger>,
    receipt: Receipt,
    index: u64,
    entry: Entry,
}

impl Pending {
    /// The index the entry will have.
    pub fn index(&self) -> u64 {
        self.index
    }

    /// The entry.
    pub fn entry(&self) -> &Entry {
        &self.entry
    }

    /// Waits until the entry is durable, hands it to the durable view, and returns its index. A storage
    /// fault stops writing (the ledger recovers by itself) and is returned: nothing was stored.
    pub async fn durable(self) -> Result<u64, String> {
        let at = match self.receipt.await {
            Ok(at) => at,
            Err(e) => {
                self.ledger.fault(e.to_string());
                return Err(format!(
                    "the log could not make the entry durable ({e}); nothing was stored: retry"
                ));
            }
        };
        if at != self.index {
            return Err(format!("the log put the entry at {at}, expected {}", self.index));
        }
        self.ledger.durable(at, self.entry);
        Ok(at)
    }
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
    /// Another server writes the log (shared storage): the message names it.
    Follower(String),
}

fn storage(
    store: &LogStore,
    switch: &Option<Arc<AtomicBool>>,
    publish: &Option<Arc<AtomicBool>>,
) -> Result<AnyStorage, String> {
    match store {
        LogStore::Dir(dir) => {
            let mut s = FsStorage::open(dir).map_err(|e| e.to_string())?;
            if let Some(sw) = switch {
                s = s.with_fault_switch(sw.clone());
            }
            if let Some(sw) = publish {
                s = s.with_publish_fault_switch(sw.clone());
            }
            Ok(AnyStorage::Fs(s))
        }
        LogStore::Shared(shared, _) => Ok(AnyStorage::Shared(shared.storage())),
    }
}

impl LogStore {
    /// A reader of the log's files (tiles, bundles, checkpoint), for one use.
    pub fn reader(&self) -> Box<dyn TileReader + Send> {
        match self {
            LogStore::Dir(dir) => Box::new(truce_tlog::fs::DirReader { root: dir.clone() }),
            LogStore::Shared(shared, _) => Box::new(shared.storage()),
        }
    }
}

impl Ledger {
    /// Opens (or creates) the log in `dir` with `signer`, replays it, and serves `agreement`.
    pub fn open(
        dir: &Path,
        signer: NoteSigner,
        agreement_text: &str,
        config: SequencerConfig,
    ) -> Result<Arc<Ledger>, String> {
        Ledger::open_with(dir, signer, agreement_text, config, None)
    }

    /// [`Ledger::open`], with a switch that makes the log's storage fail every write while it is set.
    pub fn open_with(
        dir: &Path,
        signer: NoteSigner,
        agreement_text: &str,
        config: SequencerConfig,
        fault_switch: Option<Arc<AtomicBool>>,
    ) -> Result<Arc<Ledger>, String> {
        Ledger::open_with_faults(dir, signer, agreement_text, config, fault_switch, None)
    }

    /// [`Ledger::open_with`], with also a switch that makes the log's storage fail to publish (tiles,
    /// checkpoint) while it still journals: a fault after the acknowledgement.
    pub fn open_with_faults(
        dir: &Path,
        signer: NoteSigner,
        agreement_text: &str,
        config: SequencerConfig,
        fault_switch: Option<Arc<AtomicBool>>,
        publish_fault: Option<Arc<AtomicBool>>,
    ) -> Result<Arc<Ledger>, String> {
        let store = LogStore::Dir(dir.to_path_buf());
        let storage = storage(&store, &fault_switch, &publish_fault)?;
        let log = if dir.join(truce_tlog::log::STATE_PATH).exists() {
            Log::open(storage, signer.clone()).map_err(|e| e.to_string())?
        } else {
            Log::create(storage, signer.clone()).map_err(|e| e.to_string())?
        };
        let watch =
            Ledger::new(store, signer, agreement_text, config, fault_switch, publish_fault)?;
        watch.catch_up(&log.checkpoint().clone())?;
        watch.start_writing(log)?;
        Ok(watch)
    }

    /// Serves the log on shared storage, among other servers: a follower at first, which takes the
    /// sequencing lease when it is free (see the module docs). The first holder creates the log.
    /// `signer` must be the log's key: a stored checkpoint it did not sign is refused.
    pub fn open_shared(
        shared: Shared,
        name: &str,
        signer: NoteSigner,
        agreement_text: &str,
        config: SequencerConfig,
    ) -> Result<Arc<Ledger>, String> {
        Ledger::open_shared_with_lease(shared, name, signer, agreement_text, config, LEASE_TTL)
    }

    /// [`Ledger::open_shared`] with a lease that lives `lease` without renewal (renewed every eighth
    /// of it): the longest a dead or paused writer holds up writing. Every server sharing a log should
    /// use the same.
    pub fn open_shared_with_lease(
        shared: Shared,
        name: &str,
        signer: NoteSigner,
        agreement_text: &str,
        config: SequencerConfig,
        lease: Duration,
    ) -> Result<Arc<Ledger>, String> {
        let store = LogStore::Shared(shared, name.to_string());
        let watch = Ledger::new(store, signer, agreement_text, config, None, None)?;
        let millis = u64::try_from(lease.as_millis()).unwrap_or(u64::MAX);
        watch.lease_ms.store(millis, Ordering::Relaxed);
        let tick = (lease / 8).max(Duration::from_millis(50));
        watch.follow()?;
        watch.lease_tick();
        let w = Arc::downgrade(&watch);
        std::thread::Builder::new()
            .name("truce-lease".into())
            .spawn(move || {
                loop {
                    std::thread::sleep(tick);
                    let Some(watch) = w.upgrade() else { break };
                    watch.lease_tick();
                }
            })
            .map_err(|e| e.to_string())?;
        Ok(watch)
    }

    /// A watch with an empty durable view and no writer.
    fn new(
        store: LogStore,
        signer: NoteSigner,
        agreement_text: &str,
        config: SequencerConfig,
        fault_switch: Option<Arc<AtomicBool>>,
        publish_fault: Option<Arc<AtomicBool>>,
    ) -> Result<Arc<Ledger>, String> {
        let (agreement, diags) = truce_accord::parse("agreement.toml", agreement_text);
        let agreement = agreement
            .ok_or_else(|| diags.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("\n"))?;
        // The server holds one agreement for its whole life; compliance borrows it.
        let agreement: &'static truce_accord::Agreement = Box::leak(Box::new(agreement));
        let compliance = Compliance::new(agreement);
        let checker = compliance.registry().clone();
        let applied = Arc::new(std::sync::atomic::AtomicU64::new(0));
        let state = Arc::new(RwLock::new(compliance));
        let (applier, jobs) = mpsc::channel::<Apply>();
        let summary = Arc::new(Mutex::new(Summary::default()));
        let (view, size, summed) = (state.clone(), applied.clone(), summary.clone());
        std::thread::Builder::new()
            .name("truce-applier".into())
            .spawn(move || apply_durable(&view, &size, &summed, jobs))
            .map_err(|e| e.to_string())?;
        Ok(Arc::new_cyclic(|this| Ledger {
            store,
            agreement_text: agreement_text.to_string(),
            signer,
            config,
            fault_switch,
            publish_fault,
            this: this.clone(),
            sequencer: Mutex::new(None),
            followed: Mutex::new(Note { text: String::new(), signatures: Vec::new() }),
            writer: Mutex::new(None),
            checker: Mutex::new(checker),
            state,
            applier,
            applied,
            acknowledged: std::sync::atomic::AtomicU64::new(0),
            summary,
            agreement,
            faulted: Mutex::new(None),
            lease_changes: std::sync::atomic::AtomicU64::new(0),
            lease_ms: std::sync::atomic::AtomicU64::new(LEASE_TTL.as_millis() as u64),
            events: tokio::sync::broadcast::channel(1024).0,
            recovering: AtomicBool::new(false),
            tiles: Mutex::new((0, std::collections::HashMap::new())),
        }))
    }

    /// Applies to the durable view every entry of the log up to `note`'s checkpoint that it lacks,
    /// each authenticated against that checkpoint.
    fn catch_up(&self, note: &Note) -> Result<(), String> {
        self.catch_up_announcing(note, false)
    }

    /// [`Ledger::catch_up`], telling the live events of every entry applied when `announce` (a
    /// follower's new entries: its own clients never saw them submitted).
    fn catch_up_announcing(&self, note: &Note, announce: bool) -> Result<(), String> {
        let checkpoint =
            truce_tlog::checkpoint::Checkpoint::parse(&note.text).map_err(|e| e.to_string())?;
        // Everything reported durable so far first: the applier may hold some.
        self.sync();
        let have = self.applied();
        if have < checkpoint.size {
            let missing = read_raw(&self.store, &checkpoint, have)?;
            let mut state = self.state.write().map_err(|_| "state lock poisoned".to_string())?;
            for (index, bytes) in missing {
                if index == state.registry().size {
                    state.apply(&bytes);
                    if announce {
                        let _ = self.events.send((index, kind_of(&bytes)));
                    }
                }
            }
            self.applied.store(state.registry().size, Ordering::Release);
            *self.summary.lock().unwrap_or_else(|p| p.into_inner()) = Summary::of(&state);
        }
        Ok(())
    }

    /// Starts the sequencer over `log`, with the writer's view rebuilt from the durable one.
    fn start_writing(&self, log: Log<AnyStorage>) -> Result<(), String> {
        // The writer's view is copied from the durable one before the writer's lock is taken: a copy
        // may wait behind a long read of the record, and submissions (on the async workers) wait for
        // the writer's lock. Nothing is written meanwhile: no sequencer runs.
        let registry = self.read().map_err(|e| format!("{e:?}"))?.registry().clone();
        let mut checker = self.checker.lock().unwrap_or_else(|p| p.into_inner());
        // A writer thread that fails (after the journal too: tiles or the checkpoint) stops writing and
        // starts recovery at once, so that the server is unready from that moment, and the entries it
        // acknowledged reach a checkpoint without waiting for another submission.
        let this = self.this.clone();
        let hook: truce_tlog::sequencer::FailureHook = Box::new(move |why: &str| {
            if let Some(watch) = this.upgrade() {
                watch.fault(why.to_string());
            }
        });
        let sequencer =
            Sequencer::start_with(log, self.config, Some(hook)).map_err(|e| e.to_string())?;
        *checker = registry;
        *self.sequencer.lock().unwrap_or_else(|p| p.into_inner()) = Some(Arc::new(sequencer));
        *self.faulted.lock().unwrap_or_else(|p| p.into_inner()) = None;
        Ok(())
    }

    /// One turn of the lease thread: renew or take the lease; promote, demote or follow accordingly.
    fn lease_tick(&self) {
        let LogStore::Shared(shared, name) = &self.store else { return };
        let before = shared.fence();
        let lease = Duration::from_millis(self.lease_ms.load(Ordering::Relaxed));
        let held = match shared.acquire(name, lease) {
            Ok(token) => token,
            Err(e) => {
                tracing::warn!(error = %e, "the sequencing lease could not be renewed or taken");
                None
            }
        };
        match held {
            Some(token) if token == before && self.sequencer.lock().is_ok_and(|s| s.is_some()) => {}
            Some(_) => {
                *self.writer.lock().unwrap_or_else(|p| p.into_inner()) = Some(name.clone());
                if let Err(e) = self.promote() {
                    tracing::error!(error = %e, "taking over the log's writing failed; stepping down");
                    shared.step_down();
                    let _ = shared.release();
                    self.demote();
                }
            }
            None => {
                if before != 0 {
                    shared.step_down();
                }
                self.demote();
                if let Ok(Some(lease)) = shared.lease() {
                    *self.writer.lock().unwrap_or_else(|p| p.into_inner()) =
                        lease.live.then_some(lease.holder);
                }
                if let Err(e) = self.follow() {
                    tracing::warn!(error = %e, "following the log failed; retrying");
                }
            }
        }
    }

    /// Opens the shared log as its writer (creating it if it does not exist), after a follower took
    /// the lease or a writer's storage failed.
    fn promote(&self) -> Result<(), String> {
        let LogStore::Shared(shared, _) = &self.store else {
            return Err("not on shared storage".into());
        };
        self.stop_writing();
        let exists = shared.exists().map_err(|e| e.to_string())?;
        let storage = AnyStorage::Shared(shared.storage());
        let log = if exists {
            Log::open(storage, self.signer.clone()).map_err(|e| e.to_string())?
        } else {
            Log::create(storage, self.signer.clone()).map_err(|e| e.to_string())?
        };
        truce_tlog::note::verify_note(log.checkpoint(), &[self.signer.verifier()]).map_err(
            |e| format!("the stored checkpoint is not signed by this server's log key: {e}"),
        )?;
        self.catch_up_announcing(&log.checkpoint().clone(), true)?;
        *self.followed.lock().unwrap_or_else(|p| p.into_inner()) = log.checkpoint().clone();
        self.start_writing(log)?;
        self.lease_changes.fetch_add(1, Ordering::Relaxed);
        tracing::info!(lease = "taken", "this server now writes the log");
        Ok(())
    }

    /// Takes the sequencer out of service and stops it (committing what is pending, or failing it if
    /// its storage refuses); returns it, for its last checkpoint.
    fn stop_writing(&self) -> Option<Arc<Sequencer>> {
        let old = self.sequencer.lock().unwrap_or_else(|p| p.into_inner()).take()?;
        let _ = old.stop();
        // Readers are served the last checkpoint it signed until writing resumes (issue 24: after a
        // storage fault a lone server served an empty checkpoint while it recovered).
        *self.followed.lock().unwrap_or_else(|p| p.into_inner()) = old.checkpoint();
        Some(old)
    }

    /// Stops writing (the lease is lost): submissions are refused from here on.
    fn demote(&self) {
        if let Some(old) = self.stop_writing() {
            self.lease_changes.fetch_add(1, Ordering::Relaxed);
            tracing::warn!(
                lease = "lost",
                "this server no longer holds the sequencing lease; it stopped writing"
            );
            *self.followed.lock().unwrap_or_else(|p| p.into_inner()) = old.checkpoint();
        }
    }

    /// A follower's step: if the stored checkpoint is newer than the one followed, checks its
    /// signature and that it extends the followed one, and applies its new entries.
    fn follow(&self) -> Result<(), String> {
        let reader = self.store.reader();
        let Some(bytes) = reader.read("checkpoint").map_err(|e| e.to_string())? else {
            return Ok(()); // No log yet: its first writer creates it.
        };
        let note = Note::parse(&bytes).map_err(|e| e.to_string())?;
        truce_tlog::note::verify_note(&note, &[self.signer.verifier()])
            .map_err(|e| format!("the stored checkpoint is not signed by the log's key: {e}"))?;
        let new =
            truce_tlog::checkpoint::Checkpoint::parse(&note.text).map_err(|e| e.to_string())?;
        let old = self.followed.lock().unwrap_or_else(|p| p.into_inner()).clone();
        if let Ok(old) = truce_tlog::checkpoint::Checkpoint::parse(&old.text) {
            if new.size <= old.size {
                return Ok(());
            }
            let verifier = truce_tlog::client::TileVerifier::new(reader.as_ref(), &new)
                .map_err(|e| e.to_string())?;
            truce_tlog::client::check_consistency(&verifier, &old).map_err(|e| {
                format!("the stored checkpoint does not extend the one served before: {e}")
            })?;
        }
        self.catch_up_announcing(&note, true)?;
        *self.followed.lock().unwrap_or_else(|p| p.into_inner()) = note;
        Ok(())
    }

    /// Stops writing and, on shared storage, gives the lease up at once, so that another server takes
    /// over without waiting for it to expire (a clean shutdown).
    pub fn shutdown(&self) {
        self.stop_writing();
        if let LogStore::Shared(shared, _) = &self.store {
            let _ = shared.release();
        }
    }

    /// The log's public key, as a signed-note verifier key (`origin+keyid+base64`).
    pub fn vkey(&self) -> String {
        self.signer.verifier().vkey()
    }

    /// The group-commit writer in service, if this server writes the log.
    pub fn sequencer(&self) -> Option<Arc<Sequencer>> {
        self.sequencer.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Whether this server writes the log (always, on a directory).
    pub fn is_writer(&self) -> bool {
        self.sequencer().is_some()
    }

    /// The live events' sender: (log index, entry kind) of each entry made durable here.
    pub fn events(&self) -> tokio::sync::broadcast::Sender<(u64, String)> {
        self.events.clone()
    }

    /// Who holds the sequencing lease, as last seen (shared storage): its name, where it is reached.
    pub fn writer(&self) -> Option<String> {
        self.writer.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// This server's name in the lease (shared storage).
    pub fn name(&self) -> Option<&str> {
        match &self.store {
            LogStore::Shared(_, name) => Some(name),
            LogStore::Dir(_) => None,
        }
    }

    /// A 256-bit key for `purpose`, derived from the log's private key: what only the servers of this
    /// log can compute (never the key itself, and never the same key for two purposes).
    pub fn derived_key(&self, purpose: &str) -> [u8; 32] {
        use sha2::Digest;
        sha2::Sha256::digest(format!("truce derived key v1\n{purpose}\n{}", self.signer.skey()))
            .into()
    }

    /// The newest signed checkpoint this server has: its sequencer's, or the one it followed.
    pub fn checkpoint(&self) -> Note {
        match self.sequencer() {
            Some(s) => s.checkpoint(),
            None => self.followed.lock().unwrap_or_else(|p| p.into_inner()).clone(),
        }
    }

    /// The size of the newest signed checkpoint.
    pub fn size(&self) -> u64 {
        crate::note_size(&self.checkpoint())
    }

    /// How many entries wait for the writer's next batch.
    pub fn pending(&self) -> usize {
        self.sequencer().map_or(0, |s| s.pending())
    }

    /// The durable view, for reading.
    pub fn read(&self) -> Result<RwLockReadGuard<'_, Compliance<'static>>, AppError> {
        self.state.read().map_err(|_| AppError::Internal("state lock poisoned".into()))
    }

    /// The durable view's summary, without its lock.
    pub fn summary(&self) -> Summary {
        self.summary.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// The agreement monitored.
    pub fn agreement(&self) -> &'static truce_accord::Agreement {
        self.agreement
    }

    /// The day a report or page is for: the day asked for, or today (by this server's clock), clipped
    /// into the mission's period, without taking the durable view's lock. No submission moves it, and
    /// no date asked for makes the work unbounded.
    pub fn report_day(&self, given: Option<jiff::civil::Date>) -> jiff::civil::Date {
        let day = given
            .unwrap_or_else(|| jiff::tz::Offset::UTC.to_datetime(jiff::Timestamp::now()).date());
        match &self.summary.lock().unwrap_or_else(|p| p.into_inner()).mission {
            Some(m) => m.clip(day),
            None => day,
        }
    }

    /// How many entries the durable view holds.
    pub fn applied(&self) -> u64 {
        self.applied.load(Ordering::Acquire)
    }

    /// The sequence number the next entry by `key` (hex) must at least carry, counting entries queued.
    pub fn next_seq(&self, key: &str) -> u64 {
        self.checker.lock().unwrap_or_else(|p| p.into_inner()).next_seq(key)
    }

    /// How many times this server took or lost the sequencing lease.
    pub fn lease_changes(&self) -> u64 {
        self.lease_changes.load(Ordering::Relaxed)
    }

    /// How long the oldest acknowledged entry has waited for a signed checkpoint (zero when none
    /// waits, or when this server does not write).
    pub fn unpublished_for(&self) -> Duration {
        self.sequencer().and_then(|s| s.unpublished_for()).unwrap_or_default()
    }

    /// Why writing is stopped, if it is: a storage fault being recovered from, a writer thread that
    /// failed, or acknowledged entries that no signed checkpoint has held for [`PUBLISH_WITHIN`].
    pub fn ready(&self) -> Result<(), String> {
        if let Some(why) = &*self.faulted.lock().unwrap_or_else(|p| p.into_inner()) {
            return Err(why.clone());
        }
        if let Some(s) = self.sequencer() {
            if let Some(why) = s.failure() {
                return Err(format!("the log's writer stopped ({why}); recovering"));
            }
            if let Some(late) = s.unpublished_for().filter(|t| *t > PUBLISH_WITHIN) {
                return Err(format!(
                    "acknowledged entries have waited {} s for a signed checkpoint (the promise is {} s); the log's writer is behind or failing",
                    late.as_secs(),
                    PUBLISH_WITHIN.as_secs()
                ));
            }
        }
        Ok(())
    }

    /// Checks `entry` (whose canonical bytes are `bytes`) against the log's rules and queues it; returns
    /// the receipt and the index it will have ([`Ledger::append`] is the whole of it).
    fn submit(self: &Arc<Self>, entry: &Entry, bytes: Vec<u8>) -> Result<(Receipt, u64), Refusal> {
        let mut checker = self.checker.lock().unwrap_or_else(|p| p.into_inner());
        self.ready().map_err(Refusal::Unavailable)?;
        let Some(sequencer) = self.sequencer() else {
            let writer = self.writer.lock().unwrap_or_else(|p| p.into_inner()).clone();
            return Err(Refusal::Follower(match writer {
                Some(w) => format!(
                    "this server does not write the log: {w} does. Send entries there, or retry here in a few seconds"
                ),
                None => "no server writes the log right now (the writer is changing); retry in a few seconds".into(),
            }));
        };
        checker.check(entry).map_err(Refusal::Rules)?;
        let index = checker.size;
        let receipt = match sequencer.enqueue(bytes) {
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

    /// Appends `entry` (its canonical bytes `bytes`), in two phases: now, the log's rules in log order
    /// and a place in the sequencer's queue (a refusal is told at once, before anything is stored); then
    /// [`Pending::durable`], which completes once the entry is durable and in the durable view. Callers
    /// that append several in order admit them all first, then await them together.
    pub fn append(self: &Arc<Self>, entry: Entry, bytes: Vec<u8>) -> Result<Pending, Refusal> {
        let (receipt, index) = self.submit(&entry, bytes)?;
        Ok(Pending { ledger: self.clone(), receipt, index, entry })
    }

    /// `entry` is durable at `index`: the applier puts it in the durable view, in log order.
    pub fn durable(&self, index: u64, entry: Entry) {
        self.acknowledged.fetch_max(index + 1, Ordering::AcqRel);
        let _ = self.applier.send(Apply::Entry(index, Box::new(entry)));
    }

    /// How much of the log a reader asking now is owed: every entry acknowledged so far, and whatever
    /// the durable view already holds (a follower's, or one replayed at start).
    pub fn owed(&self) -> u64 {
        self.acknowledged.load(Ordering::Acquire).max(self.applied())
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
        if let LogStore::Shared(shared, _) = &self.store {
            // On shared storage a refused write usually means the lease was lost: the lease thread
            // demotes this server, or reopens the log if it still holds the lease.
            tracing::error!(reason = %reason, "the log's writer stopped");
            shared.step_down();
            return;
        }
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
            // A writer that failed while this recovery was finishing was told it was under way:
            // look again, so that no failure is left without a recovery.
            if let Some(why) = watch.sequencer().and_then(|s| s.failure()) {
                watch.fault(why);
            }
        });
        if spawned.is_err() {
            self.recovering.store(false, Ordering::SeqCst);
        }
    }

    /// One attempt to resume writing: see the module docs.
    fn recover(&self) -> Result<(), String> {
        // The failed writer's threads have stopped (or stop now); nothing else writes the log.
        self.stop_writing();
        let mut probe = storage(&self.store, &self.fault_switch, &self.publish_fault)?;
        probe.stage(".state/probe", b"writable\n").map_err(|e| e.to_string())?;
        probe.commit().map_err(|e| e.to_string())?;
        let log = Log::open(
            storage(&self.store, &self.fault_switch, &self.publish_fault)?,
            self.signer.clone(),
        )
        .map_err(|e| e.to_string())?;
        // Everything acknowledged before the fault first; then what the log holds beyond it.
        self.catch_up(&log.checkpoint().clone())?;
        self.start_writing(log)
    }

    /// A full tile or bundle from the cache, or from storage (then cached while the budget lasts);
    /// `None` when storage has none. Partial tiles are read from storage (on shared storage, its own
    /// cache of recent tiles keeps them: readers are served while the bucket is unreachable). An error
    /// is storage that cannot be read, never "no such tile", which an auditor would read as tampering.
    pub(crate) async fn tile(
        &self,
        path: &str,
        full: bool,
    ) -> Result<Option<Arc<Vec<u8>>>, String> {
        if full && let Some(hit) = self.tiles.lock().ok().and_then(|t| t.1.get(path).cloned()) {
            return Ok(Some(hit));
        }
        let data = match &self.store {
            LogStore::Dir(dir) => match std::fs::read(dir.join(path)) {
                Ok(d) => d,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
                Err(e) => return Err(e.to_string()),
            },
            LogStore::Shared(shared, _) => {
                match shared.get(path).await.map_err(|e| e.to_string())? {
                    Some(d) => d,
                    None => return Ok(None),
                }
            }
        };
        let data = Arc::new(data);
        if full
            && let Ok(mut t) = self.tiles.lock()
            && t.0 + data.len() <= TILE_CACHE_BYTES
        {
            t.0 += data.len();
            t.1.insert(path.to_string(), data.clone());
        }
        Ok(Some(data))
    }
}

/// The applier thread: durable entries into the durable view, in log order.
fn apply_durable(
    state: &RwLock<Compliance<'static>>,
    applied: &std::sync::atomic::AtomicU64,
    summary: &Mutex<Summary>,
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
            *summary.lock().unwrap_or_else(|p| p.into_inner()) = Summary::of(&s);
            waiting.retain(|i, _| *i >= size);
        }
        for done in syncs {
            let _ = done.send(());
        }
    }
}

/// Calls `f(index, bytes)` for every entry of the log from `from` to the checkpoint's size, each
/// authenticated against the checkpoint.
pub(crate) fn for_each_entry(
    store: &LogStore,
    checkpoint: &truce_tlog::checkpoint::Checkpoint,
    from: u64,
    f: &mut dyn FnMut(u64, &[u8]),
) -> Result<(), String> {
    let reader = store.reader();
    let verifier = truce_tlog::client::TileVerifier::new(reader.as_ref(), checkpoint)
        .map_err(|e| e.to_string())?;
    for entry in verifier.entries_from(from) {
        let (index, bytes) = entry.map_err(|e| e.to_string())?;
        f(index, &bytes);
    }
    Ok(())
}

/// The raw entries of the log from `from` to the checkpoint's size, with their indices.
pub(crate) fn read_raw(
    store: &LogStore,
    checkpoint: &truce_tlog::checkpoint::Checkpoint,
    from: u64,
) -> Result<Vec<(u64, Vec<u8>)>, String> {
    let mut out = Vec::new();
    for_each_entry(store, checkpoint, from, &mut |i, e| out.push((i, e.to_vec())))?;
    Ok(out)
}
