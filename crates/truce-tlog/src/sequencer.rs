//! Group commit: many submitters, two writer threads, batches that close on size or age.
//!
//! [`Sequencer::submit`] blocks until its entry is durable, then returns its index. The sequencer thread
//! takes the pending entries as a batch when `max_batch` are waiting or the oldest has waited `max_age`,
//! whichever comes first, gives them the next indices, appends the batch to the [`journal`] (one record,
//! flushed) and acknowledges it. The integrator thread then puts journalled
//! batches into the tree with [`Log::integrate`] (coalescing those that queued up meanwhile) and signs the
//! checkpoint ([`Log::publish`]). A crash after the acknowledgement loses nothing: [`Log::open`]
//! integrates the journal before anything else is appended, and every acknowledged entry keeps its index
//! and is in the next signed checkpoint. When `max_pending` entries are already waiting, `submit` returns
//! [`Error::Pushback`] at once: the server turns it into 503.

use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::Error;
use crate::journal::{self, Batch};
use crate::log::Log;
use crate::note::Note;
use crate::storage::Storage;

/// Batching and pushback limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SequencerConfig {
    /// A batch closes when this many entries wait.
    pub max_batch: usize,
    /// A batch closes when its oldest entry has waited this long.
    pub max_age: Duration,
    /// Submissions beyond this many waiting entries are pushed back.
    pub max_pending: usize,
    /// The integrator puts journalled batches into the tree (and signs a checkpoint) at most this often,
    /// taking every batch journalled meanwhile: each integration rewrites the right-edge tiles, so under
    /// load fewer, larger integrations cost less. The checkpoint lags the acknowledgements by about this.
    pub integrate_every: Duration,
}

impl Default for SequencerConfig {
    fn default() -> Self {
        SequencerConfig {
            max_batch: 256,
            max_age: Duration::from_millis(50),
            max_pending: 4096,
            integrate_every: Duration::ZERO,
        }
    }
}

/// Where one submitter waits for its own outcome: the writer fills it and wakes only that submitter.
#[derive(Default)]
struct Slot {
    outcome: Mutex<Option<Result<u64, String>>>,
    ready: Condvar,
    /// The task awaiting the receipt, if it is awaited rather than waited for.
    waker: Mutex<Option<std::task::Waker>>,
}

impl Slot {
    fn set(&self, outcome: Result<u64, String>) {
        *self.outcome.lock().unwrap_or_else(|p| p.into_inner()) = Some(outcome);
        self.ready.notify_one();
        if let Some(w) = self.waker.lock().unwrap_or_else(|p| p.into_inner()).take() {
            w.wake();
        }
    }
}

/// Shared state, guarded by `Shared::state`'s mutex: pending entries with their submitters' slots, when
/// the oldest arrived, and whether the writer has failed or stopped.
struct State {
    pending: Vec<(Arc<Slot>, Vec<u8>)>,
    oldest: Option<Instant>,
    failed: Option<String>,
    stop: bool,
}

struct Shared {
    state: Mutex<State>,
    /// Signalled when entries arrive or a stop is requested; only the writer waits on it.
    changed: Condvar,
    /// The latest signed checkpoint.
    checkpoint: Mutex<Note>,
    /// Acknowledged batches not yet in a signed checkpoint: (the size the log has once the batch is
    /// in, when it was acknowledged), oldest first.
    unpublished: Mutex<std::collections::VecDeque<(u64, Instant)>>,
    /// Told once, at once, when a writer thread fails (see [`Sequencer::start_with`]).
    on_fail: Option<FailureHook>,
}

/// What [`Sequencer::start_with`] calls when a writer thread fails, with why.
pub type FailureHook = Box<dyn Fn(&str) + Send + Sync>;

/// The promise of an index for a queued entry.
pub struct Receipt {
    slot: Arc<Slot>,
}

/// Awaiting a receipt (in an async server) is the same as [`Receipt::wait`], without blocking a thread.
impl Future for Receipt {
    type Output = Result<u64, Error>;

    fn poll(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Self::Output> {
        // Register first, then look: a `set` between the two still finds the waker.
        *self.slot.waker.lock().unwrap_or_else(|p| p.into_inner()) = Some(cx.waker().clone());
        match self.slot.outcome.lock().unwrap_or_else(|p| p.into_inner()).take() {
            Some(o) => std::task::Poll::Ready(o.map_err(Error::Stopped)),
            None => std::task::Poll::Pending,
        }
    }
}

impl Receipt {
    /// Waits until the entry is durable; returns its index. The next signed checkpoint contains it.
    pub fn wait(self) -> Result<u64, Error> {
        let mut outcome = self.slot.outcome.lock().unwrap_or_else(|p| p.into_inner());
        loop {
            if let Some(o) = outcome.take() {
                return o.map_err(Error::Stopped);
            }
            outcome = self.slot.ready.wait(outcome).unwrap_or_else(|p| p.into_inner());
        }
    }
}

/// A log behind a group-commit writer thread.
pub struct Sequencer {
    shared: Arc<Shared>,
    config: SequencerConfig,
    /// The sequencer and integrator threads, taken when stopping.
    threads: Mutex<Vec<JoinHandle<()>>>,
}

impl Shared {
    /// Records a failure: the pending entries and `slots` fail; so do later submissions.
    fn fail(&self, message: String, slots: Vec<Arc<Slot>>) {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let first = state.failed.is_none();
        if first {
            state.failed = Some(message.clone());
        }
        for (slot, _) in state.pending.drain(..) {
            slot.set(Err(message.clone()));
        }
        drop(state);
        for slot in slots {
            slot.set(Err(message.clone()));
        }
        if first && let Some(hook) = &self.on_fail {
            hook(&message);
        }
    }

    /// Waits for the next batch: `max_batch` entries, or the oldest `max_age` old, or whatever is left
    /// when stopping. `None` when stopping with nothing left, or after a failure.
    fn next_batch(&self, config: &SequencerConfig) -> Option<Vec<(Arc<Slot>, Vec<u8>)>> {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        loop {
            if state.failed.is_some() || (state.stop && state.pending.is_empty()) {
                return None;
            }
            let full = state.pending.len() >= config.max_batch;
            let age = state.oldest.map(|t| t.elapsed());
            if full || state.stop || age.is_some_and(|a| a >= config.max_age) {
                break;
            }
            state = match age {
                Some(a) => {
                    self.changed
                        .wait_timeout(state, config.max_age - a)
                        .unwrap_or_else(|p| p.into_inner())
                        .0
                }
                None => self.changed.wait(state).unwrap_or_else(|p| p.into_inner()),
            };
        }
        let take = state.pending.len().min(config.max_batch);
        let batch: Vec<_> = state.pending.drain(..take).collect();
        state.oldest = if state.pending.is_empty() { None } else { Some(Instant::now()) };
        Some(batch)
    }
}

impl Sequencer {
    /// Starts the writer threads over `log`: the sequencer, which journals batches and acknowledges them,
    /// and the integrator, which puts journalled batches into the tree and signs checkpoints.
    pub fn start<S: Storage + 'static>(
        log: Log<S>,
        config: SequencerConfig,
    ) -> Result<Sequencer, Error> {
        Sequencer::start_with(log, config, None)
    }

    /// [`Sequencer::start`], with `on_fail` called once, from the failing thread, as soon as either
    /// writer thread fails: a failure after the journal (writing tiles or signing the checkpoint)
    /// leaves every acknowledged entry in the journal but out of any checkpoint until the log is
    /// reopened, so whoever runs the log must know at once rather than at the next submission.
    pub fn start_with<S: Storage + 'static>(
        mut log: Log<S>,
        config: SequencerConfig,
        on_fail: Option<FailureHook>,
    ) -> Result<Sequencer, Error> {
        let mut journal_storage = log.storage().try_clone()?;
        let shared = Arc::new(Shared {
            state: Mutex::new(State {
                pending: Vec::new(),
                oldest: None,
                failed: None,
                stop: false,
            }),
            changed: Condvar::new(),
            checkpoint: Mutex::new(log.checkpoint().clone()),
            unpublished: Mutex::new(std::collections::VecDeque::new()),
            on_fail,
        });
        // Batches journalled and acknowledged, on their way into the tree. Bounded, so that a slow
        // integrator slows the sequencer, and pending entries then push back.
        let (to_tree, journalled) = std::sync::mpsc::sync_channel::<Batch>(1024);
        let mut next = log.size();
        let sequencer_shared = shared.clone();
        let sequencer = std::thread::spawn(move || {
            let shared = sequencer_shared;
            // The segment being appended to (its first index) and its length.
            let mut segment: Option<(u64, u64)> = None;
            while let Some(batch) = shared.next_batch(&config) {
                let (slots, entries): (Vec<Arc<Slot>>, Vec<Vec<u8>>) = batch.into_iter().unzip();
                let (first, bytes) = match segment {
                    Some((first, bytes)) if bytes < journal::SEGMENT_BYTES => (first, bytes),
                    _ => (next, 0),
                };
                let journalled = journal::encode(next, &entries).and_then(|data| {
                    if bytes == 0 {
                        // A new segment starts empty, whatever a crash may have left under its name.
                        journal_storage.remove(&journal::path(first))?;
                    }
                    journal_storage.append(&journal::path(first), &data)?;
                    segment = Some((first, bytes + data.len() as u64));
                    Ok(())
                });
                if let Err(e) = journalled {
                    // Nothing of this batch is acknowledged; the log must be reopened.
                    shared.fail(e.to_string(), slots);
                    return;
                }
                let count = entries.len() as u64;
                shared
                    .unpublished
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .push_back((next + count, Instant::now()));
                for (k, slot) in slots.iter().enumerate() {
                    slot.set(Ok(next + k as u64));
                }
                if to_tree.send(Batch { first: next, entries, segment: first }).is_err() {
                    return; // The integrator failed, and said why.
                }
                next += count;
            }
        });
        let integrator_shared = shared.clone();
        let integrator = std::thread::spawn(move || {
            let shared = integrator_shared;
            // Until the sequencer stops: take every batch waiting, put them in the tree, sign.
            let mut last = Instant::now();
            while let Ok(first) = journalled.recv() {
                let wait = config.integrate_every.saturating_sub(last.elapsed());
                if !wait.is_zero() {
                    std::thread::sleep(wait);
                }
                last = Instant::now();
                let mut batches = vec![first];
                batches.extend(journalled.try_iter().take(1023));
                let done = log.integrate(&batches).and_then(|()| log.publish());
                if let Err(e) = done {
                    // Acknowledged entries stay in the journal; reopening the log integrates them.
                    shared.fail(e.to_string(), Vec::new());
                    return;
                }
                *shared.checkpoint.lock().unwrap_or_else(|p| p.into_inner()) =
                    log.checkpoint().clone();
                let size = log.size();
                let mut unpublished = shared.unpublished.lock().unwrap_or_else(|p| p.into_inner());
                while unpublished.front().is_some_and(|(end, _)| *end <= size) {
                    unpublished.pop_front();
                }
            }
        });
        Ok(Sequencer { shared, config, threads: Mutex::new(vec![sequencer, integrator]) })
    }

    /// Submits one entry and waits until it is durable; returns its index.
    pub fn submit(&self, entry: Vec<u8>) -> Result<u64, Error> {
        self.enqueue(entry)?.wait()
    }

    /// Queues one entry without waiting; [`Receipt::wait`] returns its index once it is durable.
    /// Fails at once with [`Error::Pushback`] when `max_pending` entries are already waiting.
    pub fn enqueue(&self, entry: Vec<u8>) -> Result<Receipt, Error> {
        if entry.len() > crate::tile::MAX_ENTRY {
            return Err(Error::Tile(format!(
                "entry of {} bytes exceeds {}",
                entry.len(),
                crate::tile::MAX_ENTRY
            )));
        }
        let mut state = self.shared.state.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(f) = &state.failed {
            return Err(Error::Stopped(f.clone()));
        }
        if state.stop {
            return Err(Error::Stopped("the sequencer is stopping".into()));
        }
        if state.pending.len() >= self.config.max_pending {
            return Err(Error::Pushback);
        }
        let slot = Arc::new(Slot::default());
        state.pending.push((slot.clone(), entry));
        if state.oldest.is_none() {
            state.oldest = Some(Instant::now());
        }
        // Wake the writer only when it has something to decide: a full batch, or a first entry to time.
        if state.pending.len() >= self.config.max_batch || state.pending.len() == 1 {
            self.shared.changed.notify_one();
        }
        Ok(Receipt { slot })
    }

    /// The latest signed checkpoint. It may lag the acknowledged entries by one batch, or by `max_age`
    /// under sustained load; every acknowledged entry is in the next one.
    pub fn checkpoint(&self) -> Note {
        self.shared.checkpoint.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Why a writer thread failed, if one did: the sequencer then takes nothing more, and the log must
    /// be reopened (which integrates the journal).
    pub fn failure(&self) -> Option<String> {
        self.shared.state.lock().unwrap_or_else(|p| p.into_inner()).failed.clone()
    }

    /// How long the oldest acknowledged entry that no signed checkpoint holds yet has waited for one
    /// (`None` when every acknowledged entry is in the latest checkpoint).
    pub fn unpublished_for(&self) -> Option<Duration> {
        let unpublished = self.shared.unpublished.lock().unwrap_or_else(|p| p.into_inner());
        unpublished.front().map(|(_, at)| at.elapsed())
    }

    /// How many entries are waiting for the next batch.
    pub fn pending(&self) -> usize {
        self.shared.state.lock().unwrap_or_else(|p| p.into_inner()).pending.len()
    }

    /// Commits what is pending and stops the writer; later submissions fail with [`Error::Stopped`].
    pub fn stop(&self) -> Result<(), Error> {
        {
            let mut state = self.shared.state.lock().unwrap_or_else(|p| p.into_inner());
            state.stop = true;
            self.shared.changed.notify_all();
        }
        let threads = std::mem::take(&mut *self.threads.lock().unwrap_or_else(|p| p.into_inner()));
        for t in threads {
            t.join().map_err(|_| Error::Stopped("a writer thread panicked".into()))?;
        }
        let state = self.shared.state.lock().unwrap_or_else(|p| p.into_inner());
        match &state.failed {
            Some(f) => Err(Error::Stopped(f.clone())),
            None => Ok(()),
        }
    }
}

impl Drop for Sequencer {
    fn drop(&mut self) {
        let _ = self.stop();
    }
}
