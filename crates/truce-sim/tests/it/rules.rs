//! The protocols' rules: turn order, deadlines, acceptance, red lines and reservation values; determinism.

use truce_scenario::Stance;
use truce_sim::{Action, AgentSpec, End, Outcome, Protocol, Run, Setting, scenario_setting};
use truce_table::{IssueTable, Problem, Reading, synthetic_problem};

/// A problem from rows of (utility to A, utility to B) per option, per issue.
pub fn problem(issues: &[&[(f64, f64)]]) -> Problem {
    Problem {
        parties: 2,
        issues: issues
            .iter()
            .map(|options| IssueTable {
                options: options.len(),
                utilities: options.iter().flat_map(|&(a, b)| [a, b]).collect(),
            })
            .collect(),
        reservation: vec![f64::NEG_INFINITY; 2],
    }
}

pub fn setting(problem: Problem) -> Setting {
    let names = (0..problem.parties).map(|p| format!("P{p}")).collect();
    Setting::new(problem, 1.0, names)
}

pub fn play(
    setting: &Setting,
    protocol: Protocol,
    agents: &[&str],
    rounds: u32,
    seed: u64,
) -> Outcome {
    let mut agents: Vec<_> = agents.iter().map(|a| AgentSpec::parse(a).unwrap().build()).collect();
    Run { setting, protocol, rounds, seed, trace: true }.play(&mut agents)
}

/// A pure conflict: what one gains the other loses, on two issues of three options.
fn conflict() -> Setting {
    let issue: &[(f64, f64)] = &[(0.5, 0.0), (0.25, 0.25), (0.0, 0.5)];
    setting(problem(&[issue, issue]))
}

#[test]
fn bilateral_offers_alternate_and_the_first_party_opens() {
    let s = conflict();
    for protocol in [Protocol::Saop, Protocol::Stacked] {
        let outcome = play(&s, protocol, &["boulware", "boulware"], 20, 1);
        let offers: Vec<(u32, usize)> = outcome
            .trace
            .iter()
            .filter(|m| m.action == Action::Offer)
            .map(|m| (m.round, m.party.unwrap()))
            .collect();
        assert_eq!(offers[0], (0, 0), "{protocol:?}: party 0 opens in round 0");
        for (k, (round, party)) in offers.iter().enumerate() {
            assert_eq!(*party, k % 2, "{protocol:?}: offer {k} by the wrong party");
            assert_eq!(*round as usize, k / 2, "{protocol:?}: offer {k} in the wrong round");
        }
    }
}

#[test]
fn three_parties_take_turns_in_order_in_both_offer_protocols() {
    let problem = synthetic_problem(3, 4, 4, 7);
    let s = Setting::new(problem, 1.0, vec!["A".into(), "B".into(), "C".into()]);
    for protocol in [Protocol::Saop, Protocol::Stacked] {
        let outcome = play(&s, protocol, &["hardheaded", "hardheaded", "hardheaded"], 5, 1);
        // Hard-headed agents never accept each other's best: every turn is an offer, in party order.
        let movers: Vec<(u32, Option<usize>)> =
            outcome.trace.iter().map(|m| (m.round, m.party)).collect();
        let expected: Vec<(u32, Option<usize>)> =
            (0..5).flat_map(|r| (0..3).map(move |p| (r, Some(p)))).collect();
        assert_eq!(movers, expected, "{protocol:?}");
        assert_eq!(outcome.end, End::Deadline);
    }
}

#[test]
fn the_deadline_ends_a_negotiation_with_no_move_after_it() {
    let s = conflict();
    for protocol in Protocol::ALL {
        for rounds in [1, 7, 100] {
            let outcome = play(&s, protocol, &["hardheaded", "hardheaded"], rounds, 3);
            assert_eq!(outcome.end, End::Deadline, "{protocol:?} {rounds}");
            assert_eq!(outcome.agreement, None);
            assert_eq!(outcome.rounds, rounds);
            assert!(
                outcome.trace.iter().all(|m| m.round < rounds),
                "{protocol:?}: a move after the deadline"
            );
            let last = outcome.trace.iter().map(|m| m.round).max().unwrap();
            assert_eq!(last, rounds - 1, "{protocol:?}: the last round was not played");
        }
    }
}

#[test]
fn an_agreement_is_the_offer_every_other_party_accepted_last() {
    let problem = synthetic_problem(3, 5, 4, 11);
    let s = Setting::new(problem, 1.0, vec!["A".into(), "B".into(), "C".into()]);
    let agents = ["boulware", "linear", "conceder", "tft", "micro", "random"];
    let mut agreed = 0;
    for a in agents {
        for b in agents {
            for protocol in [Protocol::Saop, Protocol::Stacked] {
                let outcome = play(&s, protocol, &[a, b, "linear"], 60, 5);
                let Some(package) = &outcome.agreement else { continue };
                agreed += 1;
                // Some offer of the agreed package was accepted by every other party after it was made
                // (in alternating offers, several parties may have the same package open).
                let others_accepted = |made: usize| {
                    let proposer = outcome.trace[made].party.unwrap();
                    let mut got: Vec<usize> = outcome.trace[made + 1..]
                        .iter()
                        .filter(|m| m.action == Action::Accept && &m.package == package)
                        .map(|m| m.party.unwrap())
                        .collect();
                    got.sort_unstable();
                    got.dedup();
                    got == (0..3).filter(|&p| p != proposer).collect::<Vec<_>>()
                };
                let offers: Vec<usize> = (0..outcome.trace.len())
                    .filter(|&k| {
                        outcome.trace[k].action == Action::Offer
                            && &outcome.trace[k].package == package
                    })
                    .collect();
                let made = offers.iter().copied().rfind(|&k| others_accepted(k));
                let made = made.unwrap_or_else(|| {
                    panic!("{a}×{b} {protocol:?}: no offer of the agreement was accepted by all")
                });
                if protocol == Protocol::Stacked {
                    // Stacked: the standing offer is the last one made, and only its acceptances follow it.
                    assert_eq!(made, *offers.last().unwrap());
                    assert_eq!(
                        outcome.trace.len(),
                        made + 1 + 2,
                        "{a}×{b}: moves after the standing offer"
                    );
                }
                assert_eq!(outcome.utilities.as_deref(), Some(&outcome.trace[made].utilities[..]));
            }
        }
    }
    assert!(agreed > 20, "only {agreed} agreements: the test shows little");
}

#[test]
fn no_agent_accepts_below_its_reservation_value() {
    let mut p = synthetic_problem(2, 6, 5, 3);
    // Reservation values high enough to rule out most packages.
    let ranges = p.ranges();
    p.reservation = ranges.iter().map(|(lo, hi)| lo + 0.55 * (hi - lo)).collect();
    let reservation = p.reservation.clone();
    let s = setting(p);
    let agents =
        ["boulware", "linear", "conceder", "tft", "tft-relative", "micro", "random", "hardheaded"];
    let mut agreed = 0;
    for a in agents {
        for b in agents {
            for protocol in Protocol::ALL {
                for seed in 0..3 {
                    let outcome = play(&s, protocol, &[a, b], 50, seed);
                    for m in &outcome.trace {
                        if matches!(m.action, Action::Offer | Action::Accept) {
                            let p = m.party.unwrap();
                            assert!(
                                m.utilities[p] >= reservation[p],
                                "{a}×{b} {protocol:?}: party {p} moved on {} below its reservation {}",
                                m.utilities[p],
                                reservation[p]
                            );
                        }
                    }
                    if let Some(u) = &outcome.utilities {
                        agreed += 1;
                        assert!(u.iter().zip(&reservation).all(|(x, r)| x >= r));
                    }
                }
            }
        }
    }
    assert!(agreed > 50, "only {agreed} agreements");
}

#[test]
fn agreements_on_the_seed_scenario_never_cross_a_red_line() {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/ukraine-2025.toml"),
    )
    .unwrap();
    let (scenario, diagnostics) = truce_scenario::parse("ukraine-2025.toml", &text);
    let scenario = scenario.unwrap_or_else(|| panic!("{diagnostics:?}"));
    let prepared = scenario_setting(&scenario, None, None, Reading::RedLines).unwrap();
    let n = prepared.setting.len();
    let mut agreements = 0;
    for protocol in Protocol::ALL {
        for agent in ["boulware", "conceder", "linear", "micro", "random"] {
            let agents = vec![agent; n];
            let outcome = play(&prepared.setting, protocol, &agents, 100, 9);
            let Some(package) = &outcome.agreement else { continue };
            agreements += 1;
            for option in prepared.options(package) {
                for slot in 0..n {
                    assert_ne!(
                        prepared.stances.stance(&scenario, slot, option),
                        Some(Stance::RedLine),
                        "{protocol:?} {agent}: the agreement crosses {}'s red line on {}",
                        scenario.party(prepared.parties[slot]).id,
                        scenario.option(option).id
                    );
                }
            }
        }
    }
    assert!(agreements >= 5, "only {agreements} agreements");
}

#[test]
fn the_same_seed_gives_the_same_run_and_another_seed_another() {
    let problem = synthetic_problem(3, 6, 5, 21);
    let s = Setting::new(problem, 1.0, vec!["A".into(), "B".into(), "C".into()]);
    for protocol in Protocol::ALL {
        let agents = ["random", "micro", "random"];
        let a = play(&s, protocol, &agents, 40, 1234);
        let b = play(&s, protocol, &agents, 40, 1234);
        assert_eq!(a, b, "{protocol:?}: same seed, different runs");
        let differ = (0..10u64).any(|seed| play(&s, protocol, &agents, 40, seed) != a);
        assert!(differ, "{protocol:?}: the seed changes nothing");
    }
}
