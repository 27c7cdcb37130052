use std::path::PathBuf;

use sqlx::SqlSafeStr;

use crate::{Backend, Pool, SqlStore, dialect};

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("truce-store-sql-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A committed call survives power loss on SQLite: every connection of the pool runs with the WAL
/// journal, `synchronous=FULL`, foreign keys and the busy timeout asked for.
#[tokio::test]
async fn sqlite_connections_are_durable() {
    let dir = temp_dir("pragmas");
    let busy = std::time::Duration::from_millis(1_234);
    let store = SqlStore::open_sqlite_with_busy_timeout(&dir.join("truce.db"), busy).await.unwrap();
    let Pool::Sqlite(pool) = &store.pool else { panic!("SQLite expected, got {store:?}") };
    // Several connections at once, so that more than one is asked.
    let mut conns = Vec::new();
    for _ in 0..3 {
        conns.push(pool.acquire().await.unwrap());
    }
    for conn in &mut conns {
        let journal: String =
            sqlx::query_scalar("PRAGMA journal_mode").fetch_one(&mut **conn).await.unwrap();
        assert_eq!(journal, "wal");
        let synchronous: i64 =
            sqlx::query_scalar("PRAGMA synchronous").fetch_one(&mut **conn).await.unwrap();
        assert_eq!(synchronous, 2, "synchronous=FULL");
        let foreign_keys: i64 =
            sqlx::query_scalar("PRAGMA foreign_keys").fetch_one(&mut **conn).await.unwrap();
        assert_eq!(foreign_keys, 1);
        let timeout: i64 =
            sqlx::query_scalar("PRAGMA busy_timeout").fetch_one(&mut **conn).await.unwrap();
        assert_eq!(timeout, 1_234);
    }
    drop(conns);
    drop(store);
    std::fs::remove_dir_all(dir).ok();
}

/// The migrations, in each database's types, are the ones existing databases recorded (SHA-384 of
/// each text, as sqlx checks on every open): an edited migration would stop them from opening. These
/// are the checksums of the files of `truce-store-sqlite` and `truce-store-postgres` (commit 31574c4).
#[test]
fn migrations_keep_their_checksums() {
    let checksums = |backend: Backend| -> Vec<(i64, String)> {
        dialect::migrations(backend)
            .into_iter()
            .map(|(version, _, text)| {
                assert!(!text.contains('{'), "a type left unnamed in migration {version}:\n{text}");
                let checksum = sqlx::migrate::Migration::new(
                    version,
                    "".into(),
                    sqlx::migrate::MigrationType::Simple,
                    sqlx::AssertSqlSafe(text).into_sql_str(),
                    false,
                )
                .checksum;
                (version, checksum.iter().map(|b| format!("{b:02x}")).collect())
            })
            .collect()
    };
    assert_eq!(
        checksums(Backend::Sqlite),
        [
            (1, "dc3bdf4a86d10ca5a717c57da752dcd869fea6f8424802de42bf03bb3f1294053282971b04ac17a358a7d3a9bb0eada8".to_string()),
            (2, "e89c815928c0450f58584a70548178be88e2b07c34e059fa2689dbb1745a801fdbf0720956f5bdf237ecaa03105f9604".to_string()),
            (3, "7ee7259fa943e09d0650f865f120cb70463f1c7c5dd8b94db4876c0ecca56f3f3d2b6aaca1a82c6a9bd83678f1946df0".to_string()),
            (4, "88b349637359cd162d81fffe78a8729828bb2f4e7efcaf084d1489afb33d2c47a2fe955b5f6f63b3de2c54624ecc0a23".to_string()),
            (5, "26d854bc1b1add6f8c8eb3489c9e0c8801fbdb8b3efc89cfad062153eeb69d4509412b6384a48b603b6f0d1e51a8ea46".to_string()),
        ]
    );
    assert_eq!(
        checksums(Backend::Postgres),
        [
            (1, "945c786a1c9a9ebb31e6c63f022251acc95e754e8f2cb3aab24b754505772b7e7cb3e7ce23dae8d662d549c5f693eb5e".to_string()),
            (2, "1d58642a0b0bf2b542f73616bf8cc7cd5c2dd7a4db45bb3c876b801dbb42d42fbd2259285f57e56f611dce65f52564af".to_string()),
            (3, "12412455b5e33beedc8a7b92d0154aa7d714be51a88fc293410ffc6a232aafd64c8934e71ae4717ddb7e21abfa3529b1".to_string()),
            (4, "2e6f3bbc0c095bbacc637700136811dad69aebd805da8dd5ca87a5103ef7a301161e34132ce6d2a802901aa0f2caed53".to_string()),
            (5, "31f9bde215712a1d6fbfd54d592f7ce7cc059d54573c6f466cadf66a7c6dfc24a12a922c5c9a51233a53ab7f3a374cc2".to_string()),
        ]
    );
}

/// The URL chooses the database; a scheme that names neither is refused without repeating the URL.
#[tokio::test]
async fn open_chooses_by_url() {
    let dir = temp_dir("url");
    for url in [
        format!("sqlite://{}", dir.join("a.db").display()),
        format!("sqlite:{}", dir.join("b.db").display()),
    ] {
        let store = SqlStore::open(&url).await.unwrap();
        assert_eq!(store.backend(), Backend::Sqlite, "{url}");
        assert_eq!(format!("{store:?}"), "SqlStore(Sqlite)", "Debug names no path");
    }
    assert!(dir.join("a.db").exists() && dir.join("b.db").exists());
    let refused = SqlStore::open("mysql://root:hunter2@db/truce").await.unwrap_err();
    assert_eq!(
        refused,
        truce_store::Error::Database(
            "unsupported database URL scheme \"mysql\"; expected postgres:// or sqlite://".into()
        )
    );
    let unreadable = SqlStore::open("postgres://root:hunter2@db:port/truce").await.unwrap_err();
    assert!(!unreadable.to_string().contains("hunter2"), "{unreadable}");
    std::fs::remove_dir_all(dir).ok();
}

/// The SQLite file holds confidential submissions and token digests: it is created readable by its
/// owner only, and a file found readable by others is restricted when opened.
#[cfg(unix)]
#[tokio::test]
async fn sqlite_file_is_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = temp_dir("private");
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let fresh = dir.join("fresh.db");
    let store = SqlStore::open_sqlite(&fresh).await.unwrap();
    assert_eq!(mode(&fresh), 0o600);
    // SQLite gives the WAL file, there while the store is open, the database's mode.
    assert_eq!(mode(&dir.join("fresh.db-wal")), 0o600);
    drop(store);
    let found = dir.join("found.db");
    std::fs::write(&found, b"").unwrap();
    std::fs::set_permissions(&found, std::fs::Permissions::from_mode(0o644)).unwrap();
    let store = SqlStore::open_sqlite(&found).await.unwrap();
    assert_eq!(mode(&found), 0o600);
    assert_eq!(mode(&dir.join("found.db-wal")), 0o600);
    drop(store);
    std::fs::remove_dir_all(dir).ok();
}

/// Rows as a database at schema `at` holds them, in that schema's own SQL: a user with a token, two
/// scenario versions, a submission, an indexed entry; from schema 2 on, a held key and a web session.
fn rows_at_schema(at: i64, backend: Backend) -> Vec<String> {
    let mut statements = vec![
        "INSERT INTO users (name, role, party) VALUES ('delegate', 'party_delegate', 'UKR')",
        "INSERT INTO tokens (hash, user_id, label) VALUES (X'0101010101010101010101010101010101010101010101010101010101010101', 1, 'old')",
        "INSERT INTO scenario_versions (slug, version, text, author) VALUES ('seed', 1, 'one', 1)",
        "INSERT INTO scenario_versions (slug, version, text, author) VALUES ('seed', 2, 'two', 1)",
        "INSERT INTO submissions (scenario, party, author, text) VALUES ('seed', 'UKR', 1, '[[preferences]]')",
        "INSERT INTO entries (log_index, kind, author, day, class, lat_e6, lon_e6, refers_to, state) VALUES (0, 'observation', 'ab', '2015-03-01', 'explosion', 48000000, 38000000, NULL, 'received')",
    ];
    if at >= 2 {
        statements.push("INSERT INTO user_keys (key, user_id) VALUES ('cd', 1)");
        statements.push("INSERT INTO sessions (hash, user_id, expires) VALUES (X'0202020202020202020202020202020202020202020202020202020202020202', 1, 4000000000)");
    }
    statements
        .into_iter()
        .map(|sql| match backend {
            Backend::Sqlite => sql.to_string(),
            // PostgreSQL's byte string.
            Backend::Postgres => sql.replace("X'", "'\\x"),
        })
        .collect()
}

/// What [`rows_at_schema`] wrote, read through today's store, which also writes every kind of row.
async fn check_after_upgrade(store: &SqlStore, at: i64) {
    use truce_store::Store;
    let user = store.user_by_token([1; 32]).await.unwrap_or_else(|e| panic!("from {at}: {e}"));
    assert_eq!((user.name.as_str(), user.party.as_deref()), ("delegate", Some("UKR")));
    let latest = store.scenario("seed", None).await.unwrap();
    assert_eq!(
        (latest.version, latest.text.as_str(), latest.saved_at, latest.reason.as_str()),
        (2, "two", 0, "")
    );
    assert_eq!(store.scenario("seed", Some(1)).await.unwrap().text, "one");
    assert_eq!(store.submissions("seed", Some("UKR")).await.unwrap().len(), 1);
    assert_eq!(store.indexed_size().await.unwrap(), 1);
    assert_eq!(store.queue(10).await.unwrap().len(), 1);
    if at >= 2 {
        assert_eq!(store.keys_of(user.id).await.unwrap(), ["cd"]);
        assert_eq!(store.session_user([2; 32], 0).await.unwrap().id, user.id);
    }
    // Today's writes: a new version with its note, a session, a job.
    assert_eq!(
        store.save_scenario("seed", "three", user.id, "after the upgrade").await.unwrap(),
        3
    );
    store.create_session([3; 32], user.id, 4_000_000_000).await.unwrap();
    let job = truce_store::JobRecord {
        id: "j".into(),
        owner: user.id,
        slug: "seed".into(),
        ask: "a".into(),
        server: "s".into(),
        state: "queued".into(),
        reason: String::new(),
        document: None,
        plots: None,
        created: 1,
        expires: 0,
    };
    store.save_job(&job).await.unwrap();
    assert_eq!(store.job("j", 2).await.unwrap(), job);
    // And an archived source file (schema 5).
    let file = truce_store::SourceFile {
        sha256: "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae".into(),
        media_type: "text/plain".into(),
        bytes: b"foo".to_vec(),
        text: "foo".into(),
        uploader: user.id,
        uploaded_at: 1,
    };
    assert!(store.put_source_file(&file).await.unwrap());
    assert_eq!(store.source_file(&file.sha256).await.unwrap(), file);
}

/// Issue 24 (and 25, which added archived source files): a SQLite database left at every earlier schema (each release's migrations, and no later
/// one) is brought up to date when today's store opens it, and keeps every row.
#[tokio::test]
async fn sqlite_upgrades_from_every_earlier_schema() {
    let last = dialect::migrations(Backend::Sqlite).len() as i64;
    for at in 1..last {
        let dir = temp_dir(&format!("upgrade-{at}"));
        let path = dir.join("truce.db");
        let options = sqlx::sqlite::SqliteConnectOptions::new()
            .filename(&path)
            .create_if_missing(true)
            .foreign_keys(true);
        let pool = sqlx::SqlitePool::connect_with(options).await.unwrap();
        dialect::migrator_upto(Backend::Sqlite, at).run(&pool).await.unwrap();
        for sql in rows_at_schema(at, Backend::Sqlite) {
            sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&pool).await.unwrap();
        }
        pool.close().await;
        let store = SqlStore::open_sqlite(&path).await.unwrap();
        check_after_upgrade(&store, at).await;
        drop(store);
        std::fs::remove_dir_all(dir).ok();
    }
}

/// Issue 24: the same for PostgreSQL, in the throwaway cluster `cargo xtask test` starts (it sets
/// `TRUCE_TEST_POSTGRES_URL`; without it this test fails, saying so).
#[tokio::test]
async fn postgres_upgrades_from_every_earlier_schema() {
    use sqlx::Connection;
    let Ok(base) = std::env::var("TRUCE_TEST_POSTGRES_URL") else {
        panic!(
            "TRUCE_TEST_POSTGRES_URL is not set: run the tests with `cargo xtask test`, which starts a throwaway PostgreSQL cluster"
        );
    };
    let mut admin = sqlx::PgConnection::connect(&base).await.expect("connect to the cluster");
    let last = dialect::migrations(Backend::Postgres).len() as i64;
    for at in 1..last {
        let name = format!("truce_upgrade_{at}_{}", std::process::id());
        for sql in [format!("DROP DATABASE IF EXISTS {name}"), format!("CREATE DATABASE {name}")] {
            sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&mut admin).await.unwrap();
        }
        let url = base.replacen("/postgres?", &format!("/{name}?"), 1);
        let pool = sqlx::PgPool::connect(&url).await.unwrap();
        dialect::migrator_upto(Backend::Postgres, at).run(&pool).await.unwrap();
        for sql in rows_at_schema(at, Backend::Postgres) {
            sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&pool).await.unwrap();
        }
        pool.close().await;
        let store = SqlStore::connect_postgres(&url).await.unwrap();
        check_after_upgrade(&store, at).await;
        drop(store);
        sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE {name} WITH (FORCE)")))
            .execute(&mut admin)
            .await
            .unwrap();
    }
}
