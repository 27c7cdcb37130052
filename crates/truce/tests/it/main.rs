//! End-to-end tests of the `truce` binary on the seed scenario and on bad input.

// The kill test and the witnessed audit print their figures, as the test runner shows them.
#![allow(clippy::print_stdout)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod backup;
mod chaos;
mod demo;
mod failover;
mod kill;
mod logs;
mod simulate;
mod sources;
mod upgrade;
mod witnessed;

/// A mission entry over Minsk II's first two months, with the standard classes.
fn mission_body(name: &str) -> truce_watch::entry::Body {
    truce_watch::entry::Body::mission(
        name,
        jiff::civil::date(2015, 2, 15),
        jiff::civil::date(2015, 4, 15),
    )
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().unwrap()
}

fn truce(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_truce"))
        .current_dir(root())
        .args(args)
        .output()
        .expect("truce runs")
}

fn stdout(out: &Output) -> String {
    assert!(
        out.status.success(),
        "exit {:?}\nstderr:\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

const SEED: &str = "scenarios/ukraine-2025.toml";

/// The committed schema equals the one generated from the report types; `UPDATE_EXPECT=1` rewrites it.
fn committed_schema(kind: &str) -> serde_json::Value {
    let generated = stdout(&truce(&["schema", kind]));
    let path = root().join(format!("docs/schema/{kind}.schema.json"));
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert_eq!(committed, generated, "{} is stale: rerun with UPDATE_EXPECT=1", path.display());
    serde_json::from_str(&committed).unwrap()
}

fn validate(kind: &str, instance: &serde_json::Value) {
    let schema = committed_schema(kind);
    let validator = jsonschema::validator_for(&schema).expect("the schema is a valid JSON Schema");
    let errors: Vec<String> = validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

fn analyze_json(args: &[&str]) -> serde_json::Value {
    let mut all = vec!["analyze", SEED, "--format", "json"];
    all.extend_from_slice(args);
    let json: serde_json::Value = serde_json::from_str(&stdout(&truce(&all))).unwrap();
    validate("analysis", &json);
    json
}

#[test]
fn analyze_gives_all_three_readings_with_citations() {
    let json = analyze_json(&[]);
    let readings = json["readings"].as_array().unwrap();
    let names: Vec<&str> = readings.iter().map(|r| r["reading"].as_str().unwrap()).collect();
    assert_eq!(names, ["red_lines", "strict", "pessimistic"]);
    for r in readings {
        if r["feasible"].as_bool().unwrap() {
            // Best packages, each explained party by party, with a citation wherever a party has a position.
            let nash = &r["best"]["nash"];
            assert_eq!(nash["options"].as_array().unwrap().len(), 11);
            assert_eq!(nash["parties"].as_array().unwrap().len(), 8);
            let cited = nash["parties"]
                .as_array()
                .unwrap()
                .iter()
                .flat_map(|p| p["issues"].as_array().unwrap())
                .filter(|i| !i["citation"].is_null())
                .count();
            assert!(cited > 0);
            assert!(r["concessions"].is_null());
        } else {
            // Blocking issues and ranked minimal concession sets, every relaxation cited.
            let c = &r["concessions"];
            assert!(!r["blocked_issues"].as_array().unwrap().is_empty());
            for g in c["groups"].as_array().unwrap() {
                let alternatives = g["alternatives"].as_array().unwrap();
                assert!(!alternatives.is_empty());
                let sizes: Vec<usize> =
                    alternatives.iter().map(|a| a["relax"].as_array().unwrap().len()).collect();
                assert!(sizes.windows(2).all(|w| w[0] <= w[1]), "ranked by size: {sizes:?}");
                for a in alternatives {
                    for relax in a["relax"].as_array().unwrap() {
                        let citations = relax["citations"].as_array().unwrap();
                        assert!(!citations.is_empty());
                        for c in citations {
                            assert!(
                                !c["quote"].as_str().unwrap().is_empty()
                                    && c["line"].as_u64().unwrap() > 0
                            );
                        }
                    }
                    assert!(a["explanation"].as_str().unwrap().starts_with("If "));
                }
            }
        }
    }
    // The strict reading of the seed blocks 10 issues, and its family runs to thousands of sets.
    let strict = &readings[1];
    assert_eq!(strict["blocked_issues"].as_array().unwrap().len(), 10);
    assert!(strict["concessions"]["total_sets"].as_str().unwrap().parse::<u64>().unwrap() >= 1000);
}

#[test]
fn analyze_text_and_markdown() {
    let text = stdout(&truce(&["analyze", SEED]));
    for needle in [
        "Red lines reading",
        "Strict reading",
        "Pessimistic reading",
        "Minimal concession sets",
        "Nash package",
    ] {
        assert!(text.contains(needle), "missing {needle:?}");
    }
    let md = stdout(&truce(&["analyze", SEED, "--format", "md"]));
    assert!(md.starts_with("# Ukraine peace settlement"));
    assert!(md.contains("## Strict reading"));
}

#[test]
fn analyze_a_subset_of_parties_as_of_a_date() {
    let json = analyze_json(&["--parties", "RUS,UKR", "--as-of", "2025-03-01"]);
    assert_eq!(json["as_of"], "2025-03-01");
    let parties: Vec<&str> =
        json["parties"].as_array().unwrap().iter().map(|p| p["id"].as_str().unwrap()).collect();
    assert_eq!(parties, ["RUS", "UKR"]);
    // Every citation predates the as-of date and comes from a party at the table.
    let text = serde_json::to_string(&json).unwrap();
    for date in text.split("\"date\":\"").skip(1).map(|s| &s[..10]) {
        assert!(date <= "2025-03-01", "{date}");
    }
    let all = analyze_json(&[]);
    assert_ne!(all["readings"][0]["feasible_packages"], json["readings"][0]["feasible_packages"]);
}

#[test]
fn timeline_writes_an_svg_of_2025() {
    let dir = std::env::temp_dir().join(format!("truce-timeline-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let svg_path = dir.join("timeline.svg");
    let out = truce(&[
        "timeline",
        SEED,
        "--from",
        "2025-01-01",
        "--to",
        "2025-12-31",
        "--step",
        "month",
        "--svg",
        svg_path.to_str().unwrap(),
    ]);
    let table = stdout(&out);
    // Twelve month starts and the end date asked for.
    assert_eq!(table.lines().filter(|l| l.starts_with("2025-")).count(), 13);
    assert!(table.lines().any(|l| l.starts_with("2025-12-31")), "{table}");
    let svg = std::fs::read_to_string(&svg_path).unwrap();
    assert!(svg.starts_with("<svg"));
    for month in
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    {
        assert!(svg.contains(&format!(">{month} 2025<")), "no {month} label");
    }
    assert_eq!(svg.matches("class=\"series\"").count(), 9, "3 panels × 3 readings");
    let json: serde_json::Value = serde_json::from_str(&stdout(&truce(&[
        "timeline",
        SEED,
        "--from",
        "2025-01-01",
        "--to",
        "2025-12-31",
        "--format",
        "json",
    ])))
    .unwrap();
    validate("timeline", &json);
    assert_eq!(json["points"].as_array().unwrap().len(), 13);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn bad_input_gets_diagnostics_and_exit_code_2() {
    let dir = std::env::temp_dir().join(format!("truce-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("bad.toml");
    let seed = std::fs::read_to_string(root().join(SEED)).unwrap();
    // Break the first position's stance and its party.
    let bad = seed.replacen("stance = \"red_line\"", "stance = \"never\"", 1).replacen(
        "party = \"RUS\"",
        "party = \"RUZ\"",
        1,
    );
    std::fs::write(&path, bad).unwrap();
    let out = truce(&["analyze", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    // Both problems, each with file, line, column, field and what was expected.
    assert!(stderr.contains("bad.toml:2406:10: error: positions[20].stance: unknown value \"never\"; expected one of demanded, acceptable, unknown, opposed, red_line"), "{stderr}");
    assert!(stderr.contains("bad.toml:3289:9: error: positions[89].party: unknown party id \"RUZ\"; expected one of the party ids: DEU, EU, FRA, GBR, NATO, RUS, UKR, USA"), "{stderr}");
    assert!(stderr.contains("2 error(s); nothing was analysed"), "{stderr}");
    assert!(out.stdout.is_empty());
    std::fs::remove_dir_all(dir).unwrap();
}

/// Issue 10, finding 8: an empty or whitespace-only scenario passed `check` and `analyze` said "all parties
/// can agree"; a binary file got "stream did not contain valid UTF-8" with no position; a 10 MB quote
/// that is one "word" was accepted.
#[test]
fn issue10_empty_binary_and_oversized_input_are_refused_with_their_place() {
    let dir = std::env::temp_dir().join(format!("truce-bad10-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let seed = std::fs::read_to_string(root().join(SEED)).unwrap();
    let huge = seed.replacen(
        "quote = \"instead of the U.S.-proposed limit of 600,000\"",
        &format!("quote = \"{}\"", "x".repeat(10 << 20)),
        1,
    );
    let mut binary = b"[meta]\ntitle = \"ok\"\n".to_vec();
    binary.extend_from_slice(&[0xff, 0xfe, 0x00, 0x01]);
    for (name, bytes, want) in [
        ("empty.toml", b"".to_vec(), "empty.toml:1:1: error: parties: the scenario has no parties"),
        (
            "blank.toml",
            b"  \n\t\n".to_vec(),
            "blank.toml:1:1: error: parties: the scenario has no parties",
        ),
        ("binary.toml", binary, "binary.toml:3:1: error: byte 20 (0xff) is not valid UTF-8"),
        ("huge.toml", huge.into_bytes(), "quote has 10485760 bytes, more than the limit of 600"),
    ] {
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        for verb in ["check", "analyze"] {
            let out = truce(&[verb, path.to_str().unwrap()]);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{verb} {name}: {stderr}");
            assert!(stderr.contains(want), "{verb} {name}: {stderr}");
            assert!(!String::from_utf8_lossy(&out.stdout).contains("agree"), "{verb} {name}");
        }
    }
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn unknown_party_and_missing_file_are_errors() {
    let out = truce(&["analyze", SEED, "--parties", "RUS,XYZ"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown party \"XYZ\""));
    let out = truce(&["analyze", SEED, "--parties", "RUS,UKR,RUS"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("RUS is given twice"));
    let out = truce(&["analyze", "no/such/file.toml"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read no/such/file.toml"));
}

#[test]
fn check_reports_the_seed_as_ok() {
    let out = stdout(&truce(&["check", SEED]));
    assert!(
        out.contains("ok (8 parties, 11 issues, 42 options, 215 positions, 141 sources)"),
        "{out}"
    );
}

#[test]
fn robust_runs_are_reproducible() {
    let run = |seed: &str| {
        stdout(&truce(&["analyze", SEED, "--robust", "30", "--seed", seed, "--format", "json"]))
    };
    let a = run("5");
    assert_eq!(a, run("5"));
    let json: serde_json::Value = serde_json::from_str(&a).unwrap();
    validate("analysis", &json);
    let r = &json["robustness"];
    assert_eq!(r["draws"], 30);
    assert!(!r["nash"].as_array().unwrap().is_empty());
    assert_ne!(a, run("6"));
}

#[test]
fn log_verbs_round_trip() {
    let dir = std::env::temp_dir().join(format!("truce-cli-log-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let d = |p: &str| dir.join(p).display().to_string();
    stdout(&truce(&["log", "init", &d("log"), "--origin", "mission.test/obs"]));
    std::fs::write(dir.join("a"), b"first observation").unwrap();
    std::fs::write(dir.join("b"), b"second observation").unwrap();
    assert!(
        stdout(&truce(&["log", "append", &d("log"), &d("a"), &d("b")]))
            .starts_with("appended 2 entries at indices 0..2")
    );
    // Issue 10, finding 7: "entry of 65536 bytes exceeds 65535" did not name the file. It does, and
    // nothing of the batch is appended.
    std::fs::write(dir.join("big"), vec![b'x'; 65_536]).unwrap();
    let out = truce(&["log", "append", &d("log"), &d("a"), &d("big")]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&format!("{}: 65536 bytes", d("big"))), "{err}");
    std::fs::copy(dir.join("log/checkpoint"), dir.join("saved")).unwrap();
    stdout(&truce(&["log", "append", &d("log"), &d("a")]));
    let audit = stdout(&truce(&["log", "audit", &d("log"), "--since", &d("saved")]));
    assert!(
        audit.contains("ok: 3 entries") && audit.contains("extends the saved checkpoint of size 2"),
        "{audit}"
    );
    stdout(&truce(&["log", "prove", &d("log"), "1", "-o", &d("proof")]));
    let ok = stdout(&truce(&[
        "log",
        "verify-proof",
        &d("proof"),
        "--entry",
        &d("b"),
        "--vkey",
        &d("log/log.vkey"),
    ]));
    assert!(ok.starts_with("ok: entry 1 is in mission.test/obs at size 3"), "{ok}");
    // The wrong entry fails, with a message and exit code 1.
    let out = truce(&[
        "log",
        "verify-proof",
        &d("proof"),
        "--entry",
        &d("a"),
        "--vkey",
        &d("log/log.vkey"),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("the proof does not verify"));
    // A changed tile fails the audit.
    let tile = dir.join("log/tile/0/000.p/3");
    let mut bytes = std::fs::read(&tile).unwrap();
    bytes[40] ^= 1;
    std::fs::write(&tile, bytes).unwrap();
    let out = truce(&["log", "audit", &d("log")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("tampered"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The private key is readable by its owner only.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.join("log/.state/log.skey")).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0);
    }
    std::fs::remove_dir_all(dir).unwrap();
}

/// Serves the files under `root` over HTTP on a loopback port, one request per connection, until the test ends.
fn serve(root: PathBuf) -> u16 {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request = String::new();
            if reader.read_line(&mut request).is_err() {
                continue;
            }
            let path = request
                .split_whitespace()
                .nth(1)
                .unwrap_or("/")
                .trim_start_matches('/')
                .to_string();
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                line.clear();
            }
            let mut stream = stream;
            let served = (!path.contains("..") && !path.starts_with('.'))
                .then(|| std::fs::read(root.join(&path)).ok())
                .flatten();
            let _ = match served {
                Some(body) => stream
                    .write_all(
                        format!(
                            "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                            body.len()
                        )
                        .as_bytes(),
                    )
                    .and_then(|_| stream.write_all(&body)),
                None => stream.write_all(
                    b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                ),
            };
        }
    });
    port
}

#[test]
fn audit_a_log_over_http() {
    let dir = std::env::temp_dir().join(format!("truce-cli-http-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let log = dir.join("log");
    stdout(&truce(&["log", "init", log.to_str().unwrap(), "--origin", "mission.test/http"]));
    let entries: String = (0..600).map(|i| format!("observation {i}\n")).collect();
    let mut child = Command::new(env!("CARGO_BIN_EXE_truce"))
        .args(["log", "append", log.to_str().unwrap()])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::io::Write::write_all(child.stdin.as_mut().unwrap(), entries.as_bytes()).unwrap();
    drop(child.stdin.take());
    assert!(child.wait().unwrap().success());
    std::fs::copy(log.join("log.vkey"), dir.join("log.vkey")).unwrap();
    let url = format!("http://127.0.0.1:{}", serve(log.clone()));
    let vkey = dir.join("log.vkey");
    let out = stdout(&truce(&["log", "audit", &url, "--vkey", vkey.to_str().unwrap()]));
    assert!(out.starts_with("ok: 600 entries"), "{out}");
    // `log prove` against the published log: the proof and the entry it writes verify offline.
    let (proof, entry) = (dir.join("proof.txt"), dir.join("entry.bin"));
    let said = stdout(&truce(&[
        "log",
        "prove",
        &url,
        "513",
        "--vkey",
        vkey.to_str().unwrap(),
        "-o",
        proof.to_str().unwrap(),
        "--entry",
        entry.to_str().unwrap(),
    ]));
    assert!(said.contains("against the checkpoint of size 600"), "{said}");
    assert_eq!(std::fs::read(&entry).unwrap(), b"observation 513");
    let ok = stdout(&truce(&[
        "log",
        "verify-proof",
        proof.to_str().unwrap(),
        "--entry",
        entry.to_str().unwrap(),
        "--vkey",
        vkey.to_str().unwrap(),
    ]));
    assert!(ok.starts_with("ok: entry 513 is in mission.test/http at size 600"), "{ok}");
    for (args, says) in [
        (vec!["log", "prove", &url, "513"], "--vkey is required"),
        (
            vec!["log", "prove", &url, "600", "--vkey", vkey.to_str().unwrap()],
            "not in the checkpoint",
        ),
    ] {
        let out = truce(&args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains(says), "{args:?}: {out:?}");
    }
    // Without --vkey a URL cannot be audited; a changed bundle is caught over HTTP too.
    assert_eq!(truce(&["log", "audit", &url]).status.code(), Some(1));
    let bundle = log.join("tile/entries/001");
    let mut bytes = std::fs::read(&bundle).unwrap();
    bytes[10] ^= 1;
    std::fs::write(&bundle, bytes).unwrap();
    let out = truce(&["log", "audit", &url, "--vkey", vkey.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("does not match its leaf hash"));
    std::fs::remove_dir_all(dir).unwrap();
}

/// Copies a log's public files (everything but `.state/`), as a mirror would.
fn mirror(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        if name == ".state" {
            continue;
        }
        let target = to.join(&name);
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            mirror(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

#[test]
fn compliance_from_a_mirrored_log_is_byte_identical() {
    let work = std::env::temp_dir().join(format!("truce-it-compliance-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&work);
    let (log, copy) = (work.join("log"), work.join("mirror"));
    let accord = root().join("accords/minsk-2015.toml");
    let accord = accord.to_str().unwrap();
    let out = truce(&["accord", "check", accord]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout(&out).contains("13 provisions"));
    let keys = work.join("keys");
    let out = truce(&[
        "mission",
        "generate",
        accord,
        "--log",
        log.to_str().unwrap(),
        "--days",
        "60",
        "--seed",
        "3",
        "--keys",
        keys.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let original =
        truce(&["compliance", accord, "--log", log.to_str().unwrap(), "--format", "json"]);
    assert!(original.status.success(), "{}", String::from_utf8_lossy(&original.stderr));
    std::fs::create_dir_all(&copy).unwrap();
    mirror(&log, &copy);
    let again = truce(&["compliance", accord, "--log", copy.to_str().unwrap(), "--format", "json"]);
    assert!(again.status.success(), "{}", String::from_utf8_lossy(&again.stderr));
    assert_eq!(original.stdout, again.stdout, "the mirror gives the same bytes");
    // Every commitment's status, score and violation days are those the generator planted.
    let report: serde_json::Value = serde_json::from_slice(&original.stdout).unwrap();
    let agreement = {
        let text = std::fs::read_to_string(accord).unwrap();
        truce_accord::parse("minsk-2015.toml", &text).0.unwrap()
    };
    let planted = truce_watch::generate::generate(&agreement, 3, 60).unwrap().planted;
    let commitments = report["commitments"].as_array().unwrap();
    assert_eq!(commitments.len(), planted.len());
    for p in &planted {
        let c = commitments.iter().find(|c| c["commitment"] == p.commitment.as_str()).unwrap();
        let status = serde_json::to_value(p.status).unwrap();
        assert_eq!(c["status"], status, "{}", p.commitment);
        assert_eq!(c["pam_score"], p.pam_score, "{}", p.commitment);
        let days = c["violation_days"].as_array().unwrap();
        let span = days
            .first()
            .zip(days.last())
            .map(|(a, b)| (a.as_str().unwrap().to_string(), b.as_str().unwrap().to_string()));
        assert_eq!(
            span,
            p.violations.map(|(a, b)| (a.to_string(), b.to_string())),
            "{}",
            p.commitment
        );
    }
    // The daily report, HTML with its map and chart, is byte-identical from the mirror too.
    let pages: Vec<Vec<u8>> = [&log, &copy]
        .iter()
        .enumerate()
        .map(|(k, dir)| {
            let page = work.join(format!("daily-{k}.html"));
            let out = truce(&[
                "report",
                "daily",
                accord,
                "--log",
                dir.to_str().unwrap(),
                "--date",
                "2015-04-10",
                "--html",
                page.to_str().unwrap(),
            ]);
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
            assert!(stdout(&out).contains("## Compliance as of 2015-04-10"));
            std::fs::read(&page).unwrap()
        })
        .collect();
    assert_eq!(pages[0], pages[1]);
    // The report's hash goes on the log, signed by the mission; an observer's key is refused.
    let page = work.join("daily-0.html");
    let append_hash = |key: &str| {
        let key = keys.join(key);
        truce(&[
            "report",
            "daily",
            accord,
            "--log",
            log.to_str().unwrap(),
            "--date",
            "2015-04-10",
            "--html",
            page.to_str().unwrap(),
            "--append-hash",
            key.to_str().unwrap(),
        ])
    };
    let out = append_hash("mission.key");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("appended the report's hash"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = append_hash("observer-2.key");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("only the mission appends report hashes")
    );
    let page = String::from_utf8(pages[0].clone()).unwrap();
    assert!(page.contains("<svg") && page.contains("id=\"map\"") && page.contains("class=\"obs\""));
    assert!(page.contains("visionscarto-1.0.0"));
    // A tampered mirror is refused, not computed from.
    let bundle = copy.join("tile/entries/000");
    let mut bytes = std::fs::read(&bundle).unwrap();
    bytes[40] ^= 1;
    std::fs::write(&bundle, bytes).unwrap();
    let tampered = truce(&["compliance", accord, "--log", copy.to_str().unwrap()]);
    assert!(!tampered.status.success());
    // Exports: GeoJSON parses with one feature per current observation; CSVs have their headers; the
    // ACLED-like export names the boundary view and never invents an actor.
    let geo = truce(&["export", "--log", log.to_str().unwrap(), "--format", "geojson"]);
    let geo: serde_json::Value = serde_json::from_slice(&geo.stdout).unwrap();
    let features = geo["features"].as_array().unwrap();
    assert!(features.len() > 500, "{} features", features.len());
    assert!(features.iter().all(|f| f["geometry"]["type"] == "Point"));
    let csv = stdout(&truce(&["export", "--log", log.to_str().unwrap(), "--format", "csv"]));
    assert_eq!(csv.lines().count(), features.len() + 1);
    assert!(csv.starts_with("log_index,start,end,class"));
    let acled = stdout(&truce(&["export", "--log", log.to_str().unwrap(), "--format", "acled"]));
    assert!(acled.starts_with("event_id_cnty,event_date,year"));
    assert!(
        acled
            .lines()
            .skip(1)
            .all(|l| l.contains("visionscarto-1.0.0") && l.starts_with("TRUCE-OBS-"))
    );
    assert!(acled.contains(",Ukraine,"));
    // Issue 23: the gazetteer names the place and region of at least 95% of the rows (it left `admin1`
    // and `location` empty in all of them).
    let mut rows = csv::Reader::from_reader(acled.as_bytes());
    let header = rows.headers().unwrap().clone();
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (admin1, location) = (column("admin1"), column("location"));
    let rows: Vec<csv::StringRecord> = rows.records().map(Result::unwrap).collect();
    let placed = rows.iter().filter(|r| !r[admin1].is_empty() && !r[location].is_empty()).count();
    assert!(placed * 100 >= rows.len() * 95, "{placed} of {} rows placed", rows.len());
    assert!(
        rows.iter().any(|r| &r[admin1] == "Donetsk")
            && rows.iter().any(|r| &r[admin1] == "Luhansk")
    );
    let attributed = acled.lines().filter(|l| l.contains(",ORDLO,")).count();
    assert!(
        attributed > 0 && attributed < acled.lines().count() / 2,
        "actors only from attributions"
    );
    // An observer signs and appends an observation; a verifier's key is refused; bad JSON gets a
    // diagnostic and exit code 2, and nothing is appended.
    let obs = work.join("obs.json");
    std::fs::write(&obs, r#"{"start": "2015-04-15T06:10:00Z", "end": "2015-04-15T06:40:00Z", "lat_e6": 48070000, "lon_e6": 37690000, "controlled_by": "UKR_GOV", "sensor": "heard", "class": "explosion", "count": 12, "approximate": true}"#).unwrap();
    let observer = keys.join("observer-1.key");
    let out = truce(&[
        "observe",
        obs.to_str().unwrap(),
        "--key",
        observer.to_str().unwrap(),
        "--log",
        log.to_str().unwrap(),
    ]);
    assert!(stdout(&out).contains("appended observation by observer-1"));
    let verifier = keys.join("verifier-1.key");
    let out = truce(&[
        "observe",
        obs.to_str().unwrap(),
        "--key",
        verifier.to_str().unwrap(),
        "--log",
        log.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("enrolled as Verifier"));
    std::fs::write(&obs, "{\"start\": 3}").unwrap();
    let out = truce(&[
        "observe",
        obs.to_str().unwrap(),
        "--key",
        observer.to_str().unwrap(),
        "--log",
        log.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("obs.json:1:"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&observer).unwrap().permissions().mode() & 0o777, 0o600);
    }
    // A bad accord gets its diagnostics and exit code 2.
    let bad = work.join("bad.toml");
    std::fs::write(&bad, "[agreement]\nid = \"x\"\n").unwrap();
    let out = truce(&["accord", "check", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("bad.toml:"));
    std::fs::remove_dir_all(&work).ok();
}

/// Renders `url` in headless Chromium (Debian's package, which `cargo xtask test` installs) to a PNG.
fn screenshot(url: &str, png: &Path, width: u32, height: u32) {
    let profile = png.with_extension("profile");
    let out = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--window-size={width},{height}"))
        .arg(format!("--screenshot={}", png.display()))
        .arg(url)
        .output()
        .expect("chromium runs (cargo xtask test installs Debian's chromium)");
    assert!(png.exists(), "no screenshot: {}", String::from_utf8_lossy(&out.stderr));
    let _ = std::fs::remove_dir_all(profile);
}

/// The RGB pixels of a PNG.
fn pixels(path: &Path) -> Vec<[u8; 3]> {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let step = info.color_type.samples();
    buf[..info.buffer_size()].chunks(step).map(|p| [p[0], p[1], p[2]]).collect()
}

fn near(p: [u8; 3], c: [u8; 3]) -> bool {
    p.iter().zip(c).all(|(a, b)| a.abs_diff(b) <= 12)
}

#[test]
fn the_daily_report_renders_with_its_map_and_chart() {
    let work = std::env::temp_dir().join(format!("truce-it-render-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).unwrap();
    let artifacts = root().join("target/artifacts");
    std::fs::create_dir_all(&artifacts).unwrap();
    let log = work.join("log");
    let accord = root().join("accords/minsk-2015.toml");
    let accord = accord.to_str().unwrap();
    let out =
        truce(&["mission", "generate", accord, "--log", log.to_str().unwrap(), "--days", "45"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let page = artifacts.join("daily-report.html");
    let out = truce(&[
        "report",
        "daily",
        accord,
        "--log",
        log.to_str().unwrap(),
        "--date",
        "2015-03-31",
        "--html",
        page.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // The whole page, kept as an artifact for a person to look at.
    let shot = artifacts.join("daily-report.png");
    let _ = std::fs::remove_file(&shot);
    screenshot(&format!("file://{}", page.display()), &shot, 1100, 3000);
    let all = pixels(&shot);
    assert!(all.iter().filter(|p| **p != [255, 255, 255]).count() > 10_000, "the page is blank");
    // The map and the chart, each rendered on its own: drawn, not empty.
    let html = std::fs::read_to_string(&page).unwrap();
    let svg = |id: &str| {
        let start =
            html.find(&format!("<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"{id}\"")).unwrap();
        let end = start + html[start..].find("</svg>").unwrap() + "</svg>".len();
        html[start..end].to_string()
    };
    for (id, colours, min) in [
        // countries, observation points (explosions, patrols)
        ("map", vec![[0xf4, 0xf1, 0xea], [0xd5, 0x5e, 0x00], [0x00, 0x9e, 0x73]], 20),
        // bars: today (explosions), yesterday (grey)
        ("chart", vec![[0xd5, 0x5e, 0x00], [0x99, 0x99, 0x99]], 200),
    ] {
        let file = work.join(format!("{id}.svg"));
        std::fs::write(&file, svg(id)).unwrap();
        let png = artifacts.join(format!("daily-report-{id}.png"));
        let _ = std::fs::remove_file(&png);
        screenshot(&format!("file://{}", file.display()), &png, 800, 900);
        let px = pixels(&png);
        for c in colours {
            let n = px.iter().filter(|p| near(**p, c)).count();
            assert!(n >= min, "{id}: only {n} pixels of colour {c:?}");
        }
    }
    std::fs::remove_dir_all(&work).ok();
}

#[test]
fn agreements_are_drafted_from_packages_and_validate() {
    let dir = std::env::temp_dir().join(format!("truce-draft-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for package in ["nash", "maximin"] {
        let out_file = dir.join(format!("{package}.toml"));
        let out = truce(&[
            "accord",
            "draft",
            SEED,
            "--package",
            package,
            "--out",
            out_file.to_str().unwrap(),
        ]);
        assert!(stdout(&out).contains("wrote the draft"));
        let check = truce(&["accord", "check", out_file.to_str().unwrap()]);
        assert!(stdout(&check).contains("(draft), 11 provisions"), "{}", stdout(&check));
        let text = std::fs::read_to_string(&out_file).unwrap();
        assert!(
            text.contains("[[sources]]") && text.contains("sources = [\""),
            "provisions cite sources"
        );
    }
    // A package given option by option: neutrality, no foreign contingents, unarmed observers, …
    let package = "nato.neutrality_with_guarantees,sg.multilateral_incl_russia,ff.unarmed_observers_after_agreement,terr.freeze_no_recognition,afl.cap_600k,sanc.phased_with_snapback,lc.eu_minority_standards,cf.with_framework,ms.post_agreement,mf.unarmed_observers_civilian,eu.accession";
    let out = truce(&["accord", "draft", SEED, "--package", package, "--day-one", "2026-03-01"]);
    let text = stdout(&out);
    for wanted in [
        "title = \"Permanent neutrality\"",
        "title = \"Unarmed monitoring mission after agreement\"",
        "action = \"Host armed foreign personnel other than the agreed unarmed mission.\"",
        "day_one = 2026-03-01",
        "classes = [\"access_restriction\"]",
    ] {
        assert!(text.contains(wanted), "missing {wanted}");
    }
    let partial = truce(&["accord", "draft", SEED, "--package", "nato.full_membership"]);
    assert_eq!(partial.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&partial.stderr).contains("one option for each of the 11 issues")
    );
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn frontier_of_a_pair_validates_against_its_schema_and_draws_a_plot() {
    let svg = std::env::temp_dir().join(format!("truce-frontier-{}.svg", std::process::id()));
    let out = truce(&[
        "frontier",
        SEED,
        "--parties",
        "RUS,UKR",
        "--format",
        "json",
        "--svg",
        svg.to_str().unwrap(),
    ]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    validate("frontier", &json);
    assert_eq!(json["parties"], serde_json::json!(["RUS", "UKR"]));
    let efficient =
        json["points"].as_array().unwrap().iter().filter(|p| p["efficient"] == true).count();
    assert!(efficient > 1, "{json}");
    let plot = std::fs::read_to_string(&svg).unwrap();
    assert_eq!(plot.matches("class=\"efficient\"").count(), efficient);
    std::fs::remove_file(svg).ok();
    // One party, or an unknown reading, is refused with what was expected.
    let out = truce(&["frontier", SEED, "--parties", "RUS"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("2 or 3 parties"));
    let out = truce(&["frontier", SEED, "--parties", "RUS,UKR", "--reading", "rosy"]);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("expected red_lines, strict or pessimistic")
    );
}

/// `docs/security.md` names the test behind each promise: every name it gives is a test of the suite.
#[test]
fn the_threat_model_cites_tests_that_exist() {
    let doc = std::fs::read_to_string(root().join("docs/security.md")).unwrap();
    let mut sources = String::new();
    let mut stack = vec![root().join("crates")];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(dir).unwrap() {
            let path = e.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|x| x == "rs") {
                sources += &std::fs::read_to_string(path).unwrap();
            }
        }
    }
    let cited: Vec<&str> = doc
        .split('`')
        .skip(1)
        .step_by(2)
        .filter(|s| {
            s.matches('_').count() >= 3
                && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        })
        .collect();
    assert!(cited.len() >= 15, "{cited:?}");
    for name in cited {
        assert!(
            sources.contains(&format!("fn {name}(")),
            "docs/security.md cites `{name}`, which is no test"
        );
    }
}

/// A Genius folder holding a pool of profiles is refused with the way out named, and `--profiles`
/// seats the parties chosen (by number or by file name), in `analyze` and `import` alike.
#[test]
fn a_pool_of_profiles_needs_its_parties_chosen() {
    let pool = root().join("test_data/negotiation/domains/anac_y2015_group1-university");
    let pool = pool.to_str().unwrap();
    for verb in ["analyze", "import"] {
        let out = truce(&[verb, pool]);
        assert_eq!(out.status.code(), Some(1), "{verb}: {out:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("9 profiles is a pool") && err.contains("--profiles 1,2,3"), "{err}");
    }
    let text = stdout(&truce(&["analyze", pool, "--profiles", "1,University_util5.xml,9"]));
    assert!(
        text.contains("Parties at the table: University_util1, University_util5, University_util9"),
        "{text}"
    );
    let out = truce(&["analyze", pool, "--profiles", "12"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no such profile"), "{out:?}");
}

/// Issue 22: the server's configuration file is read like every other TOML of Truce: a mistyped field
/// is named with the file, its line and column, and what was expected, before anything starts.
#[test]
fn issue22_a_mistyped_server_config_field_is_named_with_file_and_line() {
    let dir = std::env::temp_dir().join(format!("truce-config-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let config = dir.join("server.toml");
    for (body, says) in [
        (
            "listen = \"127.0.0.1:0\"\nmedia_max_bytes = 100\n",
            "server.toml:2:19: error: media_max_bytes: found integer; expected a string",
        ),
        (
            "listen = \"127.0.0.1:0\"\n\nmedia_location = \"blur\"\n",
            "server.toml:3:18: error: media_location: media_location \"blur\": expected strip or keep",
        ),
        (
            "lisen = \"127.0.0.1:0\"\n",
            "server.toml:1:9: error: lisen: unknown key `lisen`; expected listen, metrics_listen",
        ),
        ("listen = \"127.0.0.1:0\n", "server.toml:1:"),
    ] {
        std::fs::write(&config, body).unwrap();
        let out = truce(&["serve", "--config", config.to_str().unwrap()]);
        assert!(!out.status.success(), "{body}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(says), "{body}: {stderr}\nexpected: {says}");
    }
    std::fs::remove_dir_all(&dir).ok();
}
