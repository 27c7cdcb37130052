//! The best feasible packages: Nash product and maximin, with a per-party account of each.

use truce_scenario::{IssueIx, OptionIx, PartyIx, PositionIx, Scenario, Stance};

use crate::pareto::{FrontierPoint, IssueChoices, pareto_set};
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
    /// The criterion's value: the Nash product, or the minimum utility.
    pub score: f64,
    /// For each issue, the other feasible options every party values exactly as the chosen one:
    /// swapping any of them in gives an equally good package.
    pub equivalents: Vec<Vec<OptionIx>>,
    /// Party by party, which stances the package meets or crosses.
    pub accounts: Vec<PartyAccount>,
}

/// The Pareto set and the packages the bargaining criteria pick from it.
#[derive(Debug, Clone, PartialEq)]
pub struct BestPackages {
    /// Number of distinct utility vectors on the Pareto frontier.
    pub pareto_size: usize,
    /// The package maximising the product of utilities (disagreement point: utility 0 for everyone).
    pub nash: Option<BestPackage>,
    /// The package maximising the smallest utility; ties broken by the next smallest, and so on (leximin).
    pub maximin: Option<BestPackage>,
}

/// Per-issue utility contributions: the weight of every issue is 1 / number of issues.
pub(crate) fn issue_choices(
    scenario: &Scenario,
    stances: &Stances,
    utilities: &[StanceUtilities],
    open: &[Vec<OptionIx>],
) -> Vec<IssueChoices> {
    let weight = 1.0 / scenario.issues.len().max(1) as f64;
    open.iter()
        .map(|options| {
            options
                .iter()
                .map(|&o| {
                    let vector = (0..stances.parties.len())
                        .map(|slot| weight * utilities[slot].of(stances.stance(scenario, slot, o)))
                        .collect();
                    (o, vector)
                })
                .collect()
        })
        .collect()
}

impl BestPackages {
    /// Computes the Pareto set over the feasible packages (`open` options per issue) and picks from it.
    pub fn new(
        scenario: &Scenario,
        stances: &Stances,
        utilities: &[StanceUtilities],
        open: &[Vec<OptionIx>],
    ) -> BestPackages {
        let choices = issue_choices(scenario, stances, utilities, open);
        let frontier = pareto_set(&choices, stances.parties.len());
        let nash = frontier
            .iter()
            .filter(|p| p.utilities.iter().all(|&u| u > 0.0))
            .map(|p| (p.utilities.iter().map(|u| u.ln()).sum::<f64>(), p))
            .fold(None, |best: Option<(f64, &FrontierPoint)>, (score, p)| match best {
                Some((s, _)) if s >= score => best,
                _ => Some((score, p)),
            })
            .map(|(log_product, p)| explain(scenario, stances, &choices, p, log_product.exp()));
        let maximin = frontier
            .iter()
            .map(|p| {
                let mut sorted = p.utilities.clone();
                sorted.sort_by(f64::total_cmp);
                (sorted, p)
            })
            .fold(None, |best: Option<(Vec<f64>, &FrontierPoint)>, (key, p)| match best {
                Some((ref k, _)) if leximin_cmp(k, &key) != std::cmp::Ordering::Less => best,
                _ => Some((key, p)),
            })
            .map(|(key, p)| {
                explain(scenario, stances, &choices, p, key.first().copied().unwrap_or(0.0))
            });
        BestPackages { pareto_size: frontier.len(), nash, maximin }
    }
}

fn leximin_cmp(a: &[f64], b: &[f64]) -> std::cmp::Ordering {
    a.iter()
        .zip(b)
        .map(|(x, y)| x.total_cmp(y))
        .find(|o| o.is_ne())
        .unwrap_or(std::cmp::Ordering::Equal)
}

fn explain(
    scenario: &Scenario,
    stances: &Stances,
    choices: &[IssueChoices],
    point: &FrontierPoint,
    score: f64,
) -> BestPackage {
    let equivalents = point
        .package
        .iter()
        .zip(choices)
        .map(|(&chosen, issue_choices)| {
            let chosen_vector = issue_choices.iter().find(|(o, _)| *o == chosen).map(|(_, v)| v);
            issue_choices
                .iter()
                .filter(|(o, v)| *o != chosen && Some(v) == chosen_vector)
                .map(|(o, _)| *o)
                .collect()
        })
        .collect();
    let accounts = stances
        .parties
        .iter()
        .enumerate()
        .map(|(slot, &party)| PartyAccount {
            party,
            utility: point.utilities[slot],
            issues: point
                .package
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
        package: point.package.clone(),
        utilities: point.utilities.clone(),
        score,
        equivalents,
        accounts,
    }
}
