//! Fuzzes the scenario parser: any bytes, as UTF-8 text, must give diagnostics or a scenario, never a panic.
//! A scenario that validates is analysed too, and must not panic either; every diagnostic must point inside the input.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let (scenario, diagnostics) = truce_scenario::parse("fuzz.toml", text);
    let lines = text.split('\n').count() as u32;
    for d in &diagnostics {
        assert!(d.line >= 1 && d.line <= lines, "{d}");
        assert!(d.span.start <= text.len(), "{d}");
    }
    match scenario {
        Some(s) => {
            assert!(!truce_scenario::has_errors(&diagnostics));
            // Keep the analysis small enough for the fuzzer's time limit.
            let packages: f64 = s.issues.iter().map(|i| i.options.len() as f64).product();
            if s.parties.len() <= 6 && packages <= 1e5 {
                let _ = truce_table::analyze(&s, &truce_table::AnalysisOptions::default());
            }
        }
        None => assert!(truce_scenario::has_errors(&diagnostics)),
    }
});
