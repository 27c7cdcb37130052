//! Capacity by class of work, so that no single caller, and no class of work, can take the service
//! from the others.
//!
//! - **Reads of the record** (compliance, the daily report, exports, entry pages and proofs, the
//!   agreement page): [`Budget`] `record`, their own slots, waited for briefly rather than refused,
//!   run at normal priority; their results are shared by what they compute ([`Shared`]: the clipped
//!   day, the view, the durable log's size), and computed once however many readers ask at the same
//!   time.
//! - **Analyst work** (analyses, timelines, robustness, frontiers, drafts, the pages built on them):
//!   [`Budget`] `heavy`, at most a few at once and at most a share of them per caller (503 beyond),
//!   on threads of lowered priority ([`Priority::Analysis`]), so that the record's readers and the
//!   log's writer always come first on a busy machine.
//! - **Rehearsals** (`jobs.rs`): their own pool and queue, at the lowest priority.
//!
//! A slot is held until the work has actually stopped (a deadline or a departed client raises the
//! work's cancellation flag, [`truce_table::cancel`]); so abandoned work never piles up.

use std::any::Any;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::AppError;

/// A scheduling priority for CPU-heavy threads, lowered once for the thread's life (Linux; elsewhere
/// nothing changes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Priority {
    /// Reads of the record: niceness 5, so that acknowledgements come first.
    Record,
    /// Analyst work: niceness 10.
    Analysis,
    /// Background rehearsals: niceness 19, the lowest.
    Background,
}

impl Priority {
    /// Lowers the calling thread's priority (best effort: a system that refuses leaves it as it is).
    pub fn apply(self) {
        #[cfg(target_os = "linux")]
        {
            use thread_priority::unix::{
                NormalThreadSchedulePolicy, ThreadSchedulePolicy, set_thread_priority_and_policy,
                thread_native_id,
            };
            use thread_priority::{ThreadPriority, ThreadPriorityValue};
            // The crate maps 0..=99 onto niceness 19..=-20: 22 is niceness 10, 35 niceness 5.
            let niceness = |value: u8| {
                ThreadPriorityValue::try_from(value)
                    .map_or(ThreadPriority::Min, ThreadPriority::Crossplatform)
            };
            let priority = match self {
                Priority::Record => niceness(35),
                Priority::Analysis => niceness(22),
                Priority::Background => ThreadPriority::Min,
            };
            let _ = set_thread_priority_and_policy(
                thread_native_id(),
                priority,
                ThreadSchedulePolicy::Normal(NormalThreadSchedulePolicy::Other),
            );
        }
    }

    /// A pool of `threads` threads at this priority, for CPU-heavy work and the parallel loops inside it.
    pub fn pool(self, name: &'static str, threads: usize) -> Arc<rayon::ThreadPool> {
        let built = rayon::ThreadPoolBuilder::new()
            .num_threads(threads.max(1))
            .thread_name(move |i| format!("truce-{name}-{i}"))
            .start_handler(move |_| self.apply())
            .build();
        Arc::new(built.unwrap_or_else(|_| {
            // Only when no thread can be spawned at all; a pool of one is the least that works.
            rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap_or_else(|e| {
                panic!("truce-server: cannot start a thread for heavy work: {e}")
            })
        }))
    }
}

/// Slots for one class of work: at most `limit` at once, and at most `per_caller` of them for one
/// caller (the public counts as one caller).
pub struct Budget {
    what: &'static str,
    slots: Arc<tokio::sync::Semaphore>,
    limit: usize,
    per_caller: usize,
    held: Arc<Mutex<HashMap<i64, usize>>>,
}

/// A slot of a [`Budget`], given back when dropped.
pub struct Slot {
    _permit: tokio::sync::OwnedSemaphorePermit,
    caller: i64,
    held: Arc<Mutex<HashMap<i64, usize>>>,
}

impl Drop for Slot {
    fn drop(&mut self) {
        unclaim(&self.held, self.caller);
    }
}

/// Gives back one of `caller`'s counted slots.
fn unclaim(held: &Mutex<HashMap<i64, usize>>, caller: i64) {
    if let Ok(mut held) = held.lock()
        && let Some(n) = held.get_mut(&caller)
    {
        *n = n.saturating_sub(1);
        if *n == 0 {
            held.remove(&caller);
        }
    }
}

impl Budget {
    /// `limit` slots in all, `per_caller` for one caller; `what` names the work in refusals.
    pub fn new(what: &'static str, limit: usize, per_caller: usize) -> Budget {
        let limit = limit.max(1);
        Budget {
            what,
            slots: Arc::new(tokio::sync::Semaphore::new(limit)),
            limit,
            per_caller: per_caller.clamp(1, limit),
            held: Arc::new(Mutex::new(HashMap::new())),
        }
    }

    /// How many may run at once.
    pub fn limit(&self) -> usize {
        self.limit
    }

    /// How many one caller may run at once.
    pub fn per_caller(&self) -> usize {
        self.per_caller
    }

    /// How many slots are free now.
    pub fn free(&self) -> usize {
        self.slots.available_permits()
    }

    /// Counts a slot for `caller`, or refuses when the caller holds its share already.
    fn claim(&self, caller: i64) -> Result<(), AppError> {
        let mut held = self.held.lock().map_err(|_| AppError::Internal("budget lock".into()))?;
        let n = held.entry(caller).or_insert(0);
        if *n >= self.per_caller {
            return Err(AppError::Unavailable(format!(
                "you are at your share of {} at once ({}); wait for one to finish, then retry",
                self.what, self.per_caller
            )));
        }
        *n += 1;
        Ok(())
    }

    fn slot(&self, permit: tokio::sync::OwnedSemaphorePermit, caller: i64) -> Slot {
        Slot { _permit: permit, caller, held: self.held.clone() }
    }

    /// A slot now, or 503 with `Retry-After`.
    pub fn try_take(&self, caller: i64) -> Result<Slot, AppError> {
        self.claim(caller)?;
        match self.slots.clone().try_acquire_owned() {
            Ok(permit) => Ok(self.slot(permit, caller)),
            Err(_) => {
                self.release_claim(caller);
                Err(AppError::Unavailable(format!(
                    "the server is at its limit of {} at once ({}); retry shortly",
                    self.what, self.limit
                )))
            }
        }
    }

    /// A slot within `wait`, or 503 with `Retry-After`; no share per caller is counted (for work whose
    /// callers share its results, such as reads of the record, where the public is one caller).
    pub async fn take_within(&self, wait: Duration) -> Result<Slot, AppError> {
        // A slot counted for nobody: [`unclaim`] finds no count to take back.
        const NOBODY: i64 = i64::MIN;
        match tokio::time::timeout(wait, self.slots.clone().acquire_owned()).await {
            Ok(Ok(permit)) => Ok(self.slot(permit, NOBODY)),
            _ => Err(AppError::Unavailable(format!(
                "the server is at its limit of {} at once ({}) and none came free in {} s; retry shortly",
                self.what,
                self.limit,
                wait.as_secs()
            ))),
        }
    }

    fn release_claim(&self, caller: i64) {
        unclaim(&self.held, caller);
    }
}

/// Results of reads of the record, by what they compute (kind, clipped day, view), each with the size
/// of the durable log it was computed over. A reader gets the kept result when it covers every entry
/// acknowledged when the reader asked; otherwise it waits its turn on the question (at most
/// [`crate::RECORD_WAIT`]), and the first in line computes anew for everyone behind it. So, however
/// many readers ask and however fast the log grows, each question is computed at most once at a time,
/// and nobody is shown less of the log than had been acknowledged when they asked. A computation keeps
/// its result even when the reader who started it has gone.
#[derive(Default)]
pub struct Shared {
    cells: Mutex<HashMap<String, Arc<SharedCell>>>,
}

/// One question: whose turn it is to compute, and the latest result.
#[derive(Default)]
pub(crate) struct SharedCell {
    /// Held by the reader computing the question's next result.
    pub(crate) turn: tokio::sync::Mutex<()>,
    /// The latest result: the durable log's size it covers, and the value.
    pub(crate) kept: Mutex<Option<(u64, Arc<dyn Any + Send + Sync>)>>,
}

impl SharedCell {
    /// The kept result, if it covers `owed` entries and is a `T`.
    pub(crate) fn fresh<T: Clone + 'static>(&self, owed: u64) -> Option<T> {
        let kept = self.kept.lock().ok()?;
        let (size, value) = kept.as_ref()?;
        if *size < owed {
            return None;
        }
        value.downcast_ref::<T>().cloned()
    }

    /// Keeps `value`, computed over `size` entries, unless a result over more is kept already.
    pub(crate) fn keep(&self, size: u64, value: Arc<dyn Any + Send + Sync>) {
        if let Ok(mut kept) = self.kept.lock()
            && kept.as_ref().is_none_or(|(s, _)| *s <= size)
        {
            *kept = Some((size, value));
        }
    }
}

/// How many questions' results are kept at once (past it, those nobody is waiting on are forgotten).
pub const SHARED_KEPT: usize = 2048;

impl Shared {
    /// The cell of question `key`.
    pub(crate) fn cell(&self, key: &str) -> Arc<SharedCell> {
        let Ok(mut cells) = self.cells.lock() else {
            return Arc::new(SharedCell::default());
        };
        if let Some(cell) = cells.get(key) {
            return cell.clone();
        }
        if cells.len() >= SHARED_KEPT {
            cells.retain(|_, cell| Arc::strong_count(cell) > 1);
        }
        let cell = Arc::new(SharedCell::default());
        cells.insert(key.to_string(), cell.clone());
        cell
    }
}

/// Runs `f` on `pool` (if any; else on the blocking thread itself) under the cancellation `flag`.
pub(crate) fn run_in<T: Send>(
    pool: Option<&rayon::ThreadPool>,
    flag: &Arc<std::sync::atomic::AtomicBool>,
    f: impl FnOnce() -> T + Send,
) -> T {
    match pool {
        Some(pool) => pool.install(|| truce_table::cancel::scoped(flag, f)),
        None => truce_table::cancel::scoped(flag, f),
    }
}
