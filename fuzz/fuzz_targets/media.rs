//! Fuzzes the media location check (JPEG, PNG, WebP, MP4, QuickTime, MP3) and the entry's media
//! references.
//!
//! Each input is read twice: as a file (the seeds in `fuzz/corpus/media/` are files of every kind,
//! clean or carrying a position in some form), and as a recipe from which [`build`] makes a
//! well-formed JPEG, PNG, WebP, MP4 or QuickTime file out of parts, located or not, so the check meets
//! structures that byte mutations rarely reach. Properties: no input panics; the check's answer does not
//! depend on the type a file is sent as, but for refusing a mismatch; and a file the check accepts
//! holds no location marker that an independent, minimal scan ([`marker`]) finds.
#![no_main]

use truce_watch::media::{ACCEPTED, check_stripped, location_metadata, media_ref};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    check(data);
    if let Some(file) = build(data) {
        check(&file);
    }
    if let Ok(text) = std::str::from_utf8(data)
        && let Some(r) = media_ref(text)
    {
        assert_eq!(r.sha256.len(), 64);
    }
});

fn check(file: &[u8]) {
    let verdict = location_metadata(file);
    for (content_type, _) in ACCEPTED {
        if check_stripped(content_type, file).is_ok() {
            assert_eq!(verdict, None, "accepted as {content_type} but not on its own bytes");
        }
    }
    if verdict.is_none()
        && let Some(m) = marker(file)
    {
        panic!("the check accepts a file with {m}");
    }
}

// --- The oracle: a minimal scan, written apart from the check ---

fn has(file: &[u8], needle: &[u8]) -> bool {
    file.windows(needle.len()).any(|w| w == needle)
}

fn u32_at(file: &[u8], at: usize) -> Option<usize> {
    Some(u32::from_be_bytes(file.get(at..at + 4)?.try_into().ok()?) as usize)
}

/// A location marker in `file`, if there is one.
fn marker(file: &[u8]) -> Option<String> {
    if has(file, b"com.apple.quicktime.location") {
        return Some("QuickTime location keys".into());
    }
    if has(file, b"Exif\0\0MM\0*") || has(file, b"Exif\0\0II*\0") {
        return Some("EXIF data".into());
    }
    if has(file, b"freeGPS ") || has(file, b"$GPRMC,") || has(file, b"$GPGGA,") {
        return Some("a GPS log".into());
    }
    for i in 0..file.len() {
        // A location box: its four letters after a size that fits in the file.
        if i >= 4 {
            let kind = &file[i..file.len().min(i + 4)];
            if [&b"udta"[..], b"loci", b"\xA9xyz"].contains(&kind)
                && u32_at(file, i - 4).is_some_and(|n| n >= 8 && n <= file.len() - (i - 4))
            {
                return Some(format!("a {kind:?} box at {}", i - 4));
            }
        }
        // An XMP GPS property under any prefix: `x:GPSLatitude=`, `<x:GPSLongitude>`.
        if i >= 1 && file[i] == b':' && file[i - 1].is_ascii_alphanumeric() {
            let rest = file[i + 1..].to_ascii_lowercase();
            for name in [&b"gpslatitude"[..], b"gpslongitude"] {
                if rest.starts_with(name)
                    && rest.get(name.len()).is_none_or(|c| b"=>/\"' \t\r\n".contains(c))
                {
                    return Some(format!("an XMP GPS property at {i}"));
                }
            }
        }
        // A position as ISO 6709 text with decimals: `+48.12+038.65/`.
        if matches!(file[i], b'+' | b'-') && iso6709(&file[i..]) {
            return Some(format!("ISO 6709 text at {i}"));
        }
    }
    if file.starts_with(&[0xFF, 0xD8]) {
        return jpeg_marker(file);
    }
    if file.starts_with(b"\x89PNG") {
        return png_marker(file);
    }
    if file.starts_with(b"RIFF") {
        return webp_marker(file);
    }
    None
}

fn iso6709(s: &[u8]) -> bool {
    let mut at = 0;
    for int in [2, 3] {
        if !matches!(s.get(at), Some(b'+' | b'-')) {
            return false;
        }
        at += 1;
        if !(0..int).all(|k| s.get(at + k).is_some_and(u8::is_ascii_digit))
            || s.get(at + int) != Some(&b'.')
        {
            return false;
        }
        at += int + 1;
        let decimals = s[at.min(s.len())..].iter().take_while(|b| b.is_ascii_digit()).count();
        if decimals == 0 {
            return false;
        }
        at += decimals;
    }
    s.get(at) == Some(&b'/')
}

/// JPEG: the segments before the first scan hold no EXIF, XMP, IPTC or comment, and the file ends
/// with its end marker.
fn jpeg_marker(file: &[u8]) -> Option<String> {
    let mut at = 2;
    while at + 4 <= file.len() && file[at] == 0xFF {
        let m = file[at + 1];
        if m == 0xFF {
            at += 1;
            continue;
        }
        if matches!(m, 0xE1 | 0xED | 0xFE) {
            return Some(format!("a JPEG segment 0xFF{m:02X} at {at}"));
        }
        if m == 0xDA {
            break;
        }
        at += 2 + usize::from(u16::from_be_bytes([file[at + 2], file[at + 3]]));
    }
    (!file.ends_with(&[0xFF, 0xD9])).then(|| "a JPEG that does not end with EOI".into())
}

/// PNG: no text or EXIF chunk, and `IEND` last.
fn png_marker(file: &[u8]) -> Option<String> {
    let mut at = 8;
    while let Some(len) = u32_at(file, at) {
        let kind = file.get(at + 4..at + 8)?;
        if [&b"tEXt"[..], b"zTXt", b"iTXt", b"eXIf"].contains(&kind) {
            return Some(format!("a PNG {kind:?} chunk at {at}"));
        }
        at = at.checked_add(12)?.checked_add(len)?;
        if kind == b"IEND" {
            return (at != file.len()).then(|| "data after IEND".into());
        }
    }
    None
}

/// WebP: no EXIF or XMP chunk, and no VP8X flag announcing them.
fn webp_marker(file: &[u8]) -> Option<String> {
    let mut at = 12;
    while at + 8 <= file.len() {
        let kind = &file[at..at + 4];
        let len = u32::from_le_bytes(file[at + 4..at + 8].try_into().ok()?) as usize;
        if kind == b"EXIF" || kind == b"XMP " {
            return Some(format!("a WebP {kind:?} chunk at {at}"));
        }
        if kind == b"VP8X" && len > 0 && file.get(at + 8).is_some_and(|f| f & 0x0C != 0) {
            return Some("a VP8X flag announcing metadata".into());
        }
        at = at.checked_add(8)?.checked_add(len)?.checked_add(len & 1)?;
    }
    None
}

// --- Recipes: well-formed files from parts ---

/// The parts of a recipe: (tag, payload) pairs, each `tag, length, payload`.
fn parts(mut data: &[u8]) -> Vec<(u8, &[u8])> {
    let mut out = Vec::new();
    while let [tag, len, rest @ ..] = data {
        let n = usize::from(*len).min(rest.len());
        out.push((*tag, &rest[..n]));
        data = &rest[n..];
    }
    out
}

/// A file built from `data`: its first byte picks the kind, the rest are its parts.
fn build(data: &[u8]) -> Option<Vec<u8>> {
    let (&kind, rest) = data.split_first()?;
    let parts = parts(rest);
    Some(match kind % 5 {
        0 => jpeg(&parts),
        1 => png(&parts),
        2 => webp(&parts),
        3 => movie(b"isom", &parts),
        _ => movie(b"qt  ", &parts),
    })
}

fn seg(marker: u8, body: &[u8]) -> Vec<u8> {
    let body = &body[..body.len().min(0xFFFD)];
    [&[0xFF, marker][..], &((body.len() + 2) as u16).to_be_bytes(), body].concat()
}

fn jpeg(parts: &[(u8, &[u8])]) -> Vec<u8> {
    let mut out = vec![0xFF, 0xD8];
    let mut scan: &[u8] = &[];
    let mut trailer: &[u8] = &[];
    for &(tag, p) in parts {
        match tag % 16 {
            0 => out.extend(seg(0xE0, &[b"JFIF\0".as_slice(), p].concat())),
            1 => out.extend(seg(0xE1, &[b"Exif\0\0MM\0*".as_slice(), p].concat())),
            2 => out.extend(seg(0xE1, &[b"http://ns.adobe.com/xap/1.0/\0".as_slice(), p].concat())),
            3 => out.extend(seg(0xFE, p)),
            4 => out.extend(seg(0xE2, &[b"ICC_PROFILE\0".as_slice(), p].concat())),
            5 => out.extend(seg(0xEE, &[b"Adobe".as_slice(), p].concat())),
            6 => out.extend(seg(0xDB, p)),
            7 => out.extend(seg(0xC4, p)),
            8 => out.extend(seg(0xC0, p)),
            9 => out.extend(seg(0xED, p)),
            10 => out.extend(p.iter().take(2)),
            11 => out.extend(seg(0xE0 + p.first().map_or(0, |b| b & 0x0F), p)),
            12 => out.extend(seg(0xE0, &[b"JFXX\0".as_slice(), p].concat())),
            13 => scan = p,
            14 => trailer = p,
            _ => out.extend(seg(0xDD, p)),
        }
    }
    out.extend(seg(0xDA, &[1, 1, 0, 0, 63, 0]));
    // The scan's data, with its 0xFF bytes stuffed.
    for &b in scan {
        out.push(b);
        if b == 0xFF {
            out.push(0);
        }
    }
    out.extend([0xFF, 0xD9]);
    out.extend(trailer);
    out
}

fn chunk(kind: &[u8; 4], body: &[u8]) -> Vec<u8> {
    [&(body.len() as u32).to_be_bytes()[..], kind, body, &[0; 4]].concat()
}

fn png(parts: &[(u8, &[u8])]) -> Vec<u8> {
    const KINDS: [&[u8; 4]; 12] = [
        b"IDAT", b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"gAMA", b"pHYs", b"sRGB", b"tIME", b"iCCP",
        b"gpSx", b"bKGD",
    ];
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    out.extend(chunk(b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]));
    let mut trailer: &[u8] = &[];
    for &(tag, p) in parts {
        match usize::from(tag) % (KINDS.len() + 1) {
            12 => trailer = p,
            k => out.extend(chunk(KINDS[k], p)),
        }
    }
    out.extend(chunk(b"IEND", &[]));
    out.extend(trailer);
    out
}

fn wchunk(kind: &[u8; 4], body: &[u8]) -> Vec<u8> {
    let mut out = [&kind[..], &(body.len() as u32).to_le_bytes(), body].concat();
    if body.len() % 2 == 1 {
        out.push(0);
    }
    out
}

fn webp(parts: &[(u8, &[u8])]) -> Vec<u8> {
    const KINDS: [&[u8; 4]; 9] =
        [b"VP8L", b"VP8X", b"EXIF", b"XMP ", b"ICCP", b"ALPH", b"ANIM", b"ANMF", b"VP8 "];
    let mut body = Vec::new();
    let mut trailer: &[u8] = &[];
    for &(tag, p) in parts {
        match usize::from(tag) % (KINDS.len() + 1) {
            9 => trailer = p,
            k => body.extend(wchunk(KINDS[k], p)),
        }
    }
    let mut out = [&b"RIFF"[..], &((body.len() + 4) as u32).to_be_bytes(), b"WEBP", &body].concat();
    out[4..8].copy_from_slice(&((body.len() + 4) as u32).to_le_bytes());
    out.extend(trailer);
    out
}

fn bx(kind: &[u8; 4], body: &[u8]) -> Vec<u8> {
    [&((body.len() + 8) as u32).to_be_bytes()[..], kind, body].concat()
}

/// A movie: `ftyp`, then boxes from the parts. A part either adds a leaf box to the open container,
/// opens a container (`moov`, `trak`, `mdia`, `udta`, `meta`), or closes the innermost one.
fn movie(brand: &[u8; 4], parts: &[(u8, &[u8])]) -> Vec<u8> {
    let mut stack: Vec<(&[u8; 4], Vec<u8>)> =
        vec![(b"file", bx(b"ftyp", &[brand.as_slice(), &[0; 4], brand].concat()))];
    for &(tag, p) in parts {
        let leaf = match tag % 16 {
            0 => Some(bx(b"mdat", p)),
            1 => Some(bx(b"free", p)),
            2 => Some(bx(b"\xA9xyz", p)),
            3 => Some(bx(b"loci", p)),
            4 => Some(bx(
                b"hdlr",
                &[&[0u8; 8][..], p.get(..4).unwrap_or(b"vide"), &[0; 12]].concat(),
            )),
            5 => {
                let key = [&((p.len() + 8) as u32).to_be_bytes()[..], b"mdta", p].concat();
                Some(bx(b"keys", &[&[0, 0, 0, 0, 0, 0, 0, 1][..], &key].concat()))
            }
            6 => Some(bx(
                b"uuid",
                &[
                    &[
                        0xBE, 0x7A, 0xCF, 0xCB, 0x97, 0xA9, 0x42, 0xE8, 0x9C, 0x71, 0x99, 0x94,
                        0x91, 0xE3, 0xAF, 0xAC,
                    ][..],
                    p,
                ]
                .concat(),
            )),
            7 => Some(bx(b"mvhd", p)),
            8..=12 => {
                let kind: &[u8; 4] =
                    [b"moov", b"trak", b"mdia", b"udta", b"meta"][usize::from(tag % 16 - 8)];
                if stack.len() < 12 {
                    stack.push((kind, Vec::new()));
                }
                None
            }
            13 if stack.len() > 1 => {
                let (kind, body) = stack.pop().unwrap_or((b"free", Vec::new()));
                Some(bx(kind, &body))
            }
            14 => Some(p.to_vec()),
            _ => None,
        };
        if let (Some(b), Some(top)) = (leaf, stack.last_mut()) {
            top.1.extend(b);
        }
    }
    while stack.len() > 1 {
        let (kind, body) = stack.pop().unwrap_or((b"free", Vec::new()));
        if let Some(top) = stack.last_mut() {
            top.1.extend(bx(kind, &body));
        }
    }
    stack.pop().map(|(_, b)| b).unwrap_or_default()
}
