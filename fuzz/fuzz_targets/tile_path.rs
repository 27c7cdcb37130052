//! Fuzzes the tile path parser: whatever parses is the canonical path of its tile.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(path) = std::str::from_utf8(data) else { return };
    if let Ok(tile) = truce_tlog::tile::Tile::parse(path) {
        assert_eq!(tile.path(), path);
        assert!((1..=256).contains(&tile.width));
    }
});
