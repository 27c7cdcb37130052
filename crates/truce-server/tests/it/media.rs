//! Issue 13: the files behind observations. Content-addressed uploads checked against their hash, the
//! location policy applied to the hashed bytes, and access by role until a mediator releases a file.

use axum::http::StatusCode;
use sha2::{Digest, Sha256};
use truce_store::Role;

use super::{call, server};

fn hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
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
    let photo = jpeg(&[0x010F], 7); // a camera make, no position
    let hash = hex(&photo);
    // The wrong file for the hash, a type outside the mission's list, a photo that still says where
    // it was taken: each refused, nothing stored.
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
    assert!(body.contains("location metadata (EXIF GPS (JPEG))"), "{body}");
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
            .with_uploads_at_once(1),
    );
    let router = truce_server::router(std::sync::Arc::new(state));
    let observer = tokens.iter().find(|(r, _, _)| *r == Role::Observer).unwrap().2.clone();
    let slow = jpeg(&[0x010F], 1);
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
    let other = jpeg(&[0x010F], 2);
    let (status, refused) =
        put(&router, &observer, &hex(&other), "image/jpeg", other.clone()).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{refused}");
    assert!(refused.contains("receiving 1 files already"), "{refused}");
    // The slow one finishes and is stored; then there is room again.
    tx.send(Ok(axum::body::Bytes::copy_from_slice(&slow[20..]))).await.unwrap();
    drop(tx);
    let done = pending.await.unwrap().unwrap();
    assert_eq!(done.status(), StatusCode::CREATED);
    let (status, _) = put(&router, &observer, &hex(&other), "image/jpeg", other.clone()).await;
    assert_eq!(status, StatusCode::CREATED);
    std::fs::remove_dir_all(&dir).ok();
}
