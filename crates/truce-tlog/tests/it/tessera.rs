//! The Tessera fixture: a complete 15-entry tlog-tiles log written by another implementation.

use std::path::Path;

use truce_tlog::checkpoint::Checkpoint;
use truce_tlog::client::{TileVerifier, audit, check_consistency};
use truce_tlog::fs::DirReader;
use truce_tlog::merkle::{inclusion_proof, leaf_hash, verify_inclusion};
use truce_tlog::note::{Note, NoteVerifier, verify_note};

const VKEY: &str = "example.com/log/testdata+33d7b496+AeHTu4Q3hEIMHNqc6fASMsq3rKNx280NI+oO5xCFkkSx";
const ENTRIES: [&str; 15] = [
    "one", "two", "three", "four", "five", "six", "seven", "eit", "nain", "ten", "ileven", "twelf",
    "threeten", "fourten", "fivten",
];

#[test]
fn tessera_fixture_verifies_end_to_end() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../test_data/tlog-vectors/tessera-testdata/testdata/log");
    let reader = DirReader { root: dir.clone() };
    let key = NoteVerifier::parse(VKEY).unwrap();
    let load = |name: &str| {
        let note = Note::parse(&std::fs::read(dir.join(name)).unwrap()).unwrap();
        verify_note(&note, std::slice::from_ref(&key)).unwrap();
        Checkpoint::parse(&note.text).unwrap()
    };
    let latest = load("checkpoint");
    assert_eq!(latest.size, 15);
    let verifier = TileVerifier::new(&reader, &latest).unwrap();
    let report = audit(&verifier, &mut |_| {}).unwrap();
    assert_eq!(report.entries, 15);
    let entries = verifier.entries(0).unwrap();
    for (i, (entry, expected)) in entries.iter().zip(ENTRIES).enumerate() {
        assert_eq!(entry.as_slice(), expected.as_bytes(), "entry {i}");
        let proof = inclusion_proof(&verifier, i as u64, 15).unwrap();
        verify_inclusion(i as u64, 15, &leaf_hash(entry), &proof, &latest.root).unwrap();
    }
    // Every older checkpoint, including size 0, is consistent with the latest, and each verifies on its own.
    for size in 0..=15 {
        let old = load(&format!("checkpoint.{size}"));
        assert_eq!(old.size, size);
        check_consistency(&verifier, &old).unwrap();
        let own = TileVerifier::new(&reader, &old).unwrap();
        assert_eq!(audit(&own, &mut |_| {}).unwrap().entries, size);
    }
    println!(
        "Tessera fixture: checkpoint signature, all tiles, 15 entries, 15 inclusion proofs, 16 consistency checks"
    );
}
