//! `truce serve` killed with SIGKILL while clients submit signed observations, then restarted, twenty
//! times: every submission it acknowledged (201 with an index) is in the log at that index, byte for byte.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use truce_watch::entry::{Body, Observation, Role, key_hex, sign};

const ROUNDS: usize = 20;
const CLIENTS: u8 = 4;

/// The submissions acknowledged so far: (index, entry).
type Acked = Arc<Mutex<Vec<(u64, Vec<u8>)>>>;

pub(crate) fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

pub(crate) fn truce(dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_truce"));
    c.current_dir(super::root())
        .env("TRUCE_DATA_DIR", dir)
        .env("TRUCE_AGREEMENT", super::root().join("accords/minsk-2015.toml"))
        .env_remove("TRUCE_DATABASE_URL")
        .env_remove("TRUCE_WITNESSES")
        .env_remove("TRUCE_WITNESS_PEERS");
    c
}

/// Starts the server and waits until it answers.
pub(crate) fn start(dir: &Path, agent: &ureq::Agent) -> (Child, String) {
    start_on(dir, agent, free_port(), &[])
}

/// Starts the server on `port` with extra environment, and waits until it answers.
pub(crate) fn start_on(
    dir: &Path,
    agent: &ureq::Agent,
    port: u16,
    envs: &[(&str, String)],
) -> (Child, String) {
    let mut child = truce(dir)
        .arg("serve")
        .envs(envs.iter().map(|(k, v)| (*k, v.as_str())))
        .env("TRUCE_LISTEN", format!("127.0.0.1:{port}"))
        .env("TRUCE_METRICS_LISTEN", "127.0.0.1:0")
        .stdout(Stdio::null())
        // The server's log, kept in its data directory for a failing test to show (and removed
        // with it).
        .stderr(
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(dir.join("server.stderr"))
                .map_or_else(|_| Stdio::null(), Stdio::from),
        )
        .spawn()
        .unwrap();
    let url = format!("http://127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(120);
    while Instant::now() < deadline {
        if agent.get(&format!("{url}/log/checkpoint")).call().is_ok_and(|r| r.status() == 200) {
            return (child, url);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("the server did not start");
}

pub(crate) fn submit(agent: &ureq::Agent, url: &str, token: &str, entry: &[u8]) -> Option<u64> {
    let mut r = agent
        .post(&format!("{url}/v1/entries"))
        .header("authorization", &format!("Bearer {token}"))
        .send(entry)
        .ok()?;
    if r.status() != 201 {
        return None;
    }
    let v: serde_json::Value = serde_json::from_str(&r.body_mut().read_to_string().ok()?).ok()?;
    v["index"].as_u64()
}

/// Every acknowledged entry is at its index in the log the restarted server serves.
fn check(dir: &Path, agent: &ureq::Agent, url: &str, acked: &[(u64, Vec<u8>)]) -> u64 {
    let text = agent
        .get(&format!("{url}/log/checkpoint"))
        .call()
        .unwrap()
        .body_mut()
        .read_to_string()
        .unwrap();
    let note = truce_tlog::note::Note::parse(text.as_bytes()).unwrap();
    let checkpoint = truce_tlog::checkpoint::Checkpoint::parse(&note.text).unwrap();
    let reader = truce_tlog::fs::DirReader { root: dir.join("log") };
    let verifier = truce_tlog::client::TileVerifier::new(&reader, &checkpoint).unwrap();
    let log: Vec<Vec<u8>> = verifier.entries_from(0).map(|e| e.unwrap().1).collect();
    for (index, bytes) in acked {
        assert!(
            *index < checkpoint.size,
            "acknowledged entry {index} is beyond the restarted log's size {}",
            checkpoint.size
        );
        assert_eq!(&log[*index as usize], bytes, "entry {index} differs");
    }
    checkpoint.size
}

#[test]
fn a_server_killed_under_load_loses_no_acknowledged_submission() {
    let dir = std::env::temp_dir().join(format!("truce-kill-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let out = truce(&dir)
        .args(["log", "init"])
        .arg(dir.join("log"))
        .args(["--origin", "kill.test/log"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let key = |b: u8| ed25519_dalek::SigningKey::from_bytes(&[b; 32]);
    // One user holds the mission's key and every client's: the server takes entries signed with a key
    // only from its holder.
    let mut add = truce(&dir);
    add.args(["user", "add", "observer", "--role", "observer"]);
    for b in std::iter::once(1).chain(10..10 + CLIENTS) {
        add.args(["--key", &key_hex(&key(b).verifying_key())]);
    }
    let out = add.output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let token = String::from_utf8(out.stdout).unwrap().trim().to_string();
    // Issue 10, finding 6: truce.db (with the confidential submissions) was created 0644. The data
    // directory is its owner's only, and so is the database.
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(&dir.join("truce.db")), 0o600);
    }
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(20)))
        .build()
        .into();

    let mission = key(1);
    let acked: Acked = Arc::new(Mutex::new(Vec::new()));
    let (mut server, mut url) = start(&dir, &agent);
    let mut setup = vec![sign(&mission, 1, super::mission_body("kill test")).unwrap()];
    for c in 0..CLIENTS {
        setup.push(
            sign(
                &mission,
                u64::from(c) + 2,
                Body::Enrol {
                    key: key_hex(&key(10 + c).verifying_key()),
                    name: format!("observer-{c}"),
                    role: Role::Observer,
                    party: None,
                },
            )
            .unwrap(),
        );
    }
    for e in setup {
        let index = submit(&agent, &url, &token, &e).expect("the setup entries are accepted");
        acked.lock().unwrap().push((index, e));
    }

    let mut kills_mid_batch = 0;
    for round in 0..ROUNDS {
        let stop = Arc::new(AtomicBool::new(false));
        let clients: Vec<_> = (0..CLIENTS)
            .map(|c| {
                let (agent, url, token, acked, stop) =
                    (agent.clone(), url.clone(), token.clone(), acked.clone(), stop.clone());
                std::thread::spawn(move || {
                    let observer = key(10 + c);
                    let mut n = 0u32;
                    while !stop.load(Ordering::Relaxed) {
                        // A distinct observation each time: client, round and sequence in the time.
                        let minute = n % 60;
                        let hour = (n / 60) % 24;
                        let observation = Observation {
                            start: format!("2015-03-{:02}T{hour:02}:{minute:02}:00Z", 1 + round),
                            end: format!("2015-03-{:02}T{hour:02}:{minute:02}:30Z", 1 + round),
                            lat_e6: 48_000_000 + i64::from(c) * 10_000 + i64::from(n % 1000),
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
                        };
                        // Sequence numbers grow across rounds: a kill may have made entries durable
                        // whose acknowledgement was lost, and their numbers are taken.
                        let seq = round as u64 * 1_000_000 + u64::from(n) + 1;
                        let entry = sign(&observer, seq, Body::Observation(observation)).unwrap();
                        match submit(&agent, &url, &token, &entry) {
                            Some(index) => acked.lock().unwrap().push((index, entry)),
                            None => break, // killed, or refused: this client is done
                        }
                        n += 1;
                    }
                })
            })
            .collect();
        // Kill at a different moment each round, while the clients are busy.
        let before = acked.lock().unwrap().len();
        std::thread::sleep(Duration::from_millis(150 + (round as u64 * 37) % 450));
        server.kill().unwrap(); // SIGKILL
        server.wait().unwrap();
        stop.store(true, Ordering::Relaxed);
        for c in clients {
            c.join().unwrap();
        }
        let after = acked.lock().unwrap().len();
        assert!(after > before, "round {round}: no submission was acknowledged before the kill");
        (server, url) = start(&dir, &agent);
        let size = check(&dir, &agent, &url, &acked.lock().unwrap());
        if size > after as u64 {
            kills_mid_batch += 1; // entries journalled whose acknowledgement the kill cut off
        }
    }
    server.kill().unwrap();
    server.wait().unwrap();
    let total = acked.lock().unwrap().len();
    println!(
        "{ROUNDS} SIGKILLs under load: {total} acknowledged submissions, none lost; {kills_mid_batch} kills cut off acknowledgements of entries that were durable"
    );
    std::fs::remove_dir_all(&dir).ok();
}
