//! Issue 21: one insider (a party's delegate, an analyst, an observer) acting alone cannot take the
//! service from everyone else, and no fault or change passes in silence. Each test reproduces a finding
//! of the issue's attack on 0b6dd9b.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use axum::http::StatusCode;
use serde_json::Value;
use truce_store::Role;
use truce_watch::entry::{Body as E, sign};

use super::faults::{mission, observation};
use super::{call, server, state_with_faults};

fn delegate(s: &super::Server, party: &str) -> String {
    s.tokens.iter().find(|(_, p, _)| p.as_deref() == Some(party)).unwrap().2.clone()
}

async fn start(router: &axum::Router, token: &str, body: &str) -> (StatusCode, Value) {
    let (status, bytes, _) = call(
        router,
        "POST",
        "/v1/scenarios/ukraine-2025/simulations",
        Some(token),
        body.as_bytes().to_vec(),
    )
    .await;
    (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

async fn finished(router: &axum::Router, token: &str, href: &str) -> Value {
    for _ in 0..1200 {
        let (status, bytes, _) = call(router, "GET", href, Some(token), vec![]).await;
        assert_eq!(status, StatusCode::OK, "{href}: {}", String::from_utf8_lossy(&bytes));
        let v: Value = serde_json::from_slice(&bytes).unwrap();
        if v["status"] == "done" || v["status"] == "failed" {
            return v;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{href} did not finish in a minute");
}

/// Finding 1: while one delegate keeps four long rehearsals and a robustness loop going, every
/// anonymous read of the record is answered (on 0b6dd9b: 0 of 147).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue21_one_delegate_cannot_take_the_record_offline() {
    let s = server("insider-capacity", 4096).await;
    let ukr = delegate(&s, "UKR");
    // Hard-headed agents never agree: each rehearsal plays its 10,000 rounds to the end.
    for seed in 1..=4 {
        let body = format!(r#"{{"agents": ["hardheaded"], "rounds": 10000, "seed": {seed}}}"#);
        let (status, v) = start(&s.router, &ukr, &body).await;
        assert_eq!(status, StatusCode::ACCEPTED, "{v}");
    }
    let stop = Arc::new(AtomicBool::new(false));
    let looping = {
        let (router, ukr, stop) = (s.router.clone(), ukr.clone(), stop.clone());
        tokio::spawn(async move {
            let mut runs = 0u64;
            while !stop.load(Ordering::Relaxed) {
                let path = format!("/v1/scenarios/ukraine-2025/robust?draws=2000&seed={runs}");
                let _ = call(&router, "GET", &path, Some(&ukr), vec![]).await;
                runs += 1;
            }
        })
    };
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut answered = 0;
    for _ in 0..10 {
        for path in ["/ui/agreement", "/v1/compliance", "/v1/export?format=csv"] {
            let (status, body, _) = call(&s.router, "GET", path, None, vec![]).await;
            assert_eq!(status, StatusCode::OK, "{path}: {}", String::from_utf8_lossy(&body));
            answered += 1;
        }
    }
    stop.store(true, Ordering::Relaxed);
    looping.await.unwrap();
    println!("public reads answered during the delegate's load: {answered} of {answered}");
    std::fs::remove_dir_all(&s.dir).ok();
}

/// Finding 2: a request cannot multiply its work (a protocol repeated 400 times), and another caller's
/// many jobs never push out one's own finished rehearsal (on 0b6dd9b: 404 after 70 of them).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue21_rehearsals_are_bounded_and_kept_per_caller() {
    let s = server("insider-jobs", 4096).await;
    let (ukr, analyst) = (delegate(&s, "UKR"), s.token(Role::Analyst));
    let repeated = serde_json::json!({"protocols": vec!["saop"; 400]}).to_string();
    let (status, v) = start(&s.router, &ukr, &repeated).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert!(v.to_string().contains("saop"), "{v}");
    // The page refuses it as the API does, before any work.
    let query = vec!["saop"; 400].join(",");
    let (status, _, _) = call(
        &s.router,
        "GET",
        &format!("/ui/scenarios/ukraine-2025/simulate?protocols={query}"),
        Some(&ukr),
        vec![],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    let (status, v) = start(&s.router, &ukr, r#"{"rounds": 5, "seed": 1}"#).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{v}");
    let mine = v["href"].as_str().unwrap().to_string();
    assert_eq!(finished(&s.router, &ukr, &mine).await["status"], "done");
    for seed in 0..70 {
        let (status, v) =
            start(&s.router, &analyst, &format!(r#"{{"rounds": 1, "seed": {seed}}}"#)).await;
        assert_eq!(status, StatusCode::ACCEPTED, "{v}");
        finished(&s.router, &analyst, v["href"].as_str().unwrap()).await;
    }
    let again = finished(&s.router, &ukr, &mine).await;
    assert_eq!(again["status"], "done", "{again}");
    // The same request again is the same job, not new work.
    let (_, v) = start(&s.router, &ukr, r#"{"rounds": 5, "seed": 1}"#).await;
    assert_eq!(v["href"].as_str(), Some(mine.as_str()));
    std::fs::remove_dir_all(&s.dir).ok();
}

/// Finding 3: two versions of 40,000 differing lines each are not compared line by line on the page:
/// it says so at once and offers both to download (on 0b6dd9b: 19 to 36 s per reader).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue21_a_version_diff_is_bounded_and_says_so() {
    let s = server("insider-diff", 4096).await;
    let analyst = s.token(Role::Analyst);
    let seed = std::fs::read_to_string(super::root().join("scenarios/ukraine-2025.toml")).unwrap();
    for tag in ["a", "b"] {
        let mut text = String::with_capacity(seed.len() + 500_000);
        for k in 0..40_000 {
            text += &format!("# {tag}{k}\n");
        }
        text += &seed;
        assert!(text.len() < truce_server::MAX_BODY_BYTES);
        let (status, body, _) =
            call(&s.router, "PUT", "/v1/scenarios/ukraine-2025", Some(&analyst), text.into_bytes())
                .await;
        assert_eq!(status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&body));
    }
    let (status, body, _) =
        call(&s.router, "GET", "/ui/scenarios/ukraine-2025/versions", Some(&analyst), vec![]).await;
    let html = String::from_utf8(body).unwrap();
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(r#"id="diff-too-large""#), "the page does not say the diff is too large");
    assert!(
        html.contains(r#"href="/v1/scenarios/ukraine-2025?version=2""#),
        "no download of version 2"
    );
    assert!(
        html.contains(r#"href="/v1/scenarios/ukraine-2025?version=3""#),
        "no download of version 3"
    );
    // A small change is still shown line by line.
    let (status, _, _) =
        call(&s.router, "PUT", "/v1/scenarios/ukraine-2025", Some(&analyst), seed.into_bytes())
            .await;
    assert_eq!(status, StatusCode::CREATED);
    let (_, body, _) = call(
        &s.router,
        "GET",
        "/ui/scenarios/ukraine-2025/versions?version=1",
        Some(&analyst),
        vec![],
    )
    .await;
    assert!(!String::from_utf8(body).unwrap().contains("diff-too-large"));
    std::fs::remove_dir_all(&s.dir).ok();
}

/// Finding 4: a 1.6 KB Genius domain whose integer issue has 100,000 values would make megabytes of
/// scenario; it is refused with its size (on 0b6dd9b: a 13.7 MB version was stored).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue21_an_import_that_multiplies_its_input_is_refused_with_its_size() {
    let s = server("insider-import", 4096).await;
    let domain = r#"<negotiation_template><utility_space number_of_issues="2">
<objective index="0" name="root" type="objective" etype="objective">
 <issue index="1" name="price" type="integer" etype="integer" vtype="integer" lowerbound="1" upperbound="99999"/>
 <issue index="2" name="color" type="discrete" etype="discrete" vtype="discrete"><item index="1" value="red"/><item index="2" value="blue"/></issue>
</objective></utility_space></negotiation_template>"#;
    let profile = |slope: &str| {
        format!(
            r#"<utility_space><objective index="0" name="root" type="objective" etype="objective">
 <issue index="1" name="price" type="integer" etype="integer" vtype="integer" lowerbound="1" upperbound="99999"><evaluator ftype="linear" slope="{slope}" offset="0.5"/></issue>
 <issue index="2" name="color" type="discrete" etype="discrete" vtype="discrete"><item index="1" value="red" evaluation="10"/><item index="2" value="blue" evaluation="4"/></issue>
 <weight index="1" value="0.6"/><weight index="2" value="0.4"/></objective><reservation value="0.3"/></utility_space>"#
        )
    };
    let body = serde_json::json!({"files": [
        {"name": "domain.xml", "text": domain},
        {"name": "buyer.xml", "text": profile("-0.000005")},
        {"name": "seller.xml", "text": profile("0.000005")},
    ]});
    let request = serde_json::to_vec(&body).unwrap();
    assert!(request.len() < 3_000, "{} bytes", request.len());
    let (status, bytes, _) =
        call(&s.router, "POST", "/v1/scenarios/big/import", Some(&s.token(Role::Analyst)), request)
            .await;
    let text = String::from_utf8_lossy(&bytes);
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{text}");
    assert!(text.contains("bytes of TOML"), "{text}");
    let (status, _, _) =
        call(&s.router, "GET", "/v1/scenarios/big", Some(&s.token(Role::Analyst)), vec![]).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "nothing was stored");
    std::fs::remove_dir_all(&s.dir).ok();
}

/// Finding 8: a failure writing tiles or the checkpoint after the journal makes the server unready at
/// once; it retries by itself, and the acknowledged entry reaches a checkpoint without another
/// submission (on 0b6dd9b: `/readyz` said 200 and the checkpoint stayed one short).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue21_a_fault_after_the_journal_is_seen_and_repaired() {
    let publish = Arc::new(AtomicBool::new(false));
    let (state, tokens, dir, _) = state_with_faults(
        "insider-publish",
        4096,
        None,
        Some(publish.clone()),
        Duration::from_secs(30),
    )
    .await;
    let store = state.store.clone();
    let router = truce_server::router(Arc::new(state));
    let (observer, token) = mission(&router, &store, &tokens).await;
    let size = |router: axum::Router| async move {
        let (_, bytes, _) = call(&router, "GET", "/log/checkpoint", None, vec![]).await;
        String::from_utf8(bytes).unwrap().lines().nth(1).unwrap().parse::<u64>().unwrap()
    };
    let first = sign(&observer, 1, E::Observation(observation(10))).unwrap();
    let (status, _, _) = call(&router, "POST", "/v1/entries", Some(&token), first).await;
    assert_eq!(status, StatusCode::CREATED);
    let mut published = 0;
    for _ in 0..200 {
        published = size(router.clone()).await;
        if published == 3 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert_eq!(published, 3);

    // The published tree fails; the journal does not: the entry is acknowledged...
    publish.store(true, Ordering::SeqCst);
    let second = sign(&observer, 2, E::Observation(observation(11))).unwrap();
    let (status, body, _) = call(&router, "POST", "/v1/entries", Some(&token), second).await;
    assert_eq!(status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&body));
    // ...and the server says at once that it is not in a checkpoint and writing is stopped.
    let mut unready = None;
    for _ in 0..200 {
        let (status, body, _) = call(&router, "GET", "/readyz", None, vec![]).await;
        if status == StatusCode::SERVICE_UNAVAILABLE {
            unready = Some(String::from_utf8(body).unwrap());
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    let unready = unready.expect("the server stayed ready while its checkpoint fell behind");
    assert!(unready.contains("storage failed"), "{unready}");
    assert_eq!(size(router.clone()).await, 3);

    // The disk recovers: without any new submission, the entry reaches a signed checkpoint and the
    // server is ready again.
    publish.store(false, Ordering::SeqCst);
    let mut recovered = false;
    for _ in 0..400 {
        let (status, _, _) = call(&router, "GET", "/readyz", None, vec![]).await;
        if status == StatusCode::OK && size(router.clone()).await == 4 {
            recovered = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert!(recovered, "the acknowledged entry never reached a checkpoint");
    let (status, _, _) = call(&router, "GET", "/v1/entries/3/proof", None, vec![]).await;
    assert_eq!(status, StatusCode::OK);
    let third = sign(&observer, 3, E::Observation(observation(12))).unwrap();
    let (status, _, _) = call(&router, "POST", "/v1/entries", Some(&token), third).await;
    assert_eq!(status, StatusCode::CREATED);
    std::fs::remove_dir_all(&dir).ok();
}

/// Finding 10: a confidential submission that no longer parses against the current version (an
/// option renamed) is shown as not counted, with why, to the mediator in the analysis document and on
/// its page, and to the party's delegate on its preferences page (on 0b6dd9b: silently dropped).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue21_a_confidential_submission_never_stops_counting_in_silence() {
    let s = server("insider-stale", 4096).await;
    let (ukr, mediator, analyst) =
        (delegate(&s, "UKR"), s.token(Role::Mediator), s.token(Role::Analyst));
    let seed = std::fs::read_to_string(super::root().join("scenarios/ukraine-2025.toml")).unwrap();
    let option = "nato.full_membership";
    assert!(seed.contains(&format!("\"{option}\"")));
    let submission = format!(
        "[[preferences]]\nparty = \"UKR\"\nreservation = 0.3\n[preferences.utilities]\n\"{option}\" = 1.0\n"
    );
    let (status, bytes, _) = call(
        &s.router,
        "POST",
        "/v1/scenarios/ukraine-2025/preferences",
        Some(&ukr),
        submission.into_bytes(),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&bytes));
    let analysis = "/v1/scenarios/ukraine-2025/analysis?confidential=true";
    let (_, bytes, _) = call(&s.router, "GET", analysis, Some(&mediator), vec![]).await;
    let v: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(v["submissions"]["applied"], serde_json::json!(["UKR"]), "{}", v["submissions"]);

    // The analyst renames the option.
    let renamed = seed.replace(&format!("\"{option}\""), "\"nato.membership\"");
    let (status, bytes, _) =
        call(&s.router, "PUT", "/v1/scenarios/ukraine-2025", Some(&analyst), renamed.into_bytes())
            .await;
    assert_eq!(status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&bytes));
    let (status, bytes, _) = call(&s.router, "GET", analysis, Some(&mediator), vec![]).await;
    assert_eq!(status, StatusCode::OK);
    let v: Value = serde_json::from_slice(&bytes).unwrap();
    let stale = &v["submissions"]["not_applied"][0];
    assert_eq!(stale["party"], "UKR", "{}", v["submissions"]);
    assert!(stale["reasons"].to_string().contains(option), "{stale}");
    let (_, bytes, _) = call(
        &s.router,
        "GET",
        "/ui/scenarios/ukraine-2025/analysis?confidential=true",
        Some(&mediator),
        vec![],
    )
    .await;
    let page = String::from_utf8(bytes).unwrap();
    assert!(page.contains(r#"id="stale-submissions""#), "the mediator's page does not say so");
    assert!(!page.contains("With the confidential submissions of"), "the page claims them");
    let (_, bytes, _) =
        call(&s.router, "GET", "/ui/scenarios/ukraine-2025/preferences", Some(&ukr), vec![]).await;
    let page = String::from_utf8(bytes).unwrap();
    assert!(page.contains(r#"id="stale-submission""#), "the delegate is not told");
    assert!(page.contains(option), "the delegate is not told why");
    std::fs::remove_dir_all(&s.dir).ok();
}

/// A small baseline JPEG without metadata (SOI, DQT, SOF0, DHT, SOS, entropy-coded bytes, EOI), made
/// distinct by `tag` and `pad` bytes of scan data.
fn plain_jpeg(tag: u8, pad: usize) -> Vec<u8> {
    let mut out = vec![0xFF, 0xD8];
    out.extend([0xFF, 0xDB, 0x00, 0x43, 0x00]);
    out.extend([1u8; 64]);
    out.extend([0xFF, 0xC0, 0x00, 0x0B, 0x08, 0x00, 0x01, 0x00, 0x01, 0x01, 0x01, 0x11, 0x00]);
    out.extend([0xFF, 0xC4, 0x00, 0x14, 0x00, 0x01]);
    out.extend([0u8; 15]);
    out.push(0x00);
    out.extend([0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00]);
    out.push(tag);
    out.extend(std::iter::repeat_n(0x2A, pad));
    out.extend([0xFF, 0xD9]);
    assert!(truce_watch::media::location_metadata(&out).is_none());
    out
}

fn sha256_hex(data: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(data).iter().map(|b| format!("{b:02x}")).collect()
}

type Sender = tokio::sync::mpsc::Sender<Result<axum::body::Bytes, std::io::Error>>;

/// An upload of `file` whose body the test sends by hand: the response's future and the sender.
fn held_upload(
    router: &axum::Router,
    token: &str,
    file: &[u8],
) -> (tokio::task::JoinHandle<axum::http::Response<axum::body::Body>>, Sender) {
    use tower::ServiceExt;
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<axum::body::Bytes, std::io::Error>>(1);
    let stream =
        futures_util::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|x| (x, rx)) });
    let req = axum::http::Request::builder()
        .method("PUT")
        .uri(format!("/v1/media/{}", sha256_hex(file)))
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "image/jpeg")
        .body(axum::body::Body::from_stream(stream))
        .unwrap();
    let router = router.clone();
    (tokio::spawn(async move { router.oneshot(req).await.unwrap() }), tx)
}

async fn answer(
    pending: tokio::task::JoinHandle<axum::http::Response<axum::body::Body>>,
) -> (StatusCode, String) {
    use http_body_util::BodyExt;
    let response = tokio::time::timeout(Duration::from_secs(20), pending)
        .await
        .expect("the server never answered the held upload")
        .unwrap();
    let status = response.status();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8_lossy(&body).to_string())
}

async fn put(router: &axum::Router, token: &str, file: &[u8]) -> (StatusCode, String) {
    use tower::ServiceExt;
    let req = axum::http::Request::builder()
        .method("PUT")
        .uri(format!("/v1/media/{}", sha256_hex(file)))
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "image/jpeg")
        .body(axum::body::Body::from(file.to_vec()))
        .unwrap();
    let router = router.clone();
    answer(tokio::spawn(async move { router.oneshot(req).await.unwrap() })).await
}

/// Finding 6, uploads: a body that stalls or trickles is cut off (408) and frees its slot; one caller
/// holds at most its share of the slots, so others still upload; each user has a quota (on 0b6dd9b:
/// four trickling uploads held every slot for 45 s).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue21_uploads_cannot_be_held_open_or_hoarded() {
    let (mut state, tokens, dir, _) = super::state("insider-uploads", 4096).await;
    let media_url = format!("file://{}", dir.join("media").display());
    let mut media = truce_server::media::MediaStore::open(&media_url, 64 << 10, true)
        .unwrap()
        .with_uploads_at_once(4, 2);
    media.pace = truce_server::media::Pace {
        idle: Duration::from_millis(400),
        grace: Duration::from_millis(300),
        min_rate: 2_000,
    };
    media.quota_bytes = 3_000;
    state.media = Some(media);
    let router = truce_server::router(Arc::new(state));
    let token = |role: Role| tokens.iter().find(|(r, _, _)| *r == role).unwrap().2.clone();
    let (observer, verifier) = (token(Role::Observer), token(Role::Verifier));

    // A stalled body: one chunk, then nothing.
    let file = plain_jpeg(1, 500);
    let (pending, tx) = held_upload(&router, &observer, &file);
    tx.send(Ok(axum::body::Bytes::copy_from_slice(&file[..10]))).await.unwrap();
    let (status, body) = answer(pending).await;
    assert_eq!(status, StatusCode::REQUEST_TIMEOUT, "{body}");
    assert!(body.contains("paused"), "{body}");
    drop(tx);
    // A trickle: a byte every 100 ms never pauses long, but is far too slow.
    let (pending, tx) = held_upload(&router, &observer, &file);
    let trickle = tokio::spawn(async move {
        for k in 0..file.len() {
            if tx.send(Ok(axum::body::Bytes::copy_from_slice(&file[k..k + 1]))).await.is_err() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    });
    let (status, body) = answer(pending).await;
    assert_eq!(status, StatusCode::REQUEST_TIMEOUT, "{body}");
    assert!(body.contains("too slow"), "{body}");
    trickle.abort();

    // One caller holds two slots at most; the third is turned away, another caller is not.
    let (a, b) = (plain_jpeg(2, 100), plain_jpeg(3, 100));
    let (first, tx1) = held_upload(&router, &observer, &a);
    let (second, tx2) = held_upload(&router, &observer, &b);
    tx1.send(Ok(axum::body::Bytes::copy_from_slice(&a[..10]))).await.unwrap();
    tx2.send(Ok(axum::body::Bytes::copy_from_slice(&b[..10]))).await.unwrap();
    tx1.send(Ok(axum::body::Bytes::copy_from_slice(&a[10..20]))).await.unwrap();
    tx2.send(Ok(axum::body::Bytes::copy_from_slice(&b[10..20]))).await.unwrap();
    let (status, body) = put(&router, &observer, &plain_jpeg(4, 100)).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert!(body.contains("your share"), "{body}");
    let (status, body) = put(&router, &verifier, &plain_jpeg(5, 100)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    tx1.send(Ok(axum::body::Bytes::copy_from_slice(&a[20..]))).await.unwrap();
    tx2.send(Ok(axum::body::Bytes::copy_from_slice(&b[20..]))).await.unwrap();
    drop((tx1, tx2));
    assert_eq!(answer(first).await.0, StatusCode::CREATED);
    assert_eq!(answer(second).await.0, StatusCode::CREATED);

    // The quota: the observer has stored about 440 bytes of its 3,000 (two uploads at once, both
    // counted); 2,700 more is too much, 1,000 more is not.
    let (status, body) = put(&router, &observer, &plain_jpeg(6, 2_700)).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
    assert!(body.contains("you have uploaded"), "{body}");
    let (status, body) = put(&router, &observer, &plain_jpeg(7, 1_000)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    std::fs::remove_dir_all(&dir).ok();
}

/// Finding 6, connections: a connection that sends nothing, or half a request, or sits idle after
/// its answer, is closed after the header-read timeout; beyond the connection cap, clients wait for a
/// place instead of exhausting the server (on 0b6dd9b: 16,402 idle connections held for 50 s).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue21_idle_and_half_sent_connections_are_closed_and_capped() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let (mut state, tokens, dir, _) = super::state("insider-connections", 4096).await;
    state.body_pace = truce_server::media::Pace {
        idle: Duration::from_millis(400),
        grace: Duration::from_millis(300),
        min_rate: 2_000,
    };
    let app = truce_server::router(Arc::new(state));
    let serve = |header_read: Duration, max_connections: usize| {
        let app = app.clone();
        async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            let addr = listener.local_addr().unwrap();
            let limits = truce_server::launch::HttpLimits {
                header_read,
                max_connections,
                write_stall: Duration::from_millis(500),
            };
            tokio::spawn(truce_server::launch::serve_http(listener, app, limits));
            addr
        }
    };
    let addr = serve(Duration::from_millis(500), 3).await;
    // Reads until the server closes the connection; what it sent. (A bound far above the timeout,
    // so that a server that never closes fails the test instead of hanging it.)
    async fn closed(stream: &mut tokio::net::TcpStream) -> String {
        let mut got = Vec::new();
        let read =
            tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut got)).await;
        assert!(read.is_ok(), "the server kept the connection open");
        String::from_utf8_lossy(&got).to_string()
    }
    // Nothing sent.
    let mut silent = tokio::net::TcpStream::connect(addr).await.unwrap();
    assert_eq!(closed(&mut silent).await, "");
    // Half a request.
    let mut half = tokio::net::TcpStream::connect(addr).await.unwrap();
    half.write_all(b"GET /v1/whoami HTTP/1.1\r\nHost: x\r\n").await.unwrap();
    let got = closed(&mut half).await;
    assert!(!got.contains("200 OK"), "{got}");
    // One request answered, then idle.
    let mut idle = tokio::net::TcpStream::connect(addr).await.unwrap();
    idle.write_all(b"GET /v1/whoami HTTP/1.1\r\nHost: x\r\n\r\n").await.unwrap();
    let got = closed(&mut idle).await;
    assert!(got.starts_with("HTTP/1.1 200 OK"), "{got}");

    // A body that stalls, on any endpoint (here a signed entry, by an observer): 408, and closed.
    let observer = tokens.iter().find(|(r, _, _)| *r == Role::Observer).unwrap().2.clone();
    let mut slow = tokio::net::TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "POST /v1/entries HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {observer}\r\nContent-Length: 1000\r\n\r\n{{"
    );
    slow.write_all(head.as_bytes()).await.unwrap();
    let got = closed(&mut slow).await;
    assert!(got.starts_with("HTTP/1.1 408"), "{got}");

    // A client that asks and never reads (requests pipelined for a large file): its connection is
    // dropped once a write has waited too long, and the only place is free again.
    let addr = serve(Duration::from_secs(60), 1).await;
    let mut greedy = tokio::net::TcpStream::connect(addr).await.unwrap();
    let ask = b"GET /assets/leaflet-1.9.4/leaflet.js HTTP/1.1\r\nHost: x\r\n\r\n".repeat(200);
    greedy.write_all(&ask).await.unwrap();
    let mut next = tokio::net::TcpStream::connect(addr).await.unwrap();
    next.write_all(b"GET /v1/whoami HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let got = closed(&mut next).await;
    assert!(got.starts_with("HTTP/1.1 200 OK"), "{got}");
    drop(greedy);

    // The cap (on a server whose timeout does not close them first): three connections held, the
    // fourth waits; it is answered once they close.
    let addr = serve(Duration::from_secs(60), 3).await;
    let mut held = Vec::new();
    for _ in 0..3 {
        let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
        s.write_all(b"GET /v1/whoami HTTP/1.1\r\nHost: x\r\n").await.unwrap();
        held.push(s);
    }
    let mut fourth = tokio::net::TcpStream::connect(addr).await.unwrap();
    fourth
        .write_all(b"GET /v1/whoami HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut first_bytes = [0u8; 12];
    let early =
        tokio::time::timeout(Duration::from_millis(200), fourth.read(&mut first_bytes)).await;
    assert!(early.is_err(), "the fourth connection was served beyond the cap");
    drop(held);
    let got = closed(&mut fourth).await;
    assert!(got.starts_with("HTTP/1.1 200 OK"), "{got}");
    std::fs::remove_dir_all(&dir).ok();
}

/// Issue 24: followers forward writes with a credential made from the log's key instead of the
/// caller's token. Nobody without that key can make one: a forged, stale or foreign credential is
/// refused (403), and a genuine one opens the entry endpoints only, as its user and that user's role.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue24_a_forwarding_credential_is_the_log_s_and_opens_the_entry_endpoints_only() {
    let (state, tokens, _, _) = super::state("forward-credential", 4096).await;
    let ledger = state.watch.clone().unwrap();
    let store = state.store.clone();
    let router = truce_server::router(Arc::new(state));
    let (observer, token) = mission(&router, &store, &tokens).await;
    let user =
        truce_store::Store::user_by_token(&store, truce_store::token_hash(&token)).await.unwrap();
    let now = jiff::Timestamp::now().as_second();
    let key = truce_server::forward::key(&ledger);
    let genuine = truce_server::forward::credential(&key, user.id, now);
    let post = |credential: String, path: &'static str, body: Vec<u8>| {
        let router = router.clone();
        async move {
            let headers = [(truce_server::forward::HEADER, credential.as_str())];
            super::send(&router, "POST", path, &headers, body).await
        }
    };
    let entry = |seq| sign(&observer, seq, E::Observation(observation(20 + seq as u32))).unwrap();
    for (why, credential) in [
        ("another key", truce_server::forward::credential(&[9; 32], user.id, now)),
        ("stale", truce_server::forward::credential(&key, user.id, now - 600)),
        ("another user", genuine.replacen(&format!("{}.", user.id), "1.", 1)),
        ("garbage", "x".into()),
    ] {
        let (status, body, _) = post(credential, "/v1/entries", entry(1)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{why}: {}", String::from_utf8_lossy(&body));
    }
    // Genuine: the entry endpoints, as the observer.
    let (status, body, _) = post(genuine.clone(), "/v1/entries", entry(1)).await;
    assert_eq!(status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&body));
    // Nowhere else, not even to read.
    let headers = [(truce_server::forward::HEADER, genuine.as_str())];
    for (method, path) in [
        ("GET", "/v1/whoami"),
        ("GET", "/v1/compliance"),
        ("POST", "/v1/scenarios/ukraine-2025/preferences"),
    ] {
        let (status, _, _) = super::send(&router, method, path, &headers, vec![]).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{method} {path}");
    }
}
