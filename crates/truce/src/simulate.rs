//! `truce simulate` and `truce tournament`: read files, rehearse with `truce_sim`, render with
//! `truce_report::simulation`, print and write.

use std::path::{Path, PathBuf};

use anyhow::{Context, format_err};
use truce_report::simulation::{self, DocumentBudget};
use truce_sim::SimulationAsk;

use crate::input::{ImportArgs, InvalidInput, SemanticsArg, load_any, read_text};

/// `truce simulate`: the document as text or JSON; writes one offer-trace plot per protocol.
pub fn simulate(
    file: &Path,
    import: &ImportArgs,
    ask: &SimulationAsk,
    svg: Option<PathBuf>,
    json: bool,
) -> anyhow::Result<String> {
    let shown = file.display().to_string();
    let ask = ask.check().map_err(|e| format_err!("{shown}: --{e}"))?;
    let scenario = load_any(file, import)?;
    let budget = DocumentBudget::default();
    let result = truce_sim::simulate(&scenario, &ask, &budget)
        .and_then(|rehearsal| simulation::document(&scenario, &shown, &ask, &rehearsal, budget))
        .map_err(|e| format_err!("{shown}: --{e}"))?;
    let base = svg.unwrap_or_else(|| {
        let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or("truce");
        PathBuf::from(format!("{stem}-simulation.svg"))
    });
    let mut written = Vec::new();
    for (run, plot) in result.report.runs.iter().zip(&result.svgs) {
        let path = if result.svgs.len() == 1 {
            base.clone()
        } else {
            let stem = base.file_stem().and_then(|s| s.to_str()).unwrap_or("trace");
            base.with_file_name(format!("{stem}-{}.svg", run.protocol))
        };
        std::fs::write(&path, plot)
            .with_context(|| format!("cannot write the offer-trace plot to {}", path.display()))?;
        written.push(path.display().to_string());
    }
    if json {
        eprintln!("truce: wrote {}", written.join(", "));
        Ok(format!("{}\n", serde_json::to_string_pretty(&result.report)?))
    } else {
        Ok(simulation::simulation_text(&result.report, &written))
    }
}

/// `truce tournament CONFIG.toml`: plays it with a progress bar, writes `results.json`, `runs.csv` and
/// `standings.svg` to the output folder, and returns the table (or the JSON).
pub fn tournament(config_path: &Path, json: bool) -> anyhow::Result<String> {
    let shown = config_path.display().to_string();
    let text = read_text(config_path)?;
    let t = truce_sim::parse_tournament(&shown, &text).map_err(|diagnostics| {
        for d in &diagnostics {
            eprintln!("{d}");
        }
        InvalidInput
    })?;
    let dir = config_path.parent().unwrap_or(Path::new("."));
    let mut scenarios = Vec::new();
    for (i, entry) in t.scenarios.iter().enumerate() {
        let semantics = match entry.semantics {
            truce_scenario::import::Semantics::NegmasRaw => SemanticsArg::NegmasRaw,
            _ => SemanticsArg::Genius,
        };
        let import = ImportArgs { profiles: None, semantics, no_cap: false };
        let scenario = load_any(&dir.join(&entry.path), &import)
            .with_context(|| format!("{shown}: scenario[{i}].path {}", entry.path))?;
        scenarios.push(scenario);
    }
    let settings = t.settings(&scenarios).map_err(anyhow::Error::msg)?;
    // Counted before any run is listed or played.
    let plan = t.plan(&settings).map_err(|d| format_err!("{d}"))?;
    let bar = indicatif::ProgressBar::new(plan.run_count()).with_style(
        indicatif::ProgressStyle::with_template(
            "{msg} {bar:40} {pos}/{len} runs, {elapsed} (eta {eta})",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar.set_message("tournament");
    let records = truce_sim::play(&plan, &|| bar.inc(1));
    bar.finish_and_clear();
    let standings = truce_sim::standings(&plan, &records);
    let packages: Vec<String> = settings.iter().map(|(_, _, p)| p.clone()).collect();
    let report = simulation::tournament_report(&shown, &plan, &packages, &records, &standings);
    let out = match &t.output {
        Some(o) => dir.join(o),
        None => dir.join(format!(
            "{}-results",
            config_path.file_stem().and_then(|s| s.to_str()).unwrap_or("tournament")
        )),
    };
    std::fs::create_dir_all(&out).with_context(|| format!("cannot create {}", out.display()))?;
    let json_text = format!("{}\n", serde_json::to_string_pretty(&report)?);
    for (name, body) in [
        ("results.json", json_text.clone()),
        ("runs.csv", simulation::tournament_csv(&report)),
        ("standings.svg", simulation::tournament_svg(&report)),
    ] {
        let path = out.join(name);
        std::fs::write(&path, body).with_context(|| format!("cannot write {}", path.display()))?;
    }
    eprintln!("truce: wrote results.json, runs.csv and standings.svg to {}", out.display());
    Ok(if json { json_text } else { simulation::tournament_text(&report) })
}
