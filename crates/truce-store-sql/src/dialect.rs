//! What SQLite and PostgreSQL do differently, and nothing else: how a pool is opened (durability
//! settings, pool size), the schema's column types, and how a write transaction starts.
//!
//! Everything else is one SQL text for both. Placeholders are `$N` everywhere: sqlx binds SQLite's
//! `$N` parameters by number, as PostgreSQL does. Upserts are `ON CONFLICT … DO UPDATE` (SQLite 3.24
//! and later; the bundled SQLite is newer). Booleans are written `TRUE` and `NOT column`, which SQLite
//! reads as 1 and 0; casts are `CAST(… AS …)`, never PostgreSQL's `::`.

use std::path::Path;
use std::sync::LazyLock;
use std::time::Duration;

use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Database, PgPool, SqlSafeStr, SqlitePool, Transaction};
use truce_store::Error;

use crate::{Backend, db};

/// Connections a SQLite pool holds: readers run side by side under WAL; writers queue on SQLite's lock.
const SQLITE_CONNECTIONS: u32 = 8;
/// Connections a PostgreSQL pool holds.
const POSTGRES_CONNECTIONS: u32 = 16;

/// The schema's migrations, written once, with each column type a `{name}` that [`TYPES`] fills in
/// for each database: (version, description, text). A released migration is never edited, only added
/// to: sqlx checks each applied one's checksum on every open, and a change would stop every existing
/// database from opening (`migrations_keep_their_checksums` pins them).
const MIGRATIONS: [(i64, &str, &str); 5] = [
    (1, "initial", include_str!("../migrations/0001_initial.sql")),
    (2, "keys sessions", include_str!("../migrations/0002_keys_sessions.sql")),
    (3, "version notes", include_str!("../migrations/0003_version_notes.sql")),
    (4, "jobs", include_str!("../migrations/0004_jobs.sql")),
    (5, "source files", include_str!("../migrations/0005_source_files.sql")),
];

/// The column types: (name in the migrations, SQLite's, PostgreSQL's).
const TYPES: [(&str, &str, &str); 5] = [
    ("{serial}", "INTEGER", "BIGSERIAL"),
    ("{int}", "INTEGER", "BIGINT"),
    ("{bytes}", "BLOB", "BYTEA"),
    ("{bool}", "INTEGER", "BOOLEAN"),
    ("{false}", "0", "FALSE"),
];

/// [`MIGRATIONS`] in `backend`'s types.
pub(crate) fn migrations(backend: Backend) -> Vec<(i64, &'static str, String)> {
    MIGRATIONS
        .iter()
        .map(|&(version, description, text)| {
            let text = TYPES.iter().fold(text.to_string(), |text, (name, sqlite, postgres)| {
                text.replace(name, if backend == Backend::Sqlite { sqlite } else { postgres })
            });
            (version, description, text)
        })
        .collect()
}

fn migrator(backend: Backend) -> Migrator {
    migrator_upto(backend, i64::MAX)
}

/// The migrator of `backend` that stops after migration `last`: a database as a release that knew no
/// later migration left it (for the upgrade tests).
pub(crate) fn migrator_upto(backend: Backend, last: i64) -> Migrator {
    Migrator::with_migrations(
        migrations(backend)
            .into_iter()
            .filter(|(version, _, _)| *version <= last)
            .map(|(version, description, text)| {
                let sql = sqlx::AssertSqlSafe(text).into_sql_str();
                Migration::new(version, description.into(), MigrationType::Simple, sql, false)
            })
            .collect(),
    )
}

static SQLITE_MIGRATOR: LazyLock<Migrator> = LazyLock::new(|| migrator(Backend::Sqlite));
static POSTGRES_MIGRATOR: LazyLock<Migrator> = LazyLock::new(|| migrator(Backend::Postgres));

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
    SQLITE_MIGRATOR.run(&pool).await.map_err(|e| Error::Database(e.to_string()))?;
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
    POSTGRES_MIGRATOR.run(&pool).await.map_err(|e| Error::Database(e.to_string()))?;
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
