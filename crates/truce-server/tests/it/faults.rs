//! Issue 10, finding 5: faults leave no trace that the log does not have. A storage fault stops writing
//! (503, unready) without touching what readers see, and writing resumes when the disk comes back,
//! without a restart; a locked database delays the index, which then catches up without a gap.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use axum::http::StatusCode;
use truce_store::{Role, Store};
use truce_watch::entry::{Body as E, Role as R, key_hex, sign};

use super::{call, hold, mission_body, state_with};

pub(super) fn observation(hour: u32) -> truce_watch::entry::Observation {
    truce_watch::entry::Observation {
        start: format!("2015-03-06T{hour:02}:00:00Z"),
        end: format!("2015-03-06T{hour:02}:30:00Z"),
        lat_e6: 48_100_000,
        lon_e6: 38_100_000,
        controlled_by: "ORDLO".into(),
        sensor: "heard".into(),
        class: "explosion".into(),
        count: 1,
        approximate: false,
        bearing_deg: None,
        distance_m: None,
        weapon: None,
        media: vec![],
        note: String::new(),
    }
}

/// Sets up a mission with one observer over `router`; returns the observer's key and token.
pub(super) async fn mission(
    router: &axum::Router,
    store: &truce_store_sql::SqlStore,
    tokens: &[(Role, Option<String>, String)],
) -> (ed25519_dalek::SigningKey, String) {
    let token = |role: Role| tokens.iter().find(|(r, _, _)| *r == role).unwrap().2.clone();
    let (mediator, observer_token) = (token(Role::Mediator), token(Role::Observer));
    let mission = ed25519_dalek::SigningKey::from_bytes(&[1; 32]);
    let observer = ed25519_dalek::SigningKey::from_bytes(&[2; 32]);
    hold(store, &mediator, &mission).await;
    hold(store, &observer_token, &observer).await;
    let enrol = E::Enrol {
        key: key_hex(&observer.verifying_key()),
        name: "o".into(),
        role: R::Observer,
        party: None,
    };
    for e in [sign(&mission, 1, mission_body("faults")).unwrap(), sign(&mission, 2, enrol).unwrap()]
    {
        let (status, body, _) = call(router, "POST", "/v1/entries", Some(&mediator), e).await;
        assert_eq!(status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&body));
    }
    (observer, observer_token)
}

async fn exported(router: &axum::Router) -> usize {
    let (status, bytes, _) = call(router, "GET", "/v1/export?format=csv", None, vec![]).await;
    assert_eq!(status, StatusCode::OK);
    // The durable view is updated just after the acknowledgement: wait for it to settle.
    String::from_utf8(bytes).unwrap().lines().count() - 1
}

async fn settle(router: &axum::Router, want: usize) -> usize {
    for _ in 0..200 {
        if exported(router).await == want {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    exported(router).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue10_a_storage_fault_stops_writes_cleanly_and_writing_resumes_without_a_restart() {
    let switch = Arc::new(AtomicBool::new(false));
    let (state, tokens, dir, _) =
        state_with("storage-fault", 4096, Some(switch.clone()), Duration::from_secs(30)).await;
    let store = state.store.clone();
    let router = truce_server::router(Arc::new(state));
    let (observer, token) = mission(&router, &store, &tokens).await;
    let first = sign(&observer, 1, E::Observation(observation(10))).unwrap();
    let (status, _, _) = call(&router, "POST", "/v1/entries", Some(&token), first).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(settle(&router, 1).await, 1);
    let (status, _, _) = call(&router, "GET", "/readyz", None, vec![]).await;
    assert_eq!(status, StatusCode::OK);

    // The disk fails: the submission is 503, nothing of it reaches any reader, the server is unready.
    switch.store(true, Ordering::SeqCst);
    let second = sign(&observer, 2, E::Observation(observation(11))).unwrap();
    let (status, body, headers) =
        call(&router, "POST", "/v1/entries", Some(&token), second.clone()).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{}", String::from_utf8_lossy(&body));
    assert_eq!(headers.get("retry-after").unwrap(), "1");
    let (status, body, _) = call(&router, "GET", "/readyz", None, vec![]).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(String::from_utf8_lossy(&body).contains("storage failed"));
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(exported(&router).await, 1, "the export lists only what the log holds");
    let (_, bytes, _) = call(&router, "GET", "/v1/compliance", None, vec![]).await;
    let report: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(report["log_size"], 3);
    // While it lasts, writes keep failing fast, and the server stays unready through its retries.
    let (status, _, _) = call(&router, "POST", "/v1/entries", Some(&token), second.clone()).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    tokio::time::sleep(Duration::from_millis(1200)).await;
    let (status, _, _) = call(&router, "GET", "/readyz", None, vec![]).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);

    // The disk comes back: the server recovers by itself, and the same entry is accepted at index 3.
    switch.store(false, Ordering::SeqCst);
    let mut ready = false;
    for _ in 0..100 {
        let (status, _, _) = call(&router, "GET", "/readyz", None, vec![]).await;
        if status == StatusCode::OK {
            ready = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(ready, "the server never became ready again");
    let (status, body, _) = call(&router, "POST", "/v1/entries", Some(&token), second).await;
    assert_eq!(status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&body));
    let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(v["index"], 3);
    assert_eq!(settle(&router, 2).await, 2);
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue10_a_locked_database_delays_the_index_and_leaves_no_gap() {
    use sqlx::Connection;
    let (state, tokens, dir, _) =
        state_with("locked-db", 4096, None, Duration::from_millis(100)).await;
    let store = state.store.clone();
    let router = truce_server::router(Arc::new(state));
    let (observer, token) = mission(&router, &store, &tokens).await;
    // Another process holds the database's write lock for a second and a half.
    let mut other =
        sqlx::SqliteConnection::connect(&format!("sqlite://{}", dir.join("truce.db").display()))
            .await
            .unwrap();
    sqlx::query("BEGIN EXCLUSIVE").execute(&mut other).await.unwrap();
    for seq in 1..=3u64 {
        let e = sign(&observer, seq, E::Observation(observation(seq as u32))).unwrap();
        let (status, _, _) = call(&router, "POST", "/v1/entries", Some(&token), e).await;
        assert_eq!(status, StatusCode::CREATED, "acknowledged: the log is the record");
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    sqlx::query("COMMIT").execute(&mut other).await.unwrap();
    drop(other);
    // The index catches up: every entry, no gap, and the watermark says so.
    let mut watermark = 0;
    for _ in 0..200 {
        watermark = store.indexed_size().await.unwrap();
        if watermark == 5 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert_eq!(watermark, 5);
    let verifier = tokens.iter().find(|(r, _, _)| *r == Role::Verifier).unwrap().2.clone();
    let (_, bytes, _) = call(&router, "GET", "/v1/queue", Some(&verifier), vec![]).await;
    let q: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    let indices: Vec<u64> =
        q["queue"].as_array().unwrap().iter().map(|e| e["index"].as_u64().unwrap()).collect();
    assert_eq!(indices, vec![2, 3, 4]);
    std::fs::remove_dir_all(&dir).ok();
}

/// Issue 10, finding 4: reads held the writer's lock, so a slow report delayed acknowledgements (eight
/// page requests pushed one to 2 s). Now a reader, however slow, holds only the durable view's read
/// lock: a submission is acknowledged while it reads, and what it wrote shows once the reader is done.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
// The reader holds the lock across the submission on purpose: that is the slow reader.
#[allow(clippy::await_holding_lock)]
async fn issue10_a_slow_reader_never_holds_up_an_acknowledgement() {
    let (state, tokens, dir, _) =
        state_with("slow-reader", 4096, None, Duration::from_secs(30)).await;
    let watch = state.watch.clone().unwrap();
    let store = state.store.clone();
    let router = truce_server::router(Arc::new(state));
    let (observer, token) = mission(&router, &store, &tokens).await;
    for _ in 0..500 {
        if watch.read().unwrap().registry().size == 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    // A reader in the middle of a long report.
    let reading = watch.read().unwrap();
    let e = sign(&observer, 1, E::Observation(observation(9))).unwrap();
    let ack = tokio::time::timeout(
        Duration::from_secs(20),
        call(&router, "POST", "/v1/entries", Some(&token), e),
    )
    .await
    .expect("the acknowledgement waited for a reader");
    assert_eq!(ack.0, StatusCode::CREATED);
    assert_eq!(reading.registry().size, 2, "the reader's view does not move under it");
    drop(reading);
    assert_eq!(settle(&router, 1).await, 1);
    std::fs::remove_dir_all(&dir).ok();
}
