//! A source's bytes, as retrieved, to the text a person reads and a quote is checked against.
//!
//! Three kinds are read: plain text (UTF-8, or UTF-16 with its byte-order mark), HTML (its declared
//! charset decoded by `encoding_rs`, parsed by `scraper`'s html5ever) and PDF (`lopdf`'s text
//! extraction, page by page). Anything else (an image, an archive, a binary, an empty or huge file, text
//! in one encoding read as another) is refused with a [`TextError`] that says what was found and what
//! was expected.

use std::fmt;

use scraper::{Html, Node};

/// The largest source file taken, in bytes.
pub const MAX_SOURCE_BYTES: usize = 16 * 1024 * 1024;
/// The largest text kept from a source, in bytes.
pub const MAX_TEXT_BYTES: usize = 4 * 1024 * 1024;
/// The most PDF pages read.
pub const MAX_PDF_PAGES: usize = 2_000;

/// What a source file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MediaKind {
    /// Plain text.
    Text,
    /// An HTML page.
    Html,
    /// A PDF document.
    Pdf,
}

impl MediaKind {
    /// The media type, as recorded in a scenario's `[[sources]]`.
    pub fn media_type(self) -> &'static str {
        match self {
            MediaKind::Text => "text/plain",
            MediaKind::Html => "text/html",
            MediaKind::Pdf => "application/pdf",
        }
    }

    /// The extension of an archived original.
    pub fn extension(self) -> &'static str {
        match self {
            MediaKind::Text => "txt",
            MediaKind::Html => "html",
            MediaKind::Pdf => "pdf",
        }
    }

    /// The kind with this media type.
    pub fn from_media_type(s: &str) -> Option<MediaKind> {
        match s {
            "text/plain" => Some(MediaKind::Text),
            "text/html" => Some(MediaKind::Html),
            "application/pdf" => Some(MediaKind::Pdf),
            _ => None,
        }
    }
}

/// The text of a source.
#[derive(Debug, Clone, PartialEq)]
pub struct Extracted {
    /// What the file was.
    pub kind: MediaKind,
    /// The text, in UTF-8, with `\n` line ends.
    pub text: String,
    /// The encoding the bytes were read in.
    pub encoding: &'static str,
}

/// Why a file's text could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextError {
    /// Nothing in it, or only white space.
    Empty,
    /// Larger than [`MAX_SOURCE_BYTES`], or its text larger than [`MAX_TEXT_BYTES`].
    TooLarge {
        /// Its size.
        bytes: usize,
        /// The limit.
        limit: usize,
    },
    /// A binary file of a known kind, or with NUL bytes.
    Binary {
        /// What it looks like.
        looks_like: &'static str,
    },
    /// Text that is not valid in the encoding it claims or is assumed to have.
    NotUtf8 {
        /// The 1-based line of the first bad byte.
        line: u32,
        /// The bad byte.
        byte: u8,
    },
    /// Text whose characters show it was decoded in the wrong encoding before it was saved.
    Mojibake {
        /// The 1-based line where it shows.
        line: u32,
        /// A few characters of it.
        sample: String,
    },
    /// An HTML page declaring a charset that is not one.
    UnknownCharset(String),
    /// A PDF that cannot be read.
    Pdf(String),
    /// A PDF with no text to read (a scan without a text layer, say).
    PdfWithoutText,
}

impl fmt::Display for TextError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TextError::Empty => write!(
                f,
                "is empty; expected the source's text: an HTML page, a PDF or plain UTF-8 text"
            ),
            TextError::TooLarge { bytes, limit } => write!(
                f,
                "is {bytes} bytes, more than the {limit} bytes a source may have; archive the article itself, not a whole site or book"
            ),
            TextError::Binary { looks_like } => write!(
                f,
                "is {looks_like}, not text; expected an HTML page, a PDF or plain UTF-8 text"
            ),
            TextError::NotUtf8 { line, byte } => write!(
                f,
                "is not UTF-8: byte 0x{byte:02X} on line {line}; save it as UTF-8, or archive the HTML page as retrieved (its charset is read from the page)"
            ),
            TextError::Mojibake { line, sample } => write!(
                f,
                "looks mis-encoded on line {line} (\"{sample}\"): the text was read in the wrong encoding before it was saved; retrieve it again and save it as UTF-8"
            ),
            TextError::UnknownCharset(c) => write!(
                f,
                "declares the charset \"{c}\", which is not an encoding; expected one such as utf-8 or windows-1251"
            ),
            TextError::Pdf(e) => write!(f, "is not a PDF that can be read ({e})"),
            TextError::PdfWithoutText => write!(
                f,
                "is a PDF without text (a scan?); archive a text version of it as well, and cite that"
            ),
        }
    }
}

impl std::error::Error for TextError {}

/// Reads the text of a source file, whatever its kind.
///
/// No input makes it panic; every refusal says what was expected.
pub fn extract(bytes: &[u8]) -> Result<Extracted, TextError> {
    if bytes.len() > MAX_SOURCE_BYTES {
        return Err(TextError::TooLarge { bytes: bytes.len(), limit: MAX_SOURCE_BYTES });
    }
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(TextError::Empty);
    }
    let extracted = match sniff(bytes)? {
        MediaKind::Pdf => pdf_text(bytes)?,
        MediaKind::Html => html_text(bytes)?,
        MediaKind::Text => {
            let (text, encoding) = decode_text(bytes)?;
            Extracted { kind: MediaKind::Text, text: text.replace("\r\n", "\n"), encoding }
        }
    };
    if extracted.text.len() > MAX_TEXT_BYTES {
        return Err(TextError::TooLarge { bytes: extracted.text.len(), limit: MAX_TEXT_BYTES });
    }
    if extracted.text.trim().is_empty() {
        return Err(match extracted.kind {
            MediaKind::Pdf => TextError::PdfWithoutText,
            _ => TextError::Empty,
        });
    }
    check_mojibake(&extracted.text)?;
    Ok(extracted)
}

/// What the bytes are: a PDF, an HTML page or text; a known binary kind is refused.
pub fn sniff(bytes: &[u8]) -> Result<MediaKind, TextError> {
    const MAGIC: &[(&[u8], &str)] = &[
        (b"\x89PNG", "a PNG image"),
        (b"\xFF\xD8\xFF", "a JPEG image"),
        (b"GIF8", "a GIF image"),
        (b"RIFF", "a RIFF file (WebP, WAV or AVI)"),
        (b"PK\x03\x04", "a ZIP archive (or a Word or OpenDocument file)"),
        (b"\x1F\x8B", "a gzip archive"),
        (b"\x7FELF", "a program"),
        (b"\xD0\xCF\x11\xE0", "an old Microsoft Office file"),
        (b"{\\rtf", "an RTF document"),
    ];
    let start = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if start.starts_with(b"%PDF-")
        || bytes[..bytes.len().min(1024)].windows(5).any(|w| w == b"%PDF-")
    {
        return Ok(MediaKind::Pdf);
    }
    for (magic, what) in MAGIC {
        if start.starts_with(magic) {
            return Err(TextError::Binary { looks_like: what });
        }
    }
    let utf16 = start.starts_with(b"\xFF\xFE") || start.starts_with(b"\xFE\xFF");
    if !utf16 && start.contains(&0) {
        return Err(TextError::Binary { looks_like: "a binary file (it holds NUL bytes)" });
    }
    let head = String::from_utf8_lossy(&start[..start.len().min(2048)]).to_ascii_lowercase();
    let head = head.trim_start();
    let html = head.starts_with("<!doctype html")
        || head.starts_with("<html")
        || ["<head", "<body", "<meta ", "<title"].iter().any(|t| head.contains(t));
    Ok(if html { MediaKind::Html } else { MediaKind::Text })
}

fn decode_text(bytes: &[u8]) -> Result<(String, &'static str), TextError> {
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom..]);
        if had_errors {
            return Err(first_bad_byte(bytes));
        }
        return Ok((text.into_owned(), encoding.name()));
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok((s.to_string(), "UTF-8")),
        Err(_) => Err(first_bad_byte(bytes)),
    }
}

fn first_bad_byte(bytes: &[u8]) -> TextError {
    let valid = match std::str::from_utf8(bytes) {
        Ok(_) => bytes.len(),
        Err(e) => e.valid_up_to(),
    };
    let line = 1 + bytes[..valid].iter().filter(|&&b| b == b'\n').count() as u32;
    TextError::NotUtf8 { line, byte: bytes.get(valid).copied().unwrap_or(0) }
}

/// The charset an HTML page declares in its first 4 KiB, if any.
fn declared_charset(bytes: &[u8]) -> Option<String> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).to_ascii_lowercase();
    let at = head.find("charset=")? + "charset=".len();
    let rest = head[at..].trim_start_matches(['"', '\'', ' ']);
    let end = rest.find(|c: char| {
        !(c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == ':' || c == '.')
    })?;
    (end > 0).then(|| rest[..end].to_string())
}

fn html_text(bytes: &[u8]) -> Result<Extracted, TextError> {
    let (source, encoding) = match encoding_rs::Encoding::for_bom(bytes) {
        Some(_) => decode_text(bytes)?,
        None => match declared_charset(bytes) {
            Some(label) => {
                let encoding = encoding_rs::Encoding::for_label(label.as_bytes())
                    .ok_or(TextError::UnknownCharset(label))?;
                let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
                if had_errors {
                    return Err(first_bad_byte(bytes));
                }
                (text.into_owned(), encoding.name())
            }
            None => decode_text(bytes)?,
        },
    };
    let document = Html::parse_document(&source);
    let mut out = Blocks::default();
    walk(document.tree.root(), &mut out, false);
    Ok(Extracted { kind: MediaKind::Html, text: out.finish(), encoding })
}

/// Elements whose content is never text a person reads on the page.
const SKIPPED: &[&str] = &[
    "script", "style", "noscript", "template", "svg", "canvas", "iframe", "object", "head",
    "button", "select",
];
/// Elements that begin a new line.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "br",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "tr",
    "td",
    "th",
    "section",
    "article",
    "header",
    "footer",
    "blockquote",
    "pre",
    "table",
    "ul",
    "ol",
    "dl",
    "dd",
    "dt",
    "figcaption",
    "hr",
    "title",
    "main",
    "aside",
    "nav",
    "figure",
    "address",
    "form",
];
/// Blocks after which a blank line separates paragraphs.
const PARAGRAPHS: &[&str] =
    &["p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "title", "pre", "table", "ul", "ol"];

fn walk(node: ego_tree::NodeRef<'_, Node>, out: &mut Blocks, pre: bool) {
    match node.value() {
        Node::Text(t) => out.text(t, pre),
        Node::Element(e) => {
            let name = e.name();
            if name == "head" {
                // The page's title is its one line of the head a reader sees.
                for child in node.children() {
                    if let Node::Element(c) = child.value()
                        && c.name() == "title"
                    {
                        walk(child, out, false);
                    }
                }
                return;
            }
            if SKIPPED.contains(&name) {
                return;
            }
            let block = BLOCKS.contains(&name);
            if block {
                out.line_break();
            }
            for child in node.children() {
                walk(child, out, pre || name == "pre");
            }
            if block {
                if PARAGRAPHS.contains(&name) {
                    out.paragraph_break();
                } else {
                    out.line_break();
                }
            }
        }
        Node::Document | Node::Fragment => {
            for child in node.children() {
                walk(child, out, pre);
            }
        }
        _ => {}
    }
}

/// Text laid out as lines and paragraphs: white space inside a line collapsed, at most one blank line.
#[derive(Default)]
struct Blocks {
    out: String,
    /// Blank lines owed before the next text: 0 (same line), 1 (new line) or 2 (new paragraph).
    pending: u8,
    space: bool,
}

impl Blocks {
    fn text(&mut self, t: &str, pre: bool) {
        if pre {
            self.flush();
            self.out.push_str(t);
            return;
        }
        for (i, word) in t.split(char::is_whitespace).enumerate() {
            if i > 0 {
                self.space = true;
            }
            if word.is_empty() {
                continue;
            }
            self.flush();
            if self.space && !self.out.is_empty() && !self.out.ends_with('\n') {
                self.out.push(' ');
            }
            self.space = false;
            self.out.push_str(word);
        }
    }

    fn flush(&mut self) {
        if !self.out.is_empty() {
            for _ in 0..self.pending {
                self.out.push('\n');
            }
            if self.pending > 0 {
                self.space = false;
            }
        }
        self.pending = 0;
    }

    fn line_break(&mut self) {
        self.pending = self.pending.max(1);
    }

    fn paragraph_break(&mut self) {
        self.pending = 2;
    }

    fn finish(mut self) -> String {
        if !self.out.ends_with('\n') {
            self.out.push('\n');
        }
        self.pending = 0;
        self.out
    }
}

fn pdf_text(bytes: &[u8]) -> Result<Extracted, TextError> {
    let document = lopdf::Document::load_mem(bytes).map_err(|e| TextError::Pdf(e.to_string()))?;
    if document.is_encrypted() {
        return Err(TextError::Pdf("it is encrypted".into()));
    }
    let pages: Vec<u32> = document.get_pages().keys().copied().take(MAX_PDF_PAGES).collect();
    let mut text = String::new();
    for page in pages {
        // A page whose text cannot be read is left out; a PDF with none at all is refused below.
        if let Ok(t) = document.extract_text(&[page]) {
            let t = t.replace("\r\n", "\n");
            text.push_str(t.trim_end());
            text.push_str("\n\n");
        }
        if text.len() > MAX_TEXT_BYTES {
            return Err(TextError::TooLarge { bytes: text.len(), limit: MAX_TEXT_BYTES });
        }
    }
    Ok(Extracted { kind: MediaKind::Pdf, text, encoding: "PDF" })
}

/// Characters that follow `Р` or `С` when UTF-8 Cyrillic was read as windows-1251.
const CP1251_TAILS: &str = "ЂЃ‚ѓ„…†‡€‰Љ‹ЊЌЋЏђ‘’“”•–—™љ›њќћџЎўЈ¤Ґ¦§Ё©Є«¬®Ї°±Ііґµ¶·ё№є»јЅѕї";

/// Refuses text that shows the marks of a wrong decoding: UTF-8 read as Latin-1 or windows-1252
/// (`Ð¿`, `â€™`), or as windows-1251 (`РџСЂ`).
fn check_mojibake(text: &str) -> Result<(), TextError> {
    let mut hits = 0usize;
    let mut first = None;
    let mut prev = '\0';
    for (at, c) in text.char_indices() {
        let latin = matches!(prev, 'Ð' | 'Ñ' | 'Ã' | 'â') && ('\u{80}'..='\u{BF}').contains(&c)
            || prev == 'â' && c == '€';
        let cyrillic = matches!(prev, 'Р' | 'С') && CP1251_TAILS.contains(c);
        if latin || cyrillic {
            hits += 1;
            first.get_or_insert(at);
        }
        prev = c;
    }
    let letters = text.chars().filter(|c| c.is_alphabetic()).count().max(1);
    if hits >= 3 && hits * 200 >= letters {
        let at = first.unwrap_or(0);
        let line = 1 + text[..at].matches('\n').count() as u32;
        let start = text[..at].char_indices().rev().nth(3).map_or(0, |(i, _)| i);
        let sample: String = text[start..].chars().take(16).collect();
        return Err(TextError::Mojibake { line, sample });
    }
    Ok(())
}

#[cfg(test)]
mod tests;
