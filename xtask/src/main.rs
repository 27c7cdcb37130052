//! Automation for the Truce workspace, in Rust rather than shell: `cargo xtask <task>`.
//!
//! - `cargo xtask test`: everything the test suite needs, then every test. This is the README's test command,
//!   and what `.ci/run` runs. It builds the fuzz targets (installing `cargo-fuzz` when missing), builds the
//!   API documentation with warnings denied, runs `cargo deny` on licences, bans and sources (installing
//!   `cargo-deny` when missing), then runs `cargo test --workspace`, and ends with one summary line,
//!   `tests: N passed, M failed`.
//! - `cargo xtask fuzz-build`: build every fuzz target.
//! - `cargo xtask ci-time [--with-installs]`: how long `.ci/run` takes on a fresh clone of `HEAD`, step
//!   by step (see `ci_time`).
//! - `cargo xtask with-services COMMAND…`: run one command with the test services up (a throwaway
//!   PostgreSQL cluster and a Garage node on loopback) and their variables set, e.g.
//!   `cargo xtask with-services cargo test -p truce-tlog-shared`.
//! - `cargo xtask chaos`: the fault campaign in full (outages of 60 s, more rounds), one fault after
//!   the other on its own PostgreSQL, Garage and proxies, then the table of fault, acknowledged, lost,
//!   forks and recovery that the README's figures come from. The suite runs a short version of each.
//! - `cargo xtask upgrade-fixture --truce BIN --release NAME`: a data directory written by a release's
//!   own `truce demo`, for the upgrade test (see `upgrade`).
//! - `cargo xtask fuzz-run TARGET [SECONDS]`: run one fuzz target for a while (default 60 s).
//! - `cargo xtask golden`: rewrites the golden files of every report (`crates/truce-report/tests/golden/`)
//!   from the current code; review the diff before committing it.
//! - `cargo xtask bench-table [--skip-negmas]`: the Table's benchmark (see `bench_table`).
//! - `cargo xtask bench-simulate [--skip-negmas]`: negotiations per second, Truce and NegMAS 0.16.0 on the
//!   same bilateral tournament in one run (see `bench_simulate`).
//! - `cargo xtask simulate-reference`: rewrites `test_data/negotiation/simulation/negmas-saop.json`, NegMAS's
//!   recorded negotiations that the conformance test holds Truce to.
//! - `cargo xtask bench-log`: the log's benchmark (`truce-bench log`): machine ceilings, durable appends
//!   per batch limit with acknowledgement latency, inclusion proofs, audit throughput.
//! - `cargo xtask bench-server`: a bounded load test of the server on loopback, on SQLite and then on a
//!   throwaway PostgreSQL cluster (the log on the filesystem), then with the log's tiles in a Garage
//!   bucket: durable signed submissions per second with latency, tile reads.
//! - `cargo xtask bench-watch [OBSERVATIONS]`: compliance recompute, incremental updates and the daily
//!   report over a dense generated mission (default about 1,000,000 observations).
//! - `cargo xtask bench-extract [--verbose]`: the position extractor on the labelled articles of
//!   `test_data/extract/` (the seed article, the development set, the held-out set): precision and recall
//!   of (party, option, stance) and the share of verbatim quotes, per language.
//! - `cargo xtask crash-test [RUNS] [--shared]`: kills a log writer with SIGKILL at random moments (see
//!   `crash_test`); with `--shared`, a writer on shared storage (Garage and PostgreSQL, started for the
//!   run), whose bucket is then verified alone.

// The developer's task runner: it prints what it runs and measures.
#![allow(clippy::print_stdout)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, bail, format_err};

mod ci_time;
mod upgrade;

use xtask::postgres::Postgres;
use xtask::{garage, quick_install, run, shown};

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = workspace_root();
    match args.first().map(String::as_str) {
        Some("test") => test(&root, &args[1..]),
        Some("fuzz-build") => fuzz_build(&root),
        Some("ci-time") => ci_time::ci_time(&root, args.iter().any(|a| a == "--with-installs")),
        Some("upgrade-fixture") => upgrade::make(&root, &args[1..]),
        Some("with-services") => with_services(&root, &args[1..]),
        Some("chaos") => chaos(&root),
        Some("golden") => run(Command::new(env!("CARGO"))
            .current_dir(&root)
            .env("UPDATE_EXPECT", "1")
            .args(["test", "-p", "truce-report", "--test", "golden"])),
        Some("bench-table") => bench_table(&root, args.iter().any(|a| a == "--skip-negmas")),
        Some("bench-simulate") => bench_simulate(&root, args.iter().any(|a| a == "--skip-negmas")),
        Some("simulate-reference") => {
            let python = negmas_python(&root)?;
            let data = root.join("test_data/negotiation");
            run(Command::new(python)
                .arg(root.join("xtask/assets/negmas_simulate.py"))
                .arg("reference")
                .arg(&data)
                .arg(data.join("simulation/negmas-saop.json"))
                .arg(SIMULATION_MAX_OUTCOMES.to_string()))
        }
        Some("bench-log") => {
            let bench = release_bench(&root)?;
            let scratch = root.join("target/bench-log");
            run(Command::new(&bench).arg("log").arg(&scratch))
        }
        Some("bench-server") => {
            let bench = release_bench(&root)?;
            run(Command::new(&bench).current_dir(&root).arg("server"))?;
            // The same on PostgreSQL, in a throwaway cluster.
            let postgres = Postgres::start()?;
            run(Command::new(&bench).current_dir(&root).args([
                "server",
                "--postgres",
                &postgres.url(),
            ]))?;
            // And with the log's tiles in an object store (a Garage node on loopback), its record,
            // journal and lease in the same PostgreSQL: the several-servers deployment's writer.
            let garage = garage::Garage::start()?;
            let bucket = format!("s3://{}/bench-{}", garage::BUCKET, std::process::id());
            let database = postgres.create_database("bench_shared")?;
            run(Command::new(&bench).current_dir(&root).envs(garage.env()).args([
                "server",
                "--postgres",
                &database,
                "--storage-url",
                &bucket,
            ]))
        }
        Some("bench-extract") => {
            // What is measured is right and wrong answers, not speed: a debug build serves.
            let mut cmd = Command::new(env!("CARGO"));
            cmd.current_dir(&root).args(["run", "--quiet", "-p", "truce-bench", "--", "extract"]);
            cmd.args([
                "test_data/extract/seed",
                "test_data/extract/dev",
                "test_data/extract/heldout",
            ]);
            if args.iter().any(|a| a == "--verbose") {
                cmd.arg("--verbose");
            }
            run(&mut cmd)
        }
        Some("bench-watch") => {
            let bench = release_bench(&root)?;
            let mut cmd = Command::new(&bench);
            cmd.current_dir(&root).args(["watch", "accords/minsk-2015.toml"]);
            if let Some(n) = args.get(1) {
                cmd.args(["--observations", n]);
            }
            run(&mut cmd)
        }
        Some("crash-test") => {
            let shared = args.iter().any(|a| a == "--shared");
            let runs: u64 = args
                .iter()
                .skip(1)
                .find(|a| !a.starts_with("--"))
                .map(|s| s.parse())
                .transpose()
                .context("RUNS must be a number")?
                .unwrap_or(100);
            if shared {
                let postgres = Postgres::start()?;
                let garage = garage::Garage::start()?;
                crash_test(&root, runs, Some((&postgres, &garage)))
            } else {
                crash_test(&root, runs, None)
            }
        }
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
                "usage: cargo xtask <test [cargo test args…] | fuzz-build | ci-time [--with-installs] | fuzz-run TARGET [SECONDS]>"
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

/// Builds the fuzz targets, then runs every test and prints one summary line.
fn test(root: &Path, extra: &[String]) -> anyhow::Result<()> {
    fuzz_build(root)?;
    doc_and_deny(root)?;
    ensure_chromium()?;
    ensure_exiftool()?;
    ensure_node()?;
    ensure_promtool()?;
    ensure_chaos_tools()?;
    let postgres = Postgres::start()?;
    let garage = garage::Garage::start()?;
    let mut cmd = Command::new(env!("CARGO"));
    cmd.current_dir(root).args(["test", "--workspace"]).args(extra).stdout(Stdio::piped());
    cmd.env("TRUCE_TEST_POSTGRES_URL", postgres.url());
    cmd.envs(garage.env());
    // Show what passing tests print: the conformance suite prints how many references it checked.
    if !extra.iter().any(|a| a == "--") {
        cmd.args(["--", "--show-output"]);
    }
    eprintln!("xtask: running {}", shown(&cmd));
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
    drop(garage);
    drop(postgres);
    println!("tests: {passed} passed, {failed} failed");
    if !status.success() || failed > 0 {
        bail!("the test suite failed");
    }
    if passed == 0 {
        bail!("no test ran");
    }
    Ok(())
}

/// Runs one command with the test suite's services up (PostgreSQL, Garage) and their variables set:
/// `cargo xtask with-services cargo test -p truce-tlog-shared`.
fn with_services(root: &Path, command: &[String]) -> anyhow::Result<()> {
    let (program, args) =
        command.split_first().context("usage: cargo xtask with-services COMMAND [ARGS…]")?;
    let postgres = Postgres::start()?;
    let garage = garage::Garage::start()?;
    let status = Command::new(program)
        .current_dir(root)
        .args(args)
        .env("TRUCE_TEST_POSTGRES_URL", postgres.url())
        .envs(garage.env())
        .status()
        .with_context(|| format!("cannot start {program}"))?;
    drop(garage);
    drop(postgres);
    if !status.success() {
        bail!("{program} failed with {status}");
    }
    Ok(())
}

/// Installs Debian's Chromium and ChromeDriver when missing: the report-rendering and browser tests
/// need them, and never skip.
fn ensure_chromium() -> anyhow::Result<()> {
    let works = works("chromium", "--version") && works("chromedriver", "--version");
    ensure_debian(works, &["chromium", "chromium-driver"], "chromium for the browser tests")
}

/// Installs Debian's exiftool (`libimage-exiftool-perl`) when missing: the media tests use it as an
/// independent reader of every file the server accepts, and never skip.
fn ensure_exiftool() -> anyhow::Result<()> {
    let works = works("exiftool", "-ver");
    ensure_debian(works, &["libimage-exiftool-perl"], "exiftool for the media tests")
}

/// Installs Debian's Node.js when missing: the tidy test checks every script of the pages with
/// `node --check`, and never skips.
fn ensure_node() -> anyhow::Result<()> {
    ensure_debian(works("node", "--version"), &["nodejs"], "nodejs for the scripts' syntax check")
}

/// Installs Debian's Prometheus (for its `promtool`) when missing: the operations test checks the
/// alerting rules with it and runs their unit tests, and never skips.
fn ensure_promtool() -> anyhow::Result<()> {
    ensure_debian(works("promtool", "--version"), &["prometheus"], "promtool for the alert rules")
}

/// Installs what the fault campaign needs when missing, and never skips: Debian's Go with its
/// golang.org/x/mod (the independent check of the bucket, built offline with `GO111MODULE=off`), and
/// libfaketime (the servers' skewed clocks).
fn ensure_chaos_tools() -> anyhow::Result<()> {
    let go = works("go", "version")
        && Path::new("/usr/share/gocode/src/golang.org/x/mod/sumdb/tlog").is_dir();
    ensure_debian(go, &["golang-go", "golang-golang-x-mod-dev"], "Go and golang.org/x/mod")?;
    let faketime = works("faketime", "--version");
    ensure_debian(faketime, &["faketime"], "libfaketime for the clock-skew fault")
}

/// `cargo xtask chaos`: the full fault campaign (see `crates/truce/tests/it/chaos.rs`), each fault one
/// after the other with the services up, then its table.
fn chaos(root: &Path) -> anyhow::Result<()> {
    ensure_chaos_tools()?;
    let table = root.join("target/chaos.jsonl");
    let _ = std::fs::remove_file(&table);
    let postgres = Postgres::start()?;
    let garage = garage::Garage::start()?;
    let status = Command::new(env!("CARGO"))
        .current_dir(root)
        .args([
            "test",
            "-p",
            "truce",
            "--test",
            "it",
            "chaos_",
            "--",
            "--test-threads=1",
            "--nocapture",
        ])
        .env("TRUCE_TEST_POSTGRES_URL", postgres.url())
        .envs(garage.env())
        .env("TRUCE_CHAOS", "full")
        .env("TRUCE_CHAOS_TABLE", &table)
        .status()
        .context("cannot start cargo test")?;
    drop(garage);
    drop(postgres);
    let rows = json_lines(&std::fs::read_to_string(&table).unwrap_or_default());
    println!();
    println!(
        "| fault | rounds | acknowledged | lost | forks | refused submissions | reads served during the fault | reads refused | recovery median | recovery worst |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|");
    for r in &rows {
        let ms: Vec<f64> = r["recovery_ms"]
            .as_array()
            .map(|a| a.iter().filter_map(|v| v.as_f64()).collect())
            .unwrap_or_default();
        let worst = ms.iter().copied().fold(0.0, f64::max);
        println!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {:.0} ms | {:.0} ms |",
            r["fault"].as_str().unwrap_or("?"),
            r["rounds"],
            r["acknowledged"],
            r["lost"],
            r["forks"],
            r["refusals"],
            r["reads_served"],
            r["reads_failed"],
            median(ms),
            worst
        );
    }
    println!();
    for r in &rows {
        println!(
            "- {}: {}",
            r["fault"].as_str().unwrap_or("?"),
            r["go_check"].as_str().unwrap_or("?")
        );
    }
    if !status.success() {
        bail!("the fault campaign failed (see above)");
    }
    if rows.len() < 7 {
        bail!("only {} faults reported a row; expected 7", rows.len());
    }
    Ok(())
}

/// Whether `program arg` runs and succeeds.
fn works(program: &str, arg: &str) -> bool {
    Command::new(program)
        .arg(arg)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Installs Debian's `packages` with apt-get (through sudo when not root), unless `present`.
fn ensure_debian(present: bool, packages: &[&str], what: &str) -> anyhow::Result<()> {
    if present {
        return Ok(());
    }
    eprintln!("xtask: installing Debian's {what}");
    let root_user =
        Command::new("id").arg("-u").output().is_ok_and(|o| o.stdout.starts_with(b"0\n"));
    let apt = |args: &[&str]| {
        let mut cmd = if root_user { Command::new("apt-get") } else { Command::new("sudo") };
        if !root_user {
            cmd.arg("apt-get");
        }
        cmd.env("DEBIAN_FRONTEND", "noninteractive").args(args);
        run(&mut cmd)
    };
    apt(&["update", "-q"])?;
    apt(&[&["install", "-y", "-q"][..], packages].concat())
        .with_context(|| format!("cannot install {}", packages.join(", ")))
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
    ensure_cargo_tool("fuzz", "cargo-fuzz")
}

/// Installs `cargo <sub>` (the crate `package`) from crates.io when it is missing.
fn ensure_cargo_tool(sub: &str, package: &str) -> anyhow::Result<()> {
    let installed = Command::new(env!("CARGO"))
        .args([sub, "--version"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    if installed.is_ok_and(|s| s.success()) {
        return Ok(());
    }
    run(quick_install(Command::new(env!("CARGO")).args(["install", package, "--locked"])))
}

/// The checks beside the tests: the API documentation builds without a warning, and every dependency's
/// licence, source and ban is as `deny.toml` allows (advisories need a database this machine cannot
/// fetch; see `deny.toml`).
fn doc_and_deny(root: &Path) -> anyhow::Result<()> {
    run(Command::new(env!("CARGO")).current_dir(root).env("RUSTDOCFLAGS", "-D warnings").args([
        "doc",
        "--workspace",
        "--no-deps",
        "--quiet",
    ]))?;
    ensure_cargo_tool("deny", "cargo-deny")?;
    run(Command::new(env!("CARGO")).current_dir(root).args([
        "deny",
        "--log-level",
        "error",
        "check",
        "licenses",
        "bans",
        "sources",
    ]))
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
    // New inputs go to a scratch corpus under fuzz/target; the committed seed corpus is only read.
    let scratch = root.join("fuzz/target/corpus").join(target);
    std::fs::create_dir_all(&scratch)?;
    let seeds = root.join("fuzz/corpus").join(target);
    run(Command::new(env!("CARGO"))
        .current_dir(root.join("fuzz"))
        .env("RUSTC_BOOTSTRAP", "1")
        .args(["fuzz", "run", target])
        .arg(&scratch)
        .arg(&seeds)
        .args(["--", &format!("-max_total_time={seconds}"), "-max_len=65536"]))
}

/// Builds the `truce` binary in release mode and returns its path (in `CARGO_TARGET_DIR` when set).
fn release_truce(root: &Path) -> anyhow::Result<PathBuf> {
    release_binary(root, "truce")
}

/// Builds the benchmark drivers (`crates/truce-bench`) in release mode; returns the binary's path.
fn release_bench(root: &Path) -> anyhow::Result<PathBuf> {
    release_binary(root, "truce-bench")
}

fn release_binary(root: &Path, package: &str) -> anyhow::Result<PathBuf> {
    run(Command::new(env!("CARGO")).current_dir(root).args([
        "build",
        "--release",
        "--quiet",
        "-p",
        package,
    ]))?;
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|t| if t.is_absolute() { t } else { root.join(t) })
        .unwrap_or_else(|| root.join("target"));
    Ok(target.join("release").join(package))
}

/// Runs `cmd`, returning its standard output; its standard error goes to ours.
fn output(cmd: &mut Command) -> anyhow::Result<String> {
    let out = cmd
        .stderr(Stdio::inherit())
        .output()
        .with_context(|| format!("cannot start {}", shown(cmd)))?;
    if !out.status.success() {
        bail!("{} failed with {}", shown(cmd), out.status);
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

fn json_lines(text: &str) -> Vec<serde_json::Value> {
    text.lines().filter_map(|l| serde_json::from_str(l).ok()).collect()
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    if v.is_empty() { f64::NAN } else { v[v.len() / 2] }
}

/// The NegMAS version the references were computed with.
const NEGMAS: &str = "negmas==0.16.0";

/// A throwaway virtualenv with NegMAS, under `target/bench/`; returns its Python.
fn negmas_python(root: &Path) -> anyhow::Result<PathBuf> {
    let venv = root.join("target/bench/negmas-venv");
    let python = venv.join("bin/python");
    let ready = Command::new(&python)
        .args(["-c", "import negmas, sys; sys.exit(0 if negmas.__version__ == '0.16.0' else 1)"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ready {
        run(Command::new("python3").args(["-m", "venv"]).arg(&venv))?;
        run(Command::new(&python).args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            NEGMAS,
        ]))?;
    }
    Ok(python)
}

/// `cargo xtask bench-table`: times Truce and NegMAS 0.16.0 on the reference scenarios in one run, then the
/// exact Pareto set on seeded synthetic problems up to 10^12 outcomes, with peak memory.
///
/// Reference scenarios: those with a NegMAS-variant reference and at least 10^4 outcomes. Both tools do the
/// same work (Pareto frontier, then Nash, KS, Kalai and max-welfare points; loading excluded), median of 3 runs
/// (NegMAS: 1 run from 10^6 outcomes, where one run takes tens of seconds).
fn bench_table(root: &Path, skip_negmas: bool) -> anyhow::Result<()> {
    let bench = release_bench(root)?;
    let data = root.join("test_data/negotiation");

    println!(
        "== Synthetic scaling: exact Pareto set, Dirichlet(1) weights, uniform values, 10 options per issue, seed 1"
    );
    println!(
        "{:>8} {:>7} {:>10} {:>12} {:>12} {:>12} {:>10}",
        "parties", "issues", "outcomes", "median (s)", "peak RSS", "frontier", "target"
    );
    let cases: [(usize, usize, usize, &str); 7] = [
        (3, 6, 3, ""),
        (3, 8, 3, "< 0.05 s"),
        (3, 10, 3, ""),
        (3, 12, 3, "< 0.5 s"),
        (5, 8, 3, ""),
        (5, 10, 3, ""),
        (5, 12, 3, "< 60 s, < 4 GiB"),
    ];
    for (parties, issues, reps, target) in cases {
        let mut times = Vec::new();
        let mut rss = 0u64;
        let mut frontier = 0u64;
        for _ in 0..reps {
            let out = output(Command::new(&bench).args([
                "frontier",
                "--parties",
                &parties.to_string(),
                "--issues",
                &issues.to_string(),
            ]))?;
            let v = json_lines(&out)
                .pop()
                .ok_or_else(|| format_err!("no result from bench-frontier"))?;
            times.push(v["seconds"].as_f64().unwrap_or(f64::NAN));
            rss = rss.max(v["peak_rss_bytes"].as_u64().unwrap_or(0));
            frontier = v["frontier"].as_u64().unwrap_or(0);
        }
        println!(
            "{parties:>8} {issues:>7} {:>10} {:>12.4} {:>9.1} MiB {frontier:>12} {target:>10}",
            format!("1e{issues}"),
            median(times),
            rss as f64 / (1024.0 * 1024.0)
        );
    }

    let mut references: Vec<(f64, PathBuf)> = Vec::new();
    for entry in std::fs::read_dir(data.join("reference"))? {
        let path = entry?.path();
        let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path)?)?;
        let outcomes = v["outcome_space_size"].as_f64().unwrap_or(0.0);
        if v["variants"].get("negmas").is_some() && outcomes >= 1e4 {
            references.push((outcomes, path));
        }
    }
    references.sort_by(|a, b| a.0.total_cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
    println!();
    println!(
        "== Reference scenarios with at least 10^4 outcomes: {} (Truce: negmas-raw semantics, same results as the references)",
        references.len()
    );
    let mut truce_results = std::collections::BTreeMap::new();
    for (_, path) in &references {
        let out = output(Command::new(&bench).arg("reference").arg(path).arg("--data").arg(&data))?;
        for v in json_lines(&out) {
            truce_results.insert(v["scenario"].as_str().unwrap_or("").to_string(), v);
        }
    }
    let mut negmas_results = std::collections::BTreeMap::new();
    if !skip_negmas {
        let python = negmas_python(root)?;
        let script = root.join("xtask/assets/negmas_bench.py");
        let mut cmd = Command::new(python);
        cmd.arg(script).arg(&data).args(["3", "1"]);
        for (_, path) in &references {
            cmd.arg(path);
        }
        eprintln!(
            "xtask: running NegMAS {NEGMAS} on {} scenarios (several minutes)",
            references.len()
        );
        for v in json_lines(&output(&mut cmd)?) {
            negmas_results.insert(v["scenario"].as_str().unwrap_or("").to_string(), v);
        }
    }
    println!(
        "{:<44} {:>3} {:>10} {:>8} {:>12} {:>12} {:>10}",
        "scenario", "n", "outcomes", "frontier", "Truce (ms)", "NegMAS (s)", "ratio"
    );
    let mut ratios = Vec::new();
    let mut below = Vec::new();
    for (outcomes, path) in &references {
        let slug = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        let Some(t) = truce_results.get(slug) else { continue };
        let truce_s = t["seconds"].as_f64().unwrap_or(f64::NAN);
        let negmas_s = negmas_results.get(slug).and_then(|v| v["seconds"].as_f64());
        let ratio = negmas_s.map(|n| n / truce_s);
        if let Some(r) = ratio {
            ratios.push(r);
            if r < 100.0 {
                below.push(slug.to_string());
            }
        }
        println!(
            "{slug:<44} {:>3} {outcomes:>10.0} {:>8} {:>12.3} {:>12} {:>10}",
            t["parties"].as_u64().unwrap_or(0),
            t["frontier"].as_u64().unwrap_or(0),
            truce_s * 1e3,
            negmas_s.map_or("-".to_string(), |n| format!("{n:.3}")),
            ratio.map_or("-".to_string(), |r| format!("{r:.0}x"))
        );
    }
    if !ratios.is_empty() {
        let min = ratios.iter().copied().fold(f64::INFINITY, f64::min);
        println!();
        println!(
            "Truce vs NegMAS on {} scenarios: median ratio {:.0}x, minimum {:.0}x; below 100x: {}",
            ratios.len(),
            median(ratios.clone()),
            min,
            if below.is_empty() { "none".to_string() } else { below.join(", ") }
        );
    }
    Ok(())
}

/// The conformance references cover the bilateral and 3-party domains up to this many outcomes.
const SIMULATION_MAX_OUTCOMES: u64 = 20_000;

/// The domains of the shared tournament: bilateral Genius domains from 180 to 188,160 outcomes.
const SIMULATE_DOMAINS: [&str; 6] = [
    "anac_y2010_ItexvsCypress",
    "anac_y2011_Amsterdam",
    "anac_y2011_Camera",
    "anac_y2013_SmartPhone",
    "anac_y2011_Car",
    "src-anac_y2010_Travel",
];

/// `cargo xtask bench-simulate`: the same tournament in Truce and in NegMAS 0.16.0, in one run.
///
/// The tournament: on each domain of [`SIMULATE_DOMAINS`], every ordered pairing of Boulware, Linear and
/// Conceder (NegMAS's `BoulwareTBNegotiator`, `LinearTBNegotiator`, `ConcederTBNegotiator`) in bilateral
/// alternating offers with a 100-round deadline, discounting ignored; fresh agents for every negotiation,
/// one thread in both tools. Truce's time includes preparing each domain once (inverses and Pareto set);
/// loading is excluded in both. Truce: 50 repetitions (450 negotiations), median of 3 runs; NegMAS: 10
/// repetitions (90 negotiations) on the domains up to 3,600 outcomes, 4 on SmartPhone and Car, 1 on
/// Travel, where one negotiation takes over a second. Prints negotiations per second for each and the
/// ratio, then the median ratio.
fn bench_simulate(root: &Path, skip_negmas: bool) -> anyhow::Result<()> {
    let bench = release_bench(root)?;
    let data = root.join("test_data/negotiation");
    let out = output(
        Command::new(&bench)
            .args(["simulate", "--reps", "50", "--runs", "3", "--data"])
            .arg(&data)
            .args(SIMULATE_DOMAINS),
    )?;
    let truce: std::collections::BTreeMap<String, serde_json::Value> = json_lines(&out)
        .into_iter()
        .map(|v| (v["scenario"].as_str().unwrap_or("").to_string(), v))
        .collect();
    let mut negmas = std::collections::BTreeMap::new();
    if !skip_negmas {
        let python = negmas_python(root)?;
        eprintln!("xtask: running NegMAS {NEGMAS} on the same tournament (about a minute)");
        for slug in SIMULATE_DOMAINS {
            // About 90 negotiations where one takes milliseconds, fewer where it takes a second.
            let reps = match slug {
                "src-anac_y2010_Travel" => "1",
                "anac_y2013_SmartPhone" | "anac_y2011_Car" => "4",
                _ => "10",
            };
            let out = output(
                Command::new(&python)
                    .arg(root.join("xtask/assets/negmas_simulate.py"))
                    .arg("bench")
                    .arg(&data)
                    .arg(reps)
                    .arg(slug),
            )?;
            for v in json_lines(&out) {
                negmas.insert(v["scenario"].as_str().unwrap_or("").to_string(), v);
            }
        }
    }
    println!(
        "== Bilateral alternating offers, Boulware/Linear/Conceder × the same, 100 rounds, one thread"
    );
    println!(
        "{:<28} {:>9} {:>14} {:>14} {:>10}",
        "domain", "outcomes", "Truce neg/s", "NegMAS neg/s", "ratio"
    );
    let mut ratios = Vec::new();
    for slug in SIMULATE_DOMAINS {
        let Some(t) = truce.get(slug) else { continue };
        let rate = |v: &serde_json::Value| {
            v["negotiations"].as_f64().unwrap_or(f64::NAN)
                / v["seconds"].as_f64().unwrap_or(f64::NAN)
        };
        let truce_rate = rate(t);
        let negmas_rate = negmas.get(slug).map(rate);
        let ratio = negmas_rate.map(|n| truce_rate / n);
        ratios.extend(ratio);
        let outcomes = std::fs::read_to_string(data.join("reference").join(format!("{slug}.json")))
            .ok()
            .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
            .and_then(|v| v["outcome_space_size"].as_u64())
            .unwrap_or(0);
        println!(
            "{slug:<28} {outcomes:>9} {truce_rate:>14.0} {:>14} {:>10}",
            negmas_rate.map_or("-".to_string(), |n| format!("{n:.1}")),
            ratio.map_or("-".to_string(), |r| format!("{r:.0}x"))
        );
    }
    if !ratios.is_empty() {
        let min = ratios.iter().copied().fold(f64::INFINITY, f64::min);
        println!();
        println!(
            "Truce vs NegMAS on {} domains: median ratio {:.0}x, minimum {:.0}x (target: at least 1,000x)",
            ratios.len(),
            median(ratios.clone()),
            min
        );
    }
    Ok(())
}

/// `cargo xtask crash-test [RUNS]`: starts a writer appending from 32 threads, kills it with SIGKILL after a
/// random delay, and checks, before restarting it: the checkpoint is signed; the audit passes; every
/// acknowledged entry is at its index; the new checkpoint extends the one seen after the previous kill.
fn crash_test(
    root: &Path,
    runs: u64,
    shared: Option<(&Postgres, &garage::Garage)>,
) -> anyhow::Result<()> {
    use truce_tlog::checkpoint::Checkpoint;
    use truce_tlog::client::{TileVerifier, audit, check_consistency};
    use truce_tlog::note::NoteVerifier;

    let truce = release_truce(root)?;
    let bench = release_bench(root)?;
    let work = root.join("target/crash-test");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work)?;
    let (log_dir, acks) = (work.join("log"), work.join("acks"));
    // On shared storage the tiles are in the bucket and the record, journal and lease in PostgreSQL;
    // the bucket alone is then read back and verified, as an auditor or a CDN would read it.
    let storage_url = format!("s3://{}/crash-{}", garage::BUCKET, std::process::id());
    let writer = |run: u64, recover: bool| -> Command {
        let mut cmd = Command::new(&bench);
        cmd.arg("stress-append")
            .arg(&log_dir)
            .arg("--acks")
            .arg(&acks)
            .args(["--run", &run.to_string()])
            .stdout(Stdio::null());
        if let Some((postgres, garage)) = shared {
            cmd.args(["--storage-url", &storage_url, "--database-url", &postgres.url()]);
            cmd.envs(garage.env());
            if recover {
                cmd.arg("--recover");
            }
        }
        cmd
    };
    let reader: Box<dyn truce_tlog::client::TileReader> = match shared {
        None => Box::new(truce_tlog::fs::DirReader { root: log_dir.clone() }),
        Some((_, garage)) => {
            let env = garage.env();
            let options: Vec<(String, &str)> = env
                .iter()
                .filter(|(k, _)| k.starts_with("AWS_"))
                .map(|(k, v)| (k.to_lowercase(), v.as_str()))
                .collect();
            let options: Vec<(&str, &str)> =
                options.iter().map(|(k, v)| (k.as_str(), *v)).collect();
            Box::new(truce_tlog_shared::BucketReader::open(&storage_url, &options)?)
        }
    };
    // A small deterministic generator for the kill delays (10 to 400 ms).
    let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut previous: Option<Checkpoint> = None;
    let mut total_acked = 0usize;
    let mut kills_before_signing = 0usize;
    for run in 0..runs {
        let mut child = writer(run, false).spawn().context("cannot start the writer")?;
        // On shared storage a writer first waits for the killed one's lease (600 ms) and connects.
        let base = if shared.is_some() { 700 } else { 10 };
        std::thread::sleep(std::time::Duration::from_millis(base + next() % 390));
        child.kill().context("cannot kill the writer")?; // SIGKILL on Unix
        child.wait()?;

        let key_text = std::fs::read_to_string(log_dir.join("log.vkey"))
            .context("no log.vkey: the writer never initialised")?;
        let key = NoteVerifier::parse(&key_text)?;
        let reader = reader.as_ref();
        // The checkpoint the killed writer left, then the one the restarted writer signs: both must
        // extend the previous run's, and the second must hold every acknowledged entry.
        let mut checkpoint = None;
        let mut killed_size = 0;
        for stage in ["as killed", "after recovery"] {
            if stage == "after recovery" {
                let status = if shared.is_some() {
                    writer(run, true).status()?
                } else {
                    Command::new(&truce)
                        .args(["log", "recover"])
                        .arg(&log_dir)
                        .stdout(Stdio::null())
                        .status()?
                };
                if !status.success() {
                    bail!("run {run}: the log does not reopen ({status})");
                }
            }
            let (_, c) = truce_tlog::client::signed_checkpoint(reader, &key)?;
            let verifier = TileVerifier::new(reader, &c)?;
            audit(&verifier, &mut |_| {})
                .with_context(|| format!("run {run}: the audit failed ({stage})"))?;
            if let Some(old) = &previous {
                check_consistency(&verifier, old).with_context(|| {
                    format!("run {run}: the checkpoint chain is inconsistent ({stage})")
                })?;
            }
            if stage == "as killed" {
                killed_size = c.size;
            }
            previous = Some(c.clone());
            checkpoint = Some(c);
        }
        let checkpoint = checkpoint.expect("two stages ran");
        let verifier = TileVerifier::new(reader, &checkpoint)?;
        // Every complete acknowledgement line names an entry present at its index.
        let text = std::fs::read_to_string(&acks).unwrap_or_default();
        let complete = if text.ends_with('\n') {
            text.as_str()
        } else {
            text.rsplit_once('\n').map_or("", |(a, _)| a)
        };
        let (mut checked, mut unsigned_at_kill) = (0usize, 0usize);
        let log: Vec<Vec<u8>> = verifier
            .entries_from(0)
            .map(|e| e.map(|(_, bytes)| bytes))
            .collect::<Result<_, _>>()
            .with_context(|| format!("run {run}: the entries do not verify"))?;
        for line in complete.lines() {
            let (index, entry) =
                line.split_once(' ').ok_or_else(|| format_err!("bad ack line {line:?}"))?;
            let index: u64 = index.parse()?;
            if index >= checkpoint.size {
                bail!(
                    "run {run}: acknowledged entry {index} is beyond the checkpoint (size {})",
                    checkpoint.size
                );
            }
            if log[index as usize] != entry.as_bytes() {
                bail!("run {run}: acknowledged entry {index} is not in the log");
            }
            checked += 1;
            unsigned_at_kill += usize::from(index >= killed_size);
        }
        total_acked = checked;
        println!(
            "crash-test run {:>3}: killed; size {:>7}, {:>7} acknowledged entries present ({} acknowledged but unsigned at the kill), audit ok, chain consistent",
            run + 1,
            checkpoint.size,
            checked,
            unsigned_at_kill
        );
        kills_before_signing += usize::from(unsigned_at_kill > 0);
    }
    println!(
        "crash-test{}: {runs} kills ({kills_before_signing} between an acknowledgement and its checkpoint), {total_acked} acknowledged entries, none lost",
        if shared.is_some() {
            " (shared storage: Garage and PostgreSQL; the bucket verified alone)"
        } else {
            ""
        }
    );
    Ok(())
}
