//! A log shared by several servers.
//!
//! The published tree (tiles and entry bundles) lives in an object store: an S3-compatible bucket
//! (`s3://bucket/prefix`, configured by the usual `AWS_*` variables) or a directory through the same
//! interface (`file:///path`). Everything whose order matters lives in PostgreSQL: the record of the
//! last tree (`.state/signed`), the signed checkpoint, the journal, the log's other private files, and
//! the **sequencing lease** with its fencing token.
//!
//! # Who may write
//!
//! Exactly one server sequences at a time: the holder of the lease ([`Shared::acquire`]). Taking the
//! lease raises its fencing token. Every write to PostgreSQL (a journal record, the tree's record, the
//! checkpoint, a private file, a removal) runs in one transaction that first locks the lease row and
//! checks that this handle's token is the current one and that the lease has not expired; otherwise the
//! write is refused and nothing changes. So a server that lost its lease (paused, cut off, slow) can
//! neither acknowledge an entry nor record a tree nor publish a checkpoint, and a new holder that has
//! taken the lease sees every record the old one committed.
//!
//! The tree's record is also a compare-and-swap: a commit replaces it only if it still holds what this
//! handle last read or wrote, and a checkpoint is stored only if it is for the tree recorded in the same
//! transaction and is not smaller than the one stored. The fencing token and the compare-and-swap are
//! two guards; S3-compatible stores' conditional writes are not one (Garage 2.5 ignores `If-None-Match`
//! and `If-Match` on `PUT`), so the bucket never decides who wins.
//!
//! The bucket cannot refuse a stale writer's `PUT`, so the tiles are made safe by what is in them:
//!
//! - Entries enter only through the journal, and the journal is **continuous**: a record is stored
//!   only if it starts where the journal (or, when it is empty, the recorded tree) ends. So each index
//!   gets its entry once, fenced, and for good.
//! - A commit first **claims** the next tree in PostgreSQL (fenced; the record still holds what this
//!   handle expects; no live claim of the same token by another handle; the new size within the
//!   journal), then uploads the tiles and bundles, then records the tree if its claim still stands.
//!
//! A tile's path names its level, index and width, so its bytes are fixed by the entries at those
//! indices: a stale or duplicate writer that got past its claim can only upload the bytes the current
//! writer uploads. A writer that loses its claim has uploaded nothing; one that could not journal has
//! nothing to upload. Tiles are always in the bucket before the record that needs them.
//!
//! # What is served from where
//!
//! The authoritative checkpoint is PostgreSQL's ([`Shared::checkpoint`]); a copy is put in the bucket
//! after each one is stored, so that the bucket alone is a C2SP read path a CDN can front. After a
//! failover that copy can briefly be an older (consistent) checkpoint, never an inconsistent one.
//!
//! # Threads
//!
//! [`SharedStorage`] implements the synchronous [`Storage`] trait the log's writer uses. Every request
//! runs on this crate's own small runtime and the caller waits for it on a channel, so it may be called
//! from any thread, including a blocking task of another runtime. Async callers use [`Shared::get`].

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use futures::StreamExt;
use object_store::path::Path as ObjectPath;
use object_store::{ObjectStore, ObjectStoreExt};
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::{Postgres, Row, Transaction};
use truce_tlog::Error;
use truce_tlog::checkpoint::Checkpoint;
use truce_tlog::client::TileReader;
use truce_tlog::journal::JOURNAL_DIR;
use truce_tlog::log::STATE_PATH;
use truce_tlog::note::Note;
use truce_tlog::storage::Storage;

/// The tables, created when missing. Each log (named by its origin) has its own rows.
const SCHEMA: &[&str] = &[
    "CREATE TABLE IF NOT EXISTS tlog_lease (
        log TEXT PRIMARY KEY,
        holder TEXT NOT NULL,
        token BIGINT NOT NULL,
        expires TIMESTAMPTZ NOT NULL)",
    "CREATE TABLE IF NOT EXISTS tlog_tree (
        log TEXT PRIMARY KEY,
        state BYTEA,
        checkpoint BYTEA,
        claim_token BIGINT,
        claim BYTEA)",
    "CREATE TABLE IF NOT EXISTS tlog_journal (
        log TEXT NOT NULL,
        segment BIGINT NOT NULL,
        seq BIGSERIAL,
        first BIGINT NOT NULL,
        count BIGINT NOT NULL,
        record BYTEA NOT NULL,
        PRIMARY KEY (log, segment, seq))",
    "CREATE TABLE IF NOT EXISTS tlog_file (
        log TEXT NOT NULL,
        path TEXT NOT NULL,
        data BYTEA NOT NULL,
        PRIMARY KEY (log, path))",
];

/// How many object-store requests a commit has in flight at once.
const PARALLEL_PUTS: usize = 16;

fn io(e: impl std::fmt::Display) -> Error {
    Error::Io(std::io::Error::other(e.to_string()))
}

/// Who holds the sequencing lease.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lease {
    /// The holder's name (a server says where it can be reached).
    pub holder: String,
    /// The fencing token: raised each time the lease changes hands.
    pub token: u64,
    /// Whether the lease is still live (not expired).
    pub live: bool,
}

/// A connection to one shared log: its bucket, its database, and this process's fencing token.
#[derive(Clone)]
pub struct Shared {
    inner: Arc<Inner>,
}

struct Inner {
    runtime: OwnRuntime,
    store: Arc<dyn ObjectStore>,
    prefix: ObjectPath,
    pool: PgPool,
    log: String,
    /// The fencing token this process holds, 0 when it holds none.
    fence: AtomicU64,
    /// What the storage URL says, for messages (never credentials: they come from the environment).
    location: String,
}

impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shared")
            .field("log", &self.inner.log)
            .field("storage", &self.inner.location)
            .field("fence", &self.inner.fence.load(Ordering::SeqCst))
            .finish_non_exhaustive()
    }
}

/// Opens the object store named by `url`: `s3://bucket[/prefix]` (credentials, endpoint and region from
/// the `AWS_*` variables; `AWS_ALLOW_HTTP=true` for a plain-HTTP endpoint) or `file:///directory`.
fn object_store(
    url: &str,
    options: &[(&str, &str)],
) -> Result<(Arc<dyn ObjectStore>, ObjectPath), Error> {
    let parsed = url::Url::parse(url).map_err(|e| {
        Error::Io(std::io::Error::other(format!(
            "storage URL {url:?}: {e}; expected s3://bucket/prefix or file:///directory"
        )))
    })?;
    let prefix = ObjectPath::from(parsed.path().trim_matches('/'));
    match parsed.scheme() {
        "s3" => {
            let bucket = parsed.host_str().unwrap_or_default();
            let mut builder = object_store::aws::AmazonS3Builder::from_env();
            for (key, value) in options {
                let key = key.parse::<object_store::aws::AmazonS3ConfigKey>().map_err(io)?;
                builder = builder.with_config(key, *value);
            }
            let store = builder
                .with_bucket_name(bucket)
                .with_retry(object_store::RetryConfig {
                    max_retries: 3,
                    retry_timeout: Duration::from_secs(10),
                    ..Default::default()
                })
                .build()
                .map_err(io)?;
            Ok((Arc::new(store), prefix))
        }
        "file" => {
            std::fs::create_dir_all(parsed.path())?;
            let store =
                object_store::local::LocalFileSystem::new_with_prefix(parsed.path()).map_err(io)?;
            Ok((Arc::new(store), ObjectPath::default()))
        }
        other => Err(Error::Io(std::io::Error::other(format!(
            "storage URL {url:?}: unknown scheme {other:?}; expected s3://bucket/prefix or file:///directory"
        )))),
    }
}

/// This crate's own small runtime: requests run on it whatever thread asks, and it shuts down without
/// blocking when dropped (the last handle may be dropped on another runtime's worker).
struct OwnRuntime(Option<tokio::runtime::Runtime>);

impl OwnRuntime {
    fn new(workers: usize, name: &str) -> Result<OwnRuntime, Error> {
        // reqwest is built without a crypto provider of its own: use ring's (already linked for ureq).
        let _ = rustls::crypto::ring::default_provider().install_default();
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(workers)
            .thread_name(name)
            .enable_all()
            .build()?;
        Ok(OwnRuntime(Some(rt)))
    }

    /// Runs `f` here and waits for it on a channel, not with `block_on`: callable from any thread,
    /// including another runtime's.
    fn wait<T: Send + 'static>(
        &self,
        f: impl Future<Output = Result<T, Error>> + Send + 'static,
    ) -> Result<T, Error> {
        let Some(rt) = &self.0 else { return Err(io("the object store's runtime has stopped")) };
        let (tx, rx) = std::sync::mpsc::sync_channel(1);
        rt.spawn(async move {
            let _ = tx.send(f.await);
        });
        rx.recv().map_err(|_| io("the object store's runtime stopped during a request"))?
    }

    /// Runs `f` here, for an async caller on any runtime.
    async fn spawn<T: Send + 'static>(
        &self,
        f: impl Future<Output = Result<T, Error>> + Send + 'static,
    ) -> Result<T, Error> {
        let Some(rt) = &self.0 else { return Err(io("the object store's runtime has stopped")) };
        rt.spawn(f).await.map_err(io)?
    }
}

impl Drop for OwnRuntime {
    fn drop(&mut self) {
        if let Some(rt) = self.0.take() {
            rt.shutdown_background();
        }
    }
}

/// `name` under `prefix`, refusing empty, `.` and `..` components.
fn join(prefix: &ObjectPath, name: &str) -> Result<ObjectPath, Error> {
    if name.split('/').any(|c| c.is_empty() || c == "." || c == "..") {
        return Err(Error::Tile(format!("refusing path {name:?}")));
    }
    Ok(prefix.parts().chain(ObjectPath::from(name).parts()).collect())
}

/// The object at `object`, or `None` if there is none.
async fn get_object(
    store: &dyn ObjectStore,
    object: &ObjectPath,
) -> Result<Option<Vec<u8>>, Error> {
    match store.get(object).await {
        Ok(r) => Ok(Some(r.bytes().await.map_err(io)?.to_vec())),
        Err(object_store::Error::NotFound { .. }) => Ok(None),
        Err(e) => Err(io(e)),
    }
}

impl Shared {
    /// Connects to the log named `log` (its origin) in the object store at `storage_url` and the
    /// PostgreSQL database at `database_url`, creating the tables when missing. Holds no lease.
    pub fn connect(storage_url: &str, database_url: &str, log: &str) -> Result<Shared, Error> {
        let runtime = OwnRuntime::new(2, "truce-shared-log")?;
        let (store, prefix) = object_store(storage_url, &[])?;
        let url = database_url.to_string();
        let pool = runtime.wait(async move {
            let connected = async {
                let pool = PgPoolOptions::new()
                    .max_connections(8)
                    .acquire_timeout(Duration::from_secs(5))
                    .connect(&url)
                    .await?;
                let mut tx = pool.begin().await?;
                // One creator at a time, whatever other servers start now.
                sqlx::query("SELECT pg_advisory_xact_lock(7101981)").execute(&mut *tx).await?;
                for statement in SCHEMA {
                    sqlx::query(*statement).execute(&mut *tx).await?;
                }
                tx.commit().await?;
                Ok::<PgPool, sqlx::Error>(pool)
            };
            connected.await.map_err(|e| io(format!("the log's database: {e}")))
        })?;
        Ok(Shared {
            inner: Arc::new(Inner {
                runtime,
                store,
                prefix,
                pool,
                log: log.to_string(),
                fence: AtomicU64::new(0),
                location: storage_url.to_string(),
            }),
        })
    }

    /// Runs `f` on this crate's runtime and waits for it, from any thread.
    fn run<T: Send + 'static>(
        &self,
        f: impl Future<Output = Result<T, Error>> + Send + 'static,
    ) -> Result<T, Error> {
        self.inner.runtime.wait(f)
    }

    /// A storage handle for [`truce_tlog::log::Log`], writing under this process's fencing token.
    pub fn storage(&self) -> SharedStorage {
        SharedStorage {
            shared: self.clone(),
            staged: BTreeMap::new(),
            known_state: std::sync::Mutex::new(None),
        }
    }

    /// The log's name (its origin).
    pub fn log(&self) -> &str {
        &self.inner.log
    }

    /// The fencing token this process holds (0 for none).
    pub fn fence(&self) -> u64 {
        self.inner.fence.load(Ordering::SeqCst)
    }

    /// Takes the sequencing lease for `holder` if it is free or expired (raising the fencing token), or
    /// renews it if this process already holds it. Returns the token held, or `None` while another
    /// holder's lease is live.
    pub fn acquire(&self, holder: &str, ttl: Duration) -> Result<Option<u64>, Error> {
        let (inner, holder) = (self.inner.clone(), holder.to_string());
        let held = self.fence();
        let token = self.run(async move {
            let ttl = ttl.as_secs_f64();
            if held != 0 {
                let renewed = sqlx::query(
                    "UPDATE tlog_lease SET expires = clock_timestamp() + make_interval(secs => $3)
                     WHERE log = $1 AND token = $2 AND expires > clock_timestamp()",
                )
                .bind(&inner.log)
                .bind(held as i64)
                .bind(ttl)
                .execute(&inner.pool)
                .await
                .map_err(io)?;
                if renewed.rows_affected() == 1 {
                    return Ok(Some(held));
                }
            }
            let row = sqlx::query(
                "INSERT INTO tlog_lease (log, holder, token, expires)
                 VALUES ($1, $2, 1, clock_timestamp() + make_interval(secs => $3))
                 ON CONFLICT (log) DO UPDATE
                   SET holder = EXCLUDED.holder, token = tlog_lease.token + 1, expires = EXCLUDED.expires
                   WHERE tlog_lease.expires <= clock_timestamp()
                 RETURNING token",
            )
            .bind(&inner.log)
            .bind(&holder)
            .bind(ttl)
            .fetch_optional(&inner.pool)
            .await
            .map_err(io)?;
            Ok(row.map(|r| r.get::<i64, _>(0) as u64))
        })?;
        self.inner.fence.store(token.unwrap_or(0), Ordering::SeqCst);
        Ok(token)
    }

    /// Gives the lease up at once (on a clean shutdown), so another server need not wait for it to
    /// expire. Writes under the old token are refused from here on.
    pub fn release(&self) -> Result<(), Error> {
        let held = self.inner.fence.swap(0, Ordering::SeqCst);
        if held == 0 {
            return Ok(());
        }
        let inner = self.inner.clone();
        self.run(async move {
            sqlx::query(
                "UPDATE tlog_lease SET expires = clock_timestamp() WHERE log = $1 AND token = $2",
            )
            .bind(&inner.log)
            .bind(held as i64)
            .execute(&inner.pool)
            .await
            .map_err(io)?;
            Ok(())
        })
    }

    /// Forgets the token without touching the database: what a holder does when it cannot renew.
    pub fn step_down(&self) {
        self.inner.fence.store(0, Ordering::SeqCst);
    }

    /// Who holds the lease, if anyone ever took it.
    pub fn lease(&self) -> Result<Option<Lease>, Error> {
        let inner = self.inner.clone();
        self.run(async move {
            let row = sqlx::query(
                "SELECT holder, token, expires > clock_timestamp() FROM tlog_lease WHERE log = $1",
            )
            .bind(&inner.log)
            .fetch_optional(&inner.pool)
            .await
            .map_err(io)?;
            Ok(row.map(|r| Lease {
                holder: r.get(0),
                token: r.get::<i64, _>(1) as u64,
                live: r.get(2),
            }))
        })
    }

    /// Whether a log exists (its tree has been recorded).
    pub fn exists(&self) -> Result<bool, Error> {
        Ok(self.storage().read(STATE_PATH)?.is_some())
    }

    /// The stored checkpoint (authoritative), if any.
    pub async fn checkpoint(&self) -> Result<Option<Vec<u8>>, Error> {
        let inner = self.inner.clone();
        self.spawn(async move {
            let row = sqlx::query("SELECT checkpoint FROM tlog_tree WHERE log = $1")
                .bind(&inner.log)
                .fetch_optional(&inner.pool)
                .await
                .map_err(io)?;
            Ok(row.and_then(|r| r.get::<Option<Vec<u8>>, _>(0)))
        })
        .await
    }

    /// A published file (tile or bundle) from the bucket, for async callers; `None` if absent.
    pub async fn get(&self, path: &str) -> Result<Option<Vec<u8>>, Error> {
        let (inner, path) = (self.inner.clone(), path.to_string());
        self.spawn(async move { inner.get(&path).await }).await
    }

    /// The `Cache-Control` the bucket gives a published file (what a CDN in front of it passes on).
    pub async fn head_cache_control(&self, path: &str) -> Result<Option<String>, Error> {
        let (inner, path) = (self.inner.clone(), path.to_string());
        self.spawn(async move {
            let object = inner.object(&path)?;
            let options = object_store::GetOptions { head: true, ..Default::default() };
            let got = inner.store.get_opts(&object, options).await.map_err(io)?;
            Ok(got.attributes.get(&object_store::Attribute::CacheControl).map(|v| v.to_string()))
        })
        .await
    }

    /// Runs `f` on this crate's runtime, for an async caller on any runtime.
    async fn spawn<T: Send + 'static>(
        &self,
        f: impl Future<Output = Result<T, Error>> + Send + 'static,
    ) -> Result<T, Error> {
        self.inner.runtime.spawn(f).await
    }
}

impl Inner {
    fn object(&self, path: &str) -> Result<ObjectPath, Error> {
        join(&self.prefix, path)
    }

    async fn get(&self, path: &str) -> Result<Option<Vec<u8>>, Error> {
        get_object(self.store.as_ref(), &self.object(path)?).await
    }

    async fn put(&self, path: &str, data: Vec<u8>) -> Result<(), Error> {
        let object = self.object(path)?;
        if !self.location.starts_with("s3://") {
            // A directory has no per-file headers; whatever serves it sets them.
            self.store.put(&object, data.into()).await.map_err(io)?;
            return Ok(());
        }
        // The headers a CDN in front of the bucket passes on (tlog-tiles): full tiles and bundles
        // never change; partial ones are superseded as the log grows; the checkpoint is fetched fresh.
        let cache = cache_control(path);
        let mut attributes = object_store::Attributes::new();
        attributes.insert(object_store::Attribute::CacheControl, cache.into());
        attributes.insert(object_store::Attribute::ContentType, content_type(path).into());
        let options = object_store::PutOptions { attributes, ..Default::default() };
        self.store.put_opts(&object, data.into(), options).await.map_err(io)?;
        Ok(())
    }

    /// Starts a write transaction: locks the lease row and checks that `fence` is the current, live
    /// token. Every write to the database goes through here.
    async fn fenced(&self) -> Result<Transaction<'static, Postgres>, Error> {
        let fence = self.fence.load(Ordering::SeqCst);
        let mut tx = self.pool.begin().await.map_err(io)?;
        let row = sqlx::query(
            "SELECT token, expires > clock_timestamp(), holder FROM tlog_lease WHERE log = $1 FOR SHARE",
        )
        .bind(&self.log)
        .fetch_optional(&mut *tx)
        .await
        .map_err(io)?;
        match row {
            Some(r) if r.get::<i64, _>(0) as u64 == fence && fence != 0 && r.get::<bool, _>(1) => {
                Ok(tx)
            }
            Some(r) => Err(Error::Stopped(format!(
                "this server does not hold the sequencing lease (its fencing token is {fence}; {} holds token {}{})",
                r.get::<String, _>(2),
                r.get::<i64, _>(0),
                if r.get::<bool, _>(1) { "" } else { ", expired" }
            ))),
            None => Err(Error::Stopped("nobody holds the sequencing lease yet".into())),
        }
    }
}

/// The bucket alone, read as a C2SP log: tiles, bundles and the bucket's copy of the checkpoint, with
/// no database. It is what a CDN in front of the bucket serves, and what an auditor checks.
pub struct BucketReader {
    runtime: OwnRuntime,
    store: Arc<dyn ObjectStore>,
    prefix: ObjectPath,
    /// Full tiles and bundles already read: they never change, and whoever reads them still
    /// authenticates them against a checkpoint. (Partial tiles and the checkpoint are always fetched.)
    full: std::sync::Mutex<std::collections::HashMap<String, Vec<u8>>>,
}

impl BucketReader {
    /// Opens the bucket at `storage_url`; `options` are object_store's S3 settings (`aws_endpoint`,
    /// `aws_access_key_id`, …), over the `AWS_*` variables.
    pub fn open(storage_url: &str, options: &[(&str, &str)]) -> Result<BucketReader, Error> {
        let runtime = OwnRuntime::new(1, "truce-bucket-reader")?;
        let (store, prefix) = object_store(storage_url, options)?;
        Ok(BucketReader { runtime, store, prefix, full: Default::default() })
    }
}

impl TileReader for BucketReader {
    fn read(&self, path: &str) -> Result<Option<Vec<u8>>, Error> {
        if path.starts_with(".state") {
            return Err(Error::Tile(format!("refusing path {path:?}")));
        }
        let object = join(&self.prefix, path)?;
        let immutable = path.starts_with("tile/") && !path.contains(".p/");
        if immutable && let Some(hit) = self.full.lock().ok().and_then(|c| c.get(path).cloned()) {
            return Ok(Some(hit));
        }
        let store = self.store.clone();
        let got = self.runtime.wait(async move { get_object(store.as_ref(), &object).await })?;
        if immutable && let (Some(data), Ok(mut cache)) = (&got, self.full.lock()) {
            cache.insert(path.to_string(), data.clone());
        }
        Ok(got)
    }
}

/// The `Cache-Control` of a published file, as C2SP tlog-tiles has it.
pub fn cache_control(path: &str) -> &'static str {
    if path == "checkpoint" {
        "no-cache"
    } else if path.contains(".p/") {
        "public, max-age=60"
    } else {
        "public, max-age=31536000, immutable"
    }
}

fn content_type(path: &str) -> &'static str {
    if path == "checkpoint" { "text/plain; charset=utf-8" } else { "application/octet-stream" }
}

/// What a path of the log is, for the shared backend.
enum Place {
    /// The record of the last tree: a row, replaced by compare-and-swap.
    State,
    /// The signed checkpoint: a row (authoritative), copied to the bucket.
    Checkpoint,
    /// A journal segment: rows, one per appended record.
    Journal(i64),
    /// Another private file (under `.state/`): a row.
    Private,
    /// A published file (tile, bundle): an object.
    Public,
}

fn place(path: &str) -> Result<Place, Error> {
    if path == STATE_PATH {
        return Ok(Place::State);
    }
    if path == "checkpoint" {
        return Ok(Place::Checkpoint);
    }
    if let Some(name) = path.strip_prefix(JOURNAL_DIR).and_then(|p| p.strip_prefix('/')) {
        let segment: u64 = name
            .parse()
            .ok()
            .filter(|s| truce_tlog::journal::path(*s) == path)
            .ok_or_else(|| Error::Tile(format!("{path} is not a journal segment")))?;
        return Ok(Place::Journal(segment as i64));
    }
    if path.starts_with(".state/") {
        return Ok(Place::Private);
    }
    Ok(Place::Public)
}

/// A handle for the log's writer (see the crate docs): stage, then commit.
pub struct SharedStorage {
    shared: Shared,
    staged: BTreeMap<String, Vec<u8>>,
    /// The tree's record as this handle last read or wrote it: the expected value of the next swap.
    known_state: std::sync::Mutex<Option<Vec<u8>>>,
}

impl std::fmt::Debug for SharedStorage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SharedStorage").field("shared", &self.shared).finish_non_exhaustive()
    }
}

impl SharedStorage {
    /// The connection this handle writes through.
    pub fn shared(&self) -> &Shared {
        &self.shared
    }
}

impl TileReader for SharedStorage {
    fn read(&self, path: &str) -> Result<Option<Vec<u8>>, Error> {
        let inner = self.shared.inner.clone();
        let path = path.to_string();
        let is_state = path == STATE_PATH;
        let found = match place(&path)? {
            Place::State | Place::Checkpoint => {
                let column = if path == STATE_PATH { "state" } else { "checkpoint" };
                self.shared.run(async move {
                    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
                        "SELECT {column} FROM tlog_tree WHERE log = $1"
                    )))
                    .bind(&inner.log)
                    .fetch_optional(&inner.pool)
                    .await
                    .map_err(io)?;
                    Ok(row.and_then(|r| r.get::<Option<Vec<u8>>, _>(0)))
                })?
            }
            Place::Journal(segment) => self.shared.run(async move {
                let rows = sqlx::query(
                    "SELECT record FROM tlog_journal WHERE log = $1 AND segment = $2 ORDER BY seq",
                )
                .bind(&inner.log)
                .bind(segment)
                .fetch_all(&inner.pool)
                .await
                .map_err(io)?;
                Ok((!rows.is_empty())
                    .then(|| rows.iter().flat_map(|r| r.get::<Vec<u8>, _>(0)).collect()))
            })?,
            Place::Private => self.shared.run(async move {
                let row = sqlx::query("SELECT data FROM tlog_file WHERE log = $1 AND path = $2")
                    .bind(&inner.log)
                    .bind(&path)
                    .fetch_optional(&inner.pool)
                    .await
                    .map_err(io)?;
                Ok(row.map(|r| r.get::<Vec<u8>, _>(0)))
            })?,
            Place::Public => self.shared.run(async move { inner.get(&path).await })?,
        };
        if is_state {
            *self.known_state.lock().unwrap_or_else(|p| p.into_inner()) = found.clone();
        }
        Ok(found)
    }
}

/// Reads the size and root a checkpoint note is for.
fn checkpoint_tree(note: &[u8]) -> Result<(u64, [u8; 32]), Error> {
    let note = Note::parse(note)?;
    let c = Checkpoint::parse(&note.text)?;
    Ok((c.size, c.root))
}

/// Reads the size and root of a tree's record (`size\nbase64 root\n`) by the checkpoint parser's rules.
fn state_tree(origin: &str, state: &[u8]) -> Result<(u64, [u8; 32]), Error> {
    let text =
        std::str::from_utf8(state).map_err(|_| Error::Checkpoint("corrupt record".into()))?;
    let c = Checkpoint::parse(&format!("{origin}\n{text}"))?;
    Ok((c.size, c.root))
}

/// The tree's row: the record, the checkpoint, and the claim's token and tree.
type TreeRow = (Option<Vec<u8>>, Option<Vec<u8>>, Option<i64>, Option<Vec<u8>>);

/// Claims the next tree `new` (see the crate docs): fenced, the record must still be `expected`, no
/// other handle of this token may hold a claim, and the new tree may not run beyond the journal.
async fn claim(inner: &Inner, expected: Option<&[u8]>, new: &[u8]) -> Result<(), Error> {
    let fence = inner.fence.load(Ordering::SeqCst) as i64;
    let mut tx = inner.fenced().await?;
    let end = journal_end(inner, &mut tx).await?;
    let row = sqlx::query("SELECT state, claim_token FROM tlog_tree WHERE log = $1")
        .bind(&inner.log)
        .fetch_optional(&mut *tx)
        .await
        .map_err(io)?;
    let (stored, claim_token): (Option<Vec<u8>>, Option<i64>) =
        row.map_or((None, None), |r| (r.get(0), r.get(1)));
    if stored.as_deref() != expected {
        return Err(Error::Stopped(
            "the tree's record changed since this server read it: another writer recorded a tree"
                .into(),
        ));
    }
    if claim_token == Some(fence) {
        return Err(Error::Stopped(
            "another handle of this server is recording the next tree: refusing to write beside it"
                .into(),
        ));
    }
    let size = state_tree(&inner.log, new)?.0;
    if size > end {
        return Err(Error::Stopped(format!(
            "a tree of {size} entries runs beyond the journal, which ends at {end}: on shared storage entries enter through the journal"
        )));
    }
    sqlx::query(
        "INSERT INTO tlog_tree (log, claim_token, claim) VALUES ($1, $2, $3)
         ON CONFLICT (log) DO UPDATE SET claim_token = EXCLUDED.claim_token, claim = EXCLUDED.claim",
    )
    .bind(&inner.log)
    .bind(fence)
    .bind(new)
    .execute(&mut *tx)
    .await
    .map_err(io)?;
    tx.commit().await.map_err(io)
}

/// The first index and entry count of a journal record (its 12-byte header).
fn record_range(record: &[u8]) -> Result<(u64, u64), Error> {
    let header = record
        .get(..12)
        .ok_or_else(|| Error::Tampered("a journal record shorter than its header".into()))?;
    let mut first = [0u8; 8];
    first.copy_from_slice(&header[..8]);
    let mut count = [0u8; 4];
    count.copy_from_slice(&header[8..12]);
    Ok((u64::from_be_bytes(first), u64::from(u32::from_be_bytes(count))))
}

/// Where the journal ends: after its last record, or at the recorded tree's size when it is empty.
/// Locks the tree's row, so that journal records and tree records are decided one at a time.
async fn journal_end(inner: &Inner, tx: &mut Transaction<'static, Postgres>) -> Result<u64, Error> {
    let row = sqlx::query("SELECT state FROM tlog_tree WHERE log = $1 FOR UPDATE")
        .bind(&inner.log)
        .fetch_optional(&mut **tx)
        .await
        .map_err(io)?;
    let recorded = match row.and_then(|r| r.get::<Option<Vec<u8>>, _>(0)) {
        Some(state) => state_tree(&inner.log, &state)?.0,
        None => 0,
    };
    let last = sqlx::query("SELECT max(first + count) FROM tlog_journal WHERE log = $1")
        .bind(&inner.log)
        .fetch_one(&mut **tx)
        .await
        .map_err(io)?
        .get::<Option<i64>, _>(0);
    Ok(last.map_or(recorded, |l| (l as u64).max(recorded)))
}

impl Storage for SharedStorage {
    fn stage(&mut self, path: &str, data: &[u8]) -> Result<(), Error> {
        place(path)?;
        self.shared.inner.object(path)?;
        self.staged.insert(path.to_string(), data.to_vec());
        Ok(())
    }

    fn commit(&mut self) -> Result<(), Error> {
        let staged = std::mem::take(&mut self.staged);
        let mut public = Vec::new();
        let mut private = Vec::new();
        let (mut state, mut checkpoint) = (None, None);
        for (path, data) in staged {
            match place(&path)? {
                Place::Public => public.push((path, data)),
                Place::State => state = Some(data),
                Place::Checkpoint => checkpoint = Some(data),
                Place::Private => private.push((path, data)),
                Place::Journal(_) => {
                    return Err(Error::Tile(format!("{path}: journal segments are appended")));
                }
            }
        }
        if !public.is_empty() && state.is_none() {
            return Err(Error::Tile(
                "on shared storage, tiles are written only with the record of the tree that needs them"
                    .into(),
            ));
        }
        let inner = self.shared.inner.clone();
        let expected = self.known_state.lock().unwrap_or_else(|p| p.into_inner()).clone();
        let new_state = state.clone();
        self.shared.run(async move {
            if let Some(new) = &state {
                claim(&inner, expected.as_deref(), new).await?;
            }
            // The published files, several at a time, after the claim and before the record.
            let mut puts = futures::stream::iter(public.into_iter().map(|(path, data)| {
                let inner = inner.clone();
                async move { inner.put(&path, data).await }
            }))
            .buffer_unordered(PARALLEL_PUTS);
            while let Some(done) = puts.next().await {
                done?;
            }
            if state.is_none() && checkpoint.is_none() && private.is_empty() {
                return Ok(());
            }
            let mut tx = inner.fenced().await?;
            let row = sqlx::query(
                "SELECT state, checkpoint, claim_token, claim FROM tlog_tree WHERE log = $1 FOR UPDATE",
            )
            .bind(&inner.log)
            .fetch_optional(&mut *tx)
            .await
            .map_err(io)?;
            let tree: TreeRow =
                row.map_or((None, None, None, None), |r| (r.get(0), r.get(1), r.get(2), r.get(3)));
            let (stored_state, stored_checkpoint, claim_token, claimed) = tree;
            if let Some(new) = &state {
                let fence = inner.fence.load(Ordering::SeqCst);
                if stored_state != expected
                    || claim_token != Some(fence as i64)
                    || claimed.as_ref() != Some(new)
                {
                    return Err(Error::Stopped(
                        "another writer recorded a tree, or claimed the next one, since this server read the record"
                            .into(),
                    ));
                }
                sqlx::query(
                    "UPDATE tlog_tree SET state = $2, claim_token = NULL, claim = NULL WHERE log = $1",
                )
                .bind(&inner.log)
                .bind(new)
                .execute(&mut *tx)
                .await
                .map_err(io)?;
            }
            if let Some(note) = &checkpoint {
                let recorded = state.as_ref().or(stored_state.as_ref()).ok_or_else(|| {
                    Error::Checkpoint("a checkpoint without a recorded tree".into())
                })?;
                let tree = checkpoint_tree(note)?;
                if tree != state_tree(&inner.log, recorded)? {
                    return Err(Error::Checkpoint(format!(
                        "refusing to store a checkpoint of size {} that is not the recorded tree",
                        tree.0
                    )));
                }
                if let Some(old) = &stored_checkpoint
                    && checkpoint_tree(old).is_ok_and(|(size, _)| size > tree.0)
                {
                    return Err(Error::Checkpoint(format!(
                        "refusing to store a checkpoint of size {} over one of a larger size",
                        tree.0
                    )));
                }
                sqlx::query("UPDATE tlog_tree SET checkpoint = $2 WHERE log = $1")
                    .bind(&inner.log)
                    .bind(note)
                    .execute(&mut *tx)
                    .await
                    .map_err(io)?;
            }
            for (path, data) in &private {
                sqlx::query(
                    "INSERT INTO tlog_file (log, path, data) VALUES ($1, $2, $3)
                     ON CONFLICT (log, path) DO UPDATE SET data = EXCLUDED.data",
                )
                .bind(&inner.log)
                .bind(path)
                .bind(data)
                .execute(&mut *tx)
                .await
                .map_err(io)?;
            }
            tx.commit().await.map_err(io)?;
            // The bucket's copy, for readers that fetch from the bucket (or a CDN) directly.
            if let Some(note) = checkpoint {
                inner.put("checkpoint", note).await?;
            }
            Ok(())
        })?;
        if let Some(s) = new_state {
            *self.known_state.lock().unwrap_or_else(|p| p.into_inner()) = Some(s);
        }
        Ok(())
    }

    fn append(&mut self, path: &str, data: &[u8]) -> Result<(), Error> {
        let Place::Journal(segment) = place(path)? else {
            return Err(Error::Tile(format!("{path}: only journal segments are appended to")));
        };
        let (first, count) = record_range(data)?;
        let inner = self.shared.inner.clone();
        let data = data.to_vec();
        self.shared.run(async move {
            let mut tx = inner.fenced().await?;
            let end = journal_end(&inner, &mut tx).await?;
            if first != end {
                return Err(Error::Stopped(format!(
                    "the journal ends at index {end}; refusing a record that starts at {first}"
                )));
            }
            sqlx::query(
                "INSERT INTO tlog_journal (log, segment, first, count, record) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(&inner.log)
            .bind(segment)
            .bind(first as i64)
            .bind(count as i64)
            .bind(&data)
            .execute(&mut *tx)
            .await
            .map_err(io)?;
            tx.commit().await.map_err(io)
        })
    }

    fn remove(&mut self, path: &str) -> Result<(), Error> {
        let inner = self.shared.inner.clone();
        let place = place(path)?;
        let path = path.to_string();
        self.shared.run(async move {
            match place {
                Place::Public => match inner.store.delete(&inner.object(&path)?).await {
                    Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
                    Err(e) => Err(io(e)),
                },
                Place::Journal(segment) => {
                    let mut tx = inner.fenced().await?;
                    sqlx::query("DELETE FROM tlog_journal WHERE log = $1 AND segment = $2")
                        .bind(&inner.log)
                        .bind(segment)
                        .execute(&mut *tx)
                        .await
                        .map_err(io)?;
                    tx.commit().await.map_err(io)
                }
                Place::Private => {
                    let mut tx = inner.fenced().await?;
                    sqlx::query("DELETE FROM tlog_file WHERE log = $1 AND path = $2")
                        .bind(&inner.log)
                        .bind(&path)
                        .execute(&mut *tx)
                        .await
                        .map_err(io)?;
                    tx.commit().await.map_err(io)
                }
                Place::State | Place::Checkpoint => {
                    Err(Error::Tile(format!("{path}: the tree's record is never removed")))
                }
            }
        })
    }

    fn list(&self, dir: &str) -> Result<Vec<String>, Error> {
        let inner = self.shared.inner.clone();
        let dir = dir.trim_end_matches('/').to_string();
        self.shared.run(async move {
            if dir == JOURNAL_DIR {
                let rows = sqlx::query("SELECT DISTINCT segment FROM tlog_journal WHERE log = $1")
                    .bind(&inner.log)
                    .fetch_all(&inner.pool)
                    .await
                    .map_err(io)?;
                return Ok(rows.iter().map(|r| format!("{:020}", r.get::<i64, _>(0))).collect());
            }
            if dir == ".state" || dir.starts_with(".state/") {
                let rows = sqlx::query("SELECT path FROM tlog_file WHERE log = $1")
                    .bind(&inner.log)
                    .fetch_all(&inner.pool)
                    .await
                    .map_err(io)?;
                let prefix = format!("{dir}/");
                return Ok(rows
                    .iter()
                    .filter_map(|r| {
                        let p: String = r.get(0);
                        p.strip_prefix(&prefix).filter(|n| !n.contains('/')).map(str::to_string)
                    })
                    .collect());
            }
            let listing =
                inner.store.list_with_delimiter(Some(&inner.object(&dir)?)).await.map_err(io)?;
            Ok(listing
                .objects
                .iter()
                .filter_map(|o| o.location.filename().map(str::to_string))
                .collect())
        })
    }

    fn try_clone(&self) -> Result<Self, Error> {
        Ok(self.shared.storage())
    }

    /// Drops a claim a cut-short commit left (the log is being opened: nothing else of this writer
    /// commits). Without the lease nothing is cleared, and nothing needs to be: a new holder's claim
    /// replaces an old token's.
    fn clean(&mut self) -> Result<usize, Error> {
        let inner = self.shared.inner.clone();
        self.shared.run(async move {
            let Ok(mut tx) = inner.fenced().await else { return Ok(0) };
            let cleared = sqlx::query(
                "UPDATE tlog_tree SET claim_token = NULL, claim = NULL WHERE log = $1 AND claim IS NOT NULL",
            )
            .bind(&inner.log)
            .execute(&mut *tx)
            .await
            .map_err(io)?;
            tx.commit().await.map_err(io)?;
            Ok(cleared.rows_affected() as usize)
        })
    }
}

/// A plain object store by URL (`s3://bucket/prefix` or `file:///directory`), for files that are not
/// the log's: the media behind observations. Every request runs on its own runtime, so any async
/// caller may await it.
#[derive(Clone)]
pub struct Blobs {
    inner: Arc<BlobsInner>,
}

struct BlobsInner {
    runtime: OwnRuntime,
    store: Arc<dyn ObjectStore>,
    prefix: ObjectPath,
}

impl std::fmt::Debug for Blobs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Blobs").field("prefix", &self.inner.prefix.as_ref()).finish_non_exhaustive()
    }
}

impl Blobs {
    /// Opens the store at `url` (see [`Shared::connect`] for the S3 settings).
    pub fn open(url: &str) -> Result<Blobs, Error> {
        let runtime = OwnRuntime::new(1, "truce-blobs")?;
        let (store, prefix) = object_store(url, &[])?;
        Ok(Blobs { inner: Arc::new(BlobsInner { runtime, store, prefix }) })
    }

    /// The object `name`, or `None`.
    pub async fn get(&self, name: &str) -> Result<Option<Vec<u8>>, Error> {
        let (store, object) = (self.inner.store.clone(), join(&self.inner.prefix, name)?);
        self.inner.runtime.spawn(async move { get_object(store.as_ref(), &object).await }).await
    }

    /// Writes `data` as `name` (atomically: readers see the old object or the new one).
    pub async fn put(&self, name: &str, data: Vec<u8>) -> Result<(), Error> {
        let (store, object) = (self.inner.store.clone(), join(&self.inner.prefix, name)?);
        self.inner
            .runtime
            .spawn(async move {
                store.put(&object, data.into()).await.map_err(io)?;
                Ok(())
            })
            .await
    }
}
