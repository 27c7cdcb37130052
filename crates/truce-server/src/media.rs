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
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use truce_store::Role;

use crate::api::answer::{Declared, File, media};
use crate::api::docs::{MediaPolicy, MediaReleased, MediaStored, MediaType};
use crate::{AppError, AppState, Caller};

media!(
    /// A file stored, or found stored already.
    StoredMedia, "Stored (201), or stored before (200)", 201;
    "application/json" => json MediaStored,
);

type St = State<std::sync::Arc<AppState>>;

/// Files larger than this are refused unless configured otherwise (25 MB: a phone's photo, a short
/// video).
pub const DEFAULT_MAX_BYTES: usize = 25 << 20;

/// Where media are kept, and the mission's rules for them.
#[derive(Clone)]
pub struct MediaStore {
    blobs: truce_tlog_shared::media::Blobs,
    /// The largest file accepted, in bytes.
    pub max_bytes: usize,
    /// Whether files must arrive without location metadata (the default).
    pub strip_location: bool,
    /// Uploads being received at once, in all and per caller: each holds up to `max_bytes` in memory,
    /// so they are bounded before a byte is read ([`UPLOADS_AT_ONCE`] and [`UPLOADS_PER_CALLER`] by
    /// default; 503 with `Retry-After` beyond).
    uploads: std::sync::Arc<crate::capacity::Budget>,
    /// How an upload's body must arrive.
    pub pace: Pace,
    /// The bytes one user may have uploaded in all ([`DEFAULT_QUOTA_BYTES`] by default).
    pub quota_bytes: u64,
    /// Held while a user's upload total is read and rewritten, so that concurrent uploads all count.
    usage_lock: std::sync::Arc<tokio::sync::Mutex<()>>,
}

impl std::fmt::Debug for MediaStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MediaStore")
            .field("max_bytes", &self.max_bytes)
            .field("strip_location", &self.strip_location)
            .field("pace", &self.pace)
            .field("quota_bytes", &self.quota_bytes)
            .finish_non_exhaustive()
    }
}

/// How an upload's body must arrive, so that a slow or stalled sender cannot hold a slot: no pause
/// longer than `idle`, and after `grace`, at least `min_rate` bytes a second on average since then.
#[derive(Debug, Clone, Copy)]
pub struct Pace {
    /// The longest pause between two parts of the body.
    pub idle: std::time::Duration,
    /// How long before the rate is held to `min_rate`.
    pub grace: std::time::Duration,
    /// The slowest average rate accepted after `grace`, in bytes a second.
    pub min_rate: u64,
}

impl Default for Pace {
    /// 15 s of silence at most; 16 KiB/s on average after the first 10 s (a 25 MB video on a poor
    /// mobile link takes about half a minute; at this rate, 27 minutes).
    fn default() -> Pace {
        Pace {
            idle: std::time::Duration::from_secs(15),
            grace: std::time::Duration::from_secs(10),
            min_rate: 16 << 10,
        }
    }
}

/// How many uploads a server receives at once by default.
pub const UPLOADS_AT_ONCE: usize = 4;
/// How many of them one caller may send at once by default.
pub const UPLOADS_PER_CALLER: usize = 2;
/// The bytes one user may upload in all, by default (2 GiB: a mission's worth of a phone's photos).
pub const DEFAULT_QUOTA_BYTES: u64 = 2 << 30;

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

/// Failures of the media store, since the process started (the metric `truce_media_store_errors_total`).
pub static STORE_ERRORS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

fn storage_error(e: truce_tlog::Error) -> AppError {
    STORE_ERRORS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    tracing::warn!(error = %e, "the media store failed");
    AppError::Unavailable(format!("the media store failed ({e}); try again"))
}

impl MediaStore {
    /// The store at `url` (`file:///dir` or `s3://bucket/prefix`).
    pub fn open(url: &str, max_bytes: usize, strip_location: bool) -> Result<MediaStore, String> {
        let blobs = truce_tlog_shared::media::Blobs::open(url).map_err(|e| e.to_string())?;
        Ok(MediaStore {
            blobs,
            max_bytes,
            strip_location,
            uploads: std::sync::Arc::new(uploads_budget(UPLOADS_AT_ONCE, UPLOADS_PER_CALLER)),
            pace: Pace::default(),
            quota_bytes: DEFAULT_QUOTA_BYTES,
            usage_lock: std::sync::Arc::new(tokio::sync::Mutex::new(())),
        })
    }

    /// This store receiving at most `n` uploads at once, and `per_caller` from one caller.
    pub fn with_uploads_at_once(mut self, n: usize, per_caller: usize) -> MediaStore {
        self.uploads = std::sync::Arc::new(uploads_budget(n, per_caller));
        self
    }

    /// Adds `bytes` (negative: gives them back) to user `id`'s upload total; with `check`, refuses
    /// (413) a total over the quota.
    async fn count(&self, id: i64, bytes: i64, check: bool) -> Result<(), AppError> {
        let _counting = self.usage_lock.lock().await;
        let used = self.usage(id).await?;
        let total = used.saturating_add_signed(bytes);
        if check && total > self.quota_bytes {
            return Err(quota_error(used, self.quota_bytes));
        }
        self.blobs.put(&usage_name(id), total.to_string().into_bytes()).await.map_err(storage_error)
    }

    /// The bytes user `id` has uploaded, as recorded.
    async fn usage(&self, id: i64) -> Result<u64, AppError> {
        let Some(bytes) = self.blobs.get(&usage_name(id)).await.map_err(storage_error)? else {
            return Ok(0);
        };
        Ok(std::str::from_utf8(&bytes).ok().and_then(|s| s.trim().parse().ok()).unwrap_or(0))
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

fn uploads_budget(n: usize, per_caller: usize) -> crate::capacity::Budget {
    crate::capacity::Budget::new("uploads", n, per_caller)
}

/// Where a user's upload total is kept, beside the files (shared by every server that shares them).
fn usage_name(id: i64) -> String {
    format!("usage/{id}")
}

/// What a paced body is, for its refusals: an upload's file, or any other request's body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BodyKind {
    /// A media file.
    File,
    /// A request's body.
    Request,
}

/// Reads a body within `max` bytes and at the [`Pace`]: too large is 413, too slow or stalled is 408
/// (an upload's slot is freed either way). Every request's body is read so (`routes`).
pub(crate) async fn read_paced(
    body: axum::body::Body,
    max: usize,
    pace: Pace,
    kind: BodyKind,
) -> Result<Vec<u8>, AppError> {
    use http_body_util::BodyExt;
    let (what, limit, again) = match kind {
        BodyKind::File => ("the upload", "this mission's limit", "send the file again"),
        BodyKind::Request => ("the request", "this server's limit", "send it again"),
    };
    let mut body = body;
    let mut out = Vec::new();
    let started = std::time::Instant::now();
    loop {
        let frame = match tokio::time::timeout(pace.idle, body.frame()).await {
            Err(_) => {
                return Err(AppError::Timeout(format!(
                    "{what} paused for more than {} s after {} bytes; {again} on a steadier connection",
                    pace.idle.as_secs(),
                    out.len()
                )));
            }
            Ok(None) => return Ok(out),
            Ok(Some(Err(_))) => {
                return Err(AppError::TooLarge(format!(
                    "{what} is over {limit} of {max} bytes (or it was cut off)"
                )));
            }
            Ok(Some(Ok(frame))) => frame,
        };
        if let Ok(data) = frame.into_data() {
            if out.len() + data.len() > max {
                return Err(AppError::TooLarge(format!("{what} is over {limit} of {max} bytes")));
            }
            out.extend_from_slice(&data);
        }
        let elapsed = started.elapsed();
        if let Some(after) = elapsed.checked_sub(pace.grace)
            && (out.len() as u128) < u128::from(pace.min_rate) * after.as_millis() / 1000
        {
            return Err(AppError::Timeout(format!(
                "{what} is too slow: {} bytes in {} s, and this server needs at least {} bytes a second; {again} on a better connection",
                out.len(),
                elapsed.as_secs(),
                pace.min_rate
            )));
        }
    }
}

fn media(st: &AppState) -> Result<&MediaStore, AppError> {
    st.media.as_ref().ok_or_else(|| {
        AppError::Missing(
            "this server keeps no media: its operator has not configured a media store".into(),
        )
    })
}

/// `PUT /v1/media/{sha256}`.
pub(crate) async fn upload(
    State(st): St,
    caller: Caller,
    Path(sha256): Path<String>,
    headers: HeaderMap,
    body: axum::body::Body,
) -> Result<Declared<StoredMedia>, AppError> {
    let store = media(&st)?;
    let name = hash_name(&sha256)?;
    let uploader = caller.id();
    // A slot first (one of a few, and of fewer per caller), then the body at a steady pace: a flood of
    // slow or large uploads cannot hold the server's memory nor keep others from sending.
    let _slot = store.uploads.try_take(uploader).map_err(|e| match e {
        AppError::Unavailable(m) => {
            AppError::Unavailable(format!("{m}: send this file again in a moment"))
        }
        other => other,
    })?;
    // A file that would take its uploader past the quota is refused before it is read.
    let used = store.usage(uploader).await?;
    let announced = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or(0);
    if used.saturating_add(announced) > store.quota_bytes {
        return Err(quota_error(used, store.quota_bytes));
    }
    let body: Bytes =
        Bytes::from(read_paced(body, store.max_bytes, store.pace, BodyKind::File).await?);
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
    // Hashing and checking 25 MB take a tenth of a second or more: off the async workers.
    let (strip, expected, kind, data) =
        (store.strip_location, name.clone(), content_type.clone(), body.clone());
    tokio::task::spawn_blocking(move || -> Result<(), AppError> {
        let actual = Sha256::digest(&data).iter().map(|b| format!("{b:02x}")).collect::<String>();
        if actual != expected {
            return Err(AppError::Invalid(vec![format!(
                "the file's SHA-256 is {actual}, not {expected}: it was changed after it was hashed, or the wrong file was sent"
            )]));
        }
        if strip && let Err(found) = truce_watch::media::check_stripped(&kind, &data) {
            return Err(AppError::Invalid(vec![format!(
                "this mission takes only files whose every part is known to carry no location, and this one has {found}; remove it on the device (the observer app does), hash again, and send that file"
            )]));
        }
        Ok(())
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))??;
    if store.record(&name).await?.is_some() {
        let doc = MediaStored { sha256: name, bytes: body.len() as u64, stored: "already".into() };
        return Ok(Declared::new((axum::http::StatusCode::OK, axum::Json(doc))));
    }
    let record = Record {
        content_type,
        bytes: body.len() as u64,
        uploaded_by: caller_name(&caller),
        uploaded_at: jiff::Timestamp::now().as_second(),
        released_by: None,
    };
    // The file's bytes are counted before it is stored (read, checked and rewritten under one lock, so
    // that concurrent uploads all count), and given back if storing fails.
    store.count(uploader, record.bytes as i64, true).await?;
    let stored = async {
        store.blobs.put(&name, body.to_vec()).await.map_err(storage_error)?;
        store.save(&name, &record).await
    }
    .await;
    if let Err(e) = stored {
        let _ = store.count(uploader, -(record.bytes as i64), false).await;
        return Err(e);
    }
    let doc = MediaStored { sha256: name, bytes: record.bytes, stored: "new".into() };
    Ok(Declared::new((axum::http::StatusCode::CREATED, axum::Json(doc))))
}

fn quota_error(used: u64, quota: u64) -> AppError {
    AppError::TooLarge(format!(
        "you have uploaded {used} bytes, and this mission allows each user {quota}; a mediator can raise media_quota_bytes"
    ))
}

/// `GET /v1/media/{sha256}`.
pub(crate) async fn fetch(
    State(st): St,
    caller: Caller,
    Path(sha256): Path<String>,
) -> Result<Declared<File>, AppError> {
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
    Ok(Declared::new((
        [
            (header::CONTENT_TYPE, record.content_type.clone()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
            (header::CACHE_CONTROL, cache.to_string()),
            (header::HeaderName::from_static("x-content-sha256"), name),
        ],
        data,
    )))
}

/// `POST /v1/media/{sha256}/release`.
pub(crate) async fn release(
    State(st): St,
    caller: Caller,
    Path(sha256): Path<String>,
) -> Result<axum::Json<MediaReleased>, AppError> {
    let store = media(&st)?;
    let name = hash_name(&sha256)?;
    let mut record = store.uploaded(&name).await?;
    if record.released_by.is_none() {
        record.released_by = Some(caller_name(&caller));
        store.save(&name, &record).await?;
    }
    Ok(axum::Json(MediaReleased { sha256: name, released_by: record.released_by }))
}

/// `GET /v1/media`: the mission's media policy.
pub(crate) async fn policy(State(st): St) -> Result<axum::Json<MediaPolicy>, AppError> {
    let store = media(&st)?;
    Ok(axum::Json(MediaPolicy {
        location: if store.strip_location { "strip" } else { "keep" }.into(),
        max_bytes: store.max_bytes as u64,
        accepted: truce_watch::media::ACCEPTED
            .iter()
            .map(|(t, k)| MediaType { kind: t.to_string(), class: k.to_string() })
            .collect(),
    }))
}
