//! `truce simulate` and `truce tournament` end to end.

use super::{SEED, root, stdout, truce, validate};

#[test]
fn simulate_runs_the_three_protocols_cites_the_agreements_and_plots_the_trace() {
    let dir = std::env::temp_dir().join(format!("truce-simulate-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let svg = dir.join("trace.svg");
    let text = stdout(&truce(&["simulate", SEED, "--svg", svg.to_str().unwrap()]));
    for protocol in ["saop", "stacked", "single-text"] {
        assert!(
            text.contains(&format!("\n{protocol} · RUS: boulware")),
            "{protocol} missing:\n{text}"
        );
        let plot = std::fs::read_to_string(dir.join(format!("trace-{protocol}.svg"))).unwrap();
        assert!(
            plot.starts_with("<svg") && plot.contains(r#"class="agreement""#),
            "{protocol}: no agreement drawn"
        );
        assert!(plot.contains(r#"class="pareto""#) && plot.contains(r#"class="offers""#));
    }
    assert_eq!(text.matches("Agreement in round").count(), 3, "{text}");
    // Citations: who said what, where, with the quote.
    assert!(
        text.contains("RUS demanded on") && text.contains(", line ") && text.contains(": \""),
        "{text}"
    );

    let json =
        stdout(&truce(&["simulate", SEED, "--svg", svg.to_str().unwrap(), "--format", "json"]));
    let report: serde_json::Value = serde_json::from_str(&json).unwrap();
    validate("simulation", &report);
    let runs = report["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 3);
    for run in runs {
        assert_eq!(run["end"], "agreement");
        let package = &run["agreement"];
        assert_eq!(package["options"].as_array().unwrap().len(), 11);
        assert!(run["trace"].as_array().unwrap().len() >= run["rounds"].as_u64().unwrap() as usize);
    }
    // The single text only proposes Pareto-optimal packages.
    assert_eq!(runs[2]["distance_to_pareto"], 0.0);
    // The same seed gives the same document.
    let again =
        stdout(&truce(&["simulate", SEED, "--svg", svg.to_str().unwrap(), "--format", "json"]));
    assert_eq!(json, again);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn simulate_refuses_bad_arguments_saying_what_was_expected() {
    for (args, expected) in [
        (&["--agents", "boulware,linear"][..], "--agents: 2 agents for 8 parties"),
        (&["--agents", "bouldering"][..], "unknown agent `bouldering`"),
        (&["--protocol", "auction"][..], "--protocols: unknown protocol `auction`"),
        (&["--rounds", "0"][..], "--rounds: 0: expected 1 to 10000"),
        (&["--axes", "RUS,XXX"][..], "--axes: \"XXX\" is not at the table"),
        (&["--reading", "lenient"][..], "--reading: \"lenient\""),
    ] {
        let mut all = vec!["simulate", SEED];
        all.extend_from_slice(args);
        let out = truce(&all);
        assert!(!out.status.success(), "{args:?} succeeded");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
        assert!(stderr.contains(SEED), "{args:?}: the file is not named: {stderr}");
    }
    // A blocked table: the strict reading leaves no package.
    let out = truce(&["simulate", SEED, "--reading", "strict"]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("the table is blocked under the strict reading")
    );
}

#[test]
fn a_tournament_writes_its_table_csv_and_chart_and_replays_from_its_seed() {
    let dir = std::env::temp_dir().join(format!("truce-tournament-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let config = dir.join("t.toml");
    let seed = root().join(SEED);
    std::fs::write(
        &config,
        format!(
            "agents = [\"boulware\", \"conceder\", \"micro\"]\nrounds = 40\nrepetitions = 2\nseed = 5\noutput = \"out\"\n\n[[scenario]]\npath = {:?}\nparties = [\"RUS\", \"UKR\"]\n\n[[synthetic]]\nname = \"syn\"\nparties = 3\nissues = 4\noptions = 5\n",
            seed.display().to_string()
        ),
    )
    .unwrap();
    let text = stdout(&truce(&["tournament", config.to_str().unwrap()]));
    // (3² + 3³) assignments × 3 protocols × 2 repetitions.
    let runs = (9 + 27) * 3 * 2;
    assert!(text.contains(&format!("{runs} runs")), "{text}");
    for protocol in ["saop", "stacked", "single-text"] {
        assert!(text.contains(&format!("\n{protocol}\n")), "{text}");
    }
    let results = std::fs::read_to_string(dir.join("out/results.json")).unwrap();
    let report: serde_json::Value = serde_json::from_str(&results).unwrap();
    validate("tournament", &report);
    assert_eq!(report["runs"].as_array().unwrap().len(), runs);
    assert_eq!(report["table"].as_array().unwrap().len(), 3 * 3);
    let csv = std::fs::read_to_string(dir.join("out/runs.csv")).unwrap();
    assert_eq!(csv.lines().count(), runs + 1);
    assert!(
        std::fs::read_to_string(dir.join("out/standings.svg"))
            .unwrap()
            .contains(r#"data-protocol="single-text""#)
    );
    stdout(&truce(&["tournament", config.to_str().unwrap()]));
    assert_eq!(
        std::fs::read_to_string(dir.join("out/results.json")).unwrap(),
        results,
        "same seed, other results"
    );

    // A mistyped field is named with its line.
    std::fs::write(&config, "agents = [\"boulware\"]\nrepetitons = 3\n").unwrap();
    let out = truce(&["tournament", config.to_str().unwrap()]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("t.toml") && stderr.contains("line 2") && stderr.contains("repetitons"),
        "{stderr}"
    );
    std::fs::remove_dir_all(&dir).ok();
}
