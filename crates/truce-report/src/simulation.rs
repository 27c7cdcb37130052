//! Negotiation rehearsals for people and machines: the `truce.simulation/1` document (one per
//! `truce simulate`, API job and page), its text form, and the offer trace plotted over the frontier.

use std::fmt::Write as _;

use schemars::JsonSchema;
use serde::Serialize;
use truce_scenario::Scenario;
use truce_sim::{Action, AgentSpec, End, Outcome, Protocol, ScenarioSetting};
use truce_syntax::escape_xml as escape;

use crate::report::{PackageReport, package_report};

/// The schema id of [`SimulationReport`].
pub const SIMULATION_SCHEMA_ID: &str = "truce.simulation/1";

/// Rehearsals of one scenario: one run per protocol (and agent line-up) asked for.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SimulationReport {
    /// Always `truce.simulation/1`.
    pub schema: String,
    /// The scenario file or folder.
    pub file: String,
    /// The scenario's title.
    pub title: String,
    /// The reading whose hard constraints bound every package (`red_lines`, `strict`, `pessimistic`).
    pub reading: String,
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
#[derive(Debug, Serialize, JsonSchema)]
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
#[derive(Debug, Serialize, JsonSchema)]
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
#[derive(Debug, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RunReport {
    /// `saop`, `stacked` or `single-text`.
    pub protocol: String,
    /// Each seat's agent, in the order of the document's `parties`.
    pub agents: Vec<String>,
    /// Each party, its agent and its utility of the agreement, in seat order.
    pub seats: Vec<RunSeatReport>,
    /// `agreement`, `deadline`, `walked_away` or `no_text`.
    pub end: String,
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
#[derive(Debug, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MoveReport {
    /// The round, from 1.
    pub round: u32,
    /// The party (id), or `mediator`.
    pub by: String,
    /// `offer`, `accept`, `text`, `object` or `walk_away`.
    pub action: String,
    /// The package: one option id per issue (empty for a walk-away).
    pub package: Vec<String>,
    /// Its utility to each party, in the order of the document's `parties`.
    pub utilities: Vec<f64>,
    /// For an objection: the changes asked for.
    pub changes: Vec<ChangeReport>,
}

/// A change a party asks of the mediator's text.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangeReport {
    /// The issue (id; several ids joined by `+` for issues tied by a cross-issue constraint).
    pub issue: String,
    /// The option wanted (ids joined by `+` likewise).
    pub option: String,
    /// What the change is worth to the party, in its utility.
    pub gain: f64,
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
                    let (action, changes) = match &m.action {
                        Action::Offer => ("offer", Vec::new()),
                        Action::Accept => ("accept", Vec::new()),
                        Action::Text => ("text", Vec::new()),
                        Action::WalkAway => ("walk_away", Vec::new()),
                        Action::Object(changes) => (
                            "object",
                            changes
                                .iter()
                                .map(|c| {
                                    let (issue, option) = group_label(c.issue, c.option);
                                    ChangeReport { issue, option, gain: c.gain * scale }
                                })
                                .collect(),
                        ),
                    };
                    MoveReport {
                        round: m.round + 1,
                        by: m.party.map_or_else(|| "mediator".to_string(), |p| ids[p].clone()),
                        action: action.to_string(),
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
                protocol: played.protocol.as_str().to_string(),
                agents,
                seats,
                end: end_name(outcome.end).to_string(),
                walked_away: match outcome.end {
                    End::WalkedAway(p) => Some(ids[p].clone()),
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
        reading: crate::report::ReadingName::from(reading).as_str().to_string(),
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

/// How a run ended, as the documents name it.
fn end_name(end: End) -> &'static str {
    match end {
        End::Agreement => "agreement",
        End::Deadline => "deadline",
        End::WalkedAway(_) => "walked_away",
        End::NoText => "no_text",
    }
}

fn fmt_opt(x: Option<f64>) -> String {
    x.map_or_else(|| "-".to_string(), |v| format!("{v:.3}"))
}

/// The report for a terminal: per run, how it ended, the agreement with its citations, its distances, and
/// the offer trace (every offer, or the first and last ten when there are many).
pub fn simulation_text(report: &SimulationReport, svg_paths: &[String]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", report.title);
    let _ = writeln!(
        out,
        "{} · {} reading · {} packages · Pareto set {} · deadline {} rounds · seed {}",
        report.file,
        report.reading,
        report.packages,
        report.pareto_size,
        report.deadline,
        report.seed
    );
    let _ = writeln!(out, "Parties, in the order they move: {}", report.parties.join(", "));
    let reservations: Vec<String> = report
        .seats
        .iter()
        .filter_map(|s| s.reservation.map(|r| format!("{} {r:.3}", s.party)))
        .collect();
    if !reservations.is_empty() {
        let _ = writeln!(out, "Reservation values: {}", reservations.join(", "));
    }
    if !report.exact {
        let _ = writeln!(
            out,
            "Utilities were inverted on a grid (the space is too large to invert exactly): offers are within the documented tolerance of each agent's level."
        );
    }
    if let Some(nash) = &report.nash {
        let _ = writeln!(out, "Nash point: {}", utilities_line(&report.parties, nash));
    }
    for (k, run) in report.runs.iter().enumerate() {
        let _ = writeln!(out);
        let _ = writeln!(out, "{}", "═".repeat(78));
        let _ = writeln!(out, "{} · {}", run.protocol, seats(&report.parties, &run.agents));
        let _ = writeln!(out, "{}", "═".repeat(78));
        match (run.end.as_str(), &run.agreement) {
            ("agreement", Some(package)) => {
                let _ = writeln!(
                    out,
                    "Agreement in round {} of {} after {} offers; welfare {:.3}",
                    run.rounds, report.deadline, run.offers, package.score
                );
                let _ = writeln!(
                    out,
                    "Distance to the Pareto set {}, to Nash {}, to KS {}",
                    fmt_opt(run.distance_to_pareto),
                    fmt_opt(run.distance_to_nash),
                    fmt_opt(run.distance_to_ks)
                );
                for o in &package.options {
                    let _ = writeln!(out, "  {:<24} {}", o.issue, o.option);
                }
                let _ = writeln!(out, "  Per party:");
                for p in &package.parties {
                    let _ = writeln!(out, "    {:<6} {:.3}", p.party, p.utility);
                    for issue in &p.issues {
                        if let Some(c) = &issue.citation {
                            let _ = writeln!(out, "          · {}", crate::render::cite_line(c));
                        }
                    }
                }
            }
            ("walked_away", _) => {
                let _ = writeln!(
                    out,
                    "No agreement: {} walked away in round {}",
                    run.walked_away.as_deref().unwrap_or("a party"),
                    run.rounds
                );
            }
            ("no_text", _) => {
                let _ = writeln!(
                    out,
                    "No agreement: no package gives every party its reservation value, so the mediator had no text."
                );
            }
            _ => {
                let _ = writeln!(
                    out,
                    "No agreement by the deadline ({} rounds, {} offers): an impasse.",
                    run.rounds, run.offers
                );
                if let Some(last) =
                    run.trace.iter().rev().find(|m| m.action == "text" || m.action == "offer")
                {
                    let _ = writeln!(
                        out,
                        "  Last {} by {}: {}",
                        last.action,
                        last.by,
                        last.package.join(", ")
                    );
                }
                for m in run.trace.iter().rev().take_while(|m| m.action == "object") {
                    let asked: Vec<String> = m
                        .changes
                        .iter()
                        .map(|c| format!("{} → {} (+{:.3})", c.issue, c.option, c.gain))
                        .collect();
                    let _ = writeln!(out, "  {} objects: {}", m.by, asked.join("; "));
                }
            }
        }
        let proposals: Vec<&MoveReport> =
            run.trace.iter().filter(|m| m.action == "offer" || m.action == "text").collect();
        let _ = writeln!(
            out,
            "  Offer trace ({} offers; utilities to {}):",
            proposals.len(),
            report.parties.join(", ")
        );
        let show: Vec<(usize, &&MoveReport)> = if proposals.len() <= 20 {
            proposals.iter().enumerate().collect()
        } else {
            proposals
                .iter()
                .enumerate()
                .filter(|(i, _)| *i < 10 || *i >= proposals.len() - 10)
                .collect()
        };
        let mut last = None;
        for (i, m) in show {
            if last.is_some_and(|l| i > l + 1) {
                let _ = writeln!(out, "    …");
            }
            last = Some(i);
            let _ = writeln!(
                out,
                "    round {:>3}  {:<10} {}",
                m.round,
                m.by,
                utilities_line(&report.parties, &m.utilities)
            );
        }
        if let Some(path) = svg_paths.get(k) {
            let _ = writeln!(out, "  Offer trace plot: {path}");
        }
    }
    out
}

fn utilities_line(parties: &[String], u: &[f64]) -> String {
    parties.iter().zip(u).map(|(p, x)| format!("{p} {x:.3}")).collect::<Vec<_>>().join(", ")
}

fn seats(parties: &[String], agents: &[String]) -> String {
    parties.iter().zip(agents).map(|(p, a)| format!("{p}: {a}")).collect::<Vec<_>>().join(", ")
}

/// Okabe–Ito colours for the parties' offers (the mediator's texts in the first).
const COLOURS: [&str; 8] =
    ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"];

/// The offer trace of run `k` in utility space, over the Pareto set: x is the utility to party `a`, y to
/// party `b` (indices into [`SimulationReport::parties`]). Grey dots: the Pareto set of the whole table,
/// projected (at most [`MAX_PLOT_POINTS`] of it, evenly spread, and the description says so); one
/// coloured path per party (or the mediator's texts), in order; a ring on the agreement; a diamond on the
/// Nash point.
pub fn trace_svg(
    report: &SimulationReport,
    frontier: &[Vec<f64>],
    k: usize,
    a: usize,
    b: usize,
) -> String {
    let run = &report.runs[k];
    let (side, left, top) = (460.0, 70.0, 70.0);
    let width = left + side + 220.0;
    let height = top + side + 60.0;
    let values = frontier.iter().flat_map(|u| [u[a], u[b]]).chain(
        run.trace
            .iter()
            .filter(|m| !m.utilities.is_empty())
            .flat_map(|m| [m.utilities[a], m.utilities[b]]),
    );
    let (mut lo, mut hi) =
        values.fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), v| (l.min(v), h.max(v)));
    if !lo.is_finite() || hi - lo < 1e-12 {
        (lo, hi) = (0.0, 1.0);
    }
    let pad = (hi - lo) * 0.04;
    let (lo, hi) = (lo - pad, hi + pad);
    let px = |v: f64| left + side * (v - lo) / (hi - lo);
    let py = |v: f64| top + side * (1.0 - (v - lo) / (hi - lo));
    let (xa, yb) = (&report.parties[a], &report.parties[b]);
    let mut svg = String::new();
    let _ = writeln!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" aria-labelledby="ttitle tdesc" font-family="system-ui, sans-serif" font-size="12">"#
    );
    let _ = writeln!(
        svg,
        r#"<title id="ttitle">Offer trace, {} protocol: utility to {} against utility to {}</title>"#,
        escape(&run.protocol),
        escape(xa),
        escape(yb)
    );
    let ended = if run.end == "agreement" {
        format!("agreement in round {}", run.rounds)
    } else {
        format!("no agreement ({})", run.end.replace('_', " "))
    };
    // At most MAX_PLOT_POINTS points of the Pareto set, evenly spread over its order.
    let step = frontier.len().div_ceil(MAX_PLOT_POINTS).max(1);
    let drawn: Vec<&Vec<f64>> = frontier.iter().step_by(step).collect();
    let over = if drawn.len() < frontier.len() {
        format!("{} of the {} points", drawn.len(), frontier.len())
    } else {
        format!("the {} points", frontier.len())
    };
    let _ = writeln!(
        svg,
        r#"<desc id="tdesc">{} offers by {} over {over} of the Pareto set; {ended}.</desc>"#,
        run.trace.iter().filter(|m| m.action == "offer" || m.action == "text").count(),
        escape(&seats(&report.parties, &run.agents)),
    );
    let _ = writeln!(svg, r##"<rect width="100%" height="100%" fill="#ffffff"/>"##);
    let _ = writeln!(
        svg,
        r##"<text x="{left}" y="24" font-size="16" font-weight="600" fill="#111">{} · {} × {} · {ended}</text>"##,
        escape(&run.protocol),
        escape(xa),
        escape(yb)
    );
    // The axes' agents, and how many more parties there are (the whole line-up is in the description).
    let mut line = format!("{xa}: {}, {yb}: {}", run.agents[a], run.agents[b]);
    if report.parties.len() > 2 {
        let _ = write!(line, " (and {} more parties)", report.parties.len() - 2);
    }
    let _ = writeln!(svg, r##"<text x="{left}" y="42" fill="#444">{}</text>"##, escape(&line));
    let _ = writeln!(
        svg,
        r##"<rect x="{left}" y="{top}" width="{side}" height="{side}" fill="none" stroke="#888"/><text x="{:.1}" y="{:.1}" text-anchor="middle" font-weight="600" fill="#222">utility to {}</text><text transform="translate({:.1} {:.1}) rotate(-90)" text-anchor="middle" font-weight="600" fill="#222">utility to {}</text>"##,
        left + side / 2.0,
        top + side + 40.0,
        escape(xa),
        left - 48.0,
        top + side / 2.0,
        escape(yb)
    );
    for i in 0..=4 {
        let v = lo + (hi - lo) * f64::from(i) / 4.0;
        let _ = writeln!(
            svg,
            r##"<text x="{:.1}" y="{:.1}" text-anchor="middle" fill="#444">{v:.2}</text><text x="{:.1}" y="{:.1}" text-anchor="end" fill="#444">{v:.2}</text>"##,
            px(v),
            top + side + 18.0,
            left - 6.0,
            py(v) + 4.0
        );
    }
    let _ = writeln!(svg, r#"<g class="pareto">"#);
    for u in drawn {
        let _ = writeln!(
            svg,
            r##"<circle cx="{:.1}" cy="{:.1}" r="2.5" fill="#bbbbbb"/>"##,
            px(u[a]),
            py(u[b])
        );
    }
    let _ = writeln!(svg, "</g>");
    // One path per mover, in order.
    let mut movers: Vec<&str> = Vec::new();
    for m in &run.trace {
        if (m.action == "offer" || m.action == "text") && !movers.contains(&m.by.as_str()) {
            movers.push(&m.by);
        }
    }
    for (i, who) in movers.iter().enumerate() {
        let colour = COLOURS[i % COLOURS.len()];
        let points: Vec<&MoveReport> = run
            .trace
            .iter()
            .filter(|m| m.by == *who && (m.action == "offer" || m.action == "text"))
            .collect();
        let mut path = String::new();
        for (j, m) in points.iter().enumerate() {
            let _ = write!(
                path,
                "{}{:.1} {:.1} ",
                if j == 0 { "M" } else { "L" },
                px(m.utilities[a]),
                py(m.utilities[b])
            );
        }
        let _ = writeln!(
            svg,
            r##"<g class="offers" data-by="{}"><path d="{}" fill="none" stroke="{colour}" stroke-width="1.2" stroke-opacity="0.6"/>"##,
            escape(who),
            path.trim()
        );
        for m in &points {
            let _ = writeln!(
                svg,
                r##"<circle cx="{:.1}" cy="{:.1}" r="3" fill="{colour}"><title>round {} · {} · {}</title></circle>"##,
                px(m.utilities[a]),
                py(m.utilities[b]),
                m.round,
                escape(&m.by),
                escape(&utilities_line(&report.parties, &m.utilities))
            );
        }
        let ly = top + 20.0 * i as f64;
        let _ = writeln!(
            svg,
            r##"</g><circle cx="{:.1}" cy="{ly:.1}" r="5" fill="{colour}"/><text x="{:.1}" y="{:.1}" fill="#222">{} ({} {})</text>"##,
            left + side + 24.0,
            left + side + 36.0,
            ly + 4.0,
            escape(who),
            points.len(),
            if *who == "mediator" { "texts" } else { "offers" }
        );
    }
    let legend = top + 20.0 * movers.len() as f64 + 10.0;
    if let Some(nash) = &report.nash {
        let (x, y) = (px(nash[a]), py(nash[b]));
        let _ = writeln!(
            svg,
            r##"<path class="nash" d="M{x:.1} {:.1}l7 7l-7 7l-7 -7z" fill="none" stroke="#111" stroke-width="2"><title>Nash point: {}</title></path><path d="M{:.1} {:.1}l6 6l-6 6l-6 -6z" fill="none" stroke="#111" stroke-width="2"/><text x="{:.1}" y="{:.1}" fill="#222">Nash point</text>"##,
            y - 7.0,
            escape(&utilities_line(&report.parties, nash)),
            left + side + 24.0,
            legend - 6.0,
            left + side + 36.0,
            legend + 4.0
        );
    }
    if let Some(u) = &run.utilities {
        let _ = writeln!(
            svg,
            r##"<circle class="agreement" cx="{:.1}" cy="{:.1}" r="9" fill="none" stroke="#111" stroke-width="2.5"><title>Agreement, round {}: {}</title></circle><circle cx="{:.1}" cy="{:.1}" r="7" fill="none" stroke="#111" stroke-width="2.5"/><text x="{:.1}" y="{:.1}" fill="#222">agreement</text>"##,
            px(u[a]),
            py(u[b]),
            run.rounds,
            escape(&utilities_line(&report.parties, u)),
            left + side + 24.0,
            legend + 20.0,
            left + side + 36.0,
            legend + 24.0
        );
    }
    let _ = writeln!(svg, "</svg>");
    svg
}

/// The schema id of [`TournamentReport`].
pub const TOURNAMENT_SCHEMA_ID: &str = "truce.tournament/1";

/// A tournament's results: the table per protocol and agent, and every run.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TournamentReport {
    /// Always `truce.tournament/1`.
    pub schema: String,
    /// The configuration file.
    pub config: String,
    /// The seed.
    pub seed: u64,
    /// The deadline, in rounds.
    pub deadline: u32,
    /// Runs per assignment and protocol.
    pub repetitions: u32,
    /// The settings played (name, parties, packages).
    pub settings: Vec<TournamentSetting>,
    /// The agents, by name.
    pub agents: Vec<String>,
    /// The results table.
    pub table: Vec<TournamentRow>,
    /// Every run.
    pub runs: Vec<TournamentRun>,
}

/// One setting of a tournament.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TournamentSetting {
    /// Its name.
    pub name: String,
    /// Its parties.
    pub parties: Vec<String>,
    /// Its packages (a decimal string).
    pub packages: String,
    /// Size of its Pareto set.
    pub pareto_size: usize,
}

/// One agent under one protocol.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TournamentRow {
    /// The protocol.
    pub protocol: String,
    /// The agent.
    pub agent: String,
    /// Seats it played.
    pub seats: u64,
    /// Share of them that ended in agreement.
    pub agreement_rate: f64,
    /// Mean utility as a share of its party's range (no agreement: the reservation value, or the smallest
    /// utility when there is none).
    pub mean_share: f64,
    /// Mean social welfare of its agreements.
    pub mean_welfare: Option<f64>,
    /// Mean distance of its agreements to the nearest Nash point.
    pub mean_distance_to_nash: Option<f64>,
    /// Mean rounds played.
    pub mean_rounds: f64,
}

/// One run of a tournament.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TournamentRun {
    /// The setting's name.
    pub setting: String,
    /// The protocol.
    pub protocol: String,
    /// Each seat's agent.
    pub agents: Vec<String>,
    /// The repetition, from 0.
    pub repetition: u32,
    /// The run's own seed (replay it with `truce simulate --seed`).
    pub seed: u64,
    /// `agreement`, `deadline`, `walked_away` or `no_text`.
    pub end: String,
    /// Rounds played.
    pub rounds: u32,
    /// The agreement's utilities.
    pub utilities: Option<Vec<f64>>,
    /// Its social welfare.
    pub welfare: Option<f64>,
    /// Distance to the nearest Nash point.
    pub distance_to_nash: Option<f64>,
    /// Distance to the Pareto set.
    pub distance_to_pareto: Option<f64>,
}

/// The tournament report from the plan, its records and its standings.
pub fn tournament_report(
    config: &str,
    plan: &truce_sim::Plan<'_>,
    packages: &[String],
    records: &[truce_sim::RunRecord],
    standings: &truce_sim::Standings,
) -> TournamentReport {
    let agent_names: Vec<String> = plan.agents.iter().map(AgentSpec::name).collect();
    TournamentReport {
        schema: TOURNAMENT_SCHEMA_ID.to_string(),
        config: config.to_string(),
        seed: plan.seed,
        deadline: plan.rounds,
        repetitions: plan.repetitions,
        settings: plan
            .settings
            .iter()
            .zip(packages)
            .map(|((name, s), packages)| TournamentSetting {
                name: name.clone(),
                parties: s.parties.iter().map(|p| p.name.clone()).collect(),
                packages: packages.clone(),
                pareto_size: s.frontier.len(),
            })
            .collect(),
        agents: agent_names.clone(),
        table: standings
            .by_protocol
            .iter()
            .flat_map(|(protocol, rows)| {
                rows.iter().map(move |r| TournamentRow {
                    protocol: protocol.as_str().to_string(),
                    agent: r.agent.name(),
                    seats: r.seats,
                    agreement_rate: r.agreement_rate,
                    mean_share: r.mean_share,
                    mean_welfare: r.mean_welfare,
                    mean_distance_to_nash: r.mean_distance_to_nash,
                    mean_rounds: r.mean_rounds,
                })
            })
            .collect(),
        runs: records
            .iter()
            .map(|r| TournamentRun {
                setting: plan.settings[r.setting].0.clone(),
                protocol: r.protocol.as_str().to_string(),
                agents: r.agents.iter().map(|&k| agent_names[k].clone()).collect(),
                repetition: r.repetition,
                seed: r.seed,
                end: end_name(r.end).to_string(),
                rounds: r.rounds,
                welfare: r.utilities.as_ref().map(|u| u.iter().sum()),
                utilities: r.utilities.clone(),
                distance_to_nash: r.distances.nash,
                distance_to_pareto: r.distances.pareto,
            })
            .collect(),
    }
}

/// The results table for a terminal.
pub fn tournament_text(report: &TournamentReport) -> String {
    let mut out = String::new();
    let runs = report.runs.len();
    let agreed = report.runs.iter().filter(|r| r.end == "agreement").count();
    let _ = writeln!(
        out,
        "Tournament {} · {} settings · {} agents · {runs} runs ({agreed} agreements) · deadline {} rounds · seed {}",
        report.config,
        report.settings.len(),
        report.agents.len(),
        report.deadline,
        report.seed
    );
    for s in &report.settings {
        let _ = writeln!(
            out,
            "  {}: {} parties, {} packages, Pareto set {}",
            s.name,
            s.parties.len(),
            s.packages,
            s.pareto_size
        );
    }
    let mut protocols: Vec<&str> = Vec::new();
    for row in &report.table {
        if !protocols.contains(&row.protocol.as_str()) {
            protocols.push(&row.protocol);
        }
    }
    for protocol in protocols {
        let _ = writeln!(out);
        let _ = writeln!(out, "{protocol}");
        let _ = writeln!(
            out,
            "  {:<14} {:>7} {:>10} {:>11} {:>9} {:>12} {:>7}",
            "agent", "seats", "agreement", "mean share", "welfare", "to Nash", "rounds"
        );
        let mut rows: Vec<&TournamentRow> =
            report.table.iter().filter(|r| r.protocol == protocol).collect();
        rows.sort_by(|a, b| b.mean_share.total_cmp(&a.mean_share));
        for r in rows {
            let _ = writeln!(
                out,
                "  {:<14} {:>7} {:>9.1}% {:>11.3} {:>9} {:>12} {:>7.1}",
                r.agent,
                r.seats,
                r.agreement_rate * 100.0,
                r.mean_share,
                fmt_opt(r.mean_welfare),
                fmt_opt(r.mean_distance_to_nash),
                r.mean_rounds
            );
        }
    }
    out
}

/// Every run as CSV, one line per run, with a header. Text fields are names the program chose (setting
/// names are quoted and have quotes doubled).
pub fn tournament_csv(report: &TournamentReport) -> String {
    let quote = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    let mut out = String::from(
        "setting,protocol,agents,repetition,seed,end,rounds,welfare,distance_to_nash,distance_to_pareto,utilities\n",
    );
    let num = |x: Option<f64>| x.map_or_else(String::new, |v| format!("{v}"));
    for r in &report.runs {
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{},{},{},{},{}",
            quote(&r.setting),
            r.protocol,
            quote(&r.agents.join(" ")),
            r.repetition,
            r.seed,
            r.end,
            r.rounds,
            num(r.welfare),
            num(r.distance_to_nash),
            num(r.distance_to_pareto),
            quote(
                &r.utilities
                    .as_ref()
                    .map(|u| u.iter().map(|x| format!("{x}")).collect::<Vec<_>>().join(" "))
                    .unwrap_or_default()
            )
        );
    }
    out
}

/// One colour per agent, the same in every panel: Okabe–Ito without yellow and black, then two greys.
const BARS: [&str; 8] =
    ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#7f6b3a", "#8c8c8c"];

/// A bar chart per protocol: each agent's mean share (bar) and agreement rate (tick), best first.
pub fn tournament_svg(report: &TournamentReport) -> String {
    let mut protocols: Vec<&str> = Vec::new();
    for row in &report.table {
        if !protocols.contains(&row.protocol.as_str()) {
            protocols.push(&row.protocol);
        }
    }
    let agents = report.agents.len().max(1);
    let (left, top, bar, gap, panel_w) = (110.0, 70.0, 18.0, 6.0, 300.0);
    let panel_h = agents as f64 * (bar + gap) + 40.0;
    let width = left + protocols.len().max(1) as f64 * (panel_w + left);
    let height = top + panel_h + 50.0;
    let mut svg = String::new();
    let _ = writeln!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" aria-labelledby="ttitle tdesc" font-family="system-ui, sans-serif" font-size="12">"#
    );
    let _ = writeln!(svg, r#"<title id="ttitle">Tournament results by agent and protocol</title>"#);
    let _ = writeln!(
        svg,
        r#"<desc id="tdesc">For each protocol, each agent's mean utility as a share of its party's range (bars) and its agreement rate (black ticks), over {} runs.</desc>"#,
        report.runs.len()
    );
    let _ = writeln!(svg, r##"<rect width="100%" height="100%" fill="#ffffff"/>"##);
    let _ = writeln!(
        svg,
        r##"<text x="20" y="24" font-size="16" font-weight="600" fill="#111">Tournament: mean share (bars) and agreement rate (ticks)</text><text x="20" y="44" fill="#444">{} runs · deadline {} rounds · seed {}</text>"##,
        report.runs.len(),
        report.deadline,
        report.seed
    );
    for (n, protocol) in protocols.iter().enumerate() {
        let x0 = left + n as f64 * (panel_w + left);
        let mut rows: Vec<&TournamentRow> =
            report.table.iter().filter(|r| r.protocol == *protocol).collect();
        rows.sort_by(|a, b| b.mean_share.total_cmp(&a.mean_share));
        let _ = writeln!(
            svg,
            r##"<g class="panel" data-protocol="{}"><text x="{x0}" y="{:.1}" font-weight="600" fill="#222">{}</text><line x1="{x0}" x2="{x0}" y1="{top}" y2="{:.1}" stroke="#888"/><line x1="{:.1}" x2="{:.1}" y1="{top}" y2="{:.1}" stroke="#eee"/><text x="{x0}" y="{:.1}" text-anchor="middle" fill="#444">0</text><text x="{:.1}" y="{:.1}" text-anchor="middle" fill="#444">1</text>"##,
            escape(protocol),
            top - 8.0,
            escape(protocol),
            top + panel_h - 30.0,
            x0 + panel_w,
            x0 + panel_w,
            top + panel_h - 30.0,
            top + panel_h - 14.0,
            x0 + panel_w,
            top + panel_h - 14.0
        );
        for (i, r) in rows.iter().enumerate() {
            let y = top + 4.0 + i as f64 * (bar + gap);
            let _ = writeln!(
                svg,
                r##"<text x="{:.1}" y="{:.1}" text-anchor="end" fill="#222">{}</text><rect x="{x0}" y="{y:.1}" width="{:.1}" height="{bar}" fill="{}"><title>{}: mean share {:.3}, agreement {:.1}%</title></rect><line x1="{tick:.1}" x2="{tick:.1}" y1="{:.1}" y2="{:.1}" stroke="#ffffff" stroke-width="7"/><line x1="{tick:.1}" x2="{tick:.1}" y1="{:.1}" y2="{:.1}" stroke="#111" stroke-width="3"/>"##,
                x0 - 8.0,
                y + bar * 0.7,
                escape(&r.agent),
                panel_w * r.mean_share.clamp(0.0, 1.0),
                BARS[report.agents.iter().position(|a| *a == r.agent).unwrap_or(i) % BARS.len()],
                escape(&r.agent),
                r.mean_share,
                r.agreement_rate * 100.0,
                y - 3.0,
                y + bar + 3.0,
                y - 2.0,
                y + bar + 2.0,
                tick = x0 + panel_w * r.agreement_rate,
            );
        }
        let _ = writeln!(svg, "</g>");
    }
    let _ = writeln!(svg, "</svg>");
    svg
}

/// What a rehearsal is asked for: the same fields for `truce simulate`, the API and the page. Errors
/// name the field.
#[derive(Debug, Clone, serde::Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SimulationAsk {
    /// Protocols: `saop`, `stacked`, `single-text`, each at most once (default: all three).
    #[serde(default = "all_protocols")]
    pub protocols: Vec<String>,
    /// One agent for every party, or one per party in the order of `parties` (default: `boulware`).
    #[serde(default = "default_agents")]
    pub agents: Vec<String>,
    /// The deadline in rounds (default 100; at most [`MAX_ROUNDS`]).
    #[serde(default = "default_rounds")]
    pub rounds: u32,
    /// The seed (default 1).
    #[serde(default = "default_seed")]
    pub seed: u64,
    /// The reading whose hard constraints bound the packages (default `red_lines`).
    #[serde(default = "default_reading")]
    pub reading: String,
    /// The parties at the table (ids), in the order they move: the first listed moves first (default:
    /// all, in the scenario's order).
    #[serde(default)]
    pub parties: Option<Vec<String>>,
    /// Replay the positions known on this date (YYYY-MM-DD).
    #[serde(default)]
    pub as_of: Option<String>,
    /// The two parties on the plot's axes (ids; default the first two at the table).
    #[serde(default)]
    pub axes: Option<Vec<String>>,
}

/// The longest deadline accepted, in rounds.
pub const MAX_ROUNDS: u32 = 10_000;

/// The most runs one rehearsal makes: one per protocol asked for, each protocol at most once, with one
/// line-up of agents.
pub const MAX_RUNS: usize = Protocol::ALL.len();

/// The largest rehearsal document, in bytes of compact JSON (as the API sends it): 8 MiB. Each run's
/// trace keeps at most `truce_sim::TRACE_LIMIT` moves, and fewer when the document would otherwise be
/// larger; the document's `trace_limit` says how many it kept.
pub const MAX_DOCUMENT_BYTES: usize = 8 << 20;

/// The most points of the Pareto set one offer-trace plot draws.
pub const MAX_PLOT_POINTS: usize = 2_000;

fn all_protocols() -> Vec<String> {
    Protocol::ALL.iter().map(|p| p.as_str().to_string()).collect()
}
fn default_agents() -> Vec<String> {
    vec!["boulware".to_string()]
}
fn default_rounds() -> u32 {
    100
}
fn default_seed() -> u64 {
    1
}
fn default_reading() -> String {
    "red_lines".to_string()
}

impl Default for SimulationAsk {
    fn default() -> Self {
        SimulationAsk {
            protocols: all_protocols(),
            agents: default_agents(),
            rounds: default_rounds(),
            seed: default_seed(),
            reading: default_reading(),
            parties: None,
            as_of: None,
            axes: None,
        }
    }
}

/// A rehearsal's document and its plots, one per run.
pub struct Simulation {
    /// The document.
    pub report: SimulationReport,
    /// The offer-trace plot of each run, in run order.
    pub svgs: Vec<String>,
}

/// One agent for every seat, or one per seat.
fn seat_agents(specs: &[AgentSpec], parties: &[&str]) -> Result<Vec<AgentSpec>, String> {
    match specs.len() {
        1 => Ok(vec![specs[0]; parties.len()]),
        n if n == parties.len() => Ok(specs.to_vec()),
        n => Err(format!(
            "agents: {n} agents for {} parties ({}): give one agent for all, or one per party in that order",
            parties.len(),
            parties.join(", ")
        )),
    }
}

/// The plot's axes: two parties at the table, as indices into `parties`.
fn axes_of(axes: Option<&[String]>, parties: &[&str]) -> Result<(usize, usize), String> {
    let Some(pair) = axes else { return Ok((0, 1.min(parties.len().saturating_sub(1)))) };
    let find = |id: &str| {
        parties.iter().position(|x| *x == id).ok_or_else(|| {
            format!("axes: {id:?} is not at the table; expected two of {}", parties.join(", "))
        })
    };
    match pair {
        [x, y] => Ok((find(x)?, find(y)?)),
        _ => Err(format!("axes: {} ids given: expected two party ids", pair.len())),
    }
}

/// What [`check_ask`] reads out of a request.
struct Checked {
    reading: truce_table::Reading,
    protocols: Vec<Protocol>,
    agents: Vec<AgentSpec>,
    as_of: Option<truce_scenario::Date>,
}

fn checked(ask: &SimulationAsk) -> Result<Checked, String> {
    if ask.rounds == 0 || ask.rounds > MAX_ROUNDS {
        return Err(format!("rounds: {}: expected 1 to {MAX_ROUNDS}", ask.rounds));
    }
    let reading: truce_table::Reading = ask.reading.parse().map_err(|e| format!("reading: {e}"))?;
    if ask.protocols.is_empty() {
        return Err("protocols: none given: expected saop, stacked or single-text".to_string());
    }
    let mut protocols: Vec<Protocol> = Vec::new();
    for name in &ask.protocols {
        let protocol = Protocol::parse(name).map_err(|e| format!("protocols: {e}"))?;
        if protocols.contains(&protocol) {
            return Err(format!(
                "protocols: {name:?} repeats {}: each protocol runs at most once ({MAX_RUNS} runs at most)",
                protocol.as_str()
            ));
        }
        protocols.push(protocol);
    }
    if ask.agents.is_empty() {
        return Err(format!("agents: none given: expected one of {}", AgentSpec::NAMES));
    }
    let agents: Vec<AgentSpec> = ask
        .agents
        .iter()
        .map(|a| AgentSpec::parse(a).map_err(|e| format!("agents: {e}")))
        .collect::<Result<_, _>>()?;
    if let Some(parties) = &ask.parties {
        if parties.is_empty() {
            return Err("parties: none given: expected the ids of the parties at the table, the first to move first".to_string());
        }
        let ids: Vec<&str> = parties.iter().map(|p| p.trim()).collect();
        for (k, id) in ids.iter().enumerate() {
            if ids[..k].contains(id) {
                return Err(format!("parties: {id} is given twice: each party takes one seat"));
            }
        }
        seat_agents(&agents, &ids)?;
        axes_of(ask.axes.as_deref(), &ids)?;
    } else if let Some(axes) = &ask.axes
        && axes.len() != 2
    {
        return Err(format!("axes: {} ids given: expected two party ids", axes.len()));
    }
    // One line-up of agents: one run per protocol.
    if protocols.len() > MAX_RUNS {
        return Err(format!(
            "protocols: {} runs asked for: expected at most {MAX_RUNS}",
            protocols.len()
        ));
    }
    let as_of = ask
        .as_of
        .as_deref()
        .map(|d| {
            d.parse::<truce_scenario::Date>()
                .map_err(|e| format!("as_of: expected a date as YYYY-MM-DD: {e}"))
        })
        .transpose()?;
    Ok(Checked { reading, protocols, agents, as_of })
}

/// Checks what can be checked of `ask` without the scenario: rounds (1 to [`MAX_ROUNDS`]), the
/// reading, the protocols (known, each at most once, so at most [`MAX_RUNS`] runs), the agents' names
/// and, when `parties` is given, the parties (no repeats), the number of agents (one, or one per party)
/// and the axes; and the date. The error names the field at fault and says what was expected.
pub fn check_ask(ask: &SimulationAsk) -> Result<(), String> {
    checked(ask).map(|_| ())
}

/// The table a request seats: its parties in seat order, each one's agent, and the plot's axes.
struct Seating {
    parties: Vec<truce_scenario::PartyIx>,
    agents: Vec<AgentSpec>,
    axes: (usize, usize),
}

fn seating(
    scenario: &Scenario,
    ask: &SimulationAsk,
    agents: &[AgentSpec],
) -> Result<Seating, String> {
    let parties = match &ask.parties {
        None => scenario.party_ixs().collect(),
        Some(ids) => crate::select_parties(scenario, ids.iter().map(String::as_str))
            .map_err(|e| format!("parties: {e}"))?,
    };
    let ids: Vec<&str> = parties.iter().map(|&p| scenario.party(p).id.as_str()).collect();
    let agents = seat_agents(agents, &ids)?;
    let axes = axes_of(ask.axes.as_deref(), &ids)?;
    Ok(Seating { parties, agents, axes })
}

/// Checks `ask` against `scenario` without rehearsing: everything [`check_ask`] checks, and the
/// parties (known ids), the number of agents (one, or one per party at the table) and the axes. A
/// request that passes fails in [`simulate`] only when the table is blocked under the reading or the
/// scenario's constraints tie too many combinations. The error names the field at fault.
pub fn check_ask_for(scenario: &Scenario, ask: &SimulationAsk) -> Result<(), String> {
    let Checked { agents, .. } = checked(ask)?;
    seating(scenario, ask, &agents).map(|_| ())
}

/// Rehearses `scenario` (read from `file`) as `ask` says: one run per protocol, with the parties seated
/// in the order of `ask.parties` (the first moves first) and the trace kept. The document stays within
/// [`MAX_DOCUMENT_BYTES`]. The error names the field at fault and says what was expected.
pub fn simulate(
    scenario: &Scenario,
    file: &str,
    ask: &SimulationAsk,
) -> Result<Simulation, String> {
    simulate_within(scenario, file, ask, MAX_DOCUMENT_BYTES)
}

/// [`simulate`], with the document kept within `limit` bytes of compact JSON instead of
/// [`MAX_DOCUMENT_BYTES`]: fewer trace moves, or an error saying the document would be over the limit
/// even without them.
pub fn simulate_within(
    scenario: &Scenario,
    file: &str,
    ask: &SimulationAsk,
    limit: usize,
) -> Result<Simulation, String> {
    let Checked { reading, protocols, agents, as_of } = checked(ask)?;
    let Seating { parties, agents: seats, axes: (a, b) } = seating(scenario, ask, &agents)?;
    let prepared = truce_sim::scenario_setting(scenario, as_of, Some(parties), reading)?;
    // Before any run: as many moves per trace as three quarters of the limit hold at the largest a move
    // of this scenario can take (the rest is for the agreements and the figures), so that the document
    // is never built larger than the limit. `fit` then measures it.
    let per_move: usize = protocols.iter().map(|&p| move_bound(scenario, &prepared, p) + 1).sum();
    let keep = ((limit - limit / 4) / per_move.max(1)).min(truce_sim::TRACE_LIMIT) & !1;
    let outcomes: Vec<Outcome> = protocols
        .iter()
        .map(|&protocol| {
            let mut built: Vec<_> = seats.iter().map(AgentSpec::build).collect();
            truce_sim::Run {
                setting: &prepared.setting,
                protocol,
                rounds: ask.rounds,
                seed: ask.seed,
                trace: true,
            }
            .play_keeping(&mut built, keep)
        })
        .collect();
    let played: Vec<Played<'_>> = protocols
        .iter()
        .zip(&outcomes)
        .map(|(&protocol, outcome)| Played { protocol, agents: &seats, outcome })
        .collect();
    let mut report = simulation_report(
        scenario,
        file,
        &prepared,
        reading,
        prepared.packages.clone(),
        ask.rounds,
        ask.seed,
        &played,
    );
    report.trace_limit = keep;
    drop(outcomes);
    fit(&mut report, limit)?;
    let scale = prepared.setting.scale;
    let frontier: Vec<Vec<f64>> = prepared
        .setting
        .frontier
        .iter()
        .map(|(u, _)| u.iter().map(|x| x * scale).collect())
        .collect();
    let svgs = (0..report.runs.len()).map(|k| trace_svg(&report, &frontier, k, a, b)).collect();
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

/// A tournament configuration file (`truce tournament CONFIG.toml`; see the README).
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TournamentConfig {
    /// The agents, by name.
    pub agents: Vec<String>,
    /// The protocols (default: all three).
    #[serde(default = "all_protocols")]
    pub protocols: Vec<String>,
    /// Deadline in rounds.
    #[serde(default = "default_rounds")]
    pub rounds: u32,
    /// Runs per assignment and protocol.
    #[serde(default = "default_repetitions")]
    pub repetitions: u32,
    /// The seed.
    #[serde(default = "default_seed")]
    pub seed: u64,
    /// Most assignments of agents to seats per setting.
    #[serde(default = "default_max_assignments")]
    pub max_assignments: usize,
    /// Where to write the results, relative to the configuration (default `<config stem>-results`).
    #[serde(default)]
    pub output: Option<String>,
    /// Scenario files or domain folders, relative to the configuration.
    #[serde(default)]
    pub scenario: Vec<ScenarioEntry>,
    /// Seeded random problems.
    #[serde(default)]
    pub synthetic: Vec<SyntheticEntry>,
}

fn default_repetitions() -> u32 {
    1
}
fn default_max_assignments() -> usize {
    1000
}

/// A scenario of a tournament.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioEntry {
    /// The scenario file or domain folder, relative to the configuration.
    pub path: String,
    /// Its name in the results (default: the path).
    #[serde(default)]
    pub name: Option<String>,
    /// The parties at the table (default: all).
    #[serde(default)]
    pub parties: Option<Vec<String>>,
    /// The reading (default `red_lines`).
    #[serde(default = "default_reading")]
    pub reading: String,
    /// For a domain folder: `genius` (default) or `negmas-raw`.
    #[serde(default)]
    pub semantics: Option<String>,
}

/// A seeded random problem of a tournament (`truce_table::synthetic_problem`).
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SyntheticEntry {
    /// Its name in the results.
    pub name: String,
    /// Parties (1 to 8).
    pub parties: usize,
    /// Issues.
    pub issues: usize,
    /// Options per issue.
    pub options: usize,
    /// Its seed.
    #[serde(default = "default_seed")]
    pub seed: u64,
}

/// The most runs a tournament configuration may make (settings × assignments × protocols ×
/// repetitions).
pub const MAX_TOURNAMENT_RUNS: u64 = 200_000;

/// The most rounds a tournament may play: its runs times its deadline.
pub const MAX_TOURNAMENT_ROUNDS: u64 = 100_000_000;

/// Where the fields that multiply a tournament's work are written in its configuration.
#[derive(Debug, Default, serde::Deserialize)]
struct FieldSpans {
    #[serde(default)]
    agents: Option<toml::Spanned<serde::de::IgnoredAny>>,
    #[serde(default)]
    protocols: Option<toml::Spanned<serde::de::IgnoredAny>>,
    #[serde(default)]
    rounds: Option<toml::Spanned<serde::de::IgnoredAny>>,
    #[serde(default)]
    repetitions: Option<toml::Spanned<serde::de::IgnoredAny>>,
    #[serde(default)]
    max_assignments: Option<toml::Spanned<serde::de::IgnoredAny>>,
}

/// The 1-based lines of the fields of a tournament configuration (`None` for a field left at its
/// default).
#[derive(Debug, Default, Clone, Copy)]
struct FieldLines {
    agents: Option<usize>,
    protocols: Option<usize>,
    rounds: Option<usize>,
    repetitions: Option<usize>,
    max_assignments: Option<usize>,
}

impl FieldLines {
    fn of(text: &str) -> FieldLines {
        let spans: FieldSpans = toml::from_str(text).unwrap_or_default();
        let line = |s: Option<toml::Spanned<serde::de::IgnoredAny>>| {
            s.map(|s| text[..s.span().start.min(text.len())].matches('\n').count() + 1)
        };
        FieldLines {
            agents: line(spans.agents),
            protocols: line(spans.protocols),
            rounds: line(spans.rounds),
            repetitions: line(spans.repetitions),
            max_assignments: line(spans.max_assignments),
        }
    }
}

/// `file: line N: field` (or `file: field (default)` for a field not written).
fn at(file: &str, line: Option<usize>, field: &str) -> String {
    match line {
        Some(n) => format!("{file}: line {n}: {field}"),
        None => format!("{file}: {field} (default)"),
    }
}

/// A checked tournament configuration: the agents and protocols parsed.
pub struct Tournament {
    /// The configuration as written.
    pub config: TournamentConfig,
    /// The agents.
    pub agents: Vec<AgentSpec>,
    /// The protocols.
    pub protocols: Vec<Protocol>,
    /// The configuration file, as named in errors.
    file: String,
    lines: FieldLines,
}

/// Parses and checks a tournament configuration. The error names the file, the line and the field.
pub fn parse_tournament(file: &str, text: &str) -> Result<Tournament, String> {
    let config: TournamentConfig = toml::from_str(text).map_err(|e| format!("{file}: {e}"))?;
    let lines = FieldLines::of(text);
    if config.agents.is_empty() {
        return Err(format!(
            "{}: empty: name at least one of {}",
            at(file, lines.agents, "agents"),
            AgentSpec::NAMES
        ));
    }
    if config.rounds == 0 || config.rounds > MAX_ROUNDS {
        return Err(format!(
            "{}: {}: expected 1 to {MAX_ROUNDS}",
            at(file, lines.rounds, "rounds"),
            config.rounds
        ));
    }
    if config.repetitions == 0 {
        return Err(format!(
            "{}: 0: expected at least 1",
            at(file, lines.repetitions, "repetitions")
        ));
    }
    if config.max_assignments == 0 {
        return Err(format!(
            "{}: 0: expected at least 1",
            at(file, lines.max_assignments, "max_assignments")
        ));
    }
    if config.scenario.is_empty() && config.synthetic.is_empty() {
        return Err(format!("{file}: no [[scenario]] and no [[synthetic]]: give at least one"));
    }
    for (i, s) in config.synthetic.iter().enumerate() {
        if !(1..=8).contains(&s.parties)
            || s.issues == 0
            || s.options == 0
            || s.options > u32::MAX as usize
        {
            return Err(format!(
                "{file}: synthetic[{i}]: expected 1 to 8 parties and at least one issue of at least one option"
            ));
        }
    }
    for (i, s) in config.scenario.iter().enumerate() {
        if let Err(e) = s.reading.parse::<truce_table::Reading>() {
            return Err(format!("{file}: scenario[{i}].reading: {e}"));
        }
        if let Some(sem) = &s.semantics
            && sem != "genius"
            && sem != "negmas-raw"
        {
            return Err(format!(
                "{file}: scenario[{i}].semantics: {sem:?}: expected genius or negmas-raw"
            ));
        }
    }
    let mut agents: Vec<AgentSpec> = Vec::new();
    for name in &config.agents {
        let agent = AgentSpec::parse(name)
            .map_err(|e| format!("{}: {e}", at(file, lines.agents, "agents")))?;
        if agents.contains(&agent) {
            return Err(format!(
                "{}: {name:?} repeats {}: name each agent once",
                at(file, lines.agents, "agents"),
                agent.name()
            ));
        }
        agents.push(agent);
    }
    if config.protocols.is_empty() {
        return Err(format!(
            "{}: empty: expected saop, stacked or single-text",
            at(file, lines.protocols, "protocols")
        ));
    }
    let mut protocols: Vec<Protocol> = Vec::new();
    for name in &config.protocols {
        let protocol = Protocol::parse(name)
            .map_err(|e| format!("{}: {e}", at(file, lines.protocols, "protocols")))?;
        if protocols.contains(&protocol) {
            return Err(format!(
                "{}: {name:?} repeats {}: name each protocol once",
                at(file, lines.protocols, "protocols"),
                protocol.as_str()
            ));
        }
        protocols.push(protocol);
    }
    Ok(Tournament { config, agents, protocols, file: file.to_string(), lines })
}

impl Tournament {
    /// Checks that `plan`, made from this configuration once its settings are known, stays within
    /// [`MAX_TOURNAMENT_RUNS`] runs and [`MAX_TOURNAMENT_ROUNDS`] rounds, counting without listing the
    /// runs. The error names the file, the line and the field to lower.
    pub fn check_plan(&self, plan: &truce_sim::Plan<'_>) -> Result<(), String> {
        let runs = plan.run_count();
        if runs > MAX_TOURNAMENT_RUNS {
            let (line, field) = if self.config.repetitions > 1 {
                (self.lines.repetitions, "repetitions")
            } else if self.lines.max_assignments.is_some() {
                (self.lines.max_assignments, "max_assignments")
            } else {
                (self.lines.agents, "agents")
            };
            return Err(format!(
                "{}: {} assignments of agents to seats × {} protocols × {} repetitions make {runs} runs, over the limit of {MAX_TOURNAMENT_RUNS}: lower repetitions or max_assignments, or name fewer agents",
                at(&self.file, line, field),
                plan.assignment_count(),
                plan.protocols.len(),
                plan.repetitions
            ));
        }
        let rounds = runs.saturating_mul(u64::from(plan.rounds));
        if rounds > MAX_TOURNAMENT_ROUNDS {
            return Err(format!(
                "{}: {runs} runs of up to {} rounds make {rounds} rounds, over the limit of {MAX_TOURNAMENT_ROUNDS}: lower rounds or the number of runs",
                at(&self.file, self.lines.rounds, "rounds"),
                plan.rounds
            ));
        }
        Ok(())
    }
}
