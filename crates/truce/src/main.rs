//! `truce`: the command-line tool.
//!
//! This crate parses arguments, reads files, and prints; every decision is made in the library crates.

mod input;
mod simulate;
mod sources;
mod tlog;
mod watch;

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, format_err};
use clap::{Parser, Subcommand, ValueEnum};
use truce_report::{render, report, svg};
use truce_scenario::{Date, PartyIx, Scenario};
use truce_server::launch::Config;

use crate::input::{ImportArgs, InvalidInput, SemanticsArg, load, load_any, load_domain};
use truce_sim::SimulationAsk;
use truce_table::{AnalysisOptions, analyze, month_steps, timeline};

/// Truce: the machinery of a peace settlement.
#[derive(Debug, Parser)]
#[command(name = "truce", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Analyse a scenario: is there a deal every party can accept, and if not, what would have to give?
    Analyze {
        /// The scenario file (TOML), or a Genius / GeniusWeb domain folder.
        file: PathBuf,
        #[command(flatten)]
        import: ImportArgs,
        /// Replay the positions known on this date (YYYY-MM-DD).
        #[arg(long, value_parser = parse_date)]
        as_of: Option<Date>,
        /// Restrict the table to these parties (comma-separated ids).
        #[arg(long, value_delimiter = ',')]
        parties: Option<Vec<String>>,
        /// What if: switch these hard constraints off in every reading, by the key the report gives each
        /// (red_line/PARTY/OPTION, unknown/PARTY/OPTION, demand/PARTY/ISSUE, rule/PARTY/CONSTRAINT).
        #[arg(long, value_delimiter = ',', value_name = "KEY")]
        relax: Vec<String>,
        /// Also sample what is unknown this many times (unknown stances, weights) and report how robust the answer is.
        #[arg(long, value_name = "N")]
        robust: Option<u64>,
        /// Seed of the robustness sampling.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Probability that an unknown stance is a red line, in robustness sampling.
        #[arg(long, default_value_t = 0.2)]
        unknown_red_line: f64,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// How the feasible space and the blockers evolved between two dates.
    Timeline {
        /// The scenario file (TOML).
        file: PathBuf,
        /// First date (YYYY-MM-DD).
        #[arg(long, value_parser = parse_date)]
        from: Date,
        /// Last date (YYYY-MM-DD), included.
        #[arg(long, value_parser = parse_date)]
        to: Date,
        /// Step between dates.
        #[arg(long, value_enum, default_value_t = Step::Month)]
        step: Step,
        /// Restrict the table to these parties (comma-separated ids).
        #[arg(long, value_delimiter = ',')]
        parties: Option<Vec<String>>,
        /// Also write the chart as SVG to this file.
        #[arg(long)]
        svg: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// The Pareto set as two or three parties see it: which of the whole table's efficient deals are
    /// efficient for them alone, and where the bargaining solutions fall.
    Frontier {
        /// The scenario file (TOML).
        file: PathBuf,
        /// Two or three party ids, comma-separated.
        #[arg(long, value_delimiter = ',', required = true)]
        parties: Vec<String>,
        /// red_lines, strict or pessimistic.
        #[arg(long, default_value = "red_lines")]
        reading: String,
        /// Also write the plot as SVG to this file.
        #[arg(long)]
        svg: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Rehearse the negotiation: agents bargain for the parties under each protocol (alternating offers,
    /// stacked alternating offers, the mediator's single text), over the packages the red lines leave open.
    Simulate {
        /// The scenario file (TOML), or a Genius / GeniusWeb domain folder.
        file: PathBuf,
        #[command(flatten)]
        import: ImportArgs,
        /// Protocols, comma-separated: saop, stacked, single-text.
        #[arg(
            long = "protocol",
            value_delimiter = ',',
            default_value = "saop,stacked,single-text"
        )]
        protocols: Vec<String>,
        /// One agent for every party, or one per party in order (comma-separated): boulware, linear,
        /// conceder, aspiration:E, hardheaded, tft, tft-relative, micro, random.
        #[arg(long, value_delimiter = ',', default_value = "boulware")]
        agents: Vec<String>,
        /// Deadline in rounds.
        #[arg(long, default_value_t = 100)]
        rounds: u32,
        /// Seed of the agents' random numbers.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Whose hard constraints bound the packages: red_lines, strict or pessimistic.
        #[arg(long, default_value = "red_lines")]
        reading: String,
        /// Restrict the table to these parties (comma-separated ids).
        #[arg(long, value_delimiter = ',')]
        parties: Option<Vec<String>>,
        /// Replay the positions known on this date (YYYY-MM-DD).
        #[arg(long, value_parser = parse_date)]
        as_of: Option<Date>,
        /// Where to write the offer-trace plot (one per protocol, suffixed by its name); default
        /// `<scenario>-simulation.svg` in the current folder.
        #[arg(long)]
        svg: Option<PathBuf>,
        /// The two parties on the plot's axes (default: the first two at the table).
        #[arg(long, value_delimiter = ',')]
        axes: Option<Vec<String>>,
        /// Output format (json: the `truce.simulation/1` document).
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Play a tournament: agents × scenarios × repetitions, in parallel, from a TOML configuration (see
    /// README); writes results.json, runs.csv and standings.svg.
    Tournament {
        /// The configuration file.
        config: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Convert a Genius (XML) or GeniusWeb (JSON) domain folder to a Truce scenario file.
    Import {
        /// The folder: one domain file and one profile per party.
        dir: PathBuf,
        #[command(flatten)]
        import: ImportArgs,
        /// Write the scenario here instead of standard output.
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// The observation log: a C2SP transparency log in a directory.
    #[command(subcommand)]
    Log(tlog::LogCommand),
    /// A witness that cosigns a log's checkpoints only if each extends the last one it cosigned.
    #[command(subcommand)]
    Witness(tlog::WitnessCommand),
    /// Agreements: check one.
    #[command(subcommand)]
    Accord(watch::AccordCommand),
    /// Sign an observation (JSON) with an observer's key file and append it to the log, if the log's
    /// rules accept it (an enrolled observer, well-formed fields).
    Observe {
        /// The observation (JSON object; see README).
        file: PathBuf,
        /// The observer's key file.
        #[arg(long)]
        key: PathBuf,
        /// The log directory.
        #[arg(long)]
        log: PathBuf,
    },
    /// Export the log's current observations as GeoJSON, CSV or ACLED-like CSV.
    Export {
        /// The log: a directory, or an http(s):// prefix.
        #[arg(long)]
        log: String,
        /// The log's public key (default: LOG/log.vkey).
        #[arg(long)]
        vkey: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum)]
        format: watch::ExportFormat,
        /// The boundary view that names countries in the ACLED-like export.
        #[arg(long, default_value = truce_watch::boundary::DEFAULT_VIEW)]
        view: String,
    },
    /// Run the server: API, C2SP read path, metrics. Configuration from a TOML file (--config) and the
    /// environment (TRUCE_LISTEN, TRUCE_METRICS_LISTEN, TRUCE_DATA_DIR, TRUCE_DATABASE_URL for
    /// PostgreSQL, TRUCE_AGREEMENT, TRUCE_WITNESSES, TRUCE_WITNESS_PEERS, TRUCE_PUBLIC_URL).
    Serve {
        /// The configuration file.
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// Take a consistent copy of a running server's data into DIR (new or empty): the SQLite database
    /// (its online copy), the log up to a signed checkpoint (every file authenticated), the hosted
    /// witnesses' state, the media and the public keys, with `backup.json` listing each file's SHA-256.
    /// The server is found as `serve` finds it (--config, then TRUCE_DATA_DIR and the rest).
    Backup {
        /// Where the backup goes (a new or empty directory).
        dir: PathBuf,
        /// The configuration file.
        #[arg(long)]
        config: Option<PathBuf>,
        /// Copy the private keys too (the log's, the witnesses', and the files in the data
        /// directory's keys/): keep such a backup as safe as the server itself.
        #[arg(long)]
        with_private_keys: bool,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Restore a backup (made by `truce backup`) into DATA_DIR (new or empty), after checking every
    /// file against its manifest and auditing its log. Entries acknowledged after the backup's
    /// checkpoint are not in it: see docs/operations.md before serving a restored log.
    Restore {
        /// The backup.
        backup: PathBuf,
        /// The data directory to fill.
        data_dir: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// The server's users: add one (printing a new token, of which only the hash is stored), record a
    /// signing key a user holds, or revoke every token and session of a user.
    #[command(subcommand)]
    User(UserCommand),
    /// A demonstration with embedded defaults: SQLite and tiles under ./truce-data/demo (replaced at
    /// each run), the seed scenario, a drafted agreement, a generated 60-day mission; prints the URL and
    /// a token for each role.
    Demo {
        /// Port on localhost.
        #[arg(long, default_value_t = 8080)]
        port: u16,
    },
    /// Reports computed from the log.
    #[command(subcommand)]
    Report(watch::ReportCommand),
    /// The observer mission: generate a demo mission into a log.
    #[command(subcommand)]
    Mission(watch::MissionCommand),
    /// The status of every commitment of an agreement, computed from a log (directory or URL).
    Compliance {
        /// The agreement file (TOML).
        accord: PathBuf,
        /// The log: a directory, or an http(s):// prefix where it is published.
        #[arg(long)]
        log: String,
        /// The log's public key (default: LOG/log.vkey).
        #[arg(long)]
        vkey: Option<PathBuf>,
        /// Judge as of this date (default: the day of the last observation).
        #[arg(long)]
        as_of: Option<Date>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Check a scenario file and print its diagnostics, and check every quote against the archived
    /// sources beside it (`sources/`): a direct quote not found is an error.
    Check {
        /// The scenario file (TOML).
        file: PathBuf,
    },
    /// The source archive: `truce source add SCENARIO ID FILE`.
    #[command(subcommand)]
    Source(SourceCommand),
    /// Propose candidate positions from an article (HTML, PDF or text) with the scenario's vocabulary.
    Extract {
        /// The article.
        article: PathBuf,
        /// The scenario whose parties, options and vocabulary are used.
        #[arg(long)]
        scenario: PathBuf,
        /// The date of the statements (default: the source's date).
        #[arg(long)]
        date: Option<Date>,
        /// The source id the positions will cite.
        #[arg(long)]
        source: Option<String>,
        /// The article's language (en, ru, uk; default: from its letters).
        #[arg(long)]
        language: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ExtractFormat::Text)]
        format: ExtractFormat,
    },
    /// Print the JSON Schema of a report format.
    Schema {
        /// Which report.
        #[arg(value_enum)]
        report: SchemaKind,
    },
}

/// `truce source`.
#[derive(Debug, Subcommand)]
enum SourceCommand {
    /// Archive a source's file (HTML, PDF or text, as retrieved) beside the scenario, under its
    /// SHA-256, record the hash, retrieval date, language and media type in its [[sources]] table, and
    /// check the quotes that cite it.
    Add {
        /// The scenario file (TOML); the archive is its `sources/` directory.
        scenario: PathBuf,
        /// The source's id in the scenario.
        id: String,
        /// The file as retrieved.
        file: PathBuf,
        /// Where it was retrieved from (default: the source's url).
        #[arg(long)]
        url: Option<String>,
        /// When it was retrieved (default: today).
        #[arg(long)]
        retrieved: Option<Date>,
        /// Its language (default: from its letters: en, ru or uk).
        #[arg(long)]
        language: Option<String>,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ExtractFormat {
    /// Readable in a terminal.
    Text,
    /// JSON: the document the API's extraction answers with.
    Json,
    /// `[[positions]]` tables to paste into the scenario.
    Toml,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    /// Readable in a terminal.
    Text,
    /// JSON, as documented by `truce schema`.
    Json,
    /// Markdown.
    Md,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Step {
    /// One month.
    Month,
    /// Three months.
    Quarter,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum SchemaKind {
    /// `truce analyze --format json`.
    Analysis,
    /// `truce timeline --format json`.
    Timeline,
    /// `truce frontier --format json`.
    Frontier,
    /// `truce compliance --format json`.
    Compliance,
    /// `truce simulate --format json`.
    Simulation,
    /// `truce tournament --format json`.
    Tournament,
}

fn parse_date(s: &str) -> Result<Date, String> {
    s.parse::<Date>().map_err(|e| format!("expected a date as YYYY-MM-DD: {e}"))
}

/// Exit codes: 0 success, 1 failure, 2 invalid input (diagnostics printed).
const EXIT_INVALID_INPUT: u8 = 2;

/// The server's log, on standard error: `TRUCE_LOG` chooses what (a `tracing` filter: `info` by
/// default, `debug` for every request, `truce_server=debug,warn`, …), `TRUCE_LOG_FORMAT=json` one JSON
/// object a line for a log collector. Standard output stays the commands' own.
fn init_log() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_env("TRUCE_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(io::stderr);
    let _ = if std::env::var("TRUCE_LOG_FORMAT").is_ok_and(|f| f == "json") {
        builder.json().with_current_span(true).with_span_list(false).try_init()
    } else {
        builder.with_ansi(io::IsTerminal::is_terminal(&io::stderr())).try_init()
    };
}

fn main() -> ExitCode {
    init_log();
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            if err
                .downcast_ref::<io::Error>()
                .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
            {
                return ExitCode::SUCCESS;
            }
            if err.downcast_ref::<InvalidInput>().is_some() {
                return ExitCode::from(EXIT_INVALID_INPUT);
            }
            eprintln!("truce: error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Analyze {
            file,
            import,
            as_of,
            parties,
            relax,
            robust,
            seed,
            unknown_red_line,
            format,
        } => {
            let scenario = load_any(&file, &import)?;
            let parties = select_parties(&scenario, parties.as_deref())?;
            for key in &relax {
                truce_table::check_relax_key(&scenario, key)
                    .map_err(|e| format_err!("--relax {e}"))?;
            }
            let options = AnalysisOptions { as_of, parties: Some(parties.clone()), relaxed: relax };
            let analysis = analyze(&scenario, &options)?;
            let mut report = report::analysis_report(&scenario, &analysis);
            if !file.is_dir() {
                let (checks, problems) = sources::checks(&file, &scenario)?;
                problems.iter().for_each(|p| eprintln!("truce: warning: {p}"));
                report::mark_quotes(&mut report, &scenario, &checks);
            }
            if let Some(draws) = robust {
                if !(0.0..=1.0).contains(&unknown_red_line) {
                    return Err(format_err!(
                        "--unknown-red-line {unknown_red_line}: expected a probability between 0 and 1"
                    ));
                }
                if as_of.is_some() {
                    eprintln!(
                        "truce: note: robustness sampling uses every position on file, not --as-of"
                    );
                }
                let options = truce_table::RobustOptions { draws, seed, unknown_red_line };
                let bar = indicatif::ProgressBar::new(draws).with_style(
                    indicatif::ProgressStyle::with_template(
                        "{msg} {bar:40} {pos}/{len} draws, {elapsed} (eta {eta})",
                    )
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
                );
                bar.set_message("robustness");
                let groups = truce_table::check_groups(&scenario)?;
                let result =
                    truce_table::robustness(&groups, &parties, options, 10, &|n| bar.inc(n));
                bar.finish_and_clear();
                report.robustness = Some(report::robustness_report(&scenario, &result));
            }
            let text = match format {
                Format::Text => render::analysis_text(&report),
                Format::Md => render::analysis_markdown(&report),
                Format::Json => to_json(&report)?,
            };
            emit(&text)
        }
        Command::Timeline { file, from, to, step, parties, svg, format } => {
            if from > to {
                return Err(format_err!("--from {from} is after --to {to}"));
            }
            let scenario = load(&file)?;
            let groups = truce_table::check_groups(&scenario)?;
            let parties = select_parties(&scenario, parties.as_deref())?;
            let months = match step {
                Step::Month => 1,
                Step::Quarter => 3,
            };
            let dates = month_steps(from, to, months);
            let points = timeline(&groups, &parties, &dates);
            let report = report::timeline_report(&scenario, &parties, &points);
            if let Some(path) = &svg {
                std::fs::write(path, svg::timeline_svg(&report))
                    .with_context(|| format!("cannot write the chart to {}", path.display()))?;
                eprintln!("truce: wrote {}", path.display());
            }
            let text = match format {
                Format::Text | Format::Md => render::timeline_text(&report),
                Format::Json => to_json(&report)?,
            };
            emit(&text)
        }
        Command::Frontier { file, parties, reading, svg, format } => {
            let scenario = load(&file)?;
            let parties = select_parties(&scenario, Some(&parties))?;
            let reading: truce_table::Reading =
                reading.parse().map_err(|e| format_err!("--reading {e}"))?;
            let analysis = analyze(&scenario, &AnalysisOptions::default())?;
            let report = report::frontier_for(&scenario, &analysis, &parties, reading)
                .map_err(|e| format_err!("--parties: {e}"))?;
            if let Some(path) = &svg {
                std::fs::write(path, svg::frontier_svg(&report))
                    .with_context(|| format!("cannot write the plot to {}", path.display()))?;
                eprintln!("truce: wrote {}", path.display());
            }
            let text = match format {
                Format::Text | Format::Md => render::frontier_text(&report),
                Format::Json => to_json(&report)?,
            };
            emit(&text)
        }
        Command::Simulate {
            file,
            import,
            protocols,
            agents,
            rounds,
            seed,
            reading,
            parties,
            as_of,
            svg,
            axes,
            format,
        } => {
            let as_of = as_of.map(|d| d.to_string());
            let ask =
                SimulationAsk { protocols, agents, rounds, seed, reading, parties, as_of, axes };
            emit(&simulate::simulate(&file, &import, &ask, svg, matches!(format, Format::Json))?)
        }
        Command::Tournament { config, format } => {
            emit(&simulate::tournament(&config, matches!(format, Format::Json))?)
        }
        Command::Import { dir, import, output } => {
            let scenario = load_domain(&dir, &import)?;
            let comment = format!(
                "Imported by `truce import` from {} ({} semantics{}).",
                dir.display(),
                import.options().semantics.as_str(),
                if import.options().cap_at_one && import.semantics == SemanticsArg::Genius {
                    ", capped at 1"
                } else {
                    ""
                }
            );
            let text = truce_scenario::to_toml(&scenario, &comment);
            match output {
                Some(path) => {
                    std::fs::write(&path, text)
                        .with_context(|| format!("cannot write {}", path.display()))?;
                    eprintln!("truce: wrote {}", path.display());
                    Ok(())
                }
                None => emit(&text),
            }
        }
        Command::Log(command) => emit(&tlog::run_log(command)?),
        Command::Accord(command) => emit(&watch::run_accord(command)?),
        Command::Mission(command) => emit(&watch::run_mission(command)?),
        Command::Report(command) => emit(&watch::run_report(command)?),
        Command::Export { log, vkey, format, view } => {
            emit(&watch::export(&log, vkey.as_deref(), format, &view)?)
        }
        Command::Serve { config } => {
            truce_server::launch::serve(Config::load(config.as_deref())?, &say)
        }
        Command::User(command) => emit(&user(command)?),
        Command::Backup { dir, config, with_private_keys, format } => {
            let config = Config::load(config.as_deref())?;
            let quiet = |_: &str| {};
            let m = truce_server::backup::backup(
                &config,
                &dir,
                with_private_keys,
                if matches!(format, Format::Json) { &quiet } else { &say },
            )?;
            emit(&backup_summary(&m, format)?)
        }
        Command::Restore { backup, data_dir, format } => {
            let quiet = |_: &str| {};
            let m = truce_server::backup::restore(
                &backup,
                &data_dir,
                if matches!(format, Format::Json) { &quiet } else { &say },
            )?;
            emit(&backup_summary(&m, format)?)
        }
        Command::Demo { port } => truce_server::launch::demo(Config::load(None)?, port, &say),
        Command::Observe { file, key, log } => emit(&watch::observe(&file, &key, &log)?),
        Command::Compliance { accord, log, vkey, as_of, format } => {
            let report = watch::compliance(&accord, &log, vkey.as_deref(), as_of)?;
            match format {
                Format::Json => emit(&format!("{}\n", serde_json::to_string_pretty(&report)?)),
                Format::Text | Format::Md => emit(&truce_watch::compliance::render_text(&report)),
            }
        }
        Command::Witness(command) => emit(&tlog::run_witness(command)?),
        Command::Check { file } => {
            let scenario = load(&file)?;
            let (quotes, errors) = sources::check_report(&file, &scenario)?;
            emit(&format!(
                "{quotes}{}: {} ({} parties, {} issues, {} options, {} positions, {} sources)\n",
                file.display(),
                if errors == 0 { "ok" } else { "quotes not found" },
                scenario.parties.len(),
                scenario.issues.len(),
                scenario.options.len(),
                scenario.positions.len(),
                scenario.sources.len()
            ))?;
            if errors > 0 {
                return Err(format_err!(
                    "{}: {errors} direct quote(s) not found in their archived sources; correct the quote (see the closest passage) or its quote_kind",
                    file.display()
                ));
            }
            Ok(())
        }
        Command::Source(SourceCommand::Add { scenario, id, file, url, retrieved, language }) => {
            emit(&sources::add(&scenario, &id, &file, url, retrieved, language)?)
        }
        Command::Extract { article, scenario, date, source, language, format } => {
            let (s, x, date) = sources::extract(
                &article,
                &scenario,
                date,
                source.as_deref(),
                language.as_deref(),
            )?;
            emit(&match format {
                ExtractFormat::Text => sources::extraction_text(&s, &x, &article, date),
                ExtractFormat::Toml => sources::extraction_toml(&s, &x, date, source.as_deref()),
                ExtractFormat::Json => {
                    to_json(&sources::extraction_json(&s, &x, date, source.as_deref()))?
                }
            })
        }
        Command::Schema { report } => {
            let schema = match report {
                SchemaKind::Analysis => schemars::schema_for!(report::AnalysisReport),
                SchemaKind::Timeline => schemars::schema_for!(report::TimelineReport),
                SchemaKind::Frontier => schemars::schema_for!(report::FrontierReport),
                SchemaKind::Compliance => {
                    schemars::schema_for!(truce_watch::compliance::Report)
                }
                SchemaKind::Simulation => {
                    schemars::schema_for!(truce_report::simulation::SimulationReport)
                }
                SchemaKind::Tournament => {
                    schemars::schema_for!(truce_report::simulation::TournamentReport)
                }
            };
            emit(&to_json(&schema)?)
        }
    }
}

fn to_json<T: serde::Serialize>(value: &T) -> anyhow::Result<String> {
    let mut text = serde_json::to_string_pretty(value).context("cannot serialise the report")?;
    text.push('\n');
    Ok(text)
}

fn emit(text: &str) -> anyhow::Result<()> {
    let mut stdout = io::stdout().lock();
    stdout.write_all(text.as_bytes())?;
    stdout.flush()?;
    Ok(())
}

fn select_parties(scenario: &Scenario, ids: Option<&[String]>) -> anyhow::Result<Vec<PartyIx>> {
    let Some(ids) = ids else { return Ok(scenario.party_ixs().collect()) };
    truce_table::select_parties(scenario, ids.iter().map(String::as_str))
        .map_err(|e| format_err!("--parties: {e}"))
}

/// A backup's manifest for a terminal (or as JSON).
fn backup_summary(m: &truce_server::backup::Manifest, format: Format) -> anyhow::Result<String> {
    Ok(match format {
        Format::Json => format!("{}\n", serde_json::to_string_pretty(m)?),
        Format::Text | Format::Md => format!(
            "log {}: {} entries; {} files{}; taken {}\n",
            m.origin,
            m.log_size,
            m.files.len(),
            if m.private_keys { ", private keys included" } else { ", no private keys" },
            m.taken
        ),
    })
}

/// Prints a line of the server's story (where it serves, the demo's tokens).
fn say(line: &str) {
    let _ = emit(&format!("{line}\n"));
}

/// `truce user`.
#[derive(Debug, Subcommand)]
enum UserCommand {
    /// Add a user and print a new token for it, once (only its hash is stored).
    Add {
        /// The user's name.
        name: String,
        /// mediator, analyst, party_delegate, observer, verifier, witness_operator or public.
        #[arg(long)]
        role: String,
        /// The party a delegate acts for.
        #[arg(long)]
        party: Option<String>,
        /// An Ed25519 public key (64 hex digits) the user holds; may be given more than once. The server
        /// accepts entries signed with a key only from the user who holds it.
        #[arg(long = "key")]
        keys: Vec<String>,
        /// The server's configuration file (the store is found as `truce serve` finds it).
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// Record that a user holds an Ed25519 public key (64 hex digits, as enrolled on the log).
    Key {
        /// The user's name.
        name: String,
        /// The public key, hex.
        key: String,
        /// The server's configuration file.
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// Revoke every token of a user and end its web sessions (a running server stops accepting them
    /// within its token cache's lifetime, 10 s).
    Revoke {
        /// The user's name.
        name: String,
        /// The server's configuration file.
        #[arg(long)]
        config: Option<PathBuf>,
    },
}

fn user(command: UserCommand) -> anyhow::Result<String> {
    use truce_server::launch::users;
    match command {
        UserCommand::Add { name, role, party, keys, config } => {
            let config = Config::load(config.as_deref())?;
            Ok(format!("{}\n", users::add(&config, &name, &role, party.as_deref(), &keys)?))
        }
        UserCommand::Key { name, key, config } => {
            users::hold_key(&Config::load(config.as_deref())?, &name, &key)?;
            Ok(format!("{name} holds key {key}\n"))
        }
        UserCommand::Revoke { name, config } => {
            let n = users::revoke(&Config::load(config.as_deref())?, &name)?;
            Ok(format!("revoked {n} token(s) of {name} and ended its sessions\n"))
        }
    }
}
