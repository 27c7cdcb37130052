//! What the server runs on: [`AppState`] (the store, the log, the classes of work and their capacity,
//! the caches), and the [`Caller`] of a request.

use std::sync::{Arc, Mutex};

use truce_store::{Role, Store, User};

use crate::cache::Bounded;
use crate::{AppError, Db, Endpoint, Ledger, Witnesses, capacity, indexer, jobs, media};

/// What the server runs on.
pub struct AppState {
    /// The relational store.
    pub store: Db,
    /// The observation log, if this server runs one.
    pub watch: Option<Arc<Ledger>>,
    /// Live updates: (log index, entry kind) of each entry appended, for server-sent events.
    pub events: tokio::sync::broadcast::Sender<(u64, String)>,
    /// Entries to index in the store, in log order, by a background task (the log is the durable
    /// record; the index follows it and is rebuilt from it on start).
    indexer: indexer::Indexer,
    /// Recently seen tokens (by hash) and their users, trusted for [`TOKEN_CACHE_TTL`]: a revoked token
    /// stops working within that time. Saves a database round trip per request.
    pub(crate) tokens: Bounded<[u8; 32], (User, std::time::Instant)>,
    /// The witnesses this server hosts, and those its log asks to cosign (set before serving).
    pub witnesses: Witnesses,
    /// Whether cookies carry `Secure` (the configured public URL is https).
    pub secure_cookies: bool,
    /// How long a follower tries to hand a write on to the log's writer before it answers 503
    /// ([`crate::forward`]).
    pub forward_wait: std::time::Duration,
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
    parsed: Bounded<(String, i64), Arc<truce_scenario::Scenario>>,
    /// The texts of archived source files, by SHA-256 (a file's text never changes): analyses check
    /// their quotes against them without reading the files from the store each time.
    source_texts: Bounded<String, Arc<str>>,
    /// Server-sent event streams open, per caller (user id, or 0 for the public together).
    pub(crate) streams: Arc<Mutex<std::collections::HashMap<i64, usize>>>,
    /// At most this many event streams open at once, in total ([`STREAMS_TOTAL`] by default).
    pub streams_total: usize,
    /// At most this many per signed-in caller ([`STREAMS_PER_CALLER`] by default); the public shares
    /// [`STREAMS_PUBLIC`] between all anonymous callers.
    pub streams_per_caller: usize,
    /// Keys (hex) found held in the store, and their holders' user ids. A binding is never removed (a
    /// key is retired by a `revoke` entry on the log), so a found holder is cached for good.
    key_holders: Bounded<String, i64>,
    /// Authors' public keys, parsed (decompressed) once: a key is the same key for as long as it is
    /// used, so the cache is only ever cleared, never invalidated.
    pub(crate) keys: Bounded<String, ed25519_dalek::VerifyingKey>,
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

impl AppState {
    /// The state of a server over `store` and, if it runs one, a log. Starts the indexer task: call it
    /// inside a tokio runtime.
    pub fn new(store: Db, watch: Option<Arc<Ledger>>) -> AppState {
        let indexer = indexer::Indexer::start(store.clone());
        let rehearsals = jobs::Rehearsals::start(jobs::JobLimits::default(), store.clone());
        // The log's own sender, so that a follower's new entries are told too.
        let events =
            watch.as_ref().map_or_else(|| tokio::sync::broadcast::channel(1024).0, |w| w.events());
        AppState {
            store,
            watch,
            events,
            indexer,
            tokens: Bounded::new(10_000),
            witnesses: Witnesses::default(),
            secure_cookies: false,
            forward_wait: crate::forward::FORWARD_WAIT,
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
            parsed: Bounded::new(64),
            source_texts: Bounded::new(32),
            streams: Arc::new(Mutex::new(std::collections::HashMap::new())),
            streams_total: STREAMS_TOTAL,
            streams_per_caller: STREAMS_PER_CALLER,
            key_holders: Bounded::new(100_000),
            keys: Bounded::new(100_000),
            rehearsals,
        }
    }

    /// The user who holds `key` (hex), if any.
    pub(crate) async fn key_holder(&self, key: &str) -> Result<Option<i64>, AppError> {
        if let Some(id) = self.key_holders.get(&key.to_string()) {
            return Ok(Some(id));
        }
        match self.store.key_holder(key).await {
            Ok(id) => {
                self.key_holders.insert(key.to_string(), id);
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

    /// Names this server in the rehearsal jobs it keeps in the store, and marks those it had queued or
    /// running under that name when it stopped as interrupted; returns how many. `truce serve` calls
    /// it once, when it starts.
    pub async fn adopt_jobs(&self, server: &str) -> Result<u64, AppError> {
        self.rehearsals.adopt(server).await
    }

    /// Sets the rehearsal queue's limits (restarting it empty).
    pub fn set_job_limits(&mut self, limits: jobs::JobLimits) {
        self.rehearsals = jobs::Rehearsals::start(limits, self.store.clone());
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
        if let Some(hit) = self.parsed.get(&key) {
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
        self.parsed.insert(key, parsed.clone());
        Ok((v, parsed))
    }

    /// The text of the archived source file `sha256`, read from the store once; `None` when the store
    /// does not hold it.
    pub(crate) async fn source_text(&self, sha256: &str) -> Result<Option<Arc<str>>, AppError> {
        if let Some(hit) = self.source_texts.get(&sha256.to_string()) {
            return Ok(Some(hit));
        }
        match self.store.source_file(sha256).await {
            Ok(file) => {
                let text: Arc<str> = Arc::from(file.text);
                self.source_texts.insert(sha256.to_string(), text.clone());
                Ok(Some(text))
            }
            Err(truce_store::Error::NotFound) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    pub(crate) fn index(&self, job: indexer::IndexJob) {
        self.indexer.send(job);
    }
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

/// The caller: a user found by token or web session, or the public.
#[derive(Debug, Clone, Default)]
pub struct Caller {
    /// The user, if a valid token or session was given.
    pub user: Option<User>,
    /// For a web session: its CSRF token, which the pages put in their forms and scripts.
    pub csrf: Option<String>,
    /// The language the reader asked for (`?lang=`, then the `truce_lang` cookie, then
    /// `Accept-Language`; English otherwise): what the pages are written in. Never inferred from the party.
    pub lang: truce_i18n::Lang,
    /// The address of the page asked for (path and query, without `lang`), for the language switcher.
    pub here: String,
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
            // Roles in words ("party delegate"), listed as a person would: "a, b and c".
            let roles: Vec<String> = endpoint
                .roles()
                .iter()
                .filter(|r| **r != Role::Public)
                .map(|r| r.as_str().replace('_', " "))
                .collect();
            let listed = match roles.split_last() {
                Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
                _ => roles.join(""),
            };
            let one = if roles.len() == 1 { "role" } else { "roles" };
            Err(AppError::Forbidden(format!(
                "signed in with the {} role, you may not {what}: it is for the {listed} {one}. If your work needs it, ask a mediator to give you a token with one of those roles",
                self.role().as_str().replace('_', " "),
            )))
        }
    }
}
