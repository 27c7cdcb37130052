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
//! - **Rehearsals** (`crate::jobs`): their own pool and queue, at the lowest priority.
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
            // The crate maps 0..=99 onto niceness 19..=-20: 22 is niceness 10.
            let priority = match self {
                Priority::Analysis => ThreadPriorityValue::try_from(22u8)
                    .map_or(ThreadPriority::Min, ThreadPriority::Crossplatform),
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

    /// A slot within `wait`, or 503 with `Retry-After`.
    pub async fn take_within(&self, caller: i64, wait: Duration) -> Result<Slot, AppError> {
        self.claim(caller)?;
        match tokio::time::timeout(wait, self.slots.clone().acquire_owned()).await {
            Ok(Ok(permit)) => Ok(self.slot(permit, caller)),
            _ => {
                self.release_claim(caller);
                Err(AppError::Unavailable(format!(
                    "the server is at its limit of {} at once ({}) and none came free in {} s; retry shortly",
                    self.what,
                    self.limit,
                    wait.as_secs()
                )))
            }
        }
    }

    fn release_claim(&self, caller: i64) {
        unclaim(&self.held, caller);
    }
}

/// Results of reads of the record, by what they compute (kind, clipped day, view) and the durable log's
/// size: a result for the same question over the same log is the same, and readers asking it at the
/// same time wait for one computation instead of starting their own.
#[derive(Default)]
pub struct Shared {
    cells: Mutex<HashMap<String, (u64, SharedCell)>>,
}

type SharedCell = Arc<tokio::sync::OnceCell<Arc<dyn Any + Send + Sync>>>;

/// How many results are kept at once (the oldest log sizes' go first).
pub const SHARED_KEPT: usize = 512;

impl Shared {
    /// The cell for `key` over a log of `size` entries.
    pub(crate) fn cell(&self, key: &str, size: u64) -> SharedCell {
        let Ok(mut cells) = self.cells.lock() else {
            return Arc::new(tokio::sync::OnceCell::new());
        };
        if let Some((s, cell)) = cells.get(key)
            && *s == size
        {
            return cell.clone();
        }
        if cells.len() >= SHARED_KEPT {
            // Results over an older log are never asked for again.
            cells.retain(|_, (s, _)| *s >= size);
            if cells.len() >= SHARED_KEPT {
                cells.clear();
            }
        }
        let cell: SharedCell = Arc::new(tokio::sync::OnceCell::new());
        cells.insert(key.to_string(), (size, cell.clone()));
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
