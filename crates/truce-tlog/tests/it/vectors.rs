//! The RFC 6962 inclusion and consistency vectors of transparency-dev/merkle (`test_data/tlog-vectors`).

use std::path::{Path, PathBuf};

use base64::Engine;
use serde_json::Value;
use truce_tlog::merkle::{Hash, verify_consistency, verify_inclusion};

fn vectors_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../test_data/tlog-vectors")
}

fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            json_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}

/// A base64 hash, or `None` when it is not 32 bytes (some vectors carry empty or odd values on purpose).
fn hash(v: &Value) -> Option<Hash> {
    let bytes = base64::engine::general_purpose::STANDARD.decode(v.as_str().unwrap_or("")).ok()?;
    bytes.try_into().ok()
}

/// A root: some vectors use arbitrary byte strings ("don't care") that only need to compare equal or not.
/// A 32-byte value is a hash; any other is mapped injectively to a hash no real tree can have.
fn root(v: &Value) -> Option<Hash> {
    let bytes = base64::engine::general_purpose::STANDARD.decode(v.as_str().unwrap_or("")).ok()?;
    match <[u8; 32]>::try_from(bytes.as_slice()) {
        Ok(h) => Some(h),
        Err(_) => Some(truce_tlog::merkle::node_hash(
            &truce_tlog::merkle::leaf_hash(b"not a hash"),
            &truce_tlog::merkle::leaf_hash(&bytes),
        )),
    }
}

fn proof(v: &Value) -> Option<Vec<Hash>> {
    v.as_array().map_or(Some(Vec::new()), |a| a.iter().map(hash).collect())
}

#[test]
fn rfc6962_proof_vectors() {
    let base = vectors_dir().join("transparency-dev-merkle/testdata");
    let mut checked = 0;
    for kind in ["inclusion", "consistency"] {
        let mut files = Vec::new();
        json_files(&base.join(kind), &mut files);
        files.sort();
        for file in files {
            let v: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
            let want_err = v["wantErr"].as_bool().unwrap();
            let result = if kind == "inclusion" {
                match (
                    v["leafIdx"].as_u64(),
                    v["treeSize"].as_u64(),
                    hash(&v["leafHash"]),
                    hash(&v["root"]),
                    proof(&v["proof"]),
                ) {
                    (Some(i), Some(n), Some(leaf), Some(root), Some(p)) => {
                        verify_inclusion(i, n, &leaf, &p, &root).is_ok()
                    }
                    _ => false,
                }
            } else {
                match (
                    v["size1"].as_u64(),
                    v["size2"].as_u64(),
                    root(&v["root1"]),
                    root(&v["root2"]),
                    proof(&v["proof"]),
                ) {
                    (Some(a), Some(b), Some(r1), Some(r2), Some(p)) => {
                        verify_consistency(a, b, &r1, &r2, &p).is_ok()
                    }
                    _ => false,
                }
            };
            assert_eq!(result, !want_err, "{}: {}", file.display(), v["desc"]);
            checked += 1;
        }
    }
    println!("RFC 6962 vectors: {checked} inclusion and consistency vectors agree with wantErr");
    assert_eq!(checked, 196);
}
