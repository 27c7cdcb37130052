//! Golden files: every report in every format, rendered from the seed scenario, a Genius domain and
//! Minsk II with its generated mission, compared byte for byte with `tests/golden/`. A changed number
//! anywhere in a rendered report fails here. After an intended change, update them all with
//! `UPDATE_EXPECT=1 cargo test -p truce-report --test golden` and review the diff.

// Tests print the figures they measure, as the test runner shows them.
#![allow(clippy::print_stdout)]

use std::path::{Path, PathBuf};

use expect_test::expect_file;
use truce_report::{render, report, svg};
use truce_scenario::Scenario;
use truce_table::AnalysisOptions;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn json<T: serde::Serialize>(value: &T) -> String {
    format!("{}\n", serde_json::to_string_pretty(value).unwrap())
}

/// The seed scenario, parsed under the name the CLI gives it when run from `scenarios/`.
fn seed() -> Scenario {
    let text = std::fs::read_to_string(root().join("scenarios/ukraine-2025.toml")).unwrap();
    let (s, diags) = truce_scenario::parse("ukraine-2025.toml", &text);
    s.unwrap_or_else(|| panic!("{diags:?}"))
}

/// A Genius domain (ANAC 2010, Itex vs Cypress), imported under Genius semantics.
fn genius() -> Scenario {
    domain(
        "anac_y2010_ItexvsCypress",
        &["ItexvsCypress_domain.xml", "ItexvsCypress_Cypress.xml", "ItexvsCypress_Itex.xml"],
    )
}

/// The files `names` of the domain folder `slug`, imported under Genius semantics.
fn domain(slug: &str, names: &[&str]) -> Scenario {
    let dir = root().join("test_data/negotiation/domains").join(slug);
    let texts: Vec<String> =
        names.iter().map(|n| std::fs::read_to_string(dir.join(n)).unwrap()).collect();
    let files: Vec<truce_scenario::import::InputFile<'_>> = names
        .iter()
        .zip(&texts)
        .map(|(name, text)| truce_scenario::import::InputFile { name, text })
        .collect();
    let (s, diags) = truce_scenario::import::import_folder(
        slug,
        &files,
        truce_scenario::import::ImportOptions::default(),
        None,
    )
    .unwrap();
    s.unwrap_or_else(|| panic!("{diags:?}"))
}

fn analysis_formats(name: &str, s: &Scenario) {
    let a = truce_table::analyze(s, &AnalysisOptions::default()).unwrap();
    let r = report::analysis_report(s, &a);
    expect_file![format!("golden/{name}.analysis.txt")].assert_eq(&render::analysis_text(&r));
    expect_file![format!("golden/{name}.analysis.md")].assert_eq(&render::analysis_markdown(&r));
    expect_file![format!("golden/{name}.analysis.json")].assert_eq(&json(&r));
}

#[test]
fn the_seed_in_every_format() {
    let s = seed();
    analysis_formats("seed", &s);
    let parties: Vec<_> = s.party_ixs().collect();
    let dates =
        truce_table::month_steps("2025-01-01".parse().unwrap(), "2025-12-31".parse().unwrap(), 1);
    let t = report::timeline_report(
        &s,
        &parties,
        &truce_table::timeline(&truce_table::check_groups(&s).unwrap(), &parties, &dates),
    );
    expect_file!["golden/seed.timeline.txt"].assert_eq(&render::timeline_text(&t));
    expect_file!["golden/seed.timeline.json"].assert_eq(&json(&t));
    expect_file!["golden/seed.timeline.svg"].assert_eq(&svg::timeline_svg(&t));
    // Issue 23: the months before the first statement on file are shaded "nothing on file", in the
    // reader's words.
    let dates =
        truce_table::month_steps("2023-01-01".parse().unwrap(), "2024-12-31".parse().unwrap(), 3);
    let early = report::timeline_report(
        &s,
        &parties,
        &truce_table::timeline(&truce_table::check_groups(&s).unwrap(), &parties, &dates),
    );
    assert_eq!(
        early.points[0].positions_known, 0,
        "the seed has no current statement from January 2023"
    );
    expect_file!["golden/seed-early.timeline.svg"].assert_eq(&svg::timeline_svg_in(
        &early,
        &svg::TimelineWords {
            nothing_on_file: "Ще нічого не зафіксовано".into(),
            ..svg::TimelineWords::english()
        },
    ));
    let a = truce_table::analyze(&s, &AnalysisOptions::default()).unwrap();
    let pair = truce_table::select_parties(&s, ["UKR", "RUS"]).unwrap();
    let f = report::frontier_for(&s, &a, &pair, truce_table::Reading::RedLines).unwrap();
    expect_file!["golden/seed.frontier.txt"].assert_eq(&render::frontier_text(&f));
    expect_file!["golden/seed.frontier.json"].assert_eq(&json(&f));
    expect_file!["golden/seed.frontier.svg"].assert_eq(&svg::frontier_svg(&f));
}

#[test]
fn a_genius_domain_in_every_format() {
    let s = genius();
    analysis_formats("genius-itex-cypress", &s);
    let a = truce_table::analyze(&s, &AnalysisOptions::default()).unwrap();
    let parties: Vec<_> = s.party_ixs().collect();
    let f = report::frontier_for(&s, &a, &parties, truce_table::Reading::RedLines).unwrap();
    expect_file!["golden/genius-itex-cypress.frontier.txt"].assert_eq(&render::frontier_text(&f));
    expect_file!["golden/genius-itex-cypress.frontier.json"].assert_eq(&json(&f));
    expect_file!["golden/genius-itex-cypress.frontier.svg"].assert_eq(&svg::frontier_svg(&f));
}

#[test]
fn minsk_ii_compliance_and_the_daily_report() {
    let text = std::fs::read_to_string(root().join("accords/minsk-2015.toml")).unwrap();
    let (agreement, diags) = truce_accord::parse("minsk-2015.toml", &text);
    let agreement = agreement.unwrap_or_else(|| panic!("{diags:?}"));
    let mission = truce_watch::generate::generate(&agreement, 1, 60).unwrap();
    let mut c = truce_watch::compliance::Compliance::new(&agreement);
    for e in &mission.entries {
        c.apply(e);
    }
    let r = c.evaluate(mission.last_day);
    expect_file!["golden/minsk.compliance.txt"]
        .assert_eq(&truce_watch::compliance::render_text(&r));
    expect_file!["golden/minsk.compliance.json"].assert_eq(&json(&r));
    let view = truce_watch::boundary::view(truce_watch::boundary::DEFAULT_VIEW).unwrap();
    let daily = truce_watch::report::daily(&agreement, &c, mission.last_day, view);
    expect_file!["golden/minsk.daily.md"].assert_eq(&daily.markdown());
    expect_file!["golden/minsk.daily.html"].assert_eq(&daily.html(&agreement, view));
    // Issue 23: the same report in Ukrainian and Russian, each saying it is a translation.
    expect_file!["golden/minsk.daily.uk.md"].assert_eq(&daily.markdown_in(truce_i18n::Lang::Uk));
    expect_file!["golden/minsk.daily.ru.md"].assert_eq(&daily.markdown_in(truce_i18n::Lang::Ru));
    expect_file!["golden/minsk.daily.uk.html"].assert_eq(&daily.html_in(
        &agreement,
        view,
        truce_i18n::Lang::Uk,
    ));
}

/// What a reader must not miss: a replay before any statement warns that nothing was known yet (and
/// says how many positions were); a domain whose every package leaves some party below its
/// reservation value says there is no deal all can accept, not that all can agree.
#[test]
fn the_sentences_a_reader_must_not_miss() {
    let s = seed();
    let options =
        AnalysisOptions { as_of: Some("2020-01-01".parse().unwrap()), ..Default::default() };
    let a = truce_table::analyze(&s, &options).unwrap();
    let r = report::analysis_report(&s, &a);
    expect_file!["golden/seed-2020.analysis.txt"].assert_eq(&render::analysis_text(&r));
    let s = domain(
        "anac_y2012_NiceOrDieC",
        &["NiceOrDie-C-domain.xml", "NiceOrDie-C-prof1.xml", "NiceOrDie-C-prof2.xml"],
    );
    let a = truce_table::analyze(&s, &AnalysisOptions::default()).unwrap();
    let r = report::analysis_report(&s, &a);
    expect_file!["golden/genius-nice-or-die.analysis.txt"].assert_eq(&render::analysis_text(&r));
    expect_file!["golden/genius-nice-or-die.analysis.md"].assert_eq(&render::analysis_markdown(&r));
}

/// A rehearsal of the seed (UKR and RUS, one agent each, a short deadline): the document as text and
/// JSON, and each run's offer-trace plot.
#[test]
fn a_rehearsal_in_every_format() {
    use truce_report::simulation::{self, DocumentBudget};
    let s = seed();
    let ask = truce_sim::SimulationAsk {
        parties: Some(vec!["UKR".into(), "RUS".into()]),
        agents: vec!["conceder".into(), "boulware".into()],
        rounds: 30,
        seed: 4,
        ..Default::default()
    }
    .check()
    .unwrap();
    let budget = DocumentBudget::default();
    let rehearsal = truce_sim::simulate(&s, &ask, &budget).unwrap();
    let sim = simulation::document(&s, "ukraine-2025.toml", &ask, &rehearsal, budget).unwrap();
    let plots: Vec<String> =
        sim.report.runs.iter().map(|r| format!("seed-rehearsal-{}.svg", r.protocol)).collect();
    expect_file!["golden/seed.rehearsal.txt"]
        .assert_eq(&simulation::simulation_text(&sim.report, &plots));
    expect_file!["golden/seed.rehearsal.json"].assert_eq(&json(&sim.report));
    let [saop, stacked, single] = &sim.svgs[..] else { panic!("three runs") };
    expect_file!["golden/seed.rehearsal-saop.svg"].assert_eq(saop);
    expect_file!["golden/seed.rehearsal-stacked.svg"].assert_eq(stacked);
    expect_file!["golden/seed.rehearsal-single-text.svg"].assert_eq(single);
}

/// A small tournament (the seed's UKR and RUS, and a synthetic problem; two agents, every protocol):
/// the standings as text, every run as CSV, and the standings chart.
#[test]
fn a_tournament_in_every_format() {
    use truce_report::simulation;
    let t = truce_sim::parse_tournament(
        "tournament.toml",
        "agents = [\"conceder\", \"tft\"]\nrounds = 20\nrepetitions = 2\nseed = 3\n\n[[scenario]]\npath = \"ukraine-2025.toml\"\nparties = [\"UKR\", \"RUS\"]\n\n[[synthetic]]\nname = \"syn\"\nparties = 3\nissues = 3\noptions = 4\n",
    )
    .unwrap();
    let settings = t.settings(&[seed()]).unwrap();
    let plan = t.plan(&settings).unwrap();
    let records = truce_sim::play(&plan, &|| {});
    let standings = truce_sim::standings(&plan, &records);
    let packages: Vec<String> = settings.iter().map(|(_, _, p)| p.clone()).collect();
    let r =
        simulation::tournament_report("tournament.toml", &plan, &packages, &records, &standings);
    expect_file!["golden/tournament.txt"].assert_eq(&simulation::tournament_text(&r));
    expect_file!["golden/tournament.csv"].assert_eq(&simulation::tournament_csv(&r));
    expect_file!["golden/tournament.svg"].assert_eq(&simulation::tournament_svg(&r));
    expect_file!["golden/tournament.json"].assert_eq(&json(&r));
}
