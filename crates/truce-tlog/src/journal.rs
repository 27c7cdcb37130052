//! The journal: where the [`crate::sequencer::Sequencer`] makes a batch durable before acknowledging it.
//!
//! The journal is a series of segment files, `.state/journal/<index of its first entry, 20 digits>`. The
//! sequencer appends each batch to the current segment as one record and flushes it
//! ([`Storage::append`]): one write and one data flush per batch, no new file, against the several tiles,
//! bundles and record a batch touches in the tree, so acknowledgement waits for one flush instead of a
//! round of them. A segment is closed when it passes [`SEGMENT_BYTES`] and the next batch opens a new one.
//! The log integrates journalled batches into its tiles afterwards, then removes the segments that are
//! closed and wholly integrated; [`crate::log::Log::open`] integrates any batch still journalled, so an
//! acknowledged entry is never lost and always keeps its index.
//!
//! A record is: the first index (u64, big-endian), the number of entries (u32, big-endian), the entries
//! as in an entry bundle (u16 big-endian length, then the bytes), and the SHA-256 of all that. A crash
//! during an append can leave a torn record at the end of a segment: it was never acknowledged, and
//! reading stops there (a gap that this hides is still caught by [`pending`], as acknowledged entries
//! missing before later ones).

use sha2::{Digest, Sha256};

use crate::Error;
use crate::storage::Storage;
use crate::tile::{parse_bundle, push_entry};

/// The directory of journal files.
pub const JOURNAL_DIR: &str = ".state/journal";

/// A segment is closed once it holds this many bytes.
pub const SEGMENT_BYTES: u64 = 8 << 20;

/// One journalled batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Batch {
    /// The index of the first entry.
    pub first: u64,
    /// The entries, at indices `first..first + entries.len()`.
    pub entries: Vec<Vec<u8>>,
    /// The segment that holds it: the index of the segment's first entry.
    pub segment: u64,
}

/// The path of the segment whose first entry has index `first`.
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

/// One journal record, parsed and checked (its digest, its entry count, its index range), with its
/// entries borrowed from the bytes it was read from. Every reader of the journal parses records here:
/// [`read_all`] over any [`Storage`], and the shared log's store when it is handed a record to append.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record<'a> {
    /// The index of the first entry.
    pub first: u64,
    /// The entries, at indices `first..first + entries.len()`.
    pub entries: Vec<&'a [u8]>,
}

impl<'a> Record<'a> {
    /// Parses exactly one record: the whole of `data`.
    pub fn parse(data: &'a [u8]) -> Result<Record<'a>, Error> {
        match Record::parse_prefix(data)? {
            (record, used) if used == data.len() => Ok(record),
            _ => Err(Error::Tampered("corrupt journal record: bytes after the digest".into())),
        }
    }

    /// Parses the record at the start of `data`: the record and its length in bytes.
    pub fn parse_prefix(data: &'a [u8]) -> Result<(Record<'a>, usize), Error> {
        let bad = |why: &str| Error::Tampered(format!("corrupt journal record: {why}"));
        let (Some(first), Some(count)) = (data.get(..8), data.get(8..12)) else {
            return Err(bad("too short"));
        };
        let first = u64::from_be_bytes(first.try_into().map_err(|_| bad("header"))?);
        let count = u32::from_be_bytes(count.try_into().map_err(|_| bad("header"))?);
        // The entries: `count` length-prefixed byte strings.
        let mut at = 12usize;
        for _ in 0..count {
            let len = data.get(at..at + 2).ok_or_else(|| bad("truncated entry length"))?;
            at += 2 + usize::from(u16::from_be_bytes([len[0], len[1]]));
            if at > data.len() {
                return Err(bad("truncated entry"));
            }
        }
        let digest = data.get(at..at + 32).ok_or_else(|| bad("truncated digest"))?;
        if Sha256::digest(&data[..at]).as_slice() != digest {
            return Err(bad("digest mismatch"));
        }
        let entries = parse_bundle(&data[12..at])?;
        if entries.len() != count as usize {
            return Err(bad("entry count"));
        }
        if first.checked_add(u64::from(count)).is_none_or(|end| end > MAX_INDEX) {
            return Err(bad("indices beyond the largest a log holds"));
        }
        Ok((Record { first, entries }, at + 32))
    }

    /// The number of entries.
    pub fn count(&self) -> u64 {
        self.entries.len() as u64
    }

    /// The index after the last entry: where the next record starts.
    pub fn end(&self) -> u64 {
        self.first + self.count()
    }

    /// The record as a batch of owned entries, in segment `segment`.
    pub fn to_batch(&self, segment: u64) -> Batch {
        Batch {
            first: self.first,
            entries: self.entries.iter().map(|e| e.to_vec()).collect(),
            segment,
        }
    }
}

/// The largest index a journal record may reach (its end): 2^63 − 1, so that every index is also a
/// signed 64-bit integer, as databases store them.
pub const MAX_INDEX: u64 = i64::MAX as u64;

/// Decodes one record (the whole of `data`), checking its digest and its entry count. The batch's
/// segment is left 0.
pub fn decode(data: &[u8]) -> Result<Batch, Error> {
    Record::parse(data).map(|r| r.to_batch(0))
}

/// The records of the segment at `path` that starts at index `segment`, in order, up to the first
/// record that does not decode (a torn tail, never acknowledged).
fn decode_segment(path: &str, segment: u64, data: &[u8]) -> Result<Vec<Batch>, Error> {
    let mut batches: Vec<Batch> = Vec::new();
    let mut rest = data;
    while !rest.is_empty() {
        let Ok((record, used)) = Record::parse_prefix(rest) else { break };
        let expected = batches.last().map_or(segment, |b| b.first + b.entries.len() as u64);
        if record.first != expected {
            return Err(Error::Tampered(format!(
                "{path}: a record starts at index {}, not {expected}",
                record.first
            )));
        }
        batches.push(record.to_batch(segment));
        rest = &rest[used..];
    }
    Ok(batches)
}

/// Every journalled batch, in index order.
pub fn read_all(storage: &dyn Storage) -> Result<Vec<Batch>, Error> {
    let mut batches = Vec::new();
    for name in storage.list(JOURNAL_DIR)? {
        let path = format!("{JOURNAL_DIR}/{name}");
        let segment: u64 = name
            .parse()
            .ok()
            .filter(|s| self::path(*s) == path)
            .ok_or_else(|| Error::Tampered(format!("{path} is not a journal segment")))?;
        let Some(data) = storage.read(&path)? else { continue };
        batches.extend(decode_segment(&path, segment, &data)?);
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
