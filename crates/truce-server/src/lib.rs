//! Truce as a service: a versioned JSON API over the core crates, authorisation by role, and the C2SP
//! read path of the observation log.
//!
//! What it does not do: business rules. Validation is `truce_scenario::parse`, analysis
//! `truce_table::analyze`, the log's rules `truce_watch::registry`, compliance
//! `truce_watch::compliance`, durability `truce_tlog`. This crate maps them to HTTP, and decides who may
//! call what ([`auth`]).

#![deny(missing_docs)]

pub mod auth;
mod handlers;
mod pages;
pub mod security;
mod table;
mod witness;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use truce_store::{Role, Store, User};
use truce_tlog::sequencer::{Sequencer, SequencerConfig};
use truce_watch::compliance::Compliance;

pub use auth::Endpoint;
pub use handlers::openapi_document;
pub use table::MAX_DRAWS;
pub use witness::{Peer, PeerStatus, Witnesses, start_cosigning};

/// What the server runs on.
pub struct AppState<S: Store> {
    /// The relational store.
    pub store: S,
    /// The observation log, if this server runs one.
    pub watch: Option<Watch>,
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
    /// Keys (hex) found held in the store, and their holders' user ids. A binding is never removed (a
    /// key is retired by a `revoke` entry on the log), so a found holder is cached for good.
    key_holders: Mutex<std::collections::HashMap<String, i64>>,
}

/// How long a token found in the store is trusted without asking the store again.
pub const TOKEN_CACHE_TTL: std::time::Duration = std::time::Duration::from_secs(10);

/// Work for the indexer.
pub(crate) enum IndexJob {
    /// A new entry.
    Entry(truce_store::IndexedEntry),
    /// An observation's new verification state.
    State(i64, String),
}

impl<S: Store> AppState<S> {
    /// The state of a server over `store` and, if it runs one, a log. Starts the indexer task: call it
    /// inside a tokio runtime.
    pub fn new(store: S, watch: Option<Watch>) -> AppState<S> {
        let (indexer, mut jobs) = tokio::sync::mpsc::unbounded_channel::<IndexJob>();
        let index_store = store.clone();
        tokio::spawn(async move {
            while let Some(first) = jobs.recv().await {
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
                        IndexJob::State(..) => None,
                    })
                    .collect();
                if let Err(e) = index_store.index_entries(&rows).await {
                    eprintln!("truce-server: indexing failed: {e}");
                }
                for j in &batch {
                    if let IndexJob::State(index, state) = j
                        && let Err(e) = index_store.set_state(*index, state).await
                    {
                        eprintln!("truce-server: indexing a state failed: {e}");
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
            key_holders: Mutex::new(std::collections::HashMap::new()),
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

    pub(crate) fn index(&self, job: IndexJob) {
        let _ = self.indexer.send(job);
    }
}

/// The observation log this server writes, and the compliance of its agreement, kept up to date.
pub struct Watch {
    /// The log's directory (tiles, checkpoint).
    pub dir: PathBuf,
    /// The group-commit writer.
    pub sequencer: Sequencer,
    /// The agreement's TOML.
    pub agreement_text: String,
    /// Replayed state: the log's rules and compliance, updated in log order under this lock.
    pub state: Mutex<Compliance<'static>>,
    /// Full tiles and bundles already served (they never change), up to [`TILE_CACHE_BYTES`].
    tiles: Mutex<TileCache>,
}

/// Cached tiles: the bytes held, and the tiles by path.
type TileCache = (usize, std::collections::HashMap<String, Arc<Vec<u8>>>);

/// How many bytes of full tiles a server keeps in memory for the read path.
pub const TILE_CACHE_BYTES: usize = 64 << 20;

/// The size of the tree a checkpoint note signs (0 if it does not parse, which the log's own notes do).
pub(crate) fn note_size(note: &truce_tlog::note::Note) -> u64 {
    truce_tlog::checkpoint::Checkpoint::parse(&note.text).map_or(0, |c| c.size)
}

impl Watch {
    /// The size of the newest signed checkpoint.
    pub fn size(&self) -> u64 {
        note_size(&self.sequencer.checkpoint())
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

impl Watch {
    /// Opens (or creates) the log in `dir` with `signer`, replays it, and serves `agreement`.
    pub fn open(
        dir: &Path,
        signer: truce_tlog::note::NoteSigner,
        agreement_text: &str,
        config: SequencerConfig,
    ) -> Result<Watch, String> {
        let (agreement, diags) = truce_accord::parse("agreement.toml", agreement_text);
        let agreement = agreement
            .ok_or_else(|| diags.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("\n"))?;
        // The server holds one agreement for its whole life; compliance borrows it.
        let agreement: &'static truce_accord::Agreement = Box::leak(Box::new(agreement));
        let storage = truce_tlog::storage::FsStorage::open(dir).map_err(|e| e.to_string())?;
        let log = if dir.join(truce_tlog::log::STATE_PATH).exists() {
            truce_tlog::log::Log::open(storage, signer).map_err(|e| e.to_string())?
        } else {
            truce_tlog::log::Log::create(storage, signer).map_err(|e| e.to_string())?
        };
        let checkpoint = truce_tlog::checkpoint::Checkpoint::parse(&log.checkpoint().text)
            .map_err(|e| e.to_string())?;
        let mut compliance = Compliance::new(agreement);
        {
            let reader = truce_tlog::fs::DirReader { root: dir.to_path_buf() };
            let verifier = truce_tlog::client::TileVerifier::new(&reader, &checkpoint)
                .map_err(|e| e.to_string())?;
            for bundle in 0..checkpoint.size.div_ceil(256) {
                for e in verifier.entries(bundle).map_err(|e| e.to_string())? {
                    compliance.apply(&e);
                }
            }
        }
        let sequencer = Sequencer::start(log, config).map_err(|e| e.to_string())?;
        Ok(Watch {
            dir: dir.to_path_buf(),
            sequencer,
            agreement_text: agreement_text.to_string(),
            state: Mutex::new(compliance),
            tiles: Mutex::new((0, std::collections::HashMap::new())),
        })
    }
}

/// The day a report or page is for: the day asked for, or today (by this server's clock), clipped into
/// the mission's period. No submission moves it, and no date asked for makes the work unbounded.
pub(crate) fn report_day(
    registry: &truce_watch::registry::Registry,
    given: Option<jiff::civil::Date>,
) -> jiff::civil::Date {
    let day =
        given.unwrap_or_else(|| jiff::tz::Offset::UTC.to_datetime(jiff::Timestamp::now()).date());
    registry.default_day(day)
}

/// The group-commit settings a server runs with: batches of up to 256 entries, closed after 4 ms, and
/// pushback beyond 8,192 waiting entries.
pub fn default_sequencer() -> SequencerConfig {
    SequencerConfig {
        max_batch: 256,
        max_age: std::time::Duration::from_millis(4),
        max_pending: 8192,
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
            Err(AppError::Forbidden(format!(
                "{} may not call {:?}",
                self.role().as_str(),
                endpoint
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
    /// 409.
    Conflict(String),
    /// 422: the input is not valid; the diagnostics say why.
    Invalid(Vec<String>),
    /// 503 with `Retry-After`: the log's pending pool is full.
    Pushback,
    /// 500; the detail is logged, not sent.
    Internal(String),
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

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, message) = match self {
            AppError::Unauthorized => {
                (StatusCode::UNAUTHORIZED, "a bearer token is required".to_string())
            }
            AppError::Forbidden(m) => (StatusCode::FORBIDDEN, m),
            AppError::NotFound => (StatusCode::NOT_FOUND, "not found".to_string()),
            AppError::Conflict(m) => (StatusCode::CONFLICT, m),
            AppError::Invalid(d) => {
                let body = serde_json::json!({"error": "invalid input", "diagnostics": d});
                return (StatusCode::UNPROCESSABLE_ENTITY, axum::Json(body)).into_response();
            }
            AppError::Pushback => {
                let body = axum::Json(serde_json::json!({"error": "the log is busy: retry"}));
                return (StatusCode::SERVICE_UNAVAILABLE, [("retry-after", "1")], body)
                    .into_response();
            }
            AppError::Internal(m) => {
                eprintln!("truce-server: internal error: {m}");
                (StatusCode::INTERNAL_SERVER_ERROR, "internal error".to_string())
            }
        };
        let www = if status == StatusCode::UNAUTHORIZED {
            Some(("www-authenticate", "Bearer"))
        } else {
            None
        };
        let mut response =
            (status, axum::Json(serde_json::json!({"error": message}))).into_response();
        if let Some((k, v)) = www {
            response.headers_mut().insert(k, axum::http::HeaderValue::from_static(v));
        }
        response
    }
}

/// The router: every [`Endpoint`], behind its authorisation, inside the [`security`] layer.
pub fn router<S: Store>(state: Arc<AppState<S>>) -> Router {
    handlers::routes(state).layer(axum::middleware::from_fn(security::layer))
}

/// The metrics router, for a separate listener: `GET /metrics` in the Prometheus text format.
pub fn metrics_router<S: Store>(state: Arc<AppState<S>>) -> Router {
    handlers::metrics_routes(state)
}

/// Indexes, in the store, the log entries it does not hold yet (after a restart, or a log written
/// offline). Returns how many were indexed.
pub async fn index_log<S: Store>(state: &AppState<S>) -> Result<usize, AppError> {
    let Some(w) = &state.watch else { return Ok(0) };
    let from = state.store.indexed_size().await? as u64;
    let checkpoint = truce_tlog::checkpoint::Checkpoint::parse(&w.sequencer.checkpoint().text)
        .map_err(|e| AppError::Internal(e.to_string()))?;
    if from >= checkpoint.size {
        return Ok(0);
    }
    let dir = w.dir.clone();
    let entries = tokio::task::spawn_blocking(move || -> Result<Vec<(u64, Vec<u8>)>, String> {
        let reader = truce_tlog::fs::DirReader { root: dir };
        let verifier = truce_tlog::client::TileVerifier::new(&reader, &checkpoint)
            .map_err(|e| e.to_string())?;
        let mut out = Vec::new();
        for bundle in from / 256..checkpoint.size.div_ceil(256) {
            for (k, e) in
                verifier.entries(bundle).map_err(|e| e.to_string())?.into_iter().enumerate()
            {
                let index = bundle * 256 + k as u64;
                if index >= from {
                    out.push((index, e));
                }
            }
        }
        Ok(out)
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?
    .map_err(AppError::Internal)?;
    let mut batch = Vec::new();
    {
        let compliance =
            w.state.lock().map_err(|_| AppError::Internal("state lock poisoned".into()))?;
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
    }
    for chunk in batch.chunks(4096) {
        state.store.index_entries(chunk).await?;
    }
    Ok(entries.len())
}
