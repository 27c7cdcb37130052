//! A 3-party tournament on 10¹⁰ packages runs without enumerating them, in bounded memory.
//!
//! This test is its own binary (`tests/memory.rs`), so the process's peak resident memory is this test's:
//! enumerating 10¹⁰ packages would need at least 10¹⁰ bytes even at one byte each. The bound asserted is
//! 1 GiB at peak, for the whole process.

#![allow(clippy::print_stdout)]

use truce_sim::{AgentSpec, End, Plan, Protocol, Setting, play, standings};
use truce_table::synthetic_problem;

/// The process's peak resident memory (`VmHWM`), in bytes.
fn peak_rss() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status (Linux)");
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).expect("VmHWM");
    line.split_whitespace().nth(1).and_then(|k| k.parse::<u64>().ok()).expect("VmHWM in kB") * 1024
}

#[test]
fn a_three_party_tournament_on_ten_billion_packages_stays_within_a_gigabyte() {
    let problem = synthetic_problem(3, 10, 10, 2026);
    assert_eq!(problem.size(), 1e10);
    let setting = Setting::new(problem, 1.0, vec!["A".into(), "B".into(), "C".into()]);
    assert!(
        !setting.parties[0].inverse.exact(),
        "10^10 packages cannot have been inverted exactly"
    );
    let plan = Plan {
        settings: vec![("synthetic 3×10×10".to_string(), &setting)],
        agents: ["boulware", "conceder", "micro"]
            .iter()
            .map(|a| AgentSpec::parse(a).unwrap())
            .collect(),
        protocols: Protocol::ALL.to_vec(),
        rounds: 100,
        repetitions: 1,
        seed: 7,
        max_assignments: 1000,
    };
    let records = play(&plan, &|| {});
    let peak = peak_rss();
    assert_eq!(records.len(), 27 * 3);
    let agreed = records.iter().filter(|r| r.end == End::Agreement).count();
    let table = standings(&plan, &records);
    println!(
        "10^10 packages, 3 parties: {} runs, {agreed} agreements, Pareto set {} points, peak {:.1} MiB",
        records.len(),
        setting.frontier.len(),
        peak as f64 / (1024.0 * 1024.0)
    );
    for (protocol, rows) in &table.by_protocol {
        for row in rows {
            println!(
                "  {:<12} {:<9} agreement {:.2} share {:.3}",
                protocol.as_str(),
                row.agent.name(),
                row.agreement_rate,
                row.mean_share
            );
        }
    }
    assert!(agreed > 0, "no agreement at all");
    assert!(peak < 1 << 30, "peak {peak} bytes");
}
