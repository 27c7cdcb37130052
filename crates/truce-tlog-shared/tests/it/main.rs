//! The shared log on a real S3-compatible server and a real PostgreSQL. `cargo xtask test` starts both
//! (Garage on loopback, a throwaway PostgreSQL cluster) and sets `TRUCE_TEST_S3_URL`, the `AWS_*`
//! variables and `TRUCE_TEST_POSTGRES_URL`. Without them these tests fail, saying so: they never skip.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use truce_tlog::checkpoint::Checkpoint;
use truce_tlog::client::{TileReader, TileVerifier, signed_checkpoint};
use truce_tlog::log::Log;
use truce_tlog::note::NoteSigner;
use truce_tlog::publish::Published;
use truce_tlog::sequencer::{Sequencer, SequencerConfig};
use truce_tlog::storage::Storage;
use truce_tlog_shared::{BucketReader, Shared};

static NEXT: AtomicU64 = AtomicU64::new(0);

/// A fresh database and bucket prefix for one test, and the log's key.
struct Place {
    storage_url: String,
    database_url: String,
    signer: NoteSigner,
}

fn place(name: &str) -> Place {
    let s3 = std::env::var("TRUCE_TEST_S3_URL").expect(
        "TRUCE_TEST_S3_URL is not set: run the tests with `cargo xtask test`, which starts Garage on loopback",
    );
    let pg = std::env::var("TRUCE_TEST_POSTGRES_URL").expect(
        "TRUCE_TEST_POSTGRES_URL is not set: run the tests with `cargo xtask test`, which starts PostgreSQL",
    );
    let unique = format!("{name}_{}_{}", std::process::id(), NEXT.fetch_add(1, Ordering::SeqCst));
    let database_url = create_database(&pg, &unique);
    Place {
        storage_url: format!("{}/{unique}", s3.trim_end_matches('/')),
        database_url,
        signer: NoteSigner::generate("shared.truce.example/log", 1).unwrap(),
    }
}

fn create_database(base: &str, name: &str) -> String {
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

impl Place {
    fn connect(&self) -> Shared {
        Shared::connect(&self.storage_url, &self.database_url, "shared.truce.example/log").unwrap()
    }
}

/// Appends `entries` the way the sequencer does on shared storage: a journal record, then the tree.
fn append(
    log: &mut Log<truce_tlog_shared::SharedStorage>,
    entries: &[Vec<u8>],
) -> Result<(), truce_tlog::Error> {
    let first = log.size();
    let mut journal = log.storage().try_clone()?;
    let path = truce_tlog::journal::path(first);
    journal.append(&path, &truce_tlog::journal::encode(first, entries)?)?;
    let batch = truce_tlog::journal::Batch { first, entries: entries.to_vec(), segment: first };
    log.integrate(&[batch])?;
    log.publish()
}

fn entry(i: u64) -> Vec<u8> {
    format!("entry {i}").into_bytes()
}

/// Every entry of the log, read back from the bucket through the verifying client.
fn read_back(storage: &dyn TileReader, signer: &NoteSigner) -> Vec<Vec<u8>> {
    let (_, checkpoint) = signed_checkpoint(storage, &signer.verifier()).unwrap();
    let verifier = TileVerifier::new(storage, &checkpoint).unwrap();
    verifier.entries_from(0).map(|e| e.unwrap().1).collect()
}

#[test]
fn a_log_in_the_bucket_is_written_reopened_and_verified() {
    let p = place("reopen");
    let a = p.connect();
    assert_eq!(a.acquire("a", Duration::from_secs(30)).unwrap(), Some(1));
    let log = Log::create(a.storage(), p.signer.clone()).unwrap();
    let seq = Sequencer::start(log, SequencerConfig::default()).unwrap();
    // 600 entries: two full tiles and bundles, and partial ones at the edge.
    let receipts: Vec<_> = (0..600).map(|i| seq.enqueue(entry(i)).unwrap()).collect();
    for (i, r) in receipts.into_iter().enumerate() {
        assert_eq!(r.wait().unwrap(), i as u64);
    }
    seq.stop().unwrap();
    a.release().unwrap();
    // Another server takes over at once (the lease was released), reopens and appends.
    let b = p.connect();
    assert_eq!(b.acquire("b", Duration::from_secs(30)).unwrap(), Some(2));
    let mut log = Log::open(b.storage(), p.signer.clone()).unwrap();
    assert_eq!(log.size(), 600);
    append(&mut log, &[entry(600)]).unwrap();
    let entries = read_back(&b.storage(), &p.signer);
    assert_eq!(entries.len(), 601);
    assert!(entries.iter().enumerate().all(|(i, e)| *e == entry(i as u64)));
    // The bucket alone is a C2SP log: its copy of the checkpoint is the one in the database.
    let bucket_copy = b.storage().read("tile/0/000").unwrap();
    assert_eq!(bucket_copy.map(|t| t.len()), Some(256 * 32));
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let (db, copy) =
        rt.block_on(async { (b.checkpoint().await.unwrap(), b.get("checkpoint").await.unwrap()) });
    assert_eq!(db, copy);
    // Each object carries the caching a CDN in front of the bucket passes on: what the server's read
    // path sends for the same file (both ask `truce_tlog::publish`; issue 22).
    for (path, cache) in [
        ("tile/0/000", "public, max-age=31536000, immutable"),
        ("tile/entries/002.p/89", "max-age=60"),
        ("tile/1/000.p/2", "max-age=60"),
        ("checkpoint", "no-store"),
    ] {
        let stored = rt.block_on(b.head_cache_control(path)).unwrap();
        assert_eq!(stored.as_deref(), Some(cache), "{path}");
        assert_eq!(Published::parse(path).unwrap().cache_control(), cache, "{path}");
    }
    assert_eq!(Checkpoint::parse(log.checkpoint().text.as_str()).unwrap().size, 601);
}

#[test]
fn a_server_without_the_lease_can_neither_journal_nor_record_nor_publish() {
    let p = place("fenced");
    let a = p.connect();
    a.acquire("a", Duration::from_millis(800)).unwrap().unwrap();
    let mut log_a = Log::create(a.storage(), p.signer.clone()).unwrap();
    append(&mut log_a, &[entry(0)]).unwrap();
    // B cannot take a live lease.
    let b = p.connect();
    assert_eq!(b.acquire("b", Duration::from_secs(30)).unwrap(), None);
    // A stops renewing (paused, cut off); once the lease expires B takes it.
    std::thread::sleep(Duration::from_millis(900));
    let token = b.acquire("b", Duration::from_secs(30)).unwrap().expect("the lease expired");
    assert_eq!(token, 2);
    let mut log_b = Log::open(b.storage(), p.signer.clone()).unwrap();
    append(&mut log_b, &[entry(1)]).unwrap();
    // A still believes it writes: every kind of write is refused, before anything reaches the bucket.
    let refused = append(&mut log_a, &[entry(666)]).unwrap_err().to_string();
    assert!(refused.contains("does not hold the sequencing lease"), "{refused}");
    let mut journal = a.storage();
    let record = truce_tlog::journal::encode(1, &[entry(666)]).unwrap();
    assert!(journal.append(&truce_tlog::journal::path(1), &record).is_err());
    assert!(journal.remove(&truce_tlog::journal::path(0)).is_err());
    // Even re-acquiring is refused while B's lease is live.
    assert_eq!(a.acquire("a", Duration::from_secs(30)).unwrap(), None);
    let entries = read_back(&b.storage(), &p.signer);
    assert_eq!(entries, vec![entry(0), entry(1)]);
}

#[test]
fn the_tree_record_is_a_compare_and_swap_even_under_one_token() {
    // Two handles under the same (valid) token, as a bug in one server could make: both opened the log
    // at the same size and both try to record a different next tree. Exactly one wins.
    let p = place("swap");
    let a = p.connect();
    a.acquire("a", Duration::from_secs(30)).unwrap().unwrap();
    let mut first = Log::create(a.storage(), p.signer.clone()).unwrap();
    append(&mut first, &[entry(0)]).unwrap();
    let mut one = Log::open(a.storage(), p.signer.clone()).unwrap();
    let mut two = Log::open(a.storage(), p.signer.clone()).unwrap();
    // The journal is continuous: only one of two records for index 1 is stored.
    let mut journal = a.storage();
    let path = truce_tlog::journal::path(1);
    journal.append(&path, &truce_tlog::journal::encode(1, &[b"one".to_vec()]).unwrap()).unwrap();
    let refused = journal
        .append(&path, &truce_tlog::journal::encode(1, &[b"two".to_vec()]).unwrap())
        .unwrap_err()
        .to_string();
    assert!(refused.contains("the journal ends at index 2"), "{refused}");
    // Both handles now integrate the journalled entry at once: exactly one records the tree.
    let batch = truce_tlog::journal::Batch { first: 1, entries: vec![b"one".to_vec()], segment: 1 };
    let won = Arc::new(AtomicU64::new(0));
    let results = std::thread::scope(|s| {
        let h1 = s.spawn(|| one.integrate(std::slice::from_ref(&batch)).is_ok());
        let h2 = s.spawn(|| two.integrate(std::slice::from_ref(&batch)).is_ok());
        [h1.join().unwrap(), h2.join().unwrap()]
    });
    won.store(results.iter().filter(|r| **r).count() as u64, Ordering::SeqCst);
    assert_eq!(won.load(Ordering::SeqCst), 1, "{results:?}");
    // The winner signs; the bucket holds exactly the journalled entries.
    let mut winner = if results[0] { one } else { two };
    winner.publish().unwrap();
    assert_eq!(read_back(&a.storage(), &p.signer), vec![entry(0), b"one".to_vec()]);
    // An entry that did not come through the journal is refused before any tile is written.
    let refused = winner.append(&[b"direct".to_vec()]).unwrap_err().to_string();
    assert!(refused.contains("entries enter through the journal"), "{refused}");
    assert_eq!(read_back(&a.storage(), &p.signer).len(), 2);
}

#[test]
fn a_checkpoint_that_is_not_the_recorded_tree_is_never_stored() {
    let p = place("checkpoint");
    let a = p.connect();
    a.acquire("a", Duration::from_secs(30)).unwrap().unwrap();
    let mut log = Log::create(a.storage(), p.signer.clone()).unwrap();
    append(&mut log, &[entry(0), entry(1)]).unwrap();
    let good = log.checkpoint().to_text();
    // A checkpoint of another tree, validly signed with the log's own key.
    let other = Checkpoint {
        origin: "shared.truce.example/log".into(),
        size: 5,
        root: [7; 32],
        extensions: Vec::new(),
    };
    let text = other.text();
    let note = truce_tlog::note::Note { signatures: vec![p.signer.sign(&text, 0)], text };
    let mut s = a.storage();
    s.stage("checkpoint", note.to_text().as_bytes()).unwrap();
    let refused = s.commit().unwrap_err().to_string();
    assert!(refused.contains("not the recorded tree"), "{refused}");
    assert_eq!(s.read("checkpoint").unwrap().unwrap(), good.as_bytes());
}

#[test]
fn acknowledged_entries_in_the_journal_survive_the_loss_of_their_writer() {
    let p = place("journal");
    let a = p.connect();
    a.acquire("a", Duration::from_millis(600)).unwrap().unwrap();
    let mut log = Log::create(a.storage(), p.signer.clone()).unwrap();
    append(&mut log, &[entry(0)]).unwrap();
    // A journals a batch (as its sequencer does before acknowledging) and dies before integrating it.
    let mut journal = a.storage();
    let record = truce_tlog::journal::encode(1, &[entry(1), entry(2), entry(3)]).unwrap();
    journal.append(&truce_tlog::journal::path(1), &record).unwrap();
    drop((log, journal, a));
    let b = p.connect();
    while b.acquire("b", Duration::from_secs(30)).unwrap().is_none() {
        std::thread::sleep(Duration::from_millis(100));
    }
    let log = Log::open(b.storage(), p.signer.clone()).unwrap();
    assert_eq!(log.size(), 4);
    assert_eq!(read_back(&b.storage(), &p.signer), (0..4).map(entry).collect::<Vec<_>>());
    assert!(b.storage().list(truce_tlog::journal::JOURNAL_DIR).unwrap().is_empty());
}

#[test]
fn bad_storage_urls_say_what_was_expected() {
    let err = Shared::connect("ftp://x/y", "postgres://nowhere", "l").unwrap_err().to_string();
    assert!(err.contains("expected s3://bucket/prefix or file:///directory"), "{err}");
}

/// Issue 22: the bucket reader's cache of full tiles had no bound. An audit of the whole log through a
/// cache of three tiles reads every entry, verified, and the cache never holds more than three tiles.
#[test]
fn issue22_the_bucket_readers_cache_stays_within_its_bound() {
    let p = place("bounded");
    let a = p.connect();
    a.acquire("a", Duration::from_secs(30)).unwrap().unwrap();
    let mut log = Log::create(a.storage(), p.signer.clone()).unwrap();
    let entries: Vec<Vec<u8>> = (0..1300).map(entry).collect();
    append(&mut log, &entries).unwrap();
    let bound = 3 * 256 * 32;
    let bucket = BucketReader::with_cache(&p.storage_url, &[], bound).unwrap();
    assert_eq!(read_back(&bucket, &p.signer), entries);
    let cached = bucket.cached_bytes();
    assert!(cached > 0 && cached <= bound, "{cached} bytes cached, bound {bound}");
    // Read again, through a cache that holds at most what was left after the first pass.
    assert_eq!(read_back(&bucket, &p.signer), entries);
    assert!(bucket.cached_bytes() <= bound);
    // The private state is not on the read path.
    let refused = bucket.read(".state/signed").unwrap_err().to_string();
    assert!(refused.contains("refusing path"), "{refused}");
}

/// Issue 24: each process keeps the tiles it put or read lately, to serve readers while the bucket
/// cannot be reached; but the bucket is always asked first, so a tile gone from it is seen by the very
/// process that wrote it: its writer refuses to reopen the log, and its read path says the tile is not
/// there (a cache answering first would have hidden both).
#[test]
fn a_tile_gone_from_the_bucket_is_seen_by_the_process_that_wrote_it() {
    let p = place("gone");
    let a = p.connect();
    assert_eq!(a.acquire("a", Duration::from_secs(30)).unwrap(), Some(1));
    let mut log = Log::create(a.storage(), p.signer.clone()).unwrap();
    append(&mut log, &(0..300).map(entry).collect::<Vec<_>>()).unwrap();
    drop(log);
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let edge = ["tile/0/001.p/44", "tile/1/000.p/1", "tile/entries/001.p/44"];
    for path in edge {
        assert!(rt.block_on(a.get(path)).unwrap().is_some(), "{path} was published");
    }
    // Another process (its own cache) removes the right edge of the tree from the bucket.
    let b = p.connect();
    let mut other = b.storage();
    for path in edge {
        other.remove(path).unwrap();
    }
    for path in edge {
        assert_eq!(rt.block_on(a.get(path)).unwrap(), None, "{path} is gone from the bucket");
    }
    assert!(
        Log::open(a.storage(), p.signer.clone()).is_err(),
        "the writer reopened a log whose tiles are gone from the bucket"
    );
}
