//! The PostgreSQL backend of `truce-store`, for scale: a connection pool, one transaction per call
//! (committed with PostgreSQL's default synchronous commit), and versions numbered under a
//! per-slug advisory lock so that concurrent writers never collide. Owns its SQL and its migrations
//! (`migrations/`).

#![deny(missing_docs)]

use std::str::FromStr;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{PgPool, Row};
use truce_store::{Error, IndexedEntry, Role, ScenarioVersion, Store, Submission, User};

/// A PostgreSQL store. Clones share the pool. Its `Debug` never shows the URL (which may hold a
/// password).
#[derive(Clone)]
pub struct Postgres {
    pool: PgPool,
}

impl std::fmt::Debug for Postgres {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Postgres")
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

impl Postgres {
    /// Connects to the database at `url` (`postgres://…`, `?host=/socket/dir` for a local socket) and
    /// brings its schema up to date.
    pub async fn connect(url: &str) -> Result<Postgres, Error> {
        let options = PgConnectOptions::from_str(url)
            .map_err(|_| Error::Database("unreadable PostgreSQL URL".into()))?;
        let pool =
            PgPoolOptions::new().max_connections(16).connect_with(options).await.map_err(db)?;
        sqlx::migrate!("./migrations")
            .run(&pool)
            .await
            .map_err(|e| Error::Database(e.to_string()))?;
        Ok(Postgres { pool })
    }
}

fn user(row: &sqlx::postgres::PgRow) -> Result<User, Error> {
    let role: String = row.try_get("role").map_err(db)?;
    Ok(User {
        id: row.try_get("id").map_err(db)?,
        name: row.try_get("name").map_err(db)?,
        role: Role::parse(&role)
            .ok_or_else(|| Error::Database(format!("unknown role {role:?}")))?,
        party: row.try_get("party").map_err(db)?,
    })
}

fn indexed(row: &sqlx::postgres::PgRow) -> Result<IndexedEntry, Error> {
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

/// A transaction holding the advisory lock of `slug`'s version counter.
async fn locked(
    pool: &PgPool,
    slug: &str,
) -> Result<sqlx::Transaction<'static, sqlx::Postgres>, Error> {
    let mut tx = pool.begin().await.map_err(db)?;
    sqlx::query("SELECT pg_advisory_xact_lock(hashtext($1))")
        .bind(slug)
        .execute(&mut *tx)
        .await
        .map_err(db)?;
    Ok(tx)
}

impl Store for Postgres {
    async fn create_user(
        &self,
        name: &str,
        role: Role,
        party: Option<&str>,
    ) -> Result<User, Error> {
        let row = sqlx::query("INSERT INTO users (name, role, party) VALUES ($1, $2, $3) RETURNING id, name, role, party")
            .bind(name)
            .bind(role.as_str())
            .bind(party)
            .fetch_one(&self.pool)
            .await
            .map_err(db)?;
        user(&row)
    }

    async fn user(&self, id: i64) -> Result<User, Error> {
        let row = sqlx::query("SELECT id, name, role, party FROM users WHERE id = $1")
            .bind(id)
            .fetch_one(&self.pool)
            .await
            .map_err(db)?;
        user(&row)
    }

    async fn add_token(&self, user: i64, hash: [u8; 32], label: &str) -> Result<(), Error> {
        sqlx::query("INSERT INTO tokens (hash, user_id, label) VALUES ($1, $2, $3)")
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
            "SELECT u.id, u.name, u.role, u.party FROM tokens t JOIN users u ON u.id = t.user_id WHERE t.hash = $1 AND NOT t.revoked",
        )
        .bind(hash.as_slice())
        .fetch_one(&self.pool)
        .await
        .map_err(db)?;
        user(&row)
    }

    async fn revoke_token(&self, hash: [u8; 32]) -> Result<(), Error> {
        let done = sqlx::query("UPDATE tokens SET revoked = TRUE WHERE hash = $1")
            .bind(hash.as_slice())
            .execute(&self.pool)
            .await
            .map_err(db)?;
        if done.rows_affected() == 0 { Err(Error::NotFound) } else { Ok(()) }
    }

    async fn user_by_name(&self, name: &str) -> Result<User, Error> {
        let row = sqlx::query("SELECT id, name, role, party FROM users WHERE name = $1")
            .bind(name)
            .fetch_one(&self.pool)
            .await
            .map_err(db)?;
        user(&row)
    }

    async fn revoke_user(&self, user: i64) -> Result<u64, Error> {
        let mut tx = self.pool.begin().await.map_err(db)?;
        let done =
            sqlx::query("UPDATE tokens SET revoked = TRUE WHERE user_id = $1 AND NOT revoked")
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
    }

    async fn add_key(&self, user: i64, key: &str) -> Result<(), Error> {
        sqlx::query("INSERT INTO user_keys (key, user_id) VALUES ($1, $2)")
            .bind(key)
            .bind(user)
            .execute(&self.pool)
            .await
            .map_err(db)?;
        Ok(())
    }

    async fn key_holder(&self, key: &str) -> Result<i64, Error> {
        sqlx::query_scalar("SELECT user_id FROM user_keys WHERE key = $1")
            .bind(key)
            .fetch_one(&self.pool)
            .await
            .map_err(db)
    }

    async fn create_session(&self, hash: [u8; 32], user: i64, expires: i64) -> Result<(), Error> {
        sqlx::query("INSERT INTO sessions (hash, user_id, expires) VALUES ($1, $2, $3)")
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
            "SELECT u.id, u.name, u.role, u.party FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.hash = $1 AND s.expires > $2",
        )
        .bind(hash.as_slice())
        .bind(now)
        .fetch_one(&self.pool)
        .await
        .map_err(db)?;
        user(&row)
    }

    async fn end_session(&self, hash: [u8; 32]) -> Result<(), Error> {
        sqlx::query("DELETE FROM sessions WHERE hash = $1")
            .bind(hash.as_slice())
            .execute(&self.pool)
            .await
            .map_err(db)?;
        Ok(())
    }

    async fn save_scenario(&self, slug: &str, text: &str, author: i64) -> Result<i64, Error> {
        let mut tx = locked(&self.pool, slug).await?;
        let next: i64 = sqlx::query_scalar(
            "SELECT COALESCE(MAX(version), 0) + 1 FROM scenario_versions WHERE slug = $1",
        )
        .bind(slug)
        .fetch_one(&mut *tx)
        .await
        .map_err(db)?;
        sqlx::query(
            "INSERT INTO scenario_versions (slug, version, text, author) VALUES ($1, $2, $3, $4)",
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
            Some(v) => sqlx::query("SELECT slug, version, text, author FROM scenario_versions WHERE slug = $1 AND version = $2")
                .bind(slug)
                .bind(v)
                .fetch_one(&self.pool)
                .await,
            None => sqlx::query("SELECT slug, version, text, author FROM scenario_versions WHERE slug = $1 ORDER BY version DESC LIMIT 1")
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
        sqlx::query_scalar("INSERT INTO submissions (scenario, party, author, text) VALUES ($1, $2, $3, $4) RETURNING id")
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
            "SELECT id, scenario, party, author, text FROM submissions WHERE scenario = $1 AND ($2::TEXT IS NULL OR party = $3) ORDER BY id",
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
        let mut tx = locked(&self.pool, &format!("agreement:{slug}")).await?;
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
    }

    async fn agreement(&self, slug: &str) -> Result<String, Error> {
        sqlx::query_scalar(
            "SELECT text FROM agreement_versions WHERE slug = $1 ORDER BY version DESC LIMIT 1",
        )
        .bind(slug)
        .fetch_one(&self.pool)
        .await
        .map_err(db)
    }

    async fn index_entries(&self, entries: &[IndexedEntry]) -> Result<(), Error> {
        // One row per index (the last given wins, as row-by-row upserts would have it): a statement
        // may not update the same row twice.
        let mut unique: std::collections::BTreeMap<i64, &IndexedEntry> =
            std::collections::BTreeMap::new();
        for e in entries {
            unique.insert(e.index, e);
        }
        let rows: Vec<&IndexedEntry> = unique.into_values().collect();
        let mut tx = self.pool.begin().await.map_err(db)?;
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
            q.push(" ON CONFLICT (log_index) DO UPDATE SET kind = EXCLUDED.kind, author = EXCLUDED.author, day = EXCLUDED.day, class = EXCLUDED.class, lat_e6 = EXCLUDED.lat_e6, lon_e6 = EXCLUDED.lon_e6, refers_to = EXCLUDED.refers_to, state = EXCLUDED.state");
            q.build().execute(&mut *tx).await.map_err(db)?;
        }
        tx.commit().await.map_err(db)
    }

    async fn set_state(&self, index: i64, state: &str) -> Result<(), Error> {
        let done = sqlx::query("UPDATE entries SET state = $1 WHERE log_index = $2 AND kind IN ('observation', 'correction')")
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
            "SELECT CASE WHEN NOT EXISTS (SELECT 1 FROM entries WHERE log_index = 0) THEN 0::BIGINT ELSE (SELECT MIN(e.log_index) + 1 FROM entries e WHERE NOT EXISTS (SELECT 1 FROM entries f WHERE f.log_index = e.log_index + 1)) END",
        )
            .fetch_one(&self.pool)
            .await
            .map_err(db)
    }

    async fn observations_on(&self, day: &str) -> Result<Vec<IndexedEntry>, Error> {
        let rows = sqlx::query("SELECT * FROM entries WHERE day = $1 ORDER BY log_index")
            .bind(day)
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        rows.iter().map(indexed).collect()
    }

    async fn queue(&self, limit: i64) -> Result<Vec<IndexedEntry>, Error> {
        let rows = sqlx::query(
            "SELECT * FROM entries WHERE state IN ('received', 'under_review') ORDER BY log_index LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        rows.iter().map(indexed).collect()
    }
}
