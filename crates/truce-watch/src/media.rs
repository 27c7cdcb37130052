//! Photos, video and sound behind observations: how an entry names a file, and whether a file is known
//! to carry no trace of the place it was taken.
//!
//! An observation's `media` lists its files by content: `<SHA-256, 64 lowercase or uppercase hex>` or
//! `<SHA-256>:<size in bytes>`. The file itself is uploaded apart (the server's media store); anyone
//! who gets it checks it against the hash in the log.
//!
//! Location metadata is judged on the bytes that are hashed: a mission whose policy is to strip it has
//! its devices remove it **before** hashing (the observer app does), and the server refuses a file that
//! may still carry it, since it could not strip it afterwards without breaking the hash. An observer's
//! position in a released photo is a safety matter, so the check is an allowlist: [`check_stripped`]
//! accepts a file only when every part of it is of a kind known to carry no location, and otherwise
//! names the first part that is not, and where it starts ([`Finding`]). No I/O; never panics.
//!
//! What each kind may hold:
//!
//! - **JPEG**: the start and end markers; the coding segments (quantisation and Huffman tables `DQT`,
//!   `DHT`, arithmetic conditioning `DAC`, restart interval `DRI`, frame headers `SOF0`–`SOF15` but the
//!   reserved `JPG`, scans `SOS` with their entropy-coded data and restart markers); `APP0` JFIF and
//!   JFXX with a palette or RGB thumbnail (not a JPEG one, a second picture with metadata of its own);
//!   `APP2` ICC colour profiles; `APP14` Adobe colour transforms. Refused: EXIF and XMP (`APP1`),
//!   Photoshop and IPTC (`APP13`), `MPF` and every other `APPn`, comments (`COM`), any other marker, any
//!   byte between segments but `0xFF` fill, and anything after the end marker.
//! - **PNG**: the critical chunks (`IHDR` first, `PLTE`, `IDAT`, `IEND` last) and the ancillary chunks
//!   that hold only numbers about the pixels or the time: `tRNS`, `cHRM`, `gAMA`, `iCCP`, `sBIT`, `sRGB`,
//!   `cICP`, `mDCV`, `cLLI`, `bKGD`, `hIST`, `pHYs`, `tIME`, and APNG's `acTL`, `fcTL`, `fdAT`. Refused:
//!   text (`tEXt`, `zTXt`, `iTXt`, which carry XMP and ImageMagick's "Raw profile type exif"), `eXIf`,
//!   `sPLT` (a named palette), every other chunk, and anything after `IEND`.
//! - **WebP**: `VP8 `, `VP8L`, `VP8X` (unless its flags announce EXIF or XMP), `ALPH`, `ANIM`, `ICCP`,
//!   and `ANMF` frames made of `ALPH`, `VP8 ` and `VP8L`. Refused: `EXIF`, `XMP `, every other chunk, and
//!   anything after the end the RIFF header gives.
//! - **MP4, QuickTime and MP4 audio** (ISO base media files, walked box by box, at most
//!   [`MAX_BOX_DEPTH`] levels): refused wherever they are: `udta` (user data, where cameras write the
//!   place), `©xyz`, `loci`, `gps `, `GPS `, `gps0`, `gpsa` and `udat` (dashcams' GPS logs), `XMP_`, every `uuid` extension box (XMP and the
//!   camera makers' EXIF live there), `cmov` (a compressed header this check cannot read); in a `meta`
//!   box, QuickTime Keys naming a location, GPS or coordinates (`com.apple.quicktime.location.ISO6709`,
//!   as iPhones write it), EXIF, MIME (XMP) and URI items, and any child box but the known ones; a track
//!   whose handler is not video, sound, timecode or auxiliary video (timed metadata, subtitles and text
//!   tracks carry a moving position: GoPro, DJI, Apple); a HEIF/HEIC/AVIF image (its brand), which is
//!   not a video and not an accepted type. A damaged box (its size running past its container) is
//!   refused, since two readers may see different boxes in it.
//! - **MP3**: MPEG audio frames, with at most a leading ID3v2 tag (versions 2.2 to 2.4, neither
//!   unsynchronised nor with an extended header) whose frames are all encoder settings, length or dates
//!   (`TSSE`, `TLEN`, `TDRC`, `TYER`, `TDAT`, `TIME`, `TDEN`, `TDTG`; in 2.2 `TSS`, `TLE`, `TYE`, `TDA`,
//!   `TIM`) and zero padding. Refused: every other ID3 frame (user text `TXXX`, comments `COMM`,
//!   pictures `APIC` which carry their own EXIF, attached objects `GEOB`, private data `PRIV`...), ID3v1,
//!   APE and Lyrics3 tags, and bytes where no frame starts. A last frame cut short is accepted.
//!
//! Then, over the whole file of any kind, a backstop for what the structure may hide (a box tree or a
//! segment list can be malformed on purpose, and readers differ): `com.apple.quicktime.location`, EXIF
//! data (`Exif\0\0` and a TIFF header), dashcams' GPS logs (`freeGPS `, `LIGOGPSINFO`) and NMEA position
//! sentences (`$GPRMC,`...), a position written as ISO 6709 text (`+48.1234+038.5678/`), an
//! XMP property naming a position under any namespace prefix (`e:GPSLatitude`, `photoshop:City`,
//! `Iptc4xmpExt:LocationShown`, `xmpDM:shotLocation`...), and a `udta`, `loci`, `©xyz`, `gps `, `gps0` or `XMP_`
//! box header (the four letters after a size that fits in the file) anywhere, mdat included.
//!
//! Not in scope: what the pixels or the sound show (a landmark, a voice naming a village), and data
//! hidden on purpose inside the coding itself (quantisation tables, compressed samples).

use std::fmt;

/// A file named by an observation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MediaRef<'a> {
    /// The SHA-256, as written (64 hex digits).
    pub sha256: &'a str,
    /// The size in bytes, when the entry gives it.
    pub bytes: Option<u64>,
}

/// Parses one `media` item: `<64 hex>` or `<64 hex>:<bytes>`.
pub fn media_ref(item: &str) -> Option<MediaRef<'_>> {
    let (hash, bytes) = match item.split_once(':') {
        Some((h, b)) => {
            if b.is_empty() || !b.bytes().all(|c| c.is_ascii_digit()) || b.len() > 15 {
                return None;
            }
            (h, Some(b.parse().ok()?))
        }
        None => (item, None),
    };
    (hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
        .then_some(MediaRef { sha256: hash, bytes })
}

/// The content types a mission accepts, with the file kind people know them by.
pub const ACCEPTED: &[(&str, &str)] = &[
    ("image/jpeg", "JPEG photo"),
    ("image/png", "PNG image"),
    ("image/webp", "WebP image"),
    ("video/mp4", "MP4 video"),
    ("video/quicktime", "QuickTime video"),
    ("audio/mp4", "MP4 audio"),
    ("audio/mpeg", "MP3 audio"),
];

/// How deep the check follows boxes inside boxes in MP4 and QuickTime files; deeper is refused.
pub const MAX_BOX_DEPTH: usize = 16;

/// The first part of a file that is not known to be free of location, and where it starts: the reason
/// a file is refused, in words an observer understands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// What was found, such as "a COM segment (a free-text comment)".
    pub what: String,
    /// Its offset in the file, in bytes from the start.
    pub at: usize,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at byte {}", self.what, self.at)
    }
}

fn found<T>(at: usize, what: impl Into<String>) -> Result<T, Finding> {
    Err(Finding { what: what.into(), at })
}

/// Whether `data`, sent as `content_type` (one of [`ACCEPTED`]), is made only of parts known to carry
/// no location (see the module's documentation for each kind), and is the kind of file its type says.
/// Otherwise the first part that is not, and where. Malformed files are refused, never a panic.
pub fn check_stripped(content_type: &str, data: &[u8]) -> Result<(), Finding> {
    let Some(declared) = Kind::of_type(content_type) else {
        return found(
            0,
            format!("a file sent as {content_type:?}, a type this check does not know"),
        );
    };
    match Kind::sniff(data) {
        None => {
            found(0, format!("bytes that are not a {} (sent as {content_type})", declared.name()))
        }
        Some(actual) if actual != declared => {
            found(0, format!("a {} sent as a {} ({content_type})", actual.name(), declared.name()))
        }
        Some(kind) => kind.check(data),
    }
}

/// The allowlist check of [`check_stripped`] on the kind the bytes themselves show, whatever type they
/// were sent as: `None` when every part is known to carry no location, otherwise the first part that
/// is not (a file of no known kind is itself a finding). Never panics.
pub fn location_metadata(data: &[u8]) -> Option<Finding> {
    match Kind::sniff(data) {
        None => Some(Finding {
            what: "a file of a kind this check cannot read (not a JPEG, PNG, WebP, MP4, QuickTime \
                   or MP3 file)"
                .into(),
            at: 0,
        }),
        Some(kind) => kind.check(data).err(),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Jpeg,
    Png,
    WebP,
    IsoBmff,
    Mp3,
}

const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

impl Kind {
    fn of_type(content_type: &str) -> Option<Kind> {
        Some(match content_type {
            "image/jpeg" => Kind::Jpeg,
            "image/png" => Kind::Png,
            "image/webp" => Kind::WebP,
            "video/mp4" | "video/quicktime" | "audio/mp4" => Kind::IsoBmff,
            "audio/mpeg" => Kind::Mp3,
            _ => return None,
        })
    }

    fn sniff(data: &[u8]) -> Option<Kind> {
        if data.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(Kind::Jpeg)
        } else if data.starts_with(PNG_SIGNATURE) {
            Some(Kind::Png)
        } else if data.starts_with(b"RIFF") && data.get(8..12) == Some(b"WEBP".as_slice()) {
            Some(Kind::WebP)
        } else if data.get(4..8).is_some_and(|k| {
            [b"ftyp", b"moov", b"mdat", b"free", b"skip", b"wide", b"pnot"].iter().any(|t| k == *t)
        }) {
            Some(Kind::IsoBmff)
        } else if data.starts_with(b"ID3") || mpeg_frame_len(data).is_some() {
            Some(Kind::Mp3)
        } else {
            None
        }
    }

    fn name(self) -> &'static str {
        match self {
            Kind::Jpeg => "JPEG photo",
            Kind::Png => "PNG image",
            Kind::WebP => "WebP image",
            Kind::IsoBmff => "MP4 or QuickTime file",
            Kind::Mp3 => "MP3 sound",
        }
    }

    fn check(self, data: &[u8]) -> Result<(), Finding> {
        match self {
            Kind::Jpeg => jpeg(data),
            Kind::Png => png(data),
            Kind::WebP => webp(data),
            Kind::IsoBmff => bmff(data),
            Kind::Mp3 => mp3(data),
        }?;
        backstop(data)
    }
}

fn be16(d: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(d.get(at..at.checked_add(2)?)?.try_into().ok()?))
}

fn be32(d: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(d.get(at..at.checked_add(4)?)?.try_into().ok()?))
}

fn le32(d: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(d.get(at..at.checked_add(4)?)?.try_into().ok()?))
}

fn be64(d: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_be_bytes(d.get(at..at.checked_add(8)?)?.try_into().ok()?))
}

/// A name or label from a file, as a reader can see it: printable ASCII as is, anything else as `?`,
/// at most 40 characters.
fn shown(bytes: &[u8]) -> String {
    let mut s: String = bytes
        .iter()
        .take(40)
        .map(|&b| if b == b' ' || b.is_ascii_graphic() { b as char } else { '?' })
        .collect();
    if bytes.len() > 40 {
        s.push('…');
    }
    s
}

/// The text up to the first NUL (a PNG keyword, an APP segment's identifier), shown.
fn label(body: &[u8]) -> String {
    shown(body.split(|&b| b == 0).next().unwrap_or_default())
}

// --- JPEG ---

fn jpeg(d: &[u8]) -> Result<(), Finding> {
    if !d.starts_with(&[0xFF, 0xD8]) {
        return found(0, "no JPEG start marker");
    }
    let mut at = 2;
    loop {
        let start = at;
        match d.get(at) {
            None => return found(at, "the end of the file before the photo's end marker (EOI)"),
            Some(0xFF) => {}
            Some(b) => {
                return found(
                    at,
                    format!(
                        "a stray byte (0x{b:02X}) between segments, where only a marker may be"
                    ),
                );
            }
        }
        while d.get(at) == Some(&0xFF) {
            at += 1;
        }
        let Some(&marker) = d.get(at) else {
            return found(start, "the end of the file inside a marker");
        };
        at += 1;
        match marker {
            0xD9 if at == d.len() => return Ok(()),
            0xD9 => {
                return found(
                    at,
                    format!(
                        "{} bytes after the photo's end marker (EOI), where a second picture or camera data can hide",
                        d.len() - at
                    ),
                );
            }
            0x00 | 0x01 | 0xD0..=0xD8 => {
                return found(start, format!("a stray marker (0xFF{marker:02X}) between segments"));
            }
            _ => {}
        }
        let name = jpeg_marker_name(marker);
        let len = match be16(d, at) {
            Some(n) if n >= 2 && at + usize::from(n) <= d.len() => usize::from(n),
            _ => {
                return found(
                    start,
                    format!("a {name} segment that runs past the end of the file"),
                );
            }
        };
        jpeg_segment(marker, &name, &d[at + 2..at + len]).or_else(|what| found(start, what))?;
        at += len;
        if marker == 0xDA {
            at = entropy_coded_end(d, at)?;
        }
    }
}

fn jpeg_marker_name(marker: u8) -> String {
    match marker {
        0xC4 => "DHT".into(),
        0xCC => "DAC".into(),
        0xC0..=0xCF => format!("SOF{}", marker - 0xC0),
        0xDA => "SOS".into(),
        0xDB => "DQT".into(),
        0xDD => "DRI".into(),
        0xE0..=0xEF => format!("APP{}", marker - 0xE0),
        0xFE => "COM".into(),
        _ => format!("0xFF{marker:02X}"),
    }
}

/// Whether a segment is of an allowed kind; otherwise what it is.
fn jpeg_segment(marker: u8, name: &str, body: &[u8]) -> Result<(), String> {
    match marker {
        // Frame headers and tables (0xC8 is reserved), scans, quantisation, restart interval.
        0xC0..=0xCF if marker != 0xC8 => Ok(()),
        0xDA | 0xDB | 0xDD => Ok(()),
        0xE0 if body.starts_with(b"JFIF\0") => Ok(()),
        // JFXX thumbnails: 0x11 one byte a pixel with a palette, 0x13 three bytes a pixel.
        0xE0 if body.starts_with(b"JFXX\0") && matches!(body.get(5), Some(0x11 | 0x13)) => Ok(()),
        0xE0 if body.starts_with(b"JFXX\0") => Err(
            "an APP0 JFXX segment holding a JPEG thumbnail (a second picture, which can carry metadata of its own)"
                .into(),
        ),
        0xE2 if body.starts_with(b"ICC_PROFILE\0") => Ok(()),
        0xEE if body.starts_with(b"Adobe") => Ok(()),
        0xE1 if body.starts_with(b"Exif\0") => Err(if tiff_has_gps(body.get(6..).unwrap_or_default()) {
            "an APP1 EXIF segment with a GPS position".into()
        } else {
            "an APP1 EXIF segment (camera data, which can hold a GPS position)".into()
        }),
        0xE1 if body.starts_with(b"http://ns.adobe.com/x") => {
            Err("an APP1 XMP segment (metadata, which can hold the position)".into())
        }
        0xED => Err("an APP13 segment (Photoshop and IPTC data, which can name the place)".into()),
        0xE2 if body.starts_with(b"MPF\0") => Err(
            "an APP2 MPF segment (the index of further pictures appended to this one)".into(),
        ),
        0xFE => Err("a COM segment (a free-text comment)".into()),
        0xE0..=0xEF => {
            Err(format!("an {name} segment of a kind this check does not know (\"{}\")", label(body)))
        }
        _ => Err(format!("a segment of a kind this check does not know (marker {name})")),
    }
}

/// Where a scan's entropy-coded data ends: the `0xFF` that starts the next marker (`0xFF00` is a
/// stuffed byte and `RSTn` a restart, both part of the data).
fn entropy_coded_end(d: &[u8], from: usize) -> Result<usize, Finding> {
    let mut at = from;
    loop {
        let Some(ff) = d.get(at..).and_then(|rest| rest.iter().position(|&b| b == 0xFF)) else {
            return found(
                d.len(),
                "the end of the file inside the image data, before the photo's end marker (EOI)",
            );
        };
        at += ff;
        match d.get(at + 1) {
            Some(0x00 | 0xD0..=0xD7) => at += 2,
            Some(_) => return Ok(at),
            None => return found(at, "the end of the file inside a marker"),
        }
    }
}

/// Whether a TIFF structure (EXIF) has a GPS IFD pointer (tag 0x8825) in its first IFD.
fn tiff_has_gps(tiff: &[u8]) -> bool {
    let little = match tiff.get(..2) {
        Some(b"II") => true,
        Some(b"MM") => false,
        _ => return false,
    };
    let u16_at = |at: usize| -> Option<u16> {
        let b: [u8; 2] = tiff.get(at..at.checked_add(2)?)?.try_into().ok()?;
        Some(if little { u16::from_le_bytes(b) } else { u16::from_be_bytes(b) })
    };
    let u32_at = |at: usize| -> Option<u32> {
        let b: [u8; 4] = tiff.get(at..at.checked_add(4)?)?.try_into().ok()?;
        Some(if little { u32::from_le_bytes(b) } else { u32::from_be_bytes(b) })
    };
    let Some(ifd) = u32_at(4) else { return false };
    let ifd = ifd as usize;
    let Some(count) = u16_at(ifd) else { return false };
    (0..usize::from(count)).any(|i| u16_at(ifd + 2 + 12 * i) == Some(0x8825))
}

// --- PNG ---

/// The chunks a PNG may hold: the critical ones, and ancillary ones holding only numbers about the
/// pixels, a colour profile, or the time.
const PNG_CHUNKS: &[&[u8; 4]] = &[
    b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"cHRM", b"gAMA", b"iCCP", b"sBIT", b"sRGB",
    b"cICP", b"mDCV", b"cLLI", b"bKGD", b"hIST", b"pHYs", b"tIME", b"acTL", b"fcTL", b"fdAT",
];

fn png(d: &[u8]) -> Result<(), Finding> {
    if !d.starts_with(PNG_SIGNATURE) {
        return found(0, "no PNG signature");
    }
    let mut at = PNG_SIGNATURE.len();
    loop {
        if at == d.len() {
            return found(at, "the end of the file before the image's end chunk (IEND)");
        }
        let (Some(len), Some(kind)) = (be32(d, at), d.get(at + 4..at + 8)) else {
            return found(at, "the end of the file inside a chunk header");
        };
        if !kind.iter().all(u8::is_ascii_alphabetic) {
            return found(at, "a damaged chunk (its name is not four letters)");
        }
        let name = shown(kind);
        let end = match (at + 12).checked_add(len as usize) {
            Some(end) if end <= d.len() => end,
            _ => return found(at, format!("a {name} chunk that runs past the end of the file")),
        };
        if at == PNG_SIGNATURE.len() && kind != b"IHDR" {
            return found(at, format!("a {name} chunk before the image header (IHDR)"));
        }
        png_chunk(kind, &name, &d[at + 8..end - 4]).or_else(|what| found(at, what))?;
        at = end;
        if kind == b"IEND" {
            if at == d.len() {
                return Ok(());
            }
            return found(
                at,
                format!(
                    "{} bytes after the image's end chunk (IEND), where anything can hide",
                    d.len() - at
                ),
            );
        }
    }
}

fn png_chunk(kind: &[u8], name: &str, body: &[u8]) -> Result<(), String> {
    if PNG_CHUNKS.iter().any(|k| k.as_slice() == kind) {
        return Ok(());
    }
    Err(match kind {
        b"tEXt" => format!("a tEXt chunk (free text, named \"{}\")", label(body)),
        b"zTXt" => format!("a zTXt chunk (compressed free text, named \"{}\")", label(body)),
        b"iTXt" => format!("an iTXt chunk (free text, named \"{}\")", label(body)),
        b"eXIf" if tiff_has_gps(body) => "an eXIf chunk with a GPS position".into(),
        b"eXIf" => "an eXIf chunk (camera data, which can hold a GPS position)".into(),
        b"sPLT" => "an sPLT chunk (a palette with a free-text name)".into(),
        _ => format!("a {name} chunk, a kind this check does not know"),
    })
}

// --- WebP ---

fn webp(d: &[u8]) -> Result<(), Finding> {
    let Some(size) = le32(d, 4) else { return found(0, "no RIFF header") };
    let end = 8usize.saturating_add(size as usize);
    if end > d.len() {
        return found(d.len(), "the end of the file before the end its RIFF header gives");
    }
    if end < 12 {
        return found(4, "a RIFF header whose size is too small for a WebP image");
    }
    webp_chunks(d, 12, end, false)?;
    if end < d.len() {
        return found(
            end,
            format!("{} bytes after the image's end, where anything can hide", d.len() - end),
        );
    }
    Ok(())
}

/// The chunks from `start` to `end`: the top level, or (`in_frame`) an animation frame's.
fn webp_chunks(d: &[u8], start: usize, end: usize, in_frame: bool) -> Result<(), Finding> {
    let mut at = start;
    while at < end {
        let (Some(kind), Some(size)) =
            (d.get(at..at + 4).filter(|_| at + 8 <= end), le32(d, at + 4))
        else {
            return found(at, "a damaged chunk header");
        };
        let name = shown(kind);
        let body_end = match (at + 8).checked_add(size as usize) {
            Some(e) if e <= end => e,
            _ => return found(at, format!("a {name} chunk that runs past the end of the image")),
        };
        let body = &d[at + 8..body_end];
        let refused = |what: String| found(at, what);
        match kind {
            b"VP8 " | b"VP8L" | b"ALPH" => {}
            b"VP8X" if !in_frame => {
                let flags = body.first().copied().unwrap_or(0);
                if flags & 0x08 != 0 {
                    return refused("a VP8X header announcing EXIF metadata".into());
                }
                if flags & 0x04 != 0 {
                    return refused("a VP8X header announcing XMP metadata".into());
                }
            }
            b"ANIM" | b"ICCP" if !in_frame => {}
            b"ANMF" if !in_frame => {
                if body.len() < 16 {
                    return refused("a damaged animation frame (ANMF)".into());
                }
                webp_chunks(d, at + 8 + 16, body_end, true)?;
            }
            b"EXIF" => {
                let tiff = body.strip_prefix(b"Exif\0\0").unwrap_or(body);
                return refused(if tiff_has_gps(tiff) {
                    "an EXIF chunk with a GPS position".into()
                } else {
                    "an EXIF chunk (camera data, which can hold a GPS position)".into()
                });
            }
            b"XMP " => {
                return refused("an XMP chunk (metadata, which can hold the position)".into());
            }
            _ => {
                let place = if in_frame { " in an animation frame" } else { "" };
                return refused(format!("a {name} chunk{place}, a kind this check does not know"));
            }
        }
        // Chunks are padded to an even length; a missing last pad hides nothing.
        at = (body_end + (size as usize & 1)).min(end);
    }
    Ok(())
}

// --- MP4, QuickTime, MP4 audio (ISO base media files) ---

/// The major brands of HEIF images (HEIC, AVIF) and image sequences.
const HEIF_BRANDS: &[&[u8; 4]] = &[
    b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"mif2", b"msf1", b"avif",
    b"avis",
];

/// The UUID Adobe gives XMP packets in ISO base media files.
const XMP_UUID: [u8; 16] = [
    0xBE, 0x7A, 0xCF, 0xCB, 0x97, 0xA9, 0x42, 0xE8, 0x9C, 0x71, 0x99, 0x94, 0x91, 0xE3, 0xAF, 0xAC,
];

/// Boxes that only group other boxes, walked into.
const CONTAINERS: &[&[u8; 4]] = &[
    b"moov", b"mdia", b"minf", b"stbl", b"dinf", b"edts", b"mvex", b"moof", b"traf", b"mfra",
    b"sinf", b"schi", b"tref", b"clip", b"matt", b"tapt", b"gmhd", b"iprp", b"ipco",
];

/// The track handlers a file may hold: video, sound, timecode, auxiliary video (depth, alpha).
const TRACK_HANDLERS: &[&[u8; 4]] = &[b"vide", b"soun", b"tmcd", b"auxv"];

/// The children a `meta` box may have.
const META_CHILDREN: &[&[u8; 4]] = &[
    b"hdlr", b"keys", b"ilst", b"free", b"skip", b"pitm", b"iloc", b"iinf", b"iref", b"iprp",
    b"idat", b"dinf", b"grpl",
];

/// What a box type shows as: its four letters (© for 0xA9).
fn box_name(kind: &[u8]) -> String {
    kind.iter()
        .map(|&b| if b == 0xA9 { '©' } else { shown(&[b]).chars().next().unwrap_or('?') })
        .collect()
}

fn bmff(d: &[u8]) -> Result<(), Finding> {
    if d.get(4..8) == Some(b"ftyp".as_slice())
        && let Some(brand) = d.get(8..12)
        && HEIF_BRANDS.iter().any(|b| b.as_slice() == brand)
    {
        return found(
            8,
            format!(
                "a HEIF image (brand \"{}\", as iPhones save photos), which this mission does not take: convert it to JPEG (the observer app does)",
                shown(brand)
            ),
        );
    }
    boxes(d, 0, d.len(), 0, b"")
}

/// One box's header: its type, where its body starts, and where it ends.
struct BoxAt {
    kind: [u8; 4],
    at: usize,
    body: usize,
    end: usize,
}

/// The box at `at`, which must end by `end`; `None` if it is damaged.
fn box_at(d: &[u8], at: usize, end: usize) -> Option<BoxAt> {
    let rest = end.checked_sub(at)?;
    let kind: [u8; 4] = d.get(at + 4..at + 8)?.try_into().ok()?;
    let (size, mut header) = match be32(d, at)? {
        0 => (rest, 8),
        1 => (usize::try_from(be64(d, at + 8)?).ok()?, 16),
        n => (n as usize, 8),
    };
    if &kind == b"uuid" {
        header += 16;
    }
    (size >= header && size <= rest && rest >= 8).then(|| BoxAt {
        kind,
        at,
        body: at + header,
        end: at + size,
    })
}

/// Walks the boxes from `start` to `end`, children of a box of type `parent` (empty at the top).
fn boxes(d: &[u8], start: usize, end: usize, depth: usize, parent: &[u8]) -> Result<(), Finding> {
    if depth > MAX_BOX_DEPTH {
        return found(
            start,
            format!("boxes nested deeper than this check reads ({MAX_BOX_DEPTH} levels)"),
        );
    }
    let mut at = start;
    while at < end {
        // QuickTime ends some containers with four zero bytes.
        if end - at == 4 && depth > 0 && d.get(at..end) == Some(&[0; 4]) {
            break;
        }
        let Some(b) = box_at(d, at, end) else {
            let name = d.get(at + 4..at + 8).map(box_name).unwrap_or_default();
            return found(
                at,
                format!("a damaged box \"{name}\" (its size runs past the end of what holds it)"),
            );
        };
        one_box(d, &b, depth, parent)?;
        at = b.end;
    }
    Ok(())
}

fn one_box(d: &[u8], b: &BoxAt, depth: usize, parent: &[u8]) -> Result<(), Finding> {
    let refused = |what: &str| found(b.at, what);
    if parent == b"meta" && !META_CHILDREN.iter().any(|k| **k == b.kind) {
        return found(
            b.at,
            format!(
                "a metadata box of a kind this check does not know (\"{}\")",
                box_name(&b.kind)
            ),
        );
    }
    match &b.kind {
        b"udta" => refused("a udta box (user data, where cameras write the place and other notes)"),
        b"\xA9xyz" => refused("a ©xyz box (the place, as QuickTime writes it)"),
        b"loci" => refused("a loci box (the place, as 3GPP writes it)"),
        b"gps " | b"GPS " | b"gps0" | b"gpsa" | b"udat" => {
            refused("a GPS log box (as dashcams write it: gps, gps0, gpsa, udat)")
        }
        b"XMP_" => refused("an XMP box (metadata, which can hold the position)"),
        b"cmov" => refused("a compressed movie header, which this check cannot read"),
        b"uuid" => {
            let id = d.get(b.at + 8..b.body).unwrap_or_default();
            if id == XMP_UUID {
                refused("an XMP packet (uuid box: metadata, which can hold the position)")
            } else {
                let hex: String = id.iter().map(|x| format!("{x:02x}")).collect();
                found(
                    b.at,
                    format!(
                        "an extension box of a kind this check does not know (uuid {hex}; camera makers keep EXIF there)"
                    ),
                )
            }
        }
        b"meta" => {
            // ISO's `meta` has four bytes of version and flags before its children; QuickTime's has
            // none (its first child, `hdlr`, comes at once).
            let children = if d.get(b.body + 4..b.body + 8) == Some(b"hdlr".as_slice()) {
                b.body
            } else {
                b.body + 4
            };
            if children > b.end {
                return refused("a damaged meta box");
            }
            boxes(d, children, b.end, depth + 1, b"meta")
        }
        b"keys" => quicktime_keys(d, b),
        b"iinf" => item_infos(d, b),
        b"ilst" => boxes(d, b.body, b.end, depth + 1, b"ilst"),
        b"trak" => {
            let handler = child(d, b.body, b.end, b"mdia")
                .and_then(|mdia| child(d, mdia.body, mdia.end, b"hdlr"))
                .and_then(|hdlr| {
                    d.get(hdlr.body + 8..hdlr.body + 12).filter(|_| hdlr.body + 12 <= hdlr.end)
                });
            match handler {
                None => refused("a track without a handler, which this check cannot read"),
                Some(h) if !TRACK_HANDLERS.iter().any(|k| k.as_slice() == h) => found(
                    b.at,
                    format!(
                        "a track of kind \"{}\" (timed metadata, subtitles or text, which can carry the position as it moves)",
                        box_name(h)
                    ),
                ),
                Some(_) => boxes(d, b.body, b.end, depth + 1, b"trak"),
            }
        }
        k if CONTAINERS.contains(&k) => boxes(d, b.body, b.end, depth + 1, k),
        _ => Ok(()),
    }
}

/// The first child of type `kind` between `start` and `end`, ignoring damage (the walk reports it).
fn child(d: &[u8], start: usize, end: usize, kind: &[u8; 4]) -> Option<BoxAt> {
    let mut at = start;
    while let Some(b) = box_at(d, at, end) {
        if &b.kind == kind {
            return Some(b);
        }
        at = b.end;
    }
    None
}

/// QuickTime Keys (`keys` in `meta`): the names the metadata items are filed under.
fn quicktime_keys(d: &[u8], b: &BoxAt) -> Result<(), Finding> {
    let Some(count) = be32(d, b.body + 4) else {
        return found(b.at, "a damaged QuickTime keys box");
    };
    let mut at = b.body + 8;
    for _ in 0..count {
        let size = match be32(d, at) {
            Some(n) if n >= 8 && at + n as usize <= b.end => n as usize,
            _ => return found(at, "a damaged QuickTime key"),
        };
        let name = &d[at + 8..at + size];
        let lower = name.to_ascii_lowercase();
        if [b"location".as_slice(), b"gps", b"coordinate", b"xyz"]
            .iter()
            .any(|w| lower.windows(w.len()).any(|x| x == *w))
        {
            return found(at, format!("QuickTime metadata naming {}", shown(name)));
        }
        at += size;
    }
    Ok(())
}

/// HEIF item information (`iinf` in `meta`): EXIF, MIME (XMP) and URI items are refused.
fn item_infos(d: &[u8], b: &BoxAt) -> Result<(), Finding> {
    let version = d.get(b.body).copied().unwrap_or(0);
    let mut at = b.body + if version == 0 { 6 } else { 8 };
    while at < b.end {
        let Some(infe) = box_at(d, at, b.end) else {
            return found(at, "a damaged item information box");
        };
        let v = d.get(infe.body).copied().unwrap_or(0);
        if v >= 2 {
            let type_at = infe.body + 4 + if v == 2 { 2 } else { 4 } + 2;
            match d.get(type_at..type_at + 4).filter(|_| type_at + 4 <= infe.end) {
                Some(b"Exif") => {
                    return found(
                        infe.at,
                        "an EXIF item (camera data, which can hold a GPS position)",
                    );
                }
                Some(b"mime") => {
                    return found(
                        infe.at,
                        "a MIME item (XMP metadata, which can hold the position)",
                    );
                }
                Some(b"uri ") => return found(infe.at, "a URI item, which this check cannot read"),
                _ => {}
            }
        }
        at = infe.end;
    }
    Ok(())
}

// --- MP3 ---

/// The ID3v2 frames an MP3 may hold: encoder settings, length, dates (2.3 and 2.4; then 2.2's).
const ID3_FRAMES: &[&[u8]] = &[
    b"TSSE", b"TLEN", b"TDRC", b"TYER", b"TDAT", b"TIME", b"TDEN", b"TDTG", b"TSS", b"TLE", b"TYE",
    b"TDA", b"TIM",
];

fn mp3(d: &[u8]) -> Result<(), Finding> {
    let mut at = if d.starts_with(b"ID3") { id3v2(d)? } else { 0 };
    while at < d.len() {
        let rest = &d[at..];
        if rest.starts_with(b"TAG") && rest.len() == 128 {
            return found(at, "an ID3v1 tag (title, artist and a free-text comment)");
        }
        if rest.starts_with(b"APETAGEX") {
            return found(at, "an APE tag (free-text metadata)");
        }
        if rest.starts_with(b"LYRICSBEGIN") {
            return found(at, "a Lyrics3 tag (free text)");
        }
        if rest.starts_with(b"ID3") {
            return found(at, "an ID3 tag after the start of the sound");
        }
        if rest.iter().all(|&b| b == 0) {
            return Ok(());
        }
        match mpeg_frame_len(rest) {
            Some(n) => at += n,
            None => return found(at, "bytes that are not sound (no MPEG audio frame starts here)"),
        }
    }
    Ok(())
}

/// The ID3v2 tag at the start: where it ends, if all its frames are allowed.
fn id3v2(d: &[u8]) -> Result<usize, Finding> {
    let (Some(&major), Some(&flags), Some(size)) = (d.get(3), d.get(5), d.get(6..10)) else {
        return found(0, "the end of the file inside the ID3 tag's header");
    };
    if !(2..=4).contains(&major) || size.iter().any(|&b| b >= 0x80) {
        return found(0, "an ID3 tag of a version or form this check does not read");
    }
    if flags & 0xC0 != 0 {
        return found(
            0,
            "an ID3 tag unsynchronised or with an extended header, which this check does not read",
        );
    }
    let syncsafe = |b: &[u8]| b.iter().fold(0usize, |n, &x| (n << 7) | usize::from(x & 0x7F));
    let end = 10 + syncsafe(size) + if major == 4 && flags & 0x10 != 0 { 10 } else { 0 };
    if end > d.len() {
        return found(0, "an ID3 tag that runs past the end of the file");
    }
    let (id_len, header) = if major == 2 { (3, 6) } else { (4, 10) };
    let mut at = 10;
    while at + header <= end {
        let id = &d[at..at + id_len];
        if id[0] == 0 {
            // Padding: zeros to the end of the tag.
            if let Some(p) = d[at..end].iter().position(|&b| b != 0) {
                return found(at + p, "data hidden in the ID3 tag's padding");
            }
            return Ok(end);
        }
        let size = match major {
            2 => d[at + 3..at + 6].iter().fold(0usize, |n, &x| (n << 8) | usize::from(x)),
            3 => be32(d, at + 4).unwrap_or(u32::MAX) as usize,
            _ => syncsafe(&d[at + 4..at + 8]),
        };
        let frame_end = at + header + size;
        if frame_end > end {
            return found(
                at,
                format!("an ID3 {} frame that runs past the end of its tag", shown(id)),
            );
        }
        if !ID3_FRAMES.contains(&id) {
            let what = match id {
                b"TXXX" | b"TXX" => "user-defined free text",
                b"COMM" | b"COM" => "a free-text comment",
                b"APIC" | b"PIC" => "a picture, which can carry its own EXIF",
                b"GEOB" | b"GEO" => "an attached object",
                b"PRIV" => "private data",
                _ => "only encoder settings, length and dates are taken",
            };
            return found(at, format!("an ID3 {} frame ({what})", shown(id)));
        }
        at = frame_end;
    }
    if let Some(p) = d[at..end].iter().position(|&b| b != 0) {
        return found(at + p, "data hidden in the ID3 tag's padding");
    }
    Ok(end)
}

/// The length of the MPEG audio frame whose header starts `h`, if it is one.
fn mpeg_frame_len(h: &[u8]) -> Option<usize> {
    let &[a, b, c, _, ..] = h else { return None };
    if a != 0xFF || b & 0xE0 != 0xE0 {
        return None;
    }
    let version = (b >> 3) & 3; // 0: MPEG 2.5, 2: MPEG 2, 3: MPEG 1
    let layer = (b >> 1) & 3; // 1: III, 2: II, 3: I
    let (rate, sample, pad) =
        (usize::from(c >> 4), usize::from((c >> 2) & 3), usize::from((c >> 1) & 1));
    if version == 1 || layer == 0 || rate == 0 || rate == 15 || sample == 3 {
        return None;
    }
    // Kilobits a second by bitrate index: MPEG 1 layers I, II, III; MPEG 2 and 2.5 layers II and III,
    // then layer I.
    const V1: [[usize; 14]; 3] = [
        [32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
        [32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
        [32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
    ];
    const V2: [[usize; 14]; 2] = [
        [8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
        [32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
    ];
    let kbps = match (version, layer) {
        (3, l) => V1[usize::from(3 - l)][rate - 1],
        (_, 3) => V2[1][rate - 1],
        _ => V2[0][rate - 1],
    };
    let hz = [44_100, 48_000, 32_000][sample]
        >> match version {
            3 => 0,
            2 => 1,
            _ => 2,
        };
    let bps = kbps * 1000;
    Some(match (version, layer) {
        (_, 3) => (12 * bps / hz + pad) * 4,
        (3, _) | (_, 2) => 144 * bps / hz + pad,
        _ => 72 * bps / hz + pad,
    })
}

// --- The backstop, over the whole file ---

/// Box types that carry a position, looked for as box headers anywhere.
const HIDDEN_BOXES: &[&[u8; 4]] = &[b"udta", b"loci", b"\xA9xyz", b"gps ", b"gps0", b"XMP_"];

fn backstop(d: &[u8]) -> Result<(), Finding> {
    for (i, &b) in d.iter().enumerate() {
        let rest = &d[i..];
        match b {
            b'c' if rest.starts_with(b"com.apple.quicktime.location") => {
                return found(i, "QuickTime location metadata (com.apple.quicktime.location)");
            }
            b'f' | b'L' if rest.starts_with(b"freeGPS ") || rest.starts_with(b"LIGOGPSINFO") => {
                return found(i, "a dashcam's GPS log");
            }
            b'$' if [b"$GPRMC,".as_slice(), b"$GPGGA,", b"$GNRMC,", b"$GNGGA,"]
                .iter()
                .any(|s| rest.starts_with(s)) =>
            {
                return found(i, "a GPS receiver's position sentence (NMEA)");
            }
            b'E' if rest.starts_with(b"Exif\0\0")
                && (rest[6..].starts_with(b"MM\0*") || rest[6..].starts_with(b"II*\0")) =>
            {
                return found(i, "EXIF camera data (which can hold a GPS position)");
            }
            b'+' | b'-' if iso6709(rest) => {
                return found(i, "a position written as text (ISO 6709)");
            }
            b':' => {
                if let Some(name) = xmp_location_property(d, i) {
                    return found(i, format!("an XMP property naming a position ({name})"));
                }
            }
            b'u' | b'l' | 0xA9 | b'g' | b'X' if i >= 4 => {
                let kind = &d[i..d.len().min(i + 4)];
                if HIDDEN_BOXES.iter().any(|k| k.as_slice() == kind)
                    && be32(d, i - 4).is_some_and(|n| n >= 8 && (n as usize) <= d.len() - (i - 4))
                {
                    return found(i - 4, format!("a {} box hidden in other data", box_name(kind)));
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// Whether `s` starts with a position in ISO 6709 text: `±DD[MM[SS]][.d]±DDD[MM[SS]][.d]`, then an
/// altitude or not, ended by `/` (or, without it, with at least two decimals in each coordinate).
fn iso6709(s: &[u8]) -> bool {
    // A signed number with `min..=max` integer digits: (where it ends, its decimals).
    let number = |at: usize, min: usize, max: usize| -> Option<(usize, usize)> {
        if !matches!(s.get(at), Some(b'+' | b'-')) {
            return None;
        }
        let digits = |from: usize| {
            s.get(from..).map_or(0, |r| r.iter().take_while(|b| b.is_ascii_digit()).count())
        };
        let int = digits(at + 1);
        if int < min || int > max {
            return None;
        }
        let mut end = at + 1 + int;
        let mut decimals = 0;
        if s.get(end) == Some(&b'.') {
            decimals = digits(end + 1);
            if decimals == 0 {
                return None;
            }
            end += 1 + decimals;
        }
        Some((end, decimals))
    };
    let Some((lat_end, lat_dec)) = number(0, 2, 6) else { return false };
    let Some((lon_end, lon_dec)) = number(lat_end, 3, 7) else { return false };
    let end = number(lon_end, 1, 6).map_or(lon_end, |(e, _)| e);
    s.get(end) == Some(&b'/') || (lat_dec >= 2 && lon_dec >= 2)
}

/// The XMP property named just after the `:` at `colon`, if it names a position, whatever the prefix.
fn xmp_location_property(d: &[u8], colon: usize) -> Option<String> {
    let name_char = |b: &u8| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.');
    if !d.get(colon.checked_sub(1)?).is_some_and(u8::is_ascii_alphanumeric) {
        return None;
    }
    let name: Vec<u8> =
        d.get(colon + 1..)?.iter().take(65).take_while(|b| name_char(b)).copied().collect();
    if name.len() > 64 {
        return None;
    }
    let after = d.get(colon + 1 + name.len());
    if !after
        .is_none_or(|b| matches!(b, b'=' | b'>' | b'/' | b'"' | b'\'') || b.is_ascii_whitespace())
    {
        return None;
    }
    let lower = name.to_ascii_lowercase();
    let named = (lower.starts_with(b"gps") && lower.len() >= 5)
        || lower.starts_with(b"location")
        || lower.starts_with(b"sublocation")
        || [
            b"city".as_slice(),
            b"state",
            b"country",
            b"countrycode",
            b"countryname",
            b"provincestate",
            b"worldregion",
            b"shotlocation",
            b"latitude",
            b"longitude",
        ]
        .contains(&lower.as_slice());
    named.then(|| shown(&name))
}

#[cfg(test)]
mod tests;
