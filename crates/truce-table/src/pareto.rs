//! The exact Pareto set of feasible packages, by dynamic programming over issues.
//!
//! Utilities are additive over issues, so the utility vector of a package is the sum of its options' vectors.
//! A package whose prefix (its options on the first k issues) is dominated by another feasible prefix is
//! itself dominated: swapping in the better prefix keeps the rest and improves or ties every party.
//! So after each issue only the non-dominated prefixes are kept, and the outcome space is never enumerated.
//! Packages with identical utility vectors are merged into the first one found (in option order).
//!
//! The cost is Σₖ |Fₖ| × |open options of issue k| × |Fₖ₊₁| × parties, where Fₖ is the frontier after k issues;
//! on scenarios whose frontier is small this is tiny, and where the frontier itself is huge, the frontier is the cost.

use truce_scenario::OptionIx;

/// One point of the Pareto set: a package and its utility vector.
#[derive(Debug, Clone, PartialEq)]
pub struct FrontierPoint {
    /// One option per issue, in issue order.
    pub package: Vec<OptionIx>,
    /// The utility of the package to each party slot.
    pub utilities: Vec<f64>,
}

/// The choices for one issue: each open option with its (weighted) utility to every party slot.
pub type IssueChoices = Vec<(OptionIx, Vec<f64>)>;

/// Whether `a` weakly dominates `b`: at least as good for every party.
fn weakly_dominates(a: &[f64], b: &[f64]) -> bool {
    a.iter().zip(b).all(|(x, y)| x >= y)
}

/// The Pareto set over the product of `issues`, each entry listing an issue's open options.
///
/// Returns an empty set when some issue has no open option.
/// Points come sorted by decreasing utility sum, ties in option order.
pub fn pareto_set(issues: &[IssueChoices], parties: usize) -> Vec<FrontierPoint> {
    // Each layer holds (utilities, parent index in the previous layer, option chosen).
    struct Node {
        utilities: Vec<f64>,
        parent: u32,
        option: OptionIx,
    }
    let mut layers: Vec<Vec<Node>> = Vec::with_capacity(issues.len());
    let mut frontier: Vec<(Vec<f64>, u32)> = vec![(vec![0.0; parties], u32::MAX)];
    for choices in issues {
        if choices.is_empty() {
            return Vec::new();
        }
        let mut candidates: Vec<Node> = Vec::with_capacity(frontier.len() * choices.len());
        for (parent, (base, _)) in frontier.iter().enumerate() {
            for (option, add) in choices {
                let utilities = base.iter().zip(add).map(|(a, b)| a + b).collect();
                candidates.push(Node { utilities, parent: parent as u32, option: *option });
            }
        }
        // A dominator has a sum at least as large, so scanning by decreasing sum only needs to look back.
        candidates.sort_by(|a, b| {
            let (sa, sb): (f64, f64) = (a.utilities.iter().sum(), b.utilities.iter().sum());
            sb.total_cmp(&sa).then_with(|| (a.parent, a.option).cmp(&(b.parent, b.option)))
        });
        let mut kept: Vec<Node> = Vec::new();
        for candidate in candidates {
            if !kept.iter().any(|k| weakly_dominates(&k.utilities, &candidate.utilities)) {
                kept.push(candidate);
            }
        }
        frontier = kept.iter().enumerate().map(|(i, n)| (n.utilities.clone(), i as u32)).collect();
        layers.push(kept);
    }
    let Some(last) = layers.last() else {
        return vec![FrontierPoint { package: Vec::new(), utilities: vec![0.0; parties] }];
    };
    last.iter()
        .enumerate()
        .map(|(index, node)| {
            let mut package = Vec::with_capacity(layers.len());
            let mut at = index;
            for layer in layers.iter().rev() {
                package.push(layer[at].option);
                at = layer[at].parent as usize;
            }
            package.reverse();
            FrontierPoint { package, utilities: node.utilities.clone() }
        })
        .collect()
}
