//! Issue 13: several servers serve one log on shared storage (tiles in an S3-compatible bucket; the
//! record, checkpoint, journal and sequencing lease in PostgreSQL). `cargo xtask test` starts Garage
//! and PostgreSQL and sets their variables; without them this test fails, saying so.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use truce_server::{AppState, Ledger};
use truce_tlog::note::{Note, NoteSigner};
use truce_watch::entry::{Body as E, sign};

use super::faults::{mission, observation};
use super::{call, hold, root, state};

static NEXT: AtomicU64 = AtomicU64::new(0);

/// A fresh bucket prefix and database for one test: (storage URL, database URL).
pub(super) async fn shared_place(name: &str) -> (String, String) {
    let s3 = std::env::var("TRUCE_TEST_S3_URL").expect(
        "TRUCE_TEST_S3_URL is not set: run the tests with `cargo xtask test`, which starts Garage on loopback",
    );
    let pg = std::env::var("TRUCE_TEST_POSTGRES_URL").expect(
        "TRUCE_TEST_POSTGRES_URL is not set: run the tests with `cargo xtask test`, which starts PostgreSQL",
    );
    let unique =
        format!("server_{name}_{}_{}", std::process::id(), NEXT.fetch_add(1, Ordering::SeqCst));
    use sqlx::Connection;
    let mut admin = sqlx::PgConnection::connect(&pg).await.expect("connect to PostgreSQL");
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {unique}")))
        .execute(&mut admin)
        .await
        .unwrap();
    (
        format!("{}/{unique}", s3.trim_end_matches('/')),
        pg.replacen("/postgres?", &format!("/{unique}?"), 1),
    )
}

/// Waits (up to 20 s) until `done` holds; returns how long it took.
async fn until(what: &str, done: impl Fn() -> bool) -> Duration {
    let start = Instant::now();
    while !done() {
        assert!(start.elapsed() < Duration::from_secs(20), "timed out waiting until {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    start.elapsed()
}

fn checkpoint(note: &Note) -> truce_tlog::checkpoint::Checkpoint {
    truce_tlog::checkpoint::Checkpoint::parse(&note.text).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn issue13_two_servers_share_one_log_and_hand_over_writing() {
    let (storage_url, database_url) = shared_place("handover").await;
    let signer = NoteSigner::generate("test.truce/log", truce_tlog::note::ED25519).unwrap();
    let agreement = std::fs::read_to_string(root().join("accords/minsk-2015.toml")).unwrap();
    let config = truce_tlog::sequencer::SequencerConfig {
        max_batch: 64,
        max_age: Duration::from_millis(2),
        max_pending: 4096,
        integrate_every: Duration::ZERO,
    };
    let open = |name: &str| -> Arc<Ledger> {
        tokio::task::block_in_place(|| {
            let shared =
                truce_tlog_shared::Shared::connect(&storage_url, &database_url, "test.truce/log")
                    .unwrap();
            Ledger::open_shared(shared, name, signer.clone(), &agreement, config).unwrap()
        })
    };
    // The first server takes the lease and creates the log; the second follows.
    let a = open("http://a.example");
    assert!(a.is_writer());
    let b = open("http://b.example");
    assert!(!b.is_writer());
    // Issue 24: the follower's pages and clients get live events for what it follows.
    let mut follower_events = b.events().subscribe();
    let (base_a, tokens, _, _) = state("shared-a", 4096).await;
    let (base_b, _, _, _) = state("shared-b", 4096).await;
    let store_b = base_b.store.clone();
    let router_a =
        truce_server::router(Arc::new(AppState::new(base_a.store.clone(), Some(a.clone()))));
    // A follower forwards writes to the writer, whose name here reaches nothing: it says so after
    // its wait (a second here).
    let mut state_b = AppState::new(store_b.clone(), Some(b.clone()));
    state_b.forward_wait = Duration::from_secs(1);
    let router_b = truce_server::router(Arc::new(state_b));
    let (observer, token) = mission(&router_a, &base_a.store, &tokens).await;
    hold(&store_b, &token, &observer).await;
    for seq in 1..=3 {
        let e = sign(&observer, seq, E::Observation(observation(9 + seq as u32))).unwrap();
        let (status, body, _) = call(&router_a, "POST", "/v1/entries", Some(&token), e).await;
        assert_eq!(status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&body));
    }
    // The follower cannot reach the writer it names: it refuses, naming it, and follows what it writes.
    let e = sign(&observer, 4, E::Observation(observation(13))).unwrap();
    let (status, body, headers) = call(&router_b, "POST", "/v1/entries", Some(&token), e).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    let said = String::from_utf8_lossy(&body);
    assert!(said.contains("the writer http://a.example could not be reached"), "{said}");
    assert_eq!(headers.get("retry-after").unwrap(), "1");
    until("the follower has the writer's checkpoint", || b.size() == 5 && a.size() == 5).await;
    let mut told = Vec::new();
    while let Ok((index, kind)) = follower_events.try_recv() {
        told.push((index, kind));
    }
    assert_eq!(told.iter().map(|t| t.0).collect::<Vec<_>>(), [0, 1, 2, 3, 4], "{told:?}");
    assert_eq!(told[4].1, "observation");
    let compliance = |r: &axum::Router| {
        let r = r.clone();
        async move { call(&r, "GET", "/v1/compliance?as_of=2015-04-15", None, vec![]).await.1 }
    };
    assert_eq!(compliance(&router_a).await, compliance(&router_b).await);
    // Its read path serves the same tiles and checkpoint, from the bucket.
    let (status, tile, _) = call(&router_b, "GET", "/log/tile/entries/000.p/5", None, vec![]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(call(&router_a, "GET", "/log/tile/entries/000.p/5", None, vec![]).await.1, tile);
    // Issue 22: the server and the bucket (what a CDN in front of it passes on) cache each file alike.
    let truce_server::ledger::LogStore::Shared(shared, _) = &b.store else { panic!("not shared") };
    for path in ["checkpoint", "tile/entries/000.p/5", "tile/0/000.p/5"] {
        let (_, _, headers) = call(&router_b, "GET", &format!("/log/{path}"), None, vec![]).await;
        let served = headers.get("cache-control").map(|v| v.to_str().unwrap().to_string());
        assert_eq!(served, shared.head_cache_control(path).await.unwrap(), "{path}");
    }
    let last_of_a = a.checkpoint();

    // The writer dies without a word: its lease runs out, and the follower takes over.
    drop(router_a);
    drop(a);
    let took = until("the follower writes", || b.is_writer()).await;
    println!("the follower took over {} ms after the writer stopped", took.as_millis());
    let e = sign(&observer, 4, E::Observation(observation(13))).unwrap();
    let (status, body, _) = call(&router_b, "POST", "/v1/entries", Some(&token), e.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&body));
    // A retry of the same signed entry is refused, never stored twice.
    let (status, _, _) = call(&router_b, "POST", "/v1/entries", Some(&token), e).await;
    assert_eq!(status, StatusCode::CONFLICT);
    until("the new writer signs", || b.size() == 6).await;
    // The new writer's checkpoint extends the old writer's last one.
    let new = b.checkpoint();
    let reader = b.store.reader();
    let verifier =
        truce_tlog::client::TileVerifier::new(reader.as_ref(), &checkpoint(&new)).unwrap();
    truce_tlog::client::check_consistency(&verifier, &checkpoint(&last_of_a)).unwrap();

    // The old server comes back: it follows the new writer, and sends writers there.
    let a = open("http://a.example");
    assert!(!a.is_writer());
    until("the returning server follows", || a.size() == 6).await;
    let (base_a2, _, _, _) = state("shared-a2", 4096).await;
    hold(&base_a2.store, &token, &observer).await;
    let mut state_a = AppState::new(base_a2.store.clone(), Some(a));
    state_a.forward_wait = Duration::from_secs(1);
    let router_a = truce_server::router(Arc::new(state_a));
    let e = sign(&observer, 5, E::Observation(observation(14))).unwrap();
    let (status, body, _) = call(&router_a, "POST", "/v1/entries", Some(&token), e).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    let said = String::from_utf8_lossy(&body);
    assert!(said.contains("the writer http://b.example could not be reached"), "{said}");
}
