//! The writer, read back by the verifying client; tampering; reopening.

use truce_tlog::checkpoint::Checkpoint;
use truce_tlog::client::{TileVerifier, audit, check_consistency};
use truce_tlog::log::Log;
use truce_tlog::merkle::{
    HashSource, MemoryTree, inclusion_proof, leaf_hash, tree_hash, verify_inclusion,
};
use truce_tlog::note::{ED25519, Note, NoteSigner, verify_note};
use truce_tlog::storage::FsStorage;

pub fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("truce-tlog-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn entry(i: u64) -> Vec<u8> {
    format!("observation {i} {}", "x".repeat((i % 300) as usize)).into_bytes()
}

pub fn build(dir: &std::path::Path, size: u64, batch: u64) -> (NoteSigner, Vec<Note>) {
    let signer = NoteSigner::generate("truce.test/log", ED25519).unwrap();
    let mut log = Log::create(FsStorage::open(dir).unwrap(), signer.clone()).unwrap();
    let mut checkpoints = vec![log.checkpoint().clone()];
    let mut i = 0;
    while i < size {
        let n = batch.min(size - i);
        let entries: Vec<Vec<u8>> = (i..i + n).map(entry).collect();
        assert_eq!(log.append(&entries).unwrap(), i);
        i += n;
        checkpoints.push(log.checkpoint().clone());
    }
    (signer, checkpoints)
}

#[test]
fn written_log_verifies_and_tampering_is_caught() {
    let dir = temp_dir("70k");
    let size = 70_000;
    let (signer, checkpoints) = build(&dir, size, 997);
    let reader = FsStorage::open(&dir).unwrap();
    let latest_note = checkpoints.last().unwrap();
    verify_note(latest_note, &[signer.verifier()]).unwrap();
    let latest = Checkpoint::parse(&latest_note.text).unwrap();
    assert_eq!(latest.size, size);
    let expected = MemoryTree::new((0..size).map(|i| leaf_hash(&entry(i))).collect());
    assert_eq!(latest.root, tree_hash(&expected, size).unwrap());

    let verifier = TileVerifier::new(&reader, &latest).unwrap();
    assert_eq!(audit(&verifier, &mut |_| {}).unwrap().entries, size);
    for index in [0, 1, 255, 256, 25_602, 65_535, 65_536, 69_999] {
        let proof = inclusion_proof(&verifier, index, size).unwrap();
        verify_inclusion(index, size, &leaf_hash(&entry(index)), &proof, &latest.root).unwrap();
    }
    for old in checkpoints.iter().step_by(7) {
        check_consistency(&verifier, &Checkpoint::parse(&old.text).unwrap()).unwrap();
    }

    // Each entry is in the bundle `entry_bundle` names, at its place, including the partial one at the edge.
    for index in [0, 255, 256, 69_887, 69_888, 69_999] {
        let tile = truce_tlog::tile::entry_bundle(index, size).unwrap();
        let bytes = std::fs::read(dir.join(tile.path())).unwrap();
        let bundle = truce_tlog::tile::parse_bundle(&bytes).unwrap();
        assert_eq!(bundle.len(), usize::from(tile.width));
        assert_eq!(bundle[(index % 256) as usize], entry(index).as_slice());
    }
    assert_eq!(
        truce_tlog::tile::entry_bundle(69_999, size).unwrap().path(),
        "tile/entries/273.p/112"
    );
    assert_eq!(truce_tlog::tile::entry_bundle(size, size), None);
    assert_eq!(truce_tlog::tile::bundle_count(size), 274);

    // One byte changed in tile/0/100 (the leaf hash of entry 25,602): no hash of that tile is ever returned.
    let path = dir.join("tile/0/100");
    let mut bytes = std::fs::read(&path).unwrap();
    bytes[2 * 32 + 5] ^= 0x01;
    std::fs::write(&path, &bytes).unwrap();
    let tampered = TileVerifier::new(&reader, &latest).unwrap();
    let err = tampered.hash(0, 25_602).unwrap_err().to_string();
    assert!(err.contains("tile/0/100 does not match its parent tile"), "{err}");
    assert!(tampered.tile(0, 100).is_err());
    assert!(tampered.entries(100).is_err());
    assert!(
        inclusion_proof(&tampered, 25_601, size).is_err(),
        "its sibling is in the tampered tile"
    );
    assert!(audit(&tampered, &mut |_| {}).is_err());
    // Other tiles still verify.
    assert!(tampered.entries(99).is_ok());
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn reopening_recovers_and_continues() {
    let dir = temp_dir("reopen");
    let (signer, _) = build(&dir, 600, 256);
    let mut log = Log::open(FsStorage::open(&dir).unwrap(), signer.clone()).unwrap();
    assert_eq!(log.size(), 600);
    assert_eq!(log.append(&[b"after reopening".to_vec()]).unwrap(), 600);
    assert_eq!(log.entry(600).unwrap(), b"after reopening");
    let proof = log.prove(600).unwrap();
    let c = Checkpoint::parse(&log.checkpoint().text).unwrap();
    verify_inclusion(600, 601, &leaf_hash(b"after reopening"), &proof, &c.root).unwrap();
    // A missing checkpoint file is signed again on opening, for the same tree.
    std::fs::remove_file(dir.join("checkpoint")).unwrap();
    let again = Log::open(FsStorage::open(&dir).unwrap(), signer.clone()).unwrap();
    assert_eq!(Checkpoint::parse(&again.checkpoint().text).unwrap(), c);
    // A log refuses to open over tiles that do not rebuild the recorded tree.
    let path = dir.join("tile/0/002.p/89");
    let mut bytes = std::fs::read(&path).unwrap();
    bytes[0] ^= 1;
    std::fs::write(&path, &bytes).unwrap();
    assert!(Log::open(FsStorage::open(&dir).unwrap(), signer).is_err());
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn oversized_entries_are_refused() {
    let dir = temp_dir("big");
    let signer = NoteSigner::generate("truce.test/log", ED25519).unwrap();
    let mut log = Log::create(FsStorage::open(&dir).unwrap(), signer).unwrap();
    assert!(log.append(&[vec![0u8; 65_536]]).is_err());
    assert_eq!(log.append(&[vec![0u8; 65_535]]).unwrap(), 0);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn group_commit_acknowledges_durable_entries_and_pushes_back() {
    use std::sync::Arc;
    use truce_tlog::sequencer::{Sequencer, SequencerConfig};
    let dir = temp_dir("seq");
    let signer = NoteSigner::generate("truce.test/log", ED25519).unwrap();
    let log = Log::create(FsStorage::open(&dir).unwrap(), signer.clone()).unwrap();
    let config = SequencerConfig {
        max_batch: 16,
        max_age: std::time::Duration::from_millis(5),
        max_pending: 64,
        integrate_every: std::time::Duration::ZERO,
    };
    let seq = Arc::new(Sequencer::start(log, config).unwrap());
    let handles: Vec<_> = (0..8)
        .map(|t| {
            let seq = seq.clone();
            std::thread::spawn(move || {
                (0..50)
                    .map(|i| (seq.submit(format!("t{t} e{i}").into_bytes()).unwrap(), t, i))
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let mut acks: Vec<(u64, usize, usize)> =
        handles.into_iter().flat_map(|h| h.join().unwrap()).collect();
    acks.sort();
    assert_eq!(
        acks.iter().map(|a| a.0).collect::<Vec<_>>(),
        (0..400).collect::<Vec<_>>(),
        "every index once"
    );
    seq.stop().unwrap();
    // Stopping signs the last tree: the published checkpoint covers every acknowledged entry.
    let latest = Checkpoint::parse(&seq.checkpoint().text).unwrap();
    assert_eq!(latest.size, 400);
    let on_disk = std::fs::read_to_string(dir.join("checkpoint")).unwrap();
    assert_eq!(on_disk, seq.checkpoint().to_text());
    drop(seq);
    // Every acknowledged entry is at its index in the reopened log.
    let log = Log::open(FsStorage::open(&dir).unwrap(), signer.clone()).unwrap();
    for (index, t, i) in acks {
        assert_eq!(log.entry(index).unwrap(), format!("t{t} e{i}").into_bytes());
    }
    // A full pending pool pushes back at once.
    let slow = SequencerConfig {
        max_batch: 1000,
        max_age: std::time::Duration::from_secs(3600),
        max_pending: 2,
        integrate_every: std::time::Duration::ZERO,
    };
    let seq = Arc::new(Sequencer::start(log, slow).unwrap());
    let waiters: Vec<_> = (0..2)
        .map(|i| {
            let s = seq.clone();
            std::thread::spawn(move || s.submit(vec![i]))
        })
        .collect();
    while seq.pending() < 2 {
        std::thread::yield_now();
    }
    assert!(matches!(seq.submit(vec![9]), Err(truce_tlog::Error::Pushback)));
    // Stopping commits what was pending: the two waiters are acknowledged.
    seq.stop().unwrap();
    let indices: Vec<u64> = waiters.into_iter().map(|w| w.join().unwrap().unwrap()).collect();
    assert_eq!(indices.len(), 2);
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn entries_acknowledged_before_signing_are_in_the_checkpoint_signed_on_reopening() {
    let dir = temp_dir("unsigned");
    let signer = NoteSigner::generate("truce.test/log", ED25519).unwrap();
    let mut log = Log::create(FsStorage::open(&dir).unwrap(), signer.clone()).unwrap();
    log.append(&[b"a".to_vec(), b"b".to_vec()]).unwrap();
    let before = log.checkpoint().clone();
    // Durable but not yet signed, then the process dies (the log is dropped without publishing).
    assert_eq!(log.append_durable(&[b"c".to_vec()]).unwrap(), 2);
    assert!(!log.is_published());
    assert_eq!(
        log.checkpoint(),
        &before,
        "the previous checkpoint stands until the next is signed"
    );
    drop(log);
    let log = Log::open(FsStorage::open(&dir).unwrap(), signer).unwrap();
    let signed = Checkpoint::parse(&log.checkpoint().text).unwrap();
    assert_eq!(signed.size, 3);
    assert_eq!(log.entry(2).unwrap(), b"c");
    // And the new checkpoint extends the old one.
    let old = Checkpoint::parse(&before.text).unwrap();
    let proof = truce_tlog::merkle::consistency_proof(
        &TileVerifier::new(log.storage(), &signed).unwrap(),
        old.size,
        signed.size,
    )
    .unwrap();
    truce_tlog::merkle::verify_consistency(old.size, signed.size, &old.root, &signed.root, &proof)
        .unwrap();
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn journalled_batches_are_integrated_on_opening_at_their_indices() {
    use truce_tlog::journal;
    use truce_tlog::storage::Storage;
    let dir = temp_dir("journal");
    let signer = NoteSigner::generate("truce.test/log", ED25519).unwrap();
    let mut log = Log::create(FsStorage::open(&dir).unwrap(), signer.clone()).unwrap();
    log.append(&[b"a".to_vec(), b"b".to_vec(), b"c".to_vec()]).unwrap();
    drop(log);
    // As the sequencer leaves them when killed after acknowledging, before integrating.
    let mut storage = FsStorage::open(&dir).unwrap();
    for (first, entries) in [(3u64, vec![b"d".to_vec(), b"e".to_vec()]), (5, vec![b"f".to_vec()])] {
        storage.stage(&journal::path(first), &journal::encode(first, &entries).unwrap()).unwrap();
    }
    // An integrated batch whose removal was lost in the crash is skipped.
    storage.stage(&journal::path(1), &journal::encode(1, &[b"b".to_vec()]).unwrap()).unwrap();
    storage.commit().unwrap();
    let log = Log::open(FsStorage::open(&dir).unwrap(), signer.clone()).unwrap();
    let c = Checkpoint::parse(&log.checkpoint().text).unwrap();
    assert_eq!(c.size, 6);
    for (i, e) in ["a", "b", "c", "d", "e", "f"].iter().enumerate() {
        assert_eq!(log.entry(i as u64).unwrap(), e.as_bytes());
    }
    assert!(log.storage().list(journal::JOURNAL_DIR).unwrap().is_empty(), "journal emptied");
    drop(log);
    // A journal that skips indices means acknowledged entries are missing: the log refuses to open.
    let mut storage = FsStorage::open(&dir).unwrap();
    storage.stage(&journal::path(9), &journal::encode(9, &[b"j".to_vec()]).unwrap()).unwrap();
    storage.commit().unwrap();
    let err = Log::open(FsStorage::open(&dir).unwrap(), signer.clone()).err().unwrap();
    assert!(err.to_string().contains("skips from index 6 to 9"), "{err}");
    // A damaged record reads as a torn tail (a crash during its append, never acknowledged): reading
    // its segment stops there. Acknowledged entries after it (segment 9) are then missing: refused.
    let mut bytes = journal::encode(6, &[b"g".to_vec()]).unwrap();
    bytes[13] ^= 1;
    std::fs::write(dir.join(journal::path(6)), &bytes).unwrap();
    let err = Log::open(FsStorage::open(&dir).unwrap(), signer.clone()).err().unwrap();
    assert!(err.to_string().contains("skips from index 6 to 9"), "{err}");
    // A segment holds many records, appended one per batch; a torn tail after them is dropped.
    std::fs::remove_file(dir.join(journal::path(9))).unwrap();
    let mut segment = journal::encode(6, &[b"g".to_vec()]).unwrap();
    segment.extend(journal::encode(7, &[b"h".to_vec(), b"i".to_vec()]).unwrap());
    let torn = journal::encode(9, &[b"never acknowledged".to_vec()]).unwrap();
    segment.extend(&torn[..torn.len() / 2]);
    std::fs::write(dir.join(journal::path(6)), &segment).unwrap();
    let log = Log::open(FsStorage::open(&dir).unwrap(), signer.clone()).unwrap();
    assert_eq!(log.size(), 9);
    assert_eq!(log.entry(8).unwrap(), b"i");
    assert!(log.storage().list(journal::JOURNAL_DIR).unwrap().is_empty(), "journal emptied");
    drop(log);
    // A record that does not start where the previous one ended is refused.
    let mut segment = journal::encode(9, &[b"j".to_vec()]).unwrap();
    segment.extend(journal::encode(11, &[b"l".to_vec()]).unwrap());
    std::fs::write(dir.join(journal::path(9)), &segment).unwrap();
    let err = Log::open(FsStorage::open(&dir).unwrap(), signer).err().unwrap();
    assert!(err.to_string().contains("a record starts at index 11, not 10"), "{err}");
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn a_record_ahead_of_its_tiles_falls_back_to_the_published_checkpoint() {
    // A crash inside the commit that writes a batch's tiles with its record can leave the record
    // renamed into place but not all of the tiles: that tree was never signed.
    let dir = temp_dir("ahead");
    let (signer, checkpoints) = build(&dir, 300, 100);
    let published = Checkpoint::parse(&checkpoints.last().unwrap().text).unwrap();
    std::fs::write(
        dir.join(".state/signed"),
        "305\nrKbDipCvhuX1GZ7g5BBe8sA6BbJ7ja/1nk427v383cs=\n",
    )
    .unwrap();
    let mut log = Log::open(FsStorage::open(&dir).unwrap(), signer.clone()).unwrap();
    assert_eq!((log.size(), log.root()), (published.size, published.root));
    assert_eq!(log.append(&[b"next".to_vec()]).unwrap(), 300);
    // But a record ahead of tiles with no older published checkpoint to fall back to is refused.
    std::fs::write(
        dir.join(".state/signed"),
        "999\nrKbDipCvhuX1GZ7g5BBe8sA6BbJ7ja/1nk427v383cs=\n",
    )
    .unwrap();
    std::fs::remove_file(dir.join("checkpoint")).unwrap();
    assert!(Log::open(FsStorage::open(&dir).unwrap(), signer).is_err());
    std::fs::remove_dir_all(dir).unwrap();
}

/// Issue 10, finding 7: an audit accepted a full entry bundle with extra entries or bytes after its 256th
/// entry (the Go client refuses it). A bundle must hold exactly as many entries as its path says.
#[test]
fn issue10_bundles_hold_exactly_their_width() {
    use truce_tlog::storage::Storage;
    let dir = temp_dir("exact-bundles");
    let (signer, checkpoints) = build(&dir, 600, 256);
    let latest = Checkpoint::parse(&checkpoints.last().unwrap().text).unwrap();
    let reader = FsStorage::open(&dir).unwrap();
    assert_eq!(
        audit(&TileVerifier::new(&reader, &latest).unwrap(), &mut |_| {}).unwrap().entries,
        600
    );
    for (path, extra, why) in [
        ("tile/entries/000", &b"\x00\x03abc"[..], "holds 257 entries, expected exactly 256"),
        ("tile/entries/001", &b"\x00"[..], "truncated entry length"),
        ("tile/entries/002.p/88", &b"\x00\x01z"[..], "holds 89 entries, expected exactly 88"),
    ] {
        let original = std::fs::read(dir.join(path)).unwrap();
        let mut bytes = original.clone();
        bytes.extend_from_slice(extra);
        std::fs::write(dir.join(path), &bytes).unwrap();
        let v = TileVerifier::new(&reader, &latest).unwrap();
        let err = audit(&v, &mut |_| {}).unwrap_err().to_string();
        assert!(err.contains(path) && err.contains(why), "{path}: {err}");
        let index = path.trim_start_matches("tile/entries/")[..3].parse().unwrap();
        let err = v.entries(index).unwrap_err().to_string();
        assert!(err.contains(why), "{path}: {err}");
        std::fs::write(dir.join(path), &original).unwrap();
    }
    // A right-edge tile that does not give the checkpoint's root: the error names the tiles.
    let path = dir.join("tile/0/002.p/88");
    let original = std::fs::read(&path).unwrap();
    let mut bytes = original.clone();
    bytes[7] ^= 1;
    std::fs::write(&path, &bytes).unwrap();
    let err = TileVerifier::new(&reader, &latest).err().unwrap().to_string();
    assert!(err.contains("tile/0/002.p/88") && err.contains("size 600"), "{err}");
    std::fs::write(&path, &original).unwrap();
    // No temporary file is ever written in the published tree, and opening the log (what `truce log
    // recover` does) removes those a kill left behind, here and from older versions.
    let mut storage = FsStorage::open(&dir).unwrap();
    storage.stage("tile/0/003.p/1", b"never committed").unwrap();
    std::fs::write(dir.join("tile/0/.000.tmp"), b"left by an older version").unwrap();
    let mut published = Vec::new();
    let mut stack = vec![dir.clone()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let e = e.unwrap();
            let name = e.file_name().to_string_lossy().to_string();
            if e.file_type().unwrap().is_dir() {
                if name != ".state" {
                    stack.push(e.path());
                }
            } else if name.ends_with(".tmp") {
                published.push(e.path());
            }
        }
    }
    assert_eq!(published, vec![dir.join("tile/0/.000.tmp")], "only the planted one");
    assert_eq!(std::fs::read_dir(dir.join(".state/tmp")).unwrap().count(), 1);
    drop(storage);
    let log = Log::open(FsStorage::open(&dir).unwrap(), signer).unwrap();
    assert_eq!(log.size(), 600);
    assert!(!dir.join("tile/0/.000.tmp").exists());
    assert_eq!(std::fs::read_dir(dir.join(".state/tmp")).unwrap().count(), 0);
    std::fs::remove_dir_all(dir).unwrap();
}
