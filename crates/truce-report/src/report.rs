//! The analysis report: a stable, documented JSON form, from which the text and Markdown forms are also rendered.
//!
//! The JSON Schema is generated from these types (`truce schema analysis`) and committed as
//! `docs/schema/analysis.schema.json`; a test keeps the two in sync and validates real output against it.
//! Counts of packages and of concession sets are decimal strings, because they outgrow JSON's exact integers.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use truce_scenario::{DatePrecision, PositionIx, Scenario};
use truce_table::{
    Analysis, BestPackage, Constraint, Constraints, ReadingAnalysis, StanceUtilities,
    TimelinePoint, describe_relaxation, explain_alternative,
};

/// The identifier of the report format, bumped on any incompatible change.
pub const ANALYSIS_SCHEMA_ID: &str = "truce.analysis/1";
/// The identifier of the timeline format.
pub const TIMELINE_SCHEMA_ID: &str = "truce.timeline/1";

/// The analysis of a scenario under every reading.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AnalysisReport {
    /// Always `truce.analysis/1`.
    pub schema: String,
    /// The scenario analysed.
    pub scenario: ScenarioInfo,
    /// The date replayed (`--as-of`), or null for every position on file.
    pub as_of: Option<String>,
    /// Positions dated on or before `as_of` (every position on file without it).
    pub positions_known: usize,
    /// Which statements are flagged stale: those made more than `after_days` before `reference`.
    pub staleness: Staleness,
    /// What the reader must know before trusting the answer (for example: no position known yet).
    pub warnings: Vec<String>,
    /// "What if": the hard constraints switched off in every reading, by key (empty for the analysis
    /// as the positions stand).
    pub relaxed: Vec<String>,
    /// The parties at the table.
    pub parties: Vec<PartyInfo>,
    /// One entry per reading: `red_lines`, `strict`, `pessimistic`.
    pub readings: Vec<ReadingReport>,
    /// Robustness sampling (`--robust N`), or null.
    pub robustness: Option<RobustnessReport>,
    /// For a mediator's confidential analysis only (absent otherwise): which parties' confidential
    /// submissions it used, and which no longer apply to this version of the scenario and why.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub submissions: Option<SubmissionsReport>,
}

/// The parties' confidential submissions a confidential analysis rests on.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SubmissionsReport {
    /// Parties whose latest submission replaced their preferences, by id.
    pub applied: Vec<String>,
    /// Latest submissions that do not apply to this version (an option renamed or removed since, a
    /// party no longer at the table): the analysis used the scenario's own numbers for those parties.
    pub not_applied: Vec<StaleSubmission>,
}

/// A confidential submission that does not apply to the version analysed.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StaleSubmission {
    /// The party, by id.
    pub party: String,
    /// The submission's number.
    pub submission: i64,
    /// Why it does not apply: the checker's messages, each naming the field.
    pub reasons: Vec<String>,
}

/// The rule that flags a statement as stale.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Staleness {
    /// A statement older than this many days, counted back from `reference`, is stale.
    pub after_days: u32,
    /// The date counted from: `as_of`, or the latest statement on file (YYYY-MM-DD); null when there is none.
    pub reference: Option<String>,
}

/// A statement older than this many days before the date analysed is flagged stale: a party may well
/// have moved since.
pub const STALE_AFTER_DAYS: u32 = 365;

/// How the answer holds up when what is unknown is sampled.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RobustnessReport {
    /// Number of draws.
    pub draws: u64,
    /// Seed of the run: the same seed gives the same report.
    pub seed: u64,
    /// Probability that an unknown stance was drawn as a red line.
    pub unknown_red_line: f64,
    /// What each draw samples, in words.
    pub method: String,
    /// Share of draws with at least one feasible package.
    pub feasible_share: f64,
    /// Per issue, the share of draws in which it was blocked (issues never blocked are left out).
    pub blocked: Vec<BlockedShare>,
    /// The packages that were most often the Nash package.
    pub nash: Vec<FrequencyReport>,
    /// The packages most often on the Pareto frontier.
    pub frontier: Vec<FrequencyReport>,
    /// Number of distinct packages seen on some frontier.
    pub frontier_distinct: usize,
}

/// How often an issue was blocked.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BlockedShare {
    /// Issue id.
    pub issue: String,
    /// Share of draws.
    pub share: f64,
}

/// How often a package did well.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FrequencyReport {
    /// Option ids, one per issue.
    pub package: Vec<String>,
    /// Share of draws in which it was the Nash package.
    pub nash: f64,
    /// Share of draws in which it was on the Pareto frontier.
    pub frontier: f64,
    /// Share of draws in which it was feasible.
    pub feasible: f64,
}

/// The report of a robustness run.
pub fn robustness_report(scenario: &Scenario, r: &truce_table::Robustness) -> RobustnessReport {
    let n = r.options.draws.max(1) as f64;
    let freq = |f: &truce_table::PackageFrequency| FrequencyReport {
        package: f.package.iter().map(|o| scenario.option(*o).id.clone()).collect(),
        nash: f.nash as f64 / n,
        frontier: f.frontier as f64 / n,
        feasible: f.feasible as f64 / n,
    };
    RobustnessReport {
        draws: r.options.draws,
        seed: r.options.seed,
        unknown_red_line: r.options.unknown_red_line,
        method: format!(
            "red-lines reading; each unknown stance is a red line with probability {}, otherwise a utility uniform between the party's opposed and acceptable utilities; parties without explicit weights get issue weights from Dirichlet(1)",
            r.options.unknown_red_line
        ),
        feasible_share: r.feasible_draws as f64 / n,
        blocked: r
            .blocked
            .iter()
            .enumerate()
            .filter(|(_, b)| **b > 0)
            .map(|(i, b)| BlockedShare {
                issue: scenario.issues[i].id.clone(),
                share: *b as f64 / n,
            })
            .collect(),
        nash: r.nash.iter().map(freq).collect(),
        frontier: r.frontier.iter().map(freq).collect(),
        frontier_distinct: r.frontier_distinct,
    }
}

/// Which scenario, and how big it is.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScenarioInfo {
    /// The file analysed.
    pub file: String,
    /// Its title.
    pub title: Option<String>,
    /// Number of issues.
    pub issues: usize,
    /// Number of options over all issues.
    pub options: usize,
    /// Number of positions on file (all parties, all dates).
    pub positions: usize,
}

/// A party at the table and the utilities its stances map to.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PartyInfo {
    /// Party id.
    pub id: String,
    /// Full name.
    pub name: String,
    /// Stance → utility, after scenario and party overrides.
    pub stance_utilities: UtilitiesInfo,
}

/// Stance utilities.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UtilitiesInfo {
    /// Demanded.
    pub demanded: f64,
    /// Acceptable.
    pub acceptable: f64,
    /// Unknown.
    pub unknown: f64,
    /// No position on file.
    pub no_position: f64,
    /// Opposed.
    pub opposed: f64,
    /// Red line (used only where red lines are relaxed).
    pub red_line: f64,
}

/// The analysis of one reading.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReadingReport {
    /// Which reading.
    pub reading: ReadingName,
    /// What the reading holds hard.
    pub description: String,
    /// Number of hard constraints under this reading.
    pub hard_constraints: usize,
    /// Every package, feasible or not (decimal string).
    pub total_packages: String,
    /// Packages that violate no hard constraint (decimal string).
    pub feasible_packages: String,
    /// Whether at least one package is feasible.
    pub feasible: bool,
    /// Issue ids on which every option is excluded.
    pub blocked_issues: Vec<String>,
    /// The pessimistic reading's changes: each stance recorded as unknown that it holds as a red line,
    /// cited (empty under the other readings).
    pub assumed_red_lines: Vec<ConstraintReport>,
    /// The minimal concession sets, factored by blocked group; null when feasible.
    pub concessions: Option<ConcessionsReport>,
    /// Which groups of parties can agree; null when there are too many parties to enumerate.
    pub coalitions: Option<CoalitionsReport>,
    /// The best packages; null when nothing is feasible.
    pub best: Option<BestReport>,
}

/// The family of minimal concession sets: pick one alternative per group.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ConcessionsReport {
    /// How many minimal sets the family holds: the product of the groups' alternative counts (decimal string).
    pub total_sets: String,
    /// The fewest relaxations that open a package.
    pub min_concessions: usize,
    /// The blocked groups of issues, in issue order.
    pub groups: Vec<GroupReport>,
}

/// A blocked group of issues.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GroupReport {
    /// The issue ids of the group.
    pub issues: Vec<String>,
    /// The ranked alternatives: fewest relaxations first, then fewest parties.
    pub alternatives: Vec<AlternativeReport>,
}

/// One minimal way to open a group.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AlternativeReport {
    /// 1 for the best-ranked alternative.
    pub rank: usize,
    /// The constraints relaxed.
    pub relax: Vec<ConstraintReport>,
    /// The party ids that concede.
    pub parties: Vec<String>,
    /// The options (or, for a group of tied issues, combinations `a + b`) that become feasible.
    pub opens: Vec<String>,
    /// The alternative in one sentence.
    pub explanation: String,
}

/// One hard constraint, with the positions it rests on.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ConstraintReport {
    /// Its key, which switches it off in a "what if" (`--relax`, `relax=`): `red_line/PARTY/OPTION`,
    /// `unknown/PARTY/OPTION`, `demand/PARTY/ISSUE` or `rule/PARTY/CONSTRAINT`.
    pub key: String,
    /// The kind of constraint.
    pub kind: ConstraintKind,
    /// Who holds it.
    pub party: String,
    /// The issue it bears on.
    pub issue: String,
    /// For a red line: the excluded option. For a demand: the demanded options.
    pub options: Vec<String>,
    /// What relaxing it means, in words.
    pub relaxation: String,
    /// The positions behind it.
    pub citations: Vec<Citation>,
    /// For a cross-issue constraint: the rule, its source and quote.
    pub rule: Option<RuleReport>,
}

/// A cross-issue constraint as written in the scenario.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleReport {
    /// Constraint id.
    pub id: String,
    /// The rule text.
    pub rule: String,
    /// Source id, if any.
    pub source: Option<String>,
    /// Supporting quote, if any.
    pub quote: Option<String>,
    /// Line of the constraint in the scenario file.
    pub line: u32,
}

/// A position, cited.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Citation {
    /// Party id.
    pub party: String,
    /// Option id.
    pub option: String,
    /// The stance.
    pub stance: String,
    /// Date of the statement (YYYY-MM-DD).
    pub date: String,
    /// `day`, `month` or `year`.
    pub date_precision: String,
    /// Source id.
    pub source: String,
    /// The source's publication.
    pub publication: Option<String>,
    /// The source's URL.
    pub url: Option<String>,
    /// The quote.
    pub quote: String,
    /// `direct`, `paraphrase`, `document_text` or `translated`.
    pub quote_kind: Option<String>,
    /// `explicit` or `inferred`.
    pub basis: String,
    /// The qualifier, if any.
    pub qualifier: Option<String>,
    /// Line of the position in the scenario file.
    pub line: u32,
    /// Made more than [`Staleness::after_days`] before the reference date: the party may have moved since.
    pub stale: bool,
    /// The quote checked against its source's archived text.
    pub quote_check: QuoteCheck,
}

/// A quote checked against its source's archived text (`truce check`, `truce_source::check`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QuoteCheck {
    /// `found` (in the archived text), `near` (not as written; a close passage is), `not_found`, or
    /// `no_archive` (the source has no archived text).
    pub status: String,
    /// The SHA-256 of the archived file it was checked against.
    pub sha256: Option<String>,
    /// The 1-based line of the archived text where the quote, or the closest passage, begins.
    pub line: Option<u32>,
    /// The closest passage, when the quote is not found as written.
    pub closest: Option<String>,
}

impl QuoteCheck {
    /// A quote whose source has no archive.
    pub fn no_archive() -> QuoteCheck {
        QuoteCheck { status: "no_archive".into(), sha256: None, line: None, closest: None }
    }

    /// The document's form of a check.
    pub fn from_check(check: &truce_source::check::CitationCheck) -> QuoteCheck {
        use truce_source::check::Status;
        let (line, closest) = match &check.status {
            Status::Found(f) => (Some(f.line), None),
            Status::Near(p) => (Some(p.line), Some(p.text.clone())),
            Status::NotFound(p) => (p.as_ref().map(|p| p.line), p.as_ref().map(|p| p.text.clone())),
            Status::NoArchive => (None, None),
        };
        QuoteCheck {
            status: check.status.as_str().into(),
            sha256: check.sha256.clone(),
            line,
            closest,
        }
    }
}

/// Marks every citation of `report` with the check of its position's quote (`checks` from
/// `truce_source::check::check` on the same scenario); a citation without one is `no_archive`.
pub fn mark_quotes(
    report: &mut AnalysisReport,
    scenario: &Scenario,
    checks: &[truce_source::check::CitationCheck],
) {
    let by_line: std::collections::HashMap<u32, QuoteCheck> = checks
        .iter()
        .filter_map(|c| match c.cited {
            truce_source::check::Cited::Position(p) => {
                Some((scenario.position(p).line, QuoteCheck::from_check(c)))
            }
            _ => None,
        })
        .collect();
    for_each_citation(report, &mut |c| {
        c.quote_check = by_line.get(&c.line).cloned().unwrap_or_else(QuoteCheck::no_archive);
    });
}

/// Coalitions.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CoalitionsReport {
    /// Whether all parties at the table can agree.
    pub grand_coalition: bool,
    /// The largest coalitions that can agree (party ids).
    pub maximal: Vec<Vec<String>>,
    /// The smallest coalitions that cannot agree (party ids).
    pub minimal_blocking: Vec<Vec<String>>,
}

/// The Pareto set and the bargaining solutions.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BestReport {
    /// Number of distinct utility vectors on the Pareto frontier of feasible (and rational) packages.
    pub pareto_size: usize,
    /// Each party's disagreement point: its reservation value, or 0 when it has none.
    pub disagreement: Vec<f64>,
    /// Whether some feasible package gives every party at least its reservation value. When none
    /// does, the constraints allow a deal that every party would still walk away from.
    pub meets_reservation: bool,
    /// The package maximising the product of gains over the disagreement point.
    pub nash: Option<PackageReport>,
    /// The package maximising the smallest gain over the disagreement point (egalitarian; leximin tie-break).
    pub maximin: Option<PackageReport>,
    /// The Kalai–Smorodinsky package: gains as equal shares of each party's possible gain (NegMAS definition).
    pub ks: Option<PackageReport>,
    /// The Kalai–Smorodinsky package as Genius defines it: least sum of pairwise utility differences.
    pub ks_genius: Option<PackageReport>,
    /// The package maximising the sum of utilities.
    pub utilitarian: Option<PackageReport>,
}

/// A package with its per-party account.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PackageReport {
    /// The criterion's value: the Nash product of gains, the smallest gain, the KS spread of shares,
    /// the Genius KS sum of differences, or the welfare.
    pub score: f64,
    /// One option per issue.
    pub options: Vec<ChosenOption>,
    /// Party by party.
    pub parties: Vec<PartyAccountReport>,
}

/// The option chosen on one issue.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ChosenOption {
    /// Issue id.
    pub issue: String,
    /// Option id.
    pub option: String,
    /// Option label.
    pub label: String,
    /// Other options every party values exactly as this one: equally good swaps.
    pub equivalents: Vec<String>,
}

/// How a package stands with one party.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PartyAccountReport {
    /// Party id.
    pub party: String,
    /// Utility in [0, 1].
    pub utility: f64,
    /// Issue by issue.
    pub issues: Vec<IssueAccount>,
}

/// How one chosen option stands with one party.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IssueAccount {
    /// Issue id.
    pub issue: String,
    /// The chosen option id.
    pub option: String,
    /// How the option stands with the party.
    pub verdict: VerdictName,
    /// The party's position on the chosen option, if any.
    pub citation: Option<Citation>,
    /// The party's demands on this issue that the package does not meet.
    pub unmet_demands: Vec<Citation>,
}

/// How the feasible space evolved.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TimelineReport {
    /// Always `truce.timeline/1`.
    pub schema: String,
    /// The scenario file.
    pub file: String,
    /// The party ids at the table.
    pub parties: Vec<String>,
    /// One point per date.
    pub points: Vec<TimelinePointReport>,
}

/// The state of every reading on one date.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TimelinePointReport {
    /// The date (YYYY-MM-DD).
    pub date: String,
    /// Positions known by then.
    pub positions_known: usize,
    /// One entry per reading.
    pub readings: Vec<TimelineReadingReport>,
}

/// One reading on one date.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TimelineReadingReport {
    /// The reading.
    pub reading: ReadingName,
    /// Feasible packages (decimal string).
    pub feasible_packages: String,
    /// Blocked issue ids.
    pub blocked_issues: Vec<String>,
    /// The fewest concessions that open a package.
    pub min_concessions: usize,
    /// How many minimal concession sets there are (decimal string).
    pub concession_sets: String,
}

/// The name of a reading.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReadingName {
    /// Only red lines are hard.
    RedLines,
    /// Red lines and current demands are hard.
    Strict,
    /// Red lines and unknown stances are hard.
    Pessimistic,
}

impl ReadingName {
    /// The name as written in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            ReadingName::RedLines => "red_lines",
            ReadingName::Strict => "strict",
            ReadingName::Pessimistic => "pessimistic",
        }
    }
}

impl From<truce_table::Reading> for ReadingName {
    fn from(r: truce_table::Reading) -> Self {
        match r {
            truce_table::Reading::RedLines => ReadingName::RedLines,
            truce_table::Reading::Strict => ReadingName::Strict,
            truce_table::Reading::Pessimistic => ReadingName::Pessimistic,
        }
    }
}

/// The kind of a hard constraint.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ConstraintKind {
    /// A red line on one option.
    RedLine,
    /// An unknown stance read as a red line.
    UnknownAsRedLine,
    /// A demand on an issue: one of the demanded options must be chosen.
    Demand,
    /// A cross-issue constraint held by the party.
    Cross,
}

/// How a chosen option stands with a party.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum VerdictName {
    /// The party demands it.
    MeetsDemand,
    /// The party accepts it.
    Accepted,
    /// The party has no position on it.
    NoPosition,
    /// The party's stance is unknown.
    Unknown,
    /// The party opposes it.
    CrossesOpposition,
    /// The party calls it a red line.
    CrossesRedLine,
}

impl VerdictName {
    /// The name as written in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            VerdictName::MeetsDemand => "meets_demand",
            VerdictName::Accepted => "accepted",
            VerdictName::NoPosition => "no_position",
            VerdictName::Unknown => "unknown",
            VerdictName::CrossesOpposition => "crosses_opposition",
            VerdictName::CrossesRedLine => "crosses_red_line",
        }
    }
}

impl From<truce_table::Verdict> for VerdictName {
    fn from(v: truce_table::Verdict) -> Self {
        match v {
            truce_table::Verdict::MeetsDemand => VerdictName::MeetsDemand,
            truce_table::Verdict::Accepted => VerdictName::Accepted,
            truce_table::Verdict::NoPosition => VerdictName::NoPosition,
            truce_table::Verdict::Unknown => VerdictName::Unknown,
            truce_table::Verdict::CrossesOpposition => VerdictName::CrossesOpposition,
            truce_table::Verdict::CrossesRedLine => VerdictName::CrossesRedLine,
        }
    }
}

/// Cites the position at `ix`.
pub fn citation(scenario: &Scenario, ix: PositionIx) -> Citation {
    let p = scenario.position(ix);
    let source = scenario.source(p.source);
    Citation {
        party: scenario.party(p.party).id.clone(),
        option: scenario.option(p.option).id.clone(),
        stance: p.stance.to_string(),
        date: p.date.to_string(),
        date_precision: match p.date_precision {
            DatePrecision::Day => "day",
            DatePrecision::Month => "month",
            DatePrecision::Year => "year",
        }
        .to_string(),
        source: source.id.clone(),
        publication: source.publication.clone(),
        url: source.url.clone(),
        quote: p.quote.clone(),
        quote_kind: p.quote_kind.map(|k| k.to_string()),
        basis: p.basis.to_string(),
        qualifier: p.qualifier.map(|q| q.to_string()),
        line: p.line,
        stale: false,
        quote_check: QuoteCheck::no_archive(),
    }
}

fn utilities_info(u: &StanceUtilities) -> UtilitiesInfo {
    UtilitiesInfo {
        demanded: u.demanded,
        acceptable: u.acceptable,
        unknown: u.unknown,
        no_position: u.no_position,
        opposed: u.opposed,
        red_line: u.red_line,
    }
}

fn constraint_report(scenario: &Scenario, constraint: &Constraint) -> ConstraintReport {
    let (kind, options) = match constraint {
        Constraint::RedLine { option, .. } => (ConstraintKind::RedLine, vec![*option]),
        Constraint::UnknownAsRedLine { option, .. } => {
            (ConstraintKind::UnknownAsRedLine, vec![*option])
        }
        Constraint::Demand { options, .. } => (ConstraintKind::Demand, options.clone()),
        Constraint::Cross { .. } => (ConstraintKind::Cross, Vec::new()),
    };
    ConstraintReport {
        key: constraint.key(scenario),
        kind,
        party: scenario.party(constraint.party()).id.clone(),
        issue: scenario.issue(constraint.issue(scenario)).id.clone(),
        options: options.iter().map(|o| scenario.option(*o).id.clone()).collect(),
        relaxation: describe_relaxation(scenario, constraint),
        citations: constraint.positions().iter().map(|&p| citation(scenario, p)).collect(),
        rule: match constraint {
            Constraint::Cross { constraint, .. } => {
                let c = &scenario.constraints[*constraint];
                Some(RuleReport {
                    id: c.id.clone(),
                    rule: c.rule.clone(),
                    source: c.source.map(|s| scenario.source(s).id.clone()),
                    quote: c.quote.clone(),
                    line: c.line,
                })
            }
            _ => None,
        },
    }
}

pub(crate) fn package_report(scenario: &Scenario, package: &BestPackage) -> PackageReport {
    PackageReport {
        score: package.score,
        options: package
            .package
            .iter()
            .zip(&package.equivalents)
            .map(|(&o, equivalents)| {
                let option = scenario.option(o);
                ChosenOption {
                    issue: scenario.issue(option.issue).id.clone(),
                    option: option.id.clone(),
                    label: option.label.clone(),
                    equivalents: equivalents
                        .iter()
                        .map(|e| scenario.option(*e).id.clone())
                        .collect(),
                }
            })
            .collect(),
        parties: package
            .accounts
            .iter()
            .map(|account| PartyAccountReport {
                party: scenario.party(account.party).id.clone(),
                utility: account.utility,
                issues: account
                    .issues
                    .iter()
                    .map(|v| IssueAccount {
                        issue: scenario.issue(v.issue).id.clone(),
                        option: scenario.option(v.option).id.clone(),
                        verdict: v.verdict.into(),
                        citation: v.position.map(|p| citation(scenario, p)),
                        unmet_demands: v
                            .unmet_demands
                            .iter()
                            .map(|&(_, p)| citation(scenario, p))
                            .collect(),
                    })
                    .collect(),
            })
            .collect(),
    }
}

fn reading_report(scenario: &Scenario, r: &ReadingAnalysis) -> ReadingReport {
    let ids = |parties: &[truce_scenario::PartyIx]| {
        parties.iter().map(|p| scenario.party(*p).id.clone()).collect()
    };
    let constraints: &Constraints = &r.constraints;
    ReadingReport {
        reading: r.reading.into(),
        description: r.reading.describe().to_string(),
        hard_constraints: constraints.all.len(),
        total_packages: r.feasibility.total_packages.to_string(),
        feasible_packages: r.feasibility.feasible_packages.to_string(),
        feasible: r.feasibility.is_feasible(),
        blocked_issues: r
            .feasibility
            .blocked_issues
            .iter()
            .map(|i| scenario.issue(*i).id.clone())
            .collect(),
        assumed_red_lines: constraints
            .all
            .iter()
            .filter(|c| matches!(c, Constraint::UnknownAsRedLine { .. }))
            .map(|c| constraint_report(scenario, c))
            .collect(),
        concessions: r.concessions.as_ref().map(|family| ConcessionsReport {
            total_sets: family.total_sets.to_string(),
            min_concessions: family.min_concessions,
            groups: family
                .groups
                .iter()
                .map(|g| GroupReport {
                    issues: g.issues.iter().map(|i| scenario.issue(*i).id.clone()).collect(),
                    alternatives: g
                        .alternatives
                        .iter()
                        .enumerate()
                        .map(|(rank, a)| AlternativeReport {
                            rank: rank + 1,
                            relax: a
                                .relax
                                .iter()
                                .map(|&c| constraint_report(scenario, constraints.get(c)))
                                .collect(),
                            parties: ids(&a.parties),
                            opens: a
                                .opens
                                .iter()
                                .map(|combo| truce_table::combo_label(scenario, combo))
                                .collect(),
                            explanation: explain_alternative(scenario, constraints, a),
                        })
                        .collect(),
                })
                .collect(),
        }),
        coalitions: r.coalitions.as_ref().map(|c| CoalitionsReport {
            grand_coalition: c.grand_coalition_feasible,
            maximal: c.maximal.iter().map(|m| ids(m)).collect(),
            minimal_blocking: c.minimal_blocking.iter().map(|m| ids(m)).collect(),
        }),
        best: r.best.as_ref().map(|b| BestReport {
            pareto_size: b.pareto_size,
            disagreement: b.disagreement.clone(),
            meets_reservation: b.pareto_size > 0,
            nash: b.nash.as_ref().map(|p| package_report(scenario, p)),
            maximin: b.maximin.as_ref().map(|p| package_report(scenario, p)),
            ks: b.ks.as_ref().map(|p| package_report(scenario, p)),
            ks_genius: b.ks_genius.as_ref().map(|p| package_report(scenario, p)),
            utilitarian: b.utilitarian.as_ref().map(|p| package_report(scenario, p)),
        }),
    }
}

/// The report of `analysis` over `scenario`.
pub fn analysis_report(scenario: &Scenario, analysis: &Analysis) -> AnalysisReport {
    let as_of = analysis.stances.as_of;
    let known: Vec<&truce_scenario::Position> =
        scenario.positions.iter().filter(|p| as_of.is_none_or(|d| p.date <= d)).collect();
    let reference = as_of.or_else(|| known.iter().map(|p| p.date).max());
    let mut warnings = Vec::new();
    // An imported domain holds utilities, not positions: only a replay that lands before every
    // statement on file is empty for want of positions.
    if let (Some(d), true, Some(first)) =
        (as_of, known.is_empty(), scenario.positions.iter().map(|p| p.date).min())
    {
        warnings.push(format!(
            "No position is known on or before {d}: the earliest on file is dated {first}. Every package looks open only because nobody had spoken yet."
        ));
    }
    let mut report = AnalysisReport {
        schema: ANALYSIS_SCHEMA_ID.to_string(),
        scenario: ScenarioInfo {
            file: scenario.file.clone(),
            title: scenario.meta.title.clone(),
            issues: scenario.issues.len(),
            options: scenario.options.len(),
            positions: scenario.positions.len(),
        },
        as_of: as_of.map(|d| d.to_string()),
        positions_known: known.len(),
        staleness: Staleness {
            after_days: STALE_AFTER_DAYS,
            reference: reference.map(|d| d.to_string()),
        },
        warnings,
        relaxed: analysis.relaxed.clone(),
        parties: analysis
            .stances
            .parties
            .iter()
            .zip(&analysis.utilities)
            .map(|(&p, u)| PartyInfo {
                id: scenario.party(p).id.clone(),
                name: scenario.party(p).name.clone(),
                stance_utilities: utilities_info(u),
            })
            .collect(),
        readings: analysis.readings.iter().map(|r| reading_report(scenario, r)).collect(),
        robustness: None,
        submissions: None,
    };
    if let Some(reference) = reference {
        let stale = |date: &str| {
            date.parse::<truce_scenario::Date>()
                .ok()
                .is_some_and(|d| (reference - d).get_days() > STALE_AFTER_DAYS as i32)
        };
        for_each_citation(&mut report, &mut |c| c.stale = stale(&c.date));
    }
    report
}

/// Calls `f` on every citation of `report`.
fn for_each_citation(report: &mut AnalysisReport, f: &mut dyn FnMut(&mut Citation)) {
    let constraint = |c: &mut ConstraintReport, f: &mut dyn FnMut(&mut Citation)| {
        c.citations.iter_mut().for_each(&mut *f)
    };
    for r in &mut report.readings {
        for c in &mut r.assumed_red_lines {
            constraint(c, f);
        }
        for g in r.concessions.iter_mut().flat_map(|c| &mut c.groups) {
            for c in g.alternatives.iter_mut().flat_map(|a| &mut a.relax) {
                constraint(c, f);
            }
        }
        if let Some(b) = &mut r.best {
            for p in [&mut b.nash, &mut b.maximin, &mut b.ks, &mut b.ks_genius, &mut b.utilitarian]
                .into_iter()
                .flatten()
            {
                for issue in p.parties.iter_mut().flat_map(|a| &mut a.issues) {
                    issue.citation.iter_mut().for_each(&mut *f);
                    issue.unmet_demands.iter_mut().for_each(&mut *f);
                }
            }
        }
    }
}

/// The report of a timeline.
pub fn timeline_report(
    scenario: &Scenario,
    parties: &[truce_scenario::PartyIx],
    points: &[TimelinePoint],
) -> TimelineReport {
    TimelineReport {
        schema: TIMELINE_SCHEMA_ID.to_string(),
        file: scenario.file.clone(),
        parties: parties.iter().map(|p| scenario.party(*p).id.clone()).collect(),
        points: points
            .iter()
            .map(|point| TimelinePointReport {
                date: point.date.to_string(),
                positions_known: point.positions_known,
                readings: point
                    .readings
                    .iter()
                    .map(|r| TimelineReadingReport {
                        reading: r.reading.into(),
                        feasible_packages: r.feasible_packages.to_string(),
                        blocked_issues: r
                            .blocked_issues
                            .iter()
                            .map(|i| scenario.issue(*i).id.clone())
                            .collect(),
                        min_concessions: r.min_concessions,
                        concession_sets: r.concession_sets.to_string(),
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// The identifier of the frontier-plot format.
pub const FRONTIER_SCHEMA_ID: &str = "truce.frontier/1";

/// The Pareto set as a pair or triple of parties sees it (see [`truce_table::frontier_view`]).
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FrontierReport {
    /// Always `truce.frontier/1`.
    pub schema: String,
    /// The scenario file.
    pub file: String,
    /// The reading.
    pub reading: ReadingName,
    /// The parties shown (ids), in axis order.
    pub parties: Vec<String>,
    /// Size of the whole table's Pareto set, before projection.
    pub pareto_size: usize,
    /// Each projected point, by decreasing sum of the shown parties' utilities.
    pub points: Vec<FrontierPointReport>,
    /// The whole table's bargaining solutions, projected.
    pub solutions: Vec<FrontierSolutionReport>,
    /// The shown parties' disagreement points.
    pub disagreement: Vec<f64>,
}

/// One projected point of the frontier.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FrontierPointReport {
    /// Utility to each shown party.
    pub utilities: Vec<f64>,
    /// Whether no other point is at least as good for each shown party and better for one.
    pub efficient: bool,
    /// Packages of the whole frontier that project here (saturating).
    pub packages: u64,
    /// One of them: option ids, one per issue.
    pub package: Vec<String>,
}

/// A bargaining solution, projected.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FrontierSolutionReport {
    /// `nash`, `ks`, `egalitarian` or `utilitarian`.
    pub concept: String,
    /// Utility to each shown party.
    pub utilities: Vec<f64>,
}

/// The frontier report for `parties` (two or three) under `reading`, from `analysis`, an analysis of
/// `scenario` with those parties at the table. The error says what was expected.
pub fn frontier_for(
    scenario: &Scenario,
    analysis: &Analysis,
    parties: &[truce_scenario::PartyIx],
    reading: truce_table::Reading,
) -> Result<FrontierReport, String> {
    if !(2..=3).contains(&parties.len()) {
        return Err(format!("a frontier plot shows 2 or 3 parties, not {}", parties.len()));
    }
    let slots = parties
        .iter()
        .map(|p| {
            analysis.stances.parties.iter().position(|q| q == p).ok_or_else(|| {
                format!("{} is not at the table of this analysis", scenario.party(*p).id)
            })
        })
        .collect::<Result<Vec<usize>, String>>()?;
    let r = truce_table::Reading::ALL.iter().position(|x| *x == reading).unwrap_or(0);
    let view = truce_table::frontier_view(scenario, analysis, r, &slots).ok_or_else(|| {
        format!(
            "no package is feasible under the {} reading: see the analysis for the concessions that would open one",
            ReadingName::from(reading).as_str()
        )
    })?;
    Ok(frontier_report(scenario, analysis, &view, reading))
}

/// The report of a frontier view.
pub fn frontier_report(
    scenario: &Scenario,
    analysis: &Analysis,
    view: &truce_table::FrontierView,
    reading: truce_table::Reading,
) -> FrontierReport {
    FrontierReport {
        schema: FRONTIER_SCHEMA_ID.to_string(),
        file: scenario.file.clone(),
        reading: reading.into(),
        parties: view
            .slots
            .iter()
            .map(|&s| scenario.party(analysis.stances.parties[s]).id.clone())
            .collect(),
        pareto_size: view.pareto_size,
        points: view
            .points
            .iter()
            .map(|p| FrontierPointReport {
                utilities: p.utilities.clone(),
                efficient: p.efficient,
                packages: p.packages,
                package: p.package.iter().map(|o| scenario.option(*o).id.clone()).collect(),
            })
            .collect(),
        solutions: view
            .solutions
            .iter()
            .map(|(c, u)| FrontierSolutionReport {
                concept: c.as_str().to_string(),
                utilities: u.clone(),
            })
            .collect(),
        disagreement: view.disagreement.clone(),
    }
}
