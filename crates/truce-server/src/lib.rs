//! Truce as a service: a versioned JSON API over the core crates, authorisation by role, and the C2SP
//! read path of the observation log.
//!
//! What it does not do: business rules. Validation is `truce_scenario::parse`, analysis
//! `truce_table::analyze`, the log's rules `truce_watch::registry`, compliance
//! `truce_watch::compliance`, durability `truce_tlog`. This crate maps them to HTTP, and decides who may
//! call what ([`auth`]).

#![deny(missing_docs)]

mod assets;
pub mod auth;
pub mod capacity;
mod field;
mod handlers;
pub mod jobs;
pub mod launch;
pub mod media;
mod pages;
mod reads;
mod routes;
mod scenario_pages;
mod script;
pub mod security;
mod table;
mod views;
pub mod watch;
mod witness;

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use truce_store::{Role, Store, User};
use truce_tlog::sequencer::SequencerConfig;

pub use auth::Endpoint;

/// A handler's view of the state.
pub(crate) type St<S> = axum::extract::State<Arc<AppState<S>>>;
pub use handlers::{MAX_BATCH, openapi_document};
pub use table::MAX_DRAWS;
pub use watch::Watch;
pub use witness::{Peer, PeerStatus, Witnesses, start_cosigning};

/// What the server runs on.
pub struct AppState<S: Store> {
    /// The relational store.
    pub store: S,
    /// The observation log, if this server runs one.
    pub watch: Option<Arc<Watch>>,
    /// Live updates: (log index, entry kind) of each entry appended, for server-sent events.
    pub events: tokio::sync::broadcast::Sender<(u64, String)>,
    /// Entries to index in the store, in log order, by a background task (the log is the durable
    /// record; the index follows it and is rebuilt from it on start).
    indexer: tokio::sync::mpsc::UnboundedSender<IndexJob>,
    /// Recently seen tokens (by hash) and their users, trusted for [`TOKEN_CACHE_TTL`]: a revoked token
    /// stops working within that time. Saves a database round trip per request.
    pub(crate) tokens: Mutex<std::collections::HashMap<[u8; 32], (User, std::time::Instant)>>,
    /// The witnesses this server hosts, and those its log asks to cosign (set before serving).
    pub witnesses: Witnesses,
    /// Whether cookies carry `Secure` (the configured public URL is https).
    pub secure_cookies: bool,
    /// The URL this server is reached at (`TRUCE_PUBLIC_URL`), for the commands the pages print; the
    /// request's `Host` when unset.
    pub public_url: Option<String>,
    /// The map's basemap tile URL template, if configured (`TRUCE_BASEMAP_URL`).
    pub basemap_url: Option<String>,
    /// Where the files behind observations are kept, if anywhere (`media_url`).
    pub media: Option<media::MediaStore>,
    /// Analyst work (analyses, timelines, robustness, frontiers, drafts, the pages built on them): at
    /// most [`Budget::limit`] at once and [`Budget::per_caller`] per caller (503 beyond), on
    /// [`AppState::analysis_pool`]'s threads of lowered priority.
    heavy: capacity::Budget,
    /// The threads analyst work runs on (and its parallel loops), at [`capacity::Priority::Analysis`].
    analysis_pool: Arc<rayon::ThreadPool>,
    /// Reads of the record (compliance, the daily report, exports, entry pages and proofs, and the pages
    /// built on them): their own slots, which analyst work and rehearsals never take; a read waits up to
    /// [`RECORD_WAIT`] for one.
    record: capacity::Budget,
    /// The threads reads of the record run on, at [`capacity::Priority::Record`]: below the
    /// acknowledgements', above analyst work's.
    record_pool: Arc<rayon::ThreadPool>,
    /// How long a heavy request may run before it is stopped (default 30 s).
    pub deadline: std::time::Duration,
    /// The pace every request's body must keep (media uploads have their own, [`media::MediaStore`]).
    pub body_pace: media::Pace,
    /// Scenarios whose [`truce_table::cost_estimate`] exceeds this are refused when saved.
    pub cost_budget: f64,
    /// Results of reads of the record, by what they compute and the durable log's size
    /// ([`capacity::Shared`]).
    shared: capacity::Shared,
    /// Parsed scenario versions, by slug and version (a version never changes): pages and analyses
    /// parse each once, off the async workers.
    parsed: Mutex<std::collections::HashMap<(String, i64), Arc<truce_scenario::Scenario>>>,
    /// Server-sent event streams open, per caller (user id, or 0 for the public together).
    pub(crate) streams: Arc<Mutex<std::collections::HashMap<i64, usize>>>,
    /// At most this many event streams open at once, in total ([`STREAMS_TOTAL`] by default).
    pub streams_total: usize,
    /// At most this many per signed-in caller ([`STREAMS_PER_CALLER`] by default); the public shares
    /// [`STREAMS_PUBLIC`] between all anonymous callers.
    pub streams_per_caller: usize,
    /// Keys (hex) found held in the store, and their holders' user ids. A binding is never removed (a
    /// key is retired by a `revoke` entry on the log), so a found holder is cached for good.
    key_holders: Mutex<std::collections::HashMap<String, i64>>,
    /// Authors' public keys, parsed (decompressed) once: a key is the same key for as long as it is
    /// used, so the cache is only ever cleared, never invalidated.
    pub(crate) keys: Mutex<std::collections::HashMap<String, ed25519_dalek::VerifyingKey>>,
    /// Negotiation rehearsals, queued per caller and run on their own threads ([`jobs`]).
    pub(crate) rehearsals: Arc<jobs::Rehearsals>,
}

/// The largest request body the API reads (except media uploads, which have their own limit), and so
/// the largest scenario version: axum's default, stated.
pub const MAX_BODY_BYTES: usize = 2 << 20;

/// How long a read of the record waits for a slot before it is refused (503).
pub const RECORD_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// How long a token found in the store is trusted without asking the store again.
pub const TOKEN_CACHE_TTL: std::time::Duration = std::time::Duration::from_secs(10);

/// Work for the indexer.
pub(crate) enum IndexJob {
    /// A new entry.
    Entry(truce_store::IndexedEntry),
    /// An observation's new verification state.
    State(i64, String),
    /// Nothing new: retry the state changes that wait for their observation.
    Retry,
}

impl<S: Store> AppState<S> {
    /// The state of a server over `store` and, if it runs one, a log. Starts the indexer task: call it
    /// inside a tokio runtime.
    pub fn new(store: S, watch: Option<Arc<Watch>>) -> AppState<S> {
        let (indexer, mut jobs) = tokio::sync::mpsc::unbounded_channel::<IndexJob>();
        let index_store = store.clone();
        tokio::spawn(async move {
            // A state change whose observation is not indexed yet (their acknowledgements raced) waits
            // for a later batch.
            let mut deferred: Vec<(i64, String, u32)> = Vec::new();
            loop {
                let first = if deferred.is_empty() {
                    jobs.recv().await
                } else {
                    match tokio::time::timeout(std::time::Duration::from_millis(100), jobs.recv())
                        .await
                    {
                        Ok(None) => None,
                        Ok(Some(j)) => Some(j),
                        Err(_) => Some(IndexJob::Retry),
                    }
                };
                let Some(first) = first else { break };
                // The index is a cache of the log: gathering a few milliseconds of jobs makes one
                // write of many rows instead of many writes.
                tokio::time::sleep(std::time::Duration::from_millis(5)).await;
                let mut batch = vec![first];
                while batch.len() < 4096 {
                    match jobs.try_recv() {
                        Ok(j) => batch.push(j),
                        Err(_) => break,
                    }
                }
                // Rows first, then state changes, each in log order: a state change never precedes its row.
                let rows: Vec<_> = batch
                    .iter()
                    .filter_map(|j| match j {
                        IndexJob::Entry(e) => Some(e.clone()),
                        _ => None,
                    })
                    .collect();
                // A failed write (a locked or unreachable database) is retried until it succeeds: the
                // index never skips an entry, and its watermark (the first index missing) says how far
                // it is complete.
                let mut wait = std::time::Duration::from_millis(50);
                while let Err(e) = index_store.index_entries(&rows).await {
                    eprintln!(
                        "truce-server: indexing {} entries failed, retrying: {e}",
                        rows.len()
                    );
                    tokio::time::sleep(wait).await;
                    wait = (wait * 2).min(std::time::Duration::from_secs(2));
                }
                let states =
                    std::mem::take(&mut deferred).into_iter().chain(batch.iter().filter_map(|j| {
                        match j {
                            IndexJob::State(index, state) => Some((*index, state.clone(), 0)),
                            _ => None,
                        }
                    }));
                for (index, state, tries) in states.collect::<Vec<_>>() {
                    let mut wait = std::time::Duration::from_millis(50);
                    loop {
                        match index_store.set_state(index, &state).await {
                            Ok(()) => break,
                            Err(truce_store::Error::NotFound) if tries < 1000 => {
                                deferred.push((index, state, tries + 1));
                                break;
                            }
                            Err(truce_store::Error::NotFound) => {
                                eprintln!("truce-server: observation {index} never indexed");
                                break;
                            }
                            Err(e) => {
                                eprintln!("truce-server: indexing a state failed, retrying: {e}");
                                tokio::time::sleep(wait).await;
                                wait = (wait * 2).min(std::time::Duration::from_secs(2));
                            }
                        }
                    }
                }
            }
        });
        AppState {
            store,
            watch,
            events: tokio::sync::broadcast::channel(1024).0,
            indexer,
            tokens: Mutex::new(std::collections::HashMap::new()),
            witnesses: Witnesses::default(),
            secure_cookies: false,
            public_url: None,
            basemap_url: None,
            media: None,
            heavy: capacity::Budget::new(
                "heavy requests (analyses, timelines, robustness runs)",
                cores(),
                (cores() / 2).max(1),
            ),
            analysis_pool: capacity::Priority::Analysis.pool("analysis", cores()),
            // Half the cores, so that the other half always serves acknowledgements.
            record: capacity::Budget::new("reads of the record", (cores() / 2).max(1), 1),
            record_pool: capacity::Priority::Record.pool("record", cores()),
            deadline: std::time::Duration::from_secs(30),
            body_pace: media::Pace::default(),
            cost_budget: truce_table::DEFAULT_COST_BUDGET,
            shared: capacity::Shared::default(),
            parsed: Mutex::new(std::collections::HashMap::new()),
            streams: Arc::new(Mutex::new(std::collections::HashMap::new())),
            streams_total: STREAMS_TOTAL,
            streams_per_caller: STREAMS_PER_CALLER,
            key_holders: Mutex::new(std::collections::HashMap::new()),
            keys: Mutex::new(std::collections::HashMap::new()),
            rehearsals: jobs::Rehearsals::start(jobs::JobLimits::default()),
        }
    }

    /// The user who holds `key` (hex), if any.
    pub(crate) async fn key_holder(&self, key: &str) -> Result<Option<i64>, AppError> {
        if let Some(id) = self.key_holders.lock().ok().and_then(|m| m.get(key).copied()) {
            return Ok(Some(id));
        }
        match self.store.key_holder(key).await {
            Ok(id) => {
                if let Ok(mut m) = self.key_holders.lock() {
                    m.insert(key.to_string(), id);
                }
                Ok(Some(id))
            }
            Err(truce_store::Error::NotFound) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// Sets how many heavy requests (analyst work) may run at once, and how many per caller.
    pub fn set_heavy_limit(&mut self, limit: usize, per_caller: usize) {
        self.heavy = capacity::Budget::new(
            "heavy requests (analyses, timelines, robustness runs)",
            limit,
            per_caller,
        );
    }

    /// Sets how many reads of the record may run at once.
    pub fn set_record_limit(&mut self, limit: usize) {
        self.record = capacity::Budget::new("reads of the record", limit, limit);
    }

    /// Sets the rehearsal queue's limits (restarting it empty).
    pub fn set_job_limits(&mut self, limits: jobs::JobLimits) {
        self.rehearsals = jobs::Rehearsals::start(limits);
    }

    /// Runs analyst work off the async workers, on threads of lowered priority, bounded three ways: at
    /// most [`capacity::Budget::limit`] at once and a share per caller (503 with `Retry-After` beyond),
    /// stopped at the [`AppState::deadline`] (503), and stopped when the client goes away (the handler's
    /// future is dropped). Stopping raises the work's cancellation flag ([`truce_table::cancel`]); its
    /// slot is freed only when the work has actually stopped, so abandoned work never piles up.
    pub(crate) async fn heavy<T: Send + 'static>(
        &self,
        caller: &Caller,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, AppError> {
        let slot = self.heavy.try_take(caller.id())?;
        self.run_bounded(slot, Some(self.analysis_pool.clone()), f).await
    }

    /// Runs a read of the record off the async workers, on its own slots (waiting up to
    /// [`RECORD_WAIT`] for one), under the deadline and cancelled when the client goes away.
    pub(crate) async fn record<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, AppError> {
        let slot = self.record.take_within(RECORD_WAIT).await?;
        self.run_bounded(slot, Some(self.record_pool.clone()), f).await
    }

    async fn run_bounded<T: Send + 'static>(
        &self,
        slot: capacity::Slot,
        pool: Option<Arc<rayon::ThreadPool>>,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, AppError> {
        let flag = Arc::new(std::sync::atomic::AtomicBool::new(false));
        /// Raises the flag when the request is dropped (the client went away) or done.
        struct RaiseOnDrop(Arc<std::sync::atomic::AtomicBool>);
        impl Drop for RaiseOnDrop {
            fn drop(&mut self) {
                self.0.store(true, std::sync::atomic::Ordering::Relaxed);
            }
        }
        let _raise = RaiseOnDrop(flag.clone());
        let inner = flag.clone();
        let task = tokio::task::spawn_blocking(move || {
            let _slot = slot;
            capacity::run_in(pool.as_deref(), &inner, f)
        });
        match tokio::time::timeout(self.deadline, task).await {
            Ok(Ok(v)) => Ok(v),
            Ok(Err(e)) => Err(AppError::Internal(e.to_string())),
            Err(_) => {
                flag.store(true, std::sync::atomic::Ordering::Relaxed);
                Err(AppError::Unavailable(format!(
                    "the request ran past its {} s deadline and was stopped; ask for less (fewer parties, dates or draws) or retry later",
                    self.deadline.as_secs()
                )))
            }
        }
    }

    /// A read of the record whose result is shared ([`capacity::Shared`]): `key` must name everything
    /// the result depends on besides the durable log (the kind, the clipped day, the view). Readers
    /// asking the same question get the result computed once; it always covers every entry that was
    /// acknowledged when they asked.
    pub(crate) async fn heavy_shared<T: Clone + Send + Sync + 'static>(
        &self,
        key: String,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, AppError> {
        let owed = self.watch.as_ref().map_or(0, |w| w.owed());
        let cell = self.shared.cell(&key);
        if let Some(hit) = cell.fresh::<T>(owed) {
            return Ok(hit);
        }
        let _turn = tokio::time::timeout(RECORD_WAIT, cell.turn.lock()).await.map_err(|_| {
            AppError::Unavailable(format!(
                "this read of the record waited {} s for its turn; retry shortly",
                RECORD_WAIT.as_secs()
            ))
        })?;
        if let Some(hit) = cell.fresh::<T>(owed) {
            return Ok(hit);
        }
        let (watch, kept) = (self.watch.clone(), cell.clone());
        self.record(move || {
            // Every acknowledged entry into the durable view first; the size is taken before the work
            // reads the view, which can only have grown since.
            let size = watch.as_ref().map_or(0, |w| {
                w.sync();
                w.applied()
            });
            let value = f();
            kept.keep(size, Arc::new(value.clone()));
            value
        })
        .await
    }

    /// Version `version` (latest when `None`) of scenario `slug`, parsed off the async workers, once per
    /// version.
    pub(crate) async fn scenario(
        &self,
        slug: &str,
        version: Option<i64>,
    ) -> Result<(truce_store::ScenarioVersion, Arc<truce_scenario::Scenario>), AppError> {
        let v = self.store.scenario(slug, version).await?;
        let key = (slug.to_string(), v.version);
        if let Some(hit) = self.parsed.lock().ok().and_then(|m| m.get(&key).cloned()) {
            return Ok((v, hit));
        }
        let (file, text) = (format!("{slug}.toml"), v.text.clone());
        let parsed = tokio::task::spawn_blocking(move || {
            let (scenario, diags) = truce_scenario::parse(&file, &text);
            scenario
                .map(Arc::new)
                .ok_or_else(|| AppError::Invalid(diags.iter().map(|d| d.to_string()).collect()))
        })
        .await
        .map_err(|e| AppError::Internal(e.to_string()))??;
        if let Ok(mut m) = self.parsed.lock() {
            if m.len() >= 64 {
                m.clear();
            }
            m.insert(key, parsed.clone());
        }
        Ok((v, parsed))
    }

    pub(crate) fn index(&self, job: IndexJob) {
        let _ = self.indexer.send(job);
    }
}

/// The size of the tree a checkpoint note signs (0 if it does not parse, which the log's own notes do).
pub(crate) fn note_size(note: &truce_tlog::note::Note) -> u64 {
    truce_tlog::checkpoint::Checkpoint::parse(&note.text).map_or(0, |c| c.size)
}

/// Event streams open at once, in total, by default: well below a process's usual 1,024 open files.
pub const STREAMS_TOTAL: usize = 256;
/// Event streams one signed-in caller may hold open, by default.
pub const STREAMS_PER_CALLER: usize = 4;
/// Event streams all anonymous callers together may hold open.
pub const STREAMS_PUBLIC: usize = 64;

/// The machine's cores (at least one).
fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// The group-commit settings a server runs with: batches of up to 256 entries, closed after 4 ms,
/// pushback beyond 8,192 waiting entries, and the tree (and checkpoint) brought up to date at most
/// every 100 ms, so that under load each integration rewrites the right-edge tiles once for many
/// batches.
pub fn default_sequencer() -> SequencerConfig {
    SequencerConfig {
        max_batch: 256,
        max_age: std::time::Duration::from_millis(4),
        max_pending: 8192,
        integrate_every: std::time::Duration::from_millis(100),
    }
}

/// The caller: a user found by token or web session, or the public.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The user, if a valid token or session was given.
    pub user: Option<User>,
    /// For a web session: its CSRF token, which the pages put in their forms and scripts.
    pub csrf: Option<String>,
}

impl Caller {
    /// The caller's user id, or 0 for the public (anonymous callers count as one).
    pub fn id(&self) -> i64 {
        self.user.as_ref().map_or(0, |u| u.id)
    }

    /// The caller's role (`public` without a token).
    pub fn role(&self) -> Role {
        self.user.as_ref().map_or(Role::Public, |u| u.role)
    }

    /// Refuses unless the caller's role may call `endpoint`: 401 without a token, 403 with one.
    pub fn require(&self, endpoint: Endpoint) -> Result<(), AppError> {
        if endpoint.allows(self.role()) {
            Ok(())
        } else if self.user.is_none() {
            Err(AppError::Unauthorized)
        } else {
            let (method, path) = endpoint.route();
            let what = if endpoint.is_page() {
                "open this page".to_string()
            } else {
                format!("call {method} {path}")
            };
            let roles: Vec<&str> = endpoint
                .roles()
                .iter()
                .filter(|r| **r != Role::Public)
                .map(|r| r.as_str())
                .collect();
            Err(AppError::Forbidden(format!(
                "signed in as a {}, you may not {what}: it is for the {} roles. If your work needs it, ask a mediator to give you a token with one of those roles",
                self.role().as_str(),
                roles.join(", ")
            )))
        }
    }
}

/// What a handler can fail with; one status per variant, and no internal detail sent to the client.
#[derive(Debug)]
pub enum AppError {
    /// 401: a token is needed.
    Unauthorized,
    /// 403: the role may not.
    Forbidden(String),
    /// 404.
    NotFound,
    /// 404, saying what is missing and what to do.
    Missing(String),
    /// 409.
    Conflict(String),
    /// 422: the input is not valid; the diagnostics say why.
    Invalid(Vec<String>),
    /// 413: the body is over the limit; the message says which.
    TooLarge(String),
    /// 408: the body arrived too slowly, or stalled; the message says how.
    Timeout(String),
    /// 503 with `Retry-After`: the log's pending pool is full.
    Pushback,
    /// 503 with `Retry-After`: writing is stopped after a storage fault, or the server is at its limit
    /// of heavy work; the message says which.
    Unavailable(String),
    /// 500; the detail is logged, not sent.
    Internal(String),
}

impl From<truce_table::GroupTooLarge> for AppError {
    fn from(e: truce_table::GroupTooLarge) -> AppError {
        AppError::Invalid(vec![e.to_string()])
    }
}

impl From<truce_store::Error> for AppError {
    fn from(e: truce_store::Error) -> AppError {
        match e {
            truce_store::Error::NotFound => AppError::NotFound,
            truce_store::Error::Conflict(m) => AppError::Conflict(m),
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl AppError {
    /// Its HTTP status.
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::NotFound | AppError::Missing(_) => StatusCode::NOT_FOUND,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Timeout(_) => StatusCode::REQUEST_TIMEOUT,
            AppError::Pushback | AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// What the caller is told (an internal error's detail is logged, not told).
    pub fn message(&self) -> String {
        match self {
            AppError::Unauthorized => "a bearer token is required".into(),
            AppError::Forbidden(m)
            | AppError::Conflict(m)
            | AppError::Unavailable(m)
            | AppError::TooLarge(m)
            | AppError::Timeout(m)
            | AppError::Missing(m) => m.clone(),
            AppError::NotFound => "not found".into(),
            AppError::Invalid(d) => format!("invalid input: {}", d.join("; ")),
            AppError::Pushback => "the log is busy: retry".into(),
            AppError::Internal(m) => {
                eprintln!("truce-server: internal error: {m}");
                "internal error".into()
            }
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let body = match &self {
            AppError::Invalid(d) => serde_json::json!({"error": "invalid input", "diagnostics": d}),
            other => serde_json::json!({"error": other.message()}),
        };
        let mut response = (self.status(), axum::Json(body)).into_response();
        let extra = match self {
            AppError::Unauthorized => Some(("www-authenticate", "Bearer")),
            AppError::Pushback | AppError::Unavailable(_) => Some(("retry-after", "1")),
            _ => None,
        };
        if let Some((k, v)) = extra {
            response.headers_mut().insert(k, axum::http::HeaderValue::from_static(v));
        }
        response
    }
}

/// The router: every [`Endpoint`], behind its authorisation, inside the [`security`] layer.
pub fn router<S: Store>(state: Arc<AppState<S>>) -> Router {
    script::hash_all();
    routes::routes(state)
        .layer(axum::middleware::from_fn(security::layer))
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY_BYTES))
}

/// The metrics router, for a separate listener: `GET /metrics` in the Prometheus text format.
pub fn metrics_router<S: Store>(state: Arc<AppState<S>>) -> Router {
    routes::metrics_routes(state)
}

/// On shared storage, the writer completes the store's index from the log every 2 s: a writer that
/// died may have acknowledged entries it did not get to index, and its successor's indexer only hears
/// of its own. (Followers leave the index to the writer.)
pub fn start_index_catch_up<S: Store>(state: Arc<AppState<S>>) {
    let Some(w) = state.watch.clone() else { return };
    if !matches!(w.store, watch::LogStore::Shared(..)) {
        return;
    }
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(std::time::Duration::from_secs(2)).await;
            if w.is_writer()
                && let Err(e) = index_log(&state).await
            {
                eprintln!(
                    "truce-server: completing the index from the log failed, retrying: {e:?}"
                );
            }
        }
    });
}

/// Indexes, in the store, the log entries it does not hold yet (after a restart, or a log written
/// offline). Returns how many were indexed.
pub async fn index_log<S: Store>(state: &AppState<S>) -> Result<usize, AppError> {
    let Some(w) = &state.watch else { return Ok(0) };
    let from = state.store.indexed_size().await? as u64;
    let checkpoint = truce_tlog::checkpoint::Checkpoint::parse(&w.checkpoint().text)
        .map_err(|e| AppError::Internal(e.to_string()))?;
    if from >= checkpoint.size {
        return Ok(0);
    }
    let store = w.store.clone();
    let entries = tokio::task::spawn_blocking(move || watch::read_raw(&store, &checkpoint, from))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .map_err(AppError::Internal)?;
    // Decoded and matched to the durable view off the async workers.
    let view = w.clone();
    let batch = tokio::task::spawn_blocking(move || -> Result<Vec<_>, AppError> {
        let compliance = view.read()?;
        let mut batch = Vec::new();
        for (index, bytes) in &entries {
            let Ok(entry) = truce_watch::entry::decode(bytes) else { continue };
            let mut row = handlers::indexed(*index, &entry);
            if let Some(r) = compliance.registry().observations.get(index) {
                row.state = Some(
                    if r.superseded_by.is_some() { "superseded" } else { r.state.as_str() }
                        .to_string(),
                );
            }
            batch.push(row);
        }
        Ok(batch)
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))??;
    let count = batch.len();
    for chunk in batch.chunks(4096) {
        state.store.index_entries(chunk).await?;
    }
    Ok(count)
}
