//! Sources over HTTP: a source's file archived, its document (record, archived text, quotes checked),
//! the original file as an attachment, and positions drafted from an article. Each handler reads its
//! ask and calls the use case in `crate::app::sources`.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::header;

use crate::St;
use crate::api::answer::{Created, Declared, File};
use crate::api::ask::Ask;
use crate::api::docs;
use crate::app::sources::{ArchiveAsk, archive, extraction, original, source_document};
use crate::{AppError, Caller};

/// `POST /v1/scenarios/{slug}/sources/{id}`: the body is the file as retrieved.
pub(crate) async fn archive_source(
    State(st): St,
    caller: Caller,
    Path((slug, id)): Path<(String, String)>,
    Ask(ask): Ask<ArchiveAsk>,
    body: Bytes,
) -> Result<Created<docs::SourceArchived>, AppError> {
    Ok(Created(archive(&st, &caller, &slug, &id, body, ask).await?))
}

/// `GET /v1/scenarios/{slug}/sources/{id}`.
pub(crate) async fn source(
    State(st): St,
    caller: Caller,
    Path((slug, id)): Path<(String, String)>,
) -> Result<Json<docs::SourceDocument>, AppError> {
    Ok(Json(source_document(&st, &caller, &slug, &id).await?))
}

/// `GET /v1/scenarios/{slug}/sources/{id}/original`: the file as archived, always as an attachment of
/// no type a browser renders. It came from elsewhere (an HTML page may hold scripts): served as
/// `text/html` from this origin it could act as this site, so it never is, whatever it holds.
pub(crate) async fn source_original(
    State(st): St,
    Path((slug, id)): Path<(String, String)>,
) -> Result<Declared<File>, AppError> {
    let (bytes, name) = original(&st, &slug, &id).await?;
    Ok(Declared::new((
        [
            (header::CONTENT_TYPE, "application/octet-stream".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
            (header::CONTENT_SECURITY_POLICY, "sandbox; default-src 'none'".to_string()),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        bytes,
    )))
}

/// `POST /v1/scenarios/{slug}/extract`.
pub(crate) async fn extract(
    State(st): St,
    caller: Caller,
    Path(slug): Path<String>,
    Json(ask): Json<docs::ExtractAsk>,
) -> Result<Json<docs::Extraction>, AppError> {
    Ok(Json(extraction(&st, &caller, &slug, ask).await?))
}
