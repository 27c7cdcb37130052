//! Fuzzes the media metadata scanner (JPEG, PNG, WebP, MP4 and XMP, as uploaded from the field) and the
//! entry's media references: no input panics, and a reference that parses names 64 hex digits.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = truce_watch::media::location_metadata(data);
    if let Ok(text) = std::str::from_utf8(data)
        && let Some(r) = truce_watch::media::media_ref(text)
    {
        assert_eq!(r.sha256.len(), 64);
    }
});
