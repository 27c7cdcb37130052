//! The server, driven through its router (no socket): every endpoint with every role against the
//! matrix; the confidentiality of preference submissions; the life of an observation. `browser`: the
//! web UI in headless Chromium.

// Tests print the figures they measure, as the test runner shows them.
#![allow(clippy::print_stdout)]

mod api;
mod browser;
mod faults;
mod insider;
mod language;
mod media;
mod operations;
mod overload;
mod records;
mod shared;
mod simulations;
mod sources;
mod table;
mod witness;

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;
use truce_server::{AppState, Endpoint, Ledger};
use truce_store::{Role, Store, token_hash};
use truce_store_sql::SqlStore;

fn root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

struct Server {
    router: axum::Router,
    store: SqlStore,
    tokens: Vec<(Role, Option<String>, String)>,
    dir: std::path::PathBuf,
}

async fn server(name: &str, max_pending: usize) -> Server {
    let (state, tokens, dir, _) = state(name, max_pending).await;
    let store = state.store.clone();
    Server { router: truce_server::router(Arc::new(state)), store, tokens, dir }
}

impl Server {
    /// The token of the (first) user with `role`.
    fn token(&self, role: Role) -> String {
        self.tokens.iter().find(|(r, _, _)| *r == role).unwrap().2.clone()
    }
}

/// Records that the user with `token` holds `key`, as `truce user key` does.
async fn hold(store: &SqlStore, token: &str, key: &ed25519_dalek::SigningKey) {
    let user = store.user_by_token(token_hash(token)).await.unwrap();
    store.add_key(user.id, &truce_watch::entry::key_hex(&key.verifying_key())).await.unwrap();
}

/// ORDLO MLRS seen inside their 35 km zone on day 20 of Minsk II, after the day-16 deadline.
fn mlrs_sighting() -> truce_watch::entry::Observation {
    truce_watch::entry::Observation {
        start: "2015-03-06T10:00:00Z".into(),
        end: "2015-03-06T10:30:00Z".into(),
        lat_e6: 48_100_000,
        lon_e6: 38_100_000,
        controlled_by: "ORDLO".into(),
        sensor: "saw".into(),
        class: "weapon_sighting".into(),
        count: 4,
        approximate: false,
        bearing_deg: None,
        distance_m: None,
        weapon: Some(truce_watch::entry::Weapon { class: "mlrs".into(), calibre_mm: Some(122) }),
        media: vec![],
        note: String::new(),
    }
}

/// The compliance report as of 2015-03-07 once the durable view holds `size` entries: it follows each
/// acknowledgement within moments.
async fn compliance_at(router: &axum::Router, size: u64) -> serde_json::Value {
    for _ in 0..500 {
        let (status, bytes, _) =
            call(router, "GET", "/v1/compliance?as_of=2015-03-07", None, vec![]).await;
        assert_eq!(status, StatusCode::OK);
        let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        if v["log_size"] == size {
            return v;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    panic!("the durable view never reached {size} entries");
}

/// A mission entry over Minsk II's first two months, with the standard classes.
fn mission_body(name: &str) -> truce_watch::entry::Body {
    truce_watch::entry::Body::mission(
        name,
        jiff::civil::date(2015, 2, 15),
        jiff::civil::date(2015, 4, 15),
    )
}

/// A server's state before it serves (witnesses can still be set): a user and token per role (and a
/// second delegate, of RUS), the seed scenario, an empty log over the Minsk agreement, and the log's key.
async fn state(
    name: &str,
    max_pending: usize,
) -> (
    AppState,
    Vec<(Role, Option<String>, String)>,
    std::path::PathBuf,
    truce_tlog::note::NoteVerifier,
) {
    state_with(name, max_pending, None, std::time::Duration::from_secs(30)).await
}

/// [`state`], with a switch that fails the log's storage while set, and the store's wait for a lock.
async fn state_with(
    name: &str,
    max_pending: usize,
    fault_switch: Option<Arc<std::sync::atomic::AtomicBool>>,
    busy: std::time::Duration,
) -> (
    AppState,
    Vec<(Role, Option<String>, String)>,
    std::path::PathBuf,
    truce_tlog::note::NoteVerifier,
) {
    state_with_faults(name, max_pending, fault_switch, None, busy).await
}

/// [`state_with`], with also a switch that fails only the log's publishing (tiles, checkpoint) while
/// set: a fault after the journal.
async fn state_with_faults(
    name: &str,
    max_pending: usize,
    fault_switch: Option<Arc<std::sync::atomic::AtomicBool>>,
    publish_fault: Option<Arc<std::sync::atomic::AtomicBool>>,
    busy: std::time::Duration,
) -> (
    AppState,
    Vec<(Role, Option<String>, String)>,
    std::path::PathBuf,
    truce_tlog::note::NoteVerifier,
) {
    let dir = std::env::temp_dir().join(format!("truce-server-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let store = SqlStore::open_sqlite_with_busy_timeout(&dir.join("truce.db"), busy).await.unwrap();
    let mut tokens = Vec::new();
    for (k, role) in Role::ALL.into_iter().enumerate() {
        let party = (role == Role::PartyDelegate).then(|| "UKR".to_string());
        let user = store.create_user(&format!("user-{k}"), role, party.as_deref()).await.unwrap();
        let token = format!("token-{k}-{}", role.as_str());
        store.add_token(user.id, token_hash(&token), "test").await.unwrap();
        tokens.push((role, party, token));
    }
    // A second delegate, for another party.
    let rus = store.create_user("delegate-rus", Role::PartyDelegate, Some("RUS")).await.unwrap();
    store.add_token(rus.id, token_hash("token-rus"), "test").await.unwrap();
    tokens.push((Role::PartyDelegate, Some("RUS".into()), "token-rus".into()));
    let seed = std::fs::read_to_string(root().join("scenarios/ukraine-2025.toml")).unwrap();
    store.save_scenario("ukraine-2025", &seed, 1, "").await.unwrap();
    let agreement = std::fs::read_to_string(root().join("accords/minsk-2015.toml")).unwrap();
    let signer =
        truce_tlog::note::NoteSigner::generate("test.truce/log", truce_tlog::note::ED25519)
            .unwrap();
    let config = truce_tlog::sequencer::SequencerConfig {
        max_batch: 64,
        max_age: std::time::Duration::from_millis(2),
        max_pending,
        integrate_every: std::time::Duration::ZERO,
    };
    let verifier = signer.verifier();
    let watch = Ledger::open_with_faults(
        &dir.join("log"),
        signer,
        &agreement,
        config,
        fault_switch,
        publish_fault,
    )
    .unwrap();
    let mut state = AppState::new(store, Some(watch));
    let media_url = format!("file://{}", dir.join("media").display());
    state.media = Some(truce_server::media::MediaStore::open(&media_url, 64 << 10, true).unwrap());
    (state, tokens, dir, verifier)
}

async fn call(
    router: &axum::Router,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Vec<u8>,
) -> (StatusCode, Vec<u8>, axum::http::HeaderMap) {
    let mut req = Request::builder().method(method).uri(path);
    if path.starts_with("/ui/") && method == "POST" {
        req = req.header("content-type", "application/x-www-form-urlencoded");
    }
    if (path.ends_with("/import") || path.ends_with("/simulations") || path.ends_with("/extract"))
        && path.starts_with("/v1/")
        && method == "POST"
    {
        req = req.header("content-type", "application/json");
    }
    if let Some(t) = token {
        req = req.header("authorization", format!("Bearer {t}"));
    }
    let res = router.clone().oneshot(req.body(Body::from(body)).unwrap()).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    if path == "/v1/events" && status == StatusCode::OK {
        return (status, Vec::new(), headers); // an endless stream
    }
    let bytes = res.into_body().collect().await.unwrap().to_bytes().to_vec();
    (status, bytes, headers)
}

/// A concrete request for each endpoint.
fn example(e: Endpoint) -> (&'static str, String, Vec<u8>) {
    let (method, _) = e.route();
    let (path, body): (String, Vec<u8>) = match e {
        Endpoint::WhoAmI => ("/v1/whoami".into(), vec![]),
        Endpoint::ListScenarios => ("/v1/scenarios".into(), vec![]),
        Endpoint::SaveScenario => ("/v1/scenarios/matrix-test".into(), b"not toml [".to_vec()),
        Endpoint::GetScenario => ("/v1/scenarios/ukraine-2025".into(), vec![]),
        Endpoint::ImportScenario => ("/v1/scenarios/imported/import".into(), b"{}".to_vec()),
        Endpoint::AnalyzeScenario => ("/v1/scenarios/ukraine-2025/analysis".into(), vec![]),
        Endpoint::SubmitPreferences => {
            ("/v1/scenarios/ukraine-2025/preferences".into(), b"garbage".to_vec())
        }
        Endpoint::ListPreferences => ("/v1/scenarios/ukraine-2025/preferences".into(), vec![]),
        Endpoint::GetAgreement => ("/v1/agreement".into(), vec![]),
        Endpoint::SubmitEntry => ("/v1/entries".into(), b"{}".to_vec()),
        Endpoint::SubmitEntries => ("/v1/entries/batch".into(), b"{}".to_vec()),
        Endpoint::Ready => ("/readyz".into(), vec![]),
        Endpoint::RevokeUser => ("/v1/users/nobody/revoke".into(), vec![]),
        Endpoint::NextSequence => (format!("/v1/keys/{}/sequence", "3b".repeat(32)), vec![]),
        Endpoint::Queue => ("/v1/queue".into(), vec![]),
        Endpoint::Compliance => ("/v1/compliance?as_of=2015-03-01".into(), vec![]),
        Endpoint::Checkpoint => ("/log/checkpoint".into(), vec![]),
        Endpoint::Tile => ("/log/tile/0/000".into(), vec![]),
        Endpoint::Home => ("/".into(), vec![]),
        Endpoint::LoginPage => ("/ui/login".into(), vec![]),
        Endpoint::Login => ("/ui/login".into(), b"token=token-0-mediator".to_vec()),
        Endpoint::Logout => ("/ui/logout".into(), vec![]),
        Endpoint::StancePage => ("/ui/scenarios/ukraine-2025".into(), vec![]),
        Endpoint::AnalysisPage => ("/ui/scenarios/ukraine-2025/analysis".into(), vec![]),
        Endpoint::AgreementPage => ("/ui/agreement?date=2015-03-01".into(), vec![]),
        Endpoint::MapPage => ("/ui/map?date=2015-03-01".into(), vec![]),
        Endpoint::QueuePage => ("/ui/queue".into(), vec![]),
        Endpoint::ObservePage => ("/ui/observe".into(), vec![]),
        Endpoint::ReportPage => ("/ui/reports/daily?date=2015-03-01".into(), vec![]),
        Endpoint::LogPage => ("/ui/log".into(), vec![]),
        Endpoint::OpenApi => ("/v1/openapi.json".into(), vec![]),
        Endpoint::Events => ("/v1/events".into(), vec![]),
        Endpoint::Timeline => {
            ("/v1/scenarios/ukraine-2025/timeline?from=2025-01-01&to=2025-03-01".into(), vec![])
        }
        Endpoint::Robust => ("/v1/scenarios/ukraine-2025/robust?draws=3".into(), vec![]),
        Endpoint::RobustStream => {
            ("/v1/scenarios/ukraine-2025/robust/stream?draws=3".into(), vec![])
        }
        Endpoint::Frontier => {
            ("/v1/scenarios/ukraine-2025/frontier?parties=UKR,RUS".into(), vec![])
        }
        Endpoint::StartSimulation => {
            ("/v1/scenarios/ukraine-2025/simulations".into(), br#"{"rounds": 3}"#.to_vec())
        }
        Endpoint::Simulation => ("/v1/simulations/00000000000000000000000000000000".into(), vec![]),
        Endpoint::SimulatePage => ("/ui/scenarios/ukraine-2025/simulate?rounds=3".into(), vec![]),
        Endpoint::DraftAgreement => ("/v1/scenarios/ukraine-2025/draft".into(), vec![]),
        Endpoint::CheckAgreement => ("/v1/agreements/check".into(), b"title = 1".to_vec()),
        Endpoint::DailyReport => ("/v1/reports/daily?date=2015-03-01".into(), vec![]),
        Endpoint::Export => ("/v1/export?format=csv".into(), vec![]),
        Endpoint::AddCheckpoint => ("/witness/nobody/add-checkpoint".into(), b"old 0".to_vec()),
        Endpoint::Witnesses => ("/v1/witnesses".into(), vec![]),
        Endpoint::TimelinePage => ("/ui/scenarios/ukraine-2025/timeline".into(), vec![]),
        Endpoint::LogKey => ("/log/vkey".into(), vec![]),
        Endpoint::EntryProof => ("/v1/entries/0/proof".into(), vec![]),
        Endpoint::EntryPage => ("/ui/entries/0".into(), vec![]),
        Endpoint::Asset => ("/assets/leaflet-1.9.4/leaflet.js".into(), vec![]),
        Endpoint::ScenariosPage => ("/ui/scenarios".into(), vec![]),
        Endpoint::CreateScenario => ("/ui/scenarios".into(), b"slug=x&text=garbage".to_vec()),
        Endpoint::PositionForm => ("/ui/scenarios/ukraine-2025/positions".into(), vec![]),
        Endpoint::SavePosition => {
            ("/ui/scenarios/ukraine-2025/positions".into(), b"party=RUS".to_vec())
        }
        Endpoint::VersionsPage => ("/ui/scenarios/ukraine-2025/versions".into(), vec![]),
        Endpoint::DraftPage => ("/ui/scenarios/ukraine-2025/draft".into(), vec![]),
        Endpoint::PreferencesPage => ("/ui/scenarios/ukraine-2025/preferences".into(), vec![]),
        Endpoint::Zones => ("/v1/zones".into(), vec![]),
        Endpoint::Boundaries => ("/v1/boundaries/visionscarto-1.0.0".into(), vec![]),
        Endpoint::MediaPolicy => ("/v1/media".into(), vec![]),
        Endpoint::FieldApp => ("/field/".into(), vec![]),
        Endpoint::FieldScript => ("/field/app.js".into(), vec![]),
        Endpoint::FieldWorker => ("/field/sw.js".into(), vec![]),
        Endpoint::FieldManifest => ("/field/manifest.webmanifest".into(), vec![]),
        Endpoint::FieldIcon => ("/field/icon.svg".into(), vec![]),
        Endpoint::Favicon => ("/favicon.svg".into(), vec![]),
        Endpoint::UploadMedia => {
            (format!("/v1/media/{}", "ab".repeat(32)), b"not a photo".to_vec())
        }
        Endpoint::GetMedia => (format!("/v1/media/{}", "ab".repeat(32)), vec![]),
        Endpoint::ReleaseMedia => (format!("/v1/media/{}/release", "ab".repeat(32)), vec![]),
        Endpoint::ArchiveSource => {
            ("/v1/scenarios/ukraine-2025/sources/avia_grushko".into(), b"  ".to_vec())
        }
        Endpoint::GetSource => ("/v1/scenarios/ukraine-2025/sources/avia_grushko".into(), vec![]),
        Endpoint::SourceOriginal => {
            ("/v1/scenarios/ukraine-2025/sources/avia_grushko/original".into(), vec![])
        }
        Endpoint::SourcePage => ("/ui/scenarios/ukraine-2025/sources/avia_grushko".into(), vec![]),
        Endpoint::Extract => (
            "/v1/scenarios/ukraine-2025/extract".into(),
            br#"{"text": "Lavrov said Moscow rejects any European peacekeepers."}"#.to_vec(),
        ),
        Endpoint::ExtractPage => ("/ui/scenarios/ukraine-2025/extract".into(), vec![]),
        Endpoint::ExtractSubmit => (
            "/ui/scenarios/ukraine-2025/extract".into(),
            b"text=Lavrov+said+Moscow+rejects+any+European+peacekeepers.".to_vec(),
        ),
    };
    (method, path, body)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_endpoint_with_every_role_follows_the_matrix() {
    let s = server("matrix", 4096).await;
    let mut checked = 0;
    for endpoint in Endpoint::all() {
        let (method, path, body) = example(endpoint);
        // No token: allowed only where the public is.
        let (status, _, headers) = call(&s.router, method, &path, None, body.clone()).await;
        if endpoint.allows(Role::Public) {
            assert!(
                status != StatusCode::UNAUTHORIZED && status != StatusCode::FORBIDDEN,
                "{endpoint:?} public: {status}"
            );
        } else {
            assert_eq!(status, StatusCode::UNAUTHORIZED, "{endpoint:?} without a token");
            assert_eq!(headers.get("www-authenticate").unwrap(), "Bearer");
        }
        for (role, _, token) in &s.tokens {
            let (status, bytes, _) =
                call(&s.router, method, &path, Some(token), body.clone()).await;
            assert!(
                !(status == StatusCode::NOT_FOUND && bytes.is_empty()),
                "{endpoint:?}: no route (the router's fallback answered)"
            );
            if endpoint.allows(*role) {
                assert!(
                    status != StatusCode::UNAUTHORIZED && status != StatusCode::FORBIDDEN,
                    "{endpoint:?} as {}: {status} {}",
                    role.as_str(),
                    String::from_utf8_lossy(&bytes)
                );
            } else {
                assert_eq!(status, StatusCode::FORBIDDEN, "{endpoint:?} as {}", role.as_str());
            }
            checked += 1;
        }
    }
    // A bad token is refused everywhere, even on public endpoints.
    let (status, _, _) = call(&s.router, "GET", "/log/checkpoint", Some("forged"), vec![]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    println!(
        "authorisation matrix: {} endpoints × {} callers = {checked} calls checked",
        Endpoint::all().count(),
        s.tokens.len()
    );
    std::fs::remove_dir_all(&s.dir).ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_delegate_cannot_read_another_partys_raw_preferences_by_any_endpoint() {
    let s = server("confidential", 4096).await;
    let token = |party: &str| {
        s.tokens.iter().find(|(_, p, _)| p.as_deref() == Some(party)).unwrap().2.clone()
    };
    let (ukr, rus) = (token("UKR"), token("RUS"));
    let secret = "[[preferences]]\nparty = \"UKR\"\nreservation = 0.4242\n";
    let (status, bytes, _) = call(
        &s.router,
        "POST",
        "/v1/scenarios/ukraine-2025/preferences",
        Some(&ukr),
        secret.as_bytes().to_vec(),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&bytes));
    // RUS may not submit for UKR, nor UKR for RUS.
    let (status, _, _) = call(
        &s.router,
        "POST",
        "/v1/scenarios/ukraine-2025/preferences?party=UKR",
        Some(&rus),
        secret.as_bytes().to_vec(),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, _) = call(
        &s.router,
        "POST",
        "/v1/scenarios/ukraine-2025/preferences",
        Some(&ukr),
        secret.replace("UKR", "RUS").into_bytes(),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a submission names its own party only");
    // Every endpoint the RUS delegate may call: the secret never appears.
    for endpoint in Endpoint::all().filter(|e| e.allows(Role::PartyDelegate)) {
        let (method, path, body) = example(endpoint);
        let (_, bytes, _) = call(&s.router, method, &path, Some(&rus), body).await;
        // The secret as a number of its own (a coordinate such as 30.4242 in a map's GeoJSON is not it).
        let text = String::from_utf8_lossy(&bytes);
        let leaked = text.match_indices("0.4242").any(|(at, _)| {
            let before = text[..at].chars().next_back();
            let after = text[at + 6..].chars().next();
            !before.is_some_and(|c| c.is_ascii_digit() || c == '.')
                && !after.is_some_and(|c| c.is_ascii_digit())
        });
        assert!(!leaked, "{endpoint:?} leaks a raw submission");
    }
    // The mediator sees it.
    let mediator = s.tokens.iter().find(|(r, _, _)| *r == Role::Mediator).unwrap().2.clone();
    // Only a mediator analyses with the confidential submissions: there, UKR's reservation value is
    // its disagreement point; in the public analysis it is not.
    let frontier = "/v1/scenarios/ukraine-2025/frontier?parties=UKR,RUS";
    let (status, bytes, _) =
        call(&s.router, "GET", &format!("{frontier}&confidential=true"), Some(&mediator), vec![])
            .await;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&bytes));
    let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(v["disagreement"][0], 0.4242, "{}", v["disagreement"]);
    let (_, bytes, _) = call(&s.router, "GET", frontier, Some(&mediator), vec![]).await;
    assert!(!String::from_utf8_lossy(&bytes).contains("0.4242"));
    let others: Vec<&String> =
        s.tokens.iter().filter(|(r, _, _)| *r != Role::Mediator).map(|(_, _, t)| t).collect();
    for path in [
        format!("{frontier}&confidential=true"),
        "/v1/scenarios/ukraine-2025/analysis?confidential=true".to_string(),
        "/v1/scenarios/ukraine-2025/timeline?confidential=true".to_string(),
        "/v1/scenarios/ukraine-2025/robust?draws=2&confidential=true".to_string(),
        "/v1/scenarios/ukraine-2025/draft?confidential=true".to_string(),
        "/ui/scenarios/ukraine-2025/analysis?confidential=true".to_string(),
        "/ui/scenarios/ukraine-2025/timeline?confidential=true".to_string(),
    ] {
        for token in &others {
            let (status, bytes, _) = call(&s.router, "GET", &path, Some(token), vec![]).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{path}");
            assert!(!String::from_utf8_lossy(&bytes).contains("0.4242"), "{path}");
        }
        let (status, _, _) = call(&s.router, "GET", &path, Some(&mediator), vec![]).await;
        assert_eq!(status, StatusCode::OK, "{path} as the mediator");
    }
    let (status, bytes, _) =
        call(&s.router, "GET", "/v1/scenarios/ukraine-2025/preferences", Some(&mediator), vec![])
            .await;
    assert_eq!(status, StatusCode::OK);
    assert!(String::from_utf8_lossy(&bytes).contains("0.4242"));
    std::fs::remove_dir_all(&s.dir).ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_observation_goes_to_the_log_the_queue_and_compliance() {
    use truce_watch::entry::{Body as E, Role as R, VerificationState, key_hex, sign};
    let s = server("entries", 4096).await;
    let observer_token = s.token(Role::Observer);
    let mediator_token = s.token(Role::Mediator);
    let verifier_token = s.token(Role::Verifier);
    let k = |b: u8| ed25519_dalek::SigningKey::from_bytes(&[b; 32]);
    let (mission, observer, verifier) = (k(1), k(2), k(3));
    hold(&s.store, &mediator_token, &mission).await;
    hold(&s.store, &observer_token, &observer).await;
    hold(&s.store, &verifier_token, &verifier).await;
    let mut entries = vec![sign(&mission, 1, mission_body("test")).unwrap()];
    for (seq, (key, role)) in
        [(&observer, R::Observer), (&verifier, R::Verifier)].into_iter().enumerate()
    {
        entries.push(
            sign(
                &mission,
                seq as u64 + 2,
                E::Enrol {
                    key: key_hex(&key.verifying_key()),
                    name: "x".into(),
                    role,
                    party: None,
                },
            )
            .unwrap(),
        );
    }
    for (i, e) in entries.iter().enumerate() {
        let (status, bytes, _) =
            call(&s.router, "POST", "/v1/entries", Some(&mediator_token), e.clone()).await;
        assert_eq!(status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&bytes));
        let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(v["index"], i);
    }
    let observation = mlrs_sighting();
    let (status, _, _) = call(
        &s.router,
        "POST",
        "/v1/entries",
        Some(&observer_token),
        sign(&observer, 1, E::Observation(observation)).unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    // Issue 23: the observer's home lists its own latest observations (once the durable view holds it);
    // another role's does not.
    let mut home = String::new();
    for _ in 0..200 {
        let (_, bytes, _) = call(&s.router, "GET", "/", Some(&observer_token), vec![]).await;
        home = String::from_utf8(bytes).unwrap();
        if home.contains("href=\"/ui/entries/3\"") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    assert!(
        home.contains("Your latest observations") && home.contains("href=\"/ui/entries/3\""),
        "{home}"
    );
    assert!(home.contains("weapon sighting"), "{home}");
    let (_, bytes, _) = call(&s.router, "GET", "/", Some(&verifier_token), vec![]).await;
    assert!(!String::from_utf8(bytes).unwrap().contains("Your latest observations"));
    // The observer may not verify its own observation: refused by the log's rules, not appended.
    let own = sign(
        &observer,
        2,
        E::Verification { of: 3, to: VerificationState::UnderReview, reason: None },
    )
    .unwrap();
    let (status, bytes, _) =
        call(&s.router, "POST", "/v1/entries", Some(&observer_token), own).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{}", String::from_utf8_lossy(&bytes));
    // The verifier's queue has it; compliance shows an alleged violation.
    // The store's index follows the log within milliseconds.
    let queue = |expect_empty: bool| {
        let (router, token) = (s.router.clone(), verifier_token.clone());
        async move {
            for _ in 0..200 {
                let (_, bytes, _) = call(&router, "GET", "/v1/queue", Some(&token), vec![]).await;
                let q: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
                if q["queue"].as_array().unwrap().is_empty() == expect_empty {
                    return q;
                }
                tokio::time::sleep(std::time::Duration::from_millis(10)).await;
            }
            panic!("the queue never became {}", if expect_empty { "empty" } else { "non-empty" });
        }
    };
    let q = queue(false).await;
    assert_eq!(q["queue"][0]["index"], 3);
    let status_of = |bytes: &[u8]| -> String {
        let v: serde_json::Value = serde_json::from_slice(bytes).unwrap();
        v["commitments"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["commitment"] == "2.mlrs.ORDLO")
            .unwrap()["status"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let bytes = serde_json::to_vec(&compliance_at(&s.router, 4).await).unwrap();
    assert_eq!(status_of(&bytes), "alleged_violation");
    for (seq, to) in
        [VerificationState::UnderReview, VerificationState::Corroborated].into_iter().enumerate()
    {
        let e =
            sign(&verifier, seq as u64 + 1, E::Verification { of: 3, to, reason: None }).unwrap();
        let (status, _, _) = call(&s.router, "POST", "/v1/entries", Some(&verifier_token), e).await;
        assert_eq!(status, StatusCode::CREATED);
    }
    let bytes = serde_json::to_vec(&compliance_at(&s.router, 6).await).unwrap();
    assert_eq!(status_of(&bytes), "verified_violation");
    queue(true).await; // verified observations leave the queue
    // The C2SP read path: a checkpoint of 6 entries (it follows the acknowledgement by one integration,
    // a few milliseconds), not cached; the partial tile, briefly cached.
    let mut tries = 0;
    let (status, bytes, headers) = loop {
        let got = call(&s.router, "GET", "/log/checkpoint", None, vec![]).await;
        if String::from_utf8_lossy(&got.1).contains("\n6\n") || tries == 200 {
            break got;
        }
        tries += 1;
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    };
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers.get("cache-control").unwrap(), "no-store");
    assert!(
        String::from_utf8_lossy(&bytes).contains("\n6\n"),
        "{}",
        String::from_utf8_lossy(&bytes)
    );
    let (status, bytes, headers) =
        call(&s.router, "GET", "/log/tile/entries/000.p/6", None, vec![]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers.get("cache-control").unwrap(), "max-age=60");
    assert_eq!(truce_tlog::tile::parse_bundle(&bytes).unwrap().len(), 6);
    // The agreement page links each commitment's evidence to the entry's page, which proves the entry
    // (here in the partial bundle of 6) against the checkpoint served; the proof endpoint gives the
    // same proof, which verifies with the key served at /log/vkey.
    let (status, page, _) =
        call(&s.router, "GET", "/ui/agreement?date=2015-03-07", None, vec![]).await;
    assert_eq!(status, StatusCode::OK);
    let page = String::from_utf8(page).unwrap();
    let link = page
        .split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .find(|href| href.starts_with("/ui/entries/"))
        .unwrap_or_else(|| panic!("no evidence link in {page}"));
    assert_eq!(link, "/ui/entries/3");
    let (status, bytes, _) = call(&s.router, "GET", link, None, vec![]).await;
    let entry_page = String::from_utf8(bytes).unwrap();
    assert_eq!(status, StatusCode::OK, "{entry_page}");
    assert!(entry_page.contains("Signature: verified") && entry_page.contains("proof-data"));
    let (status, vkey, _) = call(&s.router, "GET", "/log/vkey", None, vec![]).await;
    assert_eq!(status, StatusCode::OK);
    let key = truce_tlog::note::NoteVerifier::parse(std::str::from_utf8(&vkey).unwrap()).unwrap();
    let (status, bytes, _) = call(&s.router, "GET", "/v1/entries/3/proof", None, vec![]).await;
    assert_eq!(status, StatusCode::OK);
    let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    let file =
        truce_tlog::proof::ProofFile::parse(v["tlog_proof"].as_str().unwrap().as_bytes()).unwrap();
    use base64::Engine as _;
    let entry =
        base64::engine::general_purpose::STANDARD.decode(v["entry"].as_str().unwrap()).unwrap();
    assert_eq!(file.verify(&entry, &key).unwrap().size, 6);
    // A tampered entry does not verify against the same proof.
    let mut forged = entry.clone();
    forged[10] ^= 1;
    assert!(file.verify(&forged, &key).is_err());
    // Beyond the checkpoint, or not a number: a 404 that says why.
    for (path, says) in [
        ("/v1/entries/6/proof", "not in the checkpoint served"),
        ("/ui/entries/99", "not in the checkpoint served"),
        ("/ui/entries/x", "not an entry number"),
    ] {
        let (status, bytes, _) = call(&s.router, "GET", path, None, vec![]).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert!(String::from_utf8_lossy(&bytes).contains(says), "{path}");
    }
    let (status, _, _) = call(&s.router, "GET", "/log/tile/../../etc/passwd", None, vec![]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    std::fs::remove_dir_all(&s.dir).ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_pending_pool_is_503_with_retry_after() {
    let s = server("pushback", 0).await;
    let token = s.token(Role::Mediator);
    let mission = ed25519_dalek::SigningKey::from_bytes(&[1; 32]);
    hold(&s.store, &token, &mission).await;
    let e = truce_watch::entry::sign(&mission, 1, mission_body("m")).unwrap();
    let (status, _, headers) = call(&s.router, "POST", "/v1/entries", Some(&token), e).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(headers.get("retry-after").unwrap(), "1");
    std::fs::remove_dir_all(&s.dir).ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_openapi_document_covers_every_endpoint_and_events_stream_appends() {
    let s = server("openapi", 4096).await;
    let (status, bytes, _) = call(&s.router, "GET", "/v1/openapi.json", None, vec![]).await;
    assert_eq!(status, StatusCode::OK);
    let doc: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    for e in Endpoint::all() {
        let (method, path) = e.route();
        let op = &doc["paths"][path.replace("{*path}", "{path}")][method.to_lowercase()];
        assert_eq!(op["summary"], e.doc(), "{e:?}");
        let roles: Vec<&str> =
            op["x-truce-roles"].as_array().unwrap().iter().map(|r| r.as_str().unwrap()).collect();
        assert_eq!(roles, e.roles().iter().map(|r| r.as_str()).collect::<Vec<_>>());
    }
    let frontier = &doc["paths"]["/v1/scenarios/{slug}/frontier"]["get"]["parameters"];
    assert!(
        frontier.as_array().unwrap().iter().any(|p| p["name"] == "parties" && p["in"] == "query")
    );
    // Server-sent events: an entry appended shows up on the stream.
    let req = Request::builder().uri("/v1/events").body(Body::empty()).unwrap();
    let res = s.router.clone().oneshot(req).await.unwrap();
    assert_eq!(res.headers().get("content-type").unwrap(), "text/event-stream");
    let mut body = res.into_body();
    let token = s.token(Role::Mediator);
    let mission = ed25519_dalek::SigningKey::from_bytes(&[1; 32]);
    hold(&s.store, &token, &mission).await;
    let e = truce_watch::entry::sign(&mission, 1, mission_body("m")).unwrap();
    let (status, _, _) = call(&s.router, "POST", "/v1/entries", Some(&token), e).await;
    assert_eq!(status, StatusCode::CREATED);
    let frame = tokio::time::timeout(std::time::Duration::from_secs(10), body.frame())
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    let text = String::from_utf8(frame.into_data().unwrap().to_vec()).unwrap();
    assert!(text.contains("event: entry") && text.contains("\"kind\":\"mission\""), "{text}");
    std::fs::remove_dir_all(&s.dir).ok();
}

/// Issue 10, finding 1, against the service: a party delegate re-posted verifier entries copied from the
/// public tiles (201 each time, and a verified violation went back to "alleged"); a re-posted observation
/// doubled a day's count; the token's user was not tied to the signing key. Now a copy is 409 with nothing
/// stored, a key works only for the user who holds it, and an observation from the future is refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue10_replays_foreign_keys_and_future_observations_are_refused() {
    use truce_watch::entry::{Body as E, Role as R, VerificationState, key_hex, sign};
    let s = server("replay", 4096).await;
    let (mediator, observer_token, verifier_token) =
        (s.token(Role::Mediator), s.token(Role::Observer), s.token(Role::Verifier));
    let delegate = s.token(Role::PartyDelegate);
    let k = |b: u8| ed25519_dalek::SigningKey::from_bytes(&[b; 32]);
    let (mission, observer, verifier) = (k(1), k(2), k(3));
    hold(&s.store, &mediator, &mission).await;
    hold(&s.store, &observer_token, &observer).await;
    hold(&s.store, &verifier_token, &verifier).await;
    let post = |token: String, bytes: Vec<u8>| {
        let router = s.router.clone();
        async move {
            let (status, body, _) = call(&router, "POST", "/v1/entries", Some(&token), bytes).await;
            (status, String::from_utf8_lossy(&body).to_string())
        }
    };
    let mut setup = vec![sign(&mission, 1, mission_body("replay")).unwrap()];
    for (seq, (key, role)) in
        [(&observer, R::Observer), (&verifier, R::Verifier)].into_iter().enumerate()
    {
        let enrol =
            E::Enrol { key: key_hex(&key.verifying_key()), name: "x".into(), role, party: None };
        setup.push(sign(&mission, seq as u64 + 2, enrol).unwrap());
    }
    for e in &setup {
        assert_eq!(post(mediator.clone(), e.clone()).await.0, StatusCode::CREATED);
    }
    let observation = mlrs_sighting();
    let seen = sign(&observer, 1, E::Observation(observation.clone())).unwrap();
    assert_eq!(post(observer_token.clone(), seen.clone()).await.0, StatusCode::CREATED);
    let review = sign(
        &verifier,
        1,
        E::Verification { of: 3, to: VerificationState::UnderReview, reason: None },
    )
    .unwrap();
    let done = sign(
        &verifier,
        2,
        E::Verification { of: 3, to: VerificationState::Corroborated, reason: None },
    )
    .unwrap();
    for e in [&review, &done] {
        assert_eq!(post(verifier_token.clone(), e.clone()).await.0, StatusCode::CREATED);
    }
    let status = || {
        let router = s.router.clone();
        async move {
            let v = compliance_at(&router, 6).await;
            let c = v["commitments"]
                .as_array()
                .unwrap()
                .iter()
                .find(|c| c["commitment"] == "2.mlrs.ORDLO")
                .unwrap()
                .clone();
            (c["status"].as_str().unwrap().to_string(), v["log_size"].as_u64().unwrap())
        }
    };
    assert_eq!(status().await, ("verified_violation".to_string(), 6));
    // The delegate re-posts the verifier's "under review" entry, copied from the tiles: not its key.
    let (code, body) = post(delegate.clone(), review.clone()).await;
    assert_eq!(code, StatusCode::FORBIDDEN, "{body}");
    assert!(body.contains("does not hold"), "{body}");
    // Even the key's own holder cannot replay it: 409, nothing stored.
    for (token, e) in
        [(&verifier_token, &review), (&verifier_token, &done), (&observer_token, &seen)]
    {
        let (code, body) = post(token.clone(), e.clone()).await;
        assert_eq!(code, StatusCode::CONFLICT, "{body}");
        assert!(body.contains("replayed"), "{body}");
    }
    assert_eq!(status().await, ("verified_violation".to_string(), 6), "nothing was stored");
    // The browser's signer learns the next sequence number.
    let (code, bytes, _) = call(
        &s.router,
        "GET",
        &format!("/v1/keys/{}/sequence", key_hex(&verifier.verifying_key())),
        Some(&verifier_token),
        vec![],
    )
    .await;
    assert_eq!(code, StatusCode::OK);
    assert_eq!(serde_json::from_slice::<serde_json::Value>(&bytes).unwrap()["next"], 3);
    // An observation that starts an hour from now (by this machine's clock) is refused before the rules.
    let later = jiff::Timestamp::now() + jiff::SignedDuration::from_hours(1);
    let mut future = observation.clone();
    future.start = later.strftime("%Y-%m-%dT%H:%M:%SZ").to_string();
    future.end = future.start.clone();
    let (code, body) =
        post(observer_token.clone(), sign(&observer, 2, E::Observation(future)).unwrap()).await;
    assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.contains("in the future"), "{body}");
    // An observation outside the mission's period, or of a class the mission does not record: refused.
    let mut before = observation.clone();
    before.start = "0001-01-01T10:00:00Z".into();
    before.end = before.start.clone();
    let mut after = observation.clone();
    after.start = "2015-04-16T10:00:00Z".into();
    after.end = after.start.clone();
    let mut forged = observation.clone();
    forged.class = "explosion\n|1.ceasefire.ORDLO|compliant|".into();
    for (seq, o) in [(3, before), (4, after), (5, forged)] {
        let (code, body) =
            post(observer_token.clone(), sign(&observer, seq, E::Observation(o)).unwrap()).await;
        assert_eq!(code, StatusCode::FORBIDDEN, "{body}");
    }
    assert_eq!(status().await, ("verified_violation".to_string(), 6), "nothing was stored");
    // Without a date, reports are for today clipped into the mission's period (2015-02-15 to 04-15),
    // whatever the observations say; an explicit date is clipped too.
    for (query, want) in [
        ("", "2015-04-15"),
        ("?as_of=9999-12-30", "2015-04-15"),
        ("?as_of=0001-01-01", "2015-02-15"),
    ] {
        let (code, bytes, _) =
            call(&s.router, "GET", &format!("/v1/compliance{query}"), None, vec![]).await;
        assert_eq!(code, StatusCode::OK);
        assert_eq!(
            serde_json::from_slice::<serde_json::Value>(&bytes).unwrap()["as_of"],
            want,
            "{query}"
        );
    }
    std::fs::remove_dir_all(&s.dir).ok();
}

/// Issue 10, finding 2: submissions were joined as text before parsing, so a UKR submission could set
/// RUS's utility cap (Pareto set 311 → 22), carry positions for RUS, or add a second `reservation` line
/// that made the mediator's confidential analysis fail. Each submission is now a document of its own.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue10_a_submission_sets_only_its_own_partys_numbers() {
    let s = server("submissions", 4096).await;
    let ukr = s.tokens.iter().find(|(_, p, _)| p.as_deref() == Some("UKR")).unwrap().2.clone();
    let mediator = s.token(Role::Mediator);
    let submit = |body: &str| {
        let (router, ukr, body) = (s.router.clone(), ukr.clone(), body.as_bytes().to_vec());
        async move {
            let (status, bytes, _) =
                call(&router, "POST", "/v1/scenarios/ukraine-2025/preferences", Some(&ukr), body)
                    .await;
            (status, String::from_utf8_lossy(&bytes).to_string())
        }
    };
    let analysis = || {
        let (router, mediator) = (s.router.clone(), mediator.clone());
        async move {
            let (status, bytes, _) = call(
                &router,
                "GET",
                "/v1/scenarios/ukraine-2025/analysis?confidential=true",
                Some(&mediator),
                vec![],
            )
            .await;
            assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&bytes));
            let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
            let red_lines = v["readings"]
                .as_array()
                .unwrap()
                .iter()
                .find(|r| r["reading"] == "red_lines")
                .unwrap()
                .clone();
            (red_lines["best"]["pareto_size"].clone(), red_lines["best"]["nash"]["options"].clone())
        }
    };
    let public = analysis().await;
    for (attack, why) in [
        (
            "utility_cap = 0.01\n[[preferences]]\nparty = \"UKR\"\nreservation = 0.1\n",
            "`utility_cap` is not allowed",
        ),
        (
            "[[preferences]]\nparty = \"UKR\"\nreservation = 0.1\n[[positions]]\nparty = \"RUS\"\noption = \"nato.full_membership\"\nstance = \"acceptable\"\ndate = 2025-12-01\nsource = \"x\"\n",
            "`positions` is not allowed",
        ),
        (
            "[[preferences]]\nparty = \"UKR\"\nreservation = 0.1\nreservation = 0.2\n",
            "duplicate key",
        ),
        ("[[preferences]]\nparty = \"RUS\"\nutility_cap = 0.01\n", "cannot set RUS's preferences"),
        (
            "[[preferences]]\nparty = \"UKR\"\nreservation = 0.1\n[[preferences]]\nparty = \"UKR\"\n",
            "2 [[preferences]] tables",
        ),
        (
            "[[preferences]]\nparty = \"UKR\"\nreservation = 0.1\nsneaky = 1\n",
            "unknown key `sneaky`",
        ),
    ] {
        let (status, body) = submit(attack).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{attack}: {body}");
        assert!(body.contains(why), "{attack}: {body}");
        assert!(body.contains("submission.toml:"), "diagnostics name the place: {body}");
    }
    assert_eq!(analysis().await, public, "no refused submission changed the analysis");
    // A reservation of 0.99 leaves UKR nothing it accepts; a later submission replaces it.
    let (status, body) = submit("[[preferences]]\nparty = \"UKR\"\nreservation = 0.99\n").await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let blocked = analysis().await;
    assert_ne!(blocked, public);
    let (status, body) = submit("[[preferences]]\nparty = \"UKR\"\nreservation = -1.0\n").await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(analysis().await, public, "the later submission replaced the earlier one");
    std::fs::remove_dir_all(&s.dir).ok();
}

/// Sends a request with the given headers; returns status, body and headers.
async fn send(
    router: &axum::Router,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Vec<u8>,
) -> (StatusCode, Vec<u8>, axum::http::HeaderMap) {
    let mut req = Request::builder().method(method).uri(path);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let res = router.clone().oneshot(req.body(Body::from(body)).unwrap()).await.unwrap();
    let (status, headers) = (res.status(), res.headers().clone());
    (status, res.into_body().collect().await.unwrap().to_bytes().to_vec(), headers)
}

/// Issue 10, finding 6: the cookie held the raw API token and sign-out only cleared it; a sign-in POST
/// from `Origin: https://evil.example` set the cookie; there was no CSP, nosniff, frame-ancestors or
/// Referrer-Policy, no `no-store` on confidential answers, no way to revoke a token.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue10_web_sessions_as_a_security_team_would_set_them() {
    let s = server("sessions", 4096).await;
    let token = s.token(Role::Observer);
    let form = format!("token={token}");
    let host = ("host", "truce.test");
    let same = ("origin", "http://truce.test");
    let login = ("content-type", "application/x-www-form-urlencoded");
    // A sign-in from another site is refused, and sets nothing.
    let (status, _, headers) = send(
        &s.router,
        "POST",
        "/ui/login",
        &[host, login, ("origin", "https://evil.example")],
        form.clone().into_bytes(),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(headers.get("set-cookie").is_none());
    // From this site: a session cookie, which is not the token.
    let (status, _, headers) =
        send(&s.router, "POST", "/ui/login", &[host, login, same], form.into_bytes()).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let cookie = headers.get("set-cookie").unwrap().to_str().unwrap().to_string();
    assert!(cookie.starts_with("truce_session=") && !cookie.contains(&token), "{cookie}");
    for flag in ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=43200"] {
        assert!(cookie.contains(flag), "{cookie}");
    }
    assert!(!cookie.contains("Secure"), "not over plain http");
    let id = cookie.split(';').next().unwrap().to_string();
    let jar = ("cookie", id.as_str());
    let (_, bytes, _) = send(&s.router, "GET", "/v1/whoami", &[host, jar], vec![]).await;
    assert!(
        String::from_utf8_lossy(&bytes).contains("\"observer\""),
        "{}",
        String::from_utf8_lossy(&bytes)
    );
    // The page carries the session's CSRF token; changes made with the cookie need it and this site's Origin.
    let (status, page, headers) = send(&s.router, "GET", "/ui/observe", &[host, jar], vec![]).await;
    assert_eq!(status, StatusCode::OK);
    let page = String::from_utf8(page).unwrap();
    let csrf = page
        .split("name=\"csrf-token\" content=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    assert_eq!(csrf.len(), 64);
    // Headers: a CSP that hashes each inline script and allows no other, nosniff, no framing, no referrer, no-store.
    let csp = headers.get("content-security-policy").unwrap().to_str().unwrap();
    assert!(
        csp.contains("frame-ancestors 'none'")
            && csp.contains("'sha256-")
            && !csp.contains("script-src 'self'")
            && !csp.contains("unsafe-inline' ; script"),
        "{csp}"
    );
    let scripts = page.matches("<script>").count();
    assert!(scripts >= 1);
    assert_eq!(csp.matches("'sha256-").count(), scripts, "{csp}");
    assert_eq!(headers.get("x-content-type-options").unwrap(), "nosniff");
    assert_eq!(headers.get("referrer-policy").unwrap(), "same-origin");
    assert_eq!(headers.get("cache-control").unwrap(), "no-store");
    let entry = b"{}".to_vec();
    let csrf_header = ("x-csrf-token", csrf.as_str());
    for (headers, want) in [
        (vec![host, jar, same], StatusCode::FORBIDDEN),
        (vec![host, jar, csrf_header], StatusCode::FORBIDDEN),
        (vec![host, jar, ("origin", "https://evil.example"), csrf_header], StatusCode::FORBIDDEN),
        (vec![host, jar, same, ("x-csrf-token", "0000")], StatusCode::FORBIDDEN),
        (vec![host, jar, same, csrf_header], StatusCode::UNPROCESSABLE_ENTITY),
    ] {
        let (status, body, _) =
            send(&s.router, "POST", "/v1/entries", &headers, entry.clone()).await;
        assert_eq!(status, want, "{headers:?}: {}", String::from_utf8_lossy(&body));
    }
    // A bearer-token client is not a browser: no Origin or CSRF token needed, but no-store on what it reads.
    let bearer = format!("Bearer {}", s.token(Role::Mediator));
    let (status, _, headers) = send(
        &s.router,
        "GET",
        "/v1/scenarios/ukraine-2025/preferences",
        &[("authorization", &bearer)],
        vec![],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers.get("cache-control").unwrap(), "no-store");
    // Signing out ends the session in the store: the old cookie is the public afterwards.
    let logout = format!("/ui/logout?csrf={csrf}");
    let (status, _, headers) = send(&s.router, "POST", &logout, &[host, jar, same], vec![]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(headers.get("set-cookie").unwrap().to_str().unwrap().contains("Max-Age=0"));
    let (_, bytes, _) = send(&s.router, "GET", "/v1/whoami", &[host, jar], vec![]).await;
    assert!(
        String::from_utf8_lossy(&bytes).contains("\"public\""),
        "{}",
        String::from_utf8_lossy(&bytes)
    );
    // A mediator revokes the observer: its token stops working at once.
    let (status, _, _) = call(&s.router, "GET", "/v1/whoami", Some(&token), vec![]).await;
    assert_eq!(status, StatusCode::OK);
    let (status, bytes, _) = call(
        &s.router,
        "POST",
        &format!(
            "/v1/users/{}/revoke",
            s.store.user_by_token(token_hash(&token)).await.unwrap().name
        ),
        Some(&s.token(Role::Mediator)),
        vec![],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&bytes));
    let (status, _, _) = call(&s.router, "GET", "/v1/whoami", Some(&token), vec![]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    std::fs::remove_dir_all(&s.dir).ok();
}

/// Issue 22: each page's Content-Security-Policy comes from the scripts the page declares, not from
/// reading its body; this checks the promise from the outside: the policy's `script-src` holds exactly
/// the SHA-256 of each inline script the page carries (computed here from the body), `'self'` only where
/// the page loads this server's script files, `'none'` where it runs nothing, and the basemap's origin
/// in `img-src` on the map page only. (The entry page, which needs entries in the log, is opened in
/// Chromium by the browser test, where its proof must verify.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue22_each_page_allows_exactly_the_scripts_it_runs() {
    use base64::Engine as _;
    use sha2::Digest as _;
    let (mut state, tokens, dir, _) = state("csp", 16).await;
    state.basemap_url = Some("https://tiles.example.org/{z}/{x}/{y}.png".into());
    let router = truce_server::router(Arc::new(state));
    let token = |role: Role| tokens.iter().find(|(r, _, _)| *r == role).unwrap().2.clone();
    // (page, role, loads script files, inline scripts at least)
    let pages = [
        ("/", None, false, 0),
        ("/ui/observe", Some(Role::Observer), false, 2),
        ("/ui/queue", Some(Role::Verifier), false, 2),
        ("/ui/map?date=2015-03-01", Some(Role::Mediator), true, 1),
        ("/ui/scenarios", Some(Role::Mediator), false, 1),
        ("/ui/scenarios/ukraine-2025/analysis", Some(Role::Mediator), false, 2),
        ("/ui/scenarios/ukraine-2025/preferences", Some(Role::Mediator), false, 1),
        ("/ui/reports/daily?date=2015-03-01", Some(Role::Mediator), false, 0),
        ("/field/", None, true, 0),
        ("/ui/no-such-page", None, false, 0),
    ];
    for (path, role, files, at_least) in pages {
        let role_token = role.map(token);
        let (status, body, headers) =
            call(&router, "GET", path, role_token.as_deref(), vec![]).await;
        let page = String::from_utf8(body).unwrap();
        let want_status =
            if path == "/ui/no-such-page" { StatusCode::NOT_FOUND } else { StatusCode::OK };
        assert_eq!(status, want_status, "{path}: {page}");
        let csp = headers.get("content-security-policy").unwrap().to_str().unwrap().to_string();
        let mut inline = std::collections::BTreeSet::new();
        for piece in page.split("<script>").skip(1) {
            let source = piece.split("</script>").next().unwrap();
            let digest = sha2::Sha256::digest(source.as_bytes());
            inline.insert(format!(
                "'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            ));
        }
        assert!(inline.len() >= at_least, "{path}: {} inline scripts", inline.len());
        let script_src = csp
            .split("; ")
            .find_map(|d| d.strip_prefix("script-src "))
            .unwrap_or_else(|| panic!("{path}: {csp}"));
        let mut allowed: std::collections::BTreeSet<String> =
            script_src.split(' ').map(str::to_string).collect();
        assert_eq!(allowed.remove("'self'"), files, "{path}: {csp}");
        assert_eq!(page.contains("<script src=\""), files, "{path}");
        if inline.is_empty() && !files {
            assert_eq!(allowed.into_iter().collect::<Vec<_>>(), ["'none'"], "{path}: {csp}");
        } else {
            assert_eq!(allowed, inline, "{path}: {csp}");
        }
        for directive in ["frame-ancestors 'none'", "object-src 'none'", "base-uri 'none'"] {
            assert!(csp.contains(directive), "{path}: {csp}");
        }
        let basemap = csp.contains("img-src 'self' data: https://tiles.example.org;");
        assert_eq!(basemap, path.starts_with("/ui/map"), "{path}: {csp}");
    }
    std::fs::remove_dir_all(&dir).ok();
}

/// Behind an https public URL, the session cookie is `Secure`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue10_cookies_are_secure_behind_https() {
    let (mut state, tokens, dir, _) = state("secure", 16).await;
    state.secure_cookies = true;
    let router = truce_server::router(Arc::new(state));
    let token = &tokens.iter().find(|(r, _, _)| *r == Role::Verifier).unwrap().2;
    let (status, _, headers) = send(
        &router,
        "POST",
        "/ui/login",
        &[("host", "truce.test"), ("content-type", "application/x-www-form-urlencoded")],
        format!("token={token}").into_bytes(),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(headers.get("set-cookie").unwrap().to_str().unwrap().ends_with("; Secure"));
    std::fs::remove_dir_all(&dir).ok();
}

/// The navigation lists the Table's pages of every scenario on file (it named `ukraine-2025` whatever
/// the deployment held), and every link it shows opens for the role that sees it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue11_the_navigation_comes_from_the_scenarios_on_file() {
    let s = server("nav", 4096).await;
    let seed = std::fs::read_to_string(root().join("scenarios/ukraine-2025.toml")).unwrap();
    s.store.save_scenario("second-table", &seed, 1, "").await.unwrap();
    let nav_links = |page: &str| -> Vec<String> {
        let nav = page.split("<nav").nth(1).unwrap().split("</nav>").next().unwrap();
        nav.split("href=\"").skip(1).filter_map(|r| r.split('"').next()).map(String::from).collect()
    };
    for (role, _, token) in &s.tokens {
        let table = [Role::Mediator, Role::Analyst, Role::PartyDelegate].contains(role);
        let (status, page, _) = call(&s.router, "GET", "/", Some(token), vec![]).await;
        assert_eq!(status, StatusCode::OK);
        let links = nav_links(&String::from_utf8(page).unwrap());
        // Issue 23: with several scenarios on file, a picker, not four links per scenario.
        assert_eq!(
            links.contains(&"/ui/scenarios/second-table".to_string()),
            table,
            "{role:?}: {links:?}"
        );
        assert!(!links.iter().any(|l| l.ends_with("/analysis")), "{role:?}: {links:?}");
        assert!(links.len() <= 10, "{role:?}: {} links: {links:?}", links.len());
        // On a scenario's page, its own Table links; the picker keeps the page.
        let mut followed = links.clone();
        if table {
            let here = "/ui/scenarios/second-table/analysis";
            let (status, page, _) = call(&s.router, "GET", here, Some(token), vec![]).await;
            assert_eq!(status, StatusCode::OK);
            let links = nav_links(&String::from_utf8(page).unwrap());
            assert!(
                links.contains(&"/ui/scenarios/second-table/timeline".to_string()),
                "{links:?}"
            );
            assert!(
                links.contains(&"/ui/scenarios/ukraine-2025/analysis".to_string()),
                "{links:?}"
            );
            assert!(
                !links.contains(&"/ui/scenarios/ukraine-2025/timeline".to_string()),
                "{links:?}"
            );
            followed.extend(links);
        }
        // Only links the role can open.
        for link in followed {
            let (status, _, _) = call(&s.router, "GET", &link, Some(token), vec![]).await;
            assert_eq!(status, StatusCode::OK, "{role:?} follows {link}");
        }
    }
    std::fs::remove_dir_all(&s.dir).ok();
}

/// A device's queue in one request: each entry is checked and acknowledged on its own, in order, and a
/// refused one (a replay, garbage, a key the caller does not hold) does not stop the others.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue11_a_batch_of_entries_is_acknowledged_entry_by_entry() {
    use truce_watch::entry::{Body as E, Role as R, key_hex, sign};
    let s = server("batch", 4096).await;
    let mediator = s.token(Role::Mediator);
    let observer_token = s.token(Role::Observer);
    let k = |b: u8| ed25519_dalek::SigningKey::from_bytes(&[b; 32]);
    let (mission, observer) = (k(1), k(2));
    hold(&s.store, &mediator, &mission).await;
    hold(&s.store, &observer_token, &observer).await;
    let first = sign(&mission, 1, mission_body("batch")).unwrap();
    let enrol = sign(
        &mission,
        2,
        E::Enrol {
            key: key_hex(&observer.verifying_key()),
            name: "o".into(),
            role: R::Observer,
            party: None,
        },
    )
    .unwrap();
    let mut body = Vec::new();
    for line in [&first[..], &enrol[..], &first[..], b"{\"not\":\"an entry\"}"] {
        body.extend_from_slice(line);
        body.push(b'\n');
    }
    let (status, bytes, _) =
        call(&s.router, "POST", "/v1/entries/batch", Some(&mediator), body).await;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&bytes));
    let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    let r = v["results"].as_array().unwrap();
    assert_eq!(r.len(), 4);
    assert_eq!(r[0]["index"], 0);
    assert_eq!(r[1]["index"], 1);
    assert_eq!(r[2]["status"], 409, "the replayed entry: {}", r[2]);
    assert_eq!(r[3]["status"], 422, "the garbage: {}", r[3]);
    // The observer may not post the mission key's entries, even in a batch.
    let third = sign(&mission, 3, mission_body("again")).unwrap();
    let (_, bytes, _) =
        call(&s.router, "POST", "/v1/entries/batch", Some(&observer_token), third).await;
    let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(v["results"][0]["status"], 403, "{v}");
    // Empty, and over the limit: refused whole.
    let (status, _, _) =
        call(&s.router, "POST", "/v1/entries/batch", Some(&mediator), b"\n".to_vec()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let many = b"{}\n".repeat(truce_server::MAX_BATCH + 1);
    let (status, _, _) = call(&s.router, "POST", "/v1/entries/batch", Some(&mediator), many).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    std::fs::remove_dir_all(&s.dir).ok();
}

/// Error pages say what happened and what to do in the reader's words: an unknown address is a 404
/// page (JSON under the API), a role refused is told which roles the page is for without naming an
/// internal endpoint, and an unreadable query is a page naming the parameter, not the framework's
/// plain-text rejection.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue12_error_pages_speak_to_people() {
    let s = server("errors", 4096).await;
    let html = |h: &axum::http::HeaderMap| {
        h.get("content-type").unwrap().to_str().unwrap().starts_with("text/html")
    };
    let (status, bytes, headers) = call(&s.router, "GET", "/ui/no-such-page", None, vec![]).await;
    let text = String::from_utf8(bytes).unwrap();
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html(&headers) && text.contains("There is nothing at this address"), "{text}");
    assert!(text.contains("href=\"/\""), "a way home: {text}");
    let (status, bytes, headers) = call(&s.router, "GET", "/v1/no-such-thing", None, vec![]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(!html(&headers));
    assert_eq!(serde_json::from_slice::<serde_json::Value>(&bytes).unwrap()["error"], "not found");
    let observer = s.token(Role::Observer);
    let (status, bytes, headers) =
        call(&s.router, "GET", "/ui/scenarios/ukraine-2025/analysis", Some(&observer), vec![])
            .await;
    let text = String::from_utf8(bytes).unwrap();
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(html(&headers), "{text}");
    assert!(
        text.contains("may not open this page") && text.contains("mediator, analyst"),
        "{text}"
    );
    assert!(!text.contains("AnalysisPage"), "an internal name leaked: {text}");
    let (status, bytes, _) = call(&s.router, "GET", "/v1/queue", Some(&observer), vec![]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(String::from_utf8_lossy(&bytes).contains("may not call GET /v1/queue"));
    let analyst = s.token(Role::Analyst);
    for query in ["confidential=yes", "from=31/12/2025"] {
        let path = format!("/ui/scenarios/ukraine-2025/timeline?{query}");
        let (status, bytes, headers) = call(&s.router, "GET", &path, Some(&analyst), vec![]).await;
        let text = String::from_utf8(bytes).unwrap();
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {text}");
        assert!(html(&headers) && text.contains("Correct what is named"), "{query}: {text}");
    }
    std::fs::remove_dir_all(&s.dir).ok();
}

/// The position form writes TOML from what a browser sends: a value carrying quotes, new lines and a
/// table header cannot add a table or change another field (every value is quoted; a date that is not
/// YYYY-MM-DD goes in as a string the parser refuses), and a refused form saves nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue12_the_position_form_cannot_inject_toml() {
    let s = server("inject", 4096).await;
    let analyst = s.token(Role::Analyst);
    let form = |pairs: &[(&str, &str)]| serde_urlencoded::to_string(pairs).unwrap().into_bytes();
    let post = |body: Vec<u8>| {
        let router = s.router.clone();
        let analyst = analyst.clone();
        async move {
            let req = Request::builder()
                .method("POST")
                .uri("/ui/scenarios/ukraine-2025/positions")
                .header("authorization", format!("Bearer {analyst}"))
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from(body))
                .unwrap();
            let res = router.oneshot(req).await.unwrap();
            let status = res.status();
            let bytes = axum::body::to_bytes(res.into_body(), usize::MAX).await.unwrap();
            (status, String::from_utf8_lossy(&bytes).into_owned())
        }
    };
    let good = [
        ("party", "RUS"),
        ("option", "nato.full_membership"),
        ("stance", "acceptable"),
        ("date", "2025-12-30"),
        ("date_precision", "day"),
        ("source", "avia_grushko"),
        ("quote", "a short quote"),
        ("quote_kind", "direct"),
        ("basis", "explicit"),
    ];
    let attacks: [(&str, &str); 4] = [
        ("party", "RUS\"\n[meta]\ntitle = \"owned"),
        ("quote", "x\"\nstance = \"red_line"),
        ("date", "2025-12-30\n[[parties]]\nid = \"X\"\nname = \"X\""),
        ("stance", "acceptable\"\n\n[[constraints]]\nid = \"c\""),
    ];
    for (field, value) in attacks {
        let pairs: Vec<(&str, &str)> =
            good.iter().map(|&(k, v)| if k == field { (k, value) } else { (k, v) }).collect();
        let (status, body) = post(form(&pairs)).await;
        if field == "quote" {
            // A quote may hold quotes and new lines: it is saved as the text it is, nothing more.
            assert_eq!(status, StatusCode::SEE_OTHER, "{field}: {body}");
            let v = s.store.scenario("ukraine-2025", None).await.unwrap();
            let (parsed, _) = truce_scenario::parse("x.toml", &v.text);
            let parsed = parsed.unwrap();
            let last = parsed.positions.last().unwrap();
            assert_eq!(
                (last.quote.as_str(), last.stance.to_string()),
                (value, "acceptable".into())
            );
        } else {
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {body}");
        }
    }
    // A correction names a position table by its line: one that is not there (line 0, past the end,
    // or a line inside another table) is refused with a way out, never a crash.
    for line in ["0", "4294967295", "3"] {
        let mut pairs: Vec<(&str, &str)> = good.to_vec();
        pairs.push(("line", line));
        let (status, body) = post(form(&pairs)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "line {line}: {body}");
        assert!(body.contains("no position table starts there"), "line {line}: {body}");
    }
    // Only the quote's version was saved.
    assert_eq!(s.store.scenario("ukraine-2025", None).await.unwrap().version, 2);
    std::fs::remove_dir_all(&s.dir).ok();
}
