//! The files behind observations: photos, video and sound, content-addressed in a blob store (a
//! directory by default, an S3-compatible bucket at scale: `media_url`).
//!
//! - `PUT /v1/media/{sha256}` stores a file under its SHA-256 (the observation entry names it by that
//!   hash and its size). The server hashes what it receives and refuses a mismatch; it refuses a type
//!   outside [`truce_watch::media::ACCEPTED`], a file over `media_max_bytes` (413), and, when the
//!   mission's policy is to strip location metadata (the default), a file that still carries it: the
//!   device must strip it before hashing, since stripping afterwards would break the hash. Uploading the
//!   same file again changes nothing.
//! - `GET /v1/media/{sha256}`: verifiers and mediators always; the observer who uploaded it; everyone
//!   else once a mediator has released it (`POST /v1/media/{sha256}/release`). Served as an attachment
//!   with `nosniff`, never rendered as a page of this site.
//! - `GET /v1/media`: the policy (location, size limit, types), for the observer app.
//!
//! Each file `H` is stored as `H`, with its record (type, size, uploader, time, release) as `H.json`
//! written after it: a record always names a stored file.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::{Digest, Sha256};
use truce_store::{Role, Store};

use crate::{AppError, AppState, Caller};

type St<S> = State<std::sync::Arc<AppState<S>>>;

/// Files larger than this are refused unless configured otherwise (25 MB: a phone's photo, a short
/// video).
pub const DEFAULT_MAX_BYTES: usize = 25 << 20;

/// Where media are kept, and the mission's rules for them.
#[derive(Clone, Debug)]
pub struct MediaStore {
    blobs: truce_tlog_shared::Blobs,
    /// The largest file accepted, in bytes.
    pub max_bytes: usize,
    /// Whether files must arrive without location metadata (the default).
    pub strip_location: bool,
    /// Uploads being received at once: each holds up to `max_bytes` in memory, so they are bounded
    /// before a byte is read ([`UPLOADS_AT_ONCE`] by default; 503 with `Retry-After` beyond).
    uploads: std::sync::Arc<tokio::sync::Semaphore>,
    uploads_at_once: usize,
}

/// How many uploads a server receives at once by default.
pub const UPLOADS_AT_ONCE: usize = 4;

/// What is known of a stored file.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Record {
    content_type: String,
    bytes: u64,
    uploaded_by: String,
    uploaded_at: i64,
    released_by: Option<String>,
}

fn hash_name(sha256: &str) -> Result<String, AppError> {
    let lower = sha256.to_ascii_lowercase();
    if lower.len() != 64 || !lower.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(AppError::Invalid(vec![format!(
            "{sha256:?} is not a SHA-256: expected 64 hex digits, the hash the observation names"
        )]));
    }
    Ok(lower)
}

fn caller_name(caller: &Caller) -> String {
    caller.user.as_ref().map_or_else(String::new, |u| u.name.clone())
}

fn storage_error(e: truce_tlog::Error) -> AppError {
    AppError::Unavailable(format!("the media store failed ({e}); try again"))
}

impl MediaStore {
    /// The store at `url` (`file:///dir` or `s3://bucket/prefix`).
    pub fn open(url: &str, max_bytes: usize, strip_location: bool) -> Result<MediaStore, String> {
        let blobs = truce_tlog_shared::Blobs::open(url).map_err(|e| e.to_string())?;
        Ok(MediaStore {
            blobs,
            max_bytes,
            strip_location,
            uploads: std::sync::Arc::new(tokio::sync::Semaphore::new(UPLOADS_AT_ONCE)),
            uploads_at_once: UPLOADS_AT_ONCE,
        })
    }

    /// This store receiving at most `n` uploads at once.
    pub fn with_uploads_at_once(mut self, n: usize) -> MediaStore {
        self.uploads = std::sync::Arc::new(tokio::sync::Semaphore::new(n.max(1)));
        self.uploads_at_once = n.max(1);
        self
    }

    /// The record of an uploaded file, or 404 saying none was.
    async fn uploaded(&self, name: &str) -> Result<Record, AppError> {
        self.record(name).await?.ok_or_else(|| {
            AppError::Missing(format!("no file with SHA-256 {name} has been uploaded"))
        })
    }

    /// Writes the record of file `name`.
    async fn save(&self, name: &str, record: &Record) -> Result<(), AppError> {
        let text = serde_json::to_vec(record).map_err(|e| AppError::Internal(e.to_string()))?;
        self.blobs.put(&format!("{name}.json"), text).await.map_err(storage_error)
    }

    async fn record(&self, name: &str) -> Result<Option<Record>, AppError> {
        let Some(bytes) = self.blobs.get(&format!("{name}.json")).await.map_err(storage_error)?
        else {
            return Ok(None);
        };
        serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|e| AppError::Internal(format!("media record {name}: {e}")))
    }
}

fn media<S: Store>(st: &AppState<S>) -> Result<&MediaStore, AppError> {
    st.media.as_ref().ok_or_else(|| {
        AppError::Missing(
            "this server keeps no media: its operator has not configured a media store".into(),
        )
    })
}

/// `PUT /v1/media/{sha256}`.
pub(crate) async fn upload<S: Store>(
    State(st): St<S>,
    caller: Caller,
    Path(sha256): Path<String>,
    headers: HeaderMap,
    body: axum::body::Body,
) -> Result<Response, AppError> {
    let store = media(&st)?;
    let name = hash_name(&sha256)?;
    // A slot first, then the body: a flood of slow or large uploads cannot hold the server's memory.
    let _slot = store.uploads.clone().try_acquire_owned().map_err(|_| {
        AppError::Unavailable(format!(
            "this server is receiving {} files already; send this one again in a moment",
            store.uploads_at_once
        ))
    })?;
    let body: Bytes = axum::body::to_bytes(body, store.max_bytes).await.map_err(|_| {
        AppError::TooLarge(format!(
            "the file is over this mission's limit of {} bytes (or the upload was cut off)",
            store.max_bytes
        ))
    })?;
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or_default().trim().to_ascii_lowercase())
        .unwrap_or_default();
    if !truce_watch::media::ACCEPTED.iter().any(|(t, _)| *t == content_type) {
        let kinds: Vec<String> =
            truce_watch::media::ACCEPTED.iter().map(|(t, k)| format!("{k} ({t})")).collect();
        return Err(AppError::Invalid(vec![format!(
            "Content-Type {content_type:?} is not accepted; send one of: {}",
            kinds.join(", ")
        )]));
    }
    if body.len() > store.max_bytes {
        return Err(AppError::Invalid(vec![format!(
            "the file has {} bytes, over this mission's limit of {}",
            body.len(),
            store.max_bytes
        )]));
    }
    let actual = Sha256::digest(&body).iter().map(|b| format!("{b:02x}")).collect::<String>();
    if actual != name {
        return Err(AppError::Invalid(vec![format!(
            "the file's SHA-256 is {actual}, not {name}: it was changed after it was hashed, or the wrong file was sent"
        )]));
    }
    if store.strip_location
        && let Err(found) = truce_watch::media::check_stripped(&content_type, &body)
    {
        return Err(AppError::Invalid(vec![format!(
            "this mission takes only files whose every part is known to carry no location, and this one has {found}; remove it on the device (the observer app does), hash again, and send that file"
        )]));
    }
    if store.record(&name).await?.is_some() {
        return Ok((
            axum::http::StatusCode::OK,
            axum::Json(json!({"sha256": name, "bytes": body.len(), "stored": "already"})),
        )
            .into_response());
    }
    let record = Record {
        content_type,
        bytes: body.len() as u64,
        uploaded_by: caller_name(&caller),
        uploaded_at: jiff::Timestamp::now().as_second(),
        released_by: None,
    };
    store.blobs.put(&name, body.to_vec()).await.map_err(storage_error)?;
    store.save(&name, &record).await?;
    Ok((
        axum::http::StatusCode::CREATED,
        axum::Json(json!({"sha256": name, "bytes": record.bytes, "stored": "new"})),
    )
        .into_response())
}

/// `GET /v1/media/{sha256}`.
pub(crate) async fn fetch<S: Store>(
    State(st): St<S>,
    caller: Caller,
    Path(sha256): Path<String>,
) -> Result<Response, AppError> {
    let store = media(&st)?;
    let name = hash_name(&sha256)?;
    let record = store.uploaded(&name).await?;
    let user = caller.user.as_ref();
    let role = user.map_or(Role::Public, |u| u.role);
    let uploader = user.is_some_and(|u| u.name == record.uploaded_by);
    let privileged = matches!(role, Role::Mediator | Role::Verifier) || uploader;
    if !privileged && record.released_by.is_none() {
        return Err(AppError::Forbidden(
            "this file is shown to verifiers and mediators until a mediator releases it".into(),
        ));
    }
    let data = store
        .blobs
        .get(&name)
        .await
        .map_err(storage_error)?
        .ok_or_else(|| AppError::Internal(format!("media {name} has a record but no file")))?;
    let cache = if record.released_by.is_some() {
        "public, max-age=31536000, immutable"
    } else {
        "private, no-store"
    };
    Ok((
        [
            (header::CONTENT_TYPE, record.content_type.clone()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
            (header::CACHE_CONTROL, cache.to_string()),
            (header::HeaderName::from_static("x-content-sha256"), name),
        ],
        data,
    )
        .into_response())
}

/// `POST /v1/media/{sha256}/release`.
pub(crate) async fn release<S: Store>(
    State(st): St<S>,
    caller: Caller,
    Path(sha256): Path<String>,
) -> Result<Response, AppError> {
    let store = media(&st)?;
    let name = hash_name(&sha256)?;
    let mut record = store.uploaded(&name).await?;
    if record.released_by.is_none() {
        record.released_by = Some(caller_name(&caller));
        store.save(&name, &record).await?;
    }
    Ok(axum::Json(json!({"sha256": name, "released_by": record.released_by})).into_response())
}

/// `GET /v1/media`: the mission's media policy.
pub(crate) async fn policy<S: Store>(State(st): St<S>) -> Result<Response, AppError> {
    let store = media(&st)?;
    Ok(axum::Json(json!({
        "location": if store.strip_location { "strip" } else { "keep" },
        "max_bytes": store.max_bytes,
        "accepted": truce_watch::media::ACCEPTED.iter().map(|(t, k)| json!({"type": t, "kind": k})).collect::<Vec<_>>(),
    }))
    .into_response())
}
