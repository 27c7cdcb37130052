//! The media behind observations: a plain blob store, not part of the log.
//!
//! [`Blobs`] keeps files by name in a directory or a bucket, with none of the log's rules (no lease, no
//! journal, no caching headers). It lives in this crate because it opens its store the way the log does
//! (the same URLs and `AWS_*` settings, the same runtime) and so keeps the object store a dependency of
//! this crate alone; what media are and who may read them is `truce-server`'s `media` module's.

use std::sync::Arc;

use object_store::ObjectStoreExt;
use truce_tlog::Error;

use crate::config::{Bucket, get_object};
use crate::io;
use crate::runtime::OwnRuntime;

/// A plain object store by URL (`s3://bucket/prefix` or `file:///directory`), for files that are not
/// the log's: the media behind observations. Every request runs on its own runtime, so any async
/// caller may await it.
#[derive(Clone)]
pub struct Blobs {
    inner: Arc<BlobsInner>,
}

struct BlobsInner {
    runtime: OwnRuntime,
    bucket: Bucket,
}

impl std::fmt::Debug for Blobs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Blobs")
            .field("prefix", &self.inner.bucket.prefix.as_ref())
            .finish_non_exhaustive()
    }
}

impl Blobs {
    /// Opens the store at `url` (see [`crate::Shared::connect`] for the S3 settings).
    pub fn open(url: &str) -> Result<Blobs, Error> {
        let runtime = OwnRuntime::new(1, "truce-blobs")?;
        let bucket = Bucket::open(url, &[])?;
        Ok(Blobs { inner: Arc::new(BlobsInner { runtime, bucket }) })
    }

    /// The object `name`, or `None`.
    pub async fn get(&self, name: &str) -> Result<Option<Vec<u8>>, Error> {
        let (store, object) = (self.inner.bucket.store.clone(), self.inner.bucket.object(name)?);
        self.inner.runtime.spawn(async move { get_object(store.as_ref(), &object).await }).await
    }

    /// Writes `data` as `name` (atomically: readers see the old object or the new one).
    pub async fn put(&self, name: &str, data: Vec<u8>) -> Result<(), Error> {
        let (store, object) = (self.inner.bucket.store.clone(), self.inner.bucket.object(name)?);
        self.inner
            .runtime
            .spawn(async move {
                store.put(&object, data.into()).await.map_err(io)?;
                Ok(())
            })
            .await
    }
}
