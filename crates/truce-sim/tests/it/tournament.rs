//! Tournaments: every assignment is played, results do not depend on threads, and the table adds up.

use truce_sim::{AgentSpec, End, Plan, Protocol, Setting, play, standings};
use truce_table::synthetic_problem;

fn plan<'a>(settings: Vec<(String, &'a Setting)>, seed: u64) -> Plan<'a> {
    Plan {
        settings,
        agents: ["boulware", "conceder", "micro", "random"]
            .iter()
            .map(|a| AgentSpec::parse(a).unwrap())
            .collect(),
        protocols: Protocol::ALL.to_vec(),
        rounds: 30,
        repetitions: 2,
        seed,
        max_assignments: 1000,
    }
}

#[test]
fn a_tournament_plays_every_assignment_and_is_reproducible_on_any_number_of_threads() {
    let two = Setting::new(synthetic_problem(2, 5, 4, 1), 1.0, vec!["A".into(), "B".into()]);
    let three =
        Setting::new(synthetic_problem(3, 4, 4, 2), 1.0, vec!["A".into(), "B".into(), "C".into()]);
    let settings = vec![("two".to_string(), &two), ("three".to_string(), &three)];
    let p = plan(settings.clone(), 42);
    // 4² + 4³ assignments × 3 protocols × 2 repetitions.
    assert_eq!(p.runs().len(), (16 + 64) * 3 * 2);
    assert_eq!(p.run_count(), p.runs().len() as u64, "counted as listed");
    let drawn = Plan { max_assignments: 20, ..plan(settings.clone(), 42) };
    assert_eq!(drawn.run_count(), drawn.runs().len() as u64, "counted as listed, when drawn");
    let counted = std::sync::atomic::AtomicUsize::new(0);
    let one = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
    let records = one.install(|| {
        play(&p, &|| {
            counted.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        })
    });
    assert_eq!(counted.into_inner(), records.len(), "progress is reported once per run");
    let many = rayon::ThreadPoolBuilder::new().num_threads(4).build().unwrap();
    let again = many.install(|| play(&plan(settings.clone(), 42), &|| {}));
    assert_eq!(records, again, "the same seed on 1 and 4 threads");
    let other = play(&plan(settings, 43), &|| {});
    assert_ne!(records, other, "another seed changes the random agents' runs");

    // The table: each agent sits in 2·4 seats of the bilateral setting's 16 assignments and 3·16 of the
    // trilateral's 64, per repetition.
    let table = standings(&p, &records);
    for (protocol, rows) in &table.by_protocol {
        for row in rows {
            assert_eq!(row.seats, (8 + 48) * 2, "{protocol:?} {}", row.agent.name());
            assert!((0.0..=1.0).contains(&row.agreement_rate));
            assert!((0.0..=1.0).contains(&row.mean_share));
        }
        let agreed =
            records.iter().filter(|r| r.protocol == *protocol && r.end == End::Agreement).count();
        assert!(agreed > 0, "{protocol:?}: no agreement at all");
    }
}
