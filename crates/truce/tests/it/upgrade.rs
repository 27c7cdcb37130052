//! Issue 24: upgrades. Each fixture in `test_data/upgrade/` is a data directory written by an earlier
//! release's own `truce demo` (`cargo xtask upgrade-fixture`): its SQLite database, log, keys,
//! witnesses and the tokens it printed. Today's `truce serve` must serve it as it was: the same log
//! (size, audit, compliance), the old tokens, the stored scenarios and submissions; and each key signs
//! on with its next sequence number, extending the old checkpoint.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::Value;
use truce_watch::entry::{AnnotationStance, Body, KeyFile, Observation, VerificationState, sign};

/// The fixtures, oldest first: every directory of `test_data/upgrade` with a `fixture.json`.
pub(crate) fn fixtures() -> Vec<PathBuf> {
    let dir = super::root().join("test_data/upgrade");
    let mut found: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("fixture.json").is_file())
        .collect();
    found.sort();
    found
}

/// The highest sequence number each key (hex) signed in the log at `dir`.
/// The newest fixture's record (`fixture.json`) and a copy of its data directory at `data`.
pub(crate) fn newest_fixture(data: &Path) -> Value {
    let fixture = fixtures().pop().expect("a fixture in test_data/upgrade");
    super::failover::copy_dir(&fixture.join("data"), data);
    serde_json::from_str(&std::fs::read_to_string(fixture.join("fixture.json")).unwrap()).unwrap()
}

fn sequence_marks(dir: &Path) -> BTreeMap<String, u64> {
    let reader = truce_tlog::fs::DirReader { root: dir.to_path_buf() };
    let vkey = truce_tlog::layout::read_vkey(&dir.join(truce_tlog::layout::LOG_VKEY)).unwrap();
    let (_, checkpoint) = truce_tlog::client::signed_checkpoint(&reader, &vkey).unwrap();
    let verifier = truce_tlog::client::TileVerifier::new(&reader, &checkpoint).unwrap();
    let mut marks = BTreeMap::new();
    for item in verifier.entries_from(0) {
        let (_, bytes) = item.unwrap();
        let entry = truce_watch::entry::decode(&bytes).unwrap();
        let mark = marks.entry(entry.author).or_insert(0);
        *mark = entry.seq.max(*mark);
    }
    marks
}

#[test]
fn every_earlier_release_s_data_directory_is_served_as_it_was() {
    let fixtures = fixtures();
    assert!(!fixtures.is_empty(), "no fixture in test_data/upgrade");
    for fixture in fixtures {
        serve_fixture(&fixture);
    }
}

fn serve_fixture(fixture: &Path) {
    let name = fixture.file_name().unwrap().to_string_lossy().to_string();
    let recorded: Value =
        serde_json::from_str(&std::fs::read_to_string(fixture.join("fixture.json")).unwrap())
            .unwrap();
    let dir = std::env::temp_dir().join(format!("truce-upgrade-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    super::failover::copy_dir(&fixture.join("data"), &dir);
    // The witnesses this log asks to cosign are hosted by the server itself, at the address it serves
    // on: the release's address becomes this run's.
    let port = super::kill::free_port();
    let peers = std::fs::read_to_string(dir.join("witness-peers")).unwrap().replace(
        &format!("127.0.0.1:{}", recorded["port"].as_u64().unwrap()),
        &format!("127.0.0.1:{port}"),
    );
    std::fs::write(dir.join("witness-peers"), peers).unwrap();
    let marks = sequence_marks(&dir.join("log"));
    let agent: ureq::Agent =
        ureq::Agent::config_builder().http_status_as_error(false).build().into();
    let (mut child, url) = super::kill::start_on(
        &dir,
        &agent,
        port,
        &[("TRUCE_WITNESS_PEERS", dir.join("witness-peers").display().to_string())],
    );
    let token = |who: &str| recorded["tokens"][who].as_str().unwrap().to_string();
    let call = |method: &str, path: &str, who: &str, body: &[u8]| -> (u16, String) {
        let auth = format!("Bearer {}", token(who));
        let mut r = match method {
            "GET" => agent.get(&format!("{url}{path}")).header("authorization", &auth).call(),
            _ => agent.post(&format!("{url}{path}")).header("authorization", &auth).send(body),
        }
        .unwrap();
        (r.status().as_u16(), r.body_mut().read_to_string().unwrap())
    };

    // The same log: its size, its compliance report, and its audit.
    let (_, checkpoint) = call("GET", "/log/checkpoint", "public", b"");
    let size: u64 = checkpoint.lines().nth(1).unwrap().parse().unwrap();
    assert_eq!(size, recorded["log_size"].as_u64().unwrap(), "{name}: the log's size");
    // The same tree, signed by the same log key (the witnesses' cosignatures are fresh ones).
    let signed = |c: &str| c.lines().take(5).collect::<Vec<_>>().join("\n");
    assert_eq!(
        signed(&checkpoint),
        signed(recorded["checkpoint"].as_str().unwrap()),
        "{name}: the same checkpoint"
    );
    let (status, compliance) = call("GET", "/v1/compliance", "public", b"");
    assert_eq!(status, 200, "{name}: {compliance}");
    let compliance: Value = serde_json::from_str(&compliance).unwrap();
    assert_eq!(compliance, recorded["compliance"], "{name}: the compliance report changed");
    let old = dir.join("release-checkpoint");
    std::fs::write(&old, recorded["checkpoint"].as_str().unwrap()).unwrap();

    // Old tokens work, for every role.
    for who in recorded["tokens"].as_object().unwrap().keys() {
        let (status, body) = call("GET", "/v1/whoami", who, b"");
        assert_eq!(status, 200, "{name}: {who}'s token: {body}");
        let me: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(me["name"], who.as_str(), "{name}: {body}");
    }
    // Stored scenarios and submissions.
    let (status, body) = call("GET", "/v1/scenarios/ukraine-2025", "analyst", b"");
    assert_eq!(status, 200, "{name}: {body}");
    let latest: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(latest["version"], recorded["scenario_versions"], "{name}");
    let (status, _) = call("GET", "/v1/scenarios/ukraine-2025?version=1", "analyst", b"");
    assert_eq!(status, 200, "{name}: version 1");
    let (status, body) = call("GET", "/v1/scenarios/ukraine-2025/preferences", "mediator", b"");
    assert_eq!(status, 200, "{name}: {body}");
    let submissions: Value = serde_json::from_str(&body).unwrap();
    let parties: Vec<&str> = submissions["submissions"]
        .as_array()
        .unwrap_or_else(|| panic!("{name}: {submissions}"))
        .iter()
        .map(|s| s["party"].as_str().unwrap())
        .collect();
    let expected: Vec<&str> = recorded["submissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["party"].as_str().unwrap())
        .collect();
    assert_eq!(parties, expected, "{name}: the submissions");

    // Each key signs on with its next sequence number; the old one is refused as a replay.
    let key = |file: &str| {
        let text = std::fs::read_to_string(dir.join("keys").join(file)).unwrap();
        KeyFile::parse(&text).unwrap().key
    };
    let next = |k: &ed25519_dalek::SigningKey| {
        marks.get(&truce_watch::entry::key_hex(&k.verifying_key())).copied().unwrap_or(0) + 1
    };
    let submit = |who: &str, entry: Vec<u8>| -> Result<u64, String> {
        let (status, body) = call("POST", "/v1/entries", who, &entry);
        if status != 201 {
            return Err(format!("{status} {body}"));
        }
        let v: Value = serde_json::from_str(&body).unwrap();
        Ok(v["index"].as_u64().unwrap())
    };
    let observer = key("observer-1.key");
    let observation = Observation {
        start: "2015-03-20T09:00:00Z".into(),
        end: "2015-03-20T09:10:00Z".into(),
        lat_e6: 48_010_000,
        lon_e6: 38_020_000,
        controlled_by: "UKR_GOV".into(),
        sensor: "heard".into(),
        class: "explosion".into(),
        count: 2,
        approximate: false,
        bearing_deg: None,
        distance_m: None,
        weapon: None,
        media: vec![],
        note: "after the upgrade".into(),
    };
    let replay = sign(&observer, next(&observer) - 1, Body::Observation(observation.clone()));
    assert!(
        submit("observer", replay.unwrap()).is_err(),
        "{name}: observer-1's last sequence number again"
    );
    let seen = submit(
        "observer",
        sign(&observer, next(&observer), Body::Observation(observation)).unwrap(),
    )
    .unwrap_or_else(|e| panic!("{name}: observer-1 signing on: {e}"));
    assert_eq!(seen, size, "{name}: the first entry after the upgrade");
    let verifier = key("verifier-1.key");
    let body = Body::Verification { of: seen, to: VerificationState::UnderReview, reason: None };
    submit("verifier", sign(&verifier, next(&verifier), body).unwrap())
        .unwrap_or_else(|e| panic!("{name}: verifier-1 signing on: {e}"));
    for (file, who, party, stance) in [
        ("delegate-UKR_GOV.key", "delegate-ukr-gov", "UKR_GOV", AnnotationStance::Concur),
        ("delegate-ORDLO.key", "delegate-ordlo", "ORDLO", AnnotationStance::Dispute),
    ] {
        let k = key(file);
        let body = Body::Annotation {
            of: seen,
            party: party.into(),
            stance,
            text: "after the upgrade".into(),
        };
        submit(who, sign(&k, next(&k), body).unwrap())
            .unwrap_or_else(|e| panic!("{name}: {file} signing on: {e}"));
    }
    let mission = key("mission.key");
    let newcomer = ed25519_dalek::SigningKey::from_bytes(&[24; 32]);
    let body = Body::Enrol {
        key: truce_watch::entry::key_hex(&newcomer.verifying_key()),
        name: "observer-upgrade".into(),
        role: truce_watch::entry::Role::Observer,
        party: None,
    };
    submit("mediator", sign(&mission, next(&mission), body).unwrap())
        .unwrap_or_else(|e| panic!("{name}: the mission key signing on: {e}"));

    // Once published, the log extends the release's checkpoint, and audits.
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    loop {
        let (_, now) = call("GET", "/log/checkpoint", "public", b"");
        if now.lines().nth(1).unwrap().parse::<u64>().unwrap() == size + 5 {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "{name}: the new entries were not published");
        std::thread::sleep(Duration::from_millis(100));
    }
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_truce"))
        .args(["log", "audit"])
        .arg(dir.join("log"))
        .arg("--since")
        .arg(&old)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{name}: the audit\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let _ = child.kill();
    let _ = child.wait();
    std::fs::remove_dir_all(&dir).ok();
}
