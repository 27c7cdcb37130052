//! The store story on SQLite, in a temporary file; then the same file reopened.

// Tests print the figures they measure, as the test runner shows them.
#![allow(clippy::print_stdout)]

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn story_on_sqlite() {
    let dir = std::env::temp_dir().join(format!("truce-store-sqlite-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("truce.db");
    let store = truce_store_sqlite::Sqlite::open(&path).await.unwrap();
    truce_store::story::story(&store).await;
    drop(store);
    // Reopening runs the migrations again (a no-op) and finds everything.
    let store = truce_store_sqlite::Sqlite::open(&path).await.unwrap();
    use truce_store::Store;
    assert_eq!(store.scenario("concurrent", None).await.unwrap().version, 80);
    std::fs::remove_dir_all(dir).ok();
}
