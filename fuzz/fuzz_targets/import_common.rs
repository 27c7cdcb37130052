//! Shared by the importer targets: split the input into files, import, check the invariants.

use truce_scenario::import::{ImportOptions, InputFile, Semantics};
use truce_scenario::{Diagnostic, Scenario};

type Importer = fn(InputFile<'_>, &[InputFile<'_>], ImportOptions) -> (Option<Scenario>, Vec<Diagnostic>);

/// The input is a domain file and profile files separated by NUL bytes.
pub fn check(data: &[u8], import: Importer) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let mut parts = text.split('\0');
    let domain = parts.next().unwrap_or("");
    let profiles: Vec<&str> = parts.take(4).collect();
    let names = ["p1", "p2", "p3", "p4"];
    let inputs: Vec<InputFile<'_>> = profiles.iter().zip(names).map(|(t, n)| InputFile { name: n, text: t }).collect();
    for semantics in [Semantics::Genius, Semantics::NegmasRaw] {
        let (scenario, diagnostics) = import(InputFile { name: "domain", text: domain }, &inputs, ImportOptions { semantics, cap_at_one: true });
        for d in &diagnostics {
            let file = if d.file == "domain" { domain } else { inputs.iter().find(|f| f.name == d.file).map_or("", |f| f.text) };
            assert!(d.line as usize <= file.split('\n').count().max(1), "{d}");
        }
        match scenario {
            // What imports must write as TOML that parses back.
            Some(s) => {
                assert!(!truce_scenario::has_errors(&diagnostics));
                let toml = truce_scenario::to_toml(&s, "fuzz");
                let (back, diags) = truce_scenario::parse("back.toml", &toml);
                assert!(back.is_some(), "{diags:?}");
            }
            None => assert!(truce_scenario::has_errors(&diagnostics)),
        }
    }
}
