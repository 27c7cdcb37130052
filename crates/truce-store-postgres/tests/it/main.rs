//! The store story on PostgreSQL. `cargo xtask test` starts a throwaway cluster (initdb and pg_ctl on a
//! local socket, installing Debian's postgresql when missing) and sets `TRUCE_TEST_POSTGRES_URL` to it.
//! Without it this test fails, saying so: it never skips.

// Tests print the figures they measure, as the test runner shows them.
#![allow(clippy::print_stdout)]

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn story_on_postgres() {
    let Ok(base) = std::env::var("TRUCE_TEST_POSTGRES_URL") else {
        panic!(
            "TRUCE_TEST_POSTGRES_URL is not set: run the tests with `cargo xtask test`, which starts a throwaway PostgreSQL cluster"
        );
    };
    // A fresh database for this run, created through the server's maintenance database.
    use sqlx::Connection;
    let name = format!("truce_story_{}", std::process::id());
    // The URL names the maintenance database `postgres`; the story gets its own.
    let mut admin = sqlx::PgConnection::connect(&base).await.expect("connect to the cluster");
    sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name}")))
        .execute(&mut admin)
        .await
        .unwrap();
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut admin)
        .await
        .unwrap();
    let url = base.replacen("/postgres?", &format!("/{name}?"), 1);
    let store = truce_store_postgres::Postgres::connect(&url).await.expect("connect");
    truce_store::story::story(&store).await;
    drop(store);
    let store = truce_store_postgres::Postgres::connect(&url).await.expect("reconnect");
    use truce_store::Store;
    assert_eq!(store.scenario("concurrent", None).await.unwrap().version, 80);
    drop(store);
    sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE {name} WITH (FORCE)")))
        .execute(&mut admin)
        .await
        .unwrap();
}
