//! A throwaway Garage node on loopback: the S3-compatible server the shared log's tests and benchmarks
//! run against. Garage (crates.io `garage`, v2.5.0, with only its `bundled-libs` and `sqlite` features) is
//! installed with `cargo install` when missing.
//!
//! Why Garage rather than `s3s-fs`: it is an object store people run in production, with its own
//! consistency and its own departures from S3 (it ignores `If-None-Match` and `If-Match` on `PUT`),
//! which is what the shared log must be right against; `s3s-fs` is a test double over a directory.
//! It costs about seven minutes to build once, which CI's budget allows.

use std::io::Read;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail, format_err};

/// The version the tests were written against.
const VERSION: &str = "2.5.0";

/// The bucket the node serves.
pub const BUCKET: &str = "truce-test";

/// A running single-node Garage with one bucket and one key; stopped and removed on drop.
pub struct Garage {
    bin: PathBuf,
    dir: PathBuf,
    config: PathBuf,
    child: Child,
    /// The S3 endpoint, `http://127.0.0.1:PORT`.
    pub endpoint: String,
    key_id: String,
    secret: String,
}

fn binary() -> Option<PathBuf> {
    let works = |p: &PathBuf| {
        Command::new(p)
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    let mut candidates = vec![PathBuf::from("garage")];
    if let Some(home) = std::env::var_os("CARGO_HOME") {
        candidates.push(PathBuf::from(home).join("bin/garage"));
    }
    if let Some(home) = std::env::var_os("HOME") {
        candidates.push(PathBuf::from(home).join(".cargo/bin/garage"));
    }
    candidates.into_iter().find(works)
}

fn free_port() -> anyhow::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

impl Garage {
    /// Installs Garage if needed, starts one node, creates the bucket and a key allowed on it.
    pub fn start() -> anyhow::Result<Garage> {
        Garage::start_named(&format!("truce-garage-{}", std::process::id()))
    }

    /// [`Garage::start`] in directories named `name-1`, `name-2`… under the temporary directory (one
    /// per node: a test process may run several).
    pub fn start_named(name: &str) -> anyhow::Result<Garage> {
        let bin = match binary() {
            Some(b) => b,
            None => {
                eprintln!(
                    "xtask: installing Garage {VERSION} for the shared log's tests (about 7 minutes)"
                );
                // Only what a single test node needs: no LMDB, no metrics, no K2V.
                crate::run(crate::quick_install(&mut Command::new(env!("CARGO"))).args([
                    "install",
                    "garage",
                    "--locked",
                    "--version",
                    VERSION,
                    "--no-default-features",
                    "--features",
                    "bundled-libs,sqlite",
                ]))?;
                binary().context("garage installed but not found on PATH or in ~/.cargo/bin")?
            }
        };
        // A node can lose a race for one of its ports (they are picked free, then released), and its RPC
        // can lag behind `node id`: start afresh on new ports, up to three times, naming each failure.
        let mut failures = Vec::new();
        for attempt in 1..=3 {
            match Garage::start_once(&bin, name, attempt) {
                Ok(garage) => return Ok(garage),
                Err(e) => {
                    eprintln!("xtask: Garage attempt {attempt} of 3 failed: {e:#}");
                    failures.push(format!("attempt {attempt}: {e:#}"));
                }
            }
        }
        bail!("Garage did not start in three attempts:\n{}", failures.join("\n"))
    }

    /// One try: a fresh directory and fresh ports, then the layout, the bucket and the key.
    fn start_once(bin: &PathBuf, name: &str, attempt: u32) -> anyhow::Result<Garage> {
        let dir = std::env::temp_dir().join(format!("{name}-{attempt}"));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir)?;
        let (rpc, s3, admin) = (free_port()?, free_port()?, free_port()?);
        let mut secret = [0u8; 32];
        std::fs::File::open("/dev/urandom")?.read_exact(&mut secret)?;
        let secret: String = secret.iter().map(|b| format!("{b:02x}")).collect();
        let config = dir.join("garage.toml");
        std::fs::write(
            &config,
            format!(
                "metadata_dir = \"{meta}\"\n\
                 data_dir = \"{data}\"\n\
                 db_engine = \"sqlite\"\n\
                 replication_factor = 1\n\
                 rpc_bind_addr = \"127.0.0.1:{rpc}\"\n\
                 rpc_public_addr = \"127.0.0.1:{rpc}\"\n\
                 rpc_secret = \"{secret}\"\n\
                 [s3_api]\n\
                 s3_region = \"garage\"\n\
                 api_bind_addr = \"127.0.0.1:{s3}\"\n\
                 root_domain = \".s3.localhost\"\n\
                 [admin]\n\
                 api_bind_addr = \"127.0.0.1:{admin}\"\n",
                meta = dir.join("meta").display(),
                data = dir.join("data").display(),
            ),
        )?;
        let child = Garage::spawn(bin, &dir, &config)?;
        let mut garage = Garage {
            bin: bin.clone(),
            dir,
            config,
            child,
            endpoint: format!("http://127.0.0.1:{s3}"),
            key_id: String::new(),
            secret: String::new(),
        };
        let cli = |args: &[&str]| -> anyhow::Result<String> {
            let out = Command::new(bin).arg("-c").arg(&garage.config).args(args).output()?;
            if !out.status.success() {
                bail!("garage {}: {}", args.join(" "), String::from_utf8_lossy(&out.stderr));
            }
            Ok(String::from_utf8_lossy(&out.stdout).into_owned())
        };
        // Each step that needs the node's RPC is retried until it answers (the node may still be opening
        // its database), while the process lives, for at most 30 s in all.
        let started = Instant::now();
        let mut until_up = |args: &[&str]| -> anyhow::Result<String> {
            loop {
                match cli(args) {
                    Ok(out) => return Ok(out),
                    Err(e) => {
                        let exited = garage.child.try_wait()?;
                        if exited.is_some() || started.elapsed() > Duration::from_secs(30) {
                            let log = std::fs::read_to_string(garage.dir.join("garage.log"))
                                .unwrap_or_default();
                            let state = match exited {
                                Some(status) => format!("the node exited ({status})"),
                                None => "the node did not answer within 30 s".to_string(),
                            };
                            bail!("{e}; {state}; its log:\n{log}")
                        }
                        std::thread::sleep(Duration::from_millis(250));
                    }
                }
            }
        };
        let node = until_up(&["node", "id", "-q"])?;
        let node = node.trim().split('@').next().unwrap_or_default().to_string();
        until_up(&["status"])?;
        until_up(&["layout", "assign", "-z", "dc1", "-c", "1G", &node])?;
        cli(&["layout", "apply", "--version", "1"])?;
        cli(&["bucket", "create", BUCKET])?;
        let key = cli(&["key", "create", "truce-test-key"])?;
        let field = |name: &str| -> anyhow::Result<String> {
            key.lines()
                .find_map(|l| l.trim().strip_prefix(name).map(|v| v.trim().to_string()))
                .ok_or_else(|| format_err!("garage key create printed no {name:?}:\n{key}"))
        };
        garage.key_id = field("Key ID:")?;
        garage.secret = field("Secret key:")?;
        cli(&[
            "bucket",
            "allow",
            "--read",
            "--write",
            "--owner",
            BUCKET,
            "--key",
            "truce-test-key",
        ])?;
        Ok(garage)
    }

    fn spawn(bin: &PathBuf, dir: &std::path::Path, config: &PathBuf) -> anyhow::Result<Child> {
        let log =
            std::fs::OpenOptions::new().create(true).append(true).open(dir.join("garage.log"))?;
        Command::new(bin)
            .arg("-c")
            .arg(config)
            .arg("server")
            .env("RUST_LOG", "warn")
            .stdout(log.try_clone()?)
            .stderr(log)
            .spawn()
            .context("cannot start garage")
    }

    /// Stops the node as an operator would (SIGTERM to its own pid), and waits for it to exit; its
    /// data stays for [`Garage::start_again`].
    pub fn stop(&mut self) -> anyhow::Result<()> {
        let pid = self.child.id().to_string();
        crate::run(Command::new("kill").args(["-TERM", &pid]))?;
        let deadline = Instant::now() + Duration::from_secs(20);
        while self.child.try_wait()?.is_none() {
            if Instant::now() > deadline {
                self.child.kill()?;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(())
    }

    /// Starts the stopped node again on its ports and data, and waits until its S3 API answers.
    pub fn start_again(&mut self) -> anyhow::Result<()> {
        self.child = Garage::spawn(&self.bin, &self.dir, &self.config)?;
        let deadline = Instant::now() + Duration::from_secs(30);
        let address = self.endpoint.trim_start_matches("http://").to_string();
        while std::net::TcpStream::connect(&address).is_err() {
            if let Some(status) = self.child.try_wait()? {
                bail!("garage exited when started again ({status})");
            }
            if Instant::now() > deadline {
                bail!("garage did not listen on {address} within 30 s of starting again");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(())
    }

    /// The environment a client of this node needs (object_store reads the `AWS_*` variables).
    pub fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("TRUCE_TEST_S3_URL", format!("s3://{BUCKET}")),
            ("AWS_ENDPOINT", self.endpoint.clone()),
            ("AWS_ACCESS_KEY_ID", self.key_id.clone()),
            ("AWS_SECRET_ACCESS_KEY", self.secret.clone()),
            ("AWS_REGION", "garage".into()),
            ("AWS_ALLOW_HTTP", "true".into()),
        ]
    }
}

impl Drop for Garage {
    /// Stops the node (this process started it: its own pid) and removes its files.
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
