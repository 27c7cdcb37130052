//! Fuzzes a witness's add-checkpoint request handling: any body gets a cosignature or a refusal with one
//! of the specification's statuses, never a panic; a cosigned size only grows.
#![no_main]
use std::sync::OnceLock;

use truce_tlog::note::{COSIGNATURE_V1, ED25519, NoteSigner};
use truce_tlog::witness::{MemoryWitnessStore, Witness, WitnessStore};

fn keys() -> &'static (NoteSigner, NoteSigner) {
    static KEYS: OnceLock<(NoteSigner, NoteSigner)> = OnceLock::new();
    KEYS.get_or_init(|| {
        let log = NoteSigner::generate("fuzz.test/log", ED25519).unwrap();
        let witness = NoteSigner::generate("fuzz.test/witness", COSIGNATURE_V1).unwrap();
        (log, witness)
    })
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let (log, witness) = keys();
    let mut w = Witness {
        signer: witness.clone(),
        logs: [(log.verifier().name.clone(), log.verifier())].into_iter().collect(),
        store: MemoryWitnessStore::default(),
    };
    // The input as the request, and as the checkpoint text of a properly signed request.
    let _ = w.add_checkpoint(data, 1).map_err(|r| assert!([400, 403, 404, 409, 422].contains(&r.status)));
    if let Ok(text) = std::str::from_utf8(data) {
        let text = format!("{}\n", text.trim_end_matches('\n'));
        let note = truce_tlog::note::Note { text: text.clone(), signatures: vec![log.sign(&text, 0)] };
        let before = w.store.latest("fuzz.test/log").ok().flatten().map_or(0, |(s, _)| s);
        let request = truce_tlog::witness::add_checkpoint_request(0, &[], &note);
        match w.add_checkpoint(&request, 1) {
            Ok(_) => {
                let after = w.store.latest("fuzz.test/log").ok().flatten().map_or(0, |(s, _)| s);
                assert!(after >= before);
            }
            Err(r) => assert!([400, 403, 404, 409, 422].contains(&r.status), "{r:?}"),
        }
    }
});
