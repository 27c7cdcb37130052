//! The request log: one `tracing` span per request, with a request id that every line logged while
//! the request is served carries, and that the response returns in `X-Request-Id` (so that a user's
//! report of an error finds its lines).
//!
//! What is logged of a request: its method, its path without the query string, the caller's user id
//! and role once authorised, the status and how long it took. Never a header, a query string or a
//! body: tokens, session ids, CSRF tokens, confidential preferences and entries' contents stay out of
//! the log (`the_logs_of_a_submission_hold_no_secret`).

use axum::extract::Request;
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use tracing::Instrument;

/// The response header that names the request's id.
pub const REQUEST_ID: &str = "x-request-id";

/// A fresh request id: 64 random bits in hex.
fn request_id() -> String {
    let mut bytes = [0u8; 8];
    // A request id is for finding log lines; a clock-derived one would do if randomness failed.
    if getrandom::fill(&mut bytes).is_err() {
        bytes = jiff::Timestamp::now().as_nanosecond().to_le_bytes()[..8]
            .try_into()
            .unwrap_or_default();
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The layer: a span per request, its outcome logged when it is answered.
pub(crate) async fn layer(request: Request, next: Next) -> Response {
    let id = request_id();
    let span = tracing::info_span!(
        "request",
        id = %id,
        method = %request.method(),
        path = %request.uri().path(),
        user = tracing::field::Empty,
        role = tracing::field::Empty,
    );
    let started = std::time::Instant::now();
    let mut response = next.run(request).instrument(span.clone()).await;
    let status = response.status().as_u16();
    let millis = started.elapsed().as_millis() as u64;
    span.in_scope(|| {
        if status >= 500 {
            tracing::warn!(status, millis, "answered");
        } else {
            tracing::debug!(status, millis, "answered");
        }
    });
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(REQUEST_ID, value);
    }
    response
}

/// Records the authorised caller on the current request's span.
pub(crate) fn caller(user: i64, role: &str) {
    let span = tracing::Span::current();
    span.record("user", user);
    span.record("role", role);
}
