//! The `truce.simulation/1` document: built from a played rehearsal ([`document`]), kept within
//! [`MAX_DOCUMENT_BYTES`] of compact JSON.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use truce_scenario::Scenario;
use truce_sim::{Action, AgentSpec, Outcome, Protocol, Rehearsal, ScenarioSetting, TraceBudget};

use crate::report::{PackageReport, ReadingName, package_report};
use crate::simulation::{ActionName, EndName, ProtocolName};

/// The schema id of [`SimulationReport`].
pub const SIMULATION_SCHEMA_ID: &str = "truce.simulation/1";

/// Rehearsals of one scenario: one run per protocol (and agent line-up) asked for.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SimulationReport {
    /// Always `truce.simulation/1`.
    pub schema: String,
    /// The scenario file or folder.
    pub file: String,
    /// The scenario's title.
    pub title: String,
    /// The reading whose hard constraints bound every package.
    pub reading: ReadingName,
    /// The parties at the table (ids), in seat order: the first moves first. Every utility vector of the
    /// document (`nash`, a run's `utilities`, a move's `utilities`) lists one value per party in this
    /// order; `seats` and a run's `seats` name each party beside its figures.
    pub parties: Vec<String>,
    /// Each party's own figures, in seat order.
    pub seats: Vec<SeatReport>,
    /// The deadline, in rounds.
    pub deadline: u32,
    /// The seed.
    pub seed: u64,
    /// Packages that respect the reading's hard constraints: the negotiation's space (a decimal string:
    /// it can exceed every integer type).
    pub packages: String,
    /// Size of the Pareto set of rational packages.
    pub pareto_size: usize,
    /// Whether every party's utilities were inverted exactly (otherwise to within a documented grid).
    pub exact: bool,
    /// The Nash point's utilities (the first when tied), for reference, in the order of `parties`.
    pub nash: Option<Vec<f64>>,
    /// The most moves any run's `trace` keeps in this document: `truce_sim::TRACE_LIMIT`, or fewer
    /// when the whole document would otherwise exceed [`MAX_DOCUMENT_BYTES`].
    pub trace_limit: usize,
    /// The runs.
    pub runs: Vec<RunReport>,
}

/// One party at the table and its own figures.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SeatReport {
    /// The party (id).
    pub party: String,
    /// Its turn: 1 moves first.
    pub turn: usize,
    /// Its reservation value; `null` when it has none.
    pub reservation: Option<f64>,
    /// Its smallest utility over the packages (raised to its reservation value when that is higher).
    pub min: f64,
    /// Its largest utility over the packages.
    pub max: f64,
    /// Its utility at the Nash point (the first when tied); `null` when the Pareto set is empty.
    pub nash: Option<f64>,
    /// Its utility at the Kalai–Smorodinsky point (the first when tied).
    pub ks: Option<f64>,
}

/// One party in one run: its agent and what the agreement gives it.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RunSeatReport {
    /// The party (id).
    pub party: String,
    /// Its agent.
    pub agent: String,
    /// The agreement's utility to it; `null` without agreement.
    pub utility: Option<f64>,
}

/// One negotiation.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RunReport {
    /// The protocol.
    pub protocol: ProtocolName,
    /// Each seat's agent, in the order of the document's `parties`.
    pub agents: Vec<String>,
    /// Each party, its agent and its utility of the agreement, in seat order.
    pub seats: Vec<RunSeatReport>,
    /// How it ended.
    pub end: EndName,
    /// Who walked away, if someone did.
    pub walked_away: Option<String>,
    /// Rounds played (the agreement's round, counted from 1, or the deadline).
    pub rounds: u32,
    /// Offers and texts made.
    pub offers: u32,
    /// The agreed package, explained party by party with the positions it rests on; its score is the
    /// social welfare (sum of utilities).
    pub agreement: Option<PackageReport>,
    /// The agreement's utility to each party, in the order of the document's `parties`.
    pub utilities: Option<Vec<f64>>,
    /// Euclidean distance in utility space from the agreement to the nearest Pareto point (0 on it).
    pub distance_to_pareto: Option<f64>,
    /// … to the nearest Nash point.
    pub distance_to_nash: Option<f64>,
    /// … to the nearest Kalai–Smorodinsky point.
    pub distance_to_ks: Option<f64>,
    /// The moves: every one, or the first and last halves of the document's `trace_limit` of a longer
    /// run.
    pub trace: Vec<MoveReport>,
    /// Moves left out of `trace` between its two halves (0 when it holds every move).
    pub trace_omitted: usize,
}

/// One move of a run.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MoveReport {
    /// The round, from 1.
    pub round: u32,
    /// The party (id), or `mediator`.
    pub by: String,
    /// What the move did.
    pub action: ActionName,
    /// The package: one option id per issue (empty for a walk-away).
    pub package: Vec<String>,
    /// Its utility to each party, in the order of the document's `parties`.
    pub utilities: Vec<f64>,
    /// For an objection: the changes asked for.
    pub changes: Vec<ChangeReport>,
}

/// A change a party asks of the mediator's text.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangeReport {
    /// The issue (id; several ids joined by `+` for issues tied by a cross-issue constraint).
    pub issue: String,
    /// The option wanted (ids joined by `+` likewise).
    pub option: String,
    /// What the change is worth to the party, in its utility.
    pub gain: f64,
}

/// The largest rehearsal document, in bytes of compact JSON (as the API sends it): 8 MiB. Each run's
/// trace keeps at most `truce_sim::TRACE_LIMIT` moves, and fewer when the document would otherwise be
/// larger; the document's `trace_limit` says how many it kept.
pub const MAX_DOCUMENT_BYTES: usize = 8 << 20;

/// The most points of the Pareto set one offer-trace plot draws.
pub const MAX_PLOT_POINTS: usize = 2_000;

/// A rehearsal's document and its plots ([`document`]), one per run.
pub struct Simulation {
    /// The document.
    pub report: SimulationReport,
    /// The offer-trace plot of each run, in run order.
    pub svgs: Vec<String>,
}

/// One run to report: the protocol, the agents and the outcome (played with the trace kept).
pub struct Played<'a> {
    /// The protocol.
    pub protocol: Protocol,
    /// The agents, in seat order.
    pub agents: &'a [AgentSpec],
    /// The outcome.
    pub outcome: &'a Outcome,
}

/// The report of `runs` on `prepared`, a setting of `scenario` under `reading`. Every figure is in the
/// setting's seat order, and named by its party.
#[allow(clippy::too_many_arguments)]
pub fn simulation_report(
    scenario: &Scenario,
    file: &str,
    prepared: &ScenarioSetting,
    reading: truce_table::Reading,
    packages: String,
    deadline: u32,
    seed: u64,
    runs: &[Played<'_>],
) -> SimulationReport {
    let setting = &prepared.setting;
    let scale = setting.scale;
    let ids: Vec<String> = prepared.parties.iter().map(|&p| scenario.party(p).id.clone()).collect();
    let option_ids = |package: &[u32]| -> Vec<String> {
        prepared.options(package).iter().map(|&o| scenario.option(o).id.clone()).collect()
    };
    let group_label = |issue: usize, option: u32| -> (String, String) {
        let combo = &prepared.model.options[issue][option as usize];
        let issues: Vec<&str> =
            combo.iter().map(|&o| scenario.issue(scenario.option(o).issue).id.as_str()).collect();
        let options: Vec<&str> = combo.iter().map(|&o| scenario.option(o).id.as_str()).collect();
        (issues.join("+"), options.join("+"))
    };
    let runs = runs
        .iter()
        .map(|played| {
            let outcome = played.outcome;
            let utilities = outcome
                .utilities
                .as_ref()
                .map(|u| u.iter().map(|x| x * scale).collect::<Vec<f64>>());
            let distances =
                outcome.utilities.as_ref().map(|u| setting.distances(u)).unwrap_or_default();
            let agreement = outcome.agreement.as_ref().zip(utilities.as_ref()).map(|(p, u)| {
                // The Table explains in the scenario's order of the parties; the report is in seat order.
                let explained = truce_table::explain_package(
                    scenario,
                    &prepared.stances,
                    &prepared.model,
                    p,
                    &prepared.in_slot_order(u),
                    truce_sim::welfare(u),
                );
                let mut package = package_report(scenario, &explained);
                package.parties.sort_by_key(|account| {
                    ids.iter().position(|id| *id == account.party).unwrap_or(usize::MAX)
                });
                package
            });
            let trace_omitted = outcome.trace_omitted;
            let trace = outcome
                .trace
                .iter()
                .map(|m| {
                    let changes = match &m.action {
                        Action::Object(changes) => changes
                            .iter()
                            .map(|c| {
                                let (issue, option) = group_label(c.issue, c.option);
                                ChangeReport { issue, option, gain: c.gain * scale }
                            })
                            .collect(),
                        _ => Vec::new(),
                    };
                    MoveReport {
                        round: m.round + 1,
                        by: m.party.map_or_else(|| "mediator".to_string(), |p| ids[p].clone()),
                        action: ActionName::from(&m.action),
                        package: if m.package.is_empty() {
                            Vec::new()
                        } else {
                            option_ids(&m.package)
                        },
                        utilities: m.utilities.iter().map(|x| x * scale).collect(),
                        changes,
                    }
                })
                .collect();
            let agents: Vec<String> = played.agents.iter().map(AgentSpec::name).collect();
            let seats = ids
                .iter()
                .zip(&agents)
                .enumerate()
                .map(|(k, (party, agent))| RunSeatReport {
                    party: party.clone(),
                    agent: agent.clone(),
                    utility: utilities.as_ref().map(|u| u[k]),
                })
                .collect();
            RunReport {
                protocol: played.protocol.into(),
                agents,
                seats,
                end: outcome.end.into(),
                walked_away: match outcome.end {
                    truce_sim::End::WalkedAway(p) => Some(ids[p].clone()),
                    _ => None,
                },
                rounds: outcome.rounds,
                offers: outcome.offers,
                agreement,
                utilities,
                distance_to_pareto: distances.pareto,
                distance_to_nash: distances.nash,
                distance_to_ks: distances.ks,
                trace,
                trace_omitted,
            }
        })
        .collect();
    let at = |points: &[usize], k: usize| points.first().map(|&i| setting.frontier[i].0[k] * scale);
    let seats = setting
        .parties
        .iter()
        .enumerate()
        .map(|(k, view)| SeatReport {
            party: ids[k].clone(),
            turn: k + 1,
            reservation: view.reservation.is_finite().then_some(view.reservation * scale),
            min: view.min * scale,
            max: view.max * scale,
            nash: at(&setting.nash, k),
            ks: at(&setting.ks, k),
        })
        .collect();
    SimulationReport {
        schema: SIMULATION_SCHEMA_ID.to_string(),
        file: file.to_string(),
        title: scenario.meta.title.clone().unwrap_or_else(|| file.to_string()),
        reading: reading.into(),
        parties: ids,
        seats,
        deadline,
        seed,
        packages,
        pareto_size: setting.frontier.len(),
        exact: setting.parties.iter().all(|p| p.inverse.exact()),
        nash: setting
            .nash
            .first()
            .map(|&i| setting.frontier[i].0.iter().map(|x| x * scale).collect()),
        trace_limit: truce_sim::TRACE_LIMIT,
        runs,
    }
}

/// A trace budget that keeps the document within `limit` bytes of compact JSON: as many moves per trace
/// as three quarters of the limit hold at the largest a move of the scenario can take (the rest is for
/// the agreements and the figures), so that the document is never built larger than the limit.
/// [`document`] then measures it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DocumentBudget(pub usize);

impl Default for DocumentBudget {
    /// [`MAX_DOCUMENT_BYTES`].
    fn default() -> DocumentBudget {
        DocumentBudget(MAX_DOCUMENT_BYTES)
    }
}

impl TraceBudget for DocumentBudget {
    fn moves(
        &self,
        scenario: &Scenario,
        prepared: &ScenarioSetting,
        protocols: &[Protocol],
    ) -> usize {
        let limit = self.0;
        let per_move: usize =
            protocols.iter().map(|&p| move_bound(scenario, prepared, p) + 1).sum();
        (limit - limit / 4) / per_move.max(1)
    }
}

/// The document of `rehearsal`, a rehearsal of `scenario` (read from `file`) played within `budget`
/// ([`truce_sim::simulate`]), and each run's offer-trace plot. The document is kept within the
/// budget's bytes: fewer trace moves, or an error saying it would be over the limit even without them.
pub fn document(
    scenario: &Scenario,
    file: &str,
    ask: &truce_sim::CheckedAsk,
    rehearsal: &Rehearsal,
    budget: DocumentBudget,
) -> Result<Simulation, String> {
    let prepared = &rehearsal.prepared;
    let played: Vec<Played<'_>> = rehearsal
        .runs
        .iter()
        .map(|(protocol, outcome)| Played {
            protocol: *protocol,
            agents: rehearsal.agents(),
            outcome,
        })
        .collect();
    let mut report = simulation_report(
        scenario,
        file,
        prepared,
        ask.reading(),
        prepared.packages.clone(),
        ask.rounds(),
        ask.seed(),
        &played,
    );
    report.trace_limit = rehearsal.trace_limit;
    fit(&mut report, budget.0)?;
    let scale = prepared.setting.scale;
    let frontier: Vec<Vec<f64>> = prepared
        .setting
        .frontier
        .iter()
        .map(|(u, _)| u.iter().map(|x| x * scale).collect())
        .collect();
    let (a, b) = rehearsal.seating.axes;
    let svgs = (0..report.runs.len())
        .map(|k| crate::simulation::trace_svg(&report, &frontier, k, a, b))
        .collect();
    Ok(Simulation { report, svgs })
}

/// The length of `s` as a JSON string, quotes included, at most (a control character may take six
/// bytes).
fn json_str_len(s: &str) -> usize {
    2 + s
        .chars()
        .map(|c| match c {
            '"' | '\\' => 2,
            c if (c as u32) < 0x20 => 6,
            c => c.len_utf8(),
        })
        .sum::<usize>()
}

/// The most bytes one move of a run under `protocol` takes in the document's compact JSON: the longest
/// mover, action and round, the longest option id of every issue, a number of the longest form per
/// party, and (for the single text's objections) one change per issue with its longest labels.
fn move_bound(scenario: &Scenario, prepared: &ScenarioSetting, protocol: Protocol) -> usize {
    // Keys, brackets and separators of a move and of a change, generously.
    const MOVE_KEYS: usize = 96;
    const CHANGE_KEYS: usize = 40;
    // The longest number serde_json writes: `-2.2250738585072014e-308`, and a comma.
    const NUMBER: usize = 25;
    let by = prepared
        .parties
        .iter()
        .map(|&p| json_str_len(&scenario.party(p).id))
        .fold(json_str_len("mediator"), usize::max);
    let action = json_str_len("walk_away");
    let round = 10;
    let option_ids = |combo: &[truce_scenario::OptionIx]| -> usize {
        combo.iter().map(|&o| json_str_len(&scenario.option(o).id) + 1).sum()
    };
    let package: usize = prepared
        .model
        .options
        .iter()
        .map(|combos| combos.iter().map(|c| option_ids(c)).max().unwrap_or(0))
        .sum();
    let utilities = NUMBER * prepared.parties.len();
    let changes: usize = if protocol == Protocol::SingleText {
        prepared
            .model
            .options
            .iter()
            .map(|combos| {
                combos
                    .iter()
                    .map(|c| {
                        let issues: usize = c
                            .iter()
                            .map(|&o| json_str_len(&scenario.issue(scenario.option(o).issue).id))
                            .sum();
                        CHANGE_KEYS + NUMBER + issues + option_ids(c)
                    })
                    .max()
                    .unwrap_or(0)
            })
            .sum()
    } else {
        0
    };
    MOVE_KEYS + round + by + action + package + utilities + changes
}

/// Counts the bytes written to it.
struct Counter(usize);

impl std::io::Write for Counter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0 += bytes.len();
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The size of `value` in compact JSON.
fn json_len<T: Serialize>(value: &T) -> usize {
    let mut counter = Counter(0);
    // Counting cannot fail, and the report types always serialise.
    let _ = serde_json::to_writer(&mut counter, value);
    counter.0
}

/// Keeps `report` within `limit` bytes of compact JSON: when it is larger, each run's trace keeps only
/// its first and last moves, as many as fit (the same number for every run), and `trace_limit` and each
/// run's `trace_omitted` say so. An error when even the document without traces would be too large.
fn fit(report: &mut SimulationReport, limit: usize) -> Result<(), String> {
    // Room for the counts that thinning changes (`trace_limit`, `trace_omitted`) and the separators.
    const SLACK: usize = 64;
    let total = json_len(report);
    if total <= limit {
        return Ok(());
    }
    // Each run's moves with their separating comma, as prefix sums from either end.
    let sizes: Vec<Vec<usize>> =
        report.runs.iter().map(|run| run.trace.iter().map(|m| json_len(m) + 1).collect()).collect();
    let traces: usize = sizes.iter().flatten().sum();
    let rest = total.saturating_sub(traces) + SLACK * (report.runs.len() + 1);
    if rest > limit {
        return Err(format!(
            "the rehearsal's document would be about {rest} bytes without its offer traces, over the limit of {limit}: seat fewer parties or ask for fewer protocols"
        ));
    }
    let kept = |half: usize| -> usize {
        sizes
            .iter()
            .map(|s| {
                if s.len() <= 2 * half {
                    s.iter().sum::<usize>()
                } else {
                    s[..half].iter().sum::<usize>() + s[s.len() - half..].iter().sum::<usize>()
                }
            })
            .sum()
    };
    // The largest half that fits, by bisection: `lo` fits, `hi` does not.
    let (mut lo, mut hi) = (0, report.trace_limit / 2 + 1);
    while hi - lo > 1 {
        let mid = (lo + hi) / 2;
        if rest + kept(mid) <= limit {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    let mut half = lo;
    loop {
        for run in &mut report.runs {
            if run.trace.len() > 2 * half {
                let dropped = run.trace.len() - 2 * half;
                run.trace.drain(half..half + dropped);
                run.trace_omitted += dropped;
            }
        }
        report.trace_limit = 2 * half;
        let size = json_len(report);
        if size <= limit {
            return Ok(());
        }
        if half == 0 {
            return Err(format!(
                "the rehearsal's document would be {size} bytes without its offer traces, over the limit of {limit}: seat fewer parties or ask for fewer protocols"
            ));
        }
        half /= 2;
    }
}
