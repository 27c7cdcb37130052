//! Timing support for `cargo xtask bench-table`: the same work the NegMAS reference generator timed.

use std::path::Path;
use std::time::Instant;

use anyhow::{Context, format_err};
use truce_scenario::import::{
    ImportOptions, InputFile, Semantics, import_genius, import_geniusweb,
};
use truce_table::{Disagreement, Stances, bargain, numeric_model};

/// Imports the reference's domain under negmas-raw semantics, then times the Pareto set and the Nash, KS,
/// egalitarian and max-welfare points (import excluded, as the reference excluded loading), median of `reps`.
/// Prints one JSON line.
pub fn reference(reference: &Path, data: &Path, reps: usize) -> anyhow::Result<()> {
    let text = std::fs::read_to_string(reference)
        .with_context(|| format!("cannot read {}", reference.display()))?;
    let r: serde_json::Value = serde_json::from_str(&text).context("the reference is not JSON")?;
    let slug = r["scenario"].as_str().ok_or_else(|| format_err!("no scenario slug"))?;
    let base = |p: &str| p.rsplit('/').next().unwrap_or(p).to_string();
    let dir = data.join("domains").join(slug);
    let domain_name = base(r["domain_file"].as_str().unwrap_or_default());
    let profile_names: Vec<String> = r["profile_files"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| p.as_str())
        .map(base)
        .collect();
    let domain_text = std::fs::read_to_string(dir.join(&domain_name))?;
    let texts: Vec<String> = profile_names
        .iter()
        .map(|n| std::fs::read_to_string(dir.join(n)))
        .collect::<Result<_, _>>()?;
    let profiles: Vec<InputFile<'_>> =
        profile_names.iter().zip(&texts).map(|(n, t)| InputFile { name: n, text: t }).collect();
    let domain = InputFile { name: &domain_name, text: &domain_text };
    let options = ImportOptions { semantics: Semantics::NegmasRaw, cap_at_one: false };
    let (scenario, diagnostics) = match r["format"].as_str() {
        Some("geniusweb-json") => import_geniusweb(domain, &profiles, options),
        _ => import_genius(domain, &profiles, options),
    };
    let scenario = scenario.ok_or_else(|| format_err!("{slug}: import failed: {diagnostics:?}"))?;
    let parties: Vec<_> = scenario.party_ixs().collect();
    let stances = Stances::new(&scenario, &parties, None);
    let utilities = vec![truce_table::DEFAULT_STANCE_UTILITIES; parties.len()];
    let open: Vec<Vec<Vec<_>>> =
        scenario.issues.iter().map(|i| i.options.iter().map(|o| vec![*o]).collect()).collect();
    let mut times = Vec::with_capacity(reps);
    let mut frontier = 0;
    for _ in 0..reps.max(1) {
        let start = Instant::now();
        let model = numeric_model(&scenario, &stances, &utilities, &open);
        let result = bargain(&model, Disagreement::NegMas);
        times.push(start.elapsed().as_secs_f64());
        frontier = result.frontier.points.len();
    }
    times.sort_by(f64::total_cmp);
    let line = serde_json::json!({
        "scenario": slug,
        "parties": parties.len(),
        "outcomes": r["outcome_space_size"],
        "seconds": times[times.len() / 2],
        "runs": times,
        "frontier": frontier,
        "reference_frontier": r["variants"]["negmas"]["pareto"]["n_points"],
    });
    println!("{line}");
    Ok(())
}
