//! The embedded SQLite backend of `truce-store`, the default: one file, WAL journal, `synchronous=FULL`
//! so that a committed call survives power loss, and writes serialised by SQLite itself (each write is
//! one `BEGIN IMMEDIATE` transaction). Owns its SQL and its migrations (`migrations/`).

#![deny(missing_docs)]

use std::path::Path;
use std::str::FromStr;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Row, SqlitePool};
use truce_store::{Error, IndexedEntry, Role, ScenarioVersion, Store, Submission, User};

/// A SQLite store. Clones share the pool.
#[derive(Clone)]
pub struct Sqlite {
    pool: SqlitePool,
}

impl std::fmt::Debug for Sqlite {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sqlite")
    }
}

fn db(e: sqlx::Error) -> Error {
    match e {
        sqlx::Error::RowNotFound => Error::NotFound,
        sqlx::Error::Database(d) if d.is_unique_violation() => {
            Error::Conflict(d.message().to_string())
        }
        other => Error::Database(other.to_string()),
    }
}

impl Sqlite {
    /// Opens (creating if missing) the database file at `path` and brings its schema up to date. A write
    /// that finds the database locked by another process waits up to 30 s, then fails.
    pub async fn open(path: &Path) -> Result<Sqlite, Error> {
        Sqlite::open_with_busy_timeout(path, std::time::Duration::from_secs(30)).await
    }

    /// [`Sqlite::open`], waiting at most `busy` for a lock another process holds.
    pub async fn open_with_busy_timeout(
        path: &Path,
        busy: std::time::Duration,
    ) -> Result<Sqlite, Error> {
        let options = SqliteConnectOptions::from_str(&format!("sqlite://{}", path.display()))
            .map_err(db)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(busy);
        let pool =
            SqlitePoolOptions::new().max_connections(8).connect_with(options).await.map_err(db)?;
        sqlx::migrate!("./migrations")
            .run(&pool)
            .await
            .map_err(|e| Error::Database(e.to_string()))?;
        Ok(Sqlite { pool })
    }
}

fn user(row: &sqlx::sqlite::SqliteRow) -> Result<User, Error> {
    let role: String = row.try_get("role").map_err(db)?;
    Ok(User {
        id: row.try_get("id").map_err(db)?,
        name: row.try_get("name").map_err(db)?,
        role: Role::parse(&role)
            .ok_or_else(|| Error::Database(format!("unknown role {role:?}")))?,
        party: row.try_get("party").map_err(db)?,
    })
}

fn indexed(row: &sqlx::sqlite::SqliteRow) -> Result<IndexedEntry, Error> {
    let lat: Option<i64> = row.try_get("lat_e6").map_err(db)?;
    let lon: Option<i64> = row.try_get("lon_e6").map_err(db)?;
    Ok(IndexedEntry {
        index: row.try_get("log_index").map_err(db)?,
        kind: row.try_get("kind").map_err(db)?,
        author: row.try_get("author").map_err(db)?,
        day: row.try_get("day").map_err(db)?,
        class: row.try_get("class").map_err(db)?,
        position: lat.zip(lon),
        refers_to: row.try_get("refers_to").map_err(db)?,
        state: row.try_get("state").map_err(db)?,
    })
}

/// `BEGIN IMMEDIATE`: takes the write lock at once, so that read-then-write transactions serialise.
async fn immediate(pool: &SqlitePool) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>, Error> {
    pool.begin_with("BEGIN IMMEDIATE").await.map_err(db)
}

impl Store for Sqlite {
    async fn create_user(
        &self,
        name: &str,
        role: Role,
        party: Option<&str>,
    ) -> Result<User, Error> {
        let row = sqlx::query("INSERT INTO users (name, role, party) VALUES (?, ?, ?) RETURNING id, name, role, party")
            .bind(name)
            .bind(role.as_str())
            .bind(party)
            .fetch_one(&self.pool)
            .await
            .map_err(db)?;
        user(&row)
    }

    async fn user(&self, id: i64) -> Result<User, Error> {
        let row = sqlx::query("SELECT id, name, role, party FROM users WHERE id = ?")
            .bind(id)
            .fetch_one(&self.pool)
            .await
            .map_err(db)?;
        user(&row)
    }

    async fn add_token(&self, user: i64, hash: [u8; 32], label: &str) -> Result<(), Error> {
        sqlx::query("INSERT INTO tokens (hash, user_id, label) VALUES (?, ?, ?)")
            .bind(hash.as_slice())
            .bind(user)
            .bind(label)
            .execute(&self.pool)
            .await
            .map_err(db)?;
        Ok(())
    }

    async fn user_by_token(&self, hash: [u8; 32]) -> Result<User, Error> {
        let row = sqlx::query(
            "SELECT u.id, u.name, u.role, u.party FROM tokens t JOIN users u ON u.id = t.user_id WHERE t.hash = ? AND t.revoked = 0",
        )
        .bind(hash.as_slice())
        .fetch_one(&self.pool)
        .await
        .map_err(db)?;
        user(&row)
    }

    async fn revoke_token(&self, hash: [u8; 32]) -> Result<(), Error> {
        let done = sqlx::query("UPDATE tokens SET revoked = 1 WHERE hash = ?")
            .bind(hash.as_slice())
            .execute(&self.pool)
            .await
            .map_err(db)?;
        if done.rows_affected() == 0 { Err(Error::NotFound) } else { Ok(()) }
    }

    async fn user_by_name(&self, name: &str) -> Result<User, Error> {
        let row = sqlx::query("SELECT id, name, role, party FROM users WHERE name = ?")
            .bind(name)
            .fetch_one(&self.pool)
            .await
            .map_err(db)?;
        user(&row)
    }

    async fn revoke_user(&self, user: i64) -> Result<u64, Error> {
        let mut tx = immediate(&self.pool).await?;
        let done = sqlx::query("UPDATE tokens SET revoked = 1 WHERE user_id = ? AND revoked = 0")
            .bind(user)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        sqlx::query("DELETE FROM sessions WHERE user_id = ?")
            .bind(user)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        tx.commit().await.map_err(db)?;
        Ok(done.rows_affected())
    }

    async fn add_key(&self, user: i64, key: &str) -> Result<(), Error> {
        sqlx::query("INSERT INTO user_keys (key, user_id) VALUES (?, ?)")
            .bind(key)
            .bind(user)
            .execute(&self.pool)
            .await
            .map_err(db)?;
        Ok(())
    }

    async fn key_holder(&self, key: &str) -> Result<i64, Error> {
        sqlx::query_scalar("SELECT user_id FROM user_keys WHERE key = ?")
            .bind(key)
            .fetch_one(&self.pool)
            .await
            .map_err(db)
    }

    async fn create_session(&self, hash: [u8; 32], user: i64, expires: i64) -> Result<(), Error> {
        sqlx::query("INSERT INTO sessions (hash, user_id, expires) VALUES (?, ?, ?)")
            .bind(hash.as_slice())
            .bind(user)
            .bind(expires)
            .execute(&self.pool)
            .await
            .map_err(db)?;
        Ok(())
    }

    async fn session_user(&self, hash: [u8; 32], now: i64) -> Result<User, Error> {
        let row = sqlx::query(
            "SELECT u.id, u.name, u.role, u.party FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.hash = ? AND s.expires > ?",
        )
        .bind(hash.as_slice())
        .bind(now)
        .fetch_one(&self.pool)
        .await
        .map_err(db)?;
        user(&row)
    }

    async fn end_session(&self, hash: [u8; 32]) -> Result<(), Error> {
        sqlx::query("DELETE FROM sessions WHERE hash = ?")
            .bind(hash.as_slice())
            .execute(&self.pool)
            .await
            .map_err(db)?;
        Ok(())
    }

    async fn save_scenario(&self, slug: &str, text: &str, author: i64) -> Result<i64, Error> {
        let mut tx = immediate(&self.pool).await?;
        let next: i64 = sqlx::query_scalar(
            "SELECT COALESCE(MAX(version), 0) + 1 FROM scenario_versions WHERE slug = ?",
        )
        .bind(slug)
        .fetch_one(&mut *tx)
        .await
        .map_err(db)?;
        sqlx::query(
            "INSERT INTO scenario_versions (slug, version, text, author) VALUES (?, ?, ?, ?)",
        )
        .bind(slug)
        .bind(next)
        .bind(text)
        .bind(author)
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        tx.commit().await.map_err(db)?;
        Ok(next)
    }

    async fn scenario(&self, slug: &str, version: Option<i64>) -> Result<ScenarioVersion, Error> {
        let row = match version {
            Some(v) => sqlx::query("SELECT slug, version, text, author FROM scenario_versions WHERE slug = ? AND version = ?")
                .bind(slug)
                .bind(v)
                .fetch_one(&self.pool)
                .await,
            None => sqlx::query("SELECT slug, version, text, author FROM scenario_versions WHERE slug = ? ORDER BY version DESC LIMIT 1")
                .bind(slug)
                .fetch_one(&self.pool)
                .await,
        }
        .map_err(db)?;
        Ok(ScenarioVersion {
            slug: row.try_get("slug").map_err(db)?,
            version: row.try_get("version").map_err(db)?,
            text: row.try_get("text").map_err(db)?,
            author: row.try_get("author").map_err(db)?,
        })
    }

    async fn scenarios(&self) -> Result<Vec<String>, Error> {
        sqlx::query_scalar("SELECT DISTINCT slug FROM scenario_versions ORDER BY slug")
            .fetch_all(&self.pool)
            .await
            .map_err(db)
    }

    async fn submit_preferences(
        &self,
        scenario: &str,
        party: &str,
        author: i64,
        text: &str,
    ) -> Result<i64, Error> {
        sqlx::query_scalar("INSERT INTO submissions (scenario, party, author, text) VALUES (?, ?, ?, ?) RETURNING id")
            .bind(scenario)
            .bind(party)
            .bind(author)
            .bind(text)
            .fetch_one(&self.pool)
            .await
            .map_err(db)
    }

    async fn submissions(
        &self,
        scenario: &str,
        party: Option<&str>,
    ) -> Result<Vec<Submission>, Error> {
        let rows = sqlx::query(
            "SELECT id, scenario, party, author, text FROM submissions WHERE scenario = ? AND (? IS NULL OR party = ?) ORDER BY id",
        )
        .bind(scenario)
        .bind(party)
        .bind(party)
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        rows.iter()
            .map(|r| {
                Ok(Submission {
                    id: r.try_get("id").map_err(db)?,
                    scenario: r.try_get("scenario").map_err(db)?,
                    party: r.try_get("party").map_err(db)?,
                    author: r.try_get("author").map_err(db)?,
                    text: r.try_get("text").map_err(db)?,
                })
            })
            .collect()
    }

    async fn save_agreement(&self, slug: &str, text: &str) -> Result<i64, Error> {
        let mut tx = immediate(&self.pool).await?;
        let next: i64 = sqlx::query_scalar(
            "SELECT COALESCE(MAX(version), 0) + 1 FROM agreement_versions WHERE slug = ?",
        )
        .bind(slug)
        .fetch_one(&mut *tx)
        .await
        .map_err(db)?;
        sqlx::query("INSERT INTO agreement_versions (slug, version, text) VALUES (?, ?, ?)")
            .bind(slug)
            .bind(next)
            .bind(text)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        tx.commit().await.map_err(db)?;
        Ok(next)
    }

    async fn agreement(&self, slug: &str) -> Result<String, Error> {
        sqlx::query_scalar(
            "SELECT text FROM agreement_versions WHERE slug = ? ORDER BY version DESC LIMIT 1",
        )
        .bind(slug)
        .fetch_one(&self.pool)
        .await
        .map_err(db)
    }

    async fn index_entries(&self, entries: &[IndexedEntry]) -> Result<(), Error> {
        let mut tx = immediate(&self.pool).await?;
        // Many rows a statement: one round trip to SQLite's thread per 500 rows, not per row.
        for chunk in entries.chunks(500) {
            let mut q = sqlx::QueryBuilder::new(
                "INSERT OR REPLACE INTO entries (log_index, kind, author, day, class, lat_e6, lon_e6, refers_to, state) ",
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
            q.build().execute(&mut *tx).await.map_err(db)?;
        }
        tx.commit().await.map_err(db)
    }

    async fn set_state(&self, index: i64, state: &str) -> Result<(), Error> {
        let done = sqlx::query("UPDATE entries SET state = ? WHERE log_index = ? AND kind IN ('observation', 'correction')")
            .bind(state)
            .bind(index)
            .execute(&self.pool)
            .await
            .map_err(db)?;
        if done.rows_affected() == 0 { Err(Error::NotFound) } else { Ok(()) }
    }

    async fn indexed_size(&self) -> Result<i64, Error> {
        // The first index whose successor is missing, or 0 when index 0 is.
        sqlx::query_scalar(
            "SELECT CASE WHEN NOT EXISTS (SELECT 1 FROM entries WHERE log_index = 0) THEN 0 ELSE (SELECT MIN(e.log_index) + 1 FROM entries e WHERE NOT EXISTS (SELECT 1 FROM entries f WHERE f.log_index = e.log_index + 1)) END",
        )
            .fetch_one(&self.pool)
            .await
            .map_err(db)
    }

    async fn observations_on(&self, day: &str) -> Result<Vec<IndexedEntry>, Error> {
        let rows = sqlx::query("SELECT * FROM entries WHERE day = ? ORDER BY log_index")
            .bind(day)
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        rows.iter().map(indexed).collect()
    }

    async fn queue(&self, limit: i64) -> Result<Vec<IndexedEntry>, Error> {
        let rows = sqlx::query(
            "SELECT * FROM entries WHERE state IN ('received', 'under_review') ORDER BY log_index LIMIT ?",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        rows.iter().map(indexed).collect()
    }
}
