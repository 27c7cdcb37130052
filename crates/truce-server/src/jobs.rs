//! Negotiation rehearsals as background jobs, for the API (`POST /v1/scenarios/{slug}/simulations`) and
//! the rehearsal page alike.
//!
//! - **Their own pool.** Jobs run on their own threads ([`Priority::Background`], the lowest priority),
//!   [`JobLimits::workers`] at a time: they never take a slot from the record's readers or the
//!   analysts, and on a busy machine they get the CPU last.
//! - **A bounded queue per caller, and fair turns.** A caller may have [`JobLimits::per_caller`] jobs
//!   queued or running (503 beyond). Workers take the next job caller by caller, round robin, so a
//!   caller with many jobs waits behind one job of each other caller, never the other way round. The
//!   same request from the same caller, while its job is kept, is that job again.
//! - **Bounded results, kept per caller.** A job's document is serialised once, by the job, and checked
//!   against [`truce_report::simulation`]'s size limit; readers get those bytes, never a new
//!   serialisation. A caller's finished jobs are kept [`JobLimits::kept_per_caller`] at most, for
//!   [`JobLimits::kept_for`], and within an eighth of the memory budget ([`JobLimits::kept_bytes`]);
//!   past the whole budget the caller holding the most gives up its oldest first, so one caller can
//!   never push out another's.
//! - **A deadline.** A job running past [`JobLimits::deadline`] fails with that reason; its worker waits
//!   for it to stop (its cancellation flag raised) before taking the next.
//! - **Kept in the store.** Each job is written to the store when it is queued, when it starts and
//!   when it ends (its document and plots with it), so that any server sharing the store answers for
//!   it, and a finished job outlives a restart until its time is up. A server that starts marks the
//!   jobs it had queued or running as interrupted (`AppState::adopt_jobs`); a job whose server stopped
//!   without starting again reads as interrupted once it is older than [`JobLimits::kept_for`]. The
//!   queue itself (the work) stays in memory: a job runs on the server that took it.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;

use truce_store::{JobRecord, Store};

use crate::AppError;
use crate::capacity::Priority;

/// The limits of the rehearsal queue.
#[derive(Debug, Clone)]
pub struct JobLimits {
    /// Threads running rehearsals (default: half the cores, at least one).
    pub workers: usize,
    /// Jobs one caller may have queued or running at once.
    pub per_caller: usize,
    /// Finished jobs kept for one caller.
    pub kept_per_caller: usize,
    /// How long a finished job is kept.
    pub kept_for: Duration,
    /// The bytes of all finished jobs' documents and plots together.
    pub kept_bytes: usize,
    /// How long one job may run.
    pub deadline: Duration,
}

/// Rehearsals one caller may have queued or running at once.
pub const JOBS_PER_CALLER: usize = 4;
/// Finished rehearsals kept for one caller.
pub const JOBS_KEPT_PER_CALLER: usize = 16;
/// Bytes of finished rehearsals kept for everyone together.
pub const JOBS_KEPT_BYTES: usize = 256 << 20;

impl Default for JobLimits {
    fn default() -> JobLimits {
        JobLimits {
            workers: std::thread::available_parallelism().map_or(1, |n| (n.get() / 2).max(1)),
            per_caller: JOBS_PER_CALLER,
            kept_per_caller: JOBS_KEPT_PER_CALLER,
            kept_for: Duration::from_secs(3600),
            kept_bytes: JOBS_KEPT_BYTES,
            deadline: Duration::from_secs(60),
        }
    }
}

/// A finished rehearsal: its document as served, and the plots and report the page shows.
pub(crate) struct Finished {
    /// The document (`truce.simulation/1`), serialised once.
    pub(crate) json: Bytes,
    /// The document and its plots.
    pub(crate) simulation: truce_report::simulation::Simulation,
    /// What it costs to keep (bytes, estimated).
    bytes: usize,
}

/// Where a job stands.
#[derive(Clone)]
pub(crate) enum JobState {
    /// Waiting for a worker; how many of the caller's jobs are ahead is not told.
    Queued,
    /// Running.
    Running,
    /// Done.
    Done(Arc<Finished>),
    /// Refused or failed, with why.
    Failed(String),
    /// Stopped by its server's stopping, with why.
    Interrupted(String),
}

impl JobState {
    /// `queued`, `running`, `done` or `failed`.
    pub(crate) fn name(&self) -> &'static str {
        match self {
            JobState::Queued => "queued",
            JobState::Running => "running",
            JobState::Done(_) => "done",
            JobState::Failed(_) => "failed",
            JobState::Interrupted(_) => "interrupted",
        }
    }

    fn is_live(&self) -> bool {
        matches!(self, JobState::Queued | JobState::Running)
    }
}

/// A rehearsal.
pub(crate) struct Job {
    /// The user who started it; only they and mediators may read it.
    pub(crate) owner: i64,
    /// The scenario.
    pub(crate) slug: String,
    /// The request, for recognising the same one again.
    ask: String,
    /// When it was asked for.
    queued: Instant,
    /// When it ended.
    ended: Option<Instant>,
    /// Where it stands.
    pub(crate) state: JobState,
    /// When it was asked for, in Unix seconds (the store's record).
    created: i64,
}

type Work = Box<dyn FnOnce() -> Result<truce_report::simulation::Simulation, String> + Send>;

#[derive(Default)]
struct Book {
    jobs: HashMap<String, Job>,
    waiting: HashMap<i64, VecDeque<(String, Work)>>,
    /// Callers with waiting jobs, in the order of their next turn.
    turns: VecDeque<i64>,
}

/// The rehearsal queue and its workers.
pub(crate) struct Rehearsals {
    book: Mutex<Book>,
    wake: tokio::sync::Notify,
    pool: Arc<rayon::ThreadPool>,
    pub(crate) limits: JobLimits,
    /// Where jobs are kept.
    store: crate::Db,
    /// This server's name in the jobs it keeps ([`Rehearsals::adopt`]).
    server: Mutex<String>,
}

/// Now, in Unix seconds.
fn now() -> i64 {
    jiff::Timestamp::now().as_second()
}

impl Rehearsals {
    /// The queue, with its workers started (call inside a tokio runtime).
    pub(crate) fn start(limits: JobLimits, store: crate::Db) -> Arc<Rehearsals> {
        let pool = Priority::Background.pool("rehearsal", limits.workers);
        let r = Arc::new(Rehearsals {
            book: Mutex::new(Book::default()),
            wake: tokio::sync::Notify::new(),
            pool,
            limits,
            store,
            server: Mutex::new("local".into()),
        });
        for _ in 0..r.limits.workers.max(1) {
            let weak = Arc::downgrade(&r);
            tokio::spawn(async move { worker(weak).await });
        }
        r
    }

    fn book(&self) -> Result<std::sync::MutexGuard<'_, Book>, AppError> {
        self.book.lock().map_err(|_| AppError::Internal("the rehearsal queue's lock".into()))
    }

    fn server(&self) -> String {
        self.server.lock().map(|s| s.clone()).unwrap_or_default()
    }

    /// Names this server in the jobs it keeps, and marks the jobs it had queued or running under that
    /// name when it stopped as interrupted; returns how many.
    pub(crate) async fn adopt(&self, server: &str) -> Result<u64, AppError> {
        if let Ok(mut s) = self.server.lock() {
            *s = server.to_string();
        }
        let expires = now() + self.limits.kept_for.as_secs() as i64;
        Ok(self
            .store
            .interrupt_jobs(server, "the server running it stopped; ask for it again", expires)
            .await?)
    }

    /// The store's record of a job.
    fn record(&self, id: &str, job: &Job) -> JobRecord {
        let (reason, document, plots, expires) = match &job.state {
            JobState::Done(done) => (
                String::new(),
                Some(done.json.to_vec()),
                serde_json::to_string(&done.simulation.svgs).ok(),
                now() + self.limits.kept_for.as_secs() as i64,
            ),
            JobState::Failed(why) | JobState::Interrupted(why) => {
                (why.clone(), None, None, now() + self.limits.kept_for.as_secs() as i64)
            }
            JobState::Queued | JobState::Running => (String::new(), None, None, 0),
        };
        JobRecord {
            id: id.to_string(),
            owner: job.owner,
            slug: job.slug.clone(),
            ask: job.ask.clone(),
            server: self.server(),
            state: job.state.name().to_string(),
            reason,
            document,
            plots,
            created: job.created,
            expires,
        }
    }

    /// Writes job `id` as it stands to the store, and forgets its owner's finished jobs beyond the
    /// limits. A failure is logged: the job goes on here, and readers on other servers see it late.
    async fn keep(&self, id: &str) {
        let record = {
            let Ok(book) = self.book.lock() else { return };
            match book.jobs.get(id) {
                Some(job) => self.record(id, job),
                None => return,
            }
        };
        let (owner, ended) = (record.owner, record.expires > 0);
        if let Err(e) = self.store.save_job(&record).await {
            tracing::warn!(job = id, error = %e, "a rehearsal could not be written to the store");
        }
        if ended {
            let keep = self.limits.kept_per_caller as i64;
            if let Err(e) = self.store.forget_jobs(now(), owner, keep).await {
                tracing::warn!(error = %e, "finished rehearsals could not be forgotten");
            }
        }
    }

    /// Queues a rehearsal of `slug` for `owner`, described by `ask` (the same description is the same
    /// job while it is kept); returns its id.
    pub(crate) async fn submit(
        &self,
        owner: i64,
        slug: &str,
        ask: String,
        work: Work,
    ) -> Result<String, AppError> {
        let id = self.queue(owner, slug, ask, work)?;
        self.keep(&id).await;
        Ok(id)
    }

    fn queue(&self, owner: i64, slug: &str, ask: String, work: Work) -> Result<String, AppError> {
        let mut book = self.book()?;
        sweep(&mut book, &self.limits);
        if let Some((id, _)) = book.jobs.iter().find(|(_, j)| {
            j.owner == owner
                && j.slug == slug
                && j.ask == ask
                && !matches!(j.state, JobState::Failed(_) | JobState::Interrupted(_))
        }) {
            return Ok(id.clone());
        }
        let live = book.jobs.values().filter(|j| j.owner == owner && j.state.is_live()).count();
        if live >= self.limits.per_caller {
            return Err(AppError::Unavailable(format!(
                "you already have {} rehearsals queued or running; wait for one to finish",
                self.limits.per_caller
            )));
        }
        let id = new_id()?;
        book.jobs.insert(
            id.clone(),
            Job {
                owner,
                slug: slug.to_string(),
                ask,
                queued: Instant::now(),
                ended: None,
                state: JobState::Queued,
                created: now(),
            },
        );
        book.waiting.entry(owner).or_default().push_back((id.clone(), work));
        if !book.turns.contains(&owner) {
            book.turns.push_back(owner);
        }
        drop(book);
        self.wake.notify_one();
        Ok(id)
    }

    /// Job `id` as `reader` may see it: its scenario and state; `None` (404) if it is not kept, or is
    /// another caller's and `reader` is no mediator. A job this server does not hold is read from the
    /// store (another server's, or one finished before a restart).
    pub(crate) async fn get(
        &self,
        id: &str,
        reader: i64,
        mediator: bool,
    ) -> Result<Option<(String, JobState)>, AppError> {
        {
            let book = self.book()?;
            if let Some(j) = book.jobs.get(id) {
                return Ok(
                    (j.owner == reader || mediator).then(|| (j.slug.clone(), j.state.clone()))
                );
            }
        }
        // Ids are 32 hex digits: anything else is no job, without asking the store.
        if id.len() != 32 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok(None);
        }
        let record = match self.store.job(id, now()).await {
            Ok(r) => r,
            Err(truce_store::Error::NotFound) => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        if record.owner != reader && !mediator {
            return Ok(None);
        }
        let state = self.state_of(&record)?;
        Ok(Some((record.slug, state)))
    }

    /// A stored job's state.
    fn state_of(&self, r: &JobRecord) -> Result<JobState, AppError> {
        let stale = r.created + (self.limits.kept_for.as_secs() as i64) < now();
        Ok(match r.state.as_str() {
            "done" => {
                let (Some(document), Some(plots)) = (&r.document, &r.plots) else {
                    return Err(AppError::Internal(format!(
                        "job {}: done without its document",
                        r.id
                    )));
                };
                let report = serde_json::from_slice(document)
                    .map_err(|e| AppError::Internal(format!("job {}'s document: {e}", r.id)))?;
                let svgs: Vec<String> = serde_json::from_str(plots)
                    .map_err(|e| AppError::Internal(format!("job {}'s plots: {e}", r.id)))?;
                let bytes = document.len() * 3 + svgs.iter().map(String::len).sum::<usize>();
                JobState::Done(Arc::new(Finished {
                    json: Bytes::from(document.clone()),
                    simulation: truce_report::simulation::Simulation { report, svgs },
                    bytes,
                }))
            }
            "failed" => JobState::Failed(r.reason.clone()),
            "interrupted" => JobState::Interrupted(r.reason.clone()),
            _ if stale => JobState::Interrupted(
                "the server running it stopped without starting again; ask for it again".into(),
            ),
            "running" => JobState::Running,
            _ => JobState::Queued,
        })
    }

    /// Whether a job waits.
    fn next_ready(&self) -> bool {
        self.book.lock().is_ok_and(|b| !b.turns.is_empty())
    }

    /// The next job, taken caller by caller.
    fn next(&self) -> Option<(String, Work)> {
        let mut book = self.book.lock().ok()?;
        while let Some(owner) = book.turns.pop_front() {
            let Some(queue) = book.waiting.get_mut(&owner) else { continue };
            let Some(item) = queue.pop_front() else {
                book.waiting.remove(&owner);
                continue;
            };
            if queue.is_empty() {
                book.waiting.remove(&owner);
            } else {
                book.turns.push_back(owner);
            }
            if let Some(job) = book.jobs.get_mut(&item.0) {
                job.state = JobState::Running;
            }
            return Some(item);
        }
        None
    }

    async fn finish(&self, id: &str, state: JobState) {
        {
            let Ok(mut book) = self.book.lock() else { return };
            if let Some(job) = book.jobs.get_mut(id) {
                job.state = state;
                job.ended = Some(Instant::now());
            }
        }
        self.keep(id).await;
        if let Ok(mut book) = self.book.lock() {
            sweep(&mut book, &self.limits);
        }
    }
}

/// A 128-bit random id, in hex.
fn new_id() -> Result<String, AppError> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| AppError::Internal(format!("no randomness: {e}")))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Forgets finished jobs past their time, past their caller's count, and past the memory budget (the
/// caller keeping the most bytes gives up its oldest first).
fn sweep(book: &mut Book, limits: &JobLimits) {
    book.jobs.retain(|_, j| j.ended.is_none_or(|t| t.elapsed() < limits.kept_for));
    let mut by_owner: HashMap<i64, Vec<(Instant, String, usize)>> = HashMap::new();
    for (id, j) in &book.jobs {
        if j.ended.is_some() {
            let bytes = match &j.state {
                JobState::Done(f) => f.bytes,
                _ => 0,
            };
            by_owner.entry(j.owner).or_default().push((j.queued, id.clone(), bytes));
        }
    }
    let mut forget = Vec::new();
    // Per caller: at most so many, and at most an eighth of the memory budget.
    let per_caller_bytes = limits.kept_bytes / 8;
    for kept in by_owner.values_mut() {
        kept.sort();
        while kept.len() > limits.kept_per_caller
            || (kept.len() > 1 && kept.iter().map(|k| k.2).sum::<usize>() > per_caller_bytes)
        {
            forget.push(kept.remove(0).1);
        }
    }
    let mut total: usize = by_owner.values().flatten().map(|k| k.2).sum();
    while total > limits.kept_bytes {
        let Some(kept) = by_owner
            .values_mut()
            .filter(|k| !k.is_empty())
            .max_by_key(|k| k.iter().map(|x| x.2).sum::<usize>())
        else {
            break;
        };
        let (_, id, bytes) = kept.remove(0);
        total -= bytes;
        forget.push(id);
    }
    for id in forget {
        book.jobs.remove(&id);
    }
}

/// One worker: takes jobs in turn and runs each on the rehearsal pool, under the deadline.
async fn worker(queue: std::sync::Weak<Rehearsals>) {
    loop {
        let Some(r) = queue.upgrade() else { return };
        let Some((id, work)) = r.next() else {
            // Registered before looking again, so that a job queued in between still wakes us; and
            // woken at least now and then, so that a queue that is gone ends its workers.
            let notified = r.wake.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if r.next_ready() {
                continue;
            }
            let _ = tokio::time::timeout(Duration::from_secs(5), notified).await;
            continue;
        };
        r.keep(&id).await;
        let flag = Arc::new(AtomicBool::new(false));
        let (pool, inner, deadline) = (r.pool.clone(), flag.clone(), r.limits.deadline);
        let mut task = tokio::task::spawn_blocking(move || {
            crate::capacity::run_in(Some(&pool), &inner, || {
                let simulation = work()?;
                let json = serde_json::to_vec(&simulation.report).map_err(|e| e.to_string())?;
                let limit = truce_report::simulation::MAX_DOCUMENT_BYTES;
                if json.len() > limit {
                    return Err(format!(
                        "the rehearsal's document would be {} bytes, over the limit of {limit}; ask for fewer protocols, parties or rounds",
                        json.len()
                    ));
                }
                let bytes = json.len() * 3 + simulation.svgs.iter().map(String::len).sum::<usize>();
                Ok(Finished { json: Bytes::from(json), simulation, bytes })
            })
        });
        let state = match tokio::time::timeout(deadline, &mut task).await {
            Ok(Ok(Ok(done))) => JobState::Done(Arc::new(done)),
            Ok(Ok(Err(e))) => JobState::Failed(e),
            Ok(Err(e)) => JobState::Failed(format!("the rehearsal stopped: {e}")),
            Err(_) => {
                flag.store(true, std::sync::atomic::Ordering::Relaxed);
                r.finish(
                    &id,
                    JobState::Failed(format!(
                        "the rehearsal ran past its {} s deadline and was stopped; ask for fewer rounds or protocols",
                        deadline.as_secs()
                    )),
                )
                .await;
                // The pool is free only once the work has stopped.
                let _ = task.await;
                continue;
            }
        };
        r.finish(&id, state).await;
    }
}
