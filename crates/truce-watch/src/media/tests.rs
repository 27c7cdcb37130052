//! Every form of a position in a file the issues found, and new ones, each built here (no third-party
//! files) and kept as a seed of the media fuzz target (`fuzz/corpus/media/`, rewritten from these
//! builders with `UPDATE_CORPUS=1`).

use super::*;

// --- EXIF ---

/// One IFD placed at offset `at` of a big-endian TIFF, then the values longer than four bytes.
fn ifd(at: usize, entries: &[(u16, u16, u32, Vec<u8>)]) -> Vec<u8> {
    let mut head = (entries.len() as u16).to_be_bytes().to_vec();
    let mut data: Vec<u8> = Vec::new();
    let data_at = at + 2 + 12 * entries.len() + 4;
    for (tag, kind, count, value) in entries {
        head.extend(tag.to_be_bytes());
        head.extend(kind.to_be_bytes());
        head.extend(count.to_be_bytes());
        if value.len() <= 4 {
            let mut v = value.clone();
            v.resize(4, 0);
            head.extend(v);
        } else {
            head.extend(((data_at + data.len()) as u32).to_be_bytes());
            data.extend(value);
        }
    }
    head.extend([0; 4]);
    head.extend(data);
    head
}

/// EXIF's TIFF structure: the camera's make and, with `gps`, a GPS IFD placing the camera at
/// 48°7'24.24" N, 38°39'15.54" E.
pub(crate) fn tiff(gps: bool) -> Vec<u8> {
    let mut out = b"MM\0\x2a\0\0\0\x08".to_vec();
    let make = (0x010F, 2, 6, b"Truce\0".to_vec());
    if !gps {
        out.extend(ifd(8, &[make]));
        return out;
    }
    let gps_at = 8 + 2 + 12 * 2 + 4 + 6;
    out.extend(ifd(8, &[make, (0x8825, 4, 1, (gps_at as u32).to_be_bytes().to_vec())]));
    let rational = |parts: &[(u32, u32)]| -> Vec<u8> {
        parts.iter().flat_map(|(n, d)| n.to_be_bytes().into_iter().chain(d.to_be_bytes())).collect()
    };
    out.extend(ifd(
        gps_at,
        &[
            (1, 2, 2, b"N\0".to_vec()),
            (2, 5, 3, rational(&[(48, 1), (7, 1), (2424, 100)])),
            (3, 2, 2, b"E\0".to_vec()),
            (4, 5, 3, rational(&[(38, 1), (39, 1), (1554, 100)])),
        ],
    ));
    out
}

fn exif(gps: bool) -> Vec<u8> {
    [b"Exif\0\0".as_slice(), &tiff(gps)].concat()
}

/// An XMP packet whose position is in the EXIF namespace bound to the prefix `e:`, not `exif:`.
fn xmp_with_prefix_e() -> Vec<u8> {
    concat!(
        "<?xpacket begin=\"\u{feff}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>",
        "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">",
        "<rdf:Description rdf:about=\"\" xmlns:e=\"http://ns.adobe.com/exif/1.0/\" ",
        "e:GPSLatitude=\"48,7.404N\" e:GPSLongitude=\"38,39.259E\"/>",
        "</rdf:RDF></x:xmpmeta><?xpacket end=\"w\"?>"
    )
    .as_bytes()
    .to_vec()
}

/// An XMP packet in the usual `exif:` prefix, as an element.
fn xmp_exif_element() -> Vec<u8> {
    concat!(
        "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">",
        "<rdf:Description rdf:about=\"\" xmlns:exif=\"http://ns.adobe.com/exif/1.0/\">",
        "<exif:GPSLatitude>48,7.404N</exif:GPSLatitude><exif:GPSLongitude>38,39.259E</exif:GPSLongitude>",
        "</rdf:Description></rdf:RDF></x:xmpmeta>"
    )
    .as_bytes()
    .to_vec()
}

// --- JPEG ---

fn seg(marker: u8, body: &[u8]) -> Vec<u8> {
    let mut out = vec![0xFF, marker];
    out.extend(((body.len() + 2) as u16).to_be_bytes());
    out.extend(body);
    out
}

/// A baseline JPEG, 8×8 grey, with `head` after its JFIF segment: tables, frame, one scan (with a
/// stuffed byte and a restart marker in its data) and the end marker.
fn jpeg(head: &[Vec<u8>]) -> Vec<u8> {
    let mut out = vec![0xFF, 0xD8];
    out.extend(seg(0xE0, b"JFIF\0\x01\x02\0\0\x01\0\x01\0\0"));
    for h in head {
        out.extend(h);
    }
    out.extend(seg(0xDB, &[[0u8].as_slice(), &[1; 64]].concat()));
    out.extend(seg(0xC0, &[8, 0, 8, 0, 8, 1, 1, 0x11, 0]));
    let table = |class: u8| [[class].as_slice(), &[0, 1], &[0; 14], &[0]].concat();
    out.extend(seg(0xC4, &table(0x00)));
    out.extend(seg(0xC4, &table(0x10)));
    out.extend(seg(0xDD, &[0, 1]));
    out.extend(seg(0xDA, &[1, 1, 0, 0, 63, 0]));
    out.extend([0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56, 0xFF, 0xD9]);
    out
}

/// A minimal ICC profile: a 128-byte header (`acsp`) and one tag, the white point.
fn icc() -> Vec<u8> {
    let mut p = vec![0u8; 164];
    p[..4].copy_from_slice(&164u32.to_be_bytes());
    p[8..12].copy_from_slice(&[2, 0x10, 0, 0]);
    p[12..16].copy_from_slice(b"mntr");
    p[16..20].copy_from_slice(b"GRAY");
    p[20..24].copy_from_slice(b"XYZ ");
    p[36..40].copy_from_slice(b"acsp");
    p[128..132].copy_from_slice(&1u32.to_be_bytes());
    p[132..136].copy_from_slice(b"wtpt");
    p[136..140].copy_from_slice(&144u32.to_be_bytes());
    p[140..144].copy_from_slice(&20u32.to_be_bytes());
    p[144..148].copy_from_slice(b"XYZ ");
    p[152..164].copy_from_slice(&[0, 0, 0xF6, 0xD6, 0, 1, 0, 0, 0, 0, 0xD3, 0x2D]);
    p
}

/// An IPTC record (in Photoshop's APP13 resource block) naming a city.
fn iptc_city() -> Vec<u8> {
    let record = [&[0x1C, 2, 90, 0, 7][..], b"Horlivk"].concat();
    let mut body = b"Photoshop 3.0\08BIM\x04\x04\0\0".to_vec();
    body.extend((record.len() as u32).to_be_bytes());
    body.extend(&record);
    if record.len() % 2 == 1 {
        body.push(0);
    }
    body
}

// --- PNG ---

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

fn chunk(kind: &[u8; 4], body: &[u8]) -> Vec<u8> {
    let mut out = (body.len() as u32).to_be_bytes().to_vec();
    out.extend(kind);
    out.extend(body);
    out.extend(crc32(&[kind.as_slice(), body].concat()).to_be_bytes());
    out
}

/// Bits written least significant first, as DEFLATE packs them.
#[derive(Default)]
struct Bits {
    out: Vec<u8>,
    acc: u8,
    n: u32,
}

impl Bits {
    fn bit(&mut self, b: u8) {
        self.acc |= b << self.n;
        self.n += 1;
        if self.n == 8 {
            self.out.push(self.acc);
            (self.acc, self.n) = (0, 0);
        }
    }

    /// A Huffman code, most significant bit first.
    fn code(&mut self, code: u32, len: u32) {
        for i in (0..len).rev() {
            self.bit(((code >> i) & 1) as u8);
        }
    }

    fn finish(mut self) -> Vec<u8> {
        if self.n > 0 {
            self.out.push(self.acc);
        }
        self.out
    }
}

/// A zlib stream: one final DEFLATE block with the fixed Huffman codes (literals only), then the
/// Adler-32 of the data.
fn zlib(data: &[u8]) -> Vec<u8> {
    let mut bits = Bits::default();
    // BFINAL, then BTYPE 01 (least significant bit first).
    for b in [1, 1, 0] {
        bits.bit(b);
    }
    for &b in data {
        match b {
            0..=143 => bits.code(0x30 + u32::from(b), 8),
            _ => bits.code(0x190 + u32::from(b) - 144, 9),
        }
    }
    bits.code(0, 7);
    let (mut a, mut s) = (1u32, 0u32);
    for &b in data {
        a = (a + u32::from(b)) % 65521;
        s = (s + a) % 65521;
    }
    [&[0x78, 0x01][..], &bits.finish(), &((s << 16) | a).to_be_bytes()].concat()
}

/// A 1×1 grey PNG with `extra` chunks before its image data.
fn png(extra: &[Vec<u8>]) -> Vec<u8> {
    let mut out = PNG_SIGNATURE.to_vec();
    out.extend(chunk(b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]));
    for e in extra {
        out.extend(e);
    }
    out.extend(chunk(b"IDAT", &zlib(&[0, 0x80])));
    out.extend(chunk(b"IEND", &[]));
    out
}

/// ImageMagick's "Raw profile type exif": the profile as hex text, 72 digits a line, compressed.
fn raw_profile_exif() -> Vec<u8> {
    let profile = exif(true);
    let mut text = format!("\nexif\n{:8}\n", profile.len());
    for line in profile.chunks(36) {
        text.extend(line.iter().map(|b| format!("{b:02x}")));
        text.push('\n');
    }
    [b"Raw profile type exif\0\0".as_slice(), &zlib(text.as_bytes())].concat()
}

// --- WebP ---

fn riff(chunks: &[Vec<u8>]) -> Vec<u8> {
    let body: Vec<u8> = chunks.concat();
    [b"RIFF".as_slice(), &((body.len() + 4) as u32).to_le_bytes(), b"WEBP", &body].concat()
}

fn wchunk(kind: &[u8; 4], body: &[u8]) -> Vec<u8> {
    let mut out = [kind.as_slice(), &(body.len() as u32).to_le_bytes(), body].concat();
    if body.len() % 2 == 1 {
        out.push(0);
    }
    out
}

fn vp8x(flags: u8) -> Vec<u8> {
    wchunk(b"VP8X", &[flags, 0, 0, 0, 0, 0, 0, 0, 0, 0])
}

fn vp8l() -> Vec<u8> {
    wchunk(b"VP8L", &[0x2F, 0, 0, 0, 0, 0x88, 0x88, 0x08])
}

// --- MP4, QuickTime ---

fn bx(kind: &[u8; 4], body: &[u8]) -> Vec<u8> {
    [&((body.len() + 8) as u32).to_be_bytes(), kind.as_slice(), body].concat()
}

fn full(kind: &[u8; 4], body: &[u8]) -> Vec<u8> {
    bx(kind, &[&[0u8; 4], body].concat())
}

fn ftyp(major: &[u8; 4], compatible: &[&[u8; 4]]) -> Vec<u8> {
    let mut body = major.to_vec();
    body.extend([0; 4]);
    for c in compatible {
        body.extend(*c);
    }
    bx(b"ftyp", &body)
}

fn hdlr(handler: &[u8; 4]) -> Vec<u8> {
    full(b"hdlr", &[&[0u8; 4], handler.as_slice(), &[0; 12], b"Truce\0"].concat())
}

fn mvhd() -> Vec<u8> {
    let mut b = vec![0u8; 96];
    b[8..12].copy_from_slice(&1000u32.to_be_bytes());
    b[12..16].copy_from_slice(&1000u32.to_be_bytes());
    b[16..20].copy_from_slice(&0x0001_0000u32.to_be_bytes());
    b[20..22].copy_from_slice(&0x0100u16.to_be_bytes());
    b[92..96].copy_from_slice(&2u32.to_be_bytes());
    full(b"mvhd", &b)
}

/// A track of `handler` ("vide", "soun", "meta"...) with an empty sample table, then `extra` boxes.
fn trak(handler: &[u8; 4], extra: &[Vec<u8>]) -> Vec<u8> {
    trak_with(handler, &[], None, extra)
}

/// A track of `handler` with `entries` as its sample descriptions and, with `sample`, one sample of
/// that many bytes at that offset of the file; then `extra` boxes.
fn trak_with(
    handler: &[u8; 4],
    entries: &[Vec<u8>],
    sample: Option<(u32, u32)>,
    extra: &[Vec<u8>],
) -> Vec<u8> {
    let count = |n: usize| (n as u32).to_be_bytes();
    let stsd = full(b"stsd", &[&count(entries.len())[..], &entries.concat()].concat());
    let (stsc, stsz, stco) = match sample {
        None => (vec![0; 4], vec![0; 8], vec![0; 4]),
        Some((offset, size)) => (
            [count(1), count(1), count(1), count(1)].concat(),
            [[0; 4], count(1), size.to_be_bytes()].concat(),
            [count(1), offset.to_be_bytes()].concat(),
        ),
    };
    let mut tkhd = vec![0u8; 80];
    tkhd[8..12].copy_from_slice(&1u32.to_be_bytes());
    let mut mdhd = vec![0u8; 20];
    mdhd[8..12].copy_from_slice(&1000u32.to_be_bytes());
    let media_header =
        if handler == b"soun" { full(b"smhd", &[0; 4]) } else { full(b"vmhd", &[0; 8]) };
    let dinf =
        bx(b"dinf", &full(b"dref", &[&[0, 0, 0, 1][..], &bx(b"url ", &[0, 0, 0, 1])].concat()));
    let stbl = bx(
        b"stbl",
        &[
            stsd,
            full(b"stts", &[0; 4]),
            full(b"stsc", &stsc),
            full(b"stsz", &stsz),
            full(b"stco", &stco),
        ]
        .concat(),
    );
    let minf = bx(b"minf", &[media_header, dinf, stbl].concat());
    let mdia = bx(b"mdia", &[full(b"mdhd", &mdhd), hdlr(handler), minf].concat());
    let mut body = [full(b"tkhd", &tkhd), mdia].concat();
    for e in extra {
        body.extend(e);
    }
    bx(b"trak", &body)
}

/// A movie: `ftyp` of `brand`, `moov` (its header then `moov_extra`), then `mdat` holding `media`.
fn movie(brand: &[u8; 4], moov_extra: &[Vec<u8>], media: &[u8]) -> Vec<u8> {
    let compatible: &[&[u8; 4]] =
        if brand == b"qt  " { &[b"qt  "] } else { &[brand, b"isom", b"mp41"] };
    let moov = bx(b"moov", &[vec![mvhd()], moov_extra.to_vec()].concat().concat());
    [ftyp(brand, compatible), moov, bx(b"mdat", media)].concat()
}

const ISO6709: &str = "+48.1234+038.6543+120.000/";

/// A QuickTime movie with a timed metadata track as iPhones write one: its sample description names
/// the key `com.apple.quicktime.location.ISO6709`, and its one sample, in `mdat`, holds the position.
fn iphone_location_track() -> Vec<u8> {
    let key = "com.apple.quicktime.location.ISO6709";
    let keyd = bx(b"keyd", &[b"mdta".as_slice(), key.as_bytes()].concat());
    let mebx = bx(
        b"mebx",
        &[&[0, 0, 0, 0, 0, 0, 0, 1][..], &bx(b"keys", &bx(&1u32.to_be_bytes(), &keyd))].concat(),
    );
    let sample = bx(&1u32.to_be_bytes(), ISO6709.as_bytes());
    let build = |offset: u32| {
        let track = trak_with(
            b"meta",
            std::slice::from_ref(&mebx),
            Some((offset, sample.len() as u32)),
            &[],
        );
        movie(b"qt  ", &[trak(b"vide", &[]), track], &sample)
    };
    let offset = build(0).len() - sample.len();
    build(offset as u32)
}

/// QuickTime metadata as iPhones write it: `meta` (no version) with `hdlr` mdta, `keys` and `ilst`.
fn keys_meta(key: &str, value: &str) -> Vec<u8> {
    let entry = [&((key.len() + 8) as u32).to_be_bytes()[..], b"mdta", key.as_bytes()].concat();
    let keys = full(b"keys", &[&1u32.to_be_bytes()[..], &entry].concat());
    let data = bx(b"data", &[&[0, 0, 0, 1, 0, 0, 0, 0][..], value.as_bytes()].concat());
    let ilst = bx(b"ilst", &bx(&1u32.to_be_bytes(), &data));
    bx(b"meta", &[hdlr(b"mdta"), keys, ilst].concat())
}

fn xyz() -> Vec<u8> {
    let text = b"+48.1234+038.6543/";
    bx(b"\xA9xyz", &[&(text.len() as u16).to_be_bytes()[..], &[0x15, 0xC7], text].concat())
}

/// A 3GPP location: name, role, longitude, latitude and altitude as 16.16 fixed point, body, notes.
fn loci() -> Vec<u8> {
    let fixed = |x: f64| ((x * 65536.0) as i32).to_be_bytes();
    let body = [
        &[0x15, 0xC7][..],
        b"Post 7\0",
        &[0],
        &fixed(38.6543),
        &fixed(48.1234),
        &fixed(120.0),
        b"Earth\0",
        b"\0",
    ]
    .concat();
    full(b"loci", &body)
}

fn xmp_uuid(packet: &[u8]) -> Vec<u8> {
    bx(b"uuid", &[XMP_UUID.as_slice(), packet].concat())
}

/// A HEIF file (brand `brand`) whose metadata names one EXIF item, kept in its `mdat`.
fn heif_exif(brand: &[u8; 4]) -> Vec<u8> {
    let ftyp = ftyp(brand, &[b"mif1", brand]);
    let infe = bx(b"infe", &[&[2, 0, 0, 0, 0, 1, 0, 0][..], b"Exif", b"\0"].concat());
    let iinf = full(b"iinf", &[&[0, 1][..], &infe].concat());
    let payload = [&[0, 0, 0, 6][..], &exif(true)].concat();
    let meta_for = |offset: u32| {
        let iloc = full(
            b"iloc",
            &[
                &[0x44, 0x00, 0, 1, 0, 1, 0, 0, 0, 1][..],
                &offset.to_be_bytes(),
                &(payload.len() as u32).to_be_bytes(),
            ]
            .concat(),
        );
        full(b"meta", &[hdlr(b"pict"), full(b"pitm", &[0, 1]), iinf.clone(), iloc].concat())
    };
    let offset = ftyp.len() + meta_for(0).len() + 8;
    [ftyp, meta_for(offset as u32), bx(b"mdat", &payload)].concat()
}

// --- MP3 ---

fn id3(frames: &[(&[u8; 4], Vec<u8>)], padding: usize) -> Vec<u8> {
    let syncsafe = |n: usize| {
        [(n >> 21) as u8 & 0x7F, (n >> 14) as u8 & 0x7F, (n >> 7) as u8 & 0x7F, n as u8 & 0x7F]
    };
    let mut body = Vec::new();
    for (id, content) in frames {
        body.extend(*id);
        body.extend(syncsafe(content.len()));
        body.extend([0, 0]);
        body.extend(content);
    }
    body.extend(vec![0; padding]);
    [&b"ID3\x04\0\0"[..], &syncsafe(body.len()), &body].concat()
}

/// `n` MPEG-1 layer III frames, 128 kbit/s at 44.1 kHz, mono: 417 bytes each.
fn mpeg_frames(n: usize) -> Vec<u8> {
    let mut frame = vec![0u8; 417];
    frame[..4].copy_from_slice(&[0xFF, 0xFB, 0x90, 0xC4]);
    frame.repeat(n)
}

fn id3v1() -> Vec<u8> {
    let field = |s: &str, n: usize| {
        let mut v = s.as_bytes().to_vec();
        v.resize(n, 0);
        v
    };
    [
        b"TAG".as_slice(),
        &field("Checkpoint", 30),
        &field("Observer", 30),
        &field("", 30),
        b"2015",
        &field("48.1234N 38.6543E", 30),
        &[255],
    ]
    .concat()
}

/// Every file of the corpus: its name (its kind first; `clean` in the name when the check must accept
/// it) and its bytes.
fn corpus() -> Vec<(&'static str, Vec<u8>)> {
    let clean_jpeg = jpeg(&[]);
    let mut null_before_exif = jpeg(&[]);
    // After SOI and JFIF (2 + 18 bytes): one 0x00, then the APP1 EXIF segment (finding 5).
    null_before_exif.splice(20..20, [&[0u8][..], &seg(0xE1, &exif(true))].concat());
    let mut after_eoi = jpeg(&[]);
    after_eoi.extend(jpeg(&[seg(0xE1, &exif(true))]));
    let mut exif_after_scan = jpeg(&[]);
    let eoi = exif_after_scan.len() - 2;
    exif_after_scan.splice(eoi..eoi, seg(0xE1, &exif(true)));
    let mut thumbnail = b"JFXX\0\x10".to_vec();
    thumbnail.extend(jpeg(&[seg(0xE1, &exif(true))]));
    let mut text_after_iend = png(&[]);
    text_after_iend.extend(chunk(b"tEXt", b"Comment\x0048.1234N 38.6543E"));
    let mut webp_after_end = riff(&[vp8l()]);
    webp_after_end.extend(wchunk(b"EXIF", &tiff(true)));
    let freed_udta = {
        let udta = bx(b"udta", &xyz());
        bx(b"free", &vec![0; udta.len() - 8])
    };
    vec![
        ("jpeg-clean", clean_jpeg.clone()),
        (
            "jpeg-clean-icc-adobe",
            jpeg(&[
                seg(0xE2, &[b"ICC_PROFILE\0\x01\x01".as_slice(), &icc()].concat()),
                seg(0xEE, b"Adobe\0\x64\0\0\0\0\x01"),
            ]),
        ),
        ("jpeg-exif-gps", jpeg(&[seg(0xE1, &exif(true))])),
        ("jpeg-exif-no-gps", jpeg(&[seg(0xE1, &exif(false))])),
        ("jpeg-null-before-exif", null_before_exif),
        (
            "jpeg-xmp-prefix-e",
            jpeg(&[seg(
                0xE1,
                &[b"http://ns.adobe.com/xap/1.0/\0".as_slice(), &xmp_with_prefix_e()].concat(),
            )]),
        ),
        ("jpeg-com-position", jpeg(&[seg(0xFE, b"Observation post 7, 48.1234 N 38.6543 E")])),
        ("jpeg-after-eoi", after_eoi),
        ("jpeg-exif-after-scan", exif_after_scan),
        ("jpeg-app13-iptc-city", jpeg(&[seg(0xED, &iptc_city())])),
        ("jpeg-jfxx-jpeg-thumbnail", jpeg(&[seg(0xE0, &thumbnail)])),
        ("png-clean", png(&[])),
        (
            "png-clean-ancillary",
            png(&[
                chunk(b"gAMA", &45455u32.to_be_bytes()),
                chunk(b"sRGB", &[0]),
                chunk(b"pHYs", &[0, 0, 0x0B, 0x13, 0, 0, 0x0B, 0x13, 1]),
                chunk(b"tIME", &[0x07, 0xDF, 3, 20, 6, 0, 0]),
            ]),
        ),
        ("png-ztxt-raw-profile-exif", png(&[chunk(b"zTXt", &raw_profile_exif())])),
        ("png-exif-chunk", png(&[chunk(b"eXIf", &tiff(true))])),
        (
            "png-itxt-xmp-prefix-e",
            png(&[chunk(
                b"iTXt",
                &[b"XML:com.adobe.xmp\0\0\0\0\0".as_slice(), &xmp_with_prefix_e()].concat(),
            )]),
        ),
        ("png-text-comment", png(&[chunk(b"tEXt", b"Comment\x0048.1234 N 38.6543 E")])),
        ("png-after-iend", text_after_iend),
        ("png-unknown-chunk", png(&[chunk(b"gpSx", b"48.1234 38.6543")])),
        ("webp-clean", riff(&[vp8l()])),
        ("webp-clean-vp8x-icc", riff(&[vp8x(0x20), wchunk(b"ICCP", &icc()), vp8l()])),
        ("webp-exif-chunk", riff(&[vp8x(0x08), vp8l(), wchunk(b"EXIF", &tiff(true))])),
        ("webp-exif-unflagged", riff(&[vp8x(0), vp8l(), wchunk(b"EXIF", &tiff(true))])),
        ("webp-xmp-chunk", riff(&[vp8x(0x04), vp8l(), wchunk(b"XMP ", &xmp_exif_element())])),
        ("webp-after-end", webp_after_end),
        ("mp4-clean", movie(b"isom", &[trak(b"vide", &[]), trak(b"soun", &[])], &[0; 64])),
        ("mp4-clean-freed-udta", movie(b"isom", &[trak(b"vide", &[]), freed_udta], &[0; 64])),
        (
            "mov-clean",
            [bx(b"wide", &[]), movie(b"qt  ", &[trak(b"vide", &[]), trak(b"tmcd", &[])], &[0; 64])]
                .concat(),
        ),
        ("m4a-clean", movie(b"M4A ", &[trak(b"soun", &[])], &[0; 64])),
        (
            "mov-keys-location-iso6709",
            movie(
                b"qt  ",
                &[keys_meta("com.apple.quicktime.location.ISO6709", ISO6709), trak(b"vide", &[])],
                &[0; 64],
            ),
        ),
        ("mov-udta-xyz", movie(b"qt  ", &[trak(b"vide", &[]), bx(b"udta", &xyz())], &[0; 64])),
        ("mp4-udta-loci", movie(b"isom", &[trak(b"vide", &[]), bx(b"udta", &loci())], &[0; 64])),
        ("mp4-trak-udta-xyz", movie(b"isom", &[trak(b"vide", &[bx(b"udta", &xyz())])], &[0; 64])),
        (
            "mp4-xmp-uuid",
            // Where exiftool writes XMP in MP4 files: at the top, after `ftyp`.
            {
                let m = movie(b"isom", &[trak(b"vide", &[])], &[0; 64]);
                let ftyp_len = 8 + 4 + 4 + 12;
                [&m[..ftyp_len], &xmp_uuid(&xmp_exif_element()), &m[ftyp_len..]].concat()
            },
        ),
        ("mp4-metadata-track", movie(b"isom", &[trak(b"vide", &[]), trak(b"meta", &[])], &[0; 64])),
        ("mov-iphone-location-track", iphone_location_track()),
        (
            "mov-gps0-box",
            [
                movie(b"qt  ", &[trak(b"vide", &[])], &[0; 64]),
                bx(b"gps0", &ISO6709.as_bytes()[..9]),
            ]
            .concat(),
        ),
        (
            "mp4-freegps-in-mdat",
            movie(
                b"isom",
                &[trak(b"vide", &[])],
                &[&[0, 0, 0x80, 0][..], b"freeGPS ", &[0; 56]].concat(),
            ),
        ),
        (
            "mp4-nmea-in-free",
            [
                movie(b"isom", &[trak(b"vide", &[])], &[0; 64]),
                bx(b"free", b"$GPRMC,081836,A,4807.404,N,03839.259,E,000.0,360.0,200315,,*1F"),
            ]
            .concat(),
        ),
        (
            "mp4-loci-hidden-in-mdat",
            movie(b"isom", &[trak(b"vide", &[])], &[vec![0; 16], loci()].concat()),
        ),
        (
            "mov-iso6709-in-free",
            [movie(b"qt  ", &[trak(b"vide", &[])], &[0; 64]), bx(b"free", ISO6709.as_bytes())]
                .concat(),
        ),
        ("heic-exif-item", heif_exif(b"heic")),
        ("mp4-exif-item", heif_exif(b"isom")),
        ("mp3-clean", [id3(&[(b"TSSE", b"\0Lavf60.3.100".to_vec())], 32), mpeg_frames(3)].concat()),
        (
            "mp3-id3-txxx",
            [id3(&[(b"TXXX", b"\0location\0+48.1234+038.6543/".to_vec())], 0), mpeg_frames(3)]
                .concat(),
        ),
        (
            "mp3-id3-comm",
            [id3(&[(b"COMM", b"\0eng\0near the bridge, 48.12 N".to_vec())], 0), mpeg_frames(3)]
                .concat(),
        ),
        ("mp3-id3v1", [mpeg_frames(3), id3v1()].concat()),
    ]
}

/// The media fuzz target's seeds.
fn corpus_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/corpus/media")
}

#[test]
fn the_fuzz_corpus_holds_every_form() {
    let update = std::env::var_os("UPDATE_CORPUS").is_some();
    for (name, bytes) in corpus() {
        let path = corpus_dir().join(name);
        if update {
            std::fs::write(&path, &bytes).unwrap();
        }
        assert_eq!(
            std::fs::read(&path).ok().as_deref(),
            Some(bytes.as_slice()),
            "fuzz/corpus/media/{name} is not what its builder makes: rewrite the corpus with UPDATE_CORPUS=1"
        );
    }
}

/// The content type a corpus file is sent as, from its name. HEIF files are sent as MP4 video, as
/// someone would who renamed one.
fn content_type(name: &str) -> &'static str {
    match name.split('-').next() {
        Some("jpeg") => "image/jpeg",
        Some("png") => "image/png",
        Some("webp") => "image/webp",
        Some("mp4" | "heic") => "video/mp4",
        Some("mov") => "video/quicktime",
        Some("m4a") => "audio/mp4",
        Some("mp3") => "audio/mpeg",
        _ => panic!("no content type for {name}"),
    }
}

fn file(name: &str) -> Vec<u8> {
    corpus().into_iter().find(|(n, _)| *n == name).unwrap_or_else(|| panic!("no {name}")).1
}

/// Where `needle` first starts in `name`'s file, less `back` bytes (a box's size before its type).
fn offset(name: &str, needle: &[u8], back: usize) -> usize {
    let f = file(name);
    f.windows(needle.len()).position(|w| w == needle).unwrap_or_else(|| panic!("{name}")) - back
}

/// Where the last `needle` starts in `name`'s file.
fn last(name: &str, needle: &[u8]) -> usize {
    let f = file(name);
    f.windows(needle.len()).rposition(|w| w == needle).unwrap_or_else(|| panic!("{name}"))
}

#[test]
fn issue21_every_form_of_a_position_is_refused_and_said_where() {
    // After SOI and JFIF; after the PNG signature and IHDR; after the RIFF header, VP8X and VP8L.
    let (jpeg_head, png_head) = (2 + 18, 8 + 25);
    let clean_jpeg = file("jpeg-clean").len();
    let expected: Vec<(&str, &str, usize)> = vec![
        ("jpeg-exif-gps", "an APP1 EXIF segment with a GPS position", jpeg_head),
        (
            "jpeg-exif-no-gps",
            "an APP1 EXIF segment (camera data, which can hold a GPS position)",
            jpeg_head,
        ),
        // Finding 5: one 0x00 before the EXIF segment hid it from the scanner.
        (
            "jpeg-null-before-exif",
            "a stray byte (0x00) between segments, where only a marker may be",
            jpeg_head,
        ),
        (
            "jpeg-xmp-prefix-e",
            "an APP1 XMP segment (metadata, which can hold the position)",
            jpeg_head,
        ),
        ("jpeg-com-position", "a COM segment (a free-text comment)", jpeg_head),
        (
            "jpeg-after-eoi",
            "the photo's end marker (EOI), where a second picture or camera data can hide",
            clean_jpeg,
        ),
        ("jpeg-exif-after-scan", "an APP1 EXIF segment with a GPS position", clean_jpeg - 2),
        (
            "jpeg-app13-iptc-city",
            "an APP13 segment (Photoshop and IPTC data, which can name the place)",
            jpeg_head,
        ),
        ("jpeg-jfxx-jpeg-thumbnail", "an APP0 JFXX segment holding a JPEG thumbnail", jpeg_head),
        // Finding 5: ImageMagick's compressed raw EXIF profile.
        (
            "png-ztxt-raw-profile-exif",
            "a zTXt chunk (compressed free text, named \"Raw profile type exif\")",
            png_head,
        ),
        ("png-exif-chunk", "an eXIf chunk with a GPS position", png_head),
        (
            "png-itxt-xmp-prefix-e",
            "an iTXt chunk (free text, named \"XML:com.adobe.xmp\")",
            png_head,
        ),
        ("png-text-comment", "a tEXt chunk (free text, named \"Comment\")", png_head),
        ("png-after-iend", "bytes after the image's end chunk (IEND)", file("png-clean").len()),
        ("png-unknown-chunk", "a gpSx chunk, a kind this check does not know", png_head),
        ("webp-exif-chunk", "a VP8X header announcing EXIF metadata", 12),
        ("webp-exif-unflagged", "an EXIF chunk with a GPS position", 12 + 18 + 16),
        ("webp-xmp-chunk", "a VP8X header announcing XMP metadata", 12),
        (
            "webp-after-end",
            "bytes after the image's end, where anything can hide",
            file("webp-clean").len(),
        ),
        // Finding 5: the Keys metadata iPhones write.
        (
            "mov-keys-location-iso6709",
            "QuickTime metadata naming com.apple.quicktime.location.ISO6709",
            offset("mov-keys-location-iso6709", b"com.apple", 8),
        ),
        ("mov-udta-xyz", "a udta box (user data", offset("mov-udta-xyz", b"udta", 4)),
        ("mp4-udta-loci", "a udta box (user data", offset("mp4-udta-loci", b"udta", 4)),
        ("mp4-trak-udta-xyz", "a udta box (user data", offset("mp4-trak-udta-xyz", b"udta", 4)),
        ("mp4-xmp-uuid", "an XMP packet (uuid box", offset("mp4-xmp-uuid", b"uuid", 4)),
        (
            "mp4-metadata-track",
            "a track of kind \"meta\" (timed metadata",
            last("mp4-metadata-track", b"trak") - 4,
        ),
        (
            "mp4-loci-hidden-in-mdat",
            "a loci box hidden in other data",
            offset("mp4-loci-hidden-in-mdat", b"loci", 4),
        ),
        (
            "mov-iso6709-in-free",
            "a position written as text (ISO 6709)",
            offset("mov-iso6709-in-free", b"+48.", 0),
        ),
        ("heic-exif-item", "a HEIF image (brand \"heic\", as iPhones save photos)", 8),
        (
            "mp4-exif-item",
            "an EXIF item (camera data, which can hold a GPS position)",
            offset("mp4-exif-item", b"infe", 4),
        ),
        (
            "mov-iphone-location-track",
            "a track of kind \"meta\" (timed metadata",
            last("mov-iphone-location-track", b"trak") - 4,
        ),
        ("mov-gps0-box", "a GPS log box (as dashcams write it", last("mov-gps0-box", b"gps0") - 4),
        (
            "mp4-freegps-in-mdat",
            "a dashcam's GPS log",
            offset("mp4-freegps-in-mdat", b"freeGPS", 0),
        ),
        (
            "mp4-nmea-in-free",
            "a GPS receiver's position sentence (NMEA)",
            offset("mp4-nmea-in-free", b"$GPRMC", 0),
        ),
        ("mp3-id3-txxx", "an ID3 TXXX frame (user-defined free text)", 10),
        ("mp3-id3-comm", "an ID3 COMM frame (a free-text comment)", 10),
        ("mp3-id3v1", "an ID3v1 tag", 3 * 417),
    ];
    let refused: Vec<&str> =
        corpus().iter().map(|(n, _)| *n).filter(|n| !n.contains("clean")).collect();
    assert_eq!(refused.len(), expected.len(), "every refused corpus file is listed here");
    for (name, what, at) in expected {
        let f = file(name);
        let finding = check_stripped(content_type(name), &f).expect_err(name);
        assert!(finding.what.contains(what), "{name}: {finding}");
        assert_eq!(finding.at, at, "{name}: {finding}");
        assert_eq!(location_metadata(&f), Some(finding.clone()), "{name}");
        assert_eq!(finding.to_string(), format!("{} at byte {at}", finding.what));
    }
}

#[test]
fn issue21_clean_files_of_each_kind_are_accepted() {
    let clean: Vec<_> = corpus().into_iter().filter(|(n, _)| n.contains("clean")).collect();
    assert_eq!(clean.len(), 11);
    for (name, f) in clean {
        assert_eq!(check_stripped(content_type(name), &f), Ok(()), "{name}");
        assert_eq!(location_metadata(&f), None, "{name}");
    }
}

#[test]
fn a_file_is_the_kind_its_type_says() {
    let jpeg = file("jpeg-clean");
    let refused = |t: &str, d: &[u8]| check_stripped(t, d).unwrap_err().to_string();
    assert_eq!(
        refused("image/png", &jpeg),
        "a JPEG photo sent as a PNG image (image/png) at byte 0"
    );
    assert_eq!(
        refused("audio/mpeg", &file("m4a-clean")),
        "a MP4 or QuickTime file sent as a MP3 sound (audio/mpeg) at byte 0"
    );
    assert_eq!(
        refused("text/html", &jpeg),
        "a file sent as \"text/html\", a type this check does not know at byte 0"
    );
    assert_eq!(
        refused("image/jpeg", b"<svg/>"),
        "bytes that are not a JPEG photo (sent as image/jpeg) at byte 0"
    );
    assert!(location_metadata(b"<svg/>").unwrap().what.contains("a kind this check cannot read"));
    assert!(location_metadata(b"").is_some());
    // Each accepted container type takes MP4, QuickTime and MP4 audio alike.
    for t in ["video/mp4", "video/quicktime", "audio/mp4"] {
        assert_eq!(check_stripped(t, &file("mov-clean")), Ok(()), "{t}");
    }
}

#[test]
fn cut_and_damaged_files_never_panic() {
    for (name, f) in corpus() {
        for cut in 0..f.len() {
            let _ = location_metadata(&f[..cut]);
        }
        // A clean photo or image cut short has lost its end: refused, with where.
        if name.contains("clean")
            && (name.starts_with("jpeg") || name.starts_with("png") || name.starts_with("webp"))
        {
            assert!(location_metadata(&f[..f.len() - 1]).is_some(), "{name}");
        }
        for at in 0..f.len().min(400) {
            for flip in [0x01, 0x80, 0xFF] {
                let mut g = f.clone();
                g[at] ^= flip;
                let _ = location_metadata(&g);
            }
        }
    }
    // Sizes that overflow, boxes inside boxes past the depth limit.
    let mut deep = ftyp(b"isom", &[]);
    let mut nested = bx(b"free", &[]);
    for _ in 0..40 {
        nested = bx(b"moov", &nested);
    }
    deep.extend(nested);
    assert!(location_metadata(&deep).unwrap().what.contains("nested deeper"));
    let huge = [ftyp(b"isom", &[]), vec![0, 0, 0, 1], b"moov".to_vec(), vec![0xFF; 8]].concat();
    assert!(location_metadata(&huge).unwrap().what.contains("damaged box"));
    let png_huge = [PNG_SIGNATURE, &[0xFF, 0xFF, 0xFF, 0xFF], b"IHDR"].concat();
    assert!(location_metadata(&png_huge).unwrap().what.contains("runs past the end"));
}

#[test]
fn the_backstop_reads_positions_as_text_and_xmp_under_any_prefix() {
    for yes in [
        "+48.1234+038.6543/",
        "+48+038/",
        "-33.86-151.21",
        "+4807+03839+120/",
        "+48.8577+002.2950+035.000/",
    ] {
        assert!(iso6709(yes.as_bytes()), "{yes}");
    }
    for no in ["+2015-03-20", "+48.1+038.6", "+4+038/", "-12+34/", "+48.12+38.65/", "+48.12"] {
        assert!(!iso6709(no.as_bytes()), "{no}");
    }
    let property = |text: &str| {
        let colon = text.find(':').unwrap();
        xmp_location_property(text.as_bytes(), colon)
    };
    for (text, name) in [
        ("e:GPSLatitude=\"48\"", "GPSLatitude"),
        ("<exif:GPSLongitude>", "GPSLongitude"),
        ("drone-dji:GpsLatitude=", "GpsLatitude"),
        ("<photoshop:City>", "City"),
        ("Iptc4xmpExt:LocationShown ", "LocationShown"),
        ("xmpDM:shotLocation=", "shotLocation"),
        ("Iptc4xmpCore:CountryCode/", "CountryCode"),
    ] {
        assert_eq!(property(text).as_deref(), Some(name), "{text}");
    }
    for text in
        ["http://ns.adobe.com", "x:xmpmeta ", "exif:GPS=", "tiff:Make=", "e:Cityscape=", " :City>"]
    {
        assert_eq!(property(text), None, "{text}");
    }
    // XMP under a prefix no list could hold, in a box of its own where nothing else looks.
    let odd = movie(
        b"isom",
        &[trak(b"vide", &[])],
        b"<rdf:Description xmlns:q=\"http://ns.adobe.com/exif/1.0/\" q:GPSAltitude=\"120\"/>",
    );
    assert_eq!(
        location_metadata(&odd).unwrap().what,
        "an XMP property naming a position (GPSAltitude)"
    );
}

#[test]
fn mpeg_audio_frame_lengths() {
    assert_eq!(mpeg_frame_len(&[0xFF, 0xFB, 0x90, 0]), Some(417));
    assert_eq!(mpeg_frame_len(&[0xFF, 0xFB, 0x92, 0]), Some(418));
    // MPEG-2 layer III, 64 kbit/s at 22.05 kHz; MPEG-1 layer I, 32 kbit/s at 32 kHz.
    assert_eq!(mpeg_frame_len(&[0xFF, 0xF3, 0x80, 0]), Some(208));
    assert_eq!(mpeg_frame_len(&[0xFF, 0xFF, 0x18, 0]), Some(48));
    // Reserved version, reserved layer, free and bad bitrates, reserved sample rate.
    for h in [
        [0xFF, 0xEB, 0x90, 0],
        [0xFF, 0xF9, 0x90, 0],
        [0xFF, 0xFB, 0x00, 0],
        [0xFF, 0xFB, 0xF0, 0],
        [0xFF, 0xFB, 0x9C, 0],
    ] {
        assert_eq!(mpeg_frame_len(&h), None, "{h:02x?}");
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
