//! The store's index of the log: one row per entry (by day, class, position, verification state), kept
//! in the store by a background task in log order, retried until written, and completed from the log
//! itself after a restart or a writer's death ([`index_log`], [`start_index_catch_up`]). The log is the
//! record; the index follows it.

use std::sync::Arc;

use truce_store::{IndexedEntry, Store};

use crate::ledger::{self, Ledger};
use crate::{AppError, Db};

/// Work for the indexer.
pub(crate) enum IndexJob {
    /// A new entry.
    Entry(IndexedEntry),
    /// An observation's new verification state.
    State(i64, String),
    /// Nothing new: retry the state changes that wait for their observation.
    Retry,
}

/// The indexer task's queue.
pub(crate) struct Indexer(tokio::sync::mpsc::UnboundedSender<IndexJob>);

impl Indexer {
    /// Starts the task over `store`: call it inside a tokio runtime.
    pub(crate) fn start(index_store: Db) -> Indexer {
        let (indexer, mut jobs) = tokio::sync::mpsc::unbounded_channel::<IndexJob>();
        tokio::spawn(async move {
            // A state change whose observation is not indexed yet (their acknowledgements raced) waits
            // for a later batch.
            let mut deferred: Vec<(i64, String, u32)> = Vec::new();
            loop {
                let first = if deferred.is_empty() {
                    jobs.recv().await
                } else {
                    match tokio::time::timeout(std::time::Duration::from_millis(100), jobs.recv())
                        .await
                    {
                        Ok(None) => None,
                        Ok(Some(j)) => Some(j),
                        Err(_) => Some(IndexJob::Retry),
                    }
                };
                let Some(first) = first else { break };
                // The index is a cache of the log: gathering a few milliseconds of jobs makes one
                // write of many rows instead of many writes.
                tokio::time::sleep(std::time::Duration::from_millis(5)).await;
                let mut batch = vec![first];
                while batch.len() < 4096 {
                    match jobs.try_recv() {
                        Ok(j) => batch.push(j),
                        Err(_) => break,
                    }
                }
                // Rows first, then state changes, each in log order: a state change never precedes its row.
                let rows: Vec<_> = batch
                    .iter()
                    .filter_map(|j| match j {
                        IndexJob::Entry(e) => Some(e.clone()),
                        _ => None,
                    })
                    .collect();
                // A failed write (a locked or unreachable database) is retried until it succeeds: the
                // index never skips an entry, and its watermark (the first index missing) says how far
                // it is complete.
                let mut wait = std::time::Duration::from_millis(50);
                while let Err(e) = index_store.index_entries(&rows).await {
                    tracing::warn!(entries = rows.len(), error = %e, "indexing failed; retrying");
                    tokio::time::sleep(wait).await;
                    wait = (wait * 2).min(std::time::Duration::from_secs(2));
                }
                let states =
                    std::mem::take(&mut deferred).into_iter().chain(batch.iter().filter_map(|j| {
                        match j {
                            IndexJob::State(index, state) => Some((*index, state.clone(), 0)),
                            _ => None,
                        }
                    }));
                for (index, state, tries) in states.collect::<Vec<_>>() {
                    let mut wait = std::time::Duration::from_millis(50);
                    loop {
                        match index_store.set_state(index, &state).await {
                            Ok(()) => break,
                            Err(truce_store::Error::NotFound) if tries < 1000 => {
                                deferred.push((index, state, tries + 1));
                                break;
                            }
                            Err(truce_store::Error::NotFound) => {
                                tracing::error!(
                                    index,
                                    "an observation whose state changed was never indexed"
                                );
                                break;
                            }
                            Err(e) => {
                                tracing::warn!(error = %e, "indexing a verification state failed; retrying");
                                tokio::time::sleep(wait).await;
                                wait = (wait * 2).min(std::time::Duration::from_secs(2));
                            }
                        }
                    }
                }
            }
        });
        Indexer(indexer)
    }

    /// Queues `job`.
    pub(crate) fn send(&self, job: IndexJob) {
        let _ = self.0.send(job);
    }
}

/// What the store indexes of an entry.
pub(crate) fn indexed(index: u64, e: &truce_watch::entry::Entry) -> IndexedEntry {
    use truce_watch::entry::Body;
    let kind = e.body.kind().to_string();
    let mut out = IndexedEntry {
        index: index as i64,
        kind,
        author: e.author.clone(),
        day: None,
        class: None,
        position: None,
        refers_to: None,
        state: None,
    };
    match &e.body {
        Body::Observation(o) | Body::Correction { observation: o, .. } => {
            out.day = o.day().ok().map(|d| d.to_string());
            out.class = Some(o.class.clone());
            let [lon, lat] = o.event();
            out.position = Some(((lat * 1e6).round() as i64, (lon * 1e6).round() as i64));
            out.state = Some("received".into());
            if let Body::Correction { supersedes, .. } = &e.body {
                out.refers_to = Some(*supersedes as i64);
            }
        }
        Body::Verification { of, .. }
        | Body::Assessment { of, .. }
        | Body::Attribution { of, .. }
        | Body::Annotation { of, .. } => out.refers_to = Some(*of as i64),
        _ => {}
    }
    out
}

/// The jobs an entry made durable at `index` gives the indexer: its row, and the verification state it
/// changes (a verification sets its observation's, a correction supersedes one).
pub(crate) fn jobs_for(index: u64, entry: &truce_watch::entry::Entry) -> Vec<IndexJob> {
    let mut jobs = vec![IndexJob::Entry(indexed(index, entry))];
    match &entry.body {
        truce_watch::entry::Body::Verification { of, to, .. } => {
            jobs.push(IndexJob::State(*of as i64, to.as_str().to_string()))
        }
        truce_watch::entry::Body::Correction { supersedes, .. } => {
            jobs.push(IndexJob::State(*supersedes as i64, "superseded".to_string()))
        }
        _ => {}
    }
    jobs
}

/// On shared storage, the writer completes the store's index from the log every 2 s: a writer that
/// died may have acknowledged entries it did not get to index, and its successor's indexer only hears
/// of its own. (Followers leave the index to the writer.)
pub fn start_index_catch_up(store: Db, ledger: Option<Arc<Ledger>>) {
    let Some(w) = ledger else { return };
    if !matches!(w.store, ledger::LogStore::Shared(..)) {
        return;
    }
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(std::time::Duration::from_secs(2)).await;
            if w.is_writer()
                && let Err(e) = index_log(&store, Some(&w)).await
            {
                tracing::warn!(error = ?e, "completing the index from the log failed; retrying");
            }
        }
    });
}

/// Indexes, in the store, the log entries it does not hold yet (after a restart, or a log written
/// offline). Returns how many were indexed.
pub async fn index_log(store: &Db, ledger: Option<&Arc<Ledger>>) -> Result<usize, AppError> {
    let Some(w) = ledger else { return Ok(0) };
    let from = store.indexed_size().await? as u64;
    let checkpoint = truce_tlog::checkpoint::Checkpoint::parse(&w.checkpoint().text)
        .map_err(|e| AppError::Internal(e.to_string()))?;
    if from >= checkpoint.size {
        return Ok(0);
    }
    let log = w.store.clone();
    let entries = tokio::task::spawn_blocking(move || ledger::read_raw(&log, &checkpoint, from))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .map_err(AppError::Internal)?;
    // Decoded and matched to the durable view off the async workers.
    let view = w.clone();
    let batch = tokio::task::spawn_blocking(move || -> Result<Vec<_>, AppError> {
        let compliance = view.read()?;
        let mut batch = Vec::new();
        for (index, bytes) in &entries {
            let Ok(entry) = truce_watch::entry::decode(bytes) else { continue };
            let mut row = indexed(*index, &entry);
            if let Some(r) = compliance.registry().observations.get(index) {
                row.state = Some(
                    if r.superseded_by.is_some() { "superseded" } else { r.state.as_str() }
                        .to_string(),
                );
            }
            batch.push(row);
        }
        Ok(batch)
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))??;
    let count = batch.len();
    for chunk in batch.chunks(4096) {
        store.index_entries(chunk).await?;
    }
    Ok(count)
}
