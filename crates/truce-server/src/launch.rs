//! The running service: its configuration (file, then environment), the store it runs on (SQLite for a
//! path, PostgreSQL for a URL, chosen here once), the log and its witnesses, the demonstration's
//! embedded defaults, and the listeners. The `truce` binary parses arguments and calls [`serve`],
//! [`demo`] or the user administration below; everything it prints comes through a `say` callback.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, bail, format_err};
use truce_store::{Role, Store, token_hash};
use truce_tlog::layout;

/// The seed scenario (Ukraine 2025), embedded: the demonstration needs no files.
pub const SEED_SCENARIO: &str = include_str!("../../../scenarios/ukraine-2025.toml");
/// The Minsk II agreement, embedded: the agreement monitored when none is configured.
pub const MINSK_II: &str = include_str!("../../../accords/minsk-2015.toml");

// The seed scenario's archived source files, `SEED_SOURCES` (embedded by `build.rs`, each at the path
// the seed's `sha256` names): the demo's analysis checks their quotes as the CLI does beside the file.
include!(concat!(env!("OUT_DIR"), "/seed_sources.rs"));

/// Stores the archived file of every source of `scenario` that records one embedded in
/// [`SEED_SOURCES`], with its text, as uploaded by `uploader`; returns how many the store holds.
pub async fn store_seed_sources(
    store: &crate::Db,
    scenario: &str,
    uploader: i64,
) -> anyhow::Result<usize> {
    let (parsed, _) = truce_scenario::parse("ukraine-2025.toml", scenario);
    let Some(parsed) = parsed else { return Ok(0) };
    let mut held = 0;
    for source in &parsed.sources {
        let (Some(sha256), Some(kind)) = (
            source.sha256.as_deref(),
            source.media_type.as_deref().and_then(truce_source::text::MediaKind::from_media_type),
        ) else {
            continue;
        };
        let path = truce_source::archive::original_path(sha256, kind);
        let Some((_, bytes)) = SEED_SOURCES.iter().find(|(p, _)| *p == path) else { continue };
        let extracted = truce_source::text::extract(bytes)
            .map_err(|e| format_err!("the seed's archived source {path} {e}"))?;
        store
            .put_source_file(&truce_store::SourceFile {
                sha256: sha256.to_string(),
                media_type: kind.media_type().to_string(),
                bytes: bytes.to_vec(),
                text: extracted.text,
                uploader,
                uploaded_at: jiff::Timestamp::now().as_second(),
            })
            .await?;
        held += 1;
    }
    Ok(held)
}

/// Where and how the server runs. Read from a TOML file, then overridden by the environment
/// (`TRUCE_LISTEN`, `TRUCE_METRICS_LISTEN`, `TRUCE_DATA_DIR`, `TRUCE_DATABASE_URL`, `TRUCE_AGREEMENT`,
/// `TRUCE_WITNESSES`, `TRUCE_WITNESS_PEERS`, `TRUCE_PUBLIC_URL`).
#[derive(Clone)]
pub struct Config {
    /// Address of the API and the pages.
    pub listen: String,
    /// Address of the metrics listener.
    pub metrics_listen: String,
    /// Tiles, keys and (for SQLite) the database live here.
    pub data_dir: PathBuf,
    /// `postgres://…` for PostgreSQL; absent for SQLite in the data directory.
    pub database_url: Option<String>,
    /// Where the log's tiles live when several servers share it: `s3://bucket/prefix` (the `AWS_*`
    /// variables give the endpoint, region and credentials) or `file:///directory`. Needs a PostgreSQL
    /// `database_url`, which then also holds the log's record, checkpoint, journal and lease. Absent:
    /// the log is a directory in the data directory, written by this server alone.
    pub storage_url: Option<String>,
    /// Where the files behind observations are kept: `s3://bucket/prefix` or `file:///dir`; default
    /// `<data_dir>/media`, or with `storage_url` the log's bucket and prefix with `-media` appended.
    /// Keep it private: released files are served through the API.
    pub media_url: Option<String>,
    /// The largest media file accepted, in bytes (default 25 MB).
    pub media_max_bytes: Option<usize>,
    /// The bytes of media one user may upload in all (default 2 GiB).
    pub media_quota_bytes: Option<u64>,
    /// `strip` (default): files must arrive without location metadata, stripped on the device before
    /// hashing; `keep`: location metadata is allowed.
    pub media_location: Option<String>,
    /// The agreement the mission monitors (TOML); absent for the embedded Minsk II.
    pub agreement: Option<PathBuf>,
    /// Witnesses this server hosts: each subdirectory is one made by `truce witness init`, served at
    /// `/witness/<subdirectory>/add-checkpoint`. Default `<data_dir>/witnesses`, when it exists.
    pub witnesses: Option<PathBuf>,
    /// The witnesses this server's log asks to cosign: a file with one `<submission URL> <vkey>` per
    /// line (`#` starts a comment).
    pub witness_peers: Option<PathBuf>,
    /// The URL people reach the server at, behind its TLS-terminating proxy; cookies are `Secure`
    /// when it is https.
    pub public_url: Option<String>,
    /// A tile URL template (`https://…/{z}/{x}/{y}.png`) for the map's basemap; none by default, so
    /// that the map needs no connection.
    pub basemap_url: Option<String>,
    /// With `storage_url`: how long the sequencing lease lives without renewal, in milliseconds
    /// (default 2,000; 200 to 60,000). A writer that dies or stalls holds up writing for at most this
    /// much; a shorter lease fails over sooner, and asks PostgreSQL for a renewal more often (every
    /// eighth of it). Give every server of one log the same.
    pub lease_ms: Option<u64>,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("listen", &self.listen)
            .field("metrics_listen", &self.metrics_listen)
            .field("data_dir", &self.data_dir)
            .field("database_url", &self.database_url.as_ref().map(|_| "<redacted>"))
            .field("storage_url", &self.storage_url)
            .field("media_url", &self.media_url)
            .field("media_max_bytes", &self.media_max_bytes)
            .field("media_quota_bytes", &self.media_quota_bytes)
            .field("media_location", &self.media_location)
            .field("agreement", &self.agreement)
            .field("witnesses", &self.witnesses)
            .field("witness_peers", &self.witness_peers)
            .field("public_url", &self.public_url)
            .field("basemap_url", &self.basemap_url)
            .field("lease_ms", &self.lease_ms)
            .finish()
    }
}

impl Default for Config {
    /// Localhost, `./truce-data`, SQLite, the embedded Minsk II.
    fn default() -> Config {
        Config {
            listen: "127.0.0.1:8080".into(),
            metrics_listen: "127.0.0.1:9090".into(),
            data_dir: PathBuf::from("truce-data"),
            database_url: None,
            storage_url: None,
            media_url: None,
            media_max_bytes: None,
            media_quota_bytes: None,
            media_location: None,
            agreement: None,
            witnesses: None,
            witness_peers: None,
            public_url: None,
            basemap_url: None,
            lease_ms: None,
        }
    }
}

impl Config {
    /// Defaults, then the file (if given), then the environment.
    pub fn load(file: Option<&Path>) -> anyhow::Result<Config> {
        let mut c = Config::default();
        if let Some(path) = file {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            c.read_file(&path.display().to_string(), &text)?;
        }
        for (var, key) in [
            ("TRUCE_LISTEN", "listen"),
            ("TRUCE_METRICS_LISTEN", "metrics_listen"),
            ("TRUCE_DATA_DIR", "data_dir"),
            ("TRUCE_DATABASE_URL", "database_url"),
            ("TRUCE_STORAGE_URL", "storage_url"),
            ("TRUCE_MEDIA_URL", "media_url"),
            ("TRUCE_MEDIA_MAX_BYTES", "media_max_bytes"),
            ("TRUCE_MEDIA_QUOTA_BYTES", "media_quota_bytes"),
            ("TRUCE_MEDIA_LOCATION", "media_location"),
            ("TRUCE_AGREEMENT", "agreement"),
            ("TRUCE_WITNESSES", "witnesses"),
            ("TRUCE_WITNESS_PEERS", "witness_peers"),
            ("TRUCE_PUBLIC_URL", "public_url"),
            ("TRUCE_LEASE_MS", "lease_ms"),
            ("TRUCE_BASEMAP_URL", "basemap_url"),
        ] {
            if let Some(v) = std::env::var(var).ok().filter(|v| !v.is_empty()) {
                c.set(key, &v)?;
            }
        }
        Ok(c)
    }

    /// Sets every field `text` (the TOML file `file`) gives, with the shared walker
    /// (`truce_scenario::walk`): each error names the file, the line, the field and what was expected.
    fn read_file(&mut self, file: &str, text: &str) -> anyhow::Result<()> {
        let (root, mut cx) = truce_scenario::walk::begin(file, text);
        for (key, value) in root.get_ref().iter() {
            let (key, span) = (key.get_ref(), value.span());
            match value.get_ref().as_str() {
                Some(s) => {
                    if let Err(e) = self.set(key, s) {
                        cx.error(&span, key, format!("{e:#}"), None);
                    }
                }
                None => cx.error(
                    &span,
                    key,
                    format!("found {}", value.get_ref().type_str()),
                    "a string".to_string(),
                ),
            }
        }
        let errors: Vec<String> = cx.into_diagnostics().iter().map(ToString::to_string).collect();
        if !errors.is_empty() {
            bail!("{}", errors.join("\n"));
        }
        Ok(())
    }

    fn set(&mut self, key: &str, s: &str) -> anyhow::Result<()> {
        match key {
            "listen" => self.listen = s.into(),
            "metrics_listen" => self.metrics_listen = s.into(),
            "data_dir" => self.data_dir = s.into(),
            "database_url" => self.database_url = Some(s.into()),
            "media_url" => {
                if !(s.starts_with("s3://") || s.starts_with("file:///")) {
                    bail!("media_url {s:?}: expected s3://bucket/prefix or file:///directory");
                }
                self.media_url = Some(s.into())
            }
            "media_max_bytes" => {
                self.media_max_bytes = Some(s.parse().ok().filter(|n| *n > 0).ok_or_else(|| {
                    format_err!(
                        "media_max_bytes {s:?}: expected a number of bytes, such as 26214400"
                    )
                })?)
            }
            "media_quota_bytes" => self.media_quota_bytes =
                Some(s.parse().ok().filter(|n| *n > 0).ok_or_else(|| {
                    format_err!(
                        "media_quota_bytes {s:?}: expected a number of bytes, such as 2147483648"
                    )
                })?),
            "media_location" => {
                if s != "strip" && s != "keep" {
                    bail!("media_location {s:?}: expected strip or keep");
                }
                self.media_location = Some(s.into())
            }
            "storage_url" => {
                if !(s.starts_with("s3://") || s.starts_with("file:///")) {
                    bail!("storage_url {s:?}: expected s3://bucket/prefix or file:///directory");
                }
                self.storage_url = Some(s.into())
            }
            "agreement" => self.agreement = Some(s.into()),
            "witnesses" => self.witnesses = Some(s.into()),
            "witness_peers" => self.witness_peers = Some(s.into()),
            "public_url" => self.public_url = Some(s.into()),
            "lease_ms" => {
                self.lease_ms = Some(
                    s.parse().ok().filter(|n| (200..=60_000).contains(n)).ok_or_else(|| {
                        format_err!(
                            "lease_ms {s:?}: expected milliseconds from 200 to 60000, such as 2000"
                        )
                    })?,
                )
            }
            "basemap_url" => {
                let origin = s.split('/').take(3).collect::<Vec<_>>().join("/");
                if !(s.starts_with("https://") || s.starts_with("http://"))
                    || !s.contains("{z}")
                    || origin.contains(['{', ' ', ';', '\'', '"'])
                {
                    bail!(
                        "basemap_url {s:?}: expected a tile URL template such as https://tiles.example.org/{{z}}/{{x}}/{{y}}.png"
                    );
                }
                self.basemap_url = Some(s.into())
            }
            other => bail!(
                "unknown key `{other}`; expected listen, metrics_listen, data_dir, database_url, storage_url, media_url, media_max_bytes, media_quota_bytes, media_location, agreement, witnesses, witness_peers, public_url, basemap_url, lease_ms"
            ),
        }
        Ok(())
    }

    /// The agreement's file name (for diagnostics) and text: the configured file, or Minsk II.
    fn agreement_text(&self) -> anyhow::Result<(String, String)> {
        match &self.agreement {
            Some(path) => Ok((
                path.display().to_string(),
                std::fs::read_to_string(path)
                    .with_context(|| format!("cannot read the agreement {}", path.display()))?,
            )),
            None => Ok(("minsk-2015.toml (embedded)".into(), MINSK_II.to_string())),
        }
    }
}

/// The configured store: PostgreSQL for a `postgres://` URL, otherwise SQLite in the data directory
/// (created readable by its owner only).
pub async fn open_store(config: &Config) -> anyhow::Result<crate::Db> {
    create_private_dir(&config.data_dir)?;
    match &config.database_url {
        Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
            truce_store_sql::SqlStore::connect_postgres(url)
                .await
                .map_err(|e| format_err!("PostgreSQL: {e}"))
        }
        Some(other) => bail!(
            "TRUCE_DATABASE_URL: unsupported scheme in {:?}; expected postgres://",
            other.split(':').next().unwrap_or("")
        ),
        None => {
            let path = config.data_dir.join("truce.db");
            create_private_file(&path)?;
            truce_store_sql::SqlStore::open_sqlite(&path)
                .await
                .map_err(|e| format_err!("SQLite: {e}"))
        }
    }
}

/// A new random token: 32 bytes, hex.
pub fn new_token() -> anyhow::Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| format_err!("no randomness: {e}"))?;
    Ok(format!("truce_{}", bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()))
}

/// Seeds a store for the demo: one user per role (and a delegate per party of the seed), a fresh token
/// for each, the seed scenario, and a Nash-package draft agreement. Returns (who, token) to show once.
async fn seed(store: &crate::Db) -> anyhow::Result<Vec<(String, String)>> {
    let users: Vec<(&str, Role, Option<&str>)> = vec![
        ("mediator", Role::Mediator, None),
        ("analyst", Role::Analyst, None),
        ("delegate-ukr", Role::PartyDelegate, Some("UKR")),
        ("delegate-rus", Role::PartyDelegate, Some("RUS")),
        // The Watch's story (Minsk II, 2015) has its own parties, and their delegates.
        ("delegate-ukr-gov", Role::PartyDelegate, Some("UKR_GOV")),
        ("delegate-ordlo", Role::PartyDelegate, Some("ORDLO")),
        ("observer", Role::Observer, None),
        ("verifier", Role::Verifier, None),
        ("witness", Role::WitnessOperator, None),
        ("public", Role::Public, None),
    ];
    let mut tokens = Vec::new();
    for (name, role, party) in users {
        let user = store.create_user(name, role, party).await?;
        let token = new_token()?;
        store.add_token(user.id, token_hash(&token), "demo").await?;
        tokens.push((format!("{name} ({})", role.as_str()), token));
    }
    store.save_scenario("ukraine-2025", SEED_SCENARIO, 1, "").await?;
    store_seed_sources(store, SEED_SCENARIO, 1).await?;
    // The draft from the Table's Nash package.
    let (scenario, _) = truce_scenario::parse("ukraine-2025.toml", SEED_SCENARIO);
    if let Some(scenario) = scenario
        && let Ok(package) = truce_table::choose_package(&scenario, "nash")
    {
        let day_one =
            truce_accord::default_day_one(&scenario).unwrap_or(jiff::civil::date(2026, 1, 1));
        let draft = truce_accord::draft(&scenario, &package, "nash", day_one);
        store.save_agreement("ukraine-2025-nash-draft", &draft).await?;
    }
    Ok(tokens)
}

/// The passphrase of the demo's sealed observer key (`keys/observer-1.sealed`), printed by the demo.
const DEMO_PASSPHRASE: &str = "demo field passphrase";

/// The demo's log: a generated 60-day mission over the agreement, its keys in `data_dir/keys` (held by
/// the demo's mediator, observer and verifier), and a witness per party hosted here.
async fn demo_log(
    store: &crate::Db,
    config: &Config,
    agreement: (&str, &str),
) -> anyhow::Result<()> {
    let log_dir = config.data_dir.join("log");
    let (a, diags) = truce_accord::parse(agreement.0, agreement.1);
    let a = a.ok_or_else(|| {
        format_err!("{}", diags.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("\n"))
    })?;
    let mission = truce_watch::generate::generate(&a, 1, 60).map_err(|e| format_err!("{e}"))?;
    layout::append_entries(&log_dir, "demo.truce.example/mission", &mission.entries)?;
    let keys = config.data_dir.join("keys");
    create_private_dir(&keys)?;
    for (name, key) in &mission.keys {
        let file = truce_watch::entry::KeyFile { name: name.clone(), key: key.clone() };
        layout::write_secret(&keys.join(format!("{name}.key")), &file.to_text())?;
        if name == "observer-1" {
            // For the observer app: the same key sealed with the demo's passphrase.
            let (mut salt, mut nonce) = ([0u8; 16], [0u8; 12]);
            getrandom::fill(&mut salt).map_err(|e| format_err!("no randomness: {e}"))?;
            getrandom::fill(&mut nonce).map_err(|e| format_err!("no randomness: {e}"))?;
            let iterations = truce_watch::entry::SealedKey::MIN_ITERATIONS;
            let sealed = file
                .seal(DEMO_PASSPHRASE, salt, nonce, iterations)
                .map_err(|e| format_err!("{e}"))?;
            layout::write_secret(&keys.join(format!("{name}.sealed")), &sealed)?;
        }
        // The mediator holds the mission key, the observer and the verifier every observer and
        // verifier key.
        let holder = match (name.split('-').next(), name.as_str()) {
            (Some("mission"), _) => "mediator",
            (Some("observer"), _) => "observer",
            (Some("verifier"), _) => "verifier",
            (_, "delegate-UKR_GOV") => "delegate-ukr-gov",
            (_, "delegate-ORDLO") => "delegate-ordlo",
            _ => continue,
        };
        let user = store.user_by_name(holder).await?;
        store.add_key(user.id, &truce_watch::entry::key_hex(&key.verifying_key())).await?;
    }
    let log_key = layout::read_vkey(&log_dir.join(layout::LOG_VKEY))?;
    let mut peers =
        String::from("# The witnesses this log asks to cosign: <submission URL> <vkey>\n");
    for party in ["ukr", "rus"] {
        let dir = config.data_dir.join("witnesses").join(party);
        let vkey = layout::init_witness(
            &dir,
            &format!("{party}.witness.demo"),
            std::slice::from_ref(&log_key),
        )?;
        peers.push_str(&format!("http://{}/witness/{party} {}\n", config.listen, vkey.vkey()));
    }
    std::fs::write(config.data_dir.join("witness-peers"), peers)?;
    Ok(())
}

/// Opens the log (creating it if needed), indexes it, and serves until interrupted. `demo_tokens` are
/// shown once when serving starts.
async fn launch(
    store: crate::Db,
    config: &Config,
    demo_tokens: Option<Vec<(String, String)>>,
    say: &(dyn Fn(&str) + Sync),
) -> anyhow::Result<()> {
    let log_dir = config.data_dir.join("log");
    let (agreement_name, agreement_text) = config.agreement_text()?;
    if demo_tokens.is_some() && !layout::is_log(&log_dir) {
        demo_log(&store, config, (&agreement_name, &agreement_text)).await?;
    }
    if config.storage_url.is_some() && !layout::is_log(&log_dir) {
        bail!(
            "{} holds no log key. Servers sharing a log sign with one key: create it once with `truce log init DIR` and copy DIR to {} on every server",
            log_dir.display(),
            log_dir.display()
        );
    }
    if !layout::is_log(&log_dir) {
        layout::init_log(&log_dir, "truce.example/mission")?;
    }
    let signer = layout::log_signer(&log_dir)?;
    let watch = match &config.storage_url {
        None => crate::Ledger::open(&log_dir, signer, &agreement_text, crate::default_sequencer())
            .map_err(|e| format_err!("{}: {e}", log_dir.display()))?,
        Some(url) => {
            let database = config.database_url.as_deref().filter(|u| u.starts_with("postgres")).context(
                "storage_url needs a PostgreSQL database_url: it holds the shared log's record, journal and lease",
            )?;
            let origin = signer.name.clone();
            let shared = tokio::task::block_in_place(|| {
                truce_tlog_shared::Shared::connect(url, database, &origin)
            })
            .map_err(|e| format_err!("the shared log at {url}: {e}"))?;
            // Other servers and their clients find the writer by this name.
            let name =
                config.public_url.clone().unwrap_or_else(|| format!("http://{}", config.listen));
            say(&format!(
                "the log is shared ({url}); this server ({name}) writes it while it holds the sequencing lease"
            ));
            tokio::task::block_in_place(|| {
                crate::Ledger::open_shared_with_lease(
                    shared,
                    &name,
                    signer,
                    &agreement_text,
                    crate::default_sequencer(),
                    std::time::Duration::from_millis(
                        config.lease_ms.unwrap_or(crate::ledger::LEASE_TTL.as_millis() as u64),
                    ),
                )
            })
            .map_err(|e| format_err!("the shared log at {url}: {e}"))?
        }
    };
    let mut state = crate::AppState::new(store, Some(watch));
    state.witnesses = witnesses(config, demo_tokens.is_some(), say)?;
    state.secure_cookies = config.public_url.as_deref().is_some_and(|u| u.starts_with("https://"));
    state.public_url = config.public_url.clone();
    state.basemap_url = config.basemap_url.clone();
    let media_url = match (&config.media_url, &config.storage_url) {
        (Some(url), _) => url.clone(),
        // Servers that share a log share its files too: beside the log's prefix, not under it (a
        // CDN may serve the log's prefix to anyone).
        (None, Some(storage)) => format!("{}-media", storage.trim_end_matches('/')),
        (None, None) => {
            let dir = std::path::absolute(config.data_dir.join("media"))?;
            format!("file://{}", dir.display())
        }
    };
    let mut media = crate::media::MediaStore::open(
        &media_url,
        config.media_max_bytes.unwrap_or(crate::media::DEFAULT_MAX_BYTES),
        config.media_location.as_deref() != Some("keep"),
    )
    .map_err(|e| format_err!("the media store at {media_url}: {e}"))?;
    if let Some(quota) = config.media_quota_bytes {
        media.quota_bytes = quota;
    }
    state.media = Some(media);
    let state = Arc::new(state);
    // Rehearsals this server had queued or running when it last stopped are interrupted.
    let server_name =
        config.public_url.clone().unwrap_or_else(|| format!("http://{}", config.listen));
    let interrupted = state
        .adopt_jobs(&server_name)
        .await
        .map_err(|e| format_err!("the store's rehearsal jobs: {e:?}"))?;
    if interrupted > 0 {
        say(&format!("{interrupted} rehearsals were interrupted when this server last stopped"));
    }
    // Index what the log holds for the store's queries (only what is not indexed yet).
    let indexed = crate::index_log(&state.store, state.watch.as_ref())
        .await
        .map_err(|e| format_err!("indexing the log: {e:?}"))?;
    if indexed > 0 {
        say(&format!("indexed {indexed} log entries"));
    }
    let listener = tokio::net::TcpListener::bind(&config.listen)
        .await
        .with_context(|| format!("cannot listen on {}", config.listen))?;
    let metrics = tokio::net::TcpListener::bind(&config.metrics_listen)
        .await
        .with_context(|| format!("cannot listen on {}", config.metrics_listen))?;
    let url = format!("http://{}", listener.local_addr()?);
    say(&format!("Truce is serving on {url} (metrics on http://{})", metrics.local_addr()?));
    if let Some(tokens) = demo_tokens {
        say("\nDemo tokens (shown once; only their hashes are stored):");
        for (who, token) in &tokens {
            say(&format!("  {who:<34} {token}"));
        }
        say(&format!("\nTry: curl -H 'Authorization: Bearer <token>' {url}/v1/whoami"));
        let keys = config.data_dir.join("keys");
        let keys = std::path::absolute(&keys).unwrap_or(keys);
        say(&format!(
            "\nTwo stories, kept apart:\n\
             \x20 1. The Table (2025): the seed scenario's 8 parties and their positions. Sign in at {url}/ui/login with the analyst's\n\
             \x20    token (or the mediator's, or a delegate's), then open {url}/ui/scenarios/ukraine-2025/analysis. The agreement\n\
             \x20    drafted from its Nash package: {url}/ui/scenarios/ukraine-2025/draft (analyst or mediator token).\n\
             \x20 2. The Watch (2015): the Minsk II package between UKR_GOV and ORDLO, monitored by a generated 60-day mission.\n\
             \x20    Anyone opens {url}/ui/agreement, {url}/ui/map and {url}/ui/log, and each entry's page with its proof.\n\
             \x20    Its key files are in {}: observer-1.key for the observe page (observer token), verifier-1.key for the\n\
             \x20    verification queue (verifier token), delegate-UKR_GOV.key and delegate-ORDLO.key to concur with or dispute\n\
             \x20    an observation on its entry page (the delegate-ukr-gov and delegate-ordlo tokens).\n\
             \x20 In the field: open {url}/field/ (it installs as an app and works offline), give it the observer token,\n\
             \x20 {}/observer-1.sealed and the passphrase \"{DEMO_PASSPHRASE}\", then record observations dated within the\n\
             \x20 mission's 60 days (from 2015-02-15); they sync, with receipts checked on the device, when the network is back.",
            keys.display(),
            keys.display()
        ));
    }
    for p in &state.witnesses.peers {
        say(&format!("asking {} at {} to cosign", p.verifier.name, p.url));
    }
    crate::start_cosigning(state.clone());
    crate::start_index_catch_up(state.store.clone(), state.watch.clone());
    let app = crate::router(state.clone());
    let metrics_app = crate::metrics_router(state.clone());
    tokio::select! {
        r = serve_http(listener, app, HttpLimits::default()) => r.context("the API server stopped")?,
        r = serve_http(metrics, metrics_app, HttpLimits::default()) => r.context("the metrics server stopped")?,
        _ = tokio::signal::ctrl_c() => say("stopping"),
    }
    if let Some(w) = &state.watch {
        // Commit what is pending, and hand the lease on at once (shared storage).
        tokio::task::block_in_place(|| w.shutdown());
    }
    Ok(())
}

/// The limits every HTTP connection is held to.
#[derive(Debug, Clone, Copy)]
pub struct HttpLimits {
    /// A request's headers must arrive within this, from the connection's first byte or the end of
    /// the previous response: a connection that sends nothing, or half a request, is closed. This is
    /// also how long a kept-alive connection may sit idle between requests.
    pub header_read: std::time::Duration,
    /// Connections served at once; further clients wait in the listening socket's queue.
    pub max_connections: usize,
    /// The longest a write to a client may wait: a client that stops reading its answers (a slow
    /// read, or requests pipelined and never read) is dropped after this.
    pub write_stall: std::time::Duration,
}

/// Headers within 10 s; 4,096 connections at once (below the 8,192 open files a service is usually
/// given, leaving room for the store, the log and the media).
pub const HTTP_HEADER_READ: std::time::Duration = std::time::Duration::from_secs(10);
/// See [`HTTP_HEADER_READ`].
pub const HTTP_MAX_CONNECTIONS: usize = 4096;
/// A write to a client may wait 30 s at most.
pub const HTTP_WRITE_STALL: std::time::Duration = std::time::Duration::from_secs(30);

impl Default for HttpLimits {
    fn default() -> HttpLimits {
        HttpLimits {
            header_read: HTTP_HEADER_READ,
            max_connections: HTTP_MAX_CONNECTIONS,
            write_stall: HTTP_WRITE_STALL,
        }
    }
}

/// Serves `app` on `listener` over HTTP/1.1 within `limits` (see [`HttpLimits`]), until an accept
/// fails for good.
pub async fn serve_http(
    listener: tokio::net::TcpListener,
    app: axum::Router,
    limits: HttpLimits,
) -> anyhow::Result<()> {
    let slots = Arc::new(tokio::sync::Semaphore::new(limits.max_connections.max(1)));
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(hyper_util::rt::TokioTimer::new())
        .header_read_timeout(limits.header_read)
        .keep_alive(true);
    loop {
        let permit = slots.clone().acquire_owned().await.context("the connection slots closed")?;
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(e) => {
                // Out of file descriptors, or a connection reset before it was accepted: wait a
                // moment rather than spin; the listening socket keeps its queue.
                tracing::warn!(error = %e, "accepting a connection failed");
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let stream = Stalling { io: stream, limit: limits.write_stall, stalled: None };
        let service = hyper_util::service::TowerToHyperService::new(app.clone());
        let connection = builder.serve_connection(hyper_util::rt::TokioIo::new(stream), service);
        tokio::spawn(async move {
            let _permit = permit;
            let _ = connection.await;
        });
    }
}

/// A connection whose writes may wait at most `limit`: past it, the write fails and the connection
/// ends, so that a client which stops reading cannot hold a connection and its task.
struct Stalling {
    io: tokio::net::TcpStream,
    limit: std::time::Duration,
    /// Since when a write has been waiting, as the timer that ends it.
    stalled: Option<std::pin::Pin<Box<tokio::time::Sleep>>>,
}

impl Stalling {
    /// `poll` (a write) once; a write that waits arms the timer, one that goes through disarms it.
    fn guard<T>(
        &mut self,
        cx: &mut std::task::Context<'_>,
        poll: impl FnOnce(
            std::pin::Pin<&mut tokio::net::TcpStream>,
            &mut std::task::Context<'_>,
        ) -> std::task::Poll<std::io::Result<T>>,
    ) -> std::task::Poll<std::io::Result<T>> {
        use std::future::Future as _;
        match poll(std::pin::Pin::new(&mut self.io), cx) {
            std::task::Poll::Ready(r) => {
                self.stalled = None;
                std::task::Poll::Ready(r)
            }
            std::task::Poll::Pending => {
                let limit = self.limit;
                let timer = self.stalled.get_or_insert_with(|| Box::pin(tokio::time::sleep(limit)));
                if timer.as_mut().poll(cx).is_ready() {
                    return std::task::Poll::Ready(Err(std::io::Error::new(
                        std::io::ErrorKind::TimedOut,
                        "the client stopped reading",
                    )));
                }
                std::task::Poll::Pending
            }
        }
    }
}

impl tokio::io::AsyncRead for Stalling {
    fn poll_read(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.io).poll_read(cx, buf)
    }
}

impl tokio::io::AsyncWrite for Stalling {
    fn poll_write(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &[u8],
    ) -> std::task::Poll<std::io::Result<usize>> {
        self.guard(cx, |io, cx| io.poll_write(cx, buf))
    }

    fn poll_write_vectored(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> std::task::Poll<std::io::Result<usize>> {
        self.guard(cx, |io, cx| io.poll_write_vectored(cx, bufs))
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_flush(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        self.guard(cx, |io, cx| io.poll_flush(cx))
    }

    fn poll_shutdown(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.io).poll_shutdown(cx)
    }
}

/// The hosted witnesses and the peers, from the configuration.
fn witnesses(
    config: &Config,
    demo: bool,
    say: &(dyn Fn(&str) + Sync),
) -> anyhow::Result<crate::Witnesses> {
    let mut out = crate::Witnesses::default();
    let hosted = config.witnesses.clone().unwrap_or_else(|| config.data_dir.join("witnesses"));
    if hosted.is_dir() {
        for (name, dir) in layout::hosted_witnesses(&hosted)? {
            let witness = layout::load_witness(&dir)?;
            say(&format!(
                "hosting the witness {} at /witness/{name}/add-checkpoint",
                witness.signer.verifier().name
            ));
            out.hosted.insert(name, std::sync::Mutex::new(witness));
        }
    } else if config.witnesses.is_some() {
        bail!("witnesses: {} is not a directory", hosted.display());
    }
    let peers = config
        .witness_peers
        .clone()
        .or_else(|| demo.then(|| config.data_dir.join("witness-peers")));
    if let Some(path) = peers {
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        out.peers = parse_peers(&path.display().to_string(), &text)?;
    }
    Ok(out)
}

/// Parses a witness-peers file: one `<submission URL> <vkey>` a line, `#` starts a comment.
pub fn parse_peers(file: &str, text: &str) -> anyhow::Result<Vec<crate::Peer>> {
    let mut peers = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        let (url, vkey) = line
            .split_once(char::is_whitespace)
            .ok_or_else(|| format_err!("{file}:{}: expected `<submission URL> <vkey>`", n + 1))?;
        if !url.starts_with("http://") && !url.starts_with("https://") {
            bail!("{file}:{}: {url:?} is not an http(s) URL", n + 1);
        }
        peers.push(
            crate::Peer::new(url, vkey.trim()).map_err(|e| format_err!("{file}:{}: {e}", n + 1))?,
        );
    }
    Ok(peers)
}

/// Creates `path` empty if missing, readable and writable by its owner only (SQLite gives its journal
/// files the database file's permissions), and restricts it if it exists.
pub fn create_private_file(path: &Path) -> anyhow::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        options.mode(0o600);
        options.open(path).with_context(|| format!("cannot create {}", path.display()))?;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
            .with_context(|| format!("cannot restrict {} to its owner", path.display()))?;
    }
    #[cfg(not(unix))]
    options.open(path).with_context(|| format!("cannot create {}", path.display()))?;
    Ok(())
}

/// Creates `dir` (and its parents) readable by its owner only: the data directory holds the database
/// with the confidential submissions, the log's key and the demo's key files.
pub fn create_private_dir(dir: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
            .with_context(|| format!("cannot restrict {} to its owner", dir.display()))?;
    }
    Ok(())
}

/// Serves with `config` until interrupted.
pub fn serve(config: Config, say: &(dyn Fn(&str) + Sync)) -> anyhow::Result<()> {
    run(config, false, say)
}

/// The demonstration, from any directory: embedded defaults (the seed scenario, Minsk II, a generated
/// mission, a witness per party) in a fresh `<data_dir>/demo` (replaced at every run), on `port`.
pub fn demo(config: Config, port: u16, say: &(dyn Fn(&str) + Sync)) -> anyhow::Result<()> {
    let config = demo_config(config, port);
    if config.data_dir.exists() {
        std::fs::remove_dir_all(&config.data_dir)
            .with_context(|| format!("cannot clear {}", config.data_dir.display()))?;
    }
    run(config, true, say)
}

/// The demonstration's settings from `config`: its own directory and database, listening on `port`,
/// and metrics on `port + 1010` unless the file or `TRUCE_METRICS_LISTEN` chose their address.
fn demo_config(mut config: Config, port: u16) -> Config {
    config.data_dir = config.data_dir.join("demo");
    config.database_url = None;
    config.listen = format!("127.0.0.1:{port}");
    if config.metrics_listen == Config::default().metrics_listen {
        config.metrics_listen = format!("127.0.0.1:{}", port.wrapping_add(1010));
    }
    config
}

fn run(config: Config, demo: bool, say: &(dyn Fn(&str) + Sync)) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async {
        let store = open_store(&config).await?;
        let tokens = if demo { Some(seed(&store).await?) } else { None };
        launch(store, &config, tokens, say).await
    })
}

/// Administration of users, on the configured store (`truce user …`).
pub mod users {
    use super::*;

    /// Runs `f` on the configured store.
    fn on_store<T>(
        config: &Config,
        f: impl AsyncFnOnce(crate::Db) -> anyhow::Result<T>,
    ) -> anyhow::Result<T> {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
        runtime.block_on(async { f(open_store(config).await?).await })
    }

    fn named(name: &str) -> impl FnOnce(truce_store::Error) -> anyhow::Error + '_ {
        move |e| match e {
            truce_store::Error::NotFound => format_err!("no user named {name:?}"),
            e => format_err!("{e}"),
        }
    }

    /// Checks an Ed25519 public key given in hex.
    pub fn check_key(key: &str) -> anyhow::Result<String> {
        truce_watch::entry::parse_key(key).map_err(|e| format_err!("key: {e}"))?;
        Ok(key.to_string())
    }

    /// Adds a user with `role` (and `party`, for a delegate) holding `keys`; returns its new token,
    /// to be shown once.
    pub fn add(
        config: &Config,
        name: &str,
        role: &str,
        party: Option<&str>,
        keys: &[String],
    ) -> anyhow::Result<String> {
        let role = Role::parse(role).ok_or_else(|| {
            format_err!(
                "--role {role:?}: expected one of {}",
                Role::ALL.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(", ")
            )
        })?;
        match (role, party) {
            (Role::PartyDelegate, None) => bail!("--party: a party delegate acts for one party"),
            (r, Some(_)) if r != Role::PartyDelegate => {
                bail!("--party: only a party delegate is bound to a party")
            }
            _ => {}
        }
        let keys = keys.iter().map(|k| check_key(k)).collect::<anyhow::Result<Vec<_>>>()?;
        let token = new_token()?;
        on_store(config, async |store| {
            let user = store.create_user(name, role, party).await?;
            store.add_token(user.id, token_hash(&token), "user add").await?;
            for k in &keys {
                store.add_key(user.id, k).await.map_err(|e| format_err!("key {k}: {e}"))?;
            }
            Ok(())
        })?;
        Ok(token)
    }

    /// Records that user `name` holds `key`.
    pub fn hold_key(config: &Config, name: &str, key: &str) -> anyhow::Result<()> {
        let key = check_key(key)?;
        on_store(config, async |store| {
            let user = store.user_by_name(name).await.map_err(named(name))?;
            store.add_key(user.id, &key).await.map_err(|e| match e {
                truce_store::Error::Conflict(_) => {
                    format_err!("key {key} is already held by a user")
                }
                e => format_err!("{e}"),
            })
        })
    }

    /// Revokes every token of user `name` and ends its web sessions; returns how many tokens.
    pub fn revoke(config: &Config, name: &str) -> anyhow::Result<u64> {
        on_store(config, async |store| {
            let user = store.user_by_name(name).await.map_err(named(name))?;
            Ok(store.revoke_user(user.id).await?)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 24: the lease is a setting, within bounds, named in the error with its line.
    #[test]
    fn the_lease_is_a_setting_within_bounds() {
        let mut c = Config::default();
        c.read_file("truce.toml", "lease_ms = \"5000\"\n").unwrap();
        assert_eq!(c.lease_ms, Some(5000));
        for bad in ["100", "60001", "two seconds"] {
            let e = Config::default()
                .read_file(
                    "truce.toml",
                    &format!("listen = \"127.0.0.1:1\"\nlease_ms = \"{bad}\"\n"),
                )
                .unwrap_err()
                .to_string();
            assert!(e.contains("truce.toml:2") && e.contains("200 to 60000"), "{e}");
        }
    }

    /// Issue 23: `truce demo` put its metrics on port + 1010 whatever `TRUCE_METRICS_LISTEN` said.
    #[test]
    fn the_demo_keeps_a_metrics_address_it_was_given() {
        let chosen = Config { metrics_listen: "127.0.0.1:9999".into(), ..Config::default() };
        assert_eq!(demo_config(chosen, 8080).metrics_listen, "127.0.0.1:9999");
        let default = demo_config(Config::default(), 8080);
        assert_eq!(default.metrics_listen, "127.0.0.1:9090");
        assert_eq!(demo_config(Config::default(), 8081).metrics_listen, "127.0.0.1:9091");
        assert_eq!(default.listen, "127.0.0.1:8080");
        assert!(default.data_dir.ends_with("demo") && default.database_url.is_none());
    }
}
