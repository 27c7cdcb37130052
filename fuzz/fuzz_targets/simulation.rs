//! Fuzzes the rehearsals' outside inputs: a tournament configuration (TOML text) and a simulation request
//! (JSON, as the API receives it), run on the seed scenario. No input panics; a request that parses is
//! either refused with a message naming a field, or runs (each trace within the document's limit), with
//! at most `MAX_RUNS` runs, each party named once, and a document within `MAX_DOCUMENT_BYTES`.
#![no_main]

use std::sync::OnceLock;

use truce_report::simulation::{DocumentBudget, MAX_DOCUMENT_BYTES};
use truce_sim::{MAX_RUNS, SimulationAsk, parse_tournament};

fn seed() -> &'static truce_scenario::Scenario {
    static SEED: OnceLock<truce_scenario::Scenario> = OnceLock::new();
    SEED.get_or_init(|| {
        let text = include_str!("../../scenarios/ukraine-2025.toml");
        truce_scenario::parse("ukraine-2025.toml", text).0.expect("the seed scenario parses")
    })
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Err(diagnostics) = parse_tournament("t.toml", text) {
        assert!(!diagnostics.is_empty(), "refused without a diagnostic");
        for d in diagnostics {
            assert!(d.file == "t.toml" && d.line >= 1, "{d}");
        }
    }
    if let Ok(mut ask) = serde_json::from_str::<SimulationAsk>(text) {
        // Keep each run short: the rules, not the deadline, are under test.
        ask.rounds = ask.rounds.min(20);
        let checked = match ask.check() {
            Ok(checked) => checked,
            Err(e) => {
                assert!(e.contains(':'), "{e}");
                return;
            }
        };
        let budget = DocumentBudget::default();
        let simulated = truce_sim::simulate(seed(), &checked, &budget).and_then(|rehearsal| {
            truce_report::simulation::document(seed(), "seed", &checked, &rehearsal, budget)
        });
        match simulated {
            Ok(s) => {
                assert_eq!(s.svgs.len(), s.report.runs.len());
                assert!(s.report.runs.len() <= MAX_RUNS);
                assert!(serde_json::to_vec(&s.report).map_or(0, |v| v.len()) <= MAX_DOCUMENT_BYTES);
                for (k, seat) in s.report.seats.iter().enumerate() {
                    assert_eq!(seat.party, s.report.parties[k]);
                    if let Some(asked) = &ask.parties {
                        assert_eq!(asked[k].trim(), seat.party, "seated out of the order asked");
                    }
                }
                for run in &s.report.runs {
                    assert!(run.trace.len() <= s.report.trace_limit, "a trace over its limit");
                }
            }
            Err(e) => assert!(e.contains(':'), "{e}"),
        }
    }
});
