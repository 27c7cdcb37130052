//! `cargo xtask ci-time [--with-installs]`: how long `.ci/run` takes on a fresh clone of `HEAD`, step
//! by step.
//!
//! The clone is new, so nothing is built. Without `--with-installs` the tools the tests install
//! (cargo-fuzz, cargo-deny, Garage) are used where this machine has them; with it the run gets a `HOME`
//! and `CARGO_HOME` of its own (the crates are downloaded again, and the tools built), keeping only the
//! Rust toolchain (rustup's proxies). Debian's packages (Chromium, PostgreSQL, Node.js) are whatever the
//! machine has: the run installs them when missing, but this command does not remove them.
//!
//! Every line of the run is printed with the time since its start; at the end, a table of the steps (each
//! `xtask: running` line begins one) and the total. The clone is removed afterwards; the whole output is
//! kept in `ci-time-<pid>.log` under the system's temporary directory.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{Context, bail};

/// The tools of the Rust toolchain that a run with its own `CARGO_HOME` keeps: rustup's proxies.
const PROXIES: [&str; 8] = [
    "cargo",
    "rustc",
    "rustdoc",
    "rustup",
    "cargo-clippy",
    "clippy-driver",
    "rustfmt",
    "cargo-fmt",
];

pub(crate) fn ci_time(root: &Path, with_installs: bool) -> anyhow::Result<()> {
    let scratch = std::env::temp_dir().join(format!("truce-ci-time-{}", std::process::id()));
    let clone = scratch.join("truce");
    std::fs::create_dir_all(&scratch)?;
    super::run(Command::new("git").args(["clone", "--quiet"]).arg(root).arg(&clone))?;
    let mut cmd = Command::new("sh");
    cmd.current_dir(&clone).args(["-c", "exec ./.ci/run 2>&1"]).stdout(Stdio::piped());
    // Nothing of this workspace's own build may leak in.
    cmd.env_remove("CARGO_TARGET_DIR");
    if with_installs {
        let home = scratch.join("home");
        let cargo_home = home.join(".cargo");
        let proxies = scratch.join("toolchain");
        std::fs::create_dir_all(cargo_home.join("bin"))?;
        std::fs::create_dir_all(&proxies)?;
        let own_bin = std::env::var_os("CARGO_HOME")
            .map(|h| Path::new(&h).join("bin"))
            .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cargo/bin")))
            .context("neither CARGO_HOME nor HOME is set: cannot find the Rust toolchain")?;
        for tool in PROXIES {
            let from = own_bin.join(tool);
            if from.exists() {
                std::os::unix::fs::symlink(&from, proxies.join(tool))?;
            }
        }
        let rustup_home = std::env::var_os("RUSTUP_HOME")
            .map(std::path::PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".rustup")))
            .context("neither RUSTUP_HOME nor HOME is set")?;
        // The system's directories, without any that holds cargo-installed tools.
        let system: Vec<std::path::PathBuf> = std::env::var_os("PATH")
            .map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
            .unwrap_or_default()
            .into_iter()
            .filter(|d| *d != own_bin && !d.ends_with(".cargo/bin"))
            .collect();
        let path =
            std::env::join_paths([proxies, cargo_home.join("bin")].into_iter().chain(system))?;
        cmd.env("HOME", &home)
            .env("CARGO_HOME", &cargo_home)
            .env("RUSTUP_HOME", rustup_home)
            .env("PATH", path);
    }
    let log_path = std::env::temp_dir().join(format!("ci-time-{}.log", std::process::id()));
    let mut log = std::fs::File::create(&log_path)?;
    let start = Instant::now();
    let mut child = cmd.spawn().context("cannot start .ci/run in the clone")?;
    let mut steps: Vec<(f64, String)> = vec![(0.0, "fmt, clippy, building xtask".into())];
    let out = child.stdout.take().context("no output pipe")?;
    for line in BufReader::new(out).lines() {
        let line = line.unwrap_or_default();
        let t = start.elapsed().as_secs_f64();
        println!("[{:>4}:{:02}] {line}", (t as u64) / 60, (t as u64) % 60);
        writeln!(log, "{t:.0} {line}")?;
        if let Some(command) = line.strip_prefix("xtask: running ") {
            steps.push((t, step_name(command)));
        }
    }
    let status = child.wait()?;
    let total = start.elapsed().as_secs_f64();
    println!("\nstep                                              start     took");
    for (k, (at, name)) in steps.iter().enumerate() {
        let end = steps.get(k + 1).map_or(total, |s| s.0);
        println!("{name:<48} {:>6.0} s {:>6.0} s", at, end - at);
    }
    let mode = if with_installs { "with every install" } else { "with the tools installed" };
    println!(
        "total, {mode}: {:.1} min ({total:.0} s); the whole output: {}",
        total / 60.0,
        log_path.display()
    );
    std::fs::remove_dir_all(&scratch).ok();
    if !status.success() {
        bail!(".ci/run failed in the fresh clone ({status}); see {}", log_path.display());
    }
    Ok(())
}

/// A step's name from the command `xtask` shows: its program and first arguments, without paths.
fn step_name(command: &str) -> String {
    let command = match command.strip_prefix("(in ") {
        Some(rest) => rest.split_once(") ").map_or(rest, |(_, c)| c),
        None => command,
    };
    let words: Vec<&str> =
        command.split_whitespace().map(|w| w.rsplit('/').next().unwrap_or(w)).take(4).collect();
    let name = words.join(" ");
    name.chars().take(48).collect()
}
