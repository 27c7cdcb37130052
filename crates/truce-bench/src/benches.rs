//! The drivers: what each `cargo xtask bench-…` measures, and the crash test's writer.

use std::fmt::Write as _;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, format_err};
use truce_scenario::import::{
    ImportOptions, InputFile, Semantics, import_genius, import_geniusweb,
};
use truce_table::{Disagreement, Stances, bargain, numeric_model};

/// Imports the reference's domain under negmas-raw semantics, then times the Pareto set and the Nash, KS,
/// egalitarian and max-welfare points (import excluded, as the reference excluded loading), median of `reps`.
/// Prints one JSON line.
pub fn reference(reference: &Path, data: &Path, reps: usize) -> anyhow::Result<String> {
    let text = std::fs::read_to_string(reference)
        .with_context(|| format!("cannot read {}", reference.display()))?;
    let r: serde_json::Value = serde_json::from_str(&text).context("the reference is not JSON")?;
    let slug = r["scenario"].as_str().ok_or_else(|| format_err!("no scenario slug"))?;
    let scenario = import_reference(data, &r)?;
    let parties: Vec<_> = scenario.party_ixs().collect();
    let stances = Stances::new(&scenario, &parties, None);
    let utilities = vec![truce_table::DEFAULT_STANCE_UTILITIES; parties.len()];
    let open: Vec<Vec<Vec<_>>> =
        scenario.issues.iter().map(|i| i.options.iter().map(|o| vec![*o]).collect()).collect();
    let mut times = Vec::with_capacity(reps);
    let mut frontier = 0;
    for _ in 0..reps.max(1) {
        let start = Instant::now();
        let model = numeric_model(&scenario, &stances, &utilities, &open);
        let result = bargain(&model, Disagreement::NegMas);
        times.push(start.elapsed().as_secs_f64());
        frontier = result.frontier.points.len();
    }
    times.sort_by(f64::total_cmp);
    let line = serde_json::json!({
        "scenario": slug,
        "parties": parties.len(),
        "outcomes": r["outcome_space_size"],
        "seconds": times[times.len() / 2],
        "runs": times,
        "frontier": frontier,
        "reference_frontier": r["variants"]["negmas"]["pareto"]["n_points"],
    });
    Ok(format!("{line}\n"))
}

/// Imports the domain a reference file describes, under negmas-raw semantics (as the references were computed).
pub fn import_reference(
    data: &Path,
    r: &serde_json::Value,
) -> anyhow::Result<truce_scenario::Scenario> {
    let slug = r["scenario"].as_str().ok_or_else(|| format_err!("no scenario slug"))?;
    let base = |p: &str| p.rsplit('/').next().unwrap_or(p).to_string();
    let dir = data.join("domains").join(slug);
    let domain_name = base(r["domain_file"].as_str().unwrap_or_default());
    let profile_names: Vec<String> = r["profile_files"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| p.as_str())
        .map(base)
        .collect();
    let domain_text = std::fs::read_to_string(dir.join(&domain_name))?;
    let texts: Vec<String> = profile_names
        .iter()
        .map(|n| std::fs::read_to_string(dir.join(n)))
        .collect::<Result<_, _>>()?;
    let profiles: Vec<InputFile<'_>> =
        profile_names.iter().zip(&texts).map(|(n, t)| InputFile { name: n, text: t }).collect();
    let domain = InputFile { name: &domain_name, text: &domain_text };
    let options = ImportOptions { semantics: Semantics::NegmasRaw, cap_at_one: false };
    let (scenario, diagnostics) = match r["format"].as_str() {
        Some("geniusweb-json") => import_geniusweb(domain, &profiles, options),
        _ => import_genius(domain, &profiles, options),
    };
    let scenario = scenario.ok_or_else(|| format_err!("{slug}: import failed: {diagnostics:?}"))?;
    Ok(scenario)
}

/// The reference file of `slug` under `data`, parsed.
fn reference_of(data: &Path, slug: &str) -> anyhow::Result<serde_json::Value> {
    let path = data.join("reference").join(format!("{slug}.json"));
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("{} is not JSON", path.display()))
}

/// `truce-bench simulate` (run by `cargo xtask bench-simulate`): for each domain, every ordered pairing of
/// Boulware, Linear and Conceder in bilateral alternating offers with 100 rounds, `reps` times, on one
/// thread, as NegMAS runs them. The time counts preparing the setting (each party's inverse, the Pareto set)
/// once, then every negotiation with fresh agents; importing is excluded, as NegMAS's loading is. Median
/// of `runs`. One JSON line per domain.
pub fn simulate_bench(
    data: &Path,
    reps: usize,
    runs: usize,
    slugs: &[String],
) -> anyhow::Result<String> {
    use truce_sim::{AgentSpec, Protocol, Run, scenario_setting};
    let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build()?;
    let agents =
        ["boulware", "linear", "conceder"].map(|a| AgentSpec::parse(a).map_err(anyhow::Error::msg));
    let agents: Vec<AgentSpec> = agents.into_iter().collect::<Result<_, _>>()?;
    let mut out = String::new();
    for slug in slugs {
        let scenario = import_reference(data, &reference_of(data, slug)?)?;
        let mut times = Vec::with_capacity(runs);
        let mut negotiations = 0;
        let mut agreements = 0;
        for _ in 0..runs.max(1) {
            let start = Instant::now();
            let (n, a) = pool.install(|| -> anyhow::Result<(usize, usize)> {
                let prepared =
                    scenario_setting(&scenario, None, None, truce_table::Reading::RedLines)
                        .map_err(anyhow::Error::msg)?;
                let (mut n, mut a) = (0, 0);
                for rep in 0..reps {
                    for first in &agents {
                        for second in &agents {
                            let mut pair = vec![first.build(), second.build()];
                            let run = Run {
                                setting: &prepared.setting,
                                protocol: Protocol::Saop,
                                rounds: 100,
                                seed: rep as u64,
                                trace: false,
                            };
                            let outcome = run.play(&mut pair);
                            n += 1;
                            a += usize::from(outcome.agreement.is_some());
                        }
                    }
                }
                Ok((n, a))
            })?;
            times.push(start.elapsed().as_secs_f64());
            (negotiations, agreements) = (n, a);
        }
        times.sort_by(f64::total_cmp);
        let line = serde_json::json!({
            "scenario": slug,
            "negotiations": negotiations,
            "agreements": agreements,
            "seconds": times[times.len() / 2],
            "runs": times,
        });
        writeln!(out, "{line}")?;
    }
    Ok(out)
}

/// `truce log bench` (hidden; run by `cargo xtask bench-log`): the log's figures on this machine.
pub fn log_bench(dir: &Path, entries_per_run: u64, max_age_ms: u64) -> anyhow::Result<String> {
    use std::fmt::Write as _;
    use std::sync::Arc;

    use ed25519_dalek::{Signer as _, Verifier as _};
    use sha2::Digest as _;
    use truce_tlog::log::Log;
    use truce_tlog::note::{ED25519, NoteSigner};
    use truce_tlog::sequencer::{Sequencer, SequencerConfig};
    use truce_tlog::storage::FsStorage;

    let mut out = String::new();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());

    // Ceilings of this machine: Ed25519 verification and SHA-256, one core and all cores.
    let key = ed25519_dalek::SigningKey::from_bytes(&[7u8; 32]);
    let public = key.verifying_key();
    let (verify_1, verify_all) = ed25519_ceiling(cores);
    let node = [1u8; 65];
    let sha = || {
        std::hint::black_box(sha2::Sha256::digest(std::hint::black_box(&node)));
    };
    let sha_1 = rate(1, &sha);
    let sha_all = rate(cores, &sha);
    let _ = writeln!(out, "== Ceilings of this machine ({cores} cores)");
    let _ = writeln!(
        out,
        "Ed25519 verify (ed25519-dalek): {verify_1:>10.0}/s on 1 core, {verify_all:>10.0}/s on {cores}"
    );
    let _ = writeln!(
        out,
        "SHA-256 of a 65-byte node:      {sha_1:>10.0}/s on 1 core, {sha_all:>10.0}/s on {cores}"
    );

    // Durable appends of 300-byte entries (236-byte observation + 64-byte signature), each verified on admission.
    let entry_of = |i: u64| -> Vec<u8> {
        let mut body = format!("observation {i:>12} ").into_bytes();
        body.resize(236, b'.');
        let sig = key.sign(&body).to_bytes();
        body.extend_from_slice(&sig);
        body
    };
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "== Durable appends: 300-byte signed entries verified on admission, batch age limit {max_age_ms} ms"
    );
    let _ = writeln!(
        out,
        "Throughput: entries offered as fast as admission (one worker per core) allows."
    );
    let _ = writeln!(
        out,
        "Latency: entries offered at 75% of that throughput on a fixed schedule, from arrival to acknowledgement."
    );
    let _ = writeln!(
        out,
        "{:>6} {:>9} {:>12} {:>10} {:>10} {:>10} {:>11} {:>12}",
        "batch",
        "entries",
        "appends/s",
        "of ceiling",
        "p50 ack",
        "p99 ack",
        "at load",
        "p99 at 50%"
    );
    let mut largest: Option<(std::path::PathBuf, u64)> = None;
    for max_batch in [1usize, 16, 64, 256] {
        let run_dir = dir.join(format!("batch-{max_batch}"));
        let _ = std::fs::remove_dir_all(&run_dir);
        let signer = NoteSigner::generate("bench.example/log", ED25519)?;
        let log = Log::create(FsStorage::open(&run_dir)?, signer)?;
        let config = SequencerConfig {
            max_batch,
            max_age: Duration::from_millis(max_age_ms),
            max_pending: 1 << 16,
            integrate_every: Duration::ZERO,
        };
        let seq = Arc::new(Sequencer::start(log, config)?);
        // As a server would: one admission worker per core verifies each entry's signature and queues it
        // without waiting; a waiter collects the acknowledgements in order. Batch limit 1 commits every
        // entry alone, so it gets fewer entries. Two passes: the throughput pass offers entries as fast as
        // admission allows; the latency pass offers them at 75% of that throughput, on a fixed schedule, and
        // measures from each entry's scheduled arrival to its acknowledgement.
        let total = if max_batch == 1 { entries_per_run.min(2_000) } else { entries_per_run };
        let entries: Arc<Vec<Vec<u8>>> = Arc::new((0..total).map(entry_of).collect());
        let run_pass = |rate: Option<f64>, count: usize| -> anyhow::Result<(f64, Vec<f64>)> {
            let (tx, rx) = std::sync::mpsc::channel::<(Instant, truce_tlog::sequencer::Receipt)>();
            let start = Instant::now();
            let waiter = std::thread::spawn(move || {
                let mut lat = Vec::new();
                for (begin, receipt) in rx {
                    receipt.wait().expect("append");
                    lat.push(begin.elapsed().as_secs_f64());
                }
                lat
            });
            std::thread::scope(|s| {
                for worker in 0..cores {
                    let (seq, entries, tx) = (seq.clone(), entries.clone(), tx.clone());
                    s.spawn(move || {
                        for (i, e) in
                            entries.iter().enumerate().take(count).skip(worker).step_by(cores)
                        {
                            let begin = match rate {
                                Some(r) => {
                                    let due = start + Duration::from_secs_f64(i as f64 / r);
                                    while Instant::now() < due {
                                        std::thread::sleep(
                                            due.saturating_duration_since(Instant::now())
                                                .min(Duration::from_micros(500)),
                                        );
                                    }
                                    due
                                }
                                None => Instant::now(),
                            };
                            // Admission: the observer's signature must verify.
                            let sig =
                                ed25519_dalek::Signature::from_slice(&e[236..]).expect("64 bytes");
                            public.verify(&e[..236], &sig).expect("valid signature");
                            let receipt = loop {
                                match seq.enqueue(e.clone()) {
                                    Ok(r) => break r,
                                    // Pushback: a client would retry after a pause.
                                    Err(truce_tlog::Error::Pushback) => {
                                        std::thread::sleep(Duration::from_micros(200))
                                    }
                                    Err(e) => panic!("append: {e}"),
                                }
                            };
                            tx.send((begin, receipt)).expect("waiter alive");
                        }
                    });
                }
            });
            drop(tx);
            let lat = waiter.join().map_err(|_| anyhow::format_err!("the waiter panicked"))?;
            Ok((start.elapsed().as_secs_f64(), lat))
        };
        let (throughput_seconds, _) = run_pass(None, entries.len())?;
        let throughput = entries.len() as f64 / throughput_seconds;
        let latency_count = (entries.len() / 2).max(1);
        let (_, mut latencies) = run_pass(Some(0.75 * throughput), latency_count)?;
        let (_, mut half) = run_pass(Some(0.5 * throughput), latency_count)?;
        half.sort_by(f64::total_cmp);
        let half_p99 = half[((half.len() as f64 - 1.0) * 0.99) as usize] * 1e3;
        seq.stop()?;
        latencies.sort_by(f64::total_cmp);
        let pct = |p: f64| latencies[((latencies.len() as f64 - 1.0) * p) as usize] * 1e3;
        let count = (entries.len() + 2 * latency_count) as u64;
        let _ = writeln!(
            out,
            "{max_batch:>6} {count:>9} {throughput:>12.0} {:>9.1}% {:>8.2}ms {:>8.2}ms {:>9.0}/s {half_p99:>10.2}ms",
            100.0 * throughput / verify_all,
            pct(0.5),
            pct(0.99),
            0.75 * throughput
        );
        largest = Some((run_dir, count));
    }

    // Inclusion proofs from a warm cache, and a full structural audit, on the largest log.
    let (log_dir, size) = largest.ok_or_else(|| anyhow::format_err!("no log written"))?;
    let reader = truce_tlog::fs::DirReader { root: log_dir.clone() };
    let note = truce_tlog::note::Note::parse(&std::fs::read(log_dir.join("checkpoint"))?)?;
    let checkpoint = truce_tlog::checkpoint::Checkpoint::parse(&note.text)?;
    let start = Instant::now();
    let report = truce_tlog::client::audit_parallel(&reader, &checkpoint, cores, &|_| {})?;
    let audit_seconds = start.elapsed().as_secs_f64();
    let verifier = truce_tlog::client::TileVerifier::new(&reader, &checkpoint)?;
    // Warm the cache: authenticate every tile once, as a long-running mirror or server would have.
    for index in (0..size).step_by(truce_tlog::tile::TILE_WIDTH as usize) {
        truce_tlog::merkle::inclusion_proof(&verifier, index, size)?;
    }
    let mut proof_times = Vec::new();
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    for _ in 0..20_000 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let index = x % size;
        let begin = Instant::now();
        let proof = truce_tlog::merkle::inclusion_proof(&verifier, index, size)?;
        proof_times.push(begin.elapsed().as_secs_f64());
        std::hint::black_box(proof);
    }
    proof_times.sort_by(f64::total_cmp);
    let pct = |v: &[f64], p: f64| v[((v.len() as f64 - 1.0) * p) as usize] * 1e6;
    let _ = writeln!(out);
    let _ = writeln!(out, "== Reading back the {size}-entry log");
    let _ = writeln!(
        out,
        "structural audit on {cores} threads: {} entries in {:.3} s = {:.0} entries/s (every tile authenticated, every entry hashed)",
        report.entries,
        audit_seconds,
        report.entries as f64 / audit_seconds
    );
    let _ = writeln!(
        out,
        "inclusion proof, warm cache: p50 {:.1} µs, p99 {:.1} µs (20,000 random indices)",
        pct(&proof_times, 0.5),
        pct(&proof_times, 0.99)
    );
    Ok(out)
}

/// `threads` threads each calling `f` 20,000 times: calls per second.
fn rate(threads: usize, f: &(dyn Fn() + Sync)) -> f64 {
    let n = 20_000u64;
    let start = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| (0..n).for_each(|_| f()));
        }
    });
    (n * threads as u64) as f64 / start.elapsed().as_secs_f64()
}

/// This machine's Ed25519 verification ceiling (ed25519-dalek, a 300-byte message): per second on one
/// core and on `cores`.
pub fn ed25519_ceiling(cores: usize) -> (f64, f64) {
    use ed25519_dalek::{Signer as _, Verifier as _};
    let key = ed25519_dalek::SigningKey::from_bytes(&[7u8; 32]);
    let public = key.verifying_key();
    let message = vec![0x5au8; 300];
    let signature = key.sign(&message);
    let verify = || {
        let ok = public.verify(std::hint::black_box(&message), &signature).is_ok();
        std::hint::black_box(ok);
    };
    (rate(1, &verify), rate(cores, &verify))
}

/// `cargo xtask bench-watch`: compliance and the daily report over a generated mission of about
/// `observations` observations (60 days of dense SMM-like traffic over the Minsk II zones).
pub fn watch_bench(accord: &Path, observations: u64) -> anyhow::Result<String> {
    use rayon::prelude::*;
    use truce_watch::compliance::Compliance;
    let text = std::fs::read_to_string(accord)
        .with_context(|| format!("cannot read {}", accord.display()))?;
    let (a, diags) = truce_accord::parse(&accord.display().to_string(), &text);
    let a = a.ok_or_else(|| format_err!("{}: {diags:?}", accord.display()))?;
    let days = 60u32;
    // Each day: six patrols, the planted traffic, and the background explosions.
    let background =
        u32::try_from(observations / u64::from(days)).unwrap_or(u32::MAX).saturating_sub(10);
    let mut out = String::new();
    let t = Instant::now();
    let mission = truce_watch::generate::generate_dense(&a, 1, days, Some(background))
        .map_err(|e| anyhow::format_err!("{e}"))?;
    let generated = t.elapsed().as_secs_f64();
    let bytes: usize = mission.entries.iter().map(Vec::len).sum();
    let t = Instant::now();
    let entries: Vec<truce_watch::entry::Entry> = mission
        .entries
        .par_iter()
        .map(|e| truce_watch::entry::decode(e))
        .collect::<Result<_, _>>()
        .map_err(|e| anyhow::format_err!("{e}"))?;
    let decoded = t.elapsed().as_secs_f64();
    // The ceiling: bare Ed25519 verification of 300-byte messages on the same threads.
    let ceiling = {
        use ed25519_dalek::{Signer, SigningKey, Verifier};
        let key = SigningKey::from_bytes(&[7; 32]);
        let signed: Vec<(Vec<u8>, ed25519_dalek::Signature)> = (0..40_000u32)
            .map(|i| {
                let m = [i.to_be_bytes().as_slice(), &[0u8; 296]].concat();
                let sig = key.sign(&m);
                (m, sig)
            })
            .collect();
        let public = key.verifying_key();
        let t = Instant::now();
        signed.par_iter().for_each(|(m, sig)| public.verify(m, sig).expect("valid"));
        signed.len() as f64 / t.elapsed().as_secs_f64()
    };
    let mut full = Compliance::new(&a);
    for e in &entries {
        full.apply_entry(e);
    }
    let observed = full.registry().observations.len();
    let _ = writeln!(
        out,
        "== Watch: {} entries ({observed} observations, {:.0} MB), {days} days\ngenerated and signed in {generated:.1} s; decoded and signatures verified on {} threads in {decoded:.1} s ({:.0} entries/s, {:.0}% of this machine's bare Ed25519 verification ceiling of {ceiling:.0}/s on the same threads)",
        entries.len(),
        bytes as f64 / 1e6,
        rayon::current_num_threads(),
        entries.len() as f64 / decoded,
        100.0 * entries.len() as f64 / decoded / ceiling
    );
    // Full recompute from verified entries, as an auditor replays what its audit decoded: median of 3.
    let mut fulls = Vec::new();
    for _ in 0..3 {
        let owned = entries.clone();
        let t = Instant::now();
        let mut c = Compliance::new(&a);
        for e in owned {
            c.apply_owned(e);
        }
        let report = c.evaluate(mission.last_day);
        fulls.push(t.elapsed().as_secs_f64());
        std::hint::black_box(report);
    }
    fulls.sort_by(f64::total_cmp);
    let _ = writeln!(
        out,
        "full compliance recompute (apply every entry, then evaluate): median {:.2} s (target < 2 s)",
        fulls[1]
    );
    // Incremental: the last 2,000 entries one at a time, each followed by a full evaluation.
    let tail = 2_000.min(entries.len() / 2);
    let mut c = Compliance::new(&a);
    for e in &entries[..entries.len() - tail] {
        c.apply_entry(e);
    }
    let mut per_entry = Vec::with_capacity(tail);
    for e in &entries[entries.len() - tail..] {
        let t = Instant::now();
        c.apply_entry(e);
        let report = c.evaluate(mission.last_day);
        per_entry.push(t.elapsed().as_secs_f64());
        std::hint::black_box(report);
    }
    per_entry.sort_by(f64::total_cmp);
    let q = |p: f64| per_entry[((per_entry.len() - 1) as f64 * p) as usize] * 1e3;
    let _ = writeln!(
        out,
        "incremental update (apply one entry, re-evaluate every commitment): p50 {:.3} ms, p99 {:.3} ms over the last {tail} entries (target < 1 ms)",
        q(0.5),
        q(0.99)
    );
    // Daily report (Markdown and HTML with chart and map): median of 3.
    let view = truce_watch::boundary::view(truce_watch::boundary::DEFAULT_VIEW)
        .map_err(|e| anyhow::format_err!("{e}"))?;
    let mut reports = Vec::new();
    let mut size = 0;
    for _ in 0..3 {
        let t = Instant::now();
        let daily = truce_watch::report::daily(&a, &c, mission.last_day, view);
        let html = daily.html(&a, view);
        reports.push(t.elapsed().as_secs_f64());
        size = html.len();
    }
    reports.sort_by(f64::total_cmp);
    let _ = writeln!(
        out,
        "daily report of {} (HTML {:.0} kB): median {:.3} s (target < 1 s)",
        mission.last_day,
        size as f64 / 1e3,
        reports[1]
    );
    Ok(out)
}

/// `cargo xtask bench-server`: a bounded load test on loopback. The server runs in this process on a
/// free port, over SQLite in a temporary directory (or PostgreSQL at `postgres`), with a log holding a
/// mission and one enrolled observer key per client. The machine's Ed25519 verification ceiling is
/// measured first. Clients (keep-alive connections, driven from one thread) submit pre-signed
/// observations as fast as the server acknowledges them — every acknowledgement comes after the durable
/// append — first one a request, then eight a request, then one a request again while 32 readers keep
/// asking for compliance, exports, daily reports and pages (the ratio of the two p99s is printed); then
/// they read random tiles.
pub fn server_bench(
    postgres: Option<&str>,
    submissions: usize,
    clients: usize,
    storage_url: Option<&str>,
) -> anyhow::Result<String> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    let dir = std::env::temp_dir().join(format!("truce-bench-server-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    let out = runtime.block_on(async {
        match postgres {
            Some(url) => {
                let store = truce_store_sql::SqlStore::connect_postgres(url)
                    .await
                    .map_err(|e| format_err!("PostgreSQL: {e}"))?;
                let (backend, log) = match storage_url {
                    Some(bucket) => (
                        "PostgreSQL, the log's tiles in the object store",
                        LogPlace::Shared { bucket: bucket.to_string(), database: url.to_string() },
                    ),
                    None => ("PostgreSQL, the log on the filesystem", LogPlace::Dir),
                };
                server_bench_on(store, backend, &dir, log, submissions, clients).await
            }
            None => {
                let store = truce_store_sql::SqlStore::open_sqlite(&dir.join("truce.db"))
                    .await
                    .map_err(|e| format_err!("SQLite: {e}"))?;
                let backend = "SQLite, the log on the filesystem";
                server_bench_on(store, backend, &dir, LogPlace::Dir, submissions, clients).await
            }
        }
    });
    let _ = std::fs::remove_dir_all(&dir);
    out
}

/// Where the benchmarked server keeps its log.
enum LogPlace {
    /// A directory (the default, one server).
    Dir,
    /// Shared storage: tiles in `bucket`, the record, journal and lease in `database`.
    Shared { bucket: String, database: String },
}

async fn server_bench_on(
    store: truce_server::Db,
    backend: &str,
    dir: &Path,
    log_place: LogPlace,
    submissions: usize,
    clients: usize,
) -> anyhow::Result<String> {
    use ed25519_dalek::SigningKey;
    use rayon::prelude::*;
    use truce_store::Store as _;
    use truce_watch::entry::{Body, Observation, Role, key_hex, sign};
    let user = store.create_user("bench-observer", truce_store::Role::Observer, None).await?;
    store.add_token(user.id, truce_store::token_hash("bench-token"), "bench").await?;
    // The hostile run's delegate, on the seed scenario.
    let delegate =
        store.create_user("bench-delegate", truce_store::Role::PartyDelegate, Some("UKR")).await?;
    store.add_token(delegate.id, truce_store::token_hash("bench-delegate"), "bench").await?;
    store
        .save_scenario("ukraine-2025", truce_server::launch::SEED_SCENARIO, delegate.id, "")
        .await?;
    let agreement_text = truce_server::launch::MINSK_II;
    let signer =
        truce_tlog::note::NoteSigner::generate("bench.truce/log", truce_tlog::note::ED25519)?;
    let mission = SigningKey::from_bytes(&[1; 32]);
    // One key per client, held by the bench's observer: a key's entries carry increasing sequence
    // numbers, so each client submits its own key's entries in order.
    let observers: Vec<SigningKey> = (0..clients)
        .map(|i| {
            let mut seed = [2u8; 32];
            seed[..8].copy_from_slice(&(i as u64).to_be_bytes());
            SigningKey::from_bytes(&seed)
        })
        .collect();
    for k in &observers {
        store.add_key(user.id, &key_hex(&k.verifying_key())).await?;
    }
    let mission_body =
        Body::mission("bench", jiff::civil::date(2015, 2, 15), jiff::civil::date(2015, 4, 15));
    let mut setup = vec![sign(&mission, 1, mission_body)?];
    for (i, k) in observers.iter().enumerate() {
        setup.push(sign(
            &mission,
            i as u64 + 2,
            Body::Enrol {
                key: key_hex(&k.verifying_key()),
                name: format!("o{i}"),
                role: Role::Observer,
                party: None,
            },
        )?);
    }
    // The server's defaults (`truce serve`).
    let config = truce_server::default_sequencer();
    let watch = match log_place {
        LogPlace::Dir => {
            let storage = truce_tlog::storage::FsStorage::open(&dir.join("log"))?;
            truce_tlog::log::Log::create(storage, signer.clone())?.append(&setup)?;
            truce_server::Ledger::open(&dir.join("log"), signer, agreement_text, config)
                .map_err(|e| format_err!("{e}"))?
        }
        LogPlace::Shared { bucket, database } => {
            let watch = tokio::task::spawn_blocking(move || {
                let shared = truce_tlog_shared::Shared::connect(&bucket, &database, &signer.name)
                    .map_err(|e| format_err!("the shared log: {e}"))?;
                truce_server::Ledger::open_shared(shared, "bench", signer, agreement_text, config)
                    .map_err(|e| format_err!("{e}"))
            })
            .await??;
            // On shared storage entries enter through the sequencer's journal only.
            for bytes in setup {
                let entry = truce_watch::entry::decode(&bytes)?;
                let pending =
                    watch.append(entry, bytes).map_err(|r| format_err!("setup: {r:?}"))?;
                pending.durable().await.map_err(|e| format_err!("setup: {e}"))?;
            }
            watch
        }
    };
    let state = Arc::new(truce_server::AppState::new(store, Some(watch)));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    let app = truce_server::router(state);
    let limits = truce_server::launch::HttpLimits::default();
    tokio::spawn(truce_server::launch::serve_http(listener, app, limits));
    // Pre-signed observations (~500 bytes each), signed before the clock starts: a quarter for the run
    // alone, a quarter for the batched run, a quarter for the run with readers, a quarter for the
    // hostile run (each key's numbers keep increasing from one run to the next).
    let entries: Vec<Vec<u8>> = (0..4 * submissions)
        .into_par_iter()
        .map(|i| {
            let o = Observation {
                start: format!("2015-03-{:02}T{:02}:{:02}:00Z", 1 + i % 28, i % 24, i % 60),
                end: format!("2015-03-{:02}T{:02}:{:02}:30Z", 1 + i % 28, i % 24, i % 60),
                lat_e6: 48_000_000 + (i % 1000) as i64 * 100,
                lon_e6: 37_800_000 + (i % 997) as i64 * 100,
                controlled_by: if i % 2 == 0 { "UKR_GOV".into() } else { "ORDLO".into() },
                sensor: "heard".into(),
                class: "explosion".into(),
                count: 1 + (i % 40) as u32,
                approximate: i % 3 == 0,
                bearing_deg: Some((i % 360) as u16),
                distance_m: Some(1000 + (i % 5000) as u32),
                weapon: None,
                media: vec![format!("{:064x}", i)],
                note: String::new(),
            };
            let (key, seq) = (i % observers.len(), i / observers.len() + 1);
            sign(&observers[key], seq as u64, Body::Observation(o)).expect("sign")
        })
        .collect();
    let bytes: usize = entries.iter().map(Vec::len).sum();
    let mut out = format!(
        "== Server on {backend}: {submissions} signed observations (mean {} bytes) from {clients} keep-alive connections on loopback (one client thread)\n",
        bytes / entries.len().max(1)
    );
    // Submissions: every acknowledgement follows the durable append. First alone, then while 32
    // readers keep asking for compliance, exports, the daily report and the pages built on them.
    let entries = Arc::new(entries);
    // The ceiling: what this machine's cores verify per second, measured in the same run.
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let (_, ceiling) = tokio::task::spawn_blocking(move || ed25519_ceiling(cores)).await?;
    let _ = writeln!(out, "Ed25519 verification ceiling: {ceiling:.0}/s on {cores} cores");
    let alone = submit_all(&base, entries.clone(), 0, submissions, clients, 1).await?;
    let _ = writeln!(
        out,
        "submissions: {:.0}/s acknowledged durable = {:.1}% of the ceiling (target ≥ 12,000/s); latency p50 {:.1} ms, p99 {:.1} ms (target < 25 ms); {} errors",
        alone.rate,
        100.0 * alone.rate / ceiling,
        alone.quantile(0.5),
        alone.quantile(0.99),
        alone.errors
    );
    // The same, as devices uploading their queues: 8 entries a request (`POST /v1/entries/batch`).
    let batched =
        submit_all(&base, entries.clone(), submissions, submissions, clients / 4, BATCH).await?;
    let _ = writeln!(
        out,
        "submissions in batches of {BATCH} from {} clients: {:.0}/s acknowledged durable = {:.1}% of the ceiling (target ≥ 12,000/s); latency of a batch p50 {:.1} ms, p99 {:.1} ms (target < 25 ms); {} errors",
        clients / 4,
        batched.rate,
        100.0 * batched.rate / ceiling,
        batched.quantile(0.5),
        batched.quantile(0.99),
        batched.errors
    );
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let readers = {
        let (base, stop) = (base.clone(), stop.clone());
        tokio::task::spawn_blocking(move || read_while(&base, &stop, 32))
    };
    let mixed =
        submit_all(&base, entries.clone(), 2 * submissions, submissions, clients, 1).await?;
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let (reads, busy, failed, read_seconds) = readers.await?;
    let _ = writeln!(
        out,
        "with 32 readers: {:.0}/s acknowledged; latency p50 {:.1} ms, p99 {:.1} ms; {} errors; readers got {reads} answers ({:.0}/s) and {busy} × 503 busy, {failed} other failures",
        mixed.rate,
        mixed.quantile(0.5),
        mixed.quantile(0.99),
        mixed.errors,
        reads as f64 / read_seconds.max(1e-9)
    );
    let _ = writeln!(
        out,
        "p99 with readers / p99 alone: {:.1} ms / {:.1} ms = {:.2} (target ≤ 2)",
        mixed.quantile(0.99),
        alone.quantile(0.99),
        mixed.quantile(0.99) / alone.quantile(0.99).max(1e-9)
    );
    // The hostile run: the same submissions while one party's delegate keeps four rehearsals and a
    // robustness loop going, and 32 anonymous clients read the agreement, compliance and exports.
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let hostile = {
        let (base, stop) = (base.clone(), stop.clone());
        tokio::task::spawn_blocking(move || hostile_delegate(&base, &stop))
    };
    let public = {
        let (base, stop) = (base.clone(), stop.clone());
        tokio::task::spawn_blocking(move || public_reads(&base, &stop, 32))
    };
    let attacked =
        submit_all(&base, entries.clone(), 3 * submissions, submissions, clients, 1).await?;
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let (jobs, robust) = hostile.await?;
    let reads = public.await?;
    let answered = reads.latencies.len();
    let total = answered + reads.errors;
    let _ = writeln!(
        out,
        "hostile run (one delegate: 4 rehearsals at a time, {jobs} started, and {robust} robustness runs of 2,000 draws; 32 anonymous readers of the agreement, compliance and exports): {:.0}/s acknowledged; latency p50 {:.1} ms, p99 {:.1} ms; {} errors",
        attacked.rate,
        attacked.quantile(0.5),
        attacked.quantile(0.99),
        attacked.errors
    );
    let _ = writeln!(
        out,
        "public reads answered: {answered} of {total} = {:.2}% (target ≥ 99%); their latency p50 {:.1} ms, p99 {:.1} ms",
        100.0 * answered as f64 / (total.max(1)) as f64,
        reads.quantile(0.5),
        reads.quantile(0.99)
    );
    let _ = writeln!(
        out,
        "p99 acknowledgement hostile / alone: {:.1} ms / {:.1} ms = {:.2} (target ≤ 2)",
        attacked.quantile(0.99),
        alone.quantile(0.99),
        attacked.quantile(0.99) / alone.quantile(0.99).max(1e-9)
    );
    // Tile reads: random full level-0 tiles and entry bundles.
    let tiles = (4 * submissions as u64 + 17) / truce_tlog::tile::TILE_WIDTH;
    let base3 = base.clone();
    let (tile_rate, tile_errors) = tokio::task::spawn_blocking(move || {
        let deadline = Instant::now() + Duration::from_secs(3);
        let start = Instant::now();
        let results: Vec<(usize, usize)> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..clients)
                .map(|c| {
                    let base = &base3;
                    s.spawn(move || {
                        let agent: ureq::Agent = ureq::Agent::config_builder()
                            .http_status_as_error(false)
                            .build()
                            .into();
                        let (mut ok, mut err) = (0usize, 0usize);
                        let mut k = c as u64;
                        while Instant::now() < deadline {
                            k = k
                                .wrapping_mul(6364136223846793005)
                                .wrapping_add(1442695040888963407);
                            let n = (k >> 33) % tiles.max(1);
                            let level = (k & 1 == 0).then_some(0);
                            let width = truce_tlog::tile::TILE_WIDTH as u16;
                            let path = truce_tlog::tile::Tile { level, index: n, width }.path();
                            match agent.get(format!("{base}/log/{path}")).call() {
                                Ok(mut r) if r.status().as_u16() == 200 => {
                                    let _ = r.body_mut().read_to_vec();
                                    ok += 1
                                }
                                _ => err += 1,
                            }
                        }
                        (ok, err)
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().expect("reader")).collect()
        });
        let ok: usize = results.iter().map(|r| r.0).sum();
        let err: usize = results.iter().map(|r| r.1).sum();
        (ok as f64 / start.elapsed().as_secs_f64(), err)
    })
    .await?;
    let _ = writeln!(
        out,
        "tile reads: {tile_rate:.0}/s (target ≥ 20,000/s) over {tiles} full tiles and bundles; {tile_errors} errors"
    );
    Ok(out)
}

/// One submission run: acknowledgement rate, sorted latencies (seconds), errors.
struct Run {
    rate: f64,
    latencies: Vec<f64>,
    errors: usize,
}

impl Run {
    /// The `p` quantile of the latencies, in milliseconds.
    fn quantile(&self, p: f64) -> f64 {
        let n = self.latencies.len();
        self.latencies.get(((n.max(1) - 1) as f64 * p) as usize).copied().unwrap_or(0.0) * 1e3
    }
}

/// Entries per request in the batched run.
const BATCH: usize = 8;

/// Submits `entries[from..from + count]` from `clients` keep-alive connections, connection `c` sending
/// the entries its key signed (`c`, `c + clients`, …) in order, `batch` a request (`POST
/// /v1/entries/batch` when more than one). The load comes from one thread driving every connection
/// (hyper's client on a single-threaded runtime), so that the clients take as little of the machine
/// as they can. The rate counts entries; a latency is a request's, counted once per entry it carried.
async fn submit_all(
    base: &str,
    entries: Arc<Vec<Vec<u8>>>,
    from: usize,
    count: usize,
    clients: usize,
    batch: usize,
) -> anyhow::Result<Run> {
    let base = base.to_string();
    let (tx, rx) = tokio::sync::oneshot::channel();
    std::thread::spawn(move || {
        let run = || -> anyhow::Result<Run> {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
            runtime.block_on(async {
                use axum::body::Bytes;
                use http_body_util::{BodyExt as _, Full};
                let client = hyper_util::client::legacy::Client::builder(
                    hyper_util::rt::TokioExecutor::new(),
                )
                .build_http::<Full<Bytes>>();
                let start = Instant::now();
                let mut tasks = tokio::task::JoinSet::new();
                for c in 0..clients {
                    let (client, entries, base) = (client.clone(), entries.clone(), base.clone());
                    tasks.spawn(async move {
                        let (mut lat, mut errors) = (Vec::new(), 0usize);
                        let mine: Vec<&Vec<u8>> =
                            entries[from..from + count].iter().skip(c).step_by(clients).collect();
                        for group in mine.chunks(batch) {
                            let (path, body): (&str, Vec<u8>) = if batch == 1 {
                                ("entries", group[0].clone())
                            } else {
                                let joined =
                                    group.iter().flat_map(|e| e.iter().copied().chain([b'\n']));
                                ("entries/batch", joined.collect())
                            };
                            let request = axum::http::Request::post(format!("{base}/v1/{path}"))
                                .header("authorization", "Bearer bench-token")
                                .body(Full::new(Bytes::from(body)));
                            let Ok(request) = request else {
                                errors += group.len();
                                continue;
                            };
                            let t = Instant::now();
                            let ok = match client.request(request).await {
                                Ok(response) => {
                                    let status = response.status().as_u16();
                                    let text = response
                                        .into_body()
                                        .collect()
                                        .await
                                        .map(|b| b.to_bytes())
                                        .unwrap_or_default();
                                    match status {
                                        201 => 1,
                                        200 => String::from_utf8_lossy(&text)
                                            .matches("\"index\"")
                                            .count(),
                                        _ => 0,
                                    }
                                }
                                Err(_) => 0,
                            };
                            let seconds = t.elapsed().as_secs_f64();
                            lat.extend(std::iter::repeat_n(seconds, ok));
                            errors += group.len() - ok;
                        }
                        (lat, errors)
                    });
                }
                let mut latencies = Vec::new();
                let mut errors = 0;
                while let Some(done) = tasks.join_next().await {
                    let (lat, e) = done?;
                    latencies.extend(lat);
                    errors += e;
                }
                let seconds = start.elapsed().as_secs_f64();
                latencies.sort_by(f64::total_cmp);
                Ok(Run { rate: latencies.len() as f64 / seconds, latencies, errors })
            })
        };
        let _ = tx.send(run());
    });
    rx.await?
}

/// One party's delegate taking what it can, until `stop`: four rehearsals at a time of the seed's
/// eight parties (hard-headed agents, which never agree, 10,000 rounds, every protocol), each replaced
/// by a new one as it finishes, and robustness runs of 2,000 draws one after another. Returns how many
/// rehearsals it started and how many robustness runs it asked for.
fn hostile_delegate(base: &str, stop: &std::sync::atomic::AtomicBool) -> (usize, usize) {
    let agent: ureq::Agent =
        ureq::Agent::config_builder().http_status_as_error(false).build().into();
    std::thread::scope(|s| {
        let looping = s.spawn(|| {
            let agent: ureq::Agent =
                ureq::Agent::config_builder().http_status_as_error(false).build().into();
            let mut runs = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let url = format!("{base}/v1/scenarios/ukraine-2025/robust?draws=2000&seed={runs}");
                let answer = agent.get(url).header("authorization", "Bearer bench-delegate").call();
                if let Ok(mut r) = answer {
                    let busy = r.status().as_u16() == 503;
                    let _ = r.body_mut().read_to_vec();
                    if busy {
                        std::thread::sleep(Duration::from_millis(50));
                    }
                }
                runs += 1;
            }
            runs
        });
        let mut started = 0usize;
        let mut running: Vec<String> = Vec::new();
        while !stop.load(std::sync::atomic::Ordering::Relaxed) {
            running.retain(|href| {
                let done = agent
                    .get(format!("{base}{href}"))
                    .header("authorization", "Bearer bench-delegate")
                    .call()
                    .ok()
                    .and_then(|mut r| r.body_mut().read_to_string().ok())
                    .is_some_and(|t| {
                        t.contains("\"status\":\"done\"") || t.contains("\"status\":\"failed\"")
                    });
                !done
            });
            while running.len() < 4 {
                let body =
                    format!(r#"{{"agents": ["hardheaded"], "rounds": 10000, "seed": {started}}}"#);
                let answer = agent
                    .post(format!("{base}/v1/scenarios/ukraine-2025/simulations"))
                    .header("authorization", "Bearer bench-delegate")
                    .header("content-type", "application/json")
                    .send(body.as_bytes());
                started += 1;
                let href = answer.ok().and_then(|mut r| {
                    let v: serde_json::Value =
                        serde_json::from_slice(&r.body_mut().read_to_vec().ok()?).ok()?;
                    v["href"].as_str().map(str::to_string)
                });
                match href {
                    Some(h) => running.push(h),
                    None => break,
                }
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        (started, looping.join().unwrap_or(0))
    })
}

/// `readers` anonymous clients reading the agreement page, compliance and the exports in turn until
/// `stop`: each answer's latency (200s only) and the other answers as errors.
fn public_reads(base: &str, stop: &std::sync::atomic::AtomicBool, readers: usize) -> Run {
    const PATHS: [&str; 4] =
        ["/ui/agreement", "/v1/compliance", "/v1/export?format=csv", "/v1/export?format=acled"];
    let start = Instant::now();
    let results: Vec<(Vec<f64>, usize)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..readers)
            .map(|r| {
                s.spawn(move || {
                    let agent: ureq::Agent =
                        ureq::Agent::config_builder().http_status_as_error(false).build().into();
                    let (mut latencies, mut errors) = (Vec::new(), 0);
                    let mut k = r;
                    while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                        k += 1;
                        let t = Instant::now();
                        match agent.get(format!("{base}{}", PATHS[k % PATHS.len()])).call() {
                            Ok(mut resp) => {
                                let body = resp.body_mut().read_to_vec().unwrap_or_default();
                                if resp.status().as_u16() == 200 {
                                    latencies.push(t.elapsed().as_secs_f64());
                                } else {
                                    errors += 1;
                                    if std::env::var_os("TRUCE_BENCH_VERBOSE").is_some() {
                                        eprintln!(
                                            "public read {}: {} {}",
                                            PATHS[k % PATHS.len()],
                                            resp.status(),
                                            String::from_utf8_lossy(&body)
                                        );
                                    }
                                    std::thread::sleep(Duration::from_millis(5));
                                }
                            }
                            Err(_) => errors += 1,
                        }
                    }
                    (latencies, errors)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().expect("reader")).collect()
    });
    let mut latencies: Vec<f64> = results.iter().flat_map(|r| r.0.iter().copied()).collect();
    latencies.sort_by(f64::total_cmp);
    let errors = results.iter().map(|r| r.1).sum();
    Run { rate: latencies.len() as f64 / start.elapsed().as_secs_f64(), latencies, errors }
}

/// `readers` clients asking in turn for compliance, the CSV export, the daily report (Markdown and HTML)
/// and the agreement, map and report pages, until `stop`: (answers, 503s, other failures, seconds).
fn read_while(
    base: &str,
    stop: &std::sync::atomic::AtomicBool,
    readers: usize,
) -> (usize, usize, usize, f64) {
    const PATHS: [&str; 7] = [
        "/v1/compliance",
        "/v1/export?format=csv",
        "/v1/reports/daily",
        "/v1/reports/daily?format=html",
        "/ui/agreement",
        "/ui/map",
        "/ui/reports/daily",
    ];
    let start = Instant::now();
    let results: Vec<(usize, usize, usize)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..readers)
            .map(|r| {
                s.spawn(move || {
                    let agent: ureq::Agent =
                        ureq::Agent::config_builder().http_status_as_error(false).build().into();
                    let (mut ok, mut busy, mut failed) = (0, 0, 0);
                    let mut k = r;
                    while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                        k += 1;
                        match agent.get(format!("{base}{}", PATHS[k % PATHS.len()])).call() {
                            Ok(mut resp) => {
                                let body = resp.body_mut().read_to_vec().unwrap_or_default();
                                if resp.status().as_u16() != 200
                                    && std::env::var_os("TRUCE_BENCH_VERBOSE").is_some()
                                {
                                    eprintln!(
                                        "reader {}: {} {}",
                                        PATHS[k % PATHS.len()],
                                        resp.status(),
                                        String::from_utf8_lossy(&body)
                                            .chars()
                                            .take(200)
                                            .collect::<String>()
                                    );
                                }
                                match resp.status().as_u16() {
                                    200 => ok += 1,
                                    503 => {
                                        busy += 1;
                                        // A polite client waits before asking again.
                                        std::thread::sleep(Duration::from_millis(5));
                                    }
                                    _ => failed += 1,
                                }
                            }
                            Err(_) => failed += 1,
                        }
                    }
                    (ok, busy, failed)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().expect("reader")).collect()
    });
    let sum = |f: fn(&(usize, usize, usize)) -> usize| results.iter().map(f).sum::<usize>();
    (sum(|r| r.0), sum(|r| r.1), sum(|r| r.2), start.elapsed().as_secs_f64())
}

/// `truce-bench extract`: the extractor over labelled sets, a table per set and language.
pub fn extract_bench(
    scenario: &Path,
    sets: &[std::path::PathBuf],
    verbose: bool,
) -> anyhow::Result<String> {
    use std::fmt::Write as _;
    use truce_source::eval;
    let text = std::fs::read_to_string(scenario)
        .with_context(|| format!("reading {}", scenario.display()))?;
    let (parsed, diags) = truce_scenario::parse(&scenario.display().to_string(), &text);
    let scenario =
        parsed.with_context(|| format!("{} does not parse: {diags:?}", scenario.display()))?;
    let mut out = String::new();
    writeln!(
        out,
        "| set | language | articles | labels (clear) | candidates | precision | recall | recall of clear | right option, any stance | verbatim quotes |"
    )?;
    writeln!(out, "|---|---|---|---|---|---|---|---|---|---|")?;
    let mut details = String::new();
    for set in sets {
        let labels_path = set.join("labels.toml");
        let labels: eval::Labels = toml::from_str(
            &std::fs::read_to_string(&labels_path)
                .with_context(|| format!("reading {}", labels_path.display()))?,
        )
        .with_context(|| format!("{} is not a labelled set", labels_path.display()))?;
        let (scores, totals) = eval::run_set(&scenario, &labels, |file| {
            std::fs::read_to_string(set.join(file))
                .map_err(|e| format!("{}: {e}", set.join(file).display()))
        })
        .map_err(anyhow::Error::msg)?;
        let name = set
            .file_name()
            .map_or_else(|| set.display().to_string(), |n| n.to_string_lossy().into_owned());
        let mut rows: Vec<(String, eval::Counts)> =
            totals.iter().map(|(l, c)| (l.code().to_string(), *c)).collect();
        rows.push(("all".into(), eval::overall(&totals)));
        for (lang, c) in rows {
            writeln!(
                out,
                "| {name} | {lang} | {} | {} ({}) | {} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} |",
                c.articles,
                c.labels,
                c.clear,
                c.candidates,
                c.precision(),
                c.recall(),
                c.clear_recall(),
                if c.candidates == 0 { 1.0 } else { c.right_option as f64 / c.candidates as f64 },
                c.verbatim_share()
            )?;
        }
        if verbose {
            for s in scores {
                writeln!(
                    details,
                    "\n{} / {}: {} right of {}, {} of {} labels",
                    name,
                    s.file,
                    s.counts.right,
                    s.counts.candidates,
                    s.counts.found,
                    s.counts.labels
                )?;
                for w in &s.wrong {
                    writeln!(details, "  wrong:  {w}")?;
                }
                for m in &s.missed {
                    writeln!(details, "  missed: {m}")?;
                }
            }
        }
    }
    out.push_str(&details);
    Ok(out)
}
