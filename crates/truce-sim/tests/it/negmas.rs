//! Conformance with NegMAS 0.16.0: the same negotiations of time-based agents on the Genius domains, held
//! to NegMAS's recorded agreements (package and round).
//!
//! The reference file `test_data/negotiation/simulation/negmas-saop.json` is written by
//! `cargo xtask simulate-reference`: NegMAS's `SAOMechanism` with 100 steps and its `BoulwareTBNegotiator`,
//! `LinearTBNegotiator` and `ConcederTBNegotiator`, in every assignment to the parties, on every bilateral
//! and every 3-party domain of at most 20,000 outcomes. With two parties Truce plays alternating offers;
//! with three, stacked alternating offers, which is NegMAS's multilateral `SAOMechanism`.
//!
//! A pairing *agrees* when Truce reaches the same package in the same round. Where it does not, the test
//! requires the difference to be a **tie-break**, shown from the two offer traces (the reference records
//! every offer's utilities to both parties):
//! - the traces are the same, offer by offer, up to a first differing offer;
//! - that offer is worth the same to the agent that made it in both (within 1e-9): the agent had several
//!   packages at its level and the two tools picked different ones. NegMAS sorts outcomes with numpy's
//!   unstable argsort, so among outcomes of equal utility it offers whichever the sort leaves first; Truce
//!   offers the first in option order ([`truce_sim::Inverse`]).
//!
//! From there the runs legitimately part: the other agent sees a different package. Any other difference
//! (an offer at another level, a different acceptance of the same offer, a different end on the same
//! trace) fails the test.

use std::path::{Path, PathBuf};

use serde_json::Value;
use truce_scenario::import::{
    ImportOptions, InputFile, Semantics, import_genius, import_geniusweb,
};
use truce_sim::{Action, AgentSpec, Protocol, Run, ScenarioSetting, scenario_setting};
use truce_table::Reading;

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../test_data/negotiation")
}

fn base(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// Imports a reference domain under NegMAS's raw semantics and prepares it (every option open).
pub fn load(slug: &str) -> (truce_scenario::Scenario, ScenarioSetting) {
    let data = data_dir();
    let reference: Value = serde_json::from_str(
        &std::fs::read_to_string(data.join("reference").join(format!("{slug}.json"))).unwrap(),
    )
    .unwrap();
    let dir = data.join("domains").join(slug);
    let domain_name = base(reference["domain_file"].as_str().unwrap());
    let profile_names: Vec<&str> = reference["profile_files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| base(p.as_str().unwrap()))
        .collect();
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).unwrap();
    let domain_text = read(domain_name);
    let texts: Vec<String> = profile_names.iter().map(|n| read(n)).collect();
    let domain = InputFile { name: domain_name, text: &domain_text };
    let profiles: Vec<InputFile<'_>> =
        profile_names.iter().zip(&texts).map(|(n, t)| InputFile { name: n, text: t }).collect();
    let options = ImportOptions { semantics: Semantics::NegmasRaw, cap_at_one: false };
    let (scenario, diagnostics) = match reference["format"].as_str() {
        Some("geniusweb-json") => import_geniusweb(domain, &profiles, options),
        _ => import_genius(domain, &profiles, options),
    };
    let scenario = scenario.unwrap_or_else(|| panic!("{slug}: {diagnostics:?}"));
    let setting = scenario_setting(&scenario, None, None, Reading::RedLines).unwrap();
    (scenario, setting)
}

#[test]
fn negmas_time_based_pairings_agree_package_and_round() {
    let reference: Value = serde_json::from_str(
        &std::fs::read_to_string(data_dir().join("simulation/negmas-saop.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(reference["negmas_version"], "0.16.0");
    let runs = reference["runs"].as_array().unwrap();
    let mut same = [0usize; 2];
    let mut ties = Vec::new();
    let mut failures = Vec::new();
    let mut loaded: Option<(String, truce_scenario::Scenario, ScenarioSetting)> = None;
    for r in runs {
        let slug = r["scenario"].as_str().unwrap();
        if loaded.as_ref().is_none_or(|(s, _, _)| s != slug) {
            let (scenario, setting) = load(slug);
            loaded = Some((slug.to_string(), scenario, setting));
        }
        let (_, scenario, prepared) = loaded.as_ref().unwrap();
        let names: Vec<&str> =
            r["agents"].as_array().unwrap().iter().map(|a| a.as_str().unwrap()).collect();
        let mut agents: Vec<_> =
            names.iter().map(|n| AgentSpec::parse(n).unwrap().build()).collect();
        let run = Run {
            setting: &prepared.setting,
            protocol: if names.len() == 2 { Protocol::Saop } else { Protocol::Stacked },
            rounds: 100,
            seed: 0,
            trace: true,
        };
        let outcome = run.play(&mut agents);
        let label = format!("{slug} {}", names.join("×"));
        let step = r["step"].as_u64().unwrap() as u32;
        let theirs: Option<Vec<String>> = r["agreement"].as_object().map(|a| {
            a.iter()
                .filter(|(k, _)| *k != "DUMMY_ISSUE")
                .map(|(_, v)| v.as_str().unwrap().to_string())
                .collect()
        });
        let ours: Option<Vec<String>> = outcome.agreement.as_ref().map(|p| {
            prepared.options(p).iter().map(|&o| scenario.option(o).label.clone()).collect()
        });
        if outcome.rounds == step && ours == theirs {
            same[usize::from(names.len() > 2)] += 1;
            continue;
        }
        let our_trace: Vec<&Vec<f64>> = outcome
            .trace
            .iter()
            .filter(|m| m.action == Action::Offer)
            .map(|m| &m.utilities)
            .collect();
        let their_trace: Vec<Vec<f64>> = r["trace"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o.as_array().unwrap().iter().map(|x| x.as_f64().unwrap()).collect())
            .collect();
        let close = |a: &[f64], b: &[f64]| a.iter().zip(b).all(|(x, y)| (x - y).abs() <= 1e-9);
        let first = our_trace.iter().zip(&their_trace).position(|(a, b)| !close(a, b));
        // Who made offer k: with two parties they alternate, the first agent first; with three, NegMAS
        // records it, and the traces agree on it up to the first differing offer.
        let maker = |k: usize| match r["makers"].as_array() {
            Some(m) => m[k].as_u64().unwrap() as usize,
            None => k % 2,
        };
        let verdict = match first {
            Some(k) if (our_trace[k][maker(k)] - their_trace[k][maker(k)]).abs() <= 1e-9 => Ok(k),
            Some(k) => Err(format!("offer {k} is at another level for its maker")),
            None => Err("same offers, different end".to_string()),
        };
        let line = format!(
            "{label}: Truce round {} {:?}, NegMAS step {step} {:?}",
            outcome.rounds, outcome.utilities, r["utilities"]
        );
        match verdict {
            Ok(k) => ties.push(format!("{line} (first differing offer: {k})")),
            Err(why) => failures.push(format!("{line}: {why}")),
        }
    }
    let counted = |three: bool| {
        runs.iter().filter(|r| (r["agents"].as_array().unwrap().len() > 2) == three).count()
    };
    println!(
        "NegMAS conformance: {} of {} bilateral and {} of {} 3-party negotiations agree (package and round); {} differ only by a tie-break; {} differ otherwise",
        same[0],
        counted(false),
        same[1],
        counted(true),
        ties.len(),
        failures.len()
    );
    assert!(failures.is_empty(), "{} pairings differ:\n{}", failures.len(), failures.join("\n"));
    assert!(
        counted(false) >= 600 && counted(true) >= 500,
        "the reference holds {} runs",
        runs.len()
    );
}
