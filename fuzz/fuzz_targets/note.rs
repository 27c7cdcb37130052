//! Fuzzes the signed-note parser: whatever parses formats back to the same note.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(note) = truce_tlog::note::Note::parse(data) {
        let again = truce_tlog::note::Note::parse(note.to_text().as_bytes()).expect("a formatted note parses");
        assert_eq!(again, note);
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = truce_tlog::note::NoteVerifier::parse(text);
        let _ = truce_tlog::note::NoteSigner::parse(text);
    }
});
