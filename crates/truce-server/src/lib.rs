//! Truce as a service: a versioned JSON API over the core crates, authorisation by role, and the C2SP
//! read path of the observation log.
//!
//! What it does not do: business rules. Validation is `truce_scenario::parse`, analysis
//! `truce_table::analyze`, the log's rules `truce_watch::registry`, compliance
//! `truce_watch::compliance`, durability `truce_tlog`. This crate maps them to HTTP, and decides who may
//! call what ([`auth`]).

#![deny(missing_docs)]

mod api;
mod app;
mod assets;
pub mod auth;
pub mod backup;
mod cache;
pub mod capacity;
mod error;
pub mod forward;
mod indexer;
pub mod jobs;
pub mod launch;
pub mod ledger;
pub mod locale;
pub mod media;
mod pages;
mod routes;
mod script;
pub mod security;
mod state;
pub mod trace;
mod witness;

use std::sync::Arc;

use axum::Router;
use truce_tlog::sequencer::SequencerConfig;

pub use auth::Endpoint;

/// A handler's view of the state.
pub(crate) type St = axum::extract::State<Arc<AppState>>;

/// The relational store: SQLite or PostgreSQL, chosen at start-up (`truce_store_sql::SqlStore`).
pub type Db = truce_store_sql::SqlStore;
pub use api::handlers::MAX_BATCH;
pub use app::negotiation::MAX_DRAWS;
pub use error::AppError;
pub use indexer::{index_log, start_index_catch_up};
pub use ledger::Ledger;
pub use routes::openapi_document;
pub use state::{
    AppState, Caller, MAX_BODY_BYTES, RECORD_WAIT, STREAMS_PER_CALLER, STREAMS_PUBLIC,
    STREAMS_TOTAL, TOKEN_CACHE_TTL,
};
pub use witness::{Peer, PeerStatus, Witnesses, start_cosigning};

/// The size of the tree a checkpoint note signs (0 if it does not parse, which the log's own notes do).
pub(crate) fn note_size(note: &truce_tlog::note::Note) -> u64 {
    truce_tlog::checkpoint::Checkpoint::parse(&note.text).map_or(0, |c| c.size)
}

/// The group-commit settings a server runs with: batches of up to 256 entries, closed after 4 ms,
/// pushback beyond 8,192 waiting entries, and the tree (and checkpoint) brought up to date at most
/// every 100 ms, so that under load each integration rewrites the right-edge tiles once for many
/// batches.
pub fn default_sequencer() -> SequencerConfig {
    SequencerConfig {
        max_batch: 256,
        max_age: std::time::Duration::from_millis(4),
        max_pending: 8192,
        integrate_every: std::time::Duration::from_millis(100),
    }
}

/// The router: every [`Endpoint`], behind its authorisation, inside the [`security`] layer.
pub fn router(state: Arc<AppState>) -> Router {
    script::hash_all();
    routes::routes(state)
        .layer(axum::middleware::from_fn(security::layer))
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn(trace::layer))
}

/// The metrics router, for a separate listener: `GET /metrics` in the Prometheus text format.
pub fn metrics_router(state: Arc<AppState>) -> Router {
    routes::metrics_routes(state)
}
