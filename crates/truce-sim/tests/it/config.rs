//! A tournament's configuration: every error names the file, the line, the field and what was expected
//! (issue 22, item 7), and a plan too large is refused before any run (issue 21).

use truce_sim::{AgentSpec, Protocol, parse_tournament};

const SYNTHETIC: &str = "\n[[synthetic]]\nname = \"syn\"\nparties = 3\nissues = 4\noptions = 5\n";

/// The diagnostics of `text`, one line each, as the CLI prints them.
fn errors(text: &str) -> Vec<String> {
    match parse_tournament("t.toml", text) {
        Ok(_) => Vec::new(),
        Err(diagnostics) => diagnostics.iter().map(ToString::to_string).collect(),
    }
}

#[test]
fn issue22_a_mistyped_field_is_named_with_file_line_and_what_was_expected() {
    for (body, says) in [
        // A misspelt key would otherwise leave the field at its default.
        (
            "agents = [\"boulware\"]\nrepetitons = 3\n",
            "t.toml:2:1: error: repetitons: unknown key `repetitons` is ignored",
        ),
        // A value of the wrong type.
        (
            "agents = [\"boulware\"]\nrounds = \"forty\"\n",
            "t.toml:2:10: error: rounds: found string; expected a non-negative integer",
        ),
        (
            "agents = \"boulware\"\n",
            "t.toml:1:10: error: agents: found string; expected an array of strings",
        ),
        (
            "agents = [\"micro\"]\n\nrounds = 0\n",
            "t.toml:3:10: error: rounds: 0; expected 1 to 10000",
        ),
        (
            "agents = [\"micro\"]\nrepetitions = 0\n",
            "t.toml:2:15: error: repetitions: 0; expected at least 1",
        ),
        (
            "agents = [\"micro\", \"linear\", \"micro\"]\n",
            "t.toml:1:30: error: agents[2]: \"micro\" repeats micro; expected each agent named once",
        ),
        (
            "agents = [\"boulware\"]\nprotocols = [\"saop\", \"auction\"]\n",
            "t.toml:2:22: error: protocols[1]: unknown protocol `auction`",
        ),
        ("rounds = 5\n", "t.toml:1:1: error: agents: missing required field `agents`"),
    ] {
        let found = errors(&format!("{body}{SYNTHETIC}"));
        assert!(found.iter().any(|e| e.starts_with(says)), "{body}: {found:#?}\nexpected: {says}");
    }
    // In a table of an array of tables, with the entry's index.
    let found = errors(
        "agents = [\"micro\"]\n\n[[scenario]]\npath = \"a.toml\"\nreading = \"lenient\"\n\n[[synthetic]]\nname = \"s\"\nparties = 9\nissues = 1\noptions = 2\n",
    );
    assert_eq!(
        found,
        [
            "t.toml:5:11: error: scenario[0].reading: unknown reading \"lenient\"; expected red_lines, strict or pessimistic",
            "t.toml:9:11: error: synthetic[0].parties: 9; expected 1 to 8 parties",
        ]
    );
    assert_eq!(
        errors("agents = [\"micro\"]\n"),
        ["t.toml:1:1: error: no [[scenario]] and no [[synthetic]]; expected at least one"]
    );
}

#[test]
fn a_configuration_reads_into_its_types_with_defaults() {
    let t = parse_tournament(
        "t.toml",
        "agents = [\"boulware\", \"aspiration:2\"]\nprotocols = [\"single-text\"]\nseed = 18446744073709551615\n\n[[scenario]]\npath = \"d\"\nparties = [\"A\", \"B\"]\nreading = \"strict\"\nsemantics = \"negmas-raw\"\n",
    )
    .unwrap();
    assert_eq!(t.agents, [AgentSpec::TimeBased(4.0), AgentSpec::TimeBased(2.0)]);
    assert_eq!(t.protocols, [Protocol::SingleText]);
    assert_eq!((t.rounds, t.repetitions, t.seed, t.max_assignments), (100, 1, u64::MAX, 1000));
    assert_eq!(t.scenarios[0].name, "d");
    assert_eq!(t.scenarios[0].reading, truce_table::Reading::Strict);
    assert_eq!(t.scenarios[0].semantics, truce_scenario::import::Semantics::NegmasRaw);
    assert_eq!(t.scenarios[0].parties.as_deref(), Some(&["A".to_string(), "B".to_string()][..]));
    assert_eq!(t.protocols.len(), 1);
}

/// Past the limits a plan is refused before any run, naming the line of the field to lower (or the
/// field left at its default).
#[test]
fn a_plan_too_large_names_the_field_to_lower() {
    for (body, says) in [
        (
            "agents = [\"boulware\", \"conceder\"]\nrounds = 40\nrepetitions = 100000\n",
            "t.toml:3:15: error: repetitions: 8 assignments of agents to seats × 3 protocols × 100000 repetitions make 2400000 runs, over the limit of 200000",
        ),
        (
            "agents = [\"boulware\", \"conceder\"]\nrounds = 10000\nrepetitions = 500\n",
            "t.toml:2:10: error: rounds: 12000 runs of up to 10000 rounds make 120000000 rounds, over the limit of 100000000",
        ),
    ] {
        let t = parse_tournament("t.toml", &format!("{body}{SYNTHETIC}")).unwrap();
        let settings = t.settings(&[]).unwrap();
        let e = t.plan(&settings).err().unwrap().to_string();
        assert!(e.starts_with(says), "{e}\nexpected: {says}");
    }
}
