//! Property test: proofs from the log's hash source equal a naive recomputation from the leaves, and verify.

use proptest::prelude::*;
use truce_tlog::merkle::{
    Hash, MemoryTree, consistency_proof, inclusion_proof, leaf_hash, node_hash, tree_hash,
    verify_consistency, verify_inclusion,
};

/// RFC 6962 MTH, straight from the definition.
fn naive_mth(leaves: &[Hash]) -> Hash {
    match leaves.len() {
        0 => truce_tlog::merkle::empty_hash(),
        1 => leaves[0],
        n => {
            let k = 1 << (usize::BITS - 1 - (n - 1).leading_zeros());
            node_hash(&naive_mth(&leaves[..k]), &naive_mth(&leaves[k..]))
        }
    }
}

fn naive_path(m: usize, leaves: &[Hash]) -> Vec<Hash> {
    let n = leaves.len();
    if n <= 1 {
        return Vec::new();
    }
    let k = 1 << (usize::BITS - 1 - (n - 1).leading_zeros());
    if m < k {
        let mut p = naive_path(m, &leaves[..k]);
        p.push(naive_mth(&leaves[k..]));
        p
    } else {
        let mut p = naive_path(m - k, &leaves[k..]);
        p.push(naive_mth(&leaves[..k]));
        p
    }
}

fn naive_subproof(m: usize, leaves: &[Hash], whole: bool) -> Vec<Hash> {
    let n = leaves.len();
    if m == n {
        return if whole { Vec::new() } else { vec![naive_mth(leaves)] };
    }
    let k = 1 << (usize::BITS - 1 - (n - 1).leading_zeros());
    if m <= k {
        let mut p = naive_subproof(m, &leaves[..k], whole);
        p.push(naive_mth(&leaves[k..]));
        p
    } else {
        let mut p = naive_subproof(m - k, &leaves[k..], false);
        p.push(naive_mth(&leaves[..k]));
        p
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn proofs_match_naive_recomputation(size in 1usize..=100_000, picks in prop::collection::vec((any::<u64>(), any::<u64>()), 6)) {
        let leaves: Vec<Hash> = (0..size).map(|i| leaf_hash(&(i as u64).to_be_bytes())).collect();
        let tree = MemoryTree::new(leaves.clone());
        let root = tree_hash(&tree, size as u64).unwrap();
        prop_assert_eq!(root, naive_mth(&leaves));
        for (a, b) in picks {
            let index = (a % size as u64) as usize;
            let proof = inclusion_proof(&tree, index as u64, size as u64).unwrap();
            prop_assert_eq!(&proof, &naive_path(index, &leaves));
            prop_assert!(verify_inclusion(index as u64, size as u64, &leaves[index], &proof, &root).is_ok());
            // A changed leaf or a changed proof element fails.
            let mut wrong = leaves[index];
            wrong[0] ^= 1;
            prop_assert!(verify_inclusion(index as u64, size as u64, &wrong, &proof, &root).is_err());

            let old = 1 + (b % size as u64) as usize;
            let proof = consistency_proof(&tree, old as u64, size as u64).unwrap();
            let expected = if old == size { Vec::new() } else { naive_subproof(old, &leaves, true) };
            prop_assert_eq!(&proof, &expected);
            let old_root = naive_mth(&leaves[..old]);
            prop_assert!(verify_consistency(old as u64, size as u64, &old_root, &root, &proof).is_ok());
            if let Some(first) = proof.first() {
                let mut bad = proof.clone();
                bad[0] = node_hash(first, first);
                prop_assert!(verify_consistency(old as u64, size as u64, &old_root, &root, &bad).is_err());
            }
        }
    }
}
