use std::collections::BTreeMap;

use truce_tlog::tile::Tile;

use crate::storage::{Commit, Place};

const STATE: &[u8] = b"3\nrKbDipCvhuX1GZ7g5BBe8sA6BbJ7ja/1nk427v383cs=\n";

fn sort(files: &[(&str, &[u8])]) -> Result<Commit, String> {
    let staged: BTreeMap<String, Vec<u8>> =
        files.iter().map(|(p, d)| (p.to_string(), d.to_vec())).collect();
    Commit::sort(staged).map_err(|e| e.to_string())
}

#[test]
fn each_path_has_one_place() {
    let place = |path: &str| Place::of(path).map_err(|e| e.to_string());
    assert_eq!(place(".state/signed"), Ok(Place::State));
    assert_eq!(place("checkpoint"), Ok(Place::Checkpoint));
    assert_eq!(place(".state/journal/00000000000000000256"), Ok(Place::Journal(256)));
    assert_eq!(place(".state/probe"), Ok(Place::Private));
    let tile = Tile { level: Some(1), index: 0, width: 17 };
    assert_eq!(place("tile/1/000.p/17"), Ok(Place::Tile(tile)));
    for path in [".state/journal/256", ".state/journal/18446744073709551615", "tile/0/0", "vkey"] {
        let err = place(path).unwrap_err();
        assert!(err.contains("journal segment") || err.contains("only"), "{path}: {err}");
    }
}

#[test]
fn a_commit_is_sorted_before_anything_is_written() {
    let commit = sort(&[
        ("tile/0/000.p/3", &[0; 96]),
        ("tile/entries/000.p/3", b"\0\x01a\0\x01b\0\x01c"),
        (".state/signed", STATE),
        ("checkpoint", b"note"),
        (".state/probe", b"writable\n"),
    ])
    .unwrap();
    assert_eq!(commit.tiles.len(), 2);
    assert_eq!(commit.state.as_ref().map(|(_, tree)| tree.size), Some(3));
    assert!(commit.checkpoint.is_some() && commit.private.len() == 1 && commit.records_anything());
    // Tiles without the tree that needs them, a corrupt record, a journal segment: refused, saying why.
    let refused = [
        (vec![("tile/0/000.p/3", &[0u8; 96][..])], "only with the record"),
        (vec![(".state/signed", &b"3\nroot\n"[..])], "corrupt .state/signed"),
        (vec![(".state/journal/00000000000000000000", &b""[..])], "appended"),
    ];
    for (files, why) in refused {
        let err = sort(&files).err().unwrap_or_default();
        assert!(err.contains(why), "{files:?}: {err:?}");
    }
    assert!(!sort(&[]).unwrap().records_anything());
}
