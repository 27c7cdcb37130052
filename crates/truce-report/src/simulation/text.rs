//! The rehearsal and tournament documents for a terminal.

use std::fmt::Write as _;

use crate::simulation::{
    ActionName, EndName, MoveReport, ProtocolName, SimulationReport, TournamentReport,
    TournamentRow,
};

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
        report.reading.as_str(),
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
        match (run.end, &run.agreement) {
            (EndName::Agreement, Some(package)) => {
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
            (EndName::WalkedAway, _) => {
                let _ = writeln!(
                    out,
                    "No agreement: {} walked away in round {}",
                    run.walked_away.as_deref().unwrap_or("a party"),
                    run.rounds
                );
            }
            (EndName::NoText, _) => {
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
                if let Some(last) = run.trace.iter().rev().find(|m| m.action.proposes()) {
                    let _ = writeln!(
                        out,
                        "  Last {} by {}: {}",
                        last.action,
                        last.by,
                        last.package.join(", ")
                    );
                }
                for m in run.trace.iter().rev().take_while(|m| m.action == ActionName::Object) {
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
            run.trace.iter().filter(|m| m.action.proposes()).collect();
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

/// The results table for a terminal.
pub fn tournament_text(report: &TournamentReport) -> String {
    let mut out = String::new();
    let runs = report.runs.len();
    let agreed = report.runs.iter().filter(|r| r.end == EndName::Agreement).count();
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
    let mut protocols: Vec<ProtocolName> = Vec::new();
    for row in &report.table {
        if !protocols.contains(&row.protocol) {
            protocols.push(row.protocol);
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

pub(crate) fn utilities_line(parties: &[String], u: &[f64]) -> String {
    parties.iter().zip(u).map(|(p, x)| format!("{p} {x:.3}")).collect::<Vec<_>>().join(", ")
}

pub(crate) fn seats(parties: &[String], agents: &[String]) -> String {
    parties.iter().zip(agents).map(|(p, a)| format!("{p}: {a}")).collect::<Vec<_>>().join(", ")
}
