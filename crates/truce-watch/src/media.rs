//! Photos, video and sound behind observations: how an entry names a file, and whether a file still
//! carries the place it was taken.
//!
//! An observation's `media` lists its files by content: `<SHA-256, 64 lowercase or uppercase hex>` or
//! `<SHA-256>:<size in bytes>`. The file itself is uploaded apart (the server's media store); anyone
//! who gets it checks it against the hash in the log.
//!
//! Location metadata is judged on the bytes that are hashed: a mission whose policy is to strip it has
//! its devices remove it **before** hashing (the observer app does, for JPEG and PNG), and the server
//! refuses a file that still carries it, since it could not strip it afterwards without breaking the
//! hash. [`location_metadata`] finds EXIF GPS data (JPEG APP1, PNG `eXIf`, WebP `EXIF`), XMP GPS
//! properties, and MP4/QuickTime location atoms (`©xyz`, `loci`). No I/O.

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

/// What location metadata `data` carries, if any: a short description such as `"EXIF GPS (JPEG)"`.
/// Malformed files are read as far as they go; this never panics.
pub fn location_metadata(data: &[u8]) -> Option<&'static str> {
    if data.starts_with(&[0xFF, 0xD8]) {
        return jpeg(data);
    }
    if data.starts_with(b"\x89PNG\r\n\x1a\n") {
        return png(data);
    }
    if data.len() >= 12 && &data[..4] == b"RIFF" && &data[8..12] == b"WEBP" {
        return webp(data);
    }
    if data.len() >= 8 && &data[4..8] == b"ftyp" {
        return mp4(data);
    }
    xmp_gps(data).then_some("XMP GPS")
}

/// Whether an XMP packet (or any text) names a GPS position.
fn xmp_gps(data: &[u8]) -> bool {
    find(data, b"exif:GPSLatitude").is_some() || find(data, b"exif:GPSLongitude").is_some()
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn jpeg(data: &[u8]) -> Option<&'static str> {
    let mut at = 2usize;
    while at + 4 <= data.len() {
        if data[at] != 0xFF {
            return None;
        }
        let marker = data[at + 1];
        // Markers without a length; start of scan ends the metadata.
        if marker == 0xD8 || (0xD0..=0xD7).contains(&marker) || marker == 0x01 || marker == 0xFF {
            at += if marker == 0xFF { 1 } else { 2 };
            continue;
        }
        if marker == 0xDA || marker == 0xD9 {
            return None;
        }
        let len = usize::from(u16::from_be_bytes([data[at + 2], data[at + 3]]));
        if len < 2 {
            return None;
        }
        let body = data.get(at + 4..(at + 2 + len).min(data.len()))?;
        if marker == 0xE1 {
            if let Some(tiff) = body.strip_prefix(b"Exif\0\0")
                && tiff_has_gps(tiff)
            {
                return Some("EXIF GPS (JPEG)");
            }
            if xmp_gps(body) {
                return Some("XMP GPS (JPEG)");
            }
        }
        at += 2 + len;
    }
    None
}

fn png(data: &[u8]) -> Option<&'static str> {
    let mut at = 8usize;
    while at + 8 <= data.len() {
        let len = u32::from_be_bytes([data[at], data[at + 1], data[at + 2], data[at + 3]]) as usize;
        let kind = &data[at + 4..at + 8];
        let body = data.get(at + 8..(at + 8).saturating_add(len).min(data.len()))?;
        match kind {
            b"eXIf" if tiff_has_gps(body) => return Some("EXIF GPS (PNG)"),
            b"iTXt" | b"tEXt" | b"zTXt" if xmp_gps(body) => return Some("XMP GPS (PNG)"),
            b"IEND" => return None,
            _ => {}
        }
        at = at.saturating_add(12).saturating_add(len);
    }
    None
}

fn webp(data: &[u8]) -> Option<&'static str> {
    let mut at = 12usize;
    while at + 8 <= data.len() {
        let kind = &data[at..at + 4];
        let len =
            u32::from_le_bytes([data[at + 4], data[at + 5], data[at + 6], data[at + 7]]) as usize;
        let body = data.get(at + 8..(at + 8).saturating_add(len).min(data.len()))?;
        match kind {
            b"EXIF" => {
                let tiff = body.strip_prefix(b"Exif\0\0").unwrap_or(body);
                if tiff_has_gps(tiff) {
                    return Some("EXIF GPS (WebP)");
                }
            }
            b"XMP " if xmp_gps(body) => return Some("XMP GPS (WebP)"),
            _ => {}
        }
        // Chunks are padded to an even length.
        at = at.saturating_add(8).saturating_add(len).saturating_add(len & 1);
    }
    None
}

fn mp4(data: &[u8]) -> Option<&'static str> {
    // The location atoms sit in the movie's user data; a byte search finds them wherever the muxer put
    // the `moov` box (start or end).
    if find(data, b"\xA9xyz").is_some() {
        return Some("QuickTime location (©xyz)");
    }
    if find(data, b"loci").is_some() {
        return Some("3GPP location (loci)");
    }
    xmp_gps(data).then_some("XMP GPS (MP4)")
}

/// Whether a TIFF structure (EXIF) has a GPS IFD pointer (tag 0x8825) in its first IFD.
fn tiff_has_gps(tiff: &[u8]) -> bool {
    let little = match tiff.get(..2) {
        Some(b"II") => true,
        Some(b"MM") => false,
        _ => return false,
    };
    let u16_at = |at: usize| -> Option<u16> {
        let b = tiff.get(at..at + 2)?;
        Some(if little {
            u16::from_le_bytes([b[0], b[1]])
        } else {
            u16::from_be_bytes([b[0], b[1]])
        })
    };
    let u32_at = |at: usize| -> Option<u32> {
        let b = tiff.get(at..at + 4)?;
        let b = [b[0], b[1], b[2], b[3]];
        Some(if little { u32::from_le_bytes(b) } else { u32::from_be_bytes(b) })
    };
    let Some(ifd) = u32_at(4) else { return false };
    let ifd = ifd as usize;
    let Some(count) = u16_at(ifd) else { return false };
    (0..usize::from(count)).any(|i| u16_at(ifd + 2 + 12 * i) == Some(0x8825))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A JPEG with one APP1 EXIF segment whose IFD0 holds `tags`.
    fn jpeg_with(tags: &[u16]) -> Vec<u8> {
        let mut tiff = b"MM\0\x2a\0\0\0\x08".to_vec();
        tiff.extend((tags.len() as u16).to_be_bytes());
        for t in tags {
            tiff.extend(t.to_be_bytes());
            tiff.extend([0, 4, 0, 0, 0, 1, 0, 0, 0, 0]);
        }
        tiff.extend([0, 0, 0, 0]);
        let mut app1 = b"Exif\0\0".to_vec();
        app1.extend(tiff);
        let mut out = vec![0xFF, 0xD8, 0xFF, 0xE1];
        out.extend(((app1.len() + 2) as u16).to_be_bytes());
        out.extend(app1);
        out.extend([0xFF, 0xDA, 0, 2, 1, 2, 3, 0xFF, 0xD9]);
        out
    }

    #[test]
    fn exif_gps_is_found_and_other_tags_are_not_location() {
        assert_eq!(location_metadata(&jpeg_with(&[0x010F, 0x8825])), Some("EXIF GPS (JPEG)"));
        assert_eq!(location_metadata(&jpeg_with(&[0x010F, 0x0112])), None);
        // The same file with its APP1 segment removed, as the observer app strips it.
        assert_eq!(location_metadata(&[0xFF, 0xD8, 0xFF, 0xDA, 0, 2, 0xFF, 0xD9]), None);
    }

    #[test]
    fn xmp_mp4_and_truncated_files() {
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        let xmp = b"XML:com.adobe.xmp\0<exif:GPSLatitude>48,1N</exif:GPSLatitude>";
        png.extend((xmp.len() as u32).to_be_bytes());
        png.extend(b"iTXt");
        png.extend(xmp);
        png.extend([0; 4]);
        assert_eq!(location_metadata(&png), Some("XMP GPS (PNG)"));
        let mut mp4 = b"\0\0\0\x14ftypisom".to_vec();
        mp4.extend(b"....moov....udta....\xA9xyz+48.1+038.1/");
        assert_eq!(location_metadata(&mp4), Some("QuickTime location (©xyz)"));
        for cut in 0..jpeg_with(&[0x8825]).len() {
            let _ = location_metadata(&jpeg_with(&[0x8825])[..cut]);
        }
    }

    #[test]
    fn media_references() {
        let h = "ab".repeat(32);
        assert_eq!(media_ref(&h), Some(MediaRef { sha256: &h, bytes: None }));
        assert_eq!(media_ref(&format!("{h}:1234")).and_then(|m| m.bytes), Some(1234));
        for bad in [format!("{h}:"), format!("{h}:-1"), format!("{h}:1e3"), h[..63].to_string()] {
            assert_eq!(media_ref(&bad), None, "{bad}");
        }
    }
}
