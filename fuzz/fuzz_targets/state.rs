//! Fuzzes the parser of the tree's record (`.state/signed`, a database row on shared storage that
//! another server may have written): whatever parses is written back to the same bytes.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(state) = truce_tlog::state::TreeState::parse(data) {
        assert_eq!(state.to_bytes(), data);
    }
});
