//! `truce log …` and `truce witness …`: the transparency log from the command line.

use std::io::{BufRead, Read};
use std::path::{Path, PathBuf};

use anyhow::{Context, bail, format_err};
use clap::Subcommand;
use truce_tlog::checkpoint::Checkpoint;
use truce_tlog::client::{TileVerifier, check_consistency};
use truce_tlog::note::{Note, NoteVerifier, verify_note};
use truce_tlog::proof::ProofFile;

use truce_tlog::layout::{self, LOG_VKEY};

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
    /// Write an offline proof (c2sp.org/tlog-proof@v1) that entry INDEX is in the log, against its
    /// signed (and cosigned) checkpoint; every tile read is authenticated first.
    Prove {
        /// The log: a directory, or the URL prefix a server publishes it at (`https://…/log`).
        dir: String,
        /// The entry's index.
        index: u64,
        /// The log's public key (default: DIR/log.vkey; required for a URL: fetch it once from
        /// `URL/vkey` and check it with the log's operator out of band).
        #[arg(long)]
        vkey: Option<PathBuf>,
        /// Where to write the proof (default: standard output).
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Also write the entry's exact bytes here (what `verify-proof --entry` checks).
        #[arg(long)]
        entry: Option<PathBuf>,
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

pub fn run_log(command: LogCommand) -> anyhow::Result<String> {
    match command {
        LogCommand::Init { dir, origin } => {
            let log = layout::init_log(&dir, &origin).map_err(|e| match e {
                truce_tlog::Error::Note(why) => format_err!("--origin: {why}"),
                e => e.into(),
            })?;
            Ok(format!(
                "created an empty log in {}\npublic key: {}\n{}",
                dir.display(),
                layout::read_vkey(&dir.join(LOG_VKEY))?.vkey(),
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
            let mut log = layout::open_log(&dir)?;
            let first = log.append(&entries)?;
            Ok(format!(
                "appended {} entries at indices {first}..{}\n{}",
                entries.len(),
                first + entries.len() as u64,
                log.checkpoint().to_text()
            ))
        }
        LogCommand::Recover { dir } => {
            let log = layout::open_log(&dir)?;
            Ok(log.checkpoint().to_text())
        }
        LogCommand::Checkpoint { dir } => {
            let bytes = std::fs::read(dir.join("checkpoint"))
                .with_context(|| format!("no checkpoint in {}", dir.display()))?;
            Ok(String::from_utf8_lossy(&bytes).into_owned())
        }
        LogCommand::Audit { dir, vkey, since, witnesses, quorum } => {
            let (key, reader) = published_log(&dir, vkey.as_deref(), "audit")?;
            let reader = reader.as_ref();
            let (note, checkpoint) = truce_tlog::client::signed_checkpoint(reader, &key)
                .with_context(|| format!("{dir}: checkpoint"))?;
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
        LogCommand::Prove { dir, index, vkey, output, entry } => {
            let (key, reader) = published_log(&dir, vkey.as_deref(), "prove entries of")?;
            let (note, checkpoint) = truce_tlog::client::signed_checkpoint(reader.as_ref(), &key)
                .with_context(|| format!("{dir}: checkpoint"))?;
            let (file, bytes) =
                truce_tlog::client::prove(reader.as_ref(), &note, &checkpoint, index)
                    .with_context(|| format!("{dir}: entry {index}"))?;
            // What is written verifies, or nothing is.
            file.verify(&bytes, &key).context("the proof just built does not verify")?;
            let mut said = String::new();
            if let Some(path) = &entry {
                std::fs::write(path, &bytes)
                    .with_context(|| format!("cannot write {}", path.display()))?;
                said.push_str(&format!("wrote entry {index} to {}\n", path.display()));
            }
            match output {
                Some(path) => {
                    std::fs::write(&path, file.to_text())
                        .with_context(|| format!("cannot write {}", path.display()))?;
                    said.push_str(&format!(
                        "wrote the proof of entry {index} against the checkpoint of size {} to {}\n",
                        checkpoint.size,
                        path.display()
                    ));
                    Ok(said)
                }
                None => Ok(file.to_text()),
            }
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

pub fn run_witness(command: WitnessCommand) -> anyhow::Result<String> {
    match command {
        WitnessCommand::Init { dir, name, log_vkeys } => {
            let logs =
                log_vkeys.iter().map(|p| layout::read_vkey(p)).collect::<Result<Vec<_>, _>>()?;
            let vkey = layout::init_witness(&dir, &name, &logs).map_err(|e| match e {
                truce_tlog::Error::Note(why) => format_err!("--name: {why}"),
                e => e.into(),
            })?;
            Ok(format!(
                "created witness {name} in {}\npublic key: {}\n",
                dir.display(),
                vkey.vkey()
            ))
        }
        WitnessCommand::AddCheckpoint { dir } => {
            let mut witness = layout::load_witness(&dir)?;
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

/// The largest resource accepted: a full entry bundle (each entry at most `MAX_ENTRY` bytes with its
/// two-byte length).
const MAX_RESOURCE: u64 = truce_tlog::tile::TILE_WIDTH * (truce_tlog::tile::MAX_ENTRY as u64 + 2);

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

/// The log at `dir` (a directory or an `http(s)://` prefix) and the key it must be signed with: `vkey`,
/// or `DIR/log.vkey` for a directory. A URL needs `--vkey`: a key fetched from the log itself would
/// prove nothing. `verb` says what the key is needed for, in the error.
fn published_log(
    dir: &str,
    vkey: Option<&Path>,
    verb: &str,
) -> anyhow::Result<(NoteVerifier, Box<dyn truce_tlog::client::TileReader + Sync>)> {
    let remote = dir.starts_with("http://") || dir.starts_with("https://");
    let vkey_path = match (vkey, remote) {
        (Some(v), _) => v.to_path_buf(),
        (None, false) => Path::new(dir).join(LOG_VKEY),
        (None, true) => bail!(
            "--vkey is required to {verb} a log by URL: fetch {}/vkey once and check it with the log's operator",
            dir.trim_end_matches('/')
        ),
    };
    let key = NoteVerifier::parse(&read_text(&vkey_path)?)
        .map_err(|e| format_err!("{}: {e}", vkey_path.display()))?;
    let reader: Box<dyn truce_tlog::client::TileReader + Sync> = if remote {
        Box::new(HttpReader::new(dir))
    } else {
        Box::new(truce_tlog::fs::DirReader { root: PathBuf::from(dir) })
    };
    Ok((key, reader))
}

/// Every entry of the log at `dir` (a directory or an `http(s)://` prefix) up to its signed checkpoint,
/// each tile authenticated against the checkpoint, which must verify with the log's key (`vkey`, or
/// `DIR/log.vkey`).
pub fn verified_entries(
    dir: &str,
    vkey: Option<&Path>,
) -> anyhow::Result<(Checkpoint, Vec<Vec<u8>>)> {
    let (key, reader) = published_log(dir, vkey, "read")?;
    let (_, checkpoint) = truce_tlog::client::signed_checkpoint(reader.as_ref(), &key)
        .with_context(|| format!("{dir}: checkpoint"))?;
    let verifier = TileVerifier::new(reader.as_ref(), &checkpoint)?;
    let entries = verifier
        .entries_from(0)
        .map(|e| e.map(|(_, bytes)| bytes))
        .collect::<Result<Vec<_>, _>>()
        .with_context(|| format!("{dir}: entries"))?;
    Ok((checkpoint, entries))
}
