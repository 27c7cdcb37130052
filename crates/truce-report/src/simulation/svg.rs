//! The rehearsal's offer-trace plot and the tournament's standings chart, as SVG.

use std::fmt::Write as _;

use truce_syntax::escape_xml as escape;

use crate::simulation::text::{seats, utilities_line};
use crate::simulation::{
    EndName, MAX_PLOT_POINTS, MoveReport, ProtocolName, SimulationReport, TournamentReport,
    TournamentRow,
};

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
        escape(run.protocol.as_str()),
        escape(xa),
        escape(yb)
    );
    let ended = if run.end == EndName::Agreement {
        format!("agreement in round {}", run.rounds)
    } else {
        format!("no agreement ({})", run.end.as_str().replace('_', " "))
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
        run.trace.iter().filter(|m| m.action.proposes()).count(),
        escape(&seats(&report.parties, &run.agents)),
    );
    let _ = writeln!(svg, r##"<rect width="100%" height="100%" fill="#ffffff"/>"##);
    let _ = writeln!(
        svg,
        r##"<text x="{left}" y="24" font-size="16" font-weight="600" fill="#111">{} · {} × {} · {ended}</text>"##,
        escape(run.protocol.as_str()),
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
        if (m.action.proposes()) && !movers.contains(&m.by.as_str()) {
            movers.push(&m.by);
        }
    }
    for (i, who) in movers.iter().enumerate() {
        let colour = COLOURS[i % COLOURS.len()];
        let points: Vec<&MoveReport> =
            run.trace.iter().filter(|m| m.by == *who && (m.action.proposes())).collect();
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

/// One colour per agent, the same in every panel: Okabe–Ito without yellow and black, then two greys.
const BARS: [&str; 8] =
    ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#7f6b3a", "#8c8c8c"];

/// A bar chart per protocol: each agent's mean share (bar) and agreement rate (tick), best first.
pub fn tournament_svg(report: &TournamentReport) -> String {
    let mut protocols: Vec<ProtocolName> = Vec::new();
    for row in &report.table {
        if !protocols.contains(&row.protocol) {
            protocols.push(row.protocol);
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
            escape(protocol.as_str()),
            top - 8.0,
            escape(protocol.as_str()),
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
