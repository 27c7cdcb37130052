//! Group commit: many submitters, one writer thread, batches that close on size or age.
//!
//! [`Sequencer::submit`] blocks until its entry is durable and checkpointed, then returns its index.
//! The writer takes the pending entries as a batch when `max_batch` are waiting or the oldest has waited
//! `max_age`, whichever comes first, and appends them with [`Log::append`]. When `max_pending` entries are
//! already waiting, `submit` returns [`Error::Pushback`] at once: the server turns it into 503.

use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::Error;
use crate::log::Log;
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
}

impl Default for SequencerConfig {
    fn default() -> Self {
        SequencerConfig { max_batch: 256, max_age: Duration::from_millis(50), max_pending: 4096 }
    }
}

/// Where one submitter waits for its own outcome: the writer fills it and wakes only that submitter.
#[derive(Default)]
struct Slot {
    outcome: Mutex<Option<Result<u64, String>>>,
    ready: Condvar,
}

impl Slot {
    fn set(&self, outcome: Result<u64, String>) {
        *self.outcome.lock().unwrap_or_else(|p| p.into_inner()) = Some(outcome);
        self.ready.notify_one();
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
}

/// The promise of an index for a queued entry.
pub struct Receipt {
    slot: Arc<Slot>,
}

impl Receipt {
    /// Waits until the entry is durable and checkpointed; returns its index.
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
    /// The writer thread, taken when stopping.
    writer: Mutex<Option<JoinHandle<()>>>,
}

impl Sequencer {
    /// Starts the writer thread over `log`.
    pub fn start<S: Storage + 'static>(mut log: Log<S>, config: SequencerConfig) -> Sequencer {
        let shared = Arc::new(Shared {
            state: Mutex::new(State {
                pending: Vec::new(),
                oldest: None,
                failed: None,
                stop: false,
            }),
            changed: Condvar::new(),
        });
        let writer_shared = shared.clone();
        let writer = std::thread::spawn(move || {
            let shared = writer_shared;
            loop {
                let batch: Vec<(Arc<Slot>, Vec<u8>)> = {
                    let mut state = shared.state.lock().unwrap_or_else(|p| p.into_inner());
                    loop {
                        if state.stop && state.pending.is_empty() {
                            return;
                        }
                        let full = state.pending.len() >= config.max_batch;
                        let age = state.oldest.map(|t| t.elapsed());
                        if full || state.stop || age.is_some_and(|a| a >= config.max_age) {
                            break;
                        }
                        state = match age {
                            Some(a) => {
                                shared
                                    .changed
                                    .wait_timeout(state, config.max_age - a)
                                    .unwrap_or_else(|p| p.into_inner())
                                    .0
                            }
                            None => shared.changed.wait(state).unwrap_or_else(|p| p.into_inner()),
                        };
                    }
                    let take = state.pending.len().min(config.max_batch);
                    let batch: Vec<_> = state.pending.drain(..take).collect();
                    state.oldest =
                        if state.pending.is_empty() { None } else { Some(Instant::now()) };
                    batch
                };
                let (slots, entries): (Vec<Arc<Slot>>, Vec<Vec<u8>>) = batch.into_iter().unzip();
                match log.append(&entries) {
                    Ok(first) => {
                        for (k, slot) in slots.iter().enumerate() {
                            slot.set(Ok(first + k as u64));
                        }
                    }
                    Err(e) => {
                        // Nothing of this batch is acknowledged; the log must be reopened.
                        let message = e.to_string();
                        let mut state = shared.state.lock().unwrap_or_else(|p| p.into_inner());
                        state.failed = Some(message.clone());
                        for (slot, _) in state.pending.drain(..) {
                            slot.set(Err(message.clone()));
                        }
                        drop(state);
                        for slot in slots {
                            slot.set(Err(message.clone()));
                        }
                        return;
                    }
                }
            }
        });
        Sequencer { shared, config, writer: Mutex::new(Some(writer)) }
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
        let writer = self.writer.lock().unwrap_or_else(|p| p.into_inner()).take();
        if let Some(w) = writer {
            w.join().map_err(|_| Error::Stopped("the writer thread panicked".into()))?;
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
