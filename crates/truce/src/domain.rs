//! Reading a Genius or GeniusWeb domain folder from disk; `truce_scenario::import::import_folder`
//! decides which file is what.

use std::path::{Path, PathBuf};

use anyhow::{Context, format_err};
use truce_scenario::import::{ImportOptions, InputFile, import_folder};
use truce_scenario::{Diagnostic, Scenario};

/// Imports the domain in `dir`: its `.xml` and `.json` files, in file-name order; `profiles` chooses
/// the parties of a pool.
pub fn load(
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
    let texts = paths.iter().map(|p| crate::read_text(p)).collect::<anyhow::Result<Vec<_>>>()?;
    let files: Vec<InputFile<'_>> =
        names.iter().zip(&texts).map(|(name, text)| InputFile { name, text }).collect();
    import_folder(&dir.display().to_string(), &files, options, profiles)
        .map_err(|e| format_err!("{e}"))
}
