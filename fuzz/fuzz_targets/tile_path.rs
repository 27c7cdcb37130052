//! Fuzzes the tile path parser: whatever parses is the canonical path of its tile, and a file of the
//! read path that is cached for ever exactly when it is a full tile.
#![no_main]
use truce_tlog::publish::{self, Published};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(path) = std::str::from_utf8(data) else { return };
    if let Ok(tile) = truce_tlog::tile::Tile::parse(path) {
        assert_eq!(tile.path(), path);
        assert!((1..=256).contains(&tile.width));
        assert_eq!(tile.is_partial(), path.contains(".p/"));
    }
    if let Ok(file) = Published::parse(path) {
        assert_eq!(file.path(), path);
        let cache = file.cache_control();
        assert_eq!(file.is_immutable(), cache == publish::IMMUTABLE);
        assert_eq!(file == Published::Checkpoint, cache == publish::CHECKPOINT);
    }
});
