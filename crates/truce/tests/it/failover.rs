//! Issue 13: two `truce serve` share one log (tiles in Garage, the record, journal and lease in
//! PostgreSQL, users in PostgreSQL too) while two clients submit signed observations; the writer is
//! SIGKILLed twenty times and restarted as a follower. No acknowledged submission is lost, every
//! checkpoint either server serves extends the ones before, and a witness fed every new checkpoint
//! never refuses one. `cargo xtask test` starts Garage and PostgreSQL; without them this test fails.

use std::path::Path;
use std::process::Child;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use truce_tlog::checkpoint::Checkpoint;
use truce_tlog::client::TileVerifier;
use truce_tlog::note::{Note, NoteSigner, NoteVerifier};
use truce_tlog::witness::{MemoryWitnessStore, Witness};
use truce_watch::entry::{Body, Observation, Role, key_hex, sign};

use super::kill::{free_port, start_on, submit, truce};

const KILLS: usize = 20;
const CLIENTS: u8 = 2;

/// Acknowledged submissions: (index, entry, when, by which server).
pub(crate) type Acked = Arc<Mutex<Vec<(u64, Vec<u8>, Instant, usize)>>>;

pub(crate) fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

pub(crate) fn create_database(base: &str, name: &str) -> String {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        use sqlx::Connection;
        let mut admin = sqlx::PgConnection::connect(base).await.expect("connect to PostgreSQL");
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&mut admin)
            .await
            .unwrap();
    });
    base.replacen("/postgres?", &format!("/{name}?"), 1)
}

pub(crate) fn observation(client: u8, n: u32) -> Observation {
    Observation {
        start: format!("2015-03-{:02}T{:02}:{:02}:00Z", 1 + (n / 1440) % 28, (n / 60) % 24, n % 60),
        end: format!("2015-03-{:02}T{:02}:{:02}:30Z", 1 + (n / 1440) % 28, (n / 60) % 24, n % 60),
        lat_e6: 48_000_000 + i64::from(client) * 10_000,
        lon_e6: 38_000_000,
        controlled_by: "UKR".into(),
        sensor: "heard".into(),
        class: "explosion".into(),
        count: 1 + n,
        approximate: false,
        bearing_deg: None,
        distance_m: None,
        weapon: None,
        media: vec![],
        note: String::new(),
    }
}

/// What the checkpoint watcher saw.
#[derive(Default)]
pub(crate) struct Watched {
    /// Checkpoints the witness cosigned.
    pub(crate) cosigned: usize,
    /// Refusals by the witness, and inconsistencies: each a failure.
    pub(crate) failures: Vec<String>,
    /// Served checkpoints older than the newest seen, checked consistent with it.
    pub(crate) older: usize,
}

/// Feeds every new checkpoint either server serves to a witness, with a consistency proof from the
/// bucket's tiles, as a party's witness would receive it; checks older ones against the newest.
pub(crate) fn watch_checkpoints(
    urls: Vec<String>,
    log_key: NoteVerifier,
    storage_url: String,
    options: Vec<(String, String)>,
    stop: Arc<AtomicBool>,
    seen: Arc<Mutex<Watched>>,
) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(5)))
        .build()
        .into();
    let options: Vec<(&str, &str)> =
        options.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let bucket = truce_tlog_shared::BucketReader::open(&storage_url, &options).unwrap();
    let mut witness = Witness {
        signer: NoteSigner::generate("witness.failover.test", truce_tlog::note::COSIGNATURE_V1)
            .unwrap(),
        logs: std::collections::HashMap::from([(log_key.name.clone(), log_key.clone())]),
        store: MemoryWitnessStore::default(),
    };
    let mut newest: Option<Checkpoint> = None;
    while !stop.load(Ordering::Relaxed) {
        for url in &urls {
            let Ok(mut r) = agent.get(&format!("{url}/log/checkpoint")).call() else { continue };
            let Ok(text) = r.body_mut().read_to_string() else { continue };
            let Ok(note) = Note::parse(text.as_bytes()) else { continue };
            let fail =
                |seen: &Arc<Mutex<Watched>>, why: String| seen.lock().unwrap().failures.push(why);
            if truce_tlog::note::verify_note(&note, std::slice::from_ref(&log_key)).is_err() {
                fail(&seen, format!("{url} served a checkpoint the log's key did not sign"));
                continue;
            }
            let c = Checkpoint::parse(&note.text).unwrap();
            match &newest {
                Some(n) if c.size == n.size && c.root == n.root => continue,
                Some(n) if c.size <= n.size => {
                    // An older checkpoint (a follower a moment behind): it must be a prefix. (The
                    // bucket may be unreachable for a while: the next turn checks it.)
                    let Ok(verifier) = TileVerifier::new(&bucket, n) else { continue };
                    match truce_tlog::client::check_consistency(&verifier, &c) {
                        Ok(()) => seen.lock().unwrap().older += 1,
                        Err(e) => fail(
                            &seen,
                            format!(
                                "{url} served size {} inconsistent with {}: {e}",
                                c.size, n.size
                            ),
                        ),
                    }
                    continue;
                }
                _ => {}
            }
            let old = newest.as_ref().map_or(0, |n| n.size);
            let proof = if old == 0 {
                Vec::new()
            } else {
                let proof = TileVerifier::new(&bucket, &c)
                    .and_then(|v| truce_tlog::merkle::consistency_proof(&v, old, c.size));
                let Ok(proof) = proof else { continue }; // the bucket unreachable: next turn
                proof
            };
            let body = truce_tlog::witness::add_checkpoint_request(old, &proof, &note);
            match witness.add_checkpoint(&body, 1_764_460_800) {
                Ok(_) => seen.lock().unwrap().cosigned += 1,
                Err(refusal) => fail(
                    &seen,
                    format!(
                        "the witness answered {} to size {} from {url}: {}",
                        refusal.status, c.size, refusal.body
                    ),
                ),
            }
            newest = Some(c);
        }
        std::thread::sleep(Duration::from_millis(30));
    }
}

#[test]
fn issue13_the_writer_killed_twenty_times_loses_nothing_and_never_forks() {
    let cluster = Cluster::new("failover");
    let (urls, token, agent) = (cluster.urls.clone(), cluster.token.clone(), cluster.agent.clone());
    let (log_key, storage_url) = (cluster.log_key.clone(), cluster.storage_url.clone());
    let start = |i: usize| cluster.start(i);
    // A starts first and creates the log; B follows.
    let mut servers = [Some(start(0)), None];
    servers[1] = Some(start(1));
    let acked: Acked = Arc::new(Mutex::new(Vec::new()));
    cluster.setup(0, &acked);

    let stop = Arc::new(AtomicBool::new(false));
    let seen = Arc::new(Mutex::new(Watched::default()));
    let watcher = {
        let (urls, key, url, stop, seen) =
            (urls.clone(), log_key.clone(), storage_url.clone(), stop.clone(), seen.clone());
        std::thread::spawn(move || watch_checkpoints(urls, key, url, Vec::new(), stop, seen))
    };
    // The writer, as the clients last found it.
    let writer = Arc::new(Mutex::new(0usize));
    let clients: Vec<_> = (0..CLIENTS)
        .map(|c| {
            let (agent, urls, token, acked, stop, writer) = (
                agent.clone(),
                urls.clone(),
                token.clone(),
                acked.clone(),
                stop.clone(),
                writer.clone(),
            );
            std::thread::spawn(move || {
                let observer = key(10 + c);
                let mut n = 0u32;
                while !stop.load(Ordering::Relaxed) {
                    // A fresh sequence number for every attempt: a submission cut off by a kill may
                    // have become durable, and its number is then taken.
                    n += 1;
                    let entry = sign(&observer, u64::from(n), Body::Observation(observation(c, n)))
                        .unwrap();
                    let target = *writer.lock().unwrap();
                    match submit(&agent, &urls[target], &token, &entry) {
                        Some(index) => {
                            acked.lock().unwrap().push((index, entry, Instant::now(), target));
                            // A steady load, not a flood: every restarted server replays the log.
                            std::thread::sleep(Duration::from_millis(2));
                        }
                        None => {
                            // Refused by a follower, or the writer is gone: try the other server.
                            *writer.lock().unwrap() = 1 - target;
                            std::thread::sleep(Duration::from_millis(20));
                        }
                    }
                }
            })
        })
        .collect();

    let mut gaps = Vec::new();
    for round in 0..KILLS {
        std::thread::sleep(Duration::from_millis(300 + (round as u64 * 53) % 500));
        // Kill whichever server acknowledged last: the writer.
        let victim = acked.lock().unwrap().last().unwrap().3;
        let killed_at = Instant::now();
        let mut child = servers[victim].take().unwrap();
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        // The next acknowledgement comes from the other server, once it has taken the lease.
        let deadline = killed_at + Duration::from_secs(30);
        let gap = loop {
            let next = acked.lock().unwrap().iter().rev().map(|a| a.2).find(|t| *t > killed_at);
            if let Some(t) = next {
                break t - killed_at;
            }
            assert!(
                Instant::now() < deadline,
                "round {round}: nothing acknowledged 30 s after the kill"
            );
            std::thread::sleep(Duration::from_millis(10));
        };
        gaps.push(gap);
        servers[victim] = Some(start(victim));
    }
    stop.store(true, Ordering::Relaxed);
    for c in clients {
        c.join().unwrap();
    }
    // Every acknowledged submission reaches the bucket, and is there at its index, read with no
    // database.
    let size = cluster.check_acknowledged(&acked);
    watcher.join().unwrap();
    for s in servers.iter_mut().flatten() {
        s.kill().unwrap();
        s.wait().unwrap();
    }
    let acked = acked.lock().unwrap();
    let seen = seen.lock().unwrap();
    assert!(seen.failures.is_empty(), "{:#?}", seen.failures);
    gaps.sort();
    println!(
        "{KILLS} writer kills under load: {} acknowledged submissions, none lost; log size {size}; the witness cosigned {} checkpoints and refused none; {} older checkpoints served were prefixes of the newest; kill to next acknowledgement: median {} ms, worst {} ms",
        acked.len(),
        seen.cosigned,
        seen.older,
        gaps[gaps.len() / 2].as_millis(),
        gaps.last().unwrap().as_millis()
    );
    std::fs::remove_dir_all(&cluster.base).ok();
}

/// Two `truce serve` of one log on Garage and PostgreSQL (fresh database and prefix), their user
/// `observer` holding the mission key (1) and one key per client (10, 11, …).
pub(crate) struct Cluster {
    pub(crate) dirs: [std::path::PathBuf; 2],
    pub(crate) urls: Vec<String>,
    ports: [u16; 2],
    pub(crate) database: String,
    pub(crate) storage_url: String,
    pub(crate) token: String,
    pub(crate) log_key: NoteVerifier,
    pub(crate) agent: ureq::Agent,
    pub(crate) base: std::path::PathBuf,
    /// The object store's settings for the servers (`AWS_*`), when not the suite's Garage.
    pub(crate) s3_env: Vec<(String, String)>,
    /// The same, as object_store's options for a reader of the bucket.
    pub(crate) bucket_options: Vec<(String, String)>,
}

pub(crate) fn key(b: u8) -> ed25519_dalek::SigningKey {
    ed25519_dalek::SigningKey::from_bytes(&[b; 32])
}

impl Cluster {
    /// A cluster on the suite's PostgreSQL and Garage.
    pub(crate) fn new(name: &str) -> Cluster {
        let s3 = std::env::var("TRUCE_TEST_S3_URL").expect(
            "TRUCE_TEST_S3_URL is not set: run the tests with `cargo xtask test`, which starts Garage on loopback",
        );
        let pg = std::env::var("TRUCE_TEST_POSTGRES_URL").expect(
            "TRUCE_TEST_POSTGRES_URL is not set: run the tests with `cargo xtask test`, which starts PostgreSQL",
        );
        let name = format!("{name}_{}", std::process::id());
        let database = create_database(&pg, &name);
        Cluster::on(&name, database, &s3, Vec::new())
    }

    /// A cluster named `name` on the database at `database` and the bucket at `s3` (`s3://bucket`),
    /// whose servers get `s3_env` (the `AWS_*` settings of that bucket's store) over the suite's.
    pub(crate) fn on(
        name: &str,
        database: String,
        s3: &str,
        s3_env: Vec<(String, String)>,
    ) -> Cluster {
        let storage_url = format!("{}/{name}", s3.trim_end_matches('/'));
        let base = std::env::temp_dir().join(format!("truce-{name}"));
        let _ = std::fs::remove_dir_all(&base);
        let dirs = [base.join("a"), base.join("b")];
        let out = truce(&dirs[0])
            .args(["log", "init"])
            .arg(dirs[0].join("log"))
            .args(["--origin", "cluster.test/log"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        copy_dir(&dirs[0].join("log"), &dirs[1].join("log"));
        let log_key = NoteVerifier::parse(
            std::fs::read_to_string(dirs[0].join("log/log.vkey")).unwrap().trim(),
        )
        .unwrap();
        let mut add = truce(&dirs[0]);
        add.envs(s3_env.iter().map(|(k, v)| (k, v)))
            .env("TRUCE_DATABASE_URL", &database)
            .args(["user", "add", "observer", "--role", "observer"]);
        for b in std::iter::once(1).chain(10..10 + CLIENTS) {
            add.args(["--key", &key_hex(&key(b).verifying_key())]);
        }
        let out = add.output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let token = String::from_utf8(out.stdout).unwrap().trim().to_string();
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(30)))
            .build()
            .into();
        let ports = [free_port(), free_port()];
        let urls = ports.iter().map(|p| format!("http://127.0.0.1:{p}")).collect();
        let bucket_options = s3_env
            .iter()
            .filter_map(|(k, v)| {
                let key = match k.as_str() {
                    "AWS_ENDPOINT" => "aws_endpoint",
                    "AWS_ACCESS_KEY_ID" => "aws_access_key_id",
                    "AWS_SECRET_ACCESS_KEY" => "aws_secret_access_key",
                    "AWS_REGION" => "aws_region",
                    "AWS_ALLOW_HTTP" => "aws_allow_http",
                    _ => return None,
                };
                Some((key.to_string(), v.clone()))
            })
            .collect();
        Cluster {
            dirs,
            urls,
            ports,
            database,
            storage_url,
            token,
            log_key,
            agent,
            base,
            s3_env,
            bucket_options,
        }
    }

    /// Starts server `i` and waits until it answers.
    pub(crate) fn start(&self, i: usize) -> Child {
        self.start_with(i, &[])
    }

    /// [`Cluster::start`] with more environment (a clock's skew).
    pub(crate) fn start_with(&self, i: usize, extra: &[(&str, String)]) -> Child {
        let mut envs: Vec<(&str, String)> = vec![
            ("TRUCE_DATABASE_URL", self.database.clone()),
            ("TRUCE_STORAGE_URL", self.storage_url.clone()),
            ("TRUCE_PUBLIC_URL", self.urls[i].clone()),
        ];
        envs.extend(self.s3_env.iter().map(|(k, v)| (k.as_str(), v.clone())));
        envs.extend(extra.iter().cloned());
        start_on(&self.dirs[i], &self.agent, self.ports[i], &envs).0
    }

    /// A reader of the cluster's bucket, with no database.
    pub(crate) fn bucket(&self) -> truce_tlog_shared::BucketReader {
        let options: Vec<(&str, &str)> =
            self.bucket_options.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        truce_tlog_shared::BucketReader::open(&self.storage_url, &options).unwrap()
    }

    /// A checkpoint watcher with a witness (see [`watch_checkpoints`]) over both servers, until `stop`.
    pub(crate) fn watch(
        &self,
        stop: &Arc<AtomicBool>,
        seen: &Arc<Mutex<Watched>>,
    ) -> std::thread::JoinHandle<()> {
        let (urls, key, url, options, stop, seen) = (
            self.urls.clone(),
            self.log_key.clone(),
            self.storage_url.clone(),
            self.bucket_options.clone(),
            stop.clone(),
            seen.clone(),
        );
        std::thread::spawn(move || watch_checkpoints(urls, key, url, options, stop, seen))
    }

    /// The mission's first entries (its declaration and the clients' keys), sent to server `via`.
    pub(crate) fn setup(&self, via: usize, acked: &Acked) {
        for e in setup_entries("cluster test") {
            let index = submit(&self.agent, &self.urls[via], &self.token, &e)
                .expect("the setup entries are accepted");
            acked.lock().unwrap().push((index, e, Instant::now(), via));
        }
    }

    /// Clients that write to `target` until `stop`; each records its acknowledgements, and the longest
    /// it went refused (from a refusal to the next acknowledgement) into `streaks`.
    pub(crate) fn clients(
        &self,
        target: &Arc<Mutex<usize>>,
        acked: &Acked,
        stop: &Arc<AtomicBool>,
        streaks: &Arc<Mutex<Vec<Duration>>>,
    ) -> Vec<std::thread::JoinHandle<usize>> {
        (0..CLIENTS)
            .map(|c| {
                let (agent, urls, token, acked, stop, target, streaks) = (
                    self.agent.clone(),
                    self.urls.clone(),
                    self.token.clone(),
                    acked.clone(),
                    stop.clone(),
                    target.clone(),
                    streaks.clone(),
                );
                std::thread::spawn(move || {
                    let observer = key(10 + c);
                    let (mut n, mut refused, mut since, mut worst) =
                        (0u32, 0usize, None::<Instant>, Duration::ZERO);
                    while !stop.load(Ordering::Relaxed) {
                        n += 1;
                        let entry =
                            sign(&observer, u64::from(n), Body::Observation(observation(c, n)))
                                .unwrap();
                        let to = *target.lock().unwrap();
                        match submit(&agent, &urls[to], &token, &entry) {
                            Some(index) => {
                                acked.lock().unwrap().push((index, entry, Instant::now(), to));
                                if let Some(s) = since.take() {
                                    worst = worst.max(s.elapsed());
                                }
                                std::thread::sleep(Duration::from_millis(5));
                            }
                            None => {
                                refused += 1;
                                since.get_or_insert_with(Instant::now);
                                std::thread::sleep(Duration::from_millis(50));
                            }
                        }
                    }
                    streaks.lock().unwrap().push(worst);
                    refused
                })
            })
            .collect()
    }

    /// Waits until the bucket's checkpoint holds every acknowledged entry (within the promise), then
    /// checks each at its index, reading the bucket alone.
    pub(crate) fn check_acknowledged(&self, acked: &Acked) -> u64 {
        let within = truce_server::ledger::PUBLISH_WITHIN;
        let (size, lost) = published(&self.bucket(), &self.log_key, acked, within);
        assert_eq!(lost, 0, "acknowledged entries not at their index in a log of {size}");
        size
    }
}

/// The mission's first entries, signed with the mission key (1): its declaration named `name`, then
/// the enrolment of each client's key (10, 11, …) as an observer.
pub(crate) fn setup_entries(name: &str) -> Vec<Vec<u8>> {
    let mission = key(1);
    let mut setup = vec![sign(&mission, 1, super::mission_body(name)).unwrap()];
    for c in 0..CLIENTS {
        let enrol = Body::Enrol {
            key: key_hex(&key(10 + c).verifying_key()),
            name: format!("observer-{c}"),
            role: Role::Observer,
            party: None,
        };
        setup.push(sign(&mission, u64::from(c) + 2, enrol).unwrap());
    }
    setup
}

/// Waits, for at most `within`, until `reader`'s checkpoint (signed by `key`) holds every acknowledged
/// entry, then reads the log through it, each tile authenticated. Returns the checkpoint's size and how
/// many acknowledged entries are not at their index.
pub(crate) fn published(
    reader: &dyn truce_tlog::client::TileReader,
    key: &NoteVerifier,
    acked: &Acked,
    within: Duration,
) -> (u64, usize) {
    let last = acked.lock().unwrap().iter().map(|a| a.0).max().unwrap();
    let deadline = Instant::now() + within;
    let checkpoint = loop {
        let (_, c) = truce_tlog::client::signed_checkpoint(reader, key).unwrap();
        if c.size > last {
            break c;
        }
        assert!(Instant::now() < deadline, "entry {last} not published within {within:?}");
        std::thread::sleep(Duration::from_millis(50));
    };
    let verifier = TileVerifier::new(reader, &checkpoint).unwrap();
    let log: Vec<Vec<u8>> = verifier.entries_from(0).map(|e| e.unwrap().1).collect();
    let lost = acked
        .lock()
        .unwrap()
        .iter()
        .filter(|(index, bytes, _, _)| log.get(*index as usize) != Some(bytes))
        .count();
    (checkpoint.size, lost)
}

/// The lease's life, then the new writer opening the log (integrating the journal): about 2 s, with a
/// margin for a loaded machine.
pub(crate) fn failover_bound() -> Duration {
    truce_server::ledger::LEASE_TTL + Duration::from_secs(2)
}

/// Issue 24: clients that write only to a follower are served by the writer through it, and a
/// writer's death is not an error they see: the follower waits for the lease to move (or takes it)
/// and answers. Two servers; the clients write to the one that does not hold the lease; the writer is
/// SIGKILLed, restarted as a follower, and becomes the clients' target, five times over.
#[test]
fn issue24_clients_writing_only_to_a_follower_never_see_a_refusal_longer_than_the_failover() {
    const ROUNDS: usize = 5;
    let cluster = Cluster::new("forward");
    // A starts first and writes; B follows, and the clients write to B.
    let mut servers = [Some(cluster.start(0)), None];
    std::thread::sleep(Duration::from_millis(500));
    servers[1] = Some(cluster.start(1));
    let acked: Acked = Arc::new(Mutex::new(Vec::new()));
    cluster.setup(1, &acked); // through the follower, from the start
    let target = Arc::new(Mutex::new(1usize));
    let stop = Arc::new(AtomicBool::new(false));
    let streaks = Arc::new(Mutex::new(Vec::<Duration>::new()));
    let clients = cluster.clients(&target, &acked, &stop, &streaks);
    let mut writer = 0usize;
    for round in 0..ROUNDS {
        std::thread::sleep(Duration::from_millis(700 + (round as u64 * 97) % 400));
        let before = acked.lock().unwrap().len();
        let mut child = servers[writer].take().unwrap();
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        // The clients' follower takes over; the dead writer comes back as a follower and becomes
        // the clients' target.
        let deadline = Instant::now() + Duration::from_secs(30);
        while acked.lock().unwrap().len() < before + 10 {
            assert!(Instant::now() < deadline, "round {round}: the clients stalled");
            std::thread::sleep(Duration::from_millis(20));
        }
        servers[writer] = Some(cluster.start(writer));
        *target.lock().unwrap() = writer;
        writer = 1 - writer;
    }
    std::thread::sleep(Duration::from_millis(500));
    stop.store(true, Ordering::Relaxed);
    let refusals: usize = clients.into_iter().map(|c| c.join().unwrap()).sum();
    cluster.check_acknowledged(&acked);
    for s in servers.iter_mut().flatten() {
        s.kill().unwrap();
        s.wait().unwrap();
    }
    let worst = streaks.lock().unwrap().iter().copied().max().unwrap();
    println!(
        "{ROUNDS} writer kills, clients writing only to followers: {} acknowledged (every one on the log), {refusals} refusals, the longest a client went refused: {} ms (failover bound {} ms)",
        acked.lock().unwrap().len(),
        worst.as_millis(),
        failover_bound().as_millis()
    );
    assert!(worst <= failover_bound(), "a client was refused for {} ms", worst.as_millis());
    std::fs::remove_dir_all(&cluster.base).ok();
}
