//! `truce log …` and `truce witness …`: the transparency log from the command line.

use std::io::{BufRead, Read};
use std::path::{Path, PathBuf};

use anyhow::{Context, bail, format_err};
use clap::Subcommand;
use truce_tlog::checkpoint::Checkpoint;
use truce_tlog::client::{TileVerifier, check_consistency};
use truce_tlog::log::Log;
use truce_tlog::note::{COSIGNATURE_V1, ED25519, Note, NoteSigner, NoteVerifier, verify_note};
use truce_tlog::proof::ProofFile;
use truce_tlog::storage::FsStorage;
use truce_tlog::witness::{FileWitnessStore, Witness};

/// Where `truce log init` keeps the log's private key, inside the log directory (never served).
pub(crate) const LOG_SKEY: &str = ".state/log.skey";
/// Where it writes the public key.
pub(crate) const LOG_VKEY: &str = "log.vkey";

#[derive(Debug, Subcommand)]
pub enum LogCommand {
    /// Create an empty log in DIR, with a new Ed25519 key named after the origin.
    Init {
        /// The log directory.
        dir: PathBuf,
        /// The log's origin, e.g. `mission.example/observations`.
        #[arg(long)]
        origin: String,
    },
    /// Append entries: one per FILE, or one per line of standard input.
    Append {
        /// The log directory.
        dir: PathBuf,
        /// Files, each one entry.
        files: Vec<PathBuf>,
    },
    /// Open the log as its writer does after a crash: check the recorded tree against the tiles, sign it
    /// if its checkpoint was not yet written, and print the checkpoint.
    Recover {
        /// The log directory.
        dir: PathBuf,
    },
    /// Print the latest signed checkpoint.
    Checkpoint {
        /// The log directory.
        dir: PathBuf,
    },
    /// Check a whole log: its signature, every tile, every entry; and that it extends a saved checkpoint.
    Audit {
        /// The log: a directory (a local log or a mirror of one), or an http(s):// URL prefix.
        dir: String,
        /// The log's public key file (default: DIR/log.vkey; required for a URL).
        #[arg(long)]
        vkey: Option<PathBuf>,
        /// A checkpoint saved earlier, which the log must extend.
        #[arg(long)]
        since: Option<PathBuf>,
        /// A witness's public key file; repeat for each witness of the policy.
        #[arg(long = "witness")]
        witnesses: Vec<PathBuf>,
        /// How many of the witnesses must have cosigned the checkpoint (default: all given).
        #[arg(long)]
        quorum: Option<usize>,
    },
    /// Write an offline proof (c2sp.org/tlog-proof@v1) that entry INDEX is in the log.
    Prove {
        /// The log directory.
        dir: PathBuf,
        /// The entry's index.
        index: u64,
        /// Where to write the proof (default: standard output).
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Append entries from several threads until killed, writing each acknowledged index to ACKS
    /// (used by `cargo xtask crash-test`).
    #[command(hide = true)]
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
    },
    /// Measure the log on this machine (used by `cargo xtask bench-log`).
    #[command(hide = true)]
    Bench {
        /// A scratch directory.
        dir: PathBuf,
        /// Entries per batch-size run.
        #[arg(long, default_value_t = 200_000)]
        entries: u64,
        /// Batch age limit in milliseconds.
        #[arg(long, default_value_t = 10)]
        max_age_ms: u64,
    },
    /// Check an offline proof against an entry and the log's public key.
    VerifyProof {
        /// The proof file.
        proof: PathBuf,
        /// The entry (its exact bytes).
        #[arg(long)]
        entry: PathBuf,
        /// The log's public key file.
        #[arg(long)]
        vkey: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum WitnessCommand {
    /// Create a witness in DIR with a new cosigning key, following the log whose public key is given.
    Init {
        /// The witness directory.
        dir: PathBuf,
        /// The witness's name, e.g. `ukr.witness.example`.
        #[arg(long)]
        name: String,
        /// Public key files of the logs to follow.
        #[arg(long = "log-vkey", required = true)]
        log_vkeys: Vec<PathBuf>,
    },
    /// Handle one tlog-witness add-checkpoint request read from standard input; prints the cosignature.
    /// Exits 1 with the status code and body on refusal.
    AddCheckpoint {
        /// The witness directory.
        dir: PathBuf,
    },
}

fn read_text(path: &Path) -> anyhow::Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))
}

pub(crate) fn log_signer(dir: &Path) -> anyhow::Result<NoteSigner> {
    let text = read_text(&dir.join(LOG_SKEY))
        .context("the log's private key is missing: is this a log created by `truce log init`?")?;
    NoteSigner::parse(&text).map_err(|e| format_err!("{}: {e}", dir.join(LOG_SKEY).display()))
}

/// Writes a secret file readable by its owner only.
pub fn write_secret(path: &Path, text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    #[cfg(unix)]
    use std::os::unix::fs::OpenOptionsExt;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    options.mode(0o600);
    let mut f = options.open(path).with_context(|| format!("cannot create {}", path.display()))?;
    f.write_all(text.as_bytes())?;
    f.sync_all()?;
    Ok(())
}

pub fn run_log(command: LogCommand) -> anyhow::Result<String> {
    match command {
        LogCommand::Init { dir, origin } => {
            let signer =
                NoteSigner::generate(&origin, ED25519).map_err(|e| format_err!("--origin: {e}"))?;
            let storage = FsStorage::open(&dir)?;
            std::fs::create_dir_all(dir.join(".state"))?;
            if dir.join(LOG_SKEY).exists() {
                bail!("{} already holds a log", dir.display());
            }
            write_secret(&dir.join(LOG_SKEY), &format!("{}\n", signer.skey()))?;
            let log = Log::create(storage, signer.clone())?;
            let vkey = signer.verifier().vkey();
            std::fs::write(dir.join(LOG_VKEY), format!("{vkey}\n"))?;
            Ok(format!(
                "created an empty log in {}\npublic key: {vkey}\n{}",
                dir.display(),
                log.checkpoint().to_text()
            ))
        }
        LogCommand::Append { dir, files } => {
            let mut entries = Vec::new();
            if files.is_empty() {
                for line in std::io::stdin().lock().lines() {
                    let line = line?;
                    if line.len() > truce_tlog::tile::MAX_ENTRY {
                        bail!(
                            "standard input, line {}: {} bytes; a log entry holds at most {} bytes (nothing was appended)",
                            entries.len() + 1,
                            line.len(),
                            truce_tlog::tile::MAX_ENTRY
                        );
                    }
                    if !line.is_empty() {
                        entries.push(line.into_bytes());
                    }
                }
            } else {
                for f in &files {
                    let bytes =
                        std::fs::read(f).with_context(|| format!("cannot read {}", f.display()))?;
                    if bytes.len() > truce_tlog::tile::MAX_ENTRY {
                        bail!(
                            "{}: {} bytes; a log entry holds at most {} bytes (nothing was appended)",
                            f.display(),
                            bytes.len(),
                            truce_tlog::tile::MAX_ENTRY
                        );
                    }
                    entries.push(bytes);
                }
            }
            let mut log = Log::open(FsStorage::open(&dir)?, log_signer(&dir)?)?;
            let first = log.append(&entries)?;
            Ok(format!(
                "appended {} entries at indices {first}..{}\n{}",
                entries.len(),
                first + entries.len() as u64,
                log.checkpoint().to_text()
            ))
        }
        LogCommand::Recover { dir } => {
            let log = Log::open(FsStorage::open(&dir)?, log_signer(&dir)?)?;
            Ok(log.checkpoint().to_text())
        }
        LogCommand::Checkpoint { dir } => {
            let bytes = std::fs::read(dir.join("checkpoint"))
                .with_context(|| format!("no checkpoint in {}", dir.display()))?;
            Ok(String::from_utf8_lossy(&bytes).into_owned())
        }
        LogCommand::Audit { dir, vkey, since, witnesses, quorum } => {
            let remote = dir.starts_with("http://") || dir.starts_with("https://");
            let vkey_path = match (vkey, remote) {
                (Some(v), _) => v,
                (None, false) => Path::new(&dir).join(LOG_VKEY),
                (None, true) => bail!("--vkey is required to audit a log by URL"),
            };
            let key = NoteVerifier::parse(&read_text(&vkey_path)?)
                .map_err(|e| format_err!("{}: {e}", vkey_path.display()))?;
            let reader: Box<dyn truce_tlog::client::TileReader + Sync> = if remote {
                Box::new(HttpReader::new(&dir))
            } else {
                Box::new(truce_tlog::fs::DirReader { root: PathBuf::from(&dir) })
            };
            let reader = reader.as_ref();
            let note = Note::parse(
                &reader.read("checkpoint")?.ok_or_else(|| format_err!("no checkpoint at {dir}"))?,
            )?;
            verify_note(&note, std::slice::from_ref(&key))
                .context("the checkpoint is not signed by the log's key")?;
            let mut cosigned = String::new();
            if !witnesses.is_empty() || quorum.is_some() {
                let verifiers = witnesses
                    .iter()
                    .map(|p| {
                        read_text(p).and_then(|t| {
                            NoteVerifier::parse(&t).map_err(|e| format_err!("{}: {e}", p.display()))
                        })
                    })
                    .collect::<anyhow::Result<Vec<_>>>()?;
                let policy = truce_tlog::note::WitnessPolicy {
                    quorum: quorum.unwrap_or(verifiers.len()),
                    witnesses: verifiers,
                };
                let names = truce_tlog::note::verify_cosigned(&note, &key, &policy)
                    .context("the checkpoint does not meet the witness policy")?;
                let list: Vec<String> =
                    names.iter().map(|(n, t)| format!("{n} (time {t})")).collect();
                cosigned = format!(
                    "ok: cosigned by {} of {} witnesses: {}\n",
                    names.len(),
                    policy.witnesses.len(),
                    list.join(", ")
                );
            }
            let checkpoint = Checkpoint::parse(&note.text)?;
            let start = std::time::Instant::now();
            let verifier = TileVerifier::new(reader, &checkpoint)?;
            let bar = indicatif::ProgressBar::new(checkpoint.size).with_style(
                indicatif::ProgressStyle::with_template(
                    "audit {bar:40} {pos}/{len} entries ({per_sec})",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
            let report = truce_tlog::client::audit_parallel(reader, &checkpoint, threads, &|n| {
                bar.set_position(n)
            })
            .context("the audit failed")?;
            bar.finish_and_clear();
            let mut out = format!(
                "ok: {} entries and {} tiles verified against the checkpoint of size {} in {:.2} s\n",
                report.entries,
                report.tiles,
                checkpoint.size,
                start.elapsed().as_secs_f64()
            );
            out.push_str(&cosigned);
            if let Some(path) = since {
                let old_note = Note::parse(
                    &std::fs::read(&path)
                        .with_context(|| format!("cannot read {}", path.display()))?,
                )?;
                verify_note(&old_note, std::slice::from_ref(&key))
                    .context("the saved checkpoint is not signed by the log's key")?;
                let old = Checkpoint::parse(&old_note.text)?;
                check_consistency(&verifier, &old).with_context(|| {
                    format!("FORK: the log (size {}) does not extend the saved checkpoint (size {}); both are signed by the log: keep them as evidence", checkpoint.size, old.size)
                })?;
                out.push_str(&format!(
                    "ok: the log extends the saved checkpoint of size {}\n",
                    old.size
                ));
            }
            Ok(out)
        }
        LogCommand::Prove { dir, index, output } => {
            let log = Log::open(FsStorage::open(&dir)?, log_signer(&dir)?)?;
            let proof = log.prove(index)?;
            let file =
                ProofFile { extra: None, index, proof, checkpoint: log.checkpoint().clone() };
            match output {
                Some(path) => {
                    std::fs::write(&path, file.to_text())
                        .with_context(|| format!("cannot write {}", path.display()))?;
                    Ok(format!("wrote the proof of entry {index} to {}\n", path.display()))
                }
                None => Ok(file.to_text()),
            }
        }
        LogCommand::StressAppend { dir, acks, run, threads } => {
            use std::io::Write;
            use std::sync::{Arc, Mutex};
            let signer = match log_signer(&dir) {
                Ok(s) => s,
                Err(_) => {
                    run_log(LogCommand::Init {
                        dir: dir.clone(),
                        origin: "crash.test/log".into(),
                    })?;
                    log_signer(&dir)?
                }
            };
            let log = Log::open(FsStorage::open(&dir)?, signer)?;
            let config = truce_tlog::sequencer::SequencerConfig {
                max_batch: 64,
                max_age: std::time::Duration::from_millis(5),
                max_pending: 4096,
            };
            let seq = Arc::new(truce_tlog::sequencer::Sequencer::start(log, config)?);
            let out = Arc::new(Mutex::new(
                std::fs::OpenOptions::new().create(true).append(true).open(&acks)?,
            ));
            let workers: Vec<_> = (0..threads.max(1))
                .map(|t| {
                    let (seq, out) = (seq.clone(), out.clone());
                    std::thread::spawn(move || -> anyhow::Result<()> {
                        for i in 0u64.. {
                            let entry = format!("run {run} thread {t} entry {i}");
                            let index = seq.submit(entry.clone().into_bytes())?;
                            // One write per line: a kill can cut only the last line, which the checker ignores.
                            let line = format!("{index} {entry}\n");
                            out.lock()
                                .unwrap_or_else(|p| p.into_inner())
                                .write_all(line.as_bytes())?;
                        }
                        Ok(())
                    })
                })
                .collect();
            for w in workers {
                w.join().map_err(|_| format_err!("a submitter panicked"))??;
            }
            Ok(String::new())
        }
        LogCommand::Bench { dir, entries, max_age_ms } => {
            crate::bench::log_bench(&dir, entries, max_age_ms)
        }
        LogCommand::VerifyProof { proof, entry, vkey } => {
            let key = NoteVerifier::parse(&read_text(&vkey)?)
                .map_err(|e| format_err!("{}: {e}", vkey.display()))?;
            let file = ProofFile::parse(
                &std::fs::read(&proof)
                    .with_context(|| format!("cannot read {}", proof.display()))?,
            )?;
            let bytes = std::fs::read(&entry)
                .with_context(|| format!("cannot read {}", entry.display()))?;
            let checkpoint = file.verify(&bytes, &key).context("the proof does not verify")?;
            Ok(format!(
                "ok: entry {} is in {} at size {}\n",
                file.index, checkpoint.origin, checkpoint.size
            ))
        }
    }
}

/// The witness that `truce witness init` made in `dir`: its key, the logs it follows, its state.
pub fn load_witness(dir: &Path) -> anyhow::Result<Witness<FileWitnessStore>> {
    let signer = NoteSigner::parse(&read_text(&dir.join("witness.skey"))?)
        .with_context(|| format!("{}", dir.join("witness.skey").display()))?;
    let mut logs = std::collections::HashMap::new();
    for line in read_text(&dir.join("logs"))?.lines().filter(|l| !l.trim().is_empty()) {
        let v = NoteVerifier::parse(line)
            .with_context(|| format!("{}: a log key", dir.join("logs").display()))?;
        logs.insert(v.name.clone(), v);
    }
    Ok(Witness { signer, logs, store: FileWitnessStore::new(dir) })
}

pub fn run_witness(command: WitnessCommand) -> anyhow::Result<String> {
    match command {
        WitnessCommand::Init { dir, name, log_vkeys } => {
            std::fs::create_dir_all(&dir)?;
            let signer = NoteSigner::generate(&name, COSIGNATURE_V1)
                .map_err(|e| format_err!("--name: {e}"))?;
            let mut logs = String::new();
            for path in &log_vkeys {
                let v = NoteVerifier::parse(&read_text(path)?)
                    .map_err(|e| format_err!("{}: {e}", path.display()))?;
                logs.push_str(&v.vkey());
                logs.push('\n');
            }
            write_secret(&dir.join("witness.skey"), &format!("{}\n", signer.skey()))?;
            std::fs::write(dir.join("logs"), logs)?;
            let vkey = signer.verifier().vkey();
            std::fs::write(dir.join("witness.vkey"), format!("{vkey}\n"))?;
            Ok(format!("created witness {name} in {}\npublic key: {vkey}\n", dir.display()))
        }
        WitnessCommand::AddCheckpoint { dir } => {
            let mut witness = load_witness(&dir)?;
            let mut body = Vec::new();
            std::io::stdin().read_to_end(&mut body)?;
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(1, |d| d.as_secs());
            match witness.add_checkpoint(&body, now) {
                Ok(line) => Ok(line),
                Err(refusal) => {
                    bail!("refused with status {}: {}", refusal.status, refusal.body.trim_end())
                }
            }
        }
    }
}

/// Reads a log published over HTTP(S): `<base>/checkpoint`, `<base>/tile/…`. Gzip-encoded responses are
/// decoded. Nothing read is trusted: the verifier authenticates every byte.
struct HttpReader {
    base: String,
    agent: ureq::Agent,
}

/// The largest resource accepted (a full entry bundle is at most 256 × 65,537 bytes).
const MAX_RESOURCE: u64 = 17 * 1024 * 1024;

impl HttpReader {
    fn new(base: &str) -> HttpReader {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(std::time::Duration::from_secs(30)))
            .build()
            .into();
        HttpReader { base: base.trim_end_matches('/').to_string(), agent }
    }
}

impl truce_tlog::client::TileReader for HttpReader {
    fn read(&self, path: &str) -> Result<Option<Vec<u8>>, truce_tlog::Error> {
        let url = format!("{}/{path}", self.base);
        let fail =
            |e: String| truce_tlog::Error::Io(std::io::Error::other(format!("GET {url}: {e}")));
        let mut response = self.agent.get(&url).call().map_err(|e| fail(e.to_string()))?;
        match response.status().as_u16() {
            200 => response
                .body_mut()
                .with_config()
                .limit(MAX_RESOURCE)
                .read_to_vec()
                .map(Some)
                .map_err(|e| fail(e.to_string())),
            404 => Ok(None),
            status => Err(fail(format!("status {status}"))),
        }
    }
}

/// Every entry of the log at `dir` (a directory or an `http(s)://` prefix) up to its signed checkpoint,
/// each tile authenticated against the checkpoint, which must verify with the log's key (`vkey`, or
/// `DIR/log.vkey`).
pub fn verified_entries(
    dir: &str,
    vkey: Option<&Path>,
) -> anyhow::Result<(Checkpoint, Vec<Vec<u8>>)> {
    let remote = dir.starts_with("http://") || dir.starts_with("https://");
    let vkey_path = match (vkey, remote) {
        (Some(v), _) => v.to_path_buf(),
        (None, false) => Path::new(dir).join(LOG_VKEY),
        (None, true) => bail!("--vkey is required to read a log by URL"),
    };
    let key = NoteVerifier::parse(&read_text(&vkey_path)?)
        .map_err(|e| format_err!("{}: {e}", vkey_path.display()))?;
    let reader: Box<dyn truce_tlog::client::TileReader + Sync> = if remote {
        Box::new(HttpReader::new(dir))
    } else {
        Box::new(truce_tlog::fs::DirReader { root: PathBuf::from(dir) })
    };
    let note = Note::parse(
        &reader.read("checkpoint")?.ok_or_else(|| format_err!("no checkpoint at {dir}"))?,
    )?;
    verify_note(&note, std::slice::from_ref(&key))
        .context("the checkpoint is not signed by the log's key")?;
    let checkpoint = Checkpoint::parse(&note.text)?;
    let verifier = TileVerifier::new(reader.as_ref(), &checkpoint)?;
    let mut entries = Vec::with_capacity(checkpoint.size as usize);
    for bundle in 0..truce_tlog::tile::bundle_count(checkpoint.size) {
        entries.extend(verifier.entries(bundle)?);
    }
    Ok((checkpoint, entries))
}

/// Appends `entries` to the log at `dir`, creating it (with a new key for `origin`) if there is none.
pub fn append_entries(dir: &Path, origin: &str, entries: &[Vec<u8>]) -> anyhow::Result<u64> {
    if !dir.join(LOG_SKEY).exists() {
        run_log(LogCommand::Init { dir: dir.to_path_buf(), origin: origin.to_string() })?;
    }
    let mut log = Log::open(FsStorage::open(dir)?, log_signer(dir)?)?;
    let mut first = None;
    for chunk in entries.chunks(4096) {
        let f = log.append(chunk)?;
        first.get_or_insert(f);
    }
    Ok(first.unwrap_or(log.size()))
}
