//! Choosing from a scenario by name: the parties at the table ([`select_parties`]) and a package, named by a
//! bargaining solution or by its options ([`choose_package`]).

use truce_scenario::{OptionIx, PartyIx, Scenario};

/// The package named by `spec`: a bargaining solution of the red-lines reading (`nash`, `maximin`, `ks`,
/// `utilitarian`), or one option id per issue, comma-separated. The options come back in issue order.
/// The error says what was expected.
pub fn choose_package(scenario: &Scenario, spec: &str) -> Result<Vec<OptionIx>, String> {
    match spec {
        "nash" | "maximin" | "ks" | "utilitarian" => {
            let analysis = crate::analyze(scenario, &crate::AnalysisOptions::default())
                .map_err(|e| e.to_string())?;
            let reading = analysis
                .readings
                .iter()
                .find(|r| r.reading == crate::Reading::RedLines)
                .ok_or("no red-lines reading")?;
            let best = reading.best.as_ref().ok_or(
                "no package respects every red line: see the analysis for the concessions that would open one, then give the package as a list of options",
            )?;
            let p = match spec {
                "nash" => &best.nash,
                "maximin" => &best.maximin,
                "ks" => &best.ks,
                _ => &best.utilitarian,
            };
            p.as_ref().map(|p| p.package.clone()).ok_or_else(|| format!("no {spec} package"))
        }
        list => {
            let mut chosen = Vec::new();
            for id in list.split(',').map(str::trim) {
                let ix = scenario.option_by_id(id).ok_or_else(|| {
                    format!("package: no option `{id}`; expected nash, maximin, ks, utilitarian, or one option id per issue")
                })?;
                chosen.push(ix);
            }
            let mut issues: Vec<_> = chosen.iter().map(|o| scenario.option(*o).issue).collect();
            issues.sort();
            issues.dedup();
            if issues.len() != chosen.len() || chosen.len() != scenario.issues.len() {
                return Err(format!(
                    "package: give exactly one option for each of the {} issues",
                    scenario.issues.len()
                ));
            }
            chosen.sort_by_key(|o| scenario.option(*o).issue);
            Ok(chosen)
        }
    }
}

/// The parties named by `ids`, in that order. The error says what was wrong and what was expected.
pub fn select_parties<'a>(
    scenario: &Scenario,
    ids: impl IntoIterator<Item = &'a str>,
) -> Result<Vec<PartyIx>, String> {
    let known = || scenario.parties.iter().map(|p| p.id.as_str()).collect::<Vec<_>>().join(", ");
    let mut out: Vec<PartyIx> = Vec::new();
    for id in ids.into_iter().map(str::trim) {
        let party = scenario
            .party_by_id(id)
            .ok_or_else(|| format!("unknown party {id:?}; expected some of {}", known()))?;
        if out.contains(&party) {
            return Err(format!("{id} is given twice"));
        }
        out.push(party);
    }
    if out.is_empty() {
        return Err(format!("no party given; expected some of {}", known()));
    }
    Ok(out)
}
