//! Fuzzes tile and entry-bundle parsing: hashes and entries re-encode to the input.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Some((&width, rest)) = data.split_first() else { return };
    let width = u16::from(width).max(1);
    if let Ok(hashes) = truce_tlog::tile::parse_hashes(rest, width) {
        assert_eq!(hashes.concat(), rest);
    }
    if let Ok(entries) = truce_tlog::tile::parse_bundle(rest) {
        let mut again = Vec::new();
        for e in &entries {
            truce_tlog::tile::push_entry(&mut again, e).expect("parsed entries fit");
        }
        assert_eq!(again, rest);
    }
});
