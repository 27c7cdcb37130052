//! Issue 24: the fault campaign, on the real parts. Two `truce serve` share one log on PostgreSQL and
//! Garage, each reaching PostgreSQL through a TCP proxy of its own on loopback, under a steady load of
//! signed submissions (sent to the follower, which forwards them), public reads of both servers (the
//! checkpoint and the tiles that authenticate it, the compliance report, a page), and a witness fed
//! every checkpoint either serves. One fault at a time:
//!
//! - the writer paused (SIGSTOP) for 2× and 10× its lease;
//! - PostgreSQL restarted, and stopped for a while;
//! - Garage stopped for a while;
//! - the writer's link to PostgreSQL delayed by 500 ms, then cut;
//! - the disk of a server's data directory full (one server on SQLite and its own log, on a tmpfs);
//! - the servers' clocks skewed by +30 s and −30 s while the writer is killed.
//!
//! After each: every acknowledged entry is at its index on the bucket, no two checkpoints served
//! disagree (the witness refused none), readers were served throughout (where the fault leaves a
//! server up), writing resumed by itself, and Go's `golang.org/x/mod/sumdb/tlog` verifies the
//! bucket's objects alone: the checkpoint's signature, the tiles against its root, every entry, and
//! each acknowledged entry's inclusion.
//!
//! The suite runs a short version of each fault. `cargo xtask chaos` sets `TRUCE_CHAOS=full` (outages
//! of 60 s, more rounds) and `TRUCE_CHAOS_TABLE` (a file each fault appends its row to), and prints
//! the table.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use truce_tlog::checkpoint::Checkpoint;
use truce_tlog::client::{TileReader, TileVerifier};
use truce_tlog::note::Note;
use xtask::garage::Garage;
use xtask::postgres::Postgres;

use super::failover::{Acked, Cluster, Watched, create_database, failover_bound, published};
use super::kill::{free_port, submit, truce};

/// Whether the full campaign runs (`cargo xtask chaos`), rather than the suite's short version.
fn full() -> bool {
    std::env::var("TRUCE_CHAOS").is_ok_and(|v| v == "full")
}

/// How long an outage lasts: 60 s in the full campaign, a few seconds in the suite.
fn outage() -> Duration {
    if full() { Duration::from_secs(60) } else { Duration::from_secs(5) }
}

/// How long writing may take to resume once a fault has ended before the run fails.
const RESUME_WITHIN: Duration = Duration::from_secs(30);

// ------------------------------------------------------------------------------------------------
// A TCP proxy in front of PostgreSQL's socket.

/// A TCP proxy on loopback in front of a PostgreSQL socket, for one server: it can delay every chunk
/// each way, or cut every connection and refuse new ones until it is healed.
pub(crate) struct Proxy {
    pub(crate) port: u16,
    delay_ms: Arc<AtomicU64>,
    cut: Arc<AtomicBool>,
    open: Arc<Mutex<Vec<(TcpStream, UnixStream)>>>,
}

impl Proxy {
    pub(crate) fn start(socket: PathBuf) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let proxy = Proxy {
            port,
            delay_ms: Arc::new(AtomicU64::new(0)),
            cut: Arc::new(AtomicBool::new(false)),
            open: Arc::new(Mutex::new(Vec::new())),
        };
        let (delay, cut, open) = (proxy.delay_ms.clone(), proxy.cut.clone(), proxy.open.clone());
        std::thread::spawn(move || {
            for client in listener.incoming() {
                let Ok(client) = client else { continue };
                if cut.load(Ordering::SeqCst) {
                    continue; // dropped: the link is down
                }
                let Ok(server) = UnixStream::connect(&socket) else { continue };
                let (Ok(c2), Ok(s2)) = (client.try_clone(), server.try_clone()) else { continue };
                if let (Ok(c3), Ok(s3)) = (client.try_clone(), server.try_clone()) {
                    open.lock().unwrap().push((c3, s3));
                }
                let (d1, d2, k1, k2) = (delay.clone(), delay.clone(), cut.clone(), cut.clone());
                std::thread::spawn(move || pump(client, s2, &d1, &k1));
                std::thread::spawn(move || pump(server, c2, &d2, &k2));
            }
        });
        proxy
    }

    /// Every chunk each way waits `d` from now on.
    pub(crate) fn delay(&self, d: Duration) {
        self.delay_ms.store(d.as_millis() as u64, Ordering::SeqCst);
    }

    /// Cuts the link: every open connection is shut, new ones are dropped until [`Proxy::heal`].
    pub(crate) fn cut(&self) {
        self.cut.store(true, Ordering::SeqCst);
        for (c, s) in self.open.lock().unwrap().drain(..) {
            let _ = c.shutdown(Shutdown::Both);
            let _ = s.shutdown(Shutdown::Both);
        }
    }

    /// No delay, no cut.
    pub(crate) fn heal(&self) {
        self.delay(Duration::ZERO);
        self.cut.store(false, Ordering::SeqCst);
    }
}

/// Copies `from` to `to` chunk by chunk, each after the proxy's delay, until either side closes or
/// the link is cut; then shuts both.
fn pump(
    mut from: impl Read + Shut,
    mut to: impl Write + Shut,
    delay: &AtomicU64,
    cut: &AtomicBool,
) {
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = match from.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        let d = delay.load(Ordering::SeqCst);
        if d > 0 {
            std::thread::sleep(Duration::from_millis(d));
        }
        if cut.load(Ordering::SeqCst) || to.write_all(&buf[..n]).is_err() {
            break;
        }
    }
    from.shut();
    to.shut();
}

trait Shut {
    fn shut(&self);
}
impl Shut for TcpStream {
    fn shut(&self) {
        let _ = self.shutdown(Shutdown::Both);
    }
}
impl Shut for UnixStream {
    fn shut(&self) {
        let _ = self.shutdown(Shutdown::Both);
    }
}

// ------------------------------------------------------------------------------------------------
// Readers.

/// A C2SP client of a server's `/log/` over HTTP, as a party's auditor reads it.
struct Http<'a> {
    agent: &'a ureq::Agent,
    base: String,
}

impl TileReader for Http<'_> {
    fn read(&self, path: &str) -> Result<Option<Vec<u8>>, truce_tlog::Error> {
        let mut r = self
            .agent
            .get(&format!("{}/log/{path}", self.base))
            .call()
            .map_err(|e| truce_tlog::Error::Tile(format!("{path}: {e}")))?;
        match r.status().as_u16() {
            200 => Ok(Some(
                r.body_mut()
                    .with_config()
                    .limit(16 << 20)
                    .read_to_vec()
                    .map_err(|e| truce_tlog::Error::Tile(e.to_string()))?,
            )),
            404 => Ok(None),
            s => Err(truce_tlog::Error::Tile(format!("{path}: HTTP {s}"))),
        }
    }
}

/// What the readers saw while a fault was on.
#[derive(Default)]
struct Reads {
    served: usize,
    failed: Vec<String>,
}

/// One public reader's round on `url`: the signed checkpoint and the tiles that authenticate it, the
/// compliance report, the agreement page. Returns what failed, if anything.
fn read_once(
    agent: &ureq::Agent,
    url: &str,
    key: &truce_tlog::note::NoteVerifier,
) -> Option<String> {
    let get = |path: &str| -> Result<String, String> {
        let mut r =
            agent.get(&format!("{url}{path}")).call().map_err(|e| format!("{path}: {e}"))?;
        if r.status() != 200 {
            return Err(format!("{path}: HTTP {}", r.status()));
        }
        r.body_mut().read_to_string().map_err(|e| format!("{path}: {e}"))
    };
    let run = || -> Result<(), String> {
        let text = get("/log/checkpoint")?;
        let note = Note::parse(text.as_bytes()).map_err(|e| e.to_string())?;
        truce_tlog::note::verify_note(&note, std::slice::from_ref(key))
            .map_err(|e| e.to_string())?;
        let checkpoint = Checkpoint::parse(&note.text).map_err(|e| e.to_string())?;
        let http = Http { agent, base: url.to_string() };
        let verifier = TileVerifier::new(&http, &checkpoint)
            .map_err(|e| format!("tiles of size {}: {e}", checkpoint.size))?;
        if checkpoint.size > 0 {
            verifier
                .entries((checkpoint.size - 1) / 256)
                .map_err(|e| format!("the last entry bundle of size {}: {e}", checkpoint.size))?;
        }
        get("/v1/compliance")?;
        get("/ui/agreement")?;
        Ok(())
    };
    run().err().map(|e| format!("{url}: {e}"))
}

/// Reads every server in `urls` (except the one in `skip`) until `stop`; counts what it was served,
/// and what failed, while `during` is set.
fn readers(
    urls: Vec<String>,
    key: truce_tlog::note::NoteVerifier,
    during: Arc<AtomicBool>,
    skip: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
    reads: Arc<Mutex<Reads>>,
) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(5)))
            .build()
            .into();
        while !stop.load(Ordering::Relaxed) {
            for (i, url) in urls.iter().enumerate() {
                if skip.load(Ordering::SeqCst) == i {
                    continue;
                }
                // A read counts if the fault was on when it began, however long it then takes.
                let on = during.load(Ordering::SeqCst);
                let failed = read_once(&agent, url, &key);
                if on {
                    let mut r = reads.lock().unwrap();
                    match failed {
                        Some(why) => r.failed.push(why),
                        None => r.served += 1,
                    }
                }
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    })
}

// ------------------------------------------------------------------------------------------------
// The services and the rig.

/// The PostgreSQL of a run: the suite's (its socket), or one of the run's own that it may stop.
enum Pg {
    Suite { url: String },
    Own(Postgres),
}

impl Pg {
    fn url(&self) -> String {
        match self {
            Pg::Suite { url } => url.clone(),
            Pg::Own(pg) => pg.url(),
        }
    }

    /// The socket the proxies connect to (from the URL's `host=` directory).
    fn socket(&self) -> PathBuf {
        let url = self.url();
        let host = url.split("host=").nth(1).expect("a socket URL").split('&').next().unwrap();
        Path::new(host).join(".s.PGSQL.5432")
    }

    fn own(&self) -> &Postgres {
        match self {
            Pg::Own(pg) => pg,
            Pg::Suite { .. } => panic!("this fault needs the run's own PostgreSQL"),
        }
    }
}

/// What a fault does to the rig, round by round; each round returns the moment from which the time
/// until writing resumed is counted (the fault's end, or its start when writing should not stop).
struct Rig {
    name: String,
    /// The database's name in the cluster.
    db: String,
    cluster: Cluster,
    servers: Servers,
    proxies: [Proxy; 2],
    pg: Pg,
    garage: Option<Garage>,
    acked: Acked,
    target: Arc<Mutex<usize>>,
    during: Arc<AtomicBool>,
    skip: Arc<AtomicUsize>,
    skews: [Option<&'static str>; 2],
    /// The time writing stopped, when the fault measured it itself (see [`Rig::run`]).
    measured: Option<Duration>,
}

/// The servers of a run, killed however the run ends (a failing assertion too).
pub(crate) struct Servers(pub(crate) Vec<Option<Child>>);

impl Drop for Servers {
    fn drop(&mut self) {
        for s in self.0.iter_mut().flatten() {
            // Our own children, by their own pid; a stopped one is killed too.
            let _ = s.kill();
            let _ = s.wait();
        }
    }
}

/// One row of the campaign's table.
#[derive(serde::Serialize)]
struct Row {
    fault: String,
    rounds: usize,
    acknowledged: usize,
    lost: usize,
    forks: usize,
    refusals: usize,
    reads_served: usize,
    reads_failed: usize,
    recovery_ms: Vec<u128>,
    log_size: u64,
    go_check: String,
}

impl Rig {
    /// Starts PostgreSQL (the suite's, or the run's own when `own_pg`), Garage (the run's own when
    /// `own_garage`), a proxy per server, both servers (server 0 first: it writes), the load, the
    /// readers and the witness.
    fn new(name: &str, own_pg: bool, own_garage: bool, skews: [Option<&'static str>; 2]) -> Rig {
        let tag = format!("{name}_{}", std::process::id());
        let pg = if own_pg {
            Pg::Own(Postgres::start_named(&format!("truce-chaos-pg-{tag}")).unwrap())
        } else {
            Pg::Suite {
                url: std::env::var("TRUCE_TEST_POSTGRES_URL").expect(
                    "TRUCE_TEST_POSTGRES_URL is not set: run the tests with `cargo xtask test`, which starts PostgreSQL",
                ),
            }
        };
        let database = create_database(&pg.url(), &tag);
        let (garage, s3, s3_env) = if own_garage {
            let g = Garage::start_named(&format!("truce-chaos-garage-{tag}")).unwrap();
            let env: Vec<(String, String)> =
                g.env().into_iter().map(|(k, v)| (k.to_string(), v)).collect();
            let s3 = env.iter().find(|(k, _)| k == "TRUCE_TEST_S3_URL").unwrap().1.clone();
            (Some(g), s3, env)
        } else {
            let s3 = std::env::var("TRUCE_TEST_S3_URL").expect(
                "TRUCE_TEST_S3_URL is not set: run the tests with `cargo xtask test`, which starts Garage on loopback",
            );
            (None, s3, Vec::new())
        };
        let cluster = Cluster::on(&tag, database.clone(), &s3, s3_env);
        let proxies = [Proxy::start(pg.socket()), Proxy::start(pg.socket())];
        let mut rig = Rig {
            name: name.to_string(),
            db: tag.clone(),
            cluster,
            servers: Servers(vec![None, None]),
            proxies,
            pg,
            garage,
            acked: Arc::new(Mutex::new(Vec::new())),
            target: Arc::new(Mutex::new(1)),
            during: Arc::new(AtomicBool::new(false)),
            skip: Arc::new(AtomicUsize::new(usize::MAX)),
            skews,
            measured: None,
        };
        rig.servers.0[0] = Some(rig.start(0));
        std::thread::sleep(Duration::from_millis(500));
        rig.servers.0[1] = Some(rig.start(1));
        rig.cluster.setup(1, &rig.acked);
        rig
    }

    /// Starts server `i`: its database through its proxy, its clock skewed as the run says.
    fn start(&self, i: usize) -> Child {
        let through = format!("postgres://postgres@127.0.0.1:{}/{}", self.proxies[i].port, self.db);
        let mut extra = vec![("TRUCE_DATABASE_URL", through)];
        if let Some(skew) = self.skews[i] {
            extra.push(("LD_PRELOAD", libfaketime()));
            extra.push(("FAKETIME", skew.to_string()));
            extra.push(("FAKETIME_DONT_FAKE_MONOTONIC", "1".into()));
        }
        self.cluster.start_with(i, &extra)
    }

    /// The server holding a live lease, by PostgreSQL's clock (its public URL is its name).
    fn writer(&self) -> Option<usize> {
        let holder: Option<String> = query(
            &self.cluster.database,
            "SELECT holder FROM tlog_lease WHERE expires > clock_timestamp()",
        );
        holder.and_then(|h| self.cluster.urls.iter().position(|u| *u == h))
    }

    /// The lease's fencing token now.
    fn token(&self) -> i64 {
        query(&self.cluster.database, "SELECT token FROM tlog_lease").unwrap_or_default()
    }

    /// Waits until the clients have had `n` more acknowledgements through `via` after `since`.
    fn acked_through(&self, via: usize, since: Instant, n: usize) {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let got =
                self.acked.lock().unwrap().iter().filter(|a| a.2 > since && a.3 == via).count();
            if got >= n {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "{}: the clients were not served by server {via}",
                self.name
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// The time from `from` until the next acknowledgement after it (failing after [`RESUME_WITHIN`]).
    fn resumed(&self, from: Instant) -> Duration {
        let deadline = Instant::now().max(from) + RESUME_WITHIN;
        loop {
            let next = self.acked.lock().unwrap().iter().map(|a| a.2).filter(|t| *t > from).min();
            if let Some(t) = next {
                return t - from;
            }
            assert!(
                Instant::now() < deadline,
                "{}: writing did not resume within {} s of the fault's end",
                self.name,
                RESUME_WITHIN.as_secs()
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Runs `rounds` of `fault` under load, then checks everything and records the row.
    fn run(
        mut self,
        fault: &str,
        rounds: usize,
        readers_served_throughout: bool,
        mut inject: impl FnMut(&mut Rig, usize) -> Instant,
    ) {
        let stop = Arc::new(AtomicBool::new(false));
        let seen = Arc::new(Mutex::new(Watched::default()));
        let watcher = self.cluster.watch(&stop, &seen);
        let streaks = Arc::new(Mutex::new(Vec::<Duration>::new()));
        let clients = self.cluster.clients(&self.target, &self.acked, &stop, &streaks);
        let reads = Arc::new(Mutex::new(Reads::default()));
        let reader = readers(
            self.cluster.urls.clone(),
            self.cluster.log_key.clone(),
            self.during.clone(),
            self.skip.clone(),
            stop.clone(),
            reads.clone(),
        );
        std::thread::sleep(Duration::from_millis(1500));
        let mut recoveries = Vec::new();
        for round in 0..rounds {
            let from = inject(&mut self, round);
            // Readers are counted until writing has resumed, not only while the fault is on.
            let resumed = self.resumed(from);
            recoveries.push(self.measured.take().unwrap_or(resumed));
            self.during.store(false, Ordering::SeqCst);
            self.skip.store(usize::MAX, Ordering::SeqCst);
            std::thread::sleep(Duration::from_millis(1000));
        }
        stop.store(true, Ordering::Relaxed);
        let refusals: usize = clients.into_iter().map(|c| c.join().unwrap()).sum();
        reader.join().unwrap();
        let (size, lost) = self.lost();
        std::thread::sleep(Duration::from_millis(300));
        watcher.join().unwrap();
        let seen = seen.lock().unwrap();
        let go = go_check(
            &self.cluster.bucket(),
            &self.cluster.log_key.vkey(),
            &self.acked,
            &self.cluster.base,
        );
        let reads = reads.lock().unwrap();
        let acknowledged = self.acked.lock().unwrap().len();
        let row = Row {
            fault: fault.to_string(),
            rounds,
            acknowledged,
            lost,
            forks: seen.failures.len(),
            refusals,
            reads_served: reads.served,
            reads_failed: reads.failed.len(),
            recovery_ms: recoveries.iter().map(|d| d.as_millis()).collect(),
            log_size: size,
            go_check: go.clone(),
        };
        record(&row);
        assert_eq!(lost, 0, "{fault}: acknowledged entries lost");
        assert!(seen.failures.is_empty(), "{fault}: {:#?}", seen.failures);
        if readers_served_throughout {
            assert!(reads.served > 0, "{fault}: no reader was served while the fault was on");
            assert!(
                reads.failed.is_empty(),
                "{fault}: readers were refused while the fault was on ({} served): {:#?}",
                reads.served,
                &reads.failed[..reads.failed.len().min(10)]
            );
        }
        drop(self.servers);
        std::fs::remove_dir_all(&self.cluster.base).ok();
    }

    /// Waits until the bucket's checkpoint holds every acknowledged entry, then counts those not at
    /// their index, reading the bucket alone. Returns the checkpoint's size and that count.
    fn lost(&self) -> (u64, usize) {
        let within = truce_server::ledger::PUBLISH_WITHIN + RESUME_WITHIN;
        published(&self.cluster.bucket(), &self.cluster.log_key, &self.acked, within)
    }

    /// Sends `sig` to server `i` (our own child, by its pid).
    fn signal(&self, i: usize, sig: &str) {
        let pid = self.servers.0[i].as_ref().unwrap().id().to_string();
        let ok = Command::new("kill").args([sig, &pid]).status().unwrap().success();
        assert!(ok, "kill {sig} {pid}");
    }

    /// Moves the clients to the follower of `writer`, and waits until it serves them.
    fn clients_leave(&self, writer: usize) {
        let since = Instant::now();
        *self.target.lock().unwrap() = 1 - writer;
        self.acked_through(1 - writer, since, 8);
        std::thread::sleep(Duration::from_millis(200));
    }

    fn writer_now(&self) -> usize {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(w) = self.writer() {
                return w;
            }
            assert!(Instant::now() < deadline, "{}: nobody holds the lease", self.name);
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// One value from PostgreSQL, or `None` (no row, or the database unreachable).
fn query<T>(url: &str, sql: &'static str) -> Option<T>
where
    T: for<'r> sqlx::Decode<'r, sqlx::Postgres> + sqlx::Type<sqlx::Postgres> + Send + Unpin,
{
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        use sqlx::Connection;
        let mut c = sqlx::PgConnection::connect(url).await.ok()?;
        sqlx::query_scalar::<_, T>(sql).fetch_optional(&mut c).await.ok().flatten()
    })
}

/// Appends the row to `TRUCE_CHAOS_TABLE` when set, and prints it.
fn record(row: &Row) {
    let line = serde_json::to_string(row).unwrap();
    println!("chaos: {line}");
    if let Ok(path) = std::env::var("TRUCE_CHAOS_TABLE") {
        let mut f = std::fs::OpenOptions::new().create(true).append(true).open(path).unwrap();
        writeln!(f, "{line}").unwrap();
    }
}

// ------------------------------------------------------------------------------------------------
// The independent check, in Go.

/// The Go checker, built once per test process from `tests/go/tlogcheck.go` against Debian's
/// golang.org/x/mod (`GO111MODULE=off`, `GOPATH=/usr/share/gocode`: no download).
fn tlogcheck() -> &'static Path {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT.get_or_init(|| {
        let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("tlogcheck-{}", std::process::id()));
        let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/go/tlogcheck.go");
        let built = Command::new("go")
            .args(["build", "-o"])
            .arg(&out)
            .arg(&source)
            .env("GO111MODULE", "off")
            .env("GOPATH", "/usr/share/gocode")
            .env("GOFLAGS", "-mod=mod")
            .current_dir(env!("CARGO_TARGET_TMPDIR"))
            .output()
            .expect("go is not installed: run the tests with `cargo xtask test`, which installs Debian's golang-go and golang-golang-x-mod-dev");
        assert!(built.status.success(), "go build tlogcheck: {}", String::from_utf8_lossy(&built.stderr));
        out
    })
}

/// Copies the bucket's objects to a directory and has Go's tlog verify them, with every acknowledged
/// entry; then shows that the check can fail: one byte of an entry bundle changed is refused.
/// Returns the checker's summary line.
fn go_check(
    bucket: &truce_tlog_shared::BucketReader,
    vkey: &str,
    acked: &Acked,
    base: &Path,
) -> String {
    let dir = base.join("bucket-copy");
    let _ = std::fs::remove_dir_all(&dir);
    let copied = bucket.copy_all_to(&dir).unwrap();
    go_check_dir(&dir, vkey, acked, base, copied)
}

fn go_check_dir(dir: &Path, vkey: &str, acked: &Acked, base: &Path, files: usize) -> String {
    use base64::Engine;
    std::fs::write(base.join("log.vkey"), vkey).unwrap();
    let mut lines = String::new();
    for (index, bytes, _, _) in acked.lock().unwrap().iter() {
        lines.push_str(&format!(
            "{index} {}\n",
            base64::engine::general_purpose::STANDARD.encode(bytes)
        ));
    }
    std::fs::write(base.join("acked.txt"), lines).unwrap();
    let check = |d: &Path| {
        Command::new(tlogcheck())
            .arg(d)
            .arg(base.join("log.vkey"))
            .arg(base.join("acked.txt"))
            .output()
            .unwrap()
    };
    let out = check(dir);
    assert!(
        out.status.success(),
        "Go's tlog refused the bucket: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let summary = String::from_utf8_lossy(&out.stdout).trim().to_string();
    // The same check fails on a copy whose entry bundles each have one byte changed.
    fn flip_every_file(d: &Path) {
        for e in std::fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                flip_every_file(&p);
            } else {
                let mut bytes = std::fs::read(&p).unwrap();
                if let Some(last) = bytes.last_mut() {
                    *last ^= 1;
                }
                std::fs::write(&p, bytes).unwrap();
            }
        }
    }
    let tiles_only = base.join("bucket-copy-tiles");
    let _ = std::fs::remove_dir_all(&tiles_only);
    super::failover::copy_dir(dir, &tiles_only);
    flip_every_file(&dir.join("tile/entries"));
    assert!(!check(dir).status.success(), "Go's tlog accepted a changed entry bundle");
    // And on one whose level-0 hash tiles each have one byte changed.
    flip_every_file(&tiles_only.join("tile/0"));
    assert!(!check(&tiles_only).status.success(), "Go's tlog accepted a changed hash tile");
    let _ = std::fs::remove_dir_all(&tiles_only);
    let _ = std::fs::remove_dir_all(dir);
    format!("{summary} ({files} objects)")
}

fn count_files(d: &Path) -> usize {
    std::fs::read_dir(d)
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            if p.is_dir() { count_files(&p) } else { 1 }
        })
        .sum()
}

/// Debian's libfaketime, which the clock-skew fault preloads into the servers.
fn libfaketime() -> String {
    let candidates = [
        "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1",
        "/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1",
    ];
    candidates
        .iter()
        .find(|p| Path::new(p).exists())
        .expect("libfaketime is not installed: run the tests with `cargo xtask test`, which installs Debian's faketime")
        .to_string()
}

// ------------------------------------------------------------------------------------------------
// The faults.

#[test]
fn chaos_the_writer_paused_past_its_lease_steps_down_and_follows() {
    let rig = Rig::new("paused", false, false, [None, None]);
    let times: &[u32] = &[2, 10];
    let rounds = if full() { 6 } else { 2 };
    rig.run("writer paused (SIGSTOP) 2x and 10x its lease", rounds, true, |rig, round| {
        let times = times[round % 2];
        let writer = rig.writer_now();
        rig.clients_leave(writer);
        // A paused server cannot answer readers either: they read the other.
        rig.skip.store(writer, Ordering::SeqCst);
        rig.during.store(true, Ordering::SeqCst);
        let paused_at = Instant::now();
        rig.signal(writer, "-STOP");
        std::thread::sleep(truce_server::ledger::LEASE_TTL * times);
        let follower_size = checkpoint_size(&rig.cluster.agent, &rig.cluster.urls[1 - writer]);
        rig.signal(writer, "-CONT");
        // It steps down and follows: it serves the new writer's checkpoint.
        let deadline = Instant::now() + Duration::from_secs(15);
        while checkpoint_size(&rig.cluster.agent, &rig.cluster.urls[writer]) < follower_size {
            assert!(Instant::now() < deadline, "the resumed server does not follow");
            std::thread::sleep(Duration::from_millis(50));
        }
        let gap =
            longest_gap(&rig.acked, paused_at, paused_at + truce_server::ledger::LEASE_TTL * times);
        assert!(
            gap <= failover_bound(),
            "a {times}x pause held writing up for {} ms",
            gap.as_millis()
        );
        rig.measured = Some(gap);
        paused_at
    });
}

/// The longest stretch without an acknowledgement from `from` on, over the acknowledgements up to
/// `to` and the first one after it (waited for, up to [`RESUME_WITHIN`]).
fn longest_gap(acked: &Acked, from: Instant, to: Instant) -> Duration {
    let deadline = Instant::now() + RESUME_WITHIN;
    let after = loop {
        if let Some(t) = acked.lock().unwrap().iter().map(|a| a.2).filter(|t| *t >= to).min() {
            break t;
        }
        if Instant::now() > deadline {
            break Instant::now();
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let mut times: Vec<Instant> =
        acked.lock().unwrap().iter().map(|a| a.2).filter(|t| *t > from && *t < to).collect();
    times.sort();
    std::iter::once(from)
        .chain(times)
        .chain(std::iter::once(after))
        .collect::<Vec<_>>()
        .windows(2)
        .map(|w| w[1] - w[0])
        .max()
        .unwrap_or_default()
}

fn checkpoint_size(agent: &ureq::Agent, url: &str) -> u64 {
    let Ok(mut r) = agent.get(&format!("{url}/log/checkpoint")).call() else { return 0 };
    let text = r.body_mut().read_to_string().unwrap_or_default();
    text.lines().nth(1).and_then(|l| l.parse().ok()).unwrap_or(0)
}

#[test]
fn chaos_postgres_restarted() {
    let rig = Rig::new("pg_restart", true, false, [None, None]);
    let rounds = if full() { 5 } else { 1 };
    rig.run("PostgreSQL restarted", rounds, true, |rig, _| {
        rig.during.store(true, Ordering::SeqCst);
        rig.pg.own().restart().unwrap();
        Instant::now()
    });
}

#[test]
fn chaos_postgres_stopped() {
    let rig = Rig::new("pg_stop", true, false, [None, None]);
    let rounds = if full() { 2 } else { 1 };
    let fault = format!("PostgreSQL stopped for {} s", outage().as_secs());
    rig.run(&fault, rounds, true, |rig, _| {
        rig.during.store(true, Ordering::SeqCst);
        rig.pg.own().stop().unwrap();
        std::thread::sleep(outage());
        rig.pg.own().start_again().unwrap();
        Instant::now()
    });
}

#[test]
fn chaos_garage_stopped() {
    let rig = Rig::new("garage_stop", false, true, [None, None]);
    let rounds = if full() { 2 } else { 1 };
    let fault = format!("Garage stopped for {} s", outage().as_secs());
    rig.run(&fault, rounds, true, |rig, _| {
        rig.during.store(true, Ordering::SeqCst);
        rig.garage.as_mut().unwrap().stop().unwrap();
        std::thread::sleep(outage());
        rig.garage.as_mut().unwrap().start_again().unwrap();
        Instant::now()
    });
}

#[test]
fn chaos_the_writer_s_link_to_postgres_delayed_then_cut() {
    let rig = Rig::new("link", false, false, [None, None]);
    let rounds = if full() { 3 } else { 1 };
    let (slow, cut) = if full() {
        (Duration::from_secs(20), Duration::from_secs(30))
    } else {
        (Duration::from_secs(8), Duration::from_secs(4))
    };
    let delay = Duration::from_millis(500);
    rig.run("the writer's link to PostgreSQL delayed 500 ms, then cut", rounds, true, |rig, _| {
        let writer = rig.writer_now();
        rig.during.store(true, Ordering::SeqCst);
        let slowed = Instant::now();
        rig.proxies[writer].delay(delay);
        std::thread::sleep(slow);
        // Writing did not stall for as long as the link was slow: the slow writer writes slowly, or
        // its transactions are ended (PostgreSQL ends one idle for IDLE_IN_TRANSACTION), it steps down
        // and the other server takes the lease. (Measured: about a failover, 4 s, in the suite's
        // single round; up to 9.4 s in a later round of the full campaign, not yet explained. The
        // README's table gives the figure.)
        let stall = longest_gap(&rig.acked, slowed, Instant::now());
        println!(
            "chaos: the writer's link slowed by {} ms each way: the longest stall {} ms",
            delay.as_millis(),
            stall.as_millis()
        );
        assert!(
            stall < slow,
            "a slow link to the writer stalled writing for {} ms, the whole of the slow phase",
            stall.as_millis()
        );
        let at = Instant::now();
        rig.proxies[writer].cut();
        let gap = rig.resumed(at);
        assert!(
            gap <= failover_bound(),
            "a cut link to the writer stalled writing for {} ms",
            gap.as_millis()
        );
        rig.measured = Some(stall.max(gap));
        std::thread::sleep(cut.saturating_sub(at.elapsed()));
        rig.proxies[writer].heal();
        at
    });
}

#[test]
fn chaos_clocks_skewed_by_30_s_either_way() {
    let rig = Rig::new("skew", false, false, [Some("+30s"), Some("-30s")]);
    // The servers' clocks are skewed: their answers' Date headers say so.
    for (i, want) in [(0usize, 30i64), (1, -30)] {
        let r = rig
            .cluster
            .agent
            .get(&format!("{}/log/checkpoint", rig.cluster.urls[i]))
            .call()
            .unwrap();
        let date = r.headers().get("date").unwrap().to_str().unwrap().to_string();
        let served = httpdate(&date);
        let now =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs()
                as i64;
        assert!(
            (served - now - want).abs() <= 3,
            "server {i}'s clock is {} s off, not {want}",
            served - now
        );
    }
    // With no fault, the lease does not move: its expiry is judged by PostgreSQL's clock alone.
    let before = rig.token();
    std::thread::sleep(truce_server::ledger::LEASE_TTL * 3);
    assert_eq!(rig.token(), before, "the lease moved between servers with skewed clocks");
    let rounds = if full() { 6 } else { 2 };
    rig.run("clocks skewed +30 s and -30 s, the writer killed", rounds, false, |rig, _| {
        let writer = rig.writer_now();
        rig.clients_leave(writer);
        let at = Instant::now();
        let mut child = rig.servers.0[writer].take().unwrap();
        child.kill().unwrap(); // SIGKILL, our own child
        child.wait().unwrap();
        // The longest stretch without an acknowledgement after the kill (an answer the killed writer
        // sent just before it died may arrive just after: the first one alone says nothing).
        std::thread::sleep(failover_bound());
        let gap = longest_gap(&rig.acked, at, at + failover_bound());
        assert!(gap <= failover_bound(), "skewed clocks: failover took {} ms", gap.as_millis());
        rig.measured = Some(gap);
        rig.servers.0[writer] = Some(rig.start(writer));
        at
    });
}

/// Seconds since the epoch of an HTTP date (`Sun, 06 Nov 1994 08:49:37 GMT`).
fn httpdate(s: &str) -> i64 {
    let parts: Vec<&str> = s.split_whitespace().collect();
    let months =
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let month = months.iter().position(|m| *m == parts[2]).unwrap() as i8 + 1;
    let hms: Vec<i8> = parts[4].split(':').map(|x| x.parse().unwrap()).collect();
    let dt = jiff::civil::date(parts[3].parse().unwrap(), month, parts[1].parse().unwrap())
        .at(hms[0], hms[1], hms[2], 0);
    jiff::tz::TimeZone::UTC.to_timestamp(dt).unwrap().as_second()
}

// ------------------------------------------------------------------------------------------------
// The full disk: one server on SQLite with its own log, its data directory on a small tmpfs.

/// A tmpfs mounted for the run, unmounted however it ends.
struct Tmpfs(PathBuf);

impl Drop for Tmpfs {
    fn drop(&mut self) {
        // Lazily: a thread of a failed run may still hold a file open in it.
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
        let _ = std::fs::remove_dir(&self.0);
    }
}

#[test]
fn chaos_the_data_directory_s_disk_full() {
    let base = std::env::temp_dir().join(format!("truce-chaos-disk-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&base);
    std::fs::create_dir_all(&base).unwrap();
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=48m", "tmpfs"])
        .arg(&base)
        .output()
        .unwrap();
    assert!(
        mounted.status.success(),
        "this test mounts a 48 MiB tmpfs for the data directory (it needs root, as CI has): {}",
        String::from_utf8_lossy(&mounted.stderr)
    );
    let _tmpfs = Tmpfs(base.clone());
    let dir = base.join("data");
    let out = truce(&dir)
        .args(["log", "init"])
        .arg(dir.join("log"))
        .args(["--origin", "disk.test/log"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let key = super::failover::key;
    let mut add = truce(&dir);
    add.args(["user", "add", "observer", "--role", "observer"]);
    for b in [1u8, 10, 11] {
        add.args(["--key", &truce_watch::entry::key_hex(&key(b).verifying_key())]);
    }
    let out = add.output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let token = String::from_utf8(out.stdout).unwrap().trim().to_string();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into();
    let port = free_port();
    let url = format!("http://127.0.0.1:{port}");
    let servers = Servers(vec![Some(super::kill::start_on(&dir, &agent, port, &[]).0)]);
    let acked: Acked = Arc::new(Mutex::new(Vec::new()));
    let log_key = truce_tlog::note::NoteVerifier::parse(
        std::fs::read_to_string(dir.join("log/log.vkey")).unwrap().trim(),
    )
    .unwrap();
    // The mission's entries, then two clients.
    let setup = super::failover::setup_entries("disk test");
    for e in setup {
        let index = submit(&agent, &url, &token, &e).expect("the setup entries are accepted");
        acked.lock().unwrap().push((index, e, Instant::now(), 0));
    }
    let stop = Arc::new(AtomicBool::new(false));
    let seen = Arc::new(Mutex::new(Watched::default()));
    let watcher = {
        let (urls, key, storage, stop, seen) = (
            vec![url.clone()],
            log_key.clone(),
            format!("file://{}", dir.join("log").display()),
            stop.clone(),
            seen.clone(),
        );
        std::thread::spawn(move || {
            super::failover::watch_checkpoints(urls, key, storage, Vec::new(), stop, seen)
        })
    };
    let refused = Arc::new(AtomicUsize::new(0));
    let clients: Vec<_> = (0..2u8)
        .map(|c| {
            let (agent, url, token, acked, stop, refused) = (
                agent.clone(),
                url.clone(),
                token.clone(),
                acked.clone(),
                stop.clone(),
                refused.clone(),
            );
            std::thread::spawn(move || {
                let observer = key(10 + c);
                let mut n = 0u32;
                while !stop.load(Ordering::Relaxed) {
                    n += 1;
                    let entry = truce_watch::entry::sign(
                        &observer,
                        u64::from(n),
                        truce_watch::entry::Body::Observation(super::failover::observation(c, n)),
                    )
                    .unwrap();
                    match submit(&agent, &url, &token, &entry) {
                        Some(index) => {
                            acked.lock().unwrap().push((index, entry, Instant::now(), 0));
                            std::thread::sleep(Duration::from_millis(5));
                        }
                        None => {
                            refused.fetch_add(1, Ordering::Relaxed);
                            std::thread::sleep(Duration::from_millis(50));
                        }
                    }
                }
            })
        })
        .collect();
    let during = Arc::new(AtomicBool::new(false));
    let reads = Arc::new(Mutex::new(Reads::default()));
    let reader = readers(
        vec![url.clone()],
        log_key.clone(),
        during.clone(),
        Arc::new(AtomicUsize::new(usize::MAX)),
        stop.clone(),
        reads.clone(),
    );
    let rounds = if full() { 3 } else { 1 };
    let hold = if full() { Duration::from_secs(30) } else { Duration::from_secs(3) };
    let mut recoveries = Vec::new();
    let mut refused_while_full = 0;
    std::thread::sleep(Duration::from_millis(1500));
    for _ in 0..rounds {
        // Fill the disk: a file grown until the filesystem refuses.
        let filler = base.join("filler");
        {
            let mut f = std::fs::File::create(&filler).unwrap();
            let block = vec![0u8; 1 << 20];
            while f.write_all(&block).is_ok() {}
            let _ = f.sync_all();
        }
        during.store(true, Ordering::SeqCst);
        let before = refused.load(Ordering::Relaxed);
        std::thread::sleep(hold);
        refused_while_full += refused.load(Ordering::Relaxed) - before;
        std::fs::remove_file(&filler).unwrap();
        during.store(false, Ordering::SeqCst);
        let freed = Instant::now();
        let deadline = freed + RESUME_WITHIN;
        let gap = loop {
            if let Some(t) = acked.lock().unwrap().iter().map(|a| a.2).filter(|t| *t > freed).min()
            {
                break t - freed;
            }
            assert!(Instant::now() < deadline, "writing did not resume after the disk was freed");
            std::thread::sleep(Duration::from_millis(10));
        };
        recoveries.push(gap);
        std::thread::sleep(Duration::from_millis(1000));
    }
    stop.store(true, Ordering::Relaxed);
    for c in clients {
        c.join().unwrap();
    }
    reader.join().unwrap();
    std::thread::sleep(Duration::from_millis(300));
    watcher.join().unwrap();
    // Every acknowledged entry at its index, in the log on the (once full) disk.
    let reader = truce_tlog::fs::DirReader { root: dir.join("log") };
    let within = truce_server::ledger::PUBLISH_WITHIN + Duration::from_secs(5);
    let (size, lost) = published(&reader, &log_key, &acked, within);
    drop(servers);
    let seen = seen.lock().unwrap();
    let reads = reads.lock().unwrap();
    // The copy and the checker's files outside the (once full) tmpfs.
    let outside =
        std::env::temp_dir().join(format!("truce-chaos-disk-check-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&outside);
    let copy = outside.join("log-copy");
    super::failover::copy_dir(&dir.join("log"), &copy);
    let _ = std::fs::remove_dir_all(copy.join(".state"));
    let files = count_files(&copy);
    let go = go_check_dir(&copy, &log_key.vkey(), &acked, &outside, files);
    let _ = std::fs::remove_dir_all(&outside);
    let row = Row {
        fault: "the data directory's disk full (SQLite and the log on a 48 MiB tmpfs)".into(),
        rounds,
        acknowledged: acked.lock().unwrap().len(),
        lost,
        forks: seen.failures.len(),
        refusals: refused.load(Ordering::Relaxed),
        reads_served: reads.served,
        reads_failed: reads.failed.len(),
        recovery_ms: recoveries.iter().map(|d| d.as_millis()).collect(),
        log_size: size,
        go_check: go,
    };
    record(&row);
    assert_eq!(lost, 0, "acknowledged entries lost on a full disk");
    assert!(seen.failures.is_empty(), "{:#?}", seen.failures);
    assert!(refused_while_full > 0, "the disk was full and every submission was still accepted");
    assert!(
        reads.failed.is_empty(),
        "readers were refused while the disk was full: {:#?}",
        &reads.failed[..reads.failed.len().min(10)]
    );
}
