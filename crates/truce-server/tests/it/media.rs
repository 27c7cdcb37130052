//! Issue 13: the files behind observations. Content-addressed uploads checked against their hash, the
//! location policy applied to the hashed bytes, and access by role until a mediator releases a file.
//! Issue 21: the location policy is an allowlist (`truce_watch::media::check_stripped`), tried on every
//! form of a position in the media fuzz corpus, with Debian's `exiftool` as an independent oracle over
//! every file the server accepts.

use axum::http::StatusCode;
use sha2::{Digest, Sha256};
use truce_store::Role;

use super::{call, server};

fn hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// A minimal JPEG with no metadata: a scan whose header and 24 bytes of data are `filler`.
pub(super) fn plain_jpeg(filler: u8) -> Vec<u8> {
    let mut out = vec![0xFF, 0xD8, 0xFF, 0xDA, 0, 3, filler];
    out.extend([filler; 24]);
    out.extend([0xFF, 0xD9]);
    out
}

/// A minimal JPEG: an APP1 EXIF segment whose first IFD holds `tags`, then an empty scan.
pub(super) fn jpeg(tags: &[u16], filler: u8) -> Vec<u8> {
    let mut tiff = b"II\x2a\0\x08\0\0\0".to_vec();
    tiff.extend((tags.len() as u16).to_le_bytes());
    for t in tags {
        tiff.extend(t.to_le_bytes());
        tiff.extend([4, 0, 1, 0, 0, 0, 0, 0, 0, 0]);
    }
    tiff.extend([0, 0, 0, 0]);
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend(tiff);
    let mut out = vec![0xFF, 0xD8, 0xFF, 0xE1];
    out.extend(((app1.len() + 2) as u16).to_be_bytes());
    out.extend(app1);
    out.extend([0xFF, 0xDA, 0, 3, filler, 0xFF, 0xD9]);
    out
}

async fn put(
    router: &axum::Router,
    token: &str,
    hash: &str,
    content_type: &str,
    body: Vec<u8>,
) -> (StatusCode, String) {
    use tower::ServiceExt;
    let req = axum::http::Request::builder()
        .method("PUT")
        .uri(format!("/v1/media/{hash}"))
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", content_type)
        .body(axum::body::Body::from(body))
        .unwrap();
    let res = router.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let bytes = http_body_util::BodyExt::collect(res.into_body()).await.unwrap().to_bytes();
    (status, String::from_utf8_lossy(&bytes).into_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue13_media_are_checked_against_their_hash_and_shown_by_role() {
    let s = server("media", 4096).await;
    let observer = s.token(Role::Observer);
    let photo = plain_jpeg(7);
    let hash = hex(&photo);
    // The wrong file for the hash, a type outside the mission's list, a photo that still says where
    // it was taken, or that keeps camera data where a position can be: each refused, nothing stored.
    let (status, body) =
        put(&s.router, &observer, &hex(b"other"), "image/jpeg", photo.clone()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains(&format!("the file's SHA-256 is {hash}")), "{body}");
    let (status, body) = put(&s.router, &observer, &hash, "text/html", photo.clone()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("is not accepted"), "{body}");
    let located = jpeg(&[0x010F, 0x8825], 7);
    let (status, body) = put(&s.router, &observer, &hex(&located), "image/jpeg", located).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("an APP1 EXIF segment with a GPS position at byte 2"), "{body}");
    let camera = jpeg(&[0x010F], 7); // a camera make, no position: still EXIF, still refused
    let (status, body) = put(&s.router, &observer, &hex(&camera), "image/jpeg", camera).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("an APP1 EXIF segment (camera data"), "{body}");
    // Over the size limit (64 KB in these tests): 413, and the server stops reading.
    let big = vec![0u8; 65 << 10];
    let (status, _) = put(&s.router, &observer, &hex(&big), "image/jpeg", big).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    // A good photo is stored once; sending it again changes nothing.
    let (status, body) = put(&s.router, &observer, &hash, "image/jpeg", photo.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, body) =
        put(&s.router, &observer, &hash.to_uppercase(), "image/jpeg", photo.clone()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.contains("already"), "{body}");

    // Verifiers, mediators and the uploader see it; others do not, until a mediator releases it.
    let path = format!("/v1/media/{hash}");
    for (role, want) in [
        (Role::Verifier, StatusCode::OK),
        (Role::Mediator, StatusCode::OK),
        (Role::Observer, StatusCode::OK),
        (Role::Analyst, StatusCode::FORBIDDEN),
        (Role::PartyDelegate, StatusCode::FORBIDDEN),
    ] {
        let (status, bytes, headers) =
            call(&s.router, "GET", &path, Some(&s.token(role)), vec![]).await;
        assert_eq!(status, want, "{}", role.as_str());
        if status == StatusCode::OK {
            assert_eq!(bytes, photo);
            assert!(
                headers
                    .get("content-disposition")
                    .unwrap()
                    .to_str()
                    .unwrap()
                    .starts_with("attachment")
            );
            assert!(headers.get("cache-control").unwrap().to_str().unwrap().contains("no-store"));
        }
    }
    let (status, _, _) = call(&s.router, "GET", &path, None, vec![]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let release = format!("{path}/release");
    let (status, _, _) =
        call(&s.router, "POST", &release, Some(&s.token(Role::Verifier)), vec![]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, _) =
        call(&s.router, "POST", &release, Some(&s.token(Role::Mediator)), vec![]).await;
    assert_eq!(status, StatusCode::OK);
    // Released: anyone downloads it and checks it against the hash in the log.
    let (status, bytes, headers) = call(&s.router, "GET", &path, None, vec![]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(hex(&bytes), hash);
    assert_eq!(headers.get("x-content-type-options").unwrap(), "nosniff");
    let (status, body, _) = call(&s.router, "GET", "/v1/media", None, vec![]).await;
    assert_eq!(status, StatusCode::OK);
    let policy: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(policy["location"], "strip");
    assert_eq!(policy["max_bytes"], 64 << 10);
    std::fs::remove_dir_all(&s.dir).ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue13_a_flood_of_uploads_cannot_hold_the_servers_memory() {
    // One upload at a time here: a slow sender holds the only slot, and the next is turned away at
    // once (503), before the server reads a byte of it.
    let (mut state, tokens, dir, _) = super::state("media-flood", 4096).await;
    let media_url = format!("file://{}", dir.join("media").display());
    state.media = Some(
        truce_server::media::MediaStore::open(&media_url, 64 << 10, true)
            .unwrap()
            .with_uploads_at_once(1, 1),
    );
    let router = truce_server::router(std::sync::Arc::new(state));
    let observer = tokens.iter().find(|(r, _, _)| *r == Role::Observer).unwrap().2.clone();
    let slow = plain_jpeg(1);
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<axum::body::Bytes, std::io::Error>>(1);
    let stream =
        futures_util::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|x| (x, rx)) });
    let req = axum::http::Request::builder()
        .method("PUT")
        .uri(format!("/v1/media/{}", hex(&slow)))
        .header("authorization", format!("Bearer {observer}"))
        .header("content-type", "image/jpeg")
        .body(axum::body::Body::from_stream(stream))
        .unwrap();
    let pending = {
        use tower::ServiceExt;
        tokio::spawn(router.clone().oneshot(req))
    };
    // The channel holds one chunk: the second send returns only once the server has taken the first,
    // that is, once the upload holds its slot and is reading.
    tx.send(Ok(axum::body::Bytes::copy_from_slice(&slow[..10]))).await.unwrap();
    tx.send(Ok(axum::body::Bytes::copy_from_slice(&slow[10..20]))).await.unwrap();
    let other = plain_jpeg(2);
    let (status, refused) =
        put(&router, &observer, &hex(&other), "image/jpeg", other.clone()).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{refused}");
    assert!(refused.contains("uploads at once (1)"), "{refused}");
    // The slow one finishes and is stored; then there is room again.
    tx.send(Ok(axum::body::Bytes::copy_from_slice(&slow[20..]))).await.unwrap();
    drop(tx);
    let done = pending.await.unwrap().unwrap();
    assert_eq!(done.status(), StatusCode::CREATED);
    let (status, _) = put(&router, &observer, &hex(&other), "image/jpeg", other.clone()).await;
    assert_eq!(status, StatusCode::CREATED);
    std::fs::remove_dir_all(&dir).ok();
}

/// The media fuzz target's seed corpus: every form of a position found so far and clean files of
/// each kind, named by kind first, with `clean` in the name when the check must accept the file.
pub(super) fn corpus() -> Vec<(String, Vec<u8>)> {
    let dir = super::root().join("fuzz/corpus/media");
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (e.file_name().into_string().unwrap(), std::fs::read(e.path()).unwrap())
        })
        .filter(|(name, _)| !name.starts_with("ref"))
        .collect();
    files.sort();
    files
}

/// The type a corpus file is sent as, from its name (HEIF files as MP4 video, as someone would who
/// renamed one).
pub(super) fn content_type(name: &str) -> &'static str {
    match name.split('-').next() {
        Some("jpeg") => "image/jpeg",
        Some("png") => "image/png",
        Some("webp") => "image/webp",
        Some("mp4" | "heic") => "video/mp4",
        Some("mov") => "video/quicktime",
        Some("m4a") => "audio/mp4",
        Some("mp3") => "audio/mpeg",
        _ => panic!(
            "fuzz/corpus/media/{name}: name it by its kind (jpeg-, png-, webp-, mp4-, mov-, m4a-, mp3-, heic-)"
        ),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue21_a_file_carrying_a_position_in_any_form_is_refused() {
    let s = server("media-forms", 4096).await;
    let observer = s.token(Role::Observer);
    let files = corpus();
    assert!(files.len() >= 40, "the corpus holds every form ({} files)", files.len());
    let mut wrong = Vec::new();
    for (name, file) in files {
        let (status, body) =
            put(&s.router, &observer, &hex(&file), content_type(&name), file).await;
        // A clean file is stored; any other is refused, saying what was found and where, and how to
        // send it instead.
        let right = if name.contains("clean") {
            status == StatusCode::CREATED
        } else {
            status == StatusCode::UNPROCESSABLE_ENTITY
                && body.contains(" at byte ")
                && body.contains("remove it on the device")
        };
        if !right {
            wrong.push(format!("{name}: {status} {body}"));
        }
    }
    assert!(wrong.is_empty(), "{} files answered wrongly:\n{}", wrong.len(), wrong.join("\n"));
    std::fs::remove_dir_all(&s.dir).ok();
}

/// What `exiftool -j -a -u -G1 -ee` reports of each file that names or gives a position: tags such as
/// `GPS:GPSLatitude`, `Keys:GPSCoordinates`, `UserData:LocationInformation`, `IPTC:City`, and any value
/// written as degrees (`48 deg 7' 24.24"`) or as ISO 6709 text (`+48.1234+038.6543/`).
pub(super) fn exiftool_positions(files: &[(String, Vec<u8>)]) -> Vec<(String, Vec<String>)> {
    let dir = std::env::temp_dir().join(format!(
        "truce-exiftool-{}-{}",
        std::process::id(),
        hex(&files.concat_bytes())
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let paths: Vec<std::path::PathBuf> = files
        .iter()
        .enumerate()
        .map(|(i, (_, bytes))| {
            let p = dir.join(format!("{i:03}"));
            std::fs::write(&p, bytes).unwrap();
            p
        })
        .collect();
    let out = std::process::Command::new("exiftool")
        .args(["-j", "-a", "-u", "-G1", "-ee"])
        .args(&paths)
        .output()
        .expect("exiftool runs (cargo xtask test installs Debian's libimage-exiftool-perl)");
    std::fs::remove_dir_all(&dir).ok();
    let report: Vec<serde_json::Map<String, serde_json::Value>> =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!("exiftool's JSON: {e}; it said {}", String::from_utf8_lossy(&out.stderr))
        });
    assert_eq!(report.len(), files.len(), "exiftool read every file");
    report
        .iter()
        .map(|tags| {
            let i: usize =
                tags["SourceFile"].as_str().unwrap().rsplit('/').next().unwrap().parse().unwrap();
            // What exiftool says of the file on this disk (its name, directory, dates) is not
            // what the file holds.
            let found = tags
                .iter()
                .filter(|(key, _)| {
                    *key != "SourceFile"
                        && !key.starts_with("System:")
                        && !key.starts_with("ExifTool:")
                })
                .filter(|(key, value)| {
                    let tag = key.rsplit(':').next().unwrap_or_default().to_ascii_lowercase();
                    let named = [
                        "gps",
                        "location",
                        "coordinates",
                        "iso6709",
                        "latitude",
                        "longitude",
                        "xyz",
                    ]
                    .iter()
                    .any(|w| tag.contains(w))
                        || ["city", "state", "province-state", "sub-location"]
                            .contains(&tag.as_str())
                        || tag.starts_with("country");
                    let text = value.to_string();
                    named || degrees(&text) || iso6709_text(&text)
                })
                .map(|(key, value)| format!("{key}: {value}"))
                .collect();
            (files[i].0.clone(), found)
        })
        .collect()
}

trait ConcatBytes {
    fn concat_bytes(&self) -> Vec<u8>;
}

impl ConcatBytes for [(String, Vec<u8>)] {
    fn concat_bytes(&self) -> Vec<u8> {
        self.iter().flat_map(|(n, b)| n.bytes().chain(b.iter().copied())).collect()
    }
}

/// Whether `text` holds an angle as exiftool writes one: `48 deg 7' 24.24"`.
fn degrees(text: &str) -> bool {
    text.match_indices(" deg ").any(|(i, _)| {
        let before = text[..i].chars().next_back().is_some_and(|c| c.is_ascii_digit());
        let after: String = text[i + 5..].chars().take_while(|c| c.is_ascii_digit()).collect();
        before && !after.is_empty() && text[i + 5 + after.len()..].starts_with('\'')
    })
}

/// Whether `text` holds a position as ISO 6709 text: a sign, two digits, a sign and three digits.
fn iso6709_text(text: &str) -> bool {
    let b = text.as_bytes();
    (0..b.len()).any(|i| {
        let signed = |at: usize, n: usize| {
            matches!(b.get(at), Some(b'+' | b'-'))
                && (1..=n).all(|k| b.get(at + k).is_some_and(u8::is_ascii_digit))
        };
        if !signed(i, 2) {
            return false;
        }
        let mut j = i + 3;
        while b.get(j).is_some_and(|c| c.is_ascii_digit() || *c == b'.') {
            j += 1;
        }
        signed(j, 3)
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue21_exiftool_finds_no_position_in_any_file_the_server_accepts() {
    let s = server("media-exiftool", 4096).await;
    let observer = s.token(Role::Observer);
    // Every file the media tests send, and every file of the fuzz corpus.
    let mut sent: Vec<(String, &str, Vec<u8>)> = vec![
        ("a plain photo".into(), "image/jpeg", plain_jpeg(7)),
        ("a photo with a camera make".into(), "image/jpeg", jpeg(&[0x010F], 7)),
        ("a photo with a GPS position".into(), "image/jpeg", jpeg(&[0x010F, 0x8825], 7)),
    ];
    for n in 0..5 {
        sent.push((
            format!("the browser test's photo {n}"),
            "image/jpeg",
            jpeg(&[0x010F, 0x8825], n),
        ));
    }
    for (name, file) in corpus() {
        sent.push((name.clone(), content_type(&name), file));
    }
    let mut accepted = Vec::new();
    for (name, content_type, file) in sent {
        let (status, body) =
            put(&s.router, &observer, &hex(&file), content_type, file.clone()).await;
        assert!(
            matches!(
                status,
                StatusCode::CREATED | StatusCode::OK | StatusCode::UNPROCESSABLE_ENTITY
            ),
            "{name}: {status} {body}"
        );
        if status != StatusCode::UNPROCESSABLE_ENTITY {
            accepted.push((name, file));
        }
    }
    // And the corpus files the check accepts whatever type they are sent as.
    for (name, file) in corpus() {
        if truce_watch::media::location_metadata(&file).is_none()
            && !accepted.iter().any(|(n, _)| *n == name)
        {
            accepted.push((name, file));
        }
    }
    assert!(accepted.len() >= 11, "{} accepted", accepted.len());
    let leaks: Vec<String> = exiftool_positions(&accepted)
        .into_iter()
        .filter(|(_, positions)| !positions.is_empty())
        .map(|(name, positions)| format!("{name}: {positions:?}"))
        .collect();
    assert!(
        leaks.is_empty(),
        "exiftool finds a position in {} files the server accepted:\n{}",
        leaks.len(),
        leaks.join("\n")
    );
    // The oracle sees what it must: the position in each of finding 5's forms, and in the others it
    // can read.
    let located: Vec<(String, Vec<u8>)> = corpus()
        .into_iter()
        .filter(|(name, _)| {
            [
                "jpeg-null-before-exif",
                "png-ztxt-raw-profile-exif",
                "jpeg-xmp-prefix-e",
                "png-itxt-xmp-prefix-e",
                "mov-keys-location-iso6709",
                "jpeg-exif-gps",
                "jpeg-exif-after-scan",
                "jpeg-app13-iptc-city",
                "png-exif-chunk",
                "webp-exif-chunk",
                "webp-exif-unflagged",
                "webp-xmp-chunk",
                "webp-after-end",
                "mov-udta-xyz",
                "mp4-udta-loci",
                "mp4-trak-udta-xyz",
                "mp4-xmp-uuid",
                "mp4-exif-item",
                "heic-exif-item",
                "mp3-id3-txxx",
            ]
            .contains(&name.as_str())
        })
        .collect();
    assert_eq!(located.len(), 20);
    for (name, positions) in exiftool_positions(&located) {
        assert!(
            !positions.is_empty(),
            "exiftool sees no position in {name}: the oracle is blind to it"
        );
    }
    std::fs::remove_dir_all(&s.dir).ok();
}

/// A 2×2 BMP, 24 bits a pixel: an image of a kind the mission does not take, which the app converts.
fn bmp() -> Vec<u8> {
    let row = [0u8, 0, 255, 0, 255, 0, 0, 0]; // two pixels (blue, green, red) and two bytes of padding
    let pixels = [row, row].concat();
    let mut out = b"BM".to_vec();
    for n in [54 + pixels.len() as u32, 0, 54, 40, 2, 2] {
        out.extend(n.to_le_bytes());
    }
    out.extend(1u16.to_le_bytes());
    out.extend(24u16.to_le_bytes());
    for n in [0, pixels.len() as u32, 2835, 2835, 0, 0] {
        out.extend(n.to_le_bytes());
    }
    out.extend(pixels);
    out
}

/// What the observer app makes of each file, run in Debian's headless Chromium (driven over WebDriver,
/// as the browser tests are): the app's own script (`/field/app.js`) prepares each file as it does
/// before hashing, and answers, for each, the bytes and type it would send or the reason it refuses
/// the file.
async fn prepared_by_the_app(
    app_js: &str,
    files: &[(String, &str, Vec<u8>)],
) -> Vec<serde_json::Value> {
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD;
    let dir = std::env::temp_dir().join(format!("truce-field-media-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    // The app's script runs as the page loads it; past its media module it needs the app's page and
    // stops there.
    let html = dir.join("app.html");
    std::fs::write(
        &html,
        format!(
            "<!doctype html><meta charset=utf-8><title>media</title><script>{}</script>",
            app_js.replace("</script", "<\\/script")
        ),
    )
    .unwrap();
    let list: Vec<serde_json::Value> = files
        .iter()
        .map(|(name, kind, bytes)| {
            serde_json::json!({"name": name, "type": kind, "data": b64.encode(bytes)})
        })
        .collect();
    let (_driver, c) = super::browser::browser().await;
    c.goto(&format!("file://{}", html.display())).await.unwrap();
    let results = c
        .execute_async(
            "const [files,done]=arguments;(async()=>{const out=[];for(const f of files){\
             const bytes=Uint8Array.from(atob(f.data),c=>c.charCodeAt(0));\
             try{const m=await truceMedia.prepare(new File([bytes],f.name,{type:f.type}),{location:'strip',max_bytes:1<<25});\
             out.push({name:f.name,type:m.type,data:btoa(String.fromCharCode(...new Uint8Array(m.data)))});}\
             catch(e){out.push({name:f.name,error:e.message});}}done(out);})();",
            vec![serde_json::Value::Array(list)],
        )
        .await
        .unwrap();
    c.close().await.unwrap();
    std::fs::remove_dir_all(&dir).ok();
    serde_json::from_value(results).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue21_the_observer_app_strips_every_form_or_refuses_it_on_the_device() {
    use base64::Engine;
    let s = server("media-app", 4096).await;
    let observer = s.token(Role::Observer);
    let (status, js, _) = call(&s.router, "GET", "/field/app.js", None, vec![]).await;
    assert_eq!(status, StatusCode::OK);
    let app_js = String::from_utf8(js).unwrap();
    let corpus = corpus();
    let file = |name: &str| corpus.iter().find(|(n, _)| n == name).unwrap().1.clone();
    // Every corpus file as its type says, and what a phone sends: a photo with a stray byte, EXIF with
    // a position and a second picture after its end; a HEIC photo; an image of another kind; text.
    let mut files: Vec<(String, &str, Vec<u8>)> =
        corpus.iter().map(|(n, f)| (n.clone(), content_type(n), f.clone())).collect();
    files.push((
        "photo-from-a-phone.jpg".into(),
        "image/jpeg",
        [file("jpeg-null-before-exif"), file("jpeg-exif-gps")].concat(),
    ));
    files.push(("IMG_0001.HEIC".into(), "image/heic", file("heic-exif-item")));
    files.push(("drawing.bmp".into(), "image/bmp", bmp()));
    files.push(("notes.txt".into(), "text/plain", b"48.1234 N, 38.6543 E".to_vec()));
    let results = prepared_by_the_app(&app_js, &files).await;
    assert_eq!(results.len(), files.len());
    // Refused on the device, each with its reason: HEIC this browser cannot decode (Chromium has no
    // HEIC decoder; Safari converts it), EXIF data only an item index points to, a location box hidden
    // in the media data or a dashcam's GPS log there, and a file of no kind the mission takes.
    // Everything else is stripped.
    let refused_here = [
        (
            "heic-exif-item",
            "is a HEIC photo, which this browser cannot convert: set the camera to Most Compatible",
        ),
        ("IMG_0001.HEIC", "is a HEIC photo, which this browser cannot convert"),
        ("mp4-exif-item", "still carries EXIF camera data where this app cannot remove it"),
        ("mp4-loci-hidden-in-mdat", "still carries a loci box where this app cannot remove it"),
        (
            "mp4-freegps-in-mdat",
            "still carries a dashcam’s GPS log where this app cannot remove it",
        ),
        ("notes.txt", "is not a kind of file this mission takes"),
    ];
    let mut sent = Vec::new();
    for ((name, _, input), result) in files.iter().zip(&results) {
        assert_eq!(result["name"], name.as_str());
        match refused_here.iter().find(|(n, _)| n == name) {
            Some((_, why)) => {
                let error = result["error"].as_str().unwrap_or_else(|| panic!("{name}: {result}"));
                assert!(error.starts_with(name.as_str()) && error.contains(why), "{name}: {error}");
                assert!(!error.contains("+48.") && !error.contains("48.1234"), "{name}: {error}");
            }
            None => {
                let data = result["data"].as_str().unwrap_or_else(|| panic!("{name}: {result}"));
                let data = base64::engine::general_purpose::STANDARD.decode(data).unwrap();
                let kind = result["type"].as_str().unwrap().to_string();
                assert_eq!(
                    truce_watch::media::check_stripped(&kind, &data),
                    Ok(()),
                    "{name}: the app's file for it"
                );
                if name.starts_with("mp3") {
                    // The app drops an MP3's tags whatever they hold; the sound is sent as it is.
                    assert!(
                        !data.starts_with(b"ID3")
                            && input.windows(data.len()).any(|w| w == data.as_slice()),
                        "{name}: the sound, without its tags"
                    );
                } else if name.contains("clean") {
                    assert_eq!(&data, input, "{name}: a clean file is sent as it is");
                }
                sent.push((name.clone(), kind, data));
            }
        }
    }
    assert_eq!(sent.len(), files.len() - refused_here.len());
    assert!(
        sent.iter().any(|(n, k, d)| n == "drawing.bmp"
            && k == "image/jpeg"
            && d.starts_with(&[0xFF, 0xD8]))
    );
    // The server stores each, and exiftool finds no position in any.
    for (name, kind, data) in &sent {
        let (status, body) = put(&s.router, &observer, &hex(data), kind, data.clone()).await;
        assert!(matches!(status, StatusCode::CREATED | StatusCode::OK), "{name}: {status} {body}");
    }
    let files: Vec<(String, Vec<u8>)> = sent.into_iter().map(|(n, _, d)| (n, d)).collect();
    let leaks: Vec<String> = exiftool_positions(&files)
        .into_iter()
        .filter(|(_, positions)| !positions.is_empty())
        .map(|(name, positions)| format!("{name}: {positions:?}"))
        .collect();
    assert!(
        leaks.is_empty(),
        "exiftool finds a position in what the app sends:\n{}",
        leaks.join("\n")
    );
    std::fs::remove_dir_all(&s.dir).ok();
}
