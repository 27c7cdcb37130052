//! `truce serve` and `truce demo`: the server with its configuration, and a demonstration with embedded
//! defaults. The backend is chosen here, once: SQLite for a path, PostgreSQL for a `postgres://` URL.

use std::future::Future;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, bail, format_err};
use truce_store::{Role, Store, token_hash};

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
    /// The agreement the mission monitors.
    pub agreement: PathBuf,
    /// Witnesses this server hosts: each subdirectory is one made by `truce witness init`, served at
    /// `/witness/<subdirectory>/add-checkpoint`. Default `<data_dir>/witnesses`, when it exists.
    pub witnesses: Option<PathBuf>,
    /// The witnesses this server's log asks to cosign: a file with one `<submission URL> <vkey>` per
    /// line (`#` starts a comment).
    pub witness_peers: Option<PathBuf>,
    /// The URL people reach the server at, behind its TLS-terminating proxy; cookies are `Secure`
    /// when it is https.
    pub public_url: Option<String>,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("listen", &self.listen)
            .field("metrics_listen", &self.metrics_listen)
            .field("data_dir", &self.data_dir)
            .field("database_url", &self.database_url.as_ref().map(|_| "<redacted>"))
            .field("agreement", &self.agreement)
            .field("witnesses", &self.witnesses)
            .field("witness_peers", &self.witness_peers)
            .field("public_url", &self.public_url)
            .finish()
    }
}

impl Config {
    /// The defaults: localhost, `./truce-data`, SQLite, the Minsk II accord.
    pub fn defaults() -> Config {
        Config {
            listen: "127.0.0.1:8080".into(),
            metrics_listen: "127.0.0.1:9090".into(),
            data_dir: PathBuf::from("truce-data"),
            database_url: None,
            agreement: PathBuf::from("accords/minsk-2015.toml"),
            witnesses: None,
            witness_peers: None,
            public_url: None,
        }
    }

    /// Defaults, then the file (if given), then the environment.
    pub fn load(file: Option<&Path>) -> anyhow::Result<Config> {
        let mut c = Config::defaults();
        if let Some(path) = file {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            let table = toml::de::DeTable::parse(&text)
                .map_err(|e| format_err!("{}: {e}", path.display()))?;
            for (key, value) in table.get_ref().iter() {
                let key = key.get_ref();
                let s = value
                    .get_ref()
                    .as_str()
                    .ok_or_else(|| format_err!("{}: {key}: expected a string", path.display()))?;
                match key.as_ref() {
                    "listen" => c.listen = s.into(),
                    "metrics_listen" => c.metrics_listen = s.into(),
                    "data_dir" => c.data_dir = s.into(),
                    "database_url" => c.database_url = Some(s.into()),
                    "agreement" => c.agreement = s.into(),
                    "witnesses" => c.witnesses = Some(s.into()),
                    "witness_peers" => c.witness_peers = Some(s.into()),
                    "public_url" => c.public_url = Some(s.into()),
                    other => bail!(
                        "{}: unknown key `{other}`; expected listen, metrics_listen, data_dir, database_url, agreement, witnesses, witness_peers, public_url",
                        path.display()
                    ),
                }
            }
        }
        let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        if let Some(v) = env("TRUCE_LISTEN") {
            c.listen = v
        }
        if let Some(v) = env("TRUCE_METRICS_LISTEN") {
            c.metrics_listen = v
        }
        if let Some(v) = env("TRUCE_DATA_DIR") {
            c.data_dir = v.into()
        }
        if let Some(v) = env("TRUCE_DATABASE_URL") {
            c.database_url = Some(v)
        }
        if let Some(v) = env("TRUCE_AGREEMENT") {
            c.agreement = v.into()
        }
        if let Some(v) = env("TRUCE_WITNESSES") {
            c.witnesses = Some(v.into())
        }
        if let Some(v) = env("TRUCE_WITNESS_PEERS") {
            c.witness_peers = Some(v.into())
        }
        if let Some(v) = env("TRUCE_PUBLIC_URL") {
            c.public_url = Some(v)
        }
        Ok(c)
    }
}

/// Evaluates `$body` with `$store` bound to the configured store: PostgreSQL for a `postgres://` URL,
/// otherwise SQLite in the data directory. (A macro, because the two stores are different types.)
macro_rules! with_store {
    ($config:expr, |$store:ident| $body:expr) => {
        match &$config.database_url {
            Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
                let $store = truce_store_postgres::Postgres::connect(url)
                    .await
                    .map_err(|e| format_err!("PostgreSQL: {e}"))?;
                $body
            }
            Some(other) => bail!(
                "TRUCE_DATABASE_URL: unsupported scheme in {:?}; expected postgres://",
                other.split(':').next().unwrap_or("")
            ),
            None => {
                let path = $config.data_dir.join("truce.db");
                $crate::serve::create_private_file(&path)?;
                let $store = truce_store_sqlite::Sqlite::open(&path)
                    .await
                    .map_err(|e| format_err!("SQLite: {e}"))?;
                $body
            }
        }
    };
}

/// A new random token: 32 bytes, hex.
fn new_token() -> anyhow::Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| format_err!("no randomness: {e}"))?;
    Ok(format!("truce_{}", bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()))
}

/// What `demo` prepared: the tokens to print.
struct Demo {
    tokens: Vec<(String, String)>,
}

/// Seeds a store for the demo: one user per role (and a delegate per party of the seed), a fresh token
/// for each, the seed scenario, and a Nash-package draft agreement.
async fn seed<S: Store>(store: &S) -> anyhow::Result<Demo> {
    let users: Vec<(&str, Role, Option<&str>)> = vec![
        ("mediator", Role::Mediator, None),
        ("analyst", Role::Analyst, None),
        ("delegate-ukr", Role::PartyDelegate, Some("UKR")),
        ("delegate-rus", Role::PartyDelegate, Some("RUS")),
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
    let seed = std::fs::read_to_string("scenarios/ukraine-2025.toml")
        .context("cannot read scenarios/ukraine-2025.toml (run the demo from the repository)")?;
    store.save_scenario("ukraine-2025", &seed, 1).await?;
    // The draft from the Table's Nash package.
    let (scenario, _) = truce_scenario::parse("ukraine-2025.toml", &seed);
    if let Some(scenario) = scenario
        && let Ok(package) = truce_report::choose_package(&scenario, "nash")
    {
        let day_one =
            truce_report::default_day_one(&scenario).unwrap_or(jiff::civil::date(2026, 1, 1));
        let draft = truce_accord::draft(&scenario, &package, "nash", day_one);
        store.save_agreement("ukraine-2025-nash-draft", &draft).await?;
    }
    Ok(Demo { tokens })
}

/// Opens the log (creating it, and for the demo filling it with a generated mission) and runs the server.
async fn launch<S: Store>(store: S, config: &Config, demo: Option<Demo>) -> anyhow::Result<()> {
    let log_dir = config.data_dir.join("log");
    let agreement_text = std::fs::read_to_string(&config.agreement)
        .with_context(|| format!("cannot read the agreement {}", config.agreement.display()))?;
    if demo.is_some() && !log_dir.join(crate::tlog::LOG_SKEY).exists() {
        let (agreement, diags) =
            truce_accord::parse(&config.agreement.display().to_string(), &agreement_text);
        let agreement = agreement.ok_or_else(|| {
            format_err!("{}", diags.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("\n"))
        })?;
        let mission =
            truce_watch::generate::generate(&agreement, 1, 60).map_err(|e| format_err!("{e}"))?;
        crate::tlog::append_entries(&log_dir, "demo.truce.example/mission", &mission.entries)?;
        let keys = config.data_dir.join("keys");
        create_private_dir(&keys)?;
        for (name, key) in &mission.keys {
            let file = truce_watch::entry::KeyFile { name: name.clone(), key: key.clone() };
            crate::tlog::write_secret(&keys.join(format!("{name}.key")), &file.to_text())?;
            // The demo's users hold the mission's keys: the mediator the mission key, the observer
            // and the verifier every observer and verifier key.
            let holder = match name.split('-').next() {
                Some("mission") => "mediator",
                Some("observer") => "observer",
                Some("verifier") => "verifier",
                _ => continue,
            };
            let user = store.user_by_name(holder).await?;
            store.add_key(user.id, &truce_watch::entry::key_hex(&key.verifying_key())).await?;
        }
    }
    if demo.is_some() && !config.data_dir.join("witnesses").exists() {
        // A witness for each party with a delegate, hosted here, cosigning this log's checkpoints.
        let mut peers =
            String::from("# The witnesses this log asks to cosign: <submission URL> <vkey>\n");
        for party in ["ukr", "rus"] {
            let dir = config.data_dir.join("witnesses").join(party);
            crate::tlog::run_witness(crate::tlog::WitnessCommand::Init {
                dir: dir.clone(),
                name: format!("{party}.witness.demo"),
                log_vkeys: vec![log_dir.join(crate::tlog::LOG_VKEY)],
            })?;
            let vkey = std::fs::read_to_string(dir.join("witness.vkey"))?;
            peers.push_str(&format!("http://{}/witness/{party} {}\n", config.listen, vkey.trim()));
        }
        std::fs::write(config.data_dir.join("witness-peers"), peers)?;
    }
    if !log_dir.join(crate::tlog::LOG_SKEY).exists() {
        crate::tlog::run_log(crate::tlog::LogCommand::Init {
            dir: log_dir.clone(),
            origin: "truce.example/mission".into(),
        })?;
    }
    let signer = crate::tlog::log_signer(&log_dir)?;
    let watch = truce_server::Watch::open(
        &log_dir,
        signer,
        &agreement_text,
        truce_server::default_sequencer(),
    )
    .map_err(|e| format_err!("{}: {e}", log_dir.display()))?;
    let mut state = truce_server::AppState::new(store, Some(watch));
    state.witnesses = witnesses(config, demo.is_some())?;
    state.secure_cookies = config.public_url.as_deref().is_some_and(|u| u.starts_with("https://"));
    let state = Arc::new(state);
    // Index what the log holds for the store's queries (only what is not indexed yet).
    let indexed = truce_server::index_log(&state)
        .await
        .map_err(|e| format_err!("indexing the log: {e:?}"))?;
    if indexed > 0 {
        println!("indexed {indexed} log entries");
    }
    let listener = tokio::net::TcpListener::bind(&config.listen)
        .await
        .with_context(|| format!("cannot listen on {}", config.listen))?;
    let metrics = tokio::net::TcpListener::bind(&config.metrics_listen)
        .await
        .with_context(|| format!("cannot listen on {}", config.metrics_listen))?;
    let url = format!("http://{}", listener.local_addr()?);
    println!("Truce is serving on {url} (metrics on http://{})", metrics.local_addr()?);
    if let Some(demo) = demo {
        println!("\nDemo tokens (shown once; only their hashes are stored):");
        for (who, token) in &demo.tokens {
            println!("  {who:<32} {token}");
        }
        println!("\nTry: curl -H 'Authorization: Bearer <token>' {url}/v1/whoami");
    }
    for p in &state.witnesses.peers {
        println!("asking {} at {} to cosign", p.verifier.name, p.url);
    }
    truce_server::start_cosigning(state.clone());
    let app = truce_server::router(state.clone());
    let metrics_app = truce_server::metrics_router(state);
    let api = axum::serve(listener, app);
    let met = axum::serve(metrics, metrics_app);
    tokio::select! {
        r = api => r.context("the API server stopped")?,
        r = met => r.context("the metrics server stopped")?,
        _ = tokio::signal::ctrl_c() => println!("stopping"),
    }
    Ok(())
}

/// The hosted witnesses and the peers, from the configuration.
fn witnesses(config: &Config, demo: bool) -> anyhow::Result<truce_server::Witnesses> {
    let mut out = truce_server::Witnesses::default();
    let hosted = config.witnesses.clone().unwrap_or_else(|| config.data_dir.join("witnesses"));
    if hosted.is_dir() {
        let mut dirs: Vec<_> = std::fs::read_dir(&hosted)
            .with_context(|| format!("cannot read {}", hosted.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.join("witness.skey").exists())
            .collect();
        dirs.sort();
        for dir in dirs {
            let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
            let witness = crate::tlog::load_witness(&dir)?;
            println!(
                "hosting the witness {} at /witness/{name}/add-checkpoint",
                witness.signer.verifier().name
            );
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
        for (n, line) in text.lines().enumerate() {
            let line = line.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            let (url, vkey) = line.split_once(char::is_whitespace).ok_or_else(|| {
                format_err!("{}:{}: expected `<submission URL> <vkey>`", path.display(), n + 1)
            })?;
            if !url.starts_with("http://") && !url.starts_with("https://") {
                bail!("{}:{}: {url:?} is not an http(s) URL", path.display(), n + 1);
            }
            let peer = truce_server::Peer::new(url, vkey.trim())
                .map_err(|e| format_err!("{}:{}: {e}", path.display(), n + 1))?;
            out.peers.push(peer);
        }
    }
    Ok(out)
}

/// `truce user`.
#[derive(Debug, clap::Subcommand)]
pub enum UserCommand {
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

/// Runs `f` on the configured store, on a fresh single-threaded runtime.
fn on_store<T, F>(config: &Config, f: F) -> anyhow::Result<T>
where
    F: AsyncStoreFn<T>,
{
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    runtime.block_on(async {
        create_private_dir(&config.data_dir)?;
        with_store!(config, |store| f.call(store).await)
    })
}

/// A function of a store (either backend), for [`on_store`].
trait AsyncStoreFn<T> {
    fn call<S: Store>(self, store: S) -> impl Future<Output = anyhow::Result<T>>;
}

/// Checks an Ed25519 public key given in hex.
fn check_key(key: &str) -> anyhow::Result<String> {
    truce_watch::entry::parse_key(key).map_err(|e| format_err!("key: {e}"))?;
    Ok(key.to_string())
}

/// `truce user`.
pub fn user(command: UserCommand) -> anyhow::Result<String> {
    match command {
        UserCommand::Add { name, role, party, keys, config } => {
            let config = Config::load(config.as_deref())?;
            let role = Role::parse(&role).ok_or_else(|| {
                format_err!(
                    "--role {role:?}: expected one of {}",
                    Role::ALL.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(", ")
                )
            })?;
            match (role, &party) {
                (Role::PartyDelegate, None) => {
                    bail!("--party: a party delegate acts for one party")
                }
                (r, Some(_)) if r != Role::PartyDelegate => {
                    bail!("--party: only a party delegate is bound to a party")
                }
                _ => {}
            }
            let keys = keys.iter().map(|k| check_key(k)).collect::<anyhow::Result<Vec<_>>>()?;
            let token = new_token()?;
            struct Add {
                name: String,
                role: Role,
                party: Option<String>,
                keys: Vec<String>,
                token: String,
            }
            impl AsyncStoreFn<()> for Add {
                async fn call<S: Store>(self, store: S) -> anyhow::Result<()> {
                    let user = store
                        .create_user(&self.name, self.role, self.party.as_deref())
                        .await
                        .map_err(|e| format_err!("{e}"))?;
                    store
                        .add_token(user.id, token_hash(&self.token), "user add")
                        .await
                        .map_err(|e| format_err!("{e}"))?;
                    for k in &self.keys {
                        store.add_key(user.id, k).await.map_err(|e| format_err!("key {k}: {e}"))?;
                    }
                    Ok(())
                }
            }
            on_store(&config, Add { name, role, party, keys, token: token.clone() })?;
            Ok(format!("{token}\n"))
        }
        UserCommand::Key { name, key, config } => {
            let config = Config::load(config.as_deref())?;
            let key = check_key(&key)?;
            struct Bind(String, String);
            impl AsyncStoreFn<()> for Bind {
                async fn call<S: Store>(self, store: S) -> anyhow::Result<()> {
                    let user = store.user_by_name(&self.0).await.map_err(|e| match e {
                        truce_store::Error::NotFound => format_err!("no user named {:?}", self.0),
                        e => format_err!("{e}"),
                    })?;
                    store.add_key(user.id, &self.1).await.map_err(|e| match e {
                        truce_store::Error::Conflict(_) => {
                            format_err!("key {} is already held by a user", self.1)
                        }
                        e => format_err!("{e}"),
                    })
                }
            }
            on_store(&config, Bind(name.clone(), key.clone()))?;
            Ok(format!("{name} holds key {key}\n"))
        }
        UserCommand::Revoke { name, config } => {
            let config = Config::load(config.as_deref())?;
            struct Revoke(String);
            impl AsyncStoreFn<u64> for Revoke {
                async fn call<S: Store>(self, store: S) -> anyhow::Result<u64> {
                    let user = store.user_by_name(&self.0).await.map_err(|e| match e {
                        truce_store::Error::NotFound => format_err!("no user named {:?}", self.0),
                        e => format_err!("{e}"),
                    })?;
                    store.revoke_user(user.id).await.map_err(|e| format_err!("{e}"))
                }
            }
            let n = on_store(&config, Revoke(name.clone()))?;
            Ok(format!("revoked {n} token(s) of {name} and ended its sessions\n"))
        }
    }
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

/// `truce serve`.
pub fn serve(config_file: Option<&Path>) -> anyhow::Result<()> {
    let config = Config::load(config_file)?;
    run(config, false)
}

/// `truce demo`: embedded defaults in a fresh `./truce-data/demo` (replaced at every run).
pub fn demo(port: u16) -> anyhow::Result<()> {
    let mut config = Config::load(None)?;
    config.data_dir = config.data_dir.join("demo");
    if config.data_dir.exists() {
        std::fs::remove_dir_all(&config.data_dir)
            .with_context(|| format!("cannot clear {}", config.data_dir.display()))?;
    }
    config.database_url = None;
    config.listen = format!("127.0.0.1:{port}");
    config.metrics_listen = format!("127.0.0.1:{}", port.wrapping_add(1010));
    run(config, true)
}

fn run(config: Config, demo: bool) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async move {
        create_private_dir(&config.data_dir)?;
        with_store!(&config, |store| {
            let d = if demo { Some(seed(&store).await?) } else { None };
            launch(store, &config, d).await
        })
    })
}
