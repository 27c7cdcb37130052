//! The journal: where the [`crate::sequencer::Sequencer`] makes a batch durable before acknowledging it.
//!
//! Each batch is one file, `.state/journal/<first index, 20 digits>`, committed through [`Storage`] like any
//! other write (temporary file, flush, rename, directory flush). That is one small file per batch, against
//! the several tiles, bundles and record a batch touches in the tree, so acknowledgement waits for one flush
//! round instead of two. The log integrates journalled batches into its tiles afterwards, then removes their
//! files; [`crate::log::Log::open`] integrates any batch still journalled, so an acknowledged entry is never
//! lost and always keeps its index.
//!
//! A journal file is: the first index (u64, big-endian), the number of entries (u32, big-endian), the
//! entries as in an entry bundle (u16 big-endian length, then the bytes), and the SHA-256 of all that.

use sha2::{Digest, Sha256};

use crate::Error;
use crate::storage::Storage;
use crate::tile::{parse_bundle, push_entry};

/// The directory of journal files.
pub const JOURNAL_DIR: &str = ".state/journal";

/// One journalled batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Batch {
    /// The index of the first entry.
    pub first: u64,
    /// The entries, at indices `first..first + entries.len()`.
    pub entries: Vec<Vec<u8>>,
}

/// The path of the journal file of the batch starting at `first`.
pub fn path(first: u64) -> String {
    format!("{JOURNAL_DIR}/{first:020}")
}

/// Encodes a batch as a journal file.
pub fn encode(first: u64, entries: &[Vec<u8>]) -> Result<Vec<u8>, Error> {
    let count = u32::try_from(entries.len())
        .map_err(|_| Error::Tile(format!("a batch of {} entries is too large", entries.len())))?;
    let mut data = Vec::with_capacity(12 + entries.iter().map(|e| e.len() + 2).sum::<usize>() + 32);
    data.extend_from_slice(&first.to_be_bytes());
    data.extend_from_slice(&count.to_be_bytes());
    for e in entries {
        push_entry(&mut data, e)?;
    }
    let digest = Sha256::digest(&data);
    data.extend_from_slice(&digest);
    Ok(data)
}

/// Decodes a journal file, checking its digest and its entry count.
pub fn decode(data: &[u8]) -> Result<Batch, Error> {
    let bad = |why: &str| Error::Tampered(format!("corrupt journal file: {why}"));
    if data.len() < 12 + 32 {
        return Err(bad("too short"));
    }
    let (body, digest) = data.split_at(data.len() - 32);
    if Sha256::digest(body).as_slice() != digest {
        return Err(bad("digest mismatch"));
    }
    let first = u64::from_be_bytes(body[..8].try_into().map_err(|_| bad("header"))?);
    let count = u32::from_be_bytes(body[8..12].try_into().map_err(|_| bad("header"))?);
    let entries: Vec<Vec<u8>> =
        parse_bundle(&body[12..])?.into_iter().map(<[u8]>::to_vec).collect();
    if entries.len() != count as usize {
        return Err(bad("entry count"));
    }
    Ok(Batch { first, entries })
}

/// Every journalled batch, in index order.
pub fn read_all(storage: &dyn Storage) -> Result<Vec<Batch>, Error> {
    let mut batches = Vec::new();
    for name in storage.list(JOURNAL_DIR)? {
        let path = format!("{JOURNAL_DIR}/{name}");
        let Some(data) = storage.read(&path)? else { continue };
        let batch = decode(&data).map_err(|e| Error::Tampered(format!("{path}: {e}")))?;
        if path != self::path(batch.first) {
            return Err(Error::Tampered(format!("{path} holds the batch from {}", batch.first)));
        }
        batches.push(batch);
    }
    batches.sort_by_key(|b| b.first);
    Ok(batches)
}

/// The journalled entries from index `size` on, which the tree of `size` entries does not yet hold.
/// Batches wholly below `size` are already integrated. The rest must follow on from `size` without a gap.
pub fn pending(batches: &[Batch], size: u64) -> Result<Vec<Vec<u8>>, Error> {
    let mut next = size;
    let mut out = Vec::new();
    for b in batches {
        let end = b.first + b.entries.len() as u64;
        if end <= size {
            continue;
        }
        if b.first > next {
            return Err(Error::Tampered(format!(
                "the journal skips from index {next} to {}: acknowledged entries are missing",
                b.first
            )));
        }
        let skip = (next - b.first) as usize;
        out.extend(b.entries[skip..].iter().cloned());
        next = end;
    }
    Ok(out)
}
