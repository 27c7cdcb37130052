//! C2SP `tlog-proof`: an offline proof that an entry is in a checkpointed log.
//!
//! ```text
//! c2sp.org/tlog-proof@v1
//! [extra <base64>]
//! index <n>
//! <base64 proof hash, one per line>
//!
//! <checkpoint, with its signatures and cosignatures>
//! ```

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use crate::Error;
use crate::checkpoint::Checkpoint;
use crate::merkle::{Hash, leaf_hash, verify_inclusion};
use crate::note::{Note, NoteVerifier, verify_note};

const HEADER: &str = "c2sp.org/tlog-proof@v1";

/// A parsed proof file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProofFile {
    /// Optional opaque data (for example the entry itself).
    pub extra: Option<Vec<u8>>,
    /// The entry's index.
    pub index: u64,
    /// The inclusion proof.
    pub proof: Vec<Hash>,
    /// The signed checkpoint the proof leads to.
    pub checkpoint: Note,
}

impl ProofFile {
    /// The file's text.
    pub fn to_text(&self) -> String {
        let mut out = format!("{HEADER}\n");
        if let Some(extra) = &self.extra {
            out.push_str(&format!("extra {}\n", STANDARD.encode(extra)));
        }
        out.push_str(&format!("index {}\n", self.index));
        for h in &self.proof {
            out.push_str(&STANDARD.encode(h));
            out.push('\n');
        }
        out.push('\n');
        out.push_str(&self.checkpoint.to_text());
        out
    }

    /// Parses a proof file.
    pub fn parse(bytes: &[u8]) -> Result<ProofFile, Error> {
        let bad = |why: &str| Error::Proof(format!("proof file: {why}"));
        let text = std::str::from_utf8(bytes).map_err(|_| bad("not UTF-8"))?;
        let (head, note) =
            text.split_once("\n\n").ok_or_else(|| bad("no blank line before the checkpoint"))?;
        let mut lines = head.split('\n');
        if lines.next() != Some(HEADER) {
            return Err(bad("first line is not c2sp.org/tlog-proof@v1"));
        }
        let mut line = lines.next().ok_or_else(|| bad("no index line"))?;
        let mut extra = None;
        if let Some(b64) = line.strip_prefix("extra ") {
            extra = Some(STANDARD.decode(b64).map_err(|_| bad("extra is not base64"))?);
            line = lines.next().ok_or_else(|| bad("no index line"))?;
        }
        let index_text = line.strip_prefix("index ").ok_or_else(|| bad("no index line"))?;
        if index_text.is_empty()
            || (index_text.len() > 1 && index_text.starts_with('0'))
            || !index_text.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(bad("index is not a decimal number"));
        }
        let index = index_text.parse().map_err(|_| bad("index too large"))?;
        let mut proof = Vec::new();
        for l in lines {
            let h: Hash = STANDARD
                .decode(l)
                .ok()
                .and_then(|b| b.try_into().ok())
                .ok_or_else(|| bad("proof line is not a base64 hash"))?;
            proof.push(h);
            if proof.len() > 63 {
                return Err(bad("more than 63 proof hashes"));
            }
        }
        let checkpoint = Note::parse(note.as_bytes())?;
        Ok(ProofFile { extra, index, proof, checkpoint })
    }

    /// Verifies that `entry` is in the log: the checkpoint is signed by `log`, and the proof leads from the
    /// entry's leaf hash to the checkpoint's root. Returns the checkpoint.
    pub fn verify(&self, entry: &[u8], log: &NoteVerifier) -> Result<Checkpoint, Error> {
        verify_note(&self.checkpoint, std::slice::from_ref(log))?;
        let checkpoint = Checkpoint::parse(&self.checkpoint.text)?;
        if checkpoint.origin != log.name {
            return Err(Error::Proof(format!(
                "checkpoint origin {:?} is not the log's name {:?}",
                checkpoint.origin, log.name
            )));
        }
        verify_inclusion(
            self.index,
            checkpoint.size,
            &leaf_hash(entry),
            &self.proof,
            &checkpoint.root,
        )?;
        Ok(checkpoint)
    }
}
