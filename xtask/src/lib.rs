//! What the task runner shares with the tests: the throwaway services they run against (a PostgreSQL
//! cluster, a Garage node), which the fault campaign also stops, restarts and starts again, and the
//! way a command is run and shown.

use std::process::Command;

use anyhow::{Context, bail};

pub mod garage;
pub mod postgres;

/// Runs `cmd`, showing it first; an error names it and how it ended.
pub fn run(cmd: &mut Command) -> anyhow::Result<()> {
    eprintln!("xtask: running {}", shown(cmd));
    let status = cmd.status().with_context(|| format!("cannot start {}", shown(cmd)))?;
    if !status.success() {
        bail!("{} failed with {status}", shown(cmd));
    }
    Ok(())
}

/// A command as it is shown: its directory, program and arguments, never its environment (which may
/// hold the test services' credentials).
pub fn shown(cmd: &Command) -> String {
    let mut out = String::new();
    if let Some(dir) = cmd.get_current_dir() {
        out.push_str(&format!("(in {}) ", dir.display()));
    }
    out.push_str(&cmd.get_program().to_string_lossy());
    for a in cmd.get_args() {
        out.push(' ');
        out.push_str(&a.to_string_lossy());
    }
    out
}

/// A `cargo install` of a tool the tests use, built for a quick build rather than its fastest run:
/// optimisation level 1, no debug information. It saves minutes of a fresh machine's CI (Garage's
/// build most of all), and the tools do little work in the tests.
pub fn quick_install(cmd: &mut Command) -> &mut Command {
    cmd.env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "1")
        .env("CARGO_PROFILE_RELEASE_DEBUG", "false")
        .env("CARGO_PROFILE_RELEASE_LTO", "false")
        .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "256")
}
