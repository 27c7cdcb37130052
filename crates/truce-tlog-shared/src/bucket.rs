//! The bucket alone, read as a C2SP log, with no database.

use std::sync::Mutex;

use truce_tlog::Error;
use truce_tlog::client::TileReader;
use truce_tlog::publish::Published;

use crate::cache::TileCache;
use crate::config::{Bucket, get_object};
use crate::runtime::OwnRuntime;

/// How many bytes of full tiles and bundles a [`BucketReader`] keeps by default: 32 MiB, 4,096 full
/// hash tiles, enough for the tiles above and around the entries an audit reads.
pub const CACHE_BYTES: usize = 32 << 20;

/// The bucket alone, read as a C2SP log: tiles, bundles and the bucket's copy of the checkpoint, with
/// no database. It is what a CDN in front of the bucket serves, and what an auditor checks.
pub struct BucketReader {
    runtime: OwnRuntime,
    bucket: Bucket,
    /// Full tiles and bundles already read, at most the bound it was made with: they never change,
    /// and whoever reads them still authenticates them against a checkpoint. (Partial tiles and the
    /// checkpoint are always fetched.)
    full: Mutex<TileCache>,
}

impl BucketReader {
    /// Opens the bucket at `storage_url`; `options` are object_store's S3 settings (`aws_endpoint`,
    /// `aws_access_key_id`, …), over the `AWS_*` variables. It caches up to [`CACHE_BYTES`].
    pub fn open(storage_url: &str, options: &[(&str, &str)]) -> Result<BucketReader, Error> {
        BucketReader::with_cache(storage_url, options, CACHE_BYTES)
    }

    /// [`BucketReader::open`], caching up to `cache_bytes` of full tiles and bundles.
    pub fn with_cache(
        storage_url: &str,
        options: &[(&str, &str)],
        cache_bytes: usize,
    ) -> Result<BucketReader, Error> {
        let runtime = OwnRuntime::new(1, "truce-bucket-reader")?;
        let bucket = Bucket::open(storage_url, options)?;
        Ok(BucketReader { runtime, bucket, full: Mutex::new(TileCache::new(cache_bytes)) })
    }

    /// Copies every object under the bucket's prefix, as it is, into `dir` (each at its name under the
    /// prefix: `checkpoint`, `tile/0/000`, …): a mirror for a reader that is given files rather than
    /// the bucket (an independent verifier). Returns how many objects were copied.
    pub fn copy_all_to(&self, dir: &std::path::Path) -> Result<usize, Error> {
        use futures::TryStreamExt;
        let (store, prefix) = (self.bucket.store.clone(), self.bucket.prefix.clone());
        let listed = self.runtime.wait(async move {
            store.list(Some(&prefix)).try_collect::<Vec<_>>().await.map_err(crate::io)
        })?;
        let mut copied = 0;
        for meta in listed {
            let name: Vec<String> = meta
                .location
                .prefix_match(&self.bucket.prefix)
                .map(|parts| parts.map(|p| p.as_ref().to_string()).collect())
                .unwrap_or_default();
            if name.is_empty() || name.iter().any(|p| p == "." || p == "..") {
                continue;
            }
            let (store, object) = (self.bucket.store.clone(), meta.location.clone());
            let data = self
                .runtime
                .wait(async move { get_object(store.as_ref(), &object).await })?
                .unwrap_or_default();
            let path = name.iter().fold(dir.to_path_buf(), |p, part| p.join(part));
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(path, data)?;
            copied += 1;
        }
        Ok(copied)
    }

    /// The bytes of full tiles and bundles cached now: never more than the bound.
    pub fn cached_bytes(&self) -> usize {
        self.full.lock().map_or(0, |c| c.bytes())
    }
}

impl TileReader for BucketReader {
    /// Reads a file of the log's read path; any other path (the private `.state/`, a path not in
    /// canonical form) is refused.
    fn read(&self, path: &str) -> Result<Option<Vec<u8>>, Error> {
        let published = Published::parse(path)
            .map_err(|e| Error::Tile(format!("refusing path {path:?}: {e}")))?;
        let immutable = published.is_immutable();
        if immutable && let Some(hit) = self.full.lock().ok().and_then(|mut c| c.get(path)) {
            return Ok(Some(hit));
        }
        let (store, object) = (self.bucket.store.clone(), self.bucket.object(path)?);
        let got = self.runtime.wait(async move { get_object(store.as_ref(), &object).await })?;
        if immutable && let (Some(data), Ok(mut cache)) = (&got, self.full.lock()) {
            cache.insert(path, data.clone());
        }
        Ok(got)
    }
}
