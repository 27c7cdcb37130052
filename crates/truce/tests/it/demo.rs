//! `truce demo` from an empty directory, with nothing configured: the seed scenario, Minsk II and the
//! generated mission come from the binary itself.

use std::io::BufRead;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[test]
fn the_demo_runs_from_an_empty_directory() {
    let dir = std::env::temp_dir().join(format!("truce-demo-empty-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    // A port whose metrics neighbour (port + 1010) is free too.
    let port = loop {
        let p = super::kill::free_port();
        if p < 64_000 && std::net::TcpListener::bind(("127.0.0.1", p + 1010)).is_ok() {
            break p;
        }
    };
    let mut child = Command::new(env!("CARGO_BIN_EXE_truce"))
        .current_dir(&dir)
        .args(["demo", "--port", &port.to_string()])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The mediator's token, from what the demo prints.
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut printed = Vec::new();
    let token = loop {
        match rx.recv_timeout(Duration::from_millis(200)) {
            Ok(line) => {
                printed.push(line.clone());
                if line.trim_start().starts_with("mediator (mediator)") {
                    break line.split_whitespace().last().unwrap().to_string();
                }
            }
            Err(_) if Instant::now() > deadline || child.try_wait().unwrap().is_some() => {
                let _ = child.kill();
                let mut err = String::new();
                let _ = std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut err);
                panic!("the demo did not start:\n{}\n{err}", printed.join("\n"));
            }
            Err(_) => {}
        }
    };
    let url = format!("http://127.0.0.1:{port}");
    let agent: ureq::Agent =
        ureq::Agent::config_builder().http_status_as_error(false).build().into();
    let get = |path: &str| {
        let mut r = agent
            .get(&format!("{url}{path}"))
            .header("authorization", &format!("Bearer {token}"))
            .call()
            .unwrap();
        (r.status().as_u16(), r.body_mut().read_to_string().unwrap())
    };
    // The demo says what to open, which token to use and where the key files are, and tells its two
    // stories apart: the Table's draft is served where it says, the Watch's keys are where it says.
    while !printed.iter().any(|l| l.contains("an observation on its entry page")) {
        match rx.recv_timeout(Duration::from_secs(30)) {
            Ok(line) => printed.push(line),
            Err(_) => panic!("the demo did not say what to open:\n{}", printed.join("\n")),
        }
    }
    let said = printed.join("\n");
    for words in
        ["Two stories", "/ui/scenarios/ukraine-2025/analysis", "Minsk II", "observer-1.key"]
    {
        assert!(said.contains(words), "{words:?} missing from:\n{said}");
    }
    let keys = dir.join("truce-data/demo/keys");
    for file in ["observer-1.key", "verifier-1.key", "delegate-UKR_GOV.key", "delegate-ORDLO.key"] {
        assert!(keys.join(file).exists(), "{file} is not in {}", keys.display());
    }
    assert!(said.contains(&keys.display().to_string()), "{said}");
    let (status, body) = get("/v1/scenarios/ukraine-2025/draft?package=nash");
    assert_eq!(status, 200, "{body}");
    assert!(said.contains("/ui/scenarios/ukraine-2025/draft"), "{said}");
    let (status, page) = get("/ui/scenarios/ukraine-2025/draft");
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("Draft agreement") && page.contains(" must "), "{page}");
    let (status, body) = get("/v1/scenarios");
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("ukraine-2025"), "{body}");
    // One result, one document: the API's analysis is what `truce analyze --format json` prints for
    // the same file, and both meet the committed schema.
    let (status, body) = get("/v1/scenarios/ukraine-2025/analysis");
    assert_eq!(status, 200, "{body}");
    let api: serde_json::Value = serde_json::from_str(&body).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_truce"))
        .current_dir(super::root().join("scenarios"))
        .args(["analyze", "ukraine-2025.toml", "--format", "json"])
        .output()
        .unwrap();
    let cli: serde_json::Value = serde_json::from_str(&super::stdout(&out)).unwrap();
    super::validate("analysis", &api);
    assert_eq!(api, cli, "the API's analysis differs from the CLI's");
    let (status, body) =
        get("/v1/scenarios/ukraine-2025/analysis?as_of=2025-03-01&parties=UKR,RUS");
    assert_eq!(status, 200, "{body}");
    let out = Command::new(env!("CARGO_BIN_EXE_truce"))
        .current_dir(super::root().join("scenarios"))
        .args(["analyze", "ukraine-2025.toml", "--format", "json"])
        .args(["--as-of", "2025-03-01", "--parties", "UKR,RUS"])
        .output()
        .unwrap();
    let cli: serde_json::Value = serde_json::from_str(&super::stdout(&out)).unwrap();
    assert_eq!(serde_json::from_str::<serde_json::Value>(&body).unwrap(), cli);
    // The timeline, the frontier and compliance: the API's documents are the CLI's too.
    let cli_json = |dir: std::path::PathBuf, args: &[&str]| -> serde_json::Value {
        let out =
            Command::new(env!("CARGO_BIN_EXE_truce")).current_dir(dir).args(args).output().unwrap();
        serde_json::from_str(&super::stdout(&out)).unwrap()
    };
    let api_json = |path: &str| -> serde_json::Value {
        let (status, body) = get(path);
        assert_eq!(status, 200, "{path}: {body}");
        serde_json::from_str(&body).unwrap()
    };
    let scenarios = super::root().join("scenarios");
    assert_eq!(
        api_json("/v1/scenarios/ukraine-2025/timeline?from=2025-01-01&to=2025-06-01&step=month"),
        cli_json(
            scenarios.clone(),
            &[
                "timeline",
                "ukraine-2025.toml",
                "--from",
                "2025-01-01",
                "--to",
                "2025-06-01",
                "--format",
                "json"
            ]
        ),
        "timeline"
    );
    assert_eq!(
        api_json("/v1/scenarios/ukraine-2025/frontier?parties=UKR,RUS"),
        cli_json(
            scenarios,
            &["frontier", "ukraine-2025.toml", "--parties", "UKR,RUS", "--format", "json"]
        ),
        "frontier"
    );
    let log = dir.join("truce-data/demo/log");
    super::validate("compliance", &api_json("/v1/compliance?as_of=2015-04-01"));
    assert_eq!(
        api_json("/v1/compliance?as_of=2015-04-01"),
        cli_json(
            super::root(),
            &[
                "compliance",
                "accords/minsk-2015.toml",
                "--log",
                log.to_str().unwrap(),
                "--as-of",
                "2015-04-01",
                "--format",
                "json"
            ]
        ),
        "compliance"
    );
    let (status, body) = get("/v1/compliance");
    assert_eq!(status, 200, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert!(v["log_size"].as_u64().unwrap() > 1000, "the generated mission is on the log: {body}");
    assert!(v["agreement"].as_str().unwrap_or_default().contains("minsk"), "{body}");
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(dir.join("truce-data/demo/log/checkpoint").exists());
    std::fs::remove_dir_all(&dir).ok();
}
