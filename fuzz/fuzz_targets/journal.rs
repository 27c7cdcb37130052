//! Fuzzes the journal-file decoder: whatever decodes encodes back to the same bytes.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(batch) = truce_tlog::journal::decode(data) {
        let again = truce_tlog::journal::encode(batch.first, &batch.entries).expect("a decoded batch encodes");
        assert_eq!(again, data);
    }
});
