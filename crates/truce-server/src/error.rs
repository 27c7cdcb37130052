//! What a handler can fail with: [`AppError`], one HTTP status per variant, its JSON body
//! ([`crate::api::answer::ErrorDoc`]), and no internal detail sent to the client.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::api;

/// What a handler can fail with; one status per variant, and no internal detail sent to the client.
#[derive(Debug)]
pub enum AppError {
    /// 401: a token is needed.
    Unauthorized,
    /// 403: the role may not.
    Forbidden(String),
    /// 404.
    NotFound,
    /// 404, saying what is missing and what to do.
    Missing(String),
    /// 409.
    Conflict(String),
    /// 422: the input is not valid; the diagnostics say why.
    Invalid(Vec<String>),
    /// 413: the body is over the limit; the message says which.
    TooLarge(String),
    /// 408: the body arrived too slowly, or stalled; the message says how.
    Timeout(String),
    /// 503 with `Retry-After`: the log's pending pool is full.
    Pushback,
    /// 503 with `Retry-After`: writing is stopped after a storage fault, or the server is at its limit
    /// of heavy work; the message says which.
    Unavailable(String),
    /// 500; the detail is logged, not sent.
    Internal(String),
}

impl From<truce_table::GroupTooLarge> for AppError {
    fn from(e: truce_table::GroupTooLarge) -> AppError {
        AppError::Invalid(vec![e.to_string()])
    }
}

impl From<truce_store::Error> for AppError {
    fn from(e: truce_store::Error) -> AppError {
        match e {
            truce_store::Error::NotFound => AppError::NotFound,
            truce_store::Error::Conflict(m) => AppError::Conflict(m),
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl AppError {
    /// Its HTTP status.
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::NotFound | AppError::Missing(_) => StatusCode::NOT_FOUND,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Timeout(_) => StatusCode::REQUEST_TIMEOUT,
            AppError::Pushback | AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// What the caller is told (an internal error's detail is logged, not told).
    pub fn message(&self) -> String {
        match self {
            AppError::Unauthorized => "a bearer token is required".into(),
            AppError::Forbidden(m)
            | AppError::Conflict(m)
            | AppError::Unavailable(m)
            | AppError::TooLarge(m)
            | AppError::Timeout(m)
            | AppError::Missing(m) => m.clone(),
            AppError::NotFound => "not found".into(),
            AppError::Invalid(d) => format!("invalid input: {}", d.join("; ")),
            AppError::Pushback => "the log is busy: retry".into(),
            AppError::Internal(m) => {
                tracing::error!(error = %m, "internal error");
                "internal error".into()
            }
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let body = match &self {
            AppError::Invalid(d) => api::answer::ErrorDoc {
                error: "invalid input".into(),
                diagnostics: Some(d.clone()),
            },
            other => api::answer::ErrorDoc { error: other.message(), diagnostics: None },
        };
        let mut response = (self.status(), axum::Json(body)).into_response();
        let extra = match self {
            AppError::Unauthorized => Some(("www-authenticate", "Bearer")),
            AppError::Pushback | AppError::Unavailable(_) => Some(("retry-after", "1")),
            _ => None,
        };
        if let Some((k, v)) = extra {
            response.headers_mut().insert(k, axum::http::HeaderValue::from_static(v));
        }
        response
    }
}
