use crate::parse;

#[test]
fn seed_scenario_parses_without_diagnostics() {
    let text = include_str!("../../../scenarios/ukraine-2025.toml");
    let (scenario, diags) = parse("ukraine-2025.toml", text);
    for d in &diags {
        eprintln!("{d}");
    }
    let s = scenario.expect("seed scenario must validate");
    assert!(diags.is_empty());
    assert_eq!((s.parties.len(), s.issues.len(), s.options.len()), (8, 11, 42));
    assert_eq!((s.positions.len(), s.sources.len(), s.process_positions.len(), s.reference_provisions.len()), (215, 141, 10, 10));
}
