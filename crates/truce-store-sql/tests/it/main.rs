//! The store story on both databases: SQLite in a temporary file, and PostgreSQL in the throwaway
//! cluster `cargo xtask test` starts (it sets `TRUCE_TEST_POSTGRES_URL`; without it the PostgreSQL
//! test fails, saying so: it never skips). Each then reopens its database and finds everything.

use truce_store::Store;
use truce_store_sql::{Backend, SqlStore};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn story_on_sqlite() {
    let dir = std::env::temp_dir().join(format!("truce-store-sql-story-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("truce.db");
    let store = SqlStore::open_sqlite(&path).await.unwrap();
    assert_eq!(store.backend(), Backend::Sqlite);
    truce_store::story::story(&store).await;
    drop(store);
    // Reopening runs the migrations again (a no-op) and finds everything.
    let store = SqlStore::open(&format!("sqlite://{}", path.display())).await.unwrap();
    assert_eq!(store.scenario("concurrent", None).await.unwrap().version, 80);
    std::fs::remove_dir_all(dir).ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn story_on_postgres() {
    let Ok(base) = std::env::var("TRUCE_TEST_POSTGRES_URL") else {
        panic!(
            "TRUCE_TEST_POSTGRES_URL is not set: run the tests with `cargo xtask test`, which starts a throwaway PostgreSQL cluster"
        );
    };
    // A fresh database for this run, created through the cluster's maintenance database `postgres`,
    // which the URL names.
    use sqlx::Connection;
    let name = format!("truce_story_{}", std::process::id());
    let mut admin = sqlx::PgConnection::connect(&base).await.expect("connect to the cluster");
    for sql in [format!("DROP DATABASE IF EXISTS {name}"), format!("CREATE DATABASE {name}")] {
        sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&mut admin).await.unwrap();
    }
    let url = base.replacen("/postgres?", &format!("/{name}?"), 1);
    let store = SqlStore::open(&url).await.expect("connect");
    assert_eq!(store.backend(), Backend::Postgres);
    assert_eq!(format!("{store:?}"), "SqlStore(Postgres)", "Debug names no URL");
    truce_store::story::story(&store).await;
    drop(store);
    let store = SqlStore::connect_postgres(&url).await.expect("reconnect");
    assert_eq!(store.scenario("concurrent", None).await.unwrap().version, 80);
    drop(store);
    sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE {name} WITH (FORCE)")))
        .execute(&mut admin)
        .await
        .unwrap();
}
