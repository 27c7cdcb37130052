//! The SQL backend of `truce-store`: one type, [`SqlStore`], over SQLite (embedded, one file, the
//! default) or PostgreSQL (at scale), chosen at run time from a URL.
//!
//! ```ignore
//! let store = SqlStore::open("sqlite://truce-data/truce.db").await?;
//! let store = SqlStore::open("postgres://truce@db.example/truce").await?;
//! store.create_user("mediator", Role::Mediator, None).await?;
//! ```
//!
//! Every call is one SQL text for both databases, and so is every migration (`migrations/`, with the
//! column types left as names); what differs (opening a pool with its durability settings, the column
//! types, how a write transaction starts) lives in `dialect.rs`.
//!
//! - **SQLite:** WAL journal and `synchronous=FULL`, so that a committed call survives power loss; each
//!   write transaction is `BEGIN IMMEDIATE`, so writers are serialised by SQLite itself; the file is
//!   readable by its owner only.
//! - **PostgreSQL:** a connection pool, one transaction per call (committed with PostgreSQL's default
//!   synchronous commit), versions numbered under a per-slug advisory lock so that concurrent writers
//!   never collide.
//!
//! What it does not do: decide who may see what (the server does, from the stored roles), hold the log
//! (`truce-tlog`), or offer any call beyond the [`Store`] trait and its constructors.

#![deny(missing_docs)]

mod dialect;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use sqlx::{PgPool, SqlitePool};
use truce_store::{
    Error, IndexedEntry, JobRecord, Role, ScenarioVersion, SourceFile, Store, Submission, User,
};

use crate::dialect::Begin;

/// How long a SQLite write waits, by default, for a lock another process holds.
const SQLITE_BUSY: Duration = Duration::from_secs(30);

/// A store in SQLite or PostgreSQL. Clones share the pool. Its `Debug` names the backend only, never
/// the path or URL (which may hold a password).
#[derive(Clone)]
pub struct SqlStore {
    pool: Pool,
}

/// Which database a [`SqlStore`] is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Backend {
    /// One SQLite file.
    Sqlite,
    /// A PostgreSQL database.
    Postgres,
}

#[derive(Clone)]
enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

impl std::fmt::Debug for SqlStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("SqlStore").field(&self.backend()).finish()
    }
}

impl SqlStore {
    /// Opens the store `url` names, bringing its schema up to date: `postgres://…` or
    /// `postgresql://…` (see [`SqlStore::connect_postgres`]), or `sqlite://PATH` or `sqlite:PATH` for
    /// a file (see [`SqlStore::open_sqlite`]). Any other scheme is an [`Error::Database`] that names
    /// the scheme only.
    pub async fn open(url: &str) -> Result<SqlStore, Error> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return SqlStore::connect_postgres(url).await;
        }
        match url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")) {
            Some(path) => SqlStore::open_sqlite(Path::new(path)).await,
            None => Err(Error::Database(format!(
                "unsupported database URL scheme {:?}; expected postgres:// or sqlite://",
                url.split(':').next().unwrap_or_default()
            ))),
        }
    }

    /// A consistent copy of this SQLite database in a new file `to`, taken while others read and write
    /// it: SQLite's `VACUUM INTO`, one read transaction, so the copy holds every transaction committed
    /// before it began and none after. The copy is made readable by its owner only. PostgreSQL is
    /// refused: its copy is `pg_dump`'s (docs/operations.md).
    pub async fn copy_sqlite_to(&self, to: &Path) -> Result<(), Error> {
        let Pool::Sqlite(pool) = &self.pool else {
            return Err(Error::Database(
                "a PostgreSQL store is copied with pg_dump, not by Truce".into(),
            ));
        };
        let target =
            to.to_str().ok_or_else(|| Error::Database("the copy's path is not UTF-8".into()))?;
        sqlx::query("VACUUM INTO $1").bind(target).execute(pool).await.map_err(db)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(to, std::fs::Permissions::from_mode(0o600))
                .map_err(|e| Error::Database(format!("cannot restrict the copy: {e}")))?;
        }
        Ok(())
    }

    /// One past the highest log index the entry index holds (0 when it holds none): the log must reach
    /// this size before it matches the index.
    pub async fn index_end(&self) -> Result<i64, Error> {
        const SQL: &str = "SELECT COALESCE(MAX(log_index) + 1, 0) FROM entries";
        match &self.pool {
            Pool::Sqlite(pool) => sqlx::query_scalar::<_, i64>(SQL).fetch_one(pool).await,
            Pool::Postgres(pool) => sqlx::query_scalar::<_, i64>(SQL).fetch_one(pool).await,
        }
        .map_err(db)
    }

    /// Opens (creating if missing, readable by its owner only) the SQLite file at `path` and brings its
    /// schema up to date. A write that finds the database locked by another process waits up to 30 s,
    /// then fails.
    pub async fn open_sqlite(path: &Path) -> Result<SqlStore, Error> {
        SqlStore::open_sqlite_with_busy_timeout(path, SQLITE_BUSY).await
    }

    /// [`SqlStore::open_sqlite`], waiting at most `busy` for a lock another process holds.
    pub async fn open_sqlite_with_busy_timeout(
        path: &Path,
        busy: Duration,
    ) -> Result<SqlStore, Error> {
        Ok(SqlStore { pool: Pool::Sqlite(dialect::open_sqlite(path, busy).await?) })
    }

    /// Connects to the PostgreSQL database at `url` (`postgres://…`, `?host=/socket/dir` for a local
    /// socket) and brings its schema up to date.
    pub async fn connect_postgres(url: &str) -> Result<SqlStore, Error> {
        Ok(SqlStore { pool: Pool::Postgres(dialect::connect_postgres(url).await?) })
    }

    /// Which database the store is in.
    pub fn backend(&self) -> Backend {
        match self.pool {
            Pool::Sqlite(_) => Backend::Sqlite,
            Pool::Postgres(_) => Backend::Postgres,
        }
    }
}

/// Evaluates `$body` with `$pool` bound to the store's pool: the body is written once and compiled
/// for each database, with that database's types.
macro_rules! on_pool {
    ($store:expr, $pool:ident => $body:expr) => {
        match &$store.pool {
            Pool::Sqlite($pool) => $body,
            Pool::Postgres($pool) => $body,
        }
    };
}

/// A database error as the contract names it: a missing row is [`Error::NotFound`], a uniqueness
/// violation [`Error::Conflict`].
fn db(e: sqlx::Error) -> Error {
    match e {
        sqlx::Error::RowNotFound => Error::NotFound,
        sqlx::Error::Database(d) if d.is_unique_violation() => {
            Error::Conflict(d.message().to_string())
        }
        other => Error::Database(other.to_string()),
    }
}

/// `Err(NotFound)` when a statement changed no row.
fn changed(rows: u64) -> Result<(), Error> {
    if rows == 0 { Err(Error::NotFound) } else { Ok(()) }
}

#[derive(sqlx::FromRow)]
struct UserRow {
    id: i64,
    name: String,
    role: String,
    party: Option<String>,
}

impl TryFrom<UserRow> for User {
    type Error = Error;

    fn try_from(row: UserRow) -> Result<User, Error> {
        let role = Role::parse(&row.role)
            .ok_or_else(|| Error::Database(format!("unknown role {:?}", row.role)))?;
        Ok(User { id: row.id, name: row.name, role, party: row.party })
    }
}

#[derive(sqlx::FromRow)]
struct ScenarioRow {
    slug: String,
    version: i64,
    text: String,
    author: i64,
    saved_at: i64,
    reason: String,
}

#[derive(sqlx::FromRow)]
struct SubmissionRow {
    id: i64,
    scenario: String,
    party: String,
    author: i64,
    text: String,
}

#[derive(sqlx::FromRow)]
struct EntryRow {
    log_index: i64,
    kind: String,
    author: String,
    day: Option<String>,
    class: Option<String>,
    lat_e6: Option<i64>,
    lon_e6: Option<i64>,
    refers_to: Option<i64>,
    state: Option<String>,
}

impl From<EntryRow> for IndexedEntry {
    fn from(r: EntryRow) -> IndexedEntry {
        IndexedEntry {
            index: r.log_index,
            kind: r.kind,
            author: r.author,
            day: r.day,
            class: r.class,
            position: r.lat_e6.zip(r.lon_e6),
            refers_to: r.refers_to,
            state: r.state,
        }
    }
}

impl Store for SqlStore {
    async fn create_user(
        &self,
        name: &str,
        role: Role,
        party: Option<&str>,
    ) -> Result<User, Error> {
        let row: UserRow = on_pool!(self, pool => sqlx::query_as(
            "INSERT INTO users (name, role, party) VALUES ($1, $2, $3) RETURNING id, name, role, party",
        )
        .bind(name)
        .bind(role.as_str())
        .bind(party)
        .fetch_one(pool)
        .await)
        .map_err(db)?;
        row.try_into()
    }

    async fn user(&self, id: i64) -> Result<User, Error> {
        let row: UserRow = on_pool!(self, pool => sqlx::query_as(
            "SELECT id, name, role, party FROM users WHERE id = $1",
        )
        .bind(id)
        .fetch_one(pool)
        .await)
        .map_err(db)?;
        row.try_into()
    }

    async fn add_token(&self, user: i64, hash: [u8; 32], label: &str) -> Result<(), Error> {
        on_pool!(self, pool => sqlx::query(
            "INSERT INTO tokens (hash, user_id, label) VALUES ($1, $2, $3)",
        )
        .bind(hash.as_slice())
        .bind(user)
        .bind(label)
        .execute(pool)
        .await
        .map(drop))
        .map_err(db)
    }

    async fn user_by_token(&self, hash: [u8; 32]) -> Result<User, Error> {
        let row: UserRow = on_pool!(self, pool => sqlx::query_as(
            "SELECT u.id, u.name, u.role, u.party FROM tokens t JOIN users u ON u.id = t.user_id WHERE t.hash = $1 AND NOT t.revoked",
        )
        .bind(hash.as_slice())
        .fetch_one(pool)
        .await)
        .map_err(db)?;
        row.try_into()
    }

    async fn revoke_token(&self, hash: [u8; 32]) -> Result<(), Error> {
        let rows = on_pool!(self, pool => sqlx::query(
            "UPDATE tokens SET revoked = TRUE WHERE hash = $1",
        )
        .bind(hash.as_slice())
        .execute(pool)
        .await
        .map(|done| done.rows_affected()))
        .map_err(db)?;
        changed(rows)
    }

    async fn user_by_name(&self, name: &str) -> Result<User, Error> {
        let row: UserRow = on_pool!(self, pool => sqlx::query_as(
            "SELECT id, name, role, party FROM users WHERE name = $1",
        )
        .bind(name)
        .fetch_one(pool)
        .await)
        .map_err(db)?;
        row.try_into()
    }

    async fn revoke_user(&self, user: i64) -> Result<u64, Error> {
        on_pool!(self, pool => {
            let mut tx = pool.begin_write(None).await?;
            let done = sqlx::query(
                "UPDATE tokens SET revoked = TRUE WHERE user_id = $1 AND NOT revoked",
            )
            .bind(user)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
            sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(user)
                .execute(&mut *tx)
                .await
                .map_err(db)?;
            tx.commit().await.map_err(db)?;
            Ok(done.rows_affected())
        })
    }

    async fn add_key(&self, user: i64, key: &str) -> Result<(), Error> {
        on_pool!(self, pool => sqlx::query("INSERT INTO user_keys (key, user_id) VALUES ($1, $2)")
            .bind(key)
            .bind(user)
            .execute(pool)
            .await
            .map(drop))
        .map_err(db)
    }

    async fn key_holder(&self, key: &str) -> Result<i64, Error> {
        on_pool!(self, pool => sqlx::query_scalar("SELECT user_id FROM user_keys WHERE key = $1")
            .bind(key)
            .fetch_one(pool)
            .await)
        .map_err(db)
    }

    async fn keys_of(&self, user: i64) -> Result<Vec<String>, Error> {
        on_pool!(self, pool => sqlx::query_scalar("SELECT key FROM user_keys WHERE user_id = $1 ORDER BY key")
            .bind(user)
            .fetch_all(pool)
            .await)
        .map_err(db)
    }

    async fn create_session(&self, hash: [u8; 32], user: i64, expires: i64) -> Result<(), Error> {
        on_pool!(self, pool => sqlx::query(
            "INSERT INTO sessions (hash, user_id, expires) VALUES ($1, $2, $3)",
        )
        .bind(hash.as_slice())
        .bind(user)
        .bind(expires)
        .execute(pool)
        .await
        .map(drop))
        .map_err(db)
    }

    async fn session_user(&self, hash: [u8; 32], now: i64) -> Result<User, Error> {
        let row: UserRow = on_pool!(self, pool => sqlx::query_as(
            "SELECT u.id, u.name, u.role, u.party FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.hash = $1 AND s.expires > $2",
        )
        .bind(hash.as_slice())
        .bind(now)
        .fetch_one(pool)
        .await)
        .map_err(db)?;
        row.try_into()
    }

    async fn end_session(&self, hash: [u8; 32]) -> Result<(), Error> {
        on_pool!(self, pool => sqlx::query("DELETE FROM sessions WHERE hash = $1")
            .bind(hash.as_slice())
            .execute(pool)
            .await
            .map(drop))
        .map_err(db)
    }

    async fn save_scenario(
        &self,
        slug: &str,
        text: &str,
        author: i64,
        reason: &str,
    ) -> Result<i64, Error> {
        let now = jiff::Timestamp::now().as_second();
        on_pool!(self, pool => {
            let mut tx = pool.begin_write(Some(slug)).await?;
            let next: i64 = sqlx::query_scalar(
                "SELECT COALESCE(MAX(version), 0) + 1 FROM scenario_versions WHERE slug = $1",
            )
            .bind(slug)
            .fetch_one(&mut *tx)
            .await
            .map_err(db)?;
            sqlx::query(
                "INSERT INTO scenario_versions (slug, version, text, author, saved_at, reason) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(slug)
            .bind(next)
            .bind(text)
            .bind(author)
            .bind(now)
            .bind(reason)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
            tx.commit().await.map_err(db)?;
            Ok(next)
        })
    }

    async fn scenario(&self, slug: &str, version: Option<i64>) -> Result<ScenarioVersion, Error> {
        let row: ScenarioRow = on_pool!(self, pool => match version {
            Some(v) => sqlx::query_as(
                "SELECT slug, version, text, author, saved_at, reason FROM scenario_versions WHERE slug = $1 AND version = $2",
            )
            .bind(slug)
            .bind(v)
            .fetch_one(pool)
            .await,
            None => sqlx::query_as(
                "SELECT slug, version, text, author, saved_at, reason FROM scenario_versions WHERE slug = $1 ORDER BY version DESC LIMIT 1",
            )
            .bind(slug)
            .fetch_one(pool)
            .await,
        })
        .map_err(db)?;
        Ok(ScenarioVersion {
            slug: row.slug,
            version: row.version,
            text: row.text,
            author: row.author,
            saved_at: row.saved_at,
            reason: row.reason,
        })
    }

    async fn scenarios(&self) -> Result<Vec<String>, Error> {
        on_pool!(self, pool => sqlx::query_scalar(
            "SELECT DISTINCT slug FROM scenario_versions ORDER BY slug",
        )
        .fetch_all(pool)
        .await)
        .map_err(db)
    }

    async fn submit_preferences(
        &self,
        scenario: &str,
        party: &str,
        author: i64,
        text: &str,
    ) -> Result<i64, Error> {
        on_pool!(self, pool => sqlx::query_scalar(
            "INSERT INTO submissions (scenario, party, author, text) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(scenario)
        .bind(party)
        .bind(author)
        .bind(text)
        .fetch_one(pool)
        .await)
        .map_err(db)
    }

    async fn submissions(
        &self,
        scenario: &str,
        party: Option<&str>,
    ) -> Result<Vec<Submission>, Error> {
        let rows: Vec<SubmissionRow> = on_pool!(self, pool => sqlx::query_as(
            "SELECT id, scenario, party, author, text FROM submissions WHERE scenario = $1 AND (CAST($2 AS TEXT) IS NULL OR party = $3) ORDER BY id",
        )
        .bind(scenario)
        .bind(party)
        .bind(party)
        .fetch_all(pool)
        .await)
        .map_err(db)?;
        Ok(rows
            .into_iter()
            .map(|r| Submission {
                id: r.id,
                scenario: r.scenario,
                party: r.party,
                author: r.author,
                text: r.text,
            })
            .collect())
    }

    async fn save_agreement(&self, slug: &str, text: &str) -> Result<i64, Error> {
        on_pool!(self, pool => {
            let mut tx = pool.begin_write(Some(&format!("agreement:{slug}"))).await?;
            let next: i64 = sqlx::query_scalar(
                "SELECT COALESCE(MAX(version), 0) + 1 FROM agreement_versions WHERE slug = $1",
            )
            .bind(slug)
            .fetch_one(&mut *tx)
            .await
            .map_err(db)?;
            sqlx::query("INSERT INTO agreement_versions (slug, version, text) VALUES ($1, $2, $3)")
                .bind(slug)
                .bind(next)
                .bind(text)
                .execute(&mut *tx)
                .await
                .map_err(db)?;
            tx.commit().await.map_err(db)?;
            Ok(next)
        })
    }

    async fn agreement(&self, slug: &str) -> Result<String, Error> {
        on_pool!(self, pool => sqlx::query_scalar(
            "SELECT text FROM agreement_versions WHERE slug = $1 ORDER BY version DESC LIMIT 1",
        )
        .bind(slug)
        .fetch_one(pool)
        .await)
        .map_err(db)
    }

    async fn index_entries(&self, entries: &[IndexedEntry]) -> Result<(), Error> {
        // One row per index, the last given winning, as row-by-row upserts would have it: PostgreSQL
        // refuses a statement that updates the same row twice.
        let unique: BTreeMap<i64, &IndexedEntry> = entries.iter().map(|e| (e.index, e)).collect();
        let rows: Vec<&IndexedEntry> = unique.into_values().collect();
        on_pool!(self, pool => {
            let mut tx = pool.begin_write(None).await?;
            // Many rows a statement: one round trip per 500 rows, not per row.
            for chunk in rows.chunks(500) {
                let mut q = sqlx::QueryBuilder::new(
                    "INSERT INTO entries (log_index, kind, author, day, class, lat_e6, lon_e6, refers_to, state) ",
                );
                q.push_values(chunk, |mut row, e| {
                    row.push_bind(e.index)
                        .push_bind(&e.kind)
                        .push_bind(&e.author)
                        .push_bind(&e.day)
                        .push_bind(&e.class)
                        .push_bind(e.position.map(|p| p.0))
                        .push_bind(e.position.map(|p| p.1))
                        .push_bind(e.refers_to)
                        .push_bind(&e.state);
                });
                q.push(
                    " ON CONFLICT (log_index) DO UPDATE SET kind = EXCLUDED.kind, author = EXCLUDED.author, day = EXCLUDED.day, class = EXCLUDED.class, lat_e6 = EXCLUDED.lat_e6, lon_e6 = EXCLUDED.lon_e6, refers_to = EXCLUDED.refers_to, state = EXCLUDED.state",
                );
                q.build().execute(&mut *tx).await.map_err(db)?;
            }
            tx.commit().await.map_err(db)
        })
    }

    async fn set_state(&self, index: i64, state: &str) -> Result<(), Error> {
        let rows = on_pool!(self, pool => sqlx::query(
            "UPDATE entries SET state = $1 WHERE log_index = $2 AND kind IN ('observation', 'correction')",
        )
        .bind(state)
        .bind(index)
        .execute(pool)
        .await
        .map(|done| done.rows_affected()))
        .map_err(db)?;
        changed(rows)
    }

    async fn indexed_size(&self) -> Result<i64, Error> {
        // The first index whose successor is missing, or 0 when index 0 is.
        on_pool!(self, pool => sqlx::query_scalar(
            "SELECT CASE WHEN NOT EXISTS (SELECT 1 FROM entries WHERE log_index = 0) THEN CAST(0 AS BIGINT) ELSE (SELECT MIN(e.log_index) + 1 FROM entries e WHERE NOT EXISTS (SELECT 1 FROM entries f WHERE f.log_index = e.log_index + 1)) END",
        )
        .fetch_one(pool)
        .await)
        .map_err(db)
    }

    async fn observations_on(&self, day: &str) -> Result<Vec<IndexedEntry>, Error> {
        let rows: Vec<EntryRow> = on_pool!(self, pool => sqlx::query_as(
            "SELECT log_index, kind, author, day, class, lat_e6, lon_e6, refers_to, state FROM entries WHERE day = $1 ORDER BY log_index",
        )
        .bind(day)
        .fetch_all(pool)
        .await)
        .map_err(db)?;
        Ok(rows.into_iter().map(IndexedEntry::from).collect())
    }

    async fn queue(&self, limit: i64) -> Result<Vec<IndexedEntry>, Error> {
        let rows: Vec<EntryRow> = on_pool!(self, pool => sqlx::query_as(
            "SELECT log_index, kind, author, day, class, lat_e6, lon_e6, refers_to, state FROM entries WHERE state IN ('received', 'under_review') ORDER BY log_index LIMIT $1",
        )
        .bind(limit)
        .fetch_all(pool)
        .await)
        .map_err(db)?;
        Ok(rows.into_iter().map(IndexedEntry::from).collect())
    }

    async fn save_job(&self, job: &JobRecord) -> Result<(), Error> {
        on_pool!(self, pool => sqlx::query(
            "INSERT INTO jobs (id, owner, slug, ask, server, state, reason, document, plots, created, expires) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
             ON CONFLICT (id) DO UPDATE SET owner = $2, slug = $3, ask = $4, server = $5, state = $6, \
             reason = $7, document = $8, plots = $9, created = $10, expires = $11",
        )
        .bind(&job.id)
        .bind(job.owner)
        .bind(&job.slug)
        .bind(&job.ask)
        .bind(&job.server)
        .bind(&job.state)
        .bind(&job.reason)
        .bind(job.document.as_deref())
        .bind(job.plots.as_deref())
        .bind(job.created)
        .bind(job.expires)
        .execute(pool)
        .await
        .map(drop))
        .map_err(db)
    }

    async fn job(&self, id: &str, now: i64) -> Result<JobRecord, Error> {
        let row: JobRow = on_pool!(self, pool => sqlx::query_as(
            "SELECT id, owner, slug, ask, server, state, reason, document, plots, created, expires FROM jobs WHERE id = $1 AND (expires = 0 OR expires > $2)",
        )
        .bind(id)
        .bind(now)
        .fetch_one(pool)
        .await)
        .map_err(db)?;
        Ok(row.into())
    }

    async fn put_source_file(&self, file: &SourceFile) -> Result<bool, Error> {
        if !truce_store::names_its_bytes(file) {
            return Err(Error::Conflict(format!(
                "{:?} is not the SHA-256 of the file's bytes",
                file.sha256.chars().take(64).collect::<String>()
            )));
        }
        on_pool!(self, pool => sqlx::query(
            "INSERT INTO source_files (sha256, media_type, bytes, text, uploader, uploaded_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (sha256) DO NOTHING",
        )
        .bind(&file.sha256)
        .bind(&file.media_type)
        .bind(&file.bytes)
        .bind(&file.text)
        .bind(file.uploader)
        .bind(file.uploaded_at)
        .execute(pool)
        .await
        .map(|r| r.rows_affected() == 1))
        .map_err(db)
    }

    async fn source_file(&self, sha256: &str) -> Result<SourceFile, Error> {
        let row: SourceRow = on_pool!(self, pool => sqlx::query_as(
            "SELECT sha256, media_type, bytes, text, uploader, uploaded_at FROM source_files WHERE sha256 = $1",
        )
        .bind(sha256)
        .fetch_one(pool)
        .await)
        .map_err(db)?;
        Ok(SourceFile {
            sha256: row.sha256,
            media_type: row.media_type,
            bytes: row.bytes,
            text: row.text,
            uploader: row.uploader,
            uploaded_at: row.uploaded_at,
        })
    }

    async fn interrupt_jobs(&self, server: &str, reason: &str, expires: i64) -> Result<u64, Error> {
        on_pool!(self, pool => sqlx::query(
            "UPDATE jobs SET state = 'interrupted', reason = $2, expires = $3 WHERE server = $1 AND state IN ('queued', 'running')",
        )
        .bind(server)
        .bind(reason)
        .bind(expires)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))
        .map_err(db)
    }

    async fn forget_jobs(&self, now: i64, owner: i64, keep: i64) -> Result<u64, Error> {
        on_pool!(self, pool => {
            let mut tx = pool.begin_write(None).await?;
            let expired = sqlx::query("DELETE FROM jobs WHERE expires > 0 AND expires <= $1")
                .bind(now)
                .execute(&mut *tx)
                .await
                .map_err(db)?
                .rows_affected();
            let beyond = sqlx::query(
                "DELETE FROM jobs WHERE owner = $1 AND expires > 0 AND id NOT IN \
                 (SELECT id FROM jobs WHERE owner = $1 AND expires > 0 ORDER BY created DESC, id DESC LIMIT $2)",
            )
            .bind(owner)
            .bind(keep)
            .execute(&mut *tx)
            .await
            .map_err(db)?
            .rows_affected();
            tx.commit().await.map_err(db)?;
            Ok(expired + beyond)
        })
    }
}

#[derive(sqlx::FromRow)]
struct SourceRow {
    sha256: String,
    media_type: String,
    bytes: Vec<u8>,
    text: String,
    uploader: i64,
    uploaded_at: i64,
}

#[derive(sqlx::FromRow)]
struct JobRow {
    id: String,
    owner: i64,
    slug: String,
    ask: String,
    server: String,
    state: String,
    reason: String,
    document: Option<Vec<u8>>,
    plots: Option<String>,
    created: i64,
    expires: i64,
}

impl From<JobRow> for JobRecord {
    fn from(r: JobRow) -> JobRecord {
        JobRecord {
            id: r.id,
            owner: r.owner,
            slug: r.slug,
            ask: r.ask,
            server: r.server,
            state: r.state,
            reason: r.reason,
            document: r.document,
            plots: r.plots,
            created: r.created,
            expires: r.expires,
        }
    }
}

// Last, not first: the tidy test reads a file only up to its first `#[cfg(test)]`.
#[cfg(test)]
mod tests;
