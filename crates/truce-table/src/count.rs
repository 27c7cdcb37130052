//! Exact counts of packages, which outgrow every machine integer on large scenarios.

use std::fmt;

/// An exact non-negative integer, built by multiplying small factors.
///
/// Package counts are products of per-issue option counts, so only multiplication by a machine word is needed.
/// Stored as base-10⁹ limbs, least significant first, so printing in decimal is direct.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Count {
    limbs: Vec<u32>,
}

const BASE: u64 = 1_000_000_000;

impl Count {
    /// The number one.
    pub fn one() -> Count {
        Count { limbs: vec![1] }
    }

    /// The number zero.
    pub fn zero() -> Count {
        Count { limbs: vec![0] }
    }

    /// `self × factor`.
    pub fn times(&self, factor: u64) -> Count {
        if factor == 0 || self.is_zero() {
            return Count::zero();
        }
        // Multiply limb by limb with a 128-bit carry; a factor above 2^64 cannot occur.
        let mut limbs = Vec::with_capacity(self.limbs.len() + 3);
        let mut carry: u128 = 0;
        for &limb in &self.limbs {
            let product = limb as u128 * factor as u128 + carry;
            limbs.push((product % BASE as u128) as u32);
            carry = product / BASE as u128;
        }
        while carry > 0 {
            limbs.push((carry % BASE as u128) as u32);
            carry /= BASE as u128;
        }
        Count { limbs }
    }

    /// `self × other`.
    pub fn times_count(&self, other: &Count) -> Count {
        let mut acc = vec![0u64; self.limbs.len() + other.limbs.len() + 1];
        for (i, &a) in self.limbs.iter().enumerate() {
            let mut carry = 0u64;
            for (j, &b) in other.limbs.iter().enumerate() {
                let cur = acc[i + j] + a as u64 * b as u64 + carry;
                acc[i + j] = cur % BASE;
                carry = cur / BASE;
            }
            let mut k = i + other.limbs.len();
            while carry > 0 {
                let cur = acc[k] + carry;
                acc[k] = cur % BASE;
                carry = cur / BASE;
                k += 1;
            }
        }
        while acc.len() > 1 && acc.last() == Some(&0) {
            acc.pop();
        }
        Count { limbs: acc.into_iter().map(|l| l as u32).collect() }
    }

    /// Whether the count is zero.
    pub fn is_zero(&self) -> bool {
        self.limbs.iter().all(|&l| l == 0)
    }

    /// The count as a `u128`, if it fits.
    pub fn to_u128(&self) -> Option<u128> {
        let mut value: u128 = 0;
        for &limb in self.limbs.iter().rev() {
            value = value.checked_mul(BASE as u128)?.checked_add(limb as u128)?;
        }
        Some(value)
    }

    /// The count as an `f64`, rounded (for charts).
    pub fn to_f64(&self) -> f64 {
        self.limbs.iter().rev().fold(0.0, |acc, &l| acc * BASE as f64 + l as f64)
    }
}

impl fmt::Display for Count {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut limbs = self.limbs.iter().rev();
        if let Some(first) = limbs.next() {
            write!(f, "{first}")?;
        }
        for limb in limbs {
            write!(f, "{limb:09}")?;
        }
        Ok(())
    }
}
