//! Issue 24: `truce backup` takes a consistent copy of a running server's data while observers write,
//! and `truce restore` brings it back: the restored log audits, holds every entry acknowledged before
//! the backup began, and is served with the old tokens. A damaged backup is refused before anything
//! is written, and private keys are copied only when asked.

use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::Value;
use truce_watch::entry::{Body, KeyFile, sign};

/// Acknowledged submissions: (index, entry).
type Acked = Arc<Mutex<Vec<(u64, Vec<u8>)>>>;

fn truce(args: &[&str], data: &std::path::Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_truce"))
        .args(args)
        .env("TRUCE_DATA_DIR", data)
        .env_remove("TRUCE_DATABASE_URL")
        .env_remove("TRUCE_STORAGE_URL")
        .env_remove("TRUCE_WITNESSES")
        .output()
        .unwrap()
}

fn ok(out: &std::process::Output, what: &str) -> String {
    assert!(
        out.status.success(),
        "{what}:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).to_string()
}

#[test]
fn a_backup_of_a_running_server_restores_and_audits() {
    let base = std::env::temp_dir().join(format!("truce-backup-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&base);
    let data = base.join("data");
    let recorded = super::upgrade::newest_fixture(&data);
    let agent: ureq::Agent =
        ureq::Agent::config_builder().http_status_as_error(false).build().into();
    let (mut server, url) = super::kill::start_on(&data, &agent, super::kill::free_port(), &[]);
    let token = |who: &str| recorded["tokens"][who].as_str().unwrap().to_string();

    // An observer writes all along; each acknowledged entry is kept with its index.
    let observer =
        KeyFile::parse(&std::fs::read_to_string(data.join("keys/observer-1.key")).unwrap())
            .unwrap()
            .key;
    let acked: Acked = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let (acked, stop, url, agent, token) =
            (acked.clone(), stop.clone(), url.clone(), agent.clone(), token("observer"));
        std::thread::spawn(move || {
            for n in 0u64.. {
                if stop.load(Ordering::Relaxed) {
                    break;
                }
                let observation = super::failover::observation(0, n as u32);
                // Far above the fixture's own sequence numbers.
                let entry = sign(&observer, 1_000_000 + n, Body::Observation(observation)).unwrap();
                if let Some(index) = super::kill::submit(&agent, &url, &token, &entry) {
                    acked.lock().unwrap().push((index, entry));
                }
            }
        })
    };
    while acked.lock().unwrap().len() < 20 {
        std::thread::sleep(Duration::from_millis(20));
    }
    let before: Vec<(u64, Vec<u8>)> = acked.lock().unwrap().clone();

    // Without private keys: none is copied.
    let public = base.join("public");
    let out = truce(&["backup", public.to_str().unwrap(), "--format", "json"], &data);
    let manifest: Value = serde_json::from_str(&ok(&out, "backup")).unwrap();
    let files: Vec<&String> = manifest["files"].as_object().unwrap().keys().collect();
    assert!(files.iter().all(|f| !f.ends_with(".skey") && !f.starts_with("keys/")), "{files:?}");
    assert!(
        files.contains(&&"truce.db".to_string()) && files.contains(&&"log/checkpoint".to_string())
    );
    // With them, for a restore that serves.
    let full = base.join("full");
    let out = truce(
        &["backup", full.to_str().unwrap(), "--with-private-keys", "--format", "json"],
        &data,
    );
    let manifest: Value = serde_json::from_str(&ok(&out, "backup --with-private-keys")).unwrap();
    stop.store(true, Ordering::Relaxed);
    writer.join().unwrap();
    let size = manifest["log_size"].as_u64().unwrap();
    let _ = server.kill();
    let _ = server.wait();
    // Into a non-empty directory: refused.
    let out = truce(&["backup", full.to_str().unwrap()], &data);
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not empty"), "{out:?}");

    // A damaged copy is refused, naming the file, and nothing is written.
    let damaged = base.join("damaged");
    super::failover::copy_dir(&full, &damaged);
    let tile = damaged.join("log/tile/0/000");
    let mut bytes = std::fs::read(&tile).unwrap();
    bytes[7] ^= 1;
    std::fs::write(&tile, bytes).unwrap();
    let into = base.join("never");
    let out = truce(&["restore", damaged.to_str().unwrap(), into.to_str().unwrap()], &data);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("tile/0/000") && err.contains("SHA-256"), "{err}");
    assert!(!into.exists(), "nothing written");

    // The restore: the log audits at the manifest's size and holds every entry acknowledged before
    // the backup began.
    let restored = base.join("restored");
    ok(&truce(&["restore", full.to_str().unwrap(), restored.to_str().unwrap()], &data), "restore");
    ok(&truce(&["log", "audit", restored.join("log").to_str().unwrap()], &data), "audit");
    let reader = truce_tlog::fs::DirReader { root: restored.join("log") };
    let vkey = truce_tlog::layout::read_vkey(&restored.join("log/log.vkey")).unwrap();
    let (_, checkpoint) = truce_tlog::client::signed_checkpoint(&reader, &vkey).unwrap();
    assert_eq!(checkpoint.size, size);
    let verifier = truce_tlog::client::TileVerifier::new(&reader, &checkpoint).unwrap();
    let log: Vec<Vec<u8>> = verifier.entries_from(0).map(|e| e.unwrap().1).collect();
    for (index, entry) in &before {
        assert_eq!(log.get(*index as usize), Some(entry), "entry {index}, acknowledged before");
    }
    // Served again, with the old tokens, at the restored size.
    let (mut server, url) = super::kill::start_on(&restored, &agent, super::kill::free_port(), &[]);
    let mut r = agent
        .get(&format!("{url}/v1/whoami"))
        .header("authorization", &format!("Bearer {}", token("mediator")))
        .call()
        .unwrap();
    assert_eq!(r.status(), 200, "{}", r.body_mut().read_to_string().unwrap());
    let served = agent
        .get(&format!("{url}/log/checkpoint"))
        .call()
        .unwrap()
        .body_mut()
        .read_to_string()
        .unwrap();
    assert_eq!(served.lines().nth(1).unwrap().parse::<u64>().unwrap(), size);
    let _ = server.kill();
    let _ = server.wait();
    std::fs::remove_dir_all(&base).ok();
}

/// Issue 24: the procedure `docs/operations.md` gives for several servers (PostgreSQL and a bucket),
/// followed while clients write: `pg_dump` of the database first, then a copy of the bucket's objects;
/// restored into a new database and a new store (a directory, as `file://`), a server started on them
/// takes the lease, opens the log from the dumped record and journal, serves a checkpoint that audits
/// and is a prefix of the original log, holds every entry acknowledged before the dump began, and
/// writes on.
#[test]
fn a_shared_log_s_database_dump_and_bucket_copy_restore_and_audit() {
    use super::failover::{Cluster, create_database, key};
    use super::kill::{free_port, start_on, submit};
    use std::time::Instant;
    use truce_tlog::client::TileVerifier;

    let cluster = Cluster::new("pgbackup");
    let servers = super::chaos::Servers(vec![Some(cluster.start(0))]);
    let acked: super::failover::Acked = Arc::new(Mutex::new(Vec::new()));
    cluster.setup(0, &acked);
    let (target, stop) = (Arc::new(Mutex::new(0usize)), Arc::new(AtomicBool::new(false)));
    let streaks = Arc::new(Mutex::new(Vec::new()));
    let clients = cluster.clients(&target, &acked, &stop, &streaks);
    std::thread::sleep(Duration::from_millis(1500));

    // The backup, while the clients write: the database, then the bucket.
    let began = Instant::now();
    let base = cluster.base.join("backup");
    std::fs::create_dir_all(&base).unwrap();
    let dump = base.join("truce.dump");
    let db_name = cluster.database.split("localhost/").nth(1).unwrap().split('?').next().unwrap();
    let socket = cluster.database.split("host=").nth(1).unwrap().to_string();
    let out = Command::new("pg_dump")
        .args(["-Fc", "-h", &socket, "-U", "postgres", "-f"])
        .arg(&dump)
        .arg(db_name)
        .output()
        .unwrap();
    ok(&out, "pg_dump");
    let copy = base.join("bucket");
    let objects = cluster.bucket().copy_all_to(&copy).unwrap();
    std::thread::sleep(Duration::from_millis(500));
    stop.store(true, Ordering::Relaxed);
    for c in clients {
        c.join().unwrap();
    }
    let before: Vec<(u64, Vec<u8>)> =
        acked.lock().unwrap().iter().filter(|a| a.2 < began).map(|a| (a.0, a.1.clone())).collect();
    let original = cluster.check_acknowledged(&acked);
    drop(servers);

    // The restore: a new database from the dump, the copy as the store, the log's key.
    let pg = std::env::var("TRUCE_TEST_POSTGRES_URL").unwrap();
    let restored_db = create_database(&pg, &format!("restored_{}", std::process::id()));
    let out = Command::new("pg_restore")
        .args(["--no-owner", "-h", &socket, "-U", "postgres", "-d"])
        .arg(restored_db.split("localhost/").nth(1).unwrap().split('?').next().unwrap())
        .arg(&dump)
        .output()
        .unwrap();
    ok(&out, "pg_restore");
    let dir = base.join("server");
    super::failover::copy_dir(&cluster.dirs[0].join("log"), &dir.join("log"));
    let agent = cluster.agent.clone();
    let port = free_port();
    let url = format!("http://127.0.0.1:{port}");
    let store = format!("file://{}", copy.display());
    let envs = [
        ("TRUCE_DATABASE_URL", restored_db.clone()),
        ("TRUCE_STORAGE_URL", store.clone()),
        ("TRUCE_PUBLIC_URL", url.clone()),
    ];
    let restored = super::chaos::Servers(vec![Some(start_on(&dir, &agent, port, &envs).0)]);

    // It writes: a new observation, with the client's next sequence number, is acknowledged.
    let observer = key(10);
    let entry =
        sign(&observer, 1_000_000, Body::Observation(super::failover::observation(0, 1_000_000)))
            .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    let index = loop {
        if let Some(i) = submit(&agent, &url, &cluster.token, &entry) {
            break i;
        }
        assert!(Instant::now() < deadline, "the restored server never took a submission");
        std::thread::sleep(Duration::from_millis(200));
    };
    // Its checkpoint audits against the restored store, holds every entry acknowledged before the
    // dump began, and the new one; and before the new entry the log is a prefix of the original.
    let reader = truce_tlog_shared::BucketReader::open(&store, &[]).unwrap();
    let deadline = Instant::now() + Duration::from_secs(15);
    let checkpoint = loop {
        let (_, c) = truce_tlog::client::signed_checkpoint(&reader, &cluster.log_key).unwrap();
        if c.size > index {
            break c;
        }
        assert!(Instant::now() < deadline, "the new entry was never published");
        std::thread::sleep(Duration::from_millis(100));
    };
    let verifier = TileVerifier::new(&reader, &checkpoint).unwrap();
    let log: Vec<Vec<u8>> = verifier.entries_from(0).map(|e| e.unwrap().1).collect();
    for (i, bytes) in &before {
        assert_eq!(log.get(*i as usize), Some(bytes), "entry {i}, acknowledged before the dump");
    }
    assert_eq!(log.get(index as usize), Some(&entry));
    let bucket = cluster.bucket();
    let (_, final_original) =
        truce_tlog::client::signed_checkpoint(&bucket, &cluster.log_key).unwrap();
    let original_verifier = TileVerifier::new(&bucket, &final_original).unwrap();
    let original_log: Vec<Vec<u8>> =
        original_verifier.entries_from(0).map(|e| e.unwrap().1).collect();
    assert_eq!(&log[..index as usize], &original_log[..index as usize], "a fork of the original");
    drop(restored);
    println!(
        "a shared log backed up while {} entries were acknowledged ({} before the dump began; {objects} objects copied): restored from pg_dump and the copy, it holds {index} entries of the original log ({original} in all) and wrote entry {index}",
        acked.lock().unwrap().len(),
        before.len(),
    );
    std::fs::remove_dir_all(&cluster.base).ok();
}
