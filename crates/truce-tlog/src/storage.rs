//! Durable storage of a log's files, behind a narrow trait.

use std::collections::BTreeSet;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::Error;
use crate::client::TileReader;

/// Where a log keeps its files: tiles, entry bundles, the checkpoint, and its private state.
///
/// # Contract
///
/// - **Atomicity.** After [`Storage::commit`] returns, a reader sees for each path either the previous
///   content or the new one, never a mix, and never a torn file.
/// - **Durability.** Once [`Storage::commit`] returns `Ok`, every write staged before it survives a crash
///   (process kill or power loss, assuming the disk honours flushes).
/// - **Order.** Commits are durable in order: a crash never keeps a later commit and loses an earlier one.
///   Writes within one commit may become durable in any order until the commit returns.
/// - **Concurrency.** Handles made by [`Storage::try_clone`] may write concurrently as long as they write
///   disjoint paths (the log writes its tree; the sequencer writes its journal). Readers may read
///   concurrently and see only committed content.
/// - **Errors.** Any I/O failure is returned as [`Error::Io`]; after an error during a commit the storage
///   holds, for each path of that commit, the old or the new content, and the log must be reopened.
pub trait Storage: TileReader + Send {
    /// Stages `data` to replace the content at `path`.
    fn stage(&mut self, path: &str, data: &[u8]) -> Result<(), Error>;
    /// Makes every staged write durable and visible.
    fn commit(&mut self) -> Result<(), Error>;
    /// Appends `data` to the file at `path` (created if missing) and makes it durable before returning:
    /// the bytes, the file's new length and, for a new file, its name. Unlike a commit this is not
    /// atomic: a crash during the append may leave any prefix of `data` at the end of the file, which
    /// its reader must recognise (the journal's records carry a digest). Appends to one path come from
    /// one handle only.
    fn append(&mut self, path: &str, data: &[u8]) -> Result<(), Error>;
    /// Removes `path` if present. The removal is visible at once but need not be durable: after a crash
    /// the file may be back.
    fn remove(&mut self, path: &str) -> Result<(), Error>;
    /// The names of the committed files in directory `dir` (not their paths), in no particular order;
    /// empty if the directory does not exist.
    fn list(&self, dir: &str) -> Result<Vec<String>, Error>;
    /// Another handle on the same storage, with nothing staged.
    fn try_clone(&self) -> Result<Self, Error>
    where
        Self: Sized;
    /// Removes what commits cut short left behind (temporary files); returns how many. Called when a
    /// log is opened, before anything is written: no other handle may be committing.
    fn clean(&mut self) -> Result<usize, Error> {
        Ok(0)
    }
}

/// The default backend: files in a directory, written to a temporary file in the private
/// [`TEMP_DIR`], flushed, renamed into place, and the directory flushed (so the rename itself is
/// durable). No temporary file is ever written inside the published tree.
#[derive(Debug)]
pub struct FsStorage {
    root: PathBuf,
    /// Staged writes: (temporary path, target path) and the open temporary file.
    staged: Vec<((PathBuf, PathBuf), File)>,
    /// The file [`Storage::append`] last wrote, kept open for the next append.
    appending: Option<(String, File)>,
    /// While set, every write fails as a failing disk would (see [`FsStorage::with_fault_switch`]).
    fault: Option<std::sync::Arc<std::sync::atomic::AtomicBool>>,
    /// While set, staging and committing fail, appending does not (see
    /// [`FsStorage::with_publish_fault_switch`]).
    publish_fault: Option<std::sync::Arc<std::sync::atomic::AtomicBool>>,
}

/// Where [`FsStorage`] writes its temporary files: inside the private `.state/` directory, on the same
/// file system as the files they replace (so the rename is atomic), never in the published tree.
pub const TEMP_DIR: &str = ".state/tmp";

impl FsStorage {
    /// Storage in `root`, which is created if missing.
    pub fn open(root: &Path) -> Result<FsStorage, Error> {
        std::fs::create_dir_all(root)?;
        Ok(FsStorage {
            root: root.to_path_buf(),
            staged: Vec::new(),
            appending: None,
            fault: None,
            publish_fault: None,
        })
    }

    /// This storage, failing every write (stage, commit, remove) with an I/O error while `switch` is
    /// set: how tests and drills simulate a disk that fails and comes back. Clones share the switch.
    pub fn with_fault_switch(
        mut self,
        switch: std::sync::Arc<std::sync::atomic::AtomicBool>,
    ) -> Self {
        self.fault = Some(switch);
        self
    }

    /// This storage, failing to stage and commit (tiles, bundles, the checkpoint, the signing record)
    /// while `switch` is set, while appends (the journal) still succeed: how tests simulate a fault
    /// after the journal, such as a published tree made read-only. Clones share the switch.
    pub fn with_publish_fault_switch(
        mut self,
        switch: std::sync::Arc<std::sync::atomic::AtomicBool>,
    ) -> Self {
        self.publish_fault = Some(switch);
        self
    }

    fn check_fault(&self) -> Result<(), Error> {
        match &self.fault {
            Some(f) if f.load(std::sync::atomic::Ordering::SeqCst) => {
                Err(Error::Io(std::io::Error::other("simulated storage fault")))
            }
            _ => Ok(()),
        }
    }

    fn check_publish_fault(&self) -> Result<(), Error> {
        self.check_fault()?;
        match &self.publish_fault {
            Some(f) if f.load(std::sync::atomic::Ordering::SeqCst) => Err(Error::Io(
                std::io::Error::other("simulated storage fault (the published tree)"),
            )),
            _ => Ok(()),
        }
    }

    /// The directory.
    pub fn root(&self) -> &Path {
        &self.root
    }

    fn path(&self, path: &str) -> Result<PathBuf, Error> {
        if path.split('/').any(|c| c.is_empty() || c == "." || c == "..") {
            return Err(Error::Tile(format!("refusing path {path:?}")));
        }
        Ok(self.root.join(path))
    }
}

fn sync_dir(dir: &Path) -> Result<(), Error> {
    File::open(dir)?.sync_all()?;
    Ok(())
}

impl TileReader for FsStorage {
    fn read(&self, path: &str) -> Result<Option<Vec<u8>>, Error> {
        match std::fs::read(self.path(path)?) {
            Ok(data) => Ok(Some(data)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(Error::Io(e)),
        }
    }
}

impl Storage for FsStorage {
    fn stage(&mut self, path: &str, data: &[u8]) -> Result<(), Error> {
        self.check_publish_fault()?;
        let target = self.path(path)?;
        let dir = target.parent().unwrap_or(&self.root).to_path_buf();
        if !dir.exists() {
            std::fs::create_dir_all(&dir)?;
            // New directories must be durable in their parents before files in them are.
            let mut d = dir.as_path();
            while let Some(parent) = d.parent() {
                sync_dir(parent)?;
                if parent == self.root || !parent.starts_with(&self.root) {
                    break;
                }
                d = parent;
            }
        }
        // One temporary name per target path: handles writing disjoint paths never share one.
        let temp_dir = self.root.join(TEMP_DIR);
        if !temp_dir.exists() {
            std::fs::create_dir_all(&temp_dir)?;
        }
        let tmp = temp_dir.join(format!("{}.tmp", path.replace('/', "%")));
        let mut f = OpenOptions::new().write(true).create(true).truncate(true).open(&tmp)?;
        f.write_all(data)?;
        self.staged.push(((tmp, target), f));
        Ok(())
    }

    fn commit(&mut self) -> Result<(), Error> {
        // Flush every staged file, then rename them into place, then flush their directories. (One
        // thread: a commit is a handful of small files, and threads started per commit cost more CPU
        // than overlapping the flushes saves.)
        let staged = std::mem::take(&mut self.staged);
        self.check_publish_fault()?;
        for (_, file) in &staged {
            file.sync_all()?;
        }
        let mut dirs = BTreeSet::new();
        for ((tmp, target), _) in &staged {
            std::fs::rename(tmp, target)?;
            if let Some(d) = target.parent() {
                dirs.insert(d.to_path_buf());
            }
        }
        for d in dirs {
            sync_dir(&d)?;
        }
        Ok(())
    }

    fn append(&mut self, path: &str, data: &[u8]) -> Result<(), Error> {
        self.check_fault()?;
        if self.appending.as_ref().is_none_or(|(p, _)| p != path) {
            self.appending = None;
            let target = self.path(path)?;
            let dir = target.parent().unwrap_or(&self.root).to_path_buf();
            let created = !target.exists();
            if !dir.exists() {
                std::fs::create_dir_all(&dir)?;
                sync_dir(dir.parent().unwrap_or(&self.root))?;
            }
            let file = OpenOptions::new().create(true).append(true).open(&target)?;
            if created {
                // The new name must be durable before anything in the file is acknowledged.
                file.sync_all()?;
                sync_dir(&dir)?;
            }
            self.appending = Some((path.to_string(), file));
        }
        let Some((_, file)) = self.appending.as_mut() else {
            return Err(Error::Io(std::io::Error::other("no file open for appending")));
        };
        let written = file.write_all(data).and_then(|()| file.sync_data());
        if written.is_err() {
            // A failed append leaves the file in doubt: the next one reopens it.
            self.appending = None;
        }
        Ok(written?)
    }

    fn remove(&mut self, path: &str) -> Result<(), Error> {
        self.check_fault()?;
        if self.appending.as_ref().is_some_and(|(p, _)| p == path) {
            self.appending = None;
        }
        match std::fs::remove_file(self.path(path)?) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Error::Io(e)),
            _ => Ok(()),
        }
    }

    fn list(&self, dir: &str) -> Result<Vec<String>, Error> {
        let entries = match std::fs::read_dir(self.path(dir)?) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(Error::Io(e)),
        };
        let mut names = Vec::new();
        for entry in entries {
            let entry = entry?;
            // Temporary files (a commit cut short) start with a dot and were never committed.
            if let Some(name) = entry.file_name().to_str()
                && !name.starts_with('.')
                && entry.file_type()?.is_file()
            {
                names.push(name.to_string());
            }
        }
        Ok(names)
    }

    fn try_clone(&self) -> Result<FsStorage, Error> {
        Ok(FsStorage {
            root: self.root.clone(),
            staged: Vec::new(),
            appending: None,
            fault: self.fault.clone(),
            publish_fault: self.publish_fault.clone(),
        })
    }

    fn clean(&mut self) -> Result<usize, Error> {
        // Temporary files in the private directory, and any that older versions left inside the
        // published tree (`.<name>.tmp` next to their target).
        fn walk(dir: &Path, all: bool, removed: &mut usize) -> Result<(), Error> {
            let entries = match std::fs::read_dir(dir) {
                Ok(e) => e,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
                Err(e) => return Err(Error::Io(e)),
            };
            for entry in entries {
                let entry = entry?;
                let name = entry.file_name();
                let name = name.to_string_lossy();
                if entry.file_type()?.is_dir() {
                    if !all && name != ".state" {
                        walk(&entry.path(), false, removed)?;
                    }
                } else if all || (name.starts_with('.') && name.ends_with(".tmp")) {
                    std::fs::remove_file(entry.path())?;
                    *removed += 1;
                }
            }
            Ok(())
        }
        let mut removed = 0;
        walk(&self.root.join(TEMP_DIR), true, &mut removed)?;
        walk(&self.root.join("tile"), false, &mut removed)?;
        Ok(removed)
    }
}
