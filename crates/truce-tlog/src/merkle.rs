//! RFC 6962 / RFC 9162 Merkle trees over SHA-256: hashing, inclusion and consistency proofs.
//!
//! This module does no I/O. Proofs are generated from a [`HashSource`], which answers the hash of any
//! complete, aligned subtree; verification needs only the proof, the sizes and the roots.

use sha2::{Digest, Sha256};

use crate::Error;

/// A SHA-256 hash.
pub type Hash = [u8; 32];

/// The hash of the empty tree: `SHA-256("")` (RFC 6962 §2.1).
pub fn empty_hash() -> Hash {
    Sha256::digest([]).into()
}

/// The hash of a leaf: `SHA-256(0x00 || data)` (RFC 6962 §2.1).
pub fn leaf_hash(data: &[u8]) -> Hash {
    let mut h = Sha256::new();
    h.update([0u8]);
    h.update(data);
    h.finalize().into()
}

/// The hash of an interior node: `SHA-256(0x01 || left || right)` (RFC 6962 §2.1).
pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    let mut h = Sha256::new();
    h.update([1u8]);
    h.update(left);
    h.update(right);
    h.finalize().into()
}

/// The root of a complete subtree given its `2^h` leaf-level hashes, in order (a run of tile hashes).
pub fn complete_root(hashes: &[Hash]) -> Hash {
    debug_assert!(hashes.len().is_power_of_two());
    match hashes.len() {
        1 => hashes[0],
        n => node_hash(&complete_root(&hashes[..n / 2]), &complete_root(&hashes[n / 2..])),
    }
}

/// The largest power of two strictly below `n` (for `n ≥ 2`): where RFC 6962 splits a range of `n` leaves.
fn split(n: u64) -> u64 {
    debug_assert!(n >= 2);
    1u64 << (63 - (n - 1).leading_zeros())
}

/// Answers the hash of complete, aligned subtrees: `hash(level, index)` is the root of leaves
/// `[index·2^level, (index+1)·2^level)`. Implementations may read storage; errors propagate.
pub trait HashSource {
    /// The root of the complete subtree at (`level`, `index`).
    fn hash(&self, level: u8, index: u64) -> Result<Hash, Error>;
}

/// The Merkle tree hash of leaves `[lo, hi)` (RFC 6962 §2.1 `MTH`), from complete subtrees.
pub fn range_hash(source: &dyn HashSource, lo: u64, hi: u64) -> Result<Hash, Error> {
    let n = hi - lo;
    if n == 0 {
        return Ok(empty_hash());
    }
    if n.is_power_of_two() && lo.is_multiple_of(n) {
        return source.hash(n.trailing_zeros() as u8, lo / n);
    }
    let k = split(n);
    Ok(node_hash(&range_hash(source, lo, lo + k)?, &range_hash(source, lo + k, hi)?))
}

/// The root of a tree of `size` leaves.
pub fn tree_hash(source: &dyn HashSource, size: u64) -> Result<Hash, Error> {
    range_hash(source, 0, size)
}

/// The inclusion proof of leaf `index` in the tree of `size` leaves (RFC 6962 §2.1.1 `PATH`).
pub fn inclusion_proof(source: &dyn HashSource, index: u64, size: u64) -> Result<Vec<Hash>, Error> {
    if index >= size {
        return Err(Error::Proof(format!("index {index} is not below the tree size {size}")));
    }
    let mut proof = Vec::new();
    path(source, index, 0, size, &mut proof)?;
    Ok(proof)
}

fn path(
    source: &dyn HashSource,
    m: u64,
    lo: u64,
    hi: u64,
    out: &mut Vec<Hash>,
) -> Result<(), Error> {
    let n = hi - lo;
    if n <= 1 {
        return Ok(());
    }
    let k = split(n);
    if m < k {
        path(source, m, lo, lo + k, out)?;
        out.push(range_hash(source, lo + k, hi)?);
    } else {
        path(source, m - k, lo + k, hi, out)?;
        out.push(range_hash(source, lo, lo + k)?);
    }
    Ok(())
}

/// The consistency proof between trees of `size1` and `size2` leaves (RFC 6962 §2.1.2 `PROOF`).
/// Empty when `size1` is 0 or equal to `size2`.
pub fn consistency_proof(
    source: &dyn HashSource,
    size1: u64,
    size2: u64,
) -> Result<Vec<Hash>, Error> {
    if size1 > size2 {
        return Err(Error::Proof(format!("old size {size1} is larger than new size {size2}")));
    }
    let mut proof = Vec::new();
    if size1 > 0 && size1 < size2 {
        subproof(source, size1, 0, size2, true, &mut proof)?;
    }
    Ok(proof)
}

fn subproof(
    source: &dyn HashSource,
    m: u64,
    lo: u64,
    hi: u64,
    whole: bool,
    out: &mut Vec<Hash>,
) -> Result<(), Error> {
    let n = hi - lo;
    if m == n {
        if !whole {
            out.push(range_hash(source, lo, hi)?);
        }
        return Ok(());
    }
    let k = split(n);
    if m <= k {
        subproof(source, m, lo, lo + k, whole, out)?;
        out.push(range_hash(source, lo + k, hi)?);
    } else {
        subproof(source, m - k, lo + k, hi, false, out)?;
        out.push(range_hash(source, lo, lo + k)?);
    }
    Ok(())
}

/// Verifies that `leaf` is leaf `index` of the tree of `size` leaves with root `root` (RFC 9162 §2.1.3.2).
pub fn verify_inclusion(
    index: u64,
    size: u64,
    leaf: &Hash,
    proof: &[Hash],
    root: &Hash,
) -> Result<(), Error> {
    if index >= size {
        return Err(Error::Proof(format!("index {index} is not below the tree size {size}")));
    }
    let (mut f, mut s) = (index, size - 1);
    let mut r = *leaf;
    for p in proof {
        if s == 0 {
            return Err(Error::Proof("inclusion proof is too long".into()));
        }
        if f & 1 == 1 || f == s {
            r = node_hash(p, &r);
            while f & 1 == 0 && f != 0 {
                f >>= 1;
                s >>= 1;
            }
        } else {
            r = node_hash(&r, p);
        }
        f >>= 1;
        s >>= 1;
    }
    if s != 0 {
        return Err(Error::Proof("inclusion proof is too short".into()));
    }
    if &r != root {
        return Err(Error::Proof("inclusion proof does not lead to the root".into()));
    }
    Ok(())
}

/// Verifies that the tree of `size2` leaves with root `root2` extends the tree of `size1` leaves with root
/// `root1` (RFC 9162 §2.1.4.2). `size1` must not be 0.
pub fn verify_consistency(
    size1: u64,
    size2: u64,
    root1: &Hash,
    root2: &Hash,
    proof: &[Hash],
) -> Result<(), Error> {
    if size1 > size2 {
        return Err(Error::Proof(format!("old size {size1} is larger than new size {size2}")));
    }
    if size1 == 0 {
        // Every tree extends the empty tree; a proof "from 0" proves nothing and is refused, as in
        // transparency-dev/merkle. Callers that accept size 0 (a witness's first checkpoint) check that case.
        return Err(Error::Proof("consistency with the empty tree proves nothing".into()));
    }
    if size1 == size2 {
        if !proof.is_empty() {
            return Err(Error::Proof("proof between equal sizes must be empty".into()));
        }
        if root1 != root2 {
            return Err(Error::Proof("equal sizes with different roots".into()));
        }
        return Ok(());
    }
    if proof.is_empty() {
        return Err(Error::Proof("empty consistency proof".into()));
    }
    // When size1 is a power of two, the old root is the first node of the path and is not in the proof.
    let mut nodes: Vec<Hash> = Vec::with_capacity(proof.len() + 1);
    if size1.is_power_of_two() {
        nodes.push(*root1);
    }
    nodes.extend_from_slice(proof);
    let (mut f, mut s) = (size1 - 1, size2 - 1);
    while f & 1 == 1 {
        f >>= 1;
        s >>= 1;
    }
    let (mut fr, mut sr) = (nodes[0], nodes[0]);
    for c in &nodes[1..] {
        if s == 0 {
            return Err(Error::Proof("consistency proof is too long".into()));
        }
        if f & 1 == 1 || f == s {
            fr = node_hash(c, &fr);
            sr = node_hash(c, &sr);
            while f & 1 == 0 && f != 0 {
                f >>= 1;
                s >>= 1;
            }
        } else {
            sr = node_hash(&sr, c);
        }
        f >>= 1;
        s >>= 1;
    }
    if s != 0 {
        return Err(Error::Proof("consistency proof is too short".into()));
    }
    if &fr != root1 {
        return Err(Error::Proof("consistency proof does not lead to the old root".into()));
    }
    if &sr != root2 {
        return Err(Error::Proof("consistency proof does not lead to the new root".into()));
    }
    Ok(())
}

/// All leaf hashes in memory: a [`HashSource`] for tests and small trees.
#[derive(Debug, Clone, Default)]
pub struct MemoryTree {
    /// `levels[l][i]`: the complete subtree hash at level l, index i.
    levels: Vec<Vec<Hash>>,
}

impl MemoryTree {
    /// A tree over these leaf hashes.
    pub fn new(leaves: Vec<Hash>) -> MemoryTree {
        let mut t = MemoryTree { levels: vec![Vec::new()] };
        for leaf in leaves {
            t.push(leaf);
        }
        t
    }

    /// Appends a leaf hash, updating the complete subtrees it closes.
    pub fn push(&mut self, leaf: Hash) {
        self.levels[0].push(leaf);
        let mut level = 0;
        while self.levels[level].len().is_multiple_of(2) {
            let n = self.levels[level].len();
            let parent = node_hash(&self.levels[level][n - 2], &self.levels[level][n - 1]);
            if self.levels.len() == level + 1 {
                self.levels.push(Vec::new());
            }
            self.levels[level + 1].push(parent);
            level += 1;
        }
    }

    /// Number of leaves.
    pub fn size(&self) -> u64 {
        self.levels[0].len() as u64
    }
}

impl HashSource for MemoryTree {
    fn hash(&self, level: u8, index: u64) -> Result<Hash, Error> {
        self.levels.get(level as usize).and_then(|l| l.get(index as usize)).copied().ok_or_else(
            || Error::Proof(format!("no complete subtree at level {level}, index {index}")),
        )
    }
}
