//! Fuzzes the tlog-proof parser and the witness request parser: never a panic; proofs round-trip.
#![no_main]
use std::collections::HashMap;
use truce_tlog::note::{COSIGNATURE_V1, NoteSigner};
use truce_tlog::witness::{MemoryWitnessStore, Witness};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(p) = truce_tlog::proof::ProofFile::parse(data) {
        let again = truce_tlog::proof::ProofFile::parse(p.to_text().as_bytes()).expect("a formatted proof parses");
        assert_eq!(again, p);
    }
    // The witness must answer any request with a status, never a panic.
    let signer = NoteSigner::parse("PRIVATE+KEY+fuzz.witness+3d3a1b4e+BAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA").ok();
    if let Some(signer) = signer.or_else(|| NoteSigner::generate("fuzz.witness", COSIGNATURE_V1).ok()) {
        let mut w = Witness { signer, logs: HashMap::new(), store: MemoryWitnessStore::default() };
        if let Err(r) = w.add_checkpoint(data, 1) {
            assert!([400, 403, 404, 409, 422, 500].contains(&r.status));
        }
    }
});
