//! Storage URLs: which object store a URL names, and the paths under its prefix.

use std::sync::Arc;
use std::time::Duration;

use object_store::path::Path as ObjectPath;
use object_store::{ObjectStore, ObjectStoreExt};
use truce_tlog::Error;

use crate::io;

/// An object store opened from a URL, with the prefix every name is put under.
pub(crate) struct Bucket {
    pub(crate) store: Arc<dyn ObjectStore>,
    pub(crate) prefix: ObjectPath,
    /// Whether objects carry their own headers (an S3 bucket does; a directory has none: whatever
    /// serves it sets them).
    pub(crate) has_headers: bool,
}

impl Bucket {
    /// Opens the object store named by `url`: `s3://bucket[/prefix]` (credentials, endpoint and region
    /// from the `AWS_*` variables, then `options`, object_store's S3 settings such as `aws_endpoint`;
    /// `AWS_ALLOW_HTTP=true` for a plain-HTTP endpoint) or `file:///directory`.
    pub(crate) fn open(url: &str, options: &[(&str, &str)]) -> Result<Bucket, Error> {
        let parsed = url::Url::parse(url).map_err(|e| {
            io(format!(
                "storage URL {url:?}: {e}; expected s3://bucket/prefix or file:///directory"
            ))
        })?;
        let prefix = ObjectPath::from(parsed.path().trim_matches('/'));
        match parsed.scheme() {
            "s3" => {
                let bucket = parsed.host_str().unwrap_or_default();
                let mut builder = object_store::aws::AmazonS3Builder::from_env();
                for (key, value) in options {
                    let key = key.parse::<object_store::aws::AmazonS3ConfigKey>().map_err(io)?;
                    builder = builder.with_config(key, *value);
                }
                let store = builder
                    .with_bucket_name(bucket)
                    .with_retry(object_store::RetryConfig {
                        max_retries: 3,
                        retry_timeout: Duration::from_secs(10),
                        ..Default::default()
                    })
                    .build()
                    .map_err(io)?;
                Ok(Bucket { store: Arc::new(store), prefix, has_headers: true })
            }
            "file" => {
                std::fs::create_dir_all(parsed.path())?;
                let store = object_store::local::LocalFileSystem::new_with_prefix(parsed.path())
                    .map_err(io)?;
                Ok(Bucket {
                    store: Arc::new(store),
                    prefix: ObjectPath::default(),
                    has_headers: false,
                })
            }
            other => Err(io(format!(
                "storage URL {url:?}: unknown scheme {other:?}; expected s3://bucket/prefix or file:///directory"
            ))),
        }
    }

    /// The object `name` under the prefix, refusing empty, `.` and `..` components.
    pub(crate) fn object(&self, name: &str) -> Result<ObjectPath, Error> {
        join(&self.prefix, name)
    }
}

/// `name` under `prefix`, refusing empty, `.` and `..` components.
pub(crate) fn join(prefix: &ObjectPath, name: &str) -> Result<ObjectPath, Error> {
    if name.split('/').any(|c| c.is_empty() || c == "." || c == "..") {
        return Err(Error::Tile(format!("refusing path {name:?}")));
    }
    Ok(prefix.parts().chain(ObjectPath::from(name).parts()).collect())
}

/// The object at `object`, or `None` if there is none.
pub(crate) async fn get_object(
    store: &dyn ObjectStore,
    object: &ObjectPath,
) -> Result<Option<Vec<u8>>, Error> {
    match store.get(object).await {
        Ok(r) => Ok(Some(r.bytes().await.map_err(io)?.to_vec())),
        Err(object_store::Error::NotFound { .. }) => Ok(None),
        Err(e) => Err(io(e)),
    }
}
