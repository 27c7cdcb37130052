//! Fuzzes the text of an archived source (plain text, HTML in any declared charset, PDF): no input
//! panics, every refusal says something, and text that is taken is within its limit and not empty.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    match truce_source::text::extract(data) {
        Ok(e) => {
            assert!(!e.text.trim().is_empty());
            assert!(e.text.len() <= truce_source::text::MAX_TEXT_BYTES);
            // Quotes can be looked up in whatever was taken.
            let hay = truce_source::quote::Haystack::new(&e.text);
            let quote: String = e.text.chars().take(40).collect();
            let _ = hay.find(&quote);
        }
        Err(e) => assert!(!e.to_string().is_empty()),
    }
});
