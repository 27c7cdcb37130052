//! The observer app: a progressive web app for the field, served under `/field/`.
//!
//! - **Installable, offline.** A manifest and a service worker (`/field/sw.js`, scope `/field/`) that
//!   caches the app's shell (page, script, manifest, icon) and answers from the cache when the network
//!   is gone; it fetches afresh whenever it can, so the app updates itself.
//! - **The key stays on the device.** The observer imports, once and online, a key file sealed with a
//!   passphrase (`truce mission seal-key`): WebCrypto derives the AES key with PBKDF2, opens the seed
//!   and imports it as a **non-extractable** Ed25519 key kept in IndexedDB. The API token, the log's
//!   key, the media policy and the key's next sequence number are kept beside it.
//! - **Capture, sign, queue.** An observation is filled in on the device (time, position from the
//!   device or typed, class from the mission's vocabulary, count, bearing, distance, sensor, note,
//!   photos, video, sound), its files stripped of location metadata when the mission's policy says so
//!   **before** they are hashed (`assets/js/field-media.js`, by the allowlist the server checks), signed with the
//!   next sequence number, and queued in IndexedDB with its files. A file that cannot be stripped
//!   safely is refused on the device with the reason, and the observation is not recorded until the
//!   observer removes or replaces it.
//! - **Sync.** When the network is back (and at start, and on demand) the queue goes up in sequence
//!   order: each file (`PUT /v1/media/{sha256}`), then the entry. Its receipt (the index, then the
//!   inclusion proof and the checkpoint from `GET /v1/entries/N/proof`) is verified on the device (the
//!   RFC 9162 walk and the log's Ed25519 signature, against the log key fetched at import) and kept. A
//!   replayed sequence number is refused by the log, never stored twice, and the item shows it was
//!   already recorded; any other refusal shows the server's reason.
//!
//! The pages' rules hold: the shell's scripts are this server's own files (`/field/app.js`), values
//! from the server reach the page through `textContent` only, and the API is called with the token in
//! an `Authorization` header, never with a cookie.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use maud::{DOCTYPE, PreEscaped, html};

use crate::AppState;
use crate::script::{self, Sources};

type St = State<std::sync::Arc<AppState>>;

/// The shell's version: the service worker's cache is named after it, so a new version replaces it.
const VERSION: &str = "truce-field-2";

/// `GET /field/`: the app's shell, the same for everyone (the mission's vocabulary is public, in the
/// mission entry).
pub(crate) async fn shell(State(st): St, c: crate::Caller) -> Response {
    let w = c.lang.words();
    let (parties, classes) = crate::pages::mission_vocabulary(&st);
    let sensors = ["saw", "heard", "camera", "uav", "crater_analysis", "patrol"];
    // The reader's words for the options (their values stay the log's words) and the app's messages.
    let mut words = serde_json::Map::new();
    for (kind, ids) in
        [("class", classes.clone()), ("sensor", sensors.map(str::to_string).to_vec())]
    {
        for id in ids {
            words.insert(id.clone(), crate::pages::vocabulary(c.lang, kind, &id).into());
        }
    }
    words.insert("unknown".into(), w.get("observe-unknown").into());
    let messages: &[(&str, &str, &[&str])] = &[
        ("@online", "field-online", &[]),
        ("@offline", "field-offline", &[]),
        ("@importing", "field-js-importing", &[]),
        ("@refused-token", "field-js-refused-token", &["status"]),
        ("@not-your-key", "field-js-not-your-key", &["status"]),
        ("@not-imported", "field-js-not-imported", &["error"]),
        ("@no-position", "field-js-no-position", &[]),
        ("@no-position-error", "field-js-no-position-error", &["error"]),
        ("@bad-start", "field-js-bad-start", &[]),
        ("@signed-queued", "field-js-signed-queued", &["seq", "id"]),
        ("@not-recorded", "field-js-not-recorded", &["error"]),
        ("@already", "field-js-already", &["seq"]),
        (
            "@summary",
            "field-js-summary",
            &["total", "queued", "sent", "recorded", "duplicate", "refused"],
        ),
        ("@item", "field-js-item", &["seq", "summary"]),
        ("@files", "field-js-files", &["count"]),
        ("@waiting", "field-js-waiting", &[]),
        ("@sent", "field-js-sent", &["index"]),
        ("@recorded", "field-js-recorded", &["index", "size"]),
        ("@refused", "field-js-refused", &["reason"]),
        ("@signing-as", "field-js-signing-as", &["name", "key", "next"]),
    ];
    words.extend(script::templates(c.lang, messages));
    let data = serde_json::json!({
        "parties": parties,
        "classes": classes,
        "sensors": sensors,
        "words": words,
    });
    let mut sources = Sources::default();
    let page = html! {
        (DOCTYPE)
        html lang=(c.lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="theme-color" content="#1d3557";
                title { (w.get("field-title")) }
                link rel="manifest" href="/field/manifest.webmanifest";
                link rel="icon" href="/field/icon.svg";
                style { (PreEscaped(STYLE)) }
            }
            body {
                header { h1 { (w.get("field-title")) } p #net role="status" aria-live="polite" { "…" } }
                main {
                    section #setup hidden {
                        h2 { (w.get("field-setup")) }
                        p { (w.get("field-setup-intro")) " " code { "truce mission seal-key" } }
                        p { label for="token" { (w.get("field-token")) } input #token type="password" autocomplete="off"; }
                        p { label for="sealed" { (w.get("field-sealed")) } textarea #sealed rows="5" {} }
                        p { label for="sealed-file" { (w.get("field-sealed-file")) } input #sealed-file type="file"; }
                        p { label for="passphrase" { (w.get("field-passphrase")) } input #passphrase type="password" autocomplete="off"; }
                        p { button #import type="button" { (w.get("field-import")) } }
                    }
                    section #capture hidden {
                        h2 { (w.get("field-record")) }
                        p #who {}
                        form #observe {
                            fieldset {
                                legend { (w.get("field-when-where")) }
                                p { label for="start" { (w.get("field-start")) } input #start type="datetime-local" required; }
                                p { label for="minutes" { (w.get("field-minutes")) } input #minutes type="number" min="0" value="5" required; }
                                p { label for="lat" { (w.get("field-lat")) } input #lat type="number" step="0.000001" min="-90" max="90" required; }
                                p { label for="lon" { (w.get("field-lon")) } input #lon type="number" step="0.000001" min="-180" max="180" required; }
                                p { button #locate type="button" { (w.get("field-locate")) } }
                                p { label for="controlled_by" { (w.get("field-controlled-by")) } select #controlled_by {} }
                            }
                            fieldset {
                                legend { (w.get("field-what")) }
                                p { label for="class" { (w.get("field-class")) } select #class {} }
                                p { label for="sensor" { (w.get("field-sensor")) } select #sensor {} }
                                p { label for="count" { (w.get("field-count")) } input #count type="number" min="0" value="1" required; }
                                p { input #approximate type="checkbox"; " " label for="approximate" { (w.get("field-approximately")) } }
                                p { label for="bearing" { (w.get("field-bearing")) } input #bearing type="number" min="0" max="359"; }
                                p { label for="distance" { (w.get("field-distance")) } input #distance type="number" min="0"; }
                                p { label for="note" { (w.get("field-note")) } input #note; }
                                p { label for="photos" { (w.get("field-photos")) } input #photos type="file" multiple accept="image/*,video/*,audio/*"; }
                            }
                            p { button type="submit" { (w.get("field-sign")) } }
                        }
                        p #captured role="status" aria-live="polite" {}
                    }
                    section #queue-section hidden {
                        h2 { (w.get("field-queue")) }
                        p #summary role="status" aria-live="polite" {}
                        p { button #sync type="button" { (w.get("field-sync")) } }
                        ol #queue {}
                    }
                }
                (script::data_island("field-data", &data))
                (sources.file("/field/app.js"))
            }
        }
    };
    let mut response = (
        [(header::CONTENT_TYPE, "text/html; charset=utf-8"), (header::CACHE_CONTROL, "no-cache")],
        page.into_string(),
    )
        .into_response();
    response.extensions_mut().insert(sources);
    response
}

/// `GET /field/app.js`: the app: signing as the pages sign, proofs checked as the entry page checks
/// them, media prepared for the log, and the app itself.
pub(crate) async fn script() -> Response {
    let parts = [&script::SIGNING, &script::PROOF_CORE, &script::FIELD_MEDIA, &script::FIELD_APP];
    let js: Vec<&str> = parts.iter().map(|s| s.source()).collect();
    let js = js.join("\n");
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        js,
    )
        .into_response()
}

/// `GET /field/sw.js`: the service worker.
pub(crate) async fn worker() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
            (header::HeaderName::from_static("service-worker-allowed"), "/field/"),
        ],
        script::FIELD_WORKER.source().replace("TRUCE_FIELD_VERSION", VERSION),
    )
        .into_response()
}

/// `GET /field/manifest.webmanifest`.
pub(crate) async fn manifest() -> Response {
    let m = serde_json::json!({
        "name": "Truce field",
        "short_name": "Truce",
        "description": "Record observations offline, signed on this device, and sync them to the mission's log.",
        "start_url": "/field/",
        "scope": "/field/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#1d3557",
        "icons": [{"src": "/field/icon.svg", "sizes": "any", "type": "image/svg+xml", "purpose": "any"}],
    });
    ([(header::CONTENT_TYPE, "application/manifest+json")], m.to_string()).into_response()
}

/// `GET /field/icon.svg`.
pub(crate) async fn icon() -> Response {
    ([(header::CONTENT_TYPE, "image/svg+xml"), (header::CACHE_CONTROL, "max-age=86400")], ICON)
        .into_response()
}

const ICON: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 96 96"><rect width="96" height="96" rx="18" fill="#1d3557"/><path d="M20 52 L40 70 L76 28" fill="none" stroke="#f1faee" stroke-width="10" stroke-linecap="round" stroke-linejoin="round"/></svg>"##;

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:0;color:#111;background:#fff}\
header{background:#1d3557;color:#f1faee;padding:.5rem 1rem}header h1{margin:0;font-size:1.3rem}header p{margin:.2rem 0 0}\
main{padding:0 1rem 2rem;max-width:40rem}label{display:block;font-weight:600}input,select,textarea,button{font-size:1rem;max-width:100%;box-sizing:border-box}\
input:not([type=checkbox]),select,textarea{width:100%;padding:.4rem}button{padding:.6rem 1rem;margin:.2rem 0;background:#1d3557;color:#fff;border:0;border-radius:.3rem}\
label[for=approximate]{display:inline}button:focus,input:focus,select:focus,textarea:focus{outline:3px solid #e63946;outline-offset:2px}fieldset{border:1px solid #999;margin:.5rem 0}\
#queue li{margin:.3rem 0;padding:.3rem;border-left:4px solid #999}#queue li[data-state=recorded]{border-color:#2a9d8f}\
#queue li[data-state=refused]{border-color:#e63946}#queue li[data-state=duplicate]{border-color:#e9c46a}";
