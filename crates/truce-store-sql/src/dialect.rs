//! What SQLite and PostgreSQL do differently, and nothing else: how a pool is opened (durability
//! settings, pool size), the schema's migrations (column types), and how a write transaction starts.
//!
//! Everything else is one SQL text for both. Placeholders are `$N` everywhere: sqlx binds SQLite's
//! `$N` parameters by number, as PostgreSQL does. Upserts are `ON CONFLICT … DO UPDATE` (SQLite 3.24
//! and later; the bundled SQLite is newer). Booleans are written `TRUE` and `NOT column`, which SQLite
//! reads as 1 and 0; casts are `CAST(… AS …)`, never PostgreSQL's `::`.

use std::path::Path;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Database, PgPool, SqlitePool, Transaction};
use truce_store::Error;

use crate::db;

/// Connections a SQLite pool holds: readers run side by side under WAL; writers queue on SQLite's lock.
const SQLITE_CONNECTIONS: u32 = 8;
/// Connections a PostgreSQL pool holds.
const POSTGRES_CONNECTIONS: u32 = 16;

/// The SQLite schema, in the versions `_sqlx_migrations` has recorded since the first release: these
/// files are never edited, only added to (a checksum that changes stops every existing database from
/// opening).
pub(crate) static SQLITE_MIGRATIONS: sqlx::migrate::Migrator =
    sqlx::migrate!("./migrations/sqlite");
/// The PostgreSQL schema: the same tables as [`SQLITE_MIGRATIONS`], in PostgreSQL's types.
pub(crate) static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator =
    sqlx::migrate!("./migrations/postgres");

/// Opens (creating if missing) the SQLite file at `path` and brings its schema up to date: WAL
/// journal, `synchronous=FULL` (a committed transaction survives power loss), foreign keys on, and a
/// write that finds the file locked by another process waits up to `busy`, then fails.
pub(crate) async fn open_sqlite(path: &Path, busy: Duration) -> Result<SqlitePool, Error> {
    create_private(path)
        .map_err(|e| Error::Database(format!("cannot create the database: {e}")))?;
    let options = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true)
        .busy_timeout(busy);
    let pool = SqlitePoolOptions::new()
        .max_connections(SQLITE_CONNECTIONS)
        .connect_with(options)
        .await
        .map_err(db)?;
    SQLITE_MIGRATIONS.run(&pool).await.map_err(|e| Error::Database(e.to_string()))?;
    Ok(pool)
}

/// Connects to the PostgreSQL database at `url` (`postgres://…`, `?host=/socket/dir` for a local
/// socket) and brings its schema up to date. Commits use PostgreSQL's default synchronous commit.
pub(crate) async fn connect_postgres(url: &str) -> Result<PgPool, Error> {
    // The URL may hold a password: the message never repeats it.
    let options: PgConnectOptions =
        url.parse().map_err(|_| Error::Database("unreadable PostgreSQL URL".into()))?;
    let pool = PgPoolOptions::new()
        .max_connections(POSTGRES_CONNECTIONS)
        .connect_with(options)
        .await
        .map_err(db)?;
    POSTGRES_MIGRATIONS.run(&pool).await.map_err(|e| Error::Database(e.to_string()))?;
    Ok(pool)
}

/// Creates the database file readable and writable by its owner only, or restricts it so: it holds
/// confidential submissions and token digests. SQLite gives its WAL and shared-memory files the
/// database file's mode.
fn create_private(path: &Path) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        options.mode(0o600).open(path)?;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
    }
    #[cfg(not(unix))]
    options.open(path).map(drop)
}

/// How a pool starts a write transaction.
pub(crate) trait Begin {
    /// The database.
    type Db: Database;

    /// Starts a write transaction. Writers that pass the same `numbering` key (a slug whose versions
    /// the transaction numbers: it reads the highest and inserts the next) run one at a time, so that
    /// no two take the same number.
    async fn begin_write(
        &self,
        numbering: Option<&str>,
    ) -> Result<Transaction<'static, Self::Db>, Error>;
}

impl Begin for SqlitePool {
    type Db = sqlx::Sqlite;

    /// `BEGIN IMMEDIATE`: the transaction takes SQLite's one write lock at once, so every writer,
    /// whatever its key, runs alone, and a read-then-write never meets a concurrent write.
    async fn begin_write(
        &self,
        _: Option<&str>,
    ) -> Result<Transaction<'static, sqlx::Sqlite>, Error> {
        self.begin_with("BEGIN IMMEDIATE").await.map_err(db)
    }
}

impl Begin for PgPool {
    type Db = sqlx::Postgres;

    /// `BEGIN`, then, for a numbering key, the transaction's advisory lock on the key's hash: writers
    /// of other keys run side by side.
    async fn begin_write(
        &self,
        numbering: Option<&str>,
    ) -> Result<Transaction<'static, sqlx::Postgres>, Error> {
        let mut tx = self.begin().await.map_err(db)?;
        if let Some(key) = numbering {
            sqlx::query("SELECT pg_advisory_xact_lock(hashtext($1))")
                .bind(key)
                .execute(&mut *tx)
                .await
                .map_err(db)?;
        }
        Ok(tx)
    }
}
