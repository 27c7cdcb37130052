//! `truce-bench`: the drivers behind `cargo xtask bench-table`, `bench-log`, `bench-watch`,
//! `bench-server` and `crash-test`. They time the library crates and the server on this machine and
//! print figures; nothing here ships in the `truce` binary.
//!
//! One environment knob: `TRUCE_BENCH_VERBOSE`, when set, makes `server` print every refused read (its
//! path, status and message) on stderr, to find which class of work turned readers away.

mod benches;

use std::io::Write as _;
use std::path::PathBuf;

use anyhow::format_err;
use clap::{Parser, Subcommand};

/// Benchmark and stress drivers (run through `cargo xtask`).
#[derive(Debug, Parser)]
#[command(name = "truce-bench")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Time the exact Pareto set of a seeded synthetic problem (one JSON line).
    Frontier {
        /// Parties.
        #[arg(long)]
        parties: usize,
        /// Issues.
        #[arg(long)]
        issues: usize,
        /// Options per issue.
        #[arg(long, default_value_t = 10)]
        options: usize,
        /// Seed of the generator.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Compute an ε-Pareto set instead of the exact one.
        #[arg(long)]
        epsilon: Option<f64>,
    },
    /// Time the analysis of one reference scenario as the NegMAS reference generator did.
    Reference {
        /// The reference result file (`reference/<slug>.json`).
        reference: PathBuf,
        /// The folder holding `domains/<slug>/`.
        #[arg(long)]
        data: PathBuf,
        /// Repetitions; the median is reported.
        #[arg(long, default_value_t = 3)]
        reps: usize,
    },
    /// The log's figures: machine ceilings, durable appends by batch size, reads and proofs.
    Log {
        /// A scratch directory.
        dir: PathBuf,
        /// Entries per batch-size run.
        #[arg(long, default_value_t = 200_000)]
        entries: u64,
        /// Batch age limit in milliseconds.
        #[arg(long, default_value_t = 10)]
        max_age_ms: u64,
    },
    /// Bilateral alternating offers of the time-based agents on reference domains, one thread (see
    /// `benches::simulate_bench`).
    Simulate {
        /// The negotiation data folder (`test_data/negotiation`).
        #[arg(long)]
        data: PathBuf,
        /// Repetitions of the nine pairings per timed run.
        #[arg(long, default_value_t = 50)]
        reps: usize,
        /// Timed runs; the median is reported.
        #[arg(long, default_value_t = 3)]
        runs: usize,
        /// The domains' slugs.
        slugs: Vec<String>,
    },
    /// Compliance and the daily report over a dense generated mission.
    Watch {
        /// The agreement file.
        accord: PathBuf,
        /// About this many observations.
        #[arg(long, default_value_t = 1_000_000)]
        observations: u64,
    },
    /// Load-test the server on loopback.
    Server {
        /// PostgreSQL URL; SQLite in a temporary directory when absent.
        #[arg(long)]
        postgres: Option<String>,
        /// Signed observations to submit.
        #[arg(long, default_value_t = 40_000)]
        submissions: usize,
        /// Concurrent clients.
        #[arg(long, default_value_t = 64)]
        clients: usize,
        /// The log on shared storage: its tiles in this bucket (`s3://…`, with the `AWS_*`
        /// variables), its record, journal and lease in the `--postgres` database.
        #[arg(long, requires = "postgres")]
        storage_url: Option<String>,
    },
    /// The position extractor against labelled sets: precision and recall of (party, option, stance)
    /// and the share of verbatim quotes, per language.
    Extract {
        /// The scenario whose vocabulary the extractor uses.
        #[arg(long, default_value = "scenarios/ukraine-2025.toml")]
        scenario: PathBuf,
        /// Directories holding a `labels.toml` and its articles.
        sets: Vec<PathBuf>,
        /// Print each article's mistakes and misses.
        #[arg(long)]
        verbose: bool,
    },
    /// Append entries from several threads until killed, writing each acknowledged index to ACKS (the
    /// writer `cargo xtask crash-test` kills).
    StressAppend {
        /// The log directory (created if missing).
        dir: PathBuf,
        /// File that receives `index entry` lines, one per acknowledged entry.
        #[arg(long)]
        acks: PathBuf,
        /// A label for this run's entries.
        #[arg(long)]
        run: u64,
        /// Submitting threads.
        #[arg(long, default_value_t = 32)]
        threads: usize,
        /// Shared storage: the bucket (`s3://…`, with the `AWS_*` variables) holding the tiles. The
        /// log's key stays in DIR; the writer holds the sequencing lease while it runs.
        #[arg(long, requires = "database_url")]
        storage_url: Option<String>,
        /// Shared storage: the PostgreSQL database with the record, journal and lease.
        #[arg(long)]
        database_url: Option<String>,
        /// Only open the log (integrating the journal), sign its checkpoint, and exit.
        #[arg(long)]
        recover: bool,
    },
}

fn main() -> anyhow::Result<()> {
    let text = match Cli::parse().command {
        Command::Frontier { parties, issues, options, seed, epsilon } => {
            let problem = truce_table::synthetic_problem(parties, issues, options, seed);
            let start = std::time::Instant::now();
            let frontier = match epsilon {
                Some(e) => truce_table::epsilon_pareto_frontier(&problem, e),
                None => truce_table::pareto_frontier(&problem),
            };
            let seconds = start.elapsed().as_secs_f64();
            let line = serde_json::json!({
                "parties": parties,
                "issues": issues,
                "options": options,
                "outcomes": problem.size(),
                "epsilon": epsilon,
                "seconds": seconds,
                "frontier": frontier.points.len(),
                "peak_layer": frontier.peak_layer,
                "peak_rss_bytes": peak_rss_bytes(),
            });
            format!("{line}\n")
        }
        Command::Reference { reference, data, reps } => {
            benches::reference(&reference, &data, reps)?
        }
        Command::Simulate { data, reps, runs, slugs } => {
            benches::simulate_bench(&data, reps, runs, &slugs)?
        }
        Command::Log { dir, entries, max_age_ms } => benches::log_bench(&dir, entries, max_age_ms)?,
        Command::Watch { accord, observations } => benches::watch_bench(&accord, observations)?,
        Command::Server { postgres, submissions, clients, storage_url } => benches::server_bench(
            postgres.as_deref(),
            submissions,
            clients,
            storage_url.as_deref(),
        )?,
        Command::Extract { scenario, sets, verbose } => {
            benches::extract_bench(&scenario, &sets, verbose)?
        }
        Command::StressAppend { dir, acks, run, threads, storage_url, database_url, recover } => {
            match (storage_url, database_url) {
                (Some(url), Some(db)) => {
                    stress_append_shared(&dir, &acks, run, threads, (&url, &db), recover)?
                }
                _ => stress_append(&dir, &acks, run, threads)?,
            }
            String::new()
        }
    };
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(())
}

/// Appends `run … thread … entry …` lines through the sequencer from `threads` threads, forever,
/// writing `index entry` to `acks` after each acknowledgement.
fn stress_append(
    dir: &std::path::Path,
    acks: &std::path::Path,
    run: u64,
    threads: usize,
) -> anyhow::Result<()> {
    use truce_tlog::layout;
    let log = if layout::is_log(dir) {
        layout::open_log(dir)?
    } else {
        layout::init_log(dir, "crash.test/log")?
    };
    submit_forever(
        truce_tlog::sequencer::Sequencer::start(log, stress_config())?,
        acks,
        run,
        threads,
    )
}

/// The batching the crash tests' writers use.
fn stress_config() -> truce_tlog::sequencer::SequencerConfig {
    truce_tlog::sequencer::SequencerConfig {
        max_batch: 64,
        max_age: std::time::Duration::from_millis(5),
        max_pending: 4096,
        integrate_every: std::time::Duration::ZERO,
    }
}

/// [`stress_append`] on shared storage: takes the sequencing lease (waiting while a killed writer's
/// lease runs out), renews it from a thread, and exits at once if it is lost.
fn stress_append_shared(
    dir: &std::path::Path,
    acks: &std::path::Path,
    run: u64,
    threads: usize,
    (storage_url, database_url): (&str, &str),
    recover: bool,
) -> anyhow::Result<()> {
    use truce_tlog::layout;
    use truce_tlog::log::Log;
    if !layout::is_log(dir) {
        // Only its key is used: the tree lives in the bucket.
        layout::init_log(dir, "crash.test/log")?;
    }
    let signer = layout::log_signer(dir)?;
    let shared = truce_tlog_shared::Shared::connect(storage_url, database_url, &signer.name)?;
    let ttl = std::time::Duration::from_millis(600);
    let holder = format!("stress-append run {run}");
    while shared.acquire(&holder, ttl)?.is_none() {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let renewing = shared.clone();
    std::thread::spawn(move || {
        loop {
            std::thread::sleep(ttl / 4);
            if !matches!(renewing.acquire(&holder, ttl), Ok(Some(_))) {
                std::process::exit(3);
            }
        }
    });
    let log = if shared.exists()? {
        Log::open(shared.storage(), signer)?
    } else {
        Log::create(shared.storage(), signer)?
    };
    if recover {
        shared.release()?;
        return Ok(());
    }
    submit_forever(
        truce_tlog::sequencer::Sequencer::start(log, stress_config())?,
        acks,
        run,
        threads,
    )
}

/// Submits `run … thread … entry …` lines from `threads` threads until killed, writing `index entry`
/// to `acks` after each acknowledgement.
fn submit_forever(
    seq: truce_tlog::sequencer::Sequencer,
    acks: &std::path::Path,
    run: u64,
    threads: usize,
) -> anyhow::Result<()> {
    use std::sync::{Arc, Mutex};
    let seq = Arc::new(seq);
    let out =
        Arc::new(Mutex::new(std::fs::OpenOptions::new().create(true).append(true).open(acks)?));
    let workers: Vec<_> = (0..threads.max(1))
        .map(|t| {
            let (seq, out) = (seq.clone(), out.clone());
            std::thread::spawn(move || -> anyhow::Result<()> {
                for i in 0u64.. {
                    let entry = format!("run {run} thread {t} entry {i}");
                    let index = seq.submit(entry.clone().into_bytes())?;
                    // One write per line: a kill can cut only the last line, which the checker ignores.
                    let line = format!("{index} {entry}\n");
                    out.lock().unwrap_or_else(|p| p.into_inner()).write_all(line.as_bytes())?;
                }
                Ok(())
            })
        })
        .collect();
    for w in workers {
        w.join().map_err(|_| format_err!("a submitter panicked"))??;
    }
    Ok(())
}

/// This process's peak resident set size, from `/proc/self/status` (Linux); `None` elsewhere.
fn peak_rss_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}
