//! Reading a Genius or GeniusWeb domain folder from disk.

use std::path::{Path, PathBuf};

use anyhow::{Context, format_err};
use truce_scenario::import::{ImportOptions, InputFile, import_genius, import_geniusweb};
use truce_scenario::{Diagnostic, Scenario};

/// What a file in a domain folder is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    GeniusDomain,
    GeniusProfile,
    WebDomain,
    WebProfile,
    Other,
}

fn classify(text: &str, is_json: bool) -> Kind {
    if is_json {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(text) else { return Kind::Other };
        if v.get("issuesValues").is_some() {
            Kind::WebDomain
        } else if v.as_object().is_some_and(|o| o.contains_key("LinearAdditiveUtilitySpace")) {
            Kind::WebProfile
        } else {
            Kind::Other
        }
    } else {
        // The first element name, skipping the declaration and comments.
        let mut rest = text;
        while let Some(at) = rest.find('<') {
            rest = &rest[at + 1..];
            if rest.starts_with('?') || rest.starts_with('!') {
                continue;
            }
            let name: String =
                rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            return match name.as_str() {
                "negotiation_template" => Kind::GeniusDomain,
                "utility_space" => Kind::GeniusProfile,
                _ => Kind::Other,
            };
        }
        Kind::Other
    }
}

/// Imports the domain in `dir`: one domain file and its profiles (in file-name order), Genius XML or GeniusWeb JSON.
/// Returns the scenario, or the diagnostics when the files are malformed.
pub fn load(
    dir: &Path,
    options: ImportOptions,
) -> anyhow::Result<(Option<Scenario>, Vec<Diagnostic>)> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read the folder {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("xml" | "json")))
        .collect();
    files.sort();
    let mut domains = Vec::new();
    let mut profiles = Vec::new();
    for path in files {
        let text = crate::read_text(&path)?;
        let is_json = path.extension().is_some_and(|e| e == "json");
        match classify(&text, is_json) {
            Kind::GeniusDomain | Kind::WebDomain => domains.push((path, text, is_json)),
            Kind::GeniusProfile | Kind::WebProfile => profiles.push((path, text, is_json)),
            Kind::Other => {}
        }
    }
    let [(domain_path, domain_text, json)] = domains.as_slice() else {
        return Err(format_err!(
            "{}: expected exactly one domain file (<negotiation_template> or a GeniusWeb domain), found {}",
            dir.display(),
            domains.len()
        ));
    };
    let profiles: Vec<&(PathBuf, String, bool)> =
        profiles.iter().filter(|(_, _, j)| j == json).collect();
    if profiles.is_empty() {
        return Err(format_err!("{}: no profile found next to the domain", dir.display()));
    }
    let names: Vec<String> = std::iter::once(domain_path)
        .chain(profiles.iter().map(|(p, _, _)| p))
        .map(|p| p.display().to_string())
        .collect();
    let domain = InputFile { name: &names[0], text: domain_text };
    let inputs: Vec<InputFile<'_>> = profiles
        .iter()
        .zip(&names[1..])
        .map(|((_, t, _), n)| InputFile { name: n, text: t })
        .collect();
    Ok(if *json {
        import_geniusweb(domain, &inputs, options)
    } else {
        import_genius(domain, &inputs, options)
    })
}
