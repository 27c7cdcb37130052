//! Issue 10, finding 4: readers never stall the writer, and heavy work is bounded: a concurrency limit
//! (503 with `Retry-After`), a deadline, cancellation when the client goes away, a cost budget for
//! uploaded scenarios, and caps on event streams.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use tower::ServiceExt;
use truce_store::Role;

use super::{call, state};

/// A scenario of `parties` parties and `issues` issues of `options` options each, no positions.
fn grid(parties: usize, issues: usize, options: usize) -> String {
    let mut text = String::new();
    for p in 0..parties {
        text += &format!("[[parties]]\nid = \"P{p}\"\n\n");
    }
    for i in 0..issues {
        text += &format!("[[issues]]\nid = \"i{i}\"\n");
        for o in 0..options {
            text += &format!("[[issues.options]]\nid = \"i{i}.o{o}\"\n");
        }
        text += "\n";
    }
    text
}

fn token(tokens: &[(Role, Option<String>, String)], role: Role) -> String {
    tokens.iter().find(|(r, _, _)| *r == role).unwrap().2.clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue10_an_upload_over_the_cost_budget_is_refused_with_the_estimate() {
    let (state, tokens, dir, _) = state("budget", 64).await;
    let router = truce_server::router(Arc::new(state));
    let analyst = token(&tokens, Role::Analyst);
    // The scenario an analyst used to run an analysis for 8.5 minutes and 1.56 GB.
    let (status, body, _) =
        call(&router, "PUT", "/v1/scenarios/huge", Some(&analyst), grid(5, 16, 10).into_bytes())
            .await;
    let body = String::from_utf8_lossy(&body);
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.contains("estimated at") && body.contains("budget"), "{body}");
    // The seed, and a small grid, are within it.
    let seed = std::fs::read_to_string(super::root().join("scenarios/ukraine-2025.toml")).unwrap();
    for (slug, text) in [("seed", seed), ("small", grid(3, 6, 4))] {
        let (status, body, _) = call(
            &router,
            "PUT",
            &format!("/v1/scenarios/{slug}"),
            Some(&analyst),
            text.into_bytes(),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{slug}: {}", String::from_utf8_lossy(&body));
    }
    std::fs::remove_dir_all(&dir).ok();
}

/// A long robustness run: 2,000 draws of the seed's eight-party table.
const LONG: &str = "/v1/scenarios/ukraine-2025/robust?draws=2000&seed=7";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue10_heavy_work_is_limited_stopped_at_its_deadline_and_when_the_client_leaves() {
    let (mut state, tokens, dir, _) = state("heavy", 4096).await;
    state.set_heavy_limit(1, 1);
    state.deadline = Duration::from_millis(1500);
    let router = truce_server::router(Arc::new(state));
    let analyst = token(&tokens, Role::Analyst);
    let get = |path: &'static str| {
        let (router, analyst) = (router.clone(), analyst.clone());
        async move {
            let (status, body, headers) = call(&router, "GET", path, Some(&analyst), vec![]).await;
            (status, String::from_utf8_lossy(&body).to_string(), headers)
        }
    };
    // Past its deadline, the run is stopped: 503 with the reason.
    let (status, body, _) = get(LONG).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert!(body.contains("deadline"), "{body}");
    // Its slot comes back once it has stopped (one draw later), well before it would have finished.
    let mut freed = false;
    for _ in 0..100 {
        if get("/v1/scenarios/ukraine-2025/analysis").await.0 == StatusCode::OK {
            freed = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(freed, "the stopped run kept its slot");

    // While one heavy request runs, the next is refused at once (the limit is 1 here).
    let running = tokio::spawn(get(LONG));
    tokio::time::sleep(Duration::from_millis(300)).await;
    let (status, body, headers) = get("/v1/scenarios/ukraine-2025/analysis").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(headers.get("retry-after").unwrap(), "1");
    assert!(body.contains("heavy requests"), "{body}");
    // Light requests, and reads of the record (their own capacity), are not held up.
    assert_eq!(get("/v1/whoami").await.0, StatusCode::OK);
    assert_eq!(get("/v1/compliance").await.0, StatusCode::OK);
    // The client goes away: the run is cancelled and its slot freed, long before its deadline would.
    running.abort();
    let _ = running.await;
    let mut freed = false;
    for _ in 0..100 {
        if get("/v1/scenarios/ukraine-2025/frontier?parties=UKR,RUS").await.0 == StatusCode::OK {
            freed = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(freed, "the abandoned run kept its slot");
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue10_event_streams_are_capped_in_total_and_per_caller() {
    let (mut state, tokens, dir, _) = state("streams", 64).await;
    state.streams_per_caller = 2;
    state.streams_total = 3;
    let router = truce_server::router(Arc::new(state));
    let open = |token: Option<String>| {
        let router = router.clone();
        async move {
            let mut req = Request::builder().uri("/v1/events");
            if let Some(t) = token {
                req = req.header("authorization", format!("Bearer {t}"));
            }
            router.oneshot(req.body(Body::empty()).unwrap()).await.unwrap()
        }
    };
    let (a, b) = (token(&tokens, Role::Analyst), token(&tokens, Role::Verifier));
    let first = open(Some(a.clone())).await;
    let second = open(Some(a.clone())).await;
    assert_eq!((first.status(), second.status()), (StatusCode::OK, StatusCode::OK));
    assert_eq!(open(Some(a.clone())).await.status(), StatusCode::SERVICE_UNAVAILABLE, "per caller");
    let third = open(Some(b.clone())).await;
    assert_eq!(third.status(), StatusCode::OK);
    assert_eq!(open(None).await.status(), StatusCode::SERVICE_UNAVAILABLE, "in total");
    // Closing a stream frees its place.
    drop(first);
    assert_eq!(open(Some(a)).await.status(), StatusCode::OK);
    drop((second, third));
    std::fs::remove_dir_all(&dir).ok();
}
