//! A numeric bargaining problem: additive utilities over independent (super-)issues.

/// The utility of each option of one issue to each party.
#[derive(Debug, Clone, PartialEq)]
pub struct IssueTable {
    /// Number of options.
    pub options: usize,
    /// `utilities[option * parties + party]`: the option's (already weighted) contribution to the party's utility.
    pub utilities: Vec<f64>,
}

impl IssueTable {
    /// The utility vector of `option`.
    pub fn row(&self, option: usize, parties: usize) -> &[f64] {
        &self.utilities[option * parties..(option + 1) * parties]
    }
}

/// An additive multi-party bargaining problem.
///
/// A package picks one option per issue; party `p` values it at the sum over issues of the chosen options'
/// utilities. Issues here are independent: constraints between issues have already been folded into
/// super-issues whose options are the allowed combinations.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// Number of parties.
    pub parties: usize,
    /// The issues, in order.
    pub issues: Vec<IssueTable>,
    /// Each party's reservation value: packages below it for any party are not rational.
    /// `f64::NEG_INFINITY` means none.
    pub reservation: Vec<f64>,
}

impl Problem {
    /// The utility of `package` (one option index per issue) to each party, summed in issue order.
    pub fn evaluate(&self, package: &[u32]) -> Vec<f64> {
        let mut u = vec![0.0; self.parties];
        for (issue, &o) in self.issues.iter().zip(package) {
            for (acc, x) in u.iter_mut().zip(issue.row(o as usize, self.parties)) {
                *acc += x;
            }
        }
        u
    }

    /// The number of packages, as a float (it can exceed every integer type).
    pub fn size(&self) -> f64 {
        self.issues.iter().map(|i| i.options as f64).product()
    }

    /// Each party's smallest and largest utility over all packages (rational or not), as NegMAS's `minmax`.
    pub fn ranges(&self) -> Vec<(f64, f64)> {
        (0..self.parties)
            .map(|p| {
                self.issues.iter().fold((0.0, 0.0), |(lo, hi), issue| {
                    let column = (0..issue.options).map(|o| issue.row(o, self.parties)[p]);
                    let (min, max) = column
                        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| (a.min(x), b.max(x)));
                    (lo + min, hi + max)
                })
            })
            .collect()
    }
}
