//! The best feasible packages: Nash product and maximin, with a per-party account of each.

use truce_scenario::{IssueIx, OptionIx, PartyIx, PositionIx, Scenario, Stance};

use crate::bargaining::{Disagreement, SolutionConcept};
use crate::numeric::{NumericModel, bargain, numeric_model};
use crate::stances::{StanceUtilities, Stances};

/// How a chosen option stands with one party.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The party demands this option.
    MeetsDemand,
    /// The party accepts this option.
    Accepted,
    /// The party has no position on this option.
    NoPosition,
    /// The party's stance on this option is unknown.
    Unknown,
    /// The party opposes this option: the package crosses its opposition.
    CrossesOpposition,
    /// The party calls this option a red line (possible only where red lines are relaxed).
    CrossesRedLine,
}

impl Verdict {
    fn of(stance: Option<Stance>) -> Verdict {
        match stance {
            Some(Stance::Demanded) => Verdict::MeetsDemand,
            Some(Stance::Acceptable) => Verdict::Accepted,
            Some(Stance::Unknown) => Verdict::Unknown,
            Some(Stance::Opposed) => Verdict::CrossesOpposition,
            Some(Stance::RedLine) => Verdict::CrossesRedLine,
            None => Verdict::NoPosition,
        }
    }

    /// The verdict's name in reports and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::MeetsDemand => "meets_demand",
            Verdict::Accepted => "accepted",
            Verdict::NoPosition => "no_position",
            Verdict::Unknown => "unknown",
            Verdict::CrossesOpposition => "crosses_opposition",
            Verdict::CrossesRedLine => "crosses_red_line",
        }
    }
}

/// How one chosen option stands with one party.
#[derive(Debug, Clone, PartialEq)]
pub struct IssueVerdict {
    /// The issue.
    pub issue: IssueIx,
    /// The chosen option.
    pub option: OptionIx,
    /// The party's verdict on it.
    pub verdict: Verdict,
    /// The position behind the verdict, if the party has one on this option.
    pub position: Option<PositionIx>,
    /// Other options of the issue that the party demands and the package does not choose.
    pub unmet_demands: Vec<(OptionIx, PositionIx)>,
}

/// How a package stands with one party.
#[derive(Debug, Clone, PartialEq)]
pub struct PartyAccount {
    /// The party.
    pub party: PartyIx,
    /// Its utility for the package, in [0, 1].
    pub utility: f64,
    /// Issue by issue.
    pub issues: Vec<IssueVerdict>,
}

/// A chosen package with its scores and explanation.
#[derive(Debug, Clone, PartialEq)]
pub struct BestPackage {
    /// One option per issue.
    pub package: Vec<OptionIx>,
    /// Utility per party, in [`Stances::parties`] order.
    pub utilities: Vec<f64>,
    /// The criterion's value: the Nash product of gains, the smallest gain, the KS spread, the Genius KS
    /// sum of differences, or the welfare.
    pub score: f64,
    /// For each issue, the other feasible options every party values exactly as the chosen one:
    /// swapping any of them in gives an equally good package.
    pub equivalents: Vec<Vec<OptionIx>>,
    /// Party by party, which stances the package meets or crosses.
    pub accounts: Vec<PartyAccount>,
}

/// The Pareto set and the packages the bargaining solutions pick from it.
#[derive(Debug, Clone, PartialEq)]
pub struct BestPackages {
    /// Number of distinct utility vectors on the Pareto frontier of rational feasible packages.
    pub pareto_size: usize,
    /// The package maximising the product of gains over the disagreement point.
    pub nash: Option<BestPackage>,
    /// The package maximising the smallest gain (egalitarian); ties broken by the next smallest, and so on.
    pub maximin: Option<BestPackage>,
    /// The Kalai–Smorodinsky package (NegMAS definition: equal shares of each party's possible gain).
    pub ks: Option<BestPackage>,
    /// The Kalai–Smorodinsky package under Genius's definition (least sum of pairwise utility differences).
    pub ks_genius: Option<BestPackage>,
    /// The package maximising the sum of utilities.
    pub utilitarian: Option<BestPackage>,
    /// Each party's disagreement point, in [`Stances::parties`] order.
    pub disagreement: Vec<f64>,
}

impl BestPackages {
    /// Computes the Pareto set over the feasible packages (`open` options per issue) and the bargaining solutions.
    ///
    /// Disagreement points are the reservation values; a party without one gets 0, the utility of crossing
    /// its red lines by default: no deal is taken to be as bad as that.
    pub fn new(
        scenario: &Scenario,
        stances: &Stances,
        utilities: &[StanceUtilities],
        open: &[Vec<Vec<OptionIx>>],
    ) -> BestPackages {
        let model = numeric_model(scenario, stances, utilities, open);
        let result = bargain(&model, Disagreement::Reservation);
        let pick = |concept: SolutionConcept| -> Option<BestPackage> {
            let selected = result.selected(concept);
            let (_, _, score) = result.solutions.iter().find(|(c, _, _)| *c == concept)?;
            // Among tied points, the leximin-best one (then frontier order) is shown.
            let best = selected.iter().copied().max_by(|&a, &b| {
                let mut ua = result.frontier.points[a].utilities.clone();
                let mut ub = result.frontier.points[b].utilities.clone();
                ua.sort_by(f64::total_cmp);
                ub.sort_by(f64::total_cmp);
                leximin_cmp(&ua, &ub).then(b.cmp(&a))
            })?;
            let point = &result.frontier.points[best];
            Some(explain(
                scenario,
                stances,
                &model,
                &point.package,
                &point.utilities,
                score.unwrap_or(f64::NAN),
            ))
        };
        let disagreement =
            crate::bargaining::bargaining_ranges(&result.ranges, &result.reservation, result.rule)
                .iter()
                .map(|(d, _)| *d)
                .collect();
        BestPackages {
            pareto_size: result.frontier.points.len(),
            nash: pick(SolutionConcept::Nash),
            maximin: pick(SolutionConcept::Egalitarian),
            ks: pick(SolutionConcept::KalaiSmorodinsky),
            ks_genius: pick(SolutionConcept::KalaiSmorodinskyGenius),
            utilitarian: pick(SolutionConcept::Utilitarian),
            disagreement,
        }
    }
}

fn leximin_cmp(a: &[f64], b: &[f64]) -> std::cmp::Ordering {
    a.iter()
        .zip(b)
        .map(|(x, y)| x.total_cmp(y))
        .find(|o| o.is_ne())
        .unwrap_or(std::cmp::Ordering::Equal)
}

/// Explains any package of `model` party by party, as the best packages are explained: `chosen` holds one
/// option index per problem issue, `utilities` the reported utility to each party, `score` whatever the
/// caller ranks it by. A negotiation's agreement is cited this way.
pub fn explain_package(
    scenario: &Scenario,
    stances: &Stances,
    model: &NumericModel,
    chosen: &[u32],
    utilities: &[f64],
    score: f64,
) -> BestPackage {
    explain(scenario, stances, model, chosen, utilities, score)
}

fn explain(
    scenario: &Scenario,
    stances: &Stances,
    model: &NumericModel,
    chosen: &[u32],
    utilities: &[f64],
    score: f64,
) -> BestPackage {
    let d = stances.parties.len();
    // The chosen combination of each group, with, for single-issue groups, the options every party values
    // exactly as the chosen one: equally good swaps.
    let mut per_issue: Vec<(OptionIx, Vec<OptionIx>)> = Vec::new();
    for (g, &k) in chosen.iter().enumerate() {
        let combos = &model.options[g];
        let table = &model.problem.issues[g];
        let combo = &combos[k as usize];
        let equivalents: Vec<OptionIx> = if combo.len() == 1 {
            let row = table.row(k as usize, d);
            (0..combos.len())
                .filter(|&j| j != k as usize && table.row(j, d) == row)
                .map(|j| combos[j][0])
                .collect()
        } else {
            Vec::new()
        };
        for (i, &o) in combo.iter().enumerate() {
            per_issue.push((o, if i == 0 { equivalents.clone() } else { Vec::new() }));
        }
    }
    per_issue.sort_by_key(|(o, _)| scenario.option(*o).issue);
    let package: Vec<OptionIx> = per_issue.iter().map(|(o, _)| *o).collect();
    let equivalents: Vec<Vec<OptionIx>> = per_issue.into_iter().map(|(_, e)| e).collect();
    let accounts = stances
        .parties
        .iter()
        .enumerate()
        .map(|(slot, &party)| PartyAccount {
            party,
            utility: utilities[slot],
            issues: package
                .iter()
                .map(|&option| {
                    let issue = scenario.option(option).issue;
                    let stance = stances.stance(scenario, slot, option);
                    // A party that demands several options of an issue is satisfied by any one of them.
                    let unmet_demands = stances
                        .demands(scenario, slot, issue)
                        .into_iter()
                        .filter(|_| stance != Some(Stance::Demanded))
                        .filter_map(|d| stances.position(slot, d).map(|p| (d, p)))
                        .collect();
                    IssueVerdict {
                        issue,
                        option,
                        verdict: Verdict::of(stance),
                        position: stances.position(slot, option),
                        unmet_demands,
                    }
                })
                .collect(),
        })
        .collect();
    BestPackage {
        package: package.to_vec(),
        utilities: utilities.to_vec(),
        score,
        equivalents,
        accounts,
    }
}
