//! The witness's status codes, and a split view: two different trees of the same size signed by one log.

use std::collections::HashMap;

use truce_tlog::checkpoint::Checkpoint;
use truce_tlog::client::TileVerifier;
use truce_tlog::log::Log;
use truce_tlog::merkle::{consistency_proof, empty_hash};
use truce_tlog::note::{COSIGNATURE_V1, ED25519, Note, NoteSigner, verify_note};
use truce_tlog::storage::FsStorage;
use truce_tlog::witness::{MemoryWitnessStore, Witness, detect_fork};

use crate::log::temp_dir;

fn witness(name: &str, log: &NoteSigner) -> Witness<MemoryWitnessStore> {
    Witness {
        signer: NoteSigner::generate(name, COSIGNATURE_V1).unwrap(),
        logs: HashMap::from([(log.name.clone(), log.verifier())]),
        store: MemoryWitnessStore::default(),
    }
}

fn request(old: u64, proof: &[[u8; 32]], checkpoint: &Note) -> Vec<u8> {
    truce_tlog::witness::add_checkpoint_request(old, proof, checkpoint)
}

#[test]
fn add_checkpoint_status_codes() {
    let dir = temp_dir("witness");
    let signer = NoteSigner::generate("truce.test/log", ED25519).unwrap();
    let mut log = Log::create(FsStorage::open(&dir).unwrap(), signer.clone()).unwrap();
    let mut w = witness("rus.witness", &signer);
    let empty = log.checkpoint().clone();
    // 200: the first checkpoint, from old size 0; the cosignature verifies.
    let line = w.add_checkpoint(&request(0, &[], &empty), 1_800_000_000).unwrap();
    let mut cosigned = empty.clone();
    cosigned
        .signatures
        .push(Note::parse(format!("x\n\n{line}").as_bytes()).unwrap().signatures.remove(0));
    assert_eq!(verify_note(&cosigned, &[w.signer.verifier()]).unwrap(), [(0, Some(1_800_000_000))]);

    log.append(&(0..300).map(|i| format!("e{i}").into_bytes()).collect::<Vec<_>>()).unwrap();
    let c300 = log.checkpoint().clone();
    // 409: the witness is at size 0, not 5; the body names its size.
    let r = w.add_checkpoint(&request(5, &[], &c300), 1).unwrap_err();
    assert_eq!((r.status, r.body.as_str()), (409, "0\n"));
    // 200 from 0 to 300 (no proof needed from size 0), then 422 for a proof from 0.
    w.add_checkpoint(&request(0, &[], &c300), 2).unwrap();
    log.append(&[b"more".to_vec()]).unwrap();
    let c301 = log.checkpoint().clone();
    let verifier =
        TileVerifier::new(log.storage(), &Checkpoint::parse(&c301.text).unwrap()).unwrap();
    let proof = consistency_proof(&verifier, 300, 301).unwrap();
    // 422: a wrong proof.
    let mut bad = proof.clone();
    bad[0][0] ^= 1;
    assert_eq!(w.add_checkpoint(&request(300, &bad, &c301), 3).unwrap_err().status, 422);
    // 400: old size above the checkpoint's.
    assert_eq!(w.add_checkpoint(&request(400, &proof, &c301), 3).unwrap_err().status, 400);
    // 404: an unknown log.
    let stranger = NoteSigner::generate("other.log", ED25519).unwrap();
    let text =
        Checkpoint { origin: "other.log".into(), size: 0, root: empty_hash(), extensions: vec![] }
            .text();
    let foreign = Note { signatures: vec![stranger.sign(&text, 0)], text };
    assert_eq!(w.add_checkpoint(&request(0, &[], &foreign), 3).unwrap_err().status, 404);
    // 403: the right origin signed by another key.
    let impostor = NoteSigner::generate("truce.test/log", ED25519).unwrap();
    let forged = Note { signatures: vec![impostor.sign(&c301.text, 0)], text: c301.text.clone() };
    assert_eq!(w.add_checkpoint(&request(300, &proof, &forged), 3).unwrap_err().status, 403);
    // 422: size 0 with a root other than the empty tree's.
    let text =
        Checkpoint { origin: "truce.test/log".into(), size: 0, root: [7; 32], extensions: vec![] }
            .text();
    let odd = Note { signatures: vec![signer.sign(&text, 0)], text };
    let mut fresh = witness("fresh.witness", &signer);
    assert_eq!(fresh.add_checkpoint(&request(0, &[], &odd), 3).unwrap_err().status, 422);
    // 200: the right proof.
    w.add_checkpoint(&request(300, &proof, &c301), 4).unwrap();
    // 400: garbage.
    assert_eq!(w.add_checkpoint(b"hello", 5).unwrap_err().status, 400);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn split_view_is_refused_and_reported() {
    // The log's operator runs two copies with the same key and origin and feeds them different entries.
    let signer = NoteSigner::generate("truce.test/log", ED25519).unwrap();
    let (dir_a, dir_b) = (temp_dir("fork-a"), temp_dir("fork-b"));
    let mut a = Log::create(FsStorage::open(&dir_a).unwrap(), signer.clone()).unwrap();
    let mut b = Log::create(FsStorage::open(&dir_b).unwrap(), signer.clone()).unwrap();
    a.append(&[b"ceasefire held".to_vec(), b"no violation".to_vec()]).unwrap();
    b.append(&[b"ceasefire held".to_vec(), b"shelling at 04:10".to_vec()]).unwrap();
    let (ca, cb) = (a.checkpoint().clone(), b.checkpoint().clone());
    assert_eq!(
        Checkpoint::parse(&ca.text).unwrap().size,
        Checkpoint::parse(&cb.text).unwrap().size
    );

    // Each party's witness cosigns the first view it sees and refuses the other.
    for name in ["rus.witness", "ukr.witness"] {
        let mut w = witness(name, &signer);
        w.add_checkpoint(&request(0, &[], &ca), 10).unwrap();
        let stale = w.add_checkpoint(&request(0, &[], &cb), 11).unwrap_err();
        assert_eq!((stale.status, stale.body.as_str()), (409, "2\n"));
        // Issue 10, finding 7: a split view (same size, another root) is 409 with the witness's size, as
        // c2sp.org/tlog-witness requires (it was 422).
        let forked = w.add_checkpoint(&request(2, &[], &cb), 12).unwrap_err();
        assert_eq!((forked.status, forked.body.as_str()), (409, "2\n"));
    }
    // A client holding both checkpoints reports the fork, with both as evidence.
    let fork = detect_fork(&signer.verifier(), &ca, &cb, &[]).unwrap().expect("a fork");
    assert_eq!((fork.a.clone(), fork.b.clone()), (ca.clone(), cb.clone()));
    assert!(fork.reason.contains("two different trees of size 2"));
    assert_eq!(detect_fork(&signer.verifier(), &ca, &ca, &[]).unwrap(), None);
    std::fs::remove_dir_all(dir_a).unwrap();
    std::fs::remove_dir_all(dir_b).unwrap();
}

#[test]
fn witness_policy_k_of_n() {
    use truce_tlog::note::{WitnessPolicy, verify_cosigned};
    let dir = temp_dir("policy");
    let signer = NoteSigner::generate("truce.test/log", ED25519).unwrap();
    let mut log = Log::create(FsStorage::open(&dir).unwrap(), signer.clone()).unwrap();
    log.append(&[b"x".to_vec()]).unwrap();
    let mut witnesses: Vec<_> =
        ["rus.w", "ukr.w", "osce.w"].iter().map(|n| witness(n, &signer)).collect();
    let mut note = log.checkpoint().clone();
    for w in witnesses.iter_mut().take(2) {
        let line = w.add_checkpoint(&request(0, &[], &note.clone()), 42).unwrap();
        note.signatures.extend(Note::parse(format!("x\n\n{line}").as_bytes()).unwrap().signatures);
    }
    let policy = |quorum| WitnessPolicy {
        witnesses: witnesses.iter().map(|w| w.signer.verifier()).collect(),
        quorum,
    };
    let names: Vec<String> = verify_cosigned(&note, &signer.verifier(), &policy(2))
        .unwrap()
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    assert_eq!(names, ["rus.w", "ukr.w"]);
    let err = verify_cosigned(&note, &signer.verifier(), &policy(3)).unwrap_err().to_string();
    assert!(err.contains("2 of 3 witnesses cosigned; the policy requires 3"), "{err}");
    // A bad cosignature by a known witness rejects the checkpoint.
    let mut bad = note.clone();
    bad.signatures[1].blob[20] ^= 1;
    assert!(verify_cosigned(&bad, &signer.verifier(), &policy(1)).is_err());
    std::fs::remove_dir_all(dir).unwrap();
}
