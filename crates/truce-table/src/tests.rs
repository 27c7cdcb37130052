//! Hand-made scenarios whose answers are worked out by hand, and a property test against brute force.

mod brute_force;
mod frontier;

use truce_scenario::{Date, Scenario};

use crate::{AnalysisOptions, Reading, ReadingAnalysis, analyze, explain_alternative, timeline};

/// Parses a scenario written for a test; parties, issues and options are declared compactly by the caller.
fn scenario(text: &str) -> Scenario {
    let (scenario, diagnostics) = truce_scenario::parse("test.toml", text);
    assert!(diagnostics.is_empty(), "{diagnostics:#?}");
    scenario.expect("test scenario is valid")
}

/// A scenario with the given parties, issues (`id: option, option, …`) and positions
/// (`party option stance date`), each position citing one source.
fn build(parties: &[&str], issues: &[&str], positions: &[&str]) -> Scenario {
    let mut text = String::from("[[sources]]\nid = \"s\"\npublication = \"Test\"\n\n");
    for p in parties {
        text += &format!("[[parties]]\nid = \"{p}\"\n\n");
    }
    for issue in issues {
        let (id, options) = issue.split_once(':').unwrap();
        text += &format!("[[issues]]\nid = \"{id}\"\n");
        for o in options.split(',') {
            text += &format!("[[issues.options]]\nid = \"{id}.{}\"\n", o.trim());
        }
        text += "\n";
    }
    for position in positions {
        let fields: Vec<&str> = position.split_whitespace().collect();
        let historical = fields.get(4) == Some(&"historical");
        text += &format!(
            "[[positions]]\nparty = \"{}\"\noption = \"{}\"\nstance = \"{}\"\ndate = {}\nsource = \"s\"\nquote = \"q\"\nhistorical = {historical}\n\n",
            fields[0], fields[1], fields[2], fields[3]
        );
    }
    scenario(&text)
}

fn reading(scenario: &Scenario, reading: Reading, as_of: Option<&str>) -> ReadingAnalysis {
    let options = AnalysisOptions {
        as_of: as_of.map(|d| d.parse().unwrap()),
        parties: None,
        relaxed: vec![],
    };
    analyze(scenario, &options)
        .unwrap()
        .readings
        .into_iter()
        .find(|r| r.reading == reading)
        .unwrap()
}

fn option_ids(s: &Scenario, options: &[truce_scenario::OptionIx]) -> Vec<String> {
    options.iter().map(|o| s.option(*o).id.clone()).collect()
}

/// Each alternative of each blocked group, as the relaxed constraints in words plus what they open.
fn alternatives(s: &Scenario, r: &ReadingAnalysis) -> Vec<Vec<String>> {
    let family = r.concessions.as_ref().expect("blocked");
    family
        .groups
        .iter()
        .map(|g| g.alternatives.iter().map(|a| explain_alternative(s, &r.constraints, a)).collect())
        .collect()
}

#[test]
fn feasible_scenario_counts_without_enumerating() {
    // x has 3 options, y has 2: 6 packages. A's red line removes x.a, B's removes y.b,
    // leaving {x.b, x.c} × {y.a} = 2 feasible packages and no blocked issue.
    let s = build(
        &["A", "B"],
        &["x: a, b, c", "y: a, b"],
        &[
            "A x.a red_line 2025-01-01",
            "B y.b red_line 2025-01-01",
            "A x.b demanded 2025-01-01",
            "B x.c acceptable 2025-01-01",
        ],
    );
    let r = reading(&s, Reading::RedLines, None);
    assert_eq!(r.feasibility.total_packages.to_string(), "6");
    assert_eq!(r.feasibility.feasible_packages.to_string(), "2");
    assert!(r.feasibility.blocked_issues.is_empty());
    assert!(r.concessions.is_none());
    // Utilities (weight 1/2 per issue; demanded 1, acceptable 0.75, no position 0.5):
    //   (x.b, y.a): A = (1 + 0.5)/2 = 0.75,   B = (0.5 + 0.5)/2 = 0.5   → product 0.375, min 0.5
    //   (x.c, y.a): A = (0.5 + 0.5)/2 = 0.5,  B = (0.75 + 0.5)/2 = 0.625 → product 0.3125, min 0.5
    // Neither dominates the other: the Pareto set has 2 points. Nash picks (x.b, y.a).
    // Maximin ties on 0.5; leximin breaks the tie on the second-lowest utility, 0.75 > 0.625: (x.b, y.a).
    let best = r.best.unwrap();
    assert_eq!(best.pareto_size, 2);
    let nash = best.nash.unwrap();
    assert_eq!(option_ids(&s, &nash.package), ["x.b", "y.a"]);
    assert!((nash.score - 0.375).abs() < 1e-12);
    let maximin = best.maximin.unwrap();
    assert_eq!(option_ids(&s, &maximin.package), ["x.b", "y.a"]);
    assert!((maximin.score - 0.5).abs() < 1e-12);
    // A's account: its demand on x is met; nothing on y.
    let a = &nash.accounts[0];
    assert_eq!(a.issues[0].verdict, crate::Verdict::MeetsDemand);
    assert_eq!(a.issues[1].verdict, crate::Verdict::NoPosition);
}

#[test]
fn nash_and_maximin_on_a_two_by_two() {
    // x: A demands x.a (1), opposes x.b (0.25); B has no position on x.a (0.5), accepts x.b (0.75).
    // y: A accepts y.a (0.75), nothing on y.b (0.5); B opposes y.a (0.25), demands y.b (1).
    //   (x.a, y.a): A 0.875, B 0.375 → product 0.328125
    //   (x.a, y.b): A 0.75,  B 0.75  → product 0.5625   ← Nash and maximin
    //   (x.b, y.a): A 0.5,   B 0.5   → dominated by (x.a, y.b)
    //   (x.b, y.b): A 0.375, B 0.875 → product 0.328125
    // Pareto set: 3 points.
    let s = build(
        &["A", "B"],
        &["x: a, b", "y: a, b"],
        &[
            "A x.a demanded 2025-01-01",
            "A x.b opposed 2025-01-01",
            "B x.b acceptable 2025-01-01",
            "A y.a acceptable 2025-01-01",
            "B y.a opposed 2025-01-01",
            "B y.b demanded 2025-01-01",
        ],
    );
    let best = reading(&s, Reading::RedLines, None).best.unwrap();
    assert_eq!(best.pareto_size, 3);
    let nash = best.nash.unwrap();
    assert_eq!(option_ids(&s, &nash.package), ["x.a", "y.b"]);
    assert!((nash.score - 0.5625).abs() < 1e-12);
    let maximin = best.maximin.unwrap();
    assert_eq!(option_ids(&s, &maximin.package), ["x.a", "y.b"]);
    assert!((maximin.score - 0.75).abs() < 1e-12);
    // B's account on x: no position on the chosen x.a; on y its demand is met.
    let b = &nash.accounts[1];
    assert_eq!(b.issues[0].verdict, crate::Verdict::NoPosition);
    assert_eq!(b.issues[1].verdict, crate::Verdict::MeetsDemand);
}

#[test]
fn infeasible_with_one_blocker() {
    // x: A's red line on x.a, B's on x.b: nothing left on x. y is free.
    // Minimal sets: {A's red line on x.a} opens x.a; {B's red line on x.b} opens x.b. Two sets of one concession.
    let s = build(
        &["A", "B"],
        &["x: a, b", "y: a, b"],
        &["A x.a red_line 2025-01-01", "B x.b red_line 2025-01-01"],
    );
    let r = reading(&s, Reading::RedLines, None);
    assert_eq!(r.feasibility.feasible_packages.to_string(), "0");
    assert_eq!(r.feasibility.blocked_issues.len(), 1);
    let family = r.concessions.as_ref().unwrap();
    assert_eq!(family.total_sets.to_string(), "2");
    assert_eq!(family.min_concessions, 1);
    assert_eq!(
        alternatives(&s, &r),
        [[
            "If A drops its red line on x.a, this opens x.a.",
            "If B drops its red line on x.b, this opens x.b.",
        ]]
    );
    assert!(r.best.is_none());
}

#[test]
fn several_minimal_sets_factor_by_issue() {
    // Strict reading.
    // x: A red x.a, B red x.b → alternatives {A:x.a} opens x.a, {B:x.b} opens x.b.
    // y: A demands y.c (its demand D_A excludes y.a, y.b); B demands y.a (D_B excludes y.b, y.c); B red y.b.
    //    Excluders: y.a {D_A}, y.b {D_A, R_B, D_B}, y.c {D_B}. The middle set contains {D_A}: not minimal.
    //    Alternatives: {D_A} opens y.a; {D_B} opens y.c.
    // Family: 2 × 2 = 4 minimal sets of 2 concessions each.
    let s = build(
        &["A", "B"],
        &["x: a, b", "y: a, b, c"],
        &[
            "A x.a red_line 2025-01-01",
            "B x.b red_line 2025-01-01",
            "A y.c demanded 2025-01-01",
            "B y.a demanded 2025-01-01",
            "B y.b red_line 2025-01-01",
        ],
    );
    let r = reading(&s, Reading::Strict, None);
    let family = r.concessions.as_ref().unwrap();
    assert_eq!(family.total_sets.to_string(), "4");
    assert_eq!(family.min_concessions, 2);
    assert_eq!(
        alternatives(&s, &r),
        [
            [
                "If A drops its red line on x.a, this opens x.a.",
                "If B drops its red line on x.b, this opens x.b."
            ],
            [
                "If A drops its demand on y (for y.c), this opens y.a.",
                "If B drops its demand on y (for y.a), this opens y.c."
            ],
        ]
    );
    assert_eq!(family.expand().len(), 4);
    // Under red lines only, x is still blocked but y.a and y.c are open: 2 minimal sets.
    let red = reading(&s, Reading::RedLines, None);
    assert_eq!(red.concessions.unwrap().total_sets.to_string(), "2");
}

#[test]
fn ranking_prefers_fewer_relaxations_then_fewer_parties() {
    // x: a, b, c. A red x.a and B red x.a: opening x.a costs 2 concessions by 2 parties.
    // A red x.b, A opposes nothing else; C red x.b: opening x.b costs 2 concessions by 2 parties.
    // A red x.c: opening x.c costs 1 concession. Ranking: {A:x.c} first.
    // Among the two-concession sets both involve 2 parties; x.a comes before x.b.
    let s = build(
        &["A", "B", "C"],
        &["x: a, b, c"],
        &[
            "A x.a red_line 2025-01-01",
            "B x.a red_line 2025-01-01",
            "A x.b red_line 2025-01-01",
            "C x.b red_line 2025-01-01",
            "A x.c red_line 2025-01-01",
        ],
    );
    let r = reading(&s, Reading::RedLines, None);
    assert_eq!(
        alternatives(&s, &r),
        [[
            "If A drops its red line on x.c, this opens x.c.",
            "If A drops its red line on x.a and B drops its red line on x.a, this opens x.a.",
            "If A drops its red line on x.b and C drops its red line on x.b, this opens x.b.",
        ]]
    );
}

#[test]
fn coalitions_that_can_agree() {
    // x: A red x.a, B red x.b. y: C red y.a, A red y.b.
    //   {A, B}: x blocked.  {A, C}: y blocked.  {B, C}: x.a and y.b open → can agree.
    //   Every single party can agree with itself.
    // Maximal coalitions: {B, C} and {A} (A cannot be joined by anyone).
    // Minimal blocking coalitions: {A, B} and {A, C}.
    let s = build(
        &["A", "B", "C"],
        &["x: a, b", "y: a, b"],
        &[
            "A x.a red_line 2025-01-01",
            "B x.b red_line 2025-01-01",
            "C y.a red_line 2025-01-01",
            "A y.b red_line 2025-01-01",
        ],
    );
    let r = reading(&s, Reading::RedLines, None);
    let c = r.coalitions.unwrap();
    let ids = |v: &Vec<Vec<truce_scenario::PartyIx>>| -> Vec<Vec<String>> {
        v.iter().map(|m| m.iter().map(|p| s.party(*p).id.clone()).collect()).collect()
    };
    assert!(!c.grand_coalition_feasible);
    assert_eq!(ids(&c.maximal), [vec!["B", "C"], vec!["A"]]);
    assert_eq!(ids(&c.minimal_blocking), [vec!["A", "B"], vec!["A", "C"]]);
}

#[test]
fn as_of_replays_the_past() {
    // A: red line on x.a on 10 Jan, softened to acceptable on 1 Mar. B: red line on x.b from 1 Feb.
    // A's historical red line on x.b never counts.
    //   as of 31 Jan: only A's red line on x.a → x.b open, 1 feasible package (y is free: × 2 = 2).
    //   as of 15 Feb: both red lines → x blocked.
    //   as of 15 Mar and today: A accepts x.a → x.a open, 2 feasible packages.
    //   as of 1 Jan: nothing known yet → 4 feasible packages.
    let s = build(
        &["A", "B"],
        &["x: a, b", "y: a, b"],
        &[
            "A x.a red_line 2025-01-10",
            "A x.a acceptable 2025-03-01",
            "B x.b red_line 2025-02-01",
            "A x.b red_line 2021-06-01 historical",
        ],
    );
    let feasible =
        |as_of| reading(&s, Reading::RedLines, as_of).feasibility.feasible_packages.to_string();
    assert_eq!(feasible(Some("2025-01-01")), "4");
    assert_eq!(feasible(Some("2025-01-31")), "2");
    assert_eq!(feasible(Some("2025-02-15")), "0");
    assert_eq!(feasible(Some("2025-03-15")), "2");
    assert_eq!(feasible(None), "2");
    // The timeline replays the same dates.
    let dates: Vec<Date> =
        ["2025-01-31", "2025-02-15", "2025-03-15"].iter().map(|d| d.parse().unwrap()).collect();
    let parties: Vec<_> = s.party_ixs().collect();
    let points = timeline(&crate::check_groups(&s).unwrap(), &parties, &dates);
    let red: Vec<String> =
        points.iter().map(|p| p.readings[0].feasible_packages.to_string()).collect();
    assert_eq!(red, ["2", "0", "2"]);
    assert_eq!(points[1].readings[0].min_concessions, 1);
}

#[test]
fn same_day_positions_later_in_file_win() {
    // Two positions of A on x.a on the same day: the later one in the file sets the stance.
    let s =
        build(&["A"], &["x: a, b"], &["A x.a acceptable 2025-01-01", "A x.a red_line 2025-01-01"]);
    assert_eq!(reading(&s, Reading::RedLines, None).feasibility.feasible_packages.to_string(), "1");
}

#[test]
fn unknown_stances_under_each_reading() {
    // A's stance on x.a is unknown; B has a red line on x.b; C has said nothing.
    //   red lines: x.a open → 1 × 2 = 2 feasible.
    //   pessimistic: A's unknown on x.a counts as a red line → x blocked.
    //     Alternatives: {A's unknown on x.a} opens x.a; {B's red line on x.b} opens x.b.
    //     C's silence stays neutral: it adds no constraint.
    let s = build(
        &["A", "B", "C"],
        &["x: a, b", "y: a, b"],
        &["A x.a unknown 2025-01-01", "B x.b red_line 2025-01-01"],
    );
    assert_eq!(reading(&s, Reading::RedLines, None).feasibility.feasible_packages.to_string(), "2");
    let p = reading(&s, Reading::Pessimistic, None);
    assert_eq!(p.constraints.all.len(), 2);
    assert_eq!(p.feasibility.feasible_packages.to_string(), "0");
    assert_eq!(
        alternatives(&s, &p),
        [[
            "If A's unknown stance on x.a turns out not to be a red line, this opens x.a.",
            "If B drops its red line on x.b, this opens x.b.",
        ]]
    );
}

#[test]
fn strict_reading_treats_demands_as_hard() {
    // A demands x.a and x.b (either satisfies it); B demands x.c.
    //   strict: no option satisfies both → x blocked.
    //     {A's demand} opens x.c; {B's demand} opens x.a and x.b.
    //   red lines: no red line → all 3 × 2 = 6 packages feasible.
    let s = build(
        &["A", "B"],
        &["x: a, b, c", "y: a, b"],
        &["A x.a demanded 2025-01-01", "A x.b demanded 2025-01-01", "B x.c demanded 2025-01-01"],
    );
    assert_eq!(reading(&s, Reading::RedLines, None).feasibility.feasible_packages.to_string(), "6");
    let strict = reading(&s, Reading::Strict, None);
    assert_eq!(strict.feasibility.feasible_packages.to_string(), "0");
    assert_eq!(
        alternatives(&s, &strict),
        [[
            // Both cost one concession by one party; B's opens two options, so it ranks first.
            "If B drops its demand on x (for x.c), this opens x.a and x.b.",
            "If A drops its demand on x (for x.a or x.b), this opens x.c.",
        ]]
    );
}

#[test]
fn seed_scenario_strict_reading_is_factored() {
    // The seed scenario's strict reading blocks 10 issues; the product of alternatives runs to thousands.
    let s = scenario(include_str!("../../../scenarios/ukraine-2025.toml"));
    let strict = reading(&s, Reading::Strict, None);
    assert_eq!(strict.feasibility.blocked_issues.len(), 10);
    let family = strict.concessions.unwrap();
    let total: u128 = family.total_sets.to_u128().unwrap();
    let product: u128 = family.groups.iter().map(|g| g.alternatives.len() as u128).product();
    assert_eq!(total, product);
    assert!(total >= 1000, "{total}");
    assert_eq!(
        family.min_concessions,
        family.groups.iter().map(|g| g.alternatives[0].relax.len()).sum::<usize>()
    );
}

#[test]
fn count_is_exact_beyond_machine_integers() {
    let mut c = crate::Count::one();
    for _ in 0..50 {
        c = c.times(10);
    }
    assert_eq!(c.to_string(), format!("1{}", "0".repeat(50)));
    assert_eq!(c.to_u128(), None);
    assert_eq!(
        crate::Count::one()
            .times(123_456_789_012)
            .times_count(&crate::Count::one().times(1_000_000_007))
            .to_string(),
        "123456789876197523084"
    );
    assert_eq!(crate::Count::one().times(0).to_string(), "0");
}

#[test]
fn stance_utilities_are_overridable_per_scenario_and_party() {
    // Scenario-wide: opposed = 0.1. Party B: acceptable = 0.6.
    let text = r#"
[stance_utilities]
opposed = 0.1

[[parties]]
id = "A"

[[parties]]
id = "B"
stance_utilities = { acceptable = 0.6 }

[[issues]]
id = "x"
[[issues.options]]
id = "x.a"
[[issues.options]]
id = "x.b"

[[sources]]
id = "s"
"#;
    let s = scenario(text);
    let analysis = analyze(&s, &AnalysisOptions::default()).unwrap();
    let (a, b) = (analysis.utilities[0], analysis.utilities[1]);
    assert_eq!((a.opposed, a.acceptable, a.demanded), (0.1, 0.75, 1.0));
    assert_eq!((b.opposed, b.acceptable, b.demanded), (0.1, 0.6, 1.0));
}

#[test]
fn cross_issue_constraints_form_groups() {
    // x: a, b; y: a, b. B has a red line on y.a.
    // Structural s1 (held by no party): not (x = x.a and y = y.b): the combination (x.a, y.b) does not exist.
    // A holds c1: if x = x.b then y = y.a.
    //   (x.a, y.a): breaks B's red line.     (x.a, y.b): impossible.
    //   (x.b, y.a): breaks B's red line.     (x.b, y.b): breaks A's c1.
    // No package is feasible; x and y form one blocked group. Minimal sets: {B: y.a} opens two combinations,
    // {A: c1} opens one; both are one concession by one party, so B's (more room) ranks first.
    // Coalitions: A alone can agree (x.a, y.a); B alone can agree (x.b, y.b); together they cannot.
    let text = r#"
[[sources]]
id = "s"
[[parties]]
id = "A"
[[parties]]
id = "B"
[[issues]]
id = "x"
[[issues.options]]
id = "x.a"
[[issues.options]]
id = "x.b"
[[issues]]
id = "y"
[[issues.options]]
id = "y.a"
[[issues.options]]
id = "y.b"
[[constraints]]
id = "s1"
rule = "not (x = x.a and y = y.b)"
[[constraints]]
id = "c1"
rule = "if x = x.b then y = y.a"
party = "A"
[[positions]]
party = "B"
option = "y.a"
stance = "red_line"
date = 2025-01-01
source = "s"
quote = "q"
"#;
    let s = scenario(text);
    let r = reading(&s, Reading::RedLines, None);
    assert_eq!(r.constraints.groups.len(), 1);
    assert_eq!(
        r.constraints.groups[0].combos.len(),
        3,
        "the structural constraint removes one combination"
    );
    assert_eq!(r.feasibility.feasible_packages.to_string(), "0");
    assert_eq!(r.feasibility.blocked_issues.len(), 2);
    assert_eq!(
        alternatives(&s, &r),
        [[
            "If B drops its red line on y.a, this opens x.a + y.a and x.b + y.a.",
            "If A drops its constraint c1 (if x = x.b then y = y.a), this opens x.b + y.b.",
        ]]
    );
    let c = r.coalitions.unwrap();
    assert_eq!(c.minimal_blocking.len(), 1);
    assert_eq!(c.maximal.len(), 2);
    // With only A at the table, B's red line does not bind and (x.a, y.a), (x.b, y.a) are open:
    // 2 feasible packages, and the best ones pick among them.
    let only_a = AnalysisOptions {
        as_of: None,
        parties: Some(vec![s.party_by_id("A").unwrap()]),
        relaxed: vec![],
    };
    let a = analyze(&s, &only_a).unwrap().readings.remove(0);
    assert_eq!(a.feasibility.feasible_packages.to_string(), "2");
    let nash = a.best.unwrap().nash.unwrap();
    assert_eq!(option_ids(&s, &nash.package)[1], "y.a");
}

#[test]
fn numeric_preferences_and_reservation_values() {
    // A: weights x 0.8, y 0.2; utilities x.a 1, x.b 0, y.a 1, y.b 0; no reservation value.
    // B: weights x 0.5, y 0.5; utilities x.a 0, x.b 1, y.a 0.2, y.b 1; reservation 0.55.
    //   (x.a, y.a): A 1.0, B 0.1   (x.a, y.b): A 0.8, B 0.5   (x.b, y.a): A 0.2, B 0.6   (x.b, y.b): A 0, B 1
    // Only the last two reach B's reservation value; neither dominates the other: Pareto set of 2.
    // Disagreement points: A 0 (none given), B 0.55.
    //   Nash: (0.2 − 0)(0.6 − 0.55) = 0.01 beats (0 − 0)(1 − 0.55) = 0 → (x.b, y.a).
    //   Utilitarian: 0.8 < 1.0 → (x.b, y.b).
    let text = r#"
[[parties]]
id = "A"
[[parties]]
id = "B"
[[issues]]
id = "x"
[[issues.options]]
id = "x.a"
[[issues.options]]
id = "x.b"
[[issues]]
id = "y"
[[issues.options]]
id = "y.a"
[[issues.options]]
id = "y.b"
[[preferences]]
party = "A"
weights = { x = 0.8, y = 0.2 }
utilities = { "x.a" = 1, "x.b" = 0, "y.a" = 1, "y.b" = 0 }
[[preferences]]
party = "B"
reservation = 0.55
weights = { x = 0.5, y = 0.5 }
utilities = { "x.a" = 0, "x.b" = 1, "y.a" = 0.2, "y.b" = 1 }
"#;
    let s = scenario(text);
    let best = reading(&s, Reading::RedLines, None).best.unwrap();
    assert_eq!(best.pareto_size, 2);
    assert_eq!(best.disagreement, [0.0, 0.55]);
    let nash = best.nash.unwrap();
    assert_eq!(option_ids(&s, &nash.package), ["x.b", "y.a"]);
    assert!((nash.score - 0.01).abs() < 1e-12);
    assert_eq!(option_ids(&s, &best.utilitarian.unwrap().package), ["x.b", "y.b"]);
}

#[test]
fn robustness_is_reproducible_and_reports_frequencies() {
    let s = scenario(include_str!("../../../scenarios/ukraine-2025.toml"));
    let parties: Vec<_> = s.party_ixs().collect();
    let run = |seed| {
        crate::robustness(
            &crate::check_groups(&s).unwrap(),
            &parties,
            crate::RobustOptions { draws: 40, seed, unknown_red_line: 0.5 },
            5,
            &|_| {},
        )
    };
    let a = run(7);
    assert_eq!(a, run(7), "same seed, same result, whatever the thread schedule");
    assert_ne!(a.nash, run(8).nash, "another seed samples other weights");
    // Each draw has at most one Nash package; frequencies are bounded by the number of draws.
    let nash_total: u64 = a.nash.iter().map(|f| f.nash).sum();
    assert!(nash_total <= a.feasible_draws && a.feasible_draws <= 40);
    for f in a.nash.iter().chain(&a.frontier) {
        assert!(f.nash <= f.frontier, "a Nash package is on that draw's frontier");
        assert!(f.frontier <= f.feasible, "a frontier package is feasible in that draw");
        assert_eq!(f.package.len(), s.issues.len());
    }
}

#[test]
fn frontier_view_of_a_pair_and_a_triple_is_their_own_pareto_set() {
    let s = scenario(include_str!("../../../scenarios/ukraine-2025.toml"));
    let analysis = analyze(&s, &AnalysisOptions::default()).unwrap();
    let reading =
        analysis.readings.iter().position(|r| r.best.is_some()).expect("a feasible reading");
    let ra = &analysis.readings[reading];
    let open = ra.feasibility.open_combos(&ra.constraints);
    let model = crate::numeric_model(&s, &analysis.stances, &analysis.utilities, &open);
    for slots in [vec![0, 1], vec![1, 0], vec![0, 2, 3]] {
        let view = crate::frontier_view(&s, &analysis, reading, &slots).unwrap();
        // The same parties' frontier computed directly: the problem with only their columns.
        let d = model.problem.parties;
        let projected = crate::Problem {
            parties: slots.len(),
            issues: model
                .problem
                .issues
                .iter()
                .map(|t| crate::IssueTable {
                    options: t.options,
                    utilities: (0..t.options)
                        .flat_map(|o| slots.iter().map(move |&s| t.utilities[o * d + s]))
                        .collect(),
                })
                .collect(),
            reservation: slots.iter().map(|&s| model.problem.reservation[s]).collect(),
        };
        let mut direct: Vec<Vec<f64>> = crate::pareto_frontier(&projected)
            .points
            .into_iter()
            .map(|p| p.utilities.iter().map(|u| u * model.scale).collect())
            .collect();
        let mut efficient: Vec<Vec<f64>> =
            view.points.iter().filter(|p| p.efficient).map(|p| p.utilities.clone()).collect();
        let key = |a: &Vec<f64>, b: &Vec<f64>| {
            a.iter()
                .zip(b)
                .map(|(x, y)| x.total_cmp(y))
                .find(|o| o.is_ne())
                .unwrap_or(std::cmp::Ordering::Equal)
        };
        direct.sort_by(key);
        efficient.sort_by(key);
        assert!(!efficient.is_empty());
        assert_eq!(efficient, direct, "parties {slots:?}");
        // Every point's package gives it the utilities shown.
        for p in &view.points {
            assert_eq!(p.package.len(), s.issues.len());
            let ks: Vec<u32> = model
                .options
                .iter()
                .map(|combos| {
                    combos.iter().position(|c| c.iter().all(|o| p.package.contains(o))).unwrap()
                        as u32
                })
                .collect();
            let u = model.problem.evaluate(&ks);
            let shown: Vec<f64> = slots.iter().map(|&s| u[s] * model.scale).collect();
            assert_eq!(shown, p.utilities);
        }
        // The solutions are the analysis's, projected.
        let nash = view.solutions.iter().find(|(c, _)| *c == crate::SolutionConcept::Nash).unwrap();
        let full = &ra.best.as_ref().unwrap().nash.as_ref().unwrap().utilities;
        assert_eq!(nash.1, slots.iter().map(|&s| full[s]).collect::<Vec<_>>());
    }
    assert!(crate::frontier_view(&s, &analysis, reading, &[0, 99]).is_none());
}

/// A group too large to enumerate is an error naming its issues, not "0 feasible packages".
#[test]
fn analyze_refuses_a_group_too_large_to_enumerate() {
    let mut text = String::from("[[sources]]\nid = \"s\"\n[[parties]]\nid = \"A\"\n");
    for issue in ["p", "q", "r"] {
        text += &format!("[[issues]]\nid = \"{issue}\"\n");
        for k in 0..128 {
            text += &format!("[[issues.options]]\nid = \"{issue}.{k}\"\n");
        }
    }
    text += "[[constraints]]\nid = \"tie\"\nrule = \"not (p = p.0 and q = q.0 and r = r.0)\"\n";
    let s = scenario(&text);
    let Err(err) = analyze(&s, &AnalysisOptions::default()) else { panic!("the group is refused") };
    assert_eq!(err.ids, ["p", "q", "r"]);
    assert_eq!(err.combinations, 128 * 128 * 128);
    assert!(err.to_string().contains("tie the issues p, q, r into 2097152 combinations"), "{err}");
    // The same check is the only way to the proof that constraints, timelines and robustness require.
    let Err(checked) = crate::check_groups(&s) else { panic!("the group is refused") };
    assert_eq!(checked, err);
    // Below the limit, the proof carries the groups that constraints enumerate.
    let small = scenario(&text.replace(" and r = r.0", ""));
    let groups = crate::check_groups(&small).unwrap();
    assert_eq!(groups.components().len(), 2, "{:?}", groups.components());
    let stances = crate::Stances::new(&small, &[truce_scenario::PartyIx(0)], None);
    let constraints = crate::Constraints::new(&groups, &stances, Reading::RedLines);
    assert_eq!(constraints.groups[0].combos.len(), 128 * 128 - 1, "one combination ruled out");
}

/// Issue 22: a reading is read by its report name in one place, and the error says what was expected.
#[test]
fn issue22_reading_from_str_names_what_was_expected() {
    for r in Reading::ALL {
        assert_eq!(r.as_str().parse::<Reading>(), Ok(r));
    }
    let err = "lenient".parse::<Reading>().unwrap_err();
    assert_eq!(err.to_string(), "\"lenient\": expected red_lines, strict or pessimistic");
}

/// A monthly timeline ends on the day asked for, even when the steps from the first day miss it.
#[test]
fn a_timeline_includes_its_end_date() {
    let d = |s: &str| s.parse::<Date>().unwrap();
    let steps = crate::month_steps(d("2025-01-01"), d("2025-12-31"), 1);
    assert_eq!((steps.len(), steps[11], steps[12]), (13, d("2025-12-01"), d("2025-12-31")));
    assert_eq!(crate::month_steps(d("2025-01-01"), d("2025-03-01"), 1).len(), 3);
    assert_eq!(crate::month_steps(d("2025-01-01"), d("2025-01-01"), 3), [d("2025-01-01")]);
    assert!(crate::month_steps(d("2025-02-01"), d("2025-01-01"), 1).is_empty());
}

/// "What if": switching hard constraints off by key removes exactly those constraints from every
/// reading that holds them; the keys are the ones each constraint reports; bad keys are refused.
#[test]
fn what_if_switches_named_constraints_off() {
    let s = scenario(include_str!("../../../scenarios/ukraine-2025.toml"));
    let base = analyze(&s, &AnalysisOptions::default()).unwrap();
    let strict = |a: &crate::Analysis| a.readings[1].clone();
    // The strict reading's demands on `nato`, by their keys.
    let keys: Vec<String> = strict(&base)
        .constraints
        .all
        .iter()
        .filter(|c| c.issue(&s) == s.issue_by_id("nato").unwrap())
        .map(|c| c.key(&s))
        .collect();
    assert!(keys.contains(&"demand/UKR/nato".to_string()), "{keys:?}");
    let options = AnalysisOptions { relaxed: keys.clone(), ..Default::default() };
    let relaxed = analyze(&s, &options).unwrap();
    let (before, after) = (strict(&base), strict(&relaxed));
    assert_eq!(after.constraints.all.len(), before.constraints.all.len() - keys.len());
    assert!(after.constraints.all.iter().all(|c| !keys.contains(&c.key(&s))));
    assert_eq!(after.feasibility.blocked_issues.len(), before.feasibility.blocked_issues.len() - 1);
    // The red-lines reading has no demands, so nothing changes there but what was named.
    assert_eq!(
        relaxed.readings[0].constraints.all.len(),
        base.readings[0].constraints.all.len()
            - keys.iter().filter(|k| k.starts_with("red_line/")).count()
    );
    for bad in ["demand/UKR", "demand/XX/nato", "veto/UKR/nato", "red_line/UKR/nato.nothing"] {
        assert!(crate::check_relax_key(&s, bad).is_err(), "{bad}");
    }
    assert!(crate::check_relax_key(&s, "red_line/RUS/nato.full_membership").is_ok());
}
