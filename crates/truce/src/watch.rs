//! The Accord and Watch verbs: checking agreements, generating a demo mission, computing compliance.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail, format_err};
use clap::Subcommand;
use truce_accord::Agreement;
use truce_watch::compliance::{Compliance, Report};

/// `truce accord …`
#[derive(Debug, Subcommand)]
pub enum AccordCommand {
    /// Check an agreement file and print its diagnostics and a summary.
    Check {
        /// The agreement file (TOML).
        file: PathBuf,
    },
    /// Draft an agreement from a package of a scenario: the package the Table finds by a bargaining
    /// solution (under the red-lines reading), or one given option by option.
    Draft {
        /// The scenario file (TOML).
        scenario: PathBuf,
        /// nash, maximin, ks, utilitarian, or a comma-separated list of option ids, one per issue.
        #[arg(long)]
        package: String,
        /// Day 1 of the agreement (default: the day after the scenario's last position).
        #[arg(long)]
        day_one: Option<jiff::civil::Date>,
        /// Write the draft here instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

/// `truce mission …`
#[derive(Debug, Subcommand)]
pub enum MissionCommand {
    /// Write a seeded demo mission (SMM-like traffic over the agreement's zones, with planted
    /// violations) into a log directory, creating the log if needed.
    Generate {
        /// The agreement file (TOML); its zones must include `contact_line` and `memorandum_line`.
        accord: PathBuf,
        /// The log directory.
        #[arg(long)]
        log: PathBuf,
        /// Days of mission traffic (at least 45).
        #[arg(long, default_value_t = 60)]
        days: u32,
        /// Seed.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Write the mission's keys (mission, observers, verifiers, party delegates) here, one
        /// owner-readable file each, for `truce observe` and the demo.
        #[arg(long)]
        keys: Option<PathBuf>,
    },
    /// Seal a key file with a passphrase, for the observer app to import once (PBKDF2-SHA256 and
    /// AES-256-GCM, which the browser opens with WebCrypto). The passphrase comes from
    /// `--passphrase-file` or the `TRUCE_PASSPHRASE` variable, never from the command line.
    SealKey {
        /// The key file (`truce-key/v1`).
        key: PathBuf,
        /// Where to write the sealed file (owner-readable only).
        #[arg(long)]
        out: PathBuf,
        /// A file whose first line is the passphrase.
        #[arg(long)]
        passphrase_file: Option<PathBuf>,
    },
}

/// `truce report …`
#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// The daily report of one day: counts by class and zone against the day before, access
    /// restrictions, deadlines, compliance, a chart and a map. Prints Markdown; `--html` writes the page.
    Daily {
        /// The agreement file (TOML).
        accord: PathBuf,
        /// The log: a directory, or an http(s):// prefix.
        #[arg(long)]
        log: String,
        /// The log's public key (default: LOG/log.vkey).
        #[arg(long)]
        vkey: Option<PathBuf>,
        /// The day (YYYY-MM-DD).
        #[arg(long)]
        date: jiff::civil::Date,
        /// The boundary view of the map.
        #[arg(long, default_value = truce_watch::boundary::DEFAULT_VIEW)]
        view: String,
        /// Also write the HTML page (chart and map inline) to this file.
        #[arg(long)]
        html: Option<PathBuf>,
        /// Append the SHA-256 of the HTML page to the log (LOG must be a directory), signed with this
        /// key file of the mission's key; requires --html.
        #[arg(long, requires = "html")]
        append_hash: Option<PathBuf>,
    },
}

/// Reads and validates an agreement, or fails with every diagnostic.
pub fn load_accord(path: &Path) -> anyhow::Result<Agreement> {
    let text = crate::input::read_text(path)?;
    let (agreement, diags) = truce_accord::parse(&path.display().to_string(), &text);
    for d in &diags {
        eprintln!("{d}");
    }
    agreement.ok_or_else(|| {
        let errors = diags.iter().filter(|d| d.severity == truce_accord::Severity::Error).count();
        eprintln!("truce: {}: {errors} error(s)", path.display());
        crate::input::InvalidInput.into()
    })
}

pub fn run_accord(command: AccordCommand) -> anyhow::Result<String> {
    match command {
        AccordCommand::Draft { scenario, package, day_one, out } => {
            let sc = crate::input::load(&scenario)?;
            let chosen =
                truce_table::choose_package(&sc, &package).map_err(|e| format_err!("--{e}"))?;
            let day_one = match day_one {
                Some(d) => d,
                None => truce_accord::default_day_one(&sc)
                    .ok_or_else(|| format_err!("the scenario has no positions: give --day-one"))?,
            };
            let text = truce_accord::draft(&sc, &chosen, &package, day_one);
            // The draft must validate as written.
            let (agreement, diags) = truce_accord::parse("draft.toml", &text);
            if agreement.is_none() {
                let errors: Vec<String> = diags.iter().map(|d| d.to_string()).collect();
                bail!("the draft does not validate (a bug):\n{}", errors.join("\n"));
            }
            match out {
                Some(path) => {
                    std::fs::write(&path, &text)
                        .with_context(|| format!("cannot write {}", path.display()))?;
                    Ok(format!("wrote the draft to {}\n", path.display()))
                }
                None => Ok(text),
            }
        }
        AccordCommand::Check { file } => {
            let a = load_accord(&file)?;
            let commitments = a.commitments().count();
            let checkable = a.machine_checkable();
            let mut out = format!(
                "{}: ok: {} ({}), {} provisions, {} commitments of which {checkable} machine-checkable, {} zones\n",
                file.display(),
                a.title,
                a.status.as_str(),
                a.provisions.len(),
                commitments,
                a.zones.len()
            );
            for p in &a.provisions {
                if let truce_accord::Checkable::Not { reason } = &p.checkable {
                    out.push_str(&format!(
                        "  point {} not machine-checkable: {reason}\n",
                        p.number
                    ));
                }
            }
            Ok(out)
        }
    }
}

pub fn run_mission(command: MissionCommand) -> anyhow::Result<String> {
    match command {
        MissionCommand::SealKey { key, out, passphrase_file } => {
            let passphrase = match passphrase_file {
                Some(f) => std::fs::read_to_string(&f)
                    .with_context(|| format!("cannot read {}", f.display()))?
                    .lines()
                    .next()
                    .unwrap_or_default()
                    .to_string(),
                None => std::env::var("TRUCE_PASSPHRASE").map_err(|_| {
                    format_err!(
                        "give the passphrase with --passphrase-file FILE or TRUCE_PASSPHRASE"
                    )
                })?,
            };
            let text = std::fs::read_to_string(&key)
                .with_context(|| format!("cannot read the key file {}", key.display()))?;
            let file = truce_watch::entry::KeyFile::parse(&text)
                .map_err(|e| format_err!("{}: {e}", key.display()))?;
            let (mut salt, mut nonce) = ([0u8; 16], [0u8; 12]);
            getrandom::fill(&mut salt).map_err(|e| format_err!("no randomness: {e}"))?;
            getrandom::fill(&mut nonce).map_err(|e| format_err!("no randomness: {e}"))?;
            let iterations = truce_watch::entry::SealedKey::MIN_ITERATIONS;
            let sealed =
                file.seal(&passphrase, salt, nonce, iterations).map_err(|e| format_err!("{e}"))?;
            truce_tlog::layout::write_secret(&out, &sealed)?;
            Ok(format!("sealed {}'s key into {}\n", file.name, out.display()))
        }
        MissionCommand::Generate { accord, log, days, seed, keys } => {
            let a = load_accord(&accord)?;
            let mission = truce_watch::generate::generate(&a, seed, days)
                .map_err(|e| format_err!("{}: {e}", accord.display()))?;
            if let Some(dir) = &keys {
                std::fs::create_dir_all(dir)?;
                for (name, key) in &mission.keys {
                    let file = truce_watch::entry::KeyFile { name: name.clone(), key: key.clone() };
                    truce_tlog::layout::write_secret(
                        &dir.join(format!("{name}.key")),
                        &file.to_text(),
                    )?;
                }
            }
            let first = truce_tlog::layout::append_entries(
                &log,
                "demo.truce.example/mission",
                &mission.entries,
            )?;
            Ok(format!(
                "appended {} entries ({} days from {}) to {} at index {first}\n",
                mission.entries.len(),
                days,
                a.day_one,
                log.display()
            ))
        }
    }
}

/// Compliance of `accord` over the log at `log` (directory or URL), as of a date (default: the day of
/// the last observation).
pub fn compliance(
    accord: &Path,
    log: &str,
    vkey: Option<&Path>,
    as_of: Option<jiff::civil::Date>,
) -> anyhow::Result<Report> {
    let a = load_accord(accord)?;
    let (_, entries) = crate::tlog::verified_entries(log, vkey)?;
    let mut c = Compliance::new(&a);
    for e in &entries {
        c.apply(e);
    }
    // Today (UTC) unless given, clipped into the mission's period, as the server does.
    let as_of = c.registry().default_day(
        as_of.unwrap_or_else(|| jiff::tz::Offset::UTC.to_datetime(jiff::Timestamp::now()).date()),
    );
    Ok(c.evaluate(as_of))
}

pub fn run_report(command: ReportCommand) -> anyhow::Result<String> {
    match command {
        ReportCommand::Daily { accord, log, vkey, date, view, html, append_hash } => {
            let a = load_accord(&accord)?;
            let view =
                truce_watch::boundary::view(&view).map_err(|e| format_err!("--view: {e}"))?;
            let (_, entries) = crate::tlog::verified_entries(&log, vkey.as_deref())?;
            let mut c = Compliance::new(&a);
            for e in &entries {
                c.apply(e);
            }
            let daily = truce_watch::report::daily(&a, &c, date, view);
            let md = daily.markdown();
            if let Some(path) = html {
                let page = daily.html(&a, view);
                std::fs::write(&path, &page)
                    .with_context(|| format!("cannot write {}", path.display()))?;
                use sha2::Digest;
                let digest = sha2::Sha256::digest(page.as_bytes());
                let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
                eprintln!("wrote {} (sha256 {hex})", path.display());
                if let Some(key) = append_hash {
                    let key_text = std::fs::read_to_string(&key)
                        .with_context(|| format!("cannot read {}", key.display()))?;
                    let key_file = truce_watch::entry::KeyFile::parse(&key_text)
                        .map_err(|e| format_err!("{}: {e}", key.display()))?;
                    let body = truce_watch::entry::Body::Report {
                        name: format!("daily {date} ({})", view.id),
                        log_size: entries.len() as u64,
                        sha256: hex,
                    };
                    let hex = truce_watch::entry::key_hex(&key_file.key.verifying_key());
                    let seq = c.registry().next_seq(&hex);
                    let bytes = truce_watch::entry::sign(&key_file.key, seq, body)?;
                    c.registry()
                        .check(&truce_watch::entry::decode(&bytes)?)
                        .map_err(|e| format_err!("the log would refuse the report hash: {e}"))?;
                    let index = truce_tlog::layout::append_entries(Path::new(&log), "", &[bytes])?;
                    eprintln!("appended the report's hash at index {index}");
                }
            }
            Ok(md)
        }
    }
}

/// `truce observe`: sign an observation and append it to the log, if the log's rules accept it.
pub fn observe(file: &Path, key: &Path, log: &Path) -> anyhow::Result<String> {
    let text = crate::input::read_text(file)?;
    let (observation, diags) =
        truce_watch::input::parse_observation(&file.display().to_string(), &text);
    for d in &diags {
        eprintln!("{d}");
    }
    let Some(observation) = observation else {
        eprintln!("truce: {}: {} error(s); nothing was appended", file.display(), diags.len());
        return Err(crate::input::InvalidInput.into());
    };
    let key_text =
        std::fs::read_to_string(key).with_context(|| format!("cannot read {}", key.display()))?;
    let key_file = truce_watch::entry::KeyFile::parse(&key_text)
        .map_err(|e| format_err!("{}: {e}", key.display()))?;
    let (_, entries) = crate::tlog::verified_entries(&log.display().to_string(), None)?;
    let mut registry = truce_watch::registry::Registry::default();
    for e in &entries {
        let _ = registry.apply_bytes(e);
    }
    let seq = registry.next_seq(&truce_watch::entry::key_hex(&key_file.key.verifying_key()));
    let bytes = truce_watch::entry::sign(
        &key_file.key,
        seq,
        truce_watch::entry::Body::Observation(observation),
    )
    .map_err(|e| format_err!("{}: {e}", file.display()))?;
    let entry = truce_watch::entry::decode(&bytes)?;
    registry.check(&entry).map_err(|e| format_err!("the log would refuse this entry: {e}"))?;
    let index = truce_tlog::layout::append_entries(log, "", std::slice::from_ref(&bytes))?;
    Ok(format!("appended observation by {} at index {index}\n", key_file.name))
}

/// The export formats.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum ExportFormat {
    /// GeoJSON FeatureCollection (RFC 7946).
    Geojson,
    /// CSV, one row per observation.
    Csv,
    /// ACLED-like CSV (ACLED's columns, Truce's ids, country from the boundary view).
    Acled,
}

/// `truce export`: the current observations of the log (superseded and rejected ones left out).
pub fn export(
    log: &str,
    vkey: Option<&Path>,
    format: ExportFormat,
    view: &str,
) -> anyhow::Result<String> {
    let (_, entries) = crate::tlog::verified_entries(log, vkey)?;
    let mut registry = truce_watch::registry::Registry::default();
    for e in &entries {
        let _ = registry.apply_bytes(e);
    }
    Ok(match format {
        ExportFormat::Geojson => truce_watch::export::geojson(&registry),
        ExportFormat::Csv => truce_watch::export::csv(&registry)?,
        ExportFormat::Acled => {
            let view = truce_watch::boundary::view(view).map_err(|e| format_err!("--view: {e}"))?;
            let mission = registry.mission.as_ref().map(|m| m.name.clone()).unwrap_or_default();
            truce_watch::export::acled(&registry, view, &mission)?
        }
    })
}
