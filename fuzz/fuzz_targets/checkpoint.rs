//! Fuzzes the checkpoint parser: whatever parses is in canonical form.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(c) = truce_tlog::checkpoint::Checkpoint::parse(text) {
        assert_eq!(c.text(), text);
    }
});
