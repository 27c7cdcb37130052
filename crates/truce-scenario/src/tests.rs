use proptest::prelude::*;

use crate::{Severity, parse};

/// A valid base scenario; tests append or alter lines. Line numbers in expectations count from here.
const BASE: &str = r#"[meta]
title = "test"
max_quote_words = 5

[[parties]]
id = "A"

[[parties]]
id = "B"

[[issues]]
id = "x"
name = "Issue x"

[[issues.options]]
id = "x.a"

[[issues.options]]
id = "x.b"

[[sources]]
id = "s1"
publication = "Paper"
date = 2025-01-02
"#;

/// The diagnostics of `text`, rendered one per line.
fn diagnostics(text: &str) -> Vec<String> {
    let (scenario, diags) = parse("t.toml", text);
    if diags.iter().any(|d| d.severity == Severity::Error) {
        assert!(scenario.is_none(), "a scenario with errors must not be returned");
    }
    diags.iter().map(|d| d.to_string()).collect()
}

/// Checks that BASE + `extra` yields exactly `expect`.
#[track_caller]
fn check(extra: &str, expect: &[&str]) {
    let text = format!("{BASE}{extra}");
    assert_eq!(diagnostics(&text), expect, "input:\n{text}");
}

fn position(fields: &str) -> String {
    format!("\n[[positions]]\n{fields}\n")
}

const GOOD: &str = "party = \"A\"\nissue = \"x\"\noption = \"x.a\"\nstance = \"demanded\"\ndate = 2025-03-01\nsource = \"s1\"\nquote = \"short quote\"";

#[test]
fn seed_scenario_parses_without_diagnostics() {
    let text = include_str!("../../../scenarios/ukraine-2025.toml");
    let (scenario, diags) = parse("ukraine-2025.toml", text);
    assert!(diags.is_empty(), "{diags:#?}");
    let s = scenario.expect("seed scenario must validate");
    assert_eq!((s.parties.len(), s.issues.len(), s.options.len()), (8, 11, 42));
    assert_eq!(
        (
            s.positions.len(),
            s.sources.len(),
            s.process_positions.len(),
            s.reference_provisions.len()
        ),
        (215, 141, 10, 10)
    );
    assert_eq!(s.positions.iter().filter(|p| p.historical).count(), 6);
    // Every position remembers its line, for citations.
    assert_eq!(s.positions[0].line, 2148);
    // Every party and option has words for drafting positions from articles.
    assert_eq!(s.vocabulary.len(), 8 + 42);
    // Options carry provision templates for drafting.
    let templates: usize = s.options.iter().map(|o| o.provisions.len()).sum();
    assert_eq!(templates, 23);
}

#[test]
fn good_position_has_no_diagnostics() {
    check(&position(GOOD), &[]);
}

#[test]
fn unknown_party_id() {
    check(
        &position(&GOOD.replace("party = \"A\"", "party = \"Z\"")),
        &[
            r#"t.toml:27:9: error: positions[0].party: unknown party id "Z"; expected one of the party ids: A, B"#,
        ],
    );
}

#[test]
fn unknown_option_and_source_ids() {
    check(
        &position(&GOOD.replace("\"x.a\"", "\"x.zz\"").replace("\"s1\"", "\"nope\"")),
        &[
            r#"t.toml:29:10: error: positions[0].option: unknown option id "x.zz"; expected one of the option ids: x.a, x.b"#,
            r#"t.toml:32:10: error: positions[0].source: unknown source id "nope"; expected one of the source ids: s1"#,
        ],
    );
}

#[test]
fn duplicate_ids() {
    check(
        "\n[[parties]]\nid = \"A\"\n\n[[sources]]\nid = \"s1\"\n",
        &[
            r#"t.toml:27:6: error: parties[2].id: duplicate party id "A" (first defined on line 6); expected a unique party id"#,
            r#"t.toml:30:6: error: sources[1].id: duplicate source id "s1" (first defined on line 22); expected a unique source id"#,
        ],
    );
}

#[test]
fn duplicate_option_id_across_issues() {
    check(
        "\n[[issues]]\nid = \"y\"\n[[issues.options]]\nid = \"x.a\"\n[[issues.options]]\nid = \"y.b\"\n",
        &[
            // The duplicate is dropped, which leaves issue y with a single option: both are reported.
            r#"t.toml:26:1: error: issues[1].options: issue "y" has 1 option(s); expected at least 2 mutually exclusive options"#,
            r#"t.toml:29:6: error: issues[1].options[0].id: duplicate option id "x.a" (first defined on line 16); expected a unique option id"#,
        ],
    );
}

#[test]
fn option_naming_an_unknown_issue() {
    check(
        "\n[[options]]\nid = \"q.a\"\nissue = \"q\"\n",
        &[
            r#"t.toml:28:9: error: options[0].issue: unknown issue id "q"; expected one of the issue ids: x"#,
        ],
    );
}

#[test]
fn top_level_options_join_their_issue() {
    let text = format!("{BASE}\n[[options]]\nid = \"x.c\"\nissue = \"x\"\n");
    let (scenario, diags) = parse("t.toml", &text);
    assert!(diags.is_empty(), "{diags:?}");
    let s = scenario.unwrap();
    assert_eq!(s.issues[0].options.len(), 3);
}

#[test]
fn stance_outside_the_vocabulary() {
    check(
        &position(&GOOD.replace("\"demanded\"", "\"maybe\"")),
        &[
            r#"t.toml:30:10: error: positions[0].stance: unknown value "maybe"; expected one of demanded, acceptable, unknown, opposed, red_line"#,
        ],
    );
}

#[test]
fn bad_dates() {
    // A date that is not in the calendar is caught by the TOML parser itself, which names the line and the key.
    check(
        &position(&GOOD.replace("2025-03-01", "2025-02-30")),
        &["t.toml:31:8: error: positions[0].date: invalid date, expected day between 01 and 28"],
    );
    // A date written as a string is read, and rejected when it is not YYYY-MM-DD.
    check(
        &position(&GOOD.replace("2025-03-01", "\"March 2025\"")),
        &[
            r#"t.toml:31:8: error: positions[0].date: bad date "March 2025"; expected a date such as 2025-03-17 (YYYY-MM-DD, without quotes or time)"#,
        ],
    );
    check(
        &position(&GOOD.replace("2025-03-01", "2025-03-01T10:00:00Z")),
        &[
            "t.toml:31:8: error: positions[0].date: `2025-03-01T10:00:00Z` has a time of day; expected a date such as 2025-03-17 (YYYY-MM-DD, without quotes or time)",
        ],
    );
    check(
        &position(&GOOD.replace("date = 2025-03-01", "date = 20250301")),
        &[
            "t.toml:31:8: error: positions[0].date: found integer; expected a date such as 2025-03-17 (YYYY-MM-DD, without quotes or time)",
        ],
    );
}

#[test]
fn quote_longer_than_the_limit() {
    check(
        &position(&GOOD.replace("short quote", "one two three four five six")),
        &[
            "t.toml:33:9: error: positions[0].quote: quote has 6 words, more than the limit of 5; expected at most 5 words (meta.max_quote_words)",
        ],
    );
}

#[test]
fn issue_with_fewer_than_two_options() {
    check(
        "\n[[issues]]\nid = \"lonely\"\n[[issues.options]]\nid = \"lonely.only\"\n",
        &[
            r#"t.toml:26:1: error: issues[1].options: issue "lonely" has 1 option(s); expected at least 2 mutually exclusive options"#,
        ],
    );
}

#[test]
fn position_issue_disagreeing_with_its_option() {
    check(
        &format!(
            "\n[[issues]]\nid = \"y\"\n[[issues.options]]\nid = \"y.a\"\n[[issues.options]]\nid = \"y.b\"\n{}",
            position(&GOOD.replace("issue = \"x\"", "issue = \"y\""))
        ),
        &[
            r#"t.toml:35:9: error: positions[0].issue: issue "y" disagrees with option "x.a", which belongs to issue "x"; expected "x", or no `issue` field"#,
        ],
    );
}

#[test]
fn missing_fields_and_wrong_types() {
    check(
        &position("party = \"A\"\noption = \"x.a\"\nstance = 3\ndate = 2025-01-01"),
        &[
            "t.toml:26:1: error: positions[0].source: missing required field `source`; expected a string",
            "t.toml:26:1: error: positions[0].quote: missing required field `quote`; expected a string",
            "t.toml:29:10: error: positions[0].stance: found integer; expected a string",
        ],
    );
}

#[test]
fn unknown_keys_are_warnings() {
    let text = format!("{BASE}{}", position(&format!("{GOOD}\nstanse = \"x\"")));
    let (scenario, diags) = parse("t.toml", &text);
    assert!(scenario.is_some(), "warnings do not block");
    assert_eq!(diags.len(), 1);
    assert_eq!(diags[0].severity, Severity::Warning);
    assert!(
        diags[0].to_string().starts_with(
            "t.toml:34:1: warning: positions[0].stanse: unknown key `stanse` is ignored"
        ),
        "{}",
        diags[0]
    );
}

#[test]
fn every_problem_is_reported_at_once() {
    let bad = format!(
        "{}{}{}",
        position(&GOOD.replace("\"A\"", "\"Z\"")),
        position(&GOOD.replace("\"demanded\"", "\"sure\"")),
        position(&GOOD.replace("short quote", "a b c d e f g h"))
    );
    let d = diagnostics(&format!("{BASE}{bad}"));
    assert_eq!(d.len(), 3, "{d:#?}");
    assert!(
        d[0].contains("positions[0].party")
            && d[1].contains("positions[1].stance")
            && d[2].contains("positions[2].quote")
    );
}

#[test]
fn syntax_errors_name_line_and_field() {
    let d = diagnostics(&format!("{BASE}\n[[positions]]\nparty = \"A\nstance = \"x\"\n"));
    assert!(!d.is_empty());
    // The unterminated string is the error; the fields it swallowed are not reported as missing.
    assert_eq!(
        d[0],
        "t.toml:27:11: error: positions[0].party: invalid basic string, expected `\"`"
    );
    assert!(!d.iter().any(|d| d.contains("missing")), "{d:?}");
}

#[test]
fn stance_utilities_are_checked() {
    check(
        "\n[stance_utilities]\ndemanded = 1.5\nopposed = \"low\"\n",
        &[
            "t.toml:27:12: error: stance_utilities.demanded: 1.5 is out of range; expected a number between 0 and 1",
            "t.toml:28:11: error: stance_utilities.opposed: found string; expected a finite number",
        ],
    );
    let text = format!("{BASE}\n[stance_utilities]\ndemanded = 0.9\nopposed = 0\n");
    let (scenario, diags) = parse("t.toml", &text);
    assert!(diags.is_empty(), "{diags:?}");
    let u = scenario.unwrap().stance_utilities;
    assert_eq!((u.demanded, u.opposed, u.acceptable), (Some(0.9), Some(0.0), None));
}

#[test]
fn columns_count_characters_not_bytes() {
    // "é" is two bytes; the column of the bad stance value must still be 10.
    check(
        &position(&GOOD.replace("\"demanded\"", "\"démandé\"")),
        &[
            r#"t.toml:30:10: error: positions[0].stance: unknown value "démandé"; expected one of demanded, acceptable, unknown, opposed, red_line"#,
        ],
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    /// No input makes the parser panic: arbitrary text.
    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,400}") {
        let _ = parse("fuzz.toml", &text);
    }
}

proptest! {
    // Each case parses the 200 KB seed scenario: fewer cases, the fuzz target goes further.
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// No input makes the parser panic: the seed scenario with a slice cut out and replaced.
    #[test]
    fn mutated_seed_never_panics(start in 0usize..200_000, len in 0usize..400, insert in "[\\[\\]=\"a-z0-9 .\n-]{0,20}") {
        let seed = include_str!("../../../scenarios/ukraine-2025.toml");
        let mut start = start % seed.len();
        while !seed.is_char_boundary(start) { start -= 1; }
        let mut end = (start + len).min(seed.len());
        while !seed.is_char_boundary(end) { end -= 1; }
        let text = format!("{}{}{}", &seed[..start], insert, &seed[end..]);
        let (scenario, diags) = parse("fuzz.toml", &text);
        // An input that validates has no errors; one that does not names a line inside the text.
        if scenario.is_none() {
            prop_assert!(diags.iter().any(|d| d.severity == Severity::Error));
        }
        let lines = text.lines().count() as u32 + 1;
        for d in &diags {
            prop_assert!(d.line >= 1 && d.line <= lines, "{}", d);
        }
    }
}

#[test]
fn constraint_rules_are_checked() {
    check(
        "\n[[constraints]]\nid = \"c1\"\nrule = \"if x = x.a then q = q.b\"\n",
        &[
            r#"t.toml:28:25: error: constraints[0].rule: unknown issue id "q"; expected an issue id defined in the scenario"#,
        ],
    );
    check(
        "\n[[constraints]]\nid = \"c1\"\nrule = \"x = y.a\"\n",
        &[
            r#"t.toml:28:13: error: constraints[0].rule: unknown option id "y.a"; expected an option id of issue "x""#,
        ],
    );
    check(
        "\n[[constraints]]\nid = \"c1\"\nrule = \"not (x = x.a\"\n",
        &["t.toml:28:21: error: constraints[0].rule: unclosed `(`; expected `)`"],
    );
    check(
        "\n[[constraints]]\nid = \"c1\"\nrule = \"x in [x.a, x.b] and\"\nparty = \"Q\"\n",
        &[
            "t.toml:28:28: error: constraints[0].rule: missing condition; expected an issue id, `not` or `(`",
            r#"t.toml:29:9: error: constraints[0].party: unknown party id "Q"; expected one of the party ids: A, B"#,
        ],
    );
    let text = format!(
        "{BASE}\n[[constraints]]\nid = \"c1\"\nrule = \"if x = x.a then x != x.b\"\nparty = \"A\"\n"
    );
    let (scenario, diags) = parse("t.toml", &text);
    assert!(diags.is_empty(), "{diags:?}");
    let s = scenario.unwrap();
    assert_eq!(s.constraints[0].party, s.party_by_id("A"));
    assert_eq!(s.constraints[0].condition.issues().len(), 1);
}

#[test]
fn preferences_are_checked() {
    check(
        "\n[[preferences]]\nparty = \"A\"\nweights = { x = -1, q = 0.5 }\nutilities = { \"x.a\" = 0.5, \"x.zz\" = 1 }\n\n[[preferences]]\nparty = \"A\"\n",
        &[
            "t.toml:28:13: error: preferences[0].weights.x: negative weight -1; expected a weight of 0 or more",
            r#"t.toml:28:21: error: preferences[0].weights.q: unknown issue id "q"; expected one of the issue ids: x"#,
            r#"t.toml:29:28: error: preferences[0].utilities.x.zz: unknown option id "x.zz"; expected one of the option ids: x.a, x.b"#,
            r#"t.toml:32:9: error: preferences[1].party: party "A" already has preferences (line 26); expected one [[preferences]] table per party"#,
        ],
    );
    let text = format!(
        "{BASE}\n[[preferences]]\nparty = \"B\"\nreservation = 0.4\nutilities = {{ \"x.a\" = 0.9 }}\n"
    );
    let (scenario, diags) = parse("t.toml", &text);
    assert!(diags.is_empty(), "{diags:?}");
    let p = &scenario.unwrap().preferences[0];
    assert_eq!(
        (p.reservation, p.utilities[0], p.utilities[1], p.weights.is_none()),
        (Some(0.4), Some(0.9), None, true)
    );
}
