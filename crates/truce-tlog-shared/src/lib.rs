//! A log shared by several servers.
//!
//! The published tree (tiles and entry bundles) lives in an object store: an S3-compatible bucket
//! (`s3://bucket/prefix`, configured by the usual `AWS_*` variables) or a directory through the same
//! interface (`file:///path`). Everything whose order matters lives in PostgreSQL: the record of the
//! last tree (`.state/signed`), the signed checkpoint, the journal, the log's other private files, and
//! the **sequencing lease** with its fencing token.
//!
//! # Who may write
//!
//! Exactly one server sequences at a time: the holder of the lease ([`Shared::acquire`]). Taking the
//! lease raises its fencing token. Every write to PostgreSQL (a journal record, the tree's record, the
//! checkpoint, a private file, a removal) runs in one transaction that first locks the lease row and
//! checks that this handle's token is the current one and that the lease has not expired; otherwise the
//! write is refused and nothing changes. So a server that lost its lease (paused, cut off, slow) can
//! neither acknowledge an entry nor record a tree nor publish a checkpoint, and a new holder that has
//! taken the lease sees every record the old one committed.
//!
//! The tree's record is also a compare-and-swap: a commit replaces it only if it still holds what this
//! handle last read or wrote, and a checkpoint is stored only if it is for the tree recorded in the same
//! transaction and is not smaller than the one stored. The fencing token and the compare-and-swap are
//! two guards; S3-compatible stores' conditional writes are not one (Garage 2.5 ignores `If-None-Match`
//! and `If-Match` on `PUT`), so the bucket never decides who wins.
//!
//! The bucket cannot refuse a stale writer's `PUT`, so the tiles are made safe by what is in them:
//!
//! - Entries enter only through the journal, and the journal is **continuous**: a record is stored
//!   only if it starts where the journal (or, when it is empty, the recorded tree) ends. So each index
//!   gets its entry once, fenced, and for good.
//! - A commit first **claims** the next tree in PostgreSQL (fenced; the record still holds what this
//!   handle expects; no live claim of the same token by another handle; the new size within the
//!   journal), then uploads the tiles and bundles, then records the tree if its claim still stands.
//!
//! A tile's path names its level, index and width, so its bytes are fixed by the entries at those
//! indices: a stale or duplicate writer that got past its claim can only upload the bytes the current
//! writer uploads. A writer that loses its claim has uploaded nothing; one that could not journal has
//! nothing to upload. Tiles are always in the bucket before the record that needs them.
//!
//! # What is served from where
//!
//! The authoritative checkpoint is PostgreSQL's ([`Shared::checkpoint`]); a copy is put in the bucket
//! after each one is stored, so that the bucket alone is a C2SP read path a CDN can front. After a
//! failover that copy can briefly be an older (consistent) checkpoint, never an inconsistent one.
//!
//! # Threads
//!
//! [`SharedStorage`] implements the synchronous [`Storage`](truce_tlog::storage::Storage) trait the log's writer uses. Every request
//! runs on this crate's own small runtime and the caller waits for it on a channel, so it may be called
//! from any thread, including a blocking task of another runtime. Async callers use [`Shared::get`].
//!
//! # Modules
//!
//! - `config`: storage URLs and the object store they name.
//! - `runtime`: this crate's own small runtime.
//! - `shared`: [`Shared`], the connection; the read path for async callers.
//! - `lease`: the sequencing lease and its fencing token ([`Lease`]).
//! - `storage`: [`SharedStorage`], the writer's `Storage`; a commit's steps.
//! - `bucket`: [`BucketReader`], the bucket alone as a C2SP log, with a bounded cache of full tiles.
//! - [`media`]: [`media::Blobs`], the blob store for the media behind observations, which is not the log.
//!
//! What a path of the read path is, how long each file may be cached, and the forms of journal records
//! and the tree's record are `truce_tlog`'s (`publish`, `journal::Record`, `state::TreeState`): this
//! crate only stores them. It knows nothing of HTTP.

mod bucket;
mod cache;
mod config;
mod lease;
pub mod media;
mod runtime;
mod shared;
mod storage;

pub use bucket::{BucketReader, CACHE_BYTES};
pub use lease::Lease;
pub use shared::{IDLE_IN_TRANSACTION, RECENT_TILE_BYTES, Shared};
pub use storage::SharedStorage;

use truce_tlog::Error;

/// A foreign error as this crate's (the log's) storage error.
fn io(e: impl std::fmt::Display) -> Error {
    Error::Io(std::io::Error::other(e.to_string()))
}
