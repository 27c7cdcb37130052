//! Fuzzes the accord parser: no input panics, and an accepted accord comes with no errors.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let (agreement, diags) = truce_accord::parse("fuzz.toml", text);
        if agreement.is_some() {
            assert!(!truce_accord::has_errors(&diags));
        }
    }
});
