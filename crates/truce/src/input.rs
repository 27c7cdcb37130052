//! Reading the CLI's inputs: scenario files, domain folders (`truce_scenario::import::import_folder`
//! decides which file is what) and any text file, with their diagnostics printed to stderr. The
//! verbs' modules and `main` read through here; nothing here calls back into them.

use std::path::{Path, PathBuf};

use anyhow::{Context, format_err};
use clap::ValueEnum;
use truce_scenario::import::{ImportOptions, InputFile, import_folder};
use truce_scenario::{Diagnostic, Scenario, Severity};

#[derive(Debug, Clone, clap::Args)]
pub(crate) struct ImportArgs {
    /// For a folder holding a pool of profiles: the ones at the table, by file name or 1-based number
    /// (comma-separated). Without it, every profile is a party, and a pool of more than six is refused.
    #[arg(long, value_delimiter = ',')]
    pub(crate) profiles: Option<Vec<String>>,
    /// Utility semantics for imported domains: Genius's own rules, or NegMAS 0.16's raw import.
    #[arg(long, value_enum, default_value_t = SemanticsArg::Genius)]
    pub(crate) semantics: SemanticsArg,
    /// Under genius semantics, do not cap summed utilities at 1.
    #[arg(long)]
    pub(crate) no_cap: bool,
}

impl ImportArgs {
    pub(crate) fn options(&self) -> ImportOptions {
        let semantics = match self.semantics {
            SemanticsArg::Genius => truce_scenario::import::Semantics::Genius,
            SemanticsArg::NegmasRaw => truce_scenario::import::Semantics::NegmasRaw,
        };
        ImportOptions { semantics, cap_at_one: !self.no_cap }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum SemanticsArg {
    /// Per-issue normalisation with Java rounding, integer clamp from the lower bound, cap at 1.
    Genius,
    /// Raw evaluations, integer evaluators as slope·x + offset (NegMAS 0.16).
    NegmasRaw,
}

/// An error whose diagnostics were already printed.
#[derive(Debug)]
pub(crate) struct InvalidInput;

impl std::fmt::Display for InvalidInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("invalid input")
    }
}

impl std::error::Error for InvalidInput {}

/// A scenario file, or a domain folder to import.
pub(crate) fn load_any(path: &Path, import: &ImportArgs) -> anyhow::Result<Scenario> {
    if path.is_dir() { load_domain(path, import) } else { load(path) }
}

/// Imports a domain folder, printing its diagnostics to stderr.
pub(crate) fn load_domain(dir: &Path, import: &ImportArgs) -> anyhow::Result<Scenario> {
    let (scenario, diagnostics) = read_domain(dir, import.options(), import.profiles.as_deref())?;
    for d in &diagnostics {
        eprintln!("{d}");
    }
    scenario.ok_or_else(|| {
        eprintln!("truce: {}: the domain could not be imported", dir.display());
        InvalidInput.into()
    })
}

/// Reads a text file: its bytes, which must be UTF-8. A file that is not gets a diagnostic naming the
/// line and byte offset (exit code 2), not the standard library's bare "stream did not contain valid
/// UTF-8".
pub(crate) fn read_text(path: &Path) -> anyhow::Result<String> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    match truce_scenario::utf8(&path.display().to_string(), &bytes) {
        Ok(text) => Ok(text.to_string()),
        Err(d) => {
            eprintln!("{d}");
            Err(InvalidInput.into())
        }
    }
}

/// Reads and validates a scenario, printing its diagnostics to stderr.
pub(crate) fn load(path: &Path) -> anyhow::Result<Scenario> {
    let text = read_text(path)?;
    let (scenario, diagnostics) = truce_scenario::parse(&path.display().to_string(), &text);
    for d in &diagnostics {
        eprintln!("{d}");
    }
    match scenario {
        Some(s) => Ok(s),
        None => {
            let errors = diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
            eprintln!("truce: {}: {errors} error(s); nothing was analysed", path.display());
            Err(InvalidInput.into())
        }
    }
}

/// Imports the domain in `dir`: its `.xml` and `.json` files, in file-name order; `profiles` chooses
/// the parties of a pool.
fn read_domain(
    dir: &Path,
    options: ImportOptions,
    profiles: Option<&[String]>,
) -> anyhow::Result<(Option<Scenario>, Vec<Diagnostic>)> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read the folder {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("xml" | "json")))
        .collect();
    paths.sort();
    let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    let texts = paths.iter().map(|p| read_text(p)).collect::<anyhow::Result<Vec<_>>>()?;
    let files: Vec<InputFile<'_>> =
        names.iter().zip(&texts).map(|(name, text)| InputFile { name, text }).collect();
    import_folder(&dir.display().to_string(), &files, options, profiles)
        .map_err(|e| format_err!("{e}"))
}
