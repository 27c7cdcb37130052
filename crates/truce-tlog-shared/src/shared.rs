//! [`Shared`]: the connection to one shared log, its bucket and its database.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use object_store::ObjectStoreExt;
use object_store::path::Path as ObjectPath;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::{Postgres, Row, Transaction};
use truce_tlog::Error;
use truce_tlog::client::TileReader;
use truce_tlog::log::STATE_PATH;
use truce_tlog::publish::Published;

use crate::cache::TileCache;
use crate::config::{Bucket, get_object};
use crate::io;
use crate::runtime::OwnRuntime;
use crate::storage::SharedStorage;

/// How many bytes of recent tiles and bundles a process keeps (its readers are served them while the
/// bucket cannot be reached): 16 MiB.
pub const RECENT_TILE_BYTES: usize = 16 << 20;

/// How long PostgreSQL lets a session of the shared log sit idle inside a transaction before it ends
/// the session and rolls the transaction back: the longest a paused or cut-off server can hold the
/// lease row, and so the least time a failover can take whatever the lease's length.
pub const IDLE_IN_TRANSACTION: Duration = Duration::from_secs(1);

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

/// A connection to one shared log: its bucket, its database, and this process's fencing token.
#[derive(Clone)]
pub struct Shared {
    pub(crate) inner: Arc<Inner>,
}

/// What every handle on one log shares. The fencing token is the only field that changes: it is
/// written by [`Shared::acquire`], [`Shared::release`] and [`Shared::step_down`], and read (without a
/// lock; a stale read is caught by [`Inner::fenced`]) by every write.
pub(crate) struct Inner {
    pub(crate) runtime: OwnRuntime,
    pub(crate) bucket: Bucket,
    pub(crate) pool: PgPool,
    pub(crate) log: String,
    /// The fencing token this process holds, 0 when it holds none.
    pub(crate) fence: AtomicU64,
    /// What the storage URL says, for messages (never credentials: they come from the environment).
    location: String,
    /// Tiles and bundles, full and partial, that this process put in the bucket or read from it lately
    /// (a partial one names its width: the bytes at each path never change), least recently used out
    /// first: what its readers are served while the bucket cannot be reached.
    recent: std::sync::Mutex<TileCache>,
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

impl Shared {
    /// Connects to the log named `log` (its origin) in the object store at `storage_url` and the
    /// PostgreSQL database at `database_url`, creating the tables when missing. Holds no lease.
    ///
    /// `storage_url` is `s3://bucket[/prefix]` (credentials, endpoint and region from the `AWS_*`
    /// variables; `AWS_ALLOW_HTTP=true` for a plain-HTTP endpoint) or `file:///directory`.
    pub fn connect(storage_url: &str, database_url: &str, log: &str) -> Result<Shared, Error> {
        let runtime = OwnRuntime::new(2, "truce-shared-log")?;
        let bucket = Bucket::open(storage_url, &[])?;
        let url = database_url.to_string();
        let pool = runtime.wait(async move {
            let connected = async {
                // A server paused or cut off inside a transaction would keep the lease row locked
                // (every write checks the lease `FOR SHARE`), so that no other server could take the
                // lease until it woke, and then commit what it had begun after its lease had run out.
                // PostgreSQL ends a session idle inside a transaction for longer than this, rolling
                // it back: the lease can move, and the paused server commits nothing when it wakes.
                let options: PgConnectOptions = url.parse()?;
                let options = options.options([(
                    "idle_in_transaction_session_timeout",
                    IDLE_IN_TRANSACTION.as_millis(),
                )]);
                let pool = PgPoolOptions::new()
                    .max_connections(8)
                    .acquire_timeout(Duration::from_secs(5))
                    .connect_with(options)
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
                bucket,
                pool,
                log: log.to_string(),
                fence: AtomicU64::new(0),
                location: storage_url.to_string(),
                recent: std::sync::Mutex::new(TileCache::new(RECENT_TILE_BYTES)),
            }),
        })
    }

    /// Runs `f` on this crate's runtime and waits for it, from any thread.
    pub(crate) fn run<T: Send + 'static>(
        &self,
        f: impl Future<Output = Result<T, Error>> + Send + 'static,
    ) -> Result<T, Error> {
        self.inner.runtime.wait(f)
    }

    /// Runs `f` on this crate's runtime, for an async caller on any runtime.
    async fn spawn<T: Send + 'static>(
        &self,
        f: impl Future<Output = Result<T, Error>> + Send + 'static,
    ) -> Result<T, Error> {
        self.inner.runtime.spawn(f).await
    }

    /// A storage handle for [`truce_tlog::log::Log`], writing under this process's fencing token.
    pub fn storage(&self) -> SharedStorage {
        SharedStorage::new(self.clone())
    }

    /// The log's name (its origin).
    pub fn log(&self) -> &str {
        &self.inner.log
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

    /// A published file (tile or bundle) from the bucket, for async callers; `None` if absent. While
    /// the bucket cannot be reached, a tile this process put or read lately (the read path's answer).
    pub async fn get(&self, path: &str) -> Result<Option<Vec<u8>>, Error> {
        let (inner, path) = (self.inner.clone(), path.to_string());
        self.spawn(async move { inner.get(&path, true).await }).await
    }

    /// The `Cache-Control` the bucket gives a published file (what a CDN in front of it passes on).
    pub async fn head_cache_control(&self, path: &str) -> Result<Option<String>, Error> {
        let (inner, path) = (self.inner.clone(), path.to_string());
        self.spawn(async move {
            let object = inner.bucket.object(&path)?;
            let options = object_store::GetOptions { head: true, ..Default::default() };
            let got = inner.bucket.store.get_opts(&object, options).await.map_err(io)?;
            Ok(got.attributes.get(&object_store::Attribute::CacheControl).map(|v| v.to_string()))
        })
        .await
    }
}

impl Inner {
    pub(crate) fn object(&self, path: &str) -> Result<ObjectPath, Error> {
        self.bucket.object(path)
    }

    /// A file of the bucket, always asked of the bucket first (a file gone or changed there is seen).
    /// The tiles and bundles read are kept in [`Inner::recent`]. With `fallback`, when the bucket
    /// cannot be reached (an error, never "not found"), a tile kept there is the answer: for the read
    /// path only, never for the writer, which checks that the bucket itself rebuilds the tree.
    pub(crate) async fn get(&self, path: &str, fallback: bool) -> Result<Option<Vec<u8>>, Error> {
        let tile = matches!(Published::parse(path), Ok(Published::Tile(_)));
        match get_object(self.bucket.store.as_ref(), &self.object(path)?).await {
            Ok(got) => {
                if tile && let (Some(data), Ok(mut cache)) = (&got, self.recent.lock()) {
                    cache.insert(path, data.clone());
                }
                Ok(got)
            }
            Err(e) => {
                let kept = (fallback && tile)
                    .then(|| self.recent.lock().ok().and_then(|mut c| c.get(path)))
                    .flatten();
                match kept {
                    Some(data) => Ok(Some(data)),
                    None => Err(e),
                }
            }
        }
    }

    /// Forgets a tile removed from the bucket.
    pub(crate) fn forget(&self, path: &str) {
        if let Ok(mut cache) = self.recent.lock() {
            cache.remove(path);
        }
    }

    /// Puts a file of the read path in the bucket, with the headers a CDN in front of the bucket passes
    /// on (`truce_tlog::publish`: the server's read path sends the same).
    pub(crate) async fn put(&self, file: Published, data: Vec<u8>) -> Result<(), Error> {
        let path = file.path();
        let object = self.object(&path)?;
        let keep = matches!(file, Published::Tile(_)).then(|| data.clone());
        if !self.bucket.has_headers {
            // A directory has no per-file headers; whatever serves it sets them.
            self.bucket.store.put(&object, data.into()).await.map_err(io)?;
            self.keep(&path, keep);
            return Ok(());
        }
        let mut attributes = object_store::Attributes::new();
        attributes.insert(object_store::Attribute::CacheControl, file.cache_control().into());
        attributes.insert(object_store::Attribute::ContentType, file.content_type().into());
        let options = object_store::PutOptions { attributes, ..Default::default() };
        self.bucket.store.put_opts(&object, data.into(), options).await.map_err(io)?;
        self.keep(&path, keep);
        Ok(())
    }

    /// Keeps a tile just put in [`Inner::recent`].
    fn keep(&self, path: &str, data: Option<Vec<u8>>) {
        if let (Some(data), Ok(mut cache)) = (data, self.recent.lock()) {
            cache.insert(path, data);
        }
    }

    /// Starts a write transaction: locks the lease row and checks that `fence` is the current, live
    /// token. Every write to the database goes through here.
    pub(crate) async fn fenced(&self) -> Result<Transaction<'static, Postgres>, Error> {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 24: a writer paused inside a write transaction (it checks the lease `FOR SHARE`) kept the
    /// lease row locked, so that no other server could take the expired lease until it woke, and it
    /// then committed after its lease had run out. PostgreSQL now ends such a session: the lease moves
    /// at once, and the paused writer's commit fails. (Needs the PostgreSQL `cargo xtask test` starts.)
    #[test]
    fn a_transaction_left_open_by_a_paused_writer_is_ended_by_the_database() {
        let base = std::env::var("TRUCE_TEST_POSTGRES_URL").expect(
            "TRUCE_TEST_POSTGRES_URL is not set: run the tests with `cargo xtask test`, which starts PostgreSQL",
        );
        let name = format!("paused_tx_{}", std::process::id());
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            use sqlx::Connection;
            let mut admin = sqlx::PgConnection::connect(&base).await.unwrap();
            for sql in
                [format!("DROP DATABASE IF EXISTS {name}"), format!("CREATE DATABASE {name}")]
            {
                sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&mut admin).await.unwrap();
            }
        });
        let url = base.replacen("/postgres?", &format!("/{name}?"), 1);
        let dir = std::env::temp_dir().join(format!("truce-{name}"));
        let storage = format!("file://{}", dir.display());
        let a = Shared::connect(&storage, &url, "paused.test/log").unwrap();
        a.acquire("a", Duration::from_millis(500)).unwrap().unwrap();
        let inner = a.inner.clone();
        let tx = a.run(async move { inner.fenced().await }).unwrap();
        // A is paused holding its transaction, past its lease and past the database's patience.
        std::thread::sleep(IDLE_IN_TRANSACTION + Duration::from_millis(300));
        let b = Shared::connect(&storage, &url, "paused.test/log").unwrap();
        let (tx_b, rx_b) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx_b.send(b.acquire("b", Duration::from_secs(30)).map(|t| (t, b)));
        });
        let (token, _b) = rx_b
            .recv_timeout(Duration::from_secs(3))
            .expect("B waited on the paused writer's lock")
            .unwrap();
        assert_eq!(token, Some(2), "B takes the expired lease");
        // A wakes: what it had begun is gone.
        let committed = a.run(async move { tx.commit().await.map_err(io) });
        assert!(committed.is_err(), "the paused writer committed after its lease ran out");
        std::fs::remove_dir_all(dir).ok();
    }
}
