//! Rehearsals name the right party, and stay within their bounds (issue 21, findings 2 and 12).
//!
//! The property: a party's figures in a rehearsal depend on its name, its agent and its turn, never on
//! where the scenario file happens to declare it. Two files that differ only in the order of their
//! `[[parties]]` tables, rehearsed with the same `parties` list and agents, give the same document, byte
//! for byte. And figures that do not depend on turns (reservation values, ranges, the Nash and KS points,
//! a mediator's single text among agents that draw no random numbers) are the same under every seating,
//! party by party.

// The size tests print the sizes they measure, as the test runner shows them.
#![allow(clippy::print_stdout)]

use std::collections::BTreeMap;

use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;
use truce_report::simulation::{
    DocumentBudget, MAX_DOCUMENT_BYTES, MAX_PLOT_POINTS, Simulation, SimulationReport,
};
use truce_scenario::Scenario;
use truce_sim::{MAX_ROUNDS, MAX_RUNS, SimulationAsk};

/// What the CLI, the API's job and the page do: check the ask, rehearse, and make the document.
fn simulate(scenario: &Scenario, file: &str, ask: &SimulationAsk) -> Result<Simulation, String> {
    simulate_within(scenario, file, ask, MAX_DOCUMENT_BYTES)
}

/// [`simulate`], with the document kept within `limit` bytes.
fn simulate_within(
    scenario: &Scenario,
    file: &str,
    ask: &SimulationAsk,
    limit: usize,
) -> Result<Simulation, String> {
    let ask = ask.check()?;
    let budget = DocumentBudget(limit);
    let rehearsal = truce_sim::simulate(scenario, &ask, &budget)?;
    truce_report::simulation::document(scenario, file, &ask, &rehearsal, budget)
}

const IDS: [&str; 3] = ["A", "B", "C"];
const STANCES: [&str; 5] = ["demanded", "acceptable", "opposed", "unknown", "red_line"];
const AGENTS: [&str; 9] = [
    "boulware",
    "linear",
    "conceder",
    "aspiration:2",
    "hardheaded",
    "tft",
    "tft-relative",
    "micro",
    "random",
];

/// A small scenario: the parties, issues of a few options each, stances and preferences.
#[derive(Debug, Clone)]
struct Small {
    parties: usize,
    /// Options per issue.
    issues: Vec<usize>,
    /// `stances[party][issue][option]`: an index into [`STANCES`], or none.
    stances: Vec<Vec<Vec<Option<usize>>>>,
    /// Per party: its reservation value, its weights and its utilities, when it has preferences.
    preferences: Vec<Option<Preferences>>,
}

#[derive(Debug, Clone)]
struct Preferences {
    reservation: Option<f64>,
    weights: Option<Vec<f64>>,
    utilities: Vec<Vec<Option<f64>>>,
}

impl Small {
    /// The scenario's text with its `[[parties]]` tables in `order` (indices into [`IDS`]). Each
    /// table takes the same number of lines, so every other line (and every citation) is the same
    /// whatever the order.
    fn text(&self, order: &[usize]) -> String {
        let mut t = String::from("[meta]\ntitle = \"small\"\nmax_quote_words = 5\n\n");
        for &p in order {
            t += &format!("[[parties]]\nid = \"{}\"\n\n", IDS[p]);
        }
        for (i, &options) in self.issues.iter().enumerate() {
            t += &format!("[[issues]]\nid = \"i{i}\"\nname = \"Issue {i}\"\n\n");
            for o in 0..options {
                t += &format!("[[issues.options]]\nid = \"i{i}.o{o}\"\n\n");
            }
        }
        t += "[[sources]]\nid = \"s1\"\npublication = \"Paper\"\ndate = 2025-01-02\n\n";
        for (p, issues) in self.stances.iter().enumerate() {
            for (i, options) in issues.iter().enumerate() {
                for (o, stance) in options.iter().enumerate() {
                    if let Some(s) = stance {
                        t += &format!(
                            "[[positions]]\nparty = \"{}\"\nissue = \"i{i}\"\noption = \"i{i}.o{o}\"\nstance = \"{}\"\ndate = 2025-03-01\nsource = \"s1\"\nquote = \"said so\"\n\n",
                            IDS[p], STANCES[*s]
                        );
                    }
                }
            }
        }
        for (p, prefs) in self.preferences.iter().enumerate() {
            let Some(prefs) = prefs else { continue };
            t += &format!("[[preferences]]\nparty = \"{}\"\n", IDS[p]);
            if let Some(r) = prefs.reservation {
                t += &format!("reservation = {r:?}\n");
            }
            if let Some(w) = &prefs.weights {
                let w: Vec<String> =
                    w.iter().enumerate().map(|(i, x)| format!("i{i} = {x:?}")).collect();
                t += &format!("weights = {{ {} }}\n", w.join(", "));
            }
            let u: Vec<String> = prefs
                .utilities
                .iter()
                .enumerate()
                .flat_map(|(i, options)| {
                    options
                        .iter()
                        .enumerate()
                        .filter_map(move |(o, x)| x.map(|x| format!("\"i{i}.o{o}\" = {x:?}")))
                })
                .collect();
            if !u.is_empty() {
                t += &format!("utilities = {{ {} }}\n", u.join(", "));
            }
            t += "\n";
        }
        t
    }

    fn scenario(&self, order: &[usize]) -> Scenario {
        let (s, diags) = truce_scenario::parse("small.toml", &self.text(order));
        s.unwrap_or_else(|| panic!("{diags:?}\n{}", self.text(order)))
    }
}

/// A small scenario: either any, or two parties of stances only, the second's the mirror of the first's
/// (its stance on an issue's option k is the first's on the option k from the end), so that every
/// point of the Pareto set has its mirror image and the Nash point is tied between two.
fn small() -> impl Strategy<Value = Small> {
    prop_oneof![any_small(), mirrored()]
}

fn mirrored() -> impl Strategy<Value = Small> {
    prop::collection::vec(2..=4usize, 1..=4).prop_flat_map(|issues| {
        let stance = prop::option::weighted(0.7, prop::sample::select(vec![0, 1, 1, 2, 3]));
        let first =
            issues.iter().map(|&k| prop::collection::vec(stance.clone(), k)).collect::<Vec<_>>();
        first.prop_map(move |first: Vec<Vec<Option<usize>>>| {
            let second = first.iter().map(|o| o.iter().rev().copied().collect()).collect();
            Small {
                parties: 2,
                issues: issues.clone(),
                stances: vec![first, second],
                preferences: vec![None, None],
            }
        })
    })
}

fn any_small() -> impl Strategy<Value = Small> {
    (2..=3usize, prop::collection::vec(2..=4usize, 1..=3)).prop_flat_map(|(parties, issues)| {
        let stance = prop::option::weighted(0.6, prop::sample::select(vec![0, 1, 1, 2, 3, 4]));
        let stances = prop::collection::vec(
            issues.iter().map(|&k| prop::collection::vec(stance.clone(), k)).collect::<Vec<_>>(),
            parties,
        );
        let value = (0..=20u32).prop_map(|x| f64::from(x) / 20.0);
        // Parties without preferences value options by stance only, so ties (between packages, and
        // between mirrored Nash points) are common.
        let preferences = prop::option::weighted(
            0.35,
            (
                prop::option::of((0..=12u32).prop_map(|x| f64::from(x) / 20.0)),
                prop::option::of(prop::collection::vec(
                    (1..=9u32).prop_map(|x| f64::from(x) / 7.0),
                    issues.len(),
                )),
                issues
                    .iter()
                    .map(|&k| prop::collection::vec(prop::option::of(value.clone()), k))
                    .collect::<Vec<_>>(),
            )
                .prop_map(|(reservation, weights, utilities)| Preferences {
                    reservation,
                    weights,
                    utilities,
                }),
        );
        (stances, prop::collection::vec(preferences, parties)).prop_map(
            move |(stances, preferences)| Small {
                parties,
                issues: issues.clone(),
                stances,
                preferences,
            },
        )
    })
}

/// A small scenario, two orders of its parties in the file, a seating (the order of `parties`), a
/// second seating of the same parties, an agent per seat of the first, a deadline and a seed.
type Case = (Small, Vec<usize>, Vec<usize>, Vec<usize>, Vec<usize>, u32, u64);

fn case() -> impl Strategy<Value = Case> {
    small().prop_flat_map(|s| {
        let all: Vec<usize> = (0..s.parties).collect();
        (
            Just(s.clone()),
            Just(all.clone()).prop_shuffle(),
            Just(all.clone()).prop_shuffle(),
            Just(all.clone()).prop_shuffle(),
            prop::collection::vec(0..AGENTS.len(), s.parties),
            1..=40u32,
            any::<u64>(),
        )
    })
}

fn ask(seating: &[usize], agents: &[usize], rounds: u32, seed: u64) -> SimulationAsk {
    SimulationAsk {
        parties: Some(seating.iter().map(|&p| IDS[p].to_string()).collect()),
        agents: agents.iter().map(|&a| AGENTS[a].to_string()).collect(),
        rounds,
        seed,
        ..SimulationAsk::default()
    }
}

fn json(report: &SimulationReport) -> String {
    serde_json::to_string(report).unwrap()
}

/// A vector of the document, party by party.
fn by_name(report: &SimulationReport, values: &[f64]) -> BTreeMap<String, u64> {
    assert_eq!(values.len(), report.parties.len(), "one value per party");
    report.parties.iter().cloned().zip(values.iter().map(|x| x.to_bits())).collect()
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 256,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(
            "tests/proptest-regressions/simulation.txt"
        ))),
        ..ProptestConfig::default()
    })]

    #[test]
    fn every_party_keeps_its_figures_whatever_the_file_order_and_the_seating(
        (small, file_order, seating, other_seating, agents, rounds, seed) in case()
    ) {
        // The reference declares the parties in the order they are seated, so that file order and seat
        // order agree; the other file declares them in another order.
        let reference = small.scenario(&seating);
        let shuffled = small.scenario(&file_order);
        let a = ask(&seating, &agents, rounds, seed);
        let expected = simulate(&reference, "small.toml", &a);
        let got = simulate(&shuffled, "small.toml", &a);
        match (&expected, &got) {
            (Ok(expected), Ok(got)) => {
                prop_assert_eq!(json(&got.report), json(&expected.report));
                prop_assert_eq!(&got.svgs, &expected.svgs);
            }
            (Err(e), Err(g)) => prop_assert_eq!(e, g),
            _ => prop_assert!(false, "one file rehearses, the other does not: {:?} {:?}",
                expected.as_ref().err(), got.as_ref().err()),
        }
        let Ok(first) = expected else { return Ok(()) };
        let first = first.report;

        // The first listed moves first, with the first agent listed.
        for run in &first.runs {
            let mover = run.trace.iter().find(|m| m.by != "mediator").map(|m| m.by.clone());
            if run.protocol.as_str() != "single-text" {
                prop_assert_eq!(mover.as_deref(), Some(IDS[seating[0]]));
            }
            for (k, seat) in run.seats.iter().enumerate() {
                prop_assert_eq!(&seat.party, IDS[seating[k]]);
                prop_assert_eq!(&seat.agent, AGENTS[agents[k]]);
                prop_assert_eq!(seat.utility, run.utilities.as_ref().map(|u| u[k]));
            }
            if let (Some(package), Some(u)) = (&run.agreement, &run.utilities) {
                // The agreement's accounts, party by party, say what its utility vector says.
                let accounts: Vec<&str> = package.parties.iter().map(|p| p.party.as_str()).collect();
                let parties: Vec<&str> = first.parties.iter().map(String::as_str).collect();
                prop_assert_eq!(accounts, parties);
                for (account, x) in package.parties.iter().zip(u) {
                    prop_assert_eq!(account.utility.to_bits(), x.to_bits());
                }
            }
        }

        // Another seating of the same parties, each keeping its agent.
        let moved: Vec<usize> = other_seating
            .iter()
            .map(|p| agents[seating.iter().position(|q| q == p).unwrap()])
            .collect();
        let second = simulate(&reference, "small.toml", &ask(&other_seating, &moved, rounds, seed))
            .unwrap()
            .report;
        let own = |r: &SimulationReport| -> BTreeMap<String, String> {
            r.seats.iter().map(|s| {
                (s.party.clone(), format!("{:?} {} {} {:?} {:?}", s.reservation.map(f64::to_bits),
                    s.min.to_bits(), s.max.to_bits(), s.nash.map(f64::to_bits), s.ks.map(f64::to_bits)))
            }).collect()
        };
        prop_assert_eq!(own(&second), own(&first));
        prop_assert_eq!(
            first.nash.as_ref().map(|n| by_name(&first, n)),
            second.nash.as_ref().map(|n| by_name(&second, n))
        );
        prop_assert_eq!(first.pareto_size, second.pareto_size);
        for (x, y) in first.runs.iter().zip(&second.runs) {
            let agent = |r: &truce_report::simulation::RunReport| -> BTreeMap<String, String> {
                r.seats.iter().map(|s| (s.party.clone(), s.agent.clone())).collect()
            };
            prop_assert_eq!(agent(y), agent(x));
        }
        // The mediator's single text does not depend on turns when no agent draws random numbers.
        if !agents.iter().any(|&a| AGENTS[a] == "random") {
            let (x, y) = (&first.runs[2], &second.runs[2]);
            prop_assert_eq!(x.protocol.as_str(), "single-text");
            prop_assert_eq!((&x.end, x.rounds, x.offers), (&y.end, y.rounds, y.offers));
            prop_assert_eq!(
                x.utilities.as_ref().map(|u| by_name(&first, u)),
                y.utilities.as_ref().map(|u| by_name(&second, u))
            );
        }
    }
}

fn seed() -> Scenario {
    let text = include_str!("../../../scenarios/ukraine-2025.toml");
    truce_scenario::parse("ukraine-2025.toml", text).0.unwrap()
}

#[test]
fn each_limit_of_a_rehearsal_is_refused_with_its_field() {
    let scenario = seed();
    let cases: Vec<(SimulationAsk, &str)> = vec![
        (
            SimulationAsk {
                protocols: vec!["saop".into(), "stacked".into(), "saop".into()],
                ..SimulationAsk::default()
            },
            "protocols: \"saop\" repeats saop: each protocol runs at most once (3 runs at most)",
        ),
        (
            SimulationAsk {
                protocols: vec!["stacked".into(), "saopmn".into()],
                ..SimulationAsk::default()
            },
            "protocols: \"saopmn\" repeats stacked",
        ),
        (
            SimulationAsk { rounds: MAX_ROUNDS + 1, ..SimulationAsk::default() },
            "rounds: 10001: expected 1 to 10000",
        ),
        (SimulationAsk { rounds: 0, ..SimulationAsk::default() }, "rounds: 0: expected 1 to 10000"),
        (
            SimulationAsk {
                parties: Some(vec!["UKR".into(), "RUS".into()]),
                agents: vec!["boulware".into(), "conceder".into(), "linear".into()],
                ..SimulationAsk::default()
            },
            "agents: 3 agents for 2 parties (UKR, RUS): give one agent for all, or one per party in that order",
        ),
        (
            SimulationAsk {
                parties: Some(vec!["UKR".into(), "UKR".into()]),
                ..SimulationAsk::default()
            },
            "parties: UKR is given twice",
        ),
        (
            SimulationAsk { parties: Some(vec![]), ..SimulationAsk::default() },
            "parties: none given",
        ),
        (
            SimulationAsk {
                parties: Some(vec!["UKR".into(), "RUS".into()]),
                axes: Some(vec!["UKR".into(), "USA".into()]),
                ..SimulationAsk::default()
            },
            "axes: \"USA\" is not at the table; expected two of UKR, RUS",
        ),
    ];
    for (ask, says) in &cases {
        for result in
            [ask.check().map(|_| ()), ask.check().and_then(|c| c.seat(&scenario).map(|_| ()))]
        {
            let e = result.expect_err(says);
            assert!(e.starts_with(says), "{e}\nexpected: {says}");
        }
        let e = simulate(&scenario, "seed", ask).err().unwrap();
        assert!(e.starts_with(says), "{e}");
    }
    // Without `parties`, only the scenario says how many agents are too many.
    let nine = SimulationAsk { agents: vec!["linear".into(); 9], ..SimulationAsk::default() };
    let checked = nine.check().unwrap();
    let e = checked.seat(&scenario).unwrap_err();
    assert!(e.starts_with("agents: 9 agents for 8 parties"), "{e}");
    assert_eq!(MAX_RUNS, 3);
}

/// The largest request the seed scenario allows: every party, every protocol once, the longest deadline,
/// agents that never agree (so that every run plays to the deadline). Its document is measured, as the
/// API serialises it.
#[test]
fn the_largest_rehearsal_of_the_seed_stays_within_the_document_limit() {
    let scenario = seed();
    let ask = SimulationAsk {
        agents: vec!["hardheaded".into()],
        rounds: MAX_ROUNDS,
        ..SimulationAsk::default()
    };
    let sim = simulate(&scenario, "ukraine-2025.toml", &ask).unwrap();
    let bytes = serde_json::to_vec(&sim.report).unwrap().len();
    println!("largest seed rehearsal: {bytes} bytes of JSON (limit {MAX_DOCUMENT_BYTES})");
    assert!(bytes <= MAX_DOCUMENT_BYTES, "{bytes}");
    assert_eq!(sim.report.runs.len(), MAX_RUNS);
    for run in &sim.report.runs {
        assert!(run.trace.len() <= sim.report.trace_limit, "{}", run.trace.len());
        assert!(
            run.trace_omitted > 0,
            "{}: played to the deadline, its trace is cut",
            run.protocol
        );
    }
}

/// A scenario whose every move is long: two parties opposed on 60 issues whose ids are 100 and 200
/// characters long. Played to the longest deadline its traces would make tens of megabytes; the document
/// keeps fewer moves, the same number for every run, and says how many it left out.
#[test]
fn a_rehearsal_of_long_moves_keeps_fewer_of_them_within_the_limit_and_says_so() {
    let long = |prefix: &str, n: usize| format!("{prefix}{}", "x".repeat(n));
    let mut t = String::from(
        "[meta]\ntitle = \"long\"\nmax_quote_words = 5\n\n[[parties]]\nid = \"A\"\n\n[[parties]]\nid = \"B\"\n\n[[sources]]\nid = \"s1\"\npublication = \"Paper\"\ndate = 2025-01-02\n\n",
    );
    for i in 0..60 {
        let issue = long(&format!("i{i}_"), 100);
        t += &format!("[[issues]]\nid = \"{issue}\"\nname = \"Issue {i}\"\n\n");
        for o in 0..2 {
            t += &format!(
                "[[issues.options]]\nid = \"{issue}.{}\"\n\n",
                long(&format!("o{o}_"), 200)
            );
        }
        for (party, o) in [("A", 0), ("B", 1)] {
            t += &format!(
                "[[positions]]\nparty = \"{party}\"\nissue = \"{issue}\"\noption = \"{issue}.{}\"\nstance = \"demanded\"\ndate = 2025-03-01\nsource = \"s1\"\nquote = \"said so\"\n\n",
                long(&format!("o{o}_"), 200)
            );
        }
    }
    let (scenario, diags) = truce_scenario::parse("long.toml", &t);
    let scenario = scenario.unwrap_or_else(|| panic!("{diags:?}"));
    let ask = SimulationAsk {
        agents: vec!["hardheaded".into()],
        rounds: MAX_ROUNDS,
        ..SimulationAsk::default()
    };
    let sim = simulate(&scenario, "long.toml", &ask).unwrap();
    let bytes = serde_json::to_vec(&sim.report).unwrap().len();
    println!(
        "long moves: {bytes} bytes of JSON (limit {MAX_DOCUMENT_BYTES}), {} moves kept per run",
        sim.report.trace_limit
    );
    assert!(bytes <= MAX_DOCUMENT_BYTES, "{bytes}");
    assert!(sim.report.trace_limit < truce_sim::TRACE_LIMIT, "{}", sim.report.trace_limit);
    assert!(sim.report.trace_limit > 0, "some moves are kept");
    for run in &sim.report.runs {
        assert_eq!(run.end.as_str(), "deadline");
        assert_eq!(run.trace.len(), sim.report.trace_limit, "{}", run.protocol);
        // The first moves are the first round's, the last the deadline's.
        assert_eq!(run.trace[0].round, 1);
        assert_eq!(run.trace.last().unwrap().round, MAX_ROUNDS);
        assert!(run.trace_omitted > 0);
    }
}

/// Under a smaller limit, the same rehearsal keeps fewer moves, and under one too small for even its
/// agreements and figures it is refused with its size.
#[test]
fn any_limit_holds_and_one_too_small_is_refused_with_the_size() {
    let scenario = seed();
    let ask = SimulationAsk {
        rounds: 400,
        agents: vec!["hardheaded".into()],
        ..SimulationAsk::default()
    };
    let mut kept = Vec::new();
    for limit in [2_000_000, 500_000, 120_000] {
        let sim = simulate_within(&scenario, "seed", &ask, limit).unwrap();
        let bytes = serde_json::to_vec(&sim.report).unwrap().len();
        assert!(bytes <= limit, "{bytes} > {limit}");
        for run in &sim.report.runs {
            assert!(run.trace.len() <= sim.report.trace_limit);
        }
        kept.push(sim.report.trace_limit);
    }
    assert!(kept.windows(2).all(|w| w[0] > w[1]), "{kept:?}");
    let e = simulate_within(&scenario, "seed", &ask, 1_000).err().unwrap();
    assert!(
        e.starts_with("the rehearsal's document would be") && e.contains("over the limit of 1000:"),
        "{e}"
    );
}

/// A Pareto set of thousands of points (four parties with unrelated preferences over 10 issues of 6
/// options) is drawn with at most `MAX_PLOT_POINTS` of them, and the plot says how many of how many.
#[test]
fn a_plot_draws_at_most_max_plot_points_of_the_pareto_set() {
    const ISSUES: usize = 10;
    const PARTIES: [&str; 4] = ["A", "B", "C", "D"];
    let mut t = String::from("[meta]\ntitle = \"wide\"\nmax_quote_words = 5\n\n");
    for p in PARTIES {
        t += &format!("[[parties]]\nid = \"{p}\"\n\n");
    }
    for i in 0..ISSUES {
        t += &format!("[[issues]]\nid = \"i{i}\"\nname = \"Issue {i}\"\n\n");
        for o in 0..6 {
            t += &format!("[[issues.options]]\nid = \"i{i}.o{o}\"\n\n");
        }
    }
    // Utilities from a fixed linear congruential sequence: unrelated across parties.
    let mut x: u64 = 12345;
    for p in PARTIES {
        let mut u = Vec::new();
        for i in 0..ISSUES {
            for o in 0..6 {
                x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                u.push(format!("\"i{i}.o{o}\" = {:?}", (x >> 40) as f64 / (1u64 << 24) as f64));
            }
        }
        t += &format!("[[preferences]]\nparty = \"{p}\"\nutilities = {{ {} }}\n\n", u.join(", "));
    }
    let (scenario, diags) = truce_scenario::parse("wide.toml", &t);
    let scenario = scenario.unwrap_or_else(|| panic!("{diags:?}"));
    let ask = SimulationAsk {
        protocols: vec!["single-text".into()],
        rounds: 5,
        ..SimulationAsk::default()
    };
    let sim = simulate(&scenario, "wide.toml", &ask).unwrap();
    let size = sim.report.pareto_size;
    assert!(size > MAX_PLOT_POINTS, "the Pareto set has only {size} points");
    let plot = &sim.svgs[0];
    let pareto = &plot[plot.find(r#"<g class="pareto">"#).unwrap()..];
    let pareto = &pareto[..pareto.find("</g>").unwrap()];
    let drawn = pareto.matches("<circle").count();
    assert!(drawn <= MAX_PLOT_POINTS && drawn * 2 > MAX_PLOT_POINTS, "{drawn} of {size}");
    assert!(
        plot.contains(&format!("over {drawn} of the {size} points of the Pareto set")),
        "{plot}"
    );
}
