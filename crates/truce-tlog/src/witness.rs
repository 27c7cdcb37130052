//! A C2SP `tlog-witness`: cosigns a checkpoint only if it extends the last one it cosigned for that log.
//!
//! [`Witness::add_checkpoint`] implements the `add-checkpoint` request with the specification's status codes;
//! the HTTP endpoint itself belongs to the server. The check of the old size and the persisting of the new
//! checkpoint happen atomically, through [`WitnessStore::compare_and_swap`].

use std::collections::HashMap;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use crate::Error;
use crate::checkpoint::Checkpoint;
use crate::merkle::{self, Hash};
use crate::note::{Note, NoteSigner, NoteVerifier, verify_note};

/// The witness state on disk, in [`crate::layout`] with the other files this crate owns.
pub use crate::layout::FileWitnessStore;

/// Where a witness keeps the latest checkpoint it cosigned for each log.
///
/// Contract: `compare_and_swap` replaces the stored size for `origin` with `new` only if the stored size
/// (0 when none) equals `expected_old`, atomically with respect to other calls, and durably before it
/// returns `Ok(true)`. It returns `Ok(false)` without change otherwise.
pub trait WitnessStore {
    /// The size and root of the latest cosigned checkpoint for `origin`, if any.
    fn latest(&self, origin: &str) -> Result<Option<(u64, Hash)>, Error>;
    /// Atomically records `(size, root)` for `origin` if the current size is `expected_old`.
    fn compare_and_swap(
        &mut self,
        origin: &str,
        expected_old: u64,
        size: u64,
        root: Hash,
    ) -> Result<bool, Error>;
}

/// An in-memory store (for tests and single-process use).
#[derive(Debug, Default, Clone)]
pub struct MemoryWitnessStore {
    latest: HashMap<String, (u64, Hash)>,
}

impl WitnessStore for MemoryWitnessStore {
    fn latest(&self, origin: &str) -> Result<Option<(u64, Hash)>, Error> {
        Ok(self.latest.get(origin).copied())
    }

    fn compare_and_swap(
        &mut self,
        origin: &str,
        expected_old: u64,
        size: u64,
        root: Hash,
    ) -> Result<bool, Error> {
        let current = self.latest.get(origin).map_or(0, |(s, _)| *s);
        if current != expected_old {
            return Ok(false);
        }
        self.latest.insert(origin.to_string(), (size, root));
        Ok(true)
    }
}

/// The body of a tlog-witness `add-checkpoint` request: `old <size>`, the consistency proof from that
/// size (one base64 hash a line), a blank line, and the signed checkpoint. The inverse of what
/// [`Witness::add_checkpoint`] reads.
pub fn add_checkpoint_request(old: u64, proof: &[Hash], checkpoint: &Note) -> Vec<u8> {
    let mut body = format!("old {old}\n");
    for h in proof {
        body.push_str(&STANDARD.encode(h));
        body.push('\n');
    }
    body.push('\n');
    body.push_str(&checkpoint.to_text());
    body.into_bytes()
}

/// A refusal, with the HTTP status the specification assigns to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// 400, 403, 404, 409 or 422 (409 also for a split view: the same size with another root).
    pub status: u16,
    /// The response body: for 409, the witness's size followed by a newline (`text/x.tlog.size`).
    pub body: String,
}

fn refuse(status: u16, body: impl Into<String>) -> Refusal {
    Refusal { status, body: body.into() }
}

/// A witness: its cosigning key and the logs it follows.
pub struct Witness<S: WitnessStore> {
    /// Cosigning key (type 0x04).
    pub signer: NoteSigner,
    /// Known logs, by origin: their verifier keys.
    pub logs: HashMap<String, NoteVerifier>,
    /// Persistent state.
    pub store: S,
}

impl<S: WitnessStore> Witness<S> {
    /// Handles an `add-checkpoint` request body at time `now` (POSIX seconds, non-zero). Returns the
    /// cosignature line(s) on success, or the refusal with its status (tlog-witness §"add-checkpoint").
    pub fn add_checkpoint(&mut self, body: &[u8], now: u64) -> Result<String, Refusal> {
        let text = std::str::from_utf8(body).map_err(|_| refuse(400, "request is not UTF-8"))?;
        let (head, note_text) = text
            .split_once("\n\n")
            .ok_or_else(|| refuse(400, "no blank line before the checkpoint"))?;
        let mut lines = head.split('\n');
        let old: u64 = lines
            .next()
            .and_then(|l| l.strip_prefix("old "))
            .filter(|s| {
                !s.is_empty()
                    && s.bytes().all(|b| b.is_ascii_digit())
                    && (s.len() == 1 || !s.starts_with('0'))
            })
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| refuse(400, "first line must be `old <size>`"))?;
        let proof: Vec<Hash> = lines
            .map(|l| STANDARD.decode(l).ok().and_then(|b| <[u8; 32]>::try_from(b).ok()))
            .collect::<Option<_>>()
            .ok_or_else(|| refuse(400, "proof lines must be base64 hashes"))?;
        if proof.len() > 63 {
            return Err(refuse(400, "more than 63 proof lines"));
        }
        let note = Note::parse(note_text.as_bytes()).map_err(|e| refuse(400, e.to_string()))?;
        let checkpoint = Checkpoint::parse(&note.text).map_err(|e| refuse(400, e.to_string()))?;
        let key =
            self.logs.get(&checkpoint.origin).ok_or_else(|| refuse(404, "unknown log origin"))?;
        verify_note(&note, std::slice::from_ref(key)).map_err(|e| refuse(403, e.to_string()))?;
        if old > checkpoint.size {
            return Err(refuse(400, "old size is larger than the checkpoint's"));
        }
        let latest =
            self.store.latest(&checkpoint.origin).map_err(|e| refuse(500, e.to_string()))?;
        let (latest_size, latest_root) = latest.unwrap_or((0, merkle::empty_hash()));
        if old != latest_size {
            return Err(refuse(409, format!("{latest_size}\n")));
        }
        if checkpoint.size == 0 && checkpoint.root != merkle::empty_hash() {
            return Err(refuse(422, "a size-0 checkpoint must carry the empty-tree hash"));
        }
        if old == 0 {
            if !proof.is_empty() {
                return Err(refuse(422, "a proof from size 0 must be empty"));
            }
        } else if old == checkpoint.size {
            // tlog-witness: the same size with another root hash (a split view) is 409 Conflict, with the
            // witness's size.
            if checkpoint.root != latest_root {
                return Err(refuse(409, format!("{latest_size}\n")));
            }
            if !proof.is_empty() {
                return Err(refuse(422, "a proof between equal sizes must be empty"));
            }
        } else {
            merkle::verify_consistency(
                old,
                checkpoint.size,
                &latest_root,
                &checkpoint.root,
                &proof,
            )
            .map_err(|e| refuse(422, e.to_string()))?;
        }
        // The old-size check and the new state are one atomic step: a concurrent request that moved the
        // state in between gets a 409 instead of rolling it back.
        match self.store.compare_and_swap(&checkpoint.origin, old, checkpoint.size, checkpoint.root)
        {
            Ok(true) => {}
            Ok(false) => {
                let now_size =
                    self.store.latest(&checkpoint.origin).ok().flatten().map_or(0, |(s, _)| s);
                return Err(refuse(409, format!("{now_size}\n")));
            }
            Err(e) => return Err(refuse(500, e.to_string())),
        }
        Ok(self.signer.sign(&note.text, now.max(1)).line())
    }
}

/// Evidence that a log signed two checkpoints that cannot both be true.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fork {
    /// One checkpoint.
    pub a: Note,
    /// The other.
    pub b: Note,
    /// Why they conflict.
    pub reason: String,
}

/// Checks two checkpoints signed by `log` for a fork: same size with different roots, or a smaller tree
/// that the larger does not extend (given the consistency `proof` from the smaller to the larger).
/// Returns `Some(Fork)` with both signed checkpoints as evidence.
pub fn detect_fork(
    log: &NoteVerifier,
    a: &Note,
    b: &Note,
    proof: &[Hash],
) -> Result<Option<Fork>, Error> {
    verify_note(a, std::slice::from_ref(log))?;
    verify_note(b, std::slice::from_ref(log))?;
    let (ca, cb) = (Checkpoint::parse(&a.text)?, Checkpoint::parse(&b.text)?);
    if ca.origin != cb.origin {
        return Ok(None);
    }
    let (small, large, small_note, large_note) =
        if ca.size <= cb.size { (&ca, &cb, a, b) } else { (&cb, &ca, b, a) };
    let fork = |reason: String| Some(Fork { a: small_note.clone(), b: large_note.clone(), reason });
    if small.size == large.size {
        return Ok(if small.root == large.root {
            None
        } else {
            fork(format!("two different trees of size {}", small.size))
        });
    }
    if small.size == 0 {
        return Ok(None);
    }
    Ok(match merkle::verify_consistency(small.size, large.size, &small.root, &large.root, proof) {
        Ok(()) => None,
        Err(e) => fork(format!(
            "the tree of size {} does not extend the tree of size {}: {e}",
            large.size, small.size
        )),
    })
}
