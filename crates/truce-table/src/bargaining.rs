//! Bargaining solutions on a Pareto frontier.
//!
//! Every solution searches the frontier of rational packages only, and returns every point within
//! [`TIE`] of the optimum, in frontier order. Definitions:
//!
//! - **Disagreement point** dᵢ, by [`Disagreement`] rule:
//!   - `Reservation` (Truce's default, and Genius's): party i's reservation value; 0 when it has none;
//!   - `NegMas` (NegMAS 0.16): the reservation value when it is finite and not below the party's smallest
//!     utility over all packages; otherwise that smallest utility.
//! - **Nash** (`nash`): maximises ∏ᵢ (uᵢ − dᵢ).
//! - **Kalai–Smorodinsky** (`ks`): minimises maxᵢ aᵢ − minᵢ aᵢ with aᵢ = (uᵢ − dᵢ)/(Mᵢ − dᵢ), Mᵢ the party's
//!   largest utility over all packages: the point whose gains, as shares of each party's possible gain,
//!   are most equal. (NegMAS's `ks_points`.)
//! - **Genius Kalai–Smorodinsky** (`ks_genius`): minimises Σ_{i<j} |uᵢ − uⱼ| on raw utilities, as Genius's
//!   `BidSpace.getKalaiSmorodinsky` does.
//! - **Egalitarian** (`egalitarian`, NegMAS's "Kalai"): maximises minᵢ (uᵢ − dᵢ).
//! - **Utilitarian** (`utilitarian`): maximises Σᵢ uᵢ (no disagreement point subtracted).
//!
//! Points with some uᵢ below that party's reservation value never win KS or egalitarian (they cannot be on
//! a rational frontier anyway). When some party's utility range (from dᵢ to Mᵢ) is within [`TIE`] of zero,
//! every frontier point is optimal, as in NegMAS.

use crate::frontier::Frontier;

/// Two scores within this distance of each other are tied.
pub const TIE: f64 = 1e-12;

/// A bargaining solution concept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SolutionConcept {
    /// Maximise the product of gains over the disagreement point.
    Nash,
    /// Equalise gains as shares of each party's possible gain (NegMAS definition).
    KalaiSmorodinsky,
    /// Minimise the sum of pairwise utility differences (Genius definition).
    KalaiSmorodinskyGenius,
    /// Maximise the smallest gain over the disagreement point.
    Egalitarian,
    /// Maximise the sum of utilities.
    Utilitarian,
}

impl SolutionConcept {
    /// Every concept, in report order.
    pub const ALL: [SolutionConcept; 5] = [
        SolutionConcept::Nash,
        SolutionConcept::KalaiSmorodinsky,
        SolutionConcept::KalaiSmorodinskyGenius,
        SolutionConcept::Egalitarian,
        SolutionConcept::Utilitarian,
    ];

    /// Name in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            SolutionConcept::Nash => "nash",
            SolutionConcept::KalaiSmorodinsky => "ks",
            SolutionConcept::KalaiSmorodinskyGenius => "ks_genius",
            SolutionConcept::Egalitarian => "egalitarian",
            SolutionConcept::Utilitarian => "utilitarian",
        }
    }
}

/// How the disagreement point is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Disagreement {
    /// The reservation value, 0 where there is none (Genius).
    Reservation,
    /// The reservation value if finite and not below the smallest utility, else the smallest utility (NegMAS).
    NegMas,
}

/// Each party's (disagreement point, best utility), from its reservation value and its utility range.
pub fn bargaining_ranges(
    ranges: &[(f64, f64)],
    reservation: &[f64],
    rule: Disagreement,
) -> Vec<(f64, f64)> {
    ranges
        .iter()
        .zip(reservation)
        .map(|(&(min, max), &r)| match rule {
            Disagreement::Reservation => (if r.is_finite() { r } else { 0.0 }, max),
            Disagreement::NegMas => (if r.is_finite() && r >= min { r } else { min }, max),
        })
        .collect()
}

/// The indices of the frontier points that `concept` selects, with the optimal score.
///
/// `ranges` are each party's (smallest, largest) utility over all packages; `reservation` the reservation values.
pub fn solve(
    frontier: &Frontier,
    concept: SolutionConcept,
    ranges: &[(f64, f64)],
    reservation: &[f64],
    rule: Disagreement,
) -> (Vec<usize>, Option<f64>) {
    let points = &frontier.points;
    if points.is_empty() {
        return (Vec::new(), None);
    }
    let bargaining = bargaining_ranges(ranges, reservation, rule);
    if concept != SolutionConcept::KalaiSmorodinskyGenius
        && bargaining.iter().any(|(d, m)| m - d <= TIE)
    {
        return ((0..points.len()).collect(), None);
    }
    let rational = |u: &[f64]| u.iter().zip(reservation).all(|(x, r)| *x >= *r || !r.is_finite());
    // Scores to maximise; `None` for points that cannot win.
    let score = |u: &[f64]| -> Option<f64> {
        match concept {
            SolutionConcept::Nash => {
                Some(u.iter().zip(&bargaining).map(|(x, (d, _))| x - d).product())
            }
            SolutionConcept::KalaiSmorodinsky => {
                if !rational(u) {
                    return None;
                }
                let shares = u
                    .iter()
                    .zip(&bargaining)
                    .map(|(x, (d, m))| if m - d != 0.0 { (x - d) / (m - d) } else { x - d });
                let (lo, hi) = shares
                    .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), a| (lo.min(a), hi.max(a)));
                Some(-(hi - lo))
            }
            SolutionConcept::KalaiSmorodinskyGenius => {
                let mut sum = 0.0;
                for i in 0..u.len() {
                    for j in i + 1..u.len() {
                        sum += (u[i] - u[j]).abs();
                    }
                }
                Some(-sum)
            }
            SolutionConcept::Egalitarian => {
                if !rational(u) {
                    return None;
                }
                Some(
                    u.iter()
                        .zip(&bargaining)
                        .map(|(x, (d, _))| x - d)
                        .fold(f64::INFINITY, f64::min),
                )
            }
            SolutionConcept::Utilitarian => Some(u.iter().sum()),
        }
    };
    let scores: Vec<Option<f64>> = points.iter().map(|p| score(&p.utilities)).collect();
    let Some(best) = scores.iter().flatten().copied().reduce(f64::max) else {
        return (Vec::new(), None);
    };
    let winners = scores
        .iter()
        .enumerate()
        .filter(|(_, s)| s.is_some_and(|s| s >= best - TIE))
        .map(|(i, _)| i)
        .collect();
    let reported = match concept {
        SolutionConcept::KalaiSmorodinsky | SolutionConcept::KalaiSmorodinskyGenius => -best,
        _ => best,
    };
    (winners, Some(reported))
}
