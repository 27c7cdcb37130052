//! `cargo xtask upgrade-fixture --truce BIN --release NAME`: a data directory written by a release's
//! own `truce demo`, kept in `test_data/upgrade/NAME/` for the upgrade test
//! (`crates/truce/tests/it/upgrade.rs`), which serves it with today's `truce serve`.
//!
//! BIN is that release's binary, built from its commit (`git worktree add /tmp/rel COMMIT && cargo
//! build --manifest-path /tmp/rel/Cargo.toml -p truce`). The task runs `BIN demo` in an empty
//! directory, then, through its API, what a mission's first days leave behind beyond the demo's own
//! seed: a delegate's confidential preferences and a second version of the scenario. It keeps what the release served (its checkpoint, its
//! compliance report), stops the server with SIGINT (as an operator stops it) and copies the data
//! directory. `fixture.json` records the tokens the demo printed (test tokens: the fixture's users
//! exist nowhere else), the release, and what the test expects to find.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail, format_err};

/// Makes the fixture (see the module's documentation).
pub fn make(root: &Path, args: &[String]) -> anyhow::Result<()> {
    let arg = |name: &str| {
        args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).ok_or_else(|| {
            format_err!(
                "{name} is required: cargo xtask upgrade-fixture --truce BIN --release NAME"
            )
        })
    };
    let bin = std::path::absolute(arg("--truce")?)?;
    let release = arg("--release")?;
    if !release.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.') {
        bail!(
            "--release {release:?}: expected letters, digits, '-' and '.' (a commit or a version)"
        );
    }
    let out = root.join("test_data/upgrade").join(release);
    let work = std::env::temp_dir().join(format!("truce-upgrade-fixture-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work)?;
    let port = free_port()?;
    println!("running {} demo --port {port} in {}", bin.display(), work.display());
    let mut child = Command::new(&bin)
        .current_dir(&work)
        .args(["demo", "--port", &port.to_string()])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("TRUCE_METRICS_LISTEN", format!("127.0.0.1:{}", free_port()?))
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .with_context(|| format!("cannot run {}", bin.display()))?;
    let result = drive(&mut child, port);
    // Stopped as an operator stops it: SIGINT, then its pending work committed.
    let _ = Command::new("kill").args(["-INT", &child.id().to_string()]).status();
    let deadline = Instant::now() + Duration::from_secs(30);
    while child.try_wait()?.is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            bail!("the demo did not stop within 30 s of SIGINT");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let mut fixture = result?;
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(&out)?;
    copy_dir(&work.join("truce-data/demo"), &out.join("data"))?;
    fixture["release"] = release.clone().into();
    fixture["port"] = port.into();
    std::fs::write(out.join("fixture.json"), serde_json::to_string_pretty(&fixture)? + "\n")?;
    std::fs::remove_dir_all(&work).ok();
    println!("wrote {}", out.display());
    Ok(())
}

/// Reads the tokens the demo prints, then writes and reads through its API; returns the fixture's
/// record.
fn drive(child: &mut std::process::Child, port: u16) -> anyhow::Result<serde_json::Value> {
    let stdout = child.stdout.take().context("the demo's output")?;
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let mut tokens = serde_json::Map::new();
    let deadline = Instant::now() + Duration::from_secs(300);
    // "  mediator (mediator)    truce_…": the user's name, its role, its token.
    while !tokens.contains_key("public") {
        let line = rx
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .map_err(|_| format_err!("the demo printed no tokens within 300 s"))?;
        let words: Vec<&str> = line.split_whitespace().collect();
        if let [name, role, token] = words[..]
            && role.starts_with('(')
            && token.starts_with("truce_")
        {
            tokens.insert(name.to_string(), token.into());
        }
    }
    std::thread::spawn(move || while rx.recv().is_ok() {});
    let url = format!("http://127.0.0.1:{port}");
    let agent: ureq::Agent =
        ureq::Agent::config_builder().http_status_as_error(false).build().into();
    let token = |name: &str| tokens[name].as_str().unwrap_or_default().to_string();
    let call = |method: &str,
                path: &str,
                who: &str,
                body: Option<&str>|
     -> anyhow::Result<(u16, String)> {
        let auth = format!("Bearer {}", token(who));
        let mut r = match body {
            None => agent.get(format!("{url}{path}")).header("authorization", &auth).call()?,
            Some(b) if method == "PUT" => {
                agent.put(format!("{url}{path}")).header("authorization", &auth).send(b)?
            }
            Some(b) => agent.post(format!("{url}{path}")).header("authorization", &auth).send(b)?,
        };
        Ok((r.status().as_u16(), r.body_mut().read_to_string()?))
    };
    let deadline = Instant::now() + Duration::from_secs(60);
    while call("GET", "/readyz", "public", None).map(|r| r.0).unwrap_or(0) != 200 {
        if Instant::now() > deadline {
            bail!("the demo was not ready within 60 s");
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    let submission = "[[preferences]]\nparty = \"UKR\"\nreservation = 0.3\n[preferences.utilities]\n\"nato.full_membership\" = 1.0\n";
    let (status, body) =
        call("POST", "/v1/scenarios/ukraine-2025/preferences", "delegate-ukr", Some(submission))?;
    if status != 201 {
        bail!("the delegate's preferences: {status} {body}");
    }
    let (_, seed) = call("GET", "/v1/scenarios/ukraine-2025", "analyst", None)?;
    let seed: serde_json::Value = serde_json::from_str(&seed).context("the scenario's document")?;
    let text = seed["text"].as_str().context("the scenario's text")?;
    let second = format!("{text}\n# Version 2, saved for the upgrade fixture.\n");
    let (status, body) = call("PUT", "/v1/scenarios/ukraine-2025", "analyst", Some(&second))?;
    if status != 201 {
        bail!("the scenario's second version: {status} {body}");
    }
    let (_, checkpoint) = call("GET", "/log/checkpoint", "public", None)?;
    let size: u64 = checkpoint
        .lines()
        .nth(1)
        .and_then(|l| l.parse().ok())
        .ok_or_else(|| format_err!("an unreadable checkpoint:\n{checkpoint}"))?;
    let (status, compliance) = call("GET", "/v1/compliance", "public", None)?;
    if status != 200 {
        bail!("the compliance report: {status} {compliance}");
    }
    let compliance: serde_json::Value = serde_json::from_str(&compliance)?;
    Ok(serde_json::json!({
        "tokens": tokens,
        "log_size": size,
        "checkpoint": checkpoint,
        "scenario_versions": 2,
        "submissions": [{"scenario": "ukraine-2025", "party": "UKR"}],
        "compliance": compliance,
    }))
}

fn free_port() -> anyhow::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// Copies a directory tree, keeping each file's permissions.
fn copy_dir(from: &Path, to: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in
        std::fs::read_dir(from).with_context(|| format!("cannot read {}", from.display()))?
    {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)
                .with_context(|| format!("cannot copy {}", entry.path().display()))?;
        }
    }
    Ok(())
}
