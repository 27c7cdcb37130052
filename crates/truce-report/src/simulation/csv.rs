//! A tournament's runs as CSV.

use std::fmt::Write as _;

use crate::simulation::TournamentReport;

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
