//! A domain folder's files, sorted out by content: which file is the domain (Genius
//! `<negotiation_template>` or a GeniusWeb domain with `issuesValues`) and which are the profiles
//! (`<utility_space>` or a GeniusWeb `LinearAdditiveUtilitySpace`). The caller reads the files; this
//! decides what they are and imports them.

use super::{ImportOptions, InputFile, import_genius, import_geniusweb};
use crate::model::Scenario;
use truce_syntax::Diagnostic;

/// What a file in a domain folder is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// A Genius XML domain (`<negotiation_template>`).
    GeniusDomain,
    /// A Genius XML profile (`<utility_space>`).
    GeniusProfile,
    /// A GeniusWeb JSON domain (`issuesValues`).
    WebDomain,
    /// A GeniusWeb JSON profile (`LinearAdditiveUtilitySpace`).
    WebProfile,
    /// Anything else (ignored).
    Other,
}

/// What the file named `name` (`.xml` or `.json`) holding `text` is.
pub fn sniff(name: &str, text: &str) -> FileKind {
    if name.ends_with(".json") {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(text) else { return FileKind::Other };
        if v.get("issuesValues").is_some() {
            FileKind::WebDomain
        } else if v.as_object().is_some_and(|o| o.contains_key("LinearAdditiveUtilitySpace")) {
            FileKind::WebProfile
        } else {
            FileKind::Other
        }
    } else if name.ends_with(".xml") {
        // The first element name, skipping the declaration and comments.
        let mut rest = text;
        while let Some(at) = rest.find('<') {
            rest = &rest[at + 1..];
            if rest.starts_with('?') || rest.starts_with('!') {
                continue;
            }
            let element: String =
                rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            return match element.as_str() {
                "negotiation_template" => FileKind::GeniusDomain,
                "utility_space" => FileKind::GeniusProfile,
                _ => FileKind::Other,
            };
        }
        FileKind::Other
    } else {
        FileKind::Other
    }
}

/// A folder with more profiles than this holds a pool to draw parties from (ANAC 2015 keeps 9 per
/// domain), not one profile per party: [`import_folder`] refuses it unless the parties are chosen.
pub const MAX_PROFILES: usize = 6;

/// Imports a domain folder's files (in the order given, which should be file-name order): exactly one
/// domain file and the profiles of its format. `folder` names the folder in errors. `choose` picks the
/// profiles that sit at the table, each by file name (with or without the folder) or by its 1-based
/// number among the folder's profiles; without it, every profile is a party, up to [`MAX_PROFILES`].
/// Returns the scenario or the diagnostics of malformed files; `Err` when the folder holds no domain,
/// several, no profile, a pool with no choice, or a choice that names no profile of the folder.
pub fn import_folder(
    folder: &str,
    files: &[InputFile<'_>],
    options: ImportOptions,
    choose: Option<&[String]>,
) -> Result<(Option<Scenario>, Vec<Diagnostic>), String> {
    let kinds: Vec<FileKind> = files.iter().map(|f| sniff(f.name, f.text)).collect();
    let domains: Vec<usize> = (0..files.len())
        .filter(|&i| matches!(kinds[i], FileKind::GeniusDomain | FileKind::WebDomain))
        .collect();
    let [domain] = domains[..] else {
        return Err(format!(
            "{folder}: expected exactly one domain file (<negotiation_template> or a GeniusWeb domain), found {}",
            domains.len()
        ));
    };
    let json = kinds[domain] == FileKind::WebDomain;
    let profile = if json { FileKind::WebProfile } else { FileKind::GeniusProfile };
    let all: Vec<InputFile<'_>> =
        (0..files.len()).filter(|&i| kinds[i] == profile).map(|i| files[i]).collect();
    if all.is_empty() {
        return Err(format!("{folder}: no profile found next to the domain"));
    }
    let base = |name: &str| name.rsplit(['/', '\\']).next().unwrap_or(name).to_string();
    let profiles: Vec<InputFile<'_>> = match choose {
        Some(choice) => {
            let mut chosen = Vec::with_capacity(choice.len());
            for c in choice {
                let c = c.trim();
                let found = match c.parse::<usize>() {
                    Ok(n) if (1..=all.len()).contains(&n) => Some(all[n - 1]),
                    Ok(_) => None,
                    Err(_) => all.iter().copied().find(|f| f.name == c || base(f.name) == c),
                };
                let Some(f) = found else {
                    let names: Vec<String> = all.iter().map(|f| base(f.name)).collect();
                    return Err(format!(
                        "{folder}: --profiles {c}: no such profile; the folder's profiles are, by number: {}",
                        names
                            .iter()
                            .enumerate()
                            .map(|(i, n)| format!("{} {n}", i + 1))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ));
                };
                if chosen.iter().any(|g: &InputFile<'_>| g.name == f.name) {
                    return Err(format!("{folder}: --profiles names {} twice", base(f.name)));
                }
                chosen.push(f);
            }
            if chosen.is_empty() {
                return Err(format!("{folder}: --profiles chose no profile"));
            }
            chosen
        }
        None if all.len() > MAX_PROFILES => {
            let names: Vec<String> = all.iter().map(|f| base(f.name)).collect();
            return Err(format!(
                "{folder}: {} profiles is a pool to draw parties from, not one profile per party; choose the parties with --profiles, by name or number (for example --profiles 1,2,3 for {}, {} and {})",
                all.len(),
                names[0],
                names[1],
                names[2]
            ));
        }
        None => all,
    };
    Ok(if json {
        import_geniusweb(files[domain], &profiles, options)
    } else {
        import_genius(files[domain], &profiles, options)
    })
}
