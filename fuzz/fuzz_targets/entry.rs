//! Fuzzes the entry decoder and the registry, the observation JSON reader and the key-file reader: no
//! input panics.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if truce_watch::entry::decode(data).is_ok() {
        let mut registry = truce_watch::registry::Registry::default();
        let _ = registry.apply_bytes(data);
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let (o, d) = truce_watch::input::parse_observation("fuzz.json", text);
        assert!(o.is_some() == d.is_empty());
        let _ = truce_watch::entry::KeyFile::parse(text);
    }
    let mut registry = truce_watch::registry::Registry::default();
    for chunk in data.split(|b| *b == b'\n') {
        let _ = registry.apply_bytes(chunk);
    }
});
