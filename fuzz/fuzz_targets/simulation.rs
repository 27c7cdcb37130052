//! Fuzzes the rehearsals' outside inputs: a tournament configuration (TOML text) and a simulation request
//! (JSON, as the API receives it), run on the seed scenario. No input panics; a request that parses is
//! either refused with a message naming a field, or runs and ends in one of the documented ways, with
//! at most `MAX_RUNS` runs, each party named once, and a document within `MAX_DOCUMENT_BYTES`.
#![no_main]

use std::sync::OnceLock;

use truce_report::simulation::{
    MAX_DOCUMENT_BYTES, MAX_RUNS, SimulationAsk, check_ask, parse_tournament, simulate,
};

fn seed() -> &'static truce_scenario::Scenario {
    static SEED: OnceLock<truce_scenario::Scenario> = OnceLock::new();
    SEED.get_or_init(|| {
        let text = include_str!("../../scenarios/ukraine-2025.toml");
        truce_scenario::parse("ukraine-2025.toml", text).0.expect("the seed scenario parses")
    })
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Err(e) = parse_tournament("t.toml", text) {
        assert!(e.starts_with("t.toml"), "{e}");
    }
    if let Ok(mut ask) = serde_json::from_str::<SimulationAsk>(text) {
        // Keep each run short: the rules, not the deadline, are under test.
        ask.rounds = ask.rounds.min(20);
        let checked = check_ask(&ask);
        match simulate(seed(), "seed", &ask) {
            Ok(s) => {
                assert_eq!(checked, Ok(()), "simulate ran what check_ask refused");
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
                    assert!(["agreement", "deadline", "walked_away", "no_text"].contains(&run.end.as_str()));
                }
            }
            Err(e) => assert!(e.contains(':'), "{e}"),
        }
    }
});
