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
    assert!(stderr.contains("t.toml:2:1: error: repetitons: unknown key `repetitons`"), "{stderr}");
    std::fs::remove_dir_all(&dir).ok();
}

/// `truce simulate … --format json` with `args`, writing its plots in a fresh folder.
fn simulate_json(name: &str, file: &str, args: &[&str]) -> serde_json::Value {
    let dir = std::env::temp_dir().join(format!("truce-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let svg = dir.join("trace.svg");
    let mut all = vec!["simulate", file, "--svg", svg.to_str().unwrap(), "--format", "json"];
    all.extend_from_slice(args);
    let report: serde_json::Value = serde_json::from_str(&stdout(&truce(&all))).unwrap();
    validate("simulation", &report);
    std::fs::remove_dir_all(&dir).ok();
    report
}

/// A vector of the document, party by party (the document's `parties` name its entries).
fn by_name(report: &serde_json::Value, values: &serde_json::Value) -> Vec<(String, f64)> {
    let parties = report["parties"].as_array().unwrap();
    let values = values.as_array().unwrap();
    assert_eq!(parties.len(), values.len());
    let mut named: Vec<(String, f64)> = parties
        .iter()
        .zip(values)
        .map(|(p, v)| (p.as_str().unwrap().to_string(), v.as_f64().unwrap()))
        .collect();
    named.sort_by(|a, b| a.0.cmp(&b.0));
    named
}

/// Finding 12 of issue 21, as reported: `--parties UKR,RUS` and `--parties RUS,UKR` with
/// `--agents boulware,conceder` seated the parties in file order both times while the labels followed
/// `--parties`. The first listed must move first, with the first agent, and every figure must follow
/// its party.
#[test]
fn issue21_rehearsal_seats_the_parties_in_the_order_given() {
    let ukr_first = simulate_json(
        "seats-ukr",
        SEED,
        &["--parties", "UKR,RUS", "--agents", "boulware,conceder"],
    );
    let rus_first = simulate_json(
        "seats-rus",
        SEED,
        &["--parties", "RUS,UKR", "--agents", "boulware,conceder"],
    );
    // The Nash point is a property of the parties, not of who moves first.
    assert_eq!(
        by_name(&ukr_first, &ukr_first["nash"]),
        by_name(&rus_first, &rus_first["nash"]),
        "the Nash point changed hands with the seating"
    );
    for (report, first) in [(&ukr_first, "UKR"), (&rus_first, "RUS")] {
        assert_eq!(report["parties"][0], first);
        assert_eq!(report["seats"][0]["party"], first);
        assert_eq!(report["seats"][0]["turn"], 1);
        for run in report["runs"].as_array().unwrap() {
            assert_eq!(run["agents"][0], "boulware");
            assert_eq!(run["seats"][0]["party"], first);
            assert_eq!(run["seats"][0]["agent"], "boulware");
            let trace = run["trace"].as_array().unwrap();
            if run["protocol"] != "single-text" {
                // The first listed moves first, and a Boulware agent opens with its best package.
                assert_eq!(trace[0]["by"], first, "{}", run["protocol"]);
                assert_eq!(trace[0]["action"], "offer");
                assert_eq!(
                    trace[0]["utilities"][0].as_f64(),
                    report["seats"][0]["max"].as_f64(),
                    "{}: the opening offer is not the best for {first}",
                    run["protocol"]
                );
            }
            // The agreement's accounts, party by party, say what its utility vector says.
            let accounts: Vec<(String, f64)> = {
                let mut a: Vec<(String, f64)> = run["agreement"]["parties"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|p| {
                        (p["party"].as_str().unwrap().to_string(), p["utility"].as_f64().unwrap())
                    })
                    .collect();
                a.sort_by(|x, y| x.0.cmp(&y.0));
                a
            };
            assert_eq!(accounts, by_name(report, &run["utilities"]), "{}", run["protocol"]);
            assert_eq!(run["agreement"]["parties"][0]["party"], first, "accounts in seat order");
        }
    }
    // Different openers: each opens with its own best package.
    for k in 0..2 {
        assert_ne!(
            ukr_first["runs"][k]["trace"][0]["package"],
            rus_first["runs"][k]["trace"][0]["package"],
            "{}: the same party opened both times",
            ukr_first["runs"][k]["protocol"]
        );
    }
    // The text names each figure's party.
    let text = stdout(&truce(&[
        "simulate",
        SEED,
        "--parties",
        "UKR,RUS",
        "--agents",
        "boulware,conceder",
        "--protocol",
        "saop",
        "--svg",
        std::env::temp_dir()
            .join(format!("truce-seats-{}.svg", std::process::id()))
            .to_str()
            .unwrap(),
    ]));
    assert!(text.contains("Parties, in the order they move: UKR, RUS"), "{text}");
    assert!(text.contains("saop · UKR: boulware, RUS: conceder"), "{text}");
    let line = ukr_first["parties"]
        .as_array()
        .unwrap()
        .iter()
        .zip(ukr_first["nash"].as_array().unwrap())
        .map(|(p, x)| format!("{} {:.3}", p.as_str().unwrap(), x.as_f64().unwrap()))
        .collect::<Vec<_>>()
        .join(", ");
    assert!(text.contains(&format!("Nash point: {line}")), "{line}\n{text}");
}

/// On a Genius domain the second profile can move first: `--parties` names the profiles in the order
/// they move.
#[test]
fn issue21_the_second_profile_of_a_genius_domain_can_move_first() {
    let domain = "test_data/negotiation/domains/anac_y2010_ItexvsCypress";
    let (cypress, itex) = ("ItexvsCypress_Cypress", "ItexvsCypress_Itex");
    let default = simulate_json("genius-default", domain, &["--protocol", "saop"]);
    assert_eq!(default["parties"][0], cypress);
    let swapped = simulate_json(
        "genius-swapped",
        domain,
        &["--protocol", "saop", "--parties", &format!("{itex},{cypress}")],
    );
    assert_eq!(swapped["parties"][0], itex);
    // Each opens with its own best package, and the Nash point stays with its parties.
    assert_ne!(
        default["runs"][0]["trace"][0]["package"], swapped["runs"][0]["trace"][0]["package"],
        "the same profile opened both times"
    );
    assert_eq!(
        by_name(&default, &default["nash"]),
        by_name(&swapped, &swapped["nash"]),
        "the Nash point changed hands with the seating"
    );
    for (report, first) in [(&default, cypress), (&swapped, itex)] {
        let opening = &report["runs"][0]["trace"][0];
        assert_eq!(opening["by"], first);
        assert_eq!(opening["utilities"][0].as_f64(), report["seats"][0]["max"].as_f64());
    }
}

/// A tournament multiplies its work: runs (settings × assignments × protocols × repetitions) times
/// rounds. Past the limits it is refused before any run, with the file, the line and the field.
#[test]
fn issue21_a_tournament_too_large_is_refused_naming_file_line_and_field() {
    let dir = std::env::temp_dir().join(format!("truce-tournament-limits-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let config = dir.join("big.toml");
    let synthetic = "\n[[synthetic]]\nname = \"syn\"\nparties = 3\nissues = 4\noptions = 5\n";
    for (body, says) in [
        (
            "agents = [\"boulware\", \"conceder\"]\nrounds = 40\nrepetitions = 100000\n",
            "big.toml:3:15: error: repetitions: 8 assignments of agents to seats × 3 protocols × 100000 repetitions make 2400000 runs, over the limit of 200000",
        ),
        (
            "agents = [\"boulware\", \"conceder\"]\nrounds = 10000\nrepetitions = 500\n",
            "big.toml:2:10: error: rounds: 12000 runs of up to 10000 rounds make 120000000 rounds, over the limit of 100000000",
        ),
        (
            "agents = [\"boulware\"]\nprotocols = [\"saop\", \"saop\"]\n",
            "big.toml:2:22: error: protocols[1]: \"saop\" repeats saop",
        ),
        (
            "agents = [\"micro\", \"linear\", \"micro\"]\n",
            "big.toml:1:30: error: agents[2]: \"micro\" repeats micro",
        ),
        (
            "agents = [\"micro\"]\nrepetitions = 0\n",
            "big.toml:2:15: error: repetitions: 0; expected at least 1",
        ),
        (
            "agents = [\"micro\"]\n\nrounds = 0\n",
            "big.toml:3:10: error: rounds: 0; expected 1 to 10000",
        ),
    ] {
        std::fs::write(&config, format!("{body}{synthetic}")).unwrap();
        let out = truce(&["tournament", config.to_str().unwrap()]);
        assert!(!out.status.success(), "{body}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(says), "{body}: {stderr}");
        assert!(!dir.join("big-results").exists(), "{body}: results were written");
    }
    std::fs::remove_dir_all(&dir).ok();
}
