//! Negotiation rehearsals for people and machines: the `truce.simulation/1` document (one per
//! `truce simulate`, API job and page), its text form, and the offer trace plotted over the frontier.

use std::fmt::Write as _;

use schemars::JsonSchema;
use serde::Serialize;
use truce_scenario::Scenario;
use truce_sim::{Action, AgentSpec, End, Outcome, Protocol, ScenarioSetting};

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
    /// The parties at the table (ids), in seat order.
    pub parties: Vec<String>,
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
    /// The Nash point's utilities (the first when tied), for reference.
    pub nash: Option<Vec<f64>>,
    /// The runs.
    pub runs: Vec<RunReport>,
}

/// One negotiation.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RunReport {
    /// `saop`, `stacked` or `single-text`.
    pub protocol: String,
    /// Each seat's agent, in party order.
    pub agents: Vec<String>,
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
    /// The agreement's utility to each party.
    pub utilities: Option<Vec<f64>>,
    /// Euclidean distance in utility space from the agreement to the nearest Pareto point (0 on it).
    pub distance_to_pareto: Option<f64>,
    /// … to the nearest Nash point.
    pub distance_to_nash: Option<f64>,
    /// … to the nearest Kalai–Smorodinsky point.
    pub distance_to_ks: Option<f64>,
    /// The moves: every one, or the first and last 1,000 of a longer run (`truce_sim::TRACE_LIMIT`).
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
    /// Its utility to each party.
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

/// The report of `runs` on `prepared`, a setting of `scenario` under `reading`.
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
                let explained = truce_table::explain_package(
                    scenario,
                    &prepared.stances,
                    &prepared.model,
                    p,
                    u,
                    u.iter().sum(),
                );
                package_report(scenario, &explained)
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
            RunReport {
                protocol: played.protocol.as_str().to_string(),
                agents: played.agents.iter().map(AgentSpec::name).collect(),
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
    SimulationReport {
        schema: SIMULATION_SCHEMA_ID.to_string(),
        file: file.to_string(),
        title: scenario.meta.title.clone().unwrap_or_else(|| file.to_string()),
        reading: crate::report::ReadingName::from(reading).as_str().to_string(),
        parties: ids,
        deadline,
        seed,
        packages,
        pareto_size: setting.frontier.len(),
        exact: setting.parties.iter().all(|p| p.inverse.exact()),
        nash: setting
            .nash
            .first()
            .map(|&i| setting.frontier[i].0.iter().map(|x| x * scale).collect()),
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
    let _ = writeln!(out, "Parties: {}", report.parties.join(", "));
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
        let _ =
            writeln!(out, "  Offer trace ({} offers; utilities in party order):", proposals.len());
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
            let u: Vec<String> = m.utilities.iter().map(|x| format!("{x:.3}")).collect();
            let _ = writeln!(out, "    round {:>3}  {:<10} {}", m.round, m.by, u.join("  "));
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

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Okabe–Ito colours for the parties' offers (the mediator's texts in the first).
const COLOURS: [&str; 8] =
    ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"];

/// The offer trace of run `k` in utility space, over the Pareto set: x is the utility to party `a`, y to
/// party `b` (indices into [`SimulationReport::parties`]). Grey dots: the Pareto set of the whole table,
/// projected; one coloured path per party (or the mediator's texts), in order; a ring on the agreement; a
/// diamond on the Nash point.
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
    let _ = writeln!(
        svg,
        r#"<desc id="tdesc">{} offers by {} over the {} points of the Pareto set; {ended}.</desc>"#,
        run.trace.iter().filter(|m| m.action == "offer" || m.action == "text").count(),
        escape(&seats(&report.parties, &run.agents)),
        frontier.len()
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
    for u in frontier {
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
    /// Protocols: `saop`, `stacked`, `single-text` (default: all three).
    #[serde(default = "all_protocols")]
    pub protocols: Vec<String>,
    /// One agent for every party, or one per party in order (default: `boulware`).
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
    /// The parties at the table (ids; default all).
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
fn seat_agents(specs: &[AgentSpec], parties: &[String]) -> Result<Vec<AgentSpec>, String> {
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
    let reading = crate::report::reading_by_name(&ask.reading).ok_or_else(|| {
        format!("reading: {:?}: expected red_lines, strict or pessimistic", ask.reading)
    })?;
    if ask.protocols.is_empty() {
        return Err("protocols: none given: expected saop, stacked or single-text".to_string());
    }
    let protocols = ask
        .protocols
        .iter()
        .map(|p| Protocol::parse(p).map_err(|e| format!("protocols: {e}")))
        .collect::<Result<_, _>>()?;
    if ask.agents.is_empty() {
        return Err(format!("agents: none given: expected one of {}", AgentSpec::NAMES));
    }
    let agents = ask
        .agents
        .iter()
        .map(|a| AgentSpec::parse(a).map_err(|e| format!("agents: {e}")))
        .collect::<Result<_, _>>()?;
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

/// Checks what can be checked of `ask` without the scenario (rounds, reading, protocols, agent names,
/// the date). The error names the field at fault and says what was expected.
pub fn check_ask(ask: &SimulationAsk) -> Result<(), String> {
    checked(ask).map(|_| ())
}

/// Rehearses `scenario` (read from `file`) as `ask` says: one run per protocol, with the trace kept.
/// The error names the field at fault and says what was expected.
pub fn simulate(
    scenario: &Scenario,
    file: &str,
    ask: &SimulationAsk,
) -> Result<Simulation, String> {
    let Checked { reading, protocols, agents, as_of } = checked(ask)?;
    let parties = match &ask.parties {
        None => None,
        Some(ids) => Some(
            crate::select_parties(scenario, ids.iter().map(String::as_str))
                .map_err(|e| format!("parties: {e}"))?,
        ),
    };
    let prepared = truce_sim::scenario_setting(scenario, as_of, parties, reading)?;
    let ids: Vec<String> = prepared.parties.iter().map(|&p| scenario.party(p).id.clone()).collect();
    let seats = seat_agents(&agents, &ids)?;
    let (a, b) = match &ask.axes {
        None => (0, 1.min(ids.len() - 1)),
        Some(pair) => {
            let find = |id: &str| {
                ids.iter().position(|x| x == id).ok_or_else(|| {
                    format!("axes: {id:?} is not at the table; expected two of {}", ids.join(", "))
                })
            };
            match pair.as_slice() {
                [x, y] => (find(x)?, find(y)?),
                _ => return Err("axes: expected two party ids".to_string()),
            }
        }
    };
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
            .play(&mut built)
        })
        .collect();
    let played: Vec<Played<'_>> = protocols
        .iter()
        .zip(&outcomes)
        .map(|(&protocol, outcome)| Played { protocol, agents: &seats, outcome })
        .collect();
    let report = simulation_report(
        scenario,
        file,
        &prepared,
        reading,
        prepared.packages.clone(),
        ask.rounds,
        ask.seed,
        &played,
    );
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

/// A checked tournament configuration: the agents and protocols parsed.
pub struct Tournament {
    /// The configuration as written.
    pub config: TournamentConfig,
    /// The agents.
    pub agents: Vec<AgentSpec>,
    /// The protocols.
    pub protocols: Vec<Protocol>,
}

/// Parses and checks a tournament configuration. The error names the file, the line and the field.
pub fn parse_tournament(file: &str, text: &str) -> Result<Tournament, String> {
    let config: TournamentConfig = toml::from_str(text).map_err(|e| format!("{file}: {e}"))?;
    if config.agents.is_empty() {
        return Err(format!("{file}: agents: empty: name at least one of {}", AgentSpec::NAMES));
    }
    if config.rounds == 0 || config.rounds > MAX_ROUNDS {
        return Err(format!("{file}: rounds: {}: expected 1 to {MAX_ROUNDS}", config.rounds));
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
        if crate::report::reading_by_name(&s.reading).is_none() {
            return Err(format!(
                "{file}: scenario[{i}].reading: {:?}: expected red_lines, strict or pessimistic",
                s.reading
            ));
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
    let agents = config
        .agents
        .iter()
        .map(|a| AgentSpec::parse(a).map_err(|e| format!("{file}: agents: {e}")))
        .collect::<Result<_, _>>()?;
    let protocols = config
        .protocols
        .iter()
        .map(|p| Protocol::parse(p).map_err(|e| format!("{file}: protocols: {e}")))
        .collect::<Result<_, _>>()?;
    Ok(Tournament { config, agents, protocols })
}
