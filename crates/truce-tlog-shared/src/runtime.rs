//! This crate's own small runtime: requests run on it whatever thread asks.

use truce_tlog::Error;

use crate::io;

/// A small multi-threaded runtime that shuts down without blocking when dropped (the last handle may
/// be dropped on another runtime's worker).
pub(crate) struct OwnRuntime(Option<tokio::runtime::Runtime>);

impl OwnRuntime {
    pub(crate) fn new(workers: usize, name: &str) -> Result<OwnRuntime, Error> {
        // reqwest is built without a crypto provider of its own: use ring's (already linked for ureq).
        let _ = rustls::crypto::ring::default_provider().install_default();
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(workers)
            .thread_name(name)
            .enable_all()
            .build()?;
        Ok(OwnRuntime(Some(rt)))
    }

    /// Runs `f` here and waits for it on a channel, not with `block_on`: callable from any thread,
    /// including another runtime's.
    pub(crate) fn wait<T: Send + 'static>(
        &self,
        f: impl Future<Output = Result<T, Error>> + Send + 'static,
    ) -> Result<T, Error> {
        let Some(rt) = &self.0 else { return Err(io("the object store's runtime has stopped")) };
        let (tx, rx) = std::sync::mpsc::sync_channel(1);
        rt.spawn(async move {
            let _ = tx.send(f.await);
        });
        rx.recv().map_err(|_| io("the object store's runtime stopped during a request"))?
    }

    /// Runs `f` here, for an async caller on any runtime.
    pub(crate) async fn spawn<T: Send + 'static>(
        &self,
        f: impl Future<Output = Result<T, Error>> + Send + 'static,
    ) -> Result<T, Error> {
        let Some(rt) = &self.0 else { return Err(io("the object store's runtime has stopped")) };
        rt.spawn(f).await.map_err(io)?
    }
}

impl Drop for OwnRuntime {
    fn drop(&mut self) {
        if let Some(rt) = self.0.take() {
            rt.shutdown_background();
        }
    }
}
