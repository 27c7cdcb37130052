//! Witnesses over HTTP, on a real socket: the log offers its checkpoints to a witness (hosted by the same
//! server here, as in the demo), which cosigns each one that extends the last; the checkpoint served then
//! carries the cosignature and meets a witness policy. The endpoint's refusals follow tlog-witness.

use std::sync::{Arc, Mutex};

use axum::http::StatusCode;
use truce_store::Role;
use truce_tlog::note::{COSIGNATURE_V1, Note, NoteSigner, WitnessPolicy, verify_cosigned};
use truce_tlog::witness::{FileWitnessStore, Witness, WitnessStore};

use super::call;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_log_gathers_cosignatures_from_its_witness() {
    use truce_watch::entry::{Body as E, sign};
    let (mut state, tokens, dir, log_key) = super::state("witness", 4096).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let witness_key = NoteSigner::generate("ukr.witness.test", COSIGNATURE_V1).unwrap();
    let mut logs = std::collections::HashMap::new();
    logs.insert(log_key.name.clone(), log_key.clone());
    let witness_dir = dir.join("witness");
    state.witnesses.hosted.insert(
        "ukr".into(),
        Mutex::new(Witness {
            signer: witness_key.clone(),
            logs,
            store: FileWitnessStore::new(&witness_dir),
        }),
    );
    state.witnesses.peers.push(
        truce_server::Peer::new(&format!("{base}/witness/ukr"), &witness_key.verifier().vkey())
            .unwrap(),
    );
    let state = Arc::new(state);
    let router = truce_server::router(state.clone());
    let app = router.clone();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    truce_server::start_cosigning(state.clone());

    // Grow the log in three steps; after each, the served checkpoint is cosigned at its size.
    let observer = tokens.iter().find(|(r, _, _)| *r == Role::Mediator).unwrap().2.clone();
    let mission = ed25519_dalek::SigningKey::from_bytes(&[7; 32]);
    super::hold(&state.store, &observer, &mission).await;
    let policy = WitnessPolicy { witnesses: vec![witness_key.verifier()], quorum: 1 };
    let mut entries = vec![sign(&mission, 1, crate::mission_body("witnessed")).unwrap()];
    for k in 0..5u8 {
        let key = ed25519_dalek::SigningKey::from_bytes(&[20 + k; 32]);
        entries.push(
            sign(
                &mission,
                u64::from(k) + 2,
                E::Enrol {
                    key: truce_watch::entry::key_hex(&key.verifying_key()),
                    name: format!("observer-{k}"),
                    role: truce_watch::entry::Role::Observer,
                    party: None,
                },
            )
            .unwrap(),
        );
    }
    let mut sizes = Vec::new();
    for chunk in [&entries[..1], &entries[1..3], &entries[3..]] {
        for e in chunk {
            let (status, body, _) =
                call(&router, "POST", "/v1/entries", Some(&observer), e.clone()).await;
            assert_eq!(status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&body));
        }
        let want = sizes.iter().sum::<usize>() + chunk.len();
        sizes.push(chunk.len());
        let mut cosigned = None;
        for _ in 0..200 {
            let (_, body, _) = call(&router, "GET", "/log/checkpoint", None, vec![]).await;
            let note = Note::parse(&body).unwrap();
            let c = truce_tlog::checkpoint::Checkpoint::parse(&note.text).unwrap();
            if c.size == want as u64 && note.signatures.len() == 2 {
                cosigned = Some(note);
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        }
        let note = cosigned.unwrap_or_else(|| {
            let status = state.witnesses.peers[0].status.lock().unwrap().clone();
            panic!("no cosigned checkpoint at size {want}: {status:?}")
        });
        let cosigners = verify_cosigned(&note, &log_key, &policy).unwrap();
        assert_eq!(cosigners[0].0, "ukr.witness.test");
    }
    // The witness's state is on disk, as a restarted witness would read it.
    let latest = FileWitnessStore::new(&witness_dir).latest(&log_key.name).unwrap().unwrap();
    assert_eq!(latest.0, entries.len() as u64);

    // Under a stream of submissions, every checkpoint served is cosigned, and sizes only grow.
    let more: Vec<Vec<u8>> = (0..300u32)
        .map(|k| {
            let mut seed = [9u8; 32];
            seed[..4].copy_from_slice(&k.to_be_bytes());
            let key = ed25519_dalek::SigningKey::from_bytes(&seed);
            sign(
                &mission,
                u64::from(k) + 7,
                E::Enrol {
                    key: truce_watch::entry::key_hex(&key.verifying_key()),
                    name: format!("late-{k}"),
                    role: truce_watch::entry::Role::Observer,
                    party: None,
                },
            )
            .unwrap()
        })
        .collect();
    let total = entries.len() + more.len();
    let (writer, token) = (router.clone(), observer.clone());
    let stream = tokio::spawn(async move {
        for e in more {
            let (status, _, _) = call(&writer, "POST", "/v1/entries", Some(&token), e).await;
            assert_eq!(status, StatusCode::CREATED);
            tokio::time::sleep(std::time::Duration::from_millis(2)).await;
        }
    });
    let mut last = 0;
    let mut seen = std::collections::BTreeSet::new();
    while last < total as u64 {
        let (_, body, _) = call(&router, "GET", "/log/checkpoint", None, vec![]).await;
        let note = Note::parse(&body).unwrap();
        verify_cosigned(&note, &log_key, &policy).expect("every checkpoint served is witnessed");
        let size = truce_tlog::checkpoint::Checkpoint::parse(&note.text).unwrap().size;
        assert!(size >= last, "the served checkpoint went back from {last} to {size}");
        last = size;
        seen.insert(size);
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    stream.await.unwrap();
    assert!(seen.len() > 2, "the witnessed checkpoint followed the log: {seen:?}");

    // Refusals, as tlog-witness specifies them.
    let (_, body, _) = call(&router, "GET", "/log/checkpoint", None, vec![]).await;
    let current = String::from_utf8(body).unwrap();
    let post = |body: Vec<u8>| {
        let router = router.clone();
        async move {
            let (status, bytes, headers) =
                call(&router, "POST", "/witness/ukr/add-checkpoint", None, body).await;
            (status, String::from_utf8(bytes).unwrap(), headers)
        }
    };
    // Stale old size: 409 with the witness's size.
    let request = |old: u64, note: &str| {
        truce_tlog::witness::add_checkpoint_request(
            old,
            &[],
            &Note::parse(note.as_bytes()).unwrap(),
        )
    };
    let (status, body, headers) = post(request(0, &current)).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body, format!("{total}\n"));
    assert_eq!(headers["content-type"], "text/x.tlog.size");
    // A log the witness does not follow: 404.
    let stranger = NoteSigner::generate("stranger.test/log", truce_tlog::note::ED25519).unwrap();
    let text = "stranger.test/log\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n";
    let forged = Note { text: text.into(), signatures: vec![stranger.sign(text, 0)] }.to_text();
    let (status, _, _) = post(request(0, &forged)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // The right origin, signed by another key: 403.
    let impostor = NoteSigner::generate(&log_key.name, truce_tlog::note::ED25519).unwrap();
    let note = Note::parse(current.as_bytes()).unwrap();
    let forged =
        Note { text: note.text.clone(), signatures: vec![impostor.sign(&note.text, 0)] }.to_text();
    let (status, _, _) = post(request(total as u64, &forged)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // Malformed: 400. An unknown witness: 404.
    let (status, _, _) = post(b"old x\n\nnothing".to_vec()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _, _) =
        call(&router, "POST", "/witness/nobody/add-checkpoint", None, current.into_bytes()).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // The witnesses, for machines: the hosted one has cosigned the whole log, and so says the peer.
    let (status, body, _) = call(&router, "GET", "/v1/witnesses", None, vec![]).await;
    assert_eq!(status, StatusCode::OK);
    let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(v["hosted"][0]["name"], "ukr");
    assert_eq!(v["hosted"][0]["logs"][0]["origin"], log_key.name);
    assert_eq!(v["hosted"][0]["logs"][0]["cosigned_size"], total);
    assert_eq!(v["peers"][0]["name"], "ukr.witness.test");
    assert_eq!(v["peers"][0]["cosigned_size"], total);
    assert_eq!(v["served_size"], total);
    // The log page shows the witness and its cosignature.
    let (status, page, _) = call(&router, "GET", "/ui/log", None, vec![]).await;
    let page = String::from_utf8(page).unwrap();
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("ukr.witness.test") && page.contains("cosigned"), "{page}");
    std::fs::remove_dir_all(&dir).ok();
}
