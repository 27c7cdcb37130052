//! `truce serve` with two hosted witnesses (as each party would run one) that its log asks to cosign,
//! configured as an operator would: `truce witness init`, a peers file, the environment. An auditor
//! then checks the published log over HTTP against a 2-of-2 witness policy with `truce log audit`.

use std::time::Duration;

use truce_watch::entry::{Body, Role, key_hex, sign};

use super::kill::{free_port, start_on, submit, truce};

#[test]
fn an_auditor_checks_the_served_log_against_the_parties_witnesses() {
    let dir = std::env::temp_dir().join(format!("truce-witnessed-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let run = |cmd: &mut std::process::Command| {
        let out = cmd.output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    run(truce(&dir)
        .args(["log", "init"])
        .arg(dir.join("log"))
        .args(["--origin", "witnessed.test/log"]));
    let port = free_port();
    let mut peers = String::new();
    for party in ["ukr", "rus"] {
        let wdir = dir.join("witnesses").join(party);
        run(truce(&dir)
            .args(["witness", "init"])
            .arg(&wdir)
            .args(["--name", &format!("{party}.witness.test"), "--log-vkey"])
            .arg(dir.join("log/log.vkey")));
        let vkey = std::fs::read_to_string(wdir.join("witness.vkey")).unwrap();
        peers.push_str(&format!("http://127.0.0.1:{port}/witness/{party} {}\n", vkey.trim()));
    }
    std::fs::write(dir.join("peers"), &peers).unwrap();
    let mission = ed25519_dalek::SigningKey::from_bytes(&[3; 32]);
    let token = run(truce(&dir)
        .args(["user", "add", "mediator", "--role", "mediator", "--key"])
        .arg(key_hex(&mission.verifying_key())));
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(20)))
        .build()
        .into();
    let (mut server, url) = start_on(
        &dir,
        &agent,
        port,
        &[("TRUCE_WITNESS_PEERS", dir.join("peers").display().to_string())],
    );

    let mut entries = vec![sign(&mission, 1, super::mission_body("witnessed")).unwrap()];
    for k in 0..20u8 {
        let key = ed25519_dalek::SigningKey::from_bytes(&[40 + k; 32]);
        entries.push(
            sign(
                &mission,
                u64::from(k) + 2,
                Body::Enrol {
                    key: key_hex(&key.verifying_key()),
                    name: format!("observer-{k}"),
                    role: Role::Observer,
                    party: None,
                },
            )
            .unwrap(),
        );
    }
    for e in &entries {
        submit(&agent, &url, token.trim(), e).expect("accepted");
    }
    // The auditor: the whole log, authenticated tile by tile, at a checkpoint both witnesses cosigned.
    let audit = |quorum: &str| {
        truce(&dir)
            .args(["log", "audit", &format!("{url}/log"), "--vkey"])
            .arg(dir.join("log/log.vkey"))
            .arg("--witness")
            .arg(dir.join("witnesses/ukr/witness.vkey"))
            .arg("--witness")
            .arg(dir.join("witnesses/rus/witness.vkey"))
            .args(["--quorum", quorum])
            .output()
            .unwrap()
    };
    let mut last = String::new();
    let mut ok = false;
    for _ in 0..100 {
        let out = audit("2");
        last = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        if out.status.success() && last.contains(&format!("{} entries", entries.len())) {
            ok = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    server.kill().unwrap();
    server.wait().unwrap();
    assert!(ok, "the audit never passed at the full size: {last}");
    assert!(last.contains("cosigned by 2 of 2 witnesses"), "{last}");
    println!("{last}");
    std::fs::remove_dir_all(&dir).ok();
}
