//! Issue 22: the wire forms every storage backend shares, parsed in one place: journal records, the
//! tree's record (`.state/signed`), and the published files with their caching.

use proptest::prelude::*;
use truce_tlog::journal::{self, Record};
use truce_tlog::publish::{self, Published};
use truce_tlog::state::TreeState;
use truce_tlog::tile::{Tile, tiles_for_size};

const ROOT: &str = "rKbDipCvhuX1GZ7g5BBe8sA6BbJ7ja/1nk427v383cs=";

/// Parses `text` as a tree's record: `Ok(size)` or the error's text.
fn state(text: &str) -> Result<u64, String> {
    TreeState::parse(text.as_bytes()).map(|s| s.size).map_err(|e| e.to_string())
}

#[test]
fn the_tree_record_has_one_form() {
    assert_eq!(state(&format!("305\n{ROOT}\n")), Ok(305));
    assert_eq!(state(&format!("0\n{ROOT}\n")), Ok(0));
    let refused = [
        (format!("305\n{ROOT}"), "does not end with a newline"),
        (format!("305\n{ROOT}\n\n"), "more than two lines"),
        (format!("305\n{ROOT}\nmore\n"), "more than two lines"),
        (format!("0305\n{ROOT}\n"), "without leading zeros"),
        (format!("+305\n{ROOT}\n"), "without leading zeros"),
        (format!("305\r\n{ROOT}\n"), "without leading zeros"),
        ("305\n".to_string(), "not two lines"),
        (format!("18446744073709551616\n{ROOT}\n"), "too large"),
        ("305\nAAAA\n".to_string(), "root hash is not 32 bytes"),
        (String::new(), "does not end with a newline"),
    ];
    for (text, why) in refused {
        let err = state(&text).unwrap_err();
        assert!(err.contains("corrupt .state/signed") && err.contains(why), "{text:?}: {err}");
    }
    let err = TreeState::parse(b"305\n\xff\n").unwrap_err().to_string();
    assert!(err.contains("not UTF-8"), "{err}");
}

proptest! {
    #[test]
    fn a_tree_record_reads_back(size in any::<u64>(), root in any::<[u8; 32]>()) {
        let record = TreeState { size, root };
        prop_assert_eq!(TreeState::parse(&record.to_bytes()).unwrap(), record);
    }

    #[test]
    fn whatever_parses_as_a_tree_record_is_written_back_the_same(data in proptest::collection::vec(any::<u8>(), 0..80)) {
        if let Ok(record) = TreeState::parse(&data) {
            prop_assert_eq!(record.to_bytes(), data);
        }
    }
}

#[test]
fn a_journal_record_says_where_it_starts_and_ends() {
    let entries = vec![b"one".to_vec(), Vec::new(), vec![7; 300]];
    let data = journal::encode(41, &entries).unwrap();
    let record = Record::parse(&data).unwrap();
    assert_eq!((record.first, record.count(), record.end()), (41, 3, 44));
    assert_eq!(record.entries, entries.iter().map(Vec::as_slice).collect::<Vec<_>>());
    assert_eq!(journal::decode(&data).unwrap(), record.to_batch(0));
    // Two records back to back: the first, then where the second starts.
    let mut two = data.clone();
    two.extend(journal::encode(44, &entries[..1]).unwrap());
    let (first, used) = Record::parse_prefix(&two).unwrap();
    assert_eq!((first.first, used), (41, data.len()));
    assert!(Record::parse(&two).unwrap_err().to_string().contains("bytes after the digest"));
}

#[test]
fn a_bad_journal_record_is_refused_saying_why() {
    let data = journal::encode(5, &[b"entry".to_vec()]).unwrap();
    let check = |data: &[u8], why: &str| {
        let err = Record::parse(data).unwrap_err().to_string();
        assert!(err.contains("corrupt journal record") && err.contains(why), "{err}");
    };
    check(&data[..11], "too short");
    check(&data[..14], "truncated entry");
    check(&data[..data.len() - 1], "truncated digest");
    let mut flipped = data.clone();
    flipped[12] ^= 1;
    check(&flipped, "truncated entry");
    let mut flipped = data.clone();
    flipped[15] ^= 1;
    check(&flipped, "digest mismatch");
    // A record whose indices run beyond 2^63 − 1, which no database column holds.
    let beyond = journal::encode(journal::MAX_INDEX, &[b"entry".to_vec()]).unwrap();
    check(&beyond, "indices beyond");
    let last = journal::encode(journal::MAX_INDEX - 1, &[b"entry".to_vec()]).unwrap();
    assert_eq!(Record::parse(&last).unwrap().end(), journal::MAX_INDEX);
}

#[test]
fn the_read_path_caches_full_tiles_for_ever_partial_ones_briefly_and_the_checkpoint_never() {
    let check = |path: &str, cache: &str| {
        let published = Published::parse(path).unwrap();
        assert_eq!(published.cache_control(), cache, "{path}");
        assert_eq!(published.path(), path);
    };
    // The values the server sends (crates/truce-server/tests/it: the life of an entry) and the bucket.
    check("checkpoint", "no-store");
    check("tile/0/000", "public, max-age=31536000, immutable");
    check("tile/entries/x001/x234/067", "public, max-age=31536000, immutable");
    check("tile/1/001.p/17", "max-age=60");
    check("tile/entries/002.p/89", "max-age=60");
    assert_eq!(Published::Checkpoint.content_type(), "text/plain; charset=utf-8");
    assert_eq!(
        Published::parse("tile/2/000.p/1").unwrap().content_type(),
        "application/octet-stream"
    );
    // Nothing else is on the read path: not the private state, not a path in another form.
    for path in
        [".state/signed", "checkpoint/", "tile/0/000.p/256", "tile/0/0", "tile/0/000.p/0", ""]
    {
        assert!(Published::parse(path).is_err(), "{path}");
    }
}

proptest! {
    /// A path names a partial tile exactly when it ends in `.p/<W>`, and only a full one is immutable.
    #[test]
    fn a_tile_is_partial_exactly_when_its_path_says_so(size in 1u64..20_000_000) {
        for tile in tiles_for_size(size) {
            let path = tile.path();
            let published = Published::parse(&path).unwrap();
            prop_assert_eq!(published, Published::Tile(tile));
            let suffix = path.rsplit_once(".p/").is_some_and(|(_, w)| w == tile.width.to_string());
            prop_assert_eq!(tile.is_partial(), suffix);
            prop_assert_eq!(published.is_immutable(), !suffix);
            let expected = if suffix { publish::PARTIAL } else { publish::IMMUTABLE };
            prop_assert_eq!(published.cache_control(), expected);
        }
    }

    #[test]
    fn an_entry_bundle_is_partial_exactly_when_it_is_narrower_than_256(index in 0u64..1 << 40, width in 1u16..=256) {
        let tile = Tile { level: None, index, width };
        prop_assert_eq!(tile.is_partial(), width < 256);
        prop_assert_eq!(Published::parse(&tile.path()).unwrap(), Published::Tile(tile));
    }
}
