//! Backups of a server's data directory, taken while it runs (`truce backup`), and their restoration
//! (`truce restore`).
//!
//! A backup is consistent: the database is SQLite's own online copy (`VACUUM INTO`, one read
//! transaction); the log is copied up to a signed checkpoint that covers every entry the copied
//! database indexes, and every file of it is authenticated against that checkpoint before it is
//! written (the copy is an audit); the hosted witnesses' state, the media files, the public keys and
//! the witness peers follow. Private keys (the log's, the witnesses', the demo's) are copied only when
//! asked. `backup.json`, written last, lists every file with its SHA-256, so that a cut-short backup
//! has none, and restoring checks each file before writing anything.
//!
//! What a backup is not: the entries acknowledged after its checkpoint are not in it. A log restored
//! from it is older than the one the witnesses last cosigned, and they refuse any other history from
//! that size on: restoring is for a lost machine, and the entries after the backup come back from a
//! party's mirror (docs/operations.md). Shared logs (PostgreSQL and a bucket) are backed up with
//! `pg_dump` and the bucket's own copy, as documented there.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, bail, format_err};
use serde::{Deserialize, Serialize};
use sha2::Digest;
use truce_tlog::client::TileReader;
use truce_tlog::layout;

use crate::launch::{Config, create_private_dir};

/// The manifest's file name, in the backup's directory.
pub const MANIFEST: &str = "backup.json";

/// How long a backup waits for the log to publish a checkpoint covering the copied database.
const PUBLISH_WAIT: Duration = Duration::from_secs(60);

/// What a backup holds (`backup.json`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Manifest {
    /// Always `truce.backup/1`.
    pub schema: String,
    /// When it was taken (RFC 3339, UTC).
    pub taken: String,
    /// The log's size at the checkpoint copied.
    pub log_size: u64,
    /// The log's origin (its name).
    pub origin: String,
    /// Whether private keys are in it.
    pub private_keys: bool,
    /// Every file, by its path in the backup (`/`-separated), with its SHA-256 in hex.
    pub files: BTreeMap<String, String>,
}

/// The backup being written: its directory and the files so far.
struct Writer {
    dir: PathBuf,
    files: BTreeMap<String, String>,
}

impl Writer {
    /// Writes `bytes` at `rel`, readable by the owner only when `private`.
    fn put(&mut self, rel: &str, bytes: &[u8], private: bool) -> anyhow::Result<()> {
        let path = self.dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        if private {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file =
            options.open(&path).with_context(|| format!("cannot create {}", path.display()))?;
        std::io::Write::write_all(&mut file, bytes)
            .and_then(|()| file.sync_all())
            .with_context(|| format!("cannot write {}", path.display()))?;
        self.files.insert(rel.to_string(), hex(&sha2::Sha256::digest(bytes)));
        Ok(())
    }

    /// Copies every file under `from` to `rel`, but those `skip` names (by file name).
    fn tree(&mut self, from: &Path, rel: &str, skip: &dyn Fn(&str) -> bool) -> anyhow::Result<()> {
        let mut entries: Vec<_> = std::fs::read_dir(from)
            .with_context(|| format!("cannot read {}", from.display()))?
            .collect::<Result<_, _>>()?;
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            let name = entry.file_name().to_string_lossy().to_string();
            if skip(&name) {
                continue;
            }
            let target = format!("{rel}/{name}");
            if entry.file_type()?.is_dir() {
                self.tree(&entry.path(), &target, skip)?;
            } else {
                let bytes = std::fs::read(entry.path())
                    .with_context(|| format!("cannot read {}", entry.path().display()))?;
                let private = name.ends_with(".skey") || rel.starts_with("keys");
                self.put(&target, &bytes, private)?;
            }
        }
        Ok(())
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A reader that keeps what it read: the files an audit authenticated are the files the backup takes.
struct Recording {
    inner: truce_tlog::fs::DirReader,
    seen: std::cell::RefCell<HashMap<String, Vec<u8>>>,
}

impl TileReader for Recording {
    fn read(&self, path: &str) -> Result<Option<Vec<u8>>, truce_tlog::Error> {
        let found = self.inner.read(path)?;
        if let Some(bytes) = &found {
            self.seen.borrow_mut().insert(path.to_string(), bytes.clone());
        }
        Ok(found)
    }
}

/// The log at `dir` up to a signed checkpoint of at least `at_least` entries: every file authenticated
/// against it. Retries while the log has not yet published that far, or moved on under the copy (a
/// partial tile replaced by its full one), for up to [`PUBLISH_WAIT`].
fn copy_log(
    dir: &Path,
    at_least: u64,
) -> anyhow::Result<(truce_tlog::checkpoint::Checkpoint, HashMap<String, Vec<u8>>)> {
    let vkey = layout::read_vkey(&dir.join(layout::LOG_VKEY))
        .map_err(|e| format_err!("{}: {e}", dir.display()))?;
    let deadline = Instant::now() + PUBLISH_WAIT;
    loop {
        let reader = Recording {
            inner: truce_tlog::fs::DirReader { root: dir.to_path_buf() },
            seen: Default::default(),
        };
        let attempt = (|| -> Result<_, truce_tlog::Error> {
            let (_, checkpoint) = truce_tlog::client::signed_checkpoint(&reader, &vkey)?;
            if checkpoint.size < at_least {
                return Ok(None);
            }
            let verifier = truce_tlog::client::TileVerifier::new(&reader, &checkpoint)?;
            truce_tlog::client::audit(&verifier, &mut |_| {})?;
            for tile in truce_tlog::tile::tiles_for_size(checkpoint.size) {
                verifier.tile(tile.level.unwrap_or(0), tile.index)?;
            }
            Ok(Some(checkpoint))
        })();
        match attempt {
            Ok(Some(checkpoint)) => return Ok((checkpoint, reader.seen.into_inner())),
            Ok(None) if Instant::now() > deadline => bail!(
                "the log at {} has not published the entries the database indexes ({at_least}) within {} s; is its server writing?",
                dir.display(),
                PUBLISH_WAIT.as_secs()
            ),
            Err(e) if Instant::now() > deadline => {
                bail!("the log at {} could not be copied: {e}", dir.display())
            }
            _ => std::thread::sleep(Duration::from_millis(200)),
        }
    }
}

/// Takes a backup of the data of the server `config` describes, into `to` (new or empty). See the
/// module's documentation.
pub fn backup(
    config: &Config,
    to: &Path,
    private_keys: bool,
    say: &(dyn Fn(&str) + Sync),
) -> anyhow::Result<Manifest> {
    if config.database_url.is_some() || config.storage_url.is_some() {
        bail!(
            "this server keeps its data in PostgreSQL{}: back it up with pg_dump and the bucket's own copy, as docs/operations.md describes",
            if config.storage_url.is_some() { " and a bucket" } else { "" }
        );
    }
    let data = &config.data_dir;
    let database = data.join("truce.db");
    if !database.is_file() {
        bail!("{} holds no database (truce.db): is it a server's data directory?", data.display());
    }
    if to.exists() && std::fs::read_dir(to)?.next().is_some() {
        bail!("{} is not empty: a backup goes to a new or empty directory", to.display());
    }
    create_private_dir(to)?;
    let mut w = Writer { dir: to.to_path_buf(), files: BTreeMap::new() };

    // The database first: the log is then copied at least as far as the database indexes it.
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let index_end = runtime.block_on(async {
        let store = truce_store_sql::SqlStore::open_sqlite(&database)
            .await
            .map_err(|e| format_err!("{}: {e}", database.display()))?;
        store.copy_sqlite_to(&to.join("truce.db")).await.map_err(|e| format_err!("{e}"))?;
        store.index_end().await.map_err(|e| format_err!("{e}"))
    })?;
    let copied = std::fs::read(to.join("truce.db"))?;
    // (Written by SQLite itself; listed here.)
    w.files.insert("truce.db".into(), hex(&sha2::Sha256::digest(&copied)));
    say(&format!("copied the database ({} bytes)", copied.len()));

    let log = data.join("log");
    let (checkpoint, files) = copy_log(&log, index_end.max(0) as u64)?;
    let mut paths: Vec<&String> = files.keys().collect();
    paths.sort();
    for path in paths {
        w.put(&format!("log/{path}"), &files[path], false)?;
    }
    let state = truce_tlog::state::TreeState { size: checkpoint.size, root: checkpoint.root };
    w.put("log/.state/signed", &state.to_bytes(), false)?;
    w.put(
        &format!("log/{}", layout::LOG_VKEY),
        &std::fs::read(log.join(layout::LOG_VKEY))?,
        false,
    )?;
    if private_keys {
        w.put(
            &format!("log/{}", layout::LOG_SKEY),
            &std::fs::read(log.join(layout::LOG_SKEY))?,
            true,
        )?;
    }
    say(&format!(
        "copied the log up to its checkpoint of {} entries, every file authenticated",
        checkpoint.size
    ));

    // The hosted witnesses' state and keys, the media, the peers and (if asked) the private keys.
    let skip_private =
        |name: &str| name == "tmp" || name == ".lock" || (!private_keys && name.ends_with(".skey"));
    let witnesses = config.witnesses.clone().unwrap_or_else(|| data.join("witnesses"));
    if witnesses.is_dir() {
        w.tree(&witnesses, "witnesses", &skip_private)?;
    }
    let media = data.join("media");
    if config.media_url.is_none() && media.is_dir() {
        w.tree(&media, "media", &|name| name.starts_with('.'))?;
    }
    if data.join("witness-peers").is_file() {
        w.put("witness-peers", &std::fs::read(data.join("witness-peers"))?, false)?;
    }
    if private_keys && data.join("keys").is_dir() {
        w.tree(&data.join("keys"), "keys", &|_| false)?;
    }
    let manifest = Manifest {
        schema: "truce.backup/1".into(),
        taken: jiff::Timestamp::now().to_string(),
        log_size: checkpoint.size,
        origin: checkpoint.origin.clone(),
        private_keys,
        files: w.files,
    };
    std::fs::write(to.join(MANIFEST), serde_json::to_vec_pretty(&manifest)?)?;
    say(&format!("wrote {} files and {MANIFEST} to {}", manifest.files.len(), to.display()));
    Ok(manifest)
}

/// Restores the backup at `from` into the data directory `to` (new or empty): every file is checked
/// against the manifest and the log audited before anything is written.
pub fn restore(from: &Path, to: &Path, say: &(dyn Fn(&str) + Sync)) -> anyhow::Result<Manifest> {
    let text = std::fs::read_to_string(from.join(MANIFEST)).with_context(|| {
        format!("{} has no {MANIFEST}: it is not a complete backup", from.display())
    })?;
    let manifest: Manifest = serde_json::from_str(&text)
        .with_context(|| format!("{}: not a backup manifest", from.join(MANIFEST).display()))?;
    if manifest.schema != "truce.backup/1" {
        bail!(
            "{}: schema {:?}, expected truce.backup/1",
            from.join(MANIFEST).display(),
            manifest.schema
        );
    }
    if to.exists() && std::fs::read_dir(to)?.next().is_some() {
        bail!("{} is not empty: restore into a new or empty directory", to.display());
    }
    let mut contents = BTreeMap::new();
    for (rel, sha) in &manifest.files {
        if rel.split('/').any(|c| c.is_empty() || c == "." || c == "..") {
            bail!("{}: refusing the path {rel:?}", from.join(MANIFEST).display());
        }
        let bytes = std::fs::read(from.join(rel)).with_context(|| {
            format!("{}: listed in the manifest, missing", from.join(rel).display())
        })?;
        if hex(&sha2::Sha256::digest(&bytes)) != *sha {
            bail!(
                "{}: its SHA-256 is not the manifest's: the backup was altered or damaged",
                from.join(rel).display()
            );
        }
        contents.insert(rel.clone(), bytes);
    }
    // The log audits, at the size the manifest says.
    let log = from.join("log");
    let vkey = layout::read_vkey(&log.join(layout::LOG_VKEY)).map_err(|e| format_err!("{e}"))?;
    let reader = truce_tlog::fs::DirReader { root: log };
    let (_, checkpoint) = truce_tlog::client::signed_checkpoint(&reader, &vkey)
        .map_err(|e| format_err!("the backup's log: {e}"))?;
    let verifier = truce_tlog::client::TileVerifier::new(&reader, &checkpoint)
        .map_err(|e| format_err!("the backup's log: {e}"))?;
    let audit = truce_tlog::client::audit(&verifier, &mut |_| {})
        .map_err(|e| format_err!("the backup's log does not audit: {e}"))?;
    if checkpoint.size != manifest.log_size {
        bail!(
            "the backup's log has {} entries, its manifest says {}",
            checkpoint.size,
            manifest.log_size
        );
    }
    say(&format!("the backup's log audits: {} entries, {} tiles", audit.entries, audit.tiles));
    create_private_dir(to)?;
    let mut w = Writer { dir: to.to_path_buf(), files: BTreeMap::new() };
    for (rel, bytes) in &contents {
        let private = rel.ends_with(".skey") || rel.starts_with("keys/") || rel == "truce.db";
        w.put(rel, bytes, private)?;
    }
    say(&format!("restored {} files into {}", contents.len(), to.display()));
    Ok(manifest)
}
