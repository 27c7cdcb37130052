//! Writes that reach a follower: forwarded to the writer, so that clients never need to know which
//! server writes the log (issue 24).
//!
//! A follower that receives `POST /v1/entries` or `/v1/entries/batch` authorises the caller as usual,
//! then sends the same body to the server that holds the sequencing lease and returns its answer. It
//! never forwards the caller's token, session or CSRF token: the lease's holder name is a row in
//! PostgreSQL, and whoever can write that row could otherwise collect them. It sends instead a
//! credential only the servers of this log can make ([`HEADER`]: the caller's user id and the time,
//! under an HMAC whose key is derived from the log's private key, which every server of the log holds
//! and PostgreSQL does not), valid for [`CREDENTIAL_LIFE`] and only on the two entry endpoints. Such
//! a credential lets its holder submit entries as that user for a minute, and entries still need a
//! key that user holds: an intercepted one can only submit again what it came with, which the log's
//! sequence numbers refuse.
//!
//! The wait is bounded ([`FORWARD_WAIT`]): while no server writes (a failover under way) or the writer
//! named cannot be reached, the follower tries again every 100 ms, or writes itself as soon as it
//! holds the lease. A request whose answer was lost once sent (the writer died on it) is not sent
//! again: it may be on the log, and the client is told to check its key's next sequence number. But
//! when the lease moves while an answer is awaited (the writer paused or cut off past its lease), the
//! request goes where the lease is now: the old writer's fencing token is stale, so it can journal
//! nothing more. If it journaled this entry before it lost the lease, the new writer has it from the
//! journal and refuses the second copy as a replay (409): the entry is then on the log once.

use std::time::{Duration, Instant};

use axum::http::HeaderMap;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use crate::AppError;

/// The header that carries a forwarded request's credential.
pub const HEADER: &str = "x-truce-forward";

/// How long a forwarding credential is accepted, either side of the writer's clock (servers' clocks may
/// disagree by tens of seconds).
pub const CREDENTIAL_LIFE: Duration = Duration::from_secs(120);

/// How long a follower keeps trying to hand a write on before it answers 503, by default
/// (`AppState::forward_wait`).
pub const FORWARD_WAIT: Duration = Duration::from_secs(10);

/// The key of the forwarding credentials, derived from the log's private key.
pub fn key(ledger: &crate::Ledger) -> [u8; 32] {
    ledger.derived_key("forwarding credential")
}

fn mac(key: &[u8; 32], user: i64, at: i64) -> Hmac<Sha256> {
    // HMAC takes a key of any length, so this cannot fail.
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(key).expect("any key length");
    mac.update(format!("truce-forward/v1\n{user}\n{at}\n").as_bytes());
    mac
}

/// A credential for `user`, made at `now` (Unix seconds): `user.at.mac`.
pub fn credential(key: &[u8; 32], user: i64, now: i64) -> String {
    let tag = mac(key, user, now).finalize().into_bytes();
    let hex: String = tag.iter().map(|b| format!("{b:02x}")).collect();
    format!("{user}.{now}.{hex}")
}

/// The user a credential names, if it is genuine and fresh at `now`.
pub fn check(key: &[u8; 32], value: &str, now: i64) -> Result<i64, AppError> {
    let refuse = || AppError::Forbidden("a forwarded request whose credential is not valid".into());
    let mut parts = value.split('.');
    let (Some(user), Some(at), Some(tag), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(refuse());
    };
    let (user, at): (i64, i64) =
        (user.parse().map_err(|_| refuse())?, at.parse().map_err(|_| refuse())?);
    if tag.len() != 64 || !tag.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(refuse());
    }
    let bytes: Vec<u8> = (0..32)
        .map(|i| u8::from_str_radix(&tag[2 * i..2 * i + 2], 16).unwrap_or_default())
        .collect();
    mac(key, user, at).verify_slice(&bytes).map_err(|_| refuse())?;
    if (now - at).unsigned_abs() > CREDENTIAL_LIFE.as_secs() {
        return Err(refuse());
    }
    Ok(user)
}

/// What the writer answered: its status and body.
pub struct Answer {
    /// The HTTP status.
    pub status: u16,
    /// The body.
    pub body: Vec<u8>,
}

/// Sends `body` to `path` on `writer` with `credential`, within `deadline`; `Ok(None)` when the writer
/// could not be reached (nothing was sent: try again), `Err` when it was sent and no answer came.
fn send(
    writer: &str,
    path: &str,
    credential: &str,
    content_type: Option<&str>,
    body: &[u8],
    deadline: Instant,
) -> Result<Option<Answer>, AppError> {
    let left = deadline.saturating_duration_since(Instant::now()).max(Duration::from_millis(100));
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(left))
        .timeout_connect(Some(Duration::from_millis(500).min(left)))
        .build()
        .into();
    let mut request =
        agent.post(format!("{}{path}", writer.trim_end_matches('/'))).header(HEADER, credential);
    if let Some(t) = content_type {
        request = request.header("content-type", t);
    }
    match request.send(body) {
        Ok(mut r) => {
            let status = r.status().as_u16();
            let body = r
                .body_mut()
                .with_config()
                .limit(16 << 20)
                .read_to_vec()
                .map_err(|e| unanswered(writer, &e.to_string()))?;
            Ok(Some(Answer { status, body }))
        }
        Err(ureq::Error::ConnectionFailed | ureq::Error::HostNotFound) => Ok(None),
        Err(ureq::Error::Io(e)) if never_sent(&e) => Ok(None),
        Err(e) => Err(unanswered(writer, &e.to_string())),
    }
}

/// Whether an I/O error came before anything was sent: no address for the name, or no connection.
fn never_sent(e: &std::io::Error) -> bool {
    use std::io::ErrorKind::*;
    matches!(e.kind(), ConnectionRefused | NotFound | AddrNotAvailable | HostUnreachable | NetworkUnreachable)
        // Name resolution fails with an uncategorised error.
        || e.to_string().contains("lookup address")
}

fn unanswered(writer: &str, why: &str) -> AppError {
    AppError::Unavailable(format!(
        "the log's writer ({writer}) did not answer ({why}); the entries may be on the log: ask GET /v1/keys/{{key}}/sequence for the next sequence number before sending them again"
    ))
}

/// What a follower does with an entry request: `Ok(None)` when this server writes the log now (it
/// handles the request itself), `Ok(Some(answer))` with the writer's answer, or the error to give.
pub async fn forward(
    ledger: &std::sync::Arc<crate::Ledger>,
    headers: &HeaderMap,
    user: i64,
    path: &'static str,
    body: axum::body::Bytes,
    wait: Duration,
) -> Result<Option<Answer>, AppError> {
    if ledger.is_writer() {
        return Ok(None);
    }
    // A request forwarded once is never forwarded again (two servers that each think the other
    // writes would otherwise pass it back and forth).
    if headers.contains_key(HEADER) {
        return Err(AppError::Unavailable(
            "this server does not write the log either; retry in a few seconds".into(),
        ));
    }
    let key = key(ledger);
    let content_type =
        headers.get("content-type").and_then(|v| v.to_str().ok()).map(str::to_string);
    let deadline = Instant::now() + wait;
    loop {
        if ledger.is_writer() {
            return Ok(None);
        }
        if let Some(writer) = ledger.writer().filter(|w| Some(w.as_str()) != ledger.name()) {
            let credential = credential(&key, user, jiff::Timestamp::now().as_second());
            let (to, content_type, body) = (writer.clone(), content_type.clone(), body.clone());
            let mut sending = tokio::task::spawn_blocking(move || {
                send(&to, path, &credential, content_type.as_deref(), &body, deadline)
            });
            // While the answer is awaited, the lease may move (the writer paused or cut off past its
            // lease): the writer asked can then no longer journal anything (its fencing token is
            // stale), so the request goes where the lease is now instead of waiting for an answer
            // that can only be a refusal.
            let outcome = loop {
                tokio::select! {
                    sent = &mut sending => {
                        break Some(sent.map_err(|e| AppError::Internal(format!("forwarding: {e}")))?);
                    }
                    () = tokio::time::sleep(Duration::from_millis(100)) => {
                        if ledger.is_writer() || ledger.writer().as_deref() != Some(writer.as_str()) {
                            break None;
                        }
                    }
                }
            };
            match outcome {
                Some(Ok(Some(answer))) => return Ok(Some(answer)),
                Some(Err(e)) => return Err(e),
                Some(Ok(None)) => {} // Not sent: try again below.
                None => continue,    // The lease moved: ask where it is now.
            }
        }
        if Instant::now() >= deadline {
            return Err(AppError::Unavailable(match ledger.writer() {
                Some(w) => format!(
                    "this server does not write the log, and the writer {w} could not be reached within {} s; retry in a few seconds",
                    wait.as_secs_f32()
                ),
                None => format!(
                    "no server wrote the log within {} s (a failover under way, or the database unreachable); retry in a few seconds",
                    wait.as_secs_f32()
                ),
            }));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The writer's answer as this server gives it: its document when it has status `ok`, its refusal
/// otherwise.
pub fn accepted<T: serde::de::DeserializeOwned>(answer: &Answer, ok: u16) -> Result<T, AppError> {
    if answer.status != ok {
        return Err(refusal(answer));
    }
    serde_json::from_slice(&answer.body)
        .map_err(|e| AppError::Internal(format!("the writer's answer: {e}")))
}

/// A refusal the writer gave, as this server gives it.
fn refusal(answer: &Answer) -> AppError {
    let doc: Option<crate::api::answer::ErrorDoc> = serde_json::from_slice(&answer.body).ok();
    let message =
        doc.as_ref().map_or_else(|| "the log's writer refused".to_string(), |d| d.error.clone());
    match answer.status {
        401 => AppError::Unauthorized,
        403 => AppError::Forbidden(message),
        404 => AppError::Missing(message),
        409 => AppError::Conflict(message),
        413 => AppError::TooLarge(message),
        408 => AppError::Timeout(message),
        422 => AppError::Invalid(doc.and_then(|d| d.diagnostics).unwrap_or(vec![message])),
        503 => AppError::Unavailable(message),
        _ => AppError::Internal(format!("the writer answered {}: {message}", answer.status)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A credential is accepted only as made: by the log's key, for its user, while fresh.
    #[test]
    fn a_credential_is_accepted_only_as_made() {
        let (key, other) = ([7u8; 32], [8u8; 32]);
        let now = 1_800_000_000;
        let c = credential(&key, 42, now);
        assert_eq!(check(&key, &c, now).unwrap(), 42);
        assert_eq!(check(&key, &c, now + 119).unwrap(), 42, "clocks that disagree");
        assert!(check(&key, &c, now + 121).is_err(), "stale");
        assert!(check(&key, &c, now - 121).is_err(), "from the future");
        assert!(check(&other, &c, now).is_err(), "another log's key");
        let forged = c.replacen("42.", "1.", 1);
        assert!(check(&key, &forged, now).is_err(), "another user");
        let later = c.replacen(&now.to_string(), &(now + 60).to_string(), 1);
        assert!(check(&key, &later, now).is_err(), "another time");
        for bad in ["", "42", "42.1", "42.1.zz", &format!("{c}.x"), "a.b.c"] {
            assert!(check(&key, bad, now).is_err(), "{bad:?}");
        }
    }
}
