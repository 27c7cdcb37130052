//! Automation for the Truce workspace, in Rust rather than shell: `cargo xtask <task>`.
//!
//! - `cargo xtask test`: everything the test suite needs, then every test. This is the README's test command,
//!   and what `.ci/run` runs. It builds the fuzz targets (installing `cargo-fuzz` when missing), then runs
//!   `cargo test --workspace`, and ends with one summary line, `tests: N passed, M failed`.
//! - `cargo xtask fuzz-build`: build every fuzz target.
//! - `cargo xtask fuzz-run TARGET [SECONDS]`: run one fuzz target for a while (default 60 s).

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, bail, format_err};

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = workspace_root();
    match args.first().map(String::as_str) {
        Some("test") => test(&root, &args[1..]),
        Some("fuzz-build") => fuzz_build(&root),
        Some("fuzz-run") => {
            let target = args
                .get(1)
                .ok_or_else(|| format_err!("usage: cargo xtask fuzz-run TARGET [SECONDS]"))?;
            let seconds: u64 = args
                .get(2)
                .map(|s| s.parse())
                .transpose()
                .context("SECONDS must be a number")?
                .unwrap_or(60);
            fuzz_run(&root, target, seconds)
        }
        _ => {
            eprintln!(
                "usage: cargo xtask <test [cargo test args…] | fuzz-build | fuzz-run TARGET [SECONDS]>"
            );
            std::process::exit(2)
        }
    }
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the root")
        .to_path_buf()
}

fn run(cmd: &mut Command) -> anyhow::Result<()> {
    eprintln!("xtask: running {cmd:?}");
    let status = cmd.status().with_context(|| format!("cannot start {cmd:?}"))?;
    if !status.success() {
        bail!("{cmd:?} failed with {status}");
    }
    Ok(())
}

/// Builds the fuzz targets, then runs every test and prints one summary line.
fn test(root: &Path, extra: &[String]) -> anyhow::Result<()> {
    fuzz_build(root)?;
    let mut cmd = Command::new(env!("CARGO"));
    cmd.current_dir(root).args(["test", "--workspace"]).args(extra).stdout(Stdio::piped());
    eprintln!("xtask: running {cmd:?}");
    let mut child = cmd.spawn().context("cannot start cargo test")?;
    let stdout = child.stdout.take().context("cargo test has no stdout")?;
    let (mut passed, mut failed) = (0u64, 0u64);
    for line in BufReader::new(stdout).lines() {
        let line = line?;
        println!("{line}");
        if let Some((p, f)) = parse_result_line(&line) {
            passed += p;
            failed += f;
        }
    }
    let status = child.wait()?;
    println!("tests: {passed} passed, {failed} failed");
    if !status.success() || failed > 0 {
        bail!("the test suite failed");
    }
    if passed == 0 {
        bail!("no test ran");
    }
    Ok(())
}

/// Reads `test result: ok. 12 passed; 0 failed; …`.
fn parse_result_line(line: &str) -> Option<(u64, u64)> {
    let rest = line.strip_prefix("test result: ")?;
    let number_before = |word: &str| -> Option<u64> {
        let end = rest.find(word)?;
        rest[..end].trim_end().rsplit(|c: char| !c.is_ascii_digit()).next()?.parse().ok()
    };
    Some((number_before(" passed")?, number_before(" failed")?))
}

fn ensure_cargo_fuzz() -> anyhow::Result<()> {
    let installed = Command::new(env!("CARGO"))
        .args(["fuzz", "--version"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    if installed.is_ok_and(|s| s.success()) {
        return Ok(());
    }
    run(Command::new(env!("CARGO")).args(["install", "cargo-fuzz", "--locked"]))
}

/// Builds every fuzz target. `cargo fuzz` needs nightly flags; `RUSTC_BOOTSTRAP=1` enables them on stable.
fn fuzz_build(root: &Path) -> anyhow::Result<()> {
    ensure_cargo_fuzz()?;
    run(Command::new(env!("CARGO"))
        .current_dir(root.join("fuzz"))
        .env("RUSTC_BOOTSTRAP", "1")
        .args(["fuzz", "build", "--dev"]))
}

fn fuzz_run(root: &Path, target: &str, seconds: u64) -> anyhow::Result<()> {
    ensure_cargo_fuzz()?;
    run(Command::new(env!("CARGO"))
        .current_dir(root.join("fuzz"))
        .env("RUSTC_BOOTSTRAP", "1")
        .args([
            "fuzz",
            "run",
            target,
            "--",
            &format!("-max_total_time={seconds}"),
            "-max_len=65536",
        ]))
}
