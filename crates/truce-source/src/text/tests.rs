use super::*;

#[test]
fn plain_text_is_read_as_it_is_and_utf16_by_its_mark() {
    let e = extract("Moscow said \u{201c}no\u{201d}.\r\nKyiv replied.\n".as_bytes()).unwrap();
    assert_eq!(
        (e.kind, e.text.as_str(), e.encoding),
        (MediaKind::Text, "Moscow said \u{201c}no\u{201d}.\nKyiv replied.\n", "UTF-8")
    );
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend("Київ відкидає".encode_utf16().flat_map(u16::to_le_bytes));
    let e = extract(&utf16).unwrap();
    assert_eq!((e.text.as_str(), e.encoding), ("Київ відкидає", "UTF-16LE"));
}

#[test]
fn what_is_not_an_article_is_refused_saying_what_it_is() {
    assert_eq!(extract(b""), Err(TextError::Empty));
    assert_eq!(extract(b" \n\t "), Err(TextError::Empty));
    assert_eq!(
        extract(b"\x89PNG\r\n\x1a\n...."),
        Err(TextError::Binary { looks_like: "a PNG image" })
    );
    assert_eq!(
        extract(b"PK\x03\x04word"),
        Err(TextError::Binary { looks_like: "a ZIP archive (or a Word or OpenDocument file)" })
    );
    assert!(matches!(extract(b"text\0with a NUL"), Err(TextError::Binary { .. })));
    assert_eq!(
        extract(b"line one\nline two caf\xe9"),
        Err(TextError::NotUtf8 { line: 2, byte: 0xE9 })
    );
    let huge = vec![b'a'; MAX_SOURCE_BYTES + 1];
    assert!(matches!(extract(&huge), Err(TextError::TooLarge { .. })));
    // Every refusal says what was expected.
    for e in [
        TextError::Empty,
        TextError::Binary { looks_like: "a PNG image" },
        TextError::NotUtf8 { line: 2, byte: 0xE9 },
    ] {
        assert!(
            e.to_string().contains("expected") || e.to_string().contains("save it as UTF-8"),
            "{e}"
        );
    }
}

#[test]
fn text_decoded_in_the_wrong_encoding_before_it_was_saved_is_refused() {
    // UTF-8 Russian read as windows-1251, and UTF-8 read as Latin-1, then saved as UTF-8.
    let cp1251 = "Заголовок\nРњРѕСЃРєРІР° Р·Р°СЏРІРёР»Р°, С‡С‚Рѕ".as_bytes();
    assert!(
        matches!(extract(cp1251), Err(TextError::Mojibake { line: 2, .. })),
        "{:?}",
        extract(cp1251)
    );
    let latin = "Ð\u{9c}Ð¾Ñ\u{81}ÐºÐ²Ð° said".as_bytes();
    assert!(matches!(extract(latin), Err(TextError::Mojibake { line: 1, .. })));
    // Real Russian and Ukrainian text with such letters is not.
    assert!(extract("Россия. Сергей Рябков сказал: «Р-20».\nСША и РФ.".as_bytes()).is_ok());
}

#[test]
fn html_gives_the_text_a_reader_sees_in_its_declared_charset() {
    let (page, _, _) = encoding_rs::WINDOWS_1251.encode(
        "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1251\"><title>Заголовок</title>\
         <style>p{color:red}</style><script>var x = \"не текст\";</script></head>\
         <body><nav>Меню</nav><h1>Москва</h1><p>Песков   заявил:\n «нет».</p><p>Второй<br>абзац</p></body></html>",
    );
    let e = extract(&page).unwrap();
    assert_eq!(e.kind, MediaKind::Html);
    assert_eq!(e.encoding, "windows-1251");
    assert_eq!(e.text, "Заголовок\n\nМеню\nМосква\n\nПесков заявил: «нет».\n\nВторой\nабзац\n");
    assert_eq!(
        extract(b"<html><head><meta charset=\"klingon\"></head></html>"),
        Err(TextError::UnknownCharset("klingon".into()))
    );
}

/// A one-page PDF whose page shows `words`, made with lopdf.
fn pdf(words: Option<&str>) -> Vec<u8> {
    use lopdf::content::{Content, Operation};
    use lopdf::{Document, Object, Stream, dictionary};
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(
        dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica" },
    );
    let resources_id = doc.add_object(dictionary! { "Font" => dictionary! { "F1" => font_id } });
    let operations = match words {
        Some(w) => vec![
            Operation::new("BT", vec![]),
            Operation::new("Tf", vec!["F1".into(), 12.into()]),
            Operation::new("Td", vec![72.into(), 700.into()]),
            Operation::new("Tj", vec![Object::string_literal(w)]),
            Operation::new("ET", vec![]),
        ],
        None => vec![],
    };
    let content = Content { operations };
    let content_id = doc.add_object(Stream::new(dictionary! {}, content.encode().unwrap()));
    let page_id = doc.add_object(
        dictionary! { "Type" => "Page", "Parent" => pages_id, "Contents" => content_id },
    );
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1, "Resources" => resources_id, "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()] }),
    );
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog_id);
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).unwrap();
    bytes
}

#[test]
fn a_pdf_gives_its_text_and_one_without_text_or_cut_short_is_refused() {
    let e = extract(&pdf(Some("The minister said no troops will be sent."))).unwrap();
    assert_eq!(e.kind, MediaKind::Pdf);
    assert!(e.text.contains("The minister said no troops will be sent."), "{:?}", e.text);
    assert_eq!(extract(&pdf(None)), Err(TextError::PdfWithoutText));
    let whole = pdf(Some("text"));
    assert!(matches!(extract(&whole[..whole.len() / 3]), Err(TextError::Pdf(_))));
}
