//! Web sessions and the headers a security team expects, as one layer over every route.
//!
//! - **Sessions.** Signing in (`POST /ui/login`) with an API token starts a session: the cookie
//!   `truce_session` holds a random 32-byte id, the store only its SHA-256, and it expires after
//!   [`SESSION_SECONDS`] or at sign-out. The cookie never holds the API token. It is `HttpOnly`,
//!   `SameSite=Strict`, and `Secure` when the configured public URL is https.
//! - **Cross-site requests.** A request that changes something (any method but GET and HEAD) and carries
//!   an `Origin` must come from this site's origin (the `Host` it was sent to): a foreign origin is 403,
//!   whatever it carries, so no other site can sign anyone in. A change made with the session cookie
//!   (no bearer token) must also carry the session's CSRF token, in the `x-csrf-token` header (the pages'
//!   scripts) or the `csrf` query parameter (the pages' forms), and an `Origin`.
//! - **Headers.** Every response gets `X-Content-Type-Options: nosniff` and
//!   `Referrer-Policy: same-origin` (no referrer leaves the site; `no-referrer` would make browsers send
//!   `Origin: null` with the site's own forms); every HTML response a `Content-Security-Policy` whose `script-src` lists the SHA-256 of each inline
//!   script the page declared (`script::Sources`, carried by the response; the scripts are hashed once,
//!   at start-up) and nothing else, so no unhashed inline script runs, with `frame-ancestors 'none'`;
//!   the layer never reads a page's body;
//!   every response to an authenticated request (a bearer token or a session cookie) has
//!   `Cache-Control: no-store`, so no shared cache keeps what one caller may see.

use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::Digest;

use crate::script::Sources;

/// How long a web session lasts, in seconds (12 hours).
pub const SESSION_SECONDS: i64 = 12 * 3600;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "truce_session";

/// The value of the request's cookie `name`, if it sent one.
pub(crate) fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| c.trim().strip_prefix(name)?.strip_prefix('='))
}

/// The session id in the request's cookie, if any.
pub(crate) fn session_id(headers: &HeaderMap) -> Option<String> {
    cookie(headers, SESSION_COOKIE).filter(|t| !t.is_empty()).map(str::to_string)
}

/// The CSRF token of a session: derived from its id, which only the browser holding the cookie and the
/// server handling its request know, so nothing more is stored.
pub(crate) fn csrf_token(session: &str) -> String {
    let digest = sha2::Sha256::digest(format!("truce.csrf/v1\n{session}").as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// A new random session id, hex.
pub(crate) fn new_session_id() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Whether the request's `Origin` (if any) is this site: its host and port are the `Host` the request
/// was sent to. `None` when there is no `Origin`.
fn same_origin(headers: &HeaderMap) -> Option<bool> {
    let origin = headers.get(header::ORIGIN)?.to_str().ok().unwrap_or("null");
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("");
    let authority = origin.strip_prefix("https://").or_else(|| origin.strip_prefix("http://"));
    Some(!host.is_empty() && authority == Some(host))
}

fn refuse(message: &str) -> Response {
    let body = axum::Json(serde_json::json!({ "error": message }));
    (StatusCode::FORBIDDEN, body).into_response()
}

/// The layer: cross-site checks before the handler, headers after it.
pub(crate) async fn layer(req: Request, next: Next) -> Response {
    let headers = req.headers();
    let bearer = headers.contains_key(header::AUTHORIZATION);
    let session = session_id(headers);
    let authenticated = bearer || session.is_some();
    if !matches!(*req.method(), Method::GET | Method::HEAD) {
        match same_origin(headers) {
            Some(false) => {
                let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok());
                let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
                return refuse(&format!(
                    "a cross-site request: the Origin {} is not this site ({})",
                    origin.unwrap_or("?"),
                    host.unwrap_or("no Host header")
                ));
            }
            None if session.is_some() && !bearer => {
                return refuse("a change made with the session cookie needs an Origin header");
            }
            _ => {}
        }
        if let Some(id) = session.as_deref().filter(|_| !bearer) {
            let given =
                headers.get("x-csrf-token").and_then(|v| v.to_str().ok()).map(str::to_string);
            let given = given.or_else(|| {
                req.uri().query().and_then(|q| {
                    q.split('&').find_map(|kv| kv.strip_prefix("csrf=").map(str::to_string))
                })
            });
            if given.as_deref() != Some(csrf_token(id).as_str()) {
                return refuse("a change made with the session cookie needs its CSRF token");
            }
        }
    }
    let mut response = next.run(req).await;
    let h = response.headers_mut();
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    if authenticated {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    let html = h
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if html {
        let csp = policy(response.extensions().get::<Sources>());
        if let Ok(v) = HeaderValue::from_str(&csp) {
            response.headers_mut().insert(header::CONTENT_SECURITY_POLICY, v);
        }
    }
    response
}

/// The policy of an HTML page, from what the page declared it runs and loads (`Sources`, set by the
/// page as it rendered it; none: the strictest): its own inline scripts by hash and nothing else that
/// runs, same-origin script files only where it loads some.
pub(crate) fn policy(sources: Option<&Sources>) -> String {
    let mut scripts: Vec<&str> = Vec::new();
    let mut images = "'self' data:".to_string();
    if let Some(s) = sources {
        scripts.extend(s.scripts().iter().map(|s| s.hash()));
        // This server's vendored libraries (`/assets/…`) and the observer app (`/field/…`), served as
        // JavaScript; every other response is `nosniff` and not JavaScript, so it cannot run.
        if s.loads_files() {
            scripts.push("'self'");
        }
        // The map's basemap, when one is configured: its origin.
        if let Some(origin) = s.image_origin() {
            images.push(' ');
            images.push_str(origin);
        }
    }
    let scripts = if scripts.is_empty() { "'none'".to_string() } else { scripts.join(" ") };
    format!(
        "default-src 'self'; script-src {scripts}; worker-src 'self'; style-src 'self' 'unsafe-inline'; img-src {images}; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}
