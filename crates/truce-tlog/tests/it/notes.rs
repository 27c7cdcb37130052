//! Signed-note, checkpoint and cosignature vectors.

use std::path::{Path, PathBuf};

use truce_tlog::checkpoint::Checkpoint;
use truce_tlog::note::{COSIGNATURE_V1, ED25519, Note, NoteSigner, NoteVerifier, verify_note};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../test_data/tlog-vectors")
}

fn read(path: &str) -> String {
    std::fs::read_to_string(dir().join(path)).unwrap()
}

#[test]
fn signed_note_vectors() {
    let peter = NoteVerifier::parse(&read("golang-mod-note/peter.vkey")).unwrap();
    let enoch = NoteVerifier::parse(&read("golang-mod-note/enoch.vkey")).unwrap();
    assert_eq!(peter.vkey(), read("golang-mod-note/peter.vkey").trim());

    let one = Note::parse(read("golang-mod-note/note-peter.txt").as_bytes()).unwrap();
    assert_eq!(verify_note(&one, std::slice::from_ref(&peter)).unwrap(), [(0, None)]);
    // Unknown keys are ignored; a note with no known signature is rejected.
    assert!(verify_note(&one, std::slice::from_ref(&enoch)).is_err());
    let two = Note::parse(read("golang-mod-note/note-peter-enoch.txt").as_bytes()).unwrap();
    assert_eq!(verify_note(&two, &[peter.clone(), enoch.clone()]).unwrap().len(), 2);
    assert_eq!(verify_note(&two, std::slice::from_ref(&enoch)).unwrap(), [(0, None)]);
    assert_eq!(
        two.to_text(),
        read("golang-mod-note/note-peter-enoch.txt"),
        "formatting round-trips"
    );

    // The test private key signs the same bytes (Ed25519 is deterministic).
    let signer = NoteSigner::parse(&read("golang-mod-note/peter.skey")).unwrap();
    assert_eq!(signer.verifier(), peter);
    assert_eq!(signer.sign(&one.text, 0), one.signatures[0]);
    assert_eq!(signer.skey(), read("golang-mod-note/peter.skey").trim());

    // A changed text or signature fails.
    let mut tampered = one.clone();
    tampered.text = tampered.text.replace("answer", "Answer");
    assert!(verify_note(&tampered, std::slice::from_ref(&peter)).is_err());

    let example = NoteVerifier::parse(&read("c2sp-signed-note/example.vkey")).unwrap();
    let note = Note::parse(read("c2sp-signed-note/example-note.txt").as_bytes()).unwrap();
    assert!(verify_note(&note, &[example]).is_ok());
    println!("signed-note vectors: 3 notes, 4 signatures verified");
}

#[test]
fn cosignature_vector() {
    let mirror = NoteVerifier::parse(
        "mirror.example.org+3fb148ef+BAAjjch9GyYz0sJsJx7ALhbdAtz2ov0unbzSl1vMp94O",
    )
    .unwrap();
    assert_eq!(mirror.kind, COSIGNATURE_V1);
    let text = read(
        "sunlight-skylight/cmd/skylight/testdata/witness/mirror/000de184301123b9278c086a7d9f68c9577e83872224c197058fd90784ea9706/checkpoint",
    );
    let note = Note::parse(text.as_bytes()).unwrap();
    let verified = verify_note(&note, &[mirror]).unwrap();
    assert_eq!(verified, [(0, Some(1_767_139_200))]);
    let checkpoint = Checkpoint::parse(&note.text).unwrap();
    assert_eq!((checkpoint.origin.as_str(), checkpoint.size), ("rome2026h1.example.org", 300));
    assert_eq!(checkpoint.text(), note.text);
    println!("cosignature/v1 vector: verified, timestamp 1767139200");
}

#[test]
fn own_keys_sign_and_cosign() {
    let log = NoteSigner::generate("truce.example/log", ED25519).unwrap();
    let witness = NoteSigner::generate("witness.example", COSIGNATURE_V1).unwrap();
    assert!(!format!("{log:?}").contains(&log.skey()[20..]), "Debug never prints the private key");
    let text = "truce.example/log\n3\nrKbDipCvhuX1GZ7g5BBe8sA6BbJ7ja/1nk427v383cs=\n".to_string();
    let mut note = Note { text: text.clone(), signatures: vec![log.sign(&text, 0)] };
    note.signatures.push(witness.sign(&text, 1_800_000_000));
    let parsed = Note::parse(note.to_text().as_bytes()).unwrap();
    assert_eq!(
        verify_note(&parsed, &[log.verifier(), witness.verifier()]).unwrap(),
        [(0, None), (1, Some(1_800_000_000))]
    );
    assert_eq!(NoteVerifier::parse(&witness.verifier().vkey()).unwrap(), witness.verifier());
}

#[test]
fn malformed_notes_and_checkpoints_are_errors() {
    for bad in [
        "no blank line\n— a AAAAAAA=\n",
        "text\n\n",
        "text\n\n— name notbase64!\n",
        "text\n\n- name AAAAAAA=\n",
        "text\n\n— na+me AAAAAAAA\n",
        "text\r\n\n— name AAAAAAAA\n",
    ] {
        assert!(Note::parse(bad.as_bytes()).is_err(), "{bad:?}");
    }
    for bad in [
        "",
        "origin\n",
        "origin\n01\nAAAA\n",
        "origin\n1\nshort\n",
        "origin\n1\nrKbDipCvhuX1GZ7g5BBe8sA6BbJ7ja/1nk427v383cs=\n\n",
        "\n1\nrKbDipCvhuX1GZ7g5BBe8sA6BbJ7ja/1nk427v383cs=\n",
    ] {
        assert!(Checkpoint::parse(bad).is_err(), "{bad:?}");
    }
    assert!(
        NoteVerifier::parse("PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")
            .is_err(),
        "wrong key ID"
    );
}
