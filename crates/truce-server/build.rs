//! Embeds the archived files of the seed scenario's sources, for the demonstration (`launch.rs`): for
//! each `sha256 = "…"` the seed records, the file `scenarios/sources/<sha256>/original.<ext>` beside it
//! (`truce_source::archive`'s layout), as `SEED_SOURCES`: (path in the archive, bytes). A hash without
//! its file is left out, with a warning: the demo then shows that source as not archived.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let scenarios = manifest.join("../../scenarios");
    let seed = scenarios.join("ukraine-2025.toml");
    let archive = scenarios.join("sources");
    println!("cargo:rerun-if-changed={}", seed.display());
    println!("cargo:rerun-if-changed={}", archive.display());
    let text = std::fs::read_to_string(&seed).unwrap_or_default();
    let mut out = String::from(
        "/// The seed scenario's archived source files: (path in the archive, the file's bytes).\n\
         pub const SEED_SOURCES: &[(&str, &[u8])] = &[\n",
    );
    for sha256 in hashes(&text) {
        let dir = archive.join(&sha256);
        println!("cargo:rerun-if-changed={}", dir.display());
        match original(&dir) {
            Some(file) => {
                let name = file.file_name().and_then(|n| n.to_str()).unwrap_or_default();
                let path = std::fs::canonicalize(&file).unwrap_or(file.clone());
                let _ = writeln!(
                    out,
                    "    ({:?}, include_bytes!({:?})),",
                    format!("{sha256}/{name}"),
                    path.display().to_string()
                );
            }
            None => println!(
                "cargo:warning=the seed records source file {sha256}, but {} holds no original.*",
                dir.display()
            ),
        }
    }
    out.push_str("];\n");
    let dest =
        PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default()).join("seed_sources.rs");
    if let Err(e) = std::fs::write(&dest, out) {
        panic!("cannot write {}: {e}", dest.display());
    }
}

/// The values of `sha256 = "<64 hex digits>"` lines, in order, each once.
fn hashes(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for line in text.lines() {
        let Some(rest) = line.trim().strip_prefix("sha256") else { continue };
        let Some(value) = rest.trim_start().strip_prefix('=') else { continue };
        let value = value.trim().trim_matches('"');
        if value.len() == 64
            && value.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
            && !out.iter().any(|h| h == value)
        {
            out.push(value.to_string());
        }
    }
    out
}

/// The `original.*` file of an archived source's directory.
fn original(dir: &Path) -> Option<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.file_stem().and_then(|s| s.to_str()) == Some("original"))
        .collect();
    found.sort();
    found.into_iter().next()
}
