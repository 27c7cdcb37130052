//! A log's and a witness's directories on disk: where the keys and state live, how they are made and
//! opened. The one place that knows these file names; the CLI, the server and the tools call it.
//!
//! A log directory is its tlog-tiles URL space (`checkpoint`, `tile/…`) with the public key `log.vkey`
//! beside it and its private state in `.state/` (the key `.state/log.skey`, the signing record, the
//! journal), which must never be published. A witness directory holds `witness.skey`, `witness.vkey`,
//! `logs` (the vkeys of the logs it follows, one a line) and `state/`.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use crate::Error;
use crate::log::Log;
use crate::merkle::{self, Hash};
use crate::note::{COSIGNATURE_V1, ED25519, NoteSigner, NoteVerifier};
use crate::storage::FsStorage;
use crate::witness::{Witness, WitnessStore};

/// The log's private key, inside the log directory (never served).
pub const LOG_SKEY: &str = ".state/log.skey";
/// The log's public key, inside the log directory.
pub const LOG_VKEY: &str = "log.vkey";

fn io(path: &Path, what: &str, e: std::io::Error) -> Error {
    Error::Io(std::io::Error::new(e.kind(), format!("{what} {}: {e}", path.display())))
}

fn read_text(path: &Path) -> Result<String, Error> {
    std::fs::read_to_string(path).map_err(|e| io(path, "cannot read", e))
}

/// Writes a new secret file readable by its owner only, flushed to disk; refuses to overwrite one.
pub fn write_secret(path: &Path, text: &str) -> Result<(), Error> {
    #[cfg(unix)]
    use std::os::unix::fs::OpenOptionsExt;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    options.mode(0o600);
    let mut f = options.open(path).map_err(|e| io(path, "cannot create", e))?;
    f.write_all(text.as_bytes()).map_err(|e| io(path, "cannot write", e))?;
    f.sync_all().map_err(|e| io(path, "cannot flush", e))
}

/// Whether `dir` holds a log (its private key).
pub fn is_log(dir: &Path) -> bool {
    dir.join(LOG_SKEY).exists()
}

/// Creates an empty log in `dir` with a new Ed25519 key named `origin`, and writes its public key.
pub fn init_log(dir: &Path, origin: &str) -> Result<Log<FsStorage>, Error> {
    let signer = NoteSigner::generate(origin, ED25519)?;
    let storage = FsStorage::open(dir)?;
    std::fs::create_dir_all(dir.join(".state"))
        .map_err(|e| io(dir, "cannot create .state in", e))?;
    if is_log(dir) {
        return Err(Error::Io(std::io::Error::new(
            std::io::ErrorKind::AlreadyExists,
            format!("{} already holds a log", dir.display()),
        )));
    }
    write_secret(&dir.join(LOG_SKEY), &format!("{}\n", signer.skey()))?;
    let log = Log::create(storage, signer.clone())?;
    let vkey = dir.join(LOG_VKEY);
    std::fs::write(&vkey, format!("{}\n", signer.verifier().vkey()))
        .map_err(|e| io(&vkey, "cannot write", e))?;
    Ok(log)
}

/// The log's signing key, from `dir`.
pub fn log_signer(dir: &Path) -> Result<NoteSigner, Error> {
    let path = dir.join(LOG_SKEY);
    let text = read_text(&path).map_err(|e| {
        Error::Io(std::io::Error::other(format!(
            "{e} (the log's private key: is {} a log made by `truce log init`?)",
            dir.display()
        )))
    })?;
    NoteSigner::parse(&text).map_err(|e| Error::Note(format!("{}: {e}", path.display())))
}

/// A public key from a vkey file.
pub fn read_vkey(path: &Path) -> Result<NoteVerifier, Error> {
    NoteVerifier::parse(&read_text(path)?)
        .map_err(|e| Error::Note(format!("{}: {e}", path.display())))
}

/// Opens the log in `dir` as its writer (integrating its journal; see [`Log::open`]).
pub fn open_log(dir: &Path) -> Result<Log<FsStorage>, Error> {
    Log::open(FsStorage::open(dir)?, log_signer(dir)?)
}

/// Appends `entries` to the log in `dir`, creating it (with a new key for `origin`) if there is none;
/// returns the index of the first.
pub fn append_entries(dir: &Path, origin: &str, entries: &[Vec<u8>]) -> Result<u64, Error> {
    let mut log = if is_log(dir) { open_log(dir)? } else { init_log(dir, origin)? };
    let mut first = None;
    for chunk in entries.chunks(4096) {
        let f = log.append(chunk)?;
        first.get_or_insert(f);
    }
    Ok(first.unwrap_or(log.size()))
}

/// Creates a witness in `dir` named `name`, with a new cosigning key, following the logs `logs`.
pub fn init_witness(dir: &Path, name: &str, logs: &[NoteVerifier]) -> Result<NoteVerifier, Error> {
    std::fs::create_dir_all(dir).map_err(|e| io(dir, "cannot create", e))?;
    let signer = NoteSigner::generate(name, COSIGNATURE_V1)?;
    let list: String = logs.iter().map(|v| format!("{}\n", v.vkey())).collect();
    write_secret(&dir.join("witness.skey"), &format!("{}\n", signer.skey()))?;
    let path = dir.join("logs");
    std::fs::write(&path, list).map_err(|e| io(&path, "cannot write", e))?;
    let verifier = signer.verifier();
    let path = dir.join("witness.vkey");
    std::fs::write(&path, format!("{}\n", verifier.vkey()))
        .map_err(|e| io(&path, "cannot write", e))?;
    Ok(verifier)
}

/// The witness made by [`init_witness`] in `dir`: its key, the logs it follows, its state.
pub fn load_witness(dir: &Path) -> Result<Witness<FileWitnessStore>, Error> {
    let path = dir.join("witness.skey");
    let signer = NoteSigner::parse(&read_text(&path)?)
        .map_err(|e| Error::Note(format!("{}: {e}", path.display())))?;
    let path = dir.join("logs");
    let mut logs = HashMap::new();
    for (n, line) in read_text(&path)?.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let v = NoteVerifier::parse(line)
            .map_err(|e| Error::Note(format!("{}:{}: a log key: {e}", path.display(), n + 1)))?;
        logs.insert(v.name.clone(), v);
    }
    Ok(Witness { signer, logs, store: FileWitnessStore::new(dir) })
}

/// The witnesses hosted under `dir`: each subdirectory holding a witness key, by name, in name order.
pub fn hosted_witnesses(dir: &Path) -> Result<Vec<(String, PathBuf)>, Error> {
    let mut out: Vec<(String, PathBuf)> = std::fs::read_dir(dir)
        .map_err(|e| io(dir, "cannot read", e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("witness.skey").exists())
        .filter_map(|p| Some((p.file_name()?.to_str()?.to_string(), p)))
        .collect();
    out.sort();
    Ok(out)
}

/// A witness's state on disk: one file per log origin (named by the hash of the origin) holding
/// `size\nroot`. [`WitnessStore::compare_and_swap`] holds an exclusive file lock across its read and its
/// write, so several processes may share the directory; the write is a temporary file, flushed and
/// renamed, then the directory flushed.
pub struct FileWitnessStore {
    dir: PathBuf,
}

impl FileWitnessStore {
    /// The store in `dir` (its state goes in `dir/state/`).
    pub fn new(dir: &Path) -> FileWitnessStore {
        FileWitnessStore { dir: dir.to_path_buf() }
    }

    fn path(&self, origin: &str) -> PathBuf {
        let hash = merkle::leaf_hash(origin.as_bytes());
        let name: String = hash.iter().map(|b| format!("{b:02x}")).collect();
        self.dir.join("state").join(name)
    }
}

impl WitnessStore for FileWitnessStore {
    fn latest(&self, origin: &str) -> Result<Option<(u64, Hash)>, Error> {
        match std::fs::read_to_string(self.path(origin)) {
            Ok(text) => {
                let mut lines = text.lines();
                let size = lines.next().and_then(|l| l.parse().ok());
                let root = lines
                    .next()
                    .and_then(|l| STANDARD.decode(l).ok().and_then(|b| b.try_into().ok()));
                match (size, root) {
                    (Some(s), Some(r)) => Ok(Some((s, r))),
                    _ => Err(Error::Checkpoint("corrupt witness state".into())),
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    fn compare_and_swap(
        &mut self,
        origin: &str,
        expected_old: u64,
        size: u64,
        root: Hash,
    ) -> Result<bool, Error> {
        use crate::storage::Storage;
        std::fs::create_dir_all(self.dir.join("state"))?;
        // One witness process at a time holds the lock across the read and the write.
        let lock = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(self.dir.join("state/.lock"))?;
        lock.lock()?;
        let current = self.latest(origin)?.map_or(0, |(s, _)| s);
        if current != expected_old {
            return Ok(false);
        }
        let mut storage = FsStorage::open(&self.dir)?;
        let name =
            self.path(origin).file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
        storage.stage(
            &format!("state/{name}"),
            format!("{size}\n{}\n", STANDARD.encode(root)).as_bytes(),
        )?;
        storage.commit()?;
        Ok(true)
    }
}
