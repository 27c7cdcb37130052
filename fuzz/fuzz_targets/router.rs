//! Drives the HTTP router with arbitrary methods, paths, headers and bodies, as every role and as the
//! public: no input panics, and no input gets a 500 (bad input is a 4xx, overload a 503).
//!
//! Input: one byte for the method, one for the caller (a role's token, none, or a forged one), then the
//! path up to the first newline, then `name: value` header lines up to an empty line, then the body.
#![no_main]

use std::sync::{Arc, OnceLock};

use axum::body::Body;
use axum::http::Request;
use tower::ServiceExt;
use truce_store::{Role, Store, token_hash};

struct Env {
    runtime: tokio::runtime::Runtime,
    router: axum::Router,
}

fn env() -> &'static Env {
    static ENV: OnceLock<Env> = OnceLock::new();
    ENV.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("a runtime");
        let dir = std::env::temp_dir().join(format!("truce-fuzz-router-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("a temporary directory");
        let router = runtime.block_on(async {
            let store =
                truce_store_sql::SqlStore::open_sqlite(&dir.join("truce.db")).await.expect("SQLite");
            for role in Role::ALL {
                let party = (role == Role::PartyDelegate).then_some("UKR");
                let user = store.create_user(role.as_str(), role, party).await.expect("a user");
                store.add_token(user.id, token_hash(role.as_str()), "fuzz").await.expect("a token");
            }
            let seed = include_str!("../../scenarios/ukraine-2025.toml");
            store.save_scenario("ukraine-2025", seed, 1, "").await.expect("the seed");
            let signer = truce_tlog::note::NoteSigner::generate(
                "fuzz.truce/log",
                truce_tlog::note::ED25519,
            )
            .expect("a key");
            let agreement = include_str!("../../accords/minsk-2015.toml");
            let watch = truce_server::Ledger::open(
                &dir.join("log"),
                signer,
                agreement,
                truce_server::default_sequencer(),
            )
            .expect("a log");
            let mut state = truce_server::AppState::new(store, Some(watch));
            state.deadline = std::time::Duration::from_secs(2);
            truce_server::router(Arc::new(state))
        });
        Env { runtime, router }
    })
}

const METHODS: [&str; 7] = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"];

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let [m, who, rest @ ..] = data else { return };
    let text = String::from_utf8_lossy(rest);
    let (path, rest) = text.split_once('\n').unwrap_or((&text, ""));
    let (head, body) = rest.split_once("\n\n").unwrap_or((rest, ""));
    let mut req = Request::builder().method(METHODS[usize::from(*m) % METHODS.len()]).uri(path);
    for line in head.lines() {
        if let Some((k, v)) = line.split_once(':') {
            req = req.header(k.trim(), v.trim());
        }
    }
    match usize::from(*who) % (Role::ALL.len() + 2) {
        n if n < Role::ALL.len() => {
            req = req.header("authorization", format!("Bearer {}", Role::ALL[n].as_str()));
        }
        n if n == Role::ALL.len() => req = req.header("authorization", "Bearer forged"),
        _ => {}
    }
    let Ok(req) = req.body(Body::from(body.as_bytes().to_vec())) else { return };
    let e = env();
    let response = e.runtime.block_on(e.router.clone().oneshot(req)).expect("infallible");
    assert!(
        response.status() != axum::http::StatusCode::INTERNAL_SERVER_ERROR,
        "500 for {:?}",
        String::from_utf8_lossy(data)
    );
});
