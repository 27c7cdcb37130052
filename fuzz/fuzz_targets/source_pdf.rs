//! Fuzzes PDF text extraction: every input is read as a PDF (it begins with the PDF header), and none
//! panics.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let mut pdf = b"%PDF-1.7\n".to_vec();
    pdf.extend_from_slice(data);
    if let Ok(e) = truce_source::text::extract(&pdf) {
        assert_eq!(e.kind, truce_source::text::MediaKind::Pdf);
        assert!(!e.text.trim().is_empty());
    }
});
